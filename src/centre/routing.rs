//! Agents and conversations: which work a free agent takes (routing), which agent takes
//! work that comes due (dispatch), and the start of a conversation.

use super::events::Event;
use super::queues::{QueueId, Queues};
use super::ticket::{State, TicketId, Tickets, Work};
use super::{CallOutcome, Centre, Step};

impl Centre<'_> {
    /// Agent `agent` of team `k` is free: next work, going home, or idle.
    pub(super) fn free_agent(&mut self, now: f64, k: usize, agent: u32) {
        // An agent who still holds chats is not free: it may take another chat only.
        if self.channels && self.holds_chats(k, agent) && self.chat_ended(now, k, agent) {
            return;
        }
        if !self.open && self.teams[k].present > self.teams[k].target {
            // Past closing time (at_closing = "serve"): an agent whose shift is over stays
            // while callers are still on the line in the team's queues.
            self.teams[k].busy -= 1;
            if self.take(now, k, agent, true) {
                return;
            }
            self.teams[k].busy += 1;
        }
        if self.teams[k].release(agent) && !self.take_work(now, k, agent) {
            self.teams[k].idle.push_back(agent);
        }
    }

    /// A free agent of team `k` takes the next waiting work: highest priority first,
    /// then the longest waiting. Returns whether there was some.
    #[inline]
    pub(super) fn take_work(&mut self, now: f64, k: usize, agent: u32) -> bool {
        self.take(now, k, agent, false)
    }

    /// [`Centre::take_work`], or with `line_only` only callers on the line: inbound calls,
    /// and customers on hold after a transfer at the head of the team's own queue. Queues
    /// come by group (skill level, then priority); overflowed calls after them all.
    /// A team that serves message types blends them in (`take_blended`).
    #[inline]
    pub(super) fn take(&mut self, now: f64, k: usize, agent: u32, line_only: bool) -> bool {
        if self.channels && !line_only && self.teams[k].blends {
            return self.take_blended(now, k, agent);
        }
        self.take_queued(now, k, agent, line_only)
    }

    /// [`Centre::take`] for a team that serves message types, under the rule that
    /// protects their promise: an urgent message first, then the queued work and overflow,
    /// then any other message, then a proactive contact due. Out of line: a phone-only
    /// centre never comes here.
    #[cold]
    #[inline(never)]
    fn take_blended(&mut self, now: f64, k: usize, agent: u32) -> bool {
        self.take_message(now, k, agent, true)
            || self.take_queued(now, k, agent, false)
            || self.take_message(now, k, agent, false)
            || self.take_proactive(now, k, agent)
    }

    /// The queued work of team `k`'s priority groups, then overflowed calls.
    #[inline(always)]
    fn take_queued(&mut self, now: f64, k: usize, agent: u32, line_only: bool) -> bool {
        // The team's groups are only read while the queues are searched (the fields are
        // borrowed apart), so the team is looked up once, not at every queue.
        let mut found: Option<(QueueId, f64)> = None;
        for group in &self.teams[k].queues_by_priority {
            for &q in group {
                if let Some(rank) = self.queues.live_head(&self.tickets, q)
                    && (!line_only || on_the_line(&self.queues, &self.tickets, q))
                    && found.is_none_or(|(_, r)| rank < r)
                {
                    found = Some((q, rank));
                }
            }
            if found.is_some() {
                break;
            }
        }
        if let Some((q, _)) = found {
            let item = self.queues[q].items.pop_front().expect("live head exists");
            self.queues[q].live -= 1;
            self.take_item(now, item.ticket, k, agent);
            return true;
        }
        !self.teams[k].overflow.is_empty() && self.take_overflow(now, k, agent)
    }

    /// Hands pending work of `ticket` for queue `q` to the longest-idle agent of the first
    /// team that takes that queue, or puts it in the queue.
    pub(super) fn dispatch(&mut self, now: f64, ticket: TicketId, q: QueueId) {
        self.tickets.get_mut(ticket).queue = q;
        for k in 0..self.teams.len() {
            if self.teams[k].idle.is_empty()
                || !self.teams[k]
                    .queues_by_priority
                    .iter()
                    .flatten()
                    .any(|&x| x == q)
            {
                continue;
            }
            let agent = self.teams[k].idle.pop_front().expect("non-empty");
            self.take_item(now, ticket, k, agent);
            return;
        }
        let generation = self.tickets.get(ticket).generation;
        self.push(q, ticket, generation, now);
    }

    /// Agent `agent` of team `k` takes the work item of `ticket` (already out of its queue).
    pub(super) fn take_item(&mut self, now: f64, ticket: TicketId, k: usize, agent: u32) {
        // Only the fields needed: a ticket is large and this is the hot path.
        let t = self.tickets.get_mut(ticket);
        let (work, arrival) = (t.work, t.arrival);
        match work {
            Work::Inbound => {
                let wait = now - arrival;
                let (queued, predicted, ty) = (t.queued_on_arrival, t.predicted, t.ticket_type);
                let informed = t.informed;
                t.add_wait(wait, informed);
                self.queued -= 1;
                self.stats
                    .settled(arrival, wait, Some(k), queued, ty as usize);
                if predicted.is_finite() {
                    self.stats.prediction(arrival, predicted, wait);
                }
                let day = &mut self.day_waits[ty as usize];
                day.0 += wait;
                day.1 += 1;
                self.note(now, ticket, |_| Step::Answered {
                    team: k,
                    wait,
                    after_transfer: false,
                });
                self.start_work(now, ticket, k, agent);
            }
            Work::Transfer => {
                // Nobody announces how long a transfer takes.
                t.add_wait(now - arrival, false);
                let wait = now - arrival;
                let created = t.created;
                self.on_hold -= 1;
                self.stats.hold(created, k, wait);
                self.note(now, ticket, |_| Step::Answered {
                    team: k,
                    wait,
                    after_transfer: true,
                });
                self.start_work(now, ticket, k, agent);
            }
            Work::Callback | Work::Appointment | Work::AgentCallback => {
                self.outbound(now, ticket, k, agent);
            }
            Work::Message => self.take_message_item(now, ticket, k, agent),
        }
    }

    /// A conversation between agent `agent` of team `k` and the customer of `ticket` starts.
    pub(super) fn start_work(&mut self, now: f64, ticket: TicketId, k: usize, agent: u32) {
        if self.channels && self.is_chat(k, ticket) {
            self.start_chat(now, ticket, k, agent);
            return;
        }
        self.teams[k].busy += 1;
        self.converse(now, ticket, k, agent, 1.0);
    }

    /// The steps of every conversation's start, a call's or a chat's: the ticket in service
    /// with its handle time (the first drawn at arrival, later ones from the follow-up
    /// stream) × the team's talk speed × `factor` (a chat's slowdown), its end scheduled,
    /// and an answered inbound call logged.
    #[inline(always)]
    pub(super) fn converse(
        &mut self,
        now: f64,
        ticket: TicketId,
        k: usize,
        agent: u32,
        factor: f64,
    ) {
        let t = self.tickets.get_mut(ticket);
        t.state = State::InService;
        let base = if t.conversations == 0 {
            t.handle
        } else {
            let ty = t.ticket_type as usize;
            self.handle[ty].sample(&mut self.rng.follow_up)
        };
        t.conversations = t.conversations.saturating_add(1);
        t.team = k as u16;
        t.served_at = now;
        t.answered = matches!(t.work, Work::Inbound | Work::Transfer | Work::Message);
        let inbound = t.work == Work::Inbound;
        self.stats.conversation(t.created, k);
        let talk = base * self.teams[k].speed * factor;
        self.calendar.schedule(
            now + talk,
            Event::Done {
                team: k as u32,
                agent,
                ticket,
            },
        );
        if inbound {
            self.call_ended(now, ticket, CallOutcome::Answered, Some((k, agent, talk)));
        }
    }
}

/// Whether the live head of queue `q` is a caller on the line (inbound or on hold).
fn on_the_line(queues: &Queues, tickets: &Tickets, q: QueueId) -> bool {
    let head = queues[q].items.front().expect("a live head");
    matches!(
        tickets.get(head.ticket).work,
        Work::Inbound | Work::Transfer
    )
}
