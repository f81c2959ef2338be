//! Scenarios: TOML files read into raw structs, then validated into a [`Scenario`]
//! that the engine can run without further checks.

mod distribution;
mod duration;
mod error;
mod locate;
mod raw;
mod validate;

pub use distribution::{Dist, RawDist, Sampler};
pub use duration::{ClockTime, Duration, format_clock, parse_clock, parse_duration};
pub use error::{ScenarioError, ScenarioErrors};

use std::path::Path;

/// The built-in scenario `rappel run` uses when no file is given: a realistic day.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/realistic-day.toml");

/// The file name shown in messages about the built-in scenario.
pub const DEFAULT_SCENARIO_NAME: &str = "<built-in default: scenarios/realistic-day.toml>";

/// A validated scenario: everything the engine needs, in seconds and indices.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Short name, used in output rows and the default output folder.
    pub name: String,
    /// Free text from the file.
    pub description: Option<String>,
    /// Run length and statistics settings.
    pub simulation: Simulation,
    /// The day's opening hours and interval grid.
    pub day: DayGrid,
    /// How new tickets arrive.
    pub arrivals: Arrivals,
    /// Kinds of problem customers bring.
    pub ticket_types: Vec<TicketType>,
    /// Groups of agents.
    pub teams: Vec<Team>,
    /// What happens to a call no agent can take at once.
    pub entry: Entry,
}

/// Run length and statistics settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Simulated time, in seconds from midnight of day 0.
    pub horizon: f64,
    /// Initial time excluded from statistics, in seconds.
    pub warmup: f64,
    /// Independent replications.
    pub replications: u32,
    /// Seed of every random stream.
    pub seed: u64,
    /// Answer-time threshold of the service level, in seconds.
    pub service_level_threshold: f64,
}

/// The opening hours of each day, cut into equal intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct DayGrid {
    /// Opening time, seconds after midnight.
    pub open: f64,
    /// Closing time, seconds after midnight.
    pub close: f64,
    /// Interval length, seconds.
    pub interval: f64,
}

impl DayGrid {
    /// How many intervals an open day has.
    pub fn intervals(&self) -> usize {
        ((self.close - self.open) / self.interval).round() as usize
    }
}

/// The arrival process of new tickets: Poisson with a piecewise-constant daily rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrivals {
    /// Rate per hour in each interval of the open day.
    pub rates_per_hour: Vec<f64>,
    /// Multiplier of day `d` is `day_scale[d % len]`.
    pub day_scale: Vec<f64>,
}

impl Arrivals {
    /// The multiplier of a day.
    pub fn scale(&self, day: usize) -> f64 {
        self.day_scale[day % self.day_scale.len()]
    }
}

/// A kind of problem.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketType {
    /// Name, as teams refer to it.
    pub name: String,
    /// Share of new tickets of this type.
    pub share: f64,
    /// Handle-time distribution (before a team's speed factor).
    pub handle_time: Dist,
    /// Patience while waiting; `None` means infinitely patient.
    pub patience: Option<Dist>,
    /// Difficulty from 0 (easy) to 1 (hard).
    pub difficulty: f64,
    /// Higher priority is answered first.
    pub priority: i32,
}

/// A group of agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Name.
    pub name: String,
    /// Agents on shift in each interval of the open day (0 when closed).
    pub staffing: Vec<u32>,
    /// Indices of the ticket types it serves.
    pub serves: Vec<usize>,
    /// Handle-time multiplier (1 = the type's own distribution).
    pub speed: f64,
}

/// Entry flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Callers wait in a queue and may abandon.
    Queue,
}

/// What happens to a call no agent can take at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The flow.
    pub flow: Flow,
    /// Redials after an abandonment; `None` means nobody redials.
    pub redial: Option<Redial>,
}

/// Whether and when a caller tries again.
#[derive(Debug, Clone, PartialEq)]
pub struct Redial {
    /// Probability of trying again after the 1st, 2nd, ... failed attempt; the last repeats.
    pub probabilities: Vec<f64>,
    /// Delay before the new attempt.
    pub delay: Dist,
}

impl Redial {
    /// Probability of a new attempt after `failed` failed attempts (1-based).
    pub fn probability(&self, failed: u32) -> f64 {
        let i = (failed as usize).saturating_sub(1);
        self.probabilities[i.min(self.probabilities.len() - 1)]
    }
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario, ScenarioErrors> {
        let shown = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| {
            ScenarioErrors(vec![ScenarioError {
                file: shown.clone(),
                line: None,
                column: None,
                key: None,
                message: format!("cannot read the scenario file: {e}"),
                help: Some(
                    "check the path; `rappel run` with no file runs the built-in default".into(),
                ),
            }])
        })?;
        Self::from_toml(&src, &shown)
    }

    /// Parses and validates scenario text; `file` names it in messages.
    pub fn from_toml(src: &str, file: &str) -> Result<Scenario, ScenarioErrors> {
        validate::parse(src, file)
    }

    /// The built-in default scenario.
    pub fn builtin_default() -> Scenario {
        Self::from_toml(DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME)
            .expect("the built-in scenario is valid (checked by tests)")
    }

    /// Mean offered load in erlangs at a given interval of a day (work arriving per second).
    pub fn offered_load(&self, day: usize, interval: usize) -> f64 {
        let rate = self.arrivals.rates_per_hour[interval] * self.arrivals.scale(day) / 3600.0;
        let mean_handle: f64 = self
            .ticket_types
            .iter()
            .map(|t| t.share * t.handle_time.mean())
            .sum();
        rate * mean_handle
    }
}
