//! The response curves of the satisfaction model: expected CSAT against the wait on the
//! line (announced or not) and against the time from the first call to resolution, on a
//! logarithmic time axis, for the scenario's own parameters.

use super::scale::{axis, log_axis, tick};
use super::svg::render_sized;
use super::{frame, mesh};
use crate::satisfaction::Curve;
use plotters::prelude::*;

/// Round times (seconds) and their labels for a log time axis.
const TICKS: [(f64, &str); 8] = [
    (1.0, "1 s"),
    (10.0, "10 s"),
    (60.0, "1 min"),
    (600.0, "10 min"),
    (3600.0, "1 h"),
    (14_400.0, "4 h"),
    (86_400.0, "1 day"),
    (604_800.0, "7 days"),
];

/// A chart named `name` of `curves` (each in its colour) over `range` seconds, expected
/// CSAT from 1 to 5 on the y axis.
pub fn response_chart(
    name: &str,
    label: &str,
    x_desc: &str,
    range: (f64, f64),
    curves: &[(RGBColor, &Curve)],
) -> String {
    let keys: Vec<f64> = TICKS
        .iter()
        .map(|t| t.0)
        .filter(|t| (range.0..=range.1).contains(t))
        .collect();
    let x_label = |v: &f64| {
        TICKS
            .iter()
            .find(|t| (t.0 - v).abs() < 1e-9)
            .map_or_else(|| tick(*v), |t| t.1.to_string())
    };
    render_sized(name, label, (super::SMALL_WIDTH, 340), |root| {
        let mut chart = frame(
            root,
            60,
            log_axis(range.0..range.1, keys.clone()),
            axis(1.0..5.0, vec![1.0, 2.0, 3.0, 4.0, 5.0]),
        )?;
        mesh(&mut chart)
            .x_desc(x_desc)
            .y_desc("Expected CSAT (1-5)")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|v| tick(*v))
            .draw()?;
        for (c, curve) in curves {
            let points: Vec<(f64, f64)> = curve
                .points
                .iter()
                .map(|&(x, y)| (x, y.clamp(1.0, 5.0)))
                .collect();
            chart.draw_series(LineSeries::new(points, c.stroke_width(3)))?;
        }
        Ok(())
    })
}
