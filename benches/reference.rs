//! The reference benchmark (docs/benchmark.md): 100 agents, exponential handle time
//! 300 s, exponential patience 120 s, 95 erlangs offered, 10 million calls, one
//! replication; then the same work split in replications over 1 and 2 threads.
//!
//! Run with `cargo bench --bench reference` (add `-- --calls N` for another size).
//! It prints calls per second and the process's peak resident memory, and checks them
//! against the targets (5 million calls/s single-threaded, under 20 MiB).

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
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
