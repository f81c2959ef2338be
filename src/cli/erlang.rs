//! `rappel erlang`: analytical Erlang B, C and A figures for one queue.

use super::run::Format;
use super::{Failure, print_out};
use rappel::analytic::{
    QueueFigures, QueueInput, Targets, agents_for, erlang_b, figures, scheduled_agents,
};
use rappel::output::{
    IntervalFigures, erlang_figures_json, erlang_figures_table, erlang_intervals_json,
    erlang_intervals_table, json,
};
use rappel::scenario::{DayKey, VolumeRow, parse_duration, read_volumes_file};

/// Arguments of `rappel erlang`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("load").required(true).args(["rate_per_hour", "volumes"])))]
pub struct Args {
    /// Calls arriving per hour.
    #[arg(long)]
    rate_per_hour: Option<f64>,
    /// A CSV of volumes per interval (columns `interval_start,calls`, and optionally
    /// `agents`): figures or staffing for each interval.
    #[arg(long, conflicts_with = "rate_per_hour")]
    volumes: Option<std::path::PathBuf>,
    /// Length of an interval of --volumes.
    #[arg(long, value_parser = duration, default_value = "30m")]
    interval: f64,
    /// Mean handle time (talk), e.g. 300s or 5m.
    #[arg(long, value_parser = duration)]
    handle_time: f64,
    /// After-call work per call, added to --handle-time as Erlang tools do (the agent is
    /// busy for talk + after-call work), e.g. 30s.
    #[arg(long, value_parser = duration, default_value = "0s")]
    acw: f64,
    /// Share of the scheduled time lost to breaks, training and absence, from 0 to below 1:
    /// agents to schedule = agents on the phone / (1 − shrinkage), rounded up.
    #[arg(long, value_parser = shrinkage, default_value = "0")]
    shrinkage: f64,
    /// Staffing target: agent occupancy, at most (e.g. 0.85): the fewest agents that meet
    /// the other targets and keep occupancy within the cap.
    #[arg(long, value_parser = occupancy_cap)]
    max_occupancy: Option<f64>,
    /// Number of agents; without it, the fewest agents that meet the --target-* figures.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    agents: Option<u32>,
    /// Staffing target: share answered within --threshold, at least (e.g. 0.8).
    #[arg(long, value_parser = share)]
    target_service_level: Option<f64>,
    /// Staffing target: mean answer time, at most (e.g. 30s).
    #[arg(long, value_parser = duration)]
    target_asa: Option<f64>,
    /// Staffing target: share of callers abandoning, at most (e.g. 0.05).
    #[arg(long, value_parser = share)]
    target_abandon_rate: Option<f64>,
    /// Mean patience, e.g. 120s (gives Erlang A); without it callers never give up.
    #[arg(long, value_parser = patience)]
    patience: Option<f64>,
    /// Service-level threshold.
    #[arg(long, value_parser = duration, default_value = "20s")]
    threshold: f64,
    /// At most this many callers wait; more are refused (M/M/c/K).
    #[arg(long)]
    queue_capacity: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn duration(s: &str) -> Result<f64, String> {
    parse_duration(s)
}

/// A mean patience: above 0, since a patience of 0 s is not "no patience" but callers who
/// never wait, which is the loss system of `--queue-capacity 0`.
fn patience(s: &str) -> Result<f64, String> {
    let p = parse_duration(s)?;
    if p > 0.0 {
        Ok(p)
    } else {
        Err(format!(
            "a mean patience must be above 0, not `{s}`; for callers who hang up unless \
             answered at once, use --queue-capacity 0 (Erlang B); without --patience callers \
             never give up"
        ))
    }
}

fn shrinkage(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a shrinkage: give a share from 0 to below 1, e.g. 0.3 for 30 % of \
             the scheduled time off the phone"
        )),
    }
}

fn occupancy_cap(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not an occupancy cap: give a share above 0 and at most 1, e.g. 0.85"
        )),
    }
}

fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a share: give a number from 0 to 1, e.g. 0.8"
        )),
    }
}

/// Reads a --volumes CSV (the parser scenarios' `arrivals.forecast` shares); problems name
/// the file, the line and the column.
fn read_volumes(path: &std::path::Path) -> Result<Vec<VolumeRow>, Failure> {
    let rows = read_volumes_file(path).map_err(|e| {
        let place = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: ", path.display()),
            (Some(l), None) => format!("{}:{l}: ", path.display()),
            _ => format!("--volumes {}: ", path.display()),
        };
        Failure::Input(format!("{place}{}\n  help: {}", e.message, e.help))
    })?;
    if let Some((r, (_, column))) = rows
        .iter()
        .find_map(|r| r.ticket_type.as_ref().map(|t| (r, t)))
    {
        return Err(Failure::Input(format!(
            "{}:{}:{column}: `type`: erlang reads the volumes of one queue\n  help: a `type` column is for a scenario's `arrivals.forecast`; give erlang the calls of every type in one row per interval",
            path.display(),
            r.line
        )));
    }
    if let Some((r, label)) = rows.iter().find_map(|r| r.day.as_ref().map(|l| (r, l))) {
        let name = match label.key {
            DayKey::Day(_) => "day",
            DayKey::Weekday(_) => "weekday",
            DayKey::Date(_) => "date",
        };
        return Err(Failure::Input(format!(
            "{}:{}:{}: `{name}`: erlang reads one day's volumes\n  help: a `{name}` column is for a scenario's `arrivals.forecast`; give erlang one day's rows",
            path.display(),
            r.line,
            label.column
        )));
    }
    Ok(rows)
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    if a.handle_time <= 0.0 {
        return Err(Failure::Input("--handle-time: must be above 0 s".into()));
    }
    let targets = Targets {
        service_level: a.target_service_level,
        asa_s: a.target_asa,
        abandon_rate: a.target_abandon_rate,
        max_occupancy: a.max_occupancy,
    };
    let has_targets = targets != Targets::default();
    if a.agents.is_some() && has_targets {
        return Err(Failure::Input(
            "--agents and --target-* (or --max-occupancy) cannot be combined\n  help: give --agents for the figures of a staffing, or targets for the staffing that meets them"
                .into(),
        ));
    }
    if let Some(path) = &a.volumes {
        return per_interval(&a, path, &targets);
    }
    let rate = a
        .rate_per_hour
        .expect("clap requires --rate-per-hour or --volumes");
    if !(rate.is_finite() && rate > 0.0) {
        return Err(Failure::Input(format!(
            "--rate-per-hour {rate}: the rate must be above 0"
        )));
    }
    let input = queue(&a, rate, a.agents.unwrap_or(1));
    let (agents, f) = match a.agents {
        Some(agents) => (
            agents,
            figures(&input).map_err(|e| Failure::Input(e.to_string()))?,
        ),
        None if has_targets => staffing(&input, &targets)?,
        None => {
            return Err(Failure::Input(
                "give --agents, or a target (--target-service-level, --target-asa, --target-abandon-rate, --max-occupancy) to find the staffing"
                    .into(),
            ));
        }
    };
    let load = input.arrival_rate * input.mean_handle;
    let model = model_name(&input);
    let blocking = erlang_b(load, agents);
    let scheduled = scheduled_agents(agents, a.shrinkage);
    match a.format {
        Format::Json => {
            let mut v = erlang_figures_json(&f, agents, load, a.threshold);
            v["model"] = model.into();
            v["erlang_b_blocking"] = blocking.into();
            v["handle_time_s"] = (a.handle_time + a.acw).into();
            v["shrinkage"] = a.shrinkage.into();
            v["scheduled_agents"] = scheduled.into();
            print_out(&(json::pretty(&v) + "\n"))
        }
        Format::Table => {
            let mut text = erlang_figures_table(model, load, agents, a.threshold, blocking, &f);
            if has_targets {
                text = format!("The fewest agents that meet the targets: {agents}\n{text}");
            }
            if a.acw > 0.0 {
                text.push_str(&format!(
                    "  {:<38} {} s talk + {} s after-call work\n",
                    "Handle time (AHT)", a.handle_time, a.acw
                ));
            }
            if a.shrinkage > 0.0 {
                text.push_str(&format!(
                    "  {:<38} {scheduled} ({agents} on the phone / (1 − {}))\n",
                    "Agents to schedule", a.shrinkage
                ));
            }
            print_out(&text)
        }
    }
}

/// The queue of the arguments at `rate` calls per hour and `agents` agents.
fn queue(a: &Args, rate: f64, agents: u32) -> QueueInput {
    QueueInput {
        arrival_rate: rate / 3600.0,
        mean_handle: a.handle_time + a.acw,
        agents,
        mean_patience: a.patience,
        queue_capacity: a.queue_capacity,
        threshold: a.threshold,
    }
}

fn model_name(input: &QueueInput) -> &'static str {
    match (input.mean_patience, input.queue_capacity) {
        (None, None) => "Erlang C (M/M/c)",
        (Some(_), None) => "Erlang A (M/M/c+M)",
        (None, Some(_)) => "M/M/c/K",
        (Some(_), Some(_)) => "M/M/c/K+M",
    }
}

/// The fewest agents that meet the targets, or a clear error.
fn staffing(input: &QueueInput, targets: &Targets) -> Result<(u32, QueueFigures), Failure> {
    let load = input.arrival_rate * input.mean_handle;
    // Room for an occupancy cap too: occupancy ≤ cap needs at least load / cap agents.
    let room = (load * 10.0).max(load / targets.max_occupancy.unwrap_or(1.0) + 2.0);
    let cap = (room.ceil().min(1e6) as u32).clamp(100, 100_000);
    match agents_for(input, targets, cap) {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(Failure::Input(format!(
            "no staffing up to {cap} agents meets the targets\n  help: loosen a target"
        ))),
        Err(e) => Err(Failure::Input(e.to_string())),
    }
}

/// Figures, or staffing, for each interval of a --volumes file.
fn per_interval(a: &Args, path: &std::path::Path, targets: &Targets) -> Result<(), Failure> {
    if a.interval <= 0.0 {
        return Err(Failure::Input("--interval: must be above 0 s".into()));
    }
    let volumes = read_volumes(path)?;
    let has_targets = *targets != Targets::default();
    let mut rows = Vec::new();
    for v in &volumes {
        let rate = v.calls * 3600.0 / a.interval;
        if rate == 0.0 {
            rows.push((v, 0, None));
            continue;
        }
        let given = v.agents.or(a.agents);
        let (agents, f) = match given {
            Some(agents) => (
                agents,
                figures(&queue(a, rate, agents))
                    .map_err(|e| Failure::Input(format!("interval {}: {e}", v.start)))?,
            ),
            None if has_targets => staffing(&queue(a, rate, 1), targets).map_err(|e| match e {
                Failure::Input(m) => Failure::Input(format!("interval {}: {m}", v.start)),
                other => other,
            })?,
            None => {
                return Err(Failure::Input(format!(
                    "interval {}: no agents given\n  help: add an `agents` column, --agents, or a --target-*",
                    v.start
                )));
            }
        };
        rows.push((v, agents, Some(f)));
    }
    let rows: Vec<IntervalFigures> = rows
        .iter()
        .map(|(v, agents, f)| IntervalFigures {
            start: &v.start,
            calls: v.calls,
            agents: *agents,
            scheduled: scheduled_agents(*agents, a.shrinkage),
            figures: f.as_ref(),
        })
        .collect();
    let aht = a.handle_time + a.acw;
    match a.format {
        Format::Json => {
            print_out(&(erlang_intervals_json(&rows, a.interval, aht, a.threshold) + "\n"))
        }
        Format::Table => print_out(&erlang_intervals_table(
            &rows,
            model_name(&queue(a, 1.0, 1)),
            a.interval,
            aht,
            a.threshold,
            a.shrinkage,
            super::terminal_width(),
        )),
    }
}
