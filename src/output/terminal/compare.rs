//! The terminal table of `rappel compare`, fitted to the width it is given.
//!
//! Scenarios are columns headed by letters (A is the baseline), named once in a legend.
//! Each metric takes one line: its unit in its label, bare numbers in the cells, the mean
//! of every scenario, then every difference from the baseline, marked `*` when it matters
//! (its 95 % interval excludes 0 and it is not 0 as shown). The richest layout that fits
//! is chosen: with the intervals of the differences, without them, the baseline's means
//! and the differences only, or the scenarios in groups of columns, one block each.

use super::figures::{KEY, Scale, bare, scale, short_label, shows_zero_at, unit_name};
use super::{MISSING, csat_histogram, headline, side_by_side, wait_histograms, wrap};
use crate::compare::Row;
use crate::run::RunResult;
use crate::stats::Metric;

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

/// The letter heading scenario `i`'s column: A, B, … Z, then A1, B1, ….
pub fn letter(i: usize) -> String {
    let c = char::from(b'A' + (i % 26) as u8);
    if i < 26 {
        c.to_string()
    } else {
        format!("{c}{}", i / 26)
    }
}

/// The legend: one line per scenario, its letter and its whole name, `(unpaired)` after
/// those that do not see the baseline's customers. A name longer than the width is cut
/// with `…`, never split across lines.
fn legend(names: &[String], unpaired: &[bool], width: usize) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        let tag = if i == 0 {
            " (baseline)"
        } else if unpaired[i] {
            " (unpaired)"
        } else {
            ""
        };
        let mut line = format!("{} = {n}{tag}", letter(i));
        if line.chars().count() > width {
            line = line
                .chars()
                .take(width.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The legend's lines put side by side, three spaces apart, as many on a line as fit.
fn packed(legend: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for entry in legend.lines() {
        let len = line.chars().count();
        if len > 0 && len + 3 + entry.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push_str("   ");
        }
        line.push_str(entry);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// How a difference is coloured: its cell, its value and its metric give the text to
/// write (the same text when colour is off).
pub type Paint<'a> = &'a dyn Fn(&str, f64, Metric) -> String;

/// One metric's figures, written at one scale.
struct Line {
    metric: Metric,
    scale: Scale,
    means: Vec<f64>,
    /// Per scenario after the baseline: (mean, low, high, significant).
    diffs: Vec<Option<(f64, f64, f64, bool)>>,
}

impl Line {
    fn label(&self) -> String {
        let unit = unit_name(self.scale);
        if unit.is_empty() || self.metric == Metric::OfferedContacts {
            short_label(self.metric).to_string()
        } else {
            format!("{}, {unit}", short_label(self.metric))
        }
    }

    /// The difference of scenario `i` (1-based), with `*` when it matters or a space.
    fn diff(&self, i: usize) -> String {
        match self.diffs[i - 1] {
            Some((d, _, _, sig)) if !d.is_nan() => {
                let star = sig && !shows_zero_at(self.scale, d);
                format!(
                    "{}{}",
                    bare(self.scale, d, true),
                    if star { "*" } else { " " }
                )
            }
            _ => format!("{MISSING} "),
        }
    }

    fn interval(&self, i: usize) -> String {
        match self.diffs[i - 1] {
            Some((d, lo, hi, _)) if !d.is_nan() && !lo.is_nan() => format!(
                "{} … {}",
                bare(self.scale, lo, true),
                bare(self.scale, hi, true)
            ),
            _ => MISSING.into(),
        }
    }
}

/// The figures of a compact comparison, so that four scenarios fit in 24 lines: the
/// account of calls is left to the full view.
const COMPACT: [Metric; 9] = [
    Metric::Accessibility,
    Metric::ServiceLevel,
    Metric::AsaS,
    Metric::Occupancy,
    Metric::ResolvedShare,
    Metric::FirstCallResolution,
    Metric::CsatMean,
    Metric::Nps,
    Metric::CostPerTicket,
];

/// The lines of the table, key figures first, `None` where a blank line parts them.
fn lines(runs: &[RunResult], names: &[String], rows: &[Row], compact: bool) -> Vec<Option<Line>> {
    let metrics = comparison_metrics(runs);
    let of = |m: Metric, n: &String| rows.iter().find(|r| r.metric == m && &r.scenario == n);
    // A row when some run shows it (tickets open at the drain cap: when some run has any).
    let shown = |m: &Metric| {
        names
            .iter()
            .any(|n| of(*m, n).is_some_and(|r| super::run::shows(*m, &r.estimate)))
    };
    let line = |m: Metric| {
        let means: Vec<f64> = names
            .iter()
            .map(|n| of(m, n).map_or(f64::NAN, |r| r.estimate.mean))
            .collect();
        let size = means
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::NAN, |a, b| a.max(b.abs()));
        let diffs = names
            .iter()
            .skip(1)
            .map(|n| {
                of(m, n).and_then(|r| {
                    r.diff
                        .map(|d| (d.mean, d.ci95_low, d.ci95_high, r.significant()))
                })
            })
            .collect();
        Line {
            metric: m,
            scale: scale(m, size),
            means,
            diffs,
        }
    };
    let (key, rest): (Vec<Metric>, Vec<Metric>) = metrics
        .into_iter()
        .filter(shown)
        .filter(|m| !compact || COMPACT.contains(m))
        .partition(|m| KEY.contains(m));
    let mut out: Vec<Option<Line>> = key.into_iter().map(|m| Some(line(m))).collect();
    if !rest.is_empty() && !compact {
        out.push(None);
        out.extend(rest.into_iter().map(|m| Some(line(m))));
    }
    out
}

/// Which columns a block shows: the means of `means` (indices), the differences of
/// `diffs` (indices after the baseline), with intervals or not.
struct Layout {
    means: Vec<usize>,
    diffs: Vec<usize>,
    intervals: bool,
}

/// The block of `layout` as text lines (not yet checked against a width).
fn block(lines: &[Option<Line>], layout: &Layout, paint: Paint) -> Vec<String> {
    let mut header = vec![String::new()];
    header.extend(layout.means.iter().map(|&i| letter(i)));
    for &i in &layout.diffs {
        header.push(format!("{}−A ", letter(i)));
        if layout.intervals {
            header.push(format!("{}−A 95 % interval", letter(i)));
        }
    }
    let mut table = vec![Some(header)];
    for l in lines {
        table.push(l.as_ref().map(|l| {
            let mut cells = vec![l.label()];
            cells.extend(
                layout
                    .means
                    .iter()
                    .map(|&i| bare(l.scale, l.means[i], false)),
            );
            for &i in &layout.diffs {
                cells.push(l.diff(i));
                if layout.intervals {
                    cells.push(l.interval(i));
                }
            }
            cells
        }));
    }
    let columns = table.iter().flatten().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            table
                .iter()
                .flatten()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    // The difference shown in column `c` of line `l`, to paint: its value.
    let step = 1 + usize::from(layout.intervals);
    let first = 1 + layout.means.len();
    let diff_at = |l: &Line, c: usize| -> Option<f64> {
        let k = c.checked_sub(first)?;
        if k % step != 0 {
            return None;
        }
        let i = *layout.diffs.get(k / step)?;
        // Only a difference that matters is coloured: noise is neither better nor worse.
        l.diffs[i - 1].filter(|d| d.3).map(|d| d.0)
    };
    table
        .iter()
        .enumerate()
        .map(|(r, row)| match row {
            None => String::new(),
            Some(cells) => {
                let line = r.checked_sub(1).and_then(|r| lines[r].as_ref());
                let mut s = String::new();
                for (c, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                    let pad = " ".repeat(w - cell.chars().count());
                    if c == 0 {
                        s.push_str(cell);
                        s.push_str(&pad);
                    } else {
                        s.push_str("  ");
                        s.push_str(&pad);
                        match line.and_then(|l| Some((l, diff_at(l, c)?))) {
                            Some((l, d)) if !shows_zero_at(l.scale, d) => {
                                s.push_str(&paint(cell, d, l.metric));
                            }
                            _ => s.push_str(cell),
                        }
                    }
                }
                s.truncate(s.trim_end().len());
                s
            }
        })
        .collect()
}

fn fits(text: &[String], width: usize) -> bool {
    text.iter().all(|l| l.chars().count() <= width)
}

/// The table's blocks: the richest layout whose every line fits in `width` (measured
/// without colour), written with `paint` on the differences.
fn blocks(lines: &[Option<Line>], k: usize, width: usize, paint: Paint) -> Vec<Vec<String>> {
    layouts(lines, k, width)
        .iter()
        .map(|l| block(lines, l, paint))
        .collect()
}

/// The layouts of [`blocks`].
fn layouts(lines: &[Option<Line>], k: usize, width: usize) -> Vec<Layout> {
    let plain: Paint = &|t, _, _| t.to_string();
    let others: Vec<usize> = (1..k).collect();
    let all = |intervals| Layout {
        means: (0..k).collect(),
        diffs: others.clone(),
        intervals,
    };
    for layout in [all(true), all(false)] {
        if fits(&block(lines, &layout, plain), width) {
            return vec![layout];
        }
    }
    // The baseline's means and every difference.
    let layout = Layout {
        means: vec![0],
        diffs: others.clone(),
        intervals: false,
    };
    if fits(&block(lines, &layout, plain), width) {
        return vec![layout];
    }
    // Groups of scenarios, each block with the baseline's means.
    for size in (1..k.saturating_sub(1)).rev() {
        let grouped: Vec<Layout> = others
            .chunks(size)
            .map(|g| {
                let mut means = vec![0];
                means.extend(g);
                Layout {
                    means,
                    diffs: g.to_vec(),
                    intervals: false,
                }
            })
            .collect();
        if size == 1 || grouped.iter().all(|l| fits(&block(lines, l, plain), width)) {
            return grouped;
        }
    }
    vec![all(false)]
}

/// The comparison table: a heading, the legend, then each metric's mean per scenario and
/// each scenario's difference from the baseline, fitted to `width` columns (at least 80
/// for six scenarios). A scenario that does not see the baseline's customers is marked
/// `(unpaired)` in the legend, and the heading says why.
pub fn comparison_table(runs: &[RunResult], names: &[String], rows: &[Row], width: u16) -> String {
    table_text(runs, names, rows, width, false, &|t, _, _| t.to_string())
}

/// The comparison table, of the key figures only when `compact`.
fn table_text(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    width: u16,
    compact: bool,
    paint: Paint,
) -> String {
    let width = usize::from(width);
    let unshared = crate::compare::unshared(runs, names);
    let unpaired: Vec<bool> = names
        .iter()
        .map(|n| unshared.iter().any(|u| &u.scenario == n))
        .collect();
    let r = &runs[0].scenario.simulation;
    let heading = match crate::compare::unshared_heading(&unshared, runs.len()) {
        None => format!(
            "{} scenarios on the same customers: {} replications, seed {}",
            runs.len(),
            r.replications,
            r.seed
        ),
        Some(not) => format!(
            "{} scenarios, {not}; {} replications, seed {}",
            runs.len(),
            r.replications,
            r.seed
        ),
    };
    let mut out = wrap(&heading, width, "  ");
    if compact {
        out.push_str(&packed(&legend(names, &unpaired, width), width));
        out.push_str(&wrap(
            "* = the 95 % interval excludes 0; % differences in pp",
            width,
            "  ",
        ));
    } else {
        out.push_str(&legend(names, &unpaired, width));
        out.push_str(&wrap(
            "* = the 95 % interval of the difference excludes 0; differences of % in \
             percentage points; every interval in compare.csv",
            width,
            "  ",
        ));
    }
    let lines = lines(runs, names, rows, compact);
    for b in blocks(&lines, runs.len(), width, paint) {
        out.push('\n');
        for l in b {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// Everything `rappel compare` prints: the table and its verdict, then (unless `compact`)
/// the histograms of waits (on shared bins, one scale) and of CSAT (one scale), side by
/// side as many as fit.
pub fn compare_text(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    width: u16,
    compact: bool,
) -> String {
    compare_text_with(runs, names, rows, None, width, compact, &|t, _, _| {
        t.to_string()
    })
}

/// [`compare_text`], with the effects block of a 2×2 design after the table when there is
/// one (`effects`), and the table's differences written through `paint` (the binary
/// colours them by [`Metric::direction`] when colour is on).
pub fn compare_text_with(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    effects: Option<&crate::factorial::Effects>,
    width: u16,
    compact: bool,
    paint: Paint,
) -> String {
    let mut out = table_text(runs, names, rows, width, compact, paint);
    out.push('\n');
    if compact {
        // A 2×2's effects say what its verdict would, in fewer lines.
        match effects {
            Some(e) => out.push_str(&super::effects::effects_compact(e, runs, width)),
            None => out.push_str(&super::verdict::verdict_in(runs, names, rows, width, true)),
        }
        return out;
    }
    if let Some(e) = effects {
        out.push_str(&super::effects::effects_text(e, runs, width));
        out.push('\n');
    }
    out.push_str(&super::verdict::verdict(runs, names, rows, width));
    let per_row = runs.len().clamp(1, 3) as u16;
    let column = (width / per_row).saturating_sub(2).max(38);
    let titled = |blocks: Vec<String>| -> Vec<String> {
        blocks
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let title: String = format!("{} = {}", letter(i), names[i])
                    .chars()
                    .take(usize::from(column))
                    .collect();
                format!("{title}\n{b}")
            })
            .collect()
    };
    let waits = titled(wait_histograms(runs, column));
    let csat_max = runs
        .iter()
        .flat_map(|r| r.satisfaction_distribution())
        .map(|s| s.share.mean)
        .filter(|v| !v.is_nan())
        .fold(0.0, f64::max);
    let csat = titled(
        runs.iter()
            .map(|r| csat_histogram(&r.satisfaction_distribution(), column, csat_max))
            .collect(),
    );
    out.push('\n');
    out.push_str(&side_by_side(&waits, width));
    out.push_str(&side_by_side(&csat, width));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_shown_as_zero_is_never_starred() {
        let line = Line {
            metric: Metric::ServiceLevel,
            scale: Scale::Share,
            means: vec![0.8, 0.8004],
            diffs: vec![Some((0.0004, 0.0001, 0.0007, true))],
        };
        assert_eq!(line.diff(1), "0.0 ");
        let line = Line {
            diffs: vec![Some((0.045, 0.01, 0.08, true))],
            ..line
        };
        assert_eq!(line.diff(1), "+4.5*");
        assert_eq!(line.interval(1), "+1.0 … +8.0");
        assert_eq!(letter(0), "A");
        assert_eq!(letter(27), "B1");
    }
}
