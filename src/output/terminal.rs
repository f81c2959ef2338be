//! What a person sees in the terminal: a table of headline metrics and a histogram of waits.

use crate::run::{CsatShare, RunResult, WaitBin};
use crate::scenario::{Flow, Resolution, Scenario};
use crate::stats::{Estimate, Metric};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// Metrics shown in the terminal table, in order: the calls, what the scenario's flow
/// does to them, then the tickets and, where the scenario has costs, the cost.
pub fn headline(s: &Scenario) -> Vec<Metric> {
    let mut out = vec![
        Metric::OfferedContacts,
        Metric::AnsweredShare,
        Metric::AbandonRate,
    ];
    if s.entry.flow == Flow::CallBackLater {
        out.push(Metric::RejectedRate);
    }
    if s.entry.announce.is_some() {
        out.push(Metric::BalkRate);
    }
    out.extend([
        Metric::PWait,
        Metric::AsaS,
        Metric::WaitMeanS,
        Metric::WaitP90S,
        Metric::WaitP99S,
        Metric::ServiceLevel,
        Metric::Occupancy,
        Metric::AgentsStaffedMean,
    ]);
    if s.entry.flow == Flow::Callback {
        out.extend([
            Metric::CallbacksOffered,
            Metric::CallbacksAcceptedShare,
            Metric::CallbacksBrokenShare,
        ]);
    }
    out.extend([
        Metric::Tickets,
        Metric::ResolvedShare,
        Metric::LostShare,
        Metric::FcrRate,
        Metric::ContactsPerTicket,
        Metric::ResolutionTimeP50S,
        Metric::CsatMean,
        Metric::CsatTop2Box,
        Metric::Nps,
    ]);
    let costs = s.outbound_call_cost > 0.0
        || s.teams.iter().any(|t| {
            t.cost_per_hour > 0.0
                || matches!(
                    t.resolution,
                    Resolution::ImmediateResolution { goodwill_cost, .. } if goodwill_cost > 0.0
                )
        });
    if costs {
        out.extend([Metric::CostPerTicket, Metric::CostPerResolvedTicket]);
    }
    out
}

/// Formats a value in the metric's unit for people: shares as percentages.
pub(crate) fn human(m: Metric, v: f64) -> String {
    if v.is_nan() {
        return "–".into();
    }
    match m.unit() {
        "share" => format!("{:.1} %", v * 100.0),
        "s" if v.abs() >= 7200.0 => format!("{:.1} h", v / 3600.0),
        "s" => format!("{v:.1} s"),
        "contacts" | "tickets" | "callbacks" | "points" | "per_1000_tickets" => format!("{v:.0}"),
        _ if v.abs() >= 1000.0 => format!("{v:.0}"),
        _ => format!("{v:.2}"),
    }
}

fn interval(m: Metric, e: &Estimate) -> String {
    if e.ci95_low.is_nan() {
        "(one replication: no interval)".into()
    } else {
        format!("{} – {}", human(m, e.ci95_low), human(m, e.ci95_high))
    }
}

/// The headline table, fitted to `width` columns.
pub fn summary_table(r: &RunResult, width: u16) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(vec!["Metric", "Mean", "95 % interval"]);
    for m in headline(&r.scenario) {
        let e = r.estimate(m);
        t.add_row(vec![
            Cell::new(m.label()),
            Cell::new(human(m, e.mean)).set_alignment(CellAlignment::Right),
            Cell::new(interval(m, &e)).set_alignment(CellAlignment::Right),
        ]);
    }
    format!(
        "{}: {} replications, seed {}\n{t}",
        r.scenario.name, r.scenario.simulation.replications, r.scenario.simulation.seed
    )
}

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
    bars("CSAT: share of closed tickets", &labels, &values, width)
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
        out.push_str(&format!("{l:<lw$} │{bar:<bar_w$} {:>5.1} %\n", v * 100.0));
    }
    out
}

fn trim(v: f64) -> String {
    let s = format!("{v:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The summary as JSON: `{ scenario, replications, seed, metrics: [{metric, unit, mean, ci95_low, ci95_high}] }`.
pub fn summary_json(r: &RunResult) -> String {
    let opt = |v: f64| if v.is_finite() { Some(v) } else { None };
    let metrics: Vec<serde_json::Value> = Metric::ALL
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
        .collect();
    let v = serde_json::json!({
        "scenario": r.scenario.name,
        "replications": r.scenario.simulation.replications,
        "seed": r.scenario.simulation.seed,
        "metrics": metrics,
    });
    serde_json::to_string_pretty(&v).expect("json value serialises")
}

/// The metrics a comparison shows: the headline metrics of any of its scenarios, in
/// output order.
pub(crate) fn comparison_metrics(runs: &[RunResult]) -> Vec<Metric> {
    let mut metrics: Vec<Metric> = Vec::new();
    for r in runs {
        for m in headline(&r.scenario) {
            if !metrics.contains(&m) {
                metrics.push(m);
            }
        }
    }
    metrics.sort_by_key(|m| m.index());
    metrics
}

/// The comparison table: each headline metric's mean per scenario, then each scenario's
/// paired difference from the baseline with its 95 % interval, marked `*` when the
/// interval excludes zero.
pub fn comparison_table(
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    width: u16,
) -> String {
    let metrics = comparison_metrics(runs);
    let mut header = vec!["Metric".to_string()];
    header.extend(names.iter().cloned());
    header.extend(names.iter().skip(1).map(|n| format!("{n} − {}", names[0])));
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header);
    for m in metrics {
        let of = |name: &String| rows.iter().find(|r| r.metric == m && &r.scenario == name);
        let mut cells = vec![Cell::new(m.label())];
        for n in names {
            let v = of(n).map_or(f64::NAN, |r| r.estimate.mean);
            cells.push(Cell::new(human(m, v)).set_alignment(CellAlignment::Right));
        }
        for n in names.iter().skip(1) {
            let text = match of(n).and_then(|r| r.diff.map(|d| (d, r.significant()))) {
                Some((d, significant)) if !d.mean.is_nan() => format!(
                    "{}{} ({} – {})",
                    if significant { "* " } else { "" },
                    signed(m, d.mean),
                    signed(m, d.ci95_low),
                    signed(m, d.ci95_high)
                ),
                _ => "–".into(),
            };
            cells.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        t.add_row(cells);
    }
    let r = &runs[0].scenario.simulation;
    format!(
        "{} scenarios on the same customers: {} replications, seed {}; \
         * = the 95 % interval of the paired difference excludes 0; pp = percentage points\n{t}",
        runs.len(),
        r.replications,
        r.seed
    )
}

/// A difference with its sign; a difference of shares is in percentage points ("pp"), so
/// that +5.0 pp is not read as a relative change of 5 %.
pub(crate) fn signed(m: Metric, v: f64) -> String {
    let text = if m.unit() == "share" && !v.is_nan() {
        format!("{:.1} pp", v * 100.0)
    } else {
        human(m, v)
    };
    if v > 0.0 { format!("+{text}") } else { text }
}

/// Blocks of text placed side by side in columns, as many per row as fit in `width`.
pub fn side_by_side(blocks: &[String], width: u16) -> String {
    let widest = blocks
        .iter()
        .flat_map(|b| b.lines())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let per_row = (usize::from(width) / widest.max(1)).clamp(1, blocks.len().max(1));
    let mut out = String::new();
    for chunk in blocks.chunks(per_row) {
        let lines: Vec<Vec<&str>> = chunk.iter().map(|b| b.lines().collect()).collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let mut line = String::new();
            for (k, l) in lines.iter().enumerate() {
                let cell = l.get(i).copied().unwrap_or("");
                if k + 1 < lines.len() {
                    let pad = widest.saturating_sub(cell.chars().count());
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
