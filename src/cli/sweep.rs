//! `rappel sweep`: runs a scenario over a grid of key values and writes sweep.csv.

use super::flags::{SimFlags, Threads, Wording, open_out};
use super::merge::Merged;
use super::shard::{Partial, Shard, ShardFlags, Work};
use super::{Failure, folder_name, print_out, progress_bar, read_text, terminal_width};
use rappel::output::sweep_table;
use rappel::run::{RunResult, simulate_each};
use rappel::sweep::{
    Axis, Sweep, SweepError, SweepResult, sweep_csv, sweep_json, sweep_stdout_json,
};
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
    #[command(flatten)]
    shard: ShardFlags,
}

fn failure(e: SweepError) -> Failure {
    match e {
        SweepError::Scenario(errors) => Failure::Scenario(errors),
        other => Failure::Input(other.to_string()),
    }
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    run_with(a, None)
}

/// `rappel merge` of shards of `rappel sweep`: the command the shards ran, its
/// simulation replaced by their replications.
pub(super) fn merged(mut a: Args, m: &Merged) -> Result<(), Failure> {
    a.sim.out = Some(m.out().to_path_buf());
    a.sim.quiet = m.quiet();
    a.shard = ShardFlags::default();
    run_with(a, Some(m))
}

super::shard::placement!(Args);

/// Runs the command, or merges shards of it (`merged`).
fn run_with(mut a: Args, merged: Option<&Merged>) -> Result<(), Failure> {
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
    let shard = a.shard.get()?;
    let out_dir = a.sim.out_dir(|| {
        super::shard::default_folder(
            shard,
            PathBuf::from("out").join(format!("{}-sweep", folder_name(&name))),
        )
    })?;
    if let Some(shard) = shard {
        let fingerprint = super::shard::fingerprint_of("sweep", &mut a, &sweep);
        return sweep_shard(&a, &sweep, (&shown, &text), shard, &out_dir, fingerprint);
    }
    if let Some(m) = merged {
        m.check(&super::shard::fingerprint_of("sweep", &mut a, &sweep))?;
    }

    let mut dir = open_out(&out_dir)?;
    let bar = progress_bar(sweep.replications(), &name, a.sim.quiet || merged.is_some());
    let result = match merged {
        Some(m) => replay(&sweep, m)?,
        None => a.threads.run(|threads| {
            sweep.run(
                threads,
                |i| bar.set_message(rappel::sweep::label(&sweep.axes, &sweep.points[i].values)),
                |_| bar.inc(1),
            )
        })?,
    };
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

/// The sweep's results from the shards' replications: each point's, in grid order.
fn replay(sweep: &Sweep, m: &Merged) -> Result<SweepResult, Failure> {
    let mut reps = m.replications();
    let mut points = Vec::with_capacity(sweep.points.len());
    for p in &sweep.points {
        let n = p.scenario.simulation.replications;
        let mine = reps.by_ref().take(n as usize).enumerate().map(|(r, rep)| {
            rep.and_then(|rep| {
                if rep.replication as usize == r {
                    Ok(rep)
                } else {
                    Err(Failure::Input(format!(
                        "a shard holds replication {} where {r} was expected",
                        rep.replication
                    )))
                }
            })
        });
        points.push((
            p.values.clone(),
            RunResult::replay(&p.scenario, mine, |_| {})?,
        ));
    }
    Ok(SweepResult {
        axes: sweep.axes.clone(),
        points,
        wall_time_s: m.wall_time_s(),
    })
}

/// Simulates shard `shard`'s block of the sweep's work (its points' replications, point
/// after point) and writes its partial folder `out`.
fn sweep_shard(
    a: &Args,
    sweep: &Sweep,
    (shown, text): (&str, &str),
    shard: Shard,
    out: &std::path::Path,
    fingerprint: String,
) -> Result<(), Failure> {
    let first = &sweep.points[0].scenario.simulation;
    let work = Work {
        command: "sweep",
        scenarios: vec![(shown, text)],
        seed: first.seed,
        replications: first.replications,
        units: sweep.replications(),
        fingerprint,
        unit_name: "replications of the grid",
    };
    let mut partial = Partial::open(out, work, shard, a.sim.quiet)?;
    let block = partial.block();
    let name = &sweep.points[0].scenario.name;
    let bar = progress_bar(block.end - block.start, name, a.sim.quiet);
    a.threads.run(|threads| {
        let mut offset = 0u64;
        for p in &sweep.points {
            let n = u64::from(p.scenario.simulation.replications);
            let (from, to) = (block.start.max(offset), block.end.min(offset + n));
            if from < to {
                bar.set_message(rappel::sweep::label(&sweep.axes, &p.values));
                let at = offset;
                simulate_each(
                    std::slice::from_ref(&p.scenario),
                    (from - at) as u32..(to - at) as u32,
                    threads,
                    |_| bar.inc(1),
                    |r, reps| partial.record(at + u64::from(r), &reps),
                );
            }
            offset += n;
        }
    })?;
    bar.finish_and_clear();
    partial.commit()
}
