//! Building one replication's world from a scenario: the teams and the queues each takes
//! work from, the samplers of every duration, the streams, the empty ticket store.

use super::appointments::Book;
use super::arrivals::{ArrivalProcess, DayFactors};
use super::queues::{QueueId, Queues};
use super::streams::Streams;
use super::teams::TeamState;
use super::ticket::Tickets;
use super::{Centre, TicketLog};
use crate::engine::{Calendar, Purpose, stream};
use crate::satisfaction::WordOfMouth;
use crate::scenario::DAY;
use crate::scenario::{CallbackKind, Channel, Scenario, Unresolved};
use crate::stats::Collector;

impl<'a> Centre<'a> {
    /// Replication `replication` of `s`, before time 0, handing closed tickets to `log`.
    pub(super) fn new(s: &'a Scenario, replication: u32, log: Option<TicketLog<'a>>) -> Self {
        let r = u64::from(replication);
        let seed = s.simulation.seed;
        let types = s.ticket_types.len();
        let mut acc = 0.0;
        let type_cdf = s
            .ticket_types
            .iter()
            .map(|t| {
                acc += t.share;
                acc
            })
            .collect();
        let cumulative = |shares: &[f64]| -> Vec<f64> {
            shares
                .iter()
                .scan(0.0, |acc, s| {
                    *acc += s;
                    Some(*acc)
                })
                .collect()
        };
        let type_cdfs = s
            .arrivals
            .type_mix
            .iter()
            .map(|day| day.iter().map(|m| cumulative(m)).collect())
            .collect();
        // The teams serving each type, best level first (file order among equal levels).
        let teams_for_type: Vec<Vec<usize>> = (0..types)
            .map(|ty| {
                let mut ks: Vec<usize> = (0..s.teams.len())
                    .filter(|&k| s.teams[k].serves.contains(&ty))
                    .collect();
                ks.sort_by_key(|&k| s.teams[k].level(ty));
                ks
            })
            .collect();
        // Who may answer a new call at once: those, then a secondary team that may take the
        // type's calls after no wait.
        let answer_at_once: Vec<Vec<usize>> = (0..types)
            .map(|ty| {
                let mut ks = teams_for_type[ty].clone();
                if let Some(o) = s.ticket_types[ty].overflow
                    && o.after == 0.0
                {
                    ks.push(o.team);
                }
                ks
            })
            .collect();
        let callback = s.entry.callback.as_ref();
        let queues = Queues::new(types, s.teams.len());
        let teams: Vec<TeamState> = s
            .teams
            .iter()
            .enumerate()
            .map(|(k, team)| {
                let mut takes_from: Vec<(QueueId, i32, u8)> = Vec::new();
                let mut messages = Vec::new();
                let mut chat_queues = Vec::new();
                for (&ty, &level) in team.serves.iter().zip(&team.levels) {
                    let t = &s.ticket_types[ty];
                    match (t.channel, t.message) {
                        // Messages wait in their own queue, outside the priority groups.
                        (Channel::Message, Some(m)) => {
                            messages.push((queues.message(ty), m.urgent_before));
                            continue;
                        }
                        (Channel::Chat, _) => chat_queues.push(queues.inbound(ty)),
                        _ => {}
                    }
                    takes_from.push((queues.inbound(ty), t.priority, level));
                }
                // Entry callbacks of a type wait in their own queue, taken by the dedicated
                // callback team if there is one, else by the teams serving the type, at the
                // type's priority plus the callback's.
                if let Some(cb) = callback {
                    let takes: Vec<usize> = match cb.team {
                        Some(t) if t == k => (0..types).collect(),
                        Some(_) => Vec::new(),
                        None => team.serves.clone(),
                    };
                    for ty in takes {
                        takes_from.push((
                            queues.callback(ty),
                            s.ticket_types[ty].priority.saturating_add(cb.priority),
                            team.level(ty),
                        ));
                    }
                }
                // Under priority routing, transfers and promised callbacks come before
                // new calls (the customer already spoke to the centre); validation keeps
                // user priorities far below this.
                takes_from.push((queues.team(k), i32::MAX, 1));
                let overflow = (0..types)
                    .filter_map(|ty| {
                        let t = &s.ticket_types[ty];
                        let o = t.overflow.filter(|o| o.team == k)?;
                        Some((queues.inbound(ty), t.priority, o.after))
                    })
                    .collect();
                let mut state = TeamState::new(team, &takes_from, overflow);
                state.blends = !messages.is_empty() || team.has_proactive();
                state.messages = messages;
                if !chat_queues.is_empty() {
                    state.chat_limit = team.chat_concurrency;
                    state.chat_queues = chat_queues;
                }
                state
            })
            .collect();
        let mean_handle = s
            .teams
            .iter()
            .map(|team| {
                let (mut work, mut weight) = (0.0, 0.0);
                for &ty in &team.serves {
                    let t = &s.ticket_types[ty];
                    work += t.share * t.mean_work() * team.talk_speed();
                    weight += t.share;
                }
                if weight > 0.0 { work / weight } else { 0.0 }
            })
            .collect();
        let unresolved_delay = s
            .teams
            .iter()
            .map(|t| match &t.unresolved {
                Unresolved::CustomerCallsAgain(r) => r.delay.sampler(),
                Unresolved::Escalate { transfer_delay, .. } => transfer_delay.sampler(),
                Unresolved::AgentCallback { delay, .. } => delay.sampler(),
            })
            .collect();
        let broken_delay = s
            .teams
            .iter()
            .map(|t| match &t.unresolved {
                Unresolved::AgentCallback { call_again, .. } => Some(call_again.delay.sampler()),
                _ => None,
            })
            .collect();
        let book = match callback.map(|cb| &cb.kind) {
            Some(CallbackKind::Appointment {
                slot_length,
                slots_per_interval,
                booking_horizon,
            }) => Some(Book::new(
                &s.day,
                *slot_length,
                *slots_per_interval,
                *booking_horizon,
            )),
            _ => None,
        };
        let warmup = s.simulation.warmup;
        let start_mark = if warmup > 0.0 { warmup } else { f64::INFINITY };
        let dynamics = &s.satisfaction.dynamics;
        let word_of_mouth = dynamics.word_of_mouth.then(|| WordOfMouth::new(dynamics));
        let proactive = s.teams.iter().any(crate::scenario::Team::has_proactive);
        Self {
            s,
            calendar: Calendar::new(),
            arrivals: ArrivalProcess::new(
                s,
                stream(seed, r, Purpose::Arrivals),
                // With referral, arrivals are drawn for every slot of the capacity.
                word_of_mouth.as_ref().map_or(1.0, WordOfMouth::boost)
                    * s.arrivals.customers.map_or(1.0, |c| c.slots_factor()),
                DayFactors::new(&s.arrivals.busyness, stream(seed, r, Purpose::Busyness)),
            ),
            rng: Streams::new(seed, r),
            // Proactive contacts take the blended path that messages take.
            channels: s.has_channels() || proactive,
            proactive: if proactive {
                vec![std::collections::VecDeque::new(); s.teams.len()]
            } else {
                Vec::new()
            },
            channel: s.ticket_types.iter().map(|t| t.channel).collect(),
            messages_waiting: 0,
            population: s.arrivals.customers.map(|c| {
                let depth = s.teams.iter().any(|t| t.depth.is_some());
                let mut rates =
                    crate::engine::stream(seed, r, crate::engine::Purpose::CustomerRates);
                super::customers::Population::new(&c, depth, s.simulation.horizon, &mut rates)
            }),
            expected: s.ticket_types.iter().map(|t| t.expected_wait).collect(),
            day_waits: vec![(0.0, 0); types],
            next_day: DAY,
            start_mark,
            next_mark: start_mark.min(DAY),
            day_word: (0, 0, 0),
            word_of_mouth,
            type_cdf,
            type_cdfs,
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
            wrap_up: s
                .ticket_types
                .iter()
                .map(|t| t.wrap_up.as_ref().map(|d| d.sampler()))
                .collect(),
            redial_delay: s.entry.redial.as_ref().map(|r| r.delay.sampler()),
            callback_retry: callback.map(|cb| cb.retry_delay.sampler()),
            unresolved_delay,
            broken_delay,
            tickets: Tickets::default(),
            next_ticket: 0,
            queues,
            queued: 0,
            on_hold: 0,
            wrapping: 0,
            open: true,
            plans: vec![None; s.teams.len()],
            plan_day: usize::MAX,
            open_counted: 0,
            last_close: 0.0,
            closed_delay: s.entry.closed_retry.delay.sampler(),
            teams,
            teams_for_type,
            answer_at_once,
            mean_handle,
            book,
            score_cache: crate::satisfaction::ScoreCache::default(),
            stats: Collector::new(s),
            events: 0,
            log,
            calls: None,
            trace: None,
            observed: false,
            stop_at: s.simulation.horizon,
            instant: (f64::NAN, 0),
            watch: None,
            runaway: None,
        }
    }
}
