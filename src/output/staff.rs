//! The files of `rappel staff`: staffing.csv, staffing.toml and staff.json.

use super::csv::csv_bytes;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::staff::*;

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
    let opt = |v: Option<u32>| v.map_or(String::new(), |v| v.to_string());
    let rows = r.search.plans.iter().enumerate().flat_map(|(i, p)| {
        r.search.targets.iter().enumerate().map(move |(t, target)| {
            [
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
                bound(target).to_string(),
                num(target.value),
                num(r.values[t][i]),
                num(r.confirm_values[t][i]),
                r.met(t, i).to_string(),
            ]
        })
    });
    csv_bytes(STAFFING_COLUMNS, rows)
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
    intervals_not_met: Vec<String>,
    #[serde(flatten)]
    tail: Tail<'a>,
}

/// `staff.json`: version, scenario path and hash, team, seed, replications, each target's
/// outcome, the staffing and its agent-hours, passes and wall time.
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
            .map(|(t, target)| TargetInfo {
                key: target.key.name(),
                bound: bound(target),
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
        tail: provenance.tail(),
    };
    json::file_bytes(&info)
}
