//! What one replication observes: counts, waits and time averages, in memory that grows
//! neither with the number of calls nor with the horizon (interval cells beyond a window
//! go to disk, see [`super::cells`]).

mod channels;
mod finish;
mod integrals;
mod outcomes;

pub use finish::{Costs, interval_start};

use super::breakdown::{Durations, MessageAcc, TeamAcc, TypeAcc};
use super::cells::Window;
use super::histogram::WaitHistogram;
use crate::satisfaction::{Score, Term};
use crate::scenario::{DayGrid, Scenario};

/// What the collector needs to know of a ticket that closes or stays open.
#[derive(Debug, Clone, Copy)]
pub struct TicketSummary {
    /// When the ticket was created.
    pub created: f64,
    /// Its ticket type.
    pub ticket_type: u32,
    /// Conversations with an agent.
    pub conversations: u32,
    /// Inbound calls made.
    pub calls: u32,
    /// Outbound calls placed to the customer.
    pub outbound: u32,
}

/// Accumulates one replication's statistics as events happen.
#[derive(Debug)]
pub struct Collector {
    warmup: f64,
    horizon: f64,
    threshold: f64,
    grid: DayGrid,
    offered: u64,
    redials: u64,
    answered: u64,
    abandoned: u64,
    waited: u64,
    within_sl: u64,
    wait_sum: f64,
    answered_wait_sum: f64,
    waits: WaitHistogram,
    last: f64,
    busy_int: f64,
    present_int: f64,
    /// With a roster: the agents scheduled, present, planned and on the phone now.
    roster: Option<[f64; 4]>,
    queue_int: f64,
    /// Seconds of lines in use: callers queued or on hold, agents busy (telephony).
    line_int: f64,
    cost_int: f64,
    rejected: u64,
    balked: u64,
    /// Calls made while closed.
    closed_made: u64,
    /// Calls on the line disconnected at closing time.
    disconnected: u64,
    /// Abandons within `short_abandon`, left out of the service level.
    short_abandoned: u64,
    short_abandon: f64,
    /// Calls that took an entry callback placed within its promise.
    in_time: u64,
    /// Tickets resolved in the conversation of their first call, nothing else before.
    first_call: u64,
    /// Counted tickets still open at the drain cap.
    still_open: u64,
    callbacks_offered: u64,
    callbacks_accepted: u64,
    promises: u64,
    broken: u64,
    predictions: u64,
    prediction_abs_sum: f64,
    prediction_err_sum: f64,
    tickets: u64,
    resolved: u64,
    lost: u64,
    reached_agent: u64,
    first_contact: u64,
    resolved_conversations: u64,
    closed_calls: u64,
    resolution: WaitHistogram,
    goodwill_cost: f64,
    outbound_cost: f64,
    outbound_unit_cost: f64,
    /// `costs.per_call_minute`.
    per_call_minute: f64,
    /// `costs.lost_ticket_value`.
    lost_ticket_value: f64,
    min_wait: f64,
    csat_counts: [u64; 5],
    csat_sum: f64,
    promoters: u64,
    detractors: u64,
    term_sums: [f64; Term::ALL.len()],
    cell: Option<usize>,
    cell_start: f64,
    cell_end: f64,
    /// The stretch of the current cell inside the counted window, `[fast_lo, fast_hi)`
    /// (empty when the cell is closed): an `advance` from and to times within it is the
    /// common case, and needs neither the window's bounds nor the walk over cells.
    fast_lo: f64,
    fast_hi: f64,
    /// The time integrals of the current cell not yet added to it: busy, staffed, and the
    /// four roster levels (added when the cell is left, or at the end).
    pending: [f64; 6],
    /// Day-major intervals of the whole run (cells exist for those reported).
    end: usize,
    cells: Window,
    /// Conversations of counted tickets, all teams together.
    conversations: u64,
    /// Per team (breakdown.csv).
    teams: Vec<TeamAcc>,
    /// Per type (breakdown.csv); empty with a single type, whose figures are the centre's.
    types: Vec<TypeAcc>,
    /// Per type: its own service-level threshold (breakdown.csv), seconds.
    type_threshold: Vec<f64>,
    /// With one team, the waits of the abandoned calls (see `settled`).
    abandoned_waits: Durations,
    /// Per type, its channel, when a type uses a channel other than the phone (else empty).
    channel_of: Vec<crate::scenario::Channel>,
    /// The written messages (`channels.rs`).
    messages: MessageAcc,
    /// The population's size (`arrivals.customers`), 0 without one.
    customers: u32,
    /// Customers who left for good within the window.
    churned: u64,
    /// Customers gained by referral within the window.
    gained: u64,
    /// The population's customers at the horizon.
    stock: u64,
    /// Proactive contacts ended within the window, and their agent-seconds.
    proactive: u64,
    proactive_time: f64,
    /// Tickets a resolution in depth prevented (counted by arrival time).
    prevented: u64,
    /// `costs.lost_customer_value`.
    lost_customer_value: f64,
}

impl Collector {
    /// An empty collector for one replication of `s`.
    pub fn new(s: &Scenario) -> Self {
        let per_day = s.day.intervals();
        let days = s.day.days(s.simulation.horizon);
        Self {
            warmup: s.simulation.warmup,
            horizon: s.simulation.horizon,
            threshold: s.simulation.service_level_threshold,
            grid: s.day.clone(),
            offered: 0,
            redials: 0,
            answered: 0,
            abandoned: 0,
            waited: 0,
            within_sl: 0,
            wait_sum: 0.0,
            answered_wait_sum: 0.0,
            waits: WaitHistogram::new(),
            last: 0.0,
            busy_int: 0.0,
            present_int: 0.0,
            roster: None,
            queue_int: 0.0,
            line_int: 0.0,
            cost_int: 0.0,
            rejected: 0,
            balked: 0,
            closed_made: 0,
            disconnected: 0,
            short_abandoned: 0,
            short_abandon: s.simulation.short_abandon,
            in_time: 0,
            first_call: 0,
            still_open: 0,
            callbacks_offered: 0,
            callbacks_accepted: 0,
            promises: 0,
            broken: 0,
            predictions: 0,
            prediction_abs_sum: 0.0,
            prediction_err_sum: 0.0,
            tickets: 0,
            resolved: 0,
            lost: 0,
            reached_agent: 0,
            first_contact: 0,
            resolved_conversations: 0,
            closed_calls: 0,
            resolution: WaitHistogram::new(),
            goodwill_cost: 0.0,
            outbound_cost: 0.0,
            outbound_unit_cost: s.outbound_call_cost,
            per_call_minute: s.per_call_minute,
            lost_ticket_value: s.lost_ticket_value,
            min_wait: f64::INFINITY,
            csat_counts: [0; 5],
            csat_sum: 0.0,
            promoters: 0,
            detractors: 0,
            term_sums: [0.0; Term::ALL.len()],
            cell: None,
            cell_start: 0.0,
            cell_end: -1.0,
            fast_lo: f64::INFINITY,
            fast_hi: f64::NEG_INFINITY,
            pending: [0.0; 6],
            end: days * per_day,
            cells: Window::new(
                s.day.first_interval_after(s.simulation.warmup),
                s.day
                    .intervals_before(s.simulation.horizon)
                    .min(days * per_day),
                per_day,
                super::cells::window(),
            ),
            conversations: 0,
            channel_of: if s.has_channels() {
                s.ticket_types.iter().map(|t| t.channel).collect()
            } else {
                Vec::new()
            },
            messages: MessageAcc::default(),
            customers: s.arrivals.customers.map_or(0, |c| c.size),
            churned: 0,
            gained: 0,
            stock: 0,
            proactive: 0,
            proactive_time: 0.0,
            prevented: 0,
            lost_customer_value: s.lost_customer_value,
            teams: vec![TeamAcc::default(); s.teams.len()],
            abandoned_waits: Durations::default(),
            type_threshold: s
                .ticket_types
                .iter()
                .map(|t| t.threshold(&s.simulation))
                .collect(),
            types: if s.ticket_types.len() > 1 {
                vec![TypeAcc::default(); s.ticket_types.len()]
            } else {
                Vec::new()
            },
        }
    }

    /// The interval (day-major index) that contains time `t`, or `None` when closed.
    #[inline]
    fn cell_of(&self, t: f64) -> Option<usize> {
        // Most times asked about fall in the cell `advance` located last: no division.
        if t >= self.cell_start && t < self.cell_end {
            return self.cell;
        }
        self.grid.interval_of(t).filter(|&idx| idx < self.end)
    }

    /// Whether a contact arriving at `t` is counted: after the warm-up and before the
    /// horizon (the drain after it observes journeys, it counts no new call).
    #[inline]
    pub fn counts(&self, arrival: f64) -> bool {
        arrival >= self.warmup && arrival < self.horizon
    }

    /// A call was offered at `arrival`.
    #[inline]
    pub fn offered(&mut self, arrival: f64, redial: bool, ty: usize) {
        if !self.counts(arrival) {
            return;
        }
        self.offered += 1;
        if let Some(t) = self.types.get_mut(ty) {
            t.offered += 1;
        }
        self.redials += u64::from(redial);
        if let Some(c) = self.cell_of(arrival) {
            self.cells.update(c, |cell| cell.offered += 1);
        }
    }

    /// A call of type `ty` that arrived at `arrival` left the queue after `wait` seconds,
    /// answered by team `by`, or abandoned (`None`); `waited` tells whether it found no
    /// agent free.
    #[inline]
    pub fn settled(&mut self, arrival: f64, wait: f64, by: Option<usize>, waited: bool, ty: usize) {
        if !self.counts(arrival) {
            return;
        }
        let answered = by.is_some();
        let within = answered && wait <= self.threshold;
        self.waited += u64::from(waited);
        self.wait_sum += wait;
        self.min_wait = self.min_wait.min(wait);
        self.waits.record(wait);
        let short = !answered && wait <= self.short_abandon && self.short_abandon > 0.0;
        if answered {
            self.answered += 1;
            self.answered_wait_sum += wait;
        } else {
            self.abandoned += 1;
            self.short_abandoned += u64::from(short);
        }
        self.within_sl += u64::from(within);
        // One team answers every answered call: its waits are the settled waits less the
        // abandoned ones (taken away at finish), so that the hot path records one wait once.
        match by {
            Some(k) if self.teams.len() > 1 => self.teams[k].waits.record(wait),
            None if self.teams.len() == 1 => self.abandoned_waits.record(wait),
            _ => {}
        }
        if let Some(t) = self.types.get_mut(ty) {
            if answered {
                t.answered += 1;
                t.answered_wait_sum += wait;
            } else {
                t.abandoned += 1;
                t.short_abandoned += u64::from(short);
            }
            t.within_sl += u64::from(answered && wait <= self.type_threshold[ty]);
        }
        if let Some(c) = self.cell_of(arrival) {
            self.cells.update(c, |cell| {
                cell.settled += 1;
                cell.short_abandoned += u32::from(short);
                cell.wait_sum += wait;
                cell.within_sl += u32::from(within);
                if answered {
                    cell.answered += 1;
                } else {
                    cell.abandoned += 1;
                }
            });
        }
    }

    /// A new ticket of type `ty` was created at `t`.
    #[inline]
    pub fn ticket_created(&mut self, t: f64, ty: usize) {
        let counted = u64::from(self.counts(t));
        self.tickets += counted;
        if let Some(a) = self.types.get_mut(ty) {
            a.tickets += counted;
        }
    }

    /// An agent of team `k` started a conversation with the ticket created at `created`.
    #[inline]
    pub fn conversation(&mut self, created: f64, k: usize) {
        if self.counts(created) {
            self.teams[k].conversations += 1;
        }
    }

    /// The ticket created at `created`, on hold after a transfer to team `k`, was answered
    /// after `hold` seconds.
    pub fn hold(&mut self, created: f64, k: usize, hold: f64) {
        if self.counts(created) {
            self.teams[k].holds.record(hold);
        }
    }

    /// An agent of team `k` reached the customer of a callback promised at `promised_at`.
    pub fn callback_reached(&mut self, promised_at: f64, k: usize, now: f64) {
        if self.counts(promised_at) {
            self.teams[k].callbacks.record(now - promised_at);
        }
    }

    /// Team `from` escalated the ticket created at `created` to team `to`.
    pub fn transfer(&mut self, created: f64, from: usize, to: usize) {
        if self.counts(created) {
            self.teams[from].transfers_out += 1;
            self.teams[to].transfers_in += 1;
        }
    }

    /// Team `k`'s backlog was `n` at the start of the counted window.
    pub fn backlog_start(&mut self, k: usize, n: u32) {
        self.teams[k].backlog_start = n;
    }

    /// Team `k`'s backlog was `n` at the midnight `at` (counted when it ends a day of the
    /// window: after the warm-up, at or before the horizon).
    pub fn backlog_day_end(&mut self, k: usize, n: u32, at: f64) {
        if at > self.warmup && at <= self.horizon {
            let t = &mut self.teams[k];
            t.backlog_sum += f64::from(n);
            t.backlog_n += 1;
            t.backlog_max = t.backlog_max.max(n);
            t.backlog_last = (n, at);
            if t.backlog_days.len() < crate::stats::breakdown_fold::DAY_CAP {
                // The midnight `at` ends the day before it.
                let day = (at / crate::scenario::DAY).round() as usize;
                t.backlog_days.push((day.saturating_sub(1), n));
            }
        }
    }

    /// A counted call of type `ty` was still waiting on the line at the drain cap.
    pub fn call_still_waiting(&mut self, ty: usize) {
        if let Some(a) = self.types.get_mut(ty) {
            a.open += 1;
        }
    }

    /// A ticket created at `created` was still open at the drain cap, waiting for or
    /// talking to team `k`.
    pub fn team_still_open(&mut self, created: f64, k: usize) {
        if self.counts(created) {
            self.teams[k].still_open += 1;
        }
    }

    /// A ticket closed at `now`: resolved, or lost for good.
    #[inline]
    pub fn ticket_closed(&mut self, t: TicketSummary, now: f64, resolved: bool) {
        if !self.counts(t.created) {
            return;
        }
        self.closed_calls += u64::from(t.calls);
        self.conversations += u64::from(t.conversations);
        self.reached_agent += u64::from(t.conversations > 0);
        let first_call = t.conversations == 1 && t.calls == 1 && t.outbound == 0;
        if resolved {
            self.resolved += 1;
            self.resolved_conversations += u64::from(t.conversations);
            self.first_contact += u64::from(t.conversations == 1);
            self.first_call += u64::from(first_call);
            self.resolution.record(now - t.created);
        } else {
            self.lost += 1;
        }
        if let Some(a) = self.types.get_mut(t.ticket_type as usize) {
            a.reached_agent += u64::from(t.conversations > 0);
            if resolved {
                a.first_contact += u64::from(t.conversations == 1);
                a.first_call += u64::from(first_call);
                a.resolved_in(now - t.created);
            }
        }
    }

    /// A counted ticket was still open at the drain cap `end`, scored `score` as its
    /// customer judges a problem left unresolved.
    pub fn still_open(&mut self, t: TicketSummary, end: f64, score: &Score) {
        if !self.counts(t.created) {
            return;
        }
        self.still_open += 1;
        self.conversations += u64::from(t.conversations);
        self.reached_agent += u64::from(t.conversations > 0);
        if let Some(a) = self.types.get_mut(t.ticket_type as usize) {
            a.reached_agent += u64::from(t.conversations > 0);
        }
        self.scored(t.created, end, score, t.ticket_type as usize);
    }

    /// A counted ticket of type `ty` created at `created` closed at `now` with `score`.
    pub fn scored(&mut self, created: f64, now: f64, score: &Score, ty: usize) {
        if !self.counts(created) {
            return;
        }
        if let Some(a) = self.types.get_mut(ty) {
            a.csat_sum += f64::from(score.csat);
            a.scored += 1;
            a.promoters += u64::from(score.ltr >= 9);
            a.detractors += u64::from(score.ltr <= 6);
        }
        self.csat_counts[usize::from(score.csat - 1)] += 1;
        self.csat_sum += f64::from(score.csat);
        self.promoters += u64::from(score.ltr >= 9);
        self.detractors += u64::from(score.ltr <= 6);
        for (sum, term) in self.term_sums.iter_mut().zip(score.terms) {
            *sum += term;
        }
        if let Some(c) = self.cell_of(now) {
            self.cells.update(c, |cell| {
                cell.csat_sum += f64::from(score.csat);
                cell.csat_n += 1;
            });
        }
    }

    /// Sets the expected wait and the word-of-mouth factor in effect on day `day`.
    pub fn expectation(&mut self, day: usize, expected_wait: f64, factor: f64) {
        self.cells.expectation(day, expected_wait, factor);
    }
}
