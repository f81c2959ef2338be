//! The scenario file as written: serde structs that mirror the TOML, refusing unknown keys.

use super::distribution::RawDist;
use super::duration::{ClockTime, Duration};
use serde::Deserialize;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub simulation: RawSimulation,
    pub arrivals: RawArrivals,
    pub ticket_types: Vec<RawTicketType>,
    pub teams: Vec<RawTeam>,
    #[serde(default)]
    pub entry: RawEntry,
}

/// `[simulation]`: run length, day grid and statistics settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub horizon: Option<Duration>,
    pub days: Option<u32>,
    pub warmup: Option<Duration>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    pub service_level_threshold: Option<Duration>,
    pub interval: Option<Duration>,
    pub open: Option<ClockTime>,
    pub close: Option<ClockTime>,
}

/// `[arrivals]`: a constant rate or a daily profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub rate_per_hour: Option<f64>,
    pub rates_per_hour: Option<Vec<f64>>,
    pub day_scale: Option<Vec<f64>>,
}

/// `[[ticket_types]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTicketType {
    pub name: String,
    pub share: Option<f64>,
    pub handle_time: RawDist,
    pub patience: Option<RawDist>,
    pub difficulty: Option<f64>,
    pub priority: Option<i32>,
}

/// A team size: constant, or one value per interval of the open day.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a whole number of agents, or a list with one whole number per interval"
)]
pub enum RawAgents {
    Constant(i64),
    Profile(Vec<i64>),
}

/// `[[teams]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub name: String,
    pub agents: RawAgents,
    pub serves: Vec<String>,
    pub speed: Option<f64>,
}

/// Entry flows a scenario can choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawFlow {
    #[default]
    Queue,
}

/// `[entry]`: what happens to a call no agent can take at once.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    #[serde(default)]
    pub flow: RawFlow,
    pub redial: Option<RawRedial>,
}

/// A probability, or one probability per attempt (the last one repeats).
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a probability from 0 to 1, or a list of them, one per attempt"
)]
pub enum RawProbabilities {
    One(f64),
    PerAttempt(Vec<f64>),
}

/// `[entry.redial]`: whether and when a caller who left tries again.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: RawProbabilities,
    pub delay: RawDist,
}
