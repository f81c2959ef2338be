//! The HTML report (`--report`): one self-contained page, with no script and nothing
//! fetched from elsewhere, holding the headline table and SVG charts drawn with plotters:
//! the wait-time and CSAT distributions, service level, mean wait and staffing per
//! interval, and the satisfaction drivers. A comparison (`compare.rs`) draws the waits and
//! the intervals as small multiples, one chart per scenario on shared axes, groups the bars
//! of the others side by side, and adds the paired differences to the table.
//!
//! The page depends only on the results, never on the clock: the same run gives the same
//! bytes. Every chart's `<svg>` carries a `data-chart` attribute, and its data marks
//! `class="mark"`.

mod breakdown;
mod charts;
mod compare;
mod effects;
mod fit;
mod html;
mod intervals;

use crate::output::headline;
use crate::run::RunResult;
use crate::stats::Estimate;
use charts::{colour, hex};
use html::{esc, facts, figure, human, interval, legend, page_end, page_start, warning_box};
use intervals::{interval_series, intervals_chart};
use plotters::style::RGBColor;

pub use compare::compare_report;
pub use fit::fit_report;

/// The report of one run, as a complete HTML page.
pub fn run_report(r: &RunResult) -> String {
    let s = &r.scenario;
    let sim = &s.simulation;
    let mut lines = String::new();
    if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
        lines.push_str(&format!("<p>{}</p>\n", esc(d)));
    }
    lines.push_str(&facts(&[
        ("Seed", sim.seed.to_string()),
        ("Replications", r.replications().to_string()),
        ("Simulated", html::duration(sim.horizon)),
        ("Warm-up", html::duration(sim.warmup)),
        (
            "Service level threshold",
            html::duration(sim.service_level_threshold),
        ),
        ("rappel", env!("CARGO_PKG_VERSION").to_string()),
    ]));
    let mut out = page_start(
        &format!("rappel report: {}", s.name),
        "rappel report",
        &esc(&s.name),
        &lines,
    );

    let warnings: Vec<String> = r.warnings().iter().map(ToString::to_string).collect();
    out.push_str(&warning_box(&warnings));
    out.push_str("<h2>Headline metrics</h2>\n<div class=\"table\"><table>\n<thead><tr><th>Metric</th><th>Mean</th><th>95 % interval</th></tr></thead>\n<tbody>\n");
    for m in headline(s) {
        let e = r.estimate(m);
        out.push_str(&format!(
            "<tr{}><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            row_class(m),
            esc(m.label()),
            esc(&human(m, e.mean)),
            esc(&interval(m, &e))
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str(&format!(
        "<p class=\"note\">Means over {} replications, with their Student-t 95 % confidence \
         intervals (– where undefined, or with a single replication). Shares as percentages.</p>\n",
        r.replications()
    ));

    out.push_str(&breakdown::breakdown_section(r));

    out.push_str("<h2>Charts</h2>\n");
    let c = colour(0);
    let (zero, bins) = r.wait_distribution_apart_on(&r.wait_bins());
    out.push_str(&figure(
        &charts::wait_chart(&[(c, zero, bins)], 0, charts::WIDTH),
        &wait_caption(sim.service_level_threshold, true),
        "",
    ));
    out.push_str(&figure(
        &charts::csat_chart(&[(c, r.satisfaction_distribution())]),
        CSAT_CAPTION_ONE,
        "",
    ));
    let panel = [colour(0), colour(1), colour(2)];
    let series = interval_series(r, panel);
    let cut = series.points.len() >= intervals::MAX_CHART_INTERVALS;
    out.push_str(&figure(
        &intervals_chart(&[series], None, charts::WIDTH),
        &intervals_caption(sim.service_level_threshold, false, cut, false),
        "",
    ));
    out.push_str(&figure(
        &charts::drivers_chart(&[(c, drivers(r))]),
        DRIVERS_CAPTION_ONE,
        &legend(&[
            (hex(colour(5)), "lowers satisfaction".into()),
            (hex(colour(2)), "raises satisfaction".into()),
        ]),
    ));
    out.push_str(&response_section(&s.satisfaction, expected_wait(s)));
    out.push_str(&page_end());
    out
}

/// The expected wait the response curves are drawn for: the ticket types' mean, weighted
/// by their shares.
pub(super) fn expected_wait(s: &crate::scenario::Scenario) -> f64 {
    s.ticket_types
        .iter()
        .map(|t| t.share * t.expected_wait)
        .sum()
}

/// How the score responds to time: the model's curves for these parameters, side by side.
pub(super) fn response_section(p: &crate::satisfaction::Params, expected: f64) -> String {
    use crate::satisfaction::{TIME_RANGE, WAIT_RANGE};
    let [unannounced, announced] = p.wait_curves(expected);
    let [kept, second] = p.time_curves(expected);
    let waits = charts::response_chart(
        "response-wait",
        "Expected CSAT against the wait on the line",
        "Wait on the line (log scale)",
        WAIT_RANGE,
        &[(colour(5), &unannounced), (colour(0), &announced)],
    );
    let times = charts::response_chart(
        "response-time",
        "Expected CSAT against the time to resolution",
        "Time from the first call (log scale)",
        TIME_RANGE,
        &[(colour(2), &kept), (colour(3), &second)],
    );
    let mut out = String::from("<h2>How satisfaction responds</h2>\n");
    out.push_str(&format!(
        "<p class=\"note\">The satisfaction model these results come from, one thing at a time, for a \
         customer expecting a {} wait: the expected CSAT of a problem solved at the first \
         conversation after a wait on the line (left), and of a problem solved by a callback \
         that kept its promise or at a second call (right). No step: every curve keeps \
         falling where flows differ (docs/satisfaction.md).</p>\n",
        esc(&html::duration(expected))
    ));
    let panel = |title: &str, svg: &str, items: &[(RGBColor, &str)]| {
        let items: Vec<(String, String)> = items
            .iter()
            .map(|(c, l)| (hex(*c), l.to_string()))
            .collect();
        format!(
            "<div class=\"multiple\"><p class=\"multiple-name\">{}</p>\n{svg}{}</div>\n",
            esc(title),
            legend(&items)
        )
    };
    out.push_str("<div class=\"multiples\">\n");
    out.push_str(&panel(
        "The wait on the line",
        &waits,
        &[(colour(5), unannounced.label), (colour(0), announced.label)],
    ));
    out.push_str(&panel(
        "The time to resolution",
        &times,
        &[(colour(2), kept.label), (colour(3), second.label)],
    ));
    out.push_str("</div>\n");
    out
}

/// The class of a headline row: the calls offered head the group of their outcomes, which
/// are indented under them (as in the terminal's table).
fn row_class(m: crate::stats::Metric) -> &'static str {
    if m == crate::stats::Metric::OfferedContacts {
        " class=\"group\""
    } else if crate::stats::Metric::OUTCOMES.contains(&m) {
        " class=\"outcome\""
    } else {
        ""
    }
}

/// Each satisfaction term's estimate, in [`crate::satisfaction::Term::ALL`] order.
fn drivers(r: &RunResult) -> Vec<Estimate> {
    r.satisfaction_drivers()
        .into_iter()
        .map(|d| d.contribution)
        .collect()
}

fn wait_caption(threshold: f64, single: bool) -> String {
    let marks = if single {
        "Bars: the mean share of each bin over the replications; whiskers: its 95 % interval."
    } else {
        "One panel per scenario, on the same bins and the same axes: bars, each scenario's \
         mean share per bin; whiskers: 95 % intervals."
    };
    format!(
        "<b>Wait-time distribution</b> of the calls that reached the queue (answered or \
         abandoned). The first bar, <i>at once</i>, stands apart: the calls answered without \
         waiting (0 s); the bins from 0 s on hold the calls that waited. {marks} The share \
         axis is logarithmic (each grid line ten times the one below), so that the few long \
         waits of the tail show beside the many short ones; a share below the axis's foot is \
         drawn at it. The last bin, marked ≥, gathers every longer wait. The service level \
         counts waits under {}.",
        html::duration(threshold)
    )
}

const CSAT_CAPTION_ONE: &str = "<b>CSAT distribution</b>: the share of tickets \
     (resolved, lost, or scored as unresolved at the drain cap) scoring each value from 1 to 5. Bars: means over the replications; \
     whiskers: 95 % intervals.";

const CSAT_CAPTION_MANY: &str = "<b>CSAT distribution</b>: the share of tickets \
     (resolved, lost, or open at the drain cap) scoring each value from 1 to 5, one bar per scenario. Whiskers: \
     95 % intervals.";

/// `cut`: some series was cut at [`intervals::MAX_CHART_INTERVALS`]; `multiples`: one
/// panel per scenario.
fn intervals_caption(
    threshold: f64,
    thresholds_differ: bool,
    cut: bool,
    multiples: bool,
) -> String {
    let sl = if thresholds_differ {
        "answered within each scenario's threshold".to_string()
    } else {
        format!("answered within {}", html::duration(threshold))
    };
    format!(
        "<b>Per interval of the open day</b>, on one time axis: the service level (calls \
         {sl}, of those that reached the queue), the mean wait of the calls that reached the \
         queue, and the mean number of agents present. Calls count in the interval in which \
         they arrived. {}Lines: means over the replications; bands: 95 % intervals; gaps: \
         intervals with no call that reached the queue. The axis runs over open hours: \
         over several days, the nights of a centre that closes are left out and a darker \
         line starts each day, named as in intervals.csv (day 0 first).{}",
        if multiples {
            "One panel per scenario, on the same axes, so that no line hides another. "
        } else {
            ""
        },
        if cut {
            format!(
                " Only the first {} intervals are drawn; intervals.csv has them all.",
                intervals::MAX_CHART_INTERVALS
            )
        } else {
            String::new()
        }
    )
}

const DRIVERS_CAPTION_ONE: &str = "<b>What moves satisfaction</b>: each term's mean \
     contribution to the latent satisfaction score per closed ticket, in points (the CSAT \
     cut points lie at −1.5, −0.75, −0.4 and 0.9). Bars left of 0 lower satisfaction, bars \
     right of 0 raise it; whiskers: 95 % intervals. Terms that played no part are left out.";

const DRIVERS_CAPTION_MANY: &str = "<b>What moves satisfaction</b>: each term's mean \
     contribution to the latent satisfaction score per closed ticket, in points, one bar per \
     scenario (the CSAT cut points lie at −1.5, −0.75, −0.4 and 0.9). Left of 0 lowers \
     satisfaction, right of 0 raises it; whiskers: 95 % intervals. Comparing the bars of a \
     term shows why one scenario scores lower. Terms that played no part in any scenario are \
     left out.";
