//! Helpers shared by the integration tests.

#![allow(dead_code)]

use assert_cmd::Command;
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::run::{RunResult, run_scenario};
use rappel::satisfaction::Score;
use rappel::scenario::Scenario;
use rappel::stats::ReplicationResult;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The `rappel` binary under test.
pub fn rappel() -> Command {
    Command::cargo_bin("rappel").expect("binary built")
}

/// Runs the binary and asserts success (exit 0, standard error shown otherwise); returns
/// standard output.
pub fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped scenario files (`scenarios/` and `scenarios/flagship/`), in path order.
pub fn shipped() -> Vec<PathBuf> {
    let toml = |dir: PathBuf| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect()
    };
    let mut files = toml(root().join("scenarios"));
    // The flagship 2×2's cells.
    files.extend(toml(root().join("scenarios/flagship")));
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

/// The replications of a run again, each one's own figures kept (a run keeps none): the
/// same replications, since replication *r* depends only on the scenario and *r*.
pub fn kept(r: &RunResult) -> Vec<rappel::stats::ReplicationResult> {
    rappel::run::simulate_replications(&r.scenario, None)
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
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once in the scenario"
    );
    text.replacen(from, to, 1)
}

/// One agent, calls first and messages when no call waits (the two-class priority queue
/// of Cobham, 1954: `channels.rs`), on a day open from 08:00 to 18:00: the messages still
/// waiting at closing wait for the morning (`channels_backlog.rs`).
pub const COBHAM: &str = r#"
name = "cobham"
[simulation]
days = 6
open = "08:00"
close = "18:00"
interval = "1h"
replications = 16
seed = 5
[arrivals]
rate_per_hour = 42
[[ticket_types]]
name = "call"
share = 0.5714285714285714
handle_time = { dist = "exponential", mean = "60s" }
[[ticket_types]]
name = "mail"
share = 0.4285714285714286
channel = "message"
handle_time = { dist = "exponential", mean = "60s" }
response_promise = "30d"
urgent_before = "0s"
[[teams]]
name = "agent"
agents = 1
serves = ["call", "mail"]
"#;

/// The files `run` writes, and nothing else.
pub const RUN_FILES: [&str; 8] = [
    "summary.csv",
    "replications.csv",
    "wait_distribution.csv",
    "satisfaction_distribution.csv",
    "satisfaction_drivers.csv",
    "intervals.csv",
    "breakdown.csv",
    "run.json",
];

/// The sorted names of the entries of a folder.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `names` as owned strings, sorted.
pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------
// The bad-input harness: a valid base scenario, and the check that a broken one is refused.

/// A valid two-type scenario; every bad-input case breaks exactly one thing in it.
pub const BASE: &str = r#"# A small valid scenario for the bad-input tests.
name = "base"

[simulation]
horizon = "1d"
replications = 2
seed = 3
open = "08:00"
close = "20:00"
interval = "30m"

[arrivals]
rate_per_hour = 100

[[ticket_types]]
name = "general"
share = 0.5
handle_time = { dist = "exponential", mean = "300s" }
patience = { dist = "exponential", mean = "2m" }

[[ticket_types]]
name = "billing"
share = 0.5
handle_time = { dist = "lognormal", mean = "200s", cv = 1.2 }
patience = { dist = "exponential", mean = "3m" }

[[teams]]
name = "agents"
agents = 12
serves = ["general", "billing"]

[entry]
flow = "queue"
"#;

/// 1-based number of the only line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "`{needle}` must be on exactly one line");
    hits[0]
}

/// What the message about one problem must show.
pub struct Expect {
    /// 1-based line the message points at.
    line: usize,
    /// The dotted key, when the problem has one.
    key: Option<&'static str>,
    /// A piece of the message line.
    message: &'static str,
    /// A piece of the `help:` line that follows, when the code gives one.
    help: Option<&'static str>,
}

/// What the message about one problem must show (see [`Expect`]).
pub fn expect(
    line: usize,
    key: Option<&'static str>,
    message: &'static str,
    help: Option<&'static str>,
) -> Expect {
    Expect {
        line,
        key,
        message,
        help,
    }
}

/// Checks that `stderr` reports every expected problem of `file`, each on an
/// `error: FILE:LINE:COL: ` line with its key and message, followed by its help line.
pub fn check_stderr(stderr: &str, file: &Path, expected: &[Expect]) {
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    for e in expected {
        let prefix = format!("error: {}:{}:", file.display(), e.line);
        let at = lines
            .iter()
            .position(|l| {
                l.starts_with(&prefix)
                    && e.key.is_none_or(|k| l.contains(&format!("`{k}`: ")))
                    && l.contains(e.message)
            })
            .unwrap_or_else(|| {
                panic!(
                    "no line starting with `{prefix}`, key {:?}, message `{}` in:\n{stderr}",
                    e.key, e.message
                )
            });
        // The column follows the line: `FILE:LINE:COL: `.
        let rest = &lines[at][prefix.len()..];
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        assert!(
            !col.is_empty() && rest[col.len()..].starts_with(": "),
            "no column after the line in `{}`",
            lines[at]
        );
        assert!(col.parse::<usize>().unwrap() >= 1);
        if let Some(help) = e.help {
            let next = lines.get(at + 1).copied().unwrap_or("");
            assert!(
                next.starts_with("  help: ") && next.contains(help),
                "expected a help line containing `{help}` after `{}`, got `{next}`",
                lines[at]
            );
        }
    }
}

/// Writes `text` as a scenario file, runs `rappel run` and `rappel validate` on it, and checks
/// that both refuse it as described by `expected`, and that `run` wrote nothing.
pub fn refuse(case: &str, text: &str, expected: &[Expect]) {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join(format!("{case}.toml"));
    std::fs::write(&file, text).unwrap();
    let out_dir = tmp.path().join("out");

    let run = rappel()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{case}: run\n{stderr}");
    check_stderr(&stderr, &file, expected);
    assert!(run.stdout.is_empty(), "{case}: run printed on stdout");
    assert!(!out_dir.exists(), "{case}: run left {}", out_dir.display());

    let validate = rappel()
        .current_dir(tmp.path())
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert_eq!(
        validate.status.code(),
        Some(2),
        "{case}: validate\n{stderr}"
    );
    check_stderr(&stderr, &file, expected);
    assert!(
        !String::from_utf8_lossy(&validate.stdout).contains("valid scenario"),
        "{case}: validate called it valid"
    );
    // Nothing else appeared next to the scenario (no default `out/` folder either).
    let entries: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries, vec![file], "{case}: stray files");
}
