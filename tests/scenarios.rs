//! Every shipped scenario parses, validates and runs (on a short horizon), and the
//! built-in default is the shipped realistic day.

use crate::common::root;
use rappel::run::run_scenario;
use rappel::scenario::{DEFAULT_SCENARIO, Scenario};
use rappel::stats::Metric;

fn shipped() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_runs() {
    let files = shipped();
    assert!(files.len() >= 3, "scenarios/ holds the shipped examples");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment saying what it shows",
            path.display()
        );
        let mut s = Scenario::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
        // Short run: one day at most, two replications.
        s.simulation.horizon = s.simulation.horizon.min(86_400.0);
        s.simulation.warmup = s.simulation.warmup.min(s.simulation.horizon / 4.0);
        s.simulation.replications = 2;
        let r = run_scenario(&s, None, |_| {});
        let offered = r.estimate(Metric::OfferedContacts).mean;
        assert!(offered > 0.0, "{}: no call offered", path.display());
        let answered = r.estimate(Metric::AnsweredShare).mean;
        assert!(
            answered > 0.5,
            "{}: only {answered} answered",
            path.display()
        );
    }
}

#[test]
fn builtin_default_is_the_realistic_day() {
    let shipped = std::fs::read_to_string(root().join("scenarios/realistic-day.toml")).unwrap();
    assert_eq!(DEFAULT_SCENARIO, shipped);
    let s = Scenario::builtin_default();
    assert_eq!(s.day.intervals(), 48);
    assert_eq!(s.day.interval, 900.0);
}

#[test]
fn realistic_day_intervals_follow_the_profile() {
    // intervals.csv has one row per 15 minutes, adds up to the summary, and shows the profile.
    let mut s = Scenario::builtin_default();
    s.simulation.replications = 8;
    let r = run_scenario(&s, None, |_| {});
    let rows = r.intervals();
    assert_eq!(rows.len(), 48);
    let total: f64 = rows.iter().map(|i| i.offered).sum();
    let summary = r.estimate(Metric::OfferedContacts).mean;
    assert!((total - summary).abs() < 1e-6 * summary);
    let peak = rows.iter().map(|i| i.offered).fold(0.0, f64::max);
    let quiet = rows.iter().map(|i| i.offered).fold(f64::INFINITY, f64::min);
    assert!(
        peak > 4.0 * quiet,
        "profile followed: peak {peak}, quiet {quiet}"
    );
    for row in &rows {
        assert!(row.agents_staffed > 5.9, "staffed all day: {row:?}");
        assert!(row.occupancy > 0.0 && row.occupancy <= 1.0);
    }
}
