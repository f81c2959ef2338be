//! Opening hours as a state of the centre: a call made while closed hears the closed
//! message and neither queues nor abandons; at closing time the callers on the line are
//! served to the last (`at_closing = "serve"`) or disconnected with the message; work the
//! centre owes (a transfer, a callback) that comes due while closed waits for the opening.

use super::events::Event;
use super::ticket::{State, TicketId};
use super::{Centre, Step};
use crate::scenario::AtClosing;
use rand::RngExt;

impl Centre<'_> {
    /// The next opening after `now`, or `now` itself while the day grid is open there.
    pub(super) fn next_opening(&self, now: f64) -> f64 {
        // A hair inside, like the staffing: a closing computed with rounding error is closed.
        let probe = now + 1e-6;
        let (grid, sim) = (&self.s.day, &self.s.simulation);
        let s = grid.stretch(probe);
        let open_day = sim.open_on(grid.day_of(probe));
        if s.interval.is_some() && open_day {
            return now;
        }
        // The end of a closed stretch is an opening; on a day off the week, the next day's.
        let mut at = if s.interval.is_none() {
            s.end
        } else {
            (grid.day_of(probe) + 1) as f64 * crate::scenario::DAY + grid.open
        };
        for _ in 0..7 {
            if sim.open_on(grid.day_of(at + 1e-6)) {
                break;
            }
            at += crate::scenario::DAY;
        }
        at
    }

    /// A call made while the centre is closed: the closed message, then a new try after
    /// the opening, or the customer gives up.
    pub(super) fn closed_call(&mut self, now: f64, ticket: TicketId) {
        let ty = self.tickets.get(ticket).ticket_type as usize;
        self.stats.closed_call(now, ty);
        self.note(now, ticket, |_| Step::HeardClosed);
        self.call_ended(now, ticket, super::CallOutcome::Closed, None);
        self.heard_closed(now, ticket);
    }

    /// The customer of `ticket` heard the closed message: tries again `closed_retry.delay`
    /// after the next opening, with `closed_retry.probability`, or the ticket is lost.
    fn heard_closed(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        t.closed += 1;
        let heard = t.closed;
        let retry = &self.s.entry.closed_retry;
        if self.rng.closed.random::<f64>() < retry.probability(heard) {
            let at = self.next_opening(now) + self.closed_delay.sample(&mut self.rng.closed);
            self.note(now, ticket, |_| Step::WillCallAgain { at });
            self.call_again_at(at, ticket);
        } else {
            self.close(now, ticket, false);
        }
    }

    /// Closing time, after the staffing went to 0: callers on the line are disconnected
    /// with the closed message, all of them (`at_closing = "disconnect"`), or those whose
    /// teams have nobody left to serve them (`"serve"`: the agents still on a call stay
    /// for the others, see [`Centre::free_agent`]).
    pub(super) fn closing(&mut self, now: f64) {
        for ty in 0..self.s.ticket_types.len() {
            let nobody = self.teams_for_type[ty]
                .iter()
                .all(|&k| self.teams[k].present == 0);
            if self.s.entry.at_closing == AtClosing::Serve && !nobody {
                continue;
            }
            let q = self.queues.inbound(ty);
            let items = std::mem::take(&mut self.queues[q].items);
            self.queues[q].live = 0;
            for item in items {
                if self
                    .tickets
                    .is(item.ticket, item.generation, State::Waiting)
                {
                    self.disconnect(now, item.ticket);
                }
            }
        }
    }

    /// The caller of `ticket`, on the line at closing time, hears the closed message.
    fn disconnect(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        let wait = now - t.arrival;
        let informed = t.informed;
        t.add_wait(wait, informed);
        // Stale from now on: its patience timer is ignored.
        t.generation = t.generation.wrapping_add(1);
        t.state = State::Away;
        let (arrival, ty) = (t.arrival, t.ticket_type as usize);
        self.day_waits[ty].0 += wait;
        self.day_waits[ty].1 += 1;
        self.queued -= 1;
        self.stats.disconnected(arrival, ty);
        self.note(now, ticket, |_| Step::DisconnectedAtClosing { wait });
        self.call_ended(now, ticket, super::CallOutcome::Disconnected, None);
        self.heard_closed(now, ticket);
    }

    /// Work the centre owes `ticket` came due while closed: it is due again at the
    /// opening. Returns whether it was put off.
    pub(super) fn put_off_while_closed(&mut self, now: f64, ticket: TicketId) -> bool {
        if self.open {
            return false;
        }
        let at = self.next_opening(now);
        let generation = self.tickets.get(ticket).generation;
        self.note(now, ticket, |_| Step::PutOffToOpening { at });
        self.calendar
            .schedule(at, Event::Due { ticket, generation });
        true
    }
}
