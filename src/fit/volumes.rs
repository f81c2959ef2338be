//! Volumes only: an arrivals profile with its busy-day factor from a CSV of calls per
//! interval (the format `rappel erlang --volumes` and `arrivals.forecast` read, with an
//! optional `day` column), and a scenario around it whose handle time, patience and
//! staffing the user gives or fills in.

use super::write::{number, profile_csv, quoted};
use super::{FitError, busyness_cv, weekday_groups};
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::{DAY, DayKey, VolumeRow, parse_clock};
use std::fmt::Write;

/// What the user gives beside the volumes.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumesOptions {
    /// The scenario's name.
    pub name: String,
    /// Interval length, seconds (the file's labels must lie on its grid).
    pub interval: f64,
    /// The weekday of day 0 (0 Monday … 6 Sunday).
    pub start_weekday: usize,
    /// Mean handle time, seconds, and whether the user gave it.
    pub handle: (f64, bool),
    /// Mean patience, seconds, if given.
    pub patience: Option<f64>,
    /// Replications of the scenario.
    pub replications: u32,
    /// Seed of the scenario.
    pub seed: u64,
}

/// An arrivals profile from volumes.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumesFit {
    /// The choices made.
    pub options: VolumesOptions,
    /// Days in the file (1 without a `day` column).
    pub days: usize,
    /// Per day of the week from day 0: the file's days of it.
    pub slot_days: [usize; 7],
    /// Per slot and interval: the mean calls.
    pub volumes: Vec<Vec<f64>>,
    /// Each day's total.
    pub day_totals: Vec<f64>,
    /// The busy-day factor's cv (a weekday seen twice or more).
    pub busyness: Option<f64>,
    /// Per slot and interval: the mean of the `agents` column, when the file has one.
    pub agents: Option<Vec<Vec<f64>>>,
}

/// The most days a volumes file may span.
const MAX_VOLUME_DAYS: usize = 3660;

/// The profile of `rows`, read from `file`.
pub fn fit_volumes(
    rows: &[VolumeRow],
    file: &str,
    options: &VolumesOptions,
) -> Result<VolumesFit, FitError> {
    let n = (DAY / options.interval).round() as usize;
    // A row's day from 0: `day` as written, a `date` counted from the file's first, a
    // `weekday` from Monday (so that day d is weekday d mod 7, as below).
    let first_date = rows
        .iter()
        .filter_map(|r| match r.day.as_ref()?.key {
            DayKey::Date(d) => Some(d),
            _ => None,
        })
        .min()
        .unwrap_or(0);
    let day_of = |r: &VolumeRow| -> usize {
        match r.day.as_ref().map(|l| l.key) {
            None => 0,
            Some(DayKey::Day(d)) | Some(DayKey::Weekday(d)) => d,
            Some(DayKey::Date(d)) => usize::try_from(d - first_date).unwrap_or(0),
        }
    };
    let days = rows.iter().map(day_of).max().unwrap_or(0) + 1;
    // Dates far apart would ask for a profile of every day between them.
    if days > MAX_VOLUME_DAYS {
        let last = rows.iter().max_by_key(|r| day_of(r)).unwrap_or(&rows[0]);
        return Err(FitError {
            file: file.to_string(),
            line: Some(last.line),
            column: last.day.as_ref().map(|l| l.column),
            message: format!(
                "the file's days span {days} days, more than the {MAX_VOLUME_DAYS} read"
            ),
            help: "fit at most about ten years of volumes at once".into(),
        });
    }
    let mut per_day = vec![vec![0.0; n]; days];
    let mut agents_per_day: Vec<Vec<f64>> = vec![vec![0.0; n]; days];
    let with_agents = rows.iter().any(|r| r.agents.is_some());
    for r in rows {
        let at = parse_clock(&r.start)
            .ok()
            .filter(|t| *t < DAY && (t / options.interval).fract().abs() < 1e-9);
        let Some(t) = at else {
            return Err(FitError {
                file: file.to_string(),
                line: Some(r.line),
                column: Some(r.start_column),
                message: format!(
                    "`interval_start`: `{}` is not the start of a {}-second interval of the day",
                    r.start, options.interval
                ),
                help:
                    "write HH:MM on the grid of --interval (e.g. 08:00, 08:30 with --interval 30m)"
                        .into(),
            });
        };
        let d = day_of(r);
        let i = (t / options.interval).round() as usize;
        per_day[d][i] += r.calls;
        agents_per_day[d][i] += f64::from(r.agents.unwrap_or(0));
    }
    let mut slot_days = [0usize; 7];
    for d in 0..days {
        slot_days[d % 7] += 1;
    }
    let mean = |per: &[Vec<f64>]| {
        let mut out = vec![vec![0.0; n]; 7];
        for (d, row) in per.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                out[d % 7][i] += v / slot_days[d % 7] as f64;
            }
        }
        out
    };
    let day_totals: Vec<f64> = per_day.iter().map(|r| r.iter().sum()).collect();
    let groups = weekday_groups(&day_totals);
    Ok(VolumesFit {
        options: options.clone(),
        days,
        slot_days,
        volumes: mean(&per_day),
        busyness: busyness_cv(&groups),
        day_totals,
        agents: with_agents.then(|| mean(&agents_per_day)),
    })
}

impl VolumesFit {
    /// Whether slot `k` had calls.
    pub fn open_slot(&self, k: usize) -> bool {
        self.slot_days[k] > 0 && self.volumes[k].iter().sum::<f64>() > 0.0
    }

    /// The forecast file.
    pub fn forecast_csv(&self) -> String {
        profile_csv(&self.volumes, self.options.interval)
    }

    /// The scenario's TOML text.
    pub fn scenario_toml(&self, forecast: &str, source: &str) -> String {
        let o = &self.options;
        let mut t = String::new();
        let total: f64 = self.day_totals.iter().sum();
        let _ = writeln!(
            t,
            "# Fitted by rappel fit {} from the volumes {source}: {} calls over {} day(s).\n\
             # Volumes only: the handle time, patience and staffing are not in the file; each \
             says where it came from.\n",
            env!("CARGO_PKG_VERSION"),
            number(total, 1),
            self.days
        );
        let _ = writeln!(t, "name = {}", quoted(&o.name));
        let week: Vec<String> = (0..7)
            .filter(|&k| self.open_slot(k))
            .map(|k| format!("\"{}\"", WEEKDAY_NAMES[(o.start_weekday + k) % 7]))
            .collect();
        let _ = writeln!(t, "\n[simulation]");
        let _ = writeln!(t, "days = {}", self.days);
        let _ = writeln!(
            t,
            "start_day = \"{}\"   # --start-day",
            WEEKDAY_NAMES[o.start_weekday]
        );
        let _ = writeln!(t, "week = [{}]   # weekdays with calls", week.join(", "));
        let _ = writeln!(t, "interval = \"{}s\"", number(o.interval, 0));
        let _ = writeln!(t, "replications = {}\nseed = {}\n", o.replications, o.seed);
        let _ = writeln!(t, "[arrivals]");
        let _ = writeln!(
            t,
            "# Calls per interval for each weekday: the mean over the file's days of that weekday."
        );
        let _ = writeln!(t, "forecast = {}", quoted(forecast));
        match self.busyness {
            Some(cv) if cv > 0.0 => {
                let _ = writeln!(
                    t,
                    "# From the daily totals of each weekday (cv² = Σ(n−1)(s² − mean) / Σ(n−1) mean²)."
                );
                let _ = writeln!(t, "busyness = {{ cv = {} }}", number(cv.min(3.0), 3));
            }
            Some(_) => {
                let _ = writeln!(
                    t,
                    "# The daily totals vary no more than Poisson's: no busy-day factor."
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "# No weekday has two days in the file: the busy-day factor cannot be estimated."
                );
            }
        }
        let _ = writeln!(t, "\n[[ticket_types]]\nname = \"calls\"");
        let _ = writeln!(
            t,
            "# {}",
            if o.handle.1 {
                "Handle time: --handle-time, exponential."
            } else {
                "Handle time: NOT IN THE FILE, a placeholder of 5 minutes: give --handle-time or edit it."
            }
        );
        let _ = writeln!(
            t,
            "handle_time = {{ dist = \"exponential\", mean = {} }}",
            number(o.handle.0, 1)
        );
        match o.patience {
            Some(p) => {
                let _ = writeln!(
                    t,
                    "# Patience: --patience, exponential.\npatience = {{ dist = \"exponential\", mean = {} }}",
                    number(p, 1)
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "# Patience: not in the file and not given (--patience): callers never abandon."
                );
            }
        }
        let _ = writeln!(t, "\n[[teams]]\nname = \"agents\"\nserves = [\"calls\"]");
        let staffing: Vec<Vec<u32>> = match &self.agents {
            Some(a) => {
                let _ = writeln!(
                    t,
                    "# Agents: the file's `agents` column, the mean over the days of each weekday, rounded."
                );
                a.iter()
                    .map(|row| row.iter().map(|x| x.round() as u32).collect())
                    .collect()
            }
            None => {
                let _ = writeln!(
                    t,
                    "# Agents: NOT IN THE FILE, a placeholder: the offered load / 0.85 (85 % \
                     occupancy), rounded up; search a staffing with rappel staff."
                );
                self.volumes
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|c| (c * o.handle.0 / o.interval / 0.85).ceil() as u32)
                            .collect()
                    })
                    .collect()
            }
        };
        let _ = writeln!(t, "[teams.agents_by_weekday]");
        for (k, list) in staffing.iter().enumerate() {
            if !self.open_slot(k) {
                continue;
            }
            let l: Vec<String> = list.iter().map(u32::to_string).collect();
            let _ = writeln!(
                t,
                "{} = [{}]",
                WEEKDAY_NAMES[(o.start_weekday + k) % 7],
                l.join(", ")
            );
        }
        t
    }
}
