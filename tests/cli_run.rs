//! The command line as a user meets it: help, the files `run` writes and how they agree,
//! flags that override the scenario, exit codes of usage errors, and `validate`.

use crate::common::{RUN_FILES, entries, rappel, read_csv, root, sorted};
use crate::fixtures::blink;
use rappel::scenario::DEFAULT_SCENARIO;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The metrics `summary.csv` must hold at least.
const REQUIRED_METRICS: [&str; 12] = [
    "offered_contacts",
    "answered_share",
    "abandon_rate",
    "p_wait",
    "asa_s",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p95_s",
    "wait_p99_s",
    "service_level",
    "occupancy",
];

/// A CSV cell that must hold a number (empty cells are undefined values).
fn number(cell: &str) -> Option<f64> {
    if cell.is_empty() {
        None
    } else {
        Some(
            cell.parse()
                .unwrap_or_else(|_| panic!("`{cell}` is not a number")),
        )
    }
}

/// Index of a column by name.
fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column `{name}` in {header:?}"))
}

/// `summary.csv` as metric -> (mean, ci95_low, ci95_high), checking the header.
fn summary(dir: &Path) -> BTreeMap<String, [Option<f64>; 3]> {
    let (header, rows) = read_csv(&dir.join("summary.csv"));
    assert_eq!(
        header.join(","),
        "scenario,metric,unit,mean,ci95_low,ci95_high,replications"
    );
    let mut out = BTreeMap::new();
    for r in rows {
        assert_eq!(r.len(), 7);
        let prev = out.insert(r[1].clone(), [number(&r[3]), number(&r[4]), number(&r[5])]);
        assert!(prev.is_none(), "metric {} twice", r[1]);
    }
    out
}

fn run_json(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap())
        .expect("run.json is JSON")
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `fixtures::blink` into a temporary folder and returns (folder, file).
fn small_file() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("small.toml");
    std::fs::write(&file, blink()).unwrap();
    (tmp, file)
}

#[test]
fn help_lists_the_subcommands() {
    let out = rappel().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in ["run", "validate", "erlang"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(sub)),
            "`{sub}` not listed:\n{text}"
        );
    }
    for sub in ["run", "validate", "erlang"] {
        let out = rappel().args([sub, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{sub} --help");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Example"),
            "{sub} --help has no example:\n{text}"
        );
        assert!(
            text.contains(&format!("rappel {sub}")),
            "{sub} --help does not show its own use:\n{text}"
        );
    }
    // `help SUB` is the same as `SUB --help`.
    rappel()
        .args(["help", "erlang"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("--rate-per-hour"));
    rappel()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let out = rappel().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn default_run_writes_every_file_and_they_agree() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("out");
    let out = rappel()
        .current_dir(tmp.path())
        .args(["run", "--replications", "2", "--quiet", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Exactly the five files, no temporary leftovers, and nothing beside the output folder.
    assert_eq!(entries(&dir), sorted(&RUN_FILES));
    assert_eq!(entries(tmp.path()), vec!["out".to_string()]);
    // The table on stdout names the scenario and the replications.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("realistic-day: 2 replications, seed 2024"),
        "{stdout}"
    );

    // summary.csv
    let (_, rows) = read_csv(&dir.join("summary.csv"));
    for r in &rows {
        assert_eq!(r[0], "realistic-day");
        assert_eq!(r[6], "2");
        assert!(!r[2].is_empty(), "no unit for {}", r[1]);
    }
    let s = summary(&dir);
    for m in REQUIRED_METRICS {
        let [mean, lo, hi] = s
            .get(m)
            .unwrap_or_else(|| panic!("no `{m}` in summary.csv"));
        let mean = mean.unwrap_or_else(|| panic!("`{m}` has no mean"));
        assert!(mean.is_finite(), "{m}: {mean}");
        if let (Some(lo), Some(hi)) = (lo, hi) {
            assert!(*lo <= mean && mean <= *hi, "{m}: {lo} {mean} {hi}");
        }
    }
    assert!(s["offered_contacts"][0].unwrap() > 1000.0);
    for share in [
        "answered_share",
        "abandon_rate",
        "p_wait",
        "service_level",
        "occupancy",
    ] {
        let v = s[share][0].unwrap();
        assert!((0.0..=1.0).contains(&v), "{share} = {v}");
    }
    let p = |m: &str| s[m][0].unwrap();
    assert!(p("wait_p50_s") <= p("wait_p90_s"));
    assert!(p("wait_p90_s") <= p("wait_p95_s"));
    assert!(p("wait_p95_s") <= p("wait_p99_s"));

    // replications.csv: 2 replications x every metric of the summary; means agree.
    let (header, rows) = read_csv(&dir.join("replications.csv"));
    assert_eq!(header.join(","), "scenario,replication,metric,value");
    assert_eq!(rows.len(), 2 * s.len());
    let mut per_metric: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut pairs = BTreeSet::new();
    for r in &rows {
        assert_eq!(r[0], "realistic-day");
        assert!(pairs.insert((r[1].clone(), r[2].clone())), "{r:?} twice");
        if let Some(v) = number(&r[3]) {
            per_metric.entry(r[2].clone()).or_default().push(v);
        }
    }
    let replications: BTreeSet<&String> = pairs.iter().map(|(r, _)| r).collect();
    assert_eq!(replications.len(), 2, "{replications:?}");
    for m in s.keys() {
        for r in &replications {
            assert!(pairs.contains(&((*r).clone(), m.clone())), "{r} {m}");
        }
    }
    for m in REQUIRED_METRICS {
        let v = &per_metric[m];
        assert_eq!(v.len(), 2, "{m}");
        let mean = v.iter().sum::<f64>() / 2.0;
        let want = s[m][0].unwrap();
        assert!(
            (mean - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{m}: replications mean {mean}, summary {want}"
        );
    }

    // wait_distribution.csv: contiguous bins from 0 whose shares add up to 1.
    let (header, rows) = read_csv(&dir.join("wait_distribution.csv"));
    assert_eq!(
        header.join(","),
        "scenario,bin_start_s,bin_end_s,share,ci95_low,ci95_high"
    );
    assert!(rows.len() >= 2, "{} bins", rows.len());
    let mut total = 0.0;
    let mut edge = 0.0;
    for r in &rows {
        assert_eq!(r[0], "realistic-day");
        let start = number(&r[1]).unwrap();
        let end = number(&r[2]).unwrap();
        assert_eq!(start, edge, "bins not contiguous at {r:?}");
        assert!(end > start);
        let share = number(&r[3]).unwrap();
        assert!((0.0..=1.0).contains(&share), "{r:?}");
        total += share;
        edge = end;
    }
    assert!((total - 1.0).abs() < 1e-9, "shares add up to {total}");

    // intervals.csv: 48 quarter-hours from 08:00 to 19:45, adding up to the summary.
    // Each day's two closed stretches have a row of their own, before and after.
    let (header, all) = read_csv(&dir.join("intervals.csv"));
    let state = col(&header, "state");
    let closed: Vec<&Vec<String>> = all.iter().filter(|r| r[state] == "closed").collect();
    assert_eq!(all.len(), 50);
    assert_eq!(closed.len(), 2);
    assert_eq!(closed[0][col(&header, "interval_start")], "00:00");
    assert_eq!(closed[1][col(&header, "interval_start")], "20:00");
    assert_eq!(all.first().unwrap()[state], "closed");
    assert_eq!(all.last().unwrap()[state], "closed");
    let rows: Vec<Vec<String>> = all.iter().filter(|r| r[state] == "open").cloned().collect();
    assert_eq!(rows.len(), 48);
    let (start, offered) = (col(&header, "interval_start"), col(&header, "offered"));
    let starts: Vec<&str> = rows.iter().map(|r| r[start].as_str()).collect();
    let want: Vec<String> = (0..48)
        .map(|i| format!("{:02}:{:02}", 8 + i / 4, (i % 4) * 15))
        .collect();
    assert_eq!(starts, want);
    // Open and closed rows together hold every call offered.
    let total: f64 = all.iter().map(|r| number(&r[offered]).unwrap()).sum();
    let summary_offered = s["offered_contacts"][0].unwrap();
    assert!(
        (total - summary_offered).abs() <= 1e-6 * summary_offered,
        "intervals add up to {total}, summary says {summary_offered}"
    );

    // run.json
    let info = run_json(&dir);
    assert!(info["schema_version"].as_u64().is_some_and(|v| v >= 1));
    assert_eq!(info["rappel_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["seed"], 2024);
    assert_eq!(info["replications"], 2);
    let sha = info["scenario_sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(
        sha.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(sha, sha256_hex(DEFAULT_SCENARIO));
    let files: BTreeSet<&str> = info["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files, RUN_FILES.into_iter().collect());
}

#[test]
fn json_output_matches_summary_csv() {
    let (tmp, file) = small_file();
    let dir = tmp.path().join("out");
    let out = rappel()
        .arg("run")
        .arg(&file)
        .args(["--format", "json", "--quiet", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["scenario"], "small");
    assert_eq!(json["replications"], 5);
    assert_eq!(json["seed"], 11);
    let s = summary(&dir);
    let metrics = json["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), s.len());
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs()),
        (None, None) => true,
        _ => false,
    };
    for m in metrics {
        let name = m["metric"].as_str().unwrap();
        let csv = s
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in summary.csv"));
        for (i, field) in ["mean", "ci95_low", "ci95_high"].into_iter().enumerate() {
            assert!(
                close(m[field].as_f64(), csv[i]),
                "{name}.{field}: json {} vs csv {:?}",
                m[field],
                csv[i]
            );
        }
    }
    for m in REQUIRED_METRICS {
        assert!(metrics.iter().any(|j| j["metric"] == m), "{m} not in JSON");
    }
}

#[test]
fn seed_and_replications_flags_override_the_file() {
    let (tmp, file) = small_file();
    let run = |dir: &Path, flags: &[&str]| {
        rappel()
            .arg("run")
            .arg(&file)
            .args(flags)
            .args(["--quiet", "--format", "json", "--out"])
            .arg(dir)
            .assert()
            .code(0);
    };
    // Without flags, the file's values.
    let plain = tmp.path().join("plain");
    run(&plain, &[]);
    let info = run_json(&plain);
    assert_eq!(info["seed"], 11);
    assert_eq!(info["replications"], 5);
    assert_eq!(info["scenario_sha256"], sha256_hex(&blink()).as_str());

    // With flags, theirs, in run.json, replications.csv and summary.csv.
    let flagged = tmp.path().join("flagged");
    run(&flagged, &["--seed", "99", "--replications", "3"]);
    let info = run_json(&flagged);
    assert_eq!(info["seed"], 99);
    assert_eq!(info["replications"], 3);
    let (_, rows) = read_csv(&flagged.join("replications.csv"));
    let reps: BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(reps.len(), 3, "{reps:?}");
    let (_, rows) = read_csv(&flagged.join("summary.csv"));
    assert!(rows.iter().all(|r| r[6] == "3"));

    // Same replication count, only the seed differs: the results differ.
    let same_seed = tmp.path().join("same-seed");
    run(&same_seed, &["--replications", "3"]);
    let a = read_csv(&same_seed.join("replications.csv")).1;
    let b = read_csv(&flagged.join("replications.csv")).1;
    assert_eq!(a.len(), b.len());
    let differ = a.iter().zip(&b).filter(|(x, y)| x[3] != y[3]).count();
    assert!(
        differ > a.len() / 2,
        "--seed 99 and seed 11 agree on {} of {} values",
        a.len() - differ,
        a.len()
    );
    // And the same seed gives the same files (short flags too).
    let again = tmp.path().join("again");
    run(&again, &["-s", "99", "-r", "3"]);
    for f in ["summary.csv", "replications.csv", "wait_distribution.csv"] {
        assert_eq!(
            std::fs::read(flagged.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs between identical runs"
        );
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let (tmp, file) = small_file();
    let cases: Vec<Vec<String>> = [
        vec!["run", "--frobnicate"],
        vec!["run", "FILE", "--replications", "0"],
        vec!["run", "FILE", "--replications", "many"],
        vec!["run", "FILE", "--seed", "-1"],
        vec!["run", "FILE", "--format", "xml"],
        vec!["run", "FILE", "--threads", "0"],
        vec!["frobnicate"],
        vec!["validate"],
        vec!["erlang"],
        vec![
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "5x",
            "--agents",
            "100",
        ],
        vec![
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "300s",
            "--agents",
            "0",
        ],
        vec![
            "erlang",
            "--rate-per-hour",
            "-5",
            "--handle-time",
            "300s",
            "--agents",
            "10",
        ],
        vec![
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "0s",
            "--agents",
            "10",
        ],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    for case in cases {
        let args: Vec<String> = case
            .iter()
            .map(|a| {
                if a == "FILE" {
                    file.display().to_string()
                } else {
                    a.clone()
                }
            })
            .collect();
        let out = rappel()
            .current_dir(tmp.path())
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case:?}:\n{err}");
        assert!(err.contains("error"), "{case:?}: no message:\n{err}");
        assert!(!err.contains("panicked"), "{case:?}:\n{err}");
        assert!(out.stdout.is_empty(), "{case:?} printed on stdout");
    }
    // No run started: nothing but the scenario in the folder.
    assert_eq!(entries(tmp.path()), vec!["small.toml".to_string()]);
}

#[test]
fn handle_time_error_names_the_bad_value() {
    rappel()
        .args([
            "erlang",
            "--rate-per-hour",
            "1140",
            "--handle-time",
            "5x",
            "--agents",
            "100",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--handle-time"))
        .stderr(predicates::str::contains("5x"));
}

#[test]
fn out_pointing_to_a_file_is_refused_and_the_file_untouched() {
    let (tmp, file) = small_file();
    let target = tmp.path().join("results.txt");
    let content = b"precious results, do not overwrite\n";
    std::fs::write(&target, content).unwrap();
    let out = rappel()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .args(["--quiet", "--out"])
        .arg(&target)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&target.display().to_string()), "{err}");
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), content);
    assert_eq!(
        entries(tmp.path()),
        vec!["results.txt".to_string(), "small.toml".to_string()]
    );
    // A folder under that file is refused the same way, naming the file (it was exit 1
    // with "File exists" from the operating system).
    let under = target.join("run");
    for args in [
        vec!["run".to_string(), file.display().to_string()],
        vec![
            "compare".to_string(),
            file.display().to_string(),
            file.display().to_string(),
        ],
    ] {
        let out = rappel()
            .current_dir(tmp.path())
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(&under)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{} is a file, not a folder", target.display())),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read(&target).unwrap(), content);
    }
}

#[test]
fn validate_accepts_the_shipped_scenarios() {
    rappel()
        .arg("validate")
        .arg(root().join("scenarios/erlang-a.toml"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains("valid scenario `erlang-a`"))
        .stdout(predicates::str::contains("100 agents"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for f in files {
        let out = rappel().arg("validate").arg(&f).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("valid scenario"),
            "{}: {stdout}",
            f.display()
        );
    }
}
