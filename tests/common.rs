//! Helpers shared by the integration tests.

#![allow(dead_code)]

use assert_cmd::Command;
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::run::{RunResult, run_scenario};
use rappel::satisfaction::Score;
use rappel::scenario::Scenario;
use rappel::stats::ReplicationResult;
use std::path::{Path, PathBuf};

/// The `rappel` binary under test.
pub fn rappel() -> Command {
    Command::cargo_bin("rappel").expect("binary built")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped scenario files, in name order.
pub fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Reads a CSV file into a header and rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv opens");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A test scenario from its TOML text; panics with the problems and the text.
pub fn parse(src: &str) -> Scenario {
    Scenario::from_toml(src, "flows.toml").unwrap_or_else(|e| panic!("{e}\n{src}"))
}

/// Runs every replication of the test scenario `src`.
pub fn run(src: &str) -> RunResult {
    run_scenario(&parse(src), None, |_| {})
}

/// Runs replication `rep` of `s`, handing every counted ticket to `f` when it closes (or,
/// still open, at the horizon) with its outcome and that time. The only place that
/// depends on the signature of the ticket log.
pub fn logged(
    s: &Scenario,
    rep: u32,
    mut f: impl FnMut(&Ticket, Outcome, f64),
) -> ReplicationResult {
    let mut log = |t: &Ticket, outcome: Outcome, at: f64, _: Option<&Score>| f(t, outcome, at);
    simulate_logged(s, rep, Some(&mut log))
}

/// `text` with `from` (which must occur exactly once) replaced by `to`.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replacen(from, to, 1)
}
