//! Axes: a linear axis whose ticks are given, and round ticks and tops for it.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use std::ops::Range;

/// A linear axis from `lo` to `hi` whose ticks (and grid lines) are exactly `keys`, so
/// that labels fall on round values, clock times or categories.
pub(in crate::report) struct Axis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
    /// Logarithmic (`lo` > 0): equal ratios take equal lengths.
    log: bool,
}

/// An axis over `range` with ticks `keys`.
pub(in crate::report) fn axis(range: Range<f64>, keys: Vec<f64>) -> Axis {
    Axis {
        lo: range.start,
        hi: range.end,
        keys,
        log: false,
    }
}

/// A logarithmic axis over `range` (whose start must be above 0) with ticks `keys`.
pub(in crate::report) fn log_axis(range: Range<f64>, keys: Vec<f64>) -> Axis {
    Axis {
        log: true,
        ..axis(range, keys)
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let share = if self.log && self.lo > 0.0 && self.hi > self.lo {
            (v.max(self.lo).ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else if self.hi > self.lo {
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

/// A round step (1, 2 or 5 × 10^k) at least `raw`.
pub(super) fn nice_step(raw: f64) -> f64 {
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
pub(in crate::report) fn nice_top(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || v.is_infinite() {
        return 1.0;
    }
    let step = nice_step(v / 5.0);
    ((v * 1.06) / step).ceil() * step
}

/// Round tick values from `lo` to `hi`, at most about `n` of them.
pub(in crate::report) fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let step = nice_step((hi - lo) / n as f64);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label: no trailing zeros, a real minus sign.
pub(in crate::report) fn tick(v: f64) -> String {
    let t = format!("{v:.2}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    let t = if t == "-0" { "0" } else { t };
    t.replacen('-', "−", 1)
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
    fn a_log_axis_gives_each_decade_the_same_length() {
        let a = log_axis(0.01..100.0, vec![0.01, 0.1, 1.0, 10.0, 100.0]);
        let px: Vec<i32> = [0.01, 0.1, 1.0, 10.0, 100.0]
            .iter()
            .map(|v| a.map(v, (0, 400)))
            .collect();
        assert_eq!(px, [0, 100, 200, 300, 400]);
        // Below the foot (a share of 0): at the foot.
        assert_eq!(a.map(&0.0, (0, 400)), 0);
    }
}
