//! What `rappel erlang` prints: one queue's figures, or a table of figures per interval, as
//! text or JSON.

use super::{MISSING, json, percent, table};
use crate::analytic::QueueFigures;

/// One queue's figures as a JSON object (without the model's name).
pub fn erlang_figures_json(
    f: &QueueFigures,
    agents: u32,
    load: f64,
    threshold: f64,
) -> serde_json::Value {
    serde_json::json!({
        "offered_load_erlangs": load,
        "agents": agents,
        "p_block": f.p_block,
        "p_wait": f.p_wait,
        "abandon_rate": f.p_abandon,
        "asa_s": f.asa_s,
        "wait_mean_s": f.wait_mean_s,
        "service_level": f.service_level,
        "threshold_s": threshold,
        "occupancy": f.occupancy,
        "queue_length_mean": f.queue_length_mean,
        "answered_share": f.answered_share,
    })
}

/// One queue's figures for people, under the model's name.
pub fn erlang_figures_table(
    model: &str,
    load: f64,
    agents: u32,
    threshold: f64,
    blocking: f64,
    f: &QueueFigures,
) -> String {
    let pct = |v: f64| percent(v, 2);
    let rows = [
        (
            "Offered load",
            format!("{load:.2} erlangs on {agents} agents"),
        ),
        ("Erlang B: blocked if nobody may wait", pct(blocking)),
        ("Refused (queue full)", pct(f.p_block)),
        ("Had to wait", pct(f.p_wait)),
        ("Abandoned", pct(f.p_abandon)),
        ("Mean answer time (ASA)", format!("{:.1} s", f.asa_s)),
        ("Mean wait (all calls)", format!("{:.1} s", f.wait_mean_s)),
        (
            "Service level",
            format!("{} answered within {threshold} s", pct(f.service_level)),
        ),
        ("Agent occupancy", pct(f.occupancy)),
        (
            "Mean queue length",
            format!("{:.2} callers", f.queue_length_mean),
        ),
    ];
    let mut out = format!("{model}\n");
    for (k, v) in rows {
        out.push_str(&format!("  {k:<38} {v}\n"));
    }
    out
}

/// One interval of a volumes file with its staffing and figures (none without calls).
#[derive(Debug, Clone, Copy)]
pub struct IntervalFigures<'a> {
    /// The interval's start as written in the file.
    pub start: &'a str,
    /// Calls offered in the interval.
    pub calls: f64,
    /// Agents on the phone.
    pub agents: u32,
    /// Agents to schedule for that many on the phone, after shrinkage.
    pub scheduled: u32,
    /// The queue's figures, when the interval has calls.
    pub figures: Option<&'a QueueFigures>,
}

/// The figures of every interval as a JSON array; intervals are `interval` seconds long,
/// calls take `handle_time` seconds.
pub fn erlang_intervals_json(
    rows: &[IntervalFigures],
    interval: f64,
    handle_time: f64,
    threshold: f64,
) -> String {
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|v| {
            let rate = v.calls * 3600.0 / interval;
            let mut j = match v.figures {
                Some(f) => erlang_figures_json(f, v.agents, rate / 3600.0 * handle_time, threshold),
                None => serde_json::json!({ "agents": 0 }),
            };
            j["interval_start"] = v.start.into();
            j["scheduled_agents"] = v.scheduled.into();
            j["calls"] = v.calls.into();
            j
        })
        .collect();
    json::pretty(&list)
}

/// The figures of every interval as a table under the model's name, with the agent-hours
/// of the whole file, fitted to `width` columns; a column of agents to schedule when
/// `shrinkage` is above 0; then the `agents = [...]` line to paste into a scenario's team.
pub fn erlang_intervals_table(
    rows: &[IntervalFigures],
    model: &str,
    interval: f64,
    handle_time: f64,
    threshold: f64,
    shrinkage: f64,
    width: u16,
) -> String {
    let pct = |x: f64| percent(x, 1);
    let mut t = table(width);
    let mut header = vec!["Interval", "Calls", "Load (erl.)", "Agents"];
    if shrinkage > 0.0 {
        header.push("To schedule");
    }
    header.extend(["Service level", "ASA", "Abandoned", "Occupancy"]);
    t.set_header(header);
    let mut agent_intervals = 0u64;
    for v in rows {
        agent_intervals += u64::from(v.agents);
        let load = v.calls * handle_time / interval;
        let cells = match v.figures {
            Some(f) => vec![
                pct(f.service_level),
                format!("{:.1} s", f.asa_s),
                pct(f.p_abandon),
                pct(f.occupancy),
            ],
            None => vec![MISSING.into(); 4],
        };
        let mut row = vec![
            v.start.to_string(),
            format!("{}", v.calls),
            format!("{load:.2}"),
            v.agents.to_string(),
        ];
        if shrinkage > 0.0 {
            row.push(v.scheduled.to_string());
        }
        row.extend(cells);
        t.add_row(row);
    }
    let list = |f: fn(&IntervalFigures) -> u32| {
        rows.iter()
            .map(|v| f(v).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut paste = format!(
        "A team's agents on the phone, one per interval, to paste into a scenario:\nagents = [{}]\n",
        list(|v| v.agents)
    );
    if shrinkage > 0.0 {
        let scheduled: u64 = rows.iter().map(|v| u64::from(v.scheduled)).sum();
        paste.push_str(&format!(
            "# to schedule with {} shrinkage ({:.1} agent-hours): [{}]\n",
            percent(shrinkage, 0),
            scheduled as f64 * interval / 3600.0,
            list(|v| v.scheduled)
        ));
    }
    format!(
        "{model} per interval of {interval} s, threshold {threshold} s; {:.1} agent-hours in all\n{t}\n{paste}",
        agent_intervals as f64 * interval / 3600.0
    )
}
