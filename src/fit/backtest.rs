//! The back-test: the fitted scenario simulated over the log's days, each replication's
//! calls measured by the same code as the log's, per interval of the day (pooled over the
//! days) and overall, with the replications' Student-t 95 % intervals.

use super::Fit;
use super::log::CallLog;
use crate::centre::{CallOutcome, CallRecord, simulate_with_calls};
use crate::scenario::{DAY, Scenario};
use crate::stats::{Estimate, summarise};

/// The figures compared, in order: (name, label).
pub const METRICS: [(&str, &str); 5] = [
    ("offered_per_day", "Offered calls per open day"),
    ("service_level", "Service level"),
    ("asa_s", "Average speed of answer (s)"),
    ("abandon_rate", "Abandonment"),
    ("occupancy", "Occupancy"),
];

/// One call as the measures see it: arrival, wait, answered, talk time.
type Seen = (f64, f64, bool, f64);

/// The sums of one interval of the day (or of the whole log).
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    answered: f64,
    abandoned: f64,
    within: f64,
    wait_answered: f64,
    busy: f64,
}

/// Per interval of the day, then overall (the last), the figures of [`METRICS`] from
/// `calls` over `days` days, with `staffed` agent-seconds per interval of the day
/// (the occupancy's denominator: the fitted staffing, the same for log and simulation).
fn measure(
    calls: impl Iterator<Item = Seen>,
    days: usize,
    interval: f64,
    threshold: f64,
    staffed: &[f64],
) -> Vec<[f64; 5]> {
    let n = staffed.len();
    let mut s = vec![Sums::default(); n + 1];
    for (arrival, wait, answered, handle) in calls {
        let i = (((arrival % DAY) / interval).floor() as usize).min(n - 1);
        for k in [i, n] {
            let x = &mut s[k];
            if answered {
                x.answered += 1.0;
                x.wait_answered += wait;
                x.busy += handle;
                if wait <= threshold {
                    x.within += 1.0;
                }
            } else {
                x.abandoned += 1.0;
            }
        }
    }
    let total_staffed: f64 = staffed.iter().sum();
    s.iter()
        .enumerate()
        .map(|(k, x)| {
            let settled = x.answered + x.abandoned;
            let staff = if k == n { total_staffed } else { staffed[k] };
            [
                settled / days as f64,
                x.within / settled,
                x.wait_answered / x.answered,
                x.abandoned / settled,
                if staff > 0.0 {
                    x.busy / staff
                } else {
                    f64::NAN
                },
            ]
        })
        .collect()
}

/// The agent-seconds the fitted scenario plans per interval of the day over the log's days
/// (agents × adherence).
fn staffed(fit: &Fit) -> Vec<f64> {
    let mut out = vec![0.0; fit.intervals];
    for d in 0..fit.days {
        if !fit.open_slot(d % 7) {
            continue;
        }
        for (i, a) in fit.agents[d % 7].iter().enumerate() {
            out[i] += f64::from(*a) * fit.adherence * fit.options.interval;
        }
    }
    out
}

/// The days of the log on which the centre opens (its weekday had calls): offered calls
/// are per such day.
fn open_days(fit: &Fit) -> usize {
    (0..fit.days)
        .filter(|d| fit.open_slot(d % 7))
        .count()
        .max(1)
}

/// The log's figures, per interval of the day then overall.
pub fn measure_log(fit: &Fit, log: &CallLog) -> Vec<[f64; 5]> {
    measure(
        log.calls
            .iter()
            .map(|c| (c.arrival, c.wait, c.answered, c.handle)),
        open_days(fit),
        fit.options.interval,
        fit.options.threshold,
        &staffed(fit),
    )
}

/// One compared figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackTestRow {
    /// The interval of the day, or `None` for the whole log.
    pub interval: Option<usize>,
    /// Index in [`METRICS`].
    pub metric: usize,
    /// What the log shows.
    pub observed: f64,
    /// What the simulation gives, with its 95 % interval.
    pub simulated: Estimate,
}

impl BackTestRow {
    /// Whether the log's value lies within the simulation's 95 % interval.
    pub fn inside(&self) -> bool {
        self.observed >= self.simulated.ci95_low && self.observed <= self.simulated.ci95_high
    }
}

/// The back-test's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct BackTest {
    /// Replications simulated.
    pub replications: u32,
    /// Per interval of the day (metrics in order), then the overall rows.
    pub rows: Vec<BackTestRow>,
}

impl BackTest {
    /// The overall rows, one per metric.
    pub fn overall(&self) -> impl Iterator<Item = &BackTestRow> {
        self.rows.iter().filter(|r| r.interval.is_none())
    }
}

/// Simulates `scenario` (the fitted one, or an edited copy with the same days) and compares
/// it with the log.
pub fn back_test(fit: &Fit, log: &CallLog, scenario: &Scenario) -> BackTest {
    use rayon::prelude::*;
    let staffed = staffed(fit);
    let observed = measure_log(fit, log);
    let reps = scenario.simulation.replications;
    let per_rep: Vec<Vec<[f64; 5]>> = (0..reps)
        .into_par_iter()
        .map(|r| {
            let mut seen: Vec<Seen> = Vec::new();
            let mut sink = |c: &CallRecord| match c.outcome {
                CallOutcome::Answered => seen.push((c.arrival, c.wait, true, c.handle)),
                CallOutcome::Abandoned => seen.push((c.arrival, c.wait, false, f64::NAN)),
                _ => {}
            };
            simulate_with_calls(scenario, r, None, &mut sink).unwrap_or_else(|e| e.throw());
            measure(
                seen.into_iter(),
                open_days(fit),
                fit.options.interval,
                fit.options.threshold,
                &staffed,
            )
        })
        .collect();
    let mut rows = Vec::new();
    for (k, obs) in observed.iter().enumerate() {
        for (m, o) in obs.iter().enumerate() {
            let values: Vec<f64> = per_rep.iter().map(|rep| rep[k][m]).collect();
            rows.push(BackTestRow {
                interval: (k < fit.intervals).then_some(k),
                metric: m,
                observed: *o,
                simulated: summarise(&values),
            });
        }
    }
    BackTest {
        replications: reps,
        rows,
    }
}
