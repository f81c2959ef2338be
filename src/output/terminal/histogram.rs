//! Horizontal bar charts of shares: the waits and the CSAT of a run.
//!
//! The wait chart gives "answered at once" (a wait of 0, to the millisecond) a bar of its
//! own, draws the bins' bars linear in their shares, on the scale of the largest bin (so
//! a bar twice as long is twice as many calls), cuts the "at once" bar with `»` when it is
//! longer than that, shows any share of at least 0.05 % with at least an eighth of a
//! column (so a thin tail still shows), and merges neighbouring bins that all show 0.0 %.
//! Charts set side by side (`rappel compare`) share their bins and their scale.

use crate::output::format::{percent, trim};
use crate::run::{CsatShare, RunResult, WaitBin, wait_bin_edges};

/// The smallest share a bar is drawn for: 0.05 % (rounds to 0.1 %).
const FLOOR: f64 = 0.0005;

/// One row of the wait chart: its label and each run's share.
struct WaitRow {
    label: String,
    shares: Vec<f64>,
}

/// The label of the bins from `start` to `end` seconds.
fn span_label(start: f64, end: f64) -> String {
    if end.is_finite() {
        format!("{:>6}–{:<6}", trim(start), format!("{} s", trim(end)))
    } else {
        format!("{:>6}+{:<6}", trim(start), " s")
    }
}

/// The wait chart's rows for several runs on the same bins: "answered at once", then the
/// bins (the first without the waits of 0), neighbouring bins that show 0.0 % in every
/// run merged into one.
fn wait_rows(dists: &[Vec<WaitBin>], zeros: &[f64]) -> Vec<WaitRow> {
    let Some(first) = dists.first() else {
        return Vec::new();
    };
    let mut rows = vec![WaitRow {
        label: "0 s (at once)".into(),
        shares: zeros
            .iter()
            .map(|z| if z.is_nan() { 0.0 } else { *z })
            .collect(),
    }];
    let value = |v: f64| if v.is_nan() { 0.0 } else { v };
    let mut pending: Option<(f64, f64, Vec<f64>)> = None;
    let flush = |rows: &mut Vec<WaitRow>, p: (f64, f64, Vec<f64>)| {
        rows.push(WaitRow {
            label: span_label(p.0, p.1),
            shares: p.2,
        });
    };
    for (b, bin) in first.iter().enumerate() {
        let shares: Vec<f64> = dists
            .iter()
            .zip(zeros)
            .map(|(d, z)| {
                let v = value(d[b].share.mean);
                if b == 0 { (v - value(*z)).max(0.0) } else { v }
            })
            .collect();
        let empty = shares.iter().all(|v| *v < FLOOR);
        match pending.take() {
            Some(mut p) if empty => {
                p.1 = bin.end_s;
                for (a, v) in p.2.iter_mut().zip(&shares) {
                    *a += v;
                }
                pending = Some(p);
            }
            Some(p) => {
                flush(&mut rows, p);
                pending = Some((bin.start_s, bin.end_s, shares));
            }
            None => pending = Some((bin.start_s, bin.end_s, shares)),
        }
        if !empty && let Some(p) = pending.take() {
            flush(&mut rows, p);
        }
    }
    if let Some(p) = pending {
        flush(&mut rows, p);
    }
    rows
}

/// A linear length in eighths for share `v`, `max` filling `bar_w` columns; more than the
/// bar for a share above `max` (the "at once" bar, which `bars` then cuts).
fn linear_eighths(v: f64, max: f64, bar_w: usize) -> usize {
    if v < FLOOR || max < FLOOR {
        return 0;
    }
    // A share above the floor always shows at least an eighth.
    ((v / max * bar_w as f64 * 8.0).round() as usize).max(1)
}

/// The caption of the wait chart.
const WAIT_TITLE: &str = "Waits, of calls that reached the queue\n\
    (linear bars; » cuts a longer bar)";

/// The wait charts of `runs`, on shared bins and one scale, each `width` columns wide.
pub fn wait_histograms(runs: &[RunResult], width: u16) -> Vec<String> {
    let edges = wait_bin_edges(runs);
    let dists: Vec<Vec<WaitBin>> = runs
        .iter()
        .map(|r| r.wait_distribution_on(&edges))
        .collect();
    if dists.iter().all(Vec::is_empty) {
        return runs
            .iter()
            .map(|_| "No call reached the queue: no waits to show.\n".to_string())
            .collect();
    }
    let zeros: Vec<f64> = runs.iter().map(|r| r.wait_zero_share().mean).collect();
    let rows = wait_rows(&dists, &zeros);
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    // The scale of the bins: "at once" (the first row) can dwarf them, so it is cut instead.
    let bins_max = rows
        .iter()
        .skip(1)
        .flat_map(|r| r.shares.iter().copied())
        .fold(0.0, f64::max);
    let max = if bins_max >= FLOOR {
        bins_max
    } else {
        rows.iter()
            .flat_map(|r| r.shares.iter().copied())
            .fold(0.0, f64::max)
    };
    (0..runs.len())
        .map(|i| {
            let values: Vec<f64> = rows.iter().map(|r| r.shares[i]).collect();
            bars(WAIT_TITLE, &labels, &values, width, |v, w| {
                linear_eighths(v, max, w)
            })
        })
        .collect()
}

/// The wait chart of one run, `width` columns wide.
pub fn histogram(r: &RunResult, width: u16) -> String {
    wait_histograms(std::slice::from_ref(r), width).remove(0)
}

/// A horizontal bar chart of the CSAT distribution of closed tickets, bars linear with
/// `max` (the largest share of the charts set side by side, 0 for this chart's own)
/// filling the bar.
pub fn csat_histogram(shares: &[CsatShare], width: u16, max: f64) -> String {
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
    let own = values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(0.0, f64::max);
    let max = if max > 0.0 { max } else { own };
    bars(
        "CSAT, share of tickets\n(open ones scored as unresolved)",
        &labels,
        &values,
        width,
        |v, w| {
            if max > 0.0 {
                (v / max * w as f64 * 8.0).round() as usize
            } else {
                0
            }
        },
    )
}

/// Bars of `values` (shares) under `title`, one per label, fitted to `width` columns;
/// `eighths` gives a bar's length in eighths of a column for a share and a bar width.
fn bars(
    title: &str,
    labels: &[String],
    values: &[f64],
    width: u16,
    eighths: impl Fn(f64, usize) -> usize,
) -> String {
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let bar_w = (width as usize).saturating_sub(lw + 10).clamp(6, 60);
    let mut out = format!("{title}\n");
    for (v, l) in values.iter().zip(labels) {
        let v = if v.is_nan() { 0.0 } else { *v };
        let e = eighths(v, bar_w);
        let bar = if e > bar_w * 8 {
            // Longer than the chart: cut, and say so.
            format!("{}»", "█".repeat(bar_w - 1))
        } else {
            let mut bar = "█".repeat(e / 8);
            if !e.is_multiple_of(8) {
                bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][e % 8 - 1]);
            }
            bar
        };
        out.push_str(&format!("{l:<lw$} │{bar:<bar_w$} {:>7}\n", percent(v, 1)));
    }
    out
}
