//! The ticket and its journey: one customer's open problem and everything they lived
//! through so far, and the store of open tickets.
//!
//! A ticket has two identities, never mixed up:
//! - its [`TicketId`], the slot that stores it while it is open, which events, queue entries
//!   and handlers pass around (with the slot's generation, so a stale event or queue entry
//!   can tell the slot no longer holds that ticket or that step of it);
//! - its [`Ticket::number`], its sequential number in the replication, which the outputs
//!   show (`tickets.csv`, the trace's customer).
//!
//! The journey is kept in fixed-size counters, and slots are reused: memory grows with
//! tickets open at once, not with tickets simulated.

use super::queues::QueueId;

/// Where an open ticket is stored: its slot in [`Tickets`]. The slot is reused once the
/// ticket closes, so together with a generation it names one ticket at one step; it is
/// not the ticket's number ([`Ticket::number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketId(u32);

impl TicketId {
    #[inline]
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a ticket's customer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// On the line in a queue, waiting for an agent.
    Waiting,
    /// Work for an agent that does not hold the line: a callback due or queued, a transfer
    /// under way.
    Pending,
    /// Talking to an agent, or being called by one.
    InService,
    /// Between attempts: will call again.
    Away,
    /// The slot is free.
    Free,
}

/// What the ticket's queued or scheduled work is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// An inbound call on the line.
    Inbound,
    /// A virtual-hold callback (or a retry of any entry callback).
    Callback,
    /// A booked appointment: the centre calls at the slot.
    Appointment,
    /// A ticket transferred to another team, the customer on hold.
    Transfer,
    /// A callback an agent promised after an unresolved contact.
    AgentCallback,
    /// A written message waiting for its answer (channel = "message").
    Message,
}

/// One customer's ticket and its journey.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    /// Sequential number of the ticket in its replication, from 0 in creation order (the
    /// `ticket` column of `tickets.csv`, the trace's customer); not its slot.
    pub number: u64,
    /// Ticket type index.
    pub ticket_type: u32,
    /// Inbound calls made so far (first call and redials).
    pub attempt: u32,
    /// Generation of the slot; changes whenever queue entries or timers of this ticket go stale.
    pub generation: u32,
    /// Where the customer stands.
    pub state: State,
    /// What the queued or scheduled work is.
    pub work: Work,
    /// The queue the ticket's item is in (when `Waiting` or queued `Pending`).
    pub queue: QueueId,
    /// Whether the current call found no agent free.
    pub queued_on_arrival: bool,
    /// Whether the customer heard the predicted wait on the current call.
    pub informed: bool,
    /// When the ticket was created (its first call).
    pub created: f64,
    /// Arrival time of the current call, or when the current work item was queued.
    pub arrival: f64,
    /// The wait announced or predicted on the current call (NaN when none).
    pub predicted: f64,
    /// When a promised callback is due at the latest (appointment slot end, agent promise).
    pub due: f64,
    /// When the current callback promise was made.
    pub promised_at: f64,
    /// Handle time of the first conversation before a team's speed factor.
    pub handle: f64,
    /// Team of the last conversation.
    pub team: u16,
    /// Conversations with an agent.
    pub conversations: u32,
    /// Calls told to call back later.
    pub rejections: u32,
    /// Calls that hung up on hearing the wait.
    pub balks: u32,
    /// Calls abandoned in the queue.
    pub abandons: u32,
    /// Calls that heard the closed message (made while closed, or disconnected at closing).
    pub closed: u32,
    /// Transfers to another team.
    pub transfers: u32,
    /// Callbacks promised (entry callbacks accepted and agent callbacks).
    pub callbacks_promised: u32,
    /// Callbacks that reached the customer in time.
    pub callbacks_kept: u32,
    /// Callbacks that reached the customer late.
    pub callbacks_late: u32,
    /// Promised callbacks that never reached the customer.
    pub callbacks_broken: u32,
    /// Outbound attempts of the current callback.
    pub callback_attempts: u32,
    /// Outbound calls placed to the customer.
    pub outbound_calls: u32,
    /// Contacts so far: inbound calls, outbound calls and transfers, what the runaway
    /// guard caps (see [`crate::centre::MAX_CONTACTS`]).
    pub contacts: u32,
    /// Unresolved conversations.
    pub unresolved: u32,
    /// Whether a goodwill gesture settled the ticket.
    pub goodwill: bool,
    /// Whether the customer waited for an appointment rather than on the line.
    pub appointment: bool,
    /// Sum of the waits on the line (queues and transfers), seconds.
    pub wait_total: f64,
    /// Longest single wait on the line, seconds.
    pub wait_worst: f64,
    /// Wait on the line before the last conversation, seconds.
    pub wait_last: f64,
    /// Whether the customer knew the length of the longest wait.
    pub worst_informed: bool,
    /// Whether the customer knew the length of the last wait.
    pub last_informed: bool,
    /// The wait this customer expected when the ticket was created, seconds.
    pub expected_wait: f64,
    /// When the latest conversation began.
    pub served_at: f64,
    /// Whether the latest conversation began with the customer answered on the line (an
    /// inbound call or a transfer) or its message answered, not called back.
    pub answered: bool,
    /// Seconds by which promised callbacks that reached the customer were late, summed.
    pub lateness: f64,
    /// Reminders sent about an unanswered message.
    pub reminders: u32,
    /// The customer the ticket belongs to (`arrivals.customers`); `u32::MAX` without a
    /// population.
    pub customer: u32,
    /// Whether the ticket's contacts are written (a message type): judged on the written
    /// channel's scales.
    pub written: bool,
}

impl Ticket {
    /// Ticket number `number`, created at `now`.
    pub fn new(number: u64, ticket_type: u32, now: f64, handle: f64) -> Self {
        Self {
            number,
            ticket_type,
            attempt: 0,
            generation: 0,
            state: State::Away,
            work: Work::Inbound,
            queue: QueueId::default(),
            queued_on_arrival: false,
            informed: false,
            created: now,
            arrival: now,
            predicted: f64::NAN,
            due: f64::INFINITY,
            promised_at: f64::NAN,
            handle,
            team: 0,
            conversations: 0,
            rejections: 0,
            balks: 0,
            abandons: 0,
            closed: 0,
            transfers: 0,
            callbacks_promised: 0,
            callbacks_kept: 0,
            callbacks_late: 0,
            callbacks_broken: 0,
            callback_attempts: 0,
            outbound_calls: 0,
            contacts: 0,
            unresolved: 0,
            goodwill: false,
            appointment: false,
            wait_total: 0.0,
            wait_worst: 0.0,
            wait_last: 0.0,
            worst_informed: false,
            last_informed: false,
            expected_wait: 0.0,
            served_at: f64::NAN,
            answered: false,
            lateness: 0.0,
            reminders: 0,
            customer: u32::MAX,
            written: false,
        }
    }

    /// Counts one contact (an inbound call, an outbound call or a transfer); `true` when
    /// this one reaches the cap of contacts per ticket.
    #[inline]
    pub fn contact(&mut self) -> bool {
        self.contacts += 1;
        self.contacts == super::guard::MAX_CONTACTS
    }

    /// Calls that failed to reach an agent (rejected, balked, abandoned) and callback
    /// promises broken: what the redial probabilities are indexed by.
    pub fn failures(&self) -> u32 {
        self.rejections + self.balks + self.abandons + self.callbacks_broken
    }

    /// Records a wait on the line that ended in a conversation or an abandonment, and
    /// whether the customer had been told how long it would be.
    pub fn add_wait(&mut self, wait: f64, informed: bool) {
        self.wait_total += wait;
        if wait >= self.wait_worst {
            self.wait_worst = wait;
            self.worst_informed = informed;
        }
        self.wait_last = wait;
        self.last_informed = informed;
    }

    /// What the satisfaction score needs of this journey, closed at `now`.
    pub fn journey(&self, resolved: bool, now: f64) -> crate::satisfaction::Journey {
        // A resolved problem was solved once the conversation that solved it began.
        let end = if resolved { self.served_at } else { now };
        crate::satisfaction::Journey {
            resolved,
            conversations: self.conversations,
            rejections: self.rejections,
            closed_messages: self.closed,
            // A reminder is effort spent for nothing, as a call given up is.
            failed_attempts: self.balks + self.abandons + self.reminders,
            transfers: self.transfers,
            broken_promises: self.callbacks_broken,
            callbacks_reached: self.callbacks_kept + self.callbacks_late,
            lateness: self.lateness,
            goodwill: self.goodwill,
            worst_wait: self.wait_worst,
            worst_informed: self.worst_informed,
            last_wait: self.wait_last,
            last_informed: self.last_informed,
            answered: self.answered,
            elapsed: end - self.created,
            expected_wait: self.expected_wait,
            written: self.written,
        }
    }
}

/// The open tickets, in slots with a free list.
#[derive(Debug, Default)]
pub struct Tickets {
    slots: Vec<Ticket>,
    free: Vec<TicketId>,
}

impl Tickets {
    /// Stores a new ticket and returns its slot.
    #[inline]
    pub fn insert(&mut self, mut t: Ticket) -> TicketId {
        if let Some(ticket) = self.free.pop() {
            t.generation = self.slots[ticket.index()].generation.wrapping_add(1);
            self.slots[ticket.index()] = t;
            ticket
        } else {
            t.generation = 0;
            self.slots.push(t);
            TicketId((self.slots.len() - 1) as u32)
        }
    }

    /// Frees a slot; its generation moves on so that pending references go stale.
    #[inline]
    pub fn remove(&mut self, ticket: TicketId) {
        let t = &mut self.slots[ticket.index()];
        t.state = State::Free;
        t.generation = t.generation.wrapping_add(1);
        self.free.push(ticket);
    }

    /// The ticket in a slot.
    #[inline]
    pub fn get(&self, ticket: TicketId) -> &Ticket {
        &self.slots[ticket.index()]
    }

    /// The ticket in a slot, mutably.
    #[inline]
    pub fn get_mut(&mut self, ticket: TicketId) -> &mut Ticket {
        &mut self.slots[ticket.index()]
    }

    /// Whether `(ticket, generation)` still names a ticket in state `state`.
    #[inline]
    pub fn is(&self, ticket: TicketId, generation: u32, state: State) -> bool {
        let t = &self.slots[ticket.index()];
        t.generation == generation && t.state == state
    }

    /// Whether `(ticket, generation)` still names a live ticket.
    #[inline]
    pub fn current(&self, ticket: TicketId, generation: u32) -> bool {
        let t = &self.slots[ticket.index()];
        t.generation == generation && t.state != State::Free
    }

    /// Every ticket in a slot that is not free.
    pub fn live(&self) -> impl Iterator<Item = &Ticket> {
        self.slots.iter().filter(|t| t.state != State::Free)
    }
}
