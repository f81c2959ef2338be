//! The files of `rappel staff`: staffing.csv, staffing.toml and staff.json.

use super::csv::csv_bytes;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::plan::staff::short;
use crate::staff::*;

/// The columns of `staffing.csv`.
pub const STAFFING_COLUMNS: [&str; 22] = [
    "scenario",
    "team",
    "weekday",
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
    "worst_day",
    "worst_value",
    "confirm_worst_day",
    "confirm_worst_value",
];

/// `staffing.csv`: one row per interval of the open day and target.
pub fn staffing_csv(r: &StaffResult) -> Vec<u8> {
    let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let day = |v: Option<usize>| v.map_or(String::new(), |v| v.to_string());
    let rows = r.search.plans.iter().enumerate().flat_map(|(i, p)| {
        r.search.targets.iter().enumerate().map(move |(t, target)| {
            // The team's own targets have one value and one worst day for every interval.
            let team = target.key.team_level();
            let (value, confirm_value) = if team {
                (r.whole[t], r.confirm_whole[t])
            } else {
                (r.values[t].mean[i], r.confirm_values[t].mean[i])
            };
            let (worst_day, worst_value, confirm_worst_day, confirm_worst_value) = if team {
                let (d, v) = r.worst_day(t, false).unzip();
                let (cd, cv) = r.worst_day(t, true).unzip();
                (d, v.unwrap_or(f64::NAN), cd, cv.unwrap_or(f64::NAN))
            } else {
                (
                    r.values[t].worst_day[i],
                    r.values[t].worst[i],
                    r.confirm_values[t].worst_day[i],
                    r.confirm_values[t].worst[i],
                )
            };
            [
                r.search.scenario.name.clone(),
                r.team_name().to_string(),
                weekday(r, i),
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
                bound(target).to_string(),
                num(target.value),
                num(value),
                num(confirm_value),
                r.met(t, i).to_string(),
                day(worst_day),
                num(worst_value),
                day(confirm_worst_day),
                num(confirm_worst_value),
            ]
        })
    });
    csv_bytes(STAFFING_COLUMNS, rows)
}

/// The `weekday` column: `all` with one list for every day, else the plan's weekday key.
fn weekday(r: &StaffResult, k: usize) -> String {
    let c = r.search.plans[k].class;
    r.search.classes[c]
        .weekday
        .map_or("all".to_string(), |w| WEEKDAY_KEYS[w].to_string())
}

/// Which side of its goal a target wants to be.
fn bound(target: &Target) -> &'static str {
    if target.key.at_least() {
        "at_least"
    } else {
        "at_most"
    }
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
    if !r.search.targets.iter().any(|t| t.key.per_interval()) {
        out.push_str(&format!(
            "# Targets: {} (the mean over {} replications, seed {}).\n",
            r.targets_label(),
            s.simulation.replications,
            s.simulation.seed
        ));
    } else if r.several_days() {
        let lists = if r.per_weekday() {
            "a list per weekday, met on its worst day"
        } else {
            "one list for every day, met on the worst"
        };
        out.push_str(&format!(
            "# Targets: {} (per interval of the open day, on each of the run's {} days: the mean\n\
             # over {} replications of that day, seed {}; {lists}).\n",
            r.targets_label(),
            r.search.days.len(),
            s.simulation.replications,
            s.simulation.seed
        ));
    } else {
        out.push_str(&format!(
            "# Targets: {} (per interval of the open day: the mean over {} replications, seed {}).\n",
            r.targets_label(),
            s.simulation.replications,
            s.simulation.seed
        ));
    }
    if r.search.targets.iter().any(|t| t.key.team_level()) {
        out.push_str(
            "# The team's own targets: hold_p90 over the run (the mean over the replications of\n\
             # the team's p90 hold after a transfer, hold_p90_s in breakdown.csv), backlog_day_end\n\
             # at every day end (the mean over the replications of the team's backlog then, met\n\
             # on the worst day); the same agents added to every interval, then trimmed one by one.\n",
        );
    }
    let erlang = r
        .erlang_c_hours()
        .map_or(String::new(), |h| format!(", {} for Erlang C", short(h)));
    let mean = if r.per_weekday() {
        " (mean over the run's days)"
    } else {
        ""
    };
    out.push_str(&format!(
        "# Agent-hours per day{mean}: {} found{erlang}, {} in the scenario.\n",
        short(r.agent_hours()),
        short(r.scenario_hours())
    ));
    if let (Some(day), Some(run)) = (r.cost_per_day(), r.cost_per_run()) {
        out.push_str(&format!(
            "# Staffing cost at {} per agent-hour: {} per day, {} per run ({} agent-hours).\n",
            num(r.cost_per_hour()),
            num(day),
            num(run),
            num(r.run_agent_hours())
        ));
    }
    for w in r.warnings() {
        out.push_str(&format!("# WARNING: {w}\n"));
    }
    let unmet = r.unmet();
    if !unmet.is_empty() {
        let times: Vec<String> = unmet.iter().map(|(i, _)| r.when(*i)).collect();
        out.push_str(&format!(
            "# CANNOT BE MET in {} intervals: {}.\n",
            unmet.len(),
            times.join(", ")
        ));
    }
    for t in r.unmet_whole() {
        let what = if r.search.targets[t].key.team_level() {
            "the most agents tried reach"
        } else {
            "the whole run reaches"
        };
        out.push_str(&format!(
            "# CANNOT BE MET: {} ({what} {}).\n",
            r.search.targets[t].label(),
            num(r.whole[t])
        ));
    }
    if let Some(plan) = &r.roster {
        roster_toml(&mut out, r, plan);
        return out.into_bytes();
    }
    if r.per_weekday() {
        out.push_str(&format!(
            "# To use it, replace the `agents` and `agents_by_weekday` keys of the [[teams]] table\n\
             # named \"{}\" with the lines below (a list per weekday of the run, one value per\n\
             # interval of the open day, from {}; the days differ, so each weekday has its own).\n",
            r.team_name(),
            r.time(0)
        ));
    } else {
        out.push_str(&format!(
            "# To use it, replace the `agents` key of the [[teams]] table named \"{}\" with the\n\
             # line below (one value per interval of the open day, from {}).\n",
            r.team_name(),
            r.time(0)
        ));
    }
    out.push_str(&r.agents_line());
    out.push('\n');
    out.into_bytes()
}

/// The roster of a team on shifts in `staffing.toml`: the requirement as a comment, then
/// one `[[shifts]]` table per pattern with its `agents` to paste.
fn roster_toml(out: &mut String, r: &StaffResult, plan: &RosterPlan) {
    out.push_str(&format!(
        "# The requirement on the phone per interval: {}\n",
        r.agents_line()
    ));
    out.push_str(&format!(
        "# The roster covering it at the least cost: {} per run ({}){}; confirmed by simulation\n\
         # on fresh replications (seed {}): {}.\n",
        num(plan.cost()),
        if plan.money {
            "money, paid shift hours × cost_per_hour"
        } else {
            "paid agent-hours"
        },
        if plan.repaired > 0 {
            format!(", {} agents added by the repair", plan.repaired)
        } else {
            String::new()
        },
        plan.confirm_seed,
        if plan.holds(&r.search) {
            "every target met"
        } else {
            "a target missed"
        }
    ));
    out.push_str(&format!(
        "# To use it, set `agents` in the [[teams.shifts]] tables of the team named \"{}\", in\n\
         # order, to the values below.\n",
        r.team_name()
    ));
    for (k, p) in plan.patterns.iter().enumerate() {
        out.push_str(&format!(
            "[[shifts]]\nstart = \"{}\"\nlength = \"{}s\"\nagents = {}\n",
            crate::scenario::format_clock(p.shift.start),
            num(p.shift.end - p.shift.start),
            plan.agents[k]
        ));
    }
}

/// The roster in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct RosterInfo {
    shifts: Vec<ShiftInfo>,
    cost: f64,
    cost_is_money: bool,
    repaired: u32,
    weekdays: Vec<usize>,
    requirement: Vec<u32>,
    need: Vec<f64>,
    planned: Vec<f64>,
    confirmation_seed: u64,
    confirmed: bool,
    paste: Vec<String>,
}

/// One pattern of the roster in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct ShiftInfo {
    start: String,
    length_s: f64,
    agents: u32,
    cost_per_agent: f64,
}

fn roster_info(r: &StaffResult) -> Option<RosterInfo> {
    let plan = r.roster.as_ref()?;
    Some(RosterInfo {
        shifts: plan
            .patterns
            .iter()
            .enumerate()
            .map(|(k, p)| ShiftInfo {
                start: crate::scenario::format_clock(p.shift.start),
                length_s: p.shift.end - p.shift.start,
                agents: plan.agents[k],
                cost_per_agent: plan.unit_cost[k],
            })
            .collect(),
        cost: plan.cost(),
        cost_is_money: plan.money,
        repaired: plan.repaired,
        weekdays: plan.weekdays.clone(),
        requirement: plan.requirement.clone(),
        need: plan
            .need
            .iter()
            .map(|v| if v.is_finite() { *v } else { -1.0 })
            .collect(),
        planned: plan.planned.clone(),
        confirmation_seed: plan.confirm_seed,
        confirmed: plan.holds(&r.search),
        paste: plan.paste_lines(),
    })
}

/// The worst day and interval of a per-interval target in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct WorstInfo {
    day: usize,
    interval_start: String,
    value: f64,
}

/// One day end of a `backlog_day_end` target in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct DayEnd {
    day: usize,
    value: f64,
}

/// One target's outcome in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct TargetInfo {
    key: &'static str,
    bound: &'static str,
    goal: f64,
    per_interval: bool,
    intervals_met: usize,
    worst: Option<WorstInfo>,
    worst_confirmation: Option<WorstInfo>,
    worst_day_per_interval: Option<Vec<Option<usize>>>,
    worst_value_per_interval: Option<Vec<Option<f64>>>,
    whole_run: Option<f64>,
    whole_run_confirmation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team_level: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    worst_day_end: Option<DayEnd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    worst_day_end_confirmation: Option<DayEnd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day_ends: Option<Vec<DayEnd>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day_ends_confirmation: Option<Vec<DayEnd>>,
}

/// One weekday of a plan per weekday in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct WeekdayInfo {
    weekday: &'static str,
    days: Vec<usize>,
    busiest_day: usize,
    agent_hours: f64,
}

/// One observed day in `staff.json`.
#[derive(Debug, serde::Serialize)]
struct DayInfo {
    day: usize,
    day_scale: f64,
    erlang_c_agent_hours: Option<f64>,
}

/// What produced `staffing.csv` (`staff.json`).
#[derive(Debug, serde::Serialize)]
struct StaffInfo<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    team: &'a str,
    #[serde(flatten)]
    runs: Runs,
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
    agent_hours_per_run: f64,
    cost_per_hour: f64,
    staffing_cost_per_day: Option<f64>,
    staffing_cost_per_run: Option<f64>,
    days: Vec<DayInfo>,
    busiest_day: usize,
    intervals_not_met: Vec<String>,
    /// With a list per weekday, each weekday's days and agent-hours (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    weekdays: Vec<WeekdayInfo>,
    turned_away: f64,
    warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roster: Option<RosterInfo>,
    #[serde(flatten)]
    tail: Tail<'a>,
}

/// `staff.json`: version, scenario path and hash, team, seed, replications, each target's
/// outcome (with its worst day per interval and overall), the staffing, its agent-hours
/// and cost, the observed days, the share of calls turned away, the warnings, passes and
/// wall time.
pub fn staff_json(r: &StaffResult, scenario_path: &str, scenario_text: &str) -> Vec<u8> {
    let s = &r.search.scenario;
    let fin = |v: f64| v.is_finite().then_some(v);
    let provenance = Provenance {
        scenarios: Scenarios::One(Source {
            name: &s.name,
            path: scenario_path,
            text: scenario_text,
        }),
        seed: s.simulation.seed,
        replications: s.simulation.replications,
        events: Some(r.events),
        wall_time_s: r.wall_time_s,
        files: ["staffing.csv", "staffing.toml", "staff.json"]
            .map(String::from)
            .to_vec(),
    };
    let info = StaffInfo {
        head: provenance.head(),
        team: r.team_name(),
        runs: provenance.runs(),
        confirmation_seed: r.confirm_seed,
        beta: BETA,
        targets: r
            .search
            .targets
            .iter()
            .enumerate()
            .map(|(t, target)| {
                let per = target.key.per_interval();
                let backlog = target.key == Key::BacklogDayEnd;
                let day_end = |(day, value): (usize, f64)| DayEnd { day, value };
                let worst = |v: &Reached| {
                    v.overall_worst(target)
                        .filter(|_| per)
                        .map(|(i, day, value)| WorstInfo {
                            day,
                            interval_start: r.when(i),
                            value,
                        })
                };
                TargetInfo {
                    key: target.key.name(),
                    bound: bound(target),
                    goal: target.value,
                    per_interval: per,
                    intervals_met: (0..r.agents.len()).filter(|&i| r.met(t, i)).count(),
                    worst: worst(&r.values[t]),
                    worst_confirmation: worst(&r.confirm_values[t]),
                    worst_day_per_interval: per.then(|| r.values[t].worst_day.clone()),
                    worst_value_per_interval: per
                        .then(|| r.values[t].worst.iter().map(|&v| fin(v)).collect()),
                    whole_run: fin(r.whole[t]),
                    whole_run_confirmation: fin(r.confirm_whole[t]),
                    team_level: target.key.team_level().then_some(true),
                    worst_day_end: backlog
                        .then(|| r.worst_day(t, false).map(day_end))
                        .flatten(),
                    worst_day_end_confirmation: backlog
                        .then(|| r.worst_day(t, true).map(day_end))
                        .flatten(),
                    day_ends: backlog
                        .then(|| r.day_values[t].iter().copied().map(day_end).collect()),
                    day_ends_confirmation: backlog.then(|| {
                        r.confirm_day_values[t]
                            .iter()
                            .copied()
                            .map(day_end)
                            .collect()
                    }),
                }
            })
            .collect(),
        passes: r.passes,
        settled: r.settled,
        agents: &r.agents,
        agent_hours: r.agent_hours(),
        erlang_c_agent_hours: r.erlang_c_hours(),
        erlang_a_agent_hours: r.erlang_a_hours(),
        scenario_agent_hours: r.scenario_hours(),
        agent_hours_per_run: r.run_agent_hours(),
        cost_per_hour: r.cost_per_hour(),
        staffing_cost_per_day: r.cost_per_day(),
        staffing_cost_per_run: r.cost_per_run(),
        days: r
            .search
            .days
            .iter()
            .map(|d| DayInfo {
                day: d.day,
                day_scale: d.scale,
                erlang_c_agent_hours: d.erlang_c_hours,
            })
            .collect(),
        busiest_day: r.search.busiest_day,
        intervals_not_met: r.unmet().iter().map(|(i, _)| r.when(*i)).collect(),
        weekdays: (0..r.search.classes.len())
            .filter_map(|c| {
                let class = &r.search.classes[c];
                class.weekday.map(|w| WeekdayInfo {
                    weekday: WEEKDAY_KEYS[w],
                    days: class.days.clone(),
                    busiest_day: class.busiest_day,
                    agent_hours: r.class_hours(c),
                })
            })
            .collect(),
        turned_away: r.turned_away,
        warnings: r.warnings(),
        roster: roster_info(r),
        tail: provenance.tail(),
    };
    json::file_bytes(&info)
}
