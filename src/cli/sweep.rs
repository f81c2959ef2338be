//! `rappel sweep`: runs a scenario over a grid of key values and writes sweep.csv.

use super::flags::{SimFlags, Threads, Wording};
use super::{Failure, folder_name, print_out, progress_bar};
use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
    presets::UTF8_FULL_CONDENSED,
};
use rappel::output::{AtomicDir, headline};
use rappel::stats::{Estimate, Metric};
use rappel::sweep::{Axis, Sweep, SweepError, SweepResult, sweep_csv, sweep_json, value_text};
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
    /// A key of the scenario and its values: KEY=V1,V2,... or KEY=START..END[:STEP].
    /// Repeat for a grid (the first key varies slowest). Keys are dotted paths:
    /// `entry.max_queue`, `teams.NAME.agents` or `teams.0.agents`.
    #[arg(long = "set", value_name = "KEY=VALUES", required = true)]
    set: Vec<String>,
    #[command(flatten)]
    sim: SimFlags<SweepWording>,
    #[command(flatten)]
    threads: Threads,
}

/// The metrics shown in the terminal, when a point's headline shows them.
const COLUMNS: [Metric; 5] = [
    Metric::ServiceLevel,
    Metric::AbandonRate,
    Metric::RejectedRate,
    Metric::CsatMean,
    Metric::CostPerTicket,
];

fn failure(e: SweepError) -> Failure {
    match e {
        SweepError::Scenario(errors) => Failure::Scenario(errors),
        other => Failure::Input(other.to_string()),
    }
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let shown = a.scenario.display().to_string();
    let text = std::fs::read_to_string(&a.scenario).map_err(|e| {
        Failure::Input(format!(
            "cannot read the scenario file {shown}: {e}\n  help: check the path"
        ))
    })?;
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

    let bar = progress_bar(sweep.replications(), &name, a.sim.quiet);
    let threads = a.threads.get();
    let result = sweep.run(
        threads,
        |i| bar.set_message(rappel::sweep::label(&sweep.axes, &sweep.points[i].values)),
        |_| bar.inc(1),
    );
    bar.finish_and_clear();

    let mut dir = AtomicDir::new(&out_dir);
    dir.add("sweep.csv", sweep_csv(&result));
    dir.add("sweep.json", sweep_json(&result, &shown, &text));
    let written = dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })?;

    let width = console::Term::stdout()
        .size_checked()
        .map_or(100, |(_, w)| w.clamp(40, 200));
    print_out(&format!("{}\n", table(&result, width)))?;
    if !a.sim.quiet {
        super::print_err(&format!(
            "wrote {} files to {}",
            written.len(),
            out_dir.display()
        ));
    }
    Ok(())
}

/// A column's header: the metric's label, with `%` for shares.
fn header(m: Metric) -> String {
    if m.unit() == "share" {
        format!("{} (%)", m.label())
    } else {
        m.label().to_string()
    }
}

/// A value with its interval's half-width; shares in percent.
fn cell(m: Metric, e: &Estimate) -> String {
    if e.mean.is_nan() {
        return "–".into();
    }
    let (scale, decimals) = if m.unit() == "share" {
        (100.0, 1)
    } else {
        (1.0, 2)
    };
    let hw = e.half_width();
    if hw.is_nan() {
        format!("{:.decimals$}", e.mean * scale)
    } else {
        format!("{:.decimals$} ± {:.decimals$}", e.mean * scale, hw * scale)
    }
}

/// Splits a key path into lines of at most `width` characters, breaking after dots.
fn wrap_key(key: &str, width: usize) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    let parts: Vec<&str> = key.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let piece = if i + 1 < parts.len() {
            format!("{part}.")
        } else {
            part.to_string()
        };
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + piece.chars().count() > width {
            lines.push(piece);
        } else {
            line.push_str(&piece);
        }
    }
    lines.join("\n")
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A column of the terminal table: header, cells, and the narrowest width that breaks no value.
type Column = (String, Vec<String>, usize);

/// The columns that fit in `width`: the swept keys (their headers broken after dots when
/// `wrap` is set), then the headline metrics in order; also how many metrics were left out.
fn layout(r: &SweepResult, width: u16, wrap: bool) -> (Vec<Column>, usize) {
    let mut columns: Vec<Column> = r
        .axes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cells: Vec<String> = r.points.iter().map(|(v, _)| value_text(&v[i])).collect();
            let head = if wrap {
                a.key.split('.').map(|p| chars(p) + 1).max().unwrap_or(1)
            } else {
                chars(&a.key)
            };
            let w = cells.iter().map(|c| chars(c)).max().unwrap_or(1).max(head);
            (wrap_key(&a.key, w), cells, w)
        })
        .collect();
    let total = |cols: &[Column]| 1 + cols.iter().map(|c| c.2 + 3).sum::<usize>();
    let mut left_out = 0;
    for m in COLUMNS {
        if !r
            .points
            .iter()
            .any(|(_, run)| headline(&run.scenario).contains(&m))
        {
            continue;
        }
        let head = header(m);
        let cells: Vec<String> = r
            .points
            .iter()
            .map(|(_, run)| cell(m, &run.estimate(m)))
            .collect();
        let w = cells
            .iter()
            .map(|c| chars(c))
            .chain(head.split(' ').map(chars))
            .max()
            .unwrap_or(1);
        columns.push((head, cells, w));
        if columns.len() > r.axes.len() + 1 && total(&columns) > usize::from(width) {
            columns.pop();
            left_out += 1;
        }
    }
    (columns, left_out)
}

/// One row per point: the swept values, then as many headline metrics (with their
/// intervals) as fit in `width` columns without breaking a value.
fn table(r: &SweepResult, width: u16) -> String {
    let (columns, left_out) = match layout(r, width, false) {
        (c, 0) => (c, 0),
        _ => layout(r, width, true),
    };
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(columns.iter().map(|c| c.0.clone()));
    for (i, c) in columns.iter().enumerate() {
        if let Some(col) = t.column_mut(i) {
            let w = u16::try_from(c.2 + 2).unwrap_or(u16::MAX);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
        }
    }
    for row in 0..r.points.len() {
        t.add_row(
            columns
                .iter()
                .map(|c| Cell::new(&c.1[row]).set_alignment(CellAlignment::Right)),
        );
    }
    let first = &r.points[0].1.scenario;
    let more = if left_out > 0 {
        format!("\n({left_out} more columns in sweep.csv; a wider terminal shows them)")
    } else {
        String::new()
    };
    format!(
        "{}: {} point{} × {} replications, seed {} (mean ± half-width of the 95 % interval)\n{t}{more}",
        first.name,
        r.points.len(),
        if r.points.len() == 1 { "" } else { "s" },
        first.simulation.replications,
        first.simulation.seed
    )
}
