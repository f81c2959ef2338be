//! Coverage-guided fuzzing of everything a scenario file reaches: TOML text -> parse ->
//! validate -> one short replication, as `rappel run` does it, with every output written in
//! memory (CSV files, run.json, report.html, the terminal table) -> a traced replication, as
//! `rappel trace` does it. A panic, a hang (libFuzzer's -timeout) or a memory blow-up
//! (-rss_limit_mb, -malloc_limit_mb) is a finding; a refused scenario is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rappel::centre::{TraceEvent, simulate_traced};
use rappel::output::{AtomicDir, summary_json, summary_table, write_run_files};
use rappel::report::run_report;
use rappel::run::run_scenario;
use rappel::scenario::Scenario;

/// Scenarios expected to offer more new tickets than this are validated but not simulated:
/// the fuzzer looks for wrong behaviour, not for long runs. Redials, call-agains,
/// escalations and callbacks come on top, so a loop that never ends is still found (as a
/// timeout) at any load.
const MAX_EXPECTED_CALLS: f64 = 20_000.0;

/// Customers followed by the traced replication.
const TRACED: u64 = 5;

/// Expected new tickets over the whole run: the busiest day's scale on every day.
fn expected_calls(s: &Scenario) -> f64 {
    let days = (s.simulation.horizon / 86_400.0).ceil().max(1.0);
    let per_day: f64 = s.arrivals.rates_per_hour.iter().sum::<f64>() * s.day.interval / 3600.0
        * s.arrivals.day_scale.iter().cloned().fold(0.0, f64::max);
    per_day * days
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Invalid UTF-8 goes through the file reader's path: an error, never a panic.
        let _ = Scenario::from_toml(&String::from_utf8_lossy(data), "fuzz.toml");
        return;
    };
    let Ok(mut scenario) = Scenario::from_toml(text, "fuzz.toml") else {
        return;
    };
    let expected = expected_calls(&scenario);
    if !(expected <= MAX_EXPECTED_CALLS) {
        return;
    }
    // `rappel run --replications 1 -j 1`, every file built in memory and never committed.
    scenario.simulation.replications = 1;
    let result = run_scenario(&scenario, Some(1), |_| {});
    let mut dir = AtomicDir::new(std::path::Path::new("/nonexistent/rappel-fuzz"));
    let rows = std::path::PathBuf::from("/nonexistent/rappel-fuzz/.replications.csv.part-0");
    write_run_files(&mut dir, &result, rows, "fuzz.toml", text, None);
    let _ = run_report(&result);
    let _ = summary_json(&result);
    let _ = summary_table(&result, 100);
    // `rappel trace`: another replication, its first customers' steps formatted.
    let mut steps = 0usize;
    let mut sink = |e: &TraceEvent| {
        steps += format!("{e:?}").len();
    };
    let _ = simulate_traced(&scenario, 1, TRACED, &mut sink);
});
