//! Proactive contacts (a team's `depth.proactive`, docs/model.md "Depth of resolution"):
//! some time after each ticket a team resolves in depth, an agent of the team contacts the
//! customer, which renews the protection. The contact is deferrable like a message: a free
//! agent takes it only when no call, other queued work or message waits (`take_blended`,
//! last), and an idle agent takes it at once when it comes due. It is no ticket: nobody
//! scores it and it is in none of the ticket or call figures; its agent time is busy time,
//! off the line (as after-call work: no telephony).

use super::Centre;
use super::events::Event;
use crate::scenario::Proactive;

impl Centre<'_> {
    /// Team `k` resolved a ticket of `customer` in depth at `now`: its proactive contact
    /// comes due `after` later (none due at or after the horizon, when nothing is counted).
    #[cold]
    #[inline(never)]
    pub(super) fn plan_proactive(&mut self, now: f64, k: usize, customer: u32, p: &Proactive) {
        let at = now + p.after;
        if at < self.s.simulation.horizon {
            self.calendar.schedule(
                at,
                Event::Proactive {
                    team: k as u32,
                    customer,
                },
            );
        }
    }

    /// The proactive contact of `customer` by team `k` comes due: an idle agent of the team
    /// makes it at once, else it waits for a free one. A customer who left is not contacted.
    #[cold]
    #[inline(never)]
    pub(super) fn proactive_due(&mut self, now: f64, k: usize, customer: u32) {
        if !self
            .population
            .as_ref()
            .is_some_and(|p| p.is_customer(customer))
        {
            return;
        }
        match self.teams[k].idle.pop_front() {
            Some(agent) => self.proactive_start(now, k, agent, customer),
            None => self.proactive[k].push_back(customer),
        }
    }

    /// A free agent of team `k` makes the oldest proactive contact waiting, if any (of a
    /// customer still there). Returns whether it did.
    #[cold]
    #[inline(never)]
    pub(super) fn take_proactive(&mut self, now: f64, k: usize, agent: u32) -> bool {
        // No queue at all without a team making proactive contacts (a team blending messages only).
        while let Some(customer) = self.proactive.get_mut(k).and_then(|q| q.pop_front()) {
            if self
                .population
                .as_ref()
                .is_some_and(|p| p.is_customer(customer))
            {
                self.proactive_start(now, k, agent, customer);
                return true;
            }
        }
        false
    }

    /// Agent `agent` of team `k` makes the proactive contact of `customer`, busy for its
    /// `handle`: counted with its agent time and the customer's protection renewed from its
    /// end, which a `WrapUp` event marks (the agent's time off the line, as after-call work,
    /// so that the event loop needs no event of its own for it).
    fn proactive_start(&mut self, now: f64, k: usize, agent: u32, customer: u32) {
        let depth = self.s.teams[k].depth.expect("a team resolving in depth");
        let handle = depth
            .proactive
            .expect("a team with proactive contacts")
            .handle;
        let end = now + handle;
        self.stats.proactive_contact(end, handle);
        self.protect(end, customer, &depth);
        self.teams[k].busy += 1;
        self.wrapping += 1;
        self.calendar.schedule(
            end,
            Event::WrapUp {
                team: k as u32,
                agent,
            },
        );
    }
}
