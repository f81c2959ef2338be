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

#[test]
fn erlang_honours_after_call_work_shrinkage_and_an_occupancy_cap() {
    let json = |args: &[&str]| -> Value {
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
    // 1200 calls an hour of 240 s talk + 60 s after-call work: 100 erlangs (AHT 300 s).
    // Erlang C by hand: the service level of c agents is 1 − C(c, A)·e^(−(c − A)·20 / 300).
    let sl = |c: u32| {
        1.0 - rappel::analytic::erlang_c(100.0, c) * (-(f64::from(c) - 100.0) * 20.0 / 300.0).exp()
    };
    let by_hand = (101..200).find(|&c| sl(c) >= 0.8).unwrap();
    let base = [
        "--rate-per-hour",
        "1200",
        "--handle-time",
        "240s",
        "--acw",
        "60s",
        "--target-service-level",
        "0.8",
    ];
    let plain = json(&base);
    assert_eq!(plain["agents"].as_u64(), Some(u64::from(by_hand)));
    assert_eq!(plain["handle_time_s"].as_f64(), Some(300.0));
    // The same as 300 s of talk and no after-call work.
    let talk = json(&[
        "--rate-per-hour",
        "1200",
        "--handle-time",
        "300s",
        "--target-service-level",
        "0.8",
    ]);
    assert_eq!(talk["agents"], plain["agents"]);
    // At that staffing occupancy is 100 / by_hand, above 85 %: the cap binds, and the
    // fewest agents with 100 / c ≤ 0.85 is 118 (117 gives 85.5 %).
    assert!(100.0 / f64::from(by_hand) > 0.85, "{by_hand}");
    let capped = json(
        &[
            &base[..],
            &["--max-occupancy", "0.85", "--shrinkage", "0.3"],
        ]
        .concat(),
    );
    assert_eq!(capped["agents"].as_u64(), Some(118));
    assert!(capped["occupancy"].as_f64().unwrap() <= 0.85);
    // 118 on the phone with 30 % shrinkage: ⌈118 / 0.7⌉ = ⌈168.57⌉ = 169 to schedule.
    assert_eq!(capped["scheduled_agents"].as_u64(), Some(169));
    // A cap that does not bind changes nothing; 7 on the phone at 30 % is exactly 10.
    let loose = json(&[&base[..], &["--max-occupancy", "0.99"]].concat());
    assert_eq!(loose["agents"], plain["agents"]);
    assert_eq!(rappel::analytic::scheduled_agents(7, 0.3), 10);
    assert_eq!(rappel::analytic::scheduled_agents(0, 0.5), 0);

    // Per interval: the agents line to paste, and the agents to schedule.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("volumes.csv");
    std::fs::write(&file, "interval_start,calls\n08:00,600\n08:30,0\n").unwrap();
    let out = rappel()
        .args(["erlang", "--volumes", file.to_str().unwrap()])
        .args([
            "--handle-time",
            "240s",
            "--acw",
            "60s",
            "--target-service-level",
            "0.8",
        ])
        .args(["--max-occupancy", "0.85", "--shrinkage", "0.3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("agents = [118, 0]"), "{text}");
    assert!(text.contains("[169, 0]"), "{text}");
    // Bad values exit 2 with a message.
    for (flag, v) in [
        ("--shrinkage", "1"),
        ("--shrinkage", "-0.1"),
        ("--max-occupancy", "0"),
    ] {
        let out = rappel()
            .args([
                "erlang",
                "--rate-per-hour",
                "100",
                "--handle-time",
                "5m",
                flag,
                v,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {v}");
    }
}
