//! The flags every simulation command (`run`, `compare`, `sweep`, `staff`) shares, declared
//! once. Each command words their help for itself through a [`Wording`] (its `--help`, man
//! page and completions say what the flag means there); and `--allow-unstable`.

use super::Failure;
use rappel::output::{AtomicDir, FolderError};
use rappel::scenario::{Options, Scenario, ScenarioErrors};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// How one command words the shared flags' help, and its fewest replications.
pub trait Wording {
    /// Help of `--replications`.
    const REPLICATIONS: &'static str;
    /// Help of `--seed`.
    const SEED: &'static str;
    /// Help of `--out`.
    const OUT: &'static str;
    /// The fewest replications `--replications` accepts.
    const MIN_REPLICATIONS: i64 = 1;
}

/// `--replications`, `--seed`, `--out` and `--quiet`, worded by `W`.
#[derive(Debug, clap::Args)]
#[group(skip)]
pub struct SimFlags<W: Wording + Send + Sync + 'static> {
    // The help texts come from `W` rather than doc comments: they differ per command.
    #[arg(
        long,
        short = 'r',
        help = W::REPLICATIONS,
        value_parser = clap::value_parser!(u32).range(W::MIN_REPLICATIONS..=100_000)
    )]
    pub replications: Option<u32>,
    #[arg(long, short = 's', help = W::SEED)]
    pub seed: Option<u64>,
    #[arg(long, short = 'o', help = W::OUT)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[arg(skip)]
    wording: PhantomData<W>,
}

impl<W: Wording + Send + Sync + 'static> SimFlags<W> {
    /// The output folder: `--out`, or `default` when it is not given; a file there is bad
    /// input.
    pub fn out_dir(&self, default: impl FnOnce() -> PathBuf) -> Result<PathBuf, Failure> {
        let dir = self.out.clone().unwrap_or_else(default);
        not_a_file(&dir)?;
        Ok(dir)
    }
}

/// The output folder's set of files, prepared before any work so that a folder rappel may
/// not replace (exit 2) or cannot write beside (exit 1) fails first.
pub fn open_out(dir: &Path) -> Result<AtomicDir, Failure> {
    AtomicDir::open(dir).map_err(|e| match e {
        FolderError::Refused(m) => Failure::Input(format!(
            "--out {}: {m}\n  help: name a new or empty folder with --out, or move those files away",
            dir.display()
        )),
        FolderError::Io(e) => Failure::Runtime(anyhow::anyhow!(
            "cannot prepare the output folder {}: {e}\n  help: name a folder in a writable place with --out",
            dir.display()
        )),
    })
}

/// An output folder must not be an existing file, nor lie under one.
fn not_a_file(dir: &Path) -> Result<(), Failure> {
    if let Some(file) = dir.ancestors().find(|a| a.exists() && !a.is_dir()) {
        let what = if file == dir {
            "this is a file, not a folder".to_string()
        } else {
            format!("{} is a file, not a folder", file.display())
        };
        return Err(Failure::Input(format!(
            "--out {}: {what}\n  help: name a folder (it is created if missing)",
            dir.display()
        )));
    }
    Ok(())
}

/// `--threads`. Apart from [`SimFlags`] because `run` and `compare` list it last, after their
/// own flags: clap lists (and completes) flags in the order they are declared.
#[derive(Debug, Default, clap::Args)]
#[group(skip)]
pub struct Threads {
    /// Worker threads [default: one per core]; results do not depend on it.
    #[arg(long = "threads", short = 'j', value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
}

impl Threads {
    /// The number of worker threads asked for, if any.
    pub fn get(&self) -> Option<usize> {
        self.threads.map(|t| t as usize)
    }

    /// Runs `work` (given the threads asked for) on a pool of worker threads built first, so
    /// that threads that cannot be created are an error naming the flag that fixes it rather
    /// than a panic; `--threads 1` needs no pool.
    pub fn run<R: Send>(&self, work: impl FnOnce(Option<usize>) -> R + Send) -> Result<R, Failure> {
        let threads = self.get();
        if threads == Some(1) {
            return Ok(work(threads));
        }
        // Without --threads, rayon takes RAYON_NUM_THREADS when it is set.
        let cannot_start = |why: String| {
            let how_many = match (threads, std::env::var("RAYON_NUM_THREADS")) {
                (Some(t), _) => format!("{t} worker threads"),
                (None, Ok(n)) => format!("{n} worker threads (RAYON_NUM_THREADS)"),
                (None, Err(_)) => "one worker thread per core".to_string(),
            };
            Failure::Runtime(anyhow::anyhow!(
                "cannot start {how_many}: {why}\n  help: run with --threads 1 (no extra \
                 thread) or fewer threads, or raise the limit on processes (ulimit -u) \
                 or on memory (ulimit -v), whichever is set"
            ))
        };
        if let Some(why) = threads.and_then(address_space_short) {
            return Err(cannot_start(why));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .stack_size(THREAD_STACK)
            .build()
            .map_err(|e| cannot_start(e.to_string()))?;
        Ok(pool.install(|| work(threads)))
    }
}

/// The stack of each worker thread: std's default, set so that [`address_space_short`]
/// counts what the pool takes.
const THREAD_STACK: usize = 2 << 20;

/// Why `n` worker threads cannot fit under the limit on address space (`ulimit -v`), when
/// one is set and they cannot: each takes its stack and a guard page, and the run needs
/// room besides. Checked before any thread starts, because a pool that runs out of address
/// space part-way leaves the threads it already started nothing to allocate in, and glibc
/// then aborts the process ("failed to register TLS destructor: out of memory") before the
/// pool's error can be reported.
#[cfg(target_os = "linux")]
fn address_space_short(n: usize) -> Option<String> {
    const MIB: u64 = 1 << 20;
    // Room for the run itself once its threads stand (what a small run uses, with margin).
    const HEADROOM: u64 = 64 * MIB;
    let limit = rustix::process::getrlimit(rustix::process::Resource::As).current?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let used_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let used = used_kib * 1024;
    let stacks = n as u64 * (THREAD_STACK as u64 + 64 * 1024);
    (used + stacks + HEADROOM > limit).then(|| {
        format!(
            "their stacks need {} MiB of address space, and the limit (ulimit -v, {} MiB) \
             leaves {} MiB beside what rappel already uses and needs",
            stacks / MIB,
            limit / MIB,
            limit.saturating_sub(used + HEADROOM) / MIB
        )
    })
}

/// Elsewhere the pool's own error reports threads that cannot be created.
#[cfg(not(target_os = "linux"))]
fn address_space_short(_n: usize) -> Option<String> {
    None
}

/// `--allow-unstable`: for `run`, `compare`, `trace` and `validate`.
#[derive(Debug, clap::Args)]
pub struct Unstable {
    /// Run a set-up whose journeys cannot end or whose work exceeds capacity every day
    /// (refused otherwise), with a warning: for teaching what an unstable queue does. A run
    /// that then runs away stops with an error (exit 1)
    #[arg(long)]
    allow_unstable: bool,
}

impl Unstable {
    /// Validates scenario text; with `--allow-unstable`, the unstable set-ups it lets through
    /// are printed as warnings on standard error.
    pub fn scenario(&self, text: &str, shown: &str) -> Result<Scenario, ScenarioErrors> {
        let opts = Options {
            allow_unstable: self.allow_unstable,
        };
        let (s, warnings) = Scenario::from_toml_with(text, shown, &opts)?;
        for w in warnings {
            super::print_err(&format!("warning: {w}"));
        }
        Ok(s)
    }
}
