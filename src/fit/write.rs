//! The fitted scenario as commented TOML (every value says where it came from), and its
//! forecast file (calls per interval for each day of the week, the `arrivals.forecast`
//! format with a `day` column).

use super::{Fit, Fitted};
use crate::scenario::format_clock;
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use std::fmt::Write;

/// A TOML basic string.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as TOML writes it, rounded to `digits` decimals (at least one digit shown).
pub(super) fn number(v: f64, digits: usize) -> String {
    let t = format!("{v:.digits$}");
    if t.contains('.') {
        let t = t.trim_end_matches('0');
        if t.ends_with('.') {
            format!("{t}0")
        } else {
            t.to_string()
        }
    } else {
        t
    }
}

fn dist(f: &Fitted) -> String {
    match f.family {
        super::Family::Exponential => {
            format!("{{ dist = \"exponential\", mean = {} }}", number(f.mean, 1))
        }
        fam => format!(
            "{{ dist = \"{}\", mean = {}, cv = {} }}",
            fam.name(),
            number(f.mean, 1),
            number(f.cv.max(0.001), 3)
        ),
    }
}

/// The forecast file: with several types, per type (a `type` column), so that each
/// interval keeps the log's mix of types.
pub fn forecast_csv(fit: &Fit) -> String {
    if fit.types.len() < 2 {
        return profile_csv(&fit.volumes, fit.options.interval);
    }
    let mut out = String::from(
        "# Calls per interval of each ticket type for each day of the week from the log's \
         first day (day 0), the mean over the log's days of that weekday; written by rappel \
         fit.\nday,type,interval_start,calls\n",
    );
    for (ty, volumes) in fit.types.iter().zip(&fit.type_volumes) {
        for (k, row) in volumes.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{k},{},{},{}",
                    csv_field(&ty.name),
                    format_clock(i as f64 * fit.options.interval),
                    number(*v, 4)
                );
            }
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Calls per interval (`volumes[k][i]`: day of the week *k* from day 0, interval *i*) as a
/// forecast file with a `day` column.
pub fn profile_csv(volumes: &[Vec<f64>], interval: f64) -> String {
    let mut out = String::from(
        "# Calls per interval for each day of the week from the log's first day (day 0), \
         the mean over the log's days of that weekday; written by rappel fit.\n\
         day,interval_start,calls\n",
    );
    for (k, row) in volumes.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            let _ = writeln!(
                out,
                "{k},{},{}",
                format_clock(i as f64 * interval),
                number(*v, 4)
            );
        }
    }
    out
}

/// The scenario.
pub fn scenario_toml(fit: &Fit, forecast: &str, source: &str) -> String {
    let o = &fit.options;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Fitted by rappel fit {} from {source} ({} format): {} calls that reached the queue \
         over {} days, of {} records.",
        env!("CARGO_PKG_VERSION"),
        fit.log.format,
        fit.log.calls,
        fit.days,
        fit.log.rows
    );
    for (why, n) in &fit.log.ignored {
        let _ = writeln!(t, "# Left out: {n} {why}.");
    }
    let _ = writeln!(
        t,
        "# Every value below says where it came from; docs/fit.md states each estimator.\n"
    );
    let _ = writeln!(t, "name = {}", quoted(&o.name));
    let _ = writeln!(
        t,
        "description = {}\n",
        quoted(&format!("Learnt from {source} by rappel fit"))
    );
    let week: Vec<String> = (0..7)
        .filter(|&k| fit.open_slot(k))
        .map(|k| format!("\"{}\"", WEEKDAY_NAMES[fit.weekday(k)]))
        .collect();
    let _ = writeln!(t, "[simulation]");
    let _ = writeln!(
        t,
        "days = {}                      # the log's days",
        fit.days
    );
    let _ = writeln!(
        t,
        "start_day = \"{}\"             # the weekday of the log's first day{}",
        WEEKDAY_NAMES[fit.start_weekday],
        fit.log
            .first_date
            .as_ref()
            .map_or(String::new(), |d| format!(" ({d})"))
    );
    let _ = writeln!(
        t,
        "week = [{}]   # weekdays with calls in the log",
        week.join(", ")
    );
    let _ = writeln!(t, "interval = \"{}s\"", number(o.interval, 0));
    let _ = writeln!(t, "replications = {}", o.replications);
    let _ = writeln!(t, "seed = {}", o.seed);
    let _ = writeln!(
        t,
        "service_level_threshold = \"{}s\"\n",
        number(o.threshold, 3)
    );
    let _ = writeln!(t, "[arrivals]");
    let _ = writeln!(
        t,
        "# Calls per interval for each weekday: the mean over the log's days of that weekday."
    );
    let _ = writeln!(t, "forecast = {}", quoted(forecast));
    match fit.busyness {
        Some(cv) if cv > 0.0 => {
            let _ = writeln!(
                t,
                "# Day-to-day variation beyond Poisson, from the daily totals of each weekday \
                 (cv² = Σ(n−1)(s² − mean) / Σ(n−1) mean²)."
            );
            let _ = writeln!(t, "busyness = {{ cv = {} }}\n", number(cv.min(3.0), 3));
        }
        Some(_) => {
            let _ = writeln!(
                t,
                "# The daily totals vary no more than Poisson's: no busy-day factor.\n"
            );
        }
        None => {
            let _ = writeln!(
                t,
                "# No weekday has two days in the log: the busy-day factor cannot be estimated.\n"
            );
        }
    }
    for ty in &fit.types {
        let _ = writeln!(t, "[[ticket_types]]");
        let _ = writeln!(t, "name = {}", quoted(&ty.name));
        if fit.types.len() < 2 {
            let _ = writeln!(
                t,
                "share = {}          # {} of the {} calls",
                ty.share, ty.calls, fit.log.calls
            );
        } else {
            let _ = writeln!(
                t,
                "# {} of the {} calls: the forecast file's `type` rows give this type's calls \
                 per interval, so its share follows the log's mix through the day.",
                ty.calls, fit.log.calls
            );
        }
        match ty.handle.first() {
            Some(best) => {
                let others: Vec<String> = ty.handle[1..]
                    .iter()
                    .map(|f| format!("{} AIC +{:.1}", f.family.name(), f.aic - best.aic))
                    .collect();
                let _ = writeln!(
                    t,
                    "# Handle time: maximum likelihood on {} answered calls, least AIC ({}); \
                     KS distance {:.3}; mean ± {:.1} s, cv ± {:.3} (standard errors).",
                    ty.answered,
                    others.join(", "),
                    best.ks,
                    best.mean_se,
                    best.cv_se
                );
                let _ = writeln!(t, "handle_time = {}", dist(best));
            }
            None => {
                let _ = writeln!(
                    t,
                    "# No answered call of this type: its handle time is not in the log; 3 minutes is a placeholder."
                );
                let _ = writeln!(
                    t,
                    "handle_time = {{ dist = \"exponential\", mean = \"3m\" }}"
                );
            }
        }
        let p = &ty.patience;
        if p.abandoned > 0 {
            let _ = writeln!(
                t,
                "# Patience: exponential, censored maximum likelihood: {:.0} s waited by {} \
                 queued callers / {} hang-ups (± {:.1} s); the naive mean of the hang-ups' \
                 waits, {:.1} s, ignores that answered callers were more patient.",
                p.exposure, p.queued, p.abandoned, p.mean_se, p.naive_mean
            );
            let _ = writeln!(
                t,
                "patience = {{ dist = \"exponential\", mean = {} }}",
                number(p.mean.max(0.1), 1)
            );
        } else {
            let _ = writeln!(
                t,
                "# Patience: no caller of this type hung up in the queue ({} queued): none set, \
                 they never abandon.",
                p.queued
            );
        }
        let _ = writeln!(t);
    }
    let _ = writeln!(t, "[[teams]]");
    let _ = writeln!(t, "name = \"agents\"");
    let serves: Vec<String> = fit.types.iter().map(|ty| quoted(&ty.name)).collect();
    let _ = writeln!(t, "serves = [{}]", serves.join(", "));
    let _ = writeln!(
        t,
        "# Agents available to the queue per interval: the mean number busy while callers \
         waited (where they waited under a tenth of the interval, the most busy at once), \
         averaged over the log's days of each weekday; whole agents, with the adherence that \
         keeps those fractional means (agents × adherence). {} agents took calls in the log.",
        fit.log.agents
    );
    if fit.adherence < 1.0 {
        let _ = writeln!(t, "adherence = {}", number(fit.adherence, 2));
    }
    let _ = writeln!(t, "[teams.agents_by_weekday]");
    for k in 0..7 {
        if !fit.open_slot(k) {
            continue;
        }
        let list: Vec<String> = fit.agents[k].iter().map(u32::to_string).collect();
        let _ = writeln!(
            t,
            "{} = [{}]",
            WEEKDAY_NAMES[fit.weekday(k)],
            list.join(", ")
        );
    }
    let r = &fit.returns;
    let _ = writeln!(
        t,
        "\n# Returns ({} of {} calls with a customer id): {} of {} abandoned calls were \
         followed by another call within a day{}; {} of {} answered calls by another within \
         three days{}. The arrivals above already hold these calls, so no redial is set: \
         docs/fit.md says how to model them instead.",
        r.identified,
        r.calls,
        r.redials.returned,
        r.redials.calls,
        if r.redials.returned > 0 {
            format!(
                " (median delay {})",
                crate::output::duration(r.redials.median_delay)
            )
        } else {
            String::new()
        },
        r.repeats.returned,
        r.repeats.calls,
        if r.repeats.returned > 0 {
            format!(
                " (median delay {})",
                crate::output::duration(r.repeats.median_delay)
            )
        } else {
            String::new()
        }
    );
    t
}
