//! Written messages and chat: the channels other than the phone (docs/model.md, "Channels").
//!
//! A **message** is never on the line. It waits in its type's message queue, ranked by its
//! deadline (the time it was sent plus the type's `response_promise`), and nobody abandons
//! it. Agents blend: an idle agent answers a new message at once (messages fill idle time);
//! a freed agent takes, in order, (1) an *urgent* message, one whose deadline is within the
//! type's `urgent_before`, earliest deadline first; (2) the calls and other work of its
//! priority groups; (3) overflowed calls; (4) any other message, earliest deadline first.
//! Its response time runs from the message to the answer sent (the end of the agent's
//! conversation). A customer may send one reminder while the message is unanswered.
//!
//! A **chat** waits on the line like a call and abandons like one, but an agent holds up to
//! the team's `chat_concurrency` chats at once. A new chat goes first to an agent already
//! chatting with a free slot (the one who started chatting first), then to an idle agent;
//! an agent who ends a chat and still holds others takes the oldest waiting chat. Each chat
//! already held when a chat starts lengthens its handle time by `chat_slowdown`.

use super::events::Event;
use super::ticket::{State, TicketId, Work};
use super::{Centre, Step};
use crate::scenario::Channel;
use rand::RngExt;

impl Centre<'_> {
    /// The message of `ticket` reaches the centre (its contact already counted): an idle
    /// agent answers it at once, else it waits in its type's message queue.
    #[cold]
    #[inline(never)]
    pub(super) fn message_arrives(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        let ty = t.ticket_type as usize;
        let rule = self.s.ticket_types[ty]
            .message
            .expect("a message type has its rule");
        t.work = Work::Message;
        t.state = State::Pending;
        t.written = true;
        // The customer knows the promise: the wait is not uncertain.
        t.informed = true;
        t.queued_on_arrival = false;
        let (generation, attempt) = (t.generation, t.attempt);
        let due = now + rule.promise;
        self.stats.message_received(now);
        self.note(now, ticket, |_| Step::Writes { attempt, due });
        if let Some(r) = rule.reminder
            && self.rng.reminder.random::<f64>() < r.probability
        {
            self.calendar
                .schedule(now + r.after, Event::Reminder { ticket, generation });
        }
        for i in 0..self.teams_for_type[ty].len() {
            let k = self.teams_for_type[ty][i];
            if let Some(agent) = self.teams[k].idle.pop_front() {
                self.note(now, ticket, |_| Step::MessageTaken {
                    team: k,
                    waited: 0.0,
                });
                self.start_work(now, ticket, k, agent);
                return;
            }
        }
        let q = self.queues.message(ty);
        self.tickets.get_mut(ticket).queue = q;
        self.push(q, ticket, generation, due);
        self.messages_waiting += 1;
        self.stats.message_backlog(now, self.messages_waiting);
    }

    /// Agent `agent` of team `k` takes the waiting message of `ticket` (already out of its
    /// queue).
    #[cold]
    #[inline(never)]
    pub(super) fn take_message_item(&mut self, now: f64, ticket: TicketId, k: usize, agent: u32) {
        let arrival = self.tickets.get(ticket).arrival;
        self.messages_waiting -= 1;
        self.stats.message_waited(arrival, now);
        self.note(now, ticket, |_| Step::MessageTaken {
            team: k,
            waited: now - arrival,
        });
        self.start_work(now, ticket, k, agent);
    }

    /// A free agent of team `k` takes the waiting message with the earliest deadline, only
    /// among the urgent ones when `urgent_only`. Returns whether there was one.
    #[cold]
    #[inline(never)]
    pub(super) fn take_message(
        &mut self,
        now: f64,
        k: usize,
        agent: u32,
        urgent_only: bool,
    ) -> bool {
        let mut best: Option<(super::QueueId, f64)> = None;
        for i in 0..self.teams[k].messages.len() {
            let (q, margin) = self.teams[k].messages[i];
            if let Some(deadline) = self.live_head(q)
                && (!urgent_only || deadline - margin <= now)
                && best.is_none_or(|(_, d)| deadline < d)
            {
                best = Some((q, deadline));
            }
        }
        let Some((q, _)) = best else {
            return false;
        };
        let item = self.queues[q].items.pop_front().expect("live head exists");
        self.queues[q].live -= 1;
        self.take_message_item(now, item.ticket, k, agent);
        true
    }

    /// The answer to the message of `ticket` is sent at `now` (the end of the conversation):
    /// its response time is recorded and judged against the promise.
    #[cold]
    #[inline(never)]
    pub(super) fn message_answered(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        let ty = t.ticket_type as usize;
        let promise = self.s.ticket_types[ty]
            .message
            .expect("a message type has its rule")
            .promise;
        let response = now - t.arrival;
        let arrival = t.arrival;
        t.add_wait(response, true);
        let day = &mut self.day_waits[ty];
        day.0 += response;
        day.1 += 1;
        let on_time = response <= promise;
        self.stats.message_answered(arrival, response, on_time);
        self.note(now, ticket, |_| Step::MessageAnswered { response, on_time });
    }

    /// The customer of `ticket`, whose message is still unanswered, sends a reminder: a
    /// contact, effort for nothing; the message keeps its place.
    #[cold]
    #[inline(never)]
    pub(super) fn reminder(&mut self, now: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        t.reminders += 1;
        let capped = t.contact();
        let arrival = t.arrival;
        if capped {
            self.contact_cap(now, ticket);
        }
        self.stats.reminder(arrival);
        self.note(now, ticket, |_| Step::Reminds);
    }

    /// Whether `ticket` is a chat that team `k` handles with concurrency.
    #[inline]
    pub(super) fn is_chat(&self, k: usize, ticket: TicketId) -> bool {
        self.teams[k].chat_limit > 0
            && self.channel[self.tickets.get(ticket).ticket_type as usize] == Channel::Chat
    }

    /// [`Centre::start_work`] for a chat of a team with chat concurrency: the same steps,
    /// with the chat counted on the agent and its handle time lengthened by the chats
    /// already held; then the agent's free slots take the chats waiting. Out of line, so
    /// that the conversations of a phone-only centre run the code they always ran (with
    /// one slot, the factor is 1 and nothing is filled: the phone's steps exactly).
    #[cold]
    #[inline(never)]
    pub(super) fn start_chat(&mut self, now: f64, ticket: TicketId, k: usize, agent: u32) {
        let slowdown = self.chat_started(k, agent);
        self.converse(now, ticket, k, agent, slowdown);
        self.fill_chats(now, k, agent);
    }

    /// Whether agent `agent` of team `k` holds chats (its work ending is a chat's).
    #[inline]
    pub(super) fn holds_chats(&self, k: usize, agent: u32) -> bool {
        self.teams[k].chat_limit > 0 && self.teams[k].chats[agent as usize] > 0
    }

    /// Agent `agent` of team `k` starts a chat: one more held (busy from the first); the
    /// chat's handle-time factor, 1 + `chat_slowdown` × the chats already held.
    #[cold]
    #[inline(never)]
    pub(super) fn chat_started(&mut self, k: usize, agent: u32) -> f64 {
        let team = &mut self.teams[k];
        let a = agent as usize;
        let n = team.chats[a] + 1;
        team.chats[a] = n;
        if n == 1 {
            team.busy += 1;
            if team.chat_limit > 1 {
                team.chatting.push_back(agent);
            }
        } else if n == team.chat_limit {
            team.chatting.retain(|&x| x != agent);
        }
        1.0 + team.chat_slowdown * f64::from(n - 1)
    }

    /// Agent `agent` of team `k` ended a chat (and its after-chat work). Returns `true`
    /// when the agent still holds chats (and took the oldest waiting one if it may),
    /// `false` when it holds none and is free like any agent.
    #[cold]
    #[inline(never)]
    pub(super) fn chat_ended(&mut self, now: f64, k: usize, agent: u32) -> bool {
        let team = &mut self.teams[k];
        let a = agent as usize;
        let n = team.chats[a] - 1;
        team.chats[a] = n;
        if n == 0 {
            team.chatting.retain(|&x| x != agent);
            return false;
        }
        if n + 1 == team.chat_limit {
            team.chatting.push_back(agent);
        }
        self.fill_chats(now, k, agent);
        true
    }

    /// Agent `agent` of team `k`, holding chats with a slot free, takes the oldest waiting
    /// chats until its slots are full or none waits; not past its shift or the closing.
    #[cold]
    #[inline(never)]
    pub(super) fn fill_chats(&mut self, now: f64, k: usize, agent: u32) {
        loop {
            let team = &self.teams[k];
            let n = team.chats[agent as usize];
            if n == 0 || n >= team.chat_limit || team.present > team.target || !self.open {
                return;
            }
            let mut best: Option<(super::QueueId, f64)> = None;
            for i in 0..self.teams[k].chat_queues.len() {
                let q = self.teams[k].chat_queues[i];
                if let Some(rank) = self.live_head(q)
                    && best.is_none_or(|(_, r)| rank < r)
                {
                    best = Some((q, rank));
                }
            }
            let Some((q, _)) = best else {
                return;
            };
            let item = self.queues[q].items.pop_front().expect("live head exists");
            self.queues[q].live -= 1;
            self.take_item(now, item.ticket, k, agent);
        }
    }

    /// A new chat of type `ty` finds an agent of a team serving it who already chats and
    /// has a slot free (not past the shift): answered at once. Returns whether it did.
    #[cold]
    #[inline(never)]
    pub(super) fn chat_at_once(&mut self, now: f64, ticket: TicketId, ty: usize) -> bool {
        for i in 0..self.teams_for_type[ty].len() {
            let k = self.teams_for_type[ty][i];
            let team = &self.teams[k];
            if team.chat_limit < 2 || team.present > team.target {
                continue;
            }
            if let Some(&agent) = team.chatting.front() {
                self.answered_at_once(now, ticket, ty, k, agent);
                return true;
            }
        }
        false
    }
}
