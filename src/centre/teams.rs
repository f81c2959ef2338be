//! Teams of agents: who is idle, who is busy, how many should be on shift, which queues
//! they take work from, and how competent each agent is.

use super::queues::QueueId;
use crate::engine::Stream;
use crate::scenario::{Routing, Team};
use rand_distr::{Distribution, Normal};
use std::collections::VecDeque;

/// The live state of one team.
#[derive(Debug, Clone)]
pub struct TeamState {
    /// Idle agents present, by id, longest idle first: the front answers next, an agent
    /// freed or joining goes to the back, and when the team shrinks the most recently idle
    /// (the back) leave first. See "Who answers next" in docs/model.md.
    pub idle: VecDeque<u32>,
    /// Agents talking to a customer.
    pub busy: u32,
    /// Agents present: idle + busy (busy ones past their shift included until they finish).
    pub present: u32,
    /// Agents the staffing profile wants on shift now.
    pub target: u32,
    /// Handle-time multiplier.
    pub speed: f64,
    /// Cost of one agent present for one second.
    pub cost_per_second: f64,
    /// Queues this team takes work from, grouped by skill level (best first), then by
    /// priority (highest first); without skills levels, by priority alone.
    pub queues_by_priority: Vec<Vec<QueueId>>,
    /// Inbound queues of other teams' types that this team takes once their calls have
    /// waited a while: (queue, priority, seconds). Taken after every queue above.
    pub overflow: Vec<(QueueId, i32, f64)>,
    /// Each agent's competence when fully trained, by id.
    pub competence: Vec<f64>,
    /// Contacts each agent has handled, by id.
    pub handled: Vec<u32>,
    /// The message queues of the types it serves, each with its urgency margin (seconds
    /// before the deadline): urgent messages come before every queue above, the others
    /// after them all.
    pub messages: Vec<(QueueId, f64)>,
    /// Whether a free agent blends deferrable work in (messages, proactive contacts):
    /// `take_blended` rather than the queues alone.
    pub blends: bool,

    /// Chats one agent holds at once; 0 when the team serves no chat type.
    pub chat_limit: u32,
    /// Each chat already held lengthens a new chat by this share.
    pub chat_slowdown: f64,
    /// The inbound queues of the chat types it serves.
    pub chat_queues: Vec<QueueId>,
    /// Chats each agent holds now, by id (empty without chat).
    pub chats: Vec<u32>,
    /// Agents holding at least one chat and fewer than `chat_limit`, in the order they
    /// got their first: a new chat goes to the front one before an idle agent.
    pub chatting: VecDeque<u32>,
    next_id: u32,
    off_shift: Vec<u32>,
}

impl TeamState {
    /// A team with nobody on shift yet, taking work from `queues` (queue, priority, skill
    /// level) and, after a wait, from `overflow` (queue, priority, seconds).
    pub fn new(
        team: &Team,
        queues: &[(QueueId, i32, u8)],
        overflow: Vec<(QueueId, i32, f64)>,
    ) -> Self {
        // Groups keyed by (level, priority), best level first, then highest priority; under
        // longest-waiting routing the priority plays no part. With every level 1 (no
        // skills), this is the grouping by priority alone.
        let key = |q: &(QueueId, i32, u8)| match team.routing {
            Routing::LongestWaiting => (q.2, 0),
            Routing::Priority => (q.2, -i64::from(q.1)),
        };
        let mut keys: Vec<(u8, i64)> = queues.iter().map(key).collect();
        keys.sort_unstable();
        keys.dedup();
        let queues_by_priority = keys
            .iter()
            .map(|k| {
                queues
                    .iter()
                    .filter(|q| key(q) == *k)
                    .map(|q| q.0)
                    .collect()
            })
            .collect();
        Self {
            idle: VecDeque::new(),
            busy: 0,
            present: 0,
            target: 0,
            speed: team.talk_speed(),
            cost_per_second: team.cost_per_hour / 3600.0,
            queues_by_priority,
            overflow,
            competence: Vec::new(),
            handled: Vec::new(),
            messages: Vec::new(),
            blends: false,
            chat_limit: 0,
            chat_slowdown: team.chat_slowdown,
            chat_queues: Vec::new(),
            chats: Vec::new(),
            chatting: VecDeque::new(),
            next_id: 0,
            off_shift: Vec::new(),
        }
    }

    /// Sets the wanted number on shift. Returns how many agents joined (now idle, at the
    /// back of the idle queue in joining order); when the team shrinks, idle agents leave at
    /// once, the most recently idle first, and busy ones when they finish.
    /// New agents draw their competence from `spread` (their own stream, in hiring order).
    pub fn set_target(&mut self, target: u32, team: &Team, spread: &mut Stream) -> u32 {
        self.target = target;
        let mut joined = 0;
        while self.present < target {
            let id = match self.off_shift.pop() {
                Some(id) => id,
                None => {
                    self.next_id += 1;
                    let c = if team.competence_spread > 0.0 {
                        let n = Normal::new(team.competence, team.competence_spread)
                            .expect("validated spread");
                        n.sample(spread).clamp(0.0, 1.0)
                    } else {
                        team.competence
                    };
                    self.competence.push(c);
                    self.handled.push(0);
                    if self.chat_limit > 0 {
                        self.chats.push(0);
                    }
                    self.next_id - 1
                }
            };
            self.idle.push_back(id);
            self.present += 1;
            joined += 1;
        }
        while self.present > target {
            match self.idle.pop_back() {
                Some(id) => {
                    self.off_shift.push(id);
                    self.present -= 1;
                }
                None => break,
            }
        }
        joined
    }

    /// The competence of `agent` now, after the learning curve.
    pub fn competence_of(&self, agent: u32, team: &Team) -> f64 {
        let full = self.competence[agent as usize];
        match &team.learning {
            None => full,
            Some(l) => {
                let n = f64::from(self.handled[agent as usize]);
                full - (full - l.initial) * 0.5_f64.powf(n / l.half_life)
            }
        }
    }

    /// An agent finished a contact. Returns `true` if the agent stays on shift (and is
    /// now free for work), `false` if the shift was over and the agent left.
    #[inline]
    pub fn release(&mut self, agent: u32) -> bool {
        self.busy -= 1;
        if self.present > self.target {
            self.present -= 1;
            self.off_shift.push(agent);
            false
        } else {
            true
        }
    }
}
