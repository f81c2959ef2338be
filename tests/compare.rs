//! `rappel compare`: paired differences on common random numbers.

use crate::common::{rappel, read_csv, root};
use crate::fixtures::erlang_a_day;
use rappel::compare::{paired_difference, unpaired_difference};
use rappel::run::run_compared;
use rappel::scenario::Scenario;
use rappel::stats::Metric;
use tempfile::TempDir;

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let file = root().join("scenarios/provider-call-back-later.toml");
    rappel()
        .args(["compare", "--quiet", "--replications", "3", "--out"])
        .arg(&out)
        .arg(&file)
        .arg(&file)
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("compare.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let diffs: Vec<&Vec<String>> = rows.iter().filter(|r| !r[col("diff")].is_empty()).collect();
    assert!(diffs.len() >= 30, "{} rows with a difference", diffs.len());
    for r in diffs {
        // The same customers and the same decisions: every replication agrees exactly.
        assert_eq!(r[col("diff")], "0", "{r:?}");
        assert_eq!(r[col("significant")], "0", "{r:?}");
        assert_eq!(r[col("scenario")], "provider-call-back-later#2");
    }
    assert!(out.join("compare.json").exists());
}

#[test]
fn more_agents_shorten_waits_with_the_sign_the_model_implies() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::write(&a, erlang_a_day(45)).unwrap();
    std::fs::write(&b, erlang_a_day(48)).unwrap();
    let out = tmp.path().join("out");
    let assert = rappel()
        .args(["compare", "--quiet", "--out"])
        .arg(&out)
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("agents-48 − agents-45"), "{stdout}");
    let (header, rows) = read_csv(&out.join("compare.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let diff = |metric: &str| -> (f64, f64, f64, String) {
        let r = rows
            .iter()
            .find(|r| r[col("metric")] == metric && r[col("scenario")] == "agents-48")
            .unwrap();
        let f = |c: &str| r[col(c)].parse::<f64>().unwrap();
        (
            f("diff"),
            f("diff_ci95_low"),
            f("diff_ci95_high"),
            r[col("significant")].clone(),
        )
    };
    for (metric, sign) in [
        ("wait_mean_s", -1.0),
        ("abandon_rate", -1.0),
        ("service_level", 1.0),
        ("occupancy", -1.0),
    ] {
        let (d, lo, hi, significant) = diff(metric);
        assert!(d * sign > 0.0, "{metric}: {d}");
        assert!(lo * sign > 0.0 && hi * sign > 0.0, "{metric}: ({lo}, {hi})");
        assert_eq!(significant, "1", "{metric}");
    }
    // The same customers on both sides: new tickets agree exactly.
    let (d, _, _, _) = diff("tickets");
    assert_eq!(d, 0.0);
}

#[test]
fn the_paired_interval_is_narrower_than_the_unpaired_one() {
    let centre = |agents| Scenario::from_toml(&erlang_a_day(agents), "centre").unwrap();
    let runs = run_compared(&[centre(45), centre(47)], None, |_| {});
    let (a, b) = (&runs[0], &runs[1]);
    for m in [Metric::WaitMeanS, Metric::ServiceLevel, Metric::AbandonRate] {
        let paired = paired_difference(a, b, m);
        let unpaired = unpaired_difference(a, b, m);
        // Same point estimate, and common random numbers cut the half-width at least in half.
        assert!((paired.mean - unpaired.mean).abs() < 1e-9);
        assert!(
            paired.half_width() < 0.5 * unpaired.half_width(),
            "{}: paired ±{} vs unpaired ±{}",
            m.name(),
            paired.half_width(),
            unpaired.half_width()
        );
    }
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let good = tmp.path().join("good.toml");
    std::fs::write(&good, erlang_a_day(45)).unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, erlang_a_day(45).replace("agents = 45", "agents = -3")).unwrap();
    let out = tmp.path().join("out");
    // An invalid scenario: its file, line and key.
    let o = rappel()
        .args(["compare", "--quiet", "--out"])
        .arg(&out)
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.toml:15:") && err.contains("teams[0].agents"),
        "{err}"
    );
    assert!(!out.exists());
    // One scenario only, a missing file, one replication.
    for args in [
        vec![good.to_str().unwrap()],
        vec![good.to_str().unwrap(), "missing.toml"],
        vec![good.to_str().unwrap(), good.to_str().unwrap(), "-r", "1"],
    ] {
        let o = rappel()
            .args(["compare", "--quiet", "--out"])
            .arg(&out)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
        assert!(!out.exists(), "{args:?}");
    }
}
