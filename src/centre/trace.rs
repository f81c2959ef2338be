//! Following customers for `rappel trace`: what a customer lives through, step by step,
//! and the hook through which every step reaches the trace sink.

use super::Centre;
use super::ticket::{Ticket, TicketId};
use crate::satisfaction::Score;

/// One step of a customer's journey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// The customer calls (the first call, or a later one).
    Calls {
        /// 1 for the first call.
        attempt: u32,
    },
    /// An agent was free: answered at once.
    AnsweredAtOnce {
        /// Team of the agent.
        team: usize,
    },
    /// Every agent was busy: the caller waits in line.
    Queued {
        /// The predicted wait, seconds.
        predicted: f64,
        /// Whether the caller heard it.
        announced: bool,
    },
    /// "All lines are busy, please call back later": disconnected.
    ToldToCallBackLater,
    /// Hearing the predicted wait, the caller hung up at once.
    Balked {
        /// The announced wait, seconds.
        predicted: f64,
    },
    /// Patience ran out in the queue.
    Abandoned {
        /// Time waited, seconds.
        wait: f64,
    },
    /// A callback was offered.
    CallbackOffered {
        /// Whether the caller took it.
        accepted: bool,
        /// The predicted wait that prompted it, seconds.
        predicted: f64,
    },
    /// An appointment was booked.
    AppointmentBooked {
        /// Start of the slot.
        start: f64,
        /// End of the slot.
        end: f64,
    },
    /// An agent answered after a wait in line (or on hold after a transfer).
    Answered {
        /// Team of the agent.
        team: usize,
        /// Time waited, seconds: in line since the call, or after a transfer on hold since
        /// the transfer went through (its delay is not counted).
        wait: f64,
        /// Whether the customer was on hold after a transfer rather than in line.
        after_transfer: bool,
    },
    /// An agent called the customer back.
    CallbackPlaced {
        /// Team of the agent.
        team: usize,
        /// Whether the customer picked up.
        reached: bool,
    },
    /// A promised callback will never come.
    PromiseBroken,
    /// The conversation solved the problem.
    Resolved {
        /// Team of the agent.
        team: usize,
        /// Whether a goodwill gesture settled it.
        goodwill: bool,
    },
    /// The conversation did not solve the problem.
    NotResolved {
        /// Team of the agent.
        team: usize,
    },
    /// Sent to another team's queue.
    Transferred {
        /// The receiving team.
        to: usize,
        /// How long the transfer takes before the customer is on hold for that team,
        /// seconds (the team's `unresolved` delay).
        delay: f64,
    },
    /// The agent promised a callback after investigating.
    CallbackPromised {
        /// The team that will call.
        team: usize,
        /// The promised time.
        due: f64,
    },
    /// The call was made while the centre is closed: the closed message.
    HeardClosed,
    /// On the line at closing time: the closed message, disconnected.
    DisconnectedAtClosing {
        /// Time waited, seconds.
        wait: f64,
    },
    /// Work the centre owes (a transfer, a callback) came due while closed: put off.
    PutOffToOpening {
        /// The opening, when it is due again.
        at: f64,
    },
    /// The customer sends a message (the first, or after an unresolved answer).
    Writes {
        /// 1 for the first contact.
        attempt: u32,
        /// When the answer is promised by.
        due: f64,
    },
    /// An agent takes the message to answer it.
    MessageTaken {
        /// Team of the agent.
        team: usize,
        /// Time since the message was sent, seconds.
        waited: f64,
    },
    /// The answer is sent, the conversation over.
    MessageAnswered {
        /// Time from the message to the answer, seconds.
        response: f64,
        /// Whether it came within the promise.
        on_time: bool,
    },
    /// The message still unanswered, the customer sends a reminder.
    Reminds,
    /// The customer will call again.
    WillCallAgain {
        /// When.
        at: f64,
    },
    /// The ticket closed: resolved or lost, with the customer's score.
    Closed {
        /// Whether it was resolved.
        resolved: bool,
        /// The satisfaction score.
        score: Score,
    },
}

/// One step of one customer, at a simulated time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceEvent {
    /// Simulated time, seconds from 00:00 of day 0.
    pub time: f64,
    /// The customer's ticket number ([`Ticket::number`]), from 0 in arrival order.
    pub customer: u64,
    /// The ticket type's index.
    pub ticket_type: usize,
    /// What happened.
    pub step: Step,
}

/// Receives the steps of the customers traced.
pub type TraceSink<'a> = &'a mut dyn FnMut(&TraceEvent);

impl Centre<'_> {
    /// Hands a step of `ticket` to the trace, if it is one of the customers followed, and
    /// to the runaway guard's watch, if it is the ticket watched. Without either this is
    /// one test of a field: the step is never built.
    #[inline(always)]
    pub(super) fn note(&mut self, now: f64, ticket: TicketId, step: impl FnOnce(&Ticket) -> Step) {
        if self.observed {
            let t = *self.tickets.get(ticket);
            self.note_traced(now, &t, step(&t));
        }
    }

    #[cold]
    #[inline(never)]
    fn note_traced(&mut self, now: f64, t: &Ticket, step: Step) {
        if let Some((sink, customers)) = self.trace.as_mut()
            && t.number < *customers
        {
            sink(&TraceEvent {
                time: now,
                customer: t.number,
                ticket_type: t.ticket_type as usize,
                step,
            });
        }
        self.watched(now, t, step);
    }
}
