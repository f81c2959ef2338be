//! The one clock of a run: every conversion between simulated time (seconds from midnight of
//! day 0) and days, times of day, intervals of the [`DayGrid`] and `HH:MM` labels.
//!
//! Rounding rules, so that every caller agrees on where an edge falls:
//! - a day is `floor(t / DAY)`, and the time of day is `t − day × DAY`; for `t ≥ 0` this is
//!   exactly `t % DAY` (the quotient never rounds up to the next whole day: that would need
//!   `t` within half an ulp of `k` days, and `t`'s own ulp is coarser), so a time just below
//!   midnight keeps a time of day just below `DAY`;
//! - the interval of a time of day truncates `(tod − open) / interval`, clamped to the last
//!   interval of the day;
//! - a [`Stretch`] additionally moves a time that rounding left before a computed interval
//!   start into that interval, so that its end is always after the time asked about;
//! - a [`Segment`] (the arrival process's rule) instead keeps such a time in the interval the
//!   truncation gives and ends a microsecond later;
//! - the next staffing change ([`DayGrid::next_change`]) treats a time within a microsecond
//!   before an edge as on it;
//! - clock labels round to the nearest second ([`format_clock`]), chart tick labels to the
//!   nearest minute ([`clock_label_minutes`]).

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

/// Where a process that spends time across the grid stands: a stretch of constant interval
/// that starts at the time asked about (see [`DayGrid::segment`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// 0-based day.
    pub day: usize,
    /// Interval of that day, or `None` while closed.
    pub interval: Option<usize>,
    /// End, seconds; always after the time the segment was asked for.
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

    /// The segment that starts at `t` on a grid of `n` intervals a day (`n` is
    /// [`DayGrid::intervals`], passed in because hot callers keep it).
    ///
    /// The interval truncates and clamps like [`DayGrid::interval_in_day`]. When rounding
    /// leaves `t` on or past the computed end of that interval, the segment stays in it and
    /// ends `interval.min(1e-6)` seconds later, where the next segment takes over; this
    /// differs from [`DayGrid::stretch`], which moves on to the next interval at once.
    #[inline]
    pub fn segment(&self, t: f64, n: usize) -> Segment {
        debug_assert_eq!(n, self.intervals());
        let day = (t / DAY).floor();
        let base = day * DAY;
        let tod = t - base;
        let (interval, end) = if tod < self.open {
            (None, base + self.open)
        } else if tod >= self.close {
            (None, base + DAY + self.open)
        } else {
            let i = (((tod - self.open) / self.interval) as usize).min(n - 1);
            let mut end = if i + 1 == n {
                base + self.close
            } else {
                base + self.open + (i + 1) as f64 * self.interval
            };
            if end <= t {
                end = t + self.interval.min(1e-6);
            }
            (Some(i), end)
        };
        Segment {
            day: day as usize,
            interval,
            end,
        }
    }

    /// The next opening, interval edge or closing after `now`. A time within a microsecond
    /// before an edge counts as on it, so that an edge computed with rounding error is not
    /// returned again.
    #[inline]
    pub fn next_change(&self, now: f64) -> f64 {
        let base = (now / DAY).floor() * DAY;
        let tod = now - base;
        if tod < self.open - 1e-6 {
            base + self.open
        } else if tod >= self.close - 1e-6 {
            base + DAY + self.open
        } else {
            let i = ((tod - self.open + 1e-6) / self.interval).floor() + 1.0;
            (base + self.open + i * self.interval).min(base + self.close)
        }
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
            // Clamped like `interval_of`: validation lets the open day exceed n intervals by a
            // rounding sliver, which belongs to the last interval, not to the next day's first.
            let mut i = (((tod - open) / len) as usize).min(n - 1);
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

/// Formats `hours` after midnight as `HH:MM`, rounded to the nearest minute: a chart's tick
/// label. With `wrap`, midnight and later read as the next day's clock (`24:00` is `00:00`);
/// without, `24:00` stays (the end of a day open around the clock).
pub fn clock_label_minutes(hours: f64, wrap: bool) -> String {
    let minutes = (hours * 60.0).round() as i64;
    let m = if wrap {
        minutes.rem_euclid(1440)
    } else {
        minutes
    };
    format!("{:02}:{:02}", m / 60, m % 60)
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
        // Just below midnight the second rounds up: the end of the day, not the next one.
        assert_eq!(format_clock(DAY - 0.2), "24:00");
    }

    #[test]
    fn time_of_day_is_the_exact_remainder() {
        // The values where `floor(t / DAY)` could round up to the next day: a few ulps below
        // midnight, over many days and at powers of two.
        let days = (1..20_000u32).chain((1..32).map(|e| 1 << e));
        for k in days {
            let mut t = f64::from(k) * DAY;
            for _ in 0..4 {
                t = t.next_down();
                assert_eq!(grid().time_of_day(t), t % DAY, "{t}");
                assert_eq!(grid().day_of(t), k as usize - 1, "{t}");
            }
        }
        let t = 3.0 * DAY - 1e-9;
        assert_eq!(format_clock(grid().time_of_day(t)), "24:00");
    }

    #[test]
    fn segments_keep_a_time_rounding_left_on_an_edge() {
        // 10 intervals of 1800.1 s from midnight: 3 × 1800.1 rounds to just below 5400.3,
        // where truncation still says interval 2.
        let g = DayGrid {
            open: 0.0,
            close: 18_001.0,
            interval: 1800.1,
        };
        let edge = 3.0 * 1800.1;
        assert_eq!(g.segment(edge, 10).interval, Some(2));
        assert_eq!(g.segment(edge, 10).end, edge + 1e-6);
        // The stretch moves on to interval 3 instead.
        assert_eq!(g.stretch(edge).interval, Some(3));
        let next = g.segment(edge + 1e-6, 10);
        assert_eq!(next.interval, Some(3));
        assert_eq!(next.end, 4.0 * 1800.1);
        // Ordinary times: the interval's end, the close, and the nights.
        let h = grid();
        let s = h.segment(DAY + 8.5 * 3600.0 + 1.0, 4);
        assert_eq!((s.day, s.interval, s.end), (1, Some(1), DAY + 9.0 * 3600.0));
        let last = h.segment(9.75 * 3600.0, 4);
        assert_eq!((last.interval, last.end), (Some(3), 10.0 * 3600.0));
        let morning = h.segment(DAY + 3600.0, 4);
        assert_eq!((morning.day, morning.interval), (1, None));
        assert_eq!(morning.end, DAY + 8.0 * 3600.0);
        let evening = h.segment(10.0 * 3600.0, 4);
        assert_eq!((evening.interval, evening.end), (None, DAY + 8.0 * 3600.0));
    }

    #[test]
    fn next_change_skips_an_edge_within_a_microsecond() {
        let g = grid();
        assert_eq!(g.next_change(3600.0), 8.0 * 3600.0);
        assert_eq!(g.next_change(8.0 * 3600.0 - 1e-7), 8.5 * 3600.0);
        assert_eq!(g.next_change(8.0 * 3600.0), 8.5 * 3600.0);
        assert_eq!(g.next_change(8.5 * 3600.0 - 1e-7), 9.0 * 3600.0);
        assert_eq!(g.next_change(8.5 * 3600.0 - 1e-5), 8.5 * 3600.0);
        assert_eq!(g.next_change(9.75 * 3600.0), 10.0 * 3600.0);
        assert_eq!(g.next_change(10.0 * 3600.0 - 1e-7), DAY + 8.0 * 3600.0);
        assert_eq!(g.next_change(DAY + 9.0 * 3600.0), DAY + 9.5 * 3600.0);
    }

    #[test]
    fn minute_labels_round_and_wrap() {
        assert_eq!(clock_label_minutes(12.5, false), "12:30");
        // 08:00:40 rounds to the minute, where format_clock would show the seconds.
        assert_eq!(clock_label_minutes(8.0 + 40.0 / 3600.0, false), "08:01");
        assert_eq!(clock_label_minutes(24.0, false), "24:00");
        assert_eq!(clock_label_minutes(24.0, true), "00:00");
        assert_eq!(clock_label_minutes(25.25, true), "01:15");
        assert_eq!(clock_label_minutes(-0.5, true), "23:30");
        assert_eq!(clock_label_minutes(23.999, true), "00:00");
    }

    #[test]
    fn a_sliver_past_the_last_interval_stays_in_it() {
        // Four intervals that fall a rounding sliver short of closing time, as validation allows.
        let g = DayGrid {
            open: 0.0,
            close: 4.0 * 900.0 * (1.0 + 1e-10),
            interval: 900.0,
        };
        assert_eq!(g.intervals(), 4);
        let t = DAY + 4.0 * 900.0 + 1e-7;
        assert!(g.time_of_day(t) < g.close);
        let s = g.stretch(t);
        assert_eq!(
            s.interval,
            Some(4 + 3),
            "the last interval of day 1, not day 2's first"
        );
        assert_eq!(s.end, DAY + g.close);
        assert_eq!(s.interval, g.interval_of(t));
    }
}
