//! `--shard K/N` (or `--shard-from slurm|k8s --shards N`) of `run`, `compare` and `sweep`:
//! a shard simulates only its block of the work and writes a partial result folder
//! ([`rappel::output::shard`]) that `rappel merge` turns into the folder one machine would
//! have written.
//!
//! The work is the replications (of every scenario at once, for `compare`) or, for
//! `sweep`, its points' replications one point after another; shard K of N takes the K-th
//! of N contiguous blocks ([`rappel::output::shard::block`]). Replication *r*'s random
//! streams come from the seed, *r* and their purpose alone, so where it runs changes
//! nothing.
//!
//! What cannot be sharded, and why: `run --precision` decides when to stop from every
//! replication run so far, so no shard knows its block; `staff` chooses each pass's staffing
//! from the pass before; `trace` follows single customers, `validate`, `erlang` and the rest
//! simulate nothing.

use super::Failure;
use super::flags::{Threads, open_out};
use rappel::output::AtomicDir;
use rappel::output::shard::{
    FORMAT, FORMAT_VERSION, MANIFEST, RESULTS, RecordWriter, ShardManifest, ShardScenario, block,
    part_name,
};
use rappel::stats::ReplicationResult;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where a shard's index comes from with `--shard-from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShardFrom {
    /// A Slurm job array: SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN (over the array's
    /// step, SLURM_ARRAY_TASK_STEP).
    Slurm,
    /// A Kubernetes Indexed Job: JOB_COMPLETION_INDEX.
    K8s,
}

/// `--shard`, `--shard-from` and `--shards`.
#[derive(Debug, Default, clap::Args)]
#[group(skip)]
pub struct ShardFlags {
    /// Simulate only shard K of N (K from 0): its block of the replications (for sweep, of
    /// its points' replications), written with its manifest to the --out folder, for
    /// `rappel merge`. Not with --precision
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "shard_from")]
    shard: Option<Shard>,
    /// Take K from a job array: slurm (SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN) or
    /// k8s (an Indexed Job's JOB_COMPLETION_INDEX); N is --shards
    #[arg(long, value_enum, value_name = "ARRAY", requires = "shards")]
    shard_from: Option<ShardFrom>,
    /// How many shards share the work, with --shard-from
    #[arg(long, value_name = "N", requires = "shard_from",
          value_parser = clap::value_parser!(u64).range(1..=MAX_SHARDS))]
    shards: Option<u64>,
}

/// The most shards a run may be split into.
const MAX_SHARDS: u64 = 100_000;

/// Shard `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// From 0.
    pub index: u64,
    /// How many.
    pub count: u64,
}

/// `K/N`.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || {
        format!(
            "`{text}` is not a shard: give K/N, shard K (from 0) of N, e.g. 0/4 to 3/4; in a job \
             array, --shard-from slurm|k8s --shards N reads K"
        )
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || n > MAX_SHARDS {
        return Err(format!(
            "`{text}`: the number of shards must be 1 to {MAX_SHARDS}"
        ));
    }
    if k >= n {
        return Err(format!(
            "`{text}`: shards are numbered from 0, so shard {k} of {n} does not exist (the last is {})",
            n - 1
        ));
    }
    Ok(Shard { index: k, count: n })
}

/// An environment variable as a whole number, or what is wrong with it.
fn env_number(name: &str, what: &str) -> Result<Option<u64>, Failure> {
    match std::env::var(name) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Ok(v) => v.trim().parse().map(Some).map_err(|_| {
            Failure::Input(format!(
                "{name} is `{v}`, not a whole number: it should be {what}"
            ))
        }),
        Err(e) => Err(Failure::Input(format!("{name}: {e}"))),
    }
}

impl ShardFlags {
    /// The shard asked for, if any: `--shard K/N`, or K read from the job array's
    /// environment with `--shard-from`.
    pub fn get(&self) -> Result<Option<Shard>, Failure> {
        if let Some(s) = self.shard {
            return Ok(Some(s));
        }
        let (Some(from), Some(count)) = (self.shard_from, self.shards) else {
            return Ok(None);
        };
        let index = match from {
            ShardFrom::K8s => env_number("JOB_COMPLETION_INDEX", "the Job's completion index")?
                .ok_or_else(|| {
                    Failure::Input(
                        "--shard-from k8s: JOB_COMPLETION_INDEX is not set\n  help: it is set in \
                         the pods of a Kubernetes Job with completionMode: Indexed; elsewhere give \
                         --shard K/N"
                            .into(),
                    )
                })?,
            ShardFrom::Slurm => {
                let id = env_number("SLURM_ARRAY_TASK_ID", "the task's index in the array")?
                    .ok_or_else(|| {
                        Failure::Input(
                            "--shard-from slurm: SLURM_ARRAY_TASK_ID is not set\n  help: it is set \
                             in the tasks of a Slurm job array (sbatch --array=0-N-1); elsewhere \
                             give --shard K/N"
                                .into(),
                        )
                    })?;
                let min =
                    env_number("SLURM_ARRAY_TASK_MIN", "the array's first index")?.unwrap_or(0);
                let step = env_number("SLURM_ARRAY_TASK_STEP", "the array's step")?
                    .unwrap_or(1)
                    .max(1);
                if let Some(tasks) = env_number("SLURM_ARRAY_TASK_COUNT", "the array's size")?
                    && tasks != count
                {
                    return Err(Failure::Input(format!(
                        "--shards {count}, but this Slurm array has {tasks} tasks \
                         (SLURM_ARRAY_TASK_COUNT)\n  help: give --shards {tasks}, or submit an \
                         array of {count} tasks (sbatch --array=0-{})",
                        count - 1
                    )));
                }
                if id < min || (id - min) % step != 0 {
                    return Err(Failure::Input(format!(
                        "SLURM_ARRAY_TASK_ID {id} is not in an array from {min} by {step}"
                    )));
                }
                (id - min) / step
            }
        };
        if index >= count {
            let var = match from {
                ShardFrom::K8s => "JOB_COMPLETION_INDEX",
                ShardFrom::Slurm => "the array's index",
            };
            return Err(Failure::Input(format!(
                "{var} makes this shard {index}, but --shards {count} numbers them 0 to {}\n  \
                 help: give as many shards as the array has tasks (completions)",
                count - 1
            )));
        }
        Ok(Some(Shard { index, count }))
    }
}

impl Shard {
    /// A shard's default folder: the command's default folder with `.shard-K-of-N`.
    pub fn folder(self, default: PathBuf) -> PathBuf {
        let mut name = default.file_name().map(OsString::from).unwrap_or_default();
        name.push(format!(".shard-{}-of-{}", self.index, self.count));
        default.with_file_name(name)
    }
}

/// The default output folder `default`, or that of shard `shard`.
pub fn default_folder(shard: Option<Shard>, default: PathBuf) -> PathBuf {
    match shard {
        Some(s) => s.folder(default),
        None => default,
    }
}

/// Why `run --precision` cannot be sharded.
pub const PRECISION: &str = "--precision cannot be combined with --shard: it decides when to stop \
     from every replication run so far, so no shard can know its block\n  help: find the \
     replications once with --precision on one machine (or a guess), then shard a run of \
     --replications N";

/// A sharded command's options of where and how it runs, which decide none of its files:
/// the output folder, `--quiet`, the threads and the shard itself.
pub trait Placement: std::fmt::Debug {
    /// Those options, to be set aside while the rest is fingerprinted.
    fn placement(
        &mut self,
    ) -> (
        &mut Option<PathBuf>,
        &mut bool,
        &mut Threads,
        &mut ShardFlags,
    );
}

/// Implements [`Placement`] for a command's `Args`, whose fields `sim` (with `out` and
/// `quiet`), `threads` and `shard` are those options.
macro_rules! placement {
    ($args:ty) => {
        impl $crate::cli::shard::Placement for $args {
            fn placement(
                &mut self,
            ) -> (
                &mut Option<std::path::PathBuf>,
                &mut bool,
                &mut $crate::cli::flags::Threads,
                &mut $crate::cli::shard::ShardFlags,
            ) {
                (
                    &mut self.sim.out,
                    &mut self.sim.quiet,
                    &mut self.threads,
                    &mut self.shard,
                )
            }
        }
    };
}
pub(crate) use placement;

/// What decides a sharded command's files: the [`fingerprint`] of `command`, of its
/// options `a` less those of [`Placement`], and of `what` it runs (the scenarios as
/// validated, or the sweep).
pub fn fingerprint_of(command: &str, a: &mut impl Placement, what: &dyn std::fmt::Debug) -> String {
    let kept = {
        let (out, quiet, threads, shard) = a.placement();
        (
            out.take(),
            std::mem::take(quiet),
            std::mem::take(threads),
            std::mem::take(shard),
        )
    };
    let f = fingerprint(&[&command, &*a, what]);
    let (out, quiet, threads, shard) = a.placement();
    (*out, *quiet, *threads, *shard) = kept;
    f
}

/// SHA-256 of the `Debug` text of `parts`, written straight into the hash.
pub fn fingerprint(parts: &[&dyn std::fmt::Debug]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    struct Hashing(Sha256);
    impl Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut h = Hashing(Sha256::new());
    for p in parts {
        let _ = write!(h, "{p:?}\n\u{0}");
    }
    h.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What every shard of a command records of it.
#[derive(Debug)]
pub struct Work<'a> {
    /// `run`, `compare` or `sweep`.
    pub command: &'static str,
    /// The scenario files: (path as given, text).
    pub scenarios: Vec<(&'a str, &'a str)>,
    /// Seed.
    pub seed: u64,
    /// Replications of every scenario.
    pub replications: u32,
    /// Units of work to share out.
    pub units: u64,
    /// [`fingerprint`] of the command's options and scenarios.
    pub fingerprint: String,
    /// What a unit is, in messages ("replications").
    pub unit_name: &'static str,
}

/// A shard's partial folder while its block runs.
#[derive(Debug)]
pub struct Partial {
    dir: AtomicDir,
    out: PathBuf,
    records: RecordWriter,
    manifest: ShardManifest,
    unit_name: &'static str,
    quiet: bool,
    start: std::time::Instant,
}

impl Partial {
    /// Prepares shard `shard`'s folder `out` for `work` (refused like any output folder).
    pub fn open(out: &Path, work: Work<'_>, shard: Shard, quiet: bool) -> Result<Self, Failure> {
        let dir = open_out(out)?;
        let records = RecordWriter::create(&dir.part_path(RESULTS, 0))
            .map_err(|e| cannot_write(out, RESULTS, e))?;
        let range = block(work.units, shard.index, shard.count);
        let manifest = ShardManifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            rappel_version: env!("CARGO_PKG_VERSION").into(),
            command: work.command.into(),
            args: std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            scenarios: work
                .scenarios
                .iter()
                .map(|(path, text)| ShardScenario {
                    path: path.to_string(),
                    sha256: rappel::output::sha256_hex(text),
                    text: text.to_string(),
                })
                .collect(),
            seed: work.seed,
            replications: work.replications,
            units: work.units,
            shard: shard.index,
            shards: shard.count,
            first: range.start,
            end: range.end,
            fingerprint: work.fingerprint,
            parts: Vec::new(),
            events: 0,
            wall_time_s: 0.0,
            files: Vec::new(),
        };
        Ok(Self {
            dir,
            out: out.to_path_buf(),
            records,
            manifest,
            unit_name: work.unit_name,
            quiet,
            start: std::time::Instant::now(),
        })
    }

    /// This shard's block of units.
    pub fn block(&self) -> std::ops::Range<u64> {
        self.manifest.first..self.manifest.end
    }

    /// Records unit `unit`'s replications (one per scenario compared).
    pub fn record(&mut self, unit: u64, results: &[ReplicationResult]) {
        self.manifest.events += results.iter().map(|r| r.events).sum::<u64>();
        self.records.write(unit, results);
    }

    /// Where the rows of `file` for replication `r` go while the block runs (in the
    /// staging folder).
    pub fn part_path(&self, file: &str, r: u32) -> PathBuf {
        self.dir.part_path(file, r)
    }

    /// Adds the rows of `file`, replication by replication, as `FILE.part`.
    pub fn add_parts(&mut self, file: &str, parts: Vec<PathBuf>) {
        self.dir.add_parts(&part_name(file), Vec::new(), parts);
        self.manifest.parts.push(file.to_string());
    }

    /// Writes the folder whole, and says so unless quiet.
    pub fn commit(mut self) -> Result<(), Failure> {
        let out = self.out.clone();
        let written = self.records.written();
        let expected = self.manifest.end - self.manifest.first;
        if written != expected {
            return Err(Failure::Runtime(anyhow::anyhow!(
                "shard {} simulated {written} of its {expected} units",
                self.manifest.shard
            )));
        }
        let records = self
            .records
            .finish()
            .map_err(|e| cannot_write(&out, RESULTS, e))?;
        self.dir.add_parts(RESULTS, Vec::new(), vec![records]);
        let mut files = self.dir.names();
        files.push(MANIFEST.into());
        self.manifest.files = files;
        self.manifest.wall_time_s = self.start.elapsed().as_secs_f64();
        self.dir
            .add(MANIFEST, rappel::output::json::file_bytes(&self.manifest));
        let m = self.manifest;
        self.dir.commit().map_err(|e| {
            Failure::Runtime(anyhow::anyhow!(
                "cannot write the shard's files to {}: {e}",
                out.display()
            ))
        })?;
        if !self.quiet {
            let what = if m.first == m.end {
                format!(
                    "no {} (there are {} for {} shards)",
                    self.unit_name, m.units, m.shards
                )
            } else {
                format!(
                    "{} {} to {} ({} of {})",
                    self.unit_name,
                    m.first,
                    m.end - 1,
                    m.end - m.first,
                    m.units
                )
            };
            super::print_err(&format!(
                "shard {} of {}: {what}, written to {}\n  help: once every shard has run, \
                 `rappel merge` their folders --out FOLDER writes the files of the whole run",
                m.shard,
                m.shards,
                out.display()
            ));
        }
        Ok(())
    }
}

fn cannot_write(out: &Path, what: &str, e: std::io::Error) -> Failure {
    Failure::Runtime(anyhow::anyhow!(
        "cannot write {what} in {}: {e}",
        out.display()
    ))
}

/// For a usage error that names `--shard`, `--shard-from` or `--shards` on a command that
/// has none: why that command cannot be sharded.
pub fn unshardable(args: &[OsString]) -> Option<String> {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut command = None;
    while let Some(w) = words.next() {
        if w == "--color" {
            words.next();
        } else if !w.starts_with('-') {
            command = Some(w.into_owned());
            break;
        }
    }
    let command = command?;
    let asks = args.iter().any(|a| {
        let a = a.to_string_lossy();
        ["--shard", "--shard-from", "--shards"]
            .iter()
            .any(|f| a == *f || a.starts_with(&format!("{f}=")))
    });
    if !asks {
        return None;
    }
    let why = match command.as_str() {
        "staff" => {
            "it searches pass after pass, each pass's staffing chosen from the results of the \
             one before, so there are no independent blocks to share out\n  help: run staff on \
             one machine; to spread a grid of staffing levels over a cluster, shard a `rappel \
             sweep --set teams.NAME.agents=...`"
        }
        "trace" => "it narrates single customers' journeys, in moments",
        "validate" | "schema" | "example" | "generate" => "it simulates nothing",
        "erlang" => "its figures are formulas, computed in moments",
        "merge" => "it joins shards; the shards themselves are run with --shard",
        "slurm" => "it writes the job scripts; give it --shards N",
        _ => return None,
    };
    Some(format!(
        "`rappel {command}` cannot be sharded: {why}\n  note: run, compare and sweep take \
         --shard K/N"
    ))
}
