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

use crate::analytic::{AnalyticError, QueueInput, Targets, figures};
use crate::output::{SCHEMA_VERSION, num, sha256_hex};
use crate::run::{RunResult, run_scenario};
use crate::scenario::{Dist, Scenario, format_clock, parse_duration};
use crate::stats::{IntervalStats, Metric, interval_start};
use std::collections::HashMap;

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

/// A figure a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// Share of settled calls answered within the scenario's threshold, per interval; at least.
    ServiceLevel,
    /// Share of settled calls abandoned, per interval; at most.
    AbandonRate,
    /// Mean wait of settled calls, seconds, per interval; at most.
    AsaS,
    /// Mean CSAT of the tickets closed in the interval; at least.
    CsatMean,
    /// Net Promoter Score of the whole run; at least.
    Nps,
}

impl Key {
    /// Every key, in the order of the help text.
    pub const ALL: [Key; 5] = [
        Key::ServiceLevel,
        Key::AbandonRate,
        Key::AsaS,
        Key::CsatMean,
        Key::Nps,
    ];

    /// The key as written in `--target`.
    pub fn name(self) -> &'static str {
        match self {
            Key::ServiceLevel => "service_level",
            Key::AbandonRate => "abandon_rate",
            Key::AsaS => "asa_s",
            Key::CsatMean => "csat_mean",
            Key::Nps => "nps",
        }
    }

    /// A key by its name.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the target is a floor (at least) rather than a ceiling (at most).
    pub fn at_least(self) -> bool {
        matches!(self, Key::ServiceLevel | Key::CsatMean | Key::Nps)
    }

    /// Whether the key is checked per interval (all but `nps`, which only the whole run has).
    pub fn per_interval(self) -> bool {
        self != Key::Nps
    }

    /// The whole-run metric of the same name.
    pub fn metric(self) -> Metric {
        match self {
            Key::ServiceLevel => Metric::ServiceLevel,
            Key::AbandonRate => Metric::AbandonRate,
            Key::AsaS => Metric::AsaS,
            Key::CsatMean => Metric::CsatMean,
            Key::Nps => Metric::Nps,
        }
    }

    /// The values a target may take, inclusive.
    fn range(self) -> (f64, f64) {
        match self {
            Key::ServiceLevel | Key::AbandonRate => (0.0, 1.0),
            Key::AsaS => (0.0, 1e9),
            Key::CsatMean => (1.0, 5.0),
            Key::Nps => (-100.0, 100.0),
        }
    }

    /// What the key means, for the help text.
    fn describe(self) -> &'static str {
        match self {
            Key::ServiceLevel => {
                "service_level (share answered within the scenario's threshold, at least; 0 to 1)"
            }
            Key::AbandonRate => "abandon_rate (share of settled calls abandoned, at most; 0 to 1)",
            Key::AsaS => "asa_s (mean wait in seconds, at most; 30 or 30s)",
            Key::CsatMean => "csat_mean (mean CSAT of the tickets closed, at least; 1 to 5)",
            Key::Nps => "nps (Net Promoter Score of the whole run, at least; -100 to 100)",
        }
    }

    /// The value of the key in one interval cell of one replication (NaN when undefined).
    fn cell_value(self, c: &IntervalStats) -> f64 {
        match self {
            Key::ServiceLevel => c.service_level(),
            Key::AbandonRate => c.abandon_rate(),
            // No answered-wait sum per interval: the mean wait of settled calls, which is
            // at least the mean answer time (see docs/scenario.md).
            Key::AsaS => c.wait_mean_s(),
            Key::CsatMean => c.csat_mean(),
            Key::Nps => f64::NAN,
        }
    }
}

/// The help line listing every key.
pub fn keys_help() -> String {
    let keys: Vec<&str> = Key::ALL.iter().map(|k| k.describe()).collect();
    format!(
        "the keys are {}; e.g. --target service_level=0.8",
        keys.join(", ")
    )
}

/// One `--target KEY=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The figure.
    pub key: Key,
    /// The bound: a floor for `service_level`, `csat_mean` and `nps`, a ceiling otherwise.
    pub value: f64,
}

impl Target {
    /// Parses `KEY=VALUE`; `asa_s` also takes a duration (`30s`, `1m`).
    pub fn parse(arg: &str) -> Result<Target, StaffError> {
        let fail = |message: String| StaffError::Target {
            arg: arg.to_string(),
            message,
            help: keys_help(),
        };
        let Some((key, value)) = arg.split_once('=') else {
            return Err(fail("no `=` between the key and its value".into()));
        };
        let (key, value) = (key.trim(), value.trim());
        let Some(k) = Key::from_name(key) else {
            let names = Key::ALL.map(|k| k.name());
            let near = names
                .iter()
                .map(|n| (strsim::jaro_winkler(n, key), *n))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(score, _)| *score > 0.8)
                .map(|(_, n)| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(fail(format!("unknown key `{key}`{near}")));
        };
        let v = if k == Key::AsaS {
            parse_duration(value).map_err(|e| fail(format!("`{value}` is not a duration: {e}")))?
        } else {
            value
                .parse::<f64>()
                .map_err(|_| fail(format!("`{value}` is not a number")))?
        };
        let (lo, hi) = k.range();
        if !(v.is_finite() && v >= lo && v <= hi) {
            return Err(fail(format!(
                "{} must be from {} to {}, got {value}",
                k.name(),
                lo,
                hi
            )));
        }
        Ok(Target { key: k, value: v })
    }

    /// Whether a value meets the target; an undefined value (nothing to measure) does.
    pub fn met_by(&self, v: f64) -> bool {
        if v.is_nan() {
            true
        } else if self.key.at_least() {
            v >= self.value
        } else {
            v <= self.value
        }
    }

    /// `service_level >= 0.8`, for messages and file headers.
    pub fn label(&self) -> String {
        let op = if self.key.at_least() { ">=" } else { "<=" };
        format!("{} {op} {}", self.key.name(), self.value)
    }
}

/// Why a search cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffError {
    /// A `--target` that is not a known key with a value in range, or given twice.
    #[error("--target `{arg}`: {message}\n  help: {help}")]
    Target {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// The accepted keys.
        help: String,
    },
    /// No team, or an unknown one, to search the staffing of.
    #[error("--team: {message}\n  help: {help}")]
    Team {
        /// What is wrong.
        message: String,
        /// The teams of the scenario.
        help: String,
    },
}

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

/// The fewest agents in `1..=limit` with which the queue of `input` meets `targets`,
/// searched from `guess` (every figure improves with each agent added); `None` when even
/// `limit` agents miss them or a figure cannot be computed.
fn analytic_agents(input: QueueInput, targets: &Targets, guess: u32, limit: u32) -> Option<u32> {
    let ok = |agents: u32| -> Option<bool> {
        match figures(&QueueInput { agents, ..input }) {
            Ok(f) => Some(targets.met_by(&f)),
            Err(AnalyticError::Unstable { .. }) => Some(false),
            Err(_) => None,
        }
    };
    let limit = limit.max(1);
    let mut c = guess.clamp(1, limit);
    if ok(c)? {
        // Down by doubling steps, then bisect between a miss and a hit.
        let mut step = 1;
        let mut hit = c;
        let miss = loop {
            if hit == 1 {
                return Some(1);
            }
            let next = hit.saturating_sub(step).max(1);
            if ok(next)? {
                hit = next;
                step *= 2;
            } else {
                break next;
            }
        };
        return Some(bisect(miss, hit, ok));
    }
    let mut step = 1;
    let mut miss = c;
    loop {
        if c >= limit {
            return None;
        }
        c = (miss + step).min(limit);
        if ok(c)? {
            return Some(bisect(miss, c, ok));
        }
        miss = c;
        step *= 2;
    }
}

/// The smallest value in `(miss, hit]` that `ok` accepts, `ok(hit)` being true.
fn bisect(mut miss: u32, mut hit: u32, ok: impl Fn(u32) -> Option<bool>) -> u32 {
    while hit > miss + 1 {
        let mid = miss + (hit - miss) / 2;
        match ok(mid) {
            Some(true) => hit = mid,
            Some(false) => miss = mid,
            None => return hit,
        }
    }
    hit
}

impl Search {
    /// Sets up a search: picks the team (`team`, or the scenario's only team), applies the
    /// seed and the replications (default: the scenario's, at least
    /// [`MIN_SEARCH_REPLICATIONS`]), and plans every interval. `max_agents` caps every
    /// interval (default: 10 × its start, at least 10).
    pub fn new(
        mut scenario: Scenario,
        team: Option<&str>,
        targets: Vec<Target>,
        replications: Option<u32>,
        seed: Option<u64>,
        max_agents: Option<u32>,
    ) -> Result<Search, StaffError> {
        let names: Vec<&str> = scenario.teams.iter().map(|t| t.name.as_str()).collect();
        let list = format!("the teams are {}", quoted(&names));
        let team = match team {
            Some(name) => {
                names
                    .iter()
                    .position(|n| *n == name)
                    .ok_or_else(|| StaffError::Team {
                        message: format!("the scenario has no team named `{name}`"),
                        help: list.clone(),
                    })?
            }
            None if names.len() == 1 => 0,
            None => {
                return Err(StaffError::Team {
                    message: format!(
                        "the scenario has {} teams; name the one whose staffing to search",
                        names.len()
                    ),
                    help: format!("{list}; e.g. --team {}", names[0]),
                });
            }
        };
        if targets.is_empty() {
            return Err(StaffError::Target {
                arg: String::new(),
                message: "no target given".into(),
                help: keys_help(),
            });
        }
        for (i, t) in targets.iter().enumerate() {
            if targets[..i].iter().any(|u| u.key == t.key) {
                return Err(StaffError::Target {
                    arg: format!("{}={}", t.key.name(), t.value),
                    message: format!("{} is given twice", t.key.name()),
                    help: "give each key once".into(),
                });
            }
        }
        if let Some(r) = replications {
            scenario.simulation.replications = r;
        } else {
            scenario.simulation.replications = scenario
                .simulation
                .replications
                .max(MIN_SEARCH_REPLICATIONS);
        }
        if let Some(s) = seed {
            scenario.simulation.seed = s;
        }

        let queue = |k: Key| targets.iter().find(|t| t.key == k).map(|t| t.value);
        let mut analytic_targets = Targets {
            service_level: queue(Key::ServiceLevel),
            asa_s: queue(Key::AsaS),
            abandon_rate: queue(Key::AbandonRate),
        };
        if analytic_targets == Targets::default() {
            analytic_targets.service_level = Some(REFERENCE_SERVICE_LEVEL);
        }

        let t = &scenario.teams[team];
        let served: Vec<usize> = t.serves.clone();
        let share: f64 = served.iter().map(|&k| scenario.ticket_types[k].share).sum();
        let mean_handle = if share > 0.0 {
            served
                .iter()
                .map(|&k| {
                    let ty = &scenario.ticket_types[k];
                    ty.share * ty.handle_time.mean()
                })
                .sum::<f64>()
                / share
                * t.speed
        } else {
            f64::NAN
        };
        // Erlang A needs exponential patience; with several types, their share-weighted mean.
        let patience = served
            .iter()
            .map(|&k| {
                let ty = &scenario.ticket_types[k];
                match ty.patience {
                    Some(Dist::Exponential { mean }) => Some(ty.share * mean),
                    _ => None,
                }
            })
            .sum::<Option<f64>>()
            .filter(|_| share > 0.0)
            .map(|p| p / share);
        let days = (scenario.simulation.horizon / 86_400.0).ceil().max(1.0) as usize;
        let threshold = scenario.simulation.service_level_threshold;
        let grid = &scenario.day;
        let plans = (0..grid.intervals())
            .map(|i| {
                let rate_per_hour = (0..days)
                    .map(|d| scenario.arrivals.rates_per_hour[i] * scenario.arrivals.scale(d))
                    .sum::<f64>()
                    / days as f64;
                let arrival_rate = rate_per_hour / 3600.0 * share;
                let offered_load = if share > 0.0 {
                    arrival_rate * mean_handle
                } else {
                    0.0
                };
                let scenario_agents = t.staffing[i];
                let start = if share > 0.0 {
                    (offered_load + BETA * offered_load.sqrt()).ceil() as u32
                } else {
                    scenario_agents
                };
                let max = max_agents
                    .unwrap_or_else(|| start.saturating_mul(10).max(10))
                    .min(MAX_AGENTS);
                let start = start.min(max);
                let input = QueueInput {
                    arrival_rate,
                    mean_handle,
                    agents: 1,
                    mean_patience: None,
                    queue_capacity: None,
                    threshold,
                };
                let (erlang_c, erlang_a) = if share == 0.0 {
                    (None, None)
                } else if arrival_rate == 0.0 {
                    (Some(0), patience.map(|_| 0))
                } else {
                    (
                        analytic_agents(input, &analytic_targets, start, max),
                        patience.and_then(|p| {
                            analytic_agents(
                                QueueInput {
                                    mean_patience: Some(p),
                                    ..input
                                },
                                &analytic_targets,
                                start,
                                max,
                            )
                        }),
                    )
                };
                let (warmup, horizon) = (scenario.simulation.warmup, scenario.simulation.horizon);
                let observed = (0..days).any(|d| {
                    let t = interval_start(grid, d * grid.intervals() + i);
                    t + grid.interval > warmup && t < horizon
                });
                Plan {
                    observed,
                    start_of_day_s: grid.open + i as f64 * grid.interval,
                    arrival_rate,
                    mean_handle,
                    offered_load,
                    scenario_agents,
                    start,
                    max,
                    erlang_c,
                    erlang_a,
                }
            })
            .collect();
        Ok(Search {
            scenario,
            team,
            targets,
            plans,
            analytic_targets,
        })
    }

    /// Replications of one simulation of the search.
    pub fn replications(&self) -> u32 {
        self.scenario.simulation.replications
    }

    /// The scenario with `agents` as the team's staffing and `seed` as its seed.
    fn with_agents(&self, agents: &[u32], seed: u64) -> Scenario {
        let mut s = self.scenario.clone();
        s.teams[self.team].staffing = agents.to_vec();
        s.simulation.seed = seed;
        s
    }

    /// Simulates a profile and reduces the run to the targets' values.
    fn evaluate(
        &self,
        agents: &[u32],
        seed: u64,
        threads: Option<usize>,
        progress: &(impl Fn(u32) + Sync),
    ) -> Eval {
        let run = run_scenario(&self.with_agents(agents, seed), threads, progress);
        let per_day = self.plans.len();
        let values = self
            .targets
            .iter()
            .map(|t| per_interval(&run, t.key, per_day))
            .collect();
        let whole = self
            .targets
            .iter()
            .map(|t| run.estimate(t.key.metric()).mean)
            .collect();
        Eval {
            values,
            whole,
            events: run.events(),
        }
    }

    /// Runs the search: `on_pass(pass, what)` before each simulation, `on_replication`
    /// after each replication (from worker threads).
    pub fn run(
        self,
        threads: Option<usize>,
        on_pass: impl Fn(u32, &str),
        on_replication: impl Fn(u32) + Sync,
    ) -> StaffResult {
        let start_time = std::time::Instant::now();
        let seed = self.scenario.simulation.seed;
        let mut runs = Runs {
            search: &self,
            threads,
            on_pass,
            on_replication,
            cache: HashMap::new(),
            passes: 0,
            events: 0,
        };
        let mut agents: Vec<u32> = self.plans.iter().map(|p| p.start).collect();
        let mut settled = true;
        if self.targets.iter().any(|t| t.key.per_interval()) {
            (agents, settled) = self.fit_intervals(&mut runs, agents);
        }
        if self.targets.iter().any(|t| !t.key.per_interval()) {
            agents = self.fit_whole_run(&mut runs, agents);
        }
        let e = runs.eval(&agents, "the staffing found");
        (runs.on_pass)(runs.passes + 1, "confirmation on fresh replications");
        let confirm_seed = seed.wrapping_add(1);
        let c = self.evaluate(&agents, confirm_seed, threads, &runs.on_replication);
        let (passes, events) = (runs.passes, runs.events + c.events);
        StaffResult {
            search: self,
            agents,
            values: e.values,
            whole: e.whole,
            confirm_values: c.values,
            confirm_whole: c.whole,
            confirm_seed,
            passes,
            settled,
            events,
            wall_time_s: start_time.elapsed().as_secs_f64(),
        }
    }

    /// Whether interval `i` meets every per-interval target in `e`.
    fn meets(&self, e: &Eval, i: usize) -> bool {
        self.targets
            .iter()
            .enumerate()
            .all(|(t, target)| !target.key.per_interval() || target.met_by(e.values[t][i]))
    }

    /// Phase 1: every interval to the fewest agents that meet its targets, from `agents`.
    /// Returns the staffing and whether the search settled before its cap.
    fn fit_intervals<P: Fn(u32, &str), R: Fn(u32) + Sync>(
        &self,
        runs: &mut Runs<'_, P, R>,
        mut agents: Vec<u32>,
    ) -> (Vec<u32>, bool) {
        let n = self.plans.len();
        let max: Vec<u32> = self.plans.iter().map(|p| p.max).collect();
        // The last staffing that missed (`lo`) and met (`hi`), and the next step up or down.
        let mut lo: Vec<Option<u32>> = vec![None; n];
        let mut hi: Vec<Option<u32>> = vec![None; n];
        let mut up = vec![1u32; n];
        let mut down = vec![1u32; n];
        let mut fewest_settled: Option<u64> = None;
        let mut parity = 1usize;
        let mut quiet_rounds = 0;
        let mut best: Option<(Vec<u32>, u64)> = None;
        let mut steps = 0;
        let settled = loop {
            // Steps that find their profile already simulated cost no pass; bound them too.
            steps += 1;
            if runs.passes >= MAX_PASSES || steps > 4 * MAX_PASSES {
                break false;
            }
            let what = if fewest_settled.is_some() {
                "trying one agent fewer"
            } else {
                "per-interval targets"
            };
            let e = runs.eval(&agents, what);
            let ok: Vec<bool> = (0..n).map(|i| self.meets(&e, i)).collect();
            if (0..n).all(|i| ok[i] || agents[i] >= max[i]) {
                let total: u64 = agents.iter().map(|&c| u64::from(c)).sum();
                if best.as_ref().is_none_or(|(_, b)| total < *b) {
                    best = Some((agents.clone(), total));
                }
            }
            let mut next = agents.clone();
            for i in (0..n).filter(|&i| self.plans[i].observed) {
                let c = agents[i];
                if ok[i] {
                    hi[i] = Some(c);
                    up[i] = 1;
                    // Meeting at or below a staffing that missed before (the noise of the
                    // neighbours' changes, or an interval at its cap) settles the interval
                    // here: only a polish round tries fewer. Misses only raise `lo`, so
                    // between polish rounds the search cannot go round in circles.
                    if lo[i].is_some_and(|l| l >= c) {
                        lo[i] = c.checked_sub(1);
                    }
                } else {
                    lo[i] = Some(c);
                    down[i] = 1;
                    if hi[i].is_some_and(|h| h <= c) {
                        hi[i] = None;
                    }
                }
                next[i] = match (lo[i], hi[i]) {
                    (Some(l), Some(h)) if h <= l + 1 => h,
                    (Some(l), Some(h)) => l + (h - l) / 2,
                    (None, Some(h)) => {
                        let v = h.saturating_sub(down[i]);
                        if v < h {
                            down[i] = down[i].saturating_mul(2);
                        }
                        v
                    }
                    (Some(l), None) => {
                        let v = l.saturating_add(up[i]).min(max[i]);
                        if v > l {
                            up[i] = up[i].saturating_mul(2);
                        }
                        v
                    }
                    (None, None) => c,
                };
            }
            if next != agents {
                agents = next;
                continue;
            }
            // Nothing moves: every second interval tries one agent fewer, the others
            // holding theirs, until two rounds in a row end with no fewer agents than the
            // fewest any round ended with (a round may move agents between neighbours
            // without saving any; that fewest only goes down, so the search ends).
            let total: u64 = agents.iter().map(|&c| u64::from(c)).sum();
            match fewest_settled {
                Some(t) if total >= t => quiet_rounds += 1,
                _ => {
                    quiet_rounds = 0;
                    fewest_settled = Some(total);
                }
            }
            if quiet_rounds >= 2 {
                break true;
            }
            parity = 1 - parity;
            // (A round in which no interval can try fewer comes straight back here with the
            // same profile, and counts as quiet.)
            for i in (parity..n).step_by(2) {
                if ok[i] && agents[i] > 0 && self.plans[i].observed {
                    lo[i] = None;
                    down[i] = 1;
                    agents[i] -= 1;
                }
            }
        };
        (best.map_or(agents, |(b, _)| b), settled)
    }

    /// Phase 2: whole-run targets (`nps`), by adding the same number of agents to every
    /// observed interval that has calls (or, without per-interval targets, removing some),
    /// searched by doubling steps then bisection: at most about 2 log₂ [`MAX_AGENTS`]
    /// simulations.
    fn fit_whole_run<P: Fn(u32, &str), R: Fn(u32) + Sync>(
        &self,
        runs: &mut Runs<'_, P, R>,
        base: Vec<u32>,
    ) -> Vec<u32> {
        let n = self.plans.len();
        let shifted: Vec<bool> = (0..n)
            .map(|i| {
                let p = &self.plans[i];
                p.observed && (base[i] > 0 || p.offered_load > 0.0)
            })
            .collect();
        let profile = |k: i64| -> Vec<u32> {
            (0..n)
                .map(|i| {
                    if shifted[i] {
                        (i64::from(base[i]) + k).clamp(0, i64::from(self.plans[i].max)) as u32
                    } else {
                        base[i]
                    }
                })
                .collect()
        };
        let k_max = (0..n)
            .filter(|&i| shifted[i])
            .map(|i| i64::from(self.plans[i].max) - i64::from(base[i]))
            .max()
            .unwrap_or(0)
            .max(0);
        let k_min = if self.targets.iter().any(|t| t.key.per_interval()) {
            0
        } else {
            -i64::from(base.iter().copied().max().unwrap_or(0))
        };
        let mut holds = |k: i64| -> bool {
            let e = runs.eval(&profile(k), "whole-run targets");
            self.targets
                .iter()
                .enumerate()
                .all(|(t, target)| target.key.per_interval() || target.met_by(e.whole[t]))
        };
        // Doubling steps away from 0, then bisection between a miss and a hit.
        let (mut miss, mut hit): (Option<i64>, Option<i64>) = (None, None);
        let mut step = 1i64;
        if holds(0) {
            hit = Some(0);
            while hit.is_some_and(|h| h > k_min) && miss.is_none() {
                let h = hit.unwrap_or(0);
                let k = (h - step).max(k_min);
                if holds(k) {
                    hit = Some(k);
                    step *= 2;
                } else {
                    miss = Some(k);
                }
            }
        } else {
            miss = Some(0);
            while hit.is_none() && miss.is_some_and(|m| m < k_max) {
                let m = miss.unwrap_or(0);
                let k = (m + step).min(k_max);
                if holds(k) {
                    hit = Some(k);
                } else {
                    miss = Some(k);
                    step *= 2;
                }
            }
        }
        let Some(mut h) = hit else {
            // Not met even with every interval at its cap: the most staffed profile tried.
            return profile(k_max);
        };
        if let Some(mut m) = miss {
            while h > m + 1 {
                let mid = m + (h - m) / 2;
                if holds(mid) {
                    h = mid;
                } else {
                    m = mid;
                }
            }
        }
        profile(h)
    }
}

/// Simulates staffing profiles for a search, each once: with the same seed a profile
/// always gives the same result, so a profile tried again comes from the cache.
struct Runs<'a, P, R> {
    search: &'a Search,
    threads: Option<usize>,
    on_pass: P,
    on_replication: R,
    cache: HashMap<Vec<u32>, Eval>,
    /// Simulations run.
    passes: u32,
    /// Events processed.
    events: u64,
}

impl<P: Fn(u32, &str), R: Fn(u32) + Sync> Runs<'_, P, R> {
    /// The values of `agents`, simulated unless already known.
    fn eval(&mut self, agents: &[u32], what: &str) -> Eval {
        if let Some(e) = self.cache.get(agents) {
            return e.clone();
        }
        self.passes += 1;
        (self.on_pass)(self.passes, what);
        let seed = self.search.scenario.simulation.seed;
        let e = self
            .search
            .evaluate(agents, seed, self.threads, &self.on_replication);
        self.events += e.events;
        self.cache.insert(agents.to_vec(), e.clone());
        e
    }
}

/// Each interval of the open day's mean, over replications and days, of the key's
/// per-replication value in that interval (undefined values skipped; NaN when all are).
fn per_interval(run: &RunResult, key: Key, per_day: usize) -> Vec<f64> {
    let mut sums = vec![0.0; per_day];
    let mut counts = vec![0u32; per_day];
    for r in &run.replications {
        for (k, cell) in r.intervals.iter().enumerate() {
            let v = key.cell_value(cell);
            if !v.is_nan() {
                let i = (r.first_interval + k) % per_day;
                sums[i] += v;
                counts[i] += 1;
            }
        }
    }
    sums.iter()
        .zip(&counts)
        .map(|(&s, &c)| if c > 0 { s / f64::from(c) } else { f64::NAN })
        .collect()
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

/// The columns of `staffing.csv`.
pub const STAFFING_COLUMNS: [&str; 17] = [
    "scenario",
    "team",
    "interval_start",
    "start_s",
    "offered_load",
    "scenario_agents",
    "start_agents",
    "agents",
    "max_agents",
    "erlang_c_agents",
    "erlang_a_agents",
    "target",
    "bound",
    "goal",
    "value",
    "confirm_value",
    "met",
];

/// `staffing.csv`: one row per interval of the open day and target.
pub fn staffing_csv(r: &StaffResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    w.write_record(STAFFING_COLUMNS).expect("in-memory write");
    let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    for (i, p) in r.search.plans.iter().enumerate() {
        for (t, target) in r.search.targets.iter().enumerate() {
            w.write_record([
                r.search.scenario.name.clone(),
                r.team_name().to_string(),
                r.time(i),
                num(p.start_of_day_s),
                num(p.offered_load),
                p.scenario_agents.to_string(),
                p.start.to_string(),
                r.agents[i].to_string(),
                p.max.to_string(),
                opt(p.erlang_c),
                opt(p.erlang_a),
                target.key.name().to_string(),
                if target.key.at_least() {
                    "at_least"
                } else {
                    "at_most"
                }
                .to_string(),
                num(target.value),
                num(r.values[t][i]),
                num(r.confirm_values[t][i]),
                r.met(t, i).to_string(),
            ])
            .expect("in-memory write");
        }
    }
    w.into_inner().expect("in-memory flush")
}

/// `staffing.toml`: comments saying where the staffing comes from and how to use it, then
/// the team's `agents = [...]` line.
pub fn staffing_toml(r: &StaffResult, scenario_path: &str) -> Vec<u8> {
    let s = &r.search.scenario;
    let mut out = String::new();
    out.push_str(&format!(
        "# Staffing found by `rappel staff` for team \"{}\" of scenario \"{}\" ({}).\n",
        r.team_name(),
        s.name,
        scenario_path
    ));
    out.push_str(&format!(
        "# Targets: {} (per interval of the open day: the mean over {} replications, seed {}).\n",
        r.targets_label(),
        s.simulation.replications,
        s.simulation.seed
    ));
    let erlang = r
        .erlang_c_hours()
        .map_or(String::new(), |h| format!(", {h} for Erlang C"));
    out.push_str(&format!(
        "# Agent-hours per day: {} found{erlang}, {} in the scenario.\n",
        r.agent_hours(),
        r.scenario_hours()
    ));
    let unmet = r.unmet();
    if !unmet.is_empty() {
        let times: Vec<String> = unmet.iter().map(|(i, _)| r.time(*i)).collect();
        out.push_str(&format!(
            "# CANNOT BE MET in {} intervals: {}.\n",
            unmet.len(),
            times.join(", ")
        ));
    }
    for t in r.unmet_whole() {
        out.push_str(&format!(
            "# CANNOT BE MET: {} (the whole run reaches {}).\n",
            r.search.targets[t].label(),
            num(r.whole[t])
        ));
    }
    out.push_str(&format!(
        "# To use it, replace the `agents` key of the [[teams]] table named \"{}\" with the\n\
         # line below (one value per interval of the open day, from {}).\n",
        r.team_name(),
        r.time(0)
    ));
    out.push_str(&r.agents_line());
    out.push('\n');
    out.into_bytes()
}

/// One target's outcome in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct TargetInfo {
    key: &'static str,
    bound: &'static str,
    goal: f64,
    per_interval: bool,
    intervals_met: usize,
    whole_run: Option<f64>,
    whole_run_confirmation: Option<f64>,
}

/// What produced `staffing.csv` (`staff.json`).
#[derive(Debug, serde::Serialize)]
struct StaffInfo<'a> {
    schema_version: u32,
    rappel_version: &'static str,
    scenario: &'a str,
    scenario_path: &'a str,
    scenario_sha256: String,
    team: &'a str,
    seed: u64,
    replications: u32,
    confirmation_seed: u64,
    beta: f64,
    targets: Vec<TargetInfo>,
    passes: u32,
    settled: bool,
    agents: &'a [u32],
    agent_hours: f64,
    erlang_c_agent_hours: Option<f64>,
    erlang_a_agent_hours: Option<f64>,
    scenario_agent_hours: f64,
    intervals_not_met: Vec<String>,
    events: u64,
    wall_time_s: f64,
    files: [&'static str; 3],
}

/// `staff.json`: version, scenario path and hash, team, seed, replications, each target's
/// outcome, the staffing and its agent-hours, passes and wall time.
pub fn staff_json(r: &StaffResult, scenario_path: &str, scenario_text: &str) -> Vec<u8> {
    let s = &r.search.scenario;
    let fin = |v: f64| v.is_finite().then_some(v);
    let info = StaffInfo {
        schema_version: SCHEMA_VERSION,
        rappel_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.name,
        scenario_path,
        scenario_sha256: sha256_hex(scenario_text),
        team: r.team_name(),
        seed: s.simulation.seed,
        replications: s.simulation.replications,
        confirmation_seed: r.confirm_seed,
        beta: BETA,
        targets: r
            .search
            .targets
            .iter()
            .enumerate()
            .map(|(t, target)| TargetInfo {
                key: target.key.name(),
                bound: if target.key.at_least() {
                    "at_least"
                } else {
                    "at_most"
                },
                goal: target.value,
                per_interval: target.key.per_interval(),
                intervals_met: (0..r.agents.len()).filter(|&i| r.met(t, i)).count(),
                whole_run: fin(r.whole[t]),
                whole_run_confirmation: fin(r.confirm_whole[t]),
            })
            .collect(),
        passes: r.passes,
        settled: r.settled,
        agents: &r.agents,
        agent_hours: r.agent_hours(),
        erlang_c_agent_hours: r.erlang_c_hours(),
        erlang_a_agent_hours: r.erlang_a_hours(),
        scenario_agent_hours: r.scenario_hours(),
        intervals_not_met: r.unmet().iter().map(|(i, _)| r.time(*i)).collect(),
        events: r.events,
        wall_time_s: r.wall_time_s,
        files: ["staffing.csv", "staffing.toml", "staff.json"],
    };
    let mut json = serde_json::to_vec_pretty(&info).expect("plain struct serialises");
    json.push(b'\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_their_bounds() {
        let t = Target::parse("service_level=0.8").unwrap();
        assert_eq!((t.key, t.value), (Key::ServiceLevel, 0.8));
        assert!(t.met_by(0.8) && !t.met_by(0.79) && t.met_by(f64::NAN));
        let t = Target::parse("asa_s=1m").unwrap();
        assert_eq!((t.key, t.value), (Key::AsaS, 60.0));
        assert!(t.met_by(60.0) && !t.met_by(60.1));
        assert_eq!(Target::parse(" nps = -20 ").unwrap().value, -20.0);
        for bad in [
            "service_level",
            "service_lvl=0.8",
            "service_level=1.2",
            "abandon_rate=-0.1",
            "csat_mean=6",
            "nps=101",
            "asa_s=soon",
            "service_level=nan",
        ] {
            let e = Target::parse(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("--target `{bad}`")), "{e}");
            assert!(e.contains("csat_mean"), "{e}");
        }
        let e = Target::parse("service_lvl=0.8").unwrap_err().to_string();
        assert!(e.contains("did you mean `service_level`"), "{e}");
    }

    #[test]
    fn analytic_search_finds_the_smallest_staffing() {
        // 95 erlangs, Erlang C: 80 % within 20 s needs 102 agents (checked one by one).
        let input = QueueInput {
            arrival_rate: 1140.0 / 3600.0,
            mean_handle: 300.0,
            agents: 1,
            mean_patience: None,
            queue_capacity: None,
            threshold: 20.0,
        };
        let t = Targets {
            service_level: Some(0.8),
            ..Targets::default()
        };
        let by_one = (1..200)
            .find(|&c| figures(&QueueInput { agents: c, ..input }).is_ok_and(|f| t.met_by(&f)))
            .unwrap();
        for guess in [1, 50, 96, by_one, 150, 199] {
            assert_eq!(analytic_agents(input, &t, guess, 1000), Some(by_one));
        }
        assert_eq!(analytic_agents(input, &t, 50, by_one - 1), None);
    }
}
