//! The arrival process: rates per interval (in the scenario or in a forecast file), day
//! multipliers and the busyness factor.

use super::Problems;
use crate::scenario::raw::{RawBusyness, RawScenario};
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::{Arrivals, Busyness, Customers, DayGrid};

/// The largest coefficient of variation of `busyness` (a gamma of shape 1/9).
const MAX_CV: f64 = 3.0;

/// The largest listed busyness factor: a day 100 times as busy as forecast.
const MAX_LISTED: f64 = 100.0;

pub(super) fn arrivals(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Arrivals> {
    let a = &raw.arrivals;
    let n = day.intervals();
    if a.forecast.is_some() && (a.rate_per_hour.is_some() || a.rates_per_hour.is_some()) {
        let other = if a.rate_per_hour.is_some() {
            "rate_per_hour"
        } else {
            "rates_per_hour"
        };
        p.add(
            "arrivals.forecast",
            format!("both `forecast` and `{other}` are given"),
            "keep one: the forecast file's volumes, or rates in the scenario",
        );
        return None;
    }
    let mut day_rates = Vec::new();
    let mut type_mix = Vec::new();
    let rates = match (&a.rate_per_hour, &a.rates_per_hour, &a.forecast) {
        (_, _, Some(file)) => {
            let f = super::forecast::forecast(file, raw, day, p)?;
            day_rates = f.day_rates;
            type_mix = f.type_mix;
            f.rates
        }
        (Some(_), Some(_), None) => {
            p.add(
                "arrivals.rates_per_hour",
                "both `rate_per_hour` and `rates_per_hour` are given",
                "keep one: a constant rate or a profile",
            );
            return None;
        }
        (None, None, None) => {
            p.add(
                "arrivals",
                "no arrival rate",
                "add rate_per_hour = 100, rates_per_hour = [...] with one rate per interval, or forecast = \"volumes.csv\"",
            );
            return None;
        }
        (Some(r), None, None) => {
            check_rate(*r, "arrivals.rate_per_hour", p)?;
            vec![*r; n]
        }
        (None, Some(rs), None) => {
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
    let day_scale = factors(a.day_scale.as_deref(), "arrivals.day_scale", p)?;
    let busyness = busyness(a.busyness.as_ref(), p)?;
    let listed_zero = matches!(&busyness, Busyness::List(l) if l.iter().all(|f| *f == 0.0));
    let silent = rates.iter().all(|r| *r == 0.0) && day_rates.iter().flatten().all(|r| *r == 0.0);
    if silent || day_scale.iter().all(|f| *f == 0.0) || listed_zero {
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
    let customers = customers(raw, p)?;
    Some(Arrivals {
        rates_per_hour: rates,
        day_rates,
        day_scale: day_scale.to_vec(),
        week_scale,
        busyness,
        forecast: a.forecast.clone(),
        type_mix,
        customers,
    })
}

/// The largest population: ten million customers (a flag each in memory).
const MAX_CUSTOMERS: i64 = 10_000_000;

/// `arrivals.customers` and `arrivals.churn`; `None` with the problem added.
fn customers(raw: &RawScenario, p: &mut Problems) -> Option<Option<Customers>> {
    let a = &raw.arrivals;
    let Some(n) = a.customers else {
        for (given, key) in [
            (a.churn.is_some(), "churn"),
            (a.memory.is_some(), "memory"),
            (a.customer_rate_cv.is_some(), "customer_rate_cv"),
            (a.referral.is_some(), "referral"),
            (a.max_customers.is_some(), "max_customers"),
        ] {
            if given {
                p.add(
                    &format!("arrivals.{key}"),
                    format!("`{key}` needs a population of customers"),
                    format!("add customers = 10000 to [arrivals], or remove `{key}`"),
                );
                return None;
            }
        }
        return Some(None);
    };
    if !(1..=MAX_CUSTOMERS).contains(&n) {
        p.add(
            "arrivals.customers",
            format!("a population must be from 1 to {MAX_CUSTOMERS} customers, not {n}"),
            "e.g. customers = 20000: each customer brings 1/20000 of the arrivals",
        );
        return None;
    }
    let churn = a.churn.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&churn) {
        p.add(
            "arrivals.churn",
            format!("{churn} is not a probability"),
            "e.g. churn = 0.2: one detractor in five leaves for good",
        );
        return None;
    }
    let memory = a.memory.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&memory) {
        p.add(
            "arrivals.memory",
            format!("the weight must be from 0 to 1, not {memory}"),
            "e.g. memory = 0.5: a customer expects halfway between their type's wait and \
             their own last one",
        );
        return None;
    }
    let rate_cv = a.customer_rate_cv.unwrap_or(0.0);
    if !(rate_cv.is_finite() && (0.0..=MAX_CV).contains(&rate_cv)) {
        p.add(
            "arrivals.customer_rate_cv",
            format!("the coefficient of variation must be from 0 to {MAX_CV}, not {rate_cv}"),
            "e.g. customer_rate_cv = 1: the customers' rates spread as an exponential, a few \
             customers bringing many tickets",
        );
        return None;
    }
    let (referral, capacity) = referral(a, n, p)?;
    Some(Some(Customers {
        size: n as u32,
        churn,
        memory,
        rate_cv,
        referral,
        capacity,
    }))
}

/// `arrivals.referral` and `arrivals.max_customers` for a population of `n`: the
/// probability and the capacity (`n` without referral); `None` with the problem added.
fn referral(a: &crate::scenario::raw::RawArrivals, n: i64, p: &mut Problems) -> Option<(f64, u32)> {
    let (referral, max) = match (a.referral, a.max_customers) {
        (None, None) => return Some((0.0, n as u32)),
        (Some(_), None) => {
            p.add(
                "arrivals.referral",
                "`referral` needs `max_customers`, the most customers the stock can reach",
                format!(
                    "add e.g. max_customers = {} to [arrivals]",
                    n.saturating_mul(2).min(MAX_CUSTOMERS)
                ),
            );
            return None;
        }
        (None, Some(_)) => {
            p.add(
                "arrivals.max_customers",
                "`max_customers` bounds the customers that referral brings, and there is no `referral`",
                "add e.g. referral = 0.05 to [arrivals] (one promoter in twenty brings a customer), or remove `max_customers`",
            );
            return None;
        }
        (Some(r), Some(m)) => (r, m),
    };
    if !(0.0..=1.0).contains(&referral) {
        p.add(
            "arrivals.referral",
            format!("{referral} is not a probability"),
            "e.g. referral = 0.05: one promoter in twenty brings a new customer",
        );
        return None;
    }
    if !(n..=MAX_CUSTOMERS).contains(&max) {
        p.add(
            "arrivals.max_customers",
            format!("the capacity must be from `customers` ({n}) to {MAX_CUSTOMERS}, not {max}"),
            format!(
                "e.g. max_customers = {}: the stock can double",
                n.saturating_mul(2).min(MAX_CUSTOMERS)
            ),
        );
        return None;
    }
    Some((referral, max as u32))
}

/// A list of day multipliers at `key` (default `[1.0]`): not empty, each finite and 0 or more.
fn factors(list: Option<&[f64]>, key: &str, p: &mut Problems) -> Option<Vec<f64>> {
    let list = list.unwrap_or(&[1.0]);
    if list.is_empty() {
        p.add(
            key,
            "the list is empty",
            "give one multiplier per day, e.g. [1.0, 0.9]",
        );
        return None;
    }
    for (i, f) in list.iter().enumerate() {
        if !f.is_finite() || *f < 0.0 {
            p.add(
                &format!("{key}[{i}]"),
                format!("a day multiplier must be 0 or more, not {f}"),
                "1.0 leaves the day as it is",
            );
            return None;
        }
    }
    Some(list.to_vec())
}

fn busyness(raw: Option<&RawBusyness>, p: &mut Problems) -> Option<Busyness> {
    match raw {
        None => Some(Busyness::None),
        Some(RawBusyness::List(l)) => {
            let list = factors(Some(l), "arrivals.busyness", p)?;
            if let Some(i) = list.iter().position(|f| *f > MAX_LISTED) {
                p.add(
                    &format!("arrivals.busyness[{i}]"),
                    format!(
                        "a busyness factor must be at most {MAX_LISTED}, not {}",
                        list[i]
                    ),
                    "1.0 is a day as forecast, 1.2 a day 20 % busier",
                );
                return None;
            }
            Some(Busyness::List(list))
        }
        Some(RawBusyness::Gamma(g)) => {
            if !(g.cv.is_finite() && (0.0..=MAX_CV).contains(&g.cv)) {
                p.add(
                    "arrivals.busyness.cv",
                    format!(
                        "the coefficient of variation must be from 0 to {MAX_CV}, not {}",
                        g.cv
                    ),
                    "e.g. busyness = { cv = 0.15 } for days whose volume varies by about 15 %",
                );
                return None;
            }
            Some(if g.cv == 0.0 {
                Busyness::None
            } else {
                Busyness::Gamma { cv: g.cv }
            })
        }
    }
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
