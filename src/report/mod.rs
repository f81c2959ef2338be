//! The HTML report (`--report`): one self-contained page, with no script and nothing
//! fetched from elsewhere, holding the headline table and SVG charts drawn with plotters:
//! the wait-time and CSAT distributions, service level, mean wait and staffing per
//! interval, and the satisfaction drivers. A comparison overlays its scenarios in those
//! charts and adds the paired differences to the table.
//!
//! The page depends only on the results, never on the clock: the same run gives the same
//! bytes. Every chart's `<svg>` carries a `data-chart` attribute, and its data marks
//! `class="mark"`.

mod breakdown;
mod charts;
mod html;
mod intervals;

use crate::compare::Row;
use crate::output::headline;
use crate::run::{RunResult, wait_bin_edges};
use crate::stats::Estimate;
use charts::{colour, hex};
use html::{
    esc, facts, figure, human, interval, legend, page_end, page_start, signed, warning_box,
};
use intervals::{interval_series, intervals_chart};

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
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
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
    out.push_str(&figure(
        &charts::wait_chart(&[(c, r.wait_distribution())]),
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
        &intervals_chart(&[series]),
        &intervals_caption(sim.service_level_threshold, false, cut),
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
    out.push_str(&page_end());
    out
}

/// The report of a comparison, as a complete HTML page: `runs` with their display names
/// `names` (the first the baseline) and the comparison's `rows`.
pub fn compare_report(runs: &[RunResult], names: &[String], rows: &[Row]) -> String {
    let Some(base) = runs.first() else {
        return page_start(
            "rappel comparison",
            "rappel comparison",
            "Nothing to compare",
            "",
        ) + &page_end();
    };
    let sim = &base.scenario.simulation;
    let title = names.join(" vs ");
    let heading = names
        .iter()
        .map(|n| esc(n))
        .collect::<Vec<_>>()
        .join(" <span class=\"vs\">vs</span> ");
    let scenario_list = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "<span class=\"swatch\" style=\"background:{}\"></span>{}{}",
                hex(colour(i)),
                esc(n),
                if i == 0 { " (baseline)" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(" &nbsp; ");
    let mut lines = format!("<p>{scenario_list}</p>\n");
    lines.push_str(&facts(&[
        ("Seed", sim.seed.to_string()),
        ("Replications", base.replications().to_string()),
        ("rappel", env!("CARGO_PKG_VERSION").to_string()),
    ]));
    let mut out = page_start(
        &format!("rappel comparison: {title}"),
        "rappel comparison",
        &heading,
        &lines,
    );
    let unshared = crate::compare::unshared(runs, names);
    let warnings = crate::compare::warnings(runs, names);
    out.push_str(&warning_box(&warnings));
    match crate::compare::unshared_heading(&unshared, runs.len()) {
        None => out.push_str(&format!(
            "<p class=\"note\">Every scenario ran with the same seed and replications, so \
             replication <i>r</i> of each saw the same customers; a difference is estimated \
             replication by replication (paired), from scenario − {} (the baseline).</p>\n",
            esc(&names[0])
        )),
        Some(not) => out.push_str(&format!(
            "<p class=\"note\">Every scenario ran with the same seed and replications, but \
             they are {}. A paired difference is estimated replication by replication; an \
             unpaired one (marked <i>unpaired</i>) is the difference of the two means with \
             Welch's interval, from scenario − {} (the baseline).</p>\n",
            esc(&not),
            esc(&names[0])
        )),
    }
    out.push_str(&comparison_table(runs, names, rows, &unshared));

    out.push_str("<h2>Charts</h2>\n");
    let key = legend(
        &names
            .iter()
            .enumerate()
            .map(|(i, n)| (hex(colour(i)), n.clone()))
            .collect::<Vec<_>>(),
    );
    let edges = wait_bin_edges(runs);
    let waits: Vec<_> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (colour(i), r.wait_distribution_on(&edges)))
        .collect();
    out.push_str(&figure(
        &charts::wait_chart(&waits),
        &wait_caption(sim.service_level_threshold, false),
        &key,
    ));
    let csat: Vec<_> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (colour(i), r.satisfaction_distribution()))
        .collect();
    out.push_str(&figure(&charts::csat_chart(&csat), CSAT_CAPTION_MANY, &key));
    let per_interval: Vec<_> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| interval_series(r, [colour(i); 3]))
        .collect();
    let thresholds: Vec<f64> = runs
        .iter()
        .map(|r| r.scenario.simulation.service_level_threshold)
        .collect();
    let same = thresholds.iter().all(|t| *t == thresholds[0]);
    out.push_str(&figure(
        &intervals_chart(&per_interval),
        &intervals_caption(
            thresholds[0],
            !same,
            per_interval
                .iter()
                .any(|p| p.points.len() >= intervals::MAX_CHART_INTERVALS),
        ),
        &key,
    ));
    let drivers_series: Vec<_> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (colour(i), drivers(r)))
        .collect();
    out.push_str(&figure(
        &charts::drivers_chart(&drivers_series),
        DRIVERS_CAPTION_MANY,
        &key,
    ));
    out.push_str(&page_end());
    out
}

/// Each satisfaction term's estimate, in [`crate::satisfaction::Term::ALL`] order.
fn drivers(r: &RunResult) -> Vec<Estimate> {
    r.satisfaction_drivers()
        .into_iter()
        .map(|d| d.contribution)
        .collect()
}

/// The comparison table: each headline metric of any scenario, each scenario's mean and
/// interval, then each difference from the baseline with its interval, marked `*` (and
/// bold) when the interval excludes 0; the column of a scenario in `unshared` is headed
/// `(unpaired)`.
fn comparison_table(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    unshared: &[crate::compare::Unshared],
) -> String {
    let metrics = crate::output::comparison_metrics(runs);
    let mut out = String::from(
        "<h2>Headline metrics</h2>\n<div class=\"table\"><table>\n<thead><tr><th>Metric</th>",
    );
    for n in names {
        out.push_str(&format!("<th>{}</th>", esc(n)));
    }
    for n in names.iter().skip(1) {
        let unpaired = if unshared.iter().any(|u| &u.scenario == n) {
            " (unpaired)"
        } else {
            ""
        };
        out.push_str(&format!(
            "<th>{} − {}{unpaired}</th>",
            esc(n),
            esc(&names[0])
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for m in metrics {
        let of = |name: &String| rows.iter().find(|r| r.metric == m && &r.scenario == name);
        out.push_str(&format!("<tr><td>{}</td>", esc(m.label())));
        for n in names {
            match of(n) {
                Some(r) => out.push_str(&format!(
                    "<td>{}<span class=\"ci\">{}</span></td>",
                    esc(&human(m, r.estimate.mean)),
                    esc(&interval(m, &r.estimate))
                )),
                None => out.push_str("<td>–</td>"),
            }
        }
        for n in names.iter().skip(1) {
            match of(n).and_then(|r| r.diff.map(|d| (d, r.significant()))) {
                Some((d, sig)) if !d.mean.is_nan() => {
                    let ci = if d.ci95_low.is_nan() {
                        "–".to_string()
                    } else {
                        format!("{} – {}", signed(m, d.ci95_low), signed(m, d.ci95_high))
                    };
                    out.push_str(&format!(
                        "<td{}>{}{}<span class=\"ci\">{}</span></td>",
                        if sig { " class=\"sig\"" } else { "" },
                        if sig { "* " } else { "" },
                        esc(&signed(m, d.mean)),
                        esc(&ci)
                    ));
                }
                _ => out.push_str("<td>–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    let which = if unshared.is_empty() {
        "the paired mean difference and its 95 % interval"
    } else {
        "the paired mean difference and its 95 % interval, or, in a column marked \
         <i>unpaired</i>, the difference of the means and its Welch 95 % interval"
    };
    out.push_str(&format!(
        "<p class=\"note\">Each scenario: mean over {} replications and its 95 % interval. \
         Each difference: {which}; <b>*</b> marks a difference whose interval excludes 0. \
         Differences of shares are in percentage points.</p>\n",
        runs[0].replications()
    ));
    out
}

fn wait_caption(threshold: f64, single: bool) -> String {
    let marks = if single {
        "Bars: the mean share of each bin over the replications; whiskers: its 95 % interval."
    } else {
        "Lines: each scenario's mean share per bin, on bins shared by all scenarios; bands \
         and whiskers: 95 % intervals."
    };
    format!(
        "<b>Wait-time distribution</b> of the calls that reached the queue (answered or \
         abandoned; a call answered at once waits 0 s). {marks} The last bin, marked ≥, \
         gathers every longer wait. The service level counts waits under {}.",
        html::duration(threshold)
    )
}

const CSAT_CAPTION_ONE: &str = "<b>CSAT distribution</b>: the share of tickets \
     (resolved, lost, or scored as unresolved at the drain cap) scoring each value from 1 to 5. Bars: means over the replications; \
     whiskers: 95 % intervals.";

const CSAT_CAPTION_MANY: &str = "<b>CSAT distribution</b>: the share of tickets \
     (resolved, lost, or open at the drain cap) scoring each value from 1 to 5, one bar per scenario. Whiskers: \
     95 % intervals.";

/// `cut`: some series was cut at [`intervals::MAX_CHART_INTERVALS`].
fn intervals_caption(threshold: f64, thresholds_differ: bool, cut: bool) -> String {
    let sl = if thresholds_differ {
        "answered within each scenario's threshold".to_string()
    } else {
        format!("answered within {}", html::duration(threshold))
    };
    format!(
        "<b>Per interval of the open day</b>, on one time axis: the service level (calls \
         {sl}, of those that reached the queue), the mean wait of the calls that reached the \
         queue, and the mean number of agents present. Calls count in the interval in which \
         they arrived. Lines: means over the replications; bands: 95 % intervals; gaps: \
         intervals with no call that reached the queue. The axis runs over open hours: \
         over several days, the nights of a centre that closes are left out and a darker \
         line starts each day.{}",
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
