//! The report's charts, drawn with plotters' SVG backend: one `<svg>` per chart, named by a
//! `data-chart` attribute, its data marks (bars, lines, bands, whiskers, points) tagged
//! `class="mark"` so that tests and readers' tools can find them.
//!
//! Every chart takes one series per scenario, each with its 95 % interval as whiskers or a
//! band. The CSAT and drivers charts group the scenarios' bars side by side; the wait and
//! per-interval charts fit their axes to every series and can draw one alone, so that a
//! comparison shows them as small multiples on shared axes.

mod csat;
mod drivers;
pub(super) mod lines;
mod response;
mod scale;
mod svg;
mod waits;

pub use csat::csat_chart;
pub use drivers::drivers_chart;
pub use response::response_chart;
pub(super) use scale::{axis, nice_top, tick, ticks};
pub(super) use svg::{empty, render_sized};
pub use waits::wait_chart;

use crate::stats::Estimate;
use plotters::backend::SVGBackend;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use scale::Axis;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;
/// A chart on two [`Axis`] scales.
type Chart<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<Axis, Axis>>;

/// Scenario colours (Okabe–Ito, readable by colour-blind people), in scenario order.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];
/// Whiskers of the 95 % intervals.
const WHISKER: RGBColor = RGBColor(51, 51, 51);

pub(super) const FONT: &str = "sans-serif";
/// Sizes as plotters counts them (it writes `font-size` = size / 1.24 pixels).
pub(super) const LABEL: u32 = 17;
pub(super) const DESC: u32 = 19;
/// The width of a chart across the page.
pub const WIDTH: u32 = 960;
/// The width of a small multiple (two side by side on a wide page).
pub const SMALL_WIDTH: u32 = 470;

/// The colour of scenario `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A colour as `#RRGGBB`, as plotters writes it.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// A share as a percentage; NaN stays NaN.
pub(super) fn pct(v: f64) -> f64 {
    v * 100.0
}

/// The clamped value, so that no mark leaves the plotting area.
pub(super) fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// Whether an estimate has an interval to draw.
pub(super) fn has_interval(e: &Estimate) -> bool {
    e.ci95_low.is_finite() && e.ci95_high.is_finite()
}

/// A whisker from `lo` to `hi` at `at`, with caps of half-width `cap`, as one polyline;
/// vertical unless `horizontal`.
fn whisker(at: f64, lo: f64, hi: f64, cap: f64, horizontal: bool) -> PathElement<(f64, f64)> {
    let pts = [
        (at - cap, lo),
        (at + cap, lo),
        (at, lo),
        (at, hi),
        (at - cap, hi),
        (at + cap, hi),
    ];
    let pts: Vec<(f64, f64)> = if horizontal {
        pts.iter().map(|&(a, v)| (v, a)).collect()
    } else {
        pts.to_vec()
    };
    PathElement::new(pts, WHISKER.stroke_width(1))
}

/// The plotting area of a chart, with the report's margins and `y_labels` pixels for the
/// labels of the y axis.
fn frame<'a>(
    root: &Area<'a>,
    y_labels: u32,
    x: Axis,
    y: Axis,
) -> Result<Chart<'a>, DrawingAreaErrorKind<std::io::Error>> {
    ChartBuilder::on(root)
        .margin(16)
        .margin_right(30)
        .x_label_area_size(58)
        .y_label_area_size(y_labels)
        .build_cartesian_2d(x, y)
}

/// The grid lines, axes and label fonts every chart of the report shares.
pub(super) fn mesh<'a, 'b>(
    chart: &'b mut Chart<'a>,
) -> MeshStyle<'a, 'b, Axis, Axis, SVGBackend<'a>> {
    let mut m = chart.configure_mesh();
    m.bold_line_style(BLACK.mix(0.1))
        .axis_style(BLACK.mix(0.55))
        .label_style((FONT, LABEL))
        .axis_desc_style((FONT, DESC));
    m
}
