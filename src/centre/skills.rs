//! Overflow: a call of a type with `overflow = { to, after }` that has waited `after`
//! seconds may also be answered by the secondary team (see "Skills and overflow" in
//! docs/model.md). The secondary team takes such calls after all of its own work; an
//! event at arrival + `after` hands the call to one of its agents who is idle then.

use super::Centre;
use super::queues::QueueId;
use super::ticket::TicketId;

impl Centre<'_> {
    /// A free agent of team `k`, with none of its own work waiting, takes an overflowed
    /// call: among the queues it may overflow from whose head has waited long enough, the
    /// highest priority, then the longest waiting. Returns whether there was one.
    pub(super) fn take_overflow(&mut self, now: f64, k: usize, agent: u32) -> bool {
        let mut best: Option<(QueueId, i32, f64)> = None;
        for i in 0..self.teams[k].overflow.len() {
            let (q, priority, after) = self.teams[k].overflow[i];
            // Inbound queues are in arrival order: when the head has not waited long
            // enough, nobody behind it has. `rank + after` is the time of its event.
            if let Some(rank) = self.live_head(q)
                && rank + after <= now
                && best.is_none_or(|(_, p, r)| priority > p || (priority == p && rank < r))
            {
                best = Some((q, priority, rank));
            }
        }
        let Some((q, _, _)) = best else {
            return false;
        };
        let item = self.queues[q].items.pop_front().expect("live head exists");
        self.queues[q].live -= 1;
        self.take_item(now, item.ticket, k, agent);
        true
    }

    /// The call of `ticket`, still waiting, has waited long enough for its type's
    /// secondary team: the longest-idle agent of that team, if any, takes the next work.
    pub(super) fn overflow(&mut self, now: f64, ticket: TicketId) {
        let ty = self.tickets.get(ticket).ticket_type as usize;
        let Some(o) = self.s.ticket_types[ty].overflow else {
            return;
        };
        let k = o.team;
        if let Some(agent) = self.teams[k].idle.pop_front()
            && !self.take(now, k, agent, false)
        {
            // Not expected (an idle agent means the team's own queues are empty, and this
            // call is at or behind an eligible head), but the idle order stays as it was.
            self.teams[k].idle.push_front(agent);
        }
    }
}
