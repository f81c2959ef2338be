//! The per-call log (`rappel run --calls`, calls.csv; the back-test of `rappel fit`): one
//! record per inbound call, handed to a sink when the call's fate on the line is known
//! (answered: when the conversation starts, its talk time drawn; otherwise when it left).
//!
//! The hooks are one line each where a call's fate is decided: `start_work` (routing.rs,
//! answered), `abandon` (queues.rs), `arrive_with_patience` (entry.rs: told to call back
//! later, balked), `closed_call` and `disconnect` (hours.rs) and `offer_callback`
//! (callbacks.rs: left the line with a promise). Without a sink each is one test of a field.

use super::ticket::TicketId;
use super::{Centre, TicketLog};
use crate::scenario::Scenario;
use crate::stats::ReplicationResult;

/// How an inbound call left the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    /// An agent answered (at once or after a wait in line).
    Answered,
    /// The caller hung up in the queue.
    Abandoned,
    /// Told to call back later (`flow = "call_back_later"`).
    Rejected,
    /// Hung up on hearing the predicted wait.
    Balked,
    /// Called while the centre was closed: the closed message.
    Closed,
    /// On the line at closing time: the closed message, disconnected.
    Disconnected,
    /// Left the line with an accepted entry callback.
    Callback,
}

impl CallOutcome {
    /// Every outcome, in the order of their names' documentation.
    pub const ALL: [CallOutcome; 7] = [
        CallOutcome::Answered,
        CallOutcome::Abandoned,
        CallOutcome::Rejected,
        CallOutcome::Balked,
        CallOutcome::Closed,
        CallOutcome::Disconnected,
        CallOutcome::Callback,
    ];

    /// The word written in calls.csv's `outcome` column.
    pub fn name(self) -> &'static str {
        match self {
            CallOutcome::Answered => "answered",
            CallOutcome::Abandoned => "abandoned",
            CallOutcome::Rejected => "rejected",
            CallOutcome::Balked => "balked",
            CallOutcome::Closed => "closed",
            CallOutcome::Disconnected => "disconnected",
            CallOutcome::Callback => "callback",
        }
    }

    /// The outcome named `name` (as [`CallOutcome::name`] writes it).
    pub fn from_name(name: &str) -> Option<CallOutcome> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// One inbound call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallRecord {
    /// The ticket's number in its replication ([`super::Ticket::number`]): the customer.
    pub ticket: u64,
    /// The call's rank among its ticket's inbound calls, from 1.
    pub attempt: u32,
    /// The ticket type's index.
    pub ticket_type: u32,
    /// When the call arrived, seconds from 00:00 of day 0.
    pub arrival: f64,
    /// Time on the line before it was answered or left, seconds (0 when it never waited).
    pub wait: f64,
    /// How it left the line.
    pub outcome: CallOutcome,
    /// The answering agent's team and id within the team (answered calls only).
    pub agent: Option<(usize, u32)>,
    /// Talk time of the conversation, seconds, after the team's speed; NaN when not
    /// answered. After-call work is not included.
    pub handle: f64,
}

/// Receives every counted inbound call (arrived from the warm-up to the horizon).
pub type CallSink<'a> = &'a mut dyn FnMut(&CallRecord);

/// Runs replication `replication` of `s`, handing closed tickets to `log` and every
/// counted call to `calls`; or says why the runaway guard stopped it.
pub fn simulate_with_calls<'a>(
    s: &'a Scenario,
    replication: u32,
    log: Option<TicketLog<'a>>,
    calls: CallSink<'a>,
) -> Result<ReplicationResult, super::Runaway> {
    let mut c = Centre::new(s, replication, log);
    c.calls = Some(calls);
    match c.simulate(replication) {
        (_, Some(runaway)) => Err(runaway),
        (res, None) => Ok(res),
    }
}

impl Centre<'_> {
    /// The call of `ticket` left the line now with `outcome`; `answered_by` is the team,
    /// agent and talk time of an answered one.
    #[inline(always)]
    pub(super) fn call_ended(
        &mut self,
        now: f64,
        ticket: TicketId,
        outcome: CallOutcome,
        answered_by: Option<(usize, u32, f64)>,
    ) {
        if self.calls.is_some() {
            self.log_call(now, ticket, outcome, answered_by);
        }
    }

    #[cold]
    #[inline(never)]
    fn log_call(
        &mut self,
        now: f64,
        ticket: TicketId,
        outcome: CallOutcome,
        answered_by: Option<(usize, u32, f64)>,
    ) {
        let t = self.tickets.get(ticket);
        let sim = &self.s.simulation;
        if t.arrival < sim.warmup || t.arrival >= sim.horizon {
            return;
        }
        let record = CallRecord {
            ticket: t.number,
            attempt: t.attempt,
            ticket_type: t.ticket_type,
            arrival: t.arrival,
            wait: (now - t.arrival).max(0.0),
            outcome,
            agent: answered_by.map(|(k, a, _)| (k, a)),
            handle: answered_by.map_or(f64::NAN, |(_, _, h)| h),
        };
        if let Some(sink) = self.calls.as_mut() {
            sink(&record);
        }
    }
}
