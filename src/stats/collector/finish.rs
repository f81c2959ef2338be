//! Closing a replication: the metrics, the counts and the reported intervals.

use super::Collector;
use crate::scenario::Channel;
use crate::scenario::DayGrid;
use crate::stats::breakdown::{
    Breakdown, CHANNEL_METRICS, Durations, TypeAcc, channel_values, team_values, type_values,
};
use crate::stats::intervals::ratio;
use crate::stats::metrics::Metric;
use crate::stats::result::{Counts, ReplicationResult};

impl Collector {
    /// Closes the replication: `open` counted calls were still waiting at the drain cap,
    /// `drain` seconds after the horizon the last counted ticket closed (or the cap).
    pub fn finish(
        mut self,
        replication: u32,
        open: u64,
        drain: f64,
        events: u64,
    ) -> ReplicationResult {
        self.flush_pending();
        let breakdown = self.breakdown(open);
        let settled = (self.answered + self.abandoned) as f64;
        // Calls that ended: settled in the queue, turned away, balked, or left the line
        // with a callback promise.
        let ended = settled + (self.rejected + self.balked + self.callbacks_accepted) as f64;
        let observed = self.horizon - self.warmup;
        let mut m = [f64::NAN; Metric::COUNT];
        let mut set = |metric: Metric, v: f64| m[metric.index()] = v;
        set(Metric::OfferedContacts, self.offered as f64);
        set(Metric::Redials, self.redials as f64);
        // One account of every offered call: each ends in exactly one of these.
        let offered = self.offered as f64;
        let closed = self.closed_made + self.disconnected;
        for (metric, n) in [
            (Metric::OutcomeAnswered, self.answered),
            (Metric::OutcomeAbandoned, self.abandoned),
            (Metric::OutcomeBalked, self.balked),
            (Metric::OutcomeRejected, self.rejected),
            (Metric::OutcomeClosed, closed),
            (Metric::OutcomeCallback, self.callbacks_accepted),
            (Metric::OutcomeOpen, open),
        ] {
            set(metric, ratio(n as f64, offered));
        }
        let offered_open = (self.offered - self.closed_made) as f64;
        set(
            Metric::Accessibility,
            ratio((self.within_sl + self.in_time) as f64, offered_open),
        );
        set(
            Metric::AccessibilityStrict,
            ratio(self.within_sl as f64, offered_open),
        );
        set(Metric::AnsweredShare, ratio(self.answered as f64, ended));
        set(Metric::AbandonRate, ratio(self.abandoned as f64, settled));
        set(
            Metric::RejectedRate,
            ratio(self.rejected as f64, self.offered as f64),
        );
        set(
            Metric::BalkRate,
            ratio(self.balked as f64, self.offered as f64),
        );
        set(Metric::PWait, ratio(self.waited as f64, settled));
        set(
            Metric::AsaS,
            ratio(self.answered_wait_sum, self.answered as f64),
        );
        set(Metric::WaitMeanS, ratio(self.wait_sum, settled));
        set(Metric::WaitP50S, self.waits.quantile(0.50));
        set(Metric::WaitP90S, self.waits.quantile(0.90));
        set(Metric::WaitP95S, self.waits.quantile(0.95));
        set(Metric::WaitP99S, self.waits.quantile(0.99));
        set(
            Metric::ServiceLevel,
            ratio(self.within_sl as f64, settled - self.short_abandoned as f64),
        );
        set(Metric::Occupancy, ratio(self.busy_int, self.present_int));
        set(Metric::QueueLengthMean, ratio(self.queue_int, observed));
        set(Metric::AgentsStaffedMean, ratio(self.present_int, observed));
        set(Metric::ContactsOpenAtHorizon, open as f64);
        let predictions = self.predictions as f64;
        set(
            Metric::WaitPredictionMaeS,
            ratio(self.prediction_abs_sum, predictions),
        );
        set(
            Metric::WaitPredictionBiasS,
            ratio(self.prediction_err_sum, predictions),
        );
        set(Metric::CallbacksOffered, self.callbacks_offered as f64);
        set(
            Metric::CallbacksAcceptedShare,
            ratio(
                self.callbacks_accepted as f64,
                self.callbacks_offered as f64,
            ),
        );
        set(
            Metric::CallbacksBrokenShare,
            ratio(self.broken as f64, self.promises as f64),
        );
        let tickets = self.tickets as f64;
        let resolved = self.resolved as f64;
        set(Metric::Tickets, tickets);
        set(Metric::ResolvedShare, ratio(resolved, tickets));
        set(Metric::LostShare, ratio(self.lost as f64, tickets));
        set(
            Metric::TicketsOpenAtHorizon,
            (self.tickets - self.resolved - self.lost) as f64,
        );
        set(Metric::DrainS, drain);
        set(
            Metric::FirstCallResolution,
            ratio(self.first_call as f64, tickets),
        );
        set(
            Metric::FcrRate,
            ratio(self.first_contact as f64, self.reached_agent as f64),
        );
        set(
            Metric::ContactsPerTicket,
            ratio(self.resolved_conversations as f64, resolved),
        );
        set(
            Metric::CallsPerTicket,
            ratio(self.closed_calls as f64, (self.resolved + self.lost) as f64),
        );
        set(Metric::ResolutionTimeP50S, self.resolution.quantile(0.50));
        set(Metric::ResolutionTimeP90S, self.resolution.quantile(0.90));
        let costs = self.costs();
        set(Metric::CostPerTicket, ratio(costs.total(), tickets));
        set(
            Metric::CostPerResolvedTicket,
            ratio(costs.total(), resolved),
        );
        set(
            Metric::TelephonyCostPerTicket,
            ratio(costs.telephony, tickets),
        );
        set(Metric::LostValuePerTicket, ratio(costs.lost_value, tickets));
        let scored = self.csat_counts.iter().sum::<u64>() as f64;
        set(Metric::CsatMean, ratio(self.csat_sum, scored));
        set(
            Metric::CsatTop2Box,
            ratio((self.csat_counts[3] + self.csat_counts[4]) as f64, scored),
        );
        set(
            Metric::Nps,
            ratio(
                100.0 * (self.promoters as f64 - self.detractors as f64),
                scored,
            ),
        );
        set(
            Metric::PromotersPer1000,
            ratio(1000.0 * self.promoters as f64, scored),
        );
        set(
            Metric::DetractorsPer1000,
            ratio(1000.0 * self.detractors as f64, scored),
        );
        let drivers = self.term_sums.map(|sum| ratio(sum, scored));
        // Intervals entirely inside the warm-up or past the horizon carry no statistics.
        let counts = Counts {
            offered: self.offered,
            answered: self.answered,
            abandoned: self.abandoned,
            rejected: self.rejected,
            balked: self.balked,
            closed_made: self.closed_made,
            disconnected: self.disconnected,
            callbacks_accepted: self.callbacks_accepted,
            calls_open: open,
            tickets: self.tickets,
            resolved: self.resolved,
            lost: self.lost,
            conversations: self.conversations,
            min_wait: self.min_wait,
        };
        let first = self.first_reported_interval();
        let last = self.last_reported_interval();
        let intervals = self.cells.finish(last);
        ReplicationResult {
            replication,
            metrics: m,
            waits: self.waits,
            intervals,
            first_interval: first,
            events,
            counts,
            csat_counts: self.csat_counts,
            drivers,
            breakdown,
            busyness: Vec::new(),
        }
    }

    /// The figures per team and per type. One team's agent time is the centre's; one
    /// type's counts are the centre's (and its histogram of times to resolution a copy).
    fn breakdown(&mut self, open: u64) -> Breakdown {
        let mut one_team = None;
        if let [team] = self.teams.as_mut_slice() {
            (team.busy, team.present) = (self.busy_int, self.present_int);
            one_team = Some(Durations::difference(
                &mut self.waits,
                &self.abandoned_waits,
                self.answered,
                self.answered_wait_sum,
            ));
        }
        let all = self.types.is_empty().then(|| TypeAcc {
            offered: self.offered,
            answered: self.answered,
            abandoned: self.abandoned,
            balked: self.balked,
            rejected: self.rejected,
            closed_made: self.closed_made,
            disconnected: self.disconnected,
            callbacks: self.callbacks_accepted,
            open,
            within_sl: self.within_sl,
            short_abandoned: self.short_abandoned,
            in_time: self.in_time,
            answered_wait_sum: self.answered_wait_sum,
            tickets: self.tickets,
            first_contact: self.first_contact,
            reached_agent: self.reached_agent,
            first_call: self.first_call,
            csat_sum: self.csat_sum,
            scored: self.csat_counts.iter().sum(),
            promoters: self.promoters,
            detractors: self.detractors,
            resolution: None,
        });
        let types = match &all {
            Some(all) => {
                let mut v = type_values(all);
                let n = v.len();
                v[n - 2] = self.resolution.quantile(0.50);
                v[n - 1] = self.resolution.quantile(0.90);
                vec![v]
            }
            None => self.types.iter().map(type_values).collect(),
        };
        let channels = self.channel_values(all.as_ref());
        let customers = if self.customers == 0 {
            Vec::new()
        } else {
            let n = f64::from(self.customers);
            vec![[
                n,
                self.churned as f64,
                self.churned as f64 / n,
                self.tickets as f64 / n,
                self.churned as f64 * self.lost_customer_value,
                self.prevented as f64,
                self.gained as f64,
                self.stock as f64,
                self.proactive as f64,
                self.proactive_time / 3600.0,
            ]]
        };
        Breakdown {
            teams: self
                .teams
                .iter()
                .map(|t| team_values(t, self.warmup, one_team))
                .collect(),
            types,
            channels,
            customers,
            per_day: self.grid.intervals(),
            backlog_days: self
                .teams
                .iter_mut()
                .map(|t| std::mem::take(&mut t.backlog_days))
                .collect(),
        }
    }

    /// The figures of each channel used (none when every type is a phone type): the sums
    /// of its types' counts (`all` stands for the one type's), and the messages'.
    fn channel_values(&self, all: Option<&TypeAcc>) -> Vec<[f64; CHANNEL_METRICS.len()]> {
        if self.channel_of.is_empty() {
            return Vec::new();
        }
        let accs: Vec<&TypeAcc> = match all {
            Some(a) => vec![a],
            None => self.types.iter().collect(),
        };
        let window = self.horizon - self.warmup;
        Channel::ALL
            .iter()
            .filter(|c| self.channel_of.contains(c))
            .map(|&c| {
                let mut sum = TypeAcc::default();
                for (a, _) in accs.iter().zip(&self.channel_of).filter(|(_, x)| **x == c) {
                    sum.add_counts(a);
                }
                channel_values(c == Channel::Message, &sum, &self.messages, window)
            })
            .collect()
    }

    /// The costs of the counted window, by kind.
    pub fn costs(&self) -> Costs {
        Costs {
            staffing: self.cost_int,
            goodwill: self.goodwill_cost,
            outbound: self.outbound_cost,
            telephony: self.line_int / 60.0 * self.per_call_minute,
            // Never resolved: closed unresolved, or still open at the drain cap.
            lost_value: (self.tickets - self.resolved) as f64 * self.lost_ticket_value
                + self.churned as f64 * self.lost_customer_value,
        }
    }

    /// Index of the first interval that ends after the warm-up.
    pub fn first_reported_interval(&self) -> usize {
        self.grid.first_interval_after(self.warmup)
    }

    /// One past the index of the last interval that starts before the horizon.
    pub fn last_reported_interval(&self) -> usize {
        self.grid.intervals_before(self.horizon).min(self.end)
    }
}

/// A replication's costs by kind, in the scenario's currency unit: what `cost_per_ticket`
/// adds up (docs/metrics.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Agents present × `cost_per_hour`, integrated from the warm-up to the horizon.
    pub staffing: f64,
    /// `goodwill_cost` of each gesture made from the warm-up to the horizon.
    pub goodwill: f64,
    /// `costs.outbound_call` of each outbound attempt placed from the warm-up to the horizon.
    pub outbound: f64,
    /// Minutes of lines in use from the warm-up to the horizon × `costs.per_call_minute`.
    pub telephony: f64,
    /// Tickets created in the window and never resolved × `costs.lost_ticket_value`.
    pub lost_value: f64,
}

impl Costs {
    /// Their sum, added in a fixed order.
    pub fn total(&self) -> f64 {
        self.staffing + self.goodwill + self.outbound + self.telephony + self.lost_value
    }
}

/// Start time (seconds) of day-major interval `idx`.
pub fn interval_start(grid: &DayGrid, idx: usize) -> f64 {
    grid.interval_start(idx)
}
