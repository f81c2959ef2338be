//! The report of a comparison: the header, the warnings, the table of every scenario and
//! its differences, and the charts as small multiples (one panel per scenario on shared
//! axes) or grouped bars.

use super::charts::{self, SMALL_WIDTH, colour, hex};
use super::html::{
    self, esc, facts, figure, human, legend, page_end, page_start, scenario_warning_box, signed,
};
use super::intervals::{self, interval_series, intervals_chart};
use super::{CSAT_CAPTION_MANY, DRIVERS_CAPTION_MANY, drivers, intervals_caption, wait_caption};
use crate::compare::Row;
use crate::run::{RunResult, wait_bin_edges};

/// The report of a comparison, as a complete HTML page: `runs` with their display names
/// `names` (the first the baseline) and the comparison's `rows`.
pub fn compare_report(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    effects: Option<&crate::factorial::Effects>,
) -> String {
    let Some(base) = runs.first() else {
        return page_start(
            "rappel comparison",
            "rappel comparison",
            "Nothing to compare",
            "",
        ) + &page_end();
    };
    let sim = &base.scenario.simulation;
    // Two names make a heading; more would run over several lines, so the heading names
    // the baseline and counts the others (the list under it names every scenario).
    let (title, heading) = if names.len() <= 2 {
        let heading = names
            .iter()
            .map(|n| esc(n))
            .collect::<Vec<_>>()
            .join(" <span class=\"vs\">vs</span> ");
        (names.join(" vs "), heading)
    } else {
        let others = names.len() - 1;
        (
            format!("{} vs {others} other scenarios", names[0]),
            format!(
                "{} <span class=\"vs\">vs</span> {others} other scenarios",
                esc(&names[0])
            ),
        )
    };
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
    // Facts the scenarios may not share: one value, or each scenario's in order.
    let each = |f: &dyn Fn(&RunResult) -> String| {
        let mut values: Vec<String> = runs.iter().map(f).collect();
        let all_same = values.iter().all(|v| *v == values[0]);
        if all_same {
            values.truncate(1);
        }
        values.join(" / ")
    };
    lines.push_str(&facts(&[
        ("Seed", each(&|r| r.scenario.simulation.seed.to_string())),
        ("Replications", each(&|r| r.replications().to_string())),
        (
            "Simulated",
            each(&|r| html::duration(r.scenario.simulation.horizon)),
        ),
        (
            "Warm-up",
            each(&|r| html::duration(r.scenario.simulation.warmup)),
        ),
        (
            "Service level threshold",
            each(&|r| html::duration(r.scenario.simulation.service_level_threshold)),
        ),
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
    let per_scenario: Vec<(String, String, Vec<String>)> = runs
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (r, n))| {
            let w = r.warnings().iter().map(ToString::to_string).collect();
            (hex(colour(i)), n.clone(), w)
        })
        .collect();
    out.push_str(&scenario_warning_box(&warnings, &per_scenario));
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
    if let Some(e) = effects {
        out.push_str(&super::effects::effects_section(e, runs, names));
    }

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
        .map(|(i, r)| {
            let (zero, bins) = r.wait_distribution_apart_on(&edges);
            (colour(i), zero, bins)
        })
        .collect();
    let panels: Vec<String> = (0..runs.len())
        .map(|k| charts::wait_chart(&waits, k, SMALL_WIDTH))
        .collect();
    out.push_str(&figure(
        &html::multiples(names, &panels, false),
        &wait_caption(sim.service_level_threshold, false),
        "",
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
    // Over several days a small multiple would have no room for a clock time every few
    // hours: one panel per scenario across the page then.
    let days = per_interval
        .iter()
        .any(|s| s.points.iter().any(|p| p.day != s.points[0].day));
    let width = if days { charts::WIDTH } else { SMALL_WIDTH };
    let panels: Vec<String> = (0..runs.len())
        .map(|k| intervals_chart(&per_interval, Some(k), width))
        .collect();
    out.push_str(&figure(
        &html::multiples(names, &panels, days),
        &intervals_caption(
            thresholds[0],
            !same,
            per_interval
                .iter()
                .any(|p| p.points.len() >= intervals::MAX_CHART_INTERVALS),
            true,
        ),
        "",
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
    // The model's response curves, once when every scenario scores alike (the usual
    // case: a comparison changes the centre, not its customers' minds).
    let first = &base.scenario;
    if runs.iter().all(|r| {
        r.scenario.satisfaction == first.satisfaction
            && super::expected_wait(&r.scenario) == super::expected_wait(first)
    }) {
        out.push_str(&super::response_section(
            &first.satisfaction,
            super::expected_wait(first),
        ));
    }
    out.push_str(&page_end());
    out
}

/// The short key of scenario `i` in the table's headers: A, B, C…
fn key(i: usize) -> String {
    let letter = char::from(b'A' + (i % 26) as u8);
    if i < 26 {
        letter.to_string()
    } else {
        format!("{letter}{}", i / 26)
    }
}

/// A value for a table cell: its number and unit kept on one line.
fn nowrap(v: &str) -> String {
    esc(v).replace(' ', "&nbsp;")
}

/// An interval for a table cell: it may wrap only after its dash.
fn range(lo: &str, hi: &str) -> String {
    format!("{} – {}", nowrap(lo), nowrap(hi))
}

/// The comparison table: each headline metric of any scenario in the run table's order
/// (the call outcomes grouped under the calls offered), each scenario's mean and interval,
/// then each difference from the baseline with its interval, marked `*` (and bold) when
/// the interval excludes 0; the column of a scenario in `unshared` is headed
/// `(unpaired)`. The headers are short keys (A, B…), named in a legend above the table,
/// and the cells wrap, so that the table fits the page (and, narrow and with many
/// scenarios, stacks; see the style sheet).
fn comparison_table(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    unshared: &[crate::compare::Unshared],
) -> String {
    let metrics = crate::output::comparison_metrics(runs);
    let mut out = String::from("<h2>Headline metrics</h2>\n<p class=\"keys\">");
    for (i, n) in names.iter().enumerate() {
        out.push_str(&format!(
            "<span><span class=\"swatch\" style=\"background:{}\"></span><b>{}</b>: {}{}</span> ",
            hex(colour(i)),
            key(i),
            esc(n),
            if i == 0 { " (baseline)" } else { "" }
        ));
    }
    let many = if names.len() >= 6 { " many" } else { "" };
    out.push_str(&format!(
        "</p>\n<div class=\"table\"><table class=\"compare{many}\">\n<thead><tr><th>Metric</th>"
    ));
    let mut headers: Vec<String> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        headers.push(key(i));
        out.push_str(&format!(
            "<th title=\"{}\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th>",
            esc(n),
            hex(colour(i)),
            key(i)
        ));
    }
    for (i, n) in names.iter().enumerate().skip(1) {
        let unpaired = if unshared.iter().any(|u| &u.scenario == n) {
            " (unpaired)"
        } else {
            ""
        };
        let h = format!("{} − {}{unpaired}", key(i), key(0));
        out.push_str(&format!("<th>{h}</th>"));
        headers.push(h);
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for m in metrics {
        let of = |name: &String| rows.iter().find(|r| r.metric == m && &r.scenario == name);
        out.push_str(&format!(
            "<tr{}><td>{}</td>",
            super::row_class(m),
            esc(m.label())
        ));
        let mut column = headers.iter();
        let mut label = || {
            format!(
                " data-label=\"{}\"",
                column.next().map(String::as_str).unwrap_or("")
            )
        };
        for n in names {
            let at = label();
            match of(n) {
                Some(r) => {
                    let ci = if r.estimate.ci95_low.is_nan() {
                        "–".to_string()
                    } else {
                        range(
                            &human(m, r.estimate.ci95_low),
                            &human(m, r.estimate.ci95_high),
                        )
                    };
                    out.push_str(&format!(
                        "<td{at}>{}<span class=\"ci\">{ci}</span></td>",
                        nowrap(&human(m, r.estimate.mean)),
                    ));
                }
                None => out.push_str(&format!("<td{at}>–</td>")),
            }
        }
        for n in names.iter().skip(1) {
            let at = label();
            match of(n).and_then(|r| r.diff.map(|d| (d, r.significant()))) {
                Some((d, sig)) if !d.mean.is_nan() => {
                    let ci = if d.ci95_low.is_nan() {
                        "–".to_string()
                    } else {
                        range(&signed(m, d.ci95_low), &signed(m, d.ci95_high))
                    };
                    out.push_str(&format!(
                        "<td{at}{}>{}{}<span class=\"ci\">{ci}</span></td>",
                        if sig { " class=\"sig\"" } else { "" },
                        if sig { "* " } else { "" },
                        nowrap(&signed(m, d.mean)),
                    ));
                }
                _ => out.push_str(&format!("<td{at}>–</td>")),
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
         Each difference (B − A: scenario B less the baseline A): {which}; <b>*</b> marks a \
         difference whose interval excludes 0. Differences of shares are in percentage \
         points. The call outcomes, indented, share the calls offered as their one \
         denominator.</p>\n",
        runs[0].replications()
    ));
    out
}
