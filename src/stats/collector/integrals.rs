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
