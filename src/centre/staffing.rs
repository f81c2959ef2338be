//! Staffing: how many agents each team has on the phone, changed at every interval edge and,
//! for a team with a roster, at every start and end of a shift or a break; and the totals the
//! time integrals need.
//!
//! A team without a roster follows its list (`Team::staffing`). A rostered team follows
//! today's plan ([`crate::scenario::DayPlan`]), computed at the day's first change with the
//! day's absence drawn then; at every change each agent the plan puts on the phone is there
//! with probability `adherence` (its own stream). When the target falls (a break, the end of
//! a shift), idle agents leave at once and busy ones when their conversation ends.

use super::Centre;
use super::events::Event;
use crate::scenario::DAY;
use rand::RngExt;

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

    /// Whether some team has a roster (shifts, weekday lists, absence, shrinkage, adherence).
    fn rostered(&self) -> bool {
        self.s.teams.iter().any(|t| t.roster.is_some())
    }

    /// Makes `plans` those of the day holding `probe`, drawing the day's absence.
    fn plan_the_day(&mut self, probe: f64) {
        let day = self.s.day.day_of(probe);
        if day == self.plan_day {
            return;
        }
        self.plan_day = day;
        let weekday = self.s.simulation.weekday(day);
        for k in 0..self.s.teams.len() {
            if let Some(r) = &self.s.teams[k].roster {
                let rng = &mut self.rng.absence;
                let absence = r.absence;
                self.plans[k] =
                    Some(r.day_plan(weekday, &self.s.day, || rng.random::<f64>() < absence));
            }
        }
    }

    /// Sets every team to its staffing at `now`; agents who join take waiting work.
    pub(super) fn apply_staffing(&mut self, now: f64) {
        // Evaluate a hair inside the interval so an edge computed with rounding error
        // still selects the interval that starts here.
        let probe = now + 1e-6;
        let grid = &self.s.day;
        let tod = grid.time_of_day(probe);
        // The same interval for every team (validation gives each team one staffing value
        // per interval of the grid).
        // A day off the week (`simulation.week`) is closed all day.
        let interval = if self.s.simulation.open_on(grid.day_of(probe)) {
            grid.interval_in_day(tod)
        } else {
            None
        };
        let was_open = self.open;
        self.open = interval.is_some();
        let rostered = self.rostered();
        if rostered {
            self.plan_the_day(probe);
        }
        let mut levels = [0.0; 4];
        for k in 0..self.teams.len() {
            let target = match (&self.plans[k], &self.s.teams[k].roster) {
                (Some(plan), Some(r)) => {
                    // Closed (outside the opening hours, or a day off the week): nobody.
                    let l = if interval.is_some() {
                        plan.at(tod)
                    } else {
                        crate::scenario::Level::default()
                    };
                    let on = if r.adherence < 1.0 {
                        let rng = &mut self.rng.adherence;
                        (0..l.planned)
                            .filter(|_| rng.random::<f64>() < r.adherence)
                            .count() as u32
                    } else {
                        l.planned
                    };
                    levels[0] += f64::from(l.scheduled);
                    levels[1] += f64::from(l.present);
                    levels[2] += f64::from(l.planned);
                    levels[3] += f64::from(on);
                    on
                }
                _ => {
                    let a = interval.map_or(0, |i| self.s.teams[k].staffing[i]);
                    levels.iter_mut().for_each(|l| *l += f64::from(a));
                    a
                }
            };
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
        if rostered {
            self.stats.roster_levels(levels);
        }
        if was_open && !self.open {
            self.closing(now);
        }
    }

    /// Schedules the next interval edge (or opening/closing time, or change of a rostered
    /// team's plan) after `now`, unless every team's staffing is constant around the clock.
    pub(super) fn schedule_next_shift(&mut self, now: f64) {
        let day = &self.s.day;
        let constant = day.open == 0.0
            && day.close == DAY
            && self.s.simulation.week == [true; 7]
            && self
                .s
                .teams
                .iter()
                .all(|t| t.roster.is_none() && t.staffing.iter().all(|a| *a == t.staffing[0]));
        if constant {
            return;
        }
        let mut next = day.next_change(now);
        if self.plan_day != usize::MAX {
            // Today's plans change within the day only; tomorrow starts at an opening or
            // midnight, which the grid gives.
            let probe = now + 1e-6;
            let base = self.plan_day as f64 * DAY;
            let tod = probe - base;
            for plan in self.plans.iter().flatten() {
                if let Some(t) = plan.next_after(tod) {
                    let at = base + t;
                    // A change on a grid edge (within rounding) is that edge.
                    if at < next - 1e-6 {
                        next = at;
                    }
                }
            }
        }
        // The day grid goes on during the drain after the horizon.
        if next < self.s.simulation.horizon + self.s.simulation.drain_limit {
            self.calendar.schedule(next, Event::Shift);
        }
    }
}
