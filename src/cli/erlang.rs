//! `rappel erlang`: analytical Erlang B, C and A figures for one queue.

use super::run::Format;
use super::{Failure, print_out};
use rappel::analytic::{QueueFigures, QueueInput, Targets, agents_for, erlang_b, figures};
use rappel::output::{
    IntervalFigures, erlang_figures_json, erlang_figures_table, erlang_intervals_json,
    erlang_intervals_table, json,
};
use rappel::scenario::parse_duration;

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
    /// Mean handle time, e.g. 300s or 5m.
    #[arg(long, value_parser = duration)]
    handle_time: f64,
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

fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a share: give a number from 0 to 1, e.g. 0.8"
        )),
    }
}

/// One interval of a --volumes file.
struct Volume {
    start: String,
    calls: f64,
    agents: Option<u32>,
}

/// Reads a --volumes CSV; problems name the file, the line and the column.
fn read_volumes(path: &std::path::Path) -> Result<Vec<Volume>, Failure> {
    let shown = path.display();
    let bad = |line: usize, what: String| {
        Failure::Input(format!(
            "{shown}:{line}: {what}\n  help: the file needs a header `interval_start,calls` (and optionally `agents`), then one row per interval, e.g. `08:00,120`"
        ))
    };
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| Failure::Input(format!("cannot read --volumes {shown}: {e}")))?;
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(start), Some(calls)) = (col("interval_start"), col("calls")) else {
        return Err(bad(1, format!("the header is `{}`", header.join(","))));
    };
    let agents = col("agents");
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let field = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
        let n: f64 = field(calls)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                bad(
                    line,
                    format!("`calls`: `{}` is not a count of calls", field(calls)),
                )
            })?;
        let a = match agents {
            Some(k) if !field(k).is_empty() => Some(
                field(k)
                    .parse::<u32>()
                    .ok()
                    .filter(|a| (1..=100_000).contains(a))
                    .ok_or_else(|| {
                        bad(
                            line,
                            format!("`agents`: `{}` is not from 1 to 100000", field(k)),
                        )
                    })?,
            ),
            _ => None,
        };
        out.push(Volume {
            start: field(start),
            calls: n,
            agents: a,
        });
    }
    if out.is_empty() {
        return Err(bad(2, "no interval".into()));
    }
    Ok(out)
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
    };
    let has_targets = targets != Targets::default();
    if a.agents.is_some() && has_targets {
        return Err(Failure::Input(
            "--agents and --target-* cannot be combined\n  help: give --agents for the figures of a staffing, or targets for the staffing that meets them"
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
                "give --agents, or a target (--target-service-level, --target-asa, --target-abandon-rate) to find the staffing"
                    .into(),
            ));
        }
    };
    let load = input.arrival_rate * input.mean_handle;
    let model = model_name(&input);
    let blocking = erlang_b(load, agents);
    match a.format {
        Format::Json => {
            let mut v = erlang_figures_json(&f, agents, load, a.threshold);
            v["model"] = model.into();
            v["erlang_b_blocking"] = blocking.into();
            print_out(&(json::pretty(&v) + "\n"))
        }
        Format::Table => {
            let mut text = erlang_figures_table(model, load, agents, a.threshold, blocking, &f);
            if has_targets {
                text = format!("The fewest agents that meet the targets: {agents}\n{text}");
            }
            print_out(&text)
        }
    }
}

/// The queue of the arguments at `rate` calls per hour and `agents` agents.
fn queue(a: &Args, rate: f64, agents: u32) -> QueueInput {
    QueueInput {
        arrival_rate: rate / 3600.0,
        mean_handle: a.handle_time,
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
    let cap = ((load * 10.0).ceil() as u32).clamp(100, 100_000);
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
            figures: f.as_ref(),
        })
        .collect();
    match a.format {
        Format::Json => print_out(
            &(erlang_intervals_json(&rows, a.interval, a.handle_time, a.threshold) + "\n"),
        ),
        Format::Table => print_out(&erlang_intervals_table(
            &rows,
            model_name(&queue(a, 1.0, 1)),
            a.interval,
            a.handle_time,
            a.threshold,
            super::terminal_width(),
        )),
    }
}
