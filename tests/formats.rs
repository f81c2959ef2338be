//! `--format json` on `compare`, `sweep` and `staff`: the same figures as their files, for
//! programs to read from standard output.

use crate::common::{rappel, read_csv, root};
use serde_json::Value;
use tempfile::TempDir;

/// Runs `rappel ARGS --format json --quiet --out DIR` and returns its standard output as JSON.
fn json_of(args: &[&str], out: &std::path::Path) -> Value {
    let o = rappel()
        .current_dir(root())
        .args(args)
        .args(["--format", "json", "--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("standard output is JSON")
}

/// A CSV number as `serde_json` gives it: empty is null. Both are written to round-trip;
/// serde_json's default reader may land one ulp away, hence the few epsilons.
fn same(csv: &str, json: &Value) -> bool {
    match (csv.parse::<f64>(), json.as_f64()) {
        (Ok(a), Some(b)) => (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
        (Err(_), None) => csv.is_empty() && json.is_null(),
        _ => false,
    }
}

#[test]
fn compare_json_holds_the_rows_of_compare_csv() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("cmp");
    let v = json_of(
        &[
            "compare",
            "scenarios/erlang-c.toml",
            "scenarios/erlang-a.toml",
            "--replications",
            "3",
        ],
        &out,
    );
    assert_eq!(v["baseline"], "erlang-c");
    assert_eq!(v["replications"], 3);
    let (header, rows) = read_csv(&out.join("compare.csv"));
    let metrics = v["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), rows.len());
    let col = |c: &str| header.iter().position(|h| h == c).unwrap();
    for (r, m) in rows.iter().zip(metrics) {
        assert_eq!(r[col("metric")], m["metric"].as_str().unwrap());
        assert_eq!(r[col("scenario")], m["scenario"].as_str().unwrap());
        for c in [
            "mean",
            "ci95_low",
            "ci95_high",
            "diff",
            "diff_ci95_low",
            "diff_ci95_high",
        ] {
            assert!(same(&r[col(c)], &m[c]), "{c}: {} vs {}", r[col(c)], m[c]);
        }
    }
}

#[test]
fn sweep_json_holds_every_point_of_sweep_csv() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("sw");
    let v = json_of(
        &[
            "sweep",
            "scenarios/erlang-a.toml",
            "--set",
            "teams.agents.agents+=0,5",
            "--replications",
            "2",
        ],
        &out,
    );
    assert_eq!(v["keys"][0]["change"], true);
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    let (_, rows) = read_csv(&out.join("sweep.csv"));
    for r in rows {
        let p = points
            .iter()
            .find(|p| format!("+{}", p["values"]["teams.agents.agents"]) == r[0])
            .unwrap_or_else(|| panic!("no point {}", r[0]));
        let m = p["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == r[1].as_str())
            .unwrap();
        assert!(
            same(&r[3], &m["mean"]),
            "{}: {} vs {}",
            r[1],
            r[3],
            m["mean"]
        );
    }
}

#[test]
fn staff_json_on_standard_output_is_staff_json() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("st");
    let v = json_of(
        &[
            "staff",
            "scenarios/realistic-day.toml",
            "--replications",
            "20",
        ],
        &out,
    );
    let file: Value =
        serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(v, file);
    assert!(v["targets"].is_array() || v["targets"].is_object());
}
