//! Staffing search: the fewest agents per interval that meet targets (`rappel staff`).
//!
//! A [`Target`] is one `--target KEY=VALUE`: a figure of every interval of the open day
//! (accessibility, service level, abandonment, mean wait, CSAT) with a bound, or the whole
//! run's NPS; without one, `rappel staff` searches for [`Target::DEFAULT`]
//! (`accessibility=0.8`).
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
//! - the back office's targets, of the searched team itself (`hold_p90`, its p90 hold
//!   after a transfer over the run; `backlog_day_end`, its backlog at every day end), shift
//!   every observed interval alike, then trim: intervals in time order each try one agent
//!   fewer and keep the saving while every target holds, until a sweep saves nothing and
//!   one fewer everywhere misses. Call targets on a team that serves no type, and
//!   back-office ones on a team nothing reaches, are refused ([`StaffError::Unfit`]);
//! - an interval meets its target when it meets it on **every day** of the run: for each
//!   day, the **mean** over the search's replications of that day's per-replication value
//!   in the interval (the figure of the day's row of `intervals.csv`); a day where the
//!   value is undefined in every replication (no call, or no closed ticket for
//!   `csat_mean`) meets it. One staffing list serves every day, so the worst day decides.
//!
//! The days may differ (`arrivals.day_scale`): each interval's plan is that of the
//! busiest day, and [`StaffResult::warnings`] says when the lightest day would need at
//! least [`DAY_SPREAD`] fewer agent-hours (by Erlang C on each day's calls), since one list
//! then over-staffs it.
//!
//! `service_level` leaves out the callers the entry turns away (told to call back later,
//! balked) or calls back: [`StaffResult::warnings`] says so when the flow can do that, or
//! more than [`TURNED_AWAY`] of the calls were turned away, and suggests `accessibility`,
//! which counts every call offered.
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

mod cost;
mod roster;
mod search;
mod setup;
mod target;
#[cfg(test)]
mod tests;

pub use crate::output::staff::{STAFFING_COLUMNS, staff_json, staffing_csv, staffing_toml};
pub use roster::{ROUNDS, RosterPlan, Uncovered, cover_at_least_cost, plan_roster, with_agents};
pub use target::{Key, StaffError, Target, keys_help};

use crate::analytic::Targets;
use crate::scenario::{Flow, Scenario, format_clock};

/// The safety factor β of the square-root staffing rule the search starts from.
pub const BETA: f64 = 0.5;

/// The fewest replications a search runs by default (a scenario asking for more gets more).
pub const MIN_SEARCH_REPLICATIONS: u32 = 200;

/// The most simulations of the whole scenario the per-interval search runs.
pub const MAX_PASSES: u32 = 80;

/// The most agents a team may have in one interval (the scenario's limit).
pub const MAX_AGENTS: u32 = 100_000;

/// The service level Erlang C and A are asked for when no queue target (accessibility,
/// service level, abandonment, mean wait) is given: the industry's "80 % within the
/// threshold". Also the level of the default target, [`Target::DEFAULT`].
pub const REFERENCE_SERVICE_LEVEL: f64 = 0.8;

/// The share of agent-hours by which the lightest day's need (Erlang C on its calls) must
/// fall below the busiest day's for [`StaffResult::warnings`] to say that one staffing
/// list cannot serve every day: 0.1, at least 10 % fewer.
pub const DAY_SPREAD: f64 = 0.1;

/// The share of the calls offered, rejected or balked with the staffing found, above which
/// a `service_level` target gets [`StaffResult::warnings`]' warning whatever the flow: the
/// run's own threshold for the same warning, 1 %.
pub use crate::warnings::TURNED_AWAY;

/// What is known of one interval of the open day before the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Start, seconds after midnight.
    pub start_of_day_s: f64,
    /// Calls per second reaching the team's types on the busiest day of the run (the
    /// observed day of the largest `day_scale`).
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
    /// Whether the run observes the interval on some day of its class (false when the
    /// warm-up covers it or the horizon ends before it); an interval not observed keeps its
    /// start.
    pub observed: bool,
    /// Its interval of the open day (0-based).
    pub interval: usize,
    /// Its class of days ([`Search::classes`]).
    pub class: usize,
}

/// Days staffed with one list: every observed day of the run when all open days expect the
/// same calls, else the open observed days of one weekday.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// The day of the week (0 = Monday) when the plan is per weekday; `None` for one list
    /// for every day.
    pub weekday: Option<usize>,
    /// Its days (0-based days of the run), in order.
    pub days: Vec<usize>,
    /// Its busiest day (the first of the most expected calls), whose calls its plans are of.
    pub busiest_day: usize,
}

/// One observed day of the run, as planned before the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// 0-based day of the run.
    pub day: usize,
    /// Its `arrivals.day_scale`.
    pub scale: f64,
    /// Agent-hours the day asks for by Erlang C on its own calls (the queue targets of
    /// [`Search::analytic_targets`]; the square-root start where Erlang C has no figure);
    /// `None` for a team that serves no type directly.
    pub erlang_c_hours: Option<f64>,
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
    /// The classes of days, each staffed with its own list: one class, or one per weekday
    /// of the run when its days expect different calls (`day_scale`, `day_scale_by_weekday`,
    /// a forecast with a `day` column), in the order the run meets them.
    pub classes: Vec<Class>,
    /// Intervals of the open day.
    pub per_day: usize,
    /// One per interval of the open day and class, class-major: plan `c × per_day + i` is
    /// interval `i` of class `c`. Every profile of the search is indexed alike.
    pub plans: Vec<Plan>,
    /// The days the run observes (some interval after the warm-up and before the horizon),
    /// in order.
    pub days: Vec<Day>,
    /// The busiest observed day (the first of the largest `day_scale`; with a plan per
    /// weekday, the first of the most expected calls).
    pub busiest_day: usize,
    /// The queue targets Erlang C and A were asked for.
    pub analytic_targets: Targets,
    /// For a team staffed by `[[teams.shifts]]`: its roster, set aside while the search
    /// finds the per-interval requirement (the team searched as one list), then planned by
    /// [`plan_roster`].
    pub roster: Option<crate::scenario::Roster>,
}

/// What one per-interval target reached in each interval of the open day, day by day.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    /// Per interval: the mean over the replications and days of the per-replication value
    /// (NaN where undefined on every day, and for whole-run targets).
    pub mean: Vec<f64>,
    /// Per interval: the worst day's value, the day's value being the mean over the
    /// replications (NaN where undefined on every day).
    pub worst: Vec<f64>,
    /// Per interval: the worst day (0-based, the first of equal values), `None` where the
    /// value is undefined on every day.
    pub worst_day: Vec<Option<usize>>,
}

impl Reached {
    /// The worst (interval, day, value) over every interval and day for `target` (the
    /// first of equal values), `None` when nothing is defined.
    pub fn overall_worst(&self, target: &Target) -> Option<(usize, usize, f64)> {
        let mut worst: Option<(usize, usize, f64)> = None;
        for (i, (&v, d)) in self.worst.iter().zip(&self.worst_day).enumerate() {
            let Some(d) = *d else { continue };
            if worst.is_none_or(|(_, _, w)| target.worse(v, w)) {
                worst = Some((i, d, v));
            }
        }
        worst
    }

    /// Intervals with a defined value on some day, and of them those where `target` is met
    /// on every day.
    pub fn met_count(&self, target: &Target) -> (usize, usize) {
        let defined: Vec<f64> = self.worst.iter().copied().filter(|v| !v.is_nan()).collect();
        let met = defined.iter().filter(|&&v| target.met_by(v)).count();
        (met, defined.len())
    }
}

/// Per-interval and whole-run values of one simulated profile.
#[derive(Debug, Clone)]
struct Eval {
    /// `[target]`: the per-interval values, day by day.
    values: Vec<Reached>,
    /// `[target]`: the whole run's mean; for the team's own targets the value checked
    /// (see [`StaffResult::whole`]).
    whole: Vec<f64>,
    /// `[target]`: per day, for `backlog_day_end` (see [`StaffResult::day_values`]).
    days: Vec<Vec<(usize, f64)>>,
    /// The whole run's mean `outcome_rejected` + `outcome_balked`.
    turned_away: f64,
    /// Events processed.
    events: u64,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct StaffResult {
    /// The search that ran.
    pub search: Search,
    /// The staffing found, one value per plan ([`Search::plans`]: per interval of the open
    /// day and class of days).
    pub agents: Vec<u32>,
    /// `[target]`: the per-interval values reached with `agents` in the search's
    /// replications, day by day (NaN for `nps`, and where undefined).
    pub values: Vec<Reached>,
    /// `[target]`: the whole run's value with `agents` in the search's replications. For
    /// `hold_p90`, the mean over the replications of the team's p90 hold (`hold_p90_s` of
    /// `breakdown.csv`), infinite when tickets were still waiting for the team at the drain
    /// cap; for `backlog_day_end`, the worst day's value of [`StaffResult::day_values`].
    pub whole: Vec<f64>,
    /// `[target]`: for `backlog_day_end`, each day end of the counted window as (the day it
    /// ends, the mean over the replications of the team's backlog then); empty for the
    /// other targets.
    pub day_values: Vec<Vec<(usize, f64)>>,
    /// The share of the calls offered that were told to call back later or balked with
    /// `agents` in the search's replications (the whole run's mean `outcome_rejected` +
    /// `outcome_balked`).
    pub turned_away: f64,
    /// Like `values`, on the confirmation run's fresh replications.
    pub confirm_values: Vec<Reached>,
    /// Like `whole`, on the confirmation run.
    pub confirm_whole: Vec<f64>,
    /// Like `day_values`, on the confirmation run.
    pub confirm_day_values: Vec<Vec<(usize, f64)>>,
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
    /// For a team on shifts, the roster planned from `agents` ([`plan_roster`]).
    pub roster: Option<RosterPlan>,
}

impl StaffResult {
    /// The team's name.
    pub fn team_name(&self) -> &str {
        &self.search.scenario.teams[self.search.team].name
    }

    /// Whether target `t` is met in interval `i` on every day (for `nps`: by the whole run).
    pub fn met(&self, t: usize, i: usize) -> bool {
        let target = &self.search.targets[t];
        if target.key.per_interval() {
            target.met_by(self.values[t].worst[i])
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

    /// The worst day of target `t`'s [`StaffResult::day_values`] (or, with `confirm`, of
    /// the confirmation's): the day with the largest value, the first of equal values.
    pub fn worst_day(&self, t: usize, confirm: bool) -> Option<(usize, f64)> {
        let days = if confirm {
            &self.confirm_day_values[t]
        } else {
            &self.day_values[t]
        };
        days.iter()
            .copied()
            .fold(None, |w: Option<(usize, f64)>, (d, v)| match w {
                Some((_, wv)) if wv >= v => w,
                _ => Some((d, v)),
            })
    }

    /// Whole-run and team targets (`nps`, `hold_p90`, `backlog_day_end`) that are missed.
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

    /// Whether the run observes more than one day.
    pub fn several_days(&self) -> bool {
        self.search.days.len() > 1
    }

    /// Whether the observed days differ in their calls (`day_scale`, or a list per
    /// weekday): the plans are then of each class's busiest day.
    pub fn days_differ(&self) -> bool {
        let b = self.search.scenario.arrivals.scale(self.search.busiest_day);
        self.per_weekday() || self.search.days.iter().any(|d| d.scale != b)
    }

    /// The lightest day of a class when it needs at least [`DAY_SPREAD`] fewer agent-hours
    /// than the class's busiest by Erlang C on each day's calls, one list serving both:
    /// `(light day, its hours, busiest day, its hours)`, the largest such spread.
    pub fn day_spread(&self) -> Option<(usize, f64, usize, f64)> {
        let days = &self.search.days;
        let hours = |d: usize| days.iter().find(|x| x.day == d)?.erlang_c_hours;
        self.search
            .classes
            .iter()
            .filter_map(|c| {
                let busiest = hours(c.busiest_day)?;
                let (light, h) = c
                    .days
                    .iter()
                    .filter_map(|&d| hours(d).map(|h| (d, h)))
                    .min_by(|a, b| a.1.total_cmp(&b.1))?;
                (busiest > 0.0 && h <= busiest * (1.0 - DAY_SPREAD) + 1e-9).then_some((
                    light,
                    h,
                    c.busiest_day,
                    busiest,
                ))
            })
            .min_by(|a, b| (a.1 / a.3).total_cmp(&(b.1 / b.3)))
    }

    /// Why a `service_level` target misleads here, when it is given without an
    /// `accessibility` target: what in the scenario's entry turns callers away or calls
    /// them back (`call_back_later`, balking at an announced wait, callback offers), and
    /// the share rejected or balked with the staffing found when above [`TURNED_AWAY`].
    /// Empty when nothing does, or no `service_level` target is given.
    pub fn service_level_leaves_out(&self) -> Vec<String> {
        let keys: Vec<Key> = self.search.targets.iter().map(|t| t.key).collect();
        if !keys.contains(&Key::ServiceLevel) || keys.contains(&Key::Accessibility) {
            return Vec::new();
        }
        let s = &self.search.scenario;
        let mut why = Vec::new();
        match s.entry.flow {
            Flow::CallBackLater => why.push(
                "entry.flow = \"call_back_later\" tells callers to call back later".to_string(),
            ),
            Flow::Callback => why.push(
                "entry.flow = \"callback\" offers callbacks, and callers who take one leave \
                 the queue"
                    .to_string(),
            ),
            Flow::Queue => {}
        }
        if s.entry.announce.is_some() && s.ticket_types.iter().any(|t| t.patience.is_some()) {
            why.push("entry.announce lets callers hang up on hearing the predicted wait".into());
        }
        if self.turned_away > TURNED_AWAY {
            why.push(format!(
                "with the staffing found, {:.1} % of the calls offered were told to call back \
                 later or hung up on hearing the wait",
                self.turned_away * 100.0
            ));
        }
        why
    }

    /// The warnings of the search, each a sentence without the `warning:` prefix: a
    /// `service_level` target on a flow that turns callers away
    /// ([`StaffResult::service_level_leaves_out`]), and days so different that one staffing
    /// list cannot serve them all ([`StaffResult::day_spread`]).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let why = self.service_level_leaves_out();
        if !why.is_empty() {
            let level = self
                .search
                .targets
                .iter()
                .find(|t| t.key == Key::ServiceLevel)
                .map_or(REFERENCE_SERVICE_LEVEL, |t| t.value);
            out.push(format!(
                "service_level leaves out the callers who do not wait in the queue ({}), so \
                 turning callers away can meet it; --target accessibility={level} counts \
                 every call offered (answered within the threshold, or called back within \
                 the promise)",
                why.join("; ")
            ));
        }
        if let Some((light, hours, b, busiest)) = self.day_spread() {
            let (what, fix) = if self.per_weekday() {
                let w = WEEKDAYS[self.search.scenario.simulation.weekday(b)];
                (
                    format!("both {w}s, which one list per weekday staffs alike"),
                    "a run of one week staffs each day on its own",
                )
            } else {
                (
                    "which one list staffs alike".to_string(),
                    "search each day's calls on their own",
                )
            };
            out.push(format!(
                "day {light} needs {:.0} % fewer agent-hours than day {b} (Erlang C on each \
                 day's calls: {} against {}), {what}: the plan staffs day {light} for day \
                 {b}'s calls and over-staffs it ({fix})",
                (1.0 - hours / busiest) * 100.0,
                short(hours),
                short(busiest),
            ));
        }
        out
    }

    /// The lines to paste into the team's `[[teams]]` table: `agents = [...]`, or with a
    /// list per weekday one `agents_by_weekday.mon = [...]` line per weekday of the run.
    pub fn agents_line(&self) -> String {
        let n = self.search.per_day;
        let list = |c: usize| {
            let v: Vec<String> = self.agents[c * n..(c + 1) * n]
                .iter()
                .map(u32::to_string)
                .collect();
            format!("[{}]", v.join(", "))
        };
        if !self.per_weekday() {
            return format!("agents = {}", list(0));
        }
        let mut classes: Vec<(usize, usize)> = (0..self.search.classes.len())
            .filter_map(|c| self.search.classes[c].weekday.map(|w| (w, c)))
            .collect();
        classes.sort();
        let lines: Vec<String> = classes
            .iter()
            .map(|&(w, c)| format!("agents_by_weekday.{} = {}", WEEKDAY_KEYS[w], list(c)))
            .collect();
        lines.join("\n")
    }

    /// The label of plan `k`'s class: `Mon` (nothing with one list).
    pub fn class_label(&self, k: usize) -> &'static str {
        let c = self.search.plans[k].class;
        self.search.classes[c]
            .weekday
            .map_or("", |w| WEEKDAY_SHORT[w])
    }

    /// The targets, for messages: `service_level >= 0.8, nps >= 20`.
    pub fn targets_label(&self) -> String {
        let v: Vec<String> = self.search.targets.iter().map(Target::label).collect();
        v.join(", ")
    }

    /// Start of plan `k`'s interval, `HH:MM`.
    pub fn time(&self, k: usize) -> String {
        format_clock(self.search.plans[k].start_of_day_s)
    }

    /// Plan `k` for sentences: `08:00`, or with a list per weekday `Mon 08:00`.
    pub fn when(&self, k: usize) -> String {
        if self.per_weekday() {
            format!("{} {}", self.class_label(k), self.time(k))
        } else {
            self.time(k)
        }
    }
}

/// The days of the week, Monday first, for sentences.
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The same, as a table's column or row label.
pub const WEEKDAY_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The same, as the scenario's keys (`agents_by_weekday.mon`).
pub use crate::scenario::raw_roster::WEEKDAY_NAMES as WEEKDAY_KEYS;

/// A count of hours or money for people: two decimals at most, no trailing zeros.
pub(crate) fn short(v: f64) -> String {
    let t = format!("{v:.2}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" { "0".into() } else { t.into() }
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
