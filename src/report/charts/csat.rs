//! The CSAT distribution chart.

use super::scale::{axis, nice_top, tick, ticks};
use super::svg::{empty, render};
use super::{FONT, LABEL, clamp, frame, has_interval, mesh, pct, whisker};
use crate::run::CsatShare;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The five CSAT values' shares of closed tickets: bars grouped by value, one bar per
/// scenario, with whiskers; one scenario's bars carry their value.
pub fn csat_chart(series: &[(RGBColor, Vec<CsatShare>)]) -> String {
    const NAME: &str = "csat-distribution";
    const LABEL_TEXT: &str = "CSAT distribution of closed tickets";
    const WORDS: [&str; 5] = [
        "1 very dissatisfied",
        "2 dissatisfied",
        "3 neutral",
        "4 satisfied",
        "5 very satisfied",
    ];
    let values = || series.iter().flat_map(|s| &s.1);
    if values().all(|v| v.share.mean.is_nan()) {
        return empty(
            NAME,
            LABEL_TEXT,
            "No ticket closed: no satisfaction to show.",
        );
    }
    let top = values()
        .map(|v| pct(v.share.mean.max(v.share.ci95_high)))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let single = series.len() == 1;
    let y_top = nice_top(top * if single { 1.1 } else { 1.0 }).min(100.0);
    render(NAME, LABEL_TEXT, 400, |root| {
        let mut chart = frame(
            root,
            78,
            axis(-0.5..4.5, vec![0.0, 1.0, 2.0, 3.0, 4.0]),
            axis(0.0..y_top, ticks(0.0, y_top, 6)),
        )?;
        mesh(&mut chart)
            .disable_x_mesh()
            .x_desc("CSAT score")
            .y_desc("Share of closed tickets (%)")
            .x_label_formatter(&|v| {
                WORDS
                    .get(v.round().max(0.0) as usize)
                    .map_or(String::new(), |w| (*w).to_string())
            })
            .y_label_formatter(&|v| tick(*v))
            .draw()?;
        let group = 0.72;
        let bw = group / series.len() as f64;
        let y = |v: f64| clamp(pct(v), 0.0, y_top);
        for (j, (c, shares)) in series.iter().enumerate() {
            let x0 = |i: usize| i as f64 - group / 2.0 + j as f64 * bw;
            let defined = || {
                shares
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.share.mean.is_finite())
            };
            chart.draw_series(defined().map(|(i, s)| {
                Rectangle::new(
                    [
                        (x0(i) + bw * 0.06, 0.0),
                        (x0(i) + bw * 0.94, y(s.share.mean)),
                    ],
                    c.filled(),
                )
            }))?;
            chart.draw_series(defined().filter(|(_, s)| has_interval(&s.share)).map(
                |(i, s)| {
                    whisker(
                        x0(i) + bw / 2.0,
                        y(s.share.ci95_low),
                        y(s.share.ci95_high),
                        bw * 0.15,
                        false,
                    )
                },
            ))?;
            if single {
                let style = TextStyle::from((FONT, LABEL).into_font())
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                chart.draw_series(defined().map(|(i, s)| {
                    let high = s.share.mean.max(s.share.ci95_high);
                    let high = if high.is_finite() { high } else { s.share.mean };
                    EmptyElement::at((x0(i) + bw / 2.0, y(high)))
                        + Text::new(
                            format!("{:.1} %", pct(s.share.mean)),
                            (0, -6),
                            style.clone(),
                        )
                }))?;
            }
        }
        Ok(())
    })
}
