//! The same scenario and seed give byte-identical files whatever the thread count, and
//! two scenarios sharing a seed see the same customers.

use crate::common::{kept, rappel, root};
use rappel::run::run_scenario;
use rappel::scenario::Scenario;
use rappel::stats::Metric;
use std::path::Path;

fn run_with_threads(out: &Path, threads: &str) {
    rappel()
        .args([
            "run",
            "scenarios/realistic-day.toml",
            "--replications",
            "6",
            "--quiet",
            "--tickets",
        ])
        .args(["--threads", threads, "--out"])
        .arg(out)
        .current_dir(root())
        .assert()
        .success();
}

/// run.json with its one run-dependent field (the wall time) removed.
fn run_json_without_wall_time(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("run.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let wall = v.as_object_mut().unwrap().remove("wall_time_s");
    assert!(wall.is_some(), "run.json has wall_time_s");
    v
}

#[test]
fn files_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("one"), tmp.path().join("two"));
    run_with_threads(&a, "1");
    run_with_threads(&b, "2");
    for f in [
        "summary.csv",
        "replications.csv",
        "wait_distribution.csv",
        "satisfaction_distribution.csv",
        "satisfaction_drivers.csv",
        "intervals.csv",
        "tickets.csv",
    ] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(!x.is_empty());
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    assert_eq!(
        run_json_without_wall_time(&a),
        run_json_without_wall_time(&b)
    );
}

fn scenario_with(agents: u32, seed: u64) -> Scenario {
    let src = format!(
        r#"
name = "crn"
[simulation]
horizon = "8h"
replications = 3
seed = {seed}
[arrivals]
rate_per_hour = 600
[[ticket_types]]
name = "a"
share = 0.7
handle_time = {{ dist = "lognormal", mean = "4m", cv = 1.2 }}
patience = {{ dist = "exponential", mean = "3m" }}
[[ticket_types]]
name = "b"
share = 0.3
handle_time = {{ dist = "exponential", mean = "6m" }}
[[teams]]
name = "t"
agents = {agents}
serves = ["a", "b"]
"#
    );
    Scenario::from_toml(&src, "crn.toml").unwrap()
}

#[test]
fn same_seed_same_customers_across_scenarios() {
    // Different staffing changes waits, never the arrivals (no redials here).
    let few = run_scenario(&scenario_with(40, 5), None, |_| {});
    let many = run_scenario(&scenario_with(60, 5), None, |_| {});
    let other_seed = run_scenario(&scenario_with(40, 6), None, |_| {});
    let (few, many, other_seed) = (kept(&few), kept(&many), kept(&other_seed));
    for i in 0..3 {
        let offered = |r: &[rappel::stats::ReplicationResult]| r[i].get(Metric::OfferedContacts);
        assert_eq!(offered(&few), offered(&many));
        assert_ne!(offered(&few), offered(&other_seed));
        assert!(few[i].get(Metric::WaitMeanS) > many[i].get(Metric::WaitMeanS));
    }
}
