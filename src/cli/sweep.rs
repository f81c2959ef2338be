//! `rappel sweep`: runs a scenario over a grid of key values and writes sweep.csv.

use super::flags::{SimFlags, Threads, Wording, open_out};
use super::{Failure, folder_name, print_out, progress_bar, read_text, terminal_width};
use rappel::output::sweep_table;
use rappel::sweep::{Axis, Sweep, SweepError, sweep_csv, sweep_json, sweep_stdout_json};
use std::path::PathBuf;

/// How `rappel sweep` words the shared flags.
#[derive(Debug)]
pub struct SweepWording;

impl Wording for SweepWording {
    const REPLICATIONS: &'static str =
        "Number of replications of every point (overrides `simulation.replications`)";
    const SEED: &'static str =
        "Seed of every point (overrides `simulation.seed`): every point sees the same customers";
    const OUT: &'static str =
        "Folder for sweep.csv and sweep.json [default: out/<scenario name>-sweep]";
}

/// Arguments of `rappel sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// A key of the scenario and its values: KEY=V1,V2,... or KEY=START..END[:STEP]; a
    /// list is one value ([1.0,1.2]); KEY+=V adds V to the file's value (every interval of
    /// a list). Repeat for a grid (the first key varies slowest). Keys are dotted paths:
    /// `entry.max_queue`, `teams.NAME.agents` or `teams.0.agents`.
    #[arg(long = "set", value_name = "KEY=VALUES", required = true)]
    set: Vec<String>,
    #[command(flatten)]
    sim: SimFlags<SweepWording>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = super::run::Format::Table)]
    format: super::run::Format,
    #[command(flatten)]
    threads: Threads,
}

fn failure(e: SweepError) -> Failure {
    match e {
        SweepError::Scenario(errors) => Failure::Scenario(errors),
        other => Failure::Input(other.to_string()),
    }
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let shown = a.scenario.display().to_string();
    let text = read_text(&a.scenario)?;
    let axes = a
        .set
        .iter()
        .map(|s| Axis::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(failure)?;
    let sweep = Sweep::new(&text, &shown, axes, a.sim.seed, a.sim.replications).map_err(failure)?;
    let name = sweep.points[0].scenario.name.clone();
    let out_dir = a
        .sim
        .out_dir(|| PathBuf::from("out").join(format!("{}-sweep", folder_name(&name))))?;

    let mut dir = open_out(&out_dir)?;
    let bar = progress_bar(sweep.replications(), &name, a.sim.quiet);
    let result = a.threads.run(|threads| {
        sweep.run(
            threads,
            |i| bar.set_message(rappel::sweep::label(&sweep.axes, &sweep.points[i].values)),
            |_| bar.inc(1),
        )
    })?;
    bar.finish_and_clear();

    dir.add("sweep.csv", sweep_csv(&result));
    dir.add("sweep.json", sweep_json(&result, &shown, &text));
    let written = dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })?;

    match a.format {
        super::run::Format::Table => {
            print_out(&format!("{}\n", sweep_table(&result, terminal_width())))?
        }
        super::run::Format::Json => print_out(&(sweep_stdout_json(&result) + "\n"))?,
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
