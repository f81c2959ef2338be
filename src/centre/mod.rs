//! The simulated centre: callers arrive, wait in queues, abandon, redial, and are answered
//! by agents of teams whose size follows a staffing profile.

mod arrivals;
mod callers;
mod teams;

use crate::engine::{Calendar, Purpose, Stream, stream};
use crate::scenario::{Sampler, Scenario};
use crate::stats::{Collector, ReplicationResult};
use arrivals::ArrivalProcess;
use callers::{Caller, Callers, State};
use rand::RngExt;
use std::collections::VecDeque;
use teams::TeamState;

const DAY: f64 = 86_400.0;

/// Something that happens at a point of simulated time.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A new ticket's first call.
    NewTicket,
    /// A caller who left calls again.
    Retry { caller: u32, generation: u32 },
    /// A waiting caller's patience runs out (stale if the caller was answered).
    Abandon { caller: u32, generation: u32 },
    /// An agent finishes a call.
    Done { team: u32, agent: u32, caller: u32 },
    /// An interval edge: staffing may change.
    Shift,
}

/// A queue entry: the caller and the generation it was queued under.
#[derive(Debug, Clone, Copy)]
struct Queued {
    caller: u32,
    generation: u32,
}

/// One replication's world.
struct Centre<'a> {
    s: &'a Scenario,
    calendar: Calendar<Event>,
    arrivals: ArrivalProcess,
    type_rng: Stream,
    handle_rng: Stream,
    patience_rng: Stream,
    redial_rng: Stream,
    redial_delay_rng: Stream,
    redial_patience_rng: Stream,
    type_cdf: Vec<f64>,
    handle: Vec<Sampler>,
    patience: Vec<Option<Sampler>>,
    redial_delay: Option<Sampler>,
    callers: Callers,
    queues: Vec<VecDeque<Queued>>,
    queued: u32,
    teams: Vec<TeamState>,
    teams_for_type: Vec<Vec<usize>>,
    stats: Collector,
    events: u64,
}

/// Runs replication `replication` (0-based) of a scenario.
pub fn simulate(s: &Scenario, replication: u32) -> ReplicationResult {
    let mut c = Centre::new(s, replication);
    c.run();
    c.finish(replication)
}

impl<'a> Centre<'a> {
    fn new(s: &'a Scenario, replication: u32) -> Self {
        let r = u64::from(replication);
        let seed = s.simulation.seed;
        let mut acc = 0.0;
        let type_cdf = s
            .ticket_types
            .iter()
            .map(|t| {
                acc += t.share;
                acc
            })
            .collect();
        let priorities: Vec<i32> = s.ticket_types.iter().map(|t| t.priority).collect();
        let teams_for_type = (0..s.ticket_types.len())
            .map(|ty| {
                (0..s.teams.len())
                    .filter(|&k| s.teams[k].serves.contains(&ty))
                    .collect()
            })
            .collect();
        Self {
            s,
            calendar: Calendar::new(),
            arrivals: ArrivalProcess::new(s, stream(seed, r, Purpose::Arrivals)),
            type_rng: stream(seed, r, Purpose::TicketType),
            handle_rng: stream(seed, r, Purpose::HandleTime),
            patience_rng: stream(seed, r, Purpose::Patience),
            redial_rng: stream(seed, r, Purpose::RedialDecision),
            redial_delay_rng: stream(seed, r, Purpose::RedialDelay),
            redial_patience_rng: stream(seed, r, Purpose::RedialPatience),
            type_cdf,
            handle: s
                .ticket_types
                .iter()
                .map(|t| t.handle_time.sampler())
                .collect(),
            patience: s
                .ticket_types
                .iter()
                .map(|t| t.patience.as_ref().map(|d| d.sampler()))
                .collect(),
            redial_delay: s.entry.redial.as_ref().map(|r| r.delay.sampler()),
            callers: Callers::default(),
            queues: vec![VecDeque::new(); s.ticket_types.len()],
            queued: 0,
            teams: s
                .teams
                .iter()
                .map(|t| TeamState::new(t, &priorities))
                .collect(),
            teams_for_type,
            stats: Collector::new(s),
            events: 0,
        }
    }

    fn run(&mut self) {
        let horizon = self.s.simulation.horizon;
        self.apply_staffing(0.0);
        self.schedule_next_shift(0.0);
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule(t, Event::NewTicket);
        }
        while let Some((now, event)) = self.calendar.pop() {
            if now >= horizon {
                break;
            }
            self.events += 1;
            let (busy, present) = self.agent_totals();
            self.stats.advance(now, busy, present, self.queued);
            match event {
                Event::NewTicket => self.new_ticket(now),
                Event::Retry { caller, generation } => {
                    if self.callers.is(caller, generation, State::Away) {
                        self.arrive(now, caller);
                    }
                }
                Event::Abandon { caller, generation } => {
                    if self.callers.is(caller, generation, State::Waiting) {
                        self.abandon(now, caller);
                    }
                }
                Event::Done {
                    team,
                    agent,
                    caller,
                } => self.done(now, team as usize, agent, caller),
                Event::Shift => {
                    self.apply_staffing(now);
                    self.schedule_next_shift(now);
                }
            }
        }
        let (busy, present) = self.agent_totals();
        self.stats.advance(horizon, busy, present, self.queued);
    }

    fn finish(self, replication: u32) -> ReplicationResult {
        let open = self
            .callers
            .live()
            .filter(|c| c.state == State::Waiting && self.stats.counts(c.arrival))
            .count() as u64;
        self.stats.finish(replication, open, self.events)
    }

    #[inline]
    fn agent_totals(&self) -> (u32, u32) {
        if let [t] = self.teams.as_slice() {
            return (t.busy, t.present);
        }
        self.teams
            .iter()
            .fold((0, 0), |(b, p), t| (b + t.busy, p + t.present))
    }

    /// Agents wanted on shift for team `k` at time `t`.
    fn staffing_at(&self, k: usize, t: f64) -> u32 {
        let tod = t - (t / DAY).floor() * DAY;
        let day = &self.s.day;
        if tod < day.open || tod >= day.close {
            return 0;
        }
        let i = ((tod - day.open) / day.interval) as usize;
        let staffing = &self.s.teams[k].staffing;
        staffing[i.min(staffing.len() - 1)]
    }

    fn apply_staffing(&mut self, now: f64) {
        // Evaluate a hair inside the interval so an edge computed with rounding error
        // still selects the interval that starts here.
        let probe = now + 1e-6;
        for k in 0..self.teams.len() {
            let target = self.staffing_at(k, probe);
            let joined = self.teams[k].set_target(target);
            for _ in 0..joined {
                if let Some(agent) = self.teams[k].idle.pop()
                    && !self.take_work(now, k, agent)
                {
                    self.teams[k].idle.push(agent);
                    break;
                }
            }
        }
    }

    /// Schedules the next interval edge (or opening/closing time) after `now`,
    /// unless every team's staffing is constant around the clock.
    fn schedule_next_shift(&mut self, now: f64) {
        let day = &self.s.day;
        let constant = day.open == 0.0
            && day.close == DAY
            && self
                .s
                .teams
                .iter()
                .all(|t| t.staffing.iter().all(|a| *a == t.staffing[0]));
        if constant {
            return;
        }
        let base = (now / DAY).floor() * DAY;
        let tod = now - base;
        let next = if tod < day.open - 1e-6 {
            base + day.open
        } else if tod >= day.close - 1e-6 {
            base + DAY + day.open
        } else {
            let i = ((tod - day.open + 1e-6) / day.interval).floor() + 1.0;
            (base + day.open + i * day.interval).min(base + day.close)
        };
        if next < self.s.simulation.horizon {
            self.calendar.schedule(next, Event::Shift);
        }
    }

    fn new_ticket(&mut self, now: f64) {
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule(t, Event::NewTicket);
        }
        // Drawn for every ticket in arrival order, whatever happens to it, so that
        // scenarios sharing a seed see the same customers.
        let u: f64 = self.type_rng.random();
        let ty = self
            .type_cdf
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.type_cdf.len() - 1);
        let handle = self.handle[ty].sample(&mut self.handle_rng);
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.patience_rng));
        let id = self.callers.insert(Caller {
            ticket_type: ty as u32,
            attempt: 0,
            generation: 0,
            state: State::Away,
            queued_on_arrival: false,
            arrival: now,
            handle,
        });
        self.arrive_with_patience(now, id, patience);
    }

    fn arrive(&mut self, now: f64, id: u32) {
        let ty = self.callers.get(id).ticket_type as usize;
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.redial_patience_rng));
        self.arrive_with_patience(now, id, patience);
    }

    /// A call of caller `id` reaches the centre: answered at once, or queued.
    fn arrive_with_patience(&mut self, now: f64, id: u32, patience: Option<f64>) {
        let c = self.callers.get_mut(id);
        c.attempt += 1;
        c.arrival = now;
        let redial = c.attempt > 1;
        let ty = c.ticket_type as usize;
        self.stats.offered(now, redial);
        for i in 0..self.teams_for_type[ty].len() {
            let k = self.teams_for_type[ty][i];
            if let Some(agent) = self.teams[k].idle.pop() {
                self.callers.get_mut(id).queued_on_arrival = false;
                self.answer(now, id, k, agent);
                return;
            }
        }
        let c = self.callers.get_mut(id);
        c.state = State::Waiting;
        c.queued_on_arrival = true;
        let generation = c.generation;
        self.queues[ty].push_back(Queued {
            caller: id,
            generation,
        });
        self.queued += 1;
        if let Some(p) = patience {
            self.calendar.schedule(
                now + p,
                Event::Abandon {
                    caller: id,
                    generation,
                },
            );
        }
    }

    fn answer(&mut self, now: f64, id: u32, k: usize, agent: u32) {
        let team = &mut self.teams[k];
        team.busy += 1;
        let c = self.callers.get_mut(id);
        c.state = State::InService;
        let wait = now - c.arrival;
        let end = now + c.handle * team.speed;
        self.stats
            .settled(c.arrival, wait, true, c.queued_on_arrival);
        self.calendar.schedule(
            end,
            Event::Done {
                team: k as u32,
                agent,
                caller: id,
            },
        );
    }

    fn abandon(&mut self, now: f64, id: u32) {
        let c = *self.callers.get(id);
        self.queued -= 1;
        self.stats.settled(c.arrival, now - c.arrival, false, true);
        // The queue entry stays behind and is skipped as stale once the generation moves on.
        let again = match &self.s.entry.redial {
            Some(r) => self.redial_rng.random::<f64>() < r.probability(c.attempt),
            None => false,
        };
        if again {
            let delay = self
                .redial_delay
                .as_ref()
                .map_or(0.0, |d| d.sample(&mut self.redial_delay_rng));
            let c = self.callers.get_mut(id);
            c.state = State::Away;
            c.generation = c.generation.wrapping_add(1);
            let generation = c.generation;
            self.calendar.schedule(
                now + delay,
                Event::Retry {
                    caller: id,
                    generation,
                },
            );
        } else {
            self.callers.remove(id);
        }
    }

    fn done(&mut self, now: f64, k: usize, agent: u32, id: u32) {
        self.callers.remove(id);
        if self.teams[k].release(agent) && !self.take_work(now, k, agent) {
            self.teams[k].idle.push(agent);
        }
    }

    /// A free agent of team `k` takes the next waiting caller: highest priority first,
    /// then the one who has waited longest. Returns whether there was one.
    fn take_work(&mut self, now: f64, k: usize, agent: u32) -> bool {
        for g in 0..self.teams[k].types_by_priority.len() {
            let mut best: Option<(usize, f64)> = None;
            for i in 0..self.teams[k].types_by_priority[g].len() {
                let ty = self.teams[k].types_by_priority[g][i];
                if let Some(arrival) = self.live_head(ty)
                    && best.is_none_or(|(_, a)| arrival < a)
                {
                    best = Some((ty, arrival));
                }
            }
            if let Some((ty, _)) = best {
                let q = self.queues[ty].pop_front().expect("live head exists");
                self.queued -= 1;
                self.answer(now, q.caller, k, agent);
                return true;
            }
        }
        false
    }

    /// Drops stale entries at the head of a queue; returns the arrival time of the live head.
    #[inline]
    fn live_head(&mut self, ty: usize) -> Option<f64> {
        while let Some(q) = self.queues[ty].front() {
            if self.callers.is(q.caller, q.generation, State::Waiting) {
                return Some(self.callers.get(q.caller).arrival);
            }
            self.queues[ty].pop_front();
        }
        None
    }
}
