//! The terminal table of `rappel compare`.

use super::{MISSING, csat_histogram, headline, histogram, human, side_by_side, signed, table};
use crate::run::{RunResult, wait_bin_edges};
use crate::stats::Metric;
use comfy_table::{Cell, CellAlignment};

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
    metrics.sort_by_key(|m| super::run::table_position(*m));
    metrics
}

/// The comparison table: each headline metric's mean per scenario, then each scenario's
/// difference from the baseline with its 95 % interval, marked `*` when the interval
/// excludes zero. A scenario that does not see the baseline's customers has its column
/// headed `(unpaired)`, and the heading says why.
pub fn comparison_table(
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    width: u16,
) -> String {
    let metrics = comparison_metrics(runs);
    let unshared = crate::compare::unshared(runs, names);
    let mut header = vec!["Metric".to_string()];
    header.extend(names.iter().cloned());
    header.extend(names.iter().skip(1).map(|n| {
        if unshared.iter().any(|u| &u.scenario == n) {
            format!("{n} − {} (unpaired)", names[0])
        } else {
            format!("{n} − {}", names[0])
        }
    }));
    let mut t = table(width);
    t.set_header(header);
    for m in metrics {
        let of = |name: &String| rows.iter().find(|r| r.metric == m && &r.scenario == name);
        // Tickets open at the drain cap: a row only when some run has any.
        if m == Metric::TicketsOpenAtHorizon
            && names
                .iter()
                .all(|n| of(n).is_none_or(|r| r.estimate.mean.is_nan() || r.estimate.mean <= 0.0))
        {
            continue;
        }
        let label = if Metric::OUTCOMES.contains(&m) {
            format!("  {}", m.label())
        } else {
            m.label().to_string()
        };
        let mut cells = vec![Cell::new(label)];
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
                _ => MISSING.into(),
            };
            cells.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        t.add_row(cells);
    }
    let r = &runs[0].scenario.simulation;
    match crate::compare::unshared_heading(&unshared, runs.len()) {
        None => format!(
            "{} scenarios on the same customers: {} replications, seed {}; \
             * = the 95 % interval of the paired difference excludes 0; pp = percentage points\n{t}",
            runs.len(),
            r.replications,
            r.seed
        ),
        Some(not) => format!(
            "{} scenarios, {not}; {} replications, seed {}; \
             * = the 95 % interval of the difference excludes 0; pp = percentage points\n{t}",
            runs.len(),
            r.replications,
            r.seed
        ),
    }
}

/// Everything `rappel compare` prints: the table, then the histograms of waits (on shared
/// bins) and of CSAT, up to three side by side.
pub fn compare_text(
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    width: u16,
) -> String {
    let edges = wait_bin_edges(runs);
    // Up to three histograms side by side, each fitted to its column.
    let per_row = runs.len().min(3) as u16;
    let column = (width / per_row).saturating_sub(2).max(40);
    let waits: Vec<String> = runs
        .iter()
        .zip(names)
        .map(|(r, n)| {
            format!(
                "{n}\n{}",
                histogram(&r.wait_distribution_on(&edges), column)
            )
        })
        .collect();
    let csat: Vec<String> = runs
        .iter()
        .zip(names)
        .map(|(r, n)| {
            format!(
                "{n}\n{}",
                csat_histogram(&r.satisfaction_distribution(), column)
            )
        })
        .collect();
    format!(
        "{}\n{}\n{}",
        comparison_table(runs, names, rows, width),
        side_by_side(&waits, width),
        side_by_side(&csat, width)
    )
}
