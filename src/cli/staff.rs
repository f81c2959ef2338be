//! `rappel staff`: finds the fewest agents per interval that meet targets.

use super::flags::{SimFlags, Threads, Wording, open_out};
use super::{Failure, folder_name, print_err, print_out, read_text, search_bar, terminal_width};
use rappel::output::staff_report;
use rappel::scenario::Scenario;
use rappel::staff::{
    Search, StaffError, Target, plan_roster, staff_json, staffing_csv, staffing_toml,
};
use std::path::PathBuf;

/// How `rappel staff` words the shared flags.
#[derive(Debug)]
pub struct StaffWording;

impl Wording for StaffWording {
    const REPLICATIONS: &'static str =
        "Replications of every simulation of the search [default: the scenario's, at least 200]";
    const SEED: &'static str = "Seed of every simulation of the search (overrides `simulation.seed`); the confirmation run uses the seed plus one";
    const OUT: &'static str = "Folder for staffing.csv, staffing.toml and staff.json [default: out/<scenario name>-staff]";
}

/// Arguments of `rappel staff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// A target, KEY=VALUE; repeat for several. Per interval of the open day, on every
    /// day of the run: accessibility=0.8 (answered within the threshold or called back in
    /// time, of every call offered; at least), service_level=0.8 (of the settled calls, callers
    /// turned away left out; at least), abandon_rate=0.05 (at most), asa_s=30 (mean wait,
    /// seconds, at most), csat_mean=4.0 (at least); for the whole run: nps=20 (at least);
    /// for a back office (a team that receives transfers or agent callbacks): hold_p90=1h
    /// (the team's p90 hold after a transfer, over the run; at most) and backlog_day_end=0
    /// (work waiting for the team at each day end, on every day; at most)
    /// [default: accessibility=0.8].
    #[arg(long = "target", value_name = "KEY=VALUE")]
    target: Vec<String>,
    /// The team whose staffing is searched [default: the scenario's only team].
    #[arg(long)]
    team: Option<String>,
    #[command(flatten)]
    sim: SimFlags<StaffWording>,
    #[command(flatten)]
    threads: Threads,
    /// The most agents of any interval [default: 10 × the interval's starting staffing, at
    /// least 10]; an interval that misses its target there cannot meet it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_agents: Option<u32>,
    /// What to print on standard output (JSON: what staff.json holds, the staffing found
    /// and each interval's figures included).
    #[arg(long, value_enum, default_value_t = super::run::Format::Table)]
    format: super::run::Format,
}

fn failure(e: StaffError) -> Failure {
    Failure::Input(e.to_string())
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    // Every argument is checked before the scenario runs, so bad input writes nothing.
    let mut targets = a
        .target
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(failure)?;
    if targets.is_empty() {
        targets.push(Target::DEFAULT);
    }
    let shown = a.scenario.display().to_string();
    let text = read_text(&a.scenario)?;
    let scenario = Scenario::from_toml(&text, &shown)?;
    let search = Search::new(
        scenario,
        a.team.as_deref(),
        targets,
        a.sim.replications,
        a.sim.seed,
        a.max_agents,
    )
    .map_err(failure)?;
    let name = search.scenario.name.clone();
    let out_dir = a
        .sim
        .out_dir(|| PathBuf::from("out").join(format!("{}-staff", folder_name(&name))))?;

    let mut dir = open_out(&out_dir)?;
    // One spinner for the whole search: how many passes it takes is not known beforehand.
    let bar = search_bar(&name, a.sim.quiet);
    let mut result = a.threads.run(|threads| {
        search.run(
            threads,
            |pass, what| bar.set_message(format!("{pass}: {what}")),
            |_| bar.inc(1),
        )
    })?;
    if result.search.roster.is_some() {
        bar.set_message("the roster: confirming by simulation");
        let plan = a
            .threads
            .run(|threads| plan_roster(&result, threads, &|_| bar.inc(1)))?
            .map_err(failure)?;
        result.events += plan.events;
        result.roster = Some(plan);
    }
    bar.finish_and_clear();

    dir.add("staffing.csv", staffing_csv(&result));
    dir.add("staffing.toml", staffing_toml(&result, &shown));
    let json = staff_json(&result, &shown, &text);
    dir.add("staff.json", json.clone());
    let written = dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })?;

    match a.format {
        super::run::Format::Table => print_out(&staff_report(&result, terminal_width()))?,
        super::run::Format::Json => print_out(&String::from_utf8_lossy(&json))?,
    }
    if !a.sim.quiet {
        print_err(&format!(
            "wrote {} files to {} ({} simulations of {} replications, {:.1} s)",
            written.len(),
            out_dir.display(),
            result.passes + 1,
            result.search.replications(),
            result.wall_time_s
        ));
    }
    Ok(())
}
