//! Sweeps: one scenario run over a grid of values of its keys (`rappel sweep`).
//!
//! An [`Axis`] is one `--set KEY=VALUES`: a dotted key path into the scenario file and the
//! values it takes. [`Sweep::new`] builds the grid (the cartesian product of the axes, the
//! first varying slowest), writes each point's value into a copy of the file's TOML and
//! validates it like any scenario, so that nothing runs unless every point is valid.
//! [`Sweep::run`] runs the points one after another with the same seed and replications, so
//! every point sees the same customers; [`sweep_csv`] and [`sweep_json`] write the results.
//!
//! ```
//! use rappel::sweep::{Axis, Sweep};
//! let text = r#"
//!     name = "tiny"
//!     [simulation]
//!     horizon = "2h"
//!     replications = 2
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
//! let axes = vec![Axis::parse("teams.agents.agents=4..6").unwrap()];
//! let sweep = Sweep::new(text, "tiny.toml", axes, None, None).unwrap();
//! assert_eq!(sweep.points.len(), 3);
//! assert_eq!(sweep.points[2].scenario.teams[0].staffing[0], 6);
//! let result = sweep.run(None, |_| {}, |_| {});
//! assert_eq!(result.points.len(), 3);
//! ```
//!
//! A key path names tables by key (`entry.max_queue`, `entry.callback.threshold`) and the
//! elements of arrays of tables by their `name` (`teams.agents.agents`) or by a 0-based
//! index (`teams.0.agents`, also `teams.agents.agents.3` for one value of a staffing list).
//! A key that the file leaves out is added; the validator then judges it like any other.

mod axis;
mod set;
#[cfg(test)]
mod tests;

pub use crate::output::sweep::{sweep_csv, sweep_json, sweep_stdout_json};
pub use axis::{Axis, value_text};

use crate::run::{RunResult, run_scenario};
use crate::scenario::{Scenario, ScenarioError, ScenarioErrors};
use set::{set_path, unknown_key};
use toml::{Table, Value};

/// The largest grid a sweep runs.
pub const MAX_POINTS: usize = 10_000;

/// The columns of `sweep.csv` after the one column per swept key.
pub const METRIC_COLUMNS: [&str; 6] = [
    "metric",
    "unit",
    "mean",
    "ci95_low",
    "ci95_high",
    "replications",
];

/// Why a sweep cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// A `--set` argument that is not `KEY=VALUES`, or a grid that cannot be run.
    #[error("--set `{arg}`: {message}\n  help: {help}")]
    Syntax {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// How to write it.
        help: String,
    },
    /// A key path that leads nowhere in the scenario.
    #[error("{}", path_message(key, message, help.as_deref()))]
    Path {
        /// The key path as given.
        key: String,
        /// What is wrong, and what exists there.
        message: String,
        /// The nearest existing name, or how to address the key.
        help: Option<String>,
    },
    /// The scenario file, or a point of the grid, is not a valid scenario.
    #[error("{0}")]
    Scenario(ScenarioErrors),
}

fn path_message(key: &str, message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("--set `{key}`: {message}\n  help: {h}"),
        None => format!("--set `{key}`: {message}"),
    }
}

/// One point of the grid: a value per axis and the scenario they make.
#[derive(Debug, Clone)]
pub struct Point {
    /// One value per axis, in axis order.
    pub values: Vec<Value>,
    /// The validated scenario, with the seed and replications of the sweep.
    pub scenario: Scenario,
}

/// A validated grid, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The swept keys, in the order given.
    pub axes: Vec<Axis>,
    /// Every point, the first axis varying slowest.
    pub points: Vec<Point>,
}

/// `key=value, key=value` for one point.
pub fn label(axes: &[Axis], values: &[Value]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{}={}", a.key, a.text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many invalid points are reported in full.
const SHOWN_INVALID: usize = 3;

impl Sweep {
    /// Builds and validates the grid of `axes` over the scenario `text` (named `file` in
    /// messages). `seed` and `replications`, when given, replace the file's at every point.
    pub fn new(
        text: &str,
        file: &str,
        axes: Vec<Axis>,
        seed: Option<u64>,
        replications: Option<u32>,
    ) -> Result<Sweep, SweepError> {
        let usage = |arg: &str, message: String, help: &str| SweepError::Syntax {
            arg: arg.to_string(),
            message,
            help: help.to_string(),
        };
        if axes.is_empty() {
            return Err(usage(
                "",
                "nothing to sweep".into(),
                "give at least one --set KEY=VALUES",
            ));
        }
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.segments == a.segments) {
                return Err(usage(
                    &a.key,
                    "this key is swept twice".into(),
                    "give all its values in one --set, e.g. KEY=1,2,3",
                ));
            }
            let flag = match a.segments.as_slice() {
                [s, k] if s == "simulation" && k == "seed" && seed.is_some() => "--seed",
                [s, k] if s == "simulation" && k == "replications" && replications.is_some() => {
                    "--replications"
                }
                _ => continue,
            };
            return Err(usage(
                &a.key,
                format!("this key is swept and also given by {flag}"),
                &format!("drop {flag} or this --set"),
            ));
        }
        let size = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .filter(|n| *n <= MAX_POINTS);
        let Some(size) = size else {
            return Err(usage(
                &axes
                    .iter()
                    .map(|a| a.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" × "),
                format!("the grid has more than {MAX_POINTS} points"),
                "sweep fewer values, or split the sweep",
            ));
        };

        let base: Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                return Err(SweepError::Scenario(
                    match Scenario::from_toml(text, file) {
                        Err(errors) => errors,
                        Ok(_) => ScenarioErrors(vec![ScenarioError {
                            file: file.to_string(),
                            line: None,
                            column: None,
                            key: None,
                            message: format!("TOML syntax error: {}", e.message()),
                            help: None,
                        }]),
                    },
                ));
            }
        };
        // Check each path alone first, so that a typo is reported as such.
        for a in &axes {
            let mut t = base.clone();
            let inserted = set_path(&mut t, a, a.values[0].clone())?;
            if inserted.is_empty() {
                continue;
            }
            if let Err(errors) = Scenario::from_toml(&serialise(&t, a)?, file)
                && let Some(e) = unknown_key(a, &errors, &inserted)
            {
                return Err(e);
            }
        }
        // The file's own problems keep their lines.
        let own = Scenario::from_toml(text, file).err();
        let mut points = Vec::with_capacity(size);
        let mut errors = Vec::new();
        let mut invalid = 0;
        for k in 0..size {
            let mut rest = k;
            let mut idx = vec![0; axes.len()];
            for (i, a) in axes.iter().enumerate().rev() {
                idx[i] = rest % a.values.len();
                rest /= a.values.len();
            }
            let values: Vec<Value> = axes
                .iter()
                .zip(&idx)
                .map(|(a, i)| a.values[*i].clone())
                .collect();
            let mut t = base.clone();
            for (a, v) in axes.iter().zip(&values) {
                set_path(&mut t, a, v.clone())?;
            }
            let shown = format!("{file} with {}", label(&axes, &values));
            match Scenario::from_toml(&serialise(&t, &axes[0])?, &shown) {
                Ok(mut s) => {
                    if let Some(seed) = seed {
                        s.simulation.seed = seed;
                    }
                    if let Some(r) = replications {
                        s.simulation.replications = r;
                    }
                    points.push(Point {
                        values,
                        scenario: s,
                    });
                }
                Err(e) => {
                    invalid += 1;
                    if invalid <= SHOWN_INVALID {
                        errors.extend(e.0.into_iter().map(|mut e| {
                            let from_file = own.as_ref().and_then(|o| {
                                o.0.iter()
                                    .find(|x| x.key == e.key && x.message == e.message)
                            });
                            match from_file {
                                Some(o) => o.clone(),
                                None => {
                                    // Lines of the edited text are not lines of the file.
                                    e.line = None;
                                    e.column = None;
                                    e
                                }
                            }
                        }));
                    }
                }
            }
        }
        if invalid > SHOWN_INVALID {
            errors.push(ScenarioError {
                file: file.to_string(),
                line: None,
                column: None,
                key: None,
                message: format!(
                    "{} more of the {size} grid points are invalid",
                    invalid - SHOWN_INVALID
                ),
                help: None,
            });
        }
        if invalid > 0 {
            errors.dedup();
            return Err(SweepError::Scenario(ScenarioErrors(errors)));
        }
        Ok(Sweep { axes, points })
    }

    /// Replications run over the whole grid.
    pub fn replications(&self) -> u64 {
        self.points
            .iter()
            .map(|p| u64::from(p.scenario.simulation.replications))
            .sum()
    }

    /// Runs the points one after another (each point's replications in parallel on
    /// `threads` threads, all cores when `None`), calling `start` with each point's index
    /// before it runs and `progress` after each replication.
    pub fn run(
        &self,
        threads: Option<usize>,
        mut start: impl FnMut(usize),
        progress: impl Fn(u32) + Sync,
    ) -> SweepResult {
        let clock = std::time::Instant::now();
        let points = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                start(i);
                (
                    p.values.clone(),
                    run_scenario(&p.scenario, threads, &progress),
                )
            })
            .collect();
        SweepResult {
            axes: self.axes.clone(),
            points,
            wall_time_s: clock.elapsed().as_secs_f64(),
        }
    }
}

fn serialise(t: &Table, axis: &Axis) -> Result<String, SweepError> {
    toml::to_string(t).map_err(|e| SweepError::Path {
        key: axis.key.clone(),
        message: format!("the edited scenario cannot be written as TOML: {e}"),
        help: None,
    })
}

/// The results of a sweep.
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// The swept keys.
    pub axes: Vec<Axis>,
    /// Each point's values (one per axis) and results, in grid order.
    pub points: Vec<(Vec<Value>, RunResult)>,
    /// Wall-clock seconds of the whole sweep.
    pub wall_time_s: f64,
}
