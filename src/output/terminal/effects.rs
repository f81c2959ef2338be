//! The effects block of a 2×2 comparison: for the key metrics, each factor's main effect
//! and the interaction, with their intervals, and a sentence on where the corners' gap
//! comes from.

use super::compare::{comparison_metrics, letter};
use super::figures::{Scale, bare, diff_text, scale, short_label, shows_zero_at, unit_name};
use super::{MISSING, wrap};
use crate::factorial::{Effects, Term};
use crate::run::RunResult;
use crate::stats::{Estimate, Metric};

/// The metrics the effects block shows, when the comparison shows them: satisfaction and
/// cost first, then accessibility, the call account and resolution.
pub const EFFECT_METRICS: [Metric; 10] = [
    Metric::CsatMean,
    Metric::Nps,
    Metric::CostPerTicket,
    Metric::Accessibility,
    Metric::OutcomeAnswered,
    Metric::OutcomeAbandoned,
    Metric::OutcomeBalked,
    Metric::OutcomeRejected,
    Metric::FirstCallResolution,
    Metric::ResolvedShare,
];

/// The metrics of [`EFFECT_METRICS`] the comparison of `runs` shows.
pub fn effect_metrics(runs: &[RunResult]) -> Vec<Metric> {
    let shown = comparison_metrics(runs);
    EFFECT_METRICS
        .into_iter()
        .filter(|m| shown.contains(m))
        .collect()
}

/// The scale a metric is written at: the one its means call for, as in the table.
fn scale_of(runs: &[RunResult], m: Metric) -> Scale {
    let size = runs
        .iter()
        .map(|r| r.estimate(m).mean)
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, |a, b| a.max(b.abs()));
    scale(m, size)
}

/// An effect's cell, `+0.20*` (`*` when its interval excludes 0 and it does not show as
/// 0), and its half-width `±0.03`.
fn cells(s: Scale, e: &Estimate) -> (String, String) {
    if e.mean.is_nan() {
        return (format!("{MISSING} "), String::new());
    }
    let sig = (e.ci95_low > 0.0 || e.ci95_high < 0.0) && !shows_zero_at(s, e.mean);
    let value = format!("{}{}", bare(s, e.mean, true), if sig { "*" } else { " " });
    let h = e.half_width();
    let half = if h.is_nan() {
        String::new()
    } else {
        format!("±{}", bare(s, h, false))
    };
    (value, half)
}

/// The effects block, fitted to `width` (the half-widths dropped when they do not fit):
/// a heading with the factors' levels, a line per key metric, then the sentence on the
/// gap between the corners.
pub fn effects_text(effects: &Effects, runs: &[RunResult], width: u16) -> String {
    let metrics = effect_metrics(runs);
    effects_in(effects, runs, &metrics, width, false)
}

/// The effects block of the compact view: CSAT, NPS and cost only, a heading of one line.
pub fn effects_compact(effects: &Effects, runs: &[RunResult], width: u16) -> String {
    let metrics: Vec<Metric> = effect_metrics(runs).into_iter().take(3).collect();
    effects_in(effects, runs, &metrics, width, true)
}

/// The effects block of `metrics`, with a short heading when `compact`.
fn effects_in(
    effects: &Effects,
    runs: &[RunResult],
    metrics: &[Metric],
    width: u16,
    compact: bool,
) -> String {
    let width = usize::from(width);
    let d = &effects.design;
    let [f0, f1] = &d.factors;
    // The factors and their levels, as both headings name them.
    let factors = format!(
        "{} {} → {}, {} {} → {}",
        f0.name, f0.levels[0], f0.levels[1], f1.name, f1.levels[0], f1.levels[1]
    );
    let mut out = if compact {
        super::verdict::cut(
            &format!(
                "Effects{}: {factors}",
                if effects.paired { "" } else { " (unpaired)" }
            ),
            width,
        ) + "\n"
    } else {
        wrap(
            &format!(
                "Effects of the 2×2{}: {factors}; each factor's effect is the mean of its two \
                 simple effects, ± the 95 % half-width",
                if effects.paired {
                    ""
                } else {
                    " (unpaired: the cells do not share their customers)"
                },
            ),
            width,
            "  ",
        )
    };
    let mut table: Vec<Vec<String>> = vec![{
        let mut h = vec![String::new()];
        for t in Term::ALL {
            h.push(match t {
                Term::Interaction => format!("{} × {}", f0.name, f1.name),
                t => d.term_name(t),
            });
            h.push(String::new());
        }
        h
    }];
    for &m in metrics {
        let s = scale_of(runs, m);
        let unit = unit_name(s);
        let mut row = vec![if unit.is_empty() {
            short_label(m).to_string()
        } else {
            format!("{}, {unit}", short_label(m))
        }];
        for t in Term::ALL {
            let (v, h) = cells(s, &effects.get(m, t));
            row.push(v);
            row.push(h);
        }
        table.push(row);
    }
    // The widths of the body's columns, and of each effect's heading.
    let w = |c: usize| {
        table[1..]
            .iter()
            .map(|r| r[c].chars().count())
            .max()
            .unwrap_or(0)
    };
    let lines = |halves: bool| -> Vec<String> {
        table
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let label = table.iter().map(|r| r[0].chars().count()).max();
                let mut s = pad_right(&r[0], label.unwrap_or(0));
                for t in 0..3 {
                    let (v, h) = (1 + 2 * t, 2 + 2 * t);
                    let cells = if halves { w(v) + 1 + w(h) } else { w(v) };
                    let group = cells.max(table[0][v].chars().count());
                    s.push_str("  ");
                    if i == 0 {
                        s.push_str(&pad_right(&r[v], group));
                        continue;
                    }
                    let lead = group - cells + w(v).saturating_sub(r[v].chars().count());
                    s.push_str(&" ".repeat(lead));
                    s.push_str(&r[v]);
                    if halves {
                        s.push(' ');
                        s.push_str(&pad_right(&r[h], w(h)));
                    }
                }
                s.trim_end().to_string()
            })
            .collect()
    };
    let full = lines(true);
    let body = if full.iter().all(|l| l.chars().count() <= width) {
        full
    } else {
        lines(false)
    };
    for l in body {
        out.push_str(&l);
        out.push('\n');
    }
    if let Some(s) = gap_sentence(effects, runs) {
        out.push_str(&wrap(&s, width, "  "));
    }
    out
}

/// Where the gap between the corners comes from, for NPS (or CSAT when NPS is undefined):
/// the gap is the sum of the two main effects; the interaction is how much the first
/// factor's effect changes with the second's level. `None` when neither is defined.
pub fn gap_sentence(effects: &Effects, runs: &[RunResult]) -> Option<String> {
    let d = &effects.design;
    let m = [Metric::Nps, Metric::CsatMean]
        .into_iter()
        .find(|&m| !effects.get(m, Term::Main(0)).mean.is_nan())?;
    let what = if m == Metric::Nps { "NPS" } else { "CSAT" };
    let (a, b, ab) = (
        effects.get(m, Term::Main(0)).mean,
        effects.get(m, Term::Main(1)).mean,
        effects.get(m, Term::Interaction).mean,
    );
    let [f0, f1] = &d.factors;
    let corner = d.cells[1][1];
    let gap = runs
        .get(corner)
        .map_or(a + b, |r| r.estimate(m).mean - runs[0].estimate(m).mean);
    let t = |v: f64| diff_text(m, v);
    Some(format!(
        "Of the {what} gap between the corners (A → {}: {}), {} comes from the {} and {} \
         from the {}; their interaction is {}: the {}'s effect is {} with {} {} and {} with \
         {} {}.",
        letter(corner),
        t(gap),
        t(a),
        f0.name,
        t(b),
        f1.name,
        t(ab),
        f0.name,
        t(a - ab),
        f1.name,
        f1.levels[0],
        t(a + ab),
        f1.name,
        f1.levels[1]
    ))
}

/// `text` padded with spaces to `width` characters.
fn pad_right(text: &str, width: usize) -> String {
    let mut s = text.to_string();
    s.push_str(&" ".repeat(width.saturating_sub(text.chars().count())));
    s
}
