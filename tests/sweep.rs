//! `rappel sweep`: every grid point is the run of a hand-edited file, the grid and the
//! columns of sweep.csv, keys the file leaves out, and bad keys, values and ranges.

use crate::common::{rappel, read_csv};
use crate::fixtures::{Centre, exponential, small_centre};
use rappel::stats::Metric;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A small centre named `name` that runs in a blink: 6 hours at 120 calls an hour on 8
/// agents, 3 replications.
fn small(name: &str) -> Centre {
    small_centre(name, 8, 120, &exponential("4m"), Some(&exponential("3m")))
        .simulation("horizon = \"6h\"\nreplications = 3\nseed = 11")
}

/// The small centre with "call back later" at 2 waiting callers.
fn call_back_later() -> String {
    small("small-cbl")
        .team("cost_per_hour = 30")
        .entry("flow = \"call_back_later\"\nmax_queue = 2")
        .toml()
}

/// The same centre with no `[entry]` table at all: callers queue.
fn queue() -> String {
    small("small-queue").toml()
}

/// The columns that follow the swept keys in sweep.csv, as in summary.csv.
const METRIC_COLUMNS: [&str; 6] = [
    "metric",
    "unit",
    "mean",
    "ci95_low",
    "ci95_high",
    "replications",
];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs the binary and asserts success.
fn ok(cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// sweep.csv as (swept values) -> rows of the metric columns, checking the header.
fn sweep_points(dir: &Path, keys: &[&str]) -> Vec<(Vec<String>, Vec<Vec<String>>)> {
    let (header, rows) = read_csv(&dir.join("sweep.csv"));
    let expected: Vec<String> = keys
        .iter()
        .chain(METRIC_COLUMNS.iter())
        .map(|s| s.to_string())
        .collect();
    assert_eq!(header, expected);
    let k = keys.len();
    let mut points: Vec<(Vec<String>, Vec<Vec<String>>)> = Vec::new();
    for r in rows {
        assert_eq!(r.len(), k + METRIC_COLUMNS.len());
        let (values, rest) = r.split_at(k);
        match points.last_mut() {
            Some((v, rows)) if v == values => rows.push(rest.to_vec()),
            _ => points.push((values.to_vec(), vec![rest.to_vec()])),
        }
    }
    points
}

/// summary.csv of a run as rows of the metric columns.
fn summary_rows(dir: &Path) -> Vec<Vec<String>> {
    let (header, rows) = read_csv(&dir.join("summary.csv"));
    let cols: Vec<usize> = METRIC_COLUMNS
        .iter()
        .map(|c| header.iter().position(|h| h == c).expect("column"))
        .collect();
    rows.iter()
        .map(|r| cols.iter().map(|&i| r[i].clone()).collect())
        .collect()
}

fn mean_of(rows: &[Vec<String>], metric: &str) -> f64 {
    let r = rows.iter().find(|r| r[0] == metric).expect("metric row");
    r[2].parse().expect("a number")
}

/// Runs `rappel run` on `text` with the given seed and replications and returns its summary rows.
fn run_rows(tmp: &Path, name: &str, text: &str, seed: &str, reps: &str) -> Vec<Vec<String>> {
    let file = write(tmp, &format!("{name}.toml"), text);
    let out = tmp.join(format!("run-{name}"));
    ok(rappel()
        .args([
            "run",
            "--quiet",
            "--seed",
            seed,
            "--replications",
            reps,
            "--out",
        ])
        .arg(&out)
        .arg(&file));
    summary_rows(&out)
}

#[test]
fn every_point_is_the_run_of_the_hand_edited_file() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "cbl.toml", &call_back_later());
    let out = tmp.path().join("sweep");
    ok(rappel()
        .args(["sweep", "--quiet", "--seed", "5", "--replications", "3"])
        .args(["--set", "entry.max_queue=0,3"])
        .args(["--set", "teams.agents.agents=7..8"])
        .arg("--out")
        .arg(&out)
        .arg(&file));
    let points = sweep_points(&out, &["entry.max_queue", "teams.agents.agents"]);
    assert_eq!(points.len(), 4);
    for (values, rows) in &points {
        let (q, n) = (&values[0], &values[1]);
        let edited = call_back_later()
            .replace("max_queue = 2", &format!("max_queue = {q}"))
            .replace("agents = 8", &format!("agents = {n}"));
        assert_ne!(edited, call_back_later());
        let expected = run_rows(tmp.path(), &format!("q{q}-n{n}"), &edited, "5", "3");
        assert_eq!(rows, &expected, "point max_queue={q}, agents={n}");
    }
    // The values took effect: no queue turns more callers away, more agents fewer.
    let rejected: BTreeMap<(String, String), f64> = points
        .iter()
        .map(|(v, rows)| ((v[0].clone(), v[1].clone()), mean_of(rows, "rejected_rate")))
        .collect();
    let r = |q: &str, n: &str| rejected[&(q.to_string(), n.to_string())];
    assert!(r("0", "7") > r("3", "7"), "{rejected:?}");
    assert!(r("0", "7") > r("0", "8"), "{rejected:?}");
}

#[test]
fn the_grid_has_a_row_per_point_and_metric_first_key_slowest() {
    let tmp = TempDir::new().unwrap();
    write(tmp.path(), "cbl.toml", &call_back_later());
    // No --out: the default folder is out/<name>-sweep under the working folder.
    let out = ok(rappel()
        .current_dir(tmp.path())
        .args(["sweep", "cbl.toml", "--replications", "2"])
        .args(["--set", "ticket_types.general.patience.mean=2m,3m"])
        .args(["--set", "teams.0.agents=6..10:2"]));
    let dir = tmp.path().join("out").join("small-cbl-sweep");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["sweep.csv", "sweep.json"]);

    // A duration swept as text also gets its seconds, a column that sorts.
    let columns = [
        "ticket_types.general.patience.mean",
        "ticket_types.general.patience.mean_s",
        "teams.0.agents",
    ];
    let keys = [columns[0], columns[2]];
    let points = sweep_points(&dir, &columns);
    let grid: Vec<Vec<String>> = points.iter().map(|(v, _)| v.clone()).collect();
    let want: Vec<Vec<String>> = [
        ["2m", "120", "6"],
        ["2m", "120", "8"],
        ["2m", "120", "10"],
        ["3m", "180", "6"],
        ["3m", "180", "8"],
        ["3m", "180", "10"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(grid, want);
    let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
    for (v, rows) in &points {
        let metrics: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(metrics, names, "point {v:?}");
        assert!(rows.iter().all(|r| r[5] == "2"), "point {v:?}");
    }
    // Patience matters: more patient callers abandon less.
    assert!(mean_of(&points[0].1, "abandon_rate") > mean_of(&points[3].1, "abandon_rate"));

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "small-cbl");
    assert_eq!(json["scenario_path"], "cbl.toml");
    assert_eq!(json["seed"], 11);
    assert_eq!(json["replications"], 2);
    assert_eq!(json["points"], 6);
    assert_eq!(json["keys"][0]["key"], keys[0]);
    assert_eq!(json["keys"][0]["values"], serde_json::json!(["2m", "3m"]));
    assert_eq!(json["keys"][1]["key"], keys[1]);
    assert_eq!(json["keys"][1]["values"], serde_json::json!([6, 8, 10]));
    assert!(json["schema_version"].is_u64() && json["wall_time_s"].is_f64());

    // The terminal table: one row per point, with the swept values.
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("6 points"), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.contains("2m")).count(),
        3,
        "{table}"
    );
}

#[test]
fn a_key_the_file_leaves_out_is_added() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "queue.toml", &queue());
    let out = tmp.path().join("sweep");
    // The file has no [entry] table: both the table and its keys are added.
    ok(rappel()
        .args(["sweep", "--quiet"])
        .args(["--set", "entry.flow=call_back_later"])
        .args(["--set", "entry.max_queue=0,2"])
        .arg("--out")
        .arg(&out)
        .arg(&file));
    let points = sweep_points(&out, &["entry.flow", "entry.max_queue"]);
    assert_eq!(points.len(), 2);
    for (values, rows) in &points {
        let edited = format!(
            "{}\n[entry]\nflow = \"call_back_later\"\nmax_queue = {}\n",
            queue(),
            values[1]
        );
        let expected = run_rows(tmp.path(), &format!("q{}", values[1]), &edited, "11", "3");
        assert_eq!(rows, &expected, "point {values:?}");
        assert!(mean_of(rows, "rejected_rate") > 0.0, "point {values:?}");
    }
}

#[test]
fn bad_keys_values_and_ranges_exit_2_and_write_nothing() {
    let cases: [(&str, &[&str]); 9] = [
        (
            "entry.max_queu=3",
            &["`entry.max_queu`", "did you mean `max_queue`?"],
        ),
        (
            "teams.agent.agents=3",
            &[
                "`teams.agent.agents`",
                "no team named `agent`",
                "the teams are: agents",
            ],
        ),
        ("teams.1.agents=3", &["`teams.1.agents`", "out of range"]),
        (
            "teams.agents.agents=3,-1",
            &["teams.agents.agents=-1", "teams[0].agents", "-1 agents"],
        ),
        (
            "teams.agents.agents=40..",
            &["`teams.agents.agents=40..`", "no end"],
        ),
        (
            "teams.agents.agents=a..b",
            &["`teams.agents.agents=a..b`", "not a number"],
        ),
        (
            "teams.agents.agents=",
            &["`teams.agents.agents=`", "no values"],
        ),
        (
            "teams.agents.agents=1,,2",
            &["`teams.agents.agents=1,,2`", "empty"],
        ),
        (
            "teams.agents.agents.x=1",
            &["`teams.agents.agents.x`", "not a table"],
        ),
    ];
    for (set, expected) in cases {
        let tmp = TempDir::new().unwrap();
        write(tmp.path(), "cbl.toml", &call_back_later());
        let out = rappel()
            .current_dir(tmp.path())
            .args(["sweep", "cbl.toml", "--set", set])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--set {set}: {err}");
        for e in expected {
            assert!(err.contains(e), "--set {set}: `{e}` not in:\n{err}");
        }
        assert!(!err.contains("panicked"), "--set {set}: {err}");
        assert!(out.stdout.is_empty(), "--set {set}");
        let entries: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(entries, ["cbl.toml"], "--set {set} wrote something");
    }
}

#[test]
fn a_change_adds_to_the_files_value_in_every_interval() {
    // A staffing list: `+=1` is the hand-edited file with one more agent in every interval.
    let text = small("small-list")
        .toml()
        .replace("agents = 8", "agents = [6, 7, 8, 9, 8, 7]")
        .replace(
            "horizon = \"6h\"",
            "horizon = \"6h\"\ninterval = \"1h\"\nopen = \"00:00\"\nclose = \"06:00\"",
        );
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "list.toml", &text);
    let out = tmp.path().join("sweep");
    ok(rappel()
        .args(["sweep", "--quiet", "--seed", "5", "--replications", "3"])
        .args(["--set", "teams.agents.agents+=-1,1"])
        .arg("--out")
        .arg(&out)
        .arg(&file));
    let points = sweep_points(&out, &["teams.agents.agents"]);
    let labels: Vec<&str> = points.iter().map(|(v, _)| v[0].as_str()).collect();
    assert_eq!(labels, ["-1", "+1"]);
    for ((_, rows), list) in points
        .iter()
        .zip(["[5, 6, 7, 8, 7, 6]", "[7, 8, 9, 10, 9, 8]"])
    {
        let edited = text.replace("[6, 7, 8, 9, 8, 7]", list);
        assert_eq!(
            rows,
            &run_rows(tmp.path(), "edited", &edited, "5", "3"),
            "{list}"
        );
    }
    // `+=` on a key the file does not have, or on a string, is refused.
    for (set, message) in [
        ("entry.max_queue+=1", "it has no `entry.max_queue`"),
        ("teams.agents.name+=1", "adds a number"),
        ("teams.agents.agents+=abc", "is not a number"),
    ] {
        let out = rappel()
            .args(["sweep", "--quiet", "--set", set, "--out"])
            .arg(tmp.path().join("bad"))
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{set}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{set}: {stderr}");
        assert!(!tmp.path().join("bad").exists());
    }
}

#[test]
fn a_list_is_one_value_and_durations_get_a_numeric_column() {
    let text = small("small-days").toml().replace(
        "horizon = \"6h\"",
        "days = 2\ninterval = \"1h\"\nopen = \"08:00\"\nclose = \"12:00\"",
    );
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "days.toml", &text);
    let out = tmp.path().join("sweep");
    ok(rappel()
        .args(["sweep", "--quiet", "--seed", "5", "--replications", "3"])
        .args(["--set", "arrivals.day_scale=[1.0,1.5],[1.5,1.0]"])
        .args(["--set", "ticket_types.0.patience.mean=90s,2m"])
        .arg("--out")
        .arg(&out)
        .arg(&file));
    let (header, rows) = read_csv(&out.join("sweep.csv"));
    assert_eq!(
        header[..3],
        [
            "arrivals.day_scale",
            "ticket_types.0.patience.mean",
            "ticket_types.0.patience.mean_s"
        ]
    );
    let firsts: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r[3] == "offered_contacts")
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        firsts,
        [
            ("[1.0, 1.5]", "90s", "90"),
            ("[1.0, 1.5]", "2m", "120"),
            ("[1.5, 1.0]", "90s", "90"),
            ("[1.5, 1.0]", "2m", "120"),
        ]
    );
    // The first point is the hand-edited file.
    let edited = text
        .replace("[arrivals]\n", "[arrivals]\nday_scale = [1.0, 1.5]\n")
        .replacen(&exponential("3m"), &exponential("90s"), 1);
    let expected = run_rows(tmp.path(), "edited", &edited, "5", "3");
    let point: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| r[0] == "[1.0, 1.5]" && r[1] == "90s")
        .map(|r| r[3..].to_vec())
        .collect();
    assert_eq!(point, expected);
}
