//! The satisfaction drivers chart.

use super::scale::{axis, nice_step, tick, ticks};
use super::svg::{empty, render};
use super::{clamp, frame, has_interval, mesh, whisker};
use crate::satisfaction::Term;
use crate::stats::Estimate;
use plotters::prelude::*;

/// Drivers that lower satisfaction (one scenario).
const NEGATIVE: RGBColor = RGBColor(213, 94, 0);
/// Drivers that raise satisfaction (one scenario).
const POSITIVE: RGBColor = RGBColor(0, 158, 115);

/// A term's name for people.
pub fn term_label(t: Term) -> &'static str {
    match t {
        Term::Wait => "Wait vs. expectation",
        Term::Time => "Time to resolution",
        Term::Rejections => "Told to call back later",
        Term::ClosedMessages => "Closed messages",
        Term::FailedAttempts => "Balks and abandons",
        Term::ExtraContacts => "Extra contacts",
        Term::Transfers => "Transfers",
        Term::LateCallbacks => "Late callbacks",
        Term::BrokenPromises => "Broken promises",
        Term::FirstContactDelight => "First-contact delight",
        Term::CallbackDelight => "Callback delight",
        Term::GoodwillDelight => "Goodwill delight",
        Term::Noise => "Individual tolerance",
        Term::Unresolved => "Unresolved ceiling",
    }
}

/// The satisfaction drivers: each term's mean points per closed ticket as a horizontal bar
/// from zero, with whiskers. One scenario's bars are coloured by sign; several scenarios'
/// bars are grouped per term in their colours.
pub fn drivers_chart(series: &[(RGBColor, Vec<Estimate>)]) -> String {
    const NAME: &str = "satisfaction-drivers";
    const LABEL_TEXT: &str = "Satisfaction drivers: mean points per closed ticket";
    // A term plays a part when some scenario has a contribution other than exactly 0
    // (callbacks, transfers or goodwill absent from every scenario are left out).
    let part = |e: &Estimate| e.mean.is_finite() && e.mean != 0.0;
    let active: Vec<usize> = (0..Term::ALL.len())
        .filter(|&t| series.iter().any(|s| s.1.get(t).is_some_and(part)))
        .collect();
    if active.is_empty() {
        return empty(
            NAME,
            LABEL_TEXT,
            "No ticket closed: no satisfaction drivers to show.",
        );
    }
    let values = || {
        series
            .iter()
            .flat_map(|s| active.iter().filter_map(|&t| s.1.get(t)))
    };
    let ends = || {
        values()
            .flat_map(|e| [e.mean, e.ci95_low, e.ci95_high])
            .filter(|v| v.is_finite())
    };
    let lo = ends().fold(0.0, f64::min);
    let hi = ends().fold(0.0, f64::max);
    let step = nice_step((hi - lo).max(1e-6) / 8.0);
    let (x_lo, x_hi) = (
        (lo / step).floor() * step - if lo < 0.0 { step * 0.3 } else { 0.0 },
        (hi / step).ceil() * step + if hi > 0.0 { step * 0.3 } else { 0.0 },
    );
    let (x_lo, x_hi) = if x_hi - x_lo > 0.0 {
        (x_lo, x_hi)
    } else {
        (-1.0, 1.0)
    };
    let n = active.len();
    let single = series.len() == 1;
    let row = if single {
        40
    } else {
        24 + 16 * series.len() as u32
    };
    let height = 110 + n as u32 * row;
    render(NAME, LABEL_TEXT, height, |root| {
        let mut chart = frame(
            root,
            200,
            axis(x_lo..x_hi, ticks(x_lo, x_hi, 8)),
            axis(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
        )?;
        // Row k (from the top) shows term active[k].
        let y_label = |v: &f64| {
            let k = n - 1 - (v.round().max(0.0) as usize).min(n - 1);
            term_label(Term::ALL[active[k]]).to_string()
        };
        mesh(&mut chart)
            .disable_y_mesh()
            .x_desc("Mean contribution to the satisfaction score (points per closed ticket)")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&y_label)
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            BLACK.mix(0.7).stroke_width(1),
        )))?;
        let group = 0.7;
        let bh = group / series.len() as f64;
        let x = |v: f64| clamp(v, x_lo, x_hi);
        for (j, (c, terms)) in series.iter().enumerate() {
            let y0 = |k: usize| (n - 1 - k) as f64 + group / 2.0 - (j + 1) as f64 * bh;
            let shown = || {
                active
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &t)| terms.get(t).filter(|e| part(e)).map(|e| (k, e)))
            };
            chart.draw_series(shown().map(|(k, e)| {
                let colour = match (single, e.mean < 0.0) {
                    (false, _) => *c,
                    (true, true) => NEGATIVE,
                    (true, false) => POSITIVE,
                };
                Rectangle::new(
                    [(0.0, y0(k) + bh * 0.08), (x(e.mean), y0(k) + bh * 0.92)],
                    colour.filled(),
                )
            }))?;
            let spread = |e: &Estimate| has_interval(e) && e.ci95_high > e.ci95_low;
            chart.draw_series(shown().filter(|(_, e)| spread(e)).map(|(k, e)| {
                whisker(
                    y0(k) + bh / 2.0,
                    x(e.ci95_low),
                    x(e.ci95_high),
                    bh * 0.2,
                    true,
                )
            }))?;
        }
        Ok(())
    })
}
