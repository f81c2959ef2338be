//! `rappel fit`: a scenario learnt from a per-call log, and a back-test that simulates it
//! and compares it with the log. No I/O: the command line reads the log and writes the
//! files (`cli/fit.rs`).
//!
//! | step | file |
//! |---|---|
//! | reading the log (Anonymous Bank, rappel's calls.csv) | `log.rs` |
//! | handle times, patience, the busy-day factor | `estimate.rs` |
//! | arrivals, staffing available to the queue, the scenario written | this file, `staffing.rs`, `write.rs` |
//! | returns from customer ids | `returns.rs` |
//! | the back-test | `backtest.rs` |
//!
//! docs/fit.md describes every estimator and rule.

pub mod backtest;
mod dates;
pub mod estimate;
pub mod log;
pub mod returns;
pub mod staffing;
pub mod volumes;
mod write;

pub use backtest::{BackTest, BackTestRow, back_test, measure_log};
pub use estimate::{
    Family, Fitted, Patience, busyness_cv, fit_handle, fit_patience, weekday_groups,
};
pub use log::{CallLog, LogCall, parse_log};
pub use returns::Returns;
pub use staffing::{IntervalStaffing, StaffingRule};
pub use volumes::{VolumesFit, VolumesOptions, fit_volumes};

use crate::scenario::DAY;

/// A problem in the input of `rappel fit`, with its place and a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct FitError {
    /// The file, as named on the command line.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when the problem is in one field.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}\n  help: {}", self.message, self.help)
    }
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// The scenario's name.
    pub name: String,
    /// Interval length, seconds (divides a day).
    pub interval: f64,
    /// The weekday of the log's day 0 (0 Monday … 6 Sunday) when the log has no dates.
    pub start_weekday: usize,
    /// The service-level threshold, seconds.
    pub threshold: f64,
    /// Replications of the fitted scenario (and of the back-test).
    pub replications: u32,
    /// Seed of the fitted scenario.
    pub seed: u64,
    /// How the agents available to the queue are estimated.
    pub staffing: StaffingRule,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            name: "fitted".into(),
            interval: 1800.0,
            start_weekday: 0,
            threshold: 20.0,
            replications: 10,
            seed: 1,
            staffing: StaffingRule::BusyWhileWaiting,
        }
    }
}

/// One ticket type's estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeFit {
    /// Its name in the log.
    pub name: String,
    /// Calls of the type that reached the queue.
    pub calls: usize,
    /// Of them, answered.
    pub answered: usize,
    /// Share of all calls.
    pub share: f64,
    /// Handle-time fits, least AIC first (empty with no answered call).
    pub handle: Vec<Fitted>,
    /// Patience under censoring.
    pub patience: Patience,
}

/// A scenario learnt from a log.
#[derive(Debug, Clone)]
pub struct Fit {
    /// The choices made.
    pub options: FitOptions,
    /// The log's format, records and what was left out.
    pub log: LogSummary,
    /// Days of the log.
    pub days: usize,
    /// The weekday of day 0 (0 Monday … 6 Sunday).
    pub start_weekday: usize,
    /// Intervals per day.
    pub intervals: usize,
    /// Per day of the week from day 0 (slot *k* is the weekday `start + k`): the days of
    /// the log it has.
    pub slot_days: [usize; 7],
    /// Per slot and interval: the mean calls over the slot's days.
    pub volumes: Vec<Vec<f64>>,
    /// Per type, slot and interval: the same for the type's calls.
    pub type_volumes: Vec<Vec<Vec<f64>>>,
    /// Each day's total calls, in day order.
    pub day_totals: Vec<f64>,
    /// The busy-day factor's cv from the daily totals, when a weekday has two days.
    pub busyness: Option<f64>,
    /// Per type.
    pub types: Vec<TypeFit>,
    /// Per slot and interval: what the staffing shows, averaged over the slot's days.
    pub staffing: Vec<Vec<IntervalStaffing>>,
    /// The adherence that keeps the fractional estimates' means with whole agents.
    pub adherence: f64,
    /// Per slot and interval: the agents written (before adherence).
    pub agents: Vec<Vec<u32>>,
    /// Returns, from customer ids.
    pub returns: Returns,
    /// Per interval of the day and type: calls over the whole log (the type mix per
    /// interval, which the scenario's one share per type does not follow).
    pub type_mix: Vec<Vec<usize>>,
}

/// What the log held, beside the calls used.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSummary {
    /// The format recognised.
    pub format: &'static str,
    /// Records read.
    pub rows: usize,
    /// Calls used.
    pub calls: usize,
    /// Answered calls with no agent's name.
    pub answered_without_agent: usize,
    /// Records left out: (why, how many).
    pub ignored: Vec<(String, usize)>,
    /// Agents named.
    pub agents: usize,
    /// The first date, when the log has dates.
    pub first_date: Option<String>,
}

/// The fit of a log.
pub fn fit(log: &CallLog, options: &FitOptions) -> Fit {
    let start = log.first_weekday.unwrap_or(options.start_weekday);
    let interval = options.interval;
    let n = (DAY / interval).round() as usize;
    let days = log.days.max(1);
    let mut slot_days = [0usize; 7];
    for d in 0..days {
        slot_days[d % 7] += 1;
    }
    // Arrivals per slot and interval.
    let mut per_day = vec![vec![0.0; n]; days];
    let mut type_mix = vec![vec![0usize; log.types.len()]; n];
    let mut per_type_day = vec![vec![vec![0.0; n]; days]; log.types.len()];
    for c in &log.calls {
        let d = ((c.arrival / DAY).floor() as usize).min(days - 1);
        let i = (((c.arrival - d as f64 * DAY) / interval).floor() as usize).min(n - 1);
        per_day[d][i] += 1.0;
        per_type_day[c.ty][d][i] += 1.0;
        type_mix[i][c.ty] += 1;
    }
    let slot_means = |per_day: &[Vec<f64>]| {
        let mut volumes = vec![vec![0.0; n]; 7];
        for (d, row) in per_day.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                volumes[d % 7][i] += v / slot_days[d % 7] as f64;
            }
        }
        volumes
    };
    let volumes = slot_means(&per_day);
    let type_volumes: Vec<Vec<Vec<f64>>> = per_type_day.iter().map(|p| slot_means(p)).collect();
    let day_totals: Vec<f64> = per_day.iter().map(|r| r.iter().sum()).collect();
    let groups = weekday_groups(&day_totals);
    let busyness = busyness_cv(&groups);
    // Types.
    let total = log.calls.len() as f64;
    let types = log
        .types
        .iter()
        .enumerate()
        .map(|(t, name)| {
            let of: Vec<&LogCall> = log.calls.iter().filter(|c| c.ty == t).collect();
            let handle: Vec<f64> = of.iter().filter(|c| c.answered).map(|c| c.handle).collect();
            let waits: Vec<(f64, bool)> = of
                .iter()
                .filter(|c| c.wait > 0.0 || !c.answered)
                .map(|c| (c.wait, !c.answered))
                .collect();
            TypeFit {
                name: name.clone(),
                calls: of.len(),
                answered: handle.len(),
                share: of.len() as f64 / total,
                handle: fit_handle(&handle),
                patience: fit_patience(&waits),
            }
        })
        .collect();
    let staffing = staffing::per_slot(log, days, interval, n);
    let estimates: Vec<Vec<f64>> = staffing
        .iter()
        .map(|row| row.iter().map(|s| s.pick(options.staffing)).collect())
        .collect();
    let (adherence, agents) = staffing::whole_agents(&estimates);
    Fit {
        options: options.clone(),
        log: LogSummary {
            format: log.format,
            rows: log.rows,
            calls: log.calls.len(),
            answered_without_agent: log.answered_without_agent,
            ignored: log.ignored.clone(),
            agents: log.agents.len(),
            first_date: log.first_date.clone(),
        },
        days,
        start_weekday: start,
        intervals: n,
        slot_days,
        volumes,
        type_volumes,
        day_totals,
        busyness,
        types,
        staffing,
        adherence,
        agents,
        returns: returns::returns(log),
        type_mix,
    }
}

impl Fit {
    /// Whether slot `k` (the weekday `start + k`) had any call: closed otherwise.
    pub fn open_slot(&self, k: usize) -> bool {
        self.slot_days[k] > 0 && self.volumes[k].iter().sum::<f64>() > 0.0
    }

    /// The weekday (0 Monday … 6 Sunday) of slot `k`.
    pub fn weekday(&self, k: usize) -> usize {
        (self.start_weekday + k) % 7
    }

    /// The scenario's TOML text; `forecast` is the path written for the forecast file.
    pub fn scenario_toml(&self, forecast: &str, source: &str) -> String {
        write::scenario_toml(self, forecast, source)
    }

    /// The forecast file: calls per interval for each day of the week from day 0.
    pub fn forecast_csv(&self) -> String {
        write::forecast_csv(self)
    }
}
