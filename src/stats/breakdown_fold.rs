//! `breakdown.csv` across replications: each replication's figures per team and per type,
//! and its figures per day (summed from its interval cells), folded in replication order
//! into a `Moments` per group and metric.
//!
//! The days are capped: only the first [`DAY_CAP`] days of a run (days 0 to 365) get rows,
//! so that memory does not grow with the horizon (a run can have millions of days).

use super::breakdown::{
    CHANNEL_METRICS, CUSTOMER_METRICS, DAY_METRICS, TEAM_METRICS, TYPE_METRICS,
};
use super::intervals::{IntervalStats, ratio};
use super::result::ReplicationResult;
use super::summary::{Estimate, Moments};

/// Days of a run that get rows in `breakdown.csv`: days 0 to 365, a year and a day.
pub const DAY_CAP: usize = 366;

/// Calls and times of one day, summed over its interval cells.
#[derive(Debug, Clone, Copy, Default)]
struct DaySums {
    offered: u64,
    made_while_closed: u64,
    answered: u64,
    abandoned: u64,
    rejected: u64,
    disconnected: u64,
    settled: u64,
    short_abandoned: u64,
    within_sl: u64,
    in_time: u64,
    wait_sum: f64,
    busy: f64,
    staffed: f64,
    csat_sum: f64,
    csat_n: u64,
}

impl DaySums {
    fn add(&mut self, c: &IntervalStats) {
        self.offered += u64::from(c.offered);
        self.made_while_closed += u64::from(c.closed_before) + u64::from(c.closed_after);
        self.answered += u64::from(c.answered);
        self.abandoned += u64::from(c.abandoned);
        self.rejected += u64::from(c.rejected);
        self.disconnected += u64::from(c.closed);
        self.settled += u64::from(c.settled);
        self.short_abandoned += u64::from(c.short_abandoned);
        self.within_sl += u64::from(c.within_sl);
        self.in_time += u64::from(c.in_time);
        self.wait_sum += c.wait_sum;
        self.busy += c.busy_time;
        self.staffed += c.staffed_time;
        self.csat_sum += c.csat_sum;
        self.csat_n += u64::from(c.csat_n);
    }

    fn values(&self, busyness: f64) -> [f64; DAY_METRICS.len()] {
        let all = (self.offered + self.made_while_closed) as f64;
        let share = |n: u64| ratio(n as f64, all);
        [
            all,
            share(self.answered),
            share(self.abandoned),
            share(self.rejected),
            share(self.disconnected + self.made_while_closed),
            ratio(
                self.within_sl as f64,
                (self.settled - self.short_abandoned) as f64,
            ),
            ratio((self.within_sl + self.in_time) as f64, self.offered as f64),
            ratio(self.wait_sum, self.settled as f64),
            ratio(self.busy, self.staffed),
            ratio(self.csat_sum, self.csat_n as f64),
            busyness,
        ]
    }
}

/// One replication's figures per day, in the order of [`DAY_METRICS`]: (day, values) for
/// each day with a reported interval, days 0 to [`DAY_CAP`] − 1 only.
pub fn day_values(r: &ReplicationResult) -> Vec<(usize, [f64; DAY_METRICS.len()])> {
    let per_day = r.breakdown.per_day.max(1);
    let busyness = |d: usize| r.busyness.get(d).copied().unwrap_or(1.0);
    let mut out = Vec::new();
    let mut current: Option<(usize, DaySums)> = None;
    for (i, c) in r.intervals.iter().enumerate() {
        let day = (r.first_interval + i) / per_day;
        if day >= DAY_CAP {
            break;
        }
        match current.as_mut() {
            Some((d, sums)) if *d == day => sums.add(&c),
            _ => {
                if let Some((d, sums)) = current.take() {
                    out.push((d, sums.values(busyness(d))));
                }
                let mut sums = DaySums::default();
                sums.add(&c);
                current = Some((day, sums));
            }
        }
    }
    if let Some((d, sums)) = current {
        out.push((d, sums.values(busyness(d))));
    }
    out
}

/// The figures per team, type and day of a run, folded replication by replication.
#[derive(Debug, Clone, Default)]
pub struct BreakdownFold {
    teams: Vec<[Moments; TEAM_METRICS.len()]>,
    types: Vec<[Moments; TYPE_METRICS.len()]>,
    channels: Vec<[Moments; CHANNEL_METRICS.len()]>,
    customers: Vec<[Moments; CUSTOMER_METRICS.len()]>,
    /// From the first day with a reported interval, at most [`DAY_CAP`] days.
    days: Vec<[Moments; DAY_METRICS.len()]>,
    first_day: usize,
}

impl BreakdownFold {
    /// Adds the next replication (in replication order).
    pub fn fold(&mut self, r: &ReplicationResult, first: bool) {
        let b = &r.breakdown;
        if first {
            self.teams = vec![[Moments::default(); TEAM_METRICS.len()]; b.teams.len()];
            self.types = vec![[Moments::default(); TYPE_METRICS.len()]; b.types.len()];
            self.channels = vec![[Moments::default(); CHANNEL_METRICS.len()]; b.channels.len()];
            self.customers = vec![[Moments::default(); CUSTOMER_METRICS.len()]; b.customers.len()];
            self.first_day = r.first_interval / b.per_day.max(1);
        }
        for (acc, values) in self.teams.iter_mut().zip(&b.teams) {
            for (m, v) in acc.iter_mut().zip(values) {
                m.push(*v);
            }
        }
        for (acc, values) in self.types.iter_mut().zip(&b.types) {
            for (m, v) in acc.iter_mut().zip(values) {
                m.push(*v);
            }
        }
        for (acc, values) in self.channels.iter_mut().zip(&b.channels) {
            for (m, v) in acc.iter_mut().zip(values) {
                m.push(*v);
            }
        }
        for (acc, values) in self.customers.iter_mut().zip(&b.customers) {
            for (m, v) in acc.iter_mut().zip(values) {
                m.push(*v);
            }
        }
        for (day, values) in day_values(r) {
            let Some(k) = day.checked_sub(self.first_day) else {
                continue;
            };
            while self.days.len() <= k {
                self.days.push([Moments::default(); DAY_METRICS.len()]);
            }
            for (m, v) in self.days[k].iter_mut().zip(values) {
                m.push(v);
            }
        }
    }

    /// Team `k`'s estimates, in [`TEAM_METRICS`] order (empty past the last team).
    pub fn team(&self, k: usize) -> Vec<Estimate> {
        self.teams
            .get(k)
            .map_or(Vec::new(), |a| a.iter().map(Moments::estimate).collect())
    }

    /// Type `k`'s estimates, in [`TYPE_METRICS`] order (empty past the last type).
    pub fn ticket_type(&self, k: usize) -> Vec<Estimate> {
        self.types
            .get(k)
            .map_or(Vec::new(), |a| a.iter().map(Moments::estimate).collect())
    }

    /// Channel `k`'s estimates (in the order of the channels used), in [`CHANNEL_METRICS`]
    /// order (empty past the last).
    pub fn channel(&self, k: usize) -> Vec<Estimate> {
        self.channels
            .get(k)
            .map_or(Vec::new(), |a| a.iter().map(Moments::estimate).collect())
    }

    /// The population's estimates, in [`CUSTOMER_METRICS`] order (empty without one).
    pub fn customers(&self) -> Vec<Estimate> {
        self.customers
            .first()
            .map_or(Vec::new(), |a| a.iter().map(Moments::estimate).collect())
    }

    /// Each day with rows: (day, estimates in [`DAY_METRICS`] order).
    pub fn days(&self) -> impl Iterator<Item = (usize, Vec<Estimate>)> + '_ {
        self.days.iter().enumerate().map(|(k, a)| {
            (
                self.first_day + k,
                a.iter().map(Moments::estimate).collect(),
            )
        })
    }
}
