//! Analytical steady-state figures of single-skill call-centre queues.
//!
//! Covered models, all with Poisson arrivals and exponential handle times:
//! - Erlang B (M/M/c/c, loss system) and Erlang C (M/M/c, infinitely patient
//!   callers), after A. K. Erlang (1917);
//! - Erlang A (M/M/c+M, exponential patience), after C. Palm (1943) and
//!   A. Mandelbaum & S. Zeltyn, "The M/M/n+G queue: summary of performance
//!   measures" (2007);
//! - the standard M/M/c/K queue with a bounded waiting room, and its
//!   combination with patience (M/M/c/K+M).
//!
//! The simulator's tests compare against these figures, and the `erlang` and
//! staffing commands report them.

mod chain;
pub mod erlang;
#[cfg(test)]
mod tests;

pub use erlang::{
    AnalyticError, QueueFigures, QueueInput, Targets, agents_for, erlang_b, erlang_c, figures,
    scheduled_agents,
};
