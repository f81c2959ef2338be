//! The arrival process: rates per interval and day multipliers.

use super::Problems;
use crate::scenario::raw::RawScenario;
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::{Arrivals, DayGrid};

pub(super) fn arrivals(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Arrivals> {
    let a = &raw.arrivals;
    let n = day.intervals();
    let rates = match (&a.rate_per_hour, &a.rates_per_hour) {
        (Some(_), Some(_)) => {
            p.add(
                "arrivals.rates_per_hour",
                "both `rate_per_hour` and `rates_per_hour` are given",
                "keep one: a constant rate or a profile",
            );
            return None;
        }
        (None, None) => {
            p.add(
                "arrivals",
                "no arrival rate",
                "add rate_per_hour = 100, or rates_per_hour = [...] with one rate per interval",
            );
            return None;
        }
        (Some(r), None) => {
            check_rate(*r, "arrivals.rate_per_hour", p)?;
            vec![*r; n]
        }
        (None, Some(rs)) => {
            if rs.len() != n {
                p.add(
                    "arrivals.rates_per_hour",
                    format!(
                        "{} rates given, but the open day has {n} intervals",
                        rs.len()
                    ),
                    "give one rate per interval from `simulation.open` to `simulation.close`",
                );
                return None;
            }
            for (i, r) in rs.iter().enumerate() {
                check_rate(*r, &format!("arrivals.rates_per_hour[{i}]"), p)?;
            }
            rs.clone()
        }
    };
    let day_scale = a.day_scale.clone().unwrap_or_else(|| vec![1.0]);
    if day_scale.is_empty() {
        p.add(
            "arrivals.day_scale",
            "the list is empty",
            "give one multiplier per day, e.g. [1.0, 0.9]",
        );
        return None;
    }
    for (i, f) in day_scale.iter().enumerate() {
        if !f.is_finite() || *f < 0.0 {
            p.add(
                &format!("arrivals.day_scale[{i}]"),
                format!("a day multiplier must be 0 or more, not {f}"),
                "1.0 leaves the day as it is",
            );
            return None;
        }
    }
    if rates.iter().all(|r| *r == 0.0) || day_scale.iter().all(|f| *f == 0.0) {
        p.add(
            "arrivals",
            "no customer ever arrives (every rate is 0)",
            "give a rate above 0",
        );
    }
    let mut by_weekday = [1.0; 7];
    if let Some(w) = &a.day_scale_by_weekday {
        for (i, v) in w.days().iter().enumerate() {
            let Some(&f) = *v else { continue };
            if !f.is_finite() || !(0.0..=1e6).contains(&f) {
                p.add(
                    &format!("arrivals.day_scale_by_weekday.{}", WEEKDAY_NAMES[i]),
                    format!("a weekday multiplier must be from 0 to 1e6, not {f}"),
                    "1.0 leaves the day as it is, 0.5 halves its calls",
                );
                return None;
            }
            by_weekday[i] = f;
        }
    }
    let start = super::grid::start_weekday(raw).unwrap_or(0);
    // No new ticket on a day the centre does not open.
    let open = super::grid::week(raw).unwrap_or([true; 7]);
    let week_scale = std::array::from_fn(|d| {
        let w = (start + d) % 7;
        if open[w] { by_weekday[w] } else { 0.0 }
    });
    Some(Arrivals {
        rates_per_hour: rates,
        day_scale,
        week_scale,
    })
}

pub(super) fn check_rate(r: f64, key: &str, p: &mut Problems) -> Option<()> {
    if !r.is_finite() || r < 0.0 {
        p.add(
            key,
            format!("a rate must be 0 or more calls per hour, not {r}"),
            "e.g. rate_per_hour = 120",
        );
        return None;
    }
    if r > 1e8 {
        p.add(
            key,
            format!("{r} calls per hour is beyond what rappel simulates"),
            "use at most 100000000 per hour",
        );
        return None;
    }
    Some(())
}
