//! Proactive contacts (a team's `depth.proactive`, docs/model.md "Depth of resolution"):
//! some time after each ticket a team resolves in depth, an agent of the team contacts the
//! customer, which renews the protection. The contact is deferrable like a message: a free
//! agent takes it only when no call, other queued work or message waits (`take_blended`,
//! last), and an idle agent takes it at once when it comes due. It is no ticket: nobody
//! scores it and it is in none of the ticket or call figures; its agent time is busy time.

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
            None => self.teams[k].proactive.push_back(customer),
        }
    }

    /// A free agent of team `k` makes the oldest proactive contact waiting, if any (of a
    /// customer still there). Returns whether it did.
    #[cold]
    #[inline(never)]
    pub(super) fn take_proactive(&mut self, now: f64, k: usize, agent: u32) -> bool {
        while let Some(customer) = self.teams[k].proactive.pop_front() {
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

    /// Agent `agent` of team `k` starts the proactive contact of `customer`: busy for the
    /// contact's `handle`.
    fn proactive_start(&mut self, now: f64, k: usize, agent: u32, customer: u32) {
        let handle = self.s.teams[k]
            .depth
            .and_then(|d| d.proactive)
            .expect("a team with proactive contacts")
            .handle;
        self.teams[k].busy += 1;
        self.calendar.schedule(
            now + handle,
            Event::ProactiveDone {
                team: k as u32,
                agent,
                customer,
            },
        );
    }

    /// Agent `agent` of team `k` ends the proactive contact of `customer`: the contact is
    /// counted with its agent time, the customer's protection renewed from now, and the
    /// agent is free.
    #[cold]
    #[inline(never)]
    pub(super) fn proactive_done(&mut self, now: f64, k: usize, agent: u32, customer: u32) {
        let depth = self.s.teams[k].depth.expect("a team resolving in depth");
        let handle = depth.proactive.map_or(0.0, |p| p.handle);
        self.stats.proactive_contact(now, handle);
        self.protect(now, customer, &depth);
        self.free_agent(now, k, agent);
    }
}
