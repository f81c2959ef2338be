//! The partial result folder of a shard (`rappel run|compare|sweep --shard K/N`), which
//! `rappel merge` turns into the folder one machine would have written.
//!
//! A shard writes, whole or not at all like every output folder:
//! - `shard.json`, its manifest ([`ShardManifest`]): what ran (the command line, the scenario
//!   texts and their SHA-256, seed, replications, rappel's version), which block of the work
//!   this shard did, and a fingerprint of everything that decides the results;
//! - `results.bin`, every replication of its block in order, each one's figures exactly as
//!   they came out of the simulation ([`RecordWriter`], [`RecordReader`]): `merge` folds them
//!   in the global order and hands the fold to the very writer the command itself calls, so
//!   the files are byte for byte those of a run on one machine;
//! - `NAME.part` for a file whose rows are written replication by replication (`tickets.csv`),
//!   the block's rows without the header, which `merge` joins in shard order.

use crate::stats::ReplicationResult;
use serde::{Deserialize, Serialize};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The manifest's name.
pub const MANIFEST: &str = "shard.json";

/// The replications' file.
pub const RESULTS: &str = "results.bin";

/// The manifest's `format`.
pub const FORMAT: &str = "rappel shard";

/// Version of the partial folder's layout; a merge reads only its own. 2: the population's
/// breakdown row holds the customers gained, the stock at the horizon and the proactive
/// contacts (issue 17), so a shard of an older build must be refused by name, not misread.
pub const FORMAT_VERSION: u32 = 2;

/// The first bytes of `results.bin`.
const MAGIC: &[u8; 16] = b"rappel-results\n\x01";

/// The largest record read back (a damaged length is not allocated).
const MAX_RECORD: u64 = 1 << 30;

/// A scenario file a shard ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardScenario {
    /// As given on the command line (or the built-in default's name).
    pub path: String,
    /// SHA-256 of its text.
    pub sha256: String,
    /// Its text, which `merge` reads instead of the file (which may have changed since).
    pub text: String,
}

/// `shard.json`: what a shard ran and which block of the work it did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardManifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// rappel's version.
    pub rappel_version: String,
    /// `run`, `compare` or `sweep`.
    pub command: String,
    /// The command line after the program's name, which `merge` parses again.
    pub args: Vec<String>,
    /// The scenario files, in command-line order.
    pub scenarios: Vec<ShardScenario>,
    /// Seed of every replication (a sweep's first point's).
    pub seed: u64,
    /// Replications of every scenario (a sweep's first point's).
    pub replications: u32,
    /// Units of work shared out: replications (`run`, `compare`: replication *r* of every
    /// scenario is one unit) or a sweep's points' replications, point after point.
    pub units: u64,
    /// This shard, from 0.
    pub shard: u64,
    /// How many shards share the work.
    pub shards: u64,
    /// The first unit of this shard's block.
    pub first: u64,
    /// One past its last unit.
    pub end: u64,
    /// SHA-256 of everything that decides the results (the command's options, the scenarios
    /// as validated, forecast files included): shards of one run have the same.
    pub fingerprint: String,
    /// Files whose rows this shard wrote replication by replication, as `NAME.part`.
    pub parts: Vec<String>,
    /// Events processed by this shard.
    pub events: u64,
    /// Wall-clock seconds this shard took.
    pub wall_time_s: f64,
    /// Files of the folder.
    pub files: Vec<String>,
}

/// The block of units `0..units` that shard `shard` of `shards` does: contiguous, the
/// sizes differing by one at most, in shard order.
pub fn block(units: u64, shard: u64, shards: u64) -> std::ops::Range<u64> {
    let at = |k: u64| (u128::from(units) * u128::from(k) / u128::from(shards.max(1))) as u64;
    at(shard)..at(shard + 1)
}

/// The name of the rows of `file` in a shard folder.
pub fn part_name(file: &str) -> String {
    format!("{file}.part")
}

/// One unit of work read back: its index and the replications it holds (one per scenario
/// compared; one for `run` and `sweep`).
#[derive(Debug, Deserialize)]
pub struct Record {
    /// The unit's index.
    pub unit: u64,
    /// Its replications.
    pub results: Vec<ReplicationResult>,
}

/// [`Record`] as written, borrowing.
#[derive(Serialize)]
struct RecordRef<'a> {
    unit: u64,
    results: &'a [ReplicationResult],
}

/// Writes `results.bin` record by record (the first error is kept for [`Self::finish`]).
#[derive(Debug)]
pub struct RecordWriter {
    out: BufWriter<std::fs::File>,
    path: PathBuf,
    error: Option<io::Error>,
    written: u64,
}

impl RecordWriter {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path) -> io::Result<Self> {
        let mut out = BufWriter::new(std::fs::File::create(path)?);
        out.write_all(MAGIC)?;
        Ok(Self {
            out,
            path: path.to_path_buf(),
            error: None,
            written: 0,
        })
    }

    /// Writes unit `unit`'s replications.
    pub fn write(&mut self, unit: u64, results: &[ReplicationResult]) {
        if self.error.is_some() {
            return;
        }
        let written = postcard::to_stdvec(&RecordRef { unit, results })
            .map_err(|e| io::Error::other(format!("cannot encode replication {unit}: {e}")))
            .and_then(|bytes| {
                self.out.write_all(&(bytes.len() as u64).to_le_bytes())?;
                self.out.write_all(&bytes)
            });
        match written {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(e),
        }
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes the file and returns its path; on an error the file is removed.
    pub fn finish(self) -> io::Result<PathBuf> {
        let Self {
            out, path, error, ..
        } = self;
        let done = match error {
            Some(e) => Err(e),
            None => out
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all()),
        };
        match done {
            Ok(()) => Ok(path),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    }
}

/// Reads `results.bin` back, record by record.
#[derive(Debug)]
pub struct RecordReader {
    input: BufReader<std::fs::File>,
    path: PathBuf,
    read: u64,
}

impl RecordReader {
    /// Opens the file at `path` and checks its first bytes.
    pub fn open(path: &Path) -> Result<Self, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut input = BufReader::new(file);
        let mut magic = [0u8; 16];
        if input.read_exact(&mut magic).is_err() || &magic != MAGIC {
            return Err(format!(
                "{} is not a shard's results file (its first bytes are not rappel's)",
                path.display()
            ));
        }
        Ok(Self {
            input,
            path: path.to_path_buf(),
            read: 0,
        })
    }

    /// The next record, `None` at the end of the file; a damaged or cut file is an error
    /// naming the record.
    pub fn next_record(&mut self) -> Option<Result<Record, String>> {
        let damaged = |read: u64, what: String| {
            format!(
                "{} is damaged at its record {}: {what}",
                self.path.display(),
                read + 1
            )
        };
        let mut len = [0u8; 8];
        match self.input.read(&mut len[..1]) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(damaged(self.read, e.to_string()))),
        }
        if let Err(e) = self.input.read_exact(&mut len[1..]) {
            return Some(Err(damaged(self.read, format!("cut short ({e})"))));
        }
        let len = u64::from_le_bytes(len);
        if len > MAX_RECORD {
            return Some(Err(damaged(self.read, format!("a length of {len} bytes"))));
        }
        // Read as it comes rather than allocated from the length: a damaged length costs
        // no memory.
        let mut bytes = Vec::new();
        match (&mut self.input).take(len).read_to_end(&mut bytes) {
            Ok(n) if n as u64 == len => {}
            Ok(n) => {
                return Some(Err(damaged(
                    self.read,
                    format!("cut short ({n} of its {len} bytes)"),
                )));
            }
            Err(e) => return Some(Err(damaged(self.read, e.to_string()))),
        }
        let record =
            postcard::from_bytes::<Record>(&bytes).map_err(|e| damaged(self.read, e.to_string()));
        self.read += 1;
        Some(record)
    }
}

impl Iterator for RecordReader {
    type Item = Result<Record, String>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_units_once_in_order() {
        for units in [0u64, 1, 2, 7, 10, 1000] {
            for shards in [1u64, 2, 3, 7, 16] {
                let mut next = 0;
                for k in 0..shards {
                    let b = block(units, k, shards);
                    assert_eq!(b.start, next);
                    assert!(b.end - b.start <= units.div_ceil(shards));
                    next = b.end;
                }
                assert_eq!(next, units);
            }
        }
        assert_eq!(block(10, 0, 2), 0..5);
        assert_eq!(block(10, 1, 2), 5..10);
        assert_eq!(block(10, 2, 3), 6..10);
    }

    #[test]
    fn a_cut_file_is_named_with_its_record() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(RESULTS);
        let w = RecordWriter::create(&path).unwrap();
        w.finish().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&[9, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
        std::fs::write(&path, &bytes).unwrap();
        let mut r = RecordReader::open(&path).unwrap();
        let e = r.next_record().unwrap().unwrap_err();
        assert!(e.contains("damaged at its record 1: cut short"), "{e}");
        std::fs::write(&path, b"hello").unwrap();
        assert!(
            RecordReader::open(&path)
                .unwrap_err()
                .contains("not a shard's results file")
        );
    }
}
