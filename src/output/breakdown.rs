//! `breakdown.csv`: the figures per team, per ticket type and per day (columns and metrics
//! in docs/metrics.md), and the warnings about teams those figures call for.

use super::csv::csv_bytes;
use super::num;
use crate::run::RunResult;
use crate::scenario::{DAY, Unresolved};
use crate::stats::Estimate;
use crate::stats::breakdown::{
    CHANNEL_METRICS, CUSTOMER_METRICS, DAY_METRICS, PROACTIVE_METRICS, STOCK_METRICS, TEAM_METRICS,
    TYPE_METRICS, metric_index,
};

/// Columns of `breakdown.csv`.
pub const BREAKDOWN_COLUMNS: [&str; 9] = [
    "scenario",
    "by",
    "group",
    "metric",
    "unit",
    "mean",
    "ci95_low",
    "ci95_high",
    "replications",
];

/// The rows a ticket type with its own service-level threshold or target adds after its
/// [`TYPE_METRICS`]: (name, unit). The first with its own threshold, all three with a target.
pub const TARGET_METRICS: [(&str, &str); 3] = [
    ("service_level_threshold_s", "s"),
    ("service_level_target", "share"),
    ("service_level_met", "share"),
];

/// How many of [`TARGET_METRICS`] type `ty` reports: none when it keeps the centre's
/// threshold and sets no target, so that such scenarios' files are unchanged.
fn target_rows(s: &crate::scenario::Scenario, ty: usize) -> usize {
    let t = &s.ticket_types[ty];
    if t.service_level_target.is_some() {
        3
    } else if t.service_level_threshold.is_some() {
        1
    } else {
        0
    }
}

/// The values of [`TARGET_METRICS`] for type `ty`: its threshold, its target, and 1 when
/// its mean service level `sl` reaches the target (0 when not, NaN when undefined).
fn target_estimates(
    s: &crate::scenario::Scenario,
    ty: usize,
    sl: Estimate,
    replications: usize,
) -> Vec<Estimate> {
    let exact = |v: f64| Estimate {
        mean: v,
        ci95_low: v,
        ci95_high: v,
        std_error: 0.0,
        n: replications,
    };
    let t = &s.ticket_types[ty];
    let target = t.service_level_target.unwrap_or(f64::NAN);
    let met = if sl.mean.is_nan() || target.is_nan() {
        f64::NAN
    } else if sl.mean >= target {
        1.0
    } else {
        0.0
    };
    vec![exact(t.threshold(&s.simulation)), exact(target), exact(met)]
}

/// One row of `breakdown.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    /// `team`, `type`, `channel` or `day`.
    pub by: &'static str,
    /// The team's or type's name, the channel, or the 0-based day.
    pub group: String,
    /// The metric's name.
    pub metric: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// Mean and 95 % interval across the replications where it is defined.
    pub estimate: Estimate,
}

/// Every row of `breakdown.csv`, in order: teams, types, channels (when a type is not a
/// phone type), days; each in file (or channel, or day) order, then metric.
pub fn breakdown_rows(r: &RunResult) -> Vec<BreakdownRow> {
    let fold = r.breakdown();
    let s = &r.scenario;
    let mut rows = Vec::new();
    let mut add = |by, group: String, list: &[(&'static str, &'static str)], e: Vec<Estimate>| {
        for ((metric, unit), estimate) in list.iter().zip(e) {
            rows.push(BreakdownRow {
                by,
                group: group.clone(),
                metric,
                unit,
                estimate,
            });
        }
    };
    for (k, team) in s.teams.iter().enumerate() {
        add("team", team.name.clone(), &TEAM_METRICS, fold.team(k));
    }
    for (k, ty) in s.ticket_types.iter().enumerate() {
        let e = fold.ticket_type(k);
        let sl = e[metric_index(&TYPE_METRICS, "service_level")];
        add("type", ty.name.clone(), &TYPE_METRICS, e);
        add(
            "type",
            ty.name.clone(),
            &TARGET_METRICS[..target_rows(s, k)],
            target_estimates(s, k, sl, r.replications()),
        );
    }
    for (k, c) in s.channels_used().iter().enumerate() {
        add(
            "channel",
            c.name().to_string(),
            &CHANNEL_METRICS,
            fold.channel(k),
        );
    }
    if s.arrivals.customers.is_some() {
        let (stock, proactive) = stock_and_proactive(s);
        let shown = |k: &usize| {
            (stock || !STOCK_METRICS.contains(k)) && (proactive || !PROACTIVE_METRICS.contains(k))
        };
        let e = fold.customers();
        let (list, estimates): (Vec<_>, Vec<_>) = (0..CUSTOMER_METRICS.len().min(e.len()))
            .filter(shown)
            .map(|k| (CUSTOMER_METRICS[k], e[k]))
            .unzip();
        add("customers", "population".to_string(), &list, estimates);
    }
    for (day, e) in fold.days() {
        add("day", day.to_string(), &DAY_METRICS, e);
    }
    rows
}

/// The bytes of `breakdown.csv`.
pub fn breakdown_csv(r: &RunResult) -> Vec<u8> {
    let name = r.scenario.name.as_str();
    let n = r.replications().to_string();
    csv_bytes(
        BREAKDOWN_COLUMNS,
        breakdown_rows(r).into_iter().map(|row| {
            vec![
                name.to_string(),
                row.by.to_string(),
                row.group,
                row.metric.to_string(),
                row.unit.to_string(),
                num(row.estimate.mean),
                num(row.estimate.ci95_low),
                num(row.estimate.ci95_high),
                n.clone(),
            ]
        }),
    )
}

/// A team's estimate of one of [`TEAM_METRICS`].
pub fn team_estimate(r: &RunResult, team: usize, metric: &str) -> Estimate {
    r.breakdown().team(team)[metric_index(&TEAM_METRICS, metric)]
}

/// A ticket type's estimate of one of [`TYPE_METRICS`].
pub fn type_estimate(r: &RunResult, ty: usize, metric: &str) -> Estimate {
    r.breakdown().ticket_type(ty)[metric_index(&TYPE_METRICS, metric)]
}

/// A channel's estimate of one of [`CHANNEL_METRICS`] (`k` in the order of
/// [`crate::scenario::Scenario::channels_used`]).
pub fn channel_estimate(r: &RunResult, k: usize, metric: &str) -> Estimate {
    r.breakdown().channel(k)[metric_index(&CHANNEL_METRICS, metric)]
}

/// Whether the population's row has the stock's figures (`arrivals.referral`, or room
/// above `customers`) and the proactive contacts' (a team's `depth.proactive`).
fn stock_and_proactive(s: &crate::scenario::Scenario) -> (bool, bool) {
    let stock = s
        .arrivals
        .customers
        .is_some_and(|c| c.referral > 0.0 || c.capacity > c.size);
    let proactive = s
        .teams
        .iter()
        .any(|t| t.depth.is_some_and(|d| d.proactive.is_some()));
    (stock, proactive)
}

/// The customers gained and lost, and the proactive contacts, in a line for people (means
/// over the replications), for the run table and the report; `None` without referral or
/// proactive contacts (a population alone shows only in breakdown.csv).
pub fn customers_line(r: &RunResult) -> Option<String> {
    let s = &r.scenario;
    let c = s.arrivals.customers?;
    let (stock, proactive) = stock_and_proactive(s);
    let mean = |m| customer_estimate(r, m).mean;
    let mut parts = Vec::new();
    if stock {
        parts.push(format!(
            "{} at the start, {:.0} gained by referral, {:.0} lost (churn), {:.0} at the horizon \
             (room for {})",
            c.size,
            mean("gained"),
            mean("churned"),
            mean("customers_end"),
            c.capacity
        ));
    }
    if proactive {
        parts.push(format!(
            "{:.0} proactive contacts taking {:.1} agent hours, {:.0} tickets prevented",
            mean("proactive_contacts"),
            mean("proactive_hours"),
            mean("tickets_prevented")
        ));
    }
    (!parts.is_empty()).then(|| format!("Customers: {}\n", parts.join("; ")))
}

/// The population's estimate of one of [`CUSTOMER_METRICS`] (NaN without a population).
pub fn customer_estimate(r: &RunResult, metric: &str) -> Estimate {
    let k = metric_index(&CUSTOMER_METRICS, metric);
    r.breakdown()
        .customers()
        .get(k)
        .copied()
        .unwrap_or_else(|| crate::stats::summarise(&[]))
}

/// One line per ticket type with a `service_level_target`, for the run table and the
/// report: "sales: 80 % within 20.0 s, met (88.3 %)". Empty when no type has one.
pub fn target_lines(r: &RunResult) -> Vec<String> {
    let s = &r.scenario;
    s.ticket_types
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let target = t.service_level_target?;
            let sl = type_estimate(r, k, "service_level").mean;
            let verdict = if sl.is_nan() {
                "no call settled"
            } else if sl >= target {
                "met"
            } else {
                "missed"
            };
            Some(format!(
                "{}: {} within {}, {verdict} ({})",
                t.name,
                super::percent(target, 0),
                duration(t.threshold(&s.simulation)),
                super::percent(sl, 1)
            ))
        })
        .collect()
}

/// A duration for people: seconds, minutes or hours.
pub fn duration(s: f64) -> String {
    if s.is_nan() {
        super::MISSING.into()
    } else if s >= 7200.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 120.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

/// The teams that escalate to team `k`, by name.
fn escalating_to(r: &RunResult, k: usize) -> Vec<String> {
    r.scenario
        .teams
        .iter()
        .filter(|t| matches!(t.unresolved, Unresolved::Escalate { team, .. } if team == k))
        .map(|t| t.name.clone())
        .collect()
}

/// Warnings about teams, each (message, what to do), in team order:
/// - a backlog at day end that grows from day to day by more than a tenth of the work the
///   team handles a day, with an interval above 0 (overloaded);
/// - customers on hold after a transfer for more than an hour (p90 hold > 1 h);
/// - tickets still waiting for the team or talking to it at the drain cap.
pub fn team_warnings(r: &RunResult) -> Vec<(String, String)> {
    let s = &r.scenario;
    let window_days = (s.simulation.horizon - s.simulation.warmup) / DAY;
    let mut out = Vec::new();
    for (k, team) in s.teams.iter().enumerate() {
        let name = &team.name;
        let from = escalating_to(r, k);
        let send_less = if from.is_empty() {
            format!("send {name} less work")
        } else {
            format!(
                "escalate less to it (the competence of {})",
                from.join(", ")
            )
        };
        let growth = team_estimate(r, k, "backlog_growth_per_day");
        let per_day = team_estimate(r, k, "conversations").mean / window_days.max(1.0);
        // With one replication, which has no interval, the mean alone decides.
        let above = if growth.ci95_low.is_nan() {
            growth.n == 1
        } else {
            growth.ci95_low > 0.0
        };
        let rising = growth.mean > 0.0 && above;
        if rising && growth.mean > 0.1 * per_day.max(1.0) {
            let last = team_estimate(r, k, "backlog_day_end_max").mean;
            out.push((
                format!(
                    "{name}: the backlog at day end grows by {:.0} a day (up to {:.0} waiting at \
                     a day end); the team is overloaded",
                    growth.mean, last
                ),
                format!("add agents to {name}, or {send_less}"),
            ));
        }
        let hold = team_estimate(r, k, "hold_p90_s").mean;
        if hold > 3600.0 {
            out.push((
                format!(
                    "{name}: the p90 hold after a transfer is {} (customers on hold wait that \
                     long for {name} to answer; the call waits do not show it)",
                    duration(hold)
                ),
                format!("add agents to {name}, or {send_less}"),
            ));
        }
        let open = team_estimate(r, k, "still_open_at_end").mean;
        if open > 0.0 {
            out.push((
                format!(
                    "{name}: {open:.0} tickets a replication were still waiting for {name} or \
                     talking to it when the run stopped at the drain cap ({} after the horizon)",
                    duration(s.simulation.drain_limit)
                ),
                format!(
                    "add agents to {name} so that its work ends, or raise simulation.drain_limit \
                     to follow those tickets to their end"
                ),
            ));
        }
    }
    out
}
