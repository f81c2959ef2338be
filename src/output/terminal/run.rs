//! The terminal output of `rappel run`: the headline table, the summary as JSON and the
//! account of a run to a precision.

use super::figures::{KEY, interval_text, mean_text, share_text, short_label};
use super::json;
use super::{csat_histogram, histogram, human, percent, table};
use crate::run::{PrecisionReport, RunResult};
use crate::scenario::{DAY, Flow, Scenario};
use crate::stats::{Estimate, Metric};
use comfy_table::{Cell, CellAlignment};

/// Every metric a headline table can show, in table order: the calls offered and how every
/// one of them ended (shares of offered calls, one denominator), what callers met, the
/// agents, the callbacks, then the tickets and the cost.
const TABLE_ORDER: [Metric; 38] = [
    Metric::OfferedContacts,
    Metric::OutcomeAnswered,
    Metric::OutcomeAbandoned,
    Metric::OutcomeBalked,
    Metric::OutcomeRejected,
    Metric::OutcomeClosed,
    Metric::OutcomeCallback,
    Metric::Accessibility,
    Metric::AccessibilityStrict,
    Metric::ServiceLevel,
    Metric::AbandonRate,
    Metric::PWait,
    Metric::AsaS,
    Metric::WaitMeanS,
    Metric::WaitP90S,
    Metric::WaitP99S,
    Metric::Occupancy,
    Metric::AgentsStaffedMean,
    Metric::CallbacksOffered,
    Metric::CallbacksAcceptedShare,
    Metric::CallbacksBrokenShare,
    Metric::Tickets,
    Metric::ResolvedShare,
    Metric::LostShare,
    Metric::TicketsOpenAtHorizon,
    Metric::FirstCallResolution,
    Metric::FcrRate,
    Metric::ContactsPerTicket,
    Metric::ResolutionTimeP50S,
    Metric::DrainS,
    Metric::CsatMean,
    Metric::CsatTop2Box,
    Metric::Nps,
    Metric::CostPerTicket,
    Metric::CostPerResolvedTicket,
    Metric::TelephonyCostPerTicket,
    Metric::LostValuePerTicket,
    Metric::ContactsOpenAtHorizon,
];

/// Where `m` stands in a headline table (a comparison lists its rows as each run does).
pub(crate) fn table_position(m: Metric) -> usize {
    TABLE_ORDER
        .iter()
        .position(|o| *o == m)
        .unwrap_or(TABLE_ORDER.len() + m.index())
}

/// Metrics shown in the terminal table of `s`, in [`TABLE_ORDER`]. Rows that cannot be
/// other than 0 for this scenario are left out: the outcomes its flow cannot produce, the
/// callbacks without a callback flow, the cost without costs, calls still waiting at the
/// end (shown by a warning when there are any).
pub fn headline(s: &Scenario) -> Vec<Metric> {
    let callback = s.entry.flow == Flow::Callback;
    let costs = s.has_costs();
    // The parts of the cost, each when its own key is set.
    let (telephony, lost) = (s.per_call_minute > 0.0, s.lost_ticket_value > 0.0);
    TABLE_ORDER
        .into_iter()
        .filter(|m| match m {
            Metric::OutcomeBalked => s.entry.announce.is_some(),
            Metric::OutcomeRejected => s.entry.flow == Flow::CallBackLater,
            Metric::OutcomeClosed => s.day.open > 0.0 || s.day.close < DAY,
            Metric::OutcomeCallback
            | Metric::AccessibilityStrict
            | Metric::CallbacksOffered
            | Metric::CallbacksAcceptedShare
            | Metric::CallbacksBrokenShare => callback,
            Metric::CostPerTicket | Metric::CostPerResolvedTicket => costs,
            Metric::TelephonyCostPerTicket => telephony,
            Metric::LostValuePerTicket => lost,
            Metric::ContactsOpenAtHorizon => false,
            _ => true,
        })
        .collect()
}

/// The 95 % interval of an estimate, both bounds in the unit chosen for the mean.
fn interval(m: Metric, e: &Estimate) -> String {
    if e.ci95_low.is_nan() && !e.mean.is_nan() {
        "(one replication: no interval)".into()
    } else {
        interval_text(m, e.mean, e.ci95_low, e.ci95_high, false)
    }
}

/// Whether a headline row shows an estimate: always, except tickets open at the drain cap,
/// shown only in the rare run that has some.
pub(crate) fn shows(m: Metric, e: &Estimate) -> bool {
    m != Metric::TicketsOpenAtHorizon || e.mean > 0.0
}

/// The headline table, fitted to `width` columns.
pub fn summary_table(r: &RunResult, width: u16) -> String {
    let mut t = table(width);
    t.set_header(vec!["Metric", "Mean", "95 % interval"]);
    for m in headline(&r.scenario) {
        let e = r.estimate(m);
        if !shows(m, &e) {
            continue;
        }
        let label = if Metric::OUTCOMES.contains(&m) {
            format!("  {}", m.label())
        } else {
            m.label().to_string()
        };
        t.add_row(vec![
            Cell::new(label),
            Cell::new(human(m, e.mean)).set_alignment(CellAlignment::Right),
            Cell::new(interval(m, &e)).set_alignment(CellAlignment::Right),
        ]);
    }
    format!(
        "{}: {} replications, seed {}\n{t}",
        r.scenario.name, r.scenario.simulation.replications, r.scenario.simulation.seed
    )
}

/// Everything `rappel run` prints as a table, fitted to `width` columns: the headline
/// table, then the histograms of waits and of CSAT and the figures per team and type; or,
/// when `compact`, [`compact_text`].
pub fn run_text(r: &RunResult, width: u16, compact: bool) -> String {
    if compact {
        return compact_text(r, width);
    }
    let mut staffing = crate::output::roster_summary(r).map_or(String::new(), |s| {
        super::wrap(&crate::output::roster_line(&s), usize::from(width), "  ")
    });
    if let Some(line) = crate::output::breakdown::customers_line(r) {
        staffing.push_str(&super::wrap(&line, usize::from(width), "  "));
    }
    format!(
        "{}\n{staffing}\n{}\n{}",
        summary_table(r, width),
        histogram(r, width),
        csat_histogram(&r.satisfaction_distribution(), width, 0.0)
    ) + &super::breakdown_text(r, width)
}

/// The compact view of a run, at most 24 lines at 80 columns: the key figures
/// ([`KEY`]) with their intervals, then the waits and the CSAT in a line each.
pub fn compact_text(r: &RunResult, width: u16) -> String {
    let mut rows: Vec<[String; 3]> = vec![["".into(), "Mean".into(), "95 % interval".into()]];
    for m in headline(&r.scenario)
        .into_iter()
        .filter(|m| KEY.contains(m))
    {
        let e = r.estimate(m);
        if !shows(m, &e) {
            continue;
        }
        rows.push([short_label(m).into(), mean_text(m, e.mean), interval(m, &e)]);
    }
    let w: Vec<usize> = (0..3)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{}: {} replications, seed {}\n",
        r.scenario.name, r.scenario.simulation.replications, r.scenario.simulation.seed
    );
    for row in &rows {
        let line = format!(
            "{:<a$}  {:>b$}  {:>c$}",
            row[0],
            row[1],
            row[2],
            a = w[0],
            b = w[1],
            c = w[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let width = usize::from(width);
    let p90 = r.estimate(Metric::WaitP90S).mean;
    let p99 = r.estimate(Metric::WaitP99S).mean;
    out.push_str(&super::wrap(
        &format!(
            "Waits: {} answered at once; 90 % within {}, 99 % within {}",
            share_text(r.wait_zero_share().mean),
            mean_text(Metric::WaitP90S, p90),
            mean_text(Metric::WaitP99S, p99)
        ),
        width,
        "  ",
    ));
    let csat: Vec<String> = r
        .satisfaction_distribution()
        .iter()
        .map(|s| format!("{}: {}", s.csat, share_text(s.share.mean)))
        .collect();
    out.push_str(&super::wrap(
        &format!("CSAT of tickets, 1 to 5: {}", csat.join(", ")),
        width,
        "  ",
    ));
    out.push_str(&super::wrap(
        "(compact view: every metric, the histograms and the teams without --compact)",
        width,
        "  ",
    ));
    out
}

/// The summary as JSON: `{ scenario, replications, seed, metrics: [{metric, unit, mean, ci95_low, ci95_high}] }`.
pub fn summary_json(r: &RunResult) -> String {
    let metrics = json::metrics(r);
    let v = serde_json::json!({
        "scenario": r.scenario.name,
        "replications": r.scenario.simulation.replications,
        "seed": r.scenario.simulation.seed,
        "metrics": metrics,
    });
    json::pretty(&v)
}

/// What a run to a precision achieved, in one line.
pub fn precision_line(r: &PrecisionReport, replications: usize) -> String {
    let pct = |w: f64| percent(w, 2);
    let hardest = r.hardest.map_or("none".to_string(), |(m, w)| {
        format!("{} (± {} of its mean)", m.name(), pct(w))
    });
    if r.met {
        format!(
            "precision ± {} met after {replications} replications; the metric that needed the most: {hardest}",
            pct(r.target)
        )
    } else {
        format!(
            "precision ± {} NOT met within {replications} replications (--max-replications); furthest: {hardest}",
            pct(r.target)
        )
    }
}
