//! Figures per team and per ticket type (`breakdown.csv`): what one replication counts for
//! each team and each type, in memory bounded by the number of teams and types, and the
//! values it reports. The figures per day come from the interval cells
//! ([`super::breakdown_fold`]).
//!
//! A quantile histogram is allocated only when its first value comes, and dropped when the
//! replication finishes: a result holds plain values.

use super::histogram::WaitHistogram;
use super::intervals::ratio;

/// The metrics of a team's rows, in output order: (name, unit).
pub const TEAM_METRICS: [(&str, &str); 17] = [
    ("conversations", "conversations"),
    ("occupancy", "share"),
    ("wait_mean_s", "s"),
    ("wait_p50_s", "s"),
    ("wait_p90_s", "s"),
    ("hold_mean_s", "s"),
    ("hold_p50_s", "s"),
    ("hold_p90_s", "s"),
    ("callback_wait_mean_s", "s"),
    ("callback_wait_p50_s", "s"),
    ("callback_wait_p90_s", "s"),
    ("transfers_in", "transfers"),
    ("transfers_out", "transfers"),
    ("backlog_day_end_mean", "tickets"),
    ("backlog_day_end_max", "tickets"),
    ("backlog_growth_per_day", "tickets"),
    ("still_open_at_end", "tickets"),
];

/// The metrics of a ticket type's rows, in output order: (name, unit).
pub const TYPE_METRICS: [(&str, &str); 18] = [
    ("offered", "contacts"),
    ("outcome_answered", "share"),
    ("outcome_abandoned", "share"),
    ("outcome_balked", "share"),
    ("outcome_rejected", "share"),
    ("outcome_closed", "share"),
    ("outcome_callback", "share"),
    ("outcome_open", "share"),
    ("service_level", "share"),
    ("accessibility", "share"),
    ("asa_s", "s"),
    ("tickets", "tickets"),
    ("fcr_rate", "share"),
    ("first_call_resolution", "share"),
    ("csat_mean", "csat"),
    ("nps", "points"),
    ("resolution_time_p50_s", "s"),
    ("resolution_time_p90_s", "s"),
];

/// The metrics of a day's rows, in output order: (name, unit).
pub const DAY_METRICS: [(&str, &str); 11] = [
    ("offered", "contacts"),
    ("outcome_answered", "share"),
    ("outcome_abandoned", "share"),
    ("outcome_rejected", "share"),
    ("outcome_closed", "share"),
    ("service_level", "share"),
    ("accessibility", "share"),
    ("wait_mean_s", "s"),
    ("occupancy", "share"),
    ("csat_mean", "csat"),
    ("busyness", "factor"),
];

/// The metrics of a channel's rows (only when a ticket type uses a channel other than the
/// phone), in output order: (name, unit). Those that do not apply to a channel are empty
/// (the call figures of messages, the response figures of calls and chats).
pub const CHANNEL_METRICS: [(&str, &str); 16] = [
    ("contacts", "contacts"),
    ("tickets", "tickets"),
    ("outcome_answered", "share"),
    ("outcome_abandoned", "share"),
    ("service_level", "share"),
    ("asa_s", "s"),
    ("response_mean_s", "s"),
    ("response_p50_s", "s"),
    ("response_p90_s", "s"),
    ("within_promise", "share"),
    ("reminders_per_message", "share"),
    ("backlog_mean", "tickets"),
    ("backlog_max", "tickets"),
    ("fcr_rate", "share"),
    ("csat_mean", "csat"),
    ("nps", "points"),
];

/// The metrics of the population's row (only with `arrivals.customers`): (name, unit).
/// The [`STOCK_METRICS`] are written only with `arrivals.referral`, the
/// [`PROACTIVE_METRICS`] only with a team's `depth.proactive`.
pub const CUSTOMER_METRICS: [(&str, &str); 10] = [
    ("customers", "customers"),
    ("churned", "customers"),
    ("churn_share", "share"),
    ("tickets_per_customer", "tickets"),
    ("lost_customer_value", "cost"),
    ("tickets_prevented", "tickets"),
    ("gained", "customers"),
    ("customers_end", "customers"),
    ("proactive_contacts", "contacts"),
    ("proactive_hours", "hours"),
];

/// The positions in [`CUSTOMER_METRICS`] of the stock's (gained by referral, at the
/// horizon): `breakdown.csv` writes them only with `arrivals.referral`, so a population
/// without referral keeps its rows.
pub const STOCK_METRICS: std::ops::Range<usize> = 6..8;

/// The positions in [`CUSTOMER_METRICS`] of the proactive contacts' (their count and
/// agent hours): written only when a team has `depth.proactive`.
pub const PROACTIVE_METRICS: std::ops::Range<usize> = 8..10;

/// Position of metric `name` in a list of metrics (panics on a name not in it).
pub fn metric_index(list: &[(&str, &str)], name: &str) -> usize {
    list.iter()
        .position(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no breakdown metric {name}"))
}

/// Durations with their sum and count, and a histogram created at the first value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Durations {
    hist: Option<Box<WaitHistogram>>,
    sum: f64,
    n: u64,
}

impl Durations {
    /// Records one duration, seconds.
    #[inline]
    pub(crate) fn record(&mut self, v: f64) {
        self.sum += v;
        self.n += 1;
        self.hist
            .get_or_insert_with(|| Box::new(WaitHistogram::new()))
            .record(v);
    }

    fn mean(&self) -> f64 {
        ratio(self.sum, self.n as f64)
    }

    /// The durations of `all` less those of `part` (each of which `all` holds), given their
    /// count and sum; `all` is left as it was.
    pub(crate) fn difference(
        all: &mut WaitHistogram,
        part: &Durations,
        n: u64,
        sum: f64,
    ) -> [f64; 3] {
        let mean = ratio(sum, n as f64);
        if n == 0 {
            return [mean, f64::NAN, f64::NAN];
        }
        match part.hist.as_deref() {
            None => [mean, all.quantile(0.5), all.quantile(0.9)],
            Some(h) => {
                all.remove(h);
                let q = [all.quantile(0.5), all.quantile(0.9)];
                all.merge(h);
                [mean, q[0], q[1]]
            }
        }
    }

    fn quantile(&self, q: f64) -> f64 {
        self.hist.as_ref().map_or(f64::NAN, |h| h.quantile(q))
    }
}

/// What one replication counts for one team.
#[derive(Debug, Clone, Default)]
pub(crate) struct TeamAcc {
    /// Conversations of the team's agents with counted tickets.
    pub conversations: u64,
    /// Busy and present agent-seconds in the window (only with several teams).
    pub busy: f64,
    pub present: f64,
    /// Queue waits of counted calls the team answered.
    pub waits: Durations,
    /// Holds after a transfer to the team, of counted tickets.
    pub holds: Durations,
    /// From a promise (made in the window) to the team's agent reaching the customer.
    pub callbacks: Durations,
    pub transfers_in: u64,
    pub transfers_out: u64,
    /// The backlog at the start of the window.
    pub backlog_start: u32,
    /// Day ends seen in the window: sum, count, largest, last and its time.
    pub backlog_sum: f64,
    pub backlog_n: u64,
    pub backlog_max: u32,
    pub backlog_last: (u32, f64),
    /// Each day end seen in the window: (the 0-based day it ends, the backlog), the first
    /// [`super::breakdown_fold::DAY_CAP`] only.
    pub backlog_days: Vec<(usize, u32)>,
    /// Counted tickets open at the drain cap, waiting for or talking to the team.
    pub still_open: u64,
}

/// What one replication counts for one ticket type (the same counts as the whole
/// centre's, restricted to the type).
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeAcc {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub balked: u64,
    pub rejected: u64,
    pub closed_made: u64,
    pub disconnected: u64,
    pub callbacks: u64,
    pub open: u64,
    pub within_sl: u64,
    pub short_abandoned: u64,
    pub in_time: u64,
    pub answered_wait_sum: f64,
    pub tickets: u64,
    pub first_contact: u64,
    pub reached_agent: u64,
    pub first_call: u64,
    pub csat_sum: f64,
    pub scored: u64,
    pub promoters: u64,
    pub detractors: u64,
    /// Times to resolution of counted resolved tickets.
    pub resolution: Option<WaitHistogram>,
}

/// What one replication counts of the written messages, all message types together.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageAcc {
    /// Messages sent in the counted window (first messages and those sent again).
    pub received: u64,
    /// Of those, answered (the answer sent) before the run ended.
    pub answered: u64,
    /// Of the answered, within their promise.
    pub on_time: u64,
    /// Reminders sent about those messages.
    pub reminders: u64,
    /// Their response times: from the message to the answer sent.
    pub response: Durations,
    /// Message-seconds spent waiting in a message queue within the window.
    pub backlog_time: f64,
    /// The most messages waiting at once within the window.
    pub backlog_max: u32,
}

impl TypeAcc {
    /// Adds the counts of `o` (not its times to resolution): a channel's figures are the
    /// sums of its types'.
    pub(crate) fn add_counts(&mut self, o: &TypeAcc) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.abandoned += o.abandoned;
        self.balked += o.balked;
        self.rejected += o.rejected;
        self.closed_made += o.closed_made;
        self.disconnected += o.disconnected;
        self.callbacks += o.callbacks;
        self.open += o.open;
        self.within_sl += o.within_sl;
        self.short_abandoned += o.short_abandoned;
        self.in_time += o.in_time;
        self.answered_wait_sum += o.answered_wait_sum;
        self.tickets += o.tickets;
        self.first_contact += o.first_contact;
        self.reached_agent += o.reached_agent;
        self.first_call += o.first_call;
        self.csat_sum += o.csat_sum;
        self.scored += o.scored;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
    }

    /// Records a time to resolution, seconds.
    #[inline]
    pub(crate) fn resolved_in(&mut self, v: f64) {
        self.resolution
            .get_or_insert_with(WaitHistogram::new)
            .record(v);
    }
}

/// One replication's figures per team and per type, in the order of [`TEAM_METRICS`] and
/// [`TYPE_METRICS`] (NaN where undefined).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Breakdown {
    /// Per team, in file order.
    pub teams: Vec<[f64; TEAM_METRICS.len()]>,
    /// Per ticket type, in file order.
    pub types: Vec<[f64; TYPE_METRICS.len()]>,
    /// Per channel used, in the order of [`crate::scenario::Scenario::channels_used`]
    /// (empty when every type is a phone type).
    pub channels: Vec<[f64; CHANNEL_METRICS.len()]>,
    /// The population's figures (one row with `arrivals.customers`, else none).
    pub customers: Vec<[f64; CUSTOMER_METRICS.len()]>,
    /// Intervals of the open day (to find the day of an interval cell).
    pub per_day: usize,
    /// Per team, in file order: each day end of the counted window, (the 0-based day it
    /// ends, the team's backlog then), at most [`super::breakdown_fold::DAY_CAP`] of them.
    /// Not in `breakdown.csv`: `rappel staff`'s `backlog_day_end` target reads it.
    pub backlog_days: Vec<Vec<(usize, u32)>>,
}

/// A team's values; `window_start` is the start of the counted window, seconds.
/// `waits`: the mean, median and 90th percentile of the team's waits when they are not in
/// `a.waits` (one team).
pub(crate) fn team_values(
    a: &TeamAcc,
    window_start: f64,
    waits: Option<[f64; 3]>,
) -> [f64; TEAM_METRICS.len()] {
    let w = waits.unwrap_or([a.waits.mean(), a.waits.quantile(0.5), a.waits.quantile(0.9)]);
    let (last, at) = a.backlog_last;
    let days = (at - window_start) / crate::scenario::DAY;
    let growth = if a.backlog_n > 0 && days > 0.0 {
        (f64::from(last) - f64::from(a.backlog_start)) / days
    } else {
        f64::NAN
    };
    [
        a.conversations as f64,
        ratio(a.busy, a.present),
        w[0],
        w[1],
        w[2],
        a.holds.mean(),
        a.holds.quantile(0.5),
        a.holds.quantile(0.9),
        a.callbacks.mean(),
        a.callbacks.quantile(0.5),
        a.callbacks.quantile(0.9),
        a.transfers_in as f64,
        a.transfers_out as f64,
        ratio(a.backlog_sum, a.backlog_n as f64),
        if a.backlog_n > 0 {
            f64::from(a.backlog_max)
        } else {
            f64::NAN
        },
        growth,
        a.still_open as f64,
    ]
}

/// A type's values, with the formulas of the whole centre's metrics.
pub(crate) fn type_values(a: &TypeAcc) -> [f64; TYPE_METRICS.len()] {
    let offered = a.offered as f64;
    let share = |n: u64| ratio(n as f64, offered);
    let settled = (a.answered + a.abandoned) as f64;
    let tickets = a.tickets as f64;
    let scored = a.scored as f64;
    let q = |p: f64| a.resolution.as_ref().map_or(f64::NAN, |h| h.quantile(p));
    [
        offered,
        share(a.answered),
        share(a.abandoned),
        share(a.balked),
        share(a.rejected),
        share(a.closed_made + a.disconnected),
        share(a.callbacks),
        share(a.open),
        ratio(a.within_sl as f64, settled - a.short_abandoned as f64),
        ratio(
            (a.within_sl + a.in_time) as f64,
            (a.offered - a.closed_made) as f64,
        ),
        ratio(a.answered_wait_sum, a.answered as f64),
        tickets,
        ratio(a.first_contact as f64, a.reached_agent as f64),
        ratio(a.first_call as f64, tickets),
        ratio(a.csat_sum, scored),
        ratio(100.0 * (a.promoters as f64 - a.detractors as f64), scored),
        q(0.5),
        q(0.9),
    ]
}

/// A channel's values: `a` sums the counts of its types, `m` the messages (used for the
/// message channel only); `window` is the counted window's length, seconds.
pub(crate) fn channel_values(
    written: bool,
    a: &TypeAcc,
    m: &MessageAcc,
    window: f64,
) -> [f64; CHANNEL_METRICS.len()] {
    let nan = f64::NAN;
    let scored = a.scored as f64;
    let common = |v: &mut [f64; CHANNEL_METRICS.len()]| {
        v[1] = a.tickets as f64;
        v[13] = ratio(a.first_contact as f64, a.reached_agent as f64);
        v[14] = ratio(a.csat_sum, scored);
        v[15] = ratio(100.0 * (a.promoters as f64 - a.detractors as f64), scored);
    };
    let mut v = [nan; CHANNEL_METRICS.len()];
    if written {
        let received = m.received as f64;
        v[0] = received;
        v[2] = ratio(m.answered as f64, received);
        v[6] = m.response.mean();
        v[7] = m.response.quantile(0.5);
        v[8] = m.response.quantile(0.9);
        v[9] = ratio(m.on_time as f64, m.answered as f64);
        v[10] = ratio(m.reminders as f64, received);
        v[11] = ratio(m.backlog_time, window);
        v[12] = f64::from(m.backlog_max);
    } else {
        let offered = a.offered as f64;
        let settled = (a.answered + a.abandoned) as f64;
        v[0] = offered;
        v[2] = ratio(a.answered as f64, offered);
        v[3] = ratio(a.abandoned as f64, offered);
        v[4] = ratio(a.within_sl as f64, settled - a.short_abandoned as f64);
        v[5] = ratio(a.answered_wait_sum, a.answered as f64);
    }
    common(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_team_has_counts_of_zero_and_undefined_ratios() {
        let v = team_values(&TeamAcc::default(), 0.0, None);
        assert_eq!(v[metric_index(&TEAM_METRICS, "conversations")], 0.0);
        assert!(v[metric_index(&TEAM_METRICS, "hold_p90_s")].is_nan());
        assert!(v[metric_index(&TEAM_METRICS, "backlog_day_end_max")].is_nan());
    }

    #[test]
    fn backlog_growth_is_per_day_of_the_window() {
        let a = TeamAcc {
            backlog_start: 2,
            backlog_sum: 62.0,
            backlog_n: 2,
            backlog_max: 42,
            backlog_last: (42, 2.0 * crate::scenario::DAY),
            ..TeamAcc::default()
        };
        let v = team_values(&a, 0.0, None);
        assert_eq!(
            v[metric_index(&TEAM_METRICS, "backlog_growth_per_day")],
            20.0
        );
        assert_eq!(v[metric_index(&TEAM_METRICS, "backlog_day_end_mean")], 31.0);
    }
}
