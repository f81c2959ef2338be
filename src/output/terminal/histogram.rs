//! Horizontal bar charts of shares: the waits and the CSAT of a run.

use crate::output::format::{percent, trim};
use crate::run::{CsatShare, WaitBin};

/// A horizontal bar chart of the wait distribution, `width` columns wide.
pub fn histogram(bins: &[WaitBin], width: u16) -> String {
    if bins.is_empty() {
        return "No call reached the queue: no waits to show.\n".into();
    }
    let label = |b: &WaitBin| {
        if b.end_s.is_finite() {
            format!(
                "{:>6}–{:<6}",
                trim(b.start_s),
                format!("{} s", trim(b.end_s))
            )
        } else {
            format!("{:>6}+{:<6}", trim(b.start_s), " s")
        }
    };
    let labels: Vec<String> = bins.iter().map(label).collect();
    let values: Vec<f64> = bins.iter().map(|b| b.share.mean).collect();
    bars(
        "Waits: share of calls that reached the queue",
        &labels,
        &values,
        width,
    )
}

/// A horizontal bar chart of the CSAT distribution of closed tickets.
pub fn csat_histogram(shares: &[CsatShare], width: u16) -> String {
    if shares.iter().all(|s| s.share.mean.is_nan()) {
        return "No ticket closed: no satisfaction to show.\n".into();
    }
    const WORDS: [&str; 5] = [
        "very dissatisfied",
        "dissatisfied",
        "neutral",
        "satisfied",
        "very satisfied",
    ];
    let labels: Vec<String> = shares
        .iter()
        .map(|s| format!("{} {}", s.csat, WORDS[usize::from(s.csat - 1)]))
        .collect();
    let values: Vec<f64> = shares.iter().map(|s| s.share.mean).collect();
    bars(
        "CSAT: share of tickets (open ones scored as unresolved)",
        &labels,
        &values,
        width,
    )
}

/// Bars of `values` (shares) under `title`, one per label, fitted to `width` columns.
fn bars(title: &str, labels: &[String], values: &[f64], width: u16) -> String {
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let bar_w = (width as usize).saturating_sub(lw + 12).clamp(10, 60);
    let max = values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(0.0, f64::max);
    let mut out = format!("{title}\n");
    for (v, l) in values.iter().zip(labels) {
        let v = if v.is_nan() { 0.0 } else { *v };
        let eighths = if max > 0.0 {
            (v / max * bar_w as f64 * 8.0).round() as usize
        } else {
            0
        };
        let mut bar = "█".repeat(eighths / 8);
        if eighths % 8 > 0 {
            bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
        }
        out.push_str(&format!("{l:<lw$} │{bar:<bar_w$} {:>7}\n", percent(v, 1)));
    }
    out
}
