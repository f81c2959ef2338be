//! The roster of a team staffed by shift patterns (`[[teams.shifts]]`): after the search
//! has found the per-interval requirement (the team searched as one list of agents on the
//! phone), how many agents work each pattern so that the requirement is covered at the
//! least cost.
//!
//! **The programme.** One integer variable `x_p ≥ 0` per pattern (its start, length,
//! breaks and days as written; its `agents` ignored). Minimise `Σ cost_p x_p`, where
//! `cost_p` is the pattern's length in hours (breaks included: paid time) × the days of
//! the run it is worked × the team's `cost_per_hour` (× 1 without a cost: agent-hours).
//! Subject to, for every weekday the run opens on and every observed interval `i`:
//! `Σ_p cover_p(i) x_p ≥ need_i`, where `cover_p(i)` is the mean share of interval `i` an
//! agent of the pattern is planned on the phone (its breaks excluded, as
//! [`crate::scenario::Shift::planned_per_interval`] places and staggers them), and
//! `need_i = requirement_i / ((1 − absence) × (1 − shrinkage_i) × adherence)`.
//!
//! The programme is solved exactly by `good_lp` with its pure-Rust `microlp` backend
//! (branch and bound on integer variables). Staggered breaks make a pattern's cover depend
//! slightly on its headcount, so the cover is taken at the file's headcount (at least 1),
//! then at the solution's, and the programme solved again, up to [`ROUNDS`] times, until
//! the headcounts no longer change. **Repair:** if the last solution's exact cover (at its
//! own headcounts) still leaves an interval short, one agent is added to the pattern of
//! least cost per unit of cover there, until every interval is covered.

use super::{Reached, Search, StaffError, StaffResult};
use crate::scenario::{DayRoster, Pattern, Roster, Scenario};
use good_lp::{Expression, Solution, SolverModel, microlp, variable, variables};

/// The most times the programme is solved with the cover at the latest headcounts.
pub const ROUNDS: usize = 5;

/// The most agents of one pattern.
const MAX_PATTERN_AGENTS: i32 = 100_000;

/// A covering programme with no solution: row `row` (see [`cover_at_least_cost`]) has a
/// need that no pattern covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncovered {
    /// The row no pattern covers.
    pub row: usize,
}

/// Solves `min Σ cost[p] x[p]` over integers `x[p] ≥ 0` subject to
/// `Σ_p cover[p][r] x[p] ≥ need[r]` for every row `r`, exactly (good_lp, microlp).
/// A row whose need is 0 or less is left out; a row with a positive need that no pattern
/// covers is [`Uncovered`].
pub fn cover_at_least_cost(
    cover: &[Vec<f64>],
    cost: &[f64],
    need: &[f64],
) -> Result<Vec<u32>, Uncovered> {
    let rows: Vec<usize> = (0..need.len()).filter(|&r| need[r] > 1e-9).collect();
    if let Some(&row) = rows.iter().find(|&&r| cover.iter().all(|c| c[r] <= 0.0)) {
        return Err(Uncovered { row });
    }
    if rows.is_empty() {
        return Ok(vec![0; cost.len()]);
    }
    let mut vars = variables!();
    let x: Vec<_> = cost
        .iter()
        .map(|_| vars.add(variable().integer().clamp(0, MAX_PATTERN_AGENTS)))
        .collect();
    let objective: Expression = x.iter().zip(cost).map(|(&v, &c)| c * v).sum();
    let mut model = vars.minimise(objective).using(microlp);
    for &r in &rows {
        let lhs: Expression = x
            .iter()
            .zip(cover)
            .filter(|(_, c)| c[r] > 0.0)
            .map(|(&v, c)| c[r] * v)
            .sum();
        model = model.with(lhs.geq(need[r]));
    }
    // Every row has a covering pattern and the bounds are wide: a failure is the row the
    // bounds cannot reach.
    let solution = model.solve().map_err(|_| Uncovered { row: rows[0] })?;
    Ok(x.iter()
        .map(|&v| solution.value(v).round().max(0.0) as u32)
        .collect())
}

/// The roster planned for a shift-staffed team, and its confirmation.
#[derive(Debug, Clone)]
pub struct RosterPlan {
    /// The team's `[[teams.shifts]]` tables, in file order.
    pub patterns: Vec<Pattern>,
    /// Agents on each pattern.
    pub agents: Vec<u32>,
    /// Each pattern's cost per agent over the run (agent-hours without a `cost_per_hour`).
    pub unit_cost: Vec<f64>,
    /// Whether costs are money (a `cost_per_hour`) rather than agent-hours.
    pub money: bool,
    /// The weekdays covered (0 = Monday): those of the run's open observed days.
    pub weekdays: Vec<usize>,
    /// Per plan of the search (interval and class of days): the requirement (agents on the
    /// phone found by the search).
    pub requirement: Vec<u32>,
    /// Per plan: the requirement inflated by absence, shrinkage and adherence.
    pub need: Vec<f64>,
    /// Per plan: the agents planned on the phone by the roster (before shrinkage) on the
    /// least-covered weekday of its class.
    pub planned: Vec<f64>,
    /// Agents the repair added to the programme's solution.
    pub repaired: u32,
    /// The seed of the confirmation by simulation.
    pub confirm_seed: u64,
    /// `[target]`: the per-interval values of the confirmation.
    pub confirm_values: Vec<Reached>,
    /// `[target]`: the whole run's values of the confirmation.
    pub confirm_whole: Vec<f64>,
    /// Events of the confirmation.
    pub events: u64,
}

impl RosterPlan {
    /// The roster's cost over the run.
    pub fn cost(&self) -> f64 {
        self.agents
            .iter()
            .zip(&self.unit_cost)
            .map(|(&a, &c)| f64::from(a) * c)
            .sum()
    }

    /// Whether the confirmation meets target `t` in interval `i` on every day (for
    /// whole-run targets, over the run).
    pub fn met(&self, search: &Search, t: usize, i: usize) -> bool {
        let target = &search.targets[t];
        if target.key.per_interval() {
            target.met_by(self.confirm_values[t].worst[i])
        } else {
            target.met_by(self.confirm_whole[t])
        }
    }

    /// Whether the confirmation meets every target in every observed interval.
    pub fn holds(&self, search: &Search) -> bool {
        (0..search.targets.len()).all(|t| {
            (0..search.plans.len()).all(|i| !search.plans[i].observed || self.met(search, t, i))
        })
    }

    /// The lines to paste: `agents = N` for each `[[teams.shifts]]` table, in order.
    pub fn paste_lines(&self) -> Vec<String> {
        self.agents
            .iter()
            .map(|a| format!("agents = {a}"))
            .collect()
    }
}

/// The roster's team with `agents` on its patterns: its weekdays rebuilt as validation
/// builds them (the patterns worked that day, in file order).
pub fn with_agents(roster: &Roster, agents: &[u32]) -> Roster {
    let mut r = roster.clone();
    for (p, &a) in r.patterns.iter_mut().zip(agents) {
        p.shift.agents = a;
    }
    r.weekdays = (0..7)
        .map(|w| {
            DayRoster::Shifts(
                r.patterns
                    .iter()
                    .filter(|p| p.days[w])
                    .map(|p| p.shift.clone())
                    .collect(),
            )
        })
        .collect();
    r
}

/// The weekdays of the search's open observed days, in order.
pub(super) fn weekdays(search: &Search) -> Vec<usize> {
    let sim = &search.scenario.simulation;
    let mut w: Vec<usize> = search
        .days
        .iter()
        .filter(|d| sim.open_on(d.day))
        .map(|d| sim.weekday(d.day))
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// An observed interval with calls that no pattern covers on some weekday of the run:
/// refused before the search, since no roster can staff it.
pub(super) fn uncovered(search: &Search, roster: &Roster) -> Result<(), StaffError> {
    let grid = &search.scenario.day;
    let covers: Vec<Vec<f64>> = roster
        .patterns
        .iter()
        .map(|p| p.shift.planned_per_interval(p.shift.agents.max(1), grid))
        .collect();
    for plan in &search.plans {
        let i = plan.interval;
        if plan.observed && plan.arrival_rate > 0.0 && roster.shrinkage[i] >= 1.0 {
            return Err(StaffError::Scenario {
                message: format!(
                    "team `{}`: interval {} has calls, but its shrinkage is 1 (every agent at \
                     work is off the phone), so no roster can cover it",
                    search.scenario.teams[search.team].name,
                    format_clock_of(search, i),
                ),
                help: "lower that interval's `shrinkage` below 1".into(),
            });
        }
    }
    for w in weekdays(search) {
        for plan in &search.plans {
            let i = plan.interval;
            if !plan.observed
                || plan.arrival_rate <= 0.0
                || Some(plan.class) != search.class_of_weekday(w)
            {
                continue;
            }
            let covered = roster
                .patterns
                .iter()
                .zip(&covers)
                .any(|(p, c)| p.days[w] && c[i] > 0.0);
            if !covered {
                return Err(uncovered_error(search, w, i));
            }
        }
    }
    Ok(())
}

fn uncovered_error(search: &Search, w: usize, i: usize) -> StaffError {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    StaffError::Scenario {
        message: format!(
            "team `{}`: no shift pattern puts an agent on the phone in interval {} on {} \
             ({}), which has calls, so no roster of these shifts can cover it",
            search.scenario.teams[search.team].name,
            format_clock_of(search, i),
            NAMES[w],
            "its [[teams.shifts]] start, length, breaks and days leave it empty"
        ),
        help: "add a [[teams.shifts]] table whose hours cover that interval on that day, or \
               move a break out of it"
            .into(),
    }
}

fn format_clock_of(search: &Search, i: usize) -> String {
    crate::scenario::format_clock(search.plans[i].start_of_day_s)
}

/// Plans the roster of a search's shift-staffed team from its per-interval requirement
/// (`result.agents`), then confirms it by simulating the scenario with the roster
/// (breaks, absence, shrinkage and adherence as the scenario says) on fresh replications
/// (the search's seed plus 2).
pub fn plan_roster(
    result: &StaffResult,
    threads: Option<usize>,
    progress: &(impl Fn(u32) + Sync),
) -> Result<RosterPlan, StaffError> {
    let search = &result.search;
    let roster = search
        .roster
        .as_ref()
        .expect("plan_roster is for a team staffed by shifts");
    let grid = &search.scenario.day;
    let team = &search.scenario.teams[search.team];
    let sim = &search.scenario.simulation;
    let n = grid.intervals();
    let weekdays = weekdays(search);
    let requirement = result.agents.clone();
    let need: Vec<f64> = (0..requirement.len())
        .map(|k| {
            let i = search.plans[k].interval;
            if !search.plans[k].observed || requirement[k] == 0 {
                return 0.0;
            }
            let factor =
                (1.0 - roster.absence) * (1.0 - roster.shrinkage[i]).max(0.0) * roster.adherence;
            if factor <= 0.0 {
                f64::INFINITY
            } else {
                f64::from(requirement[k]) / factor
            }
        })
        .collect();
    // A need no headcount can meet (everyone off the phone) is the scenario's problem, not
    // the solver's: name its interval.
    if let Some(k) = need.iter().position(|v| v.is_infinite()) {
        return Err(StaffError::Scenario {
            message: format!(
                "team `{}`: interval {} needs {} agents on the phone, but its shrinkage is 1 \
                 (every agent at work is off the phone), so no roster can cover it",
                team.name,
                format_clock_of(search, k),
                requirement[k]
            ),
            help: "lower that interval's `shrinkage` below 1".into(),
        });
    }
    let money = team.cost_per_hour > 0.0;
    let run_days = grid.days(sim.horizon);
    let unit_cost: Vec<f64> = roster
        .patterns
        .iter()
        .map(|p| {
            let worked = (0..run_days)
                .filter(|&d| sim.open_on(d) && p.days[sim.weekday(d)])
                .count();
            let hours = (p.shift.end - p.shift.start) / 3600.0;
            hours * worked as f64 * if money { team.cost_per_hour } else { 1.0 }
        })
        .collect();
    // Rows: weekday-major, then interval; a weekday needs its class's requirement.
    let class_need = |w: usize| {
        let c = search.class_of_weekday(w).unwrap_or(0);
        need[c * n..(c + 1) * n].to_vec()
    };
    let rows_need: Vec<f64> = weekdays.iter().flat_map(|&w| class_need(w)).collect();
    let cover_rows = |covers: &[Vec<f64>]| -> Vec<Vec<f64>> {
        roster
            .patterns
            .iter()
            .zip(covers)
            .map(|(p, c)| {
                weekdays
                    .iter()
                    .flat_map(|&w| c.iter().map(move |&v| if p.days[w] { v } else { 0.0 }))
                    .collect()
            })
            .collect()
    };
    let cover_at = |counts: &[u32]| -> Vec<Vec<f64>> {
        roster
            .patterns
            .iter()
            .zip(counts)
            .map(|(p, &a)| {
                let a = a.max(1);
                let c = p.shift.planned_per_interval(a, grid);
                c.iter().map(|v| v / f64::from(a)).collect()
            })
            .collect()
    };
    let uncovered = |e: Uncovered| uncovered_error(search, weekdays[e.row / n], e.row % n);
    let mut counts: Vec<u32> = roster.patterns.iter().map(|p| p.shift.agents).collect();
    let mut agents = Vec::new();
    for _ in 0..ROUNDS {
        let covers = cover_at(&counts);
        agents =
            cover_at_least_cost(&cover_rows(&covers), &unit_cost, &rows_need).map_err(uncovered)?;
        if agents == counts {
            break;
        }
        counts = agents.clone();
    }
    // The repair: exact cover at the solution's own headcounts.
    let planned_rows = |agents: &[u32]| -> Vec<f64> {
        let covers: Vec<Vec<f64>> = roster
            .patterns
            .iter()
            .zip(agents)
            .map(|(p, &a)| {
                if a == 0 {
                    vec![0.0; n]
                } else {
                    p.shift.planned_per_interval(a, grid)
                }
            })
            .collect();
        let rows = cover_rows(&covers);
        (0..rows_need.len())
            .map(|r| rows.iter().map(|c| c[r]).sum())
            .collect()
    };
    let mut repaired = 0;
    loop {
        let have = planned_rows(&agents);
        let Some(r) = (0..rows_need.len()).find(|&r| have[r] + 1e-9 < rows_need[r]) else {
            break;
        };
        let per_agent = cover_rows(&cover_at(&agents));
        let best = (0..agents.len())
            .filter(|&p| per_agent[p][r] > 0.0)
            .min_by(|&a, &b| {
                (unit_cost[a] / per_agent[a][r]).total_cmp(&(unit_cost[b] / per_agent[b][r]))
            })
            .ok_or_else(|| uncovered(Uncovered { row: r }))?;
        agents[best] += 1;
        repaired += 1;
        if repaired > 100_000 {
            return Err(uncovered(Uncovered { row: r }));
        }
    }
    let have = planned_rows(&agents);
    // Per plan: the least-covered of its class's weekdays.
    let planned: Vec<f64> = search
        .plans
        .iter()
        .map(|p| {
            (0..weekdays.len())
                .filter(|&k| search.class_of_weekday(weekdays[k]).unwrap_or(0) == p.class)
                .map(|k| have[k * n + p.interval])
                .fold(f64::INFINITY, f64::min)
        })
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect();

    let rostered = with_agents(roster, &agents);
    let mut scenario: Scenario = search.scenario.clone();
    let confirm_seed = sim.seed.wrapping_add(2);
    scenario.simulation.seed = confirm_seed;
    scenario.teams[search.team].staffing = rostered.typical_staffing(grid);
    scenario.teams[search.team].roster = Some(rostered);
    let e = search.evaluate_scenario(&scenario, threads, progress);
    Ok(RosterPlan {
        patterns: roster.patterns.clone(),
        agents,
        unit_cost,
        money,
        weekdays,
        requirement,
        need,
        planned,
        repaired,
        confirm_seed,
        confirm_values: e.values,
        confirm_whole: e.whole,
        events: e.events,
    })
}
