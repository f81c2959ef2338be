//! Durations (`"45s"`, `"4m30s"`, `"2h"`, `"1d"`, or seconds) and clock times (`"08:30"`).

use super::clock::DAY;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// A non-negative length of simulated time, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Duration(pub f64);

/// A time of day, in seconds after midnight (`"24:00"` allowed as the end of a day).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct ClockTime(pub f64);

const DURATION_HELP: &str = "write a number of seconds or a string such as \"45s\", \"4m30s\", \"1.5h\", \"2h\", \"1d\" or \"2w\"";

/// Parses a duration string such as `"4m30s"` into seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("empty duration: {DURATION_HELP}"));
    }
    if let Ok(v) = t.parse::<f64>() {
        return check_seconds(v, text);
    }
    let mut total = 0.0;
    let mut rest = t;
    let mut last_rank: Option<u8> = None;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("invalid duration \"{text}\": {DURATION_HELP}"));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("invalid duration \"{text}\": {DURATION_HELP}"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let (unit, rank) = match rest[..unit_len].trim() {
            "w" => (7.0 * DAY, 0),
            "d" => (DAY, 1),
            "h" => (3_600.0, 2),
            "m" | "min" => (60.0, 3),
            "s" => (1.0, 4),
            "ms" => (0.001, 5),
            other => {
                return Err(format!(
                    "invalid duration \"{text}\": unknown unit \"{other}\"; {DURATION_HELP}"
                ));
            }
        };
        if last_rank.is_some_and(|last| rank <= last) {
            return Err(format!(
                "invalid duration \"{text}\": units must go from largest to smallest, each once"
            ));
        }
        last_rank = Some(rank);
        total += value * unit;
        rest = &rest[unit_len..];
    }
    check_seconds(total, text)
}

fn check_seconds(v: f64, text: &str) -> Result<f64, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!(
            "invalid duration \"{text}\": a duration must be a finite number of seconds, 0 or more"
        ));
    }
    Ok(v)
}

/// Parses `"HH:MM"` or `"HH:MM:SS"` into seconds after midnight.
pub fn parse_clock(text: &str) -> Result<f64, String> {
    let bad = || format!("invalid time of day \"{text}\": write it as \"HH:MM\", e.g. \"08:30\"");
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut nums = [0u32; 3];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        nums[i] = p.parse().map_err(|_| bad())?;
    }
    let [h, m, s] = nums;
    if m > 59 || s > 59 || h > 24 || (h == 24 && (m > 0 || s > 0)) {
        return Err(bad());
    }
    Ok(f64::from(h * 3600 + m * 60 + s))
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration: a number of seconds or a string such as \"4m30s\"")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        check_seconds(v as f64, &v.to_string())
            .map(Duration)
            .map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        Ok(Duration(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
        check_seconds(v, &v.to_string())
            .map(Duration)
            .map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse_duration(v).map(Duration).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_clock(&s).map(ClockTime).map_err(de::Error::custom)
    }
}

/// A decimal number in a duration pattern (`[0-9]` rather than `\d`: some regex engines
/// take `\d` for any Unicode digit).
macro_rules! num {
    () => {
        r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
    };
}

/// One number–unit pair of a duration pattern, spaces allowed around it.
macro_rules! pair {
    ($unit:literal) => {
        concat!(num!(), r"\s*", $unit, r"\s*")
    };
}

/// An optional number–unit pair of a duration pattern.
macro_rules! maybe {
    ($unit:literal) => {
        concat!("(?:", pair!($unit), ")?")
    };
}

/// The accepted duration strings: a number of seconds, or number–unit pairs from the largest
/// unit to the smallest, each at most once (`"45s"`, `"4m30s"`, `"1.5h"`, `"1d2h3m4s"`,
/// `"250ms"`), spaces allowed around the parts. One alternative per first unit, so that the
/// pattern needs no look-ahead (portable to every JSON Schema validator). For editors:
/// `parse_duration` decides.
pub const DURATION_PATTERN: &str = concat!(
    r"^\s*(?:[+]?",
    num!(),
    r"(?:[eE][+-]?[0-9]+)?\s*",
    "|",
    pair!("d"),
    maybe!("h"),
    maybe!("(?:min|m)"),
    maybe!("s"),
    maybe!("ms"),
    "|",
    pair!("h"),
    maybe!("(?:min|m)"),
    maybe!("s"),
    maybe!("ms"),
    "|",
    pair!("(?:min|m)"),
    maybe!("s"),
    maybe!("ms"),
    "|",
    pair!("s"),
    maybe!("ms"),
    "|",
    pair!("ms"),
    ")$"
);

/// The accepted times of day: `"HH:MM"` or `"HH:MM:SS"`, one or two digits a part, up to
/// `"24:00"`. For editors; `parse_clock` decides.
pub const CLOCK_PATTERN: &str =
    r"^\s*(?:(?:[01]?[0-9]|2[0-3]):[0-5]?[0-9](?::[0-5]?[0-9])?|24:0?0(?::0?0)?)\s*$";

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A duration: a number of seconds (90, 2.5), or a string holding seconds (\"90\") or number-unit pairs from the largest unit to the smallest, each at most once: w (7 days), d (86400 s), h (3600 s), m or min (60 s), s, ms (0.001 s), e.g. \"45s\", \"4m30s\", \"1.5h\", \"2h\", \"1d\", \"1d2h3m4s\", \"250ms\". Finite and 0 or more.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": DURATION_PATTERN }
            ],
            "examples": ["45s", "4m30s", "1.5h", "2h", "1d", 90]
        })
    }
}

impl schemars::JsonSchema for ClockTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeOfDay".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A time of day, quoted: \"HH:MM\" or \"HH:MM:SS\", hours 00 to 24, minutes and seconds 00 to 59; \"24:00\" is the end of the day. An unquoted TOML time is refused.",
            "type": "string",
            "pattern": CLOCK_PATTERN,
            "examples": ["08:00", "20:00", "24:00"]
        })
    }
}

/// A date `YYYY-MM-DD` (proleptic Gregorian) as days since 1970-01-01; `None` when `text` is
/// not one.
pub fn parse_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d))
                    if (1..=12).contains(&m) && d >= 1 && d <= month_days(y, m) =>
                {
                    Some(days_from_civil(y, m, d))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The day of the week of a date given as days since 1970-01-01: 0 for Monday to 6 for
/// Sunday (1970-01-01 was a Thursday).
pub fn weekday_of(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// A date given as days since 1970-01-01, as `YYYY-MM-DD` (H. Hinnant's `civil_from_days`).
pub fn format_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn month_days(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_form() {
        assert_eq!(parse_duration("45s"), Ok(45.0));
        assert_eq!(parse_duration("4m30s"), Ok(270.0));
        assert_eq!(parse_duration("2h"), Ok(7200.0));
        assert_eq!(parse_duration("1d"), Ok(86400.0));
        assert_eq!(parse_duration("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration("90"), Ok(90.0));
        assert_eq!(parse_duration("1d2h3m4s"), Ok(93784.0));
        assert_eq!(parse_duration("2w"), Ok(14.0 * 86400.0));
        assert_eq!(parse_duration("1w2d"), Ok(9.0 * 86400.0));
    }

    #[test]
    fn bad_durations_are_refused() {
        for bad in ["", "7x", "m", "-5s", "5s4m", "3h3h", "s5", "1e400"] {
            assert!(parse_duration(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("08:30"), Ok(30600.0));
        assert_eq!(parse_clock("24:00"), Ok(86400.0));
        assert_eq!(parse_clock("00:00:30"), Ok(30.0));
        for bad in ["8", "25:00", "08:60", "24:01", "ab:cd", "8:3:1:1"] {
            assert!(parse_clock(bad).is_err(), "{bad} accepted");
        }
    }
}
