//! What `rappel staff` prints: the interval table and the account of the search.

use super::{MISSING, percent, table};
use crate::staff::{Key, StaffResult, Target};
use comfy_table::{Cell, CellAlignment};

/// A value for the terminal: shares in percent, the rest with two decimals.
fn shown(key: Key, v: f64) -> String {
    if v.is_nan() {
        MISSING.into()
    } else if matches!(key, Key::ServiceLevel | Key::AbandonRate) {
        percent(v, 1)
    } else {
        format!("{v:.2}")
    }
}

/// The goal of a target for the terminal.
fn goal(t: &Target) -> String {
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
    for (t, target) in r.search.targets.iter().enumerate() {
        if !target.key.per_interval() {
            continue;
        }
        columns.push((
            0,
            (
                target.key.name().into(),
                (0..n)
                    .map(|i| {
                        let mark = if r.met(t, i) { "" } else { " ✗" };
                        format!("{}{mark}", shown(target.key, r.values[t][i]))
                    })
                    .collect(),
            ),
        ));
    }
    columns.push((
        1,
        (
            "load\n(erl)".into(),
            plans
                .iter()
                .map(|p| format!("{:.1}", p.offered_load))
                .collect(),
        ),
    ));
    columns.push((
        2,
        (
            "Erlang\nC".into(),
            plans.iter().map(|p| opt(p.erlang_c)).collect(),
        ),
    ));
    if plans.iter().any(|p| p.erlang_a.is_some()) {
        columns.push((
            3,
            (
                "Erlang\nA".into(),
                plans.iter().map(|p| opt(p.erlang_a)).collect(),
            ),
        ));
    }
    columns.push((
        4,
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
            columns.push((
                5,
                (
                    format!("{}\n(fresh)", target.key.name()),
                    (0..n)
                        .map(|i| shown(target.key, r.confirm_values[t][i]))
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

/// Percent difference of `a` against `b`.
fn versus(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:+.1} %", (a - b) / b * 100.0)
    } else {
        MISSING.into()
    }
}

/// Everything `rappel staff` prints on standard output: a heading, the table, the agent-hours summary,
/// what cannot be met, the confirmation and the line to paste.
pub fn staff_report(r: &StaffResult, width: u16) -> String {
    let s = &r.search.scenario;
    let targets: Vec<String> = r.search.targets.iter().map(goal).collect();
    let mut out = format!(
        "{}, team {}: staffing for {}\nper interval: mean of {} replications, seed {}; {} simulations\n",
        s.name,
        r.team_name(),
        targets.join(", "),
        s.simulation.replications,
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
    let found = r.agent_hours();
    let mut summary = format!("agent-hours per day: {found} found");
    if let Some(c) = r.erlang_c_hours() {
        summary.push_str(&format!(", Erlang C {c} ({})", versus(found, c)));
    }
    if let Some(a) = r.erlang_a_hours() {
        summary.push_str(&format!(", Erlang A {a} ({})", versus(found, a)));
    }
    summary.push_str(&format!(
        ", scenario {} ({})",
        r.scenario_hours(),
        versus(found, r.scenario_hours())
    ));
    out.push_str(&summary);
    out.push('\n');
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
    out.push_str(&format!(
        "(Erlang C and A: the fewest agents for {} in each interval's steady state)\n",
        asked.join(", ")
    ));

    let unmet = r.unmet();
    if !unmet.is_empty() {
        for (t, target) in r.search.targets.iter().enumerate() {
            let times: Vec<String> = unmet
                .iter()
                .filter(|(_, m)| m.contains(&t))
                .map(|(i, _)| r.time(*i))
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
        out.push_str(&format!(
            "cannot be met: {} for the whole run: it reaches {} at most\n",
            goal(target),
            shown(target.key, r.whole[t])
        ));
    }
    if !r.settled && unmet.is_empty() {
        out.push_str("the search stopped at its cap on simulations: some intervals may have an agent to spare\n");
    }

    for (t, target) in r.search.targets.iter().enumerate() {
        if target.key.per_interval() {
            let v = &r.confirm_values[t];
            let defined: Vec<usize> = (0..v.len()).filter(|&i| !v[i].is_nan()).collect();
            let meet = defined.iter().filter(|&&i| target.met_by(v[i])).count();
            let mean = defined.iter().map(|&i| v[i]).sum::<f64>() / defined.len().max(1) as f64;
            let worst = defined.iter().copied().min_by(|&i, &j| {
                let (a, b) = (v[i], v[j]);
                if target.key.at_least() {
                    a.total_cmp(&b)
                } else {
                    b.total_cmp(&a)
                }
            });
            let worst = worst.map_or(String::new(), |i| {
                format!(", worst {} at {}", shown(target.key, v[i]), r.time(i))
            });
            out.push_str(&format!(
                "on {} fresh replications (seed {}): {} in {meet} of {} intervals, mean over intervals {}{worst}\n",
                s.simulation.replications,
                r.confirm_seed,
                goal(target),
                defined.len(),
                shown(target.key, mean)
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
    out.push_str(&format!(
        "replace the agents key of the [[teams]] table named \"{}\" with (also in staffing.toml):\n{}\n",
        r.team_name(),
        r.agents_line()
    ));
    out
}
