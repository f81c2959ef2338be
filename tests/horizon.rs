//! Memory flat in the horizon: interval cells beyond a window spill to disk and the run's
//! per-interval sums live in a file, with the same bytes as when everything stays in
//! memory. `RAPPEL_CELL_WINDOW` (a test hook) shrinks the window so short runs spill.

use crate::common::{parse, rappel};
use tempfile::TempDir;

/// A few days of a small centre with redials, warm-up and CSAT (cells change late).
const DAYS: &str = r#"
name = "horizon-days"
[simulation]
days = 3
warmup = "6h"
open = "08:00"
close = "18:00"
interval = "15m"
replications = 5
seed = 7
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }
[[teams]]
name = "agents"
agents = 4
serves = ["general"]
[entry]
flow = "queue"
redial = { probability = 0.5, delay = { dist = "exponential", mean = "5m" } }
"#;

/// Nobody hangs up and the morning hour is overloaded: calls answered hours after they
/// arrived update cells long closed.
const LONG_WAITS: &str = r#"
name = "long-waits"
[simulation]
days = 2
open = "08:00"
close = "20:00"
interval = "15m"
replications = 3
seed = 11
[arrivals]
rates_per_hour = [240, 240, 240, 240, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20]
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
"#;

/// `intervals.csv` of a run of `text` on `threads` threads, with a cell window of
/// `window` cells (`None`: the default).
fn intervals_csv(text: &str, threads: &str, window: Option<usize>) -> String {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    let mut cmd = rappel();
    cmd.args(["run", "--quiet", "-j", threads, "--out"])
        .arg(&out)
        .arg(&file)
        .env_remove("RAPPEL_CELL_WINDOW");
    if let Some(w) = window {
        cmd.env("RAPPEL_CELL_WINDOW", w.to_string());
    }
    let o = cmd.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "part files left: {hidden:?}");
    std::fs::read_to_string(out.join("intervals.csv")).unwrap()
}

#[test]
fn intervals_csv_is_the_same_spilled_or_not_and_on_any_threads() {
    let memory = intervals_csv(DAYS, "1", None);
    // 3 days of 40 intervals minus the warm-up's: many more than a window of 3.
    assert!(memory.lines().count() > 100, "{memory}");
    for (threads, window) in [("1", 3), ("3", 3), ("2", 1), ("3", 17)] {
        assert_eq!(
            intervals_csv(DAYS, threads, Some(window)),
            memory,
            "-j {threads}, window {window}"
        );
    }
    assert_eq!(intervals_csv(DAYS, "3", None), memory);
}

#[test]
fn calls_settling_hours_after_arriving_update_spilled_cells() {
    let memory = intervals_csv(LONG_WAITS, "1", None);
    // The overloaded morning's calls wait for hours: their settled waits land in cells
    // five intervals (of 900 s) and more back, long spilled with a window of 2.
    let (header, rows) = {
        let mut lines = memory.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        (header, rows)
    };
    let wait = header.iter().position(|h| *h == "wait_mean_s").unwrap();
    let longest = rows
        .iter()
        .filter_map(|r| r[wait].parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(longest > 5.0 * 900.0, "longest mean wait {longest} s");
    for (threads, window) in [("1", 2), ("2", 1), ("3", 5)] {
        assert_eq!(
            intervals_csv(LONG_WAITS, threads, Some(window)),
            memory,
            "-j {threads}, window {window}"
        );
    }
}

#[test]
fn a_replication_keeps_every_reported_cell_in_order() {
    // In this process the window is the default (2048 cells): 5 days of 600 one-minute
    // intervals spill.
    let text = DAYS
        .replace("interval = \"15m\"", "interval = \"1m\"")
        .replace("days = 3", "days = 5")
        // No redials: every call arrives in open hours, so every one is in a cell.
        .replace("redial = ", "# redial = ")
        .replace("replications = 5", "replications = 1");
    let s = parse(&text);
    let rep = rappel::centre::simulate(&s, 0);
    let cells = rep.intervals.to_vec();
    assert_eq!(cells.len(), rep.intervals.len());
    assert_eq!(
        rep.intervals.len(),
        s.day.intervals_before(s.simulation.horizon) - rep.first_interval
    );
    assert!(rep.intervals.error().is_none());
    assert!(rep.intervals.spilled() > 0);
    let offered: u64 = cells.iter().map(|c| u64::from(c.offered)).sum();
    assert_eq!(offered, rep.counts.offered);
    // A clone reads the same cells.
    assert_eq!(rep.intervals.clone(), rep.intervals);
}

#[test]
fn the_report_of_a_long_run_draws_a_bounded_number_of_intervals_and_says_so() {
    // 15 days of 1-minute intervals: 21,600 intervals, more than the chart draws.
    let text = r#"
name = "long"
[simulation]
days = 15
interval = "1m"
replications = 1
[arrivals]
rate_per_hour = 2
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
[[teams]]
name = "agents"
agents = 1
serves = ["general"]
"#;
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("long.toml");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    let run = rappel()
        .arg("run")
        .arg(&file)
        .args(["--report", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let csv = std::fs::read_to_string(out.join("intervals.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 15 * 1440,
        "intervals.csv keeps every interval"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("Only the first 20000 intervals are drawn; intervals.csv has them all."),
        "the caption says the chart was cut"
    );
    // A short run's caption says nothing of the kind.
    let short = tmp.path().join("short.toml");
    std::fs::write(&short, text.replace("days = 15", "days = 1")).unwrap();
    let out2 = tmp.path().join("out2");
    let run = rappel()
        .arg("run")
        .arg(&short)
        .args(["--report", "--quiet", "--out"])
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let report = std::fs::read_to_string(out2.join("report.html")).unwrap();
    assert!(!report.contains("Only the first"));
}
