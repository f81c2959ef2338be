//! The planner's tools: they run a scenario many times to answer a question about it.
//!
//! - [`compare`]: several scenarios on the same customers, paired differences per metric;
//! - [`factorial`]: the main effects and interaction of a 2×2 comparison;
//! - [`sweep`]: a grid of values of the scenario's keys;
//! - [`staff`]: the fewest agents per interval that meet targets;
//! - [`precision`]: replications added until the intervals are narrow enough.
//!
//! Their command lines are in the binary's `cli/`, their files in [`crate::output`].

pub mod compare;
pub mod factorial;
pub mod precision;
pub mod staff;
pub mod sweep;
