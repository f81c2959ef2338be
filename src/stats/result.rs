//! What a replication reports once it is over.

use super::breakdown::Breakdown;
use super::cells::Cells;
use super::histogram::WaitHistogram;
use super::metrics::Metric;
use crate::satisfaction::Term;

/// Raw counts of one replication (counted calls and tickets only), so that tests and
/// analysts can check that every call and ticket is accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Inbound calls offered.
    pub offered: u64,
    /// Calls answered by an agent.
    pub answered: u64,
    /// Calls abandoned in the queue.
    pub abandoned: u64,
    /// Calls told to call back later.
    pub rejected: u64,
    /// Calls that hung up on hearing the wait.
    pub balked: u64,
    /// Calls made while the centre was closed.
    pub closed_made: u64,
    /// Calls on the line disconnected at closing time.
    pub disconnected: u64,
    /// Calls that left the line with a callback promise.
    pub callbacks_accepted: u64,
    /// Calls still waiting at the horizon.
    pub calls_open: u64,
    /// New tickets.
    pub tickets: u64,
    /// Tickets resolved.
    pub resolved: u64,
    /// Tickets lost.
    pub lost: u64,
    /// Conversations of the counted tickets (resolved, lost or open), all teams together.
    pub conversations: u64,
    /// Shortest wait recorded, seconds (infinite when none).
    pub min_wait: f64,
}

/// Everything a replication reports; written and read back exactly by `rappel merge`
/// (every field must have an encoding: see [`super::codec`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ReplicationResult {
    /// 0-based replication index.
    pub replication: u32,
    /// Values in the order of [`Metric::ALL`]; NaN where undefined.
    #[serde(with = "super::codec::array")]
    pub metrics: [f64; Metric::COUNT],
    /// Waits of the settled calls that reached the queue.
    pub waits: WaitHistogram,
    /// One cell per reported open interval, day-major, starting at `first_interval` (the
    /// older ones on disk when the run is longer than the cell window).
    pub intervals: Cells,
    /// Day-major index of `intervals[0]` (see [`crate::stats::interval_start`]).
    pub first_interval: usize,
    /// Events processed (for speed figures).
    pub events: u64,
    /// Raw counts behind the metrics.
    pub counts: Counts,
    /// Closed tickets per CSAT value 1..=5.
    pub csat_counts: [u64; 5],
    /// Mean contribution of each satisfaction term per scored ticket, in [`Term::ALL`] order.
    pub drivers: [f64; Term::ALL.len()],
    /// Figures per team and per ticket type.
    pub breakdown: Breakdown,
    /// The busyness factor of each day (`arrivals.busyness`; 1 without it), days 0 to
    /// [`crate::stats::DAY_CAP`] − 1 of the run at most.
    pub busyness: Vec<f64>,
}

impl ReplicationResult {
    /// The value of one metric.
    pub fn get(&self, m: Metric) -> f64 {
        self.metrics[m.index()]
    }
}
