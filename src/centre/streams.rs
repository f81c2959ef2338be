//! The random streams of one replication, one per purpose, so that a change in one step
//! of the journey leaves the draws of every other step as they were.

use crate::engine::{Purpose, Stream, stream};

/// Every stream the centre draws from, apart from arrival times (drawn by the arrival
/// process from its own [`Purpose::Arrivals`] stream).
pub(super) struct Streams {
    /// The type of each new ticket (none when there is a single type).
    pub ticket_type: Stream,
    /// The base handle time of each new ticket.
    pub handle: Stream,
    /// The patience of a new ticket's first call.
    pub patience: Stream,
    /// Whether a customer whose call failed (rejected, balked, abandoned, broken callback)
    /// tries again.
    pub redial: Stream,
    /// How long such a customer waits before calling again.
    pub redial_delay: Stream,
    /// The patience of a ticket's later calls.
    pub redial_patience: Stream,
    /// Whether a conversation resolves the ticket, and whether goodwill settles it: two
    /// draws per conversation.
    pub resolution: Stream,
    /// The handle time of a ticket's second and later conversations.
    pub follow_up: Stream,
    /// Whether a caller accepts a callback offer.
    pub callback: Stream,
    /// Whether an outbound call reaches the customer.
    pub reach: Stream,
    /// Transfer, investigation and callback-retry delays, and whether an agent's callback
    /// promise will be broken.
    pub delay: Stream,
    /// Each new agent's competence around the team's.
    pub spread: Stream,
    /// Whether a customer left unresolved (or let down by an agent) calls again, and when.
    pub call_again: Stream,
    /// Each customer's tolerance in the satisfaction score.
    pub satisfaction: Stream,
    /// Which potential new customers word of mouth brings or keeps away.
    pub word_of_mouth: Stream,
    /// Whether a caller who heard the closed message calls again, and when.
    pub closed: Stream,
    /// The after-call work of each conversation.
    pub wrap_up: Stream,
    /// Which scheduled agents are absent each day (one uniform per agent and day, teams
    /// with an `absence` only).
    pub absence: Stream,
    /// Whether each agent the plan puts on the phone is there (one uniform per agent at
    /// every change of the plan, teams with an `adherence` below 1 only).
    pub adherence: Stream,
    /// Whether a customer whose message is unanswered sends a reminder (one uniform per
    /// message of a type with a reminder).
    pub reminder: Stream,
    /// The customer each new ticket belongs to (one uniform per arrival kept by word of
    /// mouth, with a population only).
    pub customer: Stream,
    /// Whether a customer left a detractor leaves (one uniform per such ticket, with a
    /// churn above 0 only).
    pub churn: Stream,
    /// Whether a protected customer's new ticket never comes (one uniform per arrival of a
    /// customer protected by a resolution in depth).
    pub prevention: Stream,
    /// Whether a customer left a promoter brings a new customer (one uniform per such
    /// ticket while the stock has room, with a referral above 0 only).
    pub referral: Stream,
}

impl Streams {
    /// The streams of replication `replication` of a run seeded with `seed`.
    pub fn new(seed: u64, replication: u64) -> Self {
        let r = replication;
        Self {
            ticket_type: stream(seed, r, Purpose::TicketType),
            handle: stream(seed, r, Purpose::HandleTime),
            patience: stream(seed, r, Purpose::Patience),
            redial: stream(seed, r, Purpose::RedialDecision),
            redial_delay: stream(seed, r, Purpose::RedialDelay),
            redial_patience: stream(seed, r, Purpose::RedialPatience),
            resolution: stream(seed, r, Purpose::Resolution),
            follow_up: stream(seed, r, Purpose::FollowUpHandle),
            callback: stream(seed, r, Purpose::CallbackDecision),
            reach: stream(seed, r, Purpose::CallbackReach),
            delay: stream(seed, r, Purpose::Delays),
            spread: stream(seed, r, Purpose::AgentSpread),
            call_again: stream(seed, r, Purpose::CallAgain),
            satisfaction: stream(seed, r, Purpose::Satisfaction),
            word_of_mouth: stream(seed, r, Purpose::WordOfMouth),
            closed: stream(seed, r, Purpose::ClosedRetry),
            wrap_up: stream(seed, r, Purpose::WrapUp),
            absence: stream(seed, r, Purpose::Absence),
            adherence: stream(seed, r, Purpose::Adherence),
            reminder: stream(seed, r, Purpose::Reminder),
            customer: stream(seed, r, Purpose::Customer),
            churn: stream(seed, r, Purpose::Churn),
            prevention: stream(seed, r, Purpose::Prevention),
            referral: stream(seed, r, Purpose::Referral),
        }
    }
}
