//! The scenario file as written: serde structs that mirror the TOML, refusing unknown keys.

use super::distribution::RawDist;
use super::duration::{ClockTime, Duration};
pub use super::raw_roster::RawWeekdays;
pub use super::raw_team::{RawAgents, RawResolution, RawRouting, RawTeam, RawUnresolved};
use schemars::JsonSchema;
use serde::Deserialize;
use std::borrow::Cow;

/// A whole scenario file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    /// Short name of the scenario: it appears in every output row and names the default output
    /// folder `out/<name>/`. Not empty.
    pub name: String,
    /// Free text; not used by the simulation.
    pub description: Option<String>,
    /// Run length, day grid, replications, seed, service-level threshold.
    #[serde(default)]
    pub simulation: RawSimulation,
    /// How many new tickets arrive, per interval of the day.
    pub arrivals: RawArrivals,
    /// Kinds of problem: share, handle time, patience, difficulty, priority. At least one.
    pub ticket_types: Vec<RawTicketType>,
    /// Groups of agents: size per interval, types served, speed, routing, competence, policy for
    /// unresolved tickets, cost. At least one.
    pub teams: Vec<RawTeam>,
    /// What happens to a call that no agent can take at once: the entry flow, wait announcements,
    /// redials.
    #[serde(default)]
    pub entry: RawEntry,
    /// Costs that are not per agent hour: outbound calls, telephony, the value of a lost ticket.
    #[serde(default)]
    pub costs: RawCosts,
    /// How a closed ticket's journey becomes a score (docs/satisfaction.md). Every key optional.
    #[serde(default)]
    pub satisfaction: RawSatisfaction,
    /// The cell of a designed comparison this scenario is: a level for each factor, e.g.
    /// flow = "call back later", team = "modest" (`rappel compare` then reports the 2×2
    /// effects). Not used by the simulation.
    #[serde(default)]
    pub factors: std::collections::BTreeMap<String, String>,
}

/// `[satisfaction]`: how a ticket's journey becomes a score (docs/satisfaction.md).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Satisfaction")]
pub struct RawSatisfaction {
    /// Perceived wait ÷ actual wait when the wait was not announced. Default 1.36; 1 to 5.
    pub uncertainty_factor: Option<f64>,
    /// Points a wait shorter than expected can add at most; a longer wait loses
    /// loss_aversion × wait_weight × ln(1 + excess / wait_scale). Default 0.3; 0 to 10.
    pub wait_weight: Option<f64>,
    /// How many times more a longer wait hurts than a shorter one pleases. Default 2.25; 1 to 10.
    pub loss_aversion: Option<f64>,
    /// Difference from the expected wait that goes unnoticed (duration). Default 15 s; 0 to 1 day.
    pub tolerance: Option<Duration>,
    /// Scale of the wait term (duration): the excess wait that loses
    /// loss_aversion × wait_weight × ln 2. Default 3 min; 1 s to 1 day.
    pub wait_scale: Option<Duration>,
    /// Points lost per unit of ln(1 + excess elapsed time / time_scale), the time from the
    /// first call to resolution beyond the expected wait. Default 0.1; 0 to 10.
    pub time_weight: Option<f64>,
    /// Scale of the time term (duration). Default 1 h; 1 s to 30 days.
    pub time_scale: Option<Duration>,
    /// Points lost per "please call back later". Default 0.4; 0 to 10.
    pub rejection_penalty: Option<f64>,
    /// Points lost per call that heard the closed message. Default 0.2; 0 to 10.
    pub closed_penalty: Option<f64>,
    /// Points lost per call the customer gave up: a balk or an abandonment. Default 0.2; 0 to 10.
    pub failed_attempt_penalty: Option<f64>,
    /// Points lost per conversation beyond the first. Default 0.2; 0 to 10.
    pub contact_penalty: Option<f64>,
    /// Points lost per transfer. Default 0.3; 0 to 10.
    pub transfer_penalty: Option<f64>,
    /// Points lost per broken callback promise; a late callback loses up to as much.
    /// Default 1.0; 0 to 10.
    pub broken_promise_penalty: Option<f64>,
    /// Lateness at which a late callback costs half a broken promise (duration). Default 15 min;
    /// 1 s to 1 day.
    pub promise_grace: Option<Duration>,
    /// Points gained for a resolution at the first conversation, fading with the excess wait.
    /// Default 0.6; 0 to 10.
    pub fcr_delight: Option<f64>,
    /// Excess wait over which the first-contact delight fades to 1/e (duration). Default 1 min;
    /// 1 s to 1 day.
    pub fcr_fade: Option<Duration>,
    /// Points gained when every callback reached the customer on time, fading as they are late.
    /// Default 0.3; 0 to 10.
    pub callback_delight: Option<f64>,
    /// Points gained for a goodwill gesture. Default 0.5; 0 to 10.
    pub goodwill_delight: Option<f64>,
    /// Highest score of a ticket never resolved. Default -1.0; -10 to 0.
    pub unresolved_cap: Option<f64>,
    /// Standard deviation of the individual tolerance term, in points. Default 0.5; 0 to 5.
    pub noise: Option<f64>,
    /// Whether each type's expected wait follows the waits its customers meet, day after day
    /// (the satisfaction curse). Default false.
    pub expectations_adapt: Option<bool>,
    /// Time constant at which expectations follow shorter waits (duration). Default "2w"; 0 to
    /// 520 weeks.
    pub expectation_time_better: Option<Duration>,
    /// Time constant at which expectations follow longer waits (duration). Default "6w"; 0 to 520
    /// weeks.
    pub expectation_time_worse: Option<Duration>,
    /// Replaced by `expectations_adapt` and `expectation_time_better`: refused with a message.
    #[schemars(skip)]
    pub expectation_improve_rate: Option<serde::de::IgnoredAny>,
    /// Replaced by `expectations_adapt` and `expectation_time_worse`: refused with a message.
    #[schemars(skip)]
    pub expectation_worsen_rate: Option<serde::de::IgnoredAny>,
    /// Whether later arrivals follow the promoters and detractors of earlier days. Default false.
    pub word_of_mouth: Option<bool>,
    /// Relative change of the arrival rate, once settled, per unit of net promoter share. Default
    /// 0.1; 0 to 1.
    pub word_of_mouth_gain: Option<f64>,
    /// Days before a day's net promoter share starts to act on arrivals (duration, whole days).
    /// Default "1w"; 1 day to 365 days.
    pub word_of_mouth_delay: Option<Duration>,
    /// Time constant of each of word of mouth's two smoothing stages (duration). Default "1w"; 0
    /// to 520 weeks.
    pub word_of_mouth_time: Option<Duration>,
    /// Difference from a message's promised response that goes unnoticed (duration). Default
    /// "5m"; 0 to 1 day.
    pub message_tolerance: Option<Duration>,
    /// Scale of a message's wait term (duration): the response beyond the promise that loses
    /// loss_aversion × wait_weight × ln 2. Default "1h"; 1 s to 30 days.
    pub message_wait_scale: Option<Duration>,
}

/// `[costs]`: costs that are not per agent hour.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Costs")]
pub struct RawCosts {
    /// Cost of each outbound call attempt (entry callbacks, retries, agent callbacks), reached or
    /// not. Default 0; 0 to 1e9.
    pub outbound_call: Option<f64>,
    /// Telephony: cost of one minute of a line in use (a caller waiting in an inbound queue or on
    /// hold after a transfer, or an agent in a conversation or placing a call). Default 0; 0 to
    /// 1e9.
    pub per_call_minute: Option<f64>,
    /// Value lost with each ticket never resolved: closed unresolved (turned away, abandoned,
    /// balked or disconnected without calling again, or given up) or still open at the drain
    /// cap. Default 0; 0 to 1e9.
    pub lost_ticket_value: Option<f64>,
    /// Value lost with each customer who leaves for good (`arrivals.churn`). Default 0; 0 to
    /// 1e9.
    pub lost_customer_value: Option<f64>,
}

/// `[simulation]`: run length, day grid and statistics settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Simulation")]
pub struct RawSimulation {
    /// Length of the run from 00:00 of day 0 (duration, above 0). Default "1d". Not together with
    /// `days`.
    pub horizon: Option<Duration>,
    /// Length of the run in days (horizon = days × 86400 s). At least 1; default 1. Not together
    /// with `horizon`.
    pub days: Option<u32>,
    /// Initial stretch excluded from statistics, from 00:00 of day 0 (duration). Default 0; shorter
    /// than the horizon.
    pub warmup: Option<Duration>,
    /// Independent replications, 1 to 100000. Default 10 (`--replications` overrides).
    pub replications: Option<u32>,
    /// Seed of every random stream. Default 1 (`--seed` overrides).
    pub seed: Option<u64>,
    /// A call counts towards the service level when answered within this wait (duration). Default
    /// "20s".
    pub service_level_threshold: Option<Duration>,
    /// Length of one interval of the day grid (duration): at least 1 minute, dividing close − open.
    /// Default "30m".
    pub interval: Option<Duration>,
    /// Opening time every day, "HH:MM" or "HH:MM:SS". Default "00:00".
    pub open: Option<ClockTime>,
    /// Closing time every day, after `open`; "24:00" is the end of the day. Default "24:00".
    pub close: Option<ClockTime>,
    /// After the horizon, the run goes on without new tickets until every counted ticket has
    /// closed, for at most this long (duration, 0 to 365 days). Default "7d".
    pub drain_limit: Option<Duration>,
    /// Abandons within this wait are left out of the service level (duration, below the
    /// service-level threshold). Default 0: every abandon counts.
    pub short_abandon: Option<Duration>,
    /// The day of the week of day 0: "mon" to "sun", or a date "YYYY-MM-DD". Default "mon".
    pub start_day: Option<String>,
    /// The days of the week the centre opens, e.g. ["sun", "mon", "tue", "wed", "thu"]; the
    /// others are closed all day. Default: every day.
    pub week: Option<Vec<super::raw_roster::RawWeekday>>,
}

/// `[arrivals]`: a constant rate or a daily profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Arrivals")]
pub struct RawArrivals {
    /// New tickets per hour, the same in every open interval. Give this or `rates_per_hour`.
    pub rate_per_hour: Option<f64>,
    /// New tickets per hour, one value per interval of the open day. Give this or `rate_per_hour`.
    pub rates_per_hour: Option<Vec<f64>>,
    /// Multiplier of each day's rates; day d uses day_scale[d % len]. Default [1.0].
    pub day_scale: Option<Vec<f64>>,
    /// Multiplier of each weekday's rates, on top of `day_scale`: { mon = 1.2, sat = 0.5 }. A day
    /// not listed keeps 1.0. Each 0 or more.
    pub day_scale_by_weekday: Option<RawWeekdays<f64>>,
    /// Random (or listed) factor on each day's rates, on top of `day_scale`: `{ cv = 0.15 }`
    /// draws it once per day from a gamma of mean 1; a list cycles by day. Default: none.
    pub busyness: Option<RawBusyness>,
    /// A CSV of calls per interval (`interval_start,calls`, as `rappel erlang --volumes`
    /// reads), relative to the scenario file. Instead of `rate_per_hour`/`rates_per_hour`.
    pub forecast: Option<String>,
    /// A population of this many customers (1 to 10,000,000) bringing the arrivals: each
    /// new ticket belongs to one of them, drawn at random, so each customer's tickets come
    /// at 1/customers of the rates. Default: none (a ticket belongs to nobody).
    pub customers: Option<i64>,
    /// Only with `customers`: the probability that a customer left a detractor by a ticket
    /// (likelihood to recommend 0 to 6) leaves for good; their later tickets never come.
    /// 0 to 1; default 0.
    pub churn: Option<f64>,
    /// Only with `customers`: the weight of a customer's own last wait in the wait they
    /// expect at their next ticket, beside their type's expectation (0: the type's only, 1:
    /// their own last wait only). 0 to 1; default 0.
    pub memory: Option<f64>,
    /// Only with `customers`: how much the customers' own ticket rates differ, the
    /// coefficient of variation of a gamma of mean 1 that each customer's share of the
    /// arrivals is drawn from, 0 to 3. Default 0 (every customer alike).
    pub customer_rate_cv: Option<f64>,
    /// Only with `customers` and `max_customers`: the probability that a customer left a
    /// promoter by a ticket (likelihood to recommend 9 or 10) brings a new customer, while
    /// the stock is below `max_customers`. 0 to 1; default none (no customer gained).
    pub referral: Option<f64>,
    /// Only with `referral`: the most customers the stock can reach (from `customers` to
    /// 10,000,000). The rates are those of the first `customers`; each customer gained
    /// brings tickets at the same 1/customers of them.
    pub max_customers: Option<i64>,
}

/// `arrivals.busyness`: a gamma day factor of mean 1 and a given coefficient of variation,
/// or a list of factors, one per day, cycling.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a table `{ cv = 0.15 }` (a random day factor of mean 1) or a list of day factors such as [1.0, 1.2]"
)]
#[schemars(rename = "Busyness")]
pub enum RawBusyness {
    /// A list of day factors, day d uses `list[d % len]`.
    List(Vec<f64>),
    /// A gamma factor of mean 1.
    Gamma(RawGammaBusyness),
}

/// `busyness = { cv = ... }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GammaBusyness")]
pub struct RawGammaBusyness {
    /// Coefficient of variation of the day factor (standard deviation, the mean being 1):
    /// 0 to 3; 0 means no variation.
    pub cv: f64,
}

/// `[[ticket_types]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TicketType")]
pub struct RawTicketType {
    /// Name that teams refer to in `serves`. Not empty; unique.
    pub name: String,
    /// Share of new tickets of this type, 0 to 1; all or none given, adding up to 1. Default: equal
    /// shares.
    pub share: Option<f64>,
    /// Talk time of a conversation, before the team's `speed` (distribution of durations).
    /// Required.
    pub handle_time: RawDist,
    /// How long a caller waits on the line before hanging up (distribution). Default: never
    /// abandons.
    pub patience: Option<RawDist>,
    /// Resolution probability at one conversation is competence × (1 − difficulty). 0 to 1; default
    /// 0.
    pub difficulty: Option<f64>,
    /// Higher is answered first. Default 0.
    pub priority: Option<i32>,
    /// The wait customers of this type expect on day 0 (duration). Default "60s".
    pub expected_wait: Option<Duration>,
    /// After-call work: how long the agent stays busy after each conversation, before the
    /// team's `speed` (distribution of durations). Default: none.
    pub wrap_up: Option<RawDist>,
    /// Calls of this type that wait longer than `after` may also be answered by the team `to`,
    /// e.g. { to = "support", after = "30s" }. Default: no overflow.
    pub overflow: Option<RawOverflow>,
    /// This type's calls count towards its own service level (breakdown.csv) when answered
    /// within this wait (duration). Default: `simulation.service_level_threshold`.
    pub service_level_threshold: Option<Duration>,
    /// The share of this type's calls to answer within its threshold, 0 to 1 (0.8 = 80 %),
    /// reported per type and used by `rappel staff`. Default: none.
    pub service_level_target: Option<f64>,
    /// The channel customers of this type use: "phone" (a call on the line), "message" (an
    /// e-mail or web form, answered later and never abandoned) or "chat" (on the line, and an
    /// agent holds several chats at once). Default "phone".
    pub channel: Option<RawChannel>,
    /// Only with channel = "message": the answer is promised within this time of the message
    /// (duration, above 0, at most 30 days). Default "1h".
    pub response_promise: Option<Duration>,
    /// Only with channel = "message": a message waiting this close to the end of its promise is
    /// urgent and is answered before calls (duration, from 0 to below the promise). Default: a
    /// quarter of the promise.
    pub urgent_before: Option<Duration>,
    /// Only with channel = "message": a customer whose message is still unanswered `after` it was
    /// sent sends a reminder with `probability`, e.g. { after = "2h", probability = 0.5 }.
    /// Default: no reminder.
    pub reminder: Option<RawReminder>,
}

/// The channel of a ticket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Channel")]
pub enum RawChannel {
    /// A call: the customer waits on the line and may abandon.
    Phone,
    /// A written message: it waits in a deferrable queue, answered within a promise.
    Message,
    /// A chat: on the line like a call, and an agent holds several at once.
    Chat,
}

/// `reminder = { after = "2h", probability = 0.5 }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reminder")]
pub struct RawReminder {
    /// Time from the message to the reminder (duration, above 0, at most 30 days).
    pub after: Duration,
    /// Probability that a customer whose message is unanswered by then sends one, 0 to 1.
    pub probability: f64,
}

/// `overflow = { to = "support", after = "30s" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Overflow")]
pub struct RawOverflow {
    /// The secondary team: a team that does not serve the type.
    pub to: String,
    /// How long a call waits before the secondary team may take it (duration, 0 to 365 days).
    pub after: Duration,
}

/// Entry flows a scenario can choose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Flow")]
pub enum RawFlow {
    #[default]
    /// Callers wait in the queue of their type.
    Queue,
    /// "Please call back later" above `max_queue` or `max_predicted_wait`.
    CallBackLater,
    /// A callback is offered above `entry.callback.threshold`.
    Callback,
}

/// `[entry]`: what happens to a call no agent can take at once.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Entry")]
pub struct RawEntry {
    /// The entry flow. Default "queue".
    #[serde(default)]
    pub flow: RawFlow,
    /// Whether and when a caller whose call failed (abandoned, rejected, balked, broken entry
    /// callback) calls again. Default: the ticket is lost.
    pub redial: Option<RawRedial>,
    /// Only with flow = "call_back_later": reject when at least this many callers of the same type
    /// wait. 0 to 1000000.
    pub max_queue: Option<i64>,
    /// Only with flow = "call_back_later": reject when the predicted wait is at least this
    /// (duration).
    pub max_predicted_wait: Option<Duration>,
    /// Callers who find all agents busy hear their predicted wait. Default false.
    pub announce_wait: Option<bool>,
    /// Only with announce_wait: a caller balks when the announced wait is above patience × this.
    /// Above 0, at most 100; default 1.0.
    pub balk_factor: Option<f64>,
    /// Only with announce_wait: patience multiplier of a caller who heard the wait and stays. Above
    /// 0, at most 100; default 1.0.
    pub informed_patience_factor: Option<f64>,
    /// Required with, and only allowed with, flow = "callback".
    pub callback: Option<RawCallback>,
    /// Whether and when a caller who hears the closed message calls again; the delay counts from
    /// the next opening. Default: probability 0.8, exponential delay of mean 1 h.
    pub closed_retry: Option<RawRedial>,
    /// What callers still on the line at closing time meet. Default "serve".
    #[serde(default)]
    pub at_closing: RawAtClosing,
}

/// `entry.at_closing`: callers on the line when the centre closes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "AtClosing")]
pub enum RawAtClosing {
    #[default]
    /// Agents stay until every caller on the line has been answered (or has hung up).
    Serve,
    /// Callers on the line hear the closed message and are disconnected.
    Disconnect,
}

/// The kind of callback offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "CallbackKind")]
pub enum RawCallbackKind {
    /// The callback keeps the caller's place in line.
    VirtualHold,
    /// The caller books a slot.
    Appointment,
}

/// `[entry.callback]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Callback")]
pub struct RawCallback {
    /// Virtual hold (keeps the caller's place in line) or appointment (a booked slot).
    pub kind: RawCallbackKind,
    /// Offer a callback when the predicted wait is at least this (duration). Default "2m".
    pub threshold: Option<Duration>,
    /// Probability of accepting, before the per-minute term. 0 to 1; default 0.6.
    pub accept: Option<f64>,
    /// Added to the acceptance probability per minute of predicted wait. 0 to 1; default 0.
    pub accept_per_minute: Option<f64>,
    /// Probability that one outbound call reaches the customer. 0 to 1; default 0.9.
    pub reach_probability: Option<f64>,
    /// After a missed outbound call, time until the callback is due again (distribution). Default
    /// constant "10m".
    pub retry_delay: Option<RawDist>,
    /// Outbound attempts in all before the promise is broken. 1 to 100; default 3.
    pub max_attempts: Option<i64>,
    /// Agent time spent on an outbound call that does not reach the customer (duration). Default
    /// "30s".
    pub missed_call_time: Option<Duration>,
    /// A team that places every callback. Default: the teams that serve the type.
    pub team: Option<String>,
    /// Added to the type's priority for callback work. Default 0.
    pub priority: Option<i32>,
    /// Appointments only: length of a slot (duration), at least 1 minute, dividing the interval.
    /// Default "15m".
    pub slot_length: Option<Duration>,
    /// Appointments only: appointments each interval accepts. 1 to 1000000; default 10.
    pub slots_per_interval: Option<i64>,
    /// Appointments only: a slot may start at most this long after the call (duration, at most 30
    /// days). Default "1d".
    pub booking_horizon: Option<Duration>,
}

/// A probability, or one probability per attempt (the last one repeats).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a probability from 0 to 1, or a list of them, one per attempt"
)]
#[schemars(rename = "Probabilities")]
pub enum RawProbabilities {
    One(f64),
    PerAttempt(Vec<f64>),
}

/// `[entry.redial]`: whether and when a caller who left tries again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Redial")]
pub struct RawRedial {
    /// Probability of calling again: a number, or a list whose n-th value applies after the n-th
    /// failure (the last repeats).
    pub probability: RawProbabilities,
    /// Time from the failure to the new call (distribution, mean above 0).
    pub delay: RawDist,
}

/// The JSON Schema of a [`Scenario`](super::Scenario) is that of the file it is read from:
/// `schemars::schema_for!(rappel::scenario::Scenario)` describes the scenario format
/// (`rappel schema`).
impl JsonSchema for super::Scenario {
    fn schema_name() -> Cow<'static, str> {
        RawScenario::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        RawScenario::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawScenario::json_schema(generator)
    }
}
