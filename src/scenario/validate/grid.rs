//! The day grid and the run's length and statistics settings.

use super::{MAX_INTERVALS, Problems};
use crate::scenario::duration::{parse_date, weekday_of};
use crate::scenario::raw::RawScenario;
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::{DAY, DayGrid, Simulation};

/// The default of `simulation.drain_limit`: a week after the horizon.
pub const DEFAULT_DRAIN: f64 = 7.0 * DAY;

pub(super) fn day_grid(raw: &RawScenario, p: &mut Problems) -> Option<DayGrid> {
    let s = &raw.simulation;
    let open = s.open.map_or(0.0, |c| c.0);
    let close = s.close.map_or(DAY, |c| c.0);
    let interval = s.interval.map_or(1800.0, |d| d.0);
    if close <= open {
        p.add(
            "simulation.close",
            "the centre must close after it opens",
            "e.g. open = \"08:00\", close = \"20:00\"",
        );
        return None;
    }
    // Below a minute per-interval figures are noise, and the per-interval vectors built
    // from the grid must stay small whatever a user types.
    if interval.is_nan() || interval < 60.0 {
        p.add(
            "simulation.interval",
            format!("the interval must be at least 1 minute, not {interval} s"),
            "e.g. interval = \"15m\"",
        );
        return None;
    }
    let n = (close - open) / interval;
    if (n - n.round()).abs() > 1e-9 || n.round() < 1.0 {
        p.add(
            "simulation.interval",
            format!(
                "the open day ({} s) is not a whole number of intervals of {} s",
                close - open,
                interval
            ),
            "choose an interval that divides the opening hours, e.g. \"15m\" or \"30m\"",
        );
        return None;
    }
    Some(DayGrid {
        open,
        close,
        interval,
    })
}

pub(super) fn simulation(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Simulation> {
    let s = &raw.simulation;
    let horizon = match (s.horizon, s.days) {
        (Some(_), Some(_)) => {
            p.add(
                "simulation.days",
                "both `horizon` and `days` are given",
                "keep one of them",
            );
            return None;
        }
        (Some(h), None) => h.0,
        (None, Some(d)) => f64::from(d) * DAY,
        (None, None) => DAY,
    };
    let key = if s.days.is_some() {
        "simulation.days"
    } else {
        "simulation.horizon"
    };
    if horizon <= 0.0 {
        p.add(
            key,
            "the run must last longer than 0 s",
            "e.g. horizon = \"1d\" or days = 7",
        );
        return None;
    }
    if horizon / day.interval > MAX_INTERVALS {
        p.add(
            key,
            format!("the run has more than {MAX_INTERVALS} intervals"),
            "shorten the horizon or lengthen `simulation.interval`",
        );
        return None;
    }
    let warmup = s.warmup.map_or(0.0, |d| d.0);
    if warmup >= horizon {
        p.add(
            "simulation.warmup",
            format!("the warm-up ({warmup} s) is not shorter than the run ({horizon} s)"),
            "shorten the warm-up or lengthen the horizon",
        );
    }
    let replications = s.replications.unwrap_or(10);
    if !(1..=100_000).contains(&replications) {
        p.add(
            "simulation.replications",
            format!("{replications} replications: it must be from 1 to 100000"),
            "10 to 30 replications are usual",
        );
    }
    let threshold = s.service_level_threshold.map_or(20.0, |d| d.0);
    let drain_limit = s.drain_limit.map_or(DEFAULT_DRAIN, |d| d.0);
    if !(0.0..=365.0 * DAY).contains(&drain_limit) {
        p.add(
            "simulation.drain_limit",
            format!("{drain_limit} s is not from 0 to 365 days"),
            "the default, \"7d\", is enough unless tickets stay open for days",
        );
    }
    let short_abandon = s.short_abandon.map_or(0.0, |d| d.0);
    if short_abandon < 0.0 || (short_abandon > 0.0 && short_abandon >= threshold) {
        p.add(
            "simulation.short_abandon",
            format!("{short_abandon} s is not below the service-level threshold ({threshold} s)"),
            "short abandons are a few seconds, e.g. short_abandon = \"5s\"",
        );
    }
    let start_weekday = match start_weekday(raw) {
        Ok(w) => w,
        Err(message) => {
            p.add(
                "simulation.start_day",
                message,
                "write a day of the week, e.g. start_day = \"sun\", or a date, e.g. \"2026-01-04\"",
            );
            0
        }
    };
    let week = match week(raw) {
        Ok(w) => w,
        Err((message, help)) => {
            p.add("simulation.week", message, help);
            [true; 7]
        }
    };
    Some(Simulation {
        start_weekday,
        week,
        horizon,
        warmup,
        replications,
        seed: s.seed.unwrap_or(1),
        service_level_threshold: threshold,
        drain_limit,
        short_abandon,
    })
}

/// The days of the week the centre opens (`simulation.week`), Monday first; every day by
/// default. An error is (message, help).
pub(super) fn week(raw: &RawScenario) -> Result<[bool; 7], (String, &'static str)> {
    let Some(list) = &raw.simulation.week else {
        return Ok([true; 7]);
    };
    let help =
        "list the days the centre opens, e.g. week = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]";
    if list.is_empty() {
        return Err(("the centre opens on no day of the week".into(), help));
    }
    let mut open = [false; 7];
    for d in list {
        if open[d.index()] {
            return Err((
                format!("`{}` is listed twice", WEEKDAY_NAMES[d.index()]),
                help,
            ));
        }
        open[d.index()] = true;
    }
    Ok(open)
}

/// The day of the week of day 0 (0 = Monday): `simulation.start_day`, a weekday name or a date
/// `YYYY-MM-DD` (proleptic Gregorian), Monday by default.
pub(super) fn start_weekday(raw: &RawScenario) -> Result<usize, String> {
    let Some(text) = raw.simulation.start_day.as_deref() else {
        return Ok(0);
    };
    let t = text.trim().to_ascii_lowercase();
    if let Some(w) = WEEKDAY_NAMES.iter().position(|n| *n == t) {
        return Ok(w);
    }
    match parse_date(&t) {
        Some(days) => Ok(weekday_of(days)),
        None => Err(format!(
            "`{text}` is neither a day of the week (mon to sun) nor a date YYYY-MM-DD"
        )),
    }
}

/// `simulation.start_day` as a date (days since 1970-01-01), when it is one.
pub(crate) fn start_date(raw: &RawScenario) -> Option<i64> {
    parse_date(raw.simulation.start_day.as_deref()?.trim())
}

#[cfg(test)]
mod tests {
    use crate::scenario::duration::days_from_civil;

    #[test]
    fn dates_have_their_weekday() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // 2026-01-04 is a Sunday (6), 2024-02-29 a Thursday (3).
        assert_eq!((days_from_civil(2026, 1, 4) + 3).rem_euclid(7), 6);
        assert_eq!((days_from_civil(2024, 2, 29) + 3).rem_euclid(7), 3);
    }
}
