//! Setting a search up: the team, the seed and replications, and each interval's plan
//! (offered load, square-root staffing start, Erlang C and A).

use super::*;
use crate::analytic::{AnalyticError, QueueInput, Targets, figures};
use crate::scenario::{DAY, Dist, Scenario, Unresolved};

/// The fewest agents in `1..=limit` with which the queue of `input` meets `targets`,
/// searched from `guess` (every figure improves with each agent added); `None` when even
/// `limit` agents miss them or a figure cannot be computed.
pub(super) fn analytic_agents(
    input: QueueInput,
    targets: &Targets,
    guess: u32,
    limit: u32,
) -> Option<u32> {
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

/// Refuses a target the team cannot be held to: a call-level one (`accessibility`,
/// `service_level`, `abandon_rate`, `asa_s`) on a team that serves no ticket type, since
/// it answers no call; `hold_p90` on a team no team escalates to; `backlog_day_end` on a
/// team whose own queue nothing reaches (no escalation to it, no agent callback it
/// places), or in a run with no day end after the warm-up.
fn fits(scenario: &Scenario, team: usize, targets: &[Target]) -> Result<(), StaffError> {
    let name = &scenario.teams[team].name;
    let escalated = scenario
        .teams
        .iter()
        .any(|t| matches!(t.unresolved, Unresolved::Escalate { team: k, .. } if k == team));
    let calls_back = scenario
        .teams
        .iter()
        .any(|t| matches!(t.unresolved, Unresolved::AgentCallback { team: k, .. } if k == team));
    let sim = &scenario.simulation;
    // A midnight in (warm-up, horizon] ends a day of the counted window.
    let day_end = ((sim.warmup / DAY).floor() + 1.0) * DAY <= sim.horizon;
    for t in targets {
        let key = t.key.name();
        let unfit = |message: String, help: String| Err(StaffError::Unfit { key, message, help });
        if t.key.call_level() && scenario.teams[team].serves.is_empty() {
            let default = if *t == Target::DEFAULT {
                " (it is also the target when no --target is given)"
            } else {
                ""
            };
            return unfit(
                format!(
                    "team `{name}` serves no inbound type (serves = []), so it answers no call \
                     and {key}, a figure of the calls, does not measure it{default}"
                ),
                "size a back office by its own work: --target hold_p90=1h (the p90 hold of \
                 the customers transferred to it) or --target backlog_day_end=0 (its work \
                 cleared by each day end)"
                    .into(),
            );
        }
        if t.key == Key::HoldP90 && !escalated {
            return unfit(
                format!(
                    "no team escalates to team `{name}` (unresolved = \"escalate\" with \
                     escalate_to = \"{name}\"), so no customer is ever on hold for it"
                ),
                "hold_p90 is for a team that receives transfers; for a team that answers \
                 calls use asa_s, service_level or accessibility"
                    .into(),
            );
        }
        if t.key == Key::BacklogDayEnd && !escalated && !calls_back {
            return unfit(
                format!(
                    "nothing reaches team `{name}`'s own queue (no team escalates to it and it \
                     places no agent callbacks), so it has no back-office work to clear"
                ),
                "backlog_day_end is for a team that receives transfers or agent callbacks; \
                 for a team that answers calls use accessibility or service_level"
                    .into(),
            );
        }
        if t.key == Key::BacklogDayEnd && !day_end {
            return unfit(
                "the run has no day end after the warm-up (no midnight in the counted \
                 window), so there is no backlog at a day end to check"
                    .into(),
                "give the run at least one whole day after the warm-up: simulation.days = 1 \
                 or a longer simulation.horizon"
                    .into(),
            );
        }
    }
    Ok(())
}

impl Search {
    /// Sets up a search: picks the team (`team`, or the scenario's only team), applies the
    /// seed and the replications (default: the scenario's, at least
    /// [`MIN_SEARCH_REPLICATIONS`]), finds the observed days and the busiest, and plans
    /// every interval on the busiest day's calls. `max_agents` caps every
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
        // A team on shift patterns is searched as lists of agents on the phone per
        // interval (the requirement), then rostered (`plan_roster`). Lists per weekday are
        // what the search finds: they are set aside, kept for the scenario's figures.
        let mut shifts = None;
        let mut weekday_lists: Option<Vec<Vec<u32>>> = None;
        if let Some(r) = &scenario.teams[team].roster {
            if !r.patterns.is_empty() {
                shifts = scenario.teams[team].roster.take();
            } else if r.absence == 0.0
                && r.adherence == 1.0
                && r.shrinkage.iter().all(|&v| v == 0.0)
            {
                weekday_lists = Some(
                    r.weekdays
                        .iter()
                        .map(|d| match d {
                            crate::scenario::DayRoster::Intervals(v) => v.clone(),
                            crate::scenario::DayRoster::Shifts(_) => Vec::new(),
                        })
                        .collect(),
                );
                scenario.teams[team].roster = None;
            } else {
                return Err(roster_refused(&scenario.teams[team].name, r));
            }
        }
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
        fits(&scenario, team, &targets)?;
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
        // The formulas admit every call and offer no callback, so their service level is
        // also their accessibility: the stricter of the two targets.
        let service_level = [queue(Key::ServiceLevel), queue(Key::Accessibility)]
            .into_iter()
            .flatten()
            .reduce(f64::max);
        let mut analytic_targets = Targets {
            service_level,
            asa_s: queue(Key::AsaS),
            abandon_rate: queue(Key::AbandonRate),
            max_occupancy: None,
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
                * t.talk_speed()
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
        let grid = &scenario.day;
        let days = grid.days(scenario.simulation.horizon);
        let threshold = scenario.simulation.service_level_threshold;
        let (warmup, horizon) = (scenario.simulation.warmup, scenario.simulation.horizon);
        let seen = |d: usize, i: usize| {
            let t = grid.interval_start(d * grid.intervals() + i);
            t + grid.interval > warmup && t < horizon
        };
        let observed_days: Vec<usize> = (0..days)
            .filter(|&d| (0..grid.intervals()).any(|i| seen(d, i)))
            .collect();
        // The first observed day of the largest scale (day 0 if none is observed).
        let busiest_day = observed_days
            .iter()
            .copied()
            .fold(None, |best: Option<usize>, d| match best {
                Some(b) if scenario.arrivals.scale(b) >= scenario.arrivals.scale(d) => Some(b),
                _ => Some(d),
            })
            .unwrap_or(0);
        let classes = classes(&scenario, &observed_days, busiest_day);
        // Per weekday, the busiest day is that of the most expected calls.
        let busiest_day = if classes.len() > 1 {
            classes
                .iter()
                .map(|c| c.busiest_day)
                .fold(None, |best: Option<usize>, d| match best {
                    Some(b) if expected_calls(&scenario, b) >= expected_calls(&scenario, d) => {
                        Some(b)
                    }
                    _ => Some(d),
                })
                .unwrap_or(busiest_day)
        } else {
            busiest_day
        };
        // Calls per second of interval `i` on day `d` scaled by `scale`, its load in erlangs
        // and the square-root start.
        let load = |i: usize, d: usize, scale: f64| {
            let arrival_rate = scenario.arrivals.profile(d)[i] * scale / 3600.0 * share;
            let offered_load = if share > 0.0 {
                arrival_rate * mean_handle
            } else {
                0.0
            };
            let start = (offered_load + BETA * offered_load.sqrt()).ceil() as u32;
            (arrival_rate, offered_load, start)
        };
        let input = |arrival_rate: f64| QueueInput {
            arrival_rate,
            mean_handle,
            agents: 1,
            mean_patience: None,
            queue_capacity: None,
            threshold,
        };
        // Agent-hours of a day of scale `scale` by Erlang C (the square-root start where it
        // gives no figure), one figure per distinct scale.
        let mut day_hours: Vec<(f64, &[f64], f64)> = Vec::new();
        let days_planned = observed_days
            .iter()
            .map(|&d| {
                let scale = scenario.arrivals.scale(d);
                let erlang_c_hours = (share > 0.0).then(|| {
                    let profile = scenario.arrivals.profile(d);
                    if let Some(&(_, _, h)) = day_hours
                        .iter()
                        .find(|(s, p, _)| *s == scale && *p == profile)
                    {
                        return h;
                    }
                    let agents: u32 = (0..grid.intervals())
                        .map(|i| {
                            let (rate, _, start) = load(i, d, scale);
                            if rate == 0.0 {
                                return 0;
                            }
                            analytic_agents(input(rate), &analytic_targets, start, MAX_AGENTS)
                                .unwrap_or(start)
                        })
                        .sum();
                    let h = f64::from(agents) * grid.interval / 3600.0;
                    day_hours.push((scale, profile, h));
                    h
                });
                Day {
                    day: d,
                    scale,
                    erlang_c_hours,
                }
            })
            .collect();
        let per_day = grid.intervals();
        let plans = (0..classes.len() * per_day)
            .map(|k| {
                let (c, i) = (k / per_day, k % per_day);
                let class: &Class = &classes[c];
                let b = class.busiest_day;
                let (arrival_rate, offered_load, start) = load(i, b, scenario.arrivals.scale(b));
                let scenario_agents = match (&weekday_lists, class.weekday) {
                    (Some(lists), Some(w)) if !lists[w].is_empty() => lists[w][i],
                    _ => t.staffing[i],
                };
                let start = if share > 0.0 { start } else { scenario_agents };
                let max = max_agents
                    .unwrap_or_else(|| start.saturating_mul(10).max(10))
                    .min(MAX_AGENTS);
                let start = start.min(max);
                let input = input(arrival_rate);
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
                let observed = class.days.iter().any(|&d| seen(d, i));
                Plan {
                    observed,
                    interval: i,
                    class: c,
                    start_of_day_s: grid.start_of_day(i),
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
        let search = Search {
            scenario,
            team,
            targets,
            classes,
            per_day,
            plans,
            days: days_planned,
            busiest_day,
            analytic_targets,
            roster: shifts,
        };
        if let Some(r) = &search.roster {
            super::roster::uncovered(&search, r)?;
        }
        Ok(search)
    }

    /// Replications of one simulation of the search.
    pub fn replications(&self) -> u32 {
        self.scenario.simulation.replications
    }

    /// The class of day `day` of the run: with one list, every day's; per weekday, the
    /// class of its weekday (`None` for a weekday the run never observes open).
    pub fn class_of(&self, day: usize) -> Option<usize> {
        self.class_of_weekday(self.scenario.simulation.weekday(day))
    }

    /// The class of the days of weekday `w` (0 = Monday): with one list, every day's.
    pub fn class_of_weekday(&self, w: usize) -> Option<usize> {
        if self.classes.len() == 1 {
            return Some(0);
        }
        self.classes.iter().position(|c| c.weekday == Some(w))
    }
}

/// The calls day `day` expects per hour of its open day summed over its intervals (its
/// profile × `day_scale`), to find a busiest day.
fn expected_calls(scenario: &Scenario, day: usize) -> f64 {
    let a = &scenario.arrivals;
    a.profile(day).iter().sum::<f64>() * a.scale(day)
}

/// The classes of days of a search. One class of every observed day when the open observed
/// days all expect the same calls in every interval (profile × `day_scale`); else one class
/// per weekday with an open observed day, in the order the run meets them, each with its
/// busiest day (the first of the most expected calls).
fn classes(scenario: &Scenario, observed: &[usize], busiest_day: usize) -> Vec<Class> {
    let a = &scenario.arrivals;
    let sim = &scenario.simulation;
    let open: Vec<usize> = observed
        .iter()
        .copied()
        .filter(|&d| sim.open_on(d))
        .collect();
    let calls = |d: usize| -> Vec<f64> { a.profile(d).iter().map(|r| r * a.scale(d)).collect() };
    let total = |d: usize| expected_calls(scenario, d);
    let same = open.windows(2).all(|w| calls(w[0]) == calls(w[1]));
    if same {
        return vec![Class {
            weekday: None,
            days: observed.to_vec(),
            busiest_day,
        }];
    }
    let mut classes: Vec<Class> = Vec::new();
    for &d in &open {
        let w = sim.weekday(d);
        match classes.iter_mut().find(|c| c.weekday == Some(w)) {
            Some(c) => {
                c.days.push(d);
                if total(d) > total(c.busiest_day) {
                    c.busiest_day = d;
                }
            }
            None => classes.push(Class {
                weekday: Some(w),
                days: vec![d],
                busiest_day: d,
            }),
        }
    }
    classes
}

/// Why `staff` refuses a team staffed by lists with absence, shrinkage or adherence, and
/// what to do instead.
fn roster_refused(team: &str, r: &crate::scenario::Roster) -> StaffError {
    let what = if r.weekdays.windows(2).any(|w| w[0] != w[1]) {
        "lists per weekday with absence, shrinkage or adherence"
    } else {
        "a list with absence, shrinkage or adherence"
    };
    StaffError::Roster {
        team: team.to_string(),
        what: what.to_string(),
        help: "the search finds agents on the phone: search a copy of the scenario whose team \
               has `agents` (or `agents_by_weekday`) without absence, shrinkage or adherence; \
               or staff the team by [[teams.shifts]], whose roster `staff` plans with absence, \
               shrinkage and adherence"
            .to_string(),
    }
}
