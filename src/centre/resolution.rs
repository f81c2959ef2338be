//! Resolution: a conversation ends resolved (by competence, or settled by a goodwill
//! gesture under immediate resolution), or the team's unresolved policy applies: the
//! customer calls again, the ticket is escalated to another team, or an agent promises
//! a callback (which may be broken).

use super::events::Event;
use super::ticket::{State, TicketId, Work};
use super::{Centre, Step};
use crate::scenario::{Redial, Resolution, Sampler, Team, Unresolved};
use rand::RngExt;

impl Centre<'_> {
    /// A conversation ends: resolved, or the team's unresolved policy applies.
    pub(super) fn done(&mut self, now: f64, k: usize, agent: u32, ticket: TicketId) {
        if self.channels && self.tickets.get(ticket).work == Work::Message {
            self.message_answered(now, ticket);
        }
        let team = &self.s.teams[k];
        let ty = self.tickets.get(ticket).ticket_type as usize;
        let competence = self.teams[k].competence_of(agent, team);
        self.teams[k].handled[agent as usize] += 1;
        let p = Team::resolve_probability(competence, self.s.ticket_types[ty].difficulty);
        // Always two draws per conversation, so the stream stays aligned whatever the policy.
        let u: f64 = self.rng.resolution.random();
        let v: f64 = self.rng.resolution.random();
        let mut resolved = u < p;
        if !resolved
            && let Resolution::ImmediateResolution {
                goodwill_probability,
                goodwill_cost,
            } = team.resolution
            && v < goodwill_probability
        {
            resolved = true;
            self.tickets.get_mut(ticket).goodwill = true;
            self.stats.goodwill(now, goodwill_cost);
        }
        if resolved {
            self.note(now, ticket, |t| Step::Resolved {
                team: k,
                goodwill: t.goodwill,
            });
            self.close(now, ticket, true);
        } else {
            self.tickets.get_mut(ticket).unresolved += 1;
            self.note(now, ticket, |_| Step::NotResolved { team: k });
            self.unresolved(now, ticket, k);
        }
        // After-call work: the customer is gone, the agent is busy a while longer.
        match self.wrap_up[ty].as_ref() {
            Some(w) => {
                let end = now + w.sample(&mut self.rng.wrap_up) * self.s.teams[k].speed;
                let team = k as u32;
                // An agent after a chat holds no line (see the WrapUp event).
                if !(self.channels && self.holds_chats(k, agent)) {
                    self.wrapping += 1;
                }
                self.calendar.schedule(end, Event::WrapUp { team, agent });
            }
            None => self.free_agent(now, k, agent),
        }
    }

    /// Team `k` could not resolve `ticket`.
    fn unresolved(&mut self, now: f64, ticket: TicketId, k: usize) {
        match &self.s.teams[k].unresolved {
            Unresolved::CustomerCallsAgain(_) => self.call_again(now, ticket, k, false),
            Unresolved::Escalate { team, .. } => {
                let to = *team;
                let t = self.tickets.get_mut(ticket);
                t.transfers += 1;
                let created = t.created;
                self.stats.transfer(created, k, to);
                if t.contact() {
                    self.contact_cap(now, ticket);
                }
                let delay = self.unresolved_delay[k].sample(&mut self.rng.delay);
                self.note(now, ticket, |_| Step::Transferred { to, delay });
                let queue = self.queues.team(to);
                let t = self.tickets.get_mut(ticket);
                t.work = Work::Transfer;
                t.state = State::Pending;
                t.queue = queue;
                t.generation = t.generation.wrapping_add(1);
                let generation = t.generation;
                self.calendar
                    .schedule(now + delay, Event::Due { ticket, generation });
            }
            Unresolved::AgentCallback {
                promise,
                broken_probability,
                team,
                ..
            } => {
                let delay = self.unresolved_delay[k].sample(&mut self.rng.delay);
                let broken = self.rng.delay.random::<f64>() < *broken_probability;
                let queue = self.queues.team(*team);
                let t = self.tickets.get_mut(ticket);
                t.callbacks_promised += 1;
                t.callback_attempts = 0;
                t.promised_at = now;
                t.due = now + promise;
                t.work = Work::AgentCallback;
                t.state = State::Pending;
                t.queue = queue;
                t.generation = t.generation.wrapping_add(1);
                let generation = t.generation;
                self.stats.promise(now);
                let (team, due) = (*team, now + promise);
                self.note(now, ticket, |_| Step::CallbackPromised { team, due });
                // A broken promise shows when the promised time has passed without a call.
                let (at, event) = if broken {
                    (now + promise, Event::Broken { ticket, generation })
                } else {
                    (now + delay, Event::Due { ticket, generation })
                };
                self.calendar.schedule(at, event);
            }
        }
    }

    /// The customer of `ticket`, left unresolved by team `k` (or let down by its broken
    /// promise), calls again after the team's call-again delay, or gives up.
    pub(super) fn call_again(&mut self, now: f64, ticket: TicketId, k: usize, after_broken: bool) {
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
        let unresolved = self.tickets.get(ticket).unresolved.max(1);
        if self.rng.call_again.random::<f64>() < redial.probability(unresolved) {
            let at = now + delay.sample(&mut self.rng.call_again);
            self.note(now, ticket, |_| Step::WillCallAgain { at });
            self.call_again_at(at, ticket);
        } else {
            self.close(now, ticket, false);
        }
    }
}
