//! The reference benchmark (docs/benchmark.md): 100 agents, exponential handle time
//! 300 s, exponential patience 120 s, 95 erlangs offered, 10 million calls, one
//! replication; then the same work split in replications over 1 and 2 threads.
//!
//! Run with `cargo bench --bench reference` (add `-- --calls N` for another size).
//! It prints calls per second and the process's peak resident memory, and checks them
//! against the targets (5 million calls/s single-threaded, under 20 MiB). Then, each in a
//! process of its own (this binary again, with `--rss CASE`), the memory targets of a
//! whole `run` with its files: 100,000 replications of a small scenario; one and four
//! replications of 1,000 days of `scenarios/realistic-day.toml`; one replication of
//! the longest horizon validation accepts (about 5 million intervals): each under 32 MiB.

use rappel::run::run_scenario;
use rappel::scenario::Scenario;
use rappel::stats::Metric;
use std::time::Instant;

const RATE_PER_HOUR: f64 = 1140.0;

fn reference(calls: f64, replications: u32) -> Scenario {
    let horizon_s = calls / (RATE_PER_HOUR / 3600.0);
    let src = format!(
        r#"
name = "reference"
[simulation]
horizon = {horizon_s}
replications = {replications}
seed = 1
[arrivals]
rate_per_hour = {RATE_PER_HOUR}
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "300s" }}
patience = {{ dist = "exponential", mean = "120s" }}
[[teams]]
name = "agents"
agents = 100
serves = ["general"]
"#
    );
    Scenario::from_toml(&src, "reference").expect("valid reference scenario")
}

/// Peak resident set size of this process in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A small scenario: ten minutes of a centre that opens at 08:00 (nobody calls).
const SMALL: &str = r#"
name = "many-replications"
[simulation]
horizon = "10m"
open = "08:00"
close = "20:00"
replications = 100000
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "2m" }
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
"#;

/// The longest horizon `validate` accepts: 3,472 days of 1-minute intervals, 4,999,680
/// intervals (the limit is 5,000,000), almost no calls.
const MAX_INTERVALS: &str = r#"
name = "max-intervals"
[simulation]
days = 3472
interval = "1m"
replications = 1
[arrivals]
rate_per_hour = 0.01
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "2m" }
[[teams]]
name = "agents"
agents = 1
serves = ["general"]
"#;

/// Runs one memory case as `rappel run` does (the fold, replications.csv streamed, every
/// file written to a temporary folder) and prints its peak RSS in KiB.
fn rss_case(case: &str) {
    use rappel::output::{AtomicDir, ReplicationsFile, write_run_files};
    let text = match case {
        "replications" => SMALL.to_string(),
        "horizon" | "horizon-4" => {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            let reps = if case == "horizon" { 1 } else { 4 };
            std::fs::read_to_string(root.join("scenarios/realistic-day.toml"))
                .expect("realistic-day.toml")
                .replace("\ndays = 1\n", "\ndays = 1000\n")
                .replace(
                    "\nreplications = 20\n",
                    &format!("\nreplications = {reps}\n"),
                )
        }
        "max-intervals" => MAX_INTERVALS.to_string(),
        _ => panic!("unknown case {case}"),
    };
    let s = Scenario::from_toml(&text, case).expect("valid case");
    let out = std::env::temp_dir().join(format!("rappel-bench-{}", std::process::id()));
    // As `rappel run` does: the files are staged in a hidden folder and swapped in whole.
    let mut dir = AtomicDir::open(&out).expect("output folder");
    let mut rows = ReplicationsFile::create(&dir.part_path("replications.csv", 0)).expect("part");
    let start = Instant::now();
    let r = rappel::run::run_scenario_each(&s, None, |_| {}, |rep| rows.write(&s.name, rep));
    write_run_files(
        &mut dir,
        &r,
        rows.finish().expect("rows"),
        case,
        &text,
        None,
    )
    .expect("intervals written");
    dir.commit().expect("files written");
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{} {} {secs:.2}",
        peak_rss_kib().unwrap_or(0),
        r.replications()
    );
}

/// Runs a memory case in a process of its own: (peak RSS KiB, replications, wall s).
fn measure(case: &str) -> Option<(u64, u64, f64)> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .args(["--rss", case])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<&str> = text.split_whitespace().collect();
    Some((
        v.first()?.parse().ok()?,
        v.get(1)?.parse().ok()?,
        v.get(2)?.parse().ok()?,
    ))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss") {
        rss_case(args.get(i + 1).map_or("", String::as_str));
        return;
    }
    let calls: f64 = args
        .iter()
        .position(|a| a == "--calls")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000.0);

    // 1. One replication, single-threaded.
    let s = reference(calls, 1);
    let start = Instant::now();
    let r = run_scenario(&s, Some(1), |_| {});
    let secs = start.elapsed().as_secs_f64();
    let offered = r.estimate(Metric::OfferedContacts).mean;
    let rate = offered / secs;
    let peak = peak_rss_kib();
    println!("reference model, 1 replication, 1 thread");
    println!("  calls simulated     {offered:.0}");
    println!("  events processed    {}", r.events());
    println!("  wall time           {secs:.3} s");
    println!(
        "  calls per second    {:.2} million (target >= 5)",
        rate / 1e6
    );
    match peak {
        Some(kib) => println!(
            "  peak memory (RSS)   {:.1} MiB (target < 20)",
            kib as f64 / 1024.0
        ),
        None => println!("  peak memory (RSS)   unknown on this system"),
    }

    // 2. The same number of calls in 4 replications, on 1 then 2 threads.
    let s4 = reference(calls / 4.0, 4);
    let mut times = Vec::new();
    for threads in [1, 2] {
        let start = Instant::now();
        let _ = run_scenario(&s4, Some(threads), |_| {});
        times.push(start.elapsed().as_secs_f64());
    }
    println!("4 replications of {:.0} calls", calls / 4.0);
    println!("  1 thread            {:.3} s", times[0]);
    println!(
        "  2 threads           {:.3} s (speed-up {:.2}x)",
        times[1],
        times[0] / times[1]
    );

    let mut failed = Vec::new();
    for (case, what) in [
        (
            "replications",
            "run, 100,000 replications of a small scenario",
        ),
        (
            "horizon",
            "run, 1 replication of 1,000 days of realistic-day",
        ),
        (
            "horizon-4",
            "run, 4 replications of 1,000 days of realistic-day",
        ),
        (
            "max-intervals",
            "run, 1 replication of 4,999,680 intervals (3,472 days of 1 minute)",
        ),
    ] {
        match measure(case) {
            Some((kib, reps, secs)) if kib > 0 => {
                println!(
                    "{what}\n  peak memory (RSS)   {:.1} MiB (target < 32), {reps} replications in {secs:.1} s",
                    kib as f64 / 1024.0
                );
                if kib >= 32 * 1024 {
                    failed.push(format!("{case}: peak memory at or above 32 MiB"));
                }
            }
            _ => {
                println!("{what}\n  peak memory (RSS)   not measured: the case failed");
                failed.push(format!("{case}: not measured"));
            }
        }
    }
    if rate < 5e6 {
        failed.push(format!("speed {:.2} M calls/s below 5", rate / 1e6));
    }
    if peak.is_some_and(|kib| kib >= 20 * 1024) {
        failed.push("peak memory at or above 20 MiB".to_string());
    }
    if failed.is_empty() {
        println!("targets met");
    } else {
        println!("TARGETS MISSED: {}", failed.join("; "));
    }
}
