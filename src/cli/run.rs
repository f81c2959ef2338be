//! `rappel run`: runs a scenario and writes its files.

use super::flags::{SimFlags, Threads, Unstable, Wording, open_out};
use super::{Failure, folder_name, print_out, progress_bar, scenario_text, terminal_width};
use clap::ValueEnum;
use rappel::output::{
    ReplicationsFile, precision_line, run_text, summary_json, ticket_header, write_run_files,
};
use rappel::run::{run_scenario_each, run_scenario_with_tickets, run_to_precision};
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
    let (text, shown) = scenario_text(a.scenario.as_deref())?;
    let mut s = a.unstable.scenario(&text, &shown)?;
    if let Some(r) = a.sim.replications {
        s.simulation.replications = r;
    }
    if let Some(seed) = a.sim.seed {
        s.simulation.seed = seed;
    }
    let out_dir = a
        .sim
        .out_dir(|| PathBuf::from("out").join(folder_name(&s.name)))?;

    if a.tickets && a.precision.is_some() {
        return Err(Failure::Input(
            "--tickets and --precision cannot be combined\n  help: run with --precision first, then with --replications N --tickets".into(),
        ));
    }
    let mut dir = open_out(&out_dir)?;
    let bar = progress_bar(u64::from(s.simulation.replications), &s.name, a.sim.quiet);
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
    let (result, report, parts) = a.threads.run(|threads| -> Result<_, Failure> {
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
        } else if a.tickets {
            let (result, parts) = run_scenario_with_tickets(
                &s,
                threads,
                |_| bar.inc(1),
                |r| dir.part_path("tickets.csv", r),
                each,
            )
            .map_err(|e| cannot_write("tickets.csv", e))?;
            (result, None, Some(parts))
        } else {
            (
                run_scenario_each(&s, threads, |_| bar.inc(1), each),
                None,
                None,
            )
        })
    })??;
    let replications = rows
        .finish()
        .map_err(|e| cannot_write("replications.csv", e))?;
    if let Some(parts) = parts {
        dir.add_parts("tickets.csv", ticket_header(&s), parts);
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
