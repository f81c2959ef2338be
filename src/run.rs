//! Runs a scenario's replications in parallel and summarises them.

use crate::centre::{Outcome, Runaway, Ticket, simulate_checked, simulate_logged_checked};
use crate::output::tickets::TicketFile;
use crate::satisfaction::{Score, Term};
use crate::scenario::Scenario;
use crate::stats::{Estimate, Metric, ReplicationResult, summarise};
use std::path::PathBuf;

pub use crate::output::tickets::TICKET_COLUMNS;
pub use crate::plan::precision::{PrecisionReport, run_to_precision};

/// The outcome of all replications of one scenario.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The scenario that was run (after command-line overrides).
    pub scenario: Scenario,
    /// Each replication's figures, in replication order.
    pub replications: Vec<ReplicationResult>,
    /// Wall-clock seconds the replications took.
    pub wall_time_s: f64,
}

/// One bin of the wait-time distribution, with its share's interval across replications.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitBin {
    /// Lower edge, seconds (inclusive).
    pub start_s: f64,
    /// Upper edge, seconds (exclusive; infinite for the tail bin).
    pub end_s: f64,
    /// Share of waits in the bin.
    pub share: Estimate,
}

/// One interval of one day, averaged over replications.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// 0-based day.
    pub day: usize,
    /// Start, seconds after midnight.
    pub start_of_day_s: f64,
    /// Start, seconds from the start of the run.
    pub start_s: f64,
    /// Mean calls offered.
    pub offered: f64,
    /// Mean calls answered.
    pub answered: f64,
    /// Mean calls abandoned.
    pub abandoned: f64,
    /// Mean calls told to call back later.
    pub rejected: f64,
    /// Mean calls that hung up on hearing the wait.
    pub balked: f64,
    /// Mean service level (share of settled calls answered within the threshold).
    pub service_level: f64,
    /// Mean wait of settled calls, seconds.
    pub wait_mean_s: f64,
    /// Mean agents present.
    pub agents_staffed: f64,
    /// Busy time / present time.
    pub occupancy: f64,
    /// Mean CSAT of the tickets that closed in the interval.
    pub csat_mean: f64,
    /// The expected wait customers brought that day (mix of types), seconds.
    pub expected_wait_s: f64,
}

/// One CSAT value's share of closed tickets, with its interval across replications.
#[derive(Debug, Clone, PartialEq)]
pub struct CsatShare {
    /// CSAT value, 1 to 5.
    pub csat: u8,
    /// Share of closed tickets.
    pub share: Estimate,
}

/// One satisfaction term's mean contribution per closed ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// The term.
    pub term: Term,
    /// Mean contribution to the latent score, points per ticket.
    pub contribution: Estimate,
}

/// Runs every replication of `s`, on `threads` threads (all cores when `None`), calling
/// `progress` with each finished replication's index.
pub fn run_scenario(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
) -> RunResult {
    let start = std::time::Instant::now();
    let replications = simulate_range(s, 0..s.simulation.replications, threads, &progress);
    RunResult {
        scenario: s.clone(),
        replications,
        wall_time_s: start.elapsed().as_secs_f64(),
    }
}

/// Like [`run_scenario`], and streams every counted ticket of replication `r` as CSV rows
/// (no header, columns of [`TICKET_COLUMNS`]) to the file `part(r)`. Returns the files
/// in replication order.
pub fn run_scenario_with_tickets(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    part: impl Fn(u32) -> PathBuf + Sync,
) -> std::io::Result<(RunResult, Vec<PathBuf>)> {
    let start = std::time::Instant::now();
    let outcomes = Runaway::catch(|| {
        on_threads(s.simulation.replications, threads, |r| {
            let path = part(r);
            let res = write_tickets(s, r, &path);
            progress(r);
            res.map(|res| (res, path))
        })
    })
    .unwrap_or_else(|runaway| {
        // A runaway replication stops the run: no part file stays behind.
        for r in 0..s.simulation.replications {
            let _ = std::fs::remove_file(part(r));
        }
        runaway.throw()
    });
    let mut replications = Vec::with_capacity(outcomes.len());
    let mut parts = Vec::with_capacity(outcomes.len());
    let mut failure = None;
    for o in outcomes {
        match o {
            Ok((res, path)) => {
                replications.push(res);
                parts.push(path);
            }
            Err((e, path)) => {
                parts.push(path);
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        for p in &parts {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    let result = RunResult {
        scenario: s.clone(),
        replications,
        wall_time_s: start.elapsed().as_secs_f64(),
    };
    Ok((result, parts))
}

/// Runs one replication, writing its tickets to `path`.
fn write_tickets(
    s: &Scenario,
    r: u32,
    path: &std::path::Path,
) -> Result<ReplicationResult, (std::io::Error, PathBuf)> {
    let fail = |e: std::io::Error| (e, path.to_path_buf());
    let mut file = TicketFile::create(path).map_err(fail)?;
    let mut error: Option<std::io::Error> = None;
    let mut log = |t: &Ticket, outcome: Outcome, closed: f64, score: Option<&Score>| {
        if error.is_none()
            && let Err(e) = file.write(s, r, t, outcome, closed, score)
        {
            error = Some(e);
        }
    };
    let res = simulate_logged_checked(s, r, Some(&mut log)).unwrap_or_else(|e| e.throw());
    if let Some(e) = error {
        return Err(fail(e));
    }
    file.finish().map_err(fail)?;
    Ok(res)
}

/// Simulates replications `range` of `s`, calling `progress` as each one finishes. A
/// runaway replication stops the run: it is thrown ([`Runaway::throw`]) to the caller.
pub(crate) fn simulate_range(
    s: &Scenario,
    range: std::ops::Range<u32>,
    threads: Option<usize>,
    progress: &(impl Fn(u32) + Sync),
) -> Vec<ReplicationResult> {
    on_threads_range(range, threads, |r| {
        let res = simulate_checked(s, r).unwrap_or_else(|e| e.throw());
        progress(r);
        res
    })
}

/// Runs `f` for replications `0..n` on `threads` threads (all cores when `None`); the
/// results come back in replication order whatever the scheduling.
fn on_threads<R: Send>(n: u32, threads: Option<usize>, f: impl Fn(u32) -> R + Sync) -> Vec<R> {
    on_threads_range(0..n, threads, f)
}

/// Like [`on_threads`] for replications `range`.
fn on_threads_range<R: Send>(
    range: std::ops::Range<u32>,
    threads: Option<usize>,
    f: impl Fn(u32) -> R + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let work = || range.clone().into_par_iter().map(&f).collect::<Vec<_>>();
    match threads {
        Some(t) => match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
        None => work(),
    }
}

/// Round wait bins covering about the 99th percentile of the waits of `runs` pooled, plus a
/// tail bin when some wait lies beyond; empty when no run recorded a wait.
pub fn wait_bin_edges(runs: &[RunResult]) -> Vec<(f64, f64)> {
    let mut pooled = crate::stats::WaitHistogram::new();
    for r in runs.iter().flat_map(|r| &r.replications) {
        pooled.merge(&r.waits);
    }
    if pooled.is_empty() {
        return Vec::new();
    }
    let p99 = pooled.quantile(0.99);
    let width = nice_width(p99 / 30.0);
    let bins = ((p99 / width).ceil() as usize).clamp(1, 60);
    // Edges printed at the width's decimals and read back, so 0.6 is not 0.6000000000000001.
    let decimals = (-width.log10().floor()).max(0.0) as usize;
    let round = |x: f64| format!("{x:.decimals$}").parse::<f64>().unwrap_or(x);
    let mut edges: Vec<(f64, f64)> = (0..bins)
        .map(|i| (round(i as f64 * width), round((i + 1) as f64 * width)))
        .collect();
    let last = round(bins as f64 * width);
    if pooled.max() >= last {
        edges.push((last, f64::INFINITY));
    }
    edges
}

/// Picks a round bin width (1, 2 or 5 × 10^k seconds) near `target`.
fn nice_width(target: f64) -> f64 {
    if target.is_nan() || target <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|w| *w >= target)
        .unwrap_or(10.0 * p)
        .max(0.1)
}

impl RunResult {
    /// The estimate of one metric across replications.
    pub fn estimate(&self, m: Metric) -> Estimate {
        let values: Vec<f64> = self.replications.iter().map(|r| r.get(m)).collect();
        summarise(&values)
    }

    /// The wait-time distribution in round bins up to about the 99th percentile, plus a tail bin.
    pub fn wait_distribution(&self) -> Vec<WaitBin> {
        self.wait_distribution_on(&wait_bin_edges(std::slice::from_ref(self)))
    }

    /// The wait-time distribution on given bins (`[start, end)` seconds), e.g. bins shared
    /// by several runs so that their histograms line up.
    pub fn wait_distribution_on(&self, edges: &[(f64, f64)]) -> Vec<WaitBin> {
        edges
            .iter()
            .map(|&(lo, hi)| {
                let shares: Vec<f64> = self
                    .replications
                    .iter()
                    .map(|r| {
                        if r.waits.is_empty() {
                            f64::NAN
                        } else {
                            r.waits.count_between(lo, hi) as f64 / r.waits.len() as f64
                        }
                    })
                    .collect();
                WaitBin {
                    start_s: lo,
                    end_s: hi,
                    share: summarise(&shares),
                }
            })
            .collect()
    }

    /// Per-interval figures averaged over replications.
    pub fn intervals(&self) -> Vec<IntervalRow> {
        let Some(first) = self.replications.first() else {
            return Vec::new();
        };
        let grid = &self.scenario.day;
        let per_day = grid.intervals();
        let reps = self.replications.len() as f64;
        let mean_of = |f: &dyn Fn(&ReplicationResult, usize) -> f64, i: usize| {
            summarise(
                &self
                    .replications
                    .iter()
                    .map(|r| f(r, i))
                    .collect::<Vec<_>>(),
            )
            .mean
        };
        (0..first.intervals.len())
            .map(|i| {
                let idx = first.first_interval + i;
                let start_s = grid.interval_start(idx);
                let sum = |f: &dyn Fn(&crate::stats::IntervalStats) -> f64| {
                    self.replications
                        .iter()
                        .map(|r| f(&r.intervals[i]))
                        .sum::<f64>()
                        / reps
                };
                IntervalRow {
                    day: idx / per_day,
                    start_of_day_s: grid.start_of_day(idx % per_day),
                    start_s,
                    offered: sum(&|c| f64::from(c.offered)),
                    answered: sum(&|c| f64::from(c.answered)),
                    abandoned: sum(&|c| f64::from(c.abandoned)),
                    rejected: sum(&|c| f64::from(c.rejected)),
                    balked: sum(&|c| f64::from(c.balked)),
                    service_level: mean_of(&|r, i| r.intervals[i].service_level(), i),
                    wait_mean_s: mean_of(&|r, i| r.intervals[i].wait_mean_s(), i),
                    agents_staffed: sum(&|c| c.staffed_time / grid.interval),
                    occupancy: mean_of(&|r, i| r.intervals[i].occupancy(), i),
                    csat_mean: mean_of(&|r, i| r.intervals[i].csat_mean(), i),
                    expected_wait_s: mean_of(&|r, i| r.intervals[i].expected_wait, i),
                }
            })
            .collect()
    }

    /// The CSAT distribution of closed tickets.
    pub fn satisfaction_distribution(&self) -> Vec<CsatShare> {
        (0..5)
            .map(|k| {
                let shares: Vec<f64> = self
                    .replications
                    .iter()
                    .map(|r| {
                        let n: u64 = r.csat_counts.iter().sum();
                        if n == 0 {
                            f64::NAN
                        } else {
                            r.csat_counts[k] as f64 / n as f64
                        }
                    })
                    .collect();
                CsatShare {
                    csat: k as u8 + 1,
                    share: summarise(&shares),
                }
            })
            .collect()
    }

    /// Each satisfaction term's mean contribution per closed ticket.
    pub fn satisfaction_drivers(&self) -> Vec<Driver> {
        Term::ALL
            .iter()
            .enumerate()
            .map(|(k, term)| Driver {
                term: *term,
                contribution: summarise(
                    &self
                        .replications
                        .iter()
                        .map(|r| r.drivers[k])
                        .collect::<Vec<_>>(),
                ),
            })
            .collect()
    }

    /// Events processed across all replications.
    pub fn events(&self) -> u64 {
        self.replications.iter().map(|r| r.events).sum()
    }
}
