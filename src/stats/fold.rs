//! A whole run reduced replication by replication: fixed-size accumulators that each
//! finished replication is folded into, in replication order, and then dropped.
//!
//! Folding in replication order (never in the order threads finish) makes every summary
//! the same bits whatever the threads and the block size; a later merge of shards can fold
//! the shards' per-replication records in the same order and get the same files.

use super::intervals::IntervalStats;
use super::metrics::Metric;
use super::result::ReplicationResult;
use super::summary::{Estimate, Moments};
use super::wait_bins::{WaitBins, WaitShares};
use crate::satisfaction::Term;

/// One interval's figures summed over replications.
#[derive(Debug, Clone, Copy)]
pub struct IntervalSums {
    /// Sums of the calls offered, answered, abandoned, rejected and balked.
    pub calls: [f64; 5],
    /// Sum of the agents present (staffed time / interval length).
    pub agents_staffed: f64,
    /// Service level, mean wait, occupancy, CSAT mean and expected wait, per replication.
    pub ratios: [Moments; 5],
}

impl Default for IntervalSums {
    fn default() -> Self {
        Self {
            calls: [-0.0; 5],
            agents_staffed: -0.0,
            ratios: [Moments::default(); 5],
        }
    }
}

impl IntervalSums {
    /// Adds one replication's cell; `interval` is the interval length, seconds.
    pub fn fold(&mut self, c: &IntervalStats, interval: f64) {
        let calls = [c.offered, c.answered, c.abandoned, c.rejected, c.balked];
        for (s, v) in self.calls.iter_mut().zip(calls) {
            *s += f64::from(v);
        }
        self.agents_staffed += c.staffed_time / interval;
        let ratios = [
            c.service_level(),
            c.wait_mean_s(),
            c.occupancy(),
            c.csat_mean(),
            c.expected_wait,
        ];
        for (m, v) in self.ratios.iter_mut().zip(ratios) {
            m.push(v);
        }
    }
}

/// Everything the files of a run need from its replications, folded in replication order.
#[derive(Debug, Clone)]
pub struct RunFold {
    n: usize,
    interval: f64,
    metrics: [Moments; Metric::COUNT],
    waits: WaitShares,
    csat: [Moments; 5],
    drivers: [Moments; Term::ALL.len()],
    intervals: Vec<IntervalSums>,
    first_interval: usize,
    events: u64,
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
            intervals: Vec::new(),
            first_interval: 0,
            events: 0,
        }
    }

    /// Adds the next replication (replications must come in index order).
    pub fn fold(&mut self, r: &ReplicationResult) {
        if self.n == 0 {
            self.first_interval = r.first_interval;
            self.intervals = vec![IntervalSums::default(); r.intervals.len()];
        }
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
        for (s, c) in self.intervals.iter_mut().zip(&r.intervals) {
            s.fold(c, self.interval);
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

    /// Per-interval sums, from day-major interval [`Self::first_interval`].
    pub fn intervals(&self) -> &[IntervalSums] {
        &self.intervals
    }

    /// Day-major index of the first interval.
    pub fn first_interval(&self) -> usize {
        self.first_interval
    }

    /// Events processed.
    pub fn events(&self) -> u64 {
        self.events
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
