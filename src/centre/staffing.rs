//! Staffing: how many agents each team has on shift, changed at every interval edge, and
//! the totals the time integrals need.

use super::Centre;
use super::events::Event;
use crate::scenario::DAY;

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

    /// Sets every team to its staffing at `now`; agents who join take waiting work.
    pub(super) fn apply_staffing(&mut self, now: f64) {
        // Evaluate a hair inside the interval so an edge computed with rounding error
        // still selects the interval that starts here.
        let probe = now + 1e-6;
        let grid = &self.s.day;
        // The same interval for every team (validation gives each team one staffing value
        // per interval of the grid).
        let interval = grid.interval_in_day(grid.time_of_day(probe));
        let was_open = self.open;
        self.open = interval.is_some();
        for k in 0..self.teams.len() {
            let target = interval.map_or(0, |i| self.s.teams[k].staffing[i]);
            let joined = self.teams[k].set_target(target, &self.s.teams[k], &mut self.rng.spread);
            for _ in 0..joined {
                // Longest idle first; one who finds no work goes back to the front it
                // came from, so the idle order is unchanged.
                if let Some(agent) = self.teams[k].idle.pop_front()
                    && !self.take_work(now, k, agent)
                {
                    self.teams[k].idle.push_front(agent);
                    break;
                }
            }
        }
        if was_open && !self.open {
            self.closing(now);
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
        let next = day.next_change(now);
        // The day grid goes on during the drain after the horizon.
        if next < self.s.simulation.horizon + self.s.simulation.drain_limit {
            self.calendar.schedule(next, Event::Shift);
        }
    }
}
