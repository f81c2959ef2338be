//! The one JSON writer: pretty-printed with two-space indents, as every JSON rappel writes.

use serde::Serialize;

/// `value` as pretty JSON text (no final newline).
pub fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data serialises")
}

/// `value` as the bytes of a JSON file: pretty JSON and a final newline.
pub fn file_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut json = pretty(value).into_bytes();
    json.push(b'\n');
    json
}

/// Every metric of a run as JSON objects `{metric, unit, mean, ci95_low, ci95_high}`, in
/// [`crate::stats::Metric::ALL`] order; undefined values are null.
pub fn metrics(r: &crate::run::RunResult) -> Vec<serde_json::Value> {
    let opt = |v: f64| v.is_finite().then_some(v);
    crate::stats::Metric::ALL
        .iter()
        .map(|m| {
            let e = r.estimate(*m);
            serde_json::json!({
                "metric": m.name(),
                "unit": m.unit(),
                "mean": opt(e.mean),
                "ci95_low": opt(e.ci95_low),
                "ci95_high": opt(e.ci95_high),
            })
        })
        .collect()
}
