//! How numbers are written: [`num`] for files, the rest for people (terminal and report).

use crate::scenario::DAY;
use crate::stats::Metric;

/// What a person sees for an undefined value.
pub const MISSING: &str = "–";

/// Formats a float for CSV: empty when undefined, `inf` when infinite.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        // Shortest representation that round-trips: stable across runs and platforms.
        let s = format!("{v}");
        if s == "-0" { "0".into() } else { s }
    }
}

/// A share as a percentage with `decimals` decimals: `0.8123` → `81.2 %`.
pub fn percent(v: f64, decimals: usize) -> String {
    format!("{:.decimals$} %", v * 100.0)
}

/// Formats a value in the metric's unit for people: shares as percentages.
pub fn human(m: Metric, v: f64) -> String {
    if v.is_nan() {
        return MISSING.into();
    }
    match m.unit() {
        "share" => percent(v, 1),
        "s" if v.abs() >= 7200.0 => format!("{:.1} h", v / 3600.0),
        "s" => format!("{v:.1} s"),
        "contacts" | "tickets" | "callbacks" | "points" | "per_1000_tickets" => format!("{v:.0}"),
        _ if v.abs() >= 1000.0 => format!("{v:.0}"),
        _ => format!("{v:.2}"),
    }
}

/// A difference with its sign; a difference of shares is in percentage points ("pp"), so
/// that +5.0 pp is not read as a relative change of 5 %.
pub fn signed(m: Metric, v: f64) -> String {
    let text = if m.unit() == "share" && !v.is_nan() {
        format!("{:.1} pp", v * 100.0)
    } else {
        human(m, v)
    };
    if v > 0.0 { format!("+{text}") } else { text }
}

/// A number with one decimal at most and no trailing zeros: `2.50` → `2.5`, `3.0` → `3`.
pub fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A duration in seconds for people: "45 s", "15 min", "8 h", "2 d".
pub fn duration(s: f64) -> String {
    let trim = |v: f64| {
        let t = format!("{v:.2}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if s >= DAY && (s / DAY).fract() == 0.0 {
        format!("{} d", trim(s / DAY))
    } else if s >= 3600.0 {
        format!("{} h", trim(s / 3600.0))
    } else if s >= 60.0 {
        format!("{} min", trim(s / 60.0))
    } else {
        format!("{} s", trim(s))
    }
}
