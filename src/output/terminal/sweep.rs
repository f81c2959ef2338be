//! The terminal table of `rappel sweep`.

use super::{MISSING, headline, table};
use crate::stats::{Estimate, Metric};
use crate::sweep::SweepResult;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, Width};

/// The metrics shown in the terminal, when a point's headline shows them.
/// Accessibility beside the service level, so that a point that turns callers away cannot
/// look best; the outcomes as shares of every call offered.
const COLUMNS: [Metric; 6] = [
    Metric::Accessibility,
    Metric::ServiceLevel,
    Metric::OutcomeAbandoned,
    Metric::OutcomeRejected,
    Metric::CsatMean,
    Metric::CostPerTicket,
];

/// Point value `v` of axis `i` as shown (`+2` for a change).
fn axis_text(r: &SweepResult, i: usize, v: &toml::Value) -> String {
    r.axes[i].text(v)
}

/// A column's header: the metric's label, with `%` for shares.
fn header(m: Metric) -> String {
    if Metric::OUTCOMES.contains(&m) {
        let label = m.label();
        let mut chars = label.chars();
        let first = chars
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default();
        format!("{first}{} (% of offered)", chars.as_str())
    } else if m.unit() == "share" {
        format!("{} (%)", m.label())
    } else {
        m.label().to_string()
    }
}

/// A value with its interval's half-width; shares in percent.
fn cell(m: Metric, e: &Estimate) -> String {
    if e.mean.is_nan() {
        return MISSING.into();
    }
    let (scale, decimals) = if m.unit() == "share" {
        (100.0, 1)
    } else {
        (1.0, 2)
    };
    let hw = e.half_width();
    if hw.is_nan() {
        format!("{:.decimals$}", e.mean * scale)
    } else {
        format!("{:.decimals$} ± {:.decimals$}", e.mean * scale, hw * scale)
    }
}

/// Splits a key path into lines of at most `width` characters, breaking after dots.
fn wrap_key(key: &str, width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    let parts: Vec<&str> = key.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let piece = if i + 1 < parts.len() {
            format!("{part}.")
        } else {
            part.to_string()
        };
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + piece.chars().count() > width {
            lines.push(piece);
        } else {
            line.push_str(&piece);
        }
    }
    lines.join("\n")
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A column of the terminal table: header, cells, and the narrowest width that breaks no value.
type Column = (String, Vec<String>, usize);

/// The columns that fit in `width`: the swept keys (their headers broken after dots when
/// `wrap` is set), then the headline metrics in order; also how many metrics were left out.
fn layout(r: &SweepResult, width: u16, wrap: bool) -> (Vec<Column>, usize) {
    let mut columns: Vec<Column> = r
        .axes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cells: Vec<String> = r
                .points
                .iter()
                .map(|(v, _)| axis_text(r, i, &v[i]))
                .collect();
            // A change reads `KEY+=`, as it was written.
            let key = if a.change {
                format!("{}+=", a.key)
            } else {
                a.key.clone()
            };
            let head = if wrap {
                key.split('.').map(|p| chars(p) + 1).max().unwrap_or(1)
            } else {
                chars(&key)
            };
            let w = cells.iter().map(|c| chars(c)).max().unwrap_or(1).max(head);
            (wrap_key(&key, w), cells, w)
        })
        .collect();
    let total = |cols: &[Column]| 1 + cols.iter().map(|c| c.2 + 3).sum::<usize>();
    let mut left_out = 0;
    for m in COLUMNS {
        if !r
            .points
            .iter()
            .any(|(_, run)| headline(&run.scenario).contains(&m))
        {
            continue;
        }
        let head = header(m);
        let cells: Vec<String> = r
            .points
            .iter()
            .map(|(_, run)| cell(m, &run.estimate(m)))
            .collect();
        let w = cells
            .iter()
            .map(|c| chars(c))
            .chain(head.split(' ').map(chars))
            .max()
            .unwrap_or(1);
        columns.push((head, cells, w));
        if columns.len() > r.axes.len() + 1 && total(&columns) > usize::from(width) {
            columns.pop();
            left_out += 1;
        }
    }
    (columns, left_out)
}

/// One row per point: the swept values, then as many headline metrics (with their
/// intervals) as fit in `width` columns without breaking a value.
pub fn sweep_table(r: &SweepResult, width: u16) -> String {
    let (columns, left_out) = match layout(r, width, false) {
        (c, 0) => (c, 0),
        _ => layout(r, width, true),
    };
    let mut t = table(width);
    t.set_header(columns.iter().map(|c| c.0.clone()));
    for (i, c) in columns.iter().enumerate() {
        if let Some(col) = t.column_mut(i) {
            let w = u16::try_from(c.2 + 2).unwrap_or(u16::MAX);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
    for row in 0..r.points.len() {
        t.add_row(
            columns
                .iter()
                .map(|c| Cell::new(&c.1[row]).set_alignment(CellAlignment::Right)),
        );
    }
    let first = &r.points[0].1.scenario;
    let more = if left_out > 0 {
        format!(
            "\n({left_out} more column{} in sweep.csv; a wider terminal shows them)",
            if left_out == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    format!(
        "{}: {} point{} × {} replications, seed {} (mean ± half-width of the 95 % interval)\n{t}{more}",
        first.name,
        r.points.len(),
        if r.points.len() == 1 { "" } else { "s" },
        first.simulation.replications,
        first.simulation.seed
    )
}
