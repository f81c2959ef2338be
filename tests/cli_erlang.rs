//! `rappel erlang`: the figures it prints are the library's, unstable queues are refused,
//! it answers quickly, finds the fewest agents for a target, and refuses bad targets.

use crate::common::rappel;
use rappel::analytic::{QueueInput, erlang_b, figures};
use serde_json::Value;
use tempfile::TempDir;

/// Two floats equal, or within 1e-12 relative (a JSON round trip may move the last bit).
fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

#[test]
fn erlang_json_agrees_with_the_library() {
    let out = rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "300s",
            "--agents",
            "100",
            "--patience",
            "120s",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let input = QueueInput {
        arrival_rate: 1140.0 / 3600.0,
        mean_handle: 300.0,
        agents: 100,
        mean_patience: Some(120.0),
        queue_capacity: None,
        threshold: 20.0,
    };
    let f = figures(&input).unwrap();
    assert_eq!(j["model"], "Erlang A (M/M/c+M)");
    assert_eq!(j["agents"], 100);
    let load = input.arrival_rate * input.mean_handle;
    let want = [
        ("offered_load_erlangs", load),
        ("erlang_b_blocking", erlang_b(load, 100)),
        ("p_block", f.p_block),
        ("p_wait", f.p_wait),
        ("abandon_rate", f.p_abandon),
        ("asa_s", f.asa_s),
        ("wait_mean_s", f.wait_mean_s),
        ("service_level", f.service_level),
        ("threshold_s", 20.0),
        ("occupancy", f.occupancy),
        ("queue_length_mean", f.queue_length_mean),
        ("answered_share", f.answered_share),
    ];
    for (k, v) in want {
        let got = j[k]
            .as_f64()
            .unwrap_or_else(|| panic!("`{k}` missing: {j}"));
        assert!(same(got, v), "{k}: cli {got}, library {v}");
    }
    assert!((j["offered_load_erlangs"].as_f64().unwrap() - 95.0).abs() < 1e-9);
    // The table shows the same model.
    rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "5m",
            "--agents",
            "100",
            "--patience",
            "2m",
        ])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Erlang A (M/M/c+M)"))
        .stdout(predicates::str::contains("95.00 erlangs on 100 agents"));
}

#[test]
fn erlang_c_above_capacity_is_refused() {
    let out = rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1200",
            "--handle-time",
            "300s",
            "--agents",
            "100",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("offered load of 100.000 erlangs"), "{err}");
    assert!(err.contains("100 agents"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(out.stdout.is_empty());
    // One agent more and it is a stable Erlang C queue.
    let out = rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1200",
            "--handle-time",
            "300s",
            "--agents",
            "101",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["model"], "Erlang C (M/M/c)");
    assert_eq!(j["abandon_rate"], 0.0);
}

#[test]
fn erlang_answers_quickly_for_short_patience() {
    // chain.rs answered_within does O(Lambda * threshold) steps: with theta = 1000/s and a
    // one-day threshold that is ~1e8 steps per queue position.
    let out = rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "300s",
            "--agents",
            "100",
            "--patience",
            "1ms",
            "--threshold",
            "1d",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "timed out or failed");
}

#[test]
fn erlang_finds_the_fewest_agents_for_targets_and_works_per_interval() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = rappel()
            .arg("erlang")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let common = [
        "--rate-per-hour",
        "1140",
        "--handle-time",
        "300s",
        "--patience",
        "120s",
    ];
    let found = json(&[&common[..], &["--target-service-level", "0.8"]].concat());
    let c = found["agents"].as_u64().unwrap();
    assert!(found["service_level"].as_f64().unwrap() >= 0.8);
    // One agent fewer misses the target: the staffing is the fewest.
    let fewer = (c - 1).to_string();
    let below = json(&[&common[..], &["--agents", &fewer]].concat());
    assert!(below["service_level"].as_f64().unwrap() < 0.8);

    // Per interval from a CSV of volumes: staffing found where no agents are given, figures
    // of the given staffing elsewhere.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("volumes.csv");
    std::fs::write(
        &file,
        "interval_start,calls,agents\n08:00,570,\n08:30,570,90\n",
    )
    .unwrap();
    let rows = json(&[
        "--volumes",
        file.to_str().unwrap(),
        "--interval",
        "30m",
        "--handle-time",
        "300s",
        "--patience",
        "120s",
        "--target-service-level",
        "0.8",
    ]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // 570 calls in 30 minutes is 1140 an hour: the same staffing as above.
    assert_eq!(rows[0]["agents"].as_u64(), Some(c));
    assert_eq!(rows[0]["interval_start"], "08:00");
    assert_eq!(rows[1]["agents"].as_u64(), Some(90));
    assert!(rows[1]["service_level"].as_f64().unwrap() < 0.8);
}

#[test]
fn erlang_bad_targets_and_volumes_exit_2() {
    let tmp = TempDir::new().unwrap();
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "interval_start,calls\n08:00,-4\n").unwrap();
    let no_calls = tmp.path().join("header.csv");
    std::fs::write(&no_calls, "start,volume\n08:00,4\n").unwrap();
    let base = ["erlang", "--handle-time", "5m"];
    for (args, needle) in [
        (vec!["--rate-per-hour", "100"], "give --agents, or a target"),
        (
            vec!["--rate-per-hour", "100", "--target-service-level", "1.5"],
            "not a share",
        ),
        (
            vec![
                "--rate-per-hour",
                "100",
                "--agents",
                "5",
                "--target-asa",
                "20s",
            ],
            "cannot be combined",
        ),
        (
            vec!["--volumes", bad.to_str().unwrap(), "--agents", "5"],
            "bad.csv:2",
        ),
        (
            vec!["--volumes", no_calls.to_str().unwrap(), "--agents", "5"],
            "header.csv:1",
        ),
        (
            vec!["--volumes", "missing.csv", "--agents", "5"],
            "missing.csv",
        ),
    ] {
        let out = rappel().args(base).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn erlang_refuses_a_patience_of_zero_instead_of_reading_it_as_none() {
    // A patience of 0 s used to be taken silently as "callers never give up": the opposite.
    for zero in ["0s", "0"] {
        let out = rappel()
            .args([
                "erlang",
                "--rate-per-hour",
                "100",
                "--handle-time",
                "5m",
                "--agents",
                "10",
                "--patience",
                zero,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--patience {zero}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--patience")
                && err.contains("above 0")
                && err.contains("--queue-capacity 0"),
            "{err}"
        );
    }
}
