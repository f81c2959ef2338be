//! Statistics: fixed-memory accumulators filled during a replication, and the
//! summaries across replications with Student-t intervals.

pub mod breakdown;
mod breakdown_fold;
mod cells;
mod codec;
mod collector;
mod fold;
mod histogram;
mod interval_sums;
mod intervals;
mod metrics;
mod result;
mod summary;
mod wait_bins;

pub use breakdown::Breakdown;
pub use breakdown_fold::{BreakdownFold, DAY_CAP, day_values};
pub use cells::Cells;
pub use collector::{Collector, Costs, TicketSummary, interval_start};
pub use fold::{PairedFold, RunFold};
pub use histogram::WaitHistogram;
pub use interval_sums::IntervalSums;
pub use intervals::IntervalStats;
pub use metrics::{Direction, Metric};
pub use result::{Counts, ReplicationResult};
pub use summary::{Estimate, Moments, summarise, t_quantile_975};
pub use wait_bins::{WaitBins, WaitShares, nice_width};
