//! Entry flows: what a call meets when it reaches the centre. An idle agent answers at
//! once; otherwise the wait is predicted and the scenario's flow decides: join the queue,
//! be told to call back later, or be offered a callback; an announced wait may make the
//! caller hang up at once (balk) or wait more patiently.

use super::events::Event;
use super::ticket::{State, TicketId, Work};
use super::{CallOutcome, Centre, Step};
use crate::scenario::{Channel, Flow};

impl Centre<'_> {
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

    /// Agent `agent` of team `k`, already chatting, answers the new chat of `ticket`, of
    /// type `ty`, at once: the steps of a call answered at once (written out in
    /// `arrive_with_patience`, where they stay inline).
    #[cold]
    #[inline(never)]
    pub(super) fn answered_at_once(
        &mut self,
        now: f64,
        ticket: TicketId,
        ty: usize,
        k: usize,
        agent: u32,
    ) {
        let t = self.tickets.get_mut(ticket);
        t.queued_on_arrival = false;
        t.predicted = 0.0;
        t.add_wait(0.0, true);
        // A wait of zero is part of what customers met today.
        self.day_waits[ty].1 += 1;
        self.stats.settled(now, 0.0, Some(k), false, ty);
        self.note(now, ticket, |_| Step::AnsweredAtOnce { team: k });
        self.start_work(now, ticket, k, agent);
    }

    /// An inbound call of `ticket` reaches the centre: answered at once, or the entry
    /// flow decides.
    pub(super) fn arrive_with_patience(
        &mut self,
        now: f64,
        ticket: TicketId,
        patience: Option<f64>,
    ) {
        let t = self.tickets.get_mut(ticket);
        t.attempt += 1;
        let capped = t.contact();
        t.arrival = now;
        t.work = Work::Inbound;
        t.informed = false;
        t.predicted = f64::NAN;
        let (attempt, ty) = (t.attempt, t.ticket_type as usize);
        if capped {
            self.contact_cap(now, ticket);
        }
        if self.channels && self.channel[ty] == Channel::Message {
            self.message_arrives(now, ticket);
            return;
        }
        self.stats.offered(now, attempt > 1, ty);
        self.note(now, ticket, |_| Step::Calls { attempt });
        if !self.open {
            self.closed_call(now, ticket);
            return;
        }
        if self.channels && self.channel[ty] == Channel::Chat && self.chat_at_once(now, ticket, ty)
        {
            return;
        }
        for i in 0..self.answer_at_once[ty].len() {
            let k = self.answer_at_once[ty][i];
            if let Some(agent) = self.teams[k].idle.pop_front() {
                let t = self.tickets.get_mut(ticket);
                t.queued_on_arrival = false;
                t.predicted = 0.0;
                t.add_wait(0.0, true);
                // A wait of zero is part of what customers met today.
                self.day_waits[ty].1 += 1;
                self.stats.settled(now, 0.0, Some(k), false, ty);
                self.note(now, ticket, |_| Step::AnsweredAtOnce { team: k });
                self.start_work(now, ticket, k, agent);
                return;
            }
        }
        let entry = &self.s.entry;
        let inbound = self.queues.inbound(ty);
        // Predicted for every call that finds all agents busy, announced or not, so
        // that the predictor's error is always reported.
        let predicted = self.predicted_wait(ty);
        self.tickets.get_mut(ticket).predicted = predicted;
        match entry.flow {
            Flow::Queue => {}
            Flow::CallBackLater => {
                let full = entry
                    .max_queue
                    .is_some_and(|k| self.queues[inbound].live >= k)
                    || entry.max_predicted_wait.is_some_and(|w| predicted >= w);
                if full {
                    self.stats.rejected(now, ty);
                    self.tickets.get_mut(ticket).rejections += 1;
                    self.note(now, ticket, |_| Step::ToldToCallBackLater);
                    self.call_ended(now, ticket, CallOutcome::Rejected, None);
                    self.failed_call(now, ticket);
                    return;
                }
            }
            Flow::Callback => {
                let cb = entry.callback.as_ref().expect("validated callback flow");
                if predicted >= cb.threshold && self.offer_callback(now, ticket, predicted) {
                    return;
                }
            }
        }
        let mut patience = patience;
        if let Some(a) = &entry.announce {
            self.tickets.get_mut(ticket).informed = true;
            if let Some(p) = patience {
                if predicted > p * a.balk_factor {
                    self.stats.balked(now, ty);
                    self.tickets.get_mut(ticket).balks += 1;
                    self.note(now, ticket, |_| Step::Balked { predicted });
                    self.call_ended(now, ticket, CallOutcome::Balked, None);
                    self.failed_call(now, ticket);
                    return;
                }
                patience = Some(p * a.informed_patience_factor);
            }
        }
        self.note(now, ticket, |t| Step::Queued {
            predicted,
            announced: t.informed,
        });
        let t = self.tickets.get_mut(ticket);
        t.state = State::Waiting;
        t.queued_on_arrival = true;
        t.queue = inbound;
        let generation = t.generation;
        self.push(inbound, ticket, generation, now);
        self.queued += 1;
        if let Some(p) = patience {
            self.calendar
                .schedule(now + p, Event::Abandon { ticket, generation });
        }
        if let Some(o) = self.s.ticket_types[ty].overflow
            && o.after > 0.0
        {
            self.calendar
                .schedule(now + o.after, Event::Overflow { ticket, generation });
        }
    }
}
