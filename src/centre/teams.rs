//! Teams of agents: who is idle, who is busy, and how many should be on shift.

use crate::scenario::Team;

/// The live state of one team.
#[derive(Debug, Clone)]
pub struct TeamState {
    /// Idle agents present, by id (a stack: the last freed is the next to answer).
    pub idle: Vec<u32>,
    /// Agents talking to a caller.
    pub busy: u32,
    /// Agents present: idle + busy (busy ones past their shift included until they finish).
    pub present: u32,
    /// Agents the staffing profile wants on shift now.
    pub target: u32,
    /// Handle-time multiplier.
    pub speed: f64,
    /// Ticket types served, grouped by priority, highest first.
    pub types_by_priority: Vec<Vec<usize>>,
    next_id: u32,
    off_shift: Vec<u32>,
}

impl TeamState {
    /// A team with nobody on shift yet.
    pub fn new(team: &Team, priorities: &[i32]) -> Self {
        let mut prios: Vec<i32> = team.serves.iter().map(|&t| priorities[t]).collect();
        prios.sort_unstable_by(|a, b| b.cmp(a));
        prios.dedup();
        let types_by_priority = prios
            .iter()
            .map(|p| {
                team.serves
                    .iter()
                    .copied()
                    .filter(|&t| priorities[t] == *p)
                    .collect()
            })
            .collect();
        Self {
            idle: Vec::new(),
            busy: 0,
            present: 0,
            target: 0,
            speed: team.speed,
            types_by_priority,
            next_id: 0,
            off_shift: Vec::new(),
        }
    }

    /// Sets the wanted number on shift. Returns how many agents joined (now idle);
    /// when the team shrinks, idle agents leave at once and busy ones when they finish.
    pub fn set_target(&mut self, target: u32) -> u32 {
        self.target = target;
        let mut joined = 0;
        while self.present < target {
            let id = self.off_shift.pop().unwrap_or_else(|| {
                self.next_id += 1;
                self.next_id - 1
            });
            self.idle.push(id);
            self.present += 1;
            joined += 1;
        }
        while self.present > target {
            match self.idle.pop() {
                Some(id) => {
                    self.off_shift.push(id);
                    self.present -= 1;
                }
                None => break,
            }
        }
        joined
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
