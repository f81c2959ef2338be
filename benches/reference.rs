//! The reference benchmark (docs/benchmark.md): 100 agents, exponential handle time
//! 300 s, exponential patience 120 s, 95 erlangs offered, 10 million calls, one
//! replication, run alternately with the limit loop of `../shared/bench/limit` (built into
//! `target/limit`) on as many calls; then the same work split in replications over 1 and 2
//! threads.
//!
//! Run with `cargo bench --bench reference` (add `-- --calls N` for another size, `--runs
//! K` for another number of alternations). It prints the medians of calls per second, the
//! ratio to the limit loop, the speed-up of 2 threads and the process's peak resident
//! memory, and checks them against the targets (at least 0.5 times the limit loop, 1.8
//! times faster on 2 threads, under 16 MiB). Then, each in a process of its own (this
//! binary again, with `--rss CASE`), the memory targets of a whole `run` with its files:
//! 100,000 replications of a small scenario; one and four replications of 1,000 days of
//! `scenarios/realistic-day.toml`; one replication of the longest horizon validation
//! accepts (about 5 million intervals): each under 32 MiB.
//!
//! `-- --instructions` counts instructions per call with cachegrind (valgrind) for rappel
//! and for the limit loop, and per replication of `scenarios/realistic-day.toml`; `--
//! --only-reference` runs one replication and nothing else, `-- --only-day R` R
//! replications of the realistic day.

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
            let reps = if case == "horizon" { 1 } else { 4 };
            realistic_day_text()
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

/// The yardstick's folder: `RAPPEL_LIMIT_DIR`, else `../shared/bench/limit` beside the
/// project.
fn limit_dir() -> std::path::PathBuf {
    std::env::var_os("RAPPEL_LIMIT_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/limit"),
        std::path::PathBuf::from,
    )
}

/// Builds the limit loop (release, into `target/limit`: the yardstick's own folder may be
/// read-only) and returns its executable, or why it could not.
fn build_limit() -> Result<std::path::PathBuf, String> {
    let dir = limit_dir();
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(format!(
            "no limit loop at {} (set RAPPEL_LIMIT_DIR)",
            dir.display()
        ));
    }
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/limit");
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the limit loop did not build".into());
    }
    Ok(target.join("release/limit"))
}

/// One run of the limit loop on `calls` calls: its calls per second.
fn limit_rate(exe: &std::path::Path, calls: f64) -> Option<f64> {
    let out = std::process::Command::new(exe)
        .arg(format!("{calls:.0}"))
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("calls_per_s="))?
        .parse()
        .ok()
}

/// The text of `scenarios/realistic-day.toml`: one day of a small centre.
fn realistic_day_text() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/realistic-day.toml");
    std::fs::read_to_string(path).expect("realistic-day.toml")
}

/// `scenarios/realistic-day.toml`, the staffing search's case.
fn realistic_day() -> Scenario {
    Scenario::from_toml(&realistic_day_text(), "realistic-day").expect("valid realistic-day.toml")
}

/// One replication of the reference model on one thread: (calls, events, seconds).
fn rappel_once(calls: f64) -> (f64, u64, f64) {
    let s = reference(calls, 1);
    let start = Instant::now();
    let r = run_scenario(&s, Some(1), |_| {});
    let secs = start.elapsed().as_secs_f64();
    (r.estimate(Metric::OfferedContacts).mean, r.events(), secs)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Instructions counted by cachegrind for `cmd` (None without valgrind).
fn instructions(cmd: &[&std::ffi::OsStr]) -> Option<u64> {
    let file = std::env::temp_dir().join(format!("rappel-cg-{}", std::process::id()));
    let out = std::process::Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=no"])
        .arg(format!("--cachegrind-out-file={}", file.display()))
        .args(cmd)
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&file);
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .find(|l| l.contains("I refs:") || l.contains("I   refs:"))?;
    line.rsplit(':')
        .next()?
        .trim()
        .replace(',', "")
        .parse()
        .ok()
}

/// Instructions per call of one program at the margin: the count at 400,000 calls minus
/// the count at 200,000, over 200,000 (setup and the end of the run cancel out).
fn per_call(run: impl Fn(u64) -> Option<u64>) -> Option<f64> {
    let (a, b) = (run(200_000)?, run(400_000)?);
    Some((b.saturating_sub(a)) as f64 / 200_000.0)
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
    // `--only-reference`: one replication of the reference model and nothing else (for
    // cachegrind and for `--instructions`).
    if args.iter().any(|a| a == "--only-reference") {
        let (offered, events, secs) = rappel_once(calls);
        println!("{offered:.0} calls, {events} events, {secs:.3} s");
        return;
    }
    // `--only-day R`: R replications of `scenarios/realistic-day.toml` on one thread, as
    // the staffing search and sweeps run them (for `--instructions`).
    if let Some(i) = args.iter().position(|a| a == "--only-day") {
        let reps: u32 = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(40);
        let mut s = realistic_day();
        s.simulation.replications = reps;
        let r = run_scenario(&s, Some(1), |_| {});
        println!("{} replications", r.replications());
        return;
    }
    if args.iter().any(|a| a == "--instructions") {
        instructions_per_call();
        return;
    }
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);

    // 1. One replication, single-threaded, alternating with the limit loop on as many calls.
    let limit = build_limit();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut offered, mut events, mut secs) = (0.0, 0, 0.0);
    for _ in 0..runs {
        if let Ok(exe) = &limit
            && let Some(r) = limit_rate(exe, calls)
        {
            theirs.push(r);
        }
        (offered, events, secs) = rappel_once(calls);
        ours.push(offered / secs);
    }
    let rate = median(&mut ours);
    let peak = peak_rss_kib();
    println!("reference model, 1 replication, 1 thread ({runs} runs, medians)");
    println!("  calls simulated     {offered:.0}");
    println!("  events processed    {events}");
    println!("  wall time           {secs:.3} s (last run)");
    println!("  calls per second    {:.2} million", rate / 1e6);
    let ratio = if theirs.is_empty() {
        match &limit {
            Err(why) => println!("  limit loop          not run: {why}"),
            Ok(_) => println!("  limit loop          not run: it failed"),
        }
        None
    } else {
        let lim = median(&mut theirs);
        let ratio = rate / lim;
        println!(
            "  limit loop          {:.2} million calls per second",
            lim / 1e6
        );
        println!("  ratio               {ratio:.2}x the limit loop (target >= 0.5)");
        Some(ratio)
    };
    match peak {
        Some(kib) => println!(
            "  peak memory (RSS)   {:.1} MiB (target < 16)",
            kib as f64 / 1024.0
        ),
        None => println!("  peak memory (RSS)   unknown on this system"),
    }

    // 2. The same number of calls in 4 replications, on 1 then 2 threads (medians).
    let s4 = reference(calls / 4.0, 4);
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..runs.min(3) {
        for (threads, times) in [(1, &mut one), (2, &mut two)] {
            let start = Instant::now();
            let _ = run_scenario(&s4, Some(threads), |_| {});
            times.push(start.elapsed().as_secs_f64());
        }
    }
    let (one, two) = (median(&mut one), median(&mut two));
    let speedup = one / two;
    println!("4 replications of {:.0} calls", calls / 4.0);
    println!("  1 thread            {one:.3} s");
    println!("  2 threads           {two:.3} s (speed-up {speedup:.2}x, target >= 1.8)");

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
    if let Some(r) = ratio
        && r < 0.5
    {
        failed.push(format!("speed {r:.2}x the limit loop, below 0.5"));
    }
    if ratio.is_none() {
        failed.push("speed not compared: no limit loop".to_string());
    }
    if speedup < 1.8 {
        failed.push(format!("2 threads {speedup:.2}x one, below 1.8"));
    }
    if peak.is_some_and(|kib| kib >= 16 * 1024) {
        failed.push("peak memory at or above 16 MiB".to_string());
    }
    if failed.is_empty() {
        println!("targets met");
    } else {
        println!("TARGETS MISSED: {}", failed.join("; "));
    }
}

/// `--instructions`: instructions per call of rappel and of the limit loop, at the margin
/// (cachegrind, exact on a noisy machine).
fn instructions_per_call() {
    let exe = std::env::current_exe().expect("this benchmark");
    let ours = per_call(|n| {
        let calls = n.to_string();
        instructions(&[
            exe.as_os_str(),
            "--only-reference".as_ref(),
            "--calls".as_ref(),
            calls.as_ref(),
        ])
    });
    let theirs = build_limit().ok().and_then(|lim| {
        per_call(|n| {
            let calls = n.to_string();
            instructions(&[lim.as_os_str(), calls.as_ref()])
        })
    });
    // Short replications, where a run's fixed work per replication (its histograms,
    // cells and fold) weighs as much as its calls: 80 minus 40 replications, over 40.
    let day = |reps: u32| {
        let reps = reps.to_string();
        instructions(&[exe.as_os_str(), "--only-day".as_ref(), reps.as_ref()])
    };
    let per_day = day(40)
        .zip(day(80))
        .map(|(a, b)| b.saturating_sub(a) as f64 / 40.0);
    match ours {
        Some(i) => println!("rappel      {i:.0} instructions per call (target <= 1000)"),
        None => println!("rappel      not measured: is valgrind installed?"),
    }
    match theirs {
        Some(i) => println!("limit loop  {i:.0} instructions per call"),
        None => println!("limit loop  not measured"),
    }
    match per_day {
        Some(i) => println!("realistic day  {i:.0} instructions per replication"),
        None => println!("realistic day  not measured"),
    }
}
