//! Reading a per-call log into calls the fit can use: the Anonymous Bank format and
//! rappel's own calls.csv (the generic format: any log with those column names), recognised
//! by their headers. Every problem names the file, line and column and says how to fix it.

use super::FitError;
use super::dates::{parse_clock_seconds, parse_date_days, weekday_of_days};
use std::collections::HashMap;

/// One call that reached the queue (or was answered at once), as the fit sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogCall {
    /// 1-based line of the call in the file.
    pub line: usize,
    /// When the call reached the queue, seconds from 00:00 of the log's first day.
    pub arrival: f64,
    /// Time in the queue before it was answered or hung up, seconds.
    pub wait: f64,
    /// Answered (else abandoned in the queue).
    pub answered: bool,
    /// Talk time of an answered call, seconds (NaN otherwise).
    pub handle: f64,
    /// Index of the call's type in [`CallLog::types`].
    pub ty: usize,
    /// Index of the answering agent in [`CallLog::agents`], when known.
    pub agent: Option<usize>,
    /// The customer, when identified (for returns).
    pub customer: Option<u64>,
}

/// A log read and mapped.
#[derive(Debug, Clone, Default)]
pub struct CallLog {
    /// Which format the header showed.
    pub format: &'static str,
    /// The calls the model uses, in arrival order.
    pub calls: Vec<LogCall>,
    /// The types, in order of first appearance.
    pub types: Vec<String>,
    /// The agents' names, in order of first appearance.
    pub agents: Vec<String>,
    /// Records the model does not use: (why, how many), in a fixed order.
    pub ignored: Vec<(String, usize)>,
    /// Answered calls whose agent is not named (kept: they count as answered, not in the
    /// staffing's agents seen).
    pub answered_without_agent: usize,
    /// Rows read (every record of the file).
    pub rows: usize,
    /// The weekday of day 0 (0 Monday … 6 Sunday), when the log has dates.
    pub first_weekday: Option<usize>,
    /// The first date, as written, when the log has dates.
    pub first_date: Option<String>,
    /// Days covered: the last call's day + 1.
    pub days: usize,
}

/// The Anonymous Bank format's columns (docs/fit.md).
const BANK: [&str; 8] = [
    "date", "vru_exit", "q_start", "q_time", "outcome", "ser_time", "server", "type",
];

/// The generic format: rappel's calls.csv columns that the fit needs (`wait_s` may be
/// replaced by `exit`, `type` is optional).
const GENERIC: [&str; 4] = ["arrival_s", "wait_s", "outcome", "handle_s"];

/// The columns a mapping may name (docs/fit.md).
pub const MAPPED: [&str; 11] = [
    "arrival_s",
    "date",
    "wait_s",
    "exit",
    "outcome",
    "handle_s",
    "type",
    "agent",
    "team",
    "ticket",
    "replication",
];

/// A column mapping for a log in another layout: which of its columns holds each of the
/// generic format's, and which outcome values mean answered and abandoned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    /// (generic name, the log's column).
    pub columns: Vec<(String, String)>,
    /// Outcome values of answered calls (besides `answered`).
    pub answered: Vec<String>,
    /// Outcome values of calls abandoned in the queue (besides `abandoned`).
    pub abandoned: Vec<String>,
}

/// The help for a header that is neither format.
const FORMATS_HELP: &str = "give the Anonymous Bank columns (date, vru_exit, q_start, q_time, outcome, ser_time, server, type) or rappel's calls.csv columns (arrival_s, wait_s, outcome, handle_s, type; optionally agent, team, ticket, replication); docs/fit.md has the mapping";

/// Parses a per-call log.
pub fn parse_log(text: &str, file: &str) -> Result<CallLog, FitError> {
    parse_log_with(text, file, &Mapping::default())
}

/// Parses a per-call log whose columns `mapping` renames to the generic format's.
pub fn parse_log_with(text: &str, file: &str, mapping: &Mapping) -> Result<CallLog, FitError> {
    let err = |line: usize, column: Option<usize>, message: String, help: &str| FitError {
        file: file.to_string(),
        line: Some(line),
        column,
        message,
        help: help.to_string(),
    };
    if text.trim().is_empty() {
        return Err(err(
            1,
            None,
            "the file is empty".into(),
            "give a log with a header line and one row per call",
        ));
    }
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(err(1, None, e.to_string(), FORMATS_HELP)),
    };
    let mapped = !mapping.columns.is_empty();
    for (generic, theirs) in &mapping.columns {
        let Some(k) = header.iter().position(|h| h == theirs) else {
            return Err(err(
                1,
                None,
                format!("--map {generic}={theirs}: the header has no column `{theirs}`"),
                &format!("the columns are: {}", header.join(", ")),
            ));
        };
        header[k] = generic.clone();
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let has = |names: &[&str]| names.iter().all(|n| col(n).is_some());
    let bank = !mapped && has(&BANK);
    let generic = has(&["arrival_s", "outcome", "handle_s"])
        && (col("wait_s").is_some() || col("exit").is_some());
    if !bank && !generic {
        // Name what is missing of the format the header looks most like.
        let miss = |names: &[&str]| -> Vec<String> {
            names
                .iter()
                .filter(|n| col(n).is_none())
                .map(|n| format!("`{n}`"))
                .collect()
        };
        let (b, g) = (miss(&BANK), miss(&GENERIC));
        let (what, missing) = if b.len() < g.len() {
            ("the Anonymous Bank format", b)
        } else {
            ("rappel's calls.csv format", g)
        };
        return Err(err(
            1,
            None,
            format!(
                "the header lacks the column{} {} of {what}",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
            FORMATS_HELP,
        ));
    }
    let mut log = CallLog {
        format: if bank {
            "Anonymous Bank"
        } else if mapped {
            "mapped columns"
        } else {
            "rappel calls.csv"
        },
        ..CallLog::default()
    };
    let mut types: HashMap<String, usize> = HashMap::new();
    let mut agents: HashMap<String, usize> = HashMap::new();
    let mut ignored: Vec<(String, usize)> = Vec::new();
    let mut ignore = |why: String| match ignored.iter_mut().find(|(w, _)| *w == why) {
        Some((_, n)) => *n += 1,
        None => ignored.push((why, 1)),
    };
    // Dates are turned into days from the first date seen; the first is fixed after reading.
    let mut dated: Vec<(i64, LogCall)> = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields, but the header has {expected_len}"),
                _ => e.to_string(),
            };
            err(
                line,
                None,
                message,
                "every row needs one field per column of the header",
            )
        })?;
        log.rows += 1;
        let line = rec.position().map_or(1, |p| p.line() as usize);
        let field = |k: usize| rec.get(k).unwrap_or("");
        let column = |k: usize| (0..k).map(|j| field(j).chars().count() + 1).sum::<usize>() + 1;
        let at = |name: &str| col(name).expect("checked in the header");
        let bad = |name: &str, message: String, help: &str| {
            err(
                line,
                Some(column(at(name))),
                format!("`{name}`: {message}"),
                help,
            )
        };
        let seconds = |name: &str| -> Result<f64, FitError> {
            let v = field(at(name));
            let x: f64 = v.parse().map_err(|_| {
                bad(
                    name,
                    format!("`{v}` is not a number of seconds"),
                    "write a duration in seconds, e.g. 95 or 95.5",
                )
            })?;
            if !x.is_finite() {
                return Err(bad(
                    name,
                    format!("`{v}` is not a finite number of seconds"),
                    "write a duration in seconds, e.g. 95",
                ));
            }
            if x < 0.0 {
                return Err(bad(
                    name,
                    format!("a negative duration, {v}"),
                    "a duration is 0 or more: check the record (an exit before its start?)",
                ));
            }
            Ok(x)
        };
        let clock = |name: &str| -> Result<f64, FitError> {
            let v = field(at(name));
            parse_clock_seconds(v).ok_or_else(|| {
                bad(
                    name,
                    format!("`{v}` is not a time of day"),
                    "write a clock time H:MM:SS, e.g. 9:05:30",
                )
            })
        };
        let mut type_of = |name: &str| {
            // A call without a type is of the type `calls`, as in a log without the column.
            let name = if name.is_empty() { "calls" } else { name };
            let n = types.len();
            *types.entry(name.to_string()).or_insert(n)
        };
        if bank {
            let outcome = field(at("outcome"));
            let queued = {
                let q = field(at("q_start"));
                !(q.is_empty() || q == "0:00:00" || q == "00:00:00")
            };
            let date = field(at("date"));
            let day = parse_date_days(date).ok_or_else(|| {
                bad(
                    "date",
                    format!("`{date}` is not a date"),
                    "write the date as YYYY-MM-DD, e.g. 1999-08-01",
                )
            })?;
            match outcome {
                "PHANTOM" => {
                    ignore("phantom records (outcome PHANTOM)".into());
                    continue;
                }
                "HANG" if !queued => {
                    ignore("hung up in the voice-response unit, never queued".into());
                    continue;
                }
                "AGENT" | "HANG" => {}
                other => {
                    return Err(bad(
                        "outcome",
                        format!("`{other}` is not an outcome of this format"),
                        "the outcomes are AGENT (served), HANG (hung up) and PHANTOM (ignored)",
                    ));
                }
            }
            let answered = outcome == "AGENT";
            let (arrival, wait) = if queued {
                (clock("q_start")?, seconds("q_time")?)
            } else {
                (clock("vru_exit")?, 0.0)
            };
            let handle = if answered {
                seconds("ser_time")?
            } else {
                f64::NAN
            };
            let server = field(at("server"));
            let agent = if answered && !server.is_empty() && server != "NO_SERVER" {
                let n = agents.len();
                Some(*agents.entry(server.to_string()).or_insert(n))
            } else {
                if answered {
                    log.answered_without_agent += 1;
                }
                None
            };
            let customer = col("customer_id")
                .and_then(|k| field(k).parse::<u64>().ok())
                .filter(|c| *c != 0);
            let ty = type_of(field(at("type")));
            if log.first_date.as_ref().is_none_or(|d| d.as_str() > date) {
                log.first_date = Some(date.to_string());
            }
            dated.push((
                day,
                LogCall {
                    line,
                    arrival,
                    wait,
                    answered,
                    handle,
                    ty,
                    agent,
                    customer,
                },
            ));
        } else {
            let outcome = field(at("outcome"));
            let answered = match outcome {
                o if o == "answered" || mapping.answered.iter().any(|a| a == o) => true,
                o if o == "abandoned" || mapping.abandoned.iter().any(|a| a == o) => false,
                o if mapped => {
                    ignore(format!("outcome `{o}`: neither --answered nor --abandoned"));
                    continue;
                }
                o if crate::centre::CallOutcome::from_name(o).is_some() => {
                    ignore(format!(
                        "outcome `{o}`: never waited in the queue for an agent"
                    ));
                    continue;
                }
                other => {
                    return Err(bad(
                        "outcome",
                        format!("`{other}` is not an outcome"),
                        "the outcomes are answered and abandoned (rejected, balked, closed, disconnected and callback are counted and left out)",
                    ));
                }
            };
            // Seconds, or a clock time (with a date, the day's).
            let time = |name: &str| -> Result<f64, FitError> {
                let v = field(at(name));
                if v.contains(':') {
                    clock(name)
                } else {
                    seconds(name)
                }
            };
            let arrival = time("arrival_s")?;
            let day: Option<i64> = match col("date") {
                Some(k) => {
                    let v = field(k);
                    Some(parse_date_days(v).ok_or_else(|| {
                        bad(
                            "date",
                            format!("`{v}` is not a date"),
                            "write the date as YYYY-MM-DD, e.g. 1999-08-01",
                        )
                    })?)
                }
                None => None,
            };
            if let Some(d) = day
                && log
                    .first_date
                    .as_ref()
                    .is_none_or(|f| f.as_str() > field(at("date")))
            {
                let _ = d;
                log.first_date = Some(field(at("date")).to_string());
            }
            // Each replication of a rappel run is laid after the others, whole weeks apart
            // (below), so that days keep their weekday.
            let rep: i64 = match col("replication") {
                Some(k) => {
                    let v = field(k);
                    v.parse::<u32>().map(i64::from).map_err(|_| {
                        bad(
                            "replication",
                            format!("`{v}` is not a replication number"),
                            "write a whole number 0 or more",
                        )
                    })?
                }
                None => 0,
            };
            let wait = match col("wait_s") {
                Some(_) => seconds("wait_s")?,
                None => {
                    let exit = time("exit")?;
                    let clocked = field(at("exit")).contains(':');
                    let w = if clocked && exit < arrival {
                        exit + 86_400.0 - arrival
                    } else {
                        exit - arrival
                    };
                    if w < 0.0 {
                        return Err(bad(
                            "exit",
                            format!("the queue exit is {} s before the arrival", -w),
                            "the exit comes at or after the arrival: check the record",
                        ));
                    }
                    w
                }
            };
            let handle = if answered {
                seconds("handle_s")?
            } else {
                f64::NAN
            };
            let agent = if answered {
                let name = match (col("team"), col("agent")) {
                    (Some(t), Some(a)) if !field(a).is_empty() => {
                        Some(format!("{}/{}", field(t), field(a)))
                    }
                    (None, Some(a)) if !field(a).is_empty() => Some(field(a).to_string()),
                    _ => None,
                };
                match name {
                    Some(name) => {
                        let n = agents.len();
                        Some(*agents.entry(name).or_insert(n))
                    }
                    None => {
                        log.answered_without_agent += 1;
                        None
                    }
                }
            } else {
                None
            };
            let customer = col("ticket")
                .and_then(|k| field(k).parse::<u64>().ok())
                .map(|t| {
                    let rep = col("replication")
                        .and_then(|k| field(k).parse::<u64>().ok())
                        .unwrap_or(0);
                    (rep << 40) | t
                });
            let ty = type_of(col("type").map_or("calls", field));
            dated.push((
                day.unwrap_or(rep),
                LogCall {
                    line,
                    arrival,
                    wait,
                    answered,
                    handle,
                    ty,
                    agent,
                    customer,
                },
            ));
        }
    }
    if dated.is_empty() {
        return Err(err(
            2,
            None,
            if log.rows == 0 {
                "the log has a header but no call".into()
            } else {
                format!(
                    "none of the {} records is a call that reached the queue",
                    log.rows
                )
            },
            "give a log with calls that were answered or abandoned in the queue",
        ));
    }
    // The bank's records are placed by their date from the first; rappel's replications
    // one after the other, each given the whole weeks the longest one needs.
    let first = dated.iter().map(|(d, _)| *d).min().unwrap_or(0);
    let by_date = bank || (col("date").is_some() && col("replication").is_none());
    let step = if by_date {
        log.first_weekday = Some(weekday_of_days(first));
        86_400.0
    } else {
        let last = dated.iter().map(|(_, c)| c.arrival).fold(0.0, f64::max);
        ((last / 86_400.0 / 7.0).floor() + 1.0) * 7.0 * 86_400.0
    };
    log.calls = dated
        .into_iter()
        .map(|(d, mut c)| {
            c.arrival += (d - first) as f64 * step;
            c
        })
        .collect();
    log.calls
        .sort_by(|a, b| a.arrival.total_cmp(&b.arrival).then(a.line.cmp(&b.line)));
    let last = log.calls.last().map_or(0.0, |c| c.arrival);
    if last / 86_400.0 >= MAX_DAYS as f64 {
        let line = log.calls.last().map_or(2, |c| c.line);
        return Err(err(
            line,
            None,
            format!(
                "the log spans {:.0} days to this call, more than the {MAX_DAYS} read",
                (last / 86_400.0).floor() + 1.0
            ),
            "fit at most ten years of calls (check the times and dates of this row)",
        ));
    }
    log.days = (last / 86_400.0).floor() as usize + 1;
    let mut t: Vec<(String, usize)> = types.into_iter().collect();
    t.sort_by_key(|(_, i)| *i);
    log.types = t.into_iter().map(|(n, _)| n).collect();
    let mut a: Vec<(String, usize)> = agents.into_iter().collect();
    a.sort_by_key(|(_, i)| *i);
    log.agents = a.into_iter().map(|(n, _)| n).collect();
    log.ignored = ignored;
    Ok(log)
}

/// The most days a log may span (ten years): the fit holds a few figures per interval of
/// every day.
pub const MAX_DAYS: usize = 3660;
