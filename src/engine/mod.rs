//! The discrete-event machinery: an event calendar with deterministic ties and
//! random streams derived from (seed, replication, purpose).

mod calendar;
mod random;

pub use calendar::Calendar;
pub use random::{Purpose, Stream, stream};
