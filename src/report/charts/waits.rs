//! The wait-time distribution chart.

use super::scale::{axis, nice_top, tick, ticks};
use super::svg::{empty, render};
use super::{FONT, LABEL, clamp, frame, has_interval, mesh, pct, whisker};
use crate::run::WaitBin;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The wait-time distribution: bars with whiskers for one scenario; lines with bands,
/// one per scenario, for several. All series share the bins.
pub fn wait_chart(series: &[(RGBColor, Vec<WaitBin>)]) -> String {
    const NAME: &str = "wait-distribution";
    const LABEL_TEXT: &str = "Wait-time distribution of the calls that reached the queue";
    let Some(bins) = series.first().map(|s| &s.1).filter(|b| !b.is_empty()) else {
        return empty(
            NAME,
            LABEL_TEXT,
            "No call reached the queue: no waits to show.",
        );
    };
    let width = bins[0].end_s - bins[0].start_s;
    let tail = bins
        .last()
        .filter(|b| b.end_s.is_infinite())
        .map(|b| b.start_s);
    let end = |b: &WaitBin| {
        if b.end_s.is_finite() {
            b.end_s
        } else {
            b.start_s + width
        }
    };
    let x_end = bins.last().map_or(width, end);
    let top = series
        .iter()
        .flat_map(|s| &s.1)
        .map(|b| pct(b.share.mean.max(b.share.ci95_high)))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    // Shares: no axis beyond 100 %, even when an interval reaches past it.
    let y_top = nice_top(top).min(100.0);
    let regular_end = tail.unwrap_or(x_end);
    render(NAME, LABEL_TEXT, 420, |root| {
        let mut chart = frame(
            root,
            78,
            axis(0.0..x_end, ticks(0.0, regular_end, 10)),
            axis(0.0..y_top, ticks(0.0, y_top, 6)),
        )?;
        mesh(&mut chart)
            .disable_x_mesh()
            .x_desc("Wait until answer or abandonment (s)")
            .y_desc("Share of calls that reached the queue (%)")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .draw()?;
        let y = |v: f64| clamp(pct(v), 0.0, y_top);
        let single = series.len() == 1;
        for (c, bins) in series {
            let defined: Vec<&WaitBin> = bins.iter().filter(|b| b.share.mean.is_finite()).collect();
            if single {
                let gap = width * 0.08;
                chart.draw_series(defined.iter().map(|b| {
                    let style = if b.end_s.is_finite() {
                        c.filled()
                    } else {
                        c.mix(0.5).filled()
                    };
                    Rectangle::new(
                        [(b.start_s + gap, 0.0), (end(b) - gap, y(b.share.mean))],
                        style,
                    )
                }))?;
            } else {
                let regular: Vec<(f64, f64)> = defined
                    .iter()
                    .filter(|b| b.end_s.is_finite())
                    .map(|b| ((b.start_s + b.end_s) / 2.0, y(b.share.mean)))
                    .collect();
                let band: Vec<&&WaitBin> = defined
                    .iter()
                    .filter(|b| b.end_s.is_finite() && has_interval(&b.share))
                    .collect();
                if band.len() >= 2 {
                    let mut poly: Vec<(f64, f64)> = band
                        .iter()
                        .map(|b| ((b.start_s + b.end_s) / 2.0, y(b.share.ci95_high)))
                        .collect();
                    poly.extend(
                        band.iter()
                            .rev()
                            .map(|b| ((b.start_s + b.end_s) / 2.0, y(b.share.ci95_low))),
                    );
                    chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.18).filled())))?;
                }
                chart.draw_series(LineSeries::new(regular.clone(), c.stroke_width(2)))?;
                chart.draw_series(regular.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
                if let Some(b) = defined.iter().find(|b| b.end_s.is_infinite()) {
                    let p = (b.start_s + width / 2.0, y(b.share.mean));
                    chart.draw_series(std::iter::once(Circle::new(p, 4, c.filled())))?;
                }
            }
            let cap = width * if single { 0.18 } else { 0.1 };
            chart.draw_series(defined.iter().filter(|b| has_interval(&b.share)).map(|b| {
                let mid = (b.start_s + end(b)) / 2.0;
                whisker(mid, y(b.share.ci95_low), y(b.share.ci95_high), cap, false)
            }))?;
        }
        if let Some(t) = tail {
            let high = series
                .iter()
                .filter_map(|s| s.1.last())
                .map(|b| pct(b.share.mean.max(b.share.ci95_high)))
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
            let at = (t + width / 2.0, clamp(high, 0.0, y_top));
            let style =
                TextStyle::from((FONT, LABEL).into_font()).pos(Pos::new(HPos::Right, VPos::Bottom));
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(format!("≥ {} s", tick(t)), (4, -6), style),
            ))?;
        }
        Ok(())
    })
}
