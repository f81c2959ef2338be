//! Coverage-guided fuzzing of everything a scenario file reaches: TOML text -> parse ->
//! validate -> one short replication. A panic, a hang (libFuzzer's -timeout) or a memory
//! blow-up (-rss_limit_mb) is a finding; a refused scenario is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rappel::centre::simulate;
use rappel::scenario::Scenario;

/// Scenarios expected to offer more calls than this are validated but not simulated: the
/// fuzzer looks for wrong behaviour, not for long runs.
const MAX_EXPECTED_CALLS: f64 = 20_000.0;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_toml(text, "fuzz.toml") else {
        return;
    };
    let days = (scenario.simulation.horizon / 86_400.0).ceil().max(1.0);
    let per_day: f64 = scenario.arrivals.rates_per_hour.iter().sum::<f64>()
        * scenario.day.interval
        / 3600.0
        * scenario.arrivals.day_scale.iter().cloned().fold(0.0, f64::max);
    if per_day * days <= MAX_EXPECTED_CALLS {
        let _ = simulate(&scenario, 0);
    }
});
