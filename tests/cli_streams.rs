//! A closed standard output or error: not a failure, and the exit code is kept.

use crate::common::{RUN_FILES, entries, root, sorted};
use crate::fixtures::blink;
use std::path::Path;
use std::process::Stdio;
use tempfile::TempDir;

/// Runs the binary with a standard output whose reading end is closed before it starts, so
/// that any write to it fails with a broken pipe, whatever the timing.
fn run_with_closed_stdout(args: &[&str], cwd: &Path) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_is_not_a_failure() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("out");
    let d = dir.to_str().unwrap();
    let erlang_a = root().join("scenarios/erlang-a.toml");
    let cases: [Vec<&str>; 4] = [
        vec!["run", "--replications", "2", "--out", d],
        vec!["run", "--replications", "2", "--out", d, "--format", "json"],
        vec!["validate", erlang_a.to_str().unwrap()],
        vec![
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "300s",
            "--agents",
            "100",
        ],
    ];
    for args in cases {
        let _ = std::fs::remove_dir_all(&dir);
        let out = run_with_closed_stdout(&args, tmp.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{err}");
        assert!(!err.contains("panicked"), "{args:?}:\n{err}");
        if args[0] == "run" {
            // The files were still written, whole.
            assert_eq!(entries(&dir), sorted(&RUN_FILES), "{args:?}");
            assert!(err.contains("wrote 8 files"), "{args:?}:\n{err}");
        }
    }
}

#[test]
fn a_stdout_closed_by_the_reader_mid_run_is_not_a_failure() {
    // Like `rappel run | head -0`: the reader goes away while the replications run.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(["run", "--replications", "2", "--out"])
        .arg(&dir)
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(entries(&dir), sorted(&RUN_FILES));
}

#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    // cli/mod.rs prints errors with eprintln!, which panics when standard error is a broken
    // pipe (`rappel validate bad.toml 2>&1 | head -0`), so the exit code is 101, not 2.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("bad.toml");
    std::fs::write(
        &file,
        blink().replace("rate_per_hour = 120", "rate_per_hour = -5"),
    )
    .unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .arg("validate")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}
