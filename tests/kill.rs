//! Kills during `run --tickets --report`: SIGKILL at seeded random points leaves the output
//! folder absent or holding one complete run (old or new, exactly the files its run.json
//! lists), and the next run leaves no debris; SIGINT and SIGTERM clean up and exit 130/143.
#![cfg(unix)]

use crate::common::{entries, root};
use rustix::process::{Pid, Signal, kill_process};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A run of `replications` with tickets and a report into `out` (20 take about a second).
fn start(out: &Path, seed: u64, replications: u32) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rappel"))
        .arg("run")
        .arg(root().join("scenarios/erlang-c.toml"))
        .args(["--quiet", "--tickets", "--report", "--replications"])
        .arg(replications.to_string())
        .args(["--threads", "2", "--seed"])
        .arg(seed.to_string())
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, sig: Signal) {
    let pid = Pid::from_child(child);
    let _ = kill_process(pid, sig);
}

/// The seed recorded in a folder's run.json, after checking that the folder is one complete
/// run: exactly the files run.json lists, each whole.
fn complete_run(dir: &Path) -> u64 {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    let mut listed: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(
        entries(dir),
        listed,
        "the folder holds exactly run.json's files"
    );
    let tickets = std::fs::read(dir.join("tickets.csv")).unwrap();
    assert!(tickets.len() > 1000 && tickets.ends_with(b"\n"));
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.trim_end().ends_with("</html>"));
    json["seed"].as_u64().unwrap()
}

/// A small deterministic generator of kill points (xorshift).
fn points(seed: u64, n: usize) -> Vec<Duration> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Duration::from_millis(x % 1300)
        })
        .collect()
}

#[test]
fn sigkill_at_random_points_leaves_one_complete_run_and_the_next_run_no_debris() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut previous = None;
    for (k, delay) in points(0x9e37_79b9, 6).into_iter().enumerate() {
        let seed = 100 + k as u64;
        let mut child = start(&out, seed, 20);
        std::thread::sleep(delay);
        signal(&child, Signal::KILL);
        let status = child.wait().unwrap();
        // Absent (only before the first complete run), the old run or the new one.
        if out.exists() {
            let found = complete_run(&out);
            assert!(
                found == seed || Some(found) == previous,
                "kill at {delay:?}: seed {found}, expected {seed} or {previous:?}"
            );
        } else {
            assert_eq!(previous, None, "kill at {delay:?} lost the earlier run");
        }
        // The next run, uninterrupted, leaves its own files and nothing else.
        let next = start(&out, 900 + k as u64, 2).wait().unwrap();
        assert!(next.success(), "{status:?} then {next:?}");
        assert_eq!(complete_run(&out), 900 + k as u64);
        assert_eq!(entries(tmp.path()), ["out"], "kill at {delay:?}");
        previous = Some(900 + k as u64);
    }
}

/// Waits until the run has created its hidden staging folder beside `out`.
fn wait_for_staging(parent: &Path) {
    for _ in 0..500 {
        if entries(parent)
            .iter()
            .any(|n| n.starts_with(".out.rappel-"))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no staging folder appeared");
}

#[test]
fn sigint_and_sigterm_remove_the_unfinished_run_and_exit_130_and_143() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(start(&out, 1, 2).wait().unwrap().success());
    let seed = complete_run(&out);
    for (sig, code) in [(Signal::INT, 130), (Signal::TERM, 143)] {
        let mut child = start(&out, 2, 20);
        wait_for_staging(tmp.path());
        std::thread::sleep(Duration::from_millis(150));
        signal(&child, sig);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{sig:?}");
        // Unless the run had finished by then, the folder is the earlier run; either way it
        // is one complete run and nothing is left beside it.
        let found = complete_run(&out);
        assert!(found == seed || found == 2);
        assert_eq!(entries(tmp.path()), ["out"], "{sig:?}");
    }
}
