//! `rappel fit`: learns a scenario from a per-call log, back-tests it, and writes the
//! scenario, its forecast, the estimates, the back-test and the fit report, all or none.

use super::flags::open_out;
use super::{Failure, folder_name, print_err, print_out};
use rappel::fit::{FitOptions, StaffingRule, back_test, fit};
use rappel::output::AtomicDir;
use rappel::output::fit::{backtest_csv, estimates_csv, fit_text, staffing_csv, type_mix_csv};
use rappel::scenario::{Options, Scenario, parse_duration};
use std::path::{Path, PathBuf};

/// Arguments of `rappel fit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The per-call log (CSV): the Anonymous Bank format, or rappel's calls.csv columns.
    log: PathBuf,
    /// Folder for the output files [default: out/<log name>-fit]
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
    /// The fitted scenario's name [default: the log's file name]
    #[arg(long)]
    name: Option<String>,
    /// Length of an interval of the day (it must divide 24 h).
    #[arg(long, value_parser = interval, default_value = "30m")]
    interval: f64,
    /// The weekday of the log's first day, for a log without dates (calls.csv): mon … sun.
    #[arg(long, value_parser = weekday, default_value = "mon")]
    start_day: usize,
    /// The service-level threshold of the scenario and the back-test.
    #[arg(long, value_parser = duration, default_value = "20s")]
    service_level_threshold: f64,
    /// Replications of the back-test (and of the fitted scenario).
    #[arg(long, short = 'r', default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=1000))]
    replications: u32,
    /// Seed of the fitted scenario.
    #[arg(long, short = 's', default_value_t = 1)]
    seed: u64,
    /// Staff the scenario with the agents who took calls in each interval instead of
    /// those available to the queue (to see why the default differs).
    #[arg(long)]
    staffing_seen: bool,
    /// A log in another layout: which of its columns holds each of calls.csv's, e.g.
    /// `--map arrival_s=start,date=day,wait_s=queue_s,outcome=result,handle_s=talk`
    /// (arrival_s, date, wait_s, exit, outcome, handle_s, type, agent, team, ticket,
    /// replication; docs/fit.md).
    #[arg(long, value_delimiter = ',', value_parser = mapped)]
    map: Vec<(String, String)>,
    /// With --map: the outcome values of answered calls, comma-separated.
    #[arg(long, value_delimiter = ',')]
    answered: Vec<String>,
    /// With --map: the outcome values of calls abandoned in the queue, comma-separated.
    #[arg(long, value_delimiter = ',')]
    abandoned: Vec<String>,
    /// Mean handle time, for a volumes file (which has none) [default: 5m, a placeholder].
    #[arg(long, value_parser = duration)]
    handle_time: Option<f64>,
    /// Mean patience (exponential), for a volumes file (which has none).
    #[arg(long, value_parser = duration)]
    patience: Option<f64>,
    /// Skip the back-test (the simulation of the fitted scenario).
    #[arg(long, conflicts_with = "check")]
    no_check: bool,
    /// Back-test this scenario (an edited copy of a fitted one, say) against the log
    /// instead of the one fitted now; it should run the log's days from its first weekday.
    #[arg(long, value_name = "SCENARIO")]
    check: Option<PathBuf>,
    /// No message on standard error but warnings.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn duration(text: &str) -> Result<f64, String> {
    parse_duration(text)
}

fn interval(text: &str) -> Result<f64, String> {
    let v = parse_duration(text)?;
    let per_day = 86_400.0 / v;
    if v < 60.0 || (per_day - per_day.round()).abs() > 1e-9 {
        return Err(format!(
            "`{text}`: an interval is at least 1 minute and divides 24 h (e.g. 15m, 30m, 1h)"
        ));
    }
    Ok(v)
}

fn mapped(text: &str) -> Result<(String, String), String> {
    let (name, column) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write NAME=COLUMN, e.g. arrival_s=start"))?;
    let (name, column) = (name.trim(), column.trim());
    if !rappel::fit::log::MAPPED.contains(&name) || column.is_empty() {
        return Err(format!(
            "`{text}`: NAME is one of {} and COLUMN a column of the log",
            rappel::fit::log::MAPPED.join(", ")
        ));
    }
    Ok((name.to_string(), column.to_string()))
}

fn weekday(text: &str) -> Result<usize, String> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    NAMES
        .iter()
        .position(|n| *n == text.trim().to_lowercase())
        .ok_or_else(|| format!("`{text}` is not a weekday: one of {}", NAMES.join(", ")))
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let shown = a.log.display().to_string();
    let bytes = std::fs::read(&a.log).map_err(|e| {
        Failure::Input(format!(
            "cannot read the log {shown}: {e}\n  help: check the path"
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let head = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let line = head.matches('\n').count() + 1;
        let column = head.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Failure::Input(format!(
            "{shown}:{line}:{column}: a byte that is not UTF-8\n  help: save the log as UTF-8"
        ))
    })?;
    let stem = a
        .log
        .file_stem()
        .map_or("fitted".into(), |s| s.to_string_lossy().into_owned());
    let name = a.name.clone().unwrap_or_else(|| stem.clone());
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}-fit", folder_name(&stem))));
    if is_volumes(&text) {
        return volumes(&a, &text, &shown, name, &out_dir);
    }
    let mapping = rappel::fit::log::Mapping {
        columns: a.map.clone(),
        answered: a.answered.clone(),
        abandoned: a.abandoned.clone(),
    };
    let log = rappel::fit::log::parse_log_with(&text, &shown, &mapping)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let options = FitOptions {
        name,
        interval: a.interval,
        start_weekday: a.start_day,
        threshold: a.service_level_threshold,
        replications: a.replications,
        seed: a.seed,
        staffing: if a.staffing_seen {
            StaffingRule::Seen
        } else {
            StaffingRule::BusyWhileWaiting
        },
    };
    let f = fit(&log, &options);
    let mut dir = open_out(&out_dir)?;
    // The forecast is written into the staging folder first, so that the scenario is
    // validated (and back-tested) exactly as written.
    let forecast = f.forecast_csv();
    let part = dir.part_path("forecast.csv", 0);
    std::fs::write(&part, forecast.as_bytes()).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write forecast.csv in {}: {e}",
            out_dir.display()
        ))
    })?;
    dir.add_parts("forecast.csv", Vec::new(), vec![part.clone()]);
    let toml = f.scenario_toml("forecast.csv", &shown);
    let checked = f.scenario_toml(&part.display().to_string(), &shown);
    let (scenario, warnings) = Scenario::from_toml_with(
        &checked,
        "scenario.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .map_err(|e| {
        Failure::Input(format!(
            "the scenario fitted from {shown} does not validate:\n{e}\n  help: the log needs \
             calls answered by agents and calls that waited; check its outcomes and times"
        ))
    })?;
    for w in &warnings {
        print_err(&format!("warning: the fitted scenario: {w}"));
    }
    let checked_scenario = match &a.check {
        Some(path) => {
            let s = Scenario::from_file(path)?;
            if s.simulation.horizon != f.days as f64 * 86_400.0
                || s.simulation.start_weekday != f.start_weekday
            {
                print_err(&format!(
                    "warning: {} does not run the log's {} days from its first weekday: the \
                     back-test compares different days",
                    path.display(),
                    f.days
                ));
            }
            Some(s)
        }
        None => None,
    };
    let bt =
        (!a.no_check).then(|| back_test(&f, &log, checked_scenario.as_ref().unwrap_or(&scenario)));
    dir.add("scenario.toml", toml.into_bytes());
    dir.add("estimates.csv", estimates_csv(&f));
    dir.add("fitted_staffing.csv", staffing_csv(&f));
    dir.add("type_mix.csv", type_mix_csv(&f));
    if let Some(bt) = &bt {
        dir.add("backtest.csv", backtest_csv(&f, bt));
    }
    dir.add(
        "report.html",
        rappel::report::fit_report(&f, &log, bt.as_ref()).into_bytes(),
    );
    let mut files = dir.names();
    files.push("fit.json".into());
    let manifest = serde_json::json!({
        "rappel": env!("CARGO_PKG_VERSION"),
        "log": shown,
        "log_sha256": rappel::output::sha256_hex(&text),
        "format": f.log.format,
        "calls": f.log.calls,
        "days": f.days,
        "interval_s": f.options.interval,
        "replications": f.options.replications,
        "seed": f.options.seed,
        "back_tested": match (&a.check, a.no_check) {
            (_, true) => serde_json::Value::Null,
            (Some(p), _) => p.display().to_string().into(),
            (None, false) => "scenario.toml".into(),
        },
        "files": files,
    });
    let written = commit_with_manifest(dir, &manifest, &out_dir)?;
    print_out(&fit_text(&f, bt.as_ref()))?;
    if !a.quiet {
        print_err(&format!(
            "wrote {} files to {}; run the scenario with: rappel run {}",
            written.len(),
            out_dir.display(),
            out_dir.join("scenario.toml").display()
        ));
    }
    Ok(())
}

/// Adds `fit.json` (`manifest`) to the staged files and writes them all to `out_dir`;
/// the paths written.
fn commit_with_manifest(
    mut dir: AtomicDir,
    manifest: &serde_json::Value,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, Failure> {
    dir.add(
        "fit.json",
        (serde_json::to_string_pretty(manifest).expect("plain JSON") + "\n").into_bytes(),
    );
    dir.commit().map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the output files to {}: {e}",
            out_dir.display()
        ))
    })
}

/// Whether `text` is a volumes file: its header (the first line that is not blank or a
/// comment) names `interval_start` and `calls`.
fn is_volumes(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|h| {
            let cols: Vec<&str> = h.split(',').map(str::trim).collect();
            cols.contains(&"interval_start") && cols.contains(&"calls")
        })
}

/// Volumes only: an arrivals profile with its busyness, in a scenario that validates.
fn volumes(
    a: &Args,
    text: &str,
    shown: &str,
    name: String,
    out_dir: &std::path::Path,
) -> Result<(), Failure> {
    use rappel::fit::{VolumesOptions, fit_volumes};
    let place = |line: Option<usize>, column: Option<usize>| match (line, column) {
        (Some(l), Some(c)) => format!("{shown}:{l}:{c}"),
        (Some(l), None) => format!("{shown}:{l}"),
        _ => shown.to_string(),
    };
    let rows = rappel::scenario::parse_volumes(text).map_err(|e| {
        Failure::Input(format!(
            "{}: {}\n  help: {}",
            place(e.line, e.column),
            e.message,
            e.help
        ))
    })?;
    let options = VolumesOptions {
        name,
        interval: a.interval,
        start_weekday: a.start_day,
        handle: a.handle_time.map_or((300.0, false), |h| (h, true)),
        patience: a.patience,
        replications: a.replications,
        seed: a.seed,
    };
    let f = fit_volumes(&rows, shown, &options).map_err(|e| Failure::Input(e.to_string()))?;
    let mut dir = open_out(out_dir)?;
    let part = dir.part_path("forecast.csv", 0);
    std::fs::write(&part, f.forecast_csv().as_bytes()).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write forecast.csv in {}: {e}",
            out_dir.display()
        ))
    })?;
    dir.add_parts("forecast.csv", Vec::new(), vec![part.clone()]);
    let checked = f.scenario_toml(&part.display().to_string(), shown);
    let (_, warnings) = Scenario::from_toml_with(
        &checked,
        "scenario.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .map_err(|e| {
        Failure::Input(format!(
            "the scenario fitted from {shown} does not validate:\n{e}\n  help: check the volumes (a day with calls needs agents: give an `agents` column or --handle-time)"
        ))
    })?;
    for w in &warnings {
        print_err(&format!("warning: the fitted scenario: {w}"));
    }
    dir.add(
        "scenario.toml",
        f.scenario_toml("forecast.csv", shown).into_bytes(),
    );
    let files = vec!["forecast.csv", "scenario.toml", "fit.json"];
    let manifest = serde_json::json!({
        "rappel": env!("CARGO_PKG_VERSION"),
        "volumes": shown,
        "volumes_sha256": rappel::output::sha256_hex(text),
        "days": f.days,
        "interval_s": f.options.interval,
        "busyness_cv": f.busyness,
        "files": files,
    });
    let written = commit_with_manifest(dir, &manifest, out_dir)?;
    let total: f64 = f.day_totals.iter().sum();
    print_out(&format!(
        "{}: volumes only, {total:.0} calls over {} day(s); busy-day factor cv {}\n\
         No back-test: a volumes file has no waits to compare. Handle time{}, patience{} and \
         staffing{} in scenario.toml.\n",
        f.options.name,
        f.days,
        f.busyness
            .map_or("– (no weekday seen twice)".into(), |c| format!("{c:.3}")),
        if f.options.handle.1 {
            " given"
        } else {
            " (a placeholder)"
        },
        if f.options.patience.is_some() {
            " given"
        } else {
            " (none)"
        },
        if f.agents.is_some() {
            " from the file"
        } else {
            " (a placeholder)"
        },
    ))?;
    if !a.quiet {
        print_err(&format!(
            "wrote {} files to {}",
            written.len(),
            out_dir.display()
        ));
    }
    Ok(())
}
