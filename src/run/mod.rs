//! Runs a scenario's replications in parallel and summarises them.

use crate::centre::simulate_checked;
use crate::satisfaction::Term;
use crate::scenario::Scenario;
use crate::stats::{
    BreakdownFold, Estimate, Metric, PairedFold, ReplicationResult, RunFold, WaitBins,
};

mod logs;

pub use crate::output::tickets::TICKET_COLUMNS;
pub use crate::plan::precision::{PrecisionReport, run_to_precision};
pub use logs::{Logs, run_range_with_logs, run_scenario_with_logs, run_scenario_with_tickets};

/// The outcome of all replications of one scenario, reduced as they finished (no
/// replication's own figures are kept: see [`run_scenario_each`] to see each one).
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The scenario that was run (after command-line overrides).
    pub scenario: Scenario,
    /// Wall-clock seconds the replications took.
    pub wall_time_s: f64,
    fold: Box<RunFold>,
    /// Paired differences from the baseline, for a scenario run by [`run_compared`].
    paired: Option<Box<PairedFold>>,
    /// The warnings about the results, worked out once (they read every interval).
    warnings: std::sync::OnceLock<Vec<crate::warnings::Warning>>,
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
    /// Mean calls on the line at closing time, disconnected with the closed message.
    pub closed: f64,
    /// Mean calls that left the line with an entry callback.
    pub callbacks: f64,
    /// Mean calls made while closed, between midnight and this day's opening.
    pub closed_before: f64,
    /// Mean calls made while closed, between this day's closing and midnight.
    pub closed_after: f64,
    /// Mean accessibility: (answered within the threshold + called back within the
    /// promise) / offered.
    pub accessibility: f64,
    /// Mean service level (share of settled calls answered within the threshold).
    pub service_level: f64,
    /// Mean wait of settled calls, seconds.
    pub wait_mean_s: f64,
    /// Mean agents present.
    pub agents_staffed: f64,
    /// Mean agents of the plan, with a roster: scheduled, present (not absent), planned on
    /// the phone (neither on a break nor in planned shrinkage) and on the phone (after
    /// adherence); without a roster, each is the staffing list.
    pub roster: [f64; 4],
    /// Busy time / present time.
    pub occupancy: f64,
    /// Mean CSAT of the tickets that closed in the interval.
    pub csat_mean: f64,
    /// The expected wait customers brought that day (mix of types), seconds.
    pub expected_wait_s: f64,
    /// That day's factor on the arrival rate from word of mouth (1 without it).
    pub word_of_mouth_factor: f64,
    /// Mean written messages waiting, time-averaged over the interval, then over the day's
    /// closed stretches before opening and after closing (NaN for a stretch of no length).
    pub messages_waiting: [f64; 3],
}

/// One CSAT value's share of the scored tickets (every counted one), with its interval across replications.
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
    run_scenario_each(s, threads, progress, |_| {})
}

/// Like [`run_scenario`], handing every replication's figures to `each`, in replication
/// order, before they are dropped (e.g. to stream `replications.csv`).
pub fn run_scenario_each(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    mut each: impl FnMut(&ReplicationResult),
) -> RunResult {
    let start = std::time::Instant::now();
    let mut result = RunResult::empty(s);
    result.extend(
        s,
        0..s.simulation.replications,
        threads,
        &progress,
        &mut each,
    );
    result.wall_time_s = start.elapsed().as_secs_f64();
    result
}

/// Runs scenarios on common random numbers, replication *r* of every scenario in the same
/// block, and folds each scenario's paired differences from the first (the baseline).
/// Every scenario runs the first one's replications.
pub fn run_compared(
    scenarios: &[Scenario],
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
) -> Vec<RunResult> {
    run_compared_each(scenarios, threads, progress, |_| {})
}

/// Like [`run_compared`], handing replication *r* of every scenario (in scenario order) to
/// `each`, in replication order, before they are dropped: for contrasts of more than two
/// scenarios folded replication by replication (`plan::factorial`).
pub fn run_compared_each(
    scenarios: &[Scenario],
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    mut each: impl FnMut(&[ReplicationResult]),
) -> Vec<RunResult> {
    let start = std::time::Instant::now();
    let Some(first) = scenarios.first() else {
        return Vec::new();
    };
    let k = scenarios.len() as u32;
    let mut runs = compared_runs(scenarios);
    in_blocks(
        0..first.simulation.replications,
        k,
        threads,
        |r, i| {
            let res = simulate_checked(&scenarios[i as usize], r).unwrap_or_else(|e| e.throw());
            progress(r);
            res
        },
        |_, reps| {
            fold_compared(&mut runs, &reps);
            each(&reps);
        },
    );
    let wall = start.elapsed().as_secs_f64() / f64::from(k);
    for run in &mut runs {
        run.wall_time_s = wall;
    }
    runs
}

/// Simulates replications `range` of every scenario of `scenarios` (replication *r* of each
/// in the same block, as [`run_compared`] does) and hands each replication's results, in
/// scenario order, to `each` in replication order, folding nothing: what a shard writes
/// for `rappel merge` to fold ([`RunResult::replay`], [`replay_compared`]).
pub fn simulate_each(
    scenarios: &[Scenario],
    range: std::ops::Range<u32>,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    each: impl FnMut(u32, Vec<ReplicationResult>),
) {
    let k = scenarios.len() as u32;
    if k == 0 {
        return;
    }
    in_blocks(
        range,
        k,
        threads,
        |r, i| {
            let res = simulate_checked(&scenarios[i as usize], r).unwrap_or_else(|e| e.throw());
            progress(r);
            res
        },
        each,
    );
}

/// Folds replications of scenarios compared, simulated elsewhere (by shards), in
/// replication order: the runs [`run_compared_each`] would have returned, with the same
/// folds in the same order, handing each replication's results to `each` (wall times
/// are 0: the caller knows them). The first error of `reps` stops it.
pub fn replay_compared<E>(
    scenarios: &[Scenario],
    reps: impl IntoIterator<Item = Result<Vec<ReplicationResult>, E>>,
    mut each: impl FnMut(&[ReplicationResult]),
) -> Result<Vec<RunResult>, E> {
    let mut runs = compared_runs(scenarios);
    for r in reps {
        let r = r?;
        fold_compared(&mut runs, &r);
        each(&r);
    }
    Ok(runs)
}

/// The empty runs of a comparison: every scenario after the first paired with it.
fn compared_runs(scenarios: &[Scenario]) -> Vec<RunResult> {
    let mut runs: Vec<RunResult> = scenarios.iter().map(RunResult::empty).collect();
    for run in runs.iter_mut().skip(1) {
        run.paired = Some(Box::default());
    }
    runs
}

/// Folds replication *r* of every scenario compared (`reps`, in scenario order).
fn fold_compared(runs: &mut [RunResult], reps: &[ReplicationResult]) {
    for (i, rep) in reps.iter().enumerate() {
        runs[i].fold.fold(rep);
        if let Some(p) = runs[i].paired.as_mut() {
            p.fold(&reps[0], rep);
        }
    }
}

/// Replications simulated at once: a few per thread, so that every thread stays busy
/// while at most this many replications' figures are in memory.
fn block_size(threads: Option<usize>) -> u32 {
    let t = threads.unwrap_or_else(rayon::current_num_threads).max(1);
    (4 * t).clamp(8, 64) as u32
}

/// Runs `job(r, i)` for replications `range` and `k` jobs per replication, in parallel
/// blocks of replications; hands each replication's `k` results to `take`, in replication
/// order, as each block finishes. Memory holds one block, whatever the range.
fn in_blocks<R: Send>(
    range: std::ops::Range<u32>,
    k: u32,
    threads: Option<usize>,
    job: impl Fn(u32, u32) -> R + Sync,
    mut take: impl FnMut(u32, Vec<R>),
) {
    let block = block_size(threads);
    let mut r = range.start;
    while r < range.end {
        let end = r.saturating_add(block).min(range.end);
        let jobs = (u64::from(r) * u64::from(k)) as u32..(u64::from(end) * u64::from(k)) as u32;
        let mut out = on_threads_range(jobs, threads, |j| job(j / k, j % k)).into_iter();
        for rep in r..end {
            take(rep, out.by_ref().take(k as usize).collect());
        }
        r = end;
    }
}

/// Every replication of `s`, kept in memory in replication order (memory grows with the
/// replications: for tests and analyses of single replications).
pub fn simulate_replications(s: &Scenario, threads: Option<usize>) -> Vec<ReplicationResult> {
    on_threads(s.simulation.replications, threads, |r| {
        simulate_checked(s, r).unwrap_or_else(|e| e.throw())
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
        // One thread needs no pool, and so does a pool that cannot be built: the calling
        // thread runs the replications in order (the results are the same).
        Some(1) => range.map(&f).collect(),
        // Already on a pool of that size (the command line installs one): use it.
        Some(t) if rayon::current_thread_index().is_some() && rayon::current_num_threads() == t => {
            work()
        }
        Some(t) => match rayon::ThreadPoolBuilder::new().num_threads(t).build() {
            Ok(pool) => pool.install(work),
            Err(_) => range.map(&f).collect(),
        },
        None => work(),
    }
}

/// Round wait bins covering about the 99th percentile of the waits of `runs` pooled, plus a
/// tail bin when some wait lies beyond; none when no run recorded a wait.
pub fn wait_bin_edges(runs: &[RunResult]) -> WaitBins {
    let mut pooled = crate::stats::WaitHistogram::new();
    for r in runs {
        pooled.merge(r.fold.waits().pooled());
    }
    WaitBins::for_waits(&pooled)
}

/// One interval's spread across replications, for the charts.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalSpread {
    /// Service level.
    pub service_level: Estimate,
    /// Mean wait of settled calls, seconds.
    pub wait_mean_s: Estimate,
}

impl RunResult {
    /// No replication yet.
    fn empty(s: &Scenario) -> Self {
        RunResult {
            scenario: s.clone(),
            wall_time_s: 0.0,
            fold: Box::new(RunFold::new(s.day.interval)),
            paired: None,
            warnings: std::sync::OnceLock::new(),
        }
    }

    /// Folds replications of `s` simulated elsewhere (by shards), in replication order:
    /// the result [`run_scenario_each`] would have returned, with the same folds in the same
    /// order, handing each replication to `each` (the wall time is 0: the caller knows it).
    /// The first error of `reps` stops it.
    pub fn replay<E>(
        s: &Scenario,
        reps: impl IntoIterator<Item = Result<ReplicationResult, E>>,
        mut each: impl FnMut(&ReplicationResult),
    ) -> Result<RunResult, E> {
        let mut result = RunResult::empty(s);
        for rep in reps {
            let rep = rep?;
            result.fold.fold(&rep);
            each(&rep);
        }
        result.scenario.simulation.replications = result.fold.replications() as u32;
        Ok(result)
    }

    /// What these results would mislead about, each with what to do
    /// ([`crate::warnings::for_run`]).
    pub fn warnings(&self) -> &[crate::warnings::Warning] {
        self.warnings.get_or_init(|| crate::warnings::for_run(self))
    }

    /// Simulates replications `range` (which must follow those already folded) and folds
    /// them, handing each to `each`.
    pub(crate) fn extend(
        &mut self,
        s: &Scenario,
        range: std::ops::Range<u32>,
        threads: Option<usize>,
        progress: &(impl Fn(u32) + Sync),
        each: &mut impl FnMut(&ReplicationResult),
    ) {
        self.warnings = std::sync::OnceLock::new();
        let fold = &mut self.fold;
        in_blocks(
            range,
            1,
            threads,
            |r, _| {
                let res = simulate_checked(s, r).unwrap_or_else(|e| e.throw());
                progress(r);
                res
            },
            |_, reps| {
                for rep in &reps {
                    fold.fold(rep);
                    each(rep);
                }
            },
        );
        self.scenario.simulation.replications = self.fold.replications() as u32;
    }

    /// How many replications were run.
    pub fn replications(&self) -> usize {
        self.fold.replications()
    }

    /// The estimate of one metric across replications.
    pub fn estimate(&self, m: Metric) -> Estimate {
        self.fold.estimate(m)
    }

    /// The paired difference from the baseline of one metric, for a scenario run by
    /// [`run_compared`] after the baseline (`None` otherwise).
    pub fn paired_difference(&self, m: Metric) -> Option<Estimate> {
        self.paired.as_ref().map(|p| p.estimate(m))
    }

    /// The wait-time distribution in round bins up to about the 99th percentile, plus a tail bin.
    pub fn wait_distribution(&self) -> Vec<WaitBin> {
        self.wait_distribution_on(&self.fold.wait_bins())
    }

    /// The share of waits of 0 s (answered at once), and the wait-time distribution on
    /// `bins` with those waits out of the first bin: the report's chart, which shows them
    /// apart.
    pub fn wait_distribution_apart_on(&self, bins: &WaitBins) -> (Estimate, Vec<WaitBin>) {
        let (zero, shares) = self.fold.waits().shares_apart(bins);
        let bins = shares
            .into_iter()
            .map(|(start_s, end_s, share)| WaitBin {
                start_s,
                end_s,
                share,
            })
            .collect();
        (zero, bins)
    }

    /// The wait bins of this run alone (those of `wait_distribution.csv`).
    pub fn wait_bins(&self) -> WaitBins {
        self.fold.wait_bins()
    }

    /// The share of waits of exactly 0 (to the millisecond): calls answered at once, of the
    /// calls that reached the queue; a part of the first bin of [`Self::wait_distribution`].
    pub fn wait_zero_share(&self) -> Estimate {
        self.fold.waits().zero()
    }

    /// The wait-time distribution on given bins, e.g. bins shared by several runs
    /// ([`wait_bin_edges`]) so that their histograms line up.
    pub fn wait_distribution_on(&self, bins: &WaitBins) -> Vec<WaitBin> {
        self.fold
            .waits()
            .shares(bins)
            .into_iter()
            .map(|(start_s, end_s, share)| WaitBin {
                start_s,
                end_s,
                share,
            })
            .collect()
    }

    /// Hands `f` each interval's figures averaged over replications, with its spread, in
    /// time order, streamed (read from disk when the run is longer than the cell window):
    /// memory stays flat whatever the horizon. The first error met ends it.
    pub fn try_for_each_interval(
        &self,
        mut f: impl FnMut(IntervalRow, IntervalSpread) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let grid = &self.scenario.day;
        let per_day = grid.intervals();
        let reps = self.fold.replications() as f64;
        let first = self.fold.first_interval();
        self.fold.for_each_interval(|i, c| {
            let idx = first + i;
            let mean = |k: usize| c.ratios[k].mean();
            let row = IntervalRow {
                day: idx / per_day,
                start_of_day_s: grid.start_of_day(idx % per_day),
                start_s: grid.interval_start(idx),
                offered: c.calls[0] / reps,
                answered: c.calls[1] / reps,
                abandoned: c.calls[2] / reps,
                rejected: c.calls[3] / reps,
                balked: c.calls[4] / reps,
                closed: c.calls[5] / reps,
                callbacks: c.calls[6] / reps,
                closed_before: c.calls[7] / reps,
                closed_after: c.calls[8] / reps,
                accessibility: mean(5),
                service_level: mean(0),
                wait_mean_s: mean(1),
                agents_staffed: c.agents_staffed / reps,
                roster: c.roster.map(|v| v / reps),
                occupancy: mean(2),
                csat_mean: mean(3),
                expected_wait_s: mean(4),
                word_of_mouth_factor: mean(6),
                messages_waiting: {
                    let i = idx % per_day;
                    let start = grid.start_of_day(i);
                    let len = (start + grid.interval).min(grid.close) - start;
                    let lens = [len, grid.open, crate::scenario::DAY - grid.close];
                    std::array::from_fn(|k| {
                        if lens[k] > 0.0 {
                            c.message_wait[k] / reps / lens[k]
                        } else {
                            f64::NAN
                        }
                    })
                },
            };
            let spread = IntervalSpread {
                service_level: c.ratios[0].estimate(),
                wait_mean_s: c.ratios[1].estimate(),
            };
            f(row, spread)
        })
    }

    /// Per-interval figures averaged over replications, in memory (for the report and
    /// analyses of short runs; files stream them with [`Self::try_for_each_interval`]).
    /// Stops early at a read error of the run's interval file, which writing
    /// `intervals.csv` reports.
    pub fn intervals(&self) -> Vec<IntervalRow> {
        let mut rows = Vec::with_capacity(self.fold.interval_count());
        let _ = self.try_for_each_interval(|row, _| {
            rows.push(row);
            Ok(())
        });
        rows
    }

    /// Per-interval intervals across replications of the service level and mean wait,
    /// in memory like [`Self::intervals`].
    pub fn interval_spread(&self) -> Vec<IntervalSpread> {
        let mut out = Vec::with_capacity(self.fold.interval_count());
        let _ = self.try_for_each_interval(|_, spread| {
            out.push(spread);
            Ok(())
        });
        out
    }

    /// The CSAT distribution of closed tickets.
    pub fn satisfaction_distribution(&self) -> Vec<CsatShare> {
        (0..5)
            .map(|k| CsatShare {
                csat: k as u8 + 1,
                share: self.fold.csat(k),
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
                contribution: self.fold.driver(k),
            })
            .collect()
    }

    /// Events processed across all replications.
    pub fn events(&self) -> u64 {
        self.fold.events()
    }

    /// The figures per team, ticket type and day, folded across replications (rows of
    /// `breakdown.csv`: [`crate::output::breakdown_rows`]).
    pub fn breakdown(&self) -> &BreakdownFold {
        self.fold.breakdown()
    }
}
