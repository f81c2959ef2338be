//! The simulated centre: tickets arrive as calls, meet an entry flow (queue, "call back
//! later", callback offers, wait announcements), wait in queues, abandon, redial, are
//! answered by agents of teams whose size follows a staffing profile, and are resolved,
//! escalated, promised a callback or told to call again, until resolved or lost.

mod appointments;
mod callers;
mod teams;
mod trace;

pub use callers::{State, Ticket, Work};
pub use trace::{Step, TraceEvent, TraceSink};

use crate::engine::{Calendar, Purpose, Stream, stream};
use crate::satisfaction::Score;
use crate::scenario::{
    CallbackKind, Flow, Redial, Resolution, Sampler, Scenario, Team, Unresolved,
};
use crate::stats::{Collector, ReplicationResult, TicketSummary};
use appointments::Book;
use callers::Tickets;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use std::collections::VecDeque;
use teams::TeamState;

mod arrivals;
use arrivals::ArrivalProcess;

const DAY: f64 = 86_400.0;

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

/// Receives every counted ticket when it closes (or at the horizon, still open), with
/// the time it closed (the horizon for open ones) and its satisfaction score (none for
/// open ones).
pub type TicketLog<'a> = &'a mut dyn FnMut(&Ticket, Outcome, f64, Option<&Score>);

/// Something that happens at a point of simulated time.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A new ticket's first call.
    NewTicket,
    /// A customer who left calls again.
    Retry { caller: u32, generation: u32 },
    /// A waiting caller's patience runs out (stale if the caller was answered).
    Abandon { caller: u32, generation: u32 },
    /// An agent finishes a conversation.
    Done { team: u32, agent: u32, caller: u32 },
    /// An agent finishes an outbound call nobody answered.
    Missed { team: u32, agent: u32, caller: u32 },
    /// Scheduled work comes due: a callback, a retry of one, or a transfer.
    Due { caller: u32, generation: u32 },
    /// A promised agent callback that will never be placed reaches its deadline.
    Broken { caller: u32, generation: u32 },
    /// An interval edge: staffing may change.
    Shift,
}

/// A queue entry: the ticket, the generation it was queued under, and its rank time
/// (arrival, or the original arrival for a virtual-hold callback).
#[derive(Debug, Clone, Copy)]
struct Item {
    caller: u32,
    generation: u32,
    rank: f64,
}

/// A FIFO of work and how many of its entries are live.
#[derive(Debug, Clone, Default)]
struct Queue {
    items: VecDeque<Item>,
    live: u32,
}

/// One replication's world.
struct Centre<'a> {
    s: &'a Scenario,
    calendar: Calendar<Event>,
    arrivals: ArrivalProcess,
    type_rng: Stream,
    handle_rng: Stream,
    patience_rng: Stream,
    redial_rng: Stream,
    redial_delay_rng: Stream,
    redial_patience_rng: Stream,
    resolution_rng: Stream,
    follow_up_rng: Stream,
    callback_rng: Stream,
    reach_rng: Stream,
    delay_rng: Stream,
    spread_rng: Stream,
    call_again_rng: Stream,
    satisfaction_rng: Stream,
    word_of_mouth_rng: Stream,
    /// Per type: the wait customers expect today.
    expected: Vec<f64>,
    /// Per type: sum and count of today's waits on the line.
    day_waits: Vec<(f64, u64)>,
    /// Start of the next day, when expectations and word of mouth move.
    next_day: f64,
    /// Today's promoters, detractors and scored tickets.
    day_word: (u64, u64, u64),
    /// Arrivals are generated at `boost` times the rate and kept with `factor / boost`.
    word_of_mouth: Option<(f64, f64)>,
    type_cdf: Vec<f64>,
    handle: Vec<Sampler>,
    patience: Vec<Option<Sampler>>,
    redial_delay: Option<Sampler>,
    callback_retry: Option<Sampler>,
    /// Per team: the delay of its unresolved policy (call again, transfer, investigation).
    unresolved_delay: Vec<Sampler>,
    /// Per team: the call-again delay when an agent callback is broken.
    broken_delay: Vec<Option<Sampler>>,
    tickets: Tickets,
    next_ticket: u64,
    /// Inbound queues per type, then callback queues per type, then a direct queue per team.
    queues: Vec<Queue>,
    /// Callers on the line in inbound queues.
    queued: u32,
    teams: Vec<TeamState>,
    teams_for_type: Vec<Vec<usize>>,
    /// Per team: mean handle time of the mix of types it serves, at its speed.
    mean_handle: Vec<f64>,
    book: Option<Book>,
    stats: Collector,
    events: u64,
    log: Option<TicketLog<'a>>,
    /// The trace sink and how many customers (the first ones) it follows.
    trace: Option<(TraceSink<'a>, u64)>,
}

/// Runs replication `replication` (0-based) of a scenario.
pub fn simulate(s: &Scenario, replication: u32) -> ReplicationResult {
    simulate_logged(s, replication, None)
}

/// Runs a replication, handing every counted ticket to `log` as it closes.
pub fn simulate_logged<'a>(
    s: &'a Scenario,
    replication: u32,
    log: Option<TicketLog<'a>>,
) -> ReplicationResult {
    let mut c = Centre::new(s, replication, log);
    c.run();
    c.finish(replication)
}

/// Runs a replication, handing every step of the first `customers` customers to `sink`.
/// The run is the same as without a trace: tracing draws nothing.
pub fn simulate_traced<'a>(
    s: &'a Scenario,
    replication: u32,
    customers: u64,
    sink: TraceSink<'a>,
) -> ReplicationResult {
    let mut c = Centre::new(s, replication, None);
    c.trace = Some((sink, customers));
    c.run();
    c.finish(replication)
}

impl<'a> Centre<'a> {
    fn new(s: &'a Scenario, replication: u32, log: Option<TicketLog<'a>>) -> Self {
        let r = u64::from(replication);
        let seed = s.simulation.seed;
        let types = s.ticket_types.len();
        let mut acc = 0.0;
        let type_cdf = s
            .ticket_types
            .iter()
            .map(|t| {
                acc += t.share;
                acc
            })
            .collect();
        let teams_for_type: Vec<Vec<usize>> = (0..types)
            .map(|ty| {
                (0..s.teams.len())
                    .filter(|&k| s.teams[k].serves.contains(&ty))
                    .collect()
            })
            .collect();
        let callback = s.entry.callback.as_ref();
        let teams: Vec<TeamState> = s
            .teams
            .iter()
            .enumerate()
            .map(|(k, team)| {
                let mut queues: Vec<(usize, i32)> = Vec::new();
                for &ty in &team.serves {
                    queues.push((ty, s.ticket_types[ty].priority));
                }
                // Entry callbacks of a type wait in their own queue, taken by the dedicated
                // callback team if there is one, else by the teams serving the type, at the
                // type's priority plus the callback's.
                if let Some(cb) = callback {
                    let takes: Vec<usize> = match cb.team {
                        Some(t) if t == k => (0..types).collect(),
                        Some(_) => Vec::new(),
                        None => team.serves.clone(),
                    };
                    for ty in takes {
                        queues.push((types + ty, s.ticket_types[ty].priority + cb.priority));
                    }
                }
                // Under priority routing, transfers and promised callbacks come before
                // new calls (the customer already spoke to the centre); validation keeps
                // user priorities far below this.
                queues.push((2 * types + k, i32::MAX));
                TeamState::new(team, &queues)
            })
            .collect();
        let mean_handle = s
            .teams
            .iter()
            .map(|team| {
                let (mut work, mut weight) = (0.0, 0.0);
                for &ty in &team.serves {
                    let t = &s.ticket_types[ty];
                    work += t.share * t.handle_time.mean() * team.speed;
                    weight += t.share;
                }
                if weight > 0.0 { work / weight } else { 0.0 }
            })
            .collect();
        let unresolved_delay = s
            .teams
            .iter()
            .map(|t| match &t.unresolved {
                Unresolved::CustomerCallsAgain(r) => r.delay.sampler(),
                Unresolved::Escalate { transfer_delay, .. } => transfer_delay.sampler(),
                Unresolved::AgentCallback { delay, .. } => delay.sampler(),
            })
            .collect();
        let broken_delay = s
            .teams
            .iter()
            .map(|t| match &t.unresolved {
                Unresolved::AgentCallback { call_again, .. } => Some(call_again.delay.sampler()),
                _ => None,
            })
            .collect();
        let book = match callback.map(|cb| &cb.kind) {
            Some(CallbackKind::Appointment {
                slot_length,
                slots_per_interval,
                booking_horizon,
            }) => Some(Book::new(
                &s.day,
                *slot_length,
                *slots_per_interval,
                *booking_horizon,
            )),
            _ => None,
        };
        Self {
            s,
            calendar: Calendar::new(),
            arrivals: ArrivalProcess::new(
                s,
                stream(seed, r, Purpose::Arrivals),
                if s.satisfaction.word_of_mouth {
                    1.0 + s.satisfaction.word_of_mouth_gain
                } else {
                    1.0
                },
            ),
            type_rng: stream(seed, r, Purpose::TicketType),
            handle_rng: stream(seed, r, Purpose::HandleTime),
            patience_rng: stream(seed, r, Purpose::Patience),
            redial_rng: stream(seed, r, Purpose::RedialDecision),
            redial_delay_rng: stream(seed, r, Purpose::RedialDelay),
            redial_patience_rng: stream(seed, r, Purpose::RedialPatience),
            resolution_rng: stream(seed, r, Purpose::Resolution),
            follow_up_rng: stream(seed, r, Purpose::FollowUpHandle),
            callback_rng: stream(seed, r, Purpose::CallbackDecision),
            reach_rng: stream(seed, r, Purpose::CallbackReach),
            delay_rng: stream(seed, r, Purpose::Delays),
            spread_rng: stream(seed, r, Purpose::AgentSpread),
            call_again_rng: stream(seed, r, Purpose::CallAgain),
            satisfaction_rng: stream(seed, r, Purpose::Satisfaction),
            word_of_mouth_rng: stream(seed, r, Purpose::WordOfMouth),
            expected: s.ticket_types.iter().map(|t| t.expected_wait).collect(),
            day_waits: vec![(0.0, 0); types],
            next_day: DAY,
            day_word: (0, 0, 0),
            word_of_mouth: s
                .satisfaction
                .word_of_mouth
                .then_some((1.0 + s.satisfaction.word_of_mouth_gain, 1.0)),
            type_cdf,
            handle: s
                .ticket_types
                .iter()
                .map(|t| t.handle_time.sampler())
                .collect(),
            patience: s
                .ticket_types
                .iter()
                .map(|t| t.patience.as_ref().map(|d| d.sampler()))
                .collect(),
            redial_delay: s.entry.redial.as_ref().map(|r| r.delay.sampler()),
            callback_retry: callback.map(|cb| cb.retry_delay.sampler()),
            unresolved_delay,
            broken_delay,
            tickets: Tickets::default(),
            next_ticket: 0,
            queues: vec![Queue::default(); 2 * types + s.teams.len()],
            queued: 0,
            teams,
            teams_for_type,
            mean_handle,
            book,
            stats: Collector::new(s),
            events: 0,
            log,
            trace: None,
        }
    }

    fn run(&mut self) {
        let horizon = self.s.simulation.horizon;
        self.stats.expectation(0, self.expectation_mix());
        self.apply_staffing(0.0);
        self.schedule_next_shift(0.0);
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule(t, Event::NewTicket);
        }
        while let Some((now, event)) = self.calendar.pop() {
            if now >= horizon {
                break;
            }
            self.events += 1;
            let live = match event {
                Event::Retry { caller, generation } => {
                    self.tickets.is(caller, generation, State::Away)
                }
                Event::Abandon { caller, generation } => {
                    self.tickets.is(caller, generation, State::Waiting)
                }
                Event::Due { caller, generation } | Event::Broken { caller, generation } => {
                    self.tickets.is(caller, generation, State::Pending)
                }
                _ => true,
            };
            if !live {
                // A cancelled timer changes nothing, so the time integrals can wait for
                // the next live event.
                continue;
            }
            while now >= self.next_day {
                self.new_day();
            }
            self.advance(now);
            match event {
                Event::NewTicket => self.new_ticket(now),
                Event::Retry { caller, .. } => self.arrive(now, caller),
                Event::Abandon { caller, .. } => self.abandon(now, caller),
                Event::Done {
                    team,
                    agent,
                    caller,
                } => self.done(now, team as usize, agent, caller),
                Event::Missed {
                    team,
                    agent,
                    caller,
                } => self.missed(now, team as usize, agent, caller),
                Event::Due { caller, .. } => self.due(now, caller),
                Event::Broken { caller, .. } => self.promise_broken(now, caller),
                Event::Shift => {
                    self.apply_staffing(now);
                    self.schedule_next_shift(now);
                }
            }
        }
        self.advance(horizon);
    }

    /// Hands a step of ticket `id` to the trace, if it is one of the customers followed.
    /// Without a trace this is one test of a field: the step is never built.
    #[inline(always)]
    fn note(&mut self, now: f64, id: u32, step: impl FnOnce(&Ticket) -> Step) {
        if self.trace.is_some() {
            let t = *self.tickets.get(id);
            self.note_traced(now, &t, step(&t));
        }
    }

    #[cold]
    #[inline(never)]
    fn note_traced(&mut self, now: f64, t: &Ticket, step: Step) {
        if let Some((sink, customers)) = self.trace.as_mut()
            && t.id < *customers
        {
            sink(&TraceEvent {
                time: now,
                customer: t.id,
                ticket_type: t.ticket_type as usize,
                step,
            });
        }
    }

    /// The expected wait of the day, weighted by the ticket mix.
    fn expectation_mix(&self) -> f64 {
        self.s
            .ticket_types
            .iter()
            .zip(&self.expected)
            .map(|(t, e)| t.share * e)
            .sum()
    }

    /// Midnight: expectations move toward the waits customers met (the satisfaction
    /// curse), and net word of mouth sets the new day's arrivals.
    fn new_day(&mut self) {
        let p = &self.s.satisfaction;
        for (expected, (sum, n)) in self.expected.iter_mut().zip(&mut self.day_waits) {
            if *n > 0 {
                *expected = p.next_expectation(*expected, *sum / *n as f64);
            }
            (*sum, *n) = (0.0, 0);
        }
        if let Some((boost, factor)) = self.word_of_mouth.as_mut() {
            let (promoters, detractors, scored) = self.day_word;
            if scored > 0 {
                let net = (promoters as f64 - detractors as f64) / scored as f64;
                *factor = (1.0 + p.word_of_mouth_gain * net).clamp(0.0, *boost);
            }
        }
        self.day_word = (0, 0, 0);
        let day = (self.next_day / DAY).round() as usize;
        self.next_day += DAY;
        let mix = self.expectation_mix();
        self.stats.expectation(day, mix);
    }

    #[inline]
    fn advance(&mut self, now: f64) {
        let (busy, present, cost) = self.agent_totals();
        self.stats.advance(now, busy, present, self.queued, cost);
    }

    fn finish(mut self, replication: u32) -> ReplicationResult {
        let horizon = self.s.simulation.horizon;
        let mut open_calls = 0;
        for c in self.tickets.live() {
            if c.state == State::Waiting && c.work == Work::Inbound && self.stats.counts(c.arrival)
            {
                open_calls += 1;
            }
            if let Some(log) = self.log.as_mut()
                && self.stats.counts(c.created)
            {
                log(c, Outcome::Open, horizon, None);
            }
        }
        self.stats.finish(replication, open_calls, self.events)
    }

    /// Busy agents, present agents, and the staffing cost per second.
    #[inline]
    fn agent_totals(&self) -> (u32, u32, f64) {
        if let [t] = self.teams.as_slice() {
            return (t.busy, t.present, f64::from(t.present) * t.cost_per_second);
        }
        self.teams.iter().fold((0, 0, 0.0), |(b, p, c), t| {
            (
                b + t.busy,
                p + t.present,
                c + f64::from(t.present) * t.cost_per_second,
            )
        })
    }

    /// Agents wanted on shift for team `k` at time `t`.
    fn staffing_at(&self, k: usize, t: f64) -> u32 {
        let tod = t - (t / DAY).floor() * DAY;
        let day = &self.s.day;
        if tod < day.open || tod >= day.close {
            return 0;
        }
        let i = ((tod - day.open) / day.interval) as usize;
        let staffing = &self.s.teams[k].staffing;
        staffing[i.min(staffing.len() - 1)]
    }

    fn apply_staffing(&mut self, now: f64) {
        // Evaluate a hair inside the interval so an edge computed with rounding error
        // still selects the interval that starts here.
        let probe = now + 1e-6;
        for k in 0..self.teams.len() {
            let target = self.staffing_at(k, probe);
            let joined = self.teams[k].set_target(target, &self.s.teams[k], &mut self.spread_rng);
            for _ in 0..joined {
                if let Some(agent) = self.teams[k].idle.pop()
                    && !self.take_work(now, k, agent)
                {
                    self.teams[k].idle.push(agent);
                    break;
                }
            }
        }
    }

    /// Schedules the next interval edge (or opening/closing time) after `now`,
    /// unless every team's staffing is constant around the clock.
    fn schedule_next_shift(&mut self, now: f64) {
        let day = &self.s.day;
        let constant = day.open == 0.0
            && day.close == DAY
            && self
                .s
                .teams
                .iter()
                .all(|t| t.staffing.iter().all(|a| *a == t.staffing[0]));
        if constant {
            return;
        }
        let base = (now / DAY).floor() * DAY;
        let tod = now - base;
        let next = if tod < day.open - 1e-6 {
            base + day.open
        } else if tod >= day.close - 1e-6 {
            base + DAY + day.open
        } else {
            let i = ((tod - day.open + 1e-6) / day.interval).floor() + 1.0;
            (base + day.open + i * day.interval).min(base + day.close)
        };
        if next < self.s.simulation.horizon {
            self.calendar.schedule(next, Event::Shift);
        }
    }

    fn new_ticket(&mut self, now: f64) {
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule(t, Event::NewTicket);
        }
        // Word of mouth thins arrivals generated at the highest rate it allows.
        if let Some((boost, factor)) = self.word_of_mouth
            && self.word_of_mouth_rng.random::<f64>() * boost >= factor
        {
            return;
        }
        // Drawn for every ticket in arrival order, whatever happens to it, so that
        // scenarios sharing a seed see the same customers.
        // A single type needs no draw (the stream is the type's alone, so skipping it
        // leaves every other stream as it was).
        let ty = if self.type_cdf.len() == 1 {
            0
        } else {
            let u: f64 = self.type_rng.random();
            self.type_cdf
                .iter()
                .position(|&c| u < c)
                .unwrap_or(self.type_cdf.len() - 1)
        };
        let handle = self.handle[ty].sample(&mut self.handle_rng);
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.patience_rng));
        let mut ticket = Ticket::new(self.next_ticket, ty as u32, now, handle);
        ticket.expected_wait = self.expected[ty];
        let id = self.tickets.insert(ticket);
        self.next_ticket += 1;
        self.stats.ticket_created(now);
        self.arrive_with_patience(now, id, patience);
    }

    fn arrive(&mut self, now: f64, id: u32) {
        let ty = self.tickets.get(id).ticket_type as usize;
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.redial_patience_rng));
        self.arrive_with_patience(now, id, patience);
    }

    /// The predicted wait of a call of type `ty` arriving now: for each team serving it,
    /// its place in that team's line (the work waiting in the team's queues, plus itself)
    /// times the team's mean handle time, over the team's agents present; the shortest
    /// over the teams. Abandonments ahead are ignored, so under abandonment the
    /// prediction runs long, which the outputs report.
    fn predicted_wait(&self, ty: usize) -> f64 {
        let mut best = f64::INFINITY;
        for &k in &self.teams_for_type[ty] {
            let team = &self.teams[k];
            if team.present == 0 {
                continue;
            }
            let ahead: u32 = team
                .queues_by_priority
                .iter()
                .flatten()
                .map(|&q| self.queues[q].live)
                .sum();
            let wait = f64::from(ahead + 1) * self.mean_handle[k] / f64::from(team.present);
            best = best.min(wait);
        }
        best
    }

    /// An inbound call of ticket `id` reaches the centre: answered at once, or the entry
    /// flow decides.
    fn arrive_with_patience(&mut self, now: f64, id: u32, patience: Option<f64>) {
        let c = self.tickets.get_mut(id);
        c.attempt += 1;
        c.arrival = now;
        c.work = Work::Inbound;
        c.informed = false;
        c.predicted = f64::NAN;
        let (attempt, ty) = (c.attempt, c.ticket_type as usize);
        self.stats.offered(now, attempt > 1);
        self.note(now, id, |_| Step::Calls { attempt });
        for i in 0..self.teams_for_type[ty].len() {
            let k = self.teams_for_type[ty][i];
            if let Some(agent) = self.teams[k].idle.pop() {
                let c = self.tickets.get_mut(id);
                c.queued_on_arrival = false;
                c.predicted = 0.0;
                c.add_wait(0.0, true);
                // A wait of zero is part of what customers met today.
                self.day_waits[ty].1 += 1;
                self.stats.settled(now, 0.0, true, false);
                self.note(now, id, |_| Step::AnsweredAtOnce { team: k });
                self.start_work(now, id, k, agent);
                return;
            }
        }
        let entry = &self.s.entry;
        // Predicted for every call that finds all agents busy, announced or not, so
        // that the predictor's error is always reported.
        let predicted = self.predicted_wait(ty);
        self.tickets.get_mut(id).predicted = predicted;
        match entry.flow {
            Flow::Queue => {}
            Flow::CallBackLater => {
                let full = entry.max_queue.is_some_and(|k| self.queues[ty].live >= k)
                    || entry.max_predicted_wait.is_some_and(|w| predicted >= w);
                if full {
                    self.stats.rejected(now);
                    self.tickets.get_mut(id).rejections += 1;
                    self.note(now, id, |_| Step::ToldToCallBackLater);
                    self.failed_call(now, id);
                    return;
                }
            }
            Flow::Callback => {
                let cb = entry.callback.as_ref().expect("validated callback flow");
                if predicted >= cb.threshold && self.offer_callback(now, id, predicted) {
                    return;
                }
            }
        }
        let mut patience = patience;
        if let Some(a) = &entry.announce {
            self.tickets.get_mut(id).informed = true;
            if let Some(p) = patience {
                if predicted > p * a.balk_factor {
                    self.stats.balked(now);
                    self.tickets.get_mut(id).balks += 1;
                    self.note(now, id, |_| Step::Balked { predicted });
                    self.failed_call(now, id);
                    return;
                }
                patience = Some(p * a.informed_patience_factor);
            }
        }
        self.note(now, id, |t| Step::Queued {
            predicted,
            announced: t.informed,
        });
        let c = self.tickets.get_mut(id);
        c.state = State::Waiting;
        c.queued_on_arrival = true;
        c.queue = ty as u32;
        let generation = c.generation;
        self.push(ty, id, generation, now);
        self.queued += 1;
        if let Some(p) = patience {
            self.calendar.schedule(
                now + p,
                Event::Abandon {
                    caller: id,
                    generation,
                },
            );
        }
    }

    /// Offers a callback; returns whether the caller took it (and left the line).
    fn offer_callback(&mut self, now: f64, id: u32, predicted: f64) -> bool {
        let cb = self
            .s
            .entry
            .callback
            .as_ref()
            .expect("validated callback flow");
        let ty = self.tickets.get(id).ticket_type as usize;
        // An appointment can only be offered if a slot is free.
        let slot = match self.book.as_mut() {
            Some(book) => match book.first_free(now) {
                Some(slot) => Some(slot),
                None => return false,
            },
            None => None,
        };
        let accepted = self.callback_rng.random::<f64>() < cb.accept_probability(predicted);
        self.stats.callback_offered(now, accepted);
        self.note(now, id, |_| Step::CallbackOffered {
            accepted,
            predicted,
        });
        if !accepted {
            return false;
        }
        let q = self.callback_queue(ty);
        let c = self.tickets.get_mut(id);
        c.callbacks_promised += 1;
        c.callback_attempts = 0;
        c.promised_at = now;
        c.state = State::Pending;
        self.stats.promise(now);
        match slot {
            None => {
                // Virtual hold: the callback takes the caller's place in line now (an idle
                // agent of a dedicated callback team calls at once).
                c.work = Work::Callback;
                c.due = f64::INFINITY;
                self.dispatch(now, id, q);
            }
            Some((start, end)) => {
                c.work = Work::Appointment;
                c.appointment = true;
                c.due = end;
                let generation = c.generation;
                self.book.as_mut().expect("appointments").take(start);
                self.note(now, id, |_| Step::AppointmentBooked { start, end });
                self.calendar.schedule(
                    start,
                    Event::Due {
                        caller: id,
                        generation,
                    },
                );
            }
        }
        true
    }

    /// The queue callbacks of type `ty` go to.
    fn callback_queue(&self, ty: usize) -> usize {
        self.s.ticket_types.len() + ty
    }

    /// Puts work in queue `q`.
    fn push(&mut self, q: usize, id: u32, generation: u32, rank: f64) {
        self.queues[q].items.push_back(Item {
            caller: id,
            generation,
            rank,
        });
        self.queues[q].live += 1;
    }

    /// Queues scheduled work that came due (a callback, a retry, a transfer), or hands it
    /// to an idle agent at once.
    fn due(&mut self, now: f64, id: u32) {
        let c = *self.tickets.get(id);
        let ty = c.ticket_type as usize;
        let q = match c.work {
            Work::Callback | Work::Appointment => self.callback_queue(ty),
            Work::Transfer | Work::AgentCallback => c.queue as usize,
            Work::Inbound => unreachable!("inbound calls are never scheduled as due"),
        };
        if c.work == Work::Transfer {
            // On hold from now until an agent of the new team answers.
            self.tickets.get_mut(id).arrival = now;
        }
        self.dispatch(now, id, q);
    }

    /// Hands pending work of ticket `id` for queue `q` to an idle agent who takes that
    /// queue, or puts it in the queue.
    fn dispatch(&mut self, now: f64, id: u32, q: usize) {
        self.tickets.get_mut(id).queue = q as u32;
        for k in 0..self.teams.len() {
            if self.teams[k].idle.is_empty()
                || !self.teams[k]
                    .queues_by_priority
                    .iter()
                    .flatten()
                    .any(|&x| x == q)
            {
                continue;
            }
            let agent = self.teams[k].idle.pop().expect("non-empty");
            self.take_item(now, id, k, agent);
            return;
        }
        let generation = self.tickets.get(id).generation;
        self.push(q, id, generation, now);
    }

    /// A call that did not reach an agent (rejected, balked, abandoned) or a broken
    /// callback: the customer tries again later, or the ticket is lost.
    fn failed_call(&mut self, now: f64, id: u32) {
        let failures = self.tickets.get(id).failures();
        let again = match &self.s.entry.redial {
            Some(r) => self.redial_rng.random::<f64>() < r.probability(failures),
            None => false,
        };
        if again {
            let delay = self
                .redial_delay
                .as_ref()
                .map_or(0.0, |d| d.sample(&mut self.redial_delay_rng));
            self.note(now, id, |_| Step::WillCallAgain { at: now + delay });
            self.call_again_at(now + delay, id);
        } else {
            self.close(now, id, false);
        }
    }

    /// The customer of ticket `id` will call at `at`.
    fn call_again_at(&mut self, at: f64, id: u32) {
        let c = self.tickets.get_mut(id);
        c.state = State::Away;
        c.generation = c.generation.wrapping_add(1);
        let generation = c.generation;
        self.calendar.schedule(
            at,
            Event::Retry {
                caller: id,
                generation,
            },
        );
    }

    /// Ticket `id` closes: resolved, or lost for good.
    fn close(&mut self, now: f64, id: u32, resolved: bool) {
        let c = self.tickets.get(id);
        let (created, journey) = (c.created, c.journey(resolved));
        self.stats.ticket_closed(summary(c), now, resolved);
        let noise: f64 = StandardNormal.sample(&mut self.satisfaction_rng);
        let score = self.s.satisfaction.score(&journey, noise);
        self.stats.scored(created, now, &score);
        self.note(now, id, |_| Step::Closed { resolved, score });
        let (promoters, detractors, scored) = &mut self.day_word;
        *promoters += u64::from(score.ltr >= 9);
        *detractors += u64::from(score.ltr <= 6);
        *scored += 1;
        if let Some(log) = self.log.as_mut()
            && self.stats.counts(created)
        {
            let outcome = if resolved {
                Outcome::Resolved
            } else {
                Outcome::Lost
            };
            log(self.tickets.get(id), outcome, now, Some(&score));
        }
        self.tickets.remove(id);
    }

    fn abandon(&mut self, now: f64, id: u32) {
        let c = self.tickets.get_mut(id);
        let wait = now - c.arrival;
        c.abandons += 1;
        let informed = c.informed;
        c.add_wait(wait, informed);
        let ty = c.ticket_type as usize;
        self.day_waits[ty].0 += wait;
        self.day_waits[ty].1 += 1;
        self.note(now, id, |_| Step::Abandoned { wait });
        let c = self.tickets.get_mut(id);
        // Stale from now on: its queue entry is skipped, its timers ignored.
        c.generation = c.generation.wrapping_add(1);
        c.state = State::Away;
        let (arrival, q) = (c.arrival, c.queue as usize);
        self.queued -= 1;
        self.queues[q].live -= 1;
        self.stats.settled(arrival, wait, false, true);
        self.failed_call(now, id);
    }

    /// Agent `agent` of team `k` takes the work item of ticket `id` (already out of its queue).
    fn take_item(&mut self, now: f64, id: u32, k: usize, agent: u32) {
        // Only the fields needed: a ticket is large and this is the hot path.
        let c = self.tickets.get_mut(id);
        let (work, arrival) = (c.work, c.arrival);
        match work {
            Work::Inbound => {
                let wait = now - arrival;
                let (queued, predicted, ty) = (c.queued_on_arrival, c.predicted, c.ticket_type);
                let informed = c.informed;
                c.add_wait(wait, informed);
                self.queued -= 1;
                self.stats.settled(arrival, wait, true, queued);
                if predicted.is_finite() {
                    self.stats.prediction(arrival, predicted, wait);
                }
                let day = &mut self.day_waits[ty as usize];
                day.0 += wait;
                day.1 += 1;
                self.note(now, id, |_| Step::Answered { team: k, wait });
                self.start_work(now, id, k, agent);
            }
            Work::Transfer => {
                // Nobody announces how long a transfer takes.
                c.add_wait(now - arrival, false);
                let wait = now - arrival;
                self.note(now, id, |_| Step::Answered { team: k, wait });
                self.start_work(now, id, k, agent);
            }
            Work::Callback | Work::Appointment | Work::AgentCallback => {
                self.outbound(now, id, k, agent);
            }
        }
    }

    /// An outbound call of agent `agent` (team `k`) to the customer of ticket `id`.
    fn outbound(&mut self, now: f64, id: u32, k: usize, agent: u32) {
        self.stats.outbound(now);
        let c = self.tickets.get_mut(id);
        c.outbound_calls += 1;
        c.callback_attempts += 1;
        // Agent callbacks reach a customer who expects them; entry callbacks may miss.
        let reach = match (c.work, self.s.entry.callback.as_ref()) {
            (Work::AgentCallback, _) | (_, None) => 1.0,
            (_, Some(cb)) => cb.reach_probability,
        };
        let reached = self.reach_rng.random::<f64>() < reach;
        self.note(now, id, |_| Step::CallbackPlaced { team: k, reached });
        if reached {
            let c = self.tickets.get_mut(id);
            if now <= c.due {
                c.callbacks_kept += 1;
            } else {
                c.callbacks_late += 1;
            }
            // The centre called: nothing was spent on the line for this contact.
            c.add_wait(0.0, true);
            self.start_work(now, id, k, agent);
            return;
        }
        let busy_for = self
            .s
            .entry
            .callback
            .as_ref()
            .map_or(0.0, |cb| cb.missed_call_time);
        self.teams[k].busy += 1;
        self.tickets.get_mut(id).state = State::InService;
        self.calendar.schedule(
            now + busy_for,
            Event::Missed {
                team: k as u32,
                agent,
                caller: id,
            },
        );
    }

    /// The outbound call nobody answered is over: retry later, or the promise is broken.
    fn missed(&mut self, now: f64, k: usize, agent: u32, id: u32) {
        let cb = self
            .s
            .entry
            .callback
            .as_ref()
            .expect("missed calls need callbacks");
        let c = self.tickets.get_mut(id);
        if c.callback_attempts < cb.max_attempts {
            c.state = State::Pending;
            c.generation = c.generation.wrapping_add(1);
            let generation = c.generation;
            let delay = self
                .callback_retry
                .as_ref()
                .map_or(0.0, |d| d.sample(&mut self.delay_rng));
            self.calendar.schedule(
                now + delay,
                Event::Due {
                    caller: id,
                    generation,
                },
            );
        } else {
            c.state = State::Away;
            self.promise_broken(now, id);
        }
        self.free_agent(now, k, agent);
    }

    /// A promised callback will never come: the customer calls again, or gives up.
    fn promise_broken(&mut self, now: f64, id: u32) {
        let c = self.tickets.get_mut(id);
        c.callbacks_broken += 1;
        c.state = State::Away;
        let promised_at = c.promised_at;
        let work = c.work;
        let owner = usize::from(c.team);
        self.stats.broken(promised_at);
        self.note(now, id, |_| Step::PromiseBroken);
        if work == Work::AgentCallback {
            self.call_again(now, id, owner, true);
        } else {
            self.failed_call(now, id);
        }
    }

    /// A conversation between agent `agent` of team `k` and the customer of ticket `id` starts.
    fn start_work(&mut self, now: f64, id: u32, k: usize, agent: u32) {
        let team = &mut self.teams[k];
        team.busy += 1;
        let c = self.tickets.get_mut(id);
        c.state = State::InService;
        let base = if c.conversations == 0 {
            c.handle
        } else {
            let ty = c.ticket_type as usize;
            self.handle[ty].sample(&mut self.follow_up_rng)
        };
        c.conversations = c.conversations.saturating_add(1);
        c.team = k as u16;
        let end = now + base * team.speed;
        self.calendar.schedule(
            end,
            Event::Done {
                team: k as u32,
                agent,
                caller: id,
            },
        );
    }

    /// A conversation ends: resolved, or the team's unresolved policy applies.
    fn done(&mut self, now: f64, k: usize, agent: u32, id: u32) {
        let team = &self.s.teams[k];
        let ty = self.tickets.get(id).ticket_type as usize;
        let competence = self.teams[k].competence_of(agent, team);
        self.teams[k].handled[agent as usize] += 1;
        let p = Team::resolve_probability(competence, self.s.ticket_types[ty].difficulty);
        // Always two draws per conversation, so the stream stays aligned whatever the policy.
        let u: f64 = self.resolution_rng.random();
        let v: f64 = self.resolution_rng.random();
        let mut resolved = u < p;
        if !resolved
            && let Resolution::ImmediateResolution {
                goodwill_probability,
                goodwill_cost,
            } = team.resolution
            && v < goodwill_probability
        {
            resolved = true;
            self.tickets.get_mut(id).goodwill = true;
            self.stats.goodwill(now, goodwill_cost);
        }
        if resolved {
            self.note(now, id, |t| Step::Resolved {
                team: k,
                goodwill: t.goodwill,
            });
            self.close(now, id, true);
        } else {
            self.tickets.get_mut(id).unresolved += 1;
            self.note(now, id, |_| Step::NotResolved { team: k });
            self.unresolved(now, id, k);
        }
        self.free_agent(now, k, agent);
    }

    /// Team `k` could not resolve ticket `id`.
    fn unresolved(&mut self, now: f64, id: u32, k: usize) {
        let types = self.s.ticket_types.len();
        match &self.s.teams[k].unresolved {
            Unresolved::CustomerCallsAgain(_) => self.call_again(now, id, k, false),
            Unresolved::Escalate { team, .. } => {
                let to = *team;
                self.note(now, id, |_| Step::Transferred { to });
                let delay = self.unresolved_delay[k].sample(&mut self.delay_rng);
                let c = self.tickets.get_mut(id);
                c.transfers += 1;
                c.work = Work::Transfer;
                c.state = State::Pending;
                c.queue = (2 * types + team) as u32;
                c.generation = c.generation.wrapping_add(1);
                let generation = c.generation;
                self.calendar.schedule(
                    now + delay,
                    Event::Due {
                        caller: id,
                        generation,
                    },
                );
            }
            Unresolved::AgentCallback {
                promise,
                broken_probability,
                team,
                ..
            } => {
                let delay = self.unresolved_delay[k].sample(&mut self.delay_rng);
                let broken = self.delay_rng.random::<f64>() < *broken_probability;
                let c = self.tickets.get_mut(id);
                c.callbacks_promised += 1;
                c.callback_attempts = 0;
                c.promised_at = now;
                c.due = now + promise;
                c.work = Work::AgentCallback;
                c.state = State::Pending;
                c.queue = (2 * types + team) as u32;
                c.generation = c.generation.wrapping_add(1);
                let generation = c.generation;
                self.stats.promise(now);
                let (team, due) = (*team, now + promise);
                self.note(now, id, |_| Step::CallbackPromised { team, due });
                // A broken promise shows when the promised time has passed without a call.
                let (at, event) = if broken {
                    (
                        now + promise,
                        Event::Broken {
                            caller: id,
                            generation,
                        },
                    )
                } else {
                    (
                        now + delay,
                        Event::Due {
                            caller: id,
                            generation,
                        },
                    )
                };
                self.calendar.schedule(at, event);
            }
        }
    }

    /// The customer of ticket `id`, left unresolved by team `k` (or let down by its broken
    /// promise), calls again after the team's call-again delay, or gives up.
    fn call_again(&mut self, now: f64, id: u32, k: usize, after_broken: bool) {
        let (redial, delay): (&Redial, &Sampler) = match &self.s.teams[k].unresolved {
            Unresolved::CustomerCallsAgain(r) => (r, &self.unresolved_delay[k]),
            Unresolved::AgentCallback { call_again, .. } if after_broken => (
                call_again,
                self.broken_delay[k]
                    .as_ref()
                    .expect("agent callback policy"),
            ),
            _ => unreachable!("call_again is used by the call-again and callback policies"),
        };
        let unresolved = self.tickets.get(id).unresolved.max(1);
        if self.call_again_rng.random::<f64>() < redial.probability(unresolved) {
            let at = now + delay.sample(&mut self.call_again_rng);
            self.note(now, id, |_| Step::WillCallAgain { at });
            self.call_again_at(at, id);
        } else {
            self.close(now, id, false);
        }
    }

    /// Agent `agent` of team `k` is free: next work, going home, or idle.
    fn free_agent(&mut self, now: f64, k: usize, agent: u32) {
        if self.teams[k].release(agent) && !self.take_work(now, k, agent) {
            self.teams[k].idle.push(agent);
        }
    }

    /// A free agent of team `k` takes the next waiting work: highest priority first,
    /// then the longest waiting. Returns whether there was some.
    fn take_work(&mut self, now: f64, k: usize, agent: u32) -> bool {
        for g in 0..self.teams[k].queues_by_priority.len() {
            let mut best: Option<(usize, f64)> = None;
            for i in 0..self.teams[k].queues_by_priority[g].len() {
                let q = self.teams[k].queues_by_priority[g][i];
                if let Some(rank) = self.live_head(q)
                    && best.is_none_or(|(_, r)| rank < r)
                {
                    best = Some((q, rank));
                }
            }
            if let Some((q, _)) = best {
                let item = self.queues[q].items.pop_front().expect("live head exists");
                self.queues[q].live -= 1;
                self.take_item(now, item.caller, k, agent);
                return true;
            }
        }
        false
    }

    /// Drops stale entries at the head of a queue; returns the rank of the live head.
    #[inline]
    fn live_head(&mut self, q: usize) -> Option<f64> {
        let queue = &mut self.queues[q];
        while let Some(item) = queue.items.front() {
            if self.tickets.current(item.caller, item.generation) {
                return Some(item.rank);
            }
            queue.items.pop_front();
        }
        None
    }
}

/// What the statistics need of a ticket.
fn summary(c: &Ticket) -> TicketSummary {
    TicketSummary {
        created: c.created,
        conversations: c.conversations,
        calls: c.attempt,
    }
}
