//! `rappel staff`: the staffing found agrees with Erlang A where Erlang A is exact, the
//! staffing found for the realistic day meets its target when run, targets that cannot be
//! met are reported as such, and bad flags exit 2 and write nothing.

use crate::common::{rappel, read_csv, root};
use crate::fixtures::{exponential, small_centre};
use rappel::analytic::{QueueInput, figures};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// An M/M/c+M queue: one type, Poisson arrivals at a constant rate (300 an hour),
/// exponential handle times (mean 4 minutes: 20 erlangs) and patience (mean 5 minutes), no
/// redials or callbacks. Open 07:00 to 20:00 in one-hour intervals; the first hour is the
/// warm-up (the staffing search leaves it at its start), so every interval observed starts
/// from a queue in its steady state.
fn erlang_a() -> String {
    small_centre(
        "staff-erlang-a",
        20,
        300,
        &exponential("4m"),
        Some(&exponential("5m")),
    )
    .simulation(
        "horizon = \"1d\"\nwarmup = \"8h\"\nopen = \"07:00\"\nclose = \"20:00\"\ninterval = \"1h\"\nseed = 5\nservice_level_threshold = \"20s\"",
    )
    .entry("flow = \"queue\"")
    .toml()
}

/// A small centre that runs in a blink: 3 hours at 60 calls an hour.
fn small() -> String {
    small_centre("small", 5, 60, &exponential("4m"), Some(&exponential("2m")))
        .simulation("horizon = \"3h\"\nclose = \"03:00\"\ninterval = \"1h\"\nseed = 3")
        .toml()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs the binary and asserts success; returns stdout.
fn ok(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// staffing.csv as rows keyed by column name.
fn staffing(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = read_csv(&dir.join("staffing.csv"));
    assert_eq!(
        header,
        rappel::staff::STAFFING_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
    );
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

/// The `agents = [...]` line of staffing.toml.
fn agents_line(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("staffing.toml")).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 1, "one line besides comments: {text}");
    assert!(lines[0].starts_with("agents = ["), "{text}");
    lines[0].to_string()
}

#[test]
fn agrees_with_erlang_a_within_one_agent_in_a_steady_queue() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "erlang-a.toml", &erlang_a());
    let out = tmp.path().join("out");
    // 95 % within 20 s: the square-root start (⌈20 + 0.5 √20⌉ = 23) is four agents short,
    // so agreement needs the search to move.
    ok(rappel().args(["staff", file.to_str().unwrap()]).args([
        "--target",
        "service_level=0.95",
        "--replications",
        "100",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    // Erlang A computed here, independently of the command: the fewest agents whose
    // steady-state service level is at least 95 %.
    let input = QueueInput {
        arrival_rate: 300.0 / 3600.0,
        mean_handle: 240.0,
        agents: 1,
        mean_patience: Some(300.0),
        queue_capacity: None,
        threshold: 20.0,
    };
    let erlang_a = (1..100)
        .find(|&c| {
            figures(&QueueInput { agents: c, ..input })
                .unwrap()
                .service_level
                >= 0.95
        })
        .unwrap();
    assert!(
        erlang_a >= 26,
        "the start of 23 must not already be the answer"
    );
    let rows = staffing(&out);
    assert_eq!(rows.len(), 13);
    let mut observed = 0;
    for r in &rows {
        assert_eq!(r["erlang_a_agents"], erlang_a.to_string(), "{r:?}");
        assert_eq!(r["start_agents"], "23");
        if r["interval_start"] == "07:00" {
            // The warm-up hour is not observed: it keeps its start, with no value.
            assert_eq!(r["agents"], "23");
            assert_eq!(r["value"], "");
            continue;
        }
        observed += 1;
        let agents: i64 = r["agents"].parse().unwrap();
        assert!(
            (agents - i64::from(erlang_a)).abs() <= 1,
            "{}: {agents} agents found, Erlang A asks for {erlang_a}",
            r["interval_start"]
        );
        assert_eq!(r["met"], "true");
        assert!(r["value"].parse::<f64>().unwrap() >= 0.95);
    }
    assert_eq!(observed, 12);
}

#[test]
fn the_staffing_found_for_the_realistic_day_meets_its_target_when_run() {
    let tmp = TempDir::new().unwrap();
    let scenario = root().join("scenarios/realistic-day.toml");
    let out = tmp.path().join("staff");
    let stdout = ok(rappel().args(["staff", scenario.to_str().unwrap()]).args([
        "--target",
        "service_level=0.8",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(!stdout.contains("cannot be met"), "{stdout}");
    let line = agents_line(&out);
    assert!(
        stdout.contains(&line),
        "the line to paste is printed: {stdout}"
    );
    let rows = staffing(&out);
    assert_eq!(rows.len(), 48);
    assert!(rows.iter().all(|r| r["met"] == "true"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(json["replications"], 200, "the default: at least 200");
    assert_eq!(json["settled"], true);
    // Fewer agents than the scenario's own profile, which is generous at the low hours.
    assert!(json["agent_hours"].as_f64().unwrap() < json["scenario_agent_hours"].as_f64().unwrap());

    // Paste the line into the scenario, as docs/scenario.md says.
    let text = std::fs::read_to_string(&scenario).unwrap();
    let start = text.find("\nagents = [").unwrap() + 1;
    let end = start + text[start..].find(']').unwrap() + 1;
    let staffed = format!("{}{}{}", &text[..start], line, &text[end..]);
    let file = write(tmp.path(), "staffed.toml", &staffed);
    let run = |seed: &str, dir: &str| -> Vec<(String, f64)> {
        let d = tmp.path().join(dir);
        ok(rappel().args(["run", file.to_str().unwrap()]).args([
            "--seed",
            seed,
            "--replications",
            "200",
            "--quiet",
            "--out",
            d.to_str().unwrap(),
        ]));
        let (header, rows) = read_csv(&d.join("intervals.csv"));
        let at = |c: &str| header.iter().position(|h| h == c).unwrap();
        rows.iter()
            .filter(|r| r[at("state")] == "open")
            .map(|r| {
                (
                    r[at("interval_start")].clone(),
                    r[at("service_level")].parse().unwrap(),
                )
            })
            .collect()
    };

    // On the search's own customers (its seed and replications) every interval meets the
    // target, with the very values staffing.csv reports.
    let same = run("2024", "same");
    assert_eq!(same.len(), 48);
    for ((time, sl), row) in same.iter().zip(&rows) {
        assert_eq!(*time, row["interval_start"]);
        assert!(*sl >= 0.8, "{time}: {sl}");
        let reported: f64 = row["value"].parse().unwrap();
        assert!(
            (sl - reported).abs() < 1e-12,
            "{time}: {sl} against {reported}"
        );
    }

    // On fresh customers, per-interval noise remains: an interval's service level over 200
    // replications of 15 minutes (20 to 100 calls each) has a standard error of about 1.5
    // points, and the search leaves each interval just above 80 % on its own replications,
    // so about half the tight intervals land a little below 80 % on others. The mean over
    // intervals must meet the target, and no interval may miss it by more than 5 points
    // (over 3 standard errors).
    let fresh = run("7", "fresh");
    let mean = fresh.iter().map(|(_, v)| v).sum::<f64>() / fresh.len() as f64;
    assert!(mean >= 0.8, "mean over intervals {mean}");
    for (time, sl) in &fresh {
        assert!(*sl >= 0.75, "{time}: {sl}");
    }
}

#[test]
fn a_target_that_cannot_be_met_is_reported_with_exit_code_0() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "small.toml", &small());
    let out = tmp.path().join("out");
    // Satisfaction is capped by much more than waiting: no staffing makes CSAT 4.99.
    let stdout = ok(rappel().args(["staff", file.to_str().unwrap()]).args([
        "--target",
        "csat_mean=4.99",
        "--replications",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        stdout
            .contains("cannot be met: csat_mean ≥ 4.99 in 3 of 3 intervals (00:00, 01:00, 02:00)"),
        "{stdout}"
    );
    let rows = staffing(&out);
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!(r["met"], "false");
        assert_eq!(r["agents"], r["max_agents"], "tried up to the cap: {r:?}");
    }
    let toml = std::fs::read_to_string(out.join("staffing.toml")).unwrap();
    assert!(toml.contains("# CANNOT BE MET in 3 intervals"), "{toml}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(json["intervals_not_met"].as_array().unwrap().len(), 3);

    // A whole-run NPS out of reach is reported the same way.
    let out = tmp.path().join("nps");
    let stdout = ok(rappel().args(["staff", file.to_str().unwrap()]).args([
        "--target",
        "nps=99",
        "--replications",
        "20",
        "--quiet",
        "--max-agents",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        stdout.contains("cannot be met: nps ≥ 99.00 for the whole run"),
        "{stdout}"
    );
    assert!(
        staffing(&out)
            .iter()
            .all(|r| r["met"] == "false" && r["agents"] == "30")
    );

    // A reachable one is met with fewer agents than the cap.
    let out = tmp.path().join("nps-ok");
    let stdout = ok(rappel().args(["staff", file.to_str().unwrap()]).args([
        "--target",
        "nps=0",
        "--replications",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(!stdout.contains("cannot be met"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
    assert!(json["targets"][0]["whole_run"].as_f64().unwrap() >= 0.0);
}

#[test]
fn bad_flags_exit_2_and_write_nothing() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "small.toml", &small());
    let two_teams = root().join("scenarios/two-tier-escalation.toml");
    let small = file.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![small, "--target", "speed=3"], "unknown key `speed`"),
        (
            vec![small, "--target", "service_lvl=0.8"],
            "did you mean `service_level`",
        ),
        (vec![small, "--target", "service_level=1.5"], "from 0 to 1"),
        (vec![small, "--target", "abandon_rate=-0.1"], "from 0 to 1"),
        (vec![small, "--target", "csat_mean=6"], "from 1 to 5"),
        (vec![small, "--target", "nps=200"], "from -100 to 100"),
        (vec![small, "--target", "asa_s=soon"], "not a duration"),
        (vec![small, "--target", "service_level"], "no `=`"),
        (
            vec![small, "--target", "nps=10", "--target", "nps=20"],
            "nps is given twice",
        ),
        (vec![small], "--target"),
        (
            vec![small, "--target", "service_level=0.8", "--team", "nobody"],
            "no team named `nobody`",
        ),
        (
            vec![two_teams.to_str().unwrap(), "--target", "service_level=0.8"],
            "`tier1` and `tier2`",
        ),
        (
            vec![small, "--target", "service_level=0.8", "--max-agents", "0"],
            "--max-agents",
        ),
        (
            vec![
                small,
                "--target",
                "service_level=0.8",
                "--replications",
                "0",
            ],
            "--replications",
        ),
        (
            vec!["missing.toml", "--target", "service_level=0.8"],
            "missing.toml",
        ),
    ];
    for (i, (args, expected)) in cases.iter().enumerate() {
        let out = tmp.path().join(format!("out-{i}"));
        let o = rappel()
            .arg("staff")
            .args(args)
            .args(["--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        if args
            .iter()
            .any(|a| a.starts_with("service_lvl") || a.starts_with("speed"))
        {
            // Unknown keys name the flag and list the keys.
            for key in [
                "--target",
                "service_level",
                "abandon_rate",
                "asa_s",
                "csat_mean",
                "nps",
            ] {
                assert!(stderr.contains(key), "{args:?}: {stderr}");
            }
        }
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    // --out naming a file: exit 2, the file untouched.
    let f = write(tmp.path(), "a-file", "keep");
    let o = rappel()
        .args(["staff", small, "--target", "service_level=0.8", "--out"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "keep");
}

#[test]
fn the_same_seed_gives_the_same_staffing_whatever_the_threads() {
    let tmp = TempDir::new().unwrap();
    let file = write(tmp.path(), "small.toml", &small());
    let files = |threads: &str| -> (Vec<u8>, Vec<u8>) {
        let out = tmp.path().join(format!("out-{threads}"));
        ok(rappel().args(["staff", file.to_str().unwrap()]).args([
            "--target",
            "service_level=0.8",
            "--target",
            "abandon_rate=0.05",
            "--replications",
            "30",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]));
        (
            std::fs::read(out.join("staffing.csv")).unwrap(),
            std::fs::read(out.join("staffing.toml")).unwrap(),
        )
    };
    let one = files("1");
    assert_eq!(one, files("2"));
    // Two targets: a row per interval and target.
    let rows = staffing(&tmp.path().join("out-1"));
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["target"], "service_level");
    assert_eq!(rows[1]["target"], "abandon_rate");
    assert_eq!(rows[1]["bound"], "at_most");
}
