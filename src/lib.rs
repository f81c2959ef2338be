//! # rappel: a simulator of support organisations
//!
//! rappel simulates a call centre event by event: customers bring tickets, call, wait,
//! abandon, redial, and are answered by agents of teams whose size follows a staffing
//! profile. It reports wait-time distributions with confidence intervals.
//!
//! A run goes in three steps:
//!
//! ```
//! use rappel::{scenario::Scenario, run::run_scenario, stats::Metric};
//!
//! // 1. Read and validate a scenario (here from text; `Scenario::from_file` reads a file).
//! let scenario = Scenario::from_toml(r#"
//!     name = "tiny"
//!     [simulation]
//!     horizon = "8h"
//!     replications = 4
//!     [arrivals]
//!     rate_per_hour = 60
//!     [[ticket_types]]
//!     name = "general"
//!     handle_time = { dist = "exponential", mean = "4m" }
//!     patience = { dist = "exponential", mean = "2m" }
//!     [[teams]]
//!     name = "agents"
//!     agents = 5
//!     serves = ["general"]
//! "#, "tiny.toml").unwrap();
//!
//! // 2. Run its replications (in parallel; the result does not depend on the thread count).
//! let result = run_scenario(&scenario, None, |_| {});
//!
//! // 3. Read the estimates: a mean and a 95 % interval per metric.
//! let abandon = result.estimate(Metric::AbandonRate);
//! assert!(abandon.mean > 0.0 && abandon.mean < 0.5);
//! ```
//!
//! The modules follow the vocabulary of queueing: [`scenario`] (input), [`engine`] (event
//! calendar, random streams), [`centre`] (the simulated world), [`stats`] (accumulators and
//! intervals), [`analytic`] (Erlang formulas), [`plan`] (compare, sweep, staff, precision),
//! [`output`] (files and terminal).

pub mod analytic;
pub mod centre;
pub mod engine;
pub mod output;
pub mod plan;
pub mod report;
pub mod run;
pub mod satisfaction;
pub mod scenario;
pub mod stats;

// The planner's tools keep their paths of before `plan/`.
pub use plan::{compare, staff, sweep};
