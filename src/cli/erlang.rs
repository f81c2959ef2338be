//! `rappel erlang`: analytical Erlang B, C and A figures for one queue.

use super::run::Format;
use super::{Failure, print_out};
use rappel::analytic::{QueueFigures, QueueInput, erlang_b, figures};
use rappel::scenario::parse_duration;

/// Arguments of `rappel erlang`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Calls arriving per hour.
    #[arg(long)]
    rate_per_hour: f64,
    /// Mean handle time, e.g. 300s or 5m.
    #[arg(long, value_parser = duration)]
    handle_time: f64,
    /// Number of agents.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    agents: u32,
    /// Mean patience, e.g. 120s (gives Erlang A); without it callers never give up.
    #[arg(long, value_parser = duration)]
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

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    if !(a.rate_per_hour.is_finite() && a.rate_per_hour > 0.0) {
        return Err(Failure::Input(format!(
            "--rate-per-hour {}: the rate must be above 0",
            a.rate_per_hour
        )));
    }
    if a.handle_time <= 0.0 {
        return Err(Failure::Input("--handle-time: must be above 0 s".into()));
    }
    let input = QueueInput {
        arrival_rate: a.rate_per_hour / 3600.0,
        mean_handle: a.handle_time,
        agents: a.agents,
        mean_patience: a.patience.filter(|p| *p > 0.0),
        queue_capacity: a.queue_capacity,
        threshold: a.threshold,
    };
    let load = input.arrival_rate * input.mean_handle;
    let model = match (input.mean_patience, input.queue_capacity) {
        (None, None) => "Erlang C (M/M/c)",
        (Some(_), None) => "Erlang A (M/M/c+M)",
        (None, Some(_)) => "M/M/c/K",
        (Some(_), Some(_)) => "M/M/c/K+M",
    };
    let f = figures(&input).map_err(|e| Failure::Input(e.to_string()))?;
    let blocking = erlang_b(load, a.agents);
    match a.format {
        Format::Json => {
            let v = serde_json::json!({
                "model": model,
                "offered_load_erlangs": load,
                "agents": a.agents,
                "erlang_b_blocking": blocking,
                "p_block": f.p_block,
                "p_wait": f.p_wait,
                "abandon_rate": f.p_abandon,
                "asa_s": f.asa_s,
                "wait_mean_s": f.wait_mean_s,
                "service_level": f.service_level,
                "threshold_s": a.threshold,
                "occupancy": f.occupancy,
                "queue_length_mean": f.queue_length_mean,
                "answered_share": f.answered_share,
            });
            print_out(&(serde_json::to_string_pretty(&v).expect("json") + "\n"))
        }
        Format::Table => print_out(&table(model, load, a.agents, a.threshold, blocking, &f)),
    }
}

fn table(
    model: &str,
    load: f64,
    agents: u32,
    threshold: f64,
    blocking: f64,
    f: &QueueFigures,
) -> String {
    let pct = |v: f64| format!("{:.2} %", v * 100.0);
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
