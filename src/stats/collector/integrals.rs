//! The time integrals: busy and present agents, callers queued and lines in use, the
//! staffing cost, summed over the counted window at each change of state, and the
//! current interval cell's share of them.

use super::Collector;

impl Collector {
    /// Sets the current grid cell (an open interval, or a closed stretch) to the one holding `t`.
    /// Out of line: it runs once per interval edge, and inlined into `advance` it would
    /// weigh on every event.
    #[cold]
    #[inline(never)]
    fn locate(&mut self, t: f64) {
        self.flush_pending();
        let s = self.grid.stretch(t);
        self.cell = s.interval.filter(|&idx| idx < self.end);
        (self.cell_start, self.cell_end) = (s.start, s.end);
        (self.fast_lo, self.fast_hi) = match self.cell {
            Some(_) => (s.start.max(self.warmup), s.end.min(self.horizon)),
            None => (f64::INFINITY, f64::NEG_INFINITY),
        };
        // The cell comes to exist now, as it did when `advance` wrote into it at once (a
        // cell takes the day's expectation when it is created).
        if let Some(c) = self.cell {
            self.cells.update(c, |_| {});
        }
    }

    /// Adds the current cell's pending time integrals to it. Each was summed from 0 in
    /// the order `advance` saw them, so the cell's sums are those of adding each to it.
    pub(super) fn flush_pending(&mut self) {
        if let Some(c) = self.cell {
            let p = std::mem::take(&mut self.pending);
            self.cells.update(c, |cell| {
                cell.busy_time += p[0];
                cell.staffed_time += p[1];
                for (t, v) in cell.roster.iter_mut().zip(&p[2..]) {
                    *t += v;
                }
            });
        }
    }

    /// Integrates the state held since the last call up to `now`; call before each change.
    /// `queued` callers wait in the inbound queues; `lines` are the lines in use that
    /// telephony pays for (those callers, the customers on hold after a transfer, and the
    /// busy agents in a conversation or placing a call, not those in after-call work).
    /// `cost_rate` is the staffing cost per second of the agents present.
    /// Returns the seconds of the counted window integrated (0 outside it), for
    /// [`Self::team_time`].
    #[inline]
    pub fn advance(
        &mut self,
        now: f64,
        busy: u32,
        present: u32,
        queued: u32,
        lines: u32,
        cost_rate: f64,
    ) -> f64 {
        let (busy, present) = (f64::from(busy), f64::from(present));
        let last = self.last;
        self.last = now;
        if last >= self.fast_lo && now < self.fast_hi {
            // Within the counted window and the current open cell: what the general case
            // below computes, without its bounds (the same sums, added in the same order;
            // adding the zero integrals it would skip leaves the sums as they are).
            let dt = now - last;
            self.integrate(busy, present, queued, lines, cost_rate, dt);
            self.pend(busy, present, dt);
            return dt;
        }
        let a = last.max(self.warmup);
        let b = now.min(self.horizon);
        if b <= a {
            return 0.0;
        }
        let dt = b - a;
        self.integrate(busy, present, queued, lines, cost_rate, dt);
        if busy == 0.0 && present == 0.0 && self.roster.is_none_or(|r| r == [0.0; 4]) {
            return dt;
        }
        let mut t = a;
        while t < b {
            if t < self.cell_start || t >= self.cell_end {
                self.locate(t);
            }
            let e = b.min(self.cell_end);
            if self.cell.is_some() {
                self.pend(busy, present, e - t);
            }
            t = e;
        }
        dt
    }

    /// Adds `dt` seconds of the centre's state to the window's time integrals.
    #[inline(always)]
    fn integrate(&mut self, busy: f64, present: f64, queued: u32, lines: u32, cost: f64, dt: f64) {
        self.busy_int += busy * dt;
        self.present_int += present * dt;
        self.queue_int += f64::from(queued) * dt;
        self.line_int += f64::from(lines) * dt;
        self.cost_int += cost * dt;
    }

    /// Adds `d` seconds of the agents' levels to the current cell's pending integrals.
    #[inline(always)]
    fn pend(&mut self, busy: f64, present: f64, d: f64) {
        let p = &mut self.pending;
        p[0] += busy * d;
        p[1] += present * d;
        if let Some(r) = &self.roster {
            for (t, v) in p[2..].iter_mut().zip(r) {
                *t += v * d;
            }
        }
    }

    /// The agents of the plan from now on, summed over the teams: scheduled, present, planned
    /// on the phone and on the phone (a team without a roster counts its list in all four).
    pub fn roster_levels(&mut self, levels: [f64; 4]) {
        self.roster = Some(levels);
    }

    /// Team `k` had `busy` of its `present` agents busy for `dt` seconds of the window
    /// (only needed with several teams: one team's time is the centre's).
    #[inline]
    pub fn team_time(&mut self, k: usize, busy: u32, present: u32, dt: f64) {
        let t = &mut self.teams[k];
        t.busy += f64::from(busy) * dt;
        t.present += f64::from(present) * dt;
    }
}

#[cfg(test)]
mod tests {
    use super::Collector;
    use crate::engine::{Purpose, stream};
    use crate::scenario::Scenario;
    use rand::RngExt;

    const HOUR: f64 = 3600.0;
    const DAY: f64 = 24.0 * HOUR;

    /// Two days open 08:00–10:00 in 30-minute intervals, counted from a warm-up of 08:47
    /// to a horizon of 33:20 (the next day, 09:20): the window's ends fall inside cells.
    fn collector() -> Collector {
        let src = r#"
name = "t"
[simulation]
horizon = "33h20m"
warmup = "8h47m"
open = "08:00"
close = "10:00"
interval = "30m"
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = 60 }
[[teams]]
name = "t"
agents = 5
serves = ["a"]
"#;
        Collector::new(&Scenario::from_toml(src, "test").unwrap())
    }

    /// The seconds `[a, b)` shares with `[lo, hi)`.
    fn overlap(a: f64, b: f64, lo: f64, hi: f64) -> f64 {
        (b.min(hi) - a.max(lo)).max(0.0)
    }

    /// States held between events at random times, at every interval edge, at the
    /// window's ends and past the horizon: the window's integrals and each cell's busy and
    /// staffed time are those of the states' durations, clipped by hand to the window and
    /// to the cell (the path within one cell and the general one both taken).
    #[test]
    fn integrals_are_the_states_durations_within_the_window_and_each_cell() {
        let (warmup, horizon) = (8.0 * HOUR + 47.0 * 60.0, 33.0 * HOUR + 20.0 * 60.0);
        let mut rng = stream(5, 0, Purpose::Arrivals);
        let mut times: Vec<f64> = (0..3_000)
            .map(|_| rng.random::<f64>() * (horizon + 2.0 * HOUR))
            .collect();
        for day in 0..2 {
            for k in 0..=4 {
                times.push(f64::from(day) * DAY + 8.0 * HOUR + f64::from(k) * 1800.0);
            }
        }
        times.extend([warmup, horizon, 0.0]);
        times.sort_by(f64::total_cmp);
        let mut c = collector();
        let (mut last, mut busy_ref, mut present_ref) = (0.0, 0.0, 0.0);
        // Busy and staffed seconds of each cell: day-major, four per day.
        let mut cells = [(0.0, 0.0); 8];
        let mut state = (0u32, 0u32, 0u32, 0u32);
        for &t in &times {
            let (busy, present, queued, lines) = state;
            c.advance(t, busy, present, queued, lines, f64::from(present) * 0.01);
            let w = overlap(last, t, warmup, horizon);
            busy_ref += f64::from(busy) * w;
            present_ref += f64::from(present) * w;
            for (i, cell) in cells.iter_mut().enumerate() {
                let start = (i / 4) as f64 * DAY + 8.0 * HOUR + (i % 4) as f64 * 1800.0;
                let d = overlap(last, t, start.max(warmup), (start + 1800.0).min(horizon));
                cell.0 += f64::from(busy) * d;
                cell.1 += f64::from(present) * d;
            }
            last = t;
            let present = rng.random_range(0..6u32);
            state = (rng.random_range(0..=present), present, 3, 4);
        }
        c.flush_pending();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(c.busy_int, busy_ref), "{} {busy_ref}", c.busy_int);
        assert!(close(c.present_int, present_ref));
        assert!(close(c.cost_int, 0.01 * present_ref));
        assert!(close(c.queue_int, 3.0 * (horizon - warmup)));
        assert!(close(c.line_int, 4.0 * (horizon - warmup)));
        for (i, &(busy, staffed)) in cells.iter().enumerate() {
            let mut got = (f64::NAN, f64::NAN);
            c.cells
                .update(i, |cell| got = (cell.busy_time, cell.staffed_time));
            if staffed == 0.0 {
                // Outside the window: the cell may not exist, or holds nothing.
                assert!(got.1.is_nan() || got.1 == 0.0, "cell {i}: {got:?}");
                continue;
            }
            assert!(
                close(got.0, busy) && close(got.1, staffed),
                "cell {i}: {got:?} against {busy} {staffed}"
            );
        }
    }
}
