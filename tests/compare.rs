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
    assert!(
        stdout.contains("A = agents-45 (baseline)\nB = agents-48\n"),
        "{stdout}"
    );
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

/// `rappel compare a b` in `dir` (scenarios written from the texts), with 6 replications:
/// stdout, stderr, and compare.csv's header and rows.
fn compare_two(
    dir: &std::path::Path,
    a: &str,
    b: &str,
) -> (String, String, Vec<String>, Vec<Vec<String>>) {
    let (fa, fb) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&fa, a).unwrap();
    std::fs::write(&fb, b).unwrap();
    let out = dir.join("out");
    let o = rappel()
        .args([
            "compare",
            "--quiet",
            "--replications",
            "6",
            "--report",
            "--out",
        ])
        .arg(&out)
        .arg(&fa)
        .arg(&fb)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    );
    assert!(o.status.success(), "{stderr}");
    let (header, rows) = read_csv(&out.join("compare.csv"));
    (stdout, stderr, header, rows)
}

/// The values of `metric` in each replication of `rappel run` of `text` with seed 5 and 6
/// replications: what compare runs for that scenario.
fn per_replication(dir: &std::path::Path, text: &str, metric: &str) -> Vec<f64> {
    let file = dir.join("one.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("one");
    rappel()
        .args([
            "run",
            "--quiet",
            "--replications",
            "6",
            "--seed",
            "5",
            "--out",
        ])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("replications.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| r[col("metric")] == metric)
        .map(|r| r[col("value")].parse().unwrap())
        .collect();
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(values.len(), 6, "{metric}");
    values
}

/// Welch's 95 % half-width of mean(b) − mean(a), computed by hand.
fn welch_half_width(a: &[f64], b: &[f64]) -> f64 {
    let moments = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (n, var / n)
    };
    let ((na, va), (nb, vb)) = (moments(a), moments(b));
    let df = (va + vb).powi(2) / (va.powi(2) / (na - 1.0) + vb.powi(2) / (nb - 1.0));
    rappel::stats::t_quantile_975(df.floor() as usize) * (va + vb).sqrt()
}

#[test]
fn scenarios_that_differ_only_in_staffing_are_paired() {
    let tmp = TempDir::new().unwrap();
    let (stdout, stderr, header, rows) =
        compare_two(tmp.path(), &erlang_a_day(45), &erlang_a_day(47));
    assert!(
        stdout.starts_with("2 scenarios on the same customers: 6 replications, seed 5\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("unpaired"), "{stdout}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in &rows {
        let expected = if r[col("scenario")] == "agents-47" {
            "1"
        } else {
            ""
        };
        assert_eq!(r[col("paired")], expected, "{r:?}");
    }
    let json = std::fs::read_to_string(tmp.path().join("out/compare.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["unpaired"], serde_json::json!([]));
    assert_eq!(json["warnings"], serde_json::json!([]));
    let html = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap();
    assert!(!html.contains("class=\"warning\""));
    assert!(html.contains("saw the same customers"));
}

#[test]
fn scenarios_on_different_customers_are_compared_unpaired_and_said_so() {
    let base = erlang_a_day(45);
    let busier = base.replace("rate_per_hour = 540", "rate_per_hour = 600");
    let longer = base.replace("horizon = \"1d\"", "horizon = \"2d\"");
    assert!(busier != base && longer != base);
    for (other, reason) in [
        (&busier, "arrivals differ (rates_per_hour)"),
        (&longer, "horizon differs: 1 day vs 2 days"),
    ] {
        let tmp = TempDir::new().unwrap();
        let (stdout, stderr, header, rows) = compare_two(tmp.path(), &base, other);
        let heading = stdout.lines().next().unwrap();
        assert!(!heading.contains("same customers:"), "{heading}");
        assert!(
            heading.starts_with(&format!(
                "2 scenarios, NOT on the same customers ({reason}): differences are unpaired;"
            )),
            "{heading}"
        );
        assert!(stdout.contains("(unpaired)"), "{stdout}");
        let warning = stderr
            .lines()
            .find(|l| l.starts_with("warning: "))
            .unwrap_or_else(|| panic!("no warning in {stderr}"));
        assert!(
            warning.contains(reason) && warning.contains("to pair them"),
            "{warning}"
        );

        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let other_rows: Vec<_> = rows
            .iter()
            .filter(|r| r[col("scenario")] == "agents-45#2")
            .collect();
        assert!(other_rows.len() >= 30);
        assert!(other_rows.iter().all(|r| r[col("paired")] == "0"));
        // The interval is Welch's, from each scenario's own replications.
        for metric in ["wait_mean_s", "abandon_rate", "service_level"] {
            let r = other_rows
                .iter()
                .find(|r| r[col("metric")] == metric)
                .unwrap();
            let f = |c: &str| r[col(c)].parse::<f64>().unwrap();
            let a = per_replication(tmp.path(), &base, metric);
            let b = per_replication(tmp.path(), other, metric);
            let diff = b.iter().sum::<f64>() / 6.0 - a.iter().sum::<f64>() / 6.0;
            let h = welch_half_width(&a, &b);
            assert!(
                (f("diff") - diff).abs() < 1e-9,
                "{metric}: {} vs {diff}",
                f("diff")
            );
            assert!(
                (f("diff_ci95_high") - f("diff") - h).abs() < 1e-9
                    && (f("diff") - f("diff_ci95_low") - h).abs() < 1e-9,
                "{metric}: ({}, {}) vs ±{h}",
                f("diff_ci95_low"),
                f("diff_ci95_high")
            );
        }

        let json = std::fs::read_to_string(tmp.path().join("out/compare.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["unpaired"][0]["scenario"], "agents-45#2");
        assert_eq!(json["unpaired"][0]["reasons"], serde_json::json!([reason]));
        assert!(
            json["warnings"][0].as_str().unwrap().contains(reason),
            "{json}"
        );
        let html = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap();
        assert!(
            html.contains("class=\"warning\""),
            "no warning in the report"
        );
        assert!(html.contains(reason) && html.contains("(unpaired)</th>"));
        assert!(!html.contains("saw the same customers"));
    }
}

#[test]
fn different_service_level_thresholds_keep_the_pairing_but_are_warned_about() {
    let tmp = TempDir::new().unwrap();
    let base = erlang_a_day(45);
    let other = base.replace("seed = 5", "seed = 5\nservice_level_threshold = \"40s\"");
    assert!(other != base);
    let (stdout, stderr, header, rows) = compare_two(tmp.path(), &base, &other);
    assert!(
        stdout.starts_with("2 scenarios on the same customers:"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "warning: the service-level thresholds differ (agents-45 20 s, agents-45#2 40 s)"
        ),
        "{stderr}"
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert!(
        rows.iter()
            .filter(|r| r[col("scenario")] == "agents-45#2")
            .all(|r| r[col("paired")] == "1")
    );
}

#[test]
fn word_of_mouth_over_days_keeps_the_pairing_but_is_warned_about() {
    let tmp = TempDir::new().unwrap();
    let day = erlang_a_day(45).replace("horizon = \"1d\"", "horizon = \"2d\"")
        + "[satisfaction]\nword_of_mouth = true\nword_of_mouth_delay = \"1d\"\n";
    let more = day.replace("agents = 45", "agents = 47");
    let (stdout, stderr, _, _) = compare_two(tmp.path(), &day, &more);
    assert!(
        stdout.starts_with("2 scenarios on the same customers:"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "warning: word of mouth is on: the scenarios see the same customers on day 1 only"
        ),
        "{stderr}"
    );
    // Over one day, word of mouth changes no arrival: nothing to warn about.
    let tmp = TempDir::new().unwrap();
    let one = |s: &str| s.replace("horizon = \"2d\"", "horizon = \"1d\"");
    let (_, stderr, _, _) = compare_two(tmp.path(), &one(&day), &one(&more));
    assert!(!stderr.contains("warning"), "{stderr}");
    // With the default delay of a week, two days see the same customers throughout.
    let tmp = TempDir::new().unwrap();
    let week = |s: &str| s.replace("word_of_mouth_delay = \"1d\"\n", "");
    let (_, stderr, _, _) = compare_two(tmp.path(), &week(&day), &week(&more));
    assert!(!stderr.contains("warning"), "{stderr}");
    // Over three days with a delay of two, the warning names the days.
    let tmp = TempDir::new().unwrap();
    let three = |s: &str| {
        s.replace("horizon = \"2d\"", "horizon = \"3d\"").replace(
            "word_of_mouth_delay = \"1d\"",
            "word_of_mouth_delay = \"2d\"",
        )
    };
    let (_, stderr, _, _) = compare_two(tmp.path(), &three(&day), &three(&more));
    assert!(
        stderr.contains("the same customers on days 1 to 2; from day 3"),
        "{stderr}"
    );
}
