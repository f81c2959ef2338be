//! The event loop: what can happen at a point of simulated time, and `Centre::run`, which
//! pops events in time order, skips those gone stale, and hands each to its step.

use super::Centre;
use super::ticket::{State, TicketId};

/// Something that happens at a point of simulated time. A `generation` is the ticket's
/// when the event was scheduled: the event is stale (ignored) if it has moved on since.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    /// A new ticket's first call.
    NewTicket,
    /// A customer who left calls again.
    Retry { ticket: TicketId, generation: u32 },
    /// A waiting caller's patience runs out (stale if the caller was answered).
    Abandon { ticket: TicketId, generation: u32 },
    /// An agent finishes a conversation.
    Done {
        team: u32,
        agent: u32,
        ticket: TicketId,
    },
    /// An agent finishes an outbound call nobody answered.
    Missed {
        team: u32,
        agent: u32,
        ticket: TicketId,
    },
    /// Scheduled work comes due: a callback, a retry of one, or a transfer.
    Due { ticket: TicketId, generation: u32 },
    /// A promised agent callback that will never be placed reaches its deadline.
    Broken { ticket: TicketId, generation: u32 },
    /// A waiting call has waited long enough for its type's secondary team (stale if it
    /// was answered or left).
    Overflow { ticket: TicketId, generation: u32 },
    /// An interval edge: staffing may change.
    Shift,
    /// An agent finishes the after-call work of a conversation.
    WrapUp { team: u32, agent: u32 },
    /// A customer whose message is still unanswered sends a reminder (stale once an agent
    /// took it).
    Reminder { ticket: TicketId, generation: u32 },
    /// A proactive contact of customer `customer` by team `team` comes due (a resolution
    /// in depth, `depth.proactive`); the agent's contact ends with a `WrapUp`.
    Proactive { team: u32, customer: u32 },
}

impl Centre<'_> {
    /// Runs the replication to the horizon, then drains it: with no new tickets, until
    /// every counted ticket has closed or `drain_limit` has passed.
    pub(super) fn run(&mut self) {
        let horizon = self.s.simulation.horizon;
        self.stats
            .expectation(0, self.expectation_mix(), self.arrival_factor());
        self.apply_staffing(0.0);
        self.schedule_next_shift(0.0);
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule_beside(t, Event::NewTicket);
        }
        self.stop_at = horizon + self.s.simulation.drain_limit;
        while let Some((now, event)) = self.calendar.pop() {
            // The drain cap, or earlier once the runaway guard has seen enough.
            if now >= self.stop_at || (now >= horizon && self.open_counted == 0) {
                break;
            }
            self.events += 1;
            if self.events.is_multiple_of(super::guard::CHECK_EVERY)
                && self.time_stands_still(now, event)
            {
                break;
            }
            let live = match event {
                Event::Retry { ticket, generation } => {
                    self.tickets.is(ticket, generation, State::Away)
                }
                Event::Abandon { ticket, generation } | Event::Overflow { ticket, generation } => {
                    self.tickets.is(ticket, generation, State::Waiting)
                }
                Event::Due { ticket, generation }
                | Event::Broken { ticket, generation }
                | Event::Reminder { ticket, generation } => {
                    self.tickets.is(ticket, generation, State::Pending)
                }
                _ => true,
            };
            if !live {
                // A cancelled timer changes nothing, so the time integrals can wait for
                // the next live event.
                continue;
            }
            while now >= self.next_mark {
                self.mark();
            }
            self.advance(now);
            match event {
                Event::NewTicket => self.new_ticket(now),
                Event::Retry { ticket, .. } => self.arrive(now, ticket),
                Event::Abandon { ticket, .. } => self.abandon(now, ticket),
                Event::Done {
                    team,
                    agent,
                    ticket,
                } => self.done(now, team as usize, agent, ticket),
                Event::Missed {
                    team,
                    agent,
                    ticket,
                } => self.missed(now, team as usize, agent, ticket),
                Event::Due { ticket, .. } => self.due(now, ticket),
                Event::WrapUp { team, agent } => {
                    if !(self.channels && self.holds_chats(team as usize, agent)) {
                        self.wrapping -= 1;
                    }
                    self.free_agent(now, team as usize, agent);
                }
                Event::Reminder { ticket, .. } => self.reminder(now, ticket),
                Event::Proactive { team, customer } => {
                    self.proactive_due(now, team as usize, customer);
                }
                Event::Broken { ticket, .. } => self.promise_broken(now, ticket),
                Event::Overflow { ticket, .. } => self.overflow(now, ticket),
                Event::Shift => {
                    self.apply_staffing(now);
                    self.schedule_next_shift(now);
                }
            }
        }
        self.last_marks(horizon);
        self.advance(horizon);
        self.end_watch();
    }

    /// The day ends and the window's start up to the horizon that no live event came
    /// after: the state has not changed since the last event.
    #[inline(never)]
    fn last_marks(&mut self, horizon: f64) {
        if self.start_mark <= horizon {
            self.window_start();
        }
        let mut midnight = self.next_day;
        while midnight <= horizon {
            self.day_end(midnight);
            midnight += crate::scenario::DAY;
        }
    }

    /// The next mark of time has passed: the start of the counted window (the teams'
    /// backlogs then), or midnight ([`Centre::new_day`]). Out of line: the loop stays
    /// small.
    #[cold]
    #[inline(never)]
    fn mark(&mut self) {
        if self.start_mark <= self.next_day {
            self.start_mark = f64::INFINITY;
            self.window_start();
        } else {
            self.new_day();
        }
        self.next_mark = self.next_day.min(self.start_mark);
    }

    /// Brings the time integrals (busy and present agents, callers on the line and on hold,
    /// staffing cost) up to `now`.
    #[inline]
    fn advance(&mut self, now: f64) {
        let (busy, present, cost) = self.agent_totals();
        let lines = self.queued + self.on_hold + busy - self.wrapping;
        let dt = self
            .stats
            .advance(now, busy, present, self.queued, lines, cost);
        if dt > 0.0 && self.teams.len() > 1 {
            for k in 0..self.teams.len() {
                let t = &self.teams[k];
                self.stats.team_time(k, t.busy, t.present, dt);
            }
        }
    }
}
