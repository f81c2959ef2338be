//! Statistics: fixed-memory accumulators filled during a replication, and the
//! summaries across replications with Student-t intervals.

mod collector;
mod histogram;
mod metrics;
mod summary;

pub use collector::{
    Collector, Counts, IntervalStats, ReplicationResult, TicketSummary, interval_start,
};
pub use histogram::WaitHistogram;
pub use metrics::Metric;
pub use summary::{Estimate, summarise, t_quantile_975};
