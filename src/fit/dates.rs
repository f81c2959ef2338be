//! Dates and clock times as a call log writes them: `YYYY-MM-DD` and `H:MM:SS`.

/// `H:MM:SS` or `HH:MM` (hours 0 to 47, for times past midnight) as seconds.
pub fn parse_clock_seconds(v: &str) -> Option<f64> {
    let parts: Vec<&str> = v.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let h = num(parts[0])?;
    let m = num(parts[1])?;
    let s = if parts.len() == 3 { num(parts[2])? } else { 0 };
    (h < 48 && m < 60 && s < 60).then(|| f64::from(h * 3600 + m * 60 + s))
}

/// A date `YYYY-MM-DD` as days since 1970-01-01 (proleptic Gregorian).
pub fn parse_date_days(v: &str) -> Option<i64> {
    let p: Vec<&str> = v.split('-').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return None;
    }
    let y: i64 = p[0].parse().ok()?;
    let m: i64 = p[1].parse().ok()?;
    let d: i64 = p[2].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > len[(m - 1) as usize] {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The weekday (0 Monday … 6 Sunday) of a day counted from 1970-01-01 (a Thursday).
pub fn weekday_of_days(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_clock_times() {
        // 2010-08-01 is a Sunday; 1970-01-01 a Thursday.
        assert_eq!(weekday_of_days(parse_date_days("2010-08-01").unwrap()), 6);
        assert_eq!(weekday_of_days(0), 3);
        assert_eq!(parse_date_days("2010-02-30"), None);
        assert_eq!(parse_clock_seconds("9:05:30"), Some(32_730.0));
        assert_eq!(parse_clock_seconds("24:00"), Some(86_400.0));
        assert_eq!(parse_clock_seconds("9:5:x"), None);
    }
}
