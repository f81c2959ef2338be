//! Callers in the system, stored in reusable slots with generation counters, so a stale
//! event or queue entry that names a slot can tell it no longer concerns that caller.

/// Where a caller stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// In a queue, waiting for an agent.
    Waiting,
    /// Talking to an agent.
    InService,
    /// Between attempts: will call again.
    Away,
    /// The slot is free.
    Free,
}

/// One customer with an open problem.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// Ticket type index.
    pub ticket_type: u32,
    /// Attempts made so far (1 on the first call).
    pub attempt: u32,
    /// Generation of the slot; changes whenever queue entries or timers of this caller go stale.
    pub generation: u32,
    /// Where the caller stands.
    pub state: State,
    /// Whether this attempt found no agent free.
    pub queued_on_arrival: bool,
    /// Arrival time of the current attempt.
    pub arrival: f64,
    /// Handle time of the ticket before a team's speed factor.
    pub handle: f64,
}

/// Slots of callers with a free list.
#[derive(Debug, Default)]
pub struct Callers {
    slots: Vec<Caller>,
    free: Vec<u32>,
}

impl Callers {
    /// Stores a new caller and returns its slot.
    #[inline]
    pub fn insert(&mut self, mut c: Caller) -> u32 {
        if let Some(id) = self.free.pop() {
            c.generation = self.slots[id as usize].generation.wrapping_add(1);
            self.slots[id as usize] = c;
            id
        } else {
            c.generation = 0;
            self.slots.push(c);
            (self.slots.len() - 1) as u32
        }
    }

    /// Frees a slot; its generation moves on so that pending references go stale.
    #[inline]
    pub fn remove(&mut self, id: u32) {
        let c = &mut self.slots[id as usize];
        c.state = State::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free.push(id);
    }

    /// The caller in a slot.
    #[inline]
    pub fn get(&self, id: u32) -> &Caller {
        &self.slots[id as usize]
    }

    /// The caller in a slot, mutably.
    #[inline]
    pub fn get_mut(&mut self, id: u32) -> &mut Caller {
        &mut self.slots[id as usize]
    }

    /// Whether `(id, generation)` still names a caller in state `state`.
    #[inline]
    pub fn is(&self, id: u32, generation: u32, state: State) -> bool {
        let c = &self.slots[id as usize];
        c.generation == generation && c.state == state
    }

    /// Every caller in a slot that is not free.
    pub fn live(&self) -> impl Iterator<Item = &Caller> {
        self.slots.iter().filter(|c| c.state != State::Free)
    }
}
