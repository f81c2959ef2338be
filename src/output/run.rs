//! The files of `rappel run`: its tidy CSV files and `run.json` (columns documented in docs/metrics.md).

use super::csv::{FileRows, csv_bytes, header_line};
use super::files::AtomicDir;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::run::{IntervalRow, RunResult};
use crate::scenario::{DAY, format_clock};
use crate::stats::{Metric, ReplicationResult};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Columns of `replications.csv`.
const REPLICATION_COLUMNS: [&str; 4] = ["scenario", "replication", "metric", "value"];

/// The header line of `replications.csv`.
pub fn replications_header() -> Vec<u8> {
    header_line(REPLICATION_COLUMNS)
}

/// The rows of `replications.csv` (no header), streamed to a part file replication by
/// replication as the run folds them, so that no replication's figures stay in memory.
#[derive(Debug)]
pub struct ReplicationsFile {
    rows: FileRows,
    path: PathBuf,
    error: Option<std::io::Error>,
}

impl ReplicationsFile {
    /// Creates (or truncates) the part file at `path`.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            rows: FileRows::create(path)?,
            path: path.to_path_buf(),
            error: None,
        })
    }

    /// Writes the rows of one replication of scenario `name` (the first error is kept for
    /// [`Self::finish`]).
    pub fn write(&mut self, name: &str, rep: &ReplicationResult) {
        if self.error.is_some() {
            return;
        }
        let r = rep.replication.to_string();
        for m in Metric::ALL {
            if let Err(e) = self
                .rows
                .row([name, r.as_str(), m.name(), num(rep.get(m)).as_str()])
            {
                self.error = Some(e);
                return;
            }
        }
    }

    /// Flushes the rows to disk and returns the part file's path; on an error the part
    /// file is removed.
    pub fn finish(self) -> std::io::Result<PathBuf> {
        let path = self.path;
        let flushed = match self.error {
            Some(e) => Err(e),
            None => self.rows.close(),
        };
        match flushed {
            Ok(()) => Ok(path),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    }
}

/// What produced the files (`run.json`).
#[derive(Debug, Serialize)]
pub struct RunInfo<'a> {
    /// Versions and scenario.
    #[serde(flatten)]
    pub head: Head<'a>,
    /// Seed and replications.
    #[serde(flatten)]
    pub runs: Runs,
    /// Simulated horizon, seconds.
    pub horizon_s: f64,
    /// Warm-up, seconds.
    pub warmup_s: f64,
    /// Events, wall time and files written.
    #[serde(flatten)]
    pub tail: Tail<'a>,
    /// What the results would mislead about, each with what to do (see
    /// [`crate::warnings`]); empty when nothing.
    pub warnings: Vec<String>,
    /// How a run to a precision (`--precision`) ended, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionInfo>,
    /// The staffing against the roster, when a team has one (shifts, weekday lists,
    /// absence, shrinkage or adherence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staffing: Option<super::RosterSummary>,
}

/// `run.json`'s account of a run to a precision.
#[derive(Debug, Serialize)]
pub struct PrecisionInfo {
    /// Relative half-width asked for.
    pub target: f64,
    /// Whether every metric reached it.
    pub met: bool,
    /// Largest number of replications allowed.
    pub max_replications: u32,
    /// The metric that needed the most replications.
    pub hardest_metric: Option<String>,
    /// Each metric's relative half-width at the end (null where its mean is 0).
    pub achieved: std::collections::BTreeMap<String, Option<f64>>,
}

impl From<&crate::run::PrecisionReport> for PrecisionInfo {
    fn from(p: &crate::run::PrecisionReport) -> Self {
        Self {
            target: p.target,
            met: p.met,
            max_replications: p.cap,
            hardest_metric: p.hardest.map(|(m, _)| m.name().to_string()),
            achieved: p
                .achieved
                .iter()
                .map(|(m, w)| (m.name().to_string(), (!w.is_nan()).then_some(*w)))
                .collect(),
        }
    }
}

/// Columns of `intervals.csv`.
const INTERVAL_COLUMNS: [&str; 20] = [
    "scenario",
    "day",
    "interval_start",
    "start_s",
    "state",
    "offered",
    "answered",
    "abandoned",
    "rejected",
    "balked",
    "closed",
    "callbacks",
    "service_level",
    "accessibility",
    "wait_mean_s",
    "agents_staffed",
    "occupancy",
    "csat_mean",
    "expected_wait_s",
    "word_of_mouth_factor",
];

/// The columns `intervals.csv` adds when a team has a roster (docs/metrics.md).
const ROSTER_COLUMNS: [&str; 5] = ["scheduled", "present", "planned", "on_phone", "adherence"];

/// Whether `intervals.csv` has the `messages_waiting` column (after the roster's): when
/// a ticket type of the scenario is a written message.
pub fn has_message_column(s: &crate::scenario::Scenario) -> bool {
    s.ticket_types.iter().any(|t| t.message.is_some())
}

/// Whether `intervals.csv` has the [`ROSTER_COLUMNS`]: when a team of the scenario has
/// shifts, lists per weekday, absence, shrinkage or adherence.
pub fn has_roster_columns(s: &crate::scenario::Scenario) -> bool {
    s.teams.iter().any(|t| t.roster.is_some())
}

/// Streams the rows of `intervals.csv` (no header) to the part file `path`, interval by
/// interval, so that the file never sits in memory; on an error the part is removed.
/// Each day's closed stretches (midnight to opening, closing to midnight) get a row of
/// their own, with the calls made while closed.
fn write_intervals(r: &RunResult, path: &Path) -> std::io::Result<()> {
    let name = r.scenario.name.as_str();
    let grid = &r.scenario.day;
    let last = grid.start_of_day(grid.intervals() - 1);
    let roster = has_roster_columns(&r.scenario);
    let messages = has_message_column(&r.scenario);
    let written = FileRows::create(path).and_then(|mut rows| {
        let closed_row = |rows: &mut FileRows, i: &IntervalRow, start: f64, calls: f64| {
            let nan = num(f64::NAN);
            let mut row = vec![
                name.to_string(),
                i.day.to_string(),
                format_clock(start),
                num(i.day as f64 * DAY + start),
                "closed".into(),
                num(calls),
                num(0.0),
                num(0.0),
                num(0.0),
                num(0.0),
                num(calls),
                num(0.0),
                nan.clone(),
                nan.clone(),
                nan.clone(),
                nan.clone(),
                nan.clone(),
                nan,
                num(i.expected_wait_s),
                num(i.word_of_mouth_factor),
            ];
            if roster {
                row.extend([num(0.0), num(0.0), num(0.0), num(0.0), num(f64::NAN)]);
            }
            if messages {
                let slot = if start == 0.0 { 1 } else { 2 };
                row.push(num(i.messages_waiting[slot]));
            }
            rows.row(row)
        };
        r.try_for_each_interval(|i, _| {
            if grid.open > 0.0 && i.start_of_day_s == grid.open {
                closed_row(&mut rows, &i, 0.0, i.closed_before)?;
            }
            let mut row = vec![
                name.to_string(),
                i.day.to_string(),
                format_clock(i.start_of_day_s),
                num(i.start_s),
                // A day off the week (`simulation.week`) is closed all day.
                if r.scenario.simulation.open_on(i.day) {
                    "open"
                } else {
                    "closed"
                }
                .into(),
                num(i.offered),
                num(i.answered),
                num(i.abandoned),
                num(i.rejected),
                num(i.balked),
                num(i.closed),
                num(i.callbacks),
                num(i.service_level),
                num(i.accessibility),
                num(i.wait_mean_s),
                num(i.agents_staffed),
                num(i.occupancy),
                num(i.csat_mean),
                num(i.expected_wait_s),
                num(i.word_of_mouth_factor),
            ];
            if roster {
                let [scheduled, present, planned, on_phone] = i.roster;
                let adherence = if planned > 0.0 {
                    on_phone / planned
                } else {
                    f64::NAN
                };
                row.extend([scheduled, present, planned, on_phone, adherence].map(num));
            }
            if messages {
                row.push(num(i.messages_waiting[0]));
            }
            rows.row(row)?;
            if grid.close < DAY && i.start_of_day_s == last {
                closed_row(&mut rows, &i, grid.close, i.closed_after)?;
            }
            Ok(())
        })?;
        rows.close()
    });
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// Adds every file of a run to `dir`: summary, replications (the part file written by a
/// [`ReplicationsFile`] during the run), wait and satisfaction distributions, satisfaction
/// drivers, intervals (streamed to a part file beside the replications part), the figures
/// per team, type and day, and run.json.
/// Fails when the intervals cannot be written; the replications part is then removed.
pub fn write_run_files(
    dir: &mut AtomicDir,
    r: &RunResult,
    replications: PathBuf,
    scenario_path: &str,
    scenario_text: &str,
    precision: Option<&crate::run::PrecisionReport>,
) -> std::io::Result<()> {
    let name = r.scenario.name.as_str();
    let n = r.replications().to_string();
    dir.add(
        "summary.csv",
        csv_bytes(
            &[
                "scenario",
                "metric",
                "unit",
                "mean",
                "ci95_low",
                "ci95_high",
                "replications",
            ],
            Metric::ALL.iter().map(|m| {
                let e = r.estimate(*m);
                vec![
                    name.into(),
                    m.name().into(),
                    m.unit().into(),
                    num(e.mean),
                    num(e.ci95_low),
                    num(e.ci95_high),
                    n.clone(),
                ]
            }),
        ),
    );
    let part = replications.with_file_name(format!(".intervals.csv.part-{}", std::process::id()));
    dir.add_parts(
        "replications.csv",
        replications_header(),
        vec![replications],
    );
    dir.add(
        "wait_distribution.csv",
        csv_bytes(
            &[
                "scenario",
                "bin_start_s",
                "bin_end_s",
                "share",
                "ci95_low",
                "ci95_high",
            ],
            r.wait_distribution().into_iter().map(|b| {
                vec![
                    name.into(),
                    num(b.start_s),
                    num(b.end_s),
                    num(b.share.mean),
                    num(b.share.ci95_low),
                    num(b.share.ci95_high),
                ]
            }),
        ),
    );
    dir.add(
        "satisfaction_distribution.csv",
        csv_bytes(
            &["scenario", "csat", "share", "ci95_low", "ci95_high"],
            r.satisfaction_distribution().into_iter().map(|c| {
                vec![
                    name.into(),
                    c.csat.to_string(),
                    num(c.share.mean),
                    num(c.share.ci95_low),
                    num(c.share.ci95_high),
                ]
            }),
        ),
    );
    dir.add(
        "satisfaction_drivers.csv",
        csv_bytes(
            &["scenario", "term", "mean_points", "ci95_low", "ci95_high"],
            r.satisfaction_drivers().into_iter().map(|d| {
                vec![
                    name.into(),
                    d.term.name().into(),
                    num(d.contribution.mean),
                    num(d.contribution.ci95_low),
                    num(d.contribution.ci95_high),
                ]
            }),
        ),
    );
    write_intervals(r, &part)?;
    let mut header: Vec<&str> = if has_roster_columns(&r.scenario) {
        INTERVAL_COLUMNS
            .iter()
            .chain(&ROSTER_COLUMNS)
            .copied()
            .collect()
    } else {
        INTERVAL_COLUMNS.to_vec()
    };
    if has_message_column(&r.scenario) {
        header.push("messages_waiting");
    }
    dir.add_parts("intervals.csv", header_line(header), vec![part]);
    dir.add("breakdown.csv", super::breakdown_csv(r));
    let mut files = dir.names();
    files.push("run.json".into());
    let provenance = Provenance {
        scenarios: Scenarios::One(Source {
            name,
            path: scenario_path,
            text: scenario_text,
        }),
        seed: r.scenario.simulation.seed,
        replications: r.scenario.simulation.replications,
        events: Some(r.events()),
        wall_time_s: r.wall_time_s,
        files,
    };
    let info = RunInfo {
        head: provenance.head(),
        runs: provenance.runs(),
        horizon_s: r.scenario.simulation.horizon,
        warmup_s: r.scenario.simulation.warmup,
        tail: provenance.tail(),
        warnings: r.warnings().iter().map(ToString::to_string).collect(),
        precision: precision.map(PrecisionInfo::from),
        staffing: super::roster_summary(r),
    };
    dir.add("run.json", json::file_bytes(&info));
    Ok(())
}
