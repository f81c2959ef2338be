//! `rappel run --precision`: replications are added until every metric is precise enough,
//! a precision out of reach stops at the cap, and bad precision flags exit 2.

use crate::common::{rappel, read_csv};
use crate::fixtures::blink;
use tempfile::TempDir;

/// Runs `rappel run` on `fixtures::blink` with extra arguments into `out`; returns run.json.
fn run_small(dir: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let file = dir.join("small.toml");
    std::fs::write(&file, blink()).unwrap();
    rappel()
        .arg("run")
        .arg(&file)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

#[test]
fn precision_adds_replications_until_every_metric_is_precise_enough() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("precise");
    let info = run_small(
        tmp.path(),
        &out,
        &[
            "--precision",
            "0.03",
            "--precision-metrics",
            "wait_mean_s,abandon_rate",
        ],
    );
    let p = &info["precision"];
    assert_eq!(p["met"], true, "{info}");
    assert_eq!(
        p["hardest_metric"].as_str().map(|m| !m.is_empty()),
        Some(true)
    );
    for m in ["wait_mean_s", "abandon_rate"] {
        let w = p["achieved"][m].as_f64().unwrap();
        assert!(w <= 0.03, "{m}: {w}");
    }
    let n = info["replications"].as_u64().unwrap();
    // The blink centre alone has 5 replications, far from ± 3 %.
    assert!(n > 5, "{n} replications");
    // The relative half-widths in summary.csv agree with what run.json says.
    let (header, rows) = read_csv(&out.join("summary.csv"));
    let col = |c: &str| header.iter().position(|h| h == c).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("metric")] == "wait_mean_s")
        .unwrap();
    let f = |c: &str| row[col(c)].parse::<f64>().unwrap();
    let w = (f("ci95_high") - f("ci95_low")) / 2.0 / f("mean");
    assert!((w - p["achieved"]["wait_mean_s"].as_f64().unwrap()).abs() < 1e-9);
    // Batches change nothing: the same as a plain run with as many replications.
    let plain = tmp.path().join("plain");
    run_small(tmp.path(), &plain, &["--replications", &n.to_string()]);
    for f in ["summary.csv", "replications.csv", "intervals.csv"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(plain.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn precision_out_of_reach_stops_at_the_cap_and_says_so() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("small.toml");
    std::fs::write(&file, blink()).unwrap();
    let out = tmp.path().join("capped");
    let o = rappel()
        .arg("run")
        .arg(&file)
        .args([
            "--quiet",
            "--precision",
            "0.0001",
            "--max-replications",
            "7",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("NOT met within 7 replications"), "{err}");
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(info["precision"]["met"], false);
    assert_eq!(info["replications"], 7);
}

#[test]
fn bad_precision_flags_exit_2_and_write_nothing() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("small.toml");
    std::fs::write(&file, blink()).unwrap();
    let out = tmp.path().join("out");
    for args in [
        vec!["--precision", "0"],
        vec!["--precision", "1"],
        vec!["--precision", "abc"],
        vec!["--precision", "0.1", "--precision-metrics", "wait_mean"],
        vec!["--precision", "0.1", "--max-replications", "2"],
        vec!["--precision", "0.1", "--tickets"],
    ] {
        let o = rappel()
            .arg("run")
            .arg(&file)
            .args(["--quiet", "--out"])
            .arg(&out)
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("precision") || err.contains("replications"),
            "{err}"
        );
        assert!(!out.exists(), "{args:?}");
    }
}
