//! `rappel run`: runs a scenario and writes its files.

use super::flags::{SimFlags, Threads, Unstable, Wording, open_out};
use super::merge::Merged;
use super::shard::{Partial, Shard, ShardFlags, Work};
use super::{Failure, folder_name, print_out, progress_bar, scenario_text, terminal_width};
use clap::ValueEnum;
use rappel::output::{
    ReplicationsFile, call_header, precision_line, run_text, summary_json, ticket_header,
    write_run_files,
};
use rappel::run::{
    Logs, RunResult, run_range_with_logs, run_scenario_each, run_scenario_with_logs,
    run_to_precision, simulate_each,
};
use rappel::scenario::Scenario;
use rappel::stats::Metric;
use std::path::PathBuf;

/// What `run`, `compare`, `sweep` and `staff` print on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables (and histograms) for people.
    Table,
    /// The results as JSON, for programs.
    Json,
}

/// How `rappel run` words the shared flags.
#[derive(Debug)]
pub struct RunWording;

impl Wording for RunWording {
    const REPLICATIONS: &'static str =
        "Number of replications (overrides `simulation.replications`)";
    const SEED: &'static str = "Seed of every random stream (overrides `simulation.seed`)";
    const OUT: &'static str = "Folder for the output files [default: out/<scenario name>]";
}

/// Arguments of `rappel run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML); without one, the built-in realistic day runs.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    sim: SimFlags<RunWording>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Add replications until the 95 % interval of each precision metric is within this
    /// share of its mean (e.g. 0.01 for ± 1 %), or --max-replications is reached.
    #[arg(long, value_parser = parse_precision)]
    precision: Option<f64>,
    /// Metrics --precision waits for, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_parser = parse_metric,
        default_value = "wait_mean_s,service_level,abandon_rate,csat_mean"
    )]
    precision_metrics: Vec<Metric>,
    /// The most replications --precision may run.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(3..=100_000))]
    max_replications: u32,
    /// Also write tickets.csv: one row per ticket with its whole journey (streamed to disk).
    #[arg(long)]
    tickets: bool,
    /// Also write calls.csv: one row per inbound call (arrival, wait, outcome, handle time,
    /// type, team, agent, ticket), in the columns `rappel fit` reads (streamed to disk).
    #[arg(long)]
    calls: bool,
    /// Also write report.html: one self-contained page with the headline table and charts.
    #[arg(long)]
    report: bool,
    /// Print only the key figures and a line each for the waits and the CSAT (at most 24
    /// lines at 80 columns); chosen by itself when the terminal is shorter than the table.
    #[arg(long)]
    compact: bool,
    #[command(flatten)]
    unstable: Unstable,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    shard: ShardFlags,
}

/// A relative precision: a number strictly between 0 and 1.
fn parse_precision(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!(
            "`{text}` is not a relative precision: give a number between 0 and 1, e.g. 0.01 for ± 1 %"
        )),
    }
}

/// A metric by its CSV name.
fn parse_metric(text: &str) -> Result<Metric, String> {
    Metric::from_name(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        format!(
            "`{text}` is not a metric; the metrics are: {}",
            names.join(", ")
        )
    })
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    run_with(a, None)
}

/// `rappel merge` of shards of `rappel run`: the command the shards ran, its simulation
/// replaced by their replications.
pub(super) fn merged(mut a: Args, m: &Merged) -> Result<(), Failure> {
    a.sim.out = Some(m.out().to_path_buf());
    a.sim.quiet = m.quiet();
    a.shard = ShardFlags::default();
    run_with(a, Some(m))
}

super::shard::placement!(Args);

/// Runs the command, or merges shards of it (`merged`).
fn run_with(mut a: Args, merged: Option<&Merged>) -> Result<(), Failure> {
    let (text, shown) = scenario_text(a.scenario.as_deref())?;
    let mut s = a.unstable.scenario(&text, &shown)?;
    if let Some(r) = a.sim.replications {
        s.simulation.replications = r;
    }
    if let Some(seed) = a.sim.seed {
        s.simulation.seed = seed;
    }
    let shard = a.shard.get()?;
    let out_dir = a.sim.out_dir(|| {
        super::shard::default_folder(shard, PathBuf::from("out").join(folder_name(&s.name)))
    })?;

    for (flag, on) in [("--tickets", a.tickets), ("--calls", a.calls)] {
        if on && a.precision.is_some() {
            return Err(Failure::Input(format!(
                "{flag} and --precision cannot be combined\n  help: run with --precision first, then with --replications N {flag}"
            )));
        }
    }
    if shard.is_some() && a.precision.is_some() {
        return Err(Failure::Input(super::shard::PRECISION.into()));
    }
    if let Some(shard) = shard {
        let fingerprint = super::shard::fingerprint_of("run", &mut a, &s);
        return run_shard(&a, &s, (&shown, &text), shard, &out_dir, fingerprint);
    }
    if let Some(m) = merged {
        m.check(&super::shard::fingerprint_of("run", &mut a, &s))?;
    }
    let mut dir = open_out(&out_dir)?;
    let bar = progress_bar(
        u64::from(s.simulation.replications),
        &s.name,
        a.sim.quiet || merged.is_some(),
    );
    // replications.csv is streamed to a part file, in the staging folder, as the replications
    // are folded.
    let cannot_write = |what: &str, e: std::io::Error| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write {what} in {}: {e}",
            out_dir.display()
        ))
    };
    let mut rows = ReplicationsFile::create(&dir.part_path("replications.csv", 0))
        .map_err(|e| cannot_write("replications.csv", e))?;
    let each = |rep: &rappel::stats::ReplicationResult| rows.write(&s.name, rep);
    let (result, report, parts) = if let Some(m) = merged {
        let mut result = RunResult::replay(&s, m.replications(), each)?;
        result.wall_time_s = m.wall_time_s();
        (result, None, None)
    } else {
        a.threads.run(|threads| -> Result<_, Failure> {
            Ok(if let Some(target) = a.precision {
                let (result, r) = run_to_precision(
                    &s,
                    threads,
                    |_| {
                        if bar.position() + 1 >= bar.length().unwrap_or(0) {
                            bar.inc_length(1);
                        }
                        bar.inc(1);
                    },
                    target,
                    &a.precision_metrics,
                    a.max_replications,
                    each,
                );
                (result, Some(r), None)
            } else if a.tickets || a.calls {
                let logs = Logs {
                    tickets: a.tickets,
                    calls: a.calls,
                };
                let (result, tickets, calls) = run_scenario_with_logs(
                    &s,
                    threads,
                    |_| bar.inc(1),
                    logs,
                    |name, r| dir.part_path(name, r),
                    each,
                )
                .map_err(|e| cannot_write(log_names(logs), e))?;
                (result, None, Some((tickets, calls)))
            } else {
                (
                    run_scenario_each(&s, threads, |_| bar.inc(1), each),
                    None,
                    None,
                )
            })
        })??
    };
    let replications = rows
        .finish()
        .map_err(|e| cannot_write("replications.csv", e))?;
    if let Some((tickets, calls)) = parts {
        if a.tickets {
            dir.add_parts("tickets.csv", ticket_header(&s), tickets);
        }
        if a.calls {
            dir.add_parts("calls.csv", call_header(), calls);
        }
    }
    if let Some(m) = merged {
        if a.tickets {
            dir.add_copies(
                "tickets.csv",
                ticket_header(&s),
                m.part_files("tickets.csv")?,
            );
        }
        if a.calls {
            dir.add_copies("calls.csv", call_header(), m.part_files("calls.csv")?);
        }
    }
    bar.finish_and_clear();
    if a.report {
        dir.add(
            "report.html",
            rappel::report::run_report(&result).into_bytes(),
        );
    }
    write_run_files(
        &mut dir,
        &result,
        replications,
        &shown,
        &text,
        report.as_ref(),
    )
    .map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write intervals.csv in {}: {e}",
            out_dir.display()
        ))
    })?;
    let written = dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })?;

    match a.format {
        Format::Json => print_out(&(summary_json(&result) + "\n"))?,
        Format::Table => {
            let width = terminal_width();
            let full = run_text(&result, width, a.compact);
            if !a.compact && too_tall(&full) {
                print_out(&run_text(&result, width, true))?;
            } else {
                print_out(&full)?;
            }
        }
    }
    if let Some(r) = &report {
        super::print_err(&precision_line(r, result.replications()));
    }
    // Shown even with --quiet: a figure that would mislead is not noise.
    for w in result.warnings() {
        super::print_err(&format!("warning: {w}"));
    }
    if !a.sim.quiet {
        super::print_err(&format!(
            "wrote {} files to {}",
            written.len(),
            out_dir.display()
        ));
    }
    Ok(())
}

/// The files a run's logs write, for messages: `tickets.csv`, `calls.csv` or both.
fn log_names(logs: Logs) -> &'static str {
    match (logs.tickets, logs.calls) {
        (true, true) => "tickets.csv and calls.csv",
        (true, false) => "tickets.csv",
        _ => "calls.csv",
    }
}

/// Whether `text` is taller than the terminal standard output is: never on a pipe or a
/// file, so what is piped or tested is always the full view.
pub fn too_tall(text: &str) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return false;
    }
    console::Term::stdout()
        .size_checked()
        .is_some_and(|(rows, _)| text.lines().count() > usize::from(rows))
}

/// Simulates shard `shard`'s block of the replications of `s` and writes its partial
/// folder `out` (with the block's tickets, with --tickets).
fn run_shard(
    a: &Args,
    s: &Scenario,
    (shown, text): (&str, &str),
    shard: Shard,
    out: &std::path::Path,
    fingerprint: String,
) -> Result<(), Failure> {
    let work = Work {
        command: "run",
        scenarios: vec![(shown, text)],
        seed: s.simulation.seed,
        replications: s.simulation.replications,
        units: u64::from(s.simulation.replications),
        fingerprint,
        unit_name: "replications",
    };
    let mut partial = Partial::open(out, work, shard, a.sim.quiet)?;
    let block = partial.block();
    let range = block.start as u32..block.end as u32;
    let bar = progress_bar(block.end - block.start, &s.name, a.sim.quiet);
    if a.tickets || a.calls {
        let logs = Logs {
            tickets: a.tickets,
            calls: a.calls,
        };
        let paths = |name: &str| -> Vec<PathBuf> {
            range.clone().map(|r| partial.part_path(name, r)).collect()
        };
        let (ticket_paths, call_paths) = (paths("tickets.csv"), paths("calls.csv"));
        let first = range.start;
        let (_, tickets, calls) = a
            .threads
            .run(|threads| {
                run_range_with_logs(
                    s,
                    range,
                    threads,
                    |_| bar.inc(1),
                    logs,
                    |name, r| {
                        let k = (r - first) as usize;
                        if name == "calls.csv" {
                            call_paths[k].clone()
                        } else {
                            ticket_paths[k].clone()
                        }
                    },
                    |rep| partial.record(u64::from(rep.replication), std::slice::from_ref(rep)),
                )
            })?
            .map_err(|e| {
                Failure::Runtime(anyhow::anyhow!(
                    "cannot write {} in {}: {e}",
                    log_names(logs),
                    out.display()
                ))
            })?;
        if a.tickets {
            partial.add_parts("tickets.csv", tickets);
        }
        if a.calls {
            partial.add_parts("calls.csv", calls);
        }
    } else {
        a.threads.run(|threads| {
            simulate_each(
                std::slice::from_ref(s),
                range,
                threads,
                |_| bar.inc(1),
                |r, reps| partial.record(u64::from(r), &reps),
            )
        })?;
    }
    bar.finish_and_clear();
    partial.commit()
}
