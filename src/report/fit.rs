//! The fit report (`rappel fit`): what was learnt from the log, how well the handle times
//! and patience fit (Q–Q, Kaplan–Meier), what the staffing shows, and the back-test: the
//! log against the simulation's 95 % intervals, per interval and overall.

use super::charts::lines::{Axes, Mark, Series, line_chart};
use super::charts::{SMALL_WIDTH, WIDTH, colour, hex};
use super::html::{esc, facts, figure, legend, page_end, page_start};
use crate::fit::backtest::METRICS;
use crate::fit::{BackTest, CallLog, Family, Fit};
use crate::output::fit::backtest_value;
use crate::scenario::raw_roster::WEEKDAY_NAMES;

/// Clock-time ticks every `step` hours over a day.
fn clock_ticks(step: usize) -> Vec<(f64, String)> {
    (0..=24)
        .step_by(step)
        .map(|h| (h as f64, format!("{h:02}:00")))
        .collect()
}

/// The report page.
pub fn fit_report(fit: &Fit, log: &CallLog, bt: Option<&BackTest>) -> String {
    let o = &fit.options;
    let lines = facts(&[
        ("Log format", esc(fit.log.format)),
        ("Calls used", fit.log.calls.to_string()),
        ("Records", fit.log.rows.to_string()),
        ("Days", fit.days.to_string()),
        ("Interval", esc(&crate::output::duration(o.interval))),
        ("Replications", o.replications.to_string()),
        ("rappel", env!("CARGO_PKG_VERSION").to_string()),
    ]);
    let mut out = page_start(
        &format!("rappel fit: {}", o.name),
        "rappel fit report",
        &esc(&o.name),
        &lines,
    );
    if !fit.log.ignored.is_empty() {
        out.push_str("<p class=\"note\">Left out of the model: ");
        let items: Vec<String> = fit
            .log
            .ignored
            .iter()
            .map(|(why, n)| format!("{n} {}", esc(why)))
            .collect();
        out.push_str(&items.join("; "));
        out.push_str(".</p>\n");
    }
    if let Some(bt) = bt {
        out.push_str(&backtest_section(fit, bt));
    }
    out.push_str(&types_section(fit));
    out.push_str(&fits_section(fit, log));
    out.push_str(&staffing_section(fit));
    out.push_str(&page_end());
    out
}

fn backtest_section(fit: &Fit, bt: &BackTest) -> String {
    let mut out = format!(
        "<h2>Back-test</h2>\n<p class=\"note\">The fitted scenario simulated over the log's {} \
         days ({} replications), its calls measured as the log's are. Simulated: the mean \
         over the replications with its Student-t 95 % interval.</p>\n\
         <div class=\"table\"><table>\n<thead><tr><th>Figure</th><th>Log</th><th>Simulated</th>\
         <th>95 % interval</th><th>Log inside</th></tr></thead>\n<tbody>\n",
        fit.days, bt.replications
    );
    for r in bt.overall() {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td></tr>\n",
            esc(METRICS[r.metric].1),
            esc(&backtest_value(r.metric, r.observed)),
            esc(&backtest_value(r.metric, r.simulated.mean)),
            esc(&backtest_value(r.metric, r.simulated.ci95_low)),
            esc(&backtest_value(r.metric, r.simulated.ci95_high)),
            if r.inside() { "yes" } else { "no" }
        ));
    }
    out.push_str("</tbody>\n</table></div>\n<div class=\"multiples\">\n");
    let h = fit.options.interval / 3600.0;
    for m in [0, 3, 1, 2] {
        let rows: Vec<_> = bt
            .rows
            .iter()
            .filter(|r| r.metric == m && r.interval.is_some())
            .collect();
        let x = |r: &crate::fit::BackTestRow| (r.interval.unwrap_or(0) as f64 + 0.5) * h;
        let scale = if matches!(m, 1 | 3) { 100.0 } else { 1.0 };
        let series: Vec<Series> = vec![
            (
                colour(1),
                Mark::Band(
                    rows.iter()
                        .map(|r| {
                            (
                                x(r),
                                r.simulated.ci95_low * scale,
                                r.simulated.ci95_high * scale,
                            )
                        })
                        .collect(),
                ),
            ),
            (
                colour(1),
                Mark::Line(
                    rows.iter()
                        .map(|r| (x(r), r.simulated.mean * scale))
                        .collect(),
                ),
            ),
            (
                colour(0),
                Mark::Line(rows.iter().map(|r| (x(r), r.observed * scale)).collect()),
            ),
        ];
        let label = METRICS[m].1;
        let axes = Axes {
            x: (0.0, 24.0),
            x_ticks: clock_ticks(6),
            x_desc: "Time of day".into(),
            y_desc: if scale > 1.0 {
                format!("{label} (%)")
            } else {
                label.to_string()
            },
            y_top: (scale > 1.0).then_some(100.0),
        };
        let svg = line_chart(
            &format!("backtest-{}", METRICS[m].0),
            label,
            &axes,
            &series,
            (SMALL_WIDTH, 320),
        );
        out.push_str(&format!(
            "<div class=\"multiple\"><p class=\"multiple-name\">{}</p>\n{svg}</div>\n",
            esc(label)
        ));
    }
    out.push_str("</div>\n");
    out.push_str(&legend(&[
        (hex(colour(0)), "the log".into()),
        (hex(colour(1)), "simulated: mean and 95 % band".into()),
    ]));
    out.push_str(
        "<p class=\"note\">Per interval of the day, pooled over the log's days: offered calls \
         per day, abandonment and service level (of the calls that reached the queue), and the \
         average speed of answer. Calls count in the interval they arrived in.</p>\n",
    );
    out
}

fn types_section(fit: &Fit) -> String {
    let mut out = String::from(
        "<h2>Ticket types</h2>\n<div class=\"table\"><table>\n<thead><tr><th>Type</th>\
         <th>Calls</th><th>Share</th><th>Handle time (least AIC)</th><th>KS</th>\
         <th>Patience (censored MLE)</th><th>Naive mean</th></tr></thead>\n<tbody>\n",
    );
    for ty in &fit.types {
        let (best, ks, others) = match ty.handle.first() {
            Some(b) => (
                if b.family == Family::Exponential {
                    format!("exponential, mean {:.0} ± {:.0} s", b.mean, b.mean_se)
                } else {
                    format!(
                        "{}, mean {:.0} ± {:.0} s, cv {:.2} ± {:.2}",
                        b.family.name(),
                        b.mean,
                        b.mean_se,
                        b.cv,
                        b.cv_se
                    )
                },
                format!("{:.3}", b.ks),
                ty.handle[1..]
                    .iter()
                    .map(|f| format!("{} +{:.1}", f.family.name(), f.aic - b.aic))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            None => ("–".into(), "–".into(), String::new()),
        };
        let p = &ty.patience;
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&ty.name),
            ty.calls,
            esc(&crate::output::percent(ty.share, 1)),
            esc(&format!("ΔAIC: {others}")),
            esc(&best),
            ks,
            if p.abandoned > 0 {
                format!("exponential, mean {:.0} ± {:.0} s ({} of {} hung up)", p.mean, p.mean_se, p.abandoned, p.queued)
            } else {
                "none: nobody hung up".into()
            },
            if p.naive_mean.is_finite() {
                format!("{:.0} s", p.naive_mean)
            } else {
                "–".into()
            }
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str(
        "<p class=\"note\">Handle time: the family of least AIC among lognormal, gamma and \
         exponential (maximum likelihood; the others' ΔAIC in estimates.csv and the scenario's \
         comments), ± standard errors; KS: the Kolmogorov–Smirnov distance to it. Patience: the \
         exponential's censored maximum likelihood (answered callers were at least as patient as \
         their wait); the naive mean of the hang-ups' waits, beside it, is biased short.</p>\n",
    );
    out
}

fn fits_section(fit: &Fit, log: &CallLog) -> String {
    let Some((t, ty)) = fit.types.iter().enumerate().max_by_key(|(_, t)| t.calls) else {
        return String::new();
    };
    let mut out = format!(
        "<h2>How well they fit: {}</h2>\n<div class=\"multiples\">\n",
        esc(&ty.name)
    );
    // Q–Q: the sample's quantiles against the chosen distribution's.
    if let Some(best) = ty.handle.first() {
        let mut x: Vec<f64> = log
            .calls
            .iter()
            .filter(|c| c.ty == t && c.answered)
            .map(|c| c.handle)
            .collect();
        x.sort_by(f64::total_cmp);
        let n = x.len();
        let pts: Vec<(f64, f64)> = (1..100)
            .map(|q| {
                let p = f64::from(q) / 100.0;
                let sample = x[((p * n as f64) as usize).min(n - 1)];
                (quantile(best, p), sample)
            })
            .collect();
        let top = pts.iter().map(|p| p.0.max(p.1)).fold(0.0, f64::max) * 1.05;
        let axes = Axes {
            x: (0.0, top),
            x_ticks: super::charts::ticks(0.0, top, 5)
                .into_iter()
                .map(|v| (v, super::charts::tick(v)))
                .collect(),
            x_desc: format!("Fitted {} quantile (s)", best.family.name()),
            y_desc: "Log's quantile (s)".into(),
            y_top: Some(top),
        };
        let svg = line_chart(
            "qq-handle",
            "Q–Q plot of the handle times",
            &axes,
            &[
                (colour(1), Mark::Line(vec![(0.0, 0.0), (top, top)])),
                (colour(0), Mark::Points(pts)),
            ],
            (SMALL_WIDTH, 340),
        );
        out.push_str(&format!(
            "<div class=\"multiple\"><p class=\"multiple-name\">Handle time: Q–Q, percentiles 1 to 99</p>\n{svg}</div>\n"
        ));
    }
    let p = &ty.patience;
    if p.abandoned > 0 {
        let end = p.km.last().map_or(600.0, |k| k.0).min(1800.0);
        let mut steps = vec![(0.0, 1.0)];
        steps.extend(p.km.iter().filter(|k| k.0 <= end).copied());
        let curve: Vec<(f64, f64)> = (0..=60)
            .map(|i| {
                let w = end * f64::from(i) / 60.0;
                (w, (-w / p.mean).exp())
            })
            .collect();
        let axes = Axes {
            x: (0.0, end),
            x_ticks: super::charts::ticks(0.0, end, 5)
                .into_iter()
                .map(|v| (v, super::charts::tick(v)))
                .collect(),
            x_desc: "Wait (s)".into(),
            y_desc: "Still patient".into(),
            y_top: Some(1.0),
        };
        let svg = line_chart(
            "patience-km",
            "Kaplan–Meier patience against the fitted exponential",
            &axes,
            &[
                (colour(1), Mark::Line(curve)),
                (colour(0), Mark::Steps(steps)),
            ],
            (SMALL_WIDTH, 340),
        );
        out.push_str(&format!(
            "<div class=\"multiple\"><p class=\"multiple-name\">Patience: Kaplan–Meier and the exponential</p>\n{svg}</div>\n"
        ));
    }
    out.push_str("</div>\n");
    out.push_str(&legend(&[
        (hex(colour(0)), "the log".into()),
        (hex(colour(1)), "the fitted distribution".into()),
    ]));
    out.push_str(
        "<p class=\"note\">Left: each percentile of the answered calls' handle times against \
         the fitted distribution's (on the diagonal when they agree). Right: the share of \
         queued callers still waiting after each wait, by Kaplan–Meier (answered callers \
         count as censored: their patience was longer than their wait), against the fitted \
         exponential patience.</p>\n",
    );
    out
}

/// The `p` quantile of a fitted distribution, by bisection of its distribution function.
fn quantile(f: &crate::fit::Fitted, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, f.mean * 100.0);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if f.cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

fn staffing_section(fit: &Fit) -> String {
    let Some(k) = (0..7).filter(|&k| fit.open_slot(k)).max_by(|&a, &b| {
        let s = |k: usize| fit.volumes[k].iter().sum::<f64>();
        s(a).total_cmp(&s(b))
    }) else {
        return String::new();
    };
    let h = fit.options.interval / 3600.0;
    let row = &fit.staffing[k];
    let pts = |f: &dyn Fn(&crate::fit::IntervalStaffing) -> f64| -> Vec<(f64, f64)> {
        row.iter()
            .enumerate()
            .map(|(i, s)| ((i as f64 + 0.5) * h, f(s)))
            .collect()
    };
    let axes = Axes {
        x: (0.0, 24.0),
        x_ticks: clock_ticks(2),
        x_desc: "Time of day".into(),
        y_desc: "Agents".into(),
        y_top: None,
    };
    let svg = line_chart(
        "staffing",
        "Agents seen, busy and available to the queue",
        &axes,
        &[
            (colour(3), Mark::Line(pts(&|s| s.seen))),
            (colour(2), Mark::Line(pts(&|s| s.busy_mean))),
            (colour(0), Mark::Line(pts(&|s| s.available))),
        ],
        (WIDTH, 360),
    );
    format!(
        "<h2>Staffing available to the queue</h2>\n{}",
        figure(
            &svg,
            &format!(
                "<b>{}</b>, the busiest weekday, averaged over its days in the log: the agents \
                 who took a call in each interval, the mean number busy, and the estimate the \
                 scenario uses: the mean number busy while callers waited (when callers waited \
                 less than a tenth of the interval, the most busy at once). Agents who took \
                 calls also did other work; a scenario staffed with them answers far more calls \
                 than the log shows (run <code>rappel fit --staffing-seen</code> to see it).",
                WEEKDAY_NAMES[fit.weekday(k)]
            ),
            &legend(&[
                (hex(colour(3)), "took a call".into()),
                (hex(colour(2)), "busy on average".into()),
                (hex(colour(0)), "available to the queue (used)".into()),
            ]),
        )
    )
}
