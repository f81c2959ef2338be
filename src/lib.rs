//! # rappel: a simulator of support organisations
//!
//! rappel simulates a call centre event by event: customers bring tickets, call, wait,
//! abandon, redial, are told to call back later or offered a callback, and are answered by
//! agents of teams whose competence decides whether the problem is solved. It reports
//! wait-time and satisfaction distributions with confidence intervals.
//!
//! ## 1. A scenario
//!
//! A [`scenario::Scenario`] is read from TOML and validated before anything runs: every
//! problem comes back with its file, line, key and a fix (`Scenario::from_file` reads a file).
//!
//! ```
//! use rappel::scenario::Scenario;
//!
//! let text = r#"
//!     name = "tiny"
//!     [simulation]
//!     horizon = "8h"
//!     replications = 8
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
//! "#;
//! let scenario = Scenario::from_toml(text, "tiny.toml").unwrap();
//! assert_eq!(scenario.day.intervals(), 48); // the day grid: 24 h in 30-minute intervals
//!
//! // A mistake names its line and key.
//! let wrong = text.replace("agents = 5", "agents = -5");
//! let errors = Scenario::from_toml(&wrong, "tiny.toml").unwrap_err();
//! assert!(errors.to_string().contains("tiny.toml:14:5: `teams[0].agents`"));
//! ```
//!
//! ## 2. Run it, read the estimates
//!
//! [`run::run_scenario`] simulates the replications in parallel ([`centre`] holds one
//! replication's world, one file per step of the customer's journey) and folds them, in
//! replication order, into [`stats`] summaries: the result does not depend on the thread
//! count. Each [`stats::Metric`] has a mean and a Student-t 95 % interval.
//!
//! ```
//! # use rappel::scenario::Scenario;
//! # let scenario = Scenario::from_toml(r#"
//! #     name = "tiny"
//! #     [simulation]
//! #     horizon = "8h"
//! #     replications = 8
//! #     [arrivals]
//! #     rate_per_hour = 60
//! #     [[ticket_types]]
//! #     name = "general"
//! #     handle_time = { dist = "exponential", mean = "4m" }
//! #     patience = { dist = "exponential", mean = "2m" }
//! #     [[teams]]
//! #     name = "agents"
//! #     agents = 5
//! #     serves = ["general"]
//! # "#, "tiny.toml").unwrap();
//! use rappel::{analytic, run::run_scenario, stats::Metric};
//!
//! let result = run_scenario(&scenario, None, |_| {});
//! let abandon = result.estimate(Metric::AbandonRate);
//! assert!(abandon.ci95_low <= abandon.mean && abandon.mean <= abandon.ci95_high);
//!
//! // The same queue in closed form (Erlang A, in `analytic`): the simulation agrees with it
//! // within its standard errors (tests/validity.rs checks that for many queues).
//! let theory = analytic::figures(&analytic::QueueInput {
//!     arrival_rate: 60.0 / 3600.0,
//!     mean_handle: 240.0,
//!     agents: 5,
//!     mean_patience: Some(120.0),
//!     queue_capacity: None,
//!     threshold: 20.0,
//! })
//! .unwrap();
//! assert!(theory.p_abandon > 0.0 && theory.p_abandon < 0.2);
//!
//! // Distributions, not only means: the share of waits in round bins, each with its interval.
//! let waits = result.wait_distribution();
//! assert!(waits.iter().all(|b| b.start_s < b.end_s));
//! ```
//!
//! ## 3. Ask a planner's question
//!
//! [`plan`] runs scenarios many times to answer a question: [`plan::compare`] runs several
//! on the same customers (common random numbers) and gives paired differences,
//! [`plan::sweep`] a grid of key values, [`plan::staff`] the fewest agents per interval that
//! meet targets, [`plan::precision`] replications until the intervals are narrow enough.
//!
//! ```
//! # let text = r#"
//! #     name = "tiny"
//! #     [simulation]
//! #     horizon = "8h"
//! #     replications = 8
//! #     [arrivals]
//! #     rate_per_hour = 60
//! #     [[ticket_types]]
//! #     name = "general"
//! #     handle_time = { dist = "exponential", mean = "4m" }
//! #     patience = { dist = "exponential", mean = "2m" }
//! #     [[teams]]
//! #     name = "agents"
//! #     agents = 5
//! #     serves = ["general"]
//! # "#;
//! use rappel::{compare::paired_difference, run::run_compared, scenario::Scenario};
//! use rappel::stats::Metric;
//!
//! let five = Scenario::from_toml(text, "five.toml").unwrap();
//! let six = Scenario::from_toml(&text.replace("agents = 5", "agents = 6"), "six.toml").unwrap();
//! let runs = run_compared(&[five, six], None, |_| {});
//! // One more agent, the same customers: fewer callers hang up.
//! let change = paired_difference(&runs[0], &runs[1], Metric::AbandonRate);
//! assert!(change.mean < 0.0);
//! ```
//!
//! ## 4. Write what people read
//!
//! [`output`] holds every file and table: one CSV writer, one JSON writer, one provenance
//! record, the terminal's tables and histograms, all committed into an output folder at once
//! ([`output::AtomicDir`]); [`report`] draws the HTML report. For example, the terminal table
//! of the run above is `output::summary_table(&result, 100)`.
//!
//! The modules follow the vocabulary of queueing: [`scenario`] (input, and the day grid in
//! `scenario::clock`), [`engine`] (event calendar, random streams), [`centre`] (the
//! simulated world), [`satisfaction`] (a journey's score), [`stats`] (accumulators and
//! intervals), [`analytic`] (Erlang formulas), [`plan`] (compare, sweep, staff, precision),
//! [`output`] and [`report`] (files, terminal, HTML).

pub mod analytic;
pub mod centre;
pub mod engine;
pub mod fit;
pub mod output;
pub mod plan;
pub mod report;
pub mod run;
pub mod satisfaction;
pub mod scenario;
pub mod stats;
pub mod warnings;

// The planner's tools keep their paths of before `plan/`.
pub use plan::{compare, factorial, staff, sweep};
