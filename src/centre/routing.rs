//! Agents and conversations: which work a free agent takes (routing), which agent takes
//! work that comes due (dispatch), and the start of a conversation.

use super::events::Event;
use super::queues::QueueId;
use super::ticket::{State, TicketId, Work};
use super::{Centre, Step};

impl Centre<'_> {
    /// Agent `agent` of team `k` is free: next work, going home, or idle.
    pub(super) fn free_agent(&mut self, now: f64, k: usize, agent: u32) {
        // An agent who still holds chats is not free: it may take another chat only.
        if self.holds_chats(k, agent) && self.chat_ended(now, k, agent) {
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
        let took = self.take(now, k, agent, false);
        // A chat taken leaves slots free for the chats still waiting.
        if took && self.teams[k].chat_limit > 1 {
            self.fill_chats(now, k, agent);
        }
        took
    }

    /// [`Centre::take_work`], or with `line_only` only callers on the line: inbound calls,
    /// and customers on hold after a transfer at the head of the team's own queue. Queues
    /// come by group (skill level, then priority); overflowed calls after them all.
    pub(super) fn take(&mut self, now: f64, k: usize, agent: u32, line_only: bool) -> bool {
        // The promise-protecting rule: an urgent message before everything else.
        if !self.teams[k].messages.is_empty()
            && !line_only
            && self.take_message(now, k, agent, true)
        {
            return true;
        }
        for g in 0..self.teams[k].queues_by_priority.len() {
            let mut best: Option<(QueueId, f64)> = None;
            for i in 0..self.teams[k].queues_by_priority[g].len() {
                let q = self.teams[k].queues_by_priority[g][i];
                if let Some(rank) = self.live_head(q)
                    && (!line_only || self.on_the_line(q))
                    && best.is_none_or(|(_, r)| rank < r)
                {
                    best = Some((q, rank));
                }
            }
            if let Some((q, _)) = best {
                let item = self.queues[q].items.pop_front().expect("live head exists");
                self.queues[q].live -= 1;
                self.take_item(now, item.ticket, k, agent);
                return true;
            }
        }
        (!self.teams[k].overflow.is_empty() && self.take_overflow(now, k, agent))
            // Messages fill the time no other work takes.
            || (!self.teams[k].messages.is_empty()
                && !line_only
                && self.take_message(now, k, agent, false))
    }

    /// Whether the live head of queue `q` is a caller on the line (inbound or on hold).
    fn on_the_line(&self, q: QueueId) -> bool {
        let head = self.queues[q].items.front().expect("a live head");
        matches!(
            self.tickets.get(head.ticket).work,
            Work::Inbound | Work::Transfer
        )
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
        let chat = self.channels && self.is_chat(k, ticket);
        let slowdown = if chat {
            self.chat_started(k, agent)
        } else {
            self.teams[k].busy += 1;
            1.0
        };
        let team = &self.teams[k];
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
        t.answered = matches!(t.work, Work::Inbound | Work::Transfer);
        self.stats.conversation(t.created, k);
        let end = if chat {
            now + base * team.speed * slowdown
        } else {
            now + base * team.speed
        };
        self.calendar.schedule(
            end,
            Event::Done {
                team: k as u32,
                agent,
                ticket,
            },
        );
    }
}
