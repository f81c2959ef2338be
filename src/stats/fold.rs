//! A whole run reduced replication by replication: fixed-size accumulators that each
//! finished replication is folded into, in replication order, and then dropped.
//!
//! Folding in replication order (never in the order threads finish) makes every summary
//! the same bits whatever the threads and the block size; a later merge of shards can fold
//! the shards' per-replication records in the same order and get the same files.

use super::breakdown_fold::BreakdownFold;
use super::interval_sums::{IntervalAcc, IntervalSums};
use super::metrics::Metric;
use super::result::ReplicationResult;
use super::summary::{Estimate, Moments};
use super::wait_bins::{WaitBins, WaitShares};
use crate::satisfaction::Term;

/// Everything the files of a run need from its replications, folded in replication order.
#[derive(Debug, Clone)]
pub struct RunFold {
    n: usize,
    interval: f64,
    metrics: [Moments; Metric::COUNT],
    waits: WaitShares,
    csat: [Moments; 5],
    drivers: [Moments; Term::ALL.len()],
    intervals: IntervalAcc,
    first_interval: usize,
    events: u64,
    breakdown: BreakdownFold,
}

impl RunFold {
    /// No replication yet; `interval` is the length of the day's intervals, seconds.
    pub fn new(interval: f64) -> Self {
        Self {
            n: 0,
            interval,
            metrics: [Moments::default(); Metric::COUNT],
            waits: WaitShares::new(),
            csat: [Moments::default(); 5],
            drivers: [Moments::default(); Term::ALL.len()],
            intervals: IntervalAcc::default(),
            first_interval: 0,
            events: 0,
            breakdown: BreakdownFold::default(),
        }
    }

    /// Adds the next replication (replications must come in index order).
    pub fn fold(&mut self, r: &ReplicationResult) {
        if self.n == 0 {
            self.first_interval = r.first_interval;
        }
        self.intervals
            .fold(&r.intervals, self.n == 0, self.interval);
        self.breakdown.fold(r, self.n == 0);
        self.n += 1;
        for (m, v) in self.metrics.iter_mut().zip(r.metrics) {
            m.push(v);
        }
        self.waits.fold(&r.waits);
        let closed: u64 = r.csat_counts.iter().sum();
        for (m, c) in self.csat.iter_mut().zip(r.csat_counts) {
            m.push(if closed == 0 {
                f64::NAN
            } else {
                c as f64 / closed as f64
            });
        }
        for (m, v) in self.drivers.iter_mut().zip(r.drivers) {
            m.push(v);
        }
        self.events += r.events;
    }

    /// Replications folded.
    pub fn replications(&self) -> usize {
        self.n
    }

    /// The estimate of one metric.
    pub fn estimate(&self, m: Metric) -> Estimate {
        self.metrics[m.index()].estimate()
    }

    /// The wait-bin accumulator.
    pub fn waits(&self) -> &WaitShares {
        &self.waits
    }

    /// The bins this run's own waits call for.
    pub fn wait_bins(&self) -> WaitBins {
        WaitBins::for_waits(self.waits.pooled())
    }

    /// Share of closed tickets with CSAT `k + 1`.
    pub fn csat(&self, k: usize) -> Estimate {
        self.csat[k].estimate()
    }

    /// Contribution of the satisfaction term `k` of [`Term::ALL`].
    pub fn driver(&self, k: usize) -> Estimate {
        self.drivers[k].estimate()
    }

    /// Hands `f` each interval's sums in order, with its position from day-major
    /// interval [`Self::first_interval`] (read from disk when the run is longer than the
    /// window); the first error met folding or reading them ends it.
    pub fn for_each_interval(
        &self,
        f: impl FnMut(usize, &IntervalSums) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.intervals.for_each(f)
    }

    /// How many intervals are reported.
    pub fn interval_count(&self) -> usize {
        self.intervals.len()
    }

    /// Day-major index of the first interval.
    pub fn first_interval(&self) -> usize {
        self.first_interval
    }

    /// Events processed.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The figures per team, type and day.
    pub fn breakdown(&self) -> &BreakdownFold {
        &self.breakdown
    }
}

/// Paired differences of every metric between a scenario and its baseline, replication by
/// replication (replications where either is undefined skipped).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedFold {
    diffs: [Moments; Metric::COUNT],
}

impl Default for PairedFold {
    fn default() -> Self {
        Self {
            diffs: [Moments::default(); Metric::COUNT],
        }
    }
}

impl PairedFold {
    /// Adds replication *r* of the baseline and of the scenario.
    pub fn fold(&mut self, base: &ReplicationResult, other: &ReplicationResult) {
        for (k, m) in self.diffs.iter_mut().enumerate() {
            m.push(other.metrics[k] - base.metrics[k]);
        }
    }

    /// The difference scenario − baseline of one metric.
    pub fn estimate(&self, m: Metric) -> Estimate {
        self.diffs[m.index()].estimate()
    }
}
