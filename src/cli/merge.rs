//! `rappel merge DIR... --out OUT`: joins the partial folders of every shard of one
//! `run`, `compare` or `sweep` into the folder one machine would have written, byte for byte
//! (wall times aside).
//!
//! It checks the shards against each other first (format, rappel version, command, shard
//! count, scenarios, seed, replications, options; every shard once), then parses the
//! shards' command line again, reading the scenario texts they ran rather than the files,
//! and runs the command's own code with its simulation replaced by the shards' replications,
//! folded in the global order: the command's writer writes the files. A mismatch is bad
//! input (exit 2) and nothing is written.

use super::Failure;
use clap::Parser;
use rappel::output::shard::{
    FORMAT, FORMAT_VERSION, MANIFEST, RESULTS, Record, RecordReader, ShardManifest, part_name,
};
use rappel::stats::ReplicationResult;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Arguments of `rappel merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folders of every shard of one run (written with --shard K/N), in any order.
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Folder for the merged files: those the command writes when run on one machine.
    #[arg(long, short = 'o', required = true)]
    out: PathBuf,
    /// No "wrote" line.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// The scenario texts the shards ran, which the command reads instead of the files while
/// it is merged.
static STORED: OnceLock<Vec<(String, String)>> = OnceLock::new();

/// The text the shards ran of the scenario file `path`, while merging.
pub fn stored_text(path: &Path) -> Option<String> {
    let shown = path.display().to_string();
    STORED
        .get()?
        .iter()
        .find(|(p, _)| *p == shown)
        .map(|(_, t)| t.clone())
}

/// One shard's folder and manifest.
#[derive(Debug)]
struct ShardDir {
    dir: PathBuf,
    manifest: ShardManifest,
}

/// The shards of one run, checked and in shard order, for the command to fold.
#[derive(Debug)]
pub struct Merged {
    shards: Vec<ShardDir>,
    out: PathBuf,
    quiet: bool,
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let mut shards = Vec::new();
    for dir in &a.dirs {
        shards.push(load(dir)?);
    }
    check(&mut shards)?;
    for s in &shards {
        let inside = std::path::absolute(&a.out)
            .ok()
            .zip(std::path::absolute(&s.dir).ok())
            .is_some_and(|(out, dir)| out.starts_with(&dir) || dir.starts_with(&out));
        if inside {
            return Err(Failure::Input(format!(
                "--out {} would overwrite the shard folder {}\n  help: name another folder for \
                 the merged files",
                a.out.display(),
                s.dir.display()
            )));
        }
    }
    let first = &shards[0].manifest;
    let _ = STORED.set(
        first
            .scenarios
            .iter()
            .map(|s| (s.path.clone(), s.text.clone()))
            .collect(),
    );
    let argv = std::iter::once("rappel".to_string()).chain(first.args.iter().cloned());
    let cli = super::Cli::try_parse_from(argv).map_err(|e| {
        Failure::Input(format!(
            "{}: its command line no longer parses ({}): `rappel {}`",
            shards[0].dir.join(MANIFEST).display(),
            e.kind(),
            first.args.join(" ")
        ))
    })?;
    let command = first.command.clone();
    let merged = Merged {
        shards,
        out: a.out,
        quiet: a.quiet,
    };
    match (command.as_str(), cli.command) {
        ("run", super::Command::Run(args)) => super::run::merged(args, &merged),
        ("compare", super::Command::Compare(args)) => super::compare::merged(args, &merged),
        ("sweep", super::Command::Sweep(args)) => super::sweep::merged(args, &merged),
        (c, _) => Err(Failure::Input(format!(
            "{}: a shard of `{c}`, which merge does not know",
            merged.shards[0].dir.display()
        ))),
    }
}

/// Reads a shard folder's manifest.
fn load(dir: &Path) -> Result<ShardDir, Failure> {
    let path = dir.join(MANIFEST);
    let not_shard = |why: String| {
        Failure::Input(format!(
            "{} is not a shard folder: {why}\n  help: give the --out folders of `rappel run|compare|sweep ... --shard K/N`",
            dir.display()
        ))
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(not_shard(format!("it has no {MANIFEST}")));
        }
        Err(e) => return Err(not_shard(format!("cannot read {MANIFEST}: {e}"))),
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| not_shard(format!("{MANIFEST} is not JSON ({e})")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(not_shard(format!("{MANIFEST} is not a shard's manifest")));
    }
    let version = value.get("format_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(FORMAT_VERSION)) {
        let by = value
            .get("rappel_version")
            .and_then(|v| v.as_str())
            .unwrap_or("another version");
        return Err(Failure::Input(format!(
            "{} was written by rappel {by} in a shard layout this rappel {} does not read\n  \
             help: merge with the rappel that ran the shards, or run the shards again",
            dir.display(),
            env!("CARGO_PKG_VERSION")
        )));
    }
    let manifest: ShardManifest = serde_json::from_value(value)
        .map_err(|e| not_shard(format!("{MANIFEST} is damaged ({e})")))?;
    Ok(ShardDir {
        dir: dir.to_path_buf(),
        manifest,
    })
}

/// Checks that the shards are every shard of one run, once each, and sorts them.
fn check(shards: &mut [ShardDir]) -> Result<(), Failure> {
    let mine = env!("CARGO_PKG_VERSION");
    for s in shards.iter() {
        if s.manifest.rappel_version != mine {
            return Err(Failure::Input(format!(
                "{} was written by rappel {}, this is rappel {mine}: the files would not be \
                 those of one run\n  help: merge with rappel {} (the version that ran the \
                 shards), or run every shard again with this one",
                s.dir.display(),
                s.manifest.rappel_version,
                s.manifest.rappel_version
            )));
        }
    }
    let (first, rest) = shards.split_first().expect("at least one folder (clap)");
    let a = &first.manifest;
    let da = first.dir.display();
    for s in rest {
        let b = &s.manifest;
        let db = s.dir.display();
        let refuse = |what: String, help: &str| {
            Err(Failure::Input(format!(
                "the shards are not of one run: {what}\n  help: {help}"
            )))
        };
        let again =
            "merge the shards of one run only (or run the odd one again with the same command)";
        if b.command != a.command {
            return refuse(
                format!(
                    "{db} is a shard of `{}`, {da} of `{}`",
                    b.command, a.command
                ),
                again,
            );
        }
        if b.shards != a.shards {
            return refuse(
                format!(
                    "{db} is one of {} shards, {da} one of {}",
                    b.shards, a.shards
                ),
                "every shard of one run is given the same N in --shard K/N (--shards N)",
            );
        }
        let paths = |m: &ShardManifest| {
            m.scenarios
                .iter()
                .map(|s| s.path.clone())
                .collect::<Vec<_>>()
        };
        if paths(b) != paths(a) {
            return refuse(
                format!(
                    "{db} ran {}, {da} ran {}",
                    paths(b).join(" "),
                    paths(a).join(" ")
                ),
                again,
            );
        }
        for (x, y) in b.scenarios.iter().zip(&a.scenarios) {
            if x.sha256 != y.sha256 {
                return refuse(
                    format!(
                        "{} is another scenario in {db} (SHA-256 {}…) than in {da} ({}…): the \
                         file changed between the shards",
                        x.path,
                        &x.sha256[..12.min(x.sha256.len())],
                        &y.sha256[..12.min(y.sha256.len())]
                    ),
                    "run every shard again from the same file",
                );
            }
        }
        if b.seed != a.seed {
            return refuse(
                format!("{db} ran with seed {}, {da} with seed {}", b.seed, a.seed),
                "give every shard the same --seed",
            );
        }
        if b.replications != a.replications || b.units != a.units {
            return refuse(
                format!(
                    "{db} ran {} replications, {da} {}",
                    b.replications, a.replications
                ),
                "give every shard the same --replications",
            );
        }
        if b.fingerprint != a.fingerprint {
            return refuse(
                format!(
                    "{db} ran with other options than {da}:\n    rappel {}\n    rappel {}",
                    b.args.join(" "),
                    a.args.join(" ")
                ),
                "every shard runs the same command but for --shard and --out",
            );
        }
    }
    shards.sort_by_key(|s| s.manifest.shard);
    for w in shards.windows(2) {
        if w[0].manifest.shard == w[1].manifest.shard {
            return Err(Failure::Input(format!(
                "shard {} of {} is given twice: {} and {}\n  help: give each shard's folder once",
                w[0].manifest.shard,
                w[0].manifest.shards,
                w[0].dir.display(),
                w[1].dir.display()
            )));
        }
    }
    let n = shards[0].manifest.shards;
    let given: Vec<u64> = shards.iter().map(|s| s.manifest.shard).collect();
    let missing: Vec<String> = (0..n)
        .filter(|k| !given.contains(k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
        let more = if missing.len() > 10 {
            format!(" and {} more", missing.len() - 10)
        } else {
            String::new()
        };
        return Err(Failure::Input(format!(
            "{} of the {n} shards {} missing: shard {}{more}\n  help: give the folder of every \
             shard, 0 to {}; run the missing ones with --shard K/{n}",
            missing.len(),
            if missing.len() == 1 { "is" } else { "are" },
            shown.join(", "),
            n - 1
        )));
    }
    for s in shards.iter() {
        let m = &s.manifest;
        let b = rappel::output::shard::block(m.units, m.shard, m.shards);
        if (m.first, m.end) != (b.start, b.end) {
            return Err(Failure::Input(format!(
                "{}: shard {} of {} should hold units {} to {}, its manifest says {} to {}",
                s.dir.display(),
                m.shard,
                m.shards,
                b.start,
                b.end,
                m.first,
                m.end
            )));
        }
    }
    Ok(())
}

impl Merged {
    /// The merged folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Whether to keep quiet.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// Checks that the command, parsed again from the shards' command line, is the one they
    /// ran: `fingerprint` is its fingerprint now.
    pub fn check(&self, fingerprint: &str) -> Result<(), Failure> {
        if fingerprint == self.shards[0].manifest.fingerprint {
            return Ok(());
        }
        Err(Failure::Input(format!(
            "the command the shards ran no longer reads the same: `rappel {}` gives other \
             scenarios than the shards simulated (a forecast file it reads has changed, or \
             has moved relative to this folder)\n  help: merge from the folder the shards ran \
             in, with the same files; or run the shards again",
            self.shards[0].manifest.args.join(" ")
        )))
    }

    /// The wall-clock seconds of every shard, added up.
    pub fn wall_time_s(&self) -> f64 {
        self.shards.iter().map(|s| s.manifest.wall_time_s).sum()
    }

    /// Every unit's record, in the global order, each checked to be the next one; the
    /// first error ends them.
    pub fn records(&self) -> impl Iterator<Item = Result<Record, Failure>> + '_ {
        Records {
            shards: &self.shards,
            at: 0,
            reader: None,
            read: 0,
            next_unit: 0,
            done: false,
        }
    }

    /// Every replication of a single scenario (`run`, `sweep`), in the global order.
    pub fn replications(&self) -> impl Iterator<Item = Result<ReplicationResult, Failure>> + '_ {
        self.records().map(|r| {
            r.and_then(|mut rec| match rec.results.len() {
                1 => Ok(rec.results.pop().expect("one")),
                n => Err(Failure::Input(format!(
                    "unit {} holds {n} replications where one was expected",
                    rec.unit
                ))),
            })
        })
    }

    /// Every unit's replications of the `k` scenarios compared, in the global order.
    pub fn compared(
        &self,
        k: usize,
    ) -> impl Iterator<Item = Result<Vec<ReplicationResult>, Failure>> + '_ {
        self.records().map(move |r| {
            r.and_then(|rec| {
                if rec.results.len() == k {
                    Ok(rec.results)
                } else {
                    Err(Failure::Input(format!(
                        "unit {} holds {} replications where {k} (one per scenario) were expected",
                        rec.unit,
                        rec.results.len()
                    )))
                }
            })
        })
    }

    /// The shards' rows of `file`, in shard order (each left as it is).
    pub fn part_files(&self, file: &str) -> Result<Vec<PathBuf>, Failure> {
        self.shards
            .iter()
            .map(|s| {
                let path = s.dir.join(part_name(file));
                if s.manifest.parts.iter().any(|p| p == file) && path.is_file() {
                    Ok(path)
                } else {
                    Err(Failure::Input(format!(
                        "{} has no {}: the shard's rows of {file} are missing\n  help: run that \
                         shard again",
                        s.dir.display(),
                        part_name(file)
                    )))
                }
            })
            .collect()
    }
}

/// The records of every shard in turn ([`Merged::records`]).
struct Records<'a> {
    shards: &'a [ShardDir],
    /// The shard being read.
    at: usize,
    reader: Option<RecordReader>,
    /// Records read of that shard.
    read: u64,
    next_unit: u64,
    done: bool,
}

impl Iterator for Records<'_> {
    type Item = Result<Record, Failure>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step();
        self.done = !matches!(item, Some(Ok(_)));
        item.map(|r| {
            r.map_err(|e| {
                Failure::Input(format!(
                    "{e}\n  help: run that shard again (its folder is damaged)"
                ))
            })
        })
    }
}

impl Records<'_> {
    fn step(&mut self) -> Option<Result<Record, String>> {
        loop {
            let s = self.shards.get(self.at)?;
            let path = s.dir.join(RESULTS);
            let count = s.manifest.end - s.manifest.first;
            if self.reader.is_none() {
                match RecordReader::open(&path) {
                    Ok(r) => self.reader = Some(r),
                    Err(e) => return Some(Err(e)),
                }
                self.read = 0;
            }
            let reader = self.reader.as_mut().expect("opened above");
            match reader.next_record() {
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(rec)) => {
                    if self.read >= count {
                        return Some(Err(format!(
                            "{} holds more than the {count} units of its block",
                            path.display()
                        )));
                    }
                    if rec.unit != self.next_unit {
                        return Some(Err(format!(
                            "{}: unit {} came where unit {} was expected",
                            path.display(),
                            rec.unit,
                            self.next_unit
                        )));
                    }
                    self.read += 1;
                    self.next_unit += 1;
                    return Some(Ok(rec));
                }
                None => {
                    if self.read < count {
                        return Some(Err(format!(
                            "{} holds {} of the {count} units of its block: it is cut short",
                            path.display(),
                            self.read
                        )));
                    }
                    self.reader = None;
                    self.at += 1;
                }
            }
        }
    }
}
