//! Comparisons of scenarios run on common random numbers (`rappel compare`).
//!
//! Scenarios compared share their seed and number of replications. When they also share
//! what is drawn for every customer (arrivals, ticket types, horizon and warm-up; see
//! [`customer_differences`]), replication *r* of each sees the same customers (arrival
//! times, types, patience, base handle times), and the difference of a metric is estimated
//! replication by replication (a paired comparison), whose interval is usually much
//! narrower than the one of two independent runs. A scenario that does not share them is
//! compared unpaired (Welch's interval), and said so ([`Unshared`], [`warnings`]).

use crate::run::RunResult;
use crate::scenario::{DAY, Scenario, Simulation, format_clock};
use crate::stats::{Estimate, Metric, summarise, t_quantile_975};

/// One scenario's estimate of one metric, and its difference from the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The metric.
    pub metric: Metric,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's estimate.
    pub estimate: Estimate,
    /// The baseline's name.
    pub baseline: String,
    /// Difference scenario − baseline (paired or not, see `paired`); `None` for the
    /// baseline itself.
    pub diff: Option<Estimate>,
    /// Whether `diff` is paired (the scenario sees the baseline's customers) rather than
    /// Welch's unpaired interval; true on the baseline's rows, which have no difference.
    pub paired: bool,
}

impl Row {
    /// Whether the difference's 95 % interval excludes zero.
    pub fn significant(&self) -> bool {
        self.diff
            .is_some_and(|d| d.ci95_low > 0.0 || d.ci95_high < 0.0)
    }
}

/// The paired difference `other − base` of metric `m`, replication by replication
/// (replications where either value is undefined are skipped), as folded by
/// [`crate::run::run_compared`] with `base` first; undefined (NaN) when `other` was not
/// run so, or `base` is `other` itself.
pub fn paired_difference(base: &RunResult, other: &RunResult, m: Metric) -> Estimate {
    match other.paired_difference(m) {
        Some(d) if !std::ptr::eq(base, other) => d,
        _ => summarise(&[]),
    }
}

/// The difference `other − base` as if the runs were independent (Welch's interval): the
/// difference of scenarios that do not share their customers, and, for contrast, what a
/// comparison without common random numbers would give.
pub fn unpaired_difference(base: &RunResult, other: &RunResult, m: Metric) -> Estimate {
    let (a, b) = (base.estimate(m), other.estimate(m));
    let (va, vb) = (a.std_error.powi(2), b.std_error.powi(2));
    let se = (va + vb).sqrt();
    // Welch–Satterthwaite degrees of freedom.
    let df =
        (va + vb).powi(2) / (va.powi(2) / (a.n as f64 - 1.0) + vb.powi(2) / (b.n as f64 - 1.0));
    let h = if df.is_finite() && df >= 1.0 {
        t_quantile_975(df.floor() as usize) * se
    } else {
        f64::NAN
    };
    let mean = b.mean - a.mean;
    Estimate {
        mean,
        ci95_low: mean - h,
        ci95_high: mean + h,
        std_error: se,
        n: a.n.min(b.n),
    }
}

/// Every metric of every run, the first run being the baseline: in metric order, then
/// scenario order. `names` gives each run's name in the output (names must be distinct).
/// A scenario that sees the baseline's customers gets paired differences, any other
/// unpaired ones ([`unpaired_difference`]).
pub fn rows(runs: &[RunResult], names: &[String]) -> Vec<Row> {
    let Some(base) = runs.first() else {
        return Vec::new();
    };
    let paired: Vec<bool> = runs
        .iter()
        .map(|r| customer_differences(&base.scenario, &r.scenario).is_empty())
        .collect();
    Metric::ALL
        .iter()
        .flat_map(|&m| {
            let paired = &paired;
            runs.iter()
                .zip(names)
                .enumerate()
                .map(move |(i, (r, name))| Row {
                    metric: m,
                    scenario: name.clone(),
                    estimate: r.estimate(m),
                    baseline: names[0].clone(),
                    diff: (i > 0).then(|| {
                        if paired[i] {
                            paired_difference(base, r, m)
                        } else {
                            unpaired_difference(base, r, m)
                        }
                    }),
                    paired: paired[i],
                })
        })
        .collect()
}

/// Why `other` does not see the same customers as `base`: one reason per thing that
/// changes what the random streams draw for every customer (the seed; the horizon and the
/// warm-up; the day's hours and intervals; the arrival rates and day scales; word of mouth
/// and its gain; the ticket types' names, order, shares, handle-time and patience
/// distributions). Empty when they share their customers: what differs then (teams,
/// flows, routing, thresholds, satisfaction) is what a comparison is for.
pub fn customer_differences(base: &Scenario, other: &Scenario) -> Vec<String> {
    let mut why = Vec::new();
    let (a, b) = (&base.simulation, &other.simulation);
    if a.seed != b.seed {
        why.push(format!("seed differs: {} vs {}", a.seed, b.seed));
    }
    if a.horizon != b.horizon {
        why.push(format!(
            "horizon differs: {} vs {}",
            span(a.horizon),
            span(b.horizon)
        ));
    }
    if a.warmup != b.warmup {
        why.push(format!(
            "warm-up differs: {} vs {}",
            span(a.warmup),
            span(b.warmup)
        ));
    }
    let (ga, gb) = (&base.day, &other.day);
    if (ga.open, ga.close) != (gb.open, gb.close) {
        why.push(format!(
            "opening hours differ: {}–{} vs {}–{}",
            format_clock(ga.open),
            format_clock(ga.close),
            format_clock(gb.open),
            format_clock(gb.close)
        ));
    }
    if ga.interval != gb.interval {
        why.push(format!(
            "interval differs: {} vs {}",
            span(ga.interval),
            span(gb.interval)
        ));
    }
    let mut keys = Vec::new();
    if base.arrivals.rates_per_hour != other.arrivals.rates_per_hour {
        keys.push("rates_per_hour");
    }
    if base.arrivals.day_scale != other.arrivals.day_scale {
        keys.push("day_scale");
    }
    // Rotated to day 0 already: the same multipliers on the same days of the run.
    if base.arrivals.week_scale != other.arrivals.week_scale {
        keys.push("day_scale_by_weekday");
    }
    // The days the centre opens, from day 0 (`week` seen from `start_day`): no new ticket
    // arrives on a closed day.
    let open_days = |s: &Simulation| -> [bool; 7] { std::array::from_fn(|d| s.open_on(d)) };
    if open_days(a) != open_days(b) {
        why.push("open days differ (week, start_day)".to_string());
    }
    if base.arrivals.day_rates != other.arrivals.day_rates {
        keys.push("the forecast's days");
    }
    if base.arrivals.type_mix != other.arrivals.type_mix {
        keys.push("the forecast's types");
    }
    // Each day's busyness comes from its own stream: the same busyness and seed give the
    // same days.
    if base.arrivals.busyness != other.arrivals.busyness {
        keys.push("busyness");
    }
    if !keys.is_empty() {
        why.push(format!("arrivals differ ({})", keys.join(", ")));
    }
    let (sa, sb) = (&base.satisfaction.dynamics, &other.satisfaction.dynamics);
    let on = |w: bool| if w { "on" } else { "off" };
    if sa.word_of_mouth != sb.word_of_mouth {
        why.push(format!(
            "word of mouth differs: {} vs {}",
            on(sa.word_of_mouth),
            on(sb.word_of_mouth)
        ));
    } else if sa.word_of_mouth && sa.word_of_mouth_gain != sb.word_of_mouth_gain {
        why.push(format!(
            "word of mouth differs: gain {} vs {}",
            sa.word_of_mouth_gain, sb.word_of_mouth_gain
        ));
    }
    let type_names = |s: &Scenario| {
        s.ticket_types
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (na, nb) = (type_names(base), type_names(other));
    if na != nb {
        why.push(format!("ticket types differ: {na} vs {nb}"));
    } else {
        for (ta, tb) in base.ticket_types.iter().zip(&other.ticket_types) {
            let mut keys = Vec::new();
            if ta.share != tb.share {
                keys.push("share");
            }
            if ta.handle_time != tb.handle_time {
                keys.push("handle_time");
            }
            if ta.patience != tb.patience {
                keys.push("patience");
            }
            if !keys.is_empty() {
                why.push(format!(
                    "ticket type {} differs ({})",
                    ta.name,
                    keys.join(", ")
                ));
            }
        }
    }
    why
}

/// A duration for a message: whole days, hours or minutes when it is one, else seconds.
fn span(s: f64) -> String {
    let trim = |v: f64| {
        let t = format!("{v:.2}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if s >= DAY && (s / DAY).fract() == 0.0 {
        let d = s / DAY;
        format!("{} day{}", trim(d), if d == 1.0 { "" } else { "s" })
    } else if s >= 3600.0 && (s / 3600.0).fract() == 0.0 {
        format!("{} h", trim(s / 3600.0))
    } else if s >= 60.0 && (s / 60.0).fract() == 0.0 {
        format!("{} min", trim(s / 60.0))
    } else {
        format!("{} s", trim(s))
    }
}

/// A scenario compared that does not see the baseline's customers, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unshared {
    /// The scenario's name in the output.
    pub scenario: String,
    /// What differs from the baseline ([`customer_differences`]).
    pub reasons: Vec<String>,
}

/// The scenarios after the baseline that do not see its customers, in order: their
/// differences are unpaired. Empty when every scenario shares them.
pub fn unshared(runs: &[RunResult], names: &[String]) -> Vec<Unshared> {
    let Some(base) = runs.first() else {
        return Vec::new();
    };
    runs.iter()
        .zip(names)
        .skip(1)
        .filter_map(|(r, name)| {
            let reasons = customer_differences(&base.scenario, &r.scenario);
            (!reasons.is_empty()).then(|| Unshared {
                scenario: name.clone(),
                reasons,
            })
        })
        .collect()
}

/// How a comparison's heading says that some scenarios do not share the baseline's
/// customers, for example `NOT on the same customers (arrivals differ (rates_per_hour)):
/// differences are unpaired`; `None` when every scenario shares them. `scenarios` is how
/// many were compared: with more than two, each reason is prefixed by its scenario.
pub fn unshared_heading(unshared: &[Unshared], scenarios: usize) -> Option<String> {
    if unshared.is_empty() {
        return None;
    }
    let all = unshared.len() + 1 == scenarios;
    let why = unshared
        .iter()
        .map(|u| {
            let reasons = u.reasons.join(", ");
            if scenarios > 2 {
                format!("{}: {reasons}", u.scenario)
            } else {
                reasons
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(if all {
        format!("NOT on the same customers ({why}): differences are unpaired")
    } else {
        let which = unshared
            .iter()
            .map(|u| u.scenario.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        format!("NOT all on the same customers ({why}): the differences of {which} are unpaired")
    })
}

/// What a reader of the comparison must be told, each a sentence without the `warning:`
/// prefix: each scenario that does not see the baseline's customers (why, and what to do);
/// word of mouth on over more than a day (the customers are then shared on day 1 only);
/// and service-level thresholds that differ (the service level is then not comparable).
pub fn warnings(runs: &[RunResult], names: &[String]) -> Vec<String> {
    let Some(base) = runs.first() else {
        return Vec::new();
    };
    let mut out: Vec<String> = unshared(runs, names)
        .iter()
        .map(|u| {
            format!(
                "{} does not see the same customers as {} ({}): its differences are \
                 unpaired (Welch), with wider intervals than paired ones; to pair them, give \
                 both the same arrivals and opening hours, ticket types, horizon and warm-up, \
                 and change only what you compare",
                u.scenario,
                names[0],
                u.reasons.join(", ")
            )
        })
        .collect();
    // Word of mouth on both sides with the same gain: the same customers until the first
    // day a scenario's word of mouth acts (its delay), then they part.
    let same_for = runs
        .iter()
        .filter(|r| {
            let s = &r.scenario;
            s.satisfaction.dynamics.word_of_mouth
                && customer_differences(&base.scenario, s).is_empty()
        })
        .map(|r| r.scenario.satisfaction.dynamics.word_of_mouth_delay)
        .fold(f64::INFINITY, f64::min);
    if same_for < base.scenario.simulation.horizon {
        let days = (same_for / DAY).round();
        let (first, next) = if days == 1.0 {
            ("on day 1 only".to_string(), "day 2".to_string())
        } else {
            (
                format!("on days 1 to {days}"),
                format!("day {}", days + 1.0),
            )
        };
        out.push(format!(
            "word of mouth is on: the scenarios see the same customers {first}; from \
             {next} each scenario's satisfaction changes its arrivals, so the differences stay \
             paired but pairing narrows them less; to compare on the same customers \
             throughout, turn satisfaction.word_of_mouth off"
        ));
    }
    let threshold = base.scenario.simulation.service_level_threshold;
    if runs
        .iter()
        .any(|r| r.scenario.simulation.service_level_threshold != threshold)
    {
        let each = runs
            .iter()
            .zip(names)
            .map(|(r, n)| {
                format!(
                    "{n} {}",
                    span(r.scenario.simulation.service_level_threshold)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(format!(
            "the service-level thresholds differ ({each}): the service level is not \
             comparable between them; to compare it, give every scenario the same \
             simulation.service_level_threshold"
        ));
    }
    out
}

/// Distinct display names for runs: the scenario names, with `#2`, `#3`... added to repeats.
pub fn distinct_names(runs: &[RunResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(runs.len());
    for r in runs {
        let base = r.scenario.name.clone();
        let mut name = base.clone();
        let mut k = 1;
        while out.contains(&name) {
            k += 1;
            name = format!("{base}#{k}");
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Dist;

    /// A scenario with two ticket types, so that shares and the type order matter.
    fn two_types() -> Scenario {
        let mut s = Scenario::builtin_default();
        let mut billing = s.ticket_types[0].clone();
        billing.name = "billing".into();
        s.ticket_types[0].share = 0.7;
        billing.share = 0.3;
        s.ticket_types.push(billing);
        s
    }

    /// The reasons `change` gives against the unchanged scenario.
    fn after(change: impl FnOnce(&mut Scenario)) -> Vec<String> {
        let base = two_types();
        let mut other = base.clone();
        change(&mut other);
        customer_differences(&base, &other)
    }

    #[test]
    fn what_a_comparison_is_for_keeps_the_customers() {
        assert_eq!(after(|_| {}), Vec::<String>::new());
        assert_eq!(
            after(|s| {
                s.teams[0].staffing.iter_mut().for_each(|a| *a += 3);
                s.teams[0].speed = 0.8;
                s.simulation.service_level_threshold *= 2.0;
                s.simulation.replications += 5;
                s.ticket_types[1].difficulty = 0.9;
                s.ticket_types[1].priority = 3;
                s.ticket_types[1].expected_wait = 1.0;
                s.entry.max_queue = Some(4);
                s.satisfaction.wait_weight *= 2.0;
                s.name = "other".into();
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_thing_drawn_for_every_customer_is_named() {
        let cases: Vec<(Vec<String>, &str)> = vec![
            (
                after(|s| s.simulation.seed += 1),
                "seed differs: 2024 vs 2025",
            ),
            (
                after(|s| s.simulation.horizon = 2.0 * DAY),
                "horizon differs: 1 day vs 2 days",
            ),
            (
                after(|s| s.simulation.warmup = 1800.0),
                "warm-up differs: 0 s vs 30 min",
            ),
            (
                after(|s| s.day.open += 3600.0),
                "opening hours differ: 08:00–20:00 vs 09:00–20:00",
            ),
            (
                after(|s| s.day.interval = 1800.0),
                "interval differs: 15 min vs 30 min",
            ),
            (
                after(|s| s.arrivals.rates_per_hour[3] += 1.0),
                "arrivals differ (rates_per_hour)",
            ),
            (
                after(|s| s.arrivals.day_scale = vec![1.0, 1.2]),
                "arrivals differ (day_scale)",
            ),
            (
                after(|s| s.arrivals.week_scale[5] = 0.8),
                "arrivals differ (day_scale_by_weekday)",
            ),
            (
                after(|s| s.simulation.week[6] = false),
                "open days differ (week, start_day)",
            ),
            (
                after(|s| s.arrivals.busyness = crate::scenario::Busyness::Gamma { cv: 0.1 }),
                "arrivals differ (busyness)",
            ),
            (
                after(|s| s.satisfaction.dynamics.word_of_mouth = true),
                "word of mouth differs: off vs on",
            ),
            (
                after(|s| s.ticket_types.swap(0, 1)),
                "ticket types differ: general, billing vs billing, general",
            ),
            (
                after(|s| s.ticket_types.truncate(1)),
                "ticket types differ: general, billing vs general",
            ),
            (
                after(|s| {
                    s.ticket_types[0].share = 0.6;
                    s.ticket_types[1].share = 0.4;
                }),
                "ticket type general differs (share)",
            ),
            (
                after(|s| s.ticket_types[1].handle_time = Dist::Constant { value: 300.0 }),
                "ticket type billing differs (handle_time)",
            ),
            (
                after(|s| s.ticket_types[1].patience = None),
                "ticket type billing differs (patience)",
            ),
        ];
        for (reasons, expected) in cases {
            assert!(
                reasons.iter().any(|r| r == expected),
                "{expected:?} not in {reasons:?}"
            );
        }
    }

    #[test]
    fn word_of_mouth_differs_by_its_gain_only_when_on() {
        let mut base = two_types();
        base.satisfaction.dynamics.word_of_mouth_gain = 0.5;
        let mut other = base.clone();
        other.satisfaction.dynamics.word_of_mouth_gain = 1.0;
        // Off on both sides, the gain changes nothing.
        assert!(customer_differences(&base, &other).is_empty());
        base.satisfaction.dynamics.word_of_mouth = true;
        other.satisfaction.dynamics.word_of_mouth = true;
        assert_eq!(
            customer_differences(&base, &other),
            ["word of mouth differs: gain 0.5 vs 1"]
        );
        // Its delay and time constant leave the generated arrivals as they are: the
        // customers are the same until word of mouth first acts (a warning says so).
        other.satisfaction.dynamics.word_of_mouth_gain = 0.5;
        other.satisfaction.dynamics.word_of_mouth_delay = 3.0 * DAY;
        other.satisfaction.dynamics.word_of_mouth_time = 0.0;
        assert!(customer_differences(&base, &other).is_empty());
        // Expectations that adapt change no arrival.
        other.satisfaction.dynamics.expectations_adapt = true;
        assert!(customer_differences(&base, &other).is_empty());
    }

    #[test]
    fn several_differences_give_several_reasons_in_order() {
        let reasons = after(|s| {
            s.simulation.horizon = 3.0 * DAY;
            s.arrivals.rates_per_hour.iter_mut().for_each(|r| *r *= 2.0);
            s.arrivals.day_scale = vec![1.0, 0.5];
            s.ticket_types[0].handle_time = Dist::Exponential { mean: 1.0 };
            s.ticket_types[0].patience = Some(Dist::Exponential { mean: 1.0 });
        });
        assert_eq!(
            reasons,
            [
                "horizon differs: 1 day vs 3 days",
                "arrivals differ (rates_per_hour, day_scale)",
                "ticket type general differs (handle_time, patience)",
            ]
        );
    }

    #[test]
    fn the_heading_names_the_reasons_and_the_scenarios_when_more_than_two() {
        let u = |name: &str, why: &str| Unshared {
            scenario: name.into(),
            reasons: vec![why.into()],
        };
        assert_eq!(unshared_heading(&[], 3), None);
        assert_eq!(
            unshared_heading(&[u("b", "arrivals differ (rates_per_hour)")], 2).unwrap(),
            "NOT on the same customers (arrivals differ (rates_per_hour)): differences are unpaired"
        );
        assert_eq!(
            unshared_heading(&[u("c", "seed differs: 1 vs 2")], 3).unwrap(),
            "NOT all on the same customers (c: seed differs: 1 vs 2): the differences of c are unpaired"
        );
    }
}
