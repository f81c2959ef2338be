//! Callbacks and appointments: an entry callback offered and accepted (virtual hold, or an
//! appointment booked in the book), scheduled work coming due, the outbound call of an
//! agent (entry or agent callback), a missed call retried, and a promise broken.
//!
//! The agent-callback promise itself is made by the unresolved policy (`resolution.rs`).

use super::events::Event;
use super::ticket::{State, TicketId, Work};
use super::{Centre, Step};
use rand::RngExt;

impl Centre<'_> {
    /// Offers a callback; returns whether the caller took it (and left the line).
    pub(super) fn offer_callback(&mut self, now: f64, ticket: TicketId, predicted: f64) -> bool {
        let cb = self
            .s
            .entry
            .callback
            .as_ref()
            .expect("validated callback flow");
        let ty = self.tickets.get(ticket).ticket_type as usize;
        // An appointment can only be offered if a slot is free.
        let slot = match self.book.as_mut() {
            Some(book) => match book.first_free(now) {
                Some(slot) => Some(slot),
                None => return false,
            },
            None => None,
        };
        let accepted = self.rng.callback.random::<f64>() < cb.accept_probability(predicted);
        self.stats.callback_offered(now, accepted, ty);
        self.note(now, ticket, |_| Step::CallbackOffered {
            accepted,
            predicted,
        });
        if !accepted {
            return false;
        }
        self.call_ended(now, ticket, super::CallOutcome::Callback, None);
        let q = self.queues.callback(ty);
        let t = self.tickets.get_mut(ticket);
        t.callbacks_promised += 1;
        t.callback_attempts = 0;
        t.promised_at = now;
        t.state = State::Pending;
        self.stats.promise(now);
        match slot {
            None => {
                // Virtual hold: the callback takes the caller's place in line now (an idle
                // agent of a dedicated callback team calls at once).
                t.work = Work::Callback;
                t.due = f64::INFINITY;
                self.dispatch(now, ticket, q);
            }
            Some((start, end)) => {
                t.work = Work::Appointment;
                t.appointment = true;
                t.due = end;
                let generation = t.generation;
                self.book.as_mut().expect("appointments").take(start);
                self.note(now, ticket, |_| Step::AppointmentBooked { start, end });
                self.calendar
                    .schedule(start, Event::Due { ticket, generation });
            }
        }
        true
    }

    /// Queues scheduled work that came due (a callback, a retry, a transfer), or hands it
    /// to an idle agent at once.
    pub(super) fn due(&mut self, now: f64, ticket: TicketId) {
        if self.put_off_while_closed(now, ticket) {
            return;
        }
        let t = *self.tickets.get(ticket);
        let ty = t.ticket_type as usize;
        let q = match t.work {
            Work::Callback | Work::Appointment => self.queues.callback(ty),
            Work::Transfer | Work::AgentCallback => t.queue,
            Work::Inbound | Work::Message => {
                unreachable!("inbound calls and messages are never scheduled as due")
            }
        };
        if t.work == Work::Transfer {
            // On hold from now until an agent of the new team answers.
            self.tickets.get_mut(ticket).arrival = now;
            self.on_hold += 1;
        }
        self.dispatch(now, ticket, q);
    }

    /// An outbound call of agent `agent` (team `k`) to the customer of `ticket`.
    pub(super) fn outbound(&mut self, now: f64, ticket: TicketId, k: usize, agent: u32) {
        self.stats.outbound(now);
        let t = self.tickets.get_mut(ticket);
        t.outbound_calls += 1;
        t.callback_attempts += 1;
        let capped = t.contact();
        // Agent callbacks reach a customer who expects them; entry callbacks may miss.
        let reach = match (t.work, self.s.entry.callback.as_ref()) {
            (Work::AgentCallback, _) | (_, None) => 1.0,
            (_, Some(cb)) => cb.reach_probability,
        };
        if capped {
            self.contact_cap(now, ticket);
        }
        let reached = self.rng.reach.random::<f64>() < reach;
        self.note(now, ticket, |_| Step::CallbackPlaced { team: k, reached });
        if reached {
            let t = self.tickets.get_mut(ticket);
            // The promise: the slot or the agent's promise, or for a virtual hold the wait
            // predicted at the offer plus the service-level threshold.
            let promise = match t.work {
                Work::Callback => {
                    t.promised_at + t.predicted + self.s.simulation.service_level_threshold
                }
                _ => t.due,
            };
            // A promise with no time (NaN) cannot be late.
            if now <= promise || promise.is_nan() {
                t.callbacks_kept += 1;
                // The call that took an entry callback was served if the callback kept
                // its promise.
                if matches!(t.work, Work::Callback | Work::Appointment) {
                    let (promised_at, ty) = (t.promised_at, t.ticket_type as usize);
                    self.stats.callback_in_time(promised_at, ty);
                }
            } else {
                t.callbacks_late += 1;
                t.lateness += now - promise;
            }
            self.stats.callback_reached(t.promised_at, k, now);
            // The centre called: nothing was spent on the line for this contact.
            t.add_wait(0.0, true);
            self.start_work(now, ticket, k, agent);
            return;
        }
        let busy_for = self
            .s
            .entry
            .callback
            .as_ref()
            .map_or(0.0, |cb| cb.missed_call_time);
        self.teams[k].busy += 1;
        self.tickets.get_mut(ticket).state = State::InService;
        self.calendar.schedule(
            now + busy_for,
            Event::Missed {
                team: k as u32,
                agent,
                ticket,
            },
        );
    }

    /// The outbound call nobody answered is over: retry later, or the promise is broken.
    pub(super) fn missed(&mut self, now: f64, k: usize, agent: u32, ticket: TicketId) {
        let cb = self
            .s
            .entry
            .callback
            .as_ref()
            .expect("missed calls need callbacks");
        let t = self.tickets.get_mut(ticket);
        if t.callback_attempts < cb.max_attempts {
            t.state = State::Pending;
            t.generation = t.generation.wrapping_add(1);
            let generation = t.generation;
            let delay = self
                .callback_retry
                .as_ref()
                .map_or(0.0, |d| d.sample(&mut self.rng.delay));
            self.calendar
                .schedule(now + delay, Event::Due { ticket, generation });
        } else {
            t.state = State::Away;
            self.promise_broken(now, ticket);
        }
        self.free_agent(now, k, agent);
    }

    /// A promised callback will never come: the customer calls again, or gives up.
    pub(super) fn promise_broken(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        t.callbacks_broken += 1;
        t.state = State::Away;
        let promised_at = t.promised_at;
        let work = t.work;
        let owner = usize::from(t.team);
        self.stats.broken(promised_at);
        self.note(now, ticket, |_| Step::PromiseBroken);
        if work == Work::AgentCallback {
            self.call_again(now, ticket, owner, true);
        } else {
            self.failed_call(now, ticket);
        }
    }
}
