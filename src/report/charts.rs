//! The report's charts, drawn with plotters' SVG backend: one `<svg>` per chart, named by a
//! `data-chart` attribute, its data marks (bars, lines, bands, whiskers, points) tagged
//! `class="mark"` so that tests and readers' tools can find them.
//!
//! Every chart takes one series per scenario: one series draws bars (or panels in their
//! own colours), several draw the scenarios overlaid in their colours, each with its 95 %
//! interval as whiskers or a band.

use super::html::esc;
use crate::run::{CsatShare, WaitBin};
use crate::satisfaction::Term;
use crate::stats::Estimate;
use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// A linear axis from `lo` to `hi` whose ticks (and grid lines) are exactly `keys`, so
/// that labels fall on round values, clock times or categories.
pub(super) struct Axis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
}

/// An axis over `range` with ticks `keys`.
pub(super) fn axis(range: Range<f64>, keys: Vec<f64>) -> Axis {
    Axis {
        lo: range.start,
        hi: range.end,
        keys,
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let share = if self.hi > self.lo {
            (v - self.lo) / (self.hi - self.lo)
        } else {
            0.5
        };
        let px = f64::from(limit.0) + f64::from(limit.1 - limit.0) * share;
        px.round().clamp(-1e6, 1e6) as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

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
/// Drivers that lower satisfaction (one scenario).
const NEGATIVE: RGBColor = RGBColor(213, 94, 0);
/// Drivers that raise satisfaction (one scenario).
const POSITIVE: RGBColor = RGBColor(0, 158, 115);

pub(super) const FONT: &str = "sans-serif";
/// Sizes as plotters counts them (it writes `font-size` = size / 1.24 pixels).
pub(super) const LABEL: u32 = 17;
pub(super) const DESC: u32 = 19;
const WIDTH: u32 = 960;

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

/// A round step (1, 2 or 5 × 10^k) at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|w| *w >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

/// A round top for an axis showing values up to `v`, with a little headroom.
pub(super) fn nice_top(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || v.is_infinite() {
        return 1.0;
    }
    let step = nice_step(v / 5.0);
    ((v * 1.06) / step).ceil() * step
}

/// Round tick values from `lo` to `hi`, at most about `n` of them.
pub(super) fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let step = nice_step((hi - lo) / n as f64);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label: no trailing zeros, a real minus sign.
pub(super) fn tick(v: f64) -> String {
    let t = format!("{v:.2}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    let t = if t == "-0" { "0" } else { t };
    t.replacen('-', "−", 1)
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

/// Draws a chart into an SVG string, then names it and tags its data marks.
pub(super) fn render(
    name: &str,
    label: &str,
    height: u32,
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let mut buf = String::new();
    let ok = {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present())
            .is_ok()
    };
    if !ok {
        buf = format!(
            "<svg>\n<text x=\"20\" y=\"40\">{}</text>\n",
            "The chart could not be drawn."
        );
    }
    tag(&buf, name, label, height)
}

/// Replaces plotters' `<svg>` tag with one that carries the chart's name and label (and no
/// namespace URL: inline SVG in HTML needs none), and tags every shape drawn in a data
/// colour with `class="mark"`.
fn tag(svg: &str, name: &str, label: &str, height: u32) -> String {
    let mut colours: Vec<String> = PALETTE.iter().map(|c| hex(*c)).collect();
    colours.push(hex(WHISKER));
    let mut out = format!(
        "<svg width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-label=\"{}\" data-chart=\"{name}\">\n",
        esc(label)
    );
    for line in svg.lines().skip(1) {
        let tag_name = line
            .strip_prefix('<')
            .and_then(|rest| rest.split([' ', '/', '>']).next())
            .unwrap_or("");
        let shape = matches!(
            tag_name,
            "rect" | "polyline" | "polygon" | "circle" | "line" | "path"
        );
        let data = colours.iter().any(|c| {
            line.contains(&format!("fill=\"{c}\"")) || line.contains(&format!("stroke=\"{c}\""))
        });
        if shape && data {
            out.push('<');
            out.push_str(tag_name);
            out.push_str(" class=\"mark\"");
            out.push_str(&line[1 + tag_name.len()..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A chart with no data: its frame and a sentence saying why.
pub(super) fn empty(name: &str, label: &str, why: &str) -> String {
    render(name, label, 120, |root| {
        root.draw(&Text::new(
            why.to_string(),
            (24, 50),
            (FONT, DESC).into_font().color(&BLACK),
        ))
    })
}

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
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .margin_right(30)
            .x_label_area_size(58)
            .y_label_area_size(78)
            .build_cartesian_2d(
                axis(0.0..x_end, ticks(0.0, regular_end, 10)),
                axis(0.0..y_top, ticks(0.0, y_top, 6)),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(BLACK.mix(0.1))
            .axis_style(BLACK.mix(0.55))
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, DESC))
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
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .margin_right(30)
            .x_label_area_size(58)
            .y_label_area_size(78)
            .build_cartesian_2d(
                axis(-0.5..4.5, vec![0.0, 1.0, 2.0, 3.0, 4.0]),
                axis(0.0..y_top, ticks(0.0, y_top, 6)),
            )?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(BLACK.mix(0.1))
            .axis_style(BLACK.mix(0.55))
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, DESC))
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

/// A term's name for people.
pub fn term_label(t: Term) -> &'static str {
    match t {
        Term::Wait => "Wait vs. expectation",
        Term::Rejections => "Told to call back later",
        Term::ExtraContacts => "Extra contacts",
        Term::Transfers => "Transfers",
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
        let mut chart = ChartBuilder::on(root)
            .margin(16)
            .margin_right(30)
            .x_label_area_size(58)
            .y_label_area_size(200)
            .build_cartesian_2d(
                axis(x_lo..x_hi, ticks(x_lo, x_hi, 8)),
                axis(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
            )?;
        // Row k (from the top) shows term active[k].
        let y_label = |v: &f64| {
            let k = n - 1 - (v.round().max(0.0) as usize).min(n - 1);
            term_label(Term::ALL[active[k]]).to_string()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(BLACK.mix(0.1))
            .axis_style(BLACK.mix(0.55))
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, DESC))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(tick(-0.5), "−0.5");
        assert_eq!(tick(12.0), "12");
        assert_eq!(nice_top(37.0), 40.0);
    }

    #[test]
    fn only_shapes_in_data_colours_are_marks() {
        let svg = "<svg width=\"1\">\n<rect x=\"0\" y=\"0\" width=\"9\" height=\"9\" fill=\"#FFFFFF\"/>\n\
                   <rect x=\"1\" y=\"1\" width=\"4\" height=\"4\" fill=\"#0072B2\"/>\n";
        let out = tag(svg, "x", "X & Y", 10);
        assert!(out.starts_with("<svg width=\"960\" height=\"10\""));
        assert!(out.contains("aria-label=\"X &amp; Y\" data-chart=\"x\""));
        assert_eq!(out.matches("class=\"mark\"").count(), 1);
        assert!(!out.contains("http"));
    }
}
