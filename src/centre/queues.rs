//! Queues and abandonment: the FIFOs where work waits for an agent, and a caller on the
//! line whose patience runs out.
//!
//! Entries are never removed from the middle of a queue: a ticket that leaves (abandons,
//! or is taken through another queue) moves its generation on, and its stale entry is
//! dropped when it reaches the head.

use super::ticket::{State, TicketId, Tickets};
use super::{Centre, Step};
use std::collections::VecDeque;
use std::ops::{Index, IndexMut};

/// Names one queue of [`Queues`]: the inbound queue of a ticket type, the entry-callback
/// queue of a type, or the direct queue of a team (transfers and agent callbacks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueId(u32);

/// A queue entry: the ticket, the generation it was queued under, and its rank time
/// (arrival, or the original arrival for a virtual-hold callback).
#[derive(Debug, Clone, Copy)]
pub(super) struct Item {
    pub ticket: TicketId,
    pub generation: u32,
    pub rank: f64,
}

/// A FIFO of work and how many of its entries are live.
#[derive(Debug, Clone, Default)]
pub(super) struct Queue {
    pub items: VecDeque<Item>,
    pub live: u32,
}

/// Every queue of the centre, in one flat list: the inbound queue of each type, then the
/// entry-callback queue of each type, then the direct queue of each team, then the message
/// queue of each type (empty unless the type's channel is "message").
#[derive(Debug)]
pub(super) struct Queues {
    queues: Vec<Queue>,
    types: u32,
    teams: u32,
}

impl Queues {
    /// Empty queues for `types` ticket types and `teams` teams.
    pub fn new(types: usize, teams: usize) -> Self {
        Self {
            queues: vec![Queue::default(); 3 * types + teams],
            types: types as u32,
            teams: teams as u32,
        }
    }

    /// Where the messages of type `ty` wait for an answer, ranked by their deadline.
    #[inline]
    pub fn message(&self, ty: usize) -> QueueId {
        QueueId(2 * self.types + self.teams + ty as u32)
    }

    /// Where inbound calls of type `ty` wait on the line.
    #[inline]
    pub fn inbound(&self, ty: usize) -> QueueId {
        QueueId(ty as u32)
    }

    /// Where entry callbacks (virtual hold, appointments) of type `ty` wait for an agent.
    #[inline]
    pub fn callback(&self, ty: usize) -> QueueId {
        QueueId(self.types + ty as u32)
    }

    /// Where transfers to team `k` and the callbacks its agents promised wait.
    #[inline]
    pub fn team(&self, k: usize) -> QueueId {
        QueueId(2 * self.types + k as u32)
    }
}

impl Queues {
    /// Drops stale entries at the head of queue `q` (their tickets in `tickets` have moved
    /// on); returns the rank of the live head.
    #[inline]
    pub fn live_head(&mut self, tickets: &Tickets, q: QueueId) -> Option<f64> {
        let queue = &mut self[q];
        while let Some(item) = queue.items.front() {
            if tickets.current(item.ticket, item.generation) {
                return Some(item.rank);
            }
            queue.items.pop_front();
        }
        None
    }
}

impl Index<QueueId> for Queues {
    type Output = Queue;

    #[inline]
    fn index(&self, q: QueueId) -> &Queue {
        &self.queues[q.0 as usize]
    }
}

impl IndexMut<QueueId> for Queues {
    #[inline]
    fn index_mut(&mut self, q: QueueId) -> &mut Queue {
        &mut self.queues[q.0 as usize]
    }
}

impl Centre<'_> {
    /// Puts work in queue `q`.
    pub(super) fn push(&mut self, q: QueueId, ticket: TicketId, generation: u32, rank: f64) {
        self.queues[q].items.push_back(Item {
            ticket,
            generation,
            rank,
        });
        self.queues[q].live += 1;
    }

    /// Drops stale entries at the head of a queue; returns the rank of the live head.
    #[inline]
    pub(super) fn live_head(&mut self, q: QueueId) -> Option<f64> {
        self.queues.live_head(&self.tickets, q)
    }

    /// The caller of `ticket`, on the line, runs out of patience and hangs up.
    pub(super) fn abandon(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        let wait = now - t.arrival;
        t.abandons += 1;
        let informed = t.informed;
        t.add_wait(wait, informed);
        let ty = t.ticket_type as usize;
        self.day_waits[ty].0 += wait;
        self.day_waits[ty].1 += 1;
        self.note(now, ticket, |_| Step::Abandoned { wait });
        let t = self.tickets.get_mut(ticket);
        // Stale from now on: its queue entry is skipped, its timers ignored.
        t.generation = t.generation.wrapping_add(1);
        t.state = State::Away;
        let (arrival, q) = (t.arrival, t.queue);
        self.queued -= 1;
        self.queues[q].live -= 1;
        self.stats.settled(arrival, wait, None, true, ty);
        self.call_ended(now, ticket, super::CallOutcome::Abandoned, None);
        self.failed_call(now, ticket);
    }
}
