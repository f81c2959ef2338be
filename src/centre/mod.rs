//! The simulated centre: tickets arrive as calls, meet an entry flow (queue, "call back
//! later", callback offers, wait announcements), wait in queues, abandon, redial, are
//! answered by agents of teams whose size follows a staffing profile, and are resolved,
//! escalated, promised a callback or told to call again, until resolved or lost.
//!
//! Each step of the journey has its file, where its handlers are an `impl Centre` block:
//!
//! | step | file |
//! |---|---|
//! | the event loop: `Event`, `Centre::run` | `events.rs` |
//! | building a replication's world | `setup.rs` |
//! | the random streams | `streams.rs` |
//! | new tickets, later calls, redial after a failed call | `arrivals.rs` |
//! | entry flows: answered at once, call back later, callback offer, balking | `entry.rs` |
//! | queues and abandonment | `queues.rs` |
//! | agents: routing, dispatch, conversations | `routing.rs` |
//! | overflow to a secondary team after a wait | `skills.rs` |
//! | teams and staffing | `teams.rs`, `staffing.rs` |
//! | resolution and the unresolved policies | `resolution.rs` |
//! | callbacks and appointments | `callbacks.rs`, `appointments.rs` |
//! | written messages: the deferrable queue, its promise, reminders; chat concurrency | `messages.rs` |
//! | the ticket and its journey | `ticket.rs` |
//! | opening hours: the closed message, closing time, work postponed to the opening | `hours.rs` |
//! | closing, scoring, the day change, the drain after the horizon | `closing.rs` |
//! | the customers the tickets belong to, those who leave and those gained | `customers.rs` |
//! | proactive contacts after a resolution in depth | `proactive.rs` |
//! | following customers for `rappel trace` | `trace.rs` |
//! | the per-call log (calls.csv) | `calls.rs` |
//! | stopping a runaway journey (caps on contacts and on events at one instant) | `guard.rs` |

mod appointments;
mod arrivals;
mod callbacks;
mod calls;
mod closing;
mod customers;
mod entry;
mod events;
mod guard;
mod hours;
mod messages;
mod proactive;
mod queues;
mod resolution;
mod routing;
mod setup;
mod skills;
mod staffing;
mod streams;
mod teams;
mod ticket;
mod trace;

pub use calls::{CallOutcome, CallRecord, CallSink, simulate_with_calls};
pub use guard::{Cap, MAX_AT_INSTANT, MAX_CONTACTS, Runaway};
pub use queues::QueueId;
pub use ticket::{State, Ticket, Work};
pub use trace::{Step, TraceEvent, TraceSink};

use crate::engine::Calendar;
use crate::satisfaction::{Score, WordOfMouth};
use crate::scenario::{Sampler, Scenario};
use crate::stats::{Collector, ReplicationResult};
use appointments::Book;
use arrivals::ArrivalProcess;
use events::Event;
use queues::Queues;
use streams::Streams;
use teams::TeamState;
use ticket::Tickets;

/// How a ticket ended, for `tickets.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An agent solved the problem.
    Resolved,
    /// The customer gave up for good.
    Lost,
    /// Neither when the run ended.
    Open,
}

impl Outcome {
    /// The word written in `tickets.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Lost => "lost",
            Outcome::Open => "open",
        }
    }
}

/// Receives every counted ticket when it closes (or at the drain cap, still open), with
/// the time it closed (the end of the run for open ones) and its satisfaction score (for
/// open ones, as their customers judge a problem left unresolved).
pub type TicketLog<'a> = &'a mut dyn FnMut(&Ticket, Outcome, f64, Option<&Score>);

/// One replication's world.
struct Centre<'a> {
    s: &'a Scenario,
    calendar: Calendar<Event>,
    arrivals: ArrivalProcess,
    rng: Streams,
    /// Whether a type uses a channel other than the phone (the message and chat paths are
    /// then looked at; a phone-only centre skips them with one test).
    channels: bool,
    /// Per type: its channel.
    channel: Vec<crate::scenario::Channel>,
    /// Messages waiting for an answer, all types together.
    messages_waiting: u32,
    /// The customers the tickets belong to (`arrivals.customers`).
    population: Option<customers::Population>,
    /// Per type: the wait customers expect today.
    expected: Vec<f64>,
    /// Per type: sum and count of today's waits on the line.
    day_waits: Vec<(f64, u64)>,
    /// Start of the next day, when expectations and word of mouth move.
    next_day: f64,
    /// The start of the counted window while still ahead (a positive warm-up), else infinite.
    start_mark: f64,
    /// The earlier of `next_day` and `start_mark`: the loop's one check of the clock.
    next_mark: f64,
    /// Today's promoters, detractors and scored tickets.
    day_word: (u64, u64, u64),
    /// With word of mouth, arrivals are generated at its `boost()` times the rate and kept
    /// with probability `factor() / boost()`.
    word_of_mouth: Option<WordOfMouth>,
    type_cdf: Vec<f64>,
    /// With a forecast per type: per profile and interval of the open day, the cumulative
    /// shares of the types (empty otherwise: `type_cdf` for every call).
    type_cdfs: Vec<Vec<Vec<f64>>>,
    handle: Vec<Sampler>,
    patience: Vec<Option<Sampler>>,
    /// Per ticket type: after-call work, if any.
    wrap_up: Vec<Option<Sampler>>,
    redial_delay: Option<Sampler>,
    callback_retry: Option<Sampler>,
    /// Per team: the delay of its unresolved policy (call again, transfer, investigation).
    unresolved_delay: Vec<Sampler>,
    /// Per team: the call-again delay when an agent callback is broken.
    broken_delay: Vec<Option<Sampler>>,
    tickets: Tickets,
    /// The number the next new ticket gets.
    next_ticket: u64,
    queues: Queues,
    /// Callers on the line in inbound queues.
    queued: u32,
    /// Customers on hold after a transfer, from its delay's end until an agent answers
    /// (telephony, [`crate::stats::Collector::advance`]).
    on_hold: u32,
    /// Agents in after-call work (or a proactive contact): busy, but off the line.
    wrapping: u32,
    /// Per team, with a team making proactive contacts: the customers whose contact is due
    /// and waits for a free agent, oldest first (empty otherwise).
    proactive: Vec<std::collections::VecDeque<u32>>,
    /// Whether the centre is open (within the day grid's opening hours) now.
    open: bool,
    /// Per team, today's plan when the team has a roster (`staffing.rs`).
    plans: Vec<Option<crate::scenario::DayPlan>>,
    /// The day `plans` are of (`usize::MAX` before the first).
    plan_day: usize,
    /// Counted tickets not yet closed: the drain after the horizon lasts until none is left.
    open_counted: u64,
    /// When a ticket last closed leaving no counted ticket open.
    last_close: f64,
    /// The delay of a caller's new try after the closed message, counted from the opening.
    closed_delay: Sampler,
    teams: Vec<TeamState>,
    /// Per type: the teams serving it, best skill level first.
    teams_for_type: Vec<Vec<usize>>,
    /// Per type: the teams that may answer a new call at once, in the order they are tried.
    answer_at_once: Vec<Vec<usize>>,
    /// Per team: mean handle time of the mix of types it serves, at its speed.
    mean_handle: Vec<f64>,
    book: Option<Book>,
    /// The last exponential of a satisfaction score (`Params::score_cached`).
    score_cache: crate::satisfaction::ScoreCache,
    stats: Collector,
    events: u64,
    log: Option<TicketLog<'a>>,
    /// The per-call log's sink, if any (`calls.rs`).
    calls: Option<CallSink<'a>>,
    /// The trace sink and how many customers (the first ones) it follows.
    trace: Option<(TraceSink<'a>, u64)>,
    /// Whether steps are wanted: by the trace, or by the runaway guard's watch.
    observed: bool,
    /// The loop stops at events from this time: the horizon, or earlier for a runaway.
    stop_at: f64,
    /// The time seen by the runaway guard's last check of the clock, and how many checks
    /// in a row saw it.
    instant: (f64, u32),
    /// The ticket the runaway guard watches, once one reached the cap of contacts.
    watch: Option<Box<guard::Watch>>,
    /// Why the replication was stopped early.
    runaway: Option<Box<Runaway>>,
}

/// Runs replication `replication` (0-based) of a scenario. A journey that runs away (see
/// [`simulate_checked`]) stops the replication early: this returns it as far as it ran.
pub fn simulate(s: &Scenario, replication: u32) -> ReplicationResult {
    simulate_logged(s, replication, None)
}

/// Runs replication `replication` of a scenario, or says why the runaway guard stopped
/// it ([`MAX_CONTACTS`], [`MAX_AT_INSTANT`]).
pub fn simulate_checked(s: &Scenario, replication: u32) -> Result<ReplicationResult, Runaway> {
    simulate_logged_checked(s, replication, None)
}

/// Runs a replication, handing every counted ticket to `log` as it closes; stops early
/// like [`simulate`] when a journey runs away.
pub fn simulate_logged<'a>(
    s: &'a Scenario,
    replication: u32,
    log: Option<TicketLog<'a>>,
) -> ReplicationResult {
    let (res, _) = Centre::new(s, replication, log).simulate(replication);
    res
}

/// Like [`simulate_logged`], or says why the runaway guard stopped the replication.
pub fn simulate_logged_checked<'a>(
    s: &'a Scenario,
    replication: u32,
    log: Option<TicketLog<'a>>,
) -> Result<ReplicationResult, Runaway> {
    match Centre::new(s, replication, log).simulate(replication) {
        (_, Some(runaway)) => Err(runaway),
        (res, None) => Ok(res),
    }
}

/// Runs a replication, handing every step of the first `customers` customers to `sink`.
/// The run is the same as without a trace: tracing draws nothing. Stops early like
/// [`simulate`] when a journey runs away.
pub fn simulate_traced<'a>(
    s: &'a Scenario,
    replication: u32,
    customers: u64,
    sink: TraceSink<'a>,
) -> ReplicationResult {
    simulate_traced_inner(s, replication, customers, sink).0
}

/// Like [`simulate_traced`], or says why the runaway guard stopped the replication.
pub fn simulate_traced_checked<'a>(
    s: &'a Scenario,
    replication: u32,
    customers: u64,
    sink: TraceSink<'a>,
) -> Result<ReplicationResult, Runaway> {
    match simulate_traced_inner(s, replication, customers, sink) {
        (_, Some(runaway)) => Err(runaway),
        (res, None) => Ok(res),
    }
}

fn simulate_traced_inner<'a>(
    s: &'a Scenario,
    replication: u32,
    customers: u64,
    sink: TraceSink<'a>,
) -> (ReplicationResult, Option<Runaway>) {
    let mut c = Centre::new(s, replication, None);
    c.trace = Some((sink, customers));
    c.observed = true;
    c.simulate(replication)
}

impl Centre<'_> {
    /// Runs the replication; its result, and the runaway that stopped it early if any.
    fn simulate(mut self, replication: u32) -> (ReplicationResult, Option<Runaway>) {
        self.run();
        let runaway = self.runaway.take().map(|mut r| {
            r.replication = replication;
            *r
        });
        (self.finish(replication), runaway)
    }
}
