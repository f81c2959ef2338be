//! Volumes per interval: the CSV that `rappel erlang --volumes` reads and that a scenario's
//! `arrivals.forecast` points at. One parser for both, so that the same file works in both
//! places, with the same units (calls per interval) and the same messages.
//!
//! The format: a header naming the columns, in any order, then one row per interval.
//! `interval_start` (a time of day such as `08:00`) and `calls` (calls arriving in the
//! interval, a number 0 or more) are required; `agents` (1 to 100 000) is optional and
//! only `erlang` reads it. At most one of `day` (0 to 9999, a scenario's day of the run,
//! cycling), `weekday` (`mon` to `sun`) and `date` (`YYYY-MM-DD`) labels each row's day; only
//! a scenario reads them, as it does `type` (a ticket type's name: volumes per type). Blank lines and lines starting with `#` are skipped; spaces around
//! a field are ignored.

use std::path::Path;

/// The largest volumes file read, in bytes (far above a year of 1-minute intervals).
pub const MAX_VOLUMES_BYTES: u64 = 64 * 1024 * 1024;

/// The most rows read from a volumes file.
pub const MAX_VOLUMES_ROWS: usize = 1_000_000;

/// One interval of a volumes file.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRow {
    /// 1-based line of the row in the file.
    pub line: usize,
    /// The `interval_start` label as written (trimmed).
    pub start: String,
    /// 1-based column of the `interval_start` field.
    pub start_column: usize,
    /// Calls arriving in the interval.
    pub calls: f64,
    /// The `agents` column, when it is there and not empty.
    pub agents: Option<u32>,
    /// The row's day, when a `day`, `weekday` or `date` column is there.
    pub day: Option<DayLabel>,
    /// The row's ticket type as written and its column, when a `type` column is there.
    pub ticket_type: Option<(String, usize)>,
}

/// How a row of a volumes file names its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKey {
    /// `day`: a day of the run, from 0.
    Day(usize),
    /// `weekday`: 0 for Monday to 6 for Sunday.
    Weekday(usize),
    /// `date`: days since 1970-01-01.
    Date(i64),
}

/// The day of a row of a volumes file, as read and as written.
#[derive(Debug, Clone, PartialEq)]
pub struct DayLabel {
    /// The day.
    pub key: DayKey,
    /// The field as written (trimmed).
    pub text: String,
    /// 1-based column of the field.
    pub column: usize,
}

/// The columns that label a row's day; a file has at most one of them.
pub const DAY_COLUMNS: [&str; 3] = ["day", "weekday", "date"];

/// A problem in a volumes file, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeError {
    /// 1-based line; `None` when the file could not be read at all.
    pub line: Option<usize>,
    /// 1-based column, when the problem is in one field.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// The help of most messages: what the file must look like.
pub const VOLUMES_HELP: &str = "the file needs a header `interval_start,calls` (and optionally `agents`), then one row per interval, e.g. `08:00,120`";

fn error(line: usize, column: Option<usize>, message: String) -> VolumeError {
    VolumeError {
        line: Some(line),
        column,
        message,
        help: VOLUMES_HELP.to_string(),
    }
}

/// Reads the volumes file at `path` (at most [`MAX_VOLUMES_BYTES`]); a file that cannot be
/// read names the path tried.
pub fn read_volumes_file(path: &Path) -> Result<Vec<VolumeRow>, VolumeError> {
    let unreadable = |e: String| VolumeError {
        line: None,
        column: None,
        message: format!("cannot read {}: {e}", path.display()),
        help: "check the path; in a scenario it is relative to the scenario file".into(),
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.len() > MAX_VOLUMES_BYTES {
        return Err(unreadable(format!(
            "the file has {} bytes, more than the {MAX_VOLUMES_BYTES} read",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let src = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let (line, column) = super::error::line_col(&src, at);
            return Err(VolumeError {
                line: Some(line),
                column: Some(column),
                message: "a byte that is not UTF-8".into(),
                help: "save the file as UTF-8".into(),
            });
        }
    };
    parse_volumes(&text)
}

/// Parses volumes text (see the module's documentation for the format).
pub fn parse_volumes(text: &str) -> Result<Vec<VolumeRow>, VolumeError> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let (header, header_line): (Vec<String>, usize) = match r.headers() {
        Ok(h) => (
            h.iter().map(str::to_string).collect(),
            h.position().map_or(1, |p| p.line() as usize),
        ),
        Err(e) => return Err(error(csv_line(&e).unwrap_or(1), None, csv_message(&e))),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    for (k, h) in header.iter().enumerate() {
        let column = header
            .iter()
            .take(k)
            .map(|h| h.chars().count() + 1)
            .sum::<usize>()
            + 1;
        if !["interval_start", "calls", "agents", "type"].contains(&h.as_str())
            && !DAY_COLUMNS.contains(&h.as_str())
        {
            return Err(error(
                header_line,
                Some(column),
                format!("unknown column `{h}`"),
            ));
        }
        if DAY_COLUMNS.contains(&h.as_str())
            && header[..k]
                .iter()
                .any(|g| DAY_COLUMNS.contains(&g.as_str()))
        {
            return Err(error(
                header_line,
                Some(column),
                format!(
                    "`{h}` and another column that labels the days (`day`, `weekday`, `date`): \
                     keep one"
                ),
            ));
        }
    }
    let (Some(start), Some(calls)) = (col("interval_start"), col("calls")) else {
        return Err(error(
            header_line,
            None,
            format!("the header is `{}`", header.join(",")),
        ));
    };
    let agents = col("agents");
    let ticket_type = col("type");
    let day = DAY_COLUMNS.iter().find_map(|c| col(c).map(|k| (*c, k)));
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| error(csv_line(&e).unwrap_or(1), None, csv_message(&e)))?;
        let line = rec.position().map_or(1, |p| p.line() as usize);
        if out.len() >= MAX_VOLUMES_ROWS {
            return Err(error(
                line,
                None,
                format!("more than {MAX_VOLUMES_ROWS} rows"),
            ));
        }
        let field = |k: usize| rec.get(k).unwrap_or("");
        // Columns of unquoted fields: each earlier field and its comma.
        let column = |k: usize| (0..k).map(|j| field(j).chars().count() + 1).sum::<usize>() + 1;
        let n: f64 = field(calls)
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                error(
                    line,
                    Some(column(calls)),
                    format!("`calls`: `{}` is not a count of calls", field(calls)),
                )
            })?;
        let a = match agents {
            Some(k) if !field(k).is_empty() => Some(
                field(k)
                    .parse::<u32>()
                    .ok()
                    .filter(|a| (1..=100_000).contains(a))
                    .ok_or_else(|| {
                        error(
                            line,
                            Some(column(k)),
                            format!("`agents`: `{}` is not from 1 to 100000", field(k)),
                        )
                    })?,
            ),
            _ => None,
        };
        let d = match day {
            Some((name, k)) => {
                let text = field(k);
                let key = match name {
                    "day" => text
                        .parse::<usize>()
                        .ok()
                        .filter(|d| *d < 10_000)
                        .map(DayKey::Day),
                    "weekday" => {
                        let t = text.to_ascii_lowercase();
                        super::raw_roster::WEEKDAY_NAMES
                            .iter()
                            .position(|w| *w == t)
                            .map(DayKey::Weekday)
                    }
                    _ => super::duration::parse_date(text).map(DayKey::Date),
                };
                let what = match name {
                    "day" => "a day from 0 to 9999",
                    "weekday" => "a day of the week (mon to sun)",
                    _ => "a date YYYY-MM-DD",
                };
                let key = key.ok_or_else(|| {
                    error(
                        line,
                        Some(column(k)),
                        format!("`{name}`: `{text}` is not {what}"),
                    )
                })?;
                Some(DayLabel {
                    key,
                    text: text.to_string(),
                    column: column(k),
                })
            }
            None => None,
        };
        let ty = match ticket_type {
            Some(k) if field(k).is_empty() => {
                return Err(error(
                    line,
                    Some(column(k)),
                    "`type`: empty; name the row's ticket type".into(),
                ));
            }
            Some(k) => Some((field(k).to_string(), column(k))),
            None => None,
        };
        out.push(VolumeRow {
            line,
            start: field(start).to_string(),
            start_column: column(start),
            calls: n,
            agents: a,
            day: d,
            ticket_type: ty,
        });
    }
    if out.is_empty() {
        return Err(error(header_line + 1, None, "no interval".into()));
    }
    Ok(out)
}

fn csv_line(e: &csv::Error) -> Option<usize> {
    e.position().map(|p| p.line() as usize)
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields, but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "a byte that is not UTF-8".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_calls_and_agents_with_their_places() {
        let rows =
            parse_volumes("# a comment\ninterval_start,calls,agents\n08:00, 12,\n08:30,7.5,3\n")
                .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].start.as_str()), (3, "08:00"));
        assert_eq!((rows[1].calls, rows[1].agents), (7.5, Some(3)));
        let e = parse_volumes("interval_start,calls\n08:00,12\n08:30,-1\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(7)));
        let rows = parse_volumes("interval_start,calls,type\n08:00,1,sales\n").unwrap();
        assert_eq!(rows[0].ticket_type, Some(("sales".to_string(), 9)));
        let e = parse_volumes("interval_start,calls,type\n08:00,1,\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(9)));
        let e = parse_volumes("interval_start,calls,kind\n08:00,1,a\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(22)));
        // Days by weekday or by date, one way at a time.
        let rows = parse_volumes("weekday,interval_start,calls\nSun,08:00,3\n").unwrap();
        assert_eq!(
            rows[0].day.as_ref().map(|d| (d.key, d.column)),
            Some((DayKey::Weekday(6), 1))
        );
        let rows = parse_volumes("date,interval_start,calls\n2026-01-04,08:00,3\n").unwrap();
        assert_eq!(
            rows[0].day.as_ref().map(|d| d.key),
            Some(DayKey::Date(20_457))
        );
        let e = parse_volumes("date,interval_start,calls\n2026-02-30,08:00,3\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert!(e.message.contains("not a date YYYY-MM-DD"), "{}", e.message);
        let e = parse_volumes("day,interval_start,calls,weekday\n0,08:00,3,mon\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(26)));
        assert!(e.message.contains("keep one"), "{}", e.message);
        let e = parse_volumes("interval_start,calls\n08:00,1,2\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(parse_volumes("").is_err());
        assert!(parse_volumes("interval_start,calls\n").is_err());
        assert!(parse_volumes("\u{0}\"\n,,\"").is_err());
    }

    proptest::proptest! {
        /// Whatever the text, the parser answers (rows or a located problem) without panic,
        /// and every row it accepts has a count of calls 0 or more.
        #[test]
        fn never_panics(text in "(interval_start|calls|agents|08:00|,|\"|#|\n|-1|1e309|NaN|x| |\r|0|7){0,40}") {
            if let Ok(rows) = parse_volumes(&text) {
                proptest::prop_assert!(rows.iter().all(|r| r.calls.is_finite() && r.calls >= 0.0));
            } else if let Err(e) = parse_volumes(&text) {
                proptest::prop_assert!(e.line.is_some());
            }
        }
    }
}
