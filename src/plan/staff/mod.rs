//! Staffing search: the fewest agents per interval that meet targets (`rappel staff`).
//!
//! A [`Target`] is one `--target KEY=VALUE`: a figure of every interval of the open day
//! (service level, abandonment, mean wait, CSAT) with a bound, or the whole run's NPS.
//! [`Search::new`] picks the team whose staffing is searched, computes each interval's
//! offered load, the square-root staffing rule's starting point
//! ⌈R + β√R⌉ (Halfin & Whitt 1981; Garnett, Mandelbaum & Reiman 2002) and what Erlang C
//! and Erlang A would ask for. [`Search::run`] then simulates the whole scenario with the
//! current staffing profile, over and over:
//!
//! - each interval keeps a bracket: a staffing that missed its target and one that met it,
//!   from the latest simulations. An interval with no bracket yet moves away from its last
//!   result by 1, 2, 4, ... agents; a bracketed one bisects. All intervals move in the same
//!   pass, since every pass simulates the whole day;
//! - when no interval moves any more, every second interval (first the even ones, then the
//!   odd ones) tries one agent fewer while its neighbours keep theirs, because a short
//!   interval spills its queue into the next one. The search ends when two such rounds in a
//!   row save no agent, or after [`MAX_PASSES`] simulations. The staffing found is the
//!   cheapest profile simulated in which every interval met its targets (or was at its cap);
//! - whole-run targets (`nps`) then add the same number of agents to every interval;
//! - an interval meets its target when the **mean** over the search's replications (and the
//!   run's days) of its per-replication value meets it; an interval where the value is
//!   undefined in every replication (no call, or no closed ticket for `csat_mean`) meets it.
//!
//! Every simulation uses the same seed, so every staffing profile sees the same customers
//! and two profiles differ by the staffing only. The search's replications default to at
//! least [`MIN_SEARCH_REPLICATIONS`]: a per-interval mean over few calls is noisy. A final
//! confirmation run of the found profile on fresh replications (the seed plus one) shows
//! how much of the margin was noise.
//!
//! ```
//! use rappel::scenario::Scenario;
//! use rappel::staff::{Search, Target};
//! let s = Scenario::from_toml(r#"
//!     name = "tiny"
//!     [simulation]
//!     horizon = "4h"
//!     [arrivals]
//!     rate_per_hour = 60
//!     [[ticket_types]]
//!     name = "general"
//!     handle_time = { dist = "exponential", mean = "4m" }
//!     patience = { dist = "exponential", mean = "2m" }
//!     [[teams]]
//!     name = "agents"
//!     agents = 5
//!     serves = ["general"]
//! "#, "tiny.toml").unwrap();
//! let targets = vec![Target::parse("service_level=0.8").unwrap()];
//! let search = Search::new(s, None, targets, Some(20), None, None).unwrap();
//! let result = search.run(None, |_, _| {}, |_| {});
//! assert!(result.unmet().is_empty());
//! assert!(result.agents.iter().all(|&c| (4..=8).contains(&c)));
//! ```

mod search;
mod setup;
mod target;
#[cfg(test)]
mod tests;

pub use crate::output::staff::{STAFFING_COLUMNS, staff_json, staffing_csv, staffing_toml};
pub use target::{Key, StaffError, Target, keys_help};

use crate::analytic::Targets;
use crate::scenario::{Scenario, format_clock};

/// The safety factor β of the square-root staffing rule the search starts from.
pub const BETA: f64 = 0.5;

/// The fewest replications a search runs by default (a scenario asking for more gets more).
pub const MIN_SEARCH_REPLICATIONS: u32 = 200;

/// The most simulations of the whole scenario the per-interval search runs.
pub const MAX_PASSES: u32 = 80;

/// The most agents a team may have in one interval (the scenario's limit).
pub const MAX_AGENTS: u32 = 100_000;

/// The service level Erlang C and A are asked for when no queue target (service level,
/// abandonment, mean wait) is given: the industry's "80 % within the threshold".
pub const REFERENCE_SERVICE_LEVEL: f64 = 0.8;

/// What is known of one interval of the open day before the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Start, seconds after midnight.
    pub start_of_day_s: f64,
    /// Calls per second reaching the team's types (mean over the run's days).
    pub arrival_rate: f64,
    /// Mean handle time of those calls with the team, seconds (its `speed` included).
    pub mean_handle: f64,
    /// Offered load in erlangs: `arrival_rate × mean_handle`.
    pub offered_load: f64,
    /// The team's staffing in the scenario.
    pub scenario_agents: u32,
    /// Where the search starts: ⌈R + β√R⌉ (the scenario's staffing for a team that serves
    /// no type directly).
    pub start: u32,
    /// The most agents the search may give the interval.
    pub max: u32,
    /// The fewest agents with which Erlang C meets the queue targets.
    pub erlang_c: Option<u32>,
    /// The same for Erlang A, when every type of the team has exponential patience.
    pub erlang_a: Option<u32>,
    /// Whether the run observes the interval on some day (false when the warm-up covers it
    /// or the horizon ends before it); an interval not observed keeps its start.
    pub observed: bool,
}

/// A search set up: the scenario, the team, the targets and each interval's plan.
#[derive(Debug, Clone)]
pub struct Search {
    /// The scenario, with the search's seed and replications.
    pub scenario: Scenario,
    /// Index of the team whose staffing is searched.
    pub team: usize,
    /// The targets, in the order given.
    pub targets: Vec<Target>,
    /// One per interval of the open day.
    pub plans: Vec<Plan>,
    /// The queue targets Erlang C and A were asked for.
    pub analytic_targets: Targets,
}

/// Per-interval and whole-run values of one simulated profile.
#[derive(Debug, Clone)]
struct Eval {
    /// `[target][interval]`: the mean per-interval value (NaN for whole-run targets).
    values: Vec<Vec<f64>>,
    /// `[target]`: the whole run's mean.
    whole: Vec<f64>,
    /// Events processed.
    events: u64,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct StaffResult {
    /// The search that ran.
    pub search: Search,
    /// The staffing found, one value per interval of the open day.
    pub agents: Vec<u32>,
    /// `[target][interval]`: the value reached with `agents` in the search's replications
    /// (NaN for `nps`, and where undefined).
    pub values: Vec<Vec<f64>>,
    /// `[target]`: the whole run's value with `agents` in the search's replications.
    pub whole: Vec<f64>,
    /// Like `values`, on the confirmation run's fresh replications.
    pub confirm_values: Vec<Vec<f64>>,
    /// Like `whole`, on the confirmation run.
    pub confirm_whole: Vec<f64>,
    /// The seed of the confirmation run.
    pub confirm_seed: u64,
    /// Simulations of the whole scenario the search ran (the confirmation aside).
    pub passes: u32,
    /// Whether the search settled (false when it stopped at [`MAX_PASSES`]).
    pub settled: bool,
    /// Events processed, confirmation included.
    pub events: u64,
    /// Wall-clock seconds of the search and the confirmation.
    pub wall_time_s: f64,
}

impl StaffResult {
    /// The team's name.
    pub fn team_name(&self) -> &str {
        &self.search.scenario.teams[self.search.team].name
    }

    /// Whether target `t` is met in interval `i` (for `nps`: by the whole run).
    pub fn met(&self, t: usize, i: usize) -> bool {
        let target = &self.search.targets[t];
        if target.key.per_interval() {
            target.met_by(self.values[t][i])
        } else {
            target.met_by(self.whole[t])
        }
    }

    /// Intervals where some per-interval target is missed, with the targets they miss.
    pub fn unmet(&self) -> Vec<(usize, Vec<usize>)> {
        (0..self.agents.len())
            .filter_map(|i| {
                let missed: Vec<usize> = (0..self.search.targets.len())
                    .filter(|&t| self.search.targets[t].key.per_interval() && !self.met(t, i))
                    .collect();
                (!missed.is_empty()).then_some((i, missed))
            })
            .collect()
    }

    /// Whole-run targets (`nps`) that are missed.
    pub fn unmet_whole(&self) -> Vec<usize> {
        (0..self.search.targets.len())
            .filter(|&t| {
                !self.search.targets[t].key.per_interval()
                    && !self.search.targets[t].met_by(self.whole[t])
            })
            .collect()
    }

    /// Whether interval `i` is at the most agents the search may give it.
    pub fn at_max(&self, i: usize) -> bool {
        self.agents[i] >= self.search.plans[i].max
    }

    /// Agent-hours per day of a profile.
    fn hours(&self, agents: impl Iterator<Item = u32>) -> f64 {
        agents.map(f64::from).sum::<f64>() * self.search.scenario.day.interval / 3600.0
    }

    /// Agent-hours per day of the staffing found.
    pub fn agent_hours(&self) -> f64 {
        self.hours(self.agents.iter().copied())
    }

    /// Agent-hours per day of the team's staffing in the scenario.
    pub fn scenario_hours(&self) -> f64 {
        self.hours(self.search.plans.iter().map(|p| p.scenario_agents))
    }

    /// Agent-hours per day Erlang C asks for, when it gives a figure in every interval.
    pub fn erlang_c_hours(&self) -> Option<f64> {
        let v: Option<Vec<u32>> = self.search.plans.iter().map(|p| p.erlang_c).collect();
        v.map(|v| self.hours(v.into_iter()))
    }

    /// Agent-hours per day Erlang A asks for, when it gives a figure in every interval.
    pub fn erlang_a_hours(&self) -> Option<f64> {
        let v: Option<Vec<u32>> = self.search.plans.iter().map(|p| p.erlang_a).collect();
        v.map(|v| self.hours(v.into_iter()))
    }

    /// The line to paste into the team's `[[teams]]` table.
    pub fn agents_line(&self) -> String {
        let v: Vec<String> = self.agents.iter().map(u32::to_string).collect();
        format!("agents = [{}]", v.join(", "))
    }

    /// The targets, for messages: `service_level >= 0.8, nps >= 20`.
    pub fn targets_label(&self) -> String {
        let v: Vec<String> = self.search.targets.iter().map(Target::label).collect();
        v.join(", ")
    }

    /// Start of interval `i`, `HH:MM`.
    pub fn time(&self, i: usize) -> String {
        format_clock(self.search.plans[i].start_of_day_s)
    }
}

/// `"a", "b" and "c"`.
fn quoted(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        _ => format!("{} and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}
