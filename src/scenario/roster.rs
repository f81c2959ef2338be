//! Rosters: a team staffed by shift patterns or by lists per weekday, with absence, planned
//! shrinkage and schedule adherence, and the plan of one day that follows from them (the
//! agents scheduled, present and planned on the phone from each time of day to the next).
//!
//! The rules, so that a plan can be checked by hand (docs/model.md, "Shifts, breaks and
//! absence"):
//! - agent `j` (from 0) of a shift of `n` agents starts a break with a window at
//!   `earliest + (latest − earliest) × j / (n − 1)`, rounded to the second (`earliest` when
//!   `n` is 1): the breaks are staggered evenly over the window, the first agent at its
//!   earliest start and the last at its latest;
//! - absence is decided once per scheduled agent and day, in file order (shift by shift, agent
//!   by agent); with a list per interval the day has as many agents as its largest value, agent
//!   `j` works the intervals whose value is above `j`, and an absent agent is absent all day;
//! - of the agents present and not on a break, `round(shrinkage × n)` are off the phone
//!   (nearest, halves rounded up).

use super::{DAY, DayGrid};

/// How a team is staffed when one list of agents for every day is not enough.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    /// The plan of each day of the week, Monday first (index 0) to Sunday (6).
    pub weekdays: Vec<DayRoster>,
    /// The `[[teams.shifts]]` tables in file order (empty for lists per interval).
    pub patterns: Vec<Pattern>,
    /// Probability that a scheduled agent is absent on a given day.
    pub absence: f64,
    /// Share of the agents at work and not on a break who are off the phone (training,
    /// meetings), per interval of the open day.
    pub shrinkage: Vec<f64>,
    /// Probability that an agent the plan puts on the phone is available, decided anew at
    /// every change of the plan.
    pub adherence: f64,
}

/// The plan of one day of the week.
#[derive(Debug, Clone, PartialEq)]
pub enum DayRoster {
    /// Agents scheduled in each interval of the open day.
    Intervals(Vec<u32>),
    /// Shift patterns worked that day.
    Shifts(Vec<Shift>),
}

/// One `[[teams.shifts]]` table: the shift and the days of the week it is worked.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The shift, with the file's agents.
    pub shift: Shift,
    /// Whether it is worked on each day of the week, Monday first.
    pub days: [bool; 7],
}

/// A shift pattern worked on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// Start, seconds after midnight.
    pub start: f64,
    /// End, seconds after midnight (after `start`, at most the closing time).
    pub end: f64,
    /// Agents who work it.
    pub agents: u32,
    /// Each agent's breaks, lunch included, in time order, not overlapping.
    pub breaks: Vec<Break>,
}

/// A break: each agent starts it between `earliest` and `latest` (equal for a fixed time).
#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    /// The first agent's start, seconds after midnight.
    pub earliest: f64,
    /// The last agent's start, seconds after midnight.
    pub latest: f64,
    /// Length, seconds.
    pub length: f64,
}

impl Shift {
    /// The mean agents of this shift planned on the phone in each interval of the open day
    /// with `agents` agents, by the plan of a day ([`Roster::day_plan`]: breaks placed and
    /// staggered as for a run), without absence or shrinkage.
    pub fn planned_per_interval(&self, agents: u32, grid: &DayGrid) -> Vec<f64> {
        let n = grid.intervals();
        let r = Roster {
            weekdays: vec![DayRoster::Shifts(vec![Shift {
                agents,
                ..self.clone()
            }])],
            patterns: Vec::new(),
            absence: 0.0,
            shrinkage: vec![0.0; n],
            adherence: 1.0,
        };
        let plan = r.day_plan(0, grid, || false);
        (0..n)
            .map(|i| {
                let a = grid.start_of_day(i);
                plan.integral(a, a + grid.interval, |l| l.planned) / grid.interval
            })
            .collect()
    }
}

impl Break {
    /// When agent `j` of `n` starts the break: staggered evenly over the window.
    pub fn start_of(&self, j: u32, n: u32) -> f64 {
        if n <= 1 || self.latest <= self.earliest {
            return self.earliest;
        }
        let step = (self.latest - self.earliest) * f64::from(j) / f64::from(n - 1);
        (self.earliest + step).round()
    }
}

/// Agents of a team at one time of the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Level {
    /// On shift according to the schedule (breaks and absence included).
    pub scheduled: u32,
    /// Of those, not absent.
    pub present: u32,
    /// Of those, neither on a break nor off the phone for planned shrinkage.
    pub planned: u32,
}

/// One day's plan of a team: from each time of day (seconds after midnight, increasing, the
/// first 0) the level until the next.
#[derive(Debug, Clone, PartialEq)]
pub struct DayPlan {
    /// (time of day, level from then on).
    pub steps: Vec<(f64, Level)>,
}

impl DayPlan {
    /// The level at time of day `tod`.
    pub fn at(&self, tod: f64) -> Level {
        let i = self.steps.partition_point(|s| s.0 <= tod);
        self.steps[i.saturating_sub(1)].1
    }

    /// The first change of the plan after time of day `tod`, if any that day.
    pub fn next_after(&self, tod: f64) -> Option<f64> {
        let i = self.steps.partition_point(|s| s.0 <= tod);
        self.steps.get(i).map(|s| s.0)
    }
}

impl Roster {
    /// The plan of a day that is weekday `weekday` (0 = Monday). `absent` is asked once per
    /// scheduled agent, in order, when `absence` is above 0, whether that agent stays home.
    pub fn day_plan(
        &self,
        weekday: usize,
        grid: &DayGrid,
        mut draw: impl FnMut() -> bool,
    ) -> DayPlan {
        let mut absent = |_: ()| self.absence > 0.0 && draw();
        let n = grid.intervals();
        match &self.weekdays[weekday % 7] {
            DayRoster::Intervals(list) => {
                let most = list.iter().copied().max().unwrap_or(0) as usize;
                // before[j]: absent agents among agents 0..j.
                let mut before = vec![0u32; most + 1];
                for j in 0..most {
                    before[j + 1] = before[j] + u32::from(absent(()));
                }
                let mut steps = Vec::with_capacity(n + 2);
                if grid.open > 0.0 {
                    steps.push((0.0, Level::default()));
                }
                for (i, &scheduled) in list.iter().enumerate() {
                    let present = scheduled - before[scheduled as usize];
                    steps.push((
                        grid.start_of_day(i),
                        Level {
                            scheduled,
                            present,
                            planned: on_phone(present, self.shrinkage[i]),
                        },
                    ));
                }
                if grid.close < DAY {
                    steps.push((grid.close, Level::default()));
                }
                DayPlan { steps }
            }
            DayRoster::Shifts(shifts) => {
                // (time, Δ scheduled, Δ present, Δ present and not on a break).
                let mut deltas: Vec<(f64, i64, i64, i64)> = vec![(0.0, 0, 0, 0)];
                deltas.extend((0..n).map(|i| (grid.start_of_day(i), 0, 0, 0)));
                for s in shifts {
                    for j in 0..s.agents {
                        let here = i64::from(!absent(()));
                        deltas.push((s.start, 1, here, here));
                        deltas.push((s.end, -1, -here, -here));
                        for b in &s.breaks {
                            let at = b.start_of(j, s.agents);
                            deltas.push((at, 0, 0, -here));
                            deltas.push((at + b.length, 0, 0, here));
                        }
                    }
                }
                deltas.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut steps: Vec<(f64, Level)> = Vec::with_capacity(deltas.len());
                let (mut sch, mut pre, mut ava) = (0i64, 0i64, 0i64);
                for (k, d) in deltas.iter().enumerate() {
                    sch += d.1;
                    pre += d.2;
                    ava += d.3;
                    if deltas.get(k + 1).is_some_and(|next| next.0 == d.0) {
                        continue;
                    }
                    let share = grid.interval_in_day(d.0).map_or(0.0, |i| self.shrinkage[i]);
                    let level = Level {
                        scheduled: count(sch),
                        present: count(pre),
                        planned: on_phone(count(ava), share),
                    };
                    if steps.last().is_none_or(|s| s.1 != level) {
                        steps.push((d.0, level));
                    }
                }
                DayPlan { steps }
            }
        }
    }

    /// The mean agents planned on the phone in each interval of the open day, over the days
    /// of the week, without absence, times (1 − absence) × adherence: the capacity the
    /// validation's checks and summaries use.
    pub fn typical_staffing(&self, grid: &DayGrid) -> Vec<u32> {
        let n = grid.intervals();
        let mut sums = vec![0.0; n];
        for w in 0..7 {
            let plan = self.day_plan(w, grid, || false);
            for (i, sum) in sums.iter_mut().enumerate() {
                let (a, b) = (grid.start_of_day(i), grid.start_of_day(i) + grid.interval);
                *sum += plan.integral(a, b, |l| l.planned) / grid.interval;
            }
        }
        let factor = (1.0 - self.absence) * self.adherence / 7.0;
        sums.iter().map(|s| (s * factor).round() as u32).collect()
    }

    /// Whether anyone is ever scheduled.
    pub fn anyone(&self) -> bool {
        self.weekdays.iter().any(|d| match d {
            DayRoster::Intervals(list) => list.iter().any(|a| *a > 0),
            DayRoster::Shifts(s) => s.iter().any(|s| s.agents > 0),
        })
    }
}

impl DayPlan {
    /// The integral of `f(level)` over the times of day `a` to `b`, agent-seconds.
    pub fn integral(&self, a: f64, b: f64, f: impl Fn(&Level) -> u32) -> f64 {
        let mut total = 0.0;
        for (k, (t, level)) in self.steps.iter().enumerate() {
            let end = self.steps.get(k + 1).map_or(DAY, |s| s.0);
            let (lo, hi) = (t.max(a), end.min(b));
            if hi > lo {
                total += f64::from(f(level)) * (hi - lo);
            }
        }
        total
    }
}

/// A count that validation keeps from going below 0.
fn count(v: i64) -> u32 {
    v.clamp(0, i64::from(u32::MAX)) as u32
}

/// Of `n` agents, those left on the phone by a shrinkage of `share`: `n − round(share × n)`.
pub fn on_phone(n: u32, share: f64) -> u32 {
    if share <= 0.0 {
        return n;
    }
    n - ((share * f64::from(n)).round() as u32).min(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> DayGrid {
        DayGrid {
            open: 8.0 * 3600.0,
            close: 12.0 * 3600.0,
            interval: 1800.0,
        }
    }

    fn roster(day: DayRoster) -> Roster {
        Roster {
            weekdays: vec![day; 7],
            patterns: Vec::new(),
            absence: 0.0,
            shrinkage: vec![0.0; 8],
            adherence: 1.0,
        }
    }

    #[test]
    fn breaks_are_staggered_over_their_window() {
        let b = Break {
            earliest: 36_000.0,
            latest: 39_600.0,
            length: 900.0,
        };
        let starts: Vec<f64> = (0..5).map(|j| b.start_of(j, 5)).collect();
        assert_eq!(starts, [36_000.0, 36_900.0, 37_800.0, 38_700.0, 39_600.0]);
        assert_eq!(b.start_of(0, 1), 36_000.0);
    }

    #[test]
    fn two_shifts_with_a_fixed_break() {
        let h = 3600.0;
        let r = roster(DayRoster::Shifts(vec![
            Shift {
                start: 8.0 * h,
                end: 12.0 * h,
                agents: 3,
                breaks: vec![Break {
                    earliest: 10.0 * h,
                    latest: 10.0 * h,
                    length: 900.0,
                }],
            },
            Shift {
                start: 9.0 * h,
                end: 12.0 * h,
                agents: 2,
                breaks: vec![],
            },
        ]));
        let plan = r.day_plan(0, &grid(), || false);
        let planned = |t: f64| plan.at(t).planned;
        assert_eq!(planned(7.0 * h), 0);
        assert_eq!(planned(8.5 * h), 3);
        assert_eq!(planned(9.5 * h), 5);
        assert_eq!(planned(10.1 * h), 2);
        assert_eq!(plan.at(10.1 * h).scheduled, 5);
        assert_eq!(planned(10.25 * h), 5);
        assert_eq!(planned(12.0 * h), 0);
        // The interval 10:00-10:30: 15 minutes of 2 and 15 of 5.
        let mean = plan.integral(10.0 * h, 10.5 * h, |l| l.planned) / 1800.0;
        assert_eq!(mean, 3.5);
    }

    #[test]
    fn an_absent_agent_of_a_list_is_absent_all_day() {
        let mut r = roster(DayRoster::Intervals(vec![1, 3, 3, 2, 2, 2, 1, 0]));
        r.absence = 0.5;
        // Agents 0, 1, 2: agent 1 absent.
        let mut draws = [false, true, false].into_iter();
        let plan = r.day_plan(0, &grid(), || draws.next().expect("three agents"));
        let present: Vec<u32> = (0..8)
            .map(|i| plan.at(grid().start_of_day(i)).present)
            .collect();
        assert_eq!(present, [1, 2, 2, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn shrinkage_rounds_to_the_nearest_agent() {
        assert_eq!(on_phone(10, 0.15), 8);
        assert_eq!(on_phone(10, 0.149), 9);
        assert_eq!(on_phone(3, 0.5), 1);
        assert_eq!(on_phone(0, 0.5), 0);
        assert_eq!(on_phone(4, 1.0), 0);
    }
}
