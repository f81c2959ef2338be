//! `rappel compare`: runs scenarios on the same customers and compares every metric.

use super::flags::{SimFlags, Threads, Unstable, Wording, open_out};
use super::merge::Merged;
use super::shard::{Partial, Shard, ShardFlags, Work};
use super::{Failure, folder_name, print_err, print_out, progress_bar, read_text, terminal_width};
use rappel::compare::{distinct_names, rows};
use rappel::factorial::{EffectsFold, design, effects};
use rappel::output::{compare_json, compare_text_with, write_compare_files};
use rappel::run::{RunResult, replay_compared, run_compared_each, simulate_each};
use rappel::scenario::Scenario;
use std::path::PathBuf;

/// How `rappel compare` words the shared flags.
#[derive(Debug)]
pub struct CompareWording;

impl Wording for CompareWording {
    const REPLICATIONS: &'static str = "Replications of every scenario (default: the baseline's)";
    const SEED: &'static str =
        "Seed of every scenario (default: the baseline's), so they see the same customers";
    const OUT: &'static str =
        "Folder for compare.csv and compare.json [default: out/compare-<baseline>-vs-<other>]";
    // A comparison's intervals need two replications.
    const MIN_REPLICATIONS: i64 = 2;
}

/// Arguments of `rappel compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two or more scenario files (TOML); the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimFlags<CompareWording>,
    /// Also write report.html: one self-contained page with the table and overlaid charts.
    #[arg(long)]
    report: bool,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = super::run::Format::Table)]
    format: super::run::Format,
    /// Print only the table of key figures and the verdict, without the histograms;
    /// chosen by itself when the terminal is shorter than the full view.
    #[arg(long)]
    compact: bool,
    /// Declares a factor of a 2×2 design, one level per scenario in command-line order
    /// (e.g. --factor flow=later,now,later,now); overrides the files' [factors] of that
    /// name. With two factors of two levels and each cell once, the main effects and the
    /// interaction are reported (effects.csv).
    #[arg(long = "factor", value_name = "NAME=LEVEL,...")]
    factors: Vec<String>,
    #[command(flatten)]
    unstable: Unstable,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    shard: ShardFlags,
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    run_with(a, None)
}

/// `rappel merge` of shards of `rappel compare`: the command the shards ran, its
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
    let mut texts = Vec::new();
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for p in &a.scenarios {
        let text = read_text(p)?;
        match a.unstable.scenario(&text, &p.display().to_string()) {
            Ok(s) => scenarios.push(s),
            Err(e) => problems.extend(e.0),
        }
        texts.push(text);
    }
    if !problems.is_empty() {
        return Err(Failure::Scenario(rappel::scenario::ScenarioErrors(
            problems,
        )));
    }
    // The 2×2 design, declared in the files or by --factor: checked before anything runs.
    let files: Vec<String> = a
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let declared: Vec<Vec<(String, String)>> =
        scenarios.iter().map(|s| s.factors.clone()).collect();
    let design = design(&files, &declared, &a.factors).map_err(Failure::Input)?;
    if design.is_none() && !a.sim.quiet && declared.iter().any(|d| !d.is_empty()) {
        print_err(&format!(
            "note: the scenarios declare [factors], but {} scenarios are not a 2×2 design (four \
             cells): compared without effects",
            declared.len()
        ));
    }
    // Common random numbers: every scenario runs with the same seed and replications.
    let seed = a.sim.seed.unwrap_or(scenarios[0].simulation.seed);
    let replications = a
        .sim
        .replications
        .unwrap_or(scenarios[0].simulation.replications);
    if replications < 2 {
        return Err(Failure::Input(
            "a comparison needs at least 2 replications for its intervals\n  help: add --replications 10"
                .into(),
        ));
    }
    for s in &mut scenarios {
        if !a.sim.quiet && (s.simulation.seed != seed || s.simulation.replications != replications)
        {
            print_err(&format!(
                "note: {} runs with seed {seed} and {replications} replications, as every scenario \
                 of the comparison does, so that replication r of each draws the same random numbers",
                s.name
            ));
        }
        s.simulation.seed = seed;
        s.simulation.replications = replications;
    }
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    let shard = a.shard.get()?;
    let out_dir = a.sim.out_dir(|| {
        super::shard::default_folder(
            shard,
            PathBuf::from("out").join(folder_name(&format!("compare-{}", names.join("-vs-")))),
        )
    })?;
    if let Some(shard) = shard {
        let fingerprint = super::shard::fingerprint_of("compare", &mut a, &scenarios);
        return compare_shard(&a, &scenarios, &texts, shard, &out_dir, fingerprint);
    }
    if let Some(m) = merged {
        m.check(&super::shard::fingerprint_of("compare", &mut a, &scenarios))?;
    }

    let mut dir = open_out(&out_dir)?;
    let total = u64::from(replications) * scenarios.len() as u64;
    let bar = progress_bar(total, "compare", a.sim.quiet || merged.is_some());
    let mut fold = design.as_ref().map(EffectsFold::new);
    let each = |reps: &[rappel::stats::ReplicationResult]| {
        if let Some(f) = fold.as_mut() {
            f.fold(reps);
        }
    };
    let runs: Vec<RunResult> = match merged {
        Some(m) => {
            let mut runs = replay_compared(&scenarios, m.compared(scenarios.len()), each)?;
            let wall = m.wall_time_s() / scenarios.len() as f64;
            for r in &mut runs {
                r.wall_time_s = wall;
            }
            runs
        }
        None => a
            .threads
            .run(|threads| run_compared_each(&scenarios, threads, |_| bar.inc(1), each))?,
    };
    bar.finish_and_clear();

    let names = distinct_names(&runs);
    let rows = rows(&runs, &names);
    let effects = design
        .as_ref()
        .zip(fold.as_ref())
        .map(|(d, f)| effects(d, &runs, f));
    let effects = effects.as_ref();
    let paths: Vec<String> = a
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if a.report {
        dir.add(
            "report.html",
            rappel::report::compare_report(&runs, &names, &rows, effects).into_bytes(),
        );
    }
    write_compare_files(&mut dir, &runs, &names, &rows, effects, &paths, &texts);
    let written = dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })?;

    match a.format {
        super::run::Format::Json => {
            print_out(&(compare_json(&runs, &names, &rows, effects) + "\n"))?
        }
        super::run::Format::Table => {
            let width = terminal_width();
            let paint: rappel::output::Paint = &super::style::difference;
            let full = compare_text_with(&runs, &names, &rows, effects, width, a.compact, paint);
            if !a.compact && super::run::too_tall(&full) {
                print_out(&compare_text_with(
                    &runs, &names, &rows, effects, width, true, paint,
                ))?;
            } else {
                print_out(&full)?;
            }
        }
    }
    // Printed even with --quiet, like every warning: they change how the table reads.
    for w in rappel::compare::warnings(&runs, &names) {
        print_err(&format!("warning: {w}"));
    }
    if !a.sim.quiet {
        print_err(&format!(
            "wrote {} files to {}",
            written.len(),
            out_dir.display()
        ));
    }
    Ok(())
}

/// Simulates shard `shard`'s block of the replications of every scenario compared and
/// writes its partial folder `out`.
fn compare_shard(
    a: &Args,
    scenarios: &[Scenario],
    texts: &[String],
    shard: Shard,
    out: &std::path::Path,
    fingerprint: String,
) -> Result<(), Failure> {
    let paths: Vec<String> = a
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let first = &scenarios[0].simulation;
    let work = Work {
        command: "compare",
        scenarios: paths
            .iter()
            .zip(texts)
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect(),
        seed: first.seed,
        replications: first.replications,
        units: u64::from(first.replications),
        fingerprint,
        unit_name: "replications",
    };
    let mut partial = Partial::open(out, work, shard, a.sim.quiet)?;
    let block = partial.block();
    let bar = progress_bar(
        (block.end - block.start) * scenarios.len() as u64,
        "compare",
        a.sim.quiet,
    );
    a.threads.run(|threads| {
        simulate_each(
            scenarios,
            block.start as u32..block.end as u32,
            threads,
            |_| bar.inc(1),
            |r, reps| partial.record(u64::from(r), &reps),
        )
    })?;
    bar.finish_and_clear();
    partial.commit()
}
