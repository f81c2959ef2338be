//! What `rappel staff` prints beside its interval table: the table of a plan per weekday,
//! and the roster of a team on shifts.

use super::staff::{goal, shown, worst_at};
use super::{MISSING, table};
use crate::output::breakdown::duration;
use crate::plan::staff::short;
use crate::scenario::format_clock;
use crate::staff::{RosterPlan, StaffResult};
use comfy_table::{Cell, CellAlignment};

/// A plan per weekday: a row per interval of the open day, a column of agents found per
/// weekday (✗ where a target is missed), and a last row of each weekday's agent-hours. The
/// targets' values are in staffing.csv.
pub(super) fn weekday_table(r: &StaffResult, width: u16) -> String {
    let search = &r.search;
    let n = search.per_day;
    let unmet: Vec<usize> = r.unmet().iter().map(|(k, _)| *k).collect();
    let mut t = table(width);
    let mut header = vec!["time".to_string()];
    header.extend((0..search.classes.len()).map(|c| r.class_label(c * n).to_string()));
    t.set_header(header);
    for i in 0..n {
        let mut row = vec![Cell::new(r.time(i)).set_alignment(CellAlignment::Right)];
        for c in 0..search.classes.len() {
            let k = c * n + i;
            let text = if !search.plans[k].observed {
                MISSING.to_string()
            } else if unmet.contains(&k) {
                let max = if r.at_max(k) { " (max)" } else { "" };
                format!("{}{max} ✗", r.agents[k])
            } else {
                r.agents[k].to_string()
            };
            row.push(Cell::new(text).set_alignment(CellAlignment::Right));
        }
        t.add_row(row);
    }
    let mut hours = vec![Cell::new("agent-hours").set_alignment(CellAlignment::Right)];
    hours.extend(
        (0..search.classes.len())
            .map(|c| Cell::new(short(r.class_hours(c))).set_alignment(CellAlignment::Right)),
    );
    t.add_row(hours);
    t.to_string()
}

/// The roster of a team on shifts: the patterns and their agents, the cost, the coverage
/// per interval, the confirmation and the lines to paste.
pub(super) fn roster_section(r: &StaffResult, plan: &RosterPlan, width: u16) -> String {
    let s = &r.search.scenario;
    let mut out = format!(
        "\nroster of team {} (the requirement above, on the phone, covered at the least cost):\n",
        r.team_name()
    );
    let mut t = table(width);
    t.set_header(vec![
        "shift",
        "start",
        "length",
        "days",
        "agents",
        "cost per agent",
    ]);
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for (k, p) in plan.patterns.iter().enumerate() {
        let days: Vec<&str> = (0..7).filter(|&w| p.days[w]).map(|w| NAMES[w]).collect();
        let days = if days.len() == 7 {
            "every day".to_string()
        } else {
            days.join(",")
        };
        t.add_row(vec![
            Cell::new(k + 1).set_alignment(CellAlignment::Right),
            Cell::new(format_clock(p.shift.start)),
            Cell::new(duration(p.shift.end - p.shift.start)),
            Cell::new(days),
            Cell::new(plan.agents[k]).set_alignment(CellAlignment::Right),
            Cell::new(short(plan.unit_cost[k])).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    let unit = if plan.money {
        format!(
            " (at {} an agent-hour, paid shift hours)",
            short(r.cost_per_hour())
        )
    } else {
        " agent-hours (paid shift hours; the team has no cost_per_hour)".to_string()
    };
    out.push_str(&format!(
        "cost of the roster per run: {}{unit}",
        short(plan.cost())
    ));
    if plan.repaired > 0 {
        out.push_str(&format!(
            "; the repair added {} agent{} to the programme's solution",
            plan.repaired,
            if plan.repaired == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
    let mut c = table(width);
    c.set_header(vec!["interval", "requirement", "need", "planned"]);
    for i in 0..plan.need.len() {
        if !r.search.plans[i].observed {
            continue;
        }
        c.add_row(vec![
            Cell::new(r.when(i)),
            Cell::new(plan.requirement[i]).set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.1}", plan.need[i])).set_alignment(CellAlignment::Right),
            Cell::new(format!("{:.1}", plan.planned[i])).set_alignment(CellAlignment::Right),
        ]);
    }
    out.push_str(&format!(
        "coverage per interval (need: the requirement / ((1 − absence) × (1 − shrinkage) × adherence); planned: the roster's agents at work and not on a break, on the least covered weekday):\n{c}\n"
    ));
    for (t, target) in r.search.targets.iter().enumerate() {
        let observed: Vec<usize> = (0..plan.need.len())
            .filter(|&i| r.search.plans[i].observed)
            .collect();
        if target.key.per_interval() {
            let (meet, defined) = plan.confirm_values[t].met_count(target);
            let worst = plan.confirm_values[t]
                .overall_worst(target)
                .map_or(String::new(), |w| {
                    format!("; worst: {}", worst_at(r, target.key, w))
                });
            out.push_str(&format!(
                "the roster on {} fresh replications (seed {}, with breaks, absence, shrinkage and adherence): {}{} in {meet} of {defined} intervals{worst}\n",
                s.simulation.replications,
                plan.confirm_seed,
                goal(target),
                if r.several_days() { " on every day" } else { "" }
            ));
        } else {
            let met = observed.first().is_none_or(|&i| plan.met(&r.search, t, i));
            out.push_str(&format!(
                "the roster on {} fresh replications (seed {}): {}: {} ({})\n",
                s.simulation.replications,
                plan.confirm_seed,
                goal(target),
                shown(target.key, plan.confirm_whole[t]),
                if met { "met" } else { "missed" }
            ));
        }
    }
    if plan.holds(&r.search) {
        out.push_str("confirmed: the roster meets every target\n");
    } else {
        out.push_str("not confirmed: the roster misses a target on the fresh replications (absence and adherence vary from day to day; ask for a slightly stricter target or give more replications)\n");
    }
    out.push_str(&format!(
        "in the [[teams.shifts]] tables of the team named \"{}\", in order, set (also in staffing.toml):\n",
        r.team_name()
    ));
    for (k, line) in plan.paste_lines().iter().enumerate() {
        let p = &plan.patterns[k].shift;
        out.push_str(&format!(
            "{line}    # shift {} ({}, {})\n",
            k + 1,
            format_clock(p.start),
            duration(p.end - p.start)
        ));
    }
    out
}
