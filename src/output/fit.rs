//! The files and the terminal text of `rappel fit`: estimates.csv (every estimate with its
//! standard error), backtest.csv (the log against the simulation, per interval and
//! overall), fit.json (the manifest) and the terminal's summary.

use super::csv::csv_bytes;
use super::{num, percent};
use crate::fit::backtest::METRICS;
use crate::fit::{BackTest, Fit};
use crate::scenario::format_clock;
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use std::fmt::Write;

/// Columns of estimates.csv.
pub const ESTIMATE_COLUMNS: [&str; 6] =
    ["subject", "type", "parameter", "value", "std_error", "note"];

/// estimates.csv: one row per estimate.
pub fn estimates_csv(fit: &Fit) -> Vec<u8> {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut row = |subject: &str, ty: &str, p: &str, v: f64, se: f64, note: String| {
        rows.push([subject.into(), ty.into(), p.into(), num(v), num(se), note]);
    };
    row(
        "log",
        "",
        "calls",
        fit.log.calls as f64,
        f64::NAN,
        fit.log.format.into(),
    );
    row(
        "log",
        "",
        "records",
        fit.log.rows as f64,
        f64::NAN,
        String::new(),
    );
    for (why, n) in &fit.log.ignored {
        row("log", "", "left_out", *n as f64, f64::NAN, why.clone());
    }
    row("log", "", "days", fit.days as f64, f64::NAN, String::new());
    if let Some(cv) = fit.busyness {
        row(
            "arrivals",
            "",
            "busyness_cv",
            cv,
            f64::NAN,
            "from daily totals per weekday".into(),
        );
    }
    for ty in &fit.types {
        row(
            "arrivals",
            &ty.name,
            "share",
            ty.share,
            (ty.share * (1.0 - ty.share) / fit.log.calls as f64).sqrt(),
            format!("{} calls", ty.calls),
        );
        for (i, h) in ty.handle.iter().enumerate() {
            let note = format!(
                "{}AIC {:.1}, KS {:.4}",
                if i == 0 { "chosen; " } else { "" },
                h.aic,
                h.ks
            );
            row(
                "handle_time",
                &ty.name,
                &format!("{}_mean_s", h.family.name()),
                h.mean,
                h.mean_se,
                note.clone(),
            );
            row(
                "handle_time",
                &ty.name,
                &format!("{}_cv", h.family.name()),
                h.cv,
                h.cv_se,
                note,
            );
        }
        let p = &ty.patience;
        row(
            "patience",
            &ty.name,
            "exponential_mean_s",
            p.mean,
            p.mean_se,
            format!(
                "{} hang-ups of {} queued, censored MLE",
                p.abandoned, p.queued
            ),
        );
        row(
            "patience",
            &ty.name,
            "naive_mean_s",
            p.naive_mean,
            f64::NAN,
            "mean wait of the hang-ups: biased low, not used".into(),
        );
    }
    row(
        "staffing",
        "",
        "adherence",
        fit.adherence,
        f64::NAN,
        "whole agents × adherence keep the fractional estimates".into(),
    );
    let r = &fit.returns;
    row(
        "returns",
        "",
        "identified_share",
        r.identified as f64 / r.calls as f64,
        f64::NAN,
        String::new(),
    );
    row(
        "returns",
        "",
        "redial_share",
        r.redials.share(),
        f64::NAN,
        format!("{} abandoned calls, within a day", r.redials.calls),
    );
    row(
        "returns",
        "",
        "redial_median_delay_s",
        r.redials.median_delay,
        f64::NAN,
        String::new(),
    );
    row(
        "returns",
        "",
        "repeat_share",
        r.repeats.share(),
        f64::NAN,
        format!("{} answered calls, within three days", r.repeats.calls),
    );
    row(
        "returns",
        "",
        "repeat_median_delay_s",
        r.repeats.median_delay,
        f64::NAN,
        String::new(),
    );
    csv_bytes(ESTIMATE_COLUMNS, rows)
}

/// staffing.csv columns.
pub const STAFFING_COLUMNS: [&str; 9] = [
    "weekday",
    "interval_start",
    "calls",
    "agents_seen",
    "busy_mean",
    "busy_max",
    "waiting_share",
    "available",
    "agents",
];

/// fitted_staffing.csv: what the log shows of each interval, per weekday.
pub fn staffing_csv(fit: &Fit) -> Vec<u8> {
    let mut rows = Vec::new();
    for k in 0..7 {
        if !fit.open_slot(k) {
            continue;
        }
        for (i, s) in fit.staffing[k].iter().enumerate() {
            rows.push(vec![
                WEEKDAY_NAMES[fit.weekday(k)].to_string(),
                format_clock(i as f64 * fit.options.interval),
                num(fit.volumes[k][i]),
                num(s.seen),
                num(s.busy_mean),
                num(s.busy_max),
                num(s.waiting_share),
                num(s.available),
                fit.agents[k][i].to_string(),
            ]);
        }
    }
    csv_bytes(STAFFING_COLUMNS, rows)
}

/// type_mix.csv columns.
pub const TYPE_MIX_COLUMNS: [&str; 4] = ["interval_start", "type", "calls", "share"];

/// type_mix.csv: per interval of the day (over the whole log) and type, the calls and their
/// share of the interval's.
pub fn type_mix_csv(fit: &Fit) -> Vec<u8> {
    let mut rows = Vec::new();
    for (i, counts) in fit.type_mix.iter().enumerate() {
        let total: usize = counts.iter().sum();
        if total == 0 {
            continue;
        }
        for (t, n) in counts.iter().enumerate() {
            rows.push(vec![
                format_clock(i as f64 * fit.options.interval),
                fit.types[t].name.clone(),
                n.to_string(),
                num(*n as f64 / total as f64),
            ]);
        }
    }
    csv_bytes(TYPE_MIX_COLUMNS, rows)
}

/// backtest.csv columns.
pub const BACKTEST_COLUMNS: [&str; 7] = [
    "interval_start",
    "metric",
    "observed",
    "simulated",
    "ci95_low",
    "ci95_high",
    "inside",
];

/// backtest.csv: per interval of the day, then `all`.
pub fn backtest_csv(fit: &Fit, bt: &BackTest) -> Vec<u8> {
    let rows = bt.rows.iter().map(|r| {
        vec![
            r.interval.map_or("all".into(), |i| {
                format_clock(i as f64 * fit.options.interval)
            }),
            METRICS[r.metric].0.to_string(),
            num(r.observed),
            num(r.simulated.mean),
            num(r.simulated.ci95_low),
            num(r.simulated.ci95_high),
            if r.observed.is_nan() || r.simulated.mean.is_nan() {
                String::new()
            } else {
                r.inside().to_string()
            },
        ]
    });
    csv_bytes(BACKTEST_COLUMNS, rows)
}

/// A figure of the back-test as people read it.
pub fn backtest_value(metric: usize, v: f64) -> String {
    if v.is_nan() {
        return "–".into();
    }
    match metric {
        1 | 3 | 4 => percent(v, 1),
        2 => format!("{v:.1} s"),
        _ => format!("{v:.0}"),
    }
}

/// The terminal's summary of a fit.
pub fn fit_text(fit: &Fit, bt: Option<&BackTest>) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{}: {} calls that reached the queue over {} days ({} format, {} records)",
        fit.options.name, fit.log.calls, fit.days, fit.log.format, fit.log.rows
    );
    for (why, n) in &fit.log.ignored {
        let _ = writeln!(t, "  left out: {n} {why}");
    }
    if fit.log.answered_without_agent > 0 {
        let _ = writeln!(
            t,
            "  kept: {} answered calls with no agent named (not among the agents seen)",
            fit.log.answered_without_agent
        );
    }
    let _ = writeln!(
        t,
        "\nArrivals: per {} interval for each weekday; busy-day factor cv {}",
        super::duration(fit.options.interval),
        fit.busyness
            .map_or("– (no weekday has two days)".into(), |c| format!(
                "{c:.3}"
            ))
    );
    let _ = writeln!(
        t,
        "\n{:<10} {:>6} {:>7}  {:<34} {:>6}  {:<22}",
        "type", "calls", "share", "handle time (least AIC)", "KS", "patience (censored)"
    );
    for ty in &fit.types {
        let h = ty.handle.first().map_or("–".to_string(), |h| {
            if h.family == crate::fit::Family::Exponential {
                format!("exponential {:.0} ± {:.0} s", h.mean, h.mean_se)
            } else {
                format!(
                    "{} {:.0} ± {:.0} s, cv {:.2}",
                    h.family.name(),
                    h.mean,
                    h.mean_se,
                    h.cv
                )
            }
        });
        let ks = ty
            .handle
            .first()
            .map_or("–".into(), |h| format!("{:.3}", h.ks));
        let p = if ty.patience.abandoned > 0 {
            format!(
                "exp. {:.0} ± {:.0} s",
                ty.patience.mean, ty.patience.mean_se
            )
        } else {
            "none (no hang-up)".into()
        };
        let _ = writeln!(
            t,
            "{:<10} {:>6} {:>7}  {:<34} {:>6}  {:<22}",
            ty.name,
            ty.calls,
            percent(ty.share, 1),
            h,
            ks,
            p
        );
    }
    let peak = fit
        .staffing
        .iter()
        .enumerate()
        .filter(|(k, _)| fit.open_slot(*k))
        .flat_map(|(k, row)| row.iter().enumerate().map(move |(i, s)| (k, i, *s)))
        .max_by(|a, b| fit.volumes[a.0][a.1].total_cmp(&fit.volumes[b.0][b.1]));
    if let Some((k, i, s)) = peak {
        let _ = writeln!(
            t,
            "\nStaffing (busiest interval, {} {}): {:.1} agents took calls, {:.1} busy on average, at most {:.1} at once; callers waited {} of the time; available to the queue {:.1} (written as whole agents with adherence {:.2})",
            WEEKDAY_NAMES[fit.weekday(k)],
            format_clock(i as f64 * fit.options.interval),
            s.seen,
            s.busy_mean,
            s.busy_max,
            percent(s.waiting_share, 1),
            s.available,
            fit.adherence
        );
    }
    let r = &fit.returns;
    if r.identified > 0 {
        let _ = writeln!(
            t,
            "Returns: {} of abandoned calls redialled within a day, {} of answered calls called again within three days ({} of calls identified)",
            percent(r.redials.share(), 1),
            percent(r.repeats.share(), 1),
            percent(r.identified as f64 / r.calls as f64, 1)
        );
    }
    if let Some(bt) = bt {
        let _ = writeln!(
            t,
            "\nBack-test: the fitted scenario simulated over the log's days ({} replications)",
            bt.replications
        );
        let _ = writeln!(
            t,
            "{:<28} {:>10} {:>10}  {:<22}",
            "", "log", "simulated", "95 % interval"
        );
        for r in bt.overall() {
            let _ = writeln!(
                t,
                "{:<28} {:>10} {:>10}  {:<22}{}",
                METRICS[r.metric].1,
                backtest_value(r.metric, r.observed),
                backtest_value(r.metric, r.simulated.mean),
                format!(
                    "{} – {}",
                    backtest_value(r.metric, r.simulated.ci95_low),
                    backtest_value(r.metric, r.simulated.ci95_high)
                ),
                if r.inside() { "" } else { "  outside" }
            );
        }
        let per: Vec<_> = bt
            .rows
            .iter()
            .filter(|r| r.interval.is_some() && r.metric == 3 && !r.observed.is_nan())
            .collect();
        let inside = per.iter().filter(|r| r.inside()).count();
        let _ = writeln!(
            t,
            "Per interval: the log's abandonment lies within the simulation's 95 % interval in {inside} of {} intervals (backtest.csv, report.html)",
            per.len()
        );
    }
    t
}
