//! What `rappel staff` prints: the interval table and the account of the search.

use super::{MISSING, percent, table};
use crate::output::breakdown::duration;
use crate::plan::staff::short;
use crate::staff::{Key, StaffResult, Target};
use comfy_table::{Cell, CellAlignment};

/// A value for the terminal: shares in percent, the rest with two decimals.
pub(super) fn shown(key: Key, v: f64) -> String {
    if v.is_nan() {
        MISSING.into()
    } else if key == Key::BacklogDayEnd {
        short(v)
    } else if key == Key::HoldP90 {
        if v.is_infinite() {
            "∞ (tickets still waiting at the drain cap)".into()
        } else {
            duration(v)
        }
    } else if matches!(
        key,
        Key::Accessibility | Key::ServiceLevel | Key::AbandonRate
    ) {
        percent(v, 1)
    } else {
        format!("{v:.2}")
    }
}

/// Where the worst value of a target is: `day 0, interval 10:00, value 80.1 %` (without the
/// day when the run has one).
pub(super) fn worst_at(r: &StaffResult, key: Key, (i, day, v): (usize, usize, f64)) -> String {
    if r.several_days() {
        format!("day {day}, interval {}, value {}", r.when(i), shown(key, v))
    } else {
        format!("interval {}, value {}", r.time(i), shown(key, v))
    }
}

/// The goal of a target for the terminal.
pub(super) fn goal(t: &Target) -> String {
    let op = if t.key.at_least() { "≥" } else { "≤" };
    format!("{} {op} {}", t.key.name(), shown(t.key, t.value))
}

/// A column of the interval table: header, right-aligned cells.
type Column = (String, Vec<String>);

fn width_of(c: &Column) -> usize {
    c.1.iter()
        .map(|s| s.chars().count())
        .chain(c.0.split('\n').map(|s| s.chars().count()))
        .max()
        .unwrap_or(1)
}

/// The interval table, with as many columns as fit in `width` (the least useful dropped
/// first), and how many were left out.
fn interval_table(r: &StaffResult, width: u16) -> (String, usize) {
    if r.per_weekday() {
        return (super::staff_roster::weekday_table(r, width), 0);
    }
    let plans = &r.search.plans;
    let n = plans.len();
    let opt = |v: Option<u32>| v.map_or(MISSING.to_string(), |v| v.to_string());
    let unmet: Vec<usize> = r.unmet().iter().map(|(i, _)| *i).collect();
    let mut columns: Vec<(u8, Column)> = vec![
        (0, ("time".into(), (0..n).map(|i| r.time(i)).collect())),
        (
            0,
            (
                "agents".into(),
                (0..n)
                    .map(|i| {
                        if r.at_max(i) && unmet.contains(&i) {
                            format!("{} (max)", r.agents[i])
                        } else {
                            r.agents[i].to_string()
                        }
                    })
                    .collect(),
            ),
        ),
    ];
    let several = r.several_days();
    for (t, target) in r.search.targets.iter().enumerate() {
        if !target.key.per_interval() {
            continue;
        }
        let v = &r.values[t];
        let header = if several {
            format!("{}\nworst day", target.key.name())
        } else {
            target.key.name().into()
        };
        columns.push((
            0,
            (
                header,
                (0..n)
                    .map(|i| {
                        let mark = if r.met(t, i) { "" } else { " ✗" };
                        format!("{}{mark}", shown(target.key, v.worst[i]))
                    })
                    .collect(),
            ),
        ));
        if several {
            columns.push((
                0,
                (
                    "day".into(),
                    v.worst_day
                        .iter()
                        .map(|d| d.map_or(MISSING.to_string(), |d| d.to_string()))
                        .collect(),
                ),
            ));
            columns.push((
                1,
                (
                    format!("{}\nmean of days", target.key.name()),
                    v.mean.iter().map(|&m| shown(target.key, m)).collect(),
                ),
            ));
        }
    }
    // A team that serves no type has no load of its own, and Erlang has no figure for it.
    if !r.search.scenario.teams[r.search.team].serves.is_empty() {
        columns.push((
            2,
            (
                "load\n(erl)".into(),
                plans
                    .iter()
                    .map(|p| format!("{:.1}", p.offered_load))
                    .collect(),
            ),
        ));
        columns.push((
            3,
            (
                "Erlang\nC".into(),
                plans.iter().map(|p| opt(p.erlang_c)).collect(),
            ),
        ));
        if plans.iter().any(|p| p.erlang_a.is_some()) {
            columns.push((
                4,
                (
                    "Erlang\nA".into(),
                    plans.iter().map(|p| opt(p.erlang_a)).collect(),
                ),
            ));
        }
    }
    columns.push((
        5,
        (
            "in the\nscenario".into(),
            plans
                .iter()
                .map(|p| p.scenario_agents.to_string())
                .collect(),
        ),
    ));
    for (t, target) in r.search.targets.iter().enumerate() {
        if target.key.per_interval() {
            let header = if several {
                format!("{}\n(fresh,\nworst day)", target.key.name())
            } else {
                format!("{}\n(fresh)", target.key.name())
            };
            columns.push((
                6,
                (
                    header,
                    (0..n)
                        .map(|i| shown(target.key, r.confirm_values[t].worst[i]))
                        .collect(),
                ),
            ));
        }
    }
    let total = |cols: &[(u8, Column)]| 1 + cols.iter().map(|c| width_of(&c.1) + 3).sum::<usize>();
    let mut left_out = 0;
    while total(&columns) > usize::from(width) {
        let Some(worst) = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.0 > 0)
            .max_by_key(|(k, c)| (c.0, *k))
            .map(|(k, _)| k)
        else {
            break;
        };
        columns.remove(worst);
        left_out += 1;
    }
    let mut t = table(width);
    t.set_header(columns.iter().map(|c| c.1.0.clone()));
    for row in 0..n {
        t.add_row(
            columns
                .iter()
                .map(|c| Cell::new(&c.1.1[row]).set_alignment(CellAlignment::Right)),
        );
    }
    (t.to_string(), left_out)
}

/// A team target's account: `hold_p90 ≤ 60 min: met over the run, 52 min (the mean over
/// the replications of tier2's p90 hold after a transfer)`, or for `backlog_day_end` the
/// day ends met and the worst; `confirm` for the fresh replications.
fn team_line(r: &StaffResult, t: usize, confirm: bool) -> String {
    let target = &r.search.targets[t];
    let team = r.team_name();
    let whole = if confirm {
        r.confirm_whole[t]
    } else {
        r.whole[t]
    };
    let verdict = if target.met_by(whole) {
        "met"
    } else {
        "missed"
    };
    if target.key == Key::HoldP90 {
        return format!(
            "{}: {verdict} over the run, {} (the mean over the replications of {team}'s p90 \
             hold after a transfer)",
            goal(target),
            shown(target.key, whole)
        );
    }
    let days = if confirm {
        &r.confirm_day_values[t]
    } else {
        &r.day_values[t]
    };
    let met = days.iter().filter(|(_, v)| target.met_by(*v)).count();
    let worst = r.worst_day(t, confirm).map_or(String::new(), |(d, v)| {
        format!(
            "; worst: day {d}, {} waiting for {team}",
            shown(target.key, v)
        )
    });
    format!(
        "{}: {verdict}, at {met} of {} day ends (the mean over the replications of the \
         work waiting for {team} at each){worst}",
        goal(target),
        days.len()
    )
}

/// Percent difference of `a` against `b`.
fn versus(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:+.1} %", (a - b) / b * 100.0)
    } else {
        MISSING.into()
    }
}

/// Everything `rappel staff` prints on standard output: a heading, the table, the
/// agent-hours summary and the plan's cost, each target's worst day, what cannot be met,
/// the confirmation, the warnings and the line to paste.
pub fn staff_report(r: &StaffResult, width: u16) -> String {
    let s = &r.search.scenario;
    let several = r.several_days();
    let targets: Vec<String> = r.search.targets.iter().map(goal).collect();
    let per = if !r.search.targets.iter().any(|t| t.key.per_interval()) {
        format!(
            "the team's own figures: mean of {} replications",
            s.simulation.replications
        )
    } else if several {
        format!(
            "per interval and day ({} days): mean of {} replications of the day",
            r.search.days.len(),
            s.simulation.replications
        )
    } else {
        format!(
            "per interval: mean of {} replications",
            s.simulation.replications
        )
    };
    let mut out = format!(
        "{}, team {}: staffing for {}\n{per}, seed {}; {} simulations\n",
        s.name,
        r.team_name(),
        targets.join(", "),
        s.simulation.seed,
        r.passes
    );
    let (table, left_out) = interval_table(r, width);
    out.push_str(&table);
    out.push('\n');
    if left_out > 0 {
        out.push_str(&format!(
            "({left_out} more columns in staffing.csv; a wider terminal shows them)\n"
        ));
    }
    if r.per_weekday() {
        out.push_str(
            "(the days expect different calls, so each weekday has its own list, sized on its \
             busiest day and met on each of its days; each target's values per interval and \
             weekday are in staffing.csv)\n",
        );
    }
    let found = r.agent_hours();
    let per_day = if r.per_weekday() {
        "agent-hours per day (mean over the run's days)"
    } else {
        "agent-hours per day"
    };
    let mut summary = format!("{per_day}: {} found", short(found));
    if let Some(c) = r.erlang_c_hours() {
        summary.push_str(&format!(", Erlang C {} ({})", short(c), versus(found, c)));
    }
    if let Some(a) = r.erlang_a_hours() {
        summary.push_str(&format!(", Erlang A {} ({})", short(a), versus(found, a)));
    }
    summary.push_str(&format!(
        ", scenario {} ({})",
        short(r.scenario_hours()),
        versus(found, r.scenario_hours())
    ));
    out.push_str(&summary);
    out.push('\n');
    let days = s.day.days(s.simulation.horizon);
    let mut cost = format!(
        "cost of the plan: {} agent-hours per run ({days} day{})",
        short(r.run_agent_hours()),
        if days == 1 { "" } else { "s" }
    );
    match (r.cost_per_day(), r.cost_per_run()) {
        (Some(d), Some(run)) => cost.push_str(&format!(
            "; at {} an agent-hour, {} per day and {} per run",
            short(r.cost_per_hour()),
            short(d),
            short(run)
        )),
        _ => cost.push_str(&format!("; team {} has no cost_per_hour", r.team_name())),
    }
    out.push_str(&cost);
    out.push('\n');
    let serves = !s.teams[r.search.team].serves.is_empty();
    let a = &r.search.analytic_targets;
    let mut asked: Vec<String> = Vec::new();
    if let Some(v) = a.service_level {
        asked.push(format!("service_level ≥ {}", shown(Key::ServiceLevel, v)));
    }
    if let Some(v) = a.abandon_rate {
        asked.push(format!("abandon_rate ≤ {}", shown(Key::AbandonRate, v)));
    }
    if let Some(v) = a.asa_s {
        asked.push(format!("asa_s ≤ {}", shown(Key::AsaS, v)));
    }
    let on_day = if r.per_weekday() {
        ", on the calls of each weekday's busiest day".to_string()
    } else if r.days_differ() {
        format!(
            ", on the calls of day {}, the busiest",
            r.search.busiest_day
        )
    } else {
        String::new()
    };
    if serves {
        out.push_str(&format!(
            "(Erlang C and A: the fewest agents for {} in each interval's steady state{on_day})\n",
            asked.join(", ")
        ));
    }

    for (t, target) in r.search.targets.iter().enumerate() {
        if !target.key.per_interval() {
            continue;
        }
        let v = &r.values[t];
        let (met, defined) = v.met_count(target);
        let every = if several { " on every day" } else { "" };
        let worst = v.overall_worst(target).map_or(String::new(), |w| {
            format!("; worst: {}", worst_at(r, target.key, w))
        });
        out.push_str(&format!(
            "{}: met{every} in {met} of {defined} intervals{worst}\n",
            goal(target)
        ));
    }

    for (t, target) in r.search.targets.iter().enumerate() {
        if target.key.team_level() {
            out.push_str(&format!("{}\n", team_line(r, t, false)));
        }
    }

    let unmet = r.unmet();
    if !unmet.is_empty() {
        for (t, target) in r.search.targets.iter().enumerate() {
            let times: Vec<String> = unmet
                .iter()
                .filter(|(_, m)| m.contains(&t))
                .map(|(i, _)| r.when(*i))
                .collect();
            if times.is_empty() {
                continue;
            }
            let shown_times = if times.len() > 12 {
                format!(
                    "{} … {}",
                    times[..6].join(", "),
                    times[times.len() - 3..].join(", ")
                )
            } else {
                times.join(", ")
            };
            let why = if r.settled {
                "even at the most agents allowed (--max-agents)"
            } else {
                "when the search stopped at its cap on simulations"
            };
            out.push_str(&format!(
                "cannot be met: {} in {} of {} intervals ({shown_times}), {why}\n",
                goal(target),
                times.len(),
                r.agents.len()
            ));
        }
    }
    for t in r.unmet_whole() {
        let target = &r.search.targets[t];
        if target.key.team_level() {
            out.push_str(&format!(
                "cannot be met: {}: it reaches {} with the most agents tried (--max-agents)\n",
                goal(target),
                shown(target.key, r.whole[t])
            ));
        } else {
            out.push_str(&format!(
                "cannot be met: {} for the whole run: it reaches {} at most\n",
                goal(target),
                shown(target.key, r.whole[t])
            ));
        }
    }
    if !r.settled && unmet.is_empty() {
        out.push_str("the search stopped at its cap on simulations: some intervals may have an agent to spare\n");
    }

    for (t, target) in r.search.targets.iter().enumerate() {
        if target.key.per_interval() {
            let v = &r.confirm_values[t];
            let (meet, defined) = v.met_count(target);
            let means: Vec<f64> = v.mean.iter().copied().filter(|m| !m.is_nan()).collect();
            // No interval with a value (every call turned away, say): no mean.
            let mean = if means.is_empty() {
                f64::NAN
            } else {
                means.iter().sum::<f64>() / means.len() as f64
            };
            let worst = v.overall_worst(target).map_or(String::new(), |w| {
                format!("; worst: {}", worst_at(r, target.key, w))
            });
            let (every, over) = if several {
                (" on every day", "intervals and days")
            } else {
                ("", "intervals")
            };
            out.push_str(&format!(
                "on {} fresh replications (seed {}): {}{every} in {meet} of {defined} intervals, mean over {over} {}{worst}\n",
                s.simulation.replications,
                r.confirm_seed,
                goal(target),
                shown(target.key, mean)
            ));
        } else if target.key.team_level() {
            out.push_str(&format!(
                "on {} fresh replications (seed {}): {}\n",
                s.simulation.replications,
                r.confirm_seed,
                team_line(r, t, true)
            ));
        } else {
            out.push_str(&format!(
                "{} for the whole run: {} (fresh replications, seed {}: {})\n",
                goal(target),
                shown(target.key, r.whole[t]),
                r.confirm_seed,
                shown(target.key, r.confirm_whole[t])
            ));
        }
    }
    for w in r.warnings() {
        out.push_str(&format!("warning: {w}\n"));
    }
    if let Some(plan) = &r.roster {
        out.push_str(&super::staff_roster::roster_section(r, plan, width));
        return out;
    }
    let keys = if r.per_weekday() {
        "the agents and agents_by_weekday keys"
    } else {
        "the agents key"
    };
    out.push_str(&format!(
        "replace {keys} of the [[teams]] table named \"{}\" with (also in staffing.toml):\n{}\n",
        r.team_name(),
        r.agents_line()
    ));
    out
}
