//! The `[[teams]]` tables as written (serde structs, unknown keys refused): staffing,
//! skills, routing, competence, resolution, what happens to an unresolved ticket, chat
//! and depth.

use super::distribution::RawDist;
use super::duration::Duration;
use super::raw::RawRedial;
use super::raw_roster::{RawShift, RawShrinkage, RawWeekdays};
use schemars::JsonSchema;
use serde::Deserialize;

/// A team size: constant, or one value per interval of the open day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a whole number of agents, or a list with one whole number per interval"
)]
#[schemars(rename = "Agents")]
pub enum RawAgents {
    Constant(i64),
    Profile(Vec<i64>),
}

/// `[[teams]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Team")]
pub struct RawTeam {
    /// Name of the team. Not empty; unique.
    pub name: String,
    /// Agents on shift: one number for every open interval, or one whole number per interval. Each
    /// 0 to 100000. Required unless `shifts` or `agents_by_weekday` is given; not with `shifts`.
    pub agents: Option<RawAgents>,
    /// Agents per weekday, written like `agents`: { mon = [...], sat = 4 }. A day not listed
    /// takes `agents` (or has nobody). Not with `shifts`.
    pub agents_by_weekday: Option<RawWeekdays<RawAgents>>,
    /// The team is staffed by shift patterns instead of `agents`: [[teams.shifts]] tables with
    /// start, length, agents, days, breaks and lunch.
    pub shifts: Option<Vec<RawShift>>,
    /// Share of the scheduled agents absent each day, 0 to 1 (below 1). Default 0.
    pub absence: Option<f64>,
    /// Planned shrinkage (training, meetings): share of the agents at work who are off the
    /// phone, one share or one per interval, each 0 to 1. Default 0.
    pub shrinkage: Option<RawShrinkage>,
    /// Schedule adherence: share of the planned phone time agents really are available, above 0
    /// and at most 1. Default 1.
    pub adherence: Option<f64>,
    /// Ticket types whose inbound calls the team answers. Empty only for a team that receives
    /// escalations or callbacks.
    pub serves: Vec<String>,
    /// The team's level for each type it serves, 1 (best, its primary skill) to 9, e.g.
    /// { sales = 1, support = 2 }. Default 1 for every type in `serves`.
    pub skills: Option<std::collections::BTreeMap<String, i64>>,
    /// Handle-time multiplier (1.2 = 20 % longer conversations). Above 0, at most 100; default 1.0.
    pub speed: Option<f64>,
    /// How a freed agent picks the next work. Default "priority".
    pub routing: Option<RawRouting>,
    /// Probability that a fully trained agent resolves a ticket of difficulty 0 at one
    /// conversation. 0 to 1; default 1.0.
    pub competence: Option<f64>,
    /// Standard deviation of each agent's own competence around the team's. 0 to 0.5; default 0.
    pub competence_spread: Option<f64>,
    /// A learning curve, e.g. { initial = 0.4, half_life = 50 }. Default: fully trained from the
    /// start.
    pub learning: Option<RawLearning>,
    /// How the team resolves tickets. Default "standard".
    pub resolution: Option<RawResolution>,
    /// Only with immediate resolution: probability that an unresolved conversation is settled by a
    /// goodwill gesture. 0 to 1; default 1.0.
    pub goodwill_probability: Option<f64>,
    /// Only with immediate resolution: cost of each goodwill gesture. Default 0.
    pub goodwill_cost: Option<f64>,
    /// What happens to a ticket the team did not resolve. Default "customer_calls_again".
    pub unresolved: Option<RawUnresolved>,
    /// Whether and when a customer calls again after an unresolved conversation or a broken agent
    /// callback. Default probability 0.8, delay exponential with mean 2 h.
    pub call_again: Option<RawRedial>,
    /// Only with unresolved = "escalate": the team that receives the tickets this team did not
    /// resolve.
    pub escalate_to: Option<String>,
    /// Only with unresolved = "escalate": time until the ticket reaches the other team's queue
    /// (distribution). Default constant 0.
    pub transfer_delay: Option<RawDist>,
    /// Only with unresolved = "agent_callback": the promised callback.
    pub agent_callback: Option<RawAgentCallback>,
    /// Cost of one agent present for one hour. Default 0; 0 to 1e9.
    pub cost_per_hour: Option<f64>,
    /// Only for a team that serves a chat type: the chats one agent holds at once, 1 to 10.
    /// Default 2.
    pub chat_concurrency: Option<i64>,
    /// Only for a team that serves a chat type: each chat an agent already holds makes a new
    /// chat's handle time longer by this share (0.25 = 25 %), 0 to 5. Default 0.25.
    pub chat_slowdown: Option<f64>,
    /// Resolution in depth: longer conversations that spare the customer later tickets.
    /// Needs `arrivals.customers`.
    pub depth: Option<RawDepth>,
}

/// `depth = { handle_factor = 1.5, prevents = 0.5, lasting = "30d" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Depth")]
pub struct RawDepth {
    /// Multiplier of the team's conversations, 1 to 10. Required.
    pub handle_factor: f64,
    /// Probability that each new ticket of the customer, while protected, never comes, 0 to
    /// 1. Required.
    pub prevents: f64,
    /// How long a ticket resolved in depth protects its customer, from its resolution.
    /// Required; above 0, at most 10 years.
    pub lasting: Duration,
    /// A proactive contact of the customer some time after each ticket resolved in depth,
    /// which renews the protection: `{ after = "7d", handle = "5m" }`. Default none.
    pub proactive: Option<RawProactive>,
}

/// `proactive = { after = "7d", handle = "5m" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Proactive")]
pub struct RawProactive {
    /// Time from the resolution to the contact coming due; above 0, at most 10 years.
    /// Required.
    pub after: Duration,
    /// The agent's time the contact takes; above 0, at most 8 hours. Required.
    pub handle: Duration,
}

/// How a freed agent picks the next piece of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Routing")]
pub enum RawRouting {
    /// Take the oldest item of the highest-priority group that has work.
    Priority,
    /// Take the oldest item of all, whatever its priority.
    LongestWaiting,
}

/// `learning = { initial = 0.4, half_life = 50 }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Learning")]
pub struct RawLearning {
    /// Competence of an agent who has had no conversation yet, 0 to 1.
    pub initial: f64,
    /// Conversations needed to close half the gap to full competence. Above 0.
    pub half_life: f64,
}

/// How a team resolves tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Resolution")]
pub enum RawResolution {
    /// Resolve with probability competence × (1 − difficulty).
    Standard,
    /// Empowered agents settle by a goodwill gesture what they could not otherwise solve.
    ImmediateResolution,
}

/// What happens to a ticket a team could not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Unresolved")]
pub enum RawUnresolved {
    /// The customer is told to call again (see `call_again`).
    CustomerCallsAgain,
    /// The ticket is transferred to the team `escalate_to`.
    Escalate,
    /// The agent promises to call back after investigating (see `agent_callback`).
    AgentCallback,
}

/// `agent_callback = { delay = {...}, promise = "4h", broken_probability = 0.1, team = "..." }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AgentCallback")]
pub struct RawAgentCallback {
    /// Investigation time until the callback joins the placing team's queue (distribution).
    pub delay: RawDist,
    /// The customer is promised a call within this time after the conversation (duration, above 0).
    pub promise: Duration,
    /// Probability that the callback is never placed. 0 to 1; default 0.
    pub broken_probability: Option<f64>,
    /// The team that places the callback. Default: this team.
    pub team: Option<String>,
}
