//! Closing and scoring: a ticket closes resolved or lost and its customer scores the
//! journey; at midnight the day's waits move expectations (the satisfaction curse) and
//! the day's scores set word of mouth; at the horizon, open tickets are logged.

use super::ticket::{State, Ticket, TicketId, Work};
use super::{Centre, Outcome, Step};
use crate::satisfaction::WordOfMouth;
use crate::scenario::DAY;
use crate::stats::{ReplicationResult, TicketSummary};
use rand_distr::{Distribution, StandardNormal};

impl Centre<'_> {
    /// `ticket` closes: resolved, or lost for good.
    pub(super) fn close(&mut self, now: f64, ticket: TicketId, resolved: bool) {
        let t = self.tickets.get(ticket);
        let (created, journey, ty) = (t.created, t.journey(resolved, now), t.ticket_type as usize);
        self.stats.ticket_closed(summary(t), now, resolved);
        if self.stats.counts(created) {
            self.open_counted -= 1;
            if self.open_counted == 0 {
                self.last_close = now;
            }
        }
        let noise: f64 = StandardNormal.sample(&mut self.rng.satisfaction);
        let score = self
            .s
            .satisfaction
            .score_cached(&journey, noise, &mut self.score_cache);
        self.stats.scored(created, now, &score, ty);
        if self.population.is_some() {
            let t = self.tickets.get(ticket);
            let (customer, wait, team) = (t.customer, t.wait_last, t.team as usize);
            // A ticket resolved by a team resolving in depth protects its customer.
            if resolved && let Some(depth) = self.s.teams.get(team).and_then(|k| k.depth) {
                self.protect(now, customer, &depth);
                if let Some(p) = depth.proactive {
                    self.plan_proactive(now, team, customer, &p);
                }
            }
            self.customer_scored(now, customer, wait, score.ltr);
        }
        self.note(now, ticket, |_| Step::Closed { resolved, score });
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
            log(self.tickets.get(ticket), outcome, now, Some(&score));
        }
        self.tickets.remove(ticket);
    }

    /// The expected wait of the day, weighted by the ticket mix.
    pub(super) fn expectation_mix(&self) -> f64 {
        self.s
            .ticket_types
            .iter()
            .zip(&self.expected)
            .map(|(t, e)| t.share * e)
            .sum()
    }

    /// The factor word of mouth puts on today's arrival rate (1 without it).
    pub(super) fn arrival_factor(&self) -> f64 {
        self.word_of_mouth.as_ref().map_or(1.0, WordOfMouth::factor)
    }

    /// Midnight: expectations move toward the waits customers met (the satisfaction
    /// curse, when they adapt), and net word of mouth moves the arrivals of later days
    /// (`satisfaction::dynamics`).
    pub(super) fn new_day(&mut self) {
        let p = &self.s.satisfaction;
        for (expected, (sum, n)) in self.expected.iter_mut().zip(&mut self.day_waits) {
            if *n > 0 {
                *expected = p.next_expectation(*expected, *sum / *n as f64);
            }
            (*sum, *n) = (0.0, 0);
        }
        if let Some(w) = self.word_of_mouth.as_mut() {
            let (promoters, detractors, scored) = self.day_word;
            w.end_of_day(promoters, detractors, scored);
        }
        self.day_word = (0, 0, 0);
        self.day_end(self.next_day);
        // `next_day` is a whole number of days: no rounding to worry about.
        let day = self.s.day.day_of(self.next_day);
        self.next_day += DAY;
        let (mix, factor) = (self.expectation_mix(), self.arrival_factor());
        self.stats.expectation(day, mix, factor);
    }

    /// The replication's result once drained. Counted tickets still open at the drain
    /// cap are scored as their customers judge a problem left unresolved, and logged as open.
    pub(super) fn finish(mut self, replication: u32) -> ReplicationResult {
        let horizon = self.s.simulation.horizon;
        let limit = self.s.simulation.drain_limit;
        let (drain, end) = if self.open_counted > 0 {
            (limit, horizon + limit)
        } else {
            let drain = (self.last_close - horizon).clamp(0.0, limit);
            (drain, horizon + drain)
        };
        // One pass over the slots: the counted calls still waiting, and a copy of the
        // counted tickets still open (scoring them below needs the centre mutably).
        let mut open_calls = 0;
        let mut open: Vec<Ticket> = Vec::new();
        for t in self.tickets.live() {
            if t.state == State::Waiting && t.work == Work::Inbound && self.stats.counts(t.arrival)
            {
                open_calls += 1;
                self.stats.call_still_waiting(t.ticket_type as usize);
            }
            if t.state == State::Pending && t.work == Work::Message {
                self.stats.message_still_waiting(t.arrival);
            }
            if self.stats.counts(t.created) {
                open.push(*t);
            }
        }
        for t in &open {
            if let Some(k) = self.owner(t) {
                self.stats.team_still_open(t.created, k);
            }
            let noise: f64 = StandardNormal.sample(&mut self.rng.satisfaction);
            let score = self.s.satisfaction.score(&t.journey(false, end), noise);
            self.stats.still_open(summary(t), end, &score);
            if let Some(log) = self.log.as_mut() {
                log(t, Outcome::Open, end, Some(&score));
            }
        }
        if let Some(p) = &self.population {
            self.stats.customers_at_horizon(p.stock());
        }
        let busyness = self.arrivals.day_factors(self.s.day.days(horizon));
        let mut result = self
            .stats
            .finish(replication, open_calls, drain, self.events);
        result.busyness = busyness;
        result
    }
}

impl Centre<'_> {
    /// The team an open ticket waits for or talks to: the team whose own queue holds its
    /// transfer or agent callback (queued or still in its delay), or the team of the
    /// conversation in progress; `None` for a caller on the line, a customer between
    /// attempts or waiting for an entry callback.
    fn owner(&self, t: &Ticket) -> Option<usize> {
        match (t.state, t.work) {
            (State::InService, _) => Some(usize::from(t.team)),
            (State::Pending, Work::Transfer | Work::AgentCallback) => {
                (0..self.teams.len()).find(|&k| self.queues.team(k) == t.queue)
            }
            _ => None,
        }
    }

    /// Midnight `at`: each team's backlog ends a day (see `backlog`).
    pub(super) fn day_end(&mut self, at: f64) {
        for k in 0..self.teams.len() {
            let n = self.backlog(k);
            self.stats.backlog_day_end(k, n, at);
        }
    }

    /// The start of the counted window: each team's backlog then.
    pub(super) fn window_start(&mut self) {
        for k in 0..self.teams.len() {
            let n = self.backlog(k);
            self.stats.backlog_start(k, n);
        }
    }

    /// Team `k`'s backlog: the work in its own queue (transfers on hold, agent callbacks
    /// due) and the callers on the line in the inbound queues of the types it serves.
    fn backlog(&self, k: usize) -> u32 {
        let own = self.queues[self.queues.team(k)].live;
        let inbound: u32 = self.s.teams[k]
            .serves
            .iter()
            .map(|&ty| self.queues[self.queues.inbound(ty)].live)
            .sum();
        let messages: u32 = self.teams[k]
            .messages
            .iter()
            .map(|&(q, _)| self.queues[q].live)
            .sum();
        own + inbound + messages
    }
}

/// What the statistics need of a ticket.
fn summary(t: &Ticket) -> TicketSummary {
    TicketSummary {
        created: t.created,
        ticket_type: t.ticket_type,
        conversations: t.conversations,
        calls: t.attempt,
        outbound: t.outbound_calls,
    }
}
