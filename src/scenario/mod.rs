//! Scenarios: TOML files read into raw structs, then validated into a [`Scenario`]
//! that the engine can run without further checks.

mod arrivals;
mod clock;
mod distribution;
mod duration;
mod error;
mod locate;
mod raw;
pub(crate) mod raw_roster;
mod raw_team;
mod roster;
mod text;
mod validate;
mod volumes;

pub use arrivals::{Arrivals, Busyness, Customers};
pub use clock::{DAY, Segment, Stretch, clock_label_minutes, format_clock};
pub use distribution::{Dist, RawDist, Sampler};
pub use duration::{ClockTime, Duration, parse_clock, parse_duration};
pub use error::{ScenarioError, ScenarioErrors};
pub use roster::{Break, DayPlan, DayRoster, Level, Pattern, Roster, Shift, on_phone};
pub use text::{decode, read_text};
pub use validate::factors::{
    LEVEL_MAX as FACTOR_LEVEL_MAX, NAME_MAX as FACTOR_NAME_MAX, valid_level as valid_factor_level,
    valid_name as valid_factor_name,
};
pub use volumes::{
    DayKey, DayLabel, MAX_VOLUMES_BYTES, MAX_VOLUMES_ROWS, VOLUMES_HELP, VolumeError, VolumeRow,
    parse_volumes, read_volumes_file,
};

use std::path::Path;

/// The built-in scenario `rappel run` uses when no file is given: a realistic day.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/realistic-day.toml");

/// The file name shown in messages about the built-in scenario.
pub const DEFAULT_SCENARIO_NAME: &str = "<built-in default: scenarios/realistic-day.toml>";

/// How strict validation is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Run unstable set-ups (journeys that cannot end, work above capacity every day) with a
    /// warning instead of refusing them (`--allow-unstable`).
    pub allow_unstable: bool,
}

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
    /// Cost of one outbound call attempt.
    pub outbound_call_cost: f64,
    /// Telephony: cost of one minute of a line in use (`costs.per_call_minute`).
    pub per_call_minute: f64,
    /// Value lost with each ticket never resolved (`costs.lost_ticket_value`).
    pub lost_ticket_value: f64,
    /// Value lost with each customer who leaves (`costs.lost_customer_value`).
    pub lost_customer_value: f64,
    /// How a ticket's journey becomes a satisfaction score.
    pub satisfaction: crate::satisfaction::Params,
    /// The levels this scenario declares under `[factors]`, (factor, level) in factor-name
    /// order: its cell in a designed comparison (`rappel compare`). Not used by a run.
    pub factors: Vec<(String, String)>,
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
    /// Longest run after the horizon while counted tickets are still open, seconds.
    pub drain_limit: f64,
    /// Abandons within this wait (seconds) are left out of the service level.
    pub short_abandon: f64,
    /// The day of the week of day 0: 0 for Monday to 6 for Sunday.
    pub start_weekday: usize,
    /// Whether the centre opens on each day of the week, Monday first (`simulation.week`).
    pub week: [bool; 7],
}

impl Simulation {
    /// The day of the week of day `day`: 0 for Monday to 6 for Sunday.
    pub fn weekday(&self, day: usize) -> usize {
        (self.start_weekday + day % 7) % 7
    }

    /// Whether the centre opens on day `day` (a day off the week is closed all day).
    #[inline]
    pub fn open_on(&self, day: usize) -> bool {
        self.week[self.weekday(day)]
    }
}

/// The opening hours of each day, cut into equal intervals: the clock of a run, which owns
/// every time-of-day conversion (see `clock.rs` for its methods and rounding rules).
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
    /// The wait customers of this type expect on the first day, seconds.
    pub expected_wait: f64,
    /// After-call work after each conversation (before a team's speed factor); `None`:
    /// the agent is free at once.
    pub wrap_up: Option<Dist>,
    /// A secondary team that may take this type's calls once they have waited a while.
    pub overflow: Option<Overflow>,
    /// This type's own service-level threshold, seconds; `None`: the centre's
    /// ([`TicketType::threshold`]).
    pub service_level_threshold: Option<f64>,
    /// The share of calls to answer within the threshold, if the scenario sets one.
    pub service_level_target: Option<f64>,
    /// The channel its customers use.
    pub channel: Channel,
    /// With [`Channel::Message`]: the promise, the urgency rule and the reminder.
    pub message: Option<MessageRule>,
}

/// The channel of a ticket type (see "Channels" in docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A call on the line.
    Phone,
    /// A written message, answered later within a promise; never abandoned.
    Message,
    /// A chat: on the line like a call; an agent holds several at once.
    Chat,
}

impl Channel {
    /// Every channel, in output order.
    pub const ALL: [Channel; 3] = [Channel::Phone, Channel::Message, Channel::Chat];

    /// The word written in the outputs (`breakdown.csv`, `tickets.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Message => "message",
            Channel::Chat => "chat",
        }
    }
}

/// How a message type's messages are answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MessageRule {
    /// The answer is promised within this many seconds of the message.
    pub promise: f64,
    /// A message waiting within this many seconds of the end of its promise is urgent:
    /// answered before calls.
    pub urgent_before: f64,
    /// The reminder a customer may send while the message is unanswered.
    pub reminder: Option<Reminder>,
}

/// A reminder: a new contact from a customer whose message is still unanswered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reminder {
    /// Seconds from the message to the reminder.
    pub after: f64,
    /// Probability that the customer sends it.
    pub probability: f64,
}

/// Overflow to a secondary team after a delay (see "Skills and overflow" in docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overflow {
    /// Index of the secondary team (it does not serve the type).
    pub team: usize,
    /// Seconds a call waits before the secondary team may take it.
    pub after: f64,
}

impl TicketType {
    /// The type's service-level threshold, seconds: its own, else the centre's.
    pub fn threshold(&self, simulation: &Simulation) -> f64 {
        self.service_level_threshold
            .unwrap_or(simulation.service_level_threshold)
    }

    /// Mean agent time per conversation before a team's speed: talk and after-call work.
    pub fn mean_work(&self) -> f64 {
        self.handle_time.mean() + self.wrap_up.as_ref().map_or(0.0, Dist::mean)
    }
}

/// A group of agents.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Name.
    pub name: String,
    /// Agents on shift in each interval of the open day (0 when closed). With a `roster`,
    /// the typical day's agents on the phone ([`Roster::typical_staffing`]), for the checks
    /// and summaries that need one list.
    pub staffing: Vec<u32>,
    /// Shifts, lists per weekday, absence, shrinkage or adherence; `None` when `staffing`
    /// is the whole plan, every day.
    pub roster: Option<Roster>,
    /// Indices of the ticket types it serves.
    pub serves: Vec<usize>,
    /// The team's skill level for each type of `serves`, in the same order: 1 is best.
    pub levels: Vec<u8>,
    /// Handle-time multiplier (1 = the type's own distribution).
    pub speed: f64,
    /// Priority first (then longest waiting), or longest waiting across all work.
    pub routing: Routing,
    /// Probability of resolving a ticket of difficulty 0 at one contact.
    pub competence: f64,
    /// Standard deviation of each agent's competence around the team's.
    pub competence_spread: f64,
    /// How a new agent's competence grows with contacts handled.
    pub learning: Option<Learning>,
    /// Standard resolution, or empowered agents who resolve at once.
    pub resolution: Resolution,
    /// What happens to a ticket the team did not resolve.
    pub unresolved: Unresolved,
    /// Cost of one agent on shift for one hour.
    pub cost_per_hour: f64,
    /// Chats one agent holds at once (1 when the team serves no chat type).
    pub chat_concurrency: u32,
    /// Each chat an agent already holds lengthens a new chat's handle time by this share.
    pub chat_slowdown: f64,
    /// Resolution in depth (`depth`), if the team resolves that way.
    pub depth: Option<Depth>,
}

/// A team's resolution in depth (see "Depth of resolution" in docs/model.md): its
/// conversations last `handle_factor` times longer, and a ticket it resolves protects the
/// ticket's customer for `lasting` seconds, during which each new ticket of theirs never
/// comes with probability `prevents`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Depth {
    /// Multiplier of the team's conversations.
    pub handle_factor: f64,
    /// Probability that a protected customer's new ticket never comes.
    pub prevents: f64,
    /// How long the protection lasts, seconds from the resolution.
    pub lasting: f64,
    /// The team's proactive contact after each ticket it resolves, if any.
    pub proactive: Option<Proactive>,
}

/// A team's proactive contact after a resolution in depth (see "Depth of resolution" in
/// docs/model.md): `after` seconds later an agent of the team contacts the customer for
/// `handle` seconds, when no call or message needs them, which renews the protection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proactive {
    /// Seconds from the resolution to the contact coming due.
    pub after: f64,
    /// The agent's time the contact takes, seconds.
    pub handle: f64,
}

impl Team {
    /// Whether the team makes proactive contacts (`depth.proactive`). Out of line: the
    /// centre's setup, inlined into each replication's loop, stays as small as it was.
    #[inline(never)]
    pub fn has_proactive(&self) -> bool {
        self.depth.is_some_and(|d| d.proactive.is_some())
    }

    /// The multiplier of the team's talk times: its `speed`, times its depth's
    /// `handle_factor` when it resolves in depth.
    pub fn talk_speed(&self) -> f64 {
        self.speed * self.depth.map_or(1.0, |d| d.handle_factor)
    }

    /// The team's skill level for type `ty` (1 is best); 1 for a type it does not serve
    /// (an entry callback it places as the dedicated callback team).
    pub fn level(&self, ty: usize) -> u8 {
        self.serves
            .iter()
            .position(|&t| t == ty)
            .map_or(1, |j| self.levels[j])
    }

    /// Probability that an agent of competence `competence` resolves a ticket of
    /// `difficulty` at one contact: competence × (1 − difficulty), so harder tickets are
    /// never easier and a perfect agent still fails the impossible ones.
    pub fn resolve_probability(competence: f64, difficulty: f64) -> f64 {
        (competence * (1.0 - difficulty)).clamp(0.0, 1.0)
    }
}

/// How a freed agent picks the next piece of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// Highest priority first, then the longest waiting.
    Priority,
    /// The longest waiting, whatever its priority.
    LongestWaiting,
}

/// A learning curve: competence starts at `initial` and closes half of the gap to the
/// team's value every `half_life` contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Learning {
    /// Competence of an agent who has handled no contact.
    pub initial: f64,
    /// Contacts handled to close half of the gap.
    pub half_life: f64,
}

/// How a team resolves tickets.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Resolved with the team's competence lowered by the ticket's difficulty.
    Standard,
    /// Empowered agents: what the standard resolution would leave unresolved is settled
    /// by a goodwill gesture (a refund, a prepaid label) with `goodwill_probability`.
    ImmediateResolution {
        /// Probability that an otherwise unresolved ticket is settled by goodwill.
        goodwill_probability: f64,
        /// Cost of one goodwill gesture.
        goodwill_cost: f64,
    },
}

/// What happens to a ticket a team did not resolve.
#[derive(Debug, Clone, PartialEq)]
pub enum Unresolved {
    /// The customer is told to call again; they do after a delay, or give up.
    CustomerCallsAgain(Redial),
    /// The ticket moves to another team's queue after a transfer delay, the customer on hold.
    Escalate {
        /// Index of the team.
        team: usize,
        /// Time before the ticket reaches that team's queue.
        transfer_delay: Dist,
    },
    /// The agent promises a callback after an investigation.
    AgentCallback {
        /// Investigation time before the callback is due.
        delay: Dist,
        /// The callback is late when placed more than this after the contact ended.
        promise: f64,
        /// Probability that the callback is never placed.
        broken_probability: f64,
        /// Team that places it.
        team: usize,
        /// What the customer does when the promise is broken.
        call_again: Redial,
    },
}

/// Entry flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Callers wait in a queue and may abandon.
    Queue,
    /// Above a threshold callers are told to call back later and disconnected.
    CallBackLater,
    /// Above a predicted wait callers are offered a callback.
    Callback,
}

/// What happens to a call no agent can take at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The flow.
    pub flow: Flow,
    /// Redials after an abandonment, a rejection or a balk; `None` means nobody redials.
    pub redial: Option<Redial>,
    /// `call_back_later`: reject when this many callers of the type already wait.
    pub max_queue: Option<u32>,
    /// `call_back_later`: reject when the predicted wait is at least this, seconds.
    pub max_predicted_wait: Option<f64>,
    /// Whether callers hear the predicted wait.
    pub announce: Option<Announce>,
    /// `callback`: the offer.
    pub callback: Option<CallbackOffer>,
    /// Whether and when a caller who heard the closed message calls again (the delay counts
    /// from the next opening).
    pub closed_retry: Redial,
    /// What callers on the line meet at closing time.
    pub at_closing: AtClosing,
}

/// What callers still on the line meet when the centre closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtClosing {
    /// Agents stay until the callers on the line have been answered or have hung up.
    Serve,
    /// Callers on the line hear the closed message and are disconnected.
    Disconnect,
}

/// What hearing the predicted wait does to a caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Announce {
    /// A caller balks when the announced wait exceeds their patience × this.
    pub balk_factor: f64,
    /// An informed caller who stays has their patience multiplied by this.
    pub informed_patience_factor: f64,
}

/// The callback offer of the `callback` flow.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackOffer {
    /// Virtual hold or appointment.
    pub kind: CallbackKind,
    /// Offered when the predicted wait is at least this, seconds.
    pub threshold: f64,
    /// Probability of accepting at the threshold.
    pub accept: f64,
    /// Added to the acceptance probability per minute of predicted wait (capped at 1).
    pub accept_per_minute: f64,
    /// Probability that an outbound call reaches the customer.
    pub reach_probability: f64,
    /// Delay before retrying a missed callback.
    pub retry_delay: Dist,
    /// Outbound attempts before the promise is broken.
    pub max_attempts: u32,
    /// Agent time spent on an outbound call nobody answers, seconds.
    pub missed_call_time: f64,
    /// A dedicated team, or `None` for the teams that serve the type.
    pub team: Option<usize>,
    /// Added to the type's priority for callback work.
    pub priority: i32,
}

/// Virtual hold or appointment.
#[derive(Debug, Clone, PartialEq)]
pub enum CallbackKind {
    /// The callback keeps the caller's place in line.
    VirtualHold,
    /// The caller books the first free slot.
    Appointment {
        /// Length of a slot, seconds.
        slot_length: f64,
        /// Appointments each interval takes, spread over its slots.
        slots_per_interval: u32,
        /// How far ahead a slot may be booked, seconds.
        booking_horizon: f64,
    },
}

impl CallbackOffer {
    /// Probability of accepting a callback when `predicted` seconds of wait are announced.
    pub fn accept_probability(&self, predicted: f64) -> f64 {
        if self.accept_per_minute == 0.0 {
            // Also when nobody is on shift and the predicted wait is infinite.
            return self.accept;
        }
        (self.accept + self.accept_per_minute * predicted / 60.0).clamp(0.0, 1.0)
    }
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
        let src = read_text(path)?;
        Self::from_toml(&src, &path.display().to_string())
    }

    /// Parses and validates scenario text; `file` names it in messages.
    pub fn from_toml(src: &str, file: &str) -> Result<Scenario, ScenarioErrors> {
        validate::parse(src, file, &Options::default()).map(|(s, _)| s)
    }

    /// Parses and validates scenario text with `opts`; returns the scenario and the warnings
    /// (problems that `opts` lets through, such as unstable set-ups with `allow_unstable`).
    pub fn from_toml_with(
        src: &str,
        file: &str,
        opts: &Options,
    ) -> Result<(Scenario, Vec<ScenarioError>), ScenarioErrors> {
        validate::parse(src, file, opts)
    }

    /// The built-in default scenario.
    pub fn builtin_default() -> Scenario {
        Self::from_toml(DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME)
            .expect("the built-in scenario is valid (checked by tests)")
    }

    /// Mean offered load in erlangs at a given interval of a day (work arriving per second).
    pub fn offered_load(&self, day: usize, interval: usize) -> f64 {
        let rate = self.arrivals.profile(day)[interval] * self.arrivals.scale(day) / 3600.0;
        let mean_handle: f64 = self
            .ticket_types
            .iter()
            .map(|t| t.share * t.mean_work())
            .sum();
        rate * mean_handle
    }

    /// Whether a ticket type uses a channel other than the phone: the outputs then carry
    /// the channel (`breakdown.csv`'s channel rows, `tickets.csv`'s channel column).
    pub fn has_channels(&self) -> bool {
        self.ticket_types
            .iter()
            .any(|t| t.channel != Channel::Phone)
    }

    /// The channels its types use, in [`Channel::ALL`] order; empty when every type is a
    /// phone type (the outputs then carry no channel).
    pub fn channels_used(&self) -> Vec<Channel> {
        if !self.has_channels() {
            return Vec::new();
        }
        Channel::ALL
            .into_iter()
            .filter(|c| self.ticket_types.iter().any(|t| t.channel == *c))
            .collect()
    }

    /// Whether any cost is set above 0 (agent hours, goodwill, outbound calls, telephony,
    /// lost tickets): the cost metrics can then be other than 0.
    pub fn has_costs(&self) -> bool {
        self.outbound_call_cost > 0.0
            || self.per_call_minute > 0.0
            || self.lost_ticket_value > 0.0
            || self.lost_customer_value > 0.0
            || self.teams.iter().any(|t| {
                t.cost_per_hour > 0.0
                    || matches!(
                        t.resolution,
                        Resolution::ImmediateResolution { goodwill_cost, .. } if goodwill_cost > 0.0
                    )
            })
    }
}
