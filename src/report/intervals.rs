//! The per-interval chart: service level, mean wait and agents staffed in three panels over
//! one time axis. The axis runs over open hours only: the nights of a centre that closes
//! are left out, and each day starts at a grid line named after it.

use super::charts::{
    Area, Drawn, axis, clamp, empty, has_interval, mesh, nice_top, pct, render_sized, tick,
};
use crate::run::RunResult;
use crate::scenario::clock_label_minutes;
use crate::stats::Estimate;
use plotters::prelude::*;

/// One interval of a run, with the 95 % intervals of its service level and mean wait.
#[derive(Debug, Clone)]
pub struct IntervalPoint {
    /// 0-based day.
    pub day: usize,
    /// Start, hours after midnight.
    pub start_h: f64,
    /// End, hours after midnight.
    pub end_h: f64,
    /// Service level (share).
    pub service_level: Estimate,
    /// Mean wait of settled calls, seconds.
    pub wait_mean_s: Estimate,
    /// Mean agents present.
    pub agents_staffed: f64,
}

/// One scenario's intervals, its open hours and its colours (one per panel).
#[derive(Debug, Clone)]
pub struct IntervalSeries {
    /// Colours of the service level, mean wait and staffing lines.
    pub colours: [RGBColor; 3],
    /// Opening and closing time, hours after midnight.
    pub open_h: (f64, f64),
    /// The intervals, in time order.
    pub points: Vec<IntervalPoint>,
}

/// The most intervals the per-interval chart draws: beyond, a line is no longer readable and
/// the points would hold memory that grows with the horizon (`intervals.csv` keeps them all).
pub const MAX_CHART_INTERVALS: usize = 20_000;

/// A run's intervals as in `intervals.csv` (the first [`MAX_CHART_INTERVALS`] of them), with
/// intervals across replications for the service level and the mean wait (which the file
/// does not give).
pub fn interval_series(r: &RunResult, colours: [RGBColor; 3]) -> IntervalSeries {
    let grid = &r.scenario.day;
    let mut points = Vec::new();
    // One pass over the folded intervals, stopped at the cap: the chart never holds a
    // long run's intervals in memory.
    let _ = r.try_for_each_interval(|row, spread| {
        if points.len() >= MAX_CHART_INTERVALS {
            return Err(std::io::Error::other("enough intervals for the chart"));
        }
        points.push(IntervalPoint {
            day: row.day,
            start_h: row.start_of_day_s / 3600.0,
            end_h: (row.start_of_day_s + grid.interval) / 3600.0,
            service_level: spread.service_level,
            wait_mean_s: spread.wait_mean_s,
            agents_staffed: row.agents_staffed,
        });
        Ok(())
    });
    IntervalSeries {
        colours,
        open_h: (grid.open / 3600.0, grid.close / 3600.0),
        points,
    }
}

/// Open hours laid end to end: day `d` at `t` hours after midnight sits at
/// `d × (close − open) + t − open`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TimeAxis {
    open: f64,
    len: f64,
    /// Whether the chart covers more than one day.
    days: bool,
}

impl TimeAxis {
    fn x(&self, day: usize, t: f64) -> f64 {
        day as f64 * self.len + t - self.open
    }

    /// Whether `x` falls on the start of a day.
    fn day_start(&self, x: f64) -> Option<usize> {
        let d = (x / self.len).round();
        ((x - d * self.len).abs() < 1e-6 && d >= 0.0).then_some(d as usize)
    }

    fn label(&self, x: f64) -> String {
        if self.days
            && let Some(d) = self.day_start(x)
        {
            // Days count from 0, as in intervals.csv and breakdown.csv.
            return format!("day {d}");
        }
        let d = (x / self.len + 1e-9).floor().max(0.0);
        let t = if self.days {
            self.open + x - d * self.len
        } else {
            self.open + x
        };
        // Several days wrap at midnight; one day may end at 24:00.
        clock_label_minutes(t, self.days)
    }

    /// Ticks from `lo` to `hi`, at most about `most` of them: round clock times (every
    /// 1, 2 or 3 hours where there is room), and with several days each day's start (every
    /// k-th day when there are many) with round times between.
    fn ticks(&self, lo: f64, hi: f64, most: usize) -> Vec<f64> {
        let step_for = |span: f64, most: f64| {
            [0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 12.0]
                .into_iter()
                .find(|s| span / s <= most)
        };
        let multiples = |a: f64, b: f64, step: f64| {
            let first = (a / step - 1e-9).ceil() as i64;
            let last = (b / step + 1e-9).floor() as i64;
            (first..=last).map(move |k| k as f64 * step)
        };
        let most = most.max(2) as f64;
        if !self.days {
            let step = step_for(hi - lo, most).unwrap_or(24.0);
            return multiples(lo + self.open, hi + self.open, step)
                .map(|t| t - self.open)
                .collect();
        }
        let n_days = ((hi - lo) / self.len).ceil().max(1.0) as usize;
        let every = n_days.div_ceil(most as usize).max(1);
        let mut out: Vec<f64> = (0..=n_days + 1)
            .filter(|d| d % every == 0)
            .map(|d| d as f64 * self.len)
            .filter(|x| *x >= lo - 1e-6 && *x < hi - 1e-6)
            .collect();
        // The labels each day has room for, its start's name among them.
        let per_day = most / n_days as f64;
        if let Some(step) = step_for(self.len, per_day - 1.0).filter(|s| *s < self.len) {
            for d in 0..=n_days {
                let (open, close) = (self.open, self.open + self.len);
                // Not too near a day's start, where the day's name stands.
                for t in multiples(open + step * 0.5, close - step * 0.5, step) {
                    let x = self.x(d, t);
                    if x >= lo - 1e-6 && x <= hi + 1e-6 {
                        out.push(x);
                    }
                }
            }
        }
        out.sort_by(f64::total_cmp);
        out.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        out
    }
}

/// Maximal runs of consecutive items for which `ok` holds and `joined(previous, next)`.
fn runs<T>(items: &[T], ok: impl Fn(&T) -> bool, joined: impl Fn(&T, &T) -> bool) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..=items.len() {
        let keep = i < items.len()
            && ok(&items[i])
            && start.is_none_or(|_| joined(&items[i - 1], &items[i]));
        match (start, keep) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(&items[s..i]);
                start = (i < items.len() && ok(&items[i])).then_some(i);
            }
            _ => {}
        }
    }
    out
}

/// Which figure of an interval a panel shows.
#[derive(Clone, Copy, PartialEq)]
enum Panel {
    ServiceLevel,
    Wait,
    Staffed,
}

impl Panel {
    /// The value shown, in the panel's unit (service level in %).
    fn value(self, p: &IntervalPoint) -> Estimate {
        match self {
            Panel::ServiceLevel => {
                let e = p.service_level;
                Estimate {
                    mean: pct(e.mean),
                    ci95_low: pct(e.ci95_low),
                    ci95_high: pct(e.ci95_high),
                    ..e
                }
            }
            Panel::Wait => p.wait_mean_s,
            Panel::Staffed => Estimate {
                mean: p.agents_staffed,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                std_error: f64::NAN,
                n: 0,
            },
        }
    }
}

/// Service level, mean wait and agents staffed per interval, in three panels over one time
/// axis; one line per scenario, with 95 % bands, on a chart `width` pixels wide. The axes
/// fit every series; with `only`, the chart draws that series alone (a small multiple on
/// axes shared with the others).
pub fn intervals_chart(series: &[IntervalSeries], only: Option<usize>, width: u32) -> String {
    const NAME: &str = "intervals";
    const LABEL_TEXT: &str = "Service level, mean wait and agents staffed per interval";
    let points = || series.iter().flat_map(|s| &s.points);
    if points().next().is_none() {
        return empty(
            NAME,
            LABEL_TEXT,
            "The run has no interval after its warm-up.",
        );
    }
    let open = series
        .iter()
        .map(|s| s.open_h.0)
        .fold(f64::INFINITY, f64::min);
    let close = series
        .iter()
        .map(|s| s.open_h.1)
        .fold(f64::NEG_INFINITY, f64::max);
    let several = points().any(|p| p.day != points().next().map_or(0, |q| q.day));
    let time = TimeAxis {
        open,
        len: (close - open).max(1e-6),
        days: several,
    };
    let x_lo = points()
        .map(|p| time.x(p.day, p.start_h))
        .fold(f64::INFINITY, f64::min);
    let x_hi = points()
        .map(|p| time.x(p.day, p.end_h))
        .fold(f64::NEG_INFINITY, f64::max);
    // A clock label and the space around it take about 50 pixels.
    let keys = time.ticks(x_lo, x_hi, (width.saturating_sub(124) / 50) as usize);
    let top = |panel: Panel| {
        nice_top(
            points()
                .map(|p| panel.value(p))
                .flat_map(|e| [e.mean, e.ci95_high])
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max),
        )
    };
    let panels = [
        (Panel::ServiceLevel, "Service level (%)", 100.0),
        (Panel::Wait, "Mean wait (s)", top(Panel::Wait)),
        (Panel::Staffed, "Agents staffed", top(Panel::Staffed)),
    ];
    let x_desc = if several {
        "Open hours, day by day"
    } else {
        "Time of day"
    };
    // A small multiple (`only`) is shorter: several stand one under the other.
    let panel_height = match (only, width < 700) {
        (None, _) => 232,
        (Some(_), true) => 170,
        (Some(_), false) => 150,
    };
    let height = 3 * panel_height + 64;
    render_sized(NAME, LABEL_TEXT, (width, height), |root| {
        let (first, rest) = root.split_vertically(panel_height);
        let (second, third) = rest.split_vertically(panel_height);
        for (k, (area, (panel, desc, y_top))) in
            [first, second, third].iter().zip(panels).enumerate()
        {
            panel_chart(
                area,
                (series, only),
                (k, panel),
                (desc, y_top),
                time,
                (x_lo, x_hi, &keys),
                (k == 2).then_some(x_desc),
            )?;
        }
        Ok(())
    })
}

/// One panel: panel `k` of every series (or of series `only`) over the shared time axis.
fn panel_chart(
    area: &Area<'_>,
    (series, only): (&[IntervalSeries], Option<usize>),
    (k, panel): (usize, Panel),
    (desc, y_top): (&str, f64),
    time: TimeAxis,
    (x_lo, x_hi, keys): (f64, f64, &[f64]),
    x_desc: Option<&str>,
) -> Drawn {
    let mut chart = ChartBuilder::on(area)
        .margin_top(14)
        .margin_left(16)
        .margin_right(30)
        .x_label_area_size(if x_desc.is_some() { 62 } else { 36 })
        .y_label_area_size(78)
        .build_cartesian_2d(
            axis(x_lo..x_hi, keys.to_vec()),
            axis(0.0..y_top, super::charts::ticks(0.0, y_top, 4)),
        )?;
    let x_label = |v: &f64| time.label(*v);
    let y_label = |v: &f64| tick(*v);
    let mut mesh = mesh(&mut chart);
    mesh.y_desc(desc)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label);
    if let Some(d) = x_desc {
        mesh.x_desc(d);
    }
    mesh.draw()?;
    if time.days {
        // Day starts, darker than the other grid lines.
        chart.draw_series(
            keys.iter()
                .filter(|x| time.day_start(**x).is_some())
                .map(|x| {
                    PathElement::new(
                        vec![(*x, 0.0), (*x, y_top)],
                        BLACK.mix(0.35).stroke_width(1),
                    )
                }),
        )?;
    }
    let y = |v: f64| clamp(v, 0.0, y_top);
    let at = |p: &IntervalPoint, t: f64| time.x(p.day, t);
    // Consecutive in time: the same day, or midnight of a centre open all night.
    let joined = |a: &IntervalPoint, b: &IntervalPoint| {
        let gap = b.start_h - a.end_h + 24.0 * (b.day as f64 - a.day as f64);
        gap.abs() < 1e-6
    };
    let drawn = || {
        series
            .iter()
            .enumerate()
            .filter(|(j, _)| only.is_none_or(|o| o == *j))
    };
    let n = drawn().count();
    for (j, s) in drawn().enumerate().map(|(j, (_, s))| (j, s)) {
        let c = s.colours[k];
        let pts = &s.points;
        if panel == Panel::Staffed {
            for seg in runs(pts, |p| p.agents_staffed.is_finite(), joined) {
                let steps: Vec<(f64, f64)> = seg
                    .iter()
                    .flat_map(|p| {
                        let v = y(p.agents_staffed);
                        [(at(p, p.start_h), v), (at(p, p.end_h), v)]
                    })
                    .collect();
                // Scenarios often share their staffing: earlier ones drawn wider, so that
                // every line stays visible where they coincide.
                let width = (2 + 2 * (n - 1 - j) / (n - 1).max(1)) as u32;
                chart.draw_series(LineSeries::new(steps, c.stroke_width(width)))?;
            }
            continue;
        }
        let mid = |p: &IntervalPoint| at(p, (p.start_h + p.end_h) / 2.0);
        for seg in runs(pts, |p| has_interval(&panel.value(p)), joined) {
            if seg.len() < 2 {
                continue;
            }
            let mut poly: Vec<(f64, f64)> = seg
                .iter()
                .map(|p| (mid(p), y(panel.value(p).ci95_high)))
                .collect();
            poly.extend(
                seg.iter()
                    .rev()
                    .map(|p| (mid(p), y(panel.value(p).ci95_low))),
            );
            chart.draw_series(std::iter::once(Polygon::new(poly, c.mix(0.18).filled())))?;
        }
        for seg in runs(pts, |p| panel.value(p).mean.is_finite(), joined) {
            let line: Vec<(f64, f64)> = seg
                .iter()
                .map(|p| (mid(p), y(panel.value(p).mean)))
                .collect();
            if line.len() == 1 {
                chart.draw_series(std::iter::once(Circle::new(line[0], 3, c.filled())))?;
            } else {
                chart.draw_series(LineSeries::new(line, c.stroke_width(2)))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_day_reads_as_clock_times() {
        let t = TimeAxis {
            open: 8.0,
            len: 12.0,
            days: false,
        };
        assert_eq!(
            t.ticks(0.0, 12.0, 10),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
        );
        assert_eq!(t.label(0.0), "08:00");
        assert_eq!(t.label(4.5), "12:30");
        assert_eq!(t.label(12.0), "20:00");
        let all_day = TimeAxis {
            open: 0.0,
            len: 24.0,
            days: false,
        };
        assert_eq!(all_day.label(24.0), "24:00");
    }

    #[test]
    fn several_days_leave_the_nights_out_and_name_each_day() {
        let t = TimeAxis {
            open: 8.0,
            len: 12.0,
            days: true,
        };
        // Day 1 at 08:00 sits right after day 0 at 20:00.
        assert_eq!(t.x(1, 8.0), 12.0);
        assert_eq!(t.label(12.0), "day 1");
        assert_eq!(t.label(16.0), "12:00");
        let ticks = t.ticks(0.0, 36.0, 16);
        let labels: Vec<String> = ticks.iter().map(|x| t.label(*x)).collect();
        assert_eq!(
            labels,
            [
                "day 0", "12:00", "15:00", "18:00", "day 1", "12:00", "15:00", "18:00", "day 2",
                "12:00", "15:00", "18:00"
            ]
        );
    }

    #[test]
    fn runs_split_at_gaps_and_undefined_values() {
        let v = [1.0, 2.0, f64::NAN, 4.0, 5.0, 7.0];
        let r = runs(&v, |x| x.is_finite(), |a, b| b - a == 1.0);
        assert_eq!(r, vec![&v[0..2], &v[3..5], &v[5..6]]);
    }
}
