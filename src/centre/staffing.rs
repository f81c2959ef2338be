//! Staffing: how many agents each team has on shift, changed at every interval edge, and
//! the totals the time integrals need.

use super::events::Event;
use super::{Centre, DAY};

impl Centre<'_> {
    /// Busy agents, present agents, and the staffing cost per second.
    #[inline]
    pub(super) fn agent_totals(&self) -> (u32, u32, f64) {
        if let [t] = self.teams.as_slice() {
            return (t.busy, t.present, f64::from(t.present) * t.cost_per_second);
        }
        self.teams.iter().fold((0, 0, 0.0), |(b, p, c), t| {
            (
                b + t.busy,
                p + t.present,
                c + f64::from(t.present) * t.cost_per_second,
            )
        })
    }

    /// Agents wanted on shift for team `k` at time `t`.
    fn staffing_at(&self, k: usize, t: f64) -> u32 {
        let tod = t - (t / DAY).floor() * DAY;
        let day = &self.s.day;
        if tod < day.open || tod >= day.close {
            return 0;
        }
        let i = ((tod - day.open) / day.interval) as usize;
        let staffing = &self.s.teams[k].staffing;
        staffing[i.min(staffing.len() - 1)]
    }

    /// Sets every team to its staffing at `now`; agents who join take waiting work.
    pub(super) fn apply_staffing(&mut self, now: f64) {
        // Evaluate a hair inside the interval so an edge computed with rounding error
        // still selects the interval that starts here.
        let probe = now + 1e-6;
        for k in 0..self.teams.len() {
            let target = self.staffing_at(k, probe);
            let joined = self.teams[k].set_target(target, &self.s.teams[k], &mut self.rng.spread);
            for _ in 0..joined {
                if let Some(agent) = self.teams[k].idle.pop()
                    && !self.take_work(now, k, agent)
                {
                    self.teams[k].idle.push(agent);
                    break;
                }
            }
        }
    }

    /// Schedules the next interval edge (or opening/closing time) after `now`,
    /// unless every team's staffing is constant around the clock.
    pub(super) fn schedule_next_shift(&mut self, now: f64) {
        let day = &self.s.day;
        let constant = day.open == 0.0
            && day.close == DAY
            && self
                .s
                .teams
                .iter()
                .all(|t| t.staffing.iter().all(|a| *a == t.staffing[0]));
        if constant {
            return;
        }
        let base = (now / DAY).floor() * DAY;
        let tod = now - base;
        let next = if tod < day.open - 1e-6 {
            base + day.open
        } else if tod >= day.close - 1e-6 {
            base + DAY + day.open
        } else {
            let i = ((tod - day.open + 1e-6) / day.interval).floor() + 1.0;
            (base + day.open + i * day.interval).min(base + day.close)
        };
        if next < self.s.simulation.horizon {
            self.calendar.schedule(next, Event::Shift);
        }
    }
}
