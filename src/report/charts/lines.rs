//! A chart of lines, points and 95 % bands on linear axes: the fit report's back-test per
//! interval (the log's line over the simulation's band), its Kaplan–Meier curve against
//! the fitted patience, its Q–Q plots and its arrival profiles.

use super::scale::{axis, nice_top, tick, ticks};
use super::svg::{empty, render_sized};
use super::{frame, mesh};
use plotters::prelude::*;

/// What one series draws.
#[derive(Debug, Clone)]
pub enum Mark {
    /// A line through the points (a NaN breaks it).
    Line(Vec<(f64, f64)>),
    /// A step line (a survival curve): each value holds until the next point's x.
    Steps(Vec<(f64, f64)>),
    /// Dots.
    Points(Vec<(f64, f64)>),
    /// A band from low to high at each x (NaN breaks it).
    Band(Vec<(f64, f64, f64)>),
}

/// One series: its colour and marks.
pub type Series = (RGBColor, Mark);

/// The axes of a line chart.
#[derive(Debug, Clone)]
pub struct Axes {
    /// The x range.
    pub x: (f64, f64),
    /// The x ticks and their labels.
    pub x_ticks: Vec<(f64, String)>,
    /// The x axis's description.
    pub x_desc: String,
    /// The y axis's description.
    pub y_desc: String,
    /// The y range's top, or `None` to fit the data (from 0).
    pub y_top: Option<f64>,
}

/// A chart named `name` of `series` on `axes`, `size` pixels.
pub fn line_chart(
    name: &str,
    label: &str,
    axes: &Axes,
    series: &[Series],
    size: (u32, u32),
) -> String {
    let ys = series.iter().flat_map(|(_, m)| match m {
        Mark::Line(p) | Mark::Steps(p) | Mark::Points(p) => {
            p.iter().map(|q| q.1).collect::<Vec<_>>()
        }
        Mark::Band(b) => b.iter().map(|q| q.2).collect(),
    });
    let top = axes
        .y_top
        .unwrap_or_else(|| nice_top(ys.filter(|v| v.is_finite()).fold(0.0, f64::max)));
    if !top.is_finite() || axes.x.1 <= axes.x.0 {
        return empty(name, label, "No data to draw.");
    }
    let x_keys: Vec<f64> = axes.x_ticks.iter().map(|t| t.0).collect();
    let x_label = |v: &f64| {
        axes.x_ticks
            .iter()
            .find(|t| (t.0 - v).abs() < 1e-9)
            .map_or_else(|| tick(*v), |t| t.1.clone())
    };
    let clampy = |v: f64| v.clamp(0.0, top);
    render_sized(name, label, size, |root| {
        let mut chart = frame(
            root,
            70,
            axis(axes.x.0..axes.x.1, x_keys.clone()),
            axis(0.0..top, ticks(0.0, top, 5)),
        )?;
        mesh(&mut chart)
            .x_desc(axes.x_desc.as_str())
            .y_desc(axes.y_desc.as_str())
            .x_label_formatter(&x_label)
            .y_label_formatter(&|v| tick(*v))
            .draw()?;
        for (c, mark) in series {
            match mark {
                Mark::Band(b) => {
                    for run in b.split(|p| !(p.1.is_finite() && p.2.is_finite())) {
                        if run.is_empty() {
                            continue;
                        }
                        let mut poly: Vec<(f64, f64)> =
                            run.iter().map(|p| (p.0, clampy(p.2))).collect();
                        poly.extend(run.iter().rev().map(|p| (p.0, clampy(p.1))));
                        chart.draw_series(std::iter::once(Polygon::new(
                            poly,
                            c.mix(0.25).filled(),
                        )))?;
                    }
                }
                Mark::Line(p) => {
                    for run in p.split(|q| !q.1.is_finite()) {
                        if run.is_empty() {
                            continue;
                        }
                        let pts: Vec<(f64, f64)> = run.iter().map(|q| (q.0, clampy(q.1))).collect();
                        chart.draw_series(LineSeries::new(pts, c.stroke_width(2)))?;
                    }
                }
                Mark::Steps(p) => {
                    let mut pts = Vec::new();
                    for (i, q) in p.iter().enumerate() {
                        if i > 0 {
                            pts.push((q.0, clampy(p[i - 1].1)));
                        }
                        pts.push((q.0, clampy(q.1)));
                    }
                    chart.draw_series(LineSeries::new(pts, c.stroke_width(2)))?;
                }
                Mark::Points(p) => {
                    chart.draw_series(
                        p.iter()
                            .filter(|q| q.1.is_finite())
                            .map(|q| Circle::new((q.0, clampy(q.1)), 2, c.filled())),
                    )?;
                }
            }
        }
        Ok(())
    })
}
