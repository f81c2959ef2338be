//! The one clock of a run: every conversion between simulated time (seconds from midnight of
//! day 0) and days, times of day, intervals of the [`DayGrid`] and `HH:MM` labels.
//!
//! Rounding rules, so that every caller agrees on where an edge falls:
//! - a day is `floor(t / DAY)`, and the time of day is `t − day × DAY` (which rounding can
//!   leave a hair below 0 just before midnight, where it counts as closed);
//! - the interval of a time of day truncates `(tod − open) / interval`, clamped to the last
//!   interval of the day;
//! - a [`Stretch`] additionally moves a time that rounding left before a computed interval
//!   start into that interval, so that its end is always after the time asked about;
//! - labels round to the nearest second.

use super::DayGrid;

/// Seconds in a day.
pub const DAY: f64 = 86_400.0;

/// A stretch of time over which the interval of the grid does not change: one open interval,
/// or the closed time between two open days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    /// Day-major index of the interval, or `None` while closed.
    pub interval: Option<usize>,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds; always after the time the stretch was asked for.
    pub end: f64,
}

impl DayGrid {
    /// The 0-based day of time `t`: `floor(t / DAY)`.
    #[inline]
    pub fn day_of(&self, t: f64) -> usize {
        (t / DAY).floor() as usize
    }

    /// Seconds since midnight of `t`'s day (see [`DayGrid::day_of`]).
    #[inline]
    pub fn time_of_day(&self, t: f64) -> f64 {
        t - (t / DAY).floor() * DAY
    }

    /// Days a run of `horizon` seconds touches (at least 1).
    pub fn days(&self, horizon: f64) -> usize {
        (horizon / DAY).ceil().max(1.0) as usize
    }

    /// The interval of the open day holding time of day `tod` (truncating, clamped to the
    /// last interval), or `None` when closed.
    #[inline]
    pub fn interval_in_day(&self, tod: f64) -> Option<usize> {
        if tod < self.open || tod >= self.close {
            return None;
        }
        Some((((tod - self.open) / self.interval) as usize).min(self.intervals() - 1))
    }

    /// The day-major index of the interval holding time `t`, or `None` when closed.
    #[inline]
    pub fn interval_of(&self, t: f64) -> Option<usize> {
        let day = (t / DAY).floor();
        let i = self.interval_in_day(t - day * DAY)?;
        Some(day as usize * self.intervals() + i)
    }

    /// Seconds after midnight at which interval `i` of a day starts.
    #[inline]
    pub fn start_of_day(&self, i: usize) -> f64 {
        self.open + i as f64 * self.interval
    }

    /// Start time (seconds) of day-major interval `idx`.
    pub fn interval_start(&self, idx: usize) -> f64 {
        let n = self.intervals();
        (idx / n) as f64 * DAY + self.open + (idx % n) as f64 * self.interval
    }

    /// Index of the first day-major interval that ends after `warmup`.
    pub fn first_interval_after(&self, warmup: f64) -> usize {
        let mut idx = (warmup / DAY).floor() as usize * self.intervals();
        while self.interval_start(idx) + self.interval <= warmup {
            idx += 1;
        }
        idx
    }

    /// One past the index of the last day-major interval that starts before `horizon`.
    pub fn intervals_before(&self, horizon: f64) -> usize {
        let mut idx = ((horizon / DAY).ceil() as usize) * self.intervals();
        while idx > 0 && self.interval_start(idx - 1) >= horizon {
            idx -= 1;
        }
        idx
    }

    /// The stretch holding `t`; its end is the next time the interval changes.
    pub fn stretch(&self, t: f64) -> Stretch {
        let n = self.intervals();
        let day = (t / DAY).floor();
        let base = day * DAY;
        let tod = t - base;
        let (open, close, len) = (self.open, self.close, self.interval);
        let mut s = if tod < open {
            Stretch {
                interval: None,
                start: base,
                end: base + open,
            }
        } else if tod >= close {
            Stretch {
                interval: None,
                start: base + close,
                end: base + DAY + open,
            }
        } else {
            let mut i = ((tod - open) / len) as usize;
            // Guard against rounding putting `t` at or past the computed end.
            while i + 1 < n && base + open + (i + 1) as f64 * len <= t {
                i += 1;
            }
            let start = base + open + i as f64 * len;
            let end = if i + 1 == n {
                base + close
            } else {
                start + len
            };
            Stretch {
                interval: Some(day as usize * n + i),
                start,
                end,
            }
        };
        if s.end <= t {
            // Only reachable through rounding at a day's end: move on by one ulp-sized step.
            s.interval = None;
            s.end = t + f64::EPSILON * t.max(1.0);
        }
        s
    }
}

/// Formats seconds after midnight as `HH:MM` (or `HH:MM:SS` when needed), rounded to the
/// nearest second.
pub fn format_clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> DayGrid {
        DayGrid {
            open: 8.0 * 3600.0,
            close: 10.0 * 3600.0,
            interval: 1800.0,
        }
    }

    #[test]
    fn times_fall_in_their_interval() {
        let g = grid();
        let t = DAY + 8.5 * 3600.0 + 1.0;
        assert_eq!(g.day_of(t), 1);
        assert_eq!(g.time_of_day(t), 8.5 * 3600.0 + 1.0);
        assert_eq!(g.interval_of(t), Some(5));
        assert_eq!(g.interval_of(DAY + 7.0 * 3600.0), None);
        assert_eq!(g.interval_start(5), DAY + 8.5 * 3600.0);
        assert_eq!(g.start_of_day(1), 8.5 * 3600.0);
        assert_eq!(g.first_interval_after(8.5 * 3600.0), 1);
        assert_eq!(g.intervals_before(DAY), 4);
        assert_eq!(g.days(1.5 * DAY), 2);
    }

    #[test]
    fn stretches_cover_open_and_closed_time() {
        let g = grid();
        let open = g.stretch(9.0 * 3600.0 + 10.0);
        assert_eq!(open.interval, Some(2));
        assert_eq!((open.start, open.end), (9.0 * 3600.0, 9.5 * 3600.0));
        let night = g.stretch(11.0 * 3600.0);
        assert_eq!(night.interval, None);
        assert_eq!(
            (night.start, night.end),
            (10.0 * 3600.0, DAY + 8.0 * 3600.0)
        );
    }

    #[test]
    fn labels() {
        assert_eq!(format_clock(30600.0), "08:30");
        assert_eq!(format_clock(30630.4), "08:30:30");
    }
}
