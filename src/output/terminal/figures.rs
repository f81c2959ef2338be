//! What the compact views and the comparison share: the key figures, short labels, and
//! numbers written in one unit chosen for a mean.

use super::{MISSING, percent};
use crate::stats::Metric;

/// The key figures of a run, in table order: the call account, accessibility, service
/// level, ASA, occupancy, tickets resolved, first-call resolution, CSAT, NPS and cost. A
/// compact view shows only these (those the scenario uses, see [`super::headline`]).
pub const KEY: [Metric; 17] = [
    Metric::OfferedContacts,
    Metric::OutcomeAnswered,
    Metric::OutcomeAbandoned,
    Metric::OutcomeBalked,
    Metric::OutcomeRejected,
    Metric::OutcomeClosed,
    Metric::OutcomeCallback,
    Metric::Accessibility,
    Metric::ServiceLevel,
    Metric::AsaS,
    Metric::Occupancy,
    Metric::ResolvedShare,
    Metric::FirstCallResolution,
    Metric::CsatMean,
    Metric::Nps,
    Metric::CostPerTicket,
    Metric::TicketsOpenAtHorizon,
];

/// A label of at most 26 characters for narrow tables; outcomes are indented under
/// "Calls offered".
pub fn short_label(m: Metric) -> &'static str {
    match m {
        Metric::OfferedContacts => "Calls offered, ended:",
        Metric::OutcomeAnswered => "  answered",
        Metric::OutcomeAbandoned => "  abandoned in queue",
        Metric::OutcomeBalked => "  hung up on the wait",
        Metric::OutcomeRejected => "  told to call back later",
        Metric::OutcomeClosed => "  heard closed message",
        Metric::OutcomeCallback => "  left with a callback",
        Metric::OutcomeOpen => "  waiting at drain cap",
        Metric::Accessibility => "Accessibility",
        Metric::AccessibilityStrict => "Accessibility, strict",
        Metric::ServiceLevel => "Service level",
        Metric::AbandonRate => "Abandon rate",
        Metric::PWait => "Had to wait",
        Metric::AsaS => "ASA",
        Metric::WaitMeanS => "Mean wait",
        Metric::WaitP50S => "Median wait",
        Metric::WaitP90S => "Wait, 90th percentile",
        Metric::WaitP95S => "Wait, 95th percentile",
        Metric::WaitP99S => "Wait, 99th percentile",
        Metric::Occupancy => "Occupancy",
        Metric::AgentsStaffedMean => "Agents staffed (mean)",
        Metric::CallbacksOffered => "Callbacks offered",
        Metric::CallbacksAcceptedShare => "Callbacks accepted",
        Metric::CallbacksBrokenShare => "Callback promises broken",
        Metric::Tickets => "Tickets",
        Metric::ResolvedShare => "Tickets resolved",
        Metric::LostShare => "Tickets lost",
        Metric::TicketsOpenAtHorizon => "Tickets open at drain cap",
        Metric::FirstCallResolution => "First-call resolution",
        Metric::FcrRate => "First-contact res.",
        Metric::ContactsPerTicket => "Conversations/resolved",
        Metric::CallsPerTicket => "Calls per closed ticket",
        Metric::ResolutionTimeP50S => "Median resolution time",
        Metric::ResolutionTimeP90S => "Resolution time, p90",
        Metric::DrainS => "Drain",
        Metric::CsatMean => "CSAT (1-5)",
        Metric::CsatTop2Box => "CSAT top-2-box",
        Metric::Nps => "NPS",
        Metric::CostPerTicket => "Cost per ticket",
        Metric::CostPerResolvedTicket => "Cost per resolved ticket",
        m => m.label(),
    }
}

/// How a value of `m` is written when its mean is `mean`: the scale (seconds or hours)
/// follows the mean, so that a mean and its interval share one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A share, in % (differences in percentage points).
    Share,
    /// Seconds, one decimal.
    Seconds,
    /// Hours, one decimal.
    Hours,
    /// Whole numbers.
    Whole,
    /// Two decimals.
    Hundredths,
}

/// The scale of `m` for a value of the size of `mean`.
pub fn scale(m: Metric, mean: f64) -> Scale {
    match m.unit() {
        "share" => Scale::Share,
        "s" if mean.abs() >= 7200.0 => Scale::Hours,
        "s" => Scale::Seconds,
        "contacts" | "tickets" | "callbacks" | "points" | "per_1000_tickets" => Scale::Whole,
        _ if mean.abs() >= 1000.0 => Scale::Whole,
        _ => Scale::Hundredths,
    }
}

/// The number alone and its unit suffix, at `s`'s precision; a value that shows as zero
/// loses its sign.
fn number(s: Scale, v: f64, difference: bool) -> (String, &'static str) {
    let (text, unit) = match s {
        Scale::Share if difference => (format!("{:.1}", v * 100.0), " pp"),
        Scale::Share => (format!("{:.1}", v * 100.0), " %"),
        Scale::Seconds => (format!("{v:.1}"), " s"),
        Scale::Hours => (format!("{:.1}", v / 3600.0), " h"),
        Scale::Whole => (format!("{v:.0}"), ""),
        Scale::Hundredths => (format!("{v:.2}"), ""),
    };
    if shows_zero(&text) {
        (text.trim_start_matches('-').to_string(), unit)
    } else if difference && v > 0.0 {
        (format!("+{text}"), unit)
    } else {
        (text, unit)
    }
}

/// A value at `s`'s precision without its unit (signed when a `difference`).
pub fn bare(s: Scale, v: f64, difference: bool) -> String {
    if v.is_nan() {
        MISSING.into()
    } else {
        number(s, v, difference).0
    }
}

/// The unit a row of scale `s` names once: `%`, `s`, `h`, or none.
pub fn unit_name(s: Scale) -> &'static str {
    match s {
        Scale::Share => "%",
        Scale::Seconds => "s",
        Scale::Hours => "h",
        Scale::Whole | Scale::Hundredths => "",
    }
}

/// Whether a value shows as zero at `s`'s precision.
pub fn shows_zero_at(s: Scale, v: f64) -> bool {
    !v.is_nan() && shows_zero(&number(s, v, true).0)
}

/// Whether a written number is zero: only zeros among its digits.
fn shows_zero(text: &str) -> bool {
    text.chars().filter(char::is_ascii_digit).all(|c| c == '0')
}

/// A mean for people, in its metric's unit; `–` when undefined.
pub fn mean_text(m: Metric, v: f64) -> String {
    if v.is_nan() {
        return MISSING.into();
    }
    let (n, u) = number(scale(m, v), v, false);
    n + u
}

/// A difference for people, signed, shares in percentage points; `–` when undefined.
pub fn diff_text(m: Metric, v: f64) -> String {
    if v.is_nan() {
        return MISSING.into();
    }
    let (n, u) = number(scale(m, v), v, true);
    n + u
}

/// Whether a difference shows as zero at the precision [`diff_text`] writes it.
pub fn diff_shows_zero(m: Metric, v: f64) -> bool {
    !v.is_nan() && shows_zero(&number(scale(m, v), v, true).0)
}

/// An interval `low – high` written in the unit chosen for `mean` (the unit once, at the
/// end); `–` when undefined.
pub fn interval_text(m: Metric, mean: f64, low: f64, high: f64, difference: bool) -> String {
    if low.is_nan() || high.is_nan() || mean.is_nan() {
        return MISSING.into();
    }
    let s = scale(m, mean);
    let (lo, _) = number(s, low, difference);
    let (hi, unit) = number(s, high, difference);
    format!("{lo} – {hi}{unit}")
}

/// A share for summaries: `87.0 %`.
pub fn share_text(v: f64) -> String {
    if v.is_nan() {
        MISSING.into()
    } else {
        percent(v, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_differences_lose_their_sign_and_intervals_share_the_means_unit() {
        assert_eq!(diff_text(Metric::CsatMean, -0.001), "0.00");
        assert_eq!(diff_text(Metric::Tickets, -0.3), "0");
        assert_eq!(diff_text(Metric::ServiceLevel, 0.0004), "0.0 pp");
        assert_eq!(diff_text(Metric::ServiceLevel, 0.045), "+4.5 pp");
        assert!(diff_shows_zero(Metric::Nps, -0.4));
        assert!(!diff_shows_zero(Metric::Nps, -0.6));
        assert_eq!(
            interval_text(Metric::DrainS, -30_600.0, -59_040.0, -1986.8, true),
            "-16.4 – -0.6 h"
        );
        assert_eq!(interval_text(Metric::DrainS, f64::NAN, 0.0, 1.0, true), "–");
        assert_eq!(mean_text(Metric::AsaS, f64::NAN), "–");
    }
}
