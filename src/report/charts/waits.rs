//! The wait-time distribution chart: the calls answered at once in a bar of their own,
//! then round bins of waits, on a logarithmic share axis so that the tail's small shares
//! show.

use super::scale::{axis, log_axis, tick};
use super::svg::{empty, render_sized};
use super::{FONT, LABEL, frame, has_interval, mesh, pct, whisker};
use crate::run::WaitBin;
use crate::stats::Estimate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One scenario's waits: its colour, the share answered at once (0 s) and the bins (the
/// first without the waits of 0 s).
pub type WaitSeries = (RGBColor, Estimate, Vec<WaitBin>);

/// The lowest share the axis shows, in %: shares below are drawn at it.
const FLOOR_PCT: f64 = 0.01;

/// The wait-time distribution of series `k`, as bars with whiskers, on axes that fit every
/// series (small multiples of a comparison share them), on a chart `width` pixels wide.
pub fn wait_chart(series: &[WaitSeries], k: usize, width: u32) -> String {
    const NAME: &str = "wait-distribution";
    const LABEL_TEXT: &str = "Wait-time distribution of the calls that reached the queue";
    let Some((c, zero, bins)) = series.get(k).filter(|s| !s.2.is_empty()) else {
        return empty(
            NAME,
            LABEL_TEXT,
            "No call reached the queue: no waits to show.",
        );
    };
    let bin = bins[0].end_s - bins[0].start_s;
    let tail = bins
        .last()
        .filter(|b| b.end_s.is_infinite())
        .map(|b| b.start_s);
    let end = |b: &WaitBin| {
        if b.end_s.is_finite() {
            b.end_s
        } else {
            b.start_s + bin
        }
    };
    let x_end = bins.last().map_or(bin, end);
    let regular_end = tail.unwrap_or(x_end);
    // The bar of the calls answered at once stands apart, left of 0 s.
    let slot = (x_end * 0.16).max(2.0 * bin);
    let at_once = (-slot * 0.85, -slot * 0.25);
    let shares = || {
        series
            .iter()
            .flat_map(|s| std::iter::once(&s.1).chain(s.2.iter().map(|b| &b.share)))
    };
    let lowest = shares()
        .map(|e| pct(e.mean))
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(100.0, f64::min);
    // Powers of ten from below the smallest share to 100 %.
    let lo = 10f64.powf(lowest.log10().floor()).clamp(FLOOR_PCT, 1.0);
    let highest = shares()
        .map(|e| pct(e.mean.max(e.ci95_high)))
        .filter(|v| v.is_finite())
        .fold(lo, f64::max);
    let hi = 10f64.powf(highest.log10().ceil()).clamp(lo * 10.0, 100.0);
    let decades: Vec<f64> = (0..)
        .map(|k| lo * 10f64.powi(k))
        .take_while(|v| *v <= hi * 1.0001)
        .collect();
    let y = |v: f64| pct(v).clamp(lo, hi);
    let step = super::scale::nice_step(regular_end / (f64::from(width) / 90.0));
    let mut x_keys = vec![(at_once.0 + at_once.1) / 2.0];
    x_keys.extend(
        (1..)
            .map(|i| f64::from(i) * step)
            .take_while(|v| *v <= regular_end + 1e-9),
    );
    let height = if width < 700 { 340 } else { 420 };
    render_sized(NAME, LABEL_TEXT, (width, height), |root| {
        let mut chart = frame(
            root,
            78,
            axis(-slot..x_end, x_keys.clone()),
            log_axis(lo..hi, decades.clone()),
        )?;
        let x_label = |v: &f64| {
            if *v < 0.0 {
                "at once".to_string()
            } else {
                tick(*v)
            }
        };
        mesh(&mut chart)
            .disable_x_mesh()
            .x_desc("Wait until answer or abandonment (s)")
            .y_desc("Share of calls (%, log scale)")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|v| tick(*v))
            .draw()?;
        // The bins start at 0 s, right of the bar apart.
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, lo), (0.0, hi)],
            BLACK.mix(0.3).stroke_width(1),
        )))?;
        let bars =
            std::iter::once((at_once.0, at_once.1, zero, true)).chain(bins.iter().map(|b| {
                (
                    b.start_s + bin * 0.08,
                    end(b) - bin * 0.08,
                    &b.share,
                    b.end_s.is_finite(),
                )
            }));
        let shown: Vec<_> = bars
            .filter(|(_, _, e, _)| e.mean.is_finite() && e.mean > 0.0)
            .collect();
        chart.draw_series(shown.iter().map(|&(a, b, e, regular)| {
            let style = if regular {
                c.filled()
            } else {
                c.mix(0.5).filled()
            };
            Rectangle::new([(a, lo), (b, y(e.mean))], style)
        }))?;
        chart.draw_series(shown.iter().filter(|(_, _, e, _)| has_interval(e)).map(
            |&(a, b, e, _)| {
                let cap = (b - a) * 0.2;
                whisker((a + b) / 2.0, y(e.ci95_low), y(e.ci95_high), cap, false)
            },
        ))?;
        if let Some(t) = tail {
            let high = series
                .iter()
                .filter_map(|s| s.2.last())
                .map(|b| pct(b.share.mean.max(b.share.ci95_high)))
                .filter(|v| v.is_finite())
                .fold(lo, f64::max);
            let at = (t + bin / 2.0, high.clamp(lo, hi));
            let style =
                TextStyle::from((FONT, LABEL).into_font()).pos(Pos::new(HPos::Right, VPos::Bottom));
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(format!("≥ {} s", tick(t)), (4, -6), style),
            ))?;
        }
        Ok(())
    })
}
