//! Journeys that never end, from the command line, in two layers: `validate` refuses what it
//! can prove endless (cycles of 0 s steps, a tiny speed: always; unstable set-ups: unless
//! `--allow-unstable`), and the run-time guard stops what runs anyway, with exit 1, a
//! message naming the ticket type and the cycle, and no output files. None may hang: each
//! command has a timeout, and reaching it fails the test.

use crate::common::{entries, rappel};
use crate::fixtures::ping_pong;
use std::path::Path;
use std::time::Duration;

/// Far above what the guard needs (well under a second here), far below a hang.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An agent callback after a 0 s investigation, a 0 s conversation, unresolved again.
const AGENT_CALLBACK_ZERO_LOOP: &str = r#"
name = "agent-callback-zero-loop"
[simulation]
horizon = "1h"
replications = 1
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "general"
handle_time = { dist = "constant", value = "0s" }
difficulty = 1.0
[[teams]]
name = "a"
agents = 1
serves = ["general"]
unresolved = "agent_callback"
agent_callback = { delay = { dist = "constant", value = "0s" }, promise = "1h" }
"#;

/// Like the escalation loop with ordinary handle times and speed 1e-9.
const ESCALATION_TINY_SPEED: &str = r#"
name = "escalation-tiny-speed"
[simulation]
horizon = "1h"
replications = 1
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
difficulty = 1.0
[[teams]]
name = "a"
agents = 1
serves = ["general"]
speed = 1e-9
unresolved = "escalate"
escalate_to = "b"
[[teams]]
name = "b"
agents = 1
serves = []
speed = 1e-9
unresolved = "escalate"
escalate_to = "a"
"#;

/// Ten times the capacity, and callers redial until answered (probability 1).
const UNSTABLE_REDIAL_FOREVER: &str = r#"
name = "unstable-redial-forever"
[simulation]
days = 30
replications = 1
[arrivals]
rate_per_hour = 600
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "1m" }
[[teams]]
name = "agents"
agents = 4
serves = ["general"]
[entry]
flow = "queue"
redial = { probability = 1.0, delay = { dist = "exponential", mean = "1m" } }
"#;

/// Nobody can solve the problem and every customer calls again (probability 1).
const UNSTABLE_CALL_AGAIN: &str = r#"
name = "unstable-call-again"
[simulation]
days = 30
replications = 1
[arrivals]
rate_per_hour = 20
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
difficulty = 1.0
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
unresolved = "customer_calls_again"
call_again = { probability = 1.0, delay = { dist = "exponential", mean = "10m" } }
"#;

/// Writes `text` as `name.toml` in `dir`.
fn file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(format!("{name}.toml"));
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs rappel with `args` under the timeout: (exit code, stdout, stderr).
fn rappel_in_time(args: &[&str]) -> (i32, String, String) {
    let out = rappel()
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("rappel starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("rappel {args:?} was killed (a hang?): {stderr}"));
    (code, stdout, stderr)
}

/// Checks a stopped command: exit 1, nothing on stdout, a message with the ticket type,
/// the cycle's steps and a help line.
fn assert_stopped(what: &str, (code, stdout, stderr): (i32, String, String), steps: &[&str]) {
    assert_eq!(code, 1, "{what}: {stderr}");
    assert!(stdout.is_empty(), "{what} printed: {stdout}");
    // With --allow-unstable, warnings about the set-up come first; then the error.
    assert!(
        stderr.starts_with("error: ") || stderr.contains("\nerror: "),
        "{what}: {stderr}"
    );
    assert!(stderr.contains("ran away"), "{what}: {stderr}");
    assert!(stderr.contains("type `general`"), "{what}: {stderr}");
    for s in steps {
        assert!(stderr.contains(s), "{what}: no `{s}` in {stderr}");
    }
    assert!(stderr.contains("\n  help: "), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

/// No file, visible or hidden, in `dir` (which may not exist).
fn assert_nothing_in(dir: &Path) {
    if dir.exists() {
        let left = entries(dir);
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

/// A refused scenario: exit 2 before anything runs, nothing written, and `words` in the
/// message.
fn assert_refused(what: &str, (code, stdout, stderr): (i32, String, String), words: &[&str]) {
    assert_eq!(code, 2, "{what}: {stderr}");
    assert!(stdout.is_empty(), "{what} printed: {stdout}");
    for w in words {
        assert!(stderr.contains(w), "{what}: no `{w}` in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

/// The escalation ping-pong with 1 s conversations over 8 hours: not an endless instant, so
/// `validate` refuses it only as unstable, and `--allow-unstable` lets it run into the guard
/// (a ticket reaches 1,000 contacts within the first hours).
fn slow_ping_pong() -> String {
    ping_pong("")
        .replace(
            r#"handle_time = { dist = "constant", value = "0s" }"#,
            r#"handle_time = { dist = "constant", value = "1s" }"#,
        )
        .replace(r#"horizon = "1h""#, r#"horizon = "8h""#)
}

#[test]
fn zero_second_cycles_and_a_tiny_speed_are_refused_before_running_even_when_unstable_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "escalation",
            &ping_pong("")[..],
            "endless loop at one instant",
        ),
        (
            "callback",
            AGENT_CALLBACK_ZERO_LOOP,
            "endless loop at one instant",
        ),
        (
            "tiny-speed",
            ESCALATION_TINY_SPEED,
            "speed factor must be from 0.01",
        ),
    ];
    for (name, text, why) in cases {
        let scenario = file(tmp.path(), name, text);
        let out = tmp.path().join(format!("out-{name}"));
        for allow in [false, true] {
            let mut args = vec![
                "run",
                scenario.to_str().unwrap(),
                "--quiet",
                "--tickets",
                "--report",
                "--out",
                out.to_str().unwrap(),
            ];
            if allow {
                args.push("--allow-unstable");
            }
            assert_refused(name, rappel_in_time(&args), &[why, "help: "]);
            assert!(!out.exists(), "{name}: the output folder was created");
        }
    }
}

#[test]
fn an_unstable_cycle_allowed_to_run_is_stopped_with_exit_1_naming_the_cycle() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = file(tmp.path(), "ping-pong", &slow_ping_pong());
    let s = scenario.to_str().unwrap();
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    // Refused as unstable without the flag, with the loop and the way to run it anyway.
    assert_refused(
        "plain run",
        rappel_in_time(&["run", s, "--quiet", "--out", o]),
        &["unstable set-up", "a → b → a", "--allow-unstable"],
    );
    let steps = ["escalated to b", "escalated to a", "reached 1000 contacts"];
    let got = rappel_in_time(&["run", s, "--allow-unstable", "--quiet", "--out", o]);
    assert!(
        got.2.contains("warning: "),
        "the set-up is warned about: {}",
        got.2
    );
    assert_stopped("run", got, &steps);
    assert!(!out.exists(), "the output folder was created");
    // Streaming tickets and a report change nothing: no part file stays behind.
    let got = rappel_in_time(&[
        "run",
        s,
        "--allow-unstable",
        "--quiet",
        "--tickets",
        "--report",
        "--replications",
        "4",
        "--out",
        o,
    ]);
    assert_stopped("run --tickets", got, &steps);
    assert_nothing_in(&out);
}

#[test]
fn every_simulating_command_stops_a_runaway_or_refuses_the_set_up() {
    let tmp = tempfile::tempdir().unwrap();
    let looping = file(tmp.path(), "loop", &slow_ping_pong());
    let calm = file(
        tmp.path(),
        "calm",
        &slow_ping_pong().replace("difficulty = 1.0", "difficulty = 0.0"),
    );
    let (l, c) = (looping.to_str().unwrap(), calm.to_str().unwrap());
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    // The same scenario with an easy type runs: the guard stops only the cycle.
    let (code, _, stderr) = rappel_in_time(&["run", c, "--quiet", "--out", o]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::remove_dir_all(&out).unwrap();
    let allowed: [&[&str]; 4] = [
        &["run", l, "--precision", "0.05", "--quiet", "--out", o],
        &[
            "compare",
            c,
            l,
            "--replications",
            "2",
            "--quiet",
            "--out",
            o,
        ],
        &["trace", l, "--customers", "3"],
        &["trace", l, "--customers", "3", "--format", "csv"],
    ];
    for args in allowed {
        let mut args = args.to_vec();
        args.push("--allow-unstable");
        let what = args[..2].join(" ");
        let steps = ["escalated to b", "escalated to a"];
        assert_stopped(&what, rappel_in_time(&args), &steps);
        assert!(!out.exists(), "{what}: the output folder was created");
    }
    // A sweep and a staffing search take no --allow-unstable: they refuse the set-up.
    let refused: [&[&str]; 2] = [
        &[
            "sweep",
            l,
            "--set",
            "teams.a.agents=1,2",
            "--quiet",
            "--out",
            o,
        ],
        &[
            "staff",
            l,
            "--target",
            "service_level=0.8",
            "--team",
            "a",
            "--quiet",
            "--out",
            o,
        ],
    ];
    for args in refused {
        let what = args[..2].join(" ");
        assert_refused(&what, rappel_in_time(args), &["unstable set-up"]);
        assert!(!out.exists(), "{what}: the output folder was created");
    }
}

#[test]
fn customers_who_redial_for_ever_under_overload_are_refused_or_stopped_never_left_to_run() {
    // Thirty days of an ever-growing crowd redialling: quadratic without the guard.
    let tmp = tempfile::tempdir().unwrap();
    let scenario = file(tmp.path(), "redial", UNSTABLE_REDIAL_FOREVER);
    let s = scenario.to_str().unwrap();
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    assert_refused(
        "redial",
        rappel_in_time(&["run", s, "--quiet", "--out", o]),
        &["unstable set-up", "agent-hours", "--allow-unstable"],
    );
    let got = rappel_in_time(&["run", s, "--allow-unstable", "--quiet", "--out", o]);
    assert_stopped(
        "redial",
        got,
        &[
            "calls -> waits in line -> abandons -> will call again",
            "reached 1000 contacts",
        ],
    );
    assert!(!out.exists());
}

#[test]
fn calling_again_for_ever_is_refused_or_ends_normally_or_is_stopped_never_hangs() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = file(tmp.path(), "again", UNSTABLE_CALL_AGAIN);
    let s = scenario.to_str().unwrap();
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    assert_refused(
        "again",
        rappel_in_time(&["run", s, "--quiet", "--out", o]),
        &["unstable set-up", "can never leave", "--allow-unstable"],
    );
    let (code, stdout, stderr) =
        rappel_in_time(&["run", s, "--allow-unstable", "--quiet", "--out", o]);
    match code {
        0 => assert!(out.join("summary.csv").exists(), "{stderr}"),
        1 => assert_stopped("again", (code, stdout, stderr), &[]),
        _ => panic!("exit {code}: {stderr}"),
    }
}
