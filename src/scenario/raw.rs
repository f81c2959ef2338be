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
    #[serde(default)]
    pub costs: RawCosts,
    #[serde(default)]
    pub satisfaction: RawSatisfaction,
}

/// `[satisfaction]`: how a ticket's journey becomes a score (docs/satisfaction.md).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSatisfaction {
    pub uncertainty_factor: Option<f64>,
    pub wait_weight: Option<f64>,
    pub loss_aversion: Option<f64>,
    pub tolerance: Option<Duration>,
    pub wait_scale: Option<Duration>,
    pub rejection_penalty: Option<f64>,
    pub contact_penalty: Option<f64>,
    pub transfer_penalty: Option<f64>,
    pub broken_promise_penalty: Option<f64>,
    pub fcr_delight: Option<f64>,
    pub callback_delight: Option<f64>,
    pub goodwill_delight: Option<f64>,
    pub unresolved_cap: Option<f64>,
    pub noise: Option<f64>,
    pub expectation_improve_rate: Option<f64>,
    pub expectation_worsen_rate: Option<f64>,
    pub word_of_mouth: Option<bool>,
    pub word_of_mouth_gain: Option<f64>,
}

/// `[costs]`: costs that are not per agent hour.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    pub outbound_call: Option<f64>,
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
    pub expected_wait: Option<Duration>,
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
    pub routing: Option<RawRouting>,
    pub competence: Option<f64>,
    pub competence_spread: Option<f64>,
    pub learning: Option<RawLearning>,
    pub resolution: Option<RawResolution>,
    pub goodwill_probability: Option<f64>,
    pub goodwill_cost: Option<f64>,
    pub unresolved: Option<RawUnresolved>,
    pub call_again: Option<RawRedial>,
    pub escalate_to: Option<String>,
    pub transfer_delay: Option<RawDist>,
    pub agent_callback: Option<RawAgentCallback>,
    pub cost_per_hour: Option<f64>,
}

/// How a freed agent picks the next piece of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawRouting {
    Priority,
    LongestWaiting,
}

/// `learning = { initial = 0.4, half_life = 50 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLearning {
    pub initial: f64,
    pub half_life: f64,
}

/// How a team resolves tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawResolution {
    Standard,
    ImmediateResolution,
}

/// What happens to a ticket a team could not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawUnresolved {
    CustomerCallsAgain,
    Escalate,
    AgentCallback,
}

/// `agent_callback = { delay = {...}, promise = "4h", broken_probability = 0.1, team = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgentCallback {
    pub delay: RawDist,
    pub promise: Duration,
    pub broken_probability: Option<f64>,
    pub team: Option<String>,
}

/// Entry flows a scenario can choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawFlow {
    #[default]
    Queue,
    CallBackLater,
    Callback,
}

/// `[entry]`: what happens to a call no agent can take at once.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    #[serde(default)]
    pub flow: RawFlow,
    pub redial: Option<RawRedial>,
    pub max_queue: Option<i64>,
    pub max_predicted_wait: Option<Duration>,
    pub announce_wait: Option<bool>,
    pub balk_factor: Option<f64>,
    pub informed_patience_factor: Option<f64>,
    pub callback: Option<RawCallback>,
}

/// The kind of callback offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawCallbackKind {
    VirtualHold,
    Appointment,
}

/// `[entry.callback]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub kind: RawCallbackKind,
    pub threshold: Option<Duration>,
    pub accept: Option<f64>,
    pub accept_per_minute: Option<f64>,
    pub reach_probability: Option<f64>,
    pub retry_delay: Option<RawDist>,
    pub max_attempts: Option<i64>,
    pub missed_call_time: Option<Duration>,
    pub team: Option<String>,
    pub priority: Option<i32>,
    pub slot_length: Option<Duration>,
    pub slots_per_interval: Option<i64>,
    pub booking_horizon: Option<Duration>,
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
