//! The forecast file of `arrivals.forecast`: volumes per interval, per day of the run,
//! weekday or date, and per ticket type, turned into rates per hour; every problem at the
//! file's line and column.

use super::Problems;
use crate::scenario::duration::{format_date, weekday_of};
use crate::scenario::raw::RawScenario;
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::volumes::{DayKey, DayLabel, VolumeError, VolumeRow, read_volumes_file};
use crate::scenario::{DayGrid, format_clock, parse_clock};
use std::path::{Path, PathBuf};

/// The forecast file's path: relative to the scenario file's folder. `scenario_file` is the
/// name shown in messages: a path, or for a point of a sweep `PATH with KEY=VALUE`.
pub(super) fn forecast_path(scenario_file: &str, file: &str) -> PathBuf {
    let scenario_file = scenario_file
        .split_once(" with ")
        .map_or(scenario_file, |(path, _)| path);
    Path::new(scenario_file)
        .parent()
        .unwrap_or(Path::new(""))
        .join(file)
}

/// The rates per hour of a forecast file, one per interval of the open day (day 0's with a
/// column that labels the days), and with such a column every day's: `day` as written;
/// `weekday` turned into seven profiles from day 0's weekday (a closed weekday may be
/// missing: no calls); `date` from day 0's date. Its problems name the file, line and
/// column.
pub(super) fn forecast(
    file: &str,
    raw: &RawScenario,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<Forecast> {
    let path = forecast_path(p.file, file);
    let shown = path.display().to_string();
    let in_file = |p: &mut Problems, e: VolumeError| {
        let mut err = p.error("arrivals.forecast", e.message, e.help);
        if e.line.is_some() {
            err.file.clone_from(&shown);
            err.line = e.line;
            err.column = e.column;
        }
        p.list.push(err);
    };
    let rows = match read_volumes_file(&path) {
        Ok(rows) => rows,
        Err(e) => {
            in_file(p, e);
            return None;
        }
    };
    if rows.iter().all(|r| r.ticket_type.is_none()) {
        let (rates, day_rates) = profiles(&rows, raw, day, p, &in_file)?;
        return Some(Forecast {
            rates,
            day_rates,
            type_mix: Vec::new(),
        });
    }
    by_type(&rows, raw, day, p, &in_file)
}

/// What a forecast file gives the arrivals.
pub(super) struct Forecast {
    /// Day 0's rates per hour, one per interval of the open day.
    pub rates: Vec<f64>,
    /// Every day's, with a column that labels the days (empty otherwise).
    pub day_rates: Vec<Vec<f64>>,
    /// With a `type` column: per profile, interval and ticket type (in the scenario's
    /// order), the type's share of the interval's calls (empty otherwise).
    pub type_mix: Vec<Vec<Vec<f64>>>,
}

/// A forecast per ticket type: each type's rows (in file order) are a forecast of their own,
/// with the same days; the arrivals are their sum, and each interval's calls split by the
/// types' volumes there (an interval with no calls by the types' shares of the whole file).
/// Every type of the scenario has rows, and every row names one of its types; the types'
/// `share` keys are then refused, since the file gives them.
fn by_type(
    rows: &[VolumeRow],
    raw: &RawScenario,
    day: &DayGrid,
    p: &mut Problems,
    in_file: &dyn Fn(&mut Problems, VolumeError),
) -> Option<Forecast> {
    let names: Vec<&str> = raw.ticket_types.iter().map(|t| t.name.as_str()).collect();
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for r in rows {
        let Some((ty, column)) = &r.ticket_type else {
            continue;
        };
        if !names.contains(&ty.as_str()) {
            in_file(
                p,
                VolumeError {
                    line: Some(r.line),
                    column: Some(*column),
                    message: format!("`type`: `{ty}` is not a ticket type of the scenario"),
                    help: format!("the types are {list}"),
                },
            );
            return None;
        }
    }
    if let Some(missing) = names.iter().find(|n| {
        !rows
            .iter()
            .any(|r| r.ticket_type.as_ref().is_some_and(|t| t.0 == **n))
    }) {
        in_file(
            p,
            VolumeError {
                line: rows.last().map(|r| r.line),
                column: None,
                message: format!("no rows for ticket type `{missing}`"),
                help: "give every ticket type its rows (a type with no calls has rows of 0 calls)"
                    .into(),
            },
        );
        return None;
    }
    for (k, t) in raw.ticket_types.iter().enumerate() {
        if t.share.is_some() {
            p.add(
                &format!("ticket_types[{k}].share"),
                format!(
                    "the forecast file gives each type's calls (a `type` column), so type `{}`'s \
                     `share` would not be used",
                    t.name
                ),
                "remove the types' `share` keys: each type's share of the calls is its volume in \
                 the file",
            );
            return None;
        }
    }
    let mut per_type = Vec::with_capacity(names.len());
    for name in &names {
        let own: Vec<VolumeRow> = rows
            .iter()
            .filter(|r| r.ticket_type.as_ref().is_some_and(|t| t.0 == *name))
            .cloned()
            .collect();
        let f = profiles(&own, raw, day, p, in_file)?;
        per_type.push((f, *name));
    }
    let days = per_type[0].0.1.len();
    if let Some((_, name)) = per_type.iter().find(|((_, d), _)| d.len() != days) {
        in_file(
            p,
            VolumeError {
                line: rows.last().map(|r| r.line),
                column: None,
                message: format!(
                    "type `{name}` has a different number of days than type `{}`",
                    per_type[0].1
                ),
                help: "give every type the same days".into(),
            },
        );
        return None;
    }
    let n = day.intervals();
    let profile = |f: &(Vec<f64>, Vec<Vec<f64>>), d: usize| -> Vec<f64> {
        if days == 0 {
            f.0.clone()
        } else {
            f.1[d].clone()
        }
    };
    let count = days.max(1);
    let totals: Vec<f64> = per_type
        .iter()
        .map(|(f, _)| (0..count).map(|d| profile(f, d).iter().sum::<f64>()).sum())
        .collect();
    let all: f64 = totals.iter().sum();
    let fallback: Vec<f64> = totals
        .iter()
        .map(|t| {
            if all > 0.0 {
                t / all
            } else {
                1.0 / totals.len() as f64
            }
        })
        .collect();
    let mut sum = vec![vec![0.0; n]; count];
    let mut type_mix = vec![vec![vec![0.0; names.len()]; n]; count];
    for d in 0..count {
        for (k, (f, _)) in per_type.iter().enumerate() {
            for (i, r) in profile(f, d).iter().enumerate() {
                sum[d][i] += r;
                type_mix[d][i][k] = *r;
            }
        }
        for i in 0..n {
            let total = sum[d][i];
            for k in 0..names.len() {
                type_mix[d][i][k] = if total > 0.0 {
                    type_mix[d][i][k] / total
                } else {
                    fallback[k]
                };
            }
        }
    }
    let rates = sum[0].clone();
    let day_rates = if days == 0 { Vec::new() } else { sum };
    Some(Forecast {
        rates,
        day_rates,
        type_mix,
    })
}

/// One forecast's rows (of every type, or of one) as day 0's rates per hour and, with a
/// column that labels the days, every day's.
fn profiles(
    rows: &[VolumeRow],
    raw: &RawScenario,
    day: &DayGrid,
    p: &mut Problems,
    in_file: &dyn Fn(&mut Problems, VolumeError),
) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
    let n = day.intervals();
    let per_day = rows.first().is_some_and(|r| r.day.is_some());
    let label = |i: usize| format_clock(day.open + i as f64 * day.interval);
    let grid_help = format!(
        "the labels must be the interval starts of the day grid, from `simulation.open` to \
         `simulation.close` every {}: {}, {}, ...{}",
        span(day.interval),
        label(0),
        label(1.min(n - 1)),
        if per_day {
            "; with a `day` column, day 0's rows, then day 1's, ..."
        } else {
            ""
        }
    );
    let mut rates = Vec::with_capacity(rows.len().min(n * 10_000));
    for (j, row) in rows.iter().enumerate() {
        let (d, i) = (j / n, j % n);
        let at = |message: String| VolumeError {
            line: Some(row.line),
            column: Some(row.start_column),
            message,
            help: grid_help.clone(),
        };
        if let Some(label) = &row.day {
            // The first row of a day opens it; the others must be of the same day.
            let first = &rows[j - i].day.as_ref().map(|l| l.key);
            let wrong = match label.key {
                DayKey::Day(given) => given != d,
                _ => i > 0 && *first != Some(label.key),
            };
            if wrong {
                let (name, of) = match (label.key, &rows[j - i].day) {
                    (DayKey::Day(_), _) => ("day", format!("day {d}")),
                    (DayKey::Weekday(_), Some(f)) => ("weekday", format!("`{}`'s rows", f.text)),
                    (_, f) => (
                        "date",
                        format!("`{}`'s rows", f.as_ref().map_or("", |f| &f.text)),
                    ),
                };
                in_file(
                    p,
                    VolumeError {
                        column: Some(label.column),
                        ..at(format!(
                            "`{name}`: `{}`, but this row is interval {} of {of} (the rows come day by day, each day's {n} intervals in time order)",
                            label.text,
                            i + 1
                        ))
                    },
                );
                return None;
            }
        }
        if !per_day && j >= n {
            in_file(
                p,
                at(format!(
                    "`interval_start`: `{}` is after the open day's last interval, {} (the day has {n} intervals)",
                    row.start,
                    label(n - 1)
                )),
            );
            return None;
        }
        let expected = day.open + i as f64 * day.interval;
        if parse_clock(&row.start).map_or(true, |t| (t - expected).abs() > 0.5) {
            in_file(
                p,
                at(format!(
                    "`interval_start`: `{}`, but interval {} of the day grid starts at {}",
                    row.start,
                    i + 1,
                    label(i)
                )),
            );
            return None;
        }
        let rate = row.calls * 3600.0 / day.interval;
        if rate > 1e8 {
            in_file(
                p,
                VolumeError {
                    line: Some(row.line),
                    column: None,
                    message: format!(
                        "{} calls in {} is beyond what rappel simulates",
                        row.calls,
                        span(day.interval)
                    ),
                    help: "use at most 100000000 calls per hour".into(),
                },
            );
            return None;
        }
        rates.push(rate);
    }
    if rates.len() % n != 0 || rates.is_empty() {
        let last = rows.last().map_or(1, |r| r.line);
        let (d, i) = (rates.len() / n, rates.len() % n);
        let days = if per_day {
            format!("day {d} ends after {i} interval(s)")
        } else {
            format!("the file ends after {i} interval(s)")
        };
        in_file(
            p,
            VolumeError {
                line: Some(last),
                column: None,
                message: format!(
                    "{days}, but the open day has {n}: the next row would start at {}",
                    label(i)
                ),
                help: grid_help,
            },
        );
        return None;
    }
    let days: Vec<Vec<f64>> = rates.chunks(n).map(<[f64]>::to_vec).collect();
    let keys: Vec<&DayLabel> = rows
        .iter()
        .step_by(n)
        .filter_map(|r| r.day.as_ref())
        .collect();
    let day_rates: Vec<Vec<f64>> = match keys.first().map(|l| l.key) {
        None => Vec::new(),
        Some(DayKey::Day(_)) => days,
        Some(DayKey::Weekday(_)) => by_weekday(raw, rows, &keys, days, n, p, in_file, &grid_help)?,
        Some(DayKey::Date(_)) => by_date(raw, rows, &keys, days, n, p, in_file)?,
    };
    rates = day_rates.first().cloned().unwrap_or(rates);
    rates.truncate(n);
    Some((rates, day_rates))
}

/// A forecast's profiles per weekday as seven profiles from day 0's weekday: each weekday
/// once; a weekday the centre closes (`simulation.week`) may be missing, and has no calls.
#[allow(clippy::too_many_arguments)]
fn by_weekday(
    raw: &RawScenario,
    rows: &[VolumeRow],
    keys: &[&DayLabel],
    days: Vec<Vec<f64>>,
    n: usize,
    p: &mut Problems,
    in_file: &dyn Fn(&mut Problems, VolumeError),
    grid_help: &str,
) -> Option<Vec<Vec<f64>>> {
    let mut week: [Option<Vec<f64>>; 7] = Default::default();
    for (g, (label, profile)) in keys.iter().zip(days).enumerate() {
        let DayKey::Weekday(w) = label.key else {
            return None;
        };
        if week[w].is_some() {
            in_file(
                p,
                VolumeError {
                    line: Some(rows[g * n].line),
                    column: Some(label.column),
                    message: format!("`weekday`: `{}`'s rows come twice", label.text),
                    help: "give each weekday's intervals once, in one block".into(),
                },
            );
            return None;
        }
        week[w] = Some(profile);
    }
    let open = super::grid::week(raw).unwrap_or([true; 7]);
    if let Some(w) = (0..7).find(|&w| open[w] && week[w].is_none()) {
        in_file(
            p,
            VolumeError {
                line: rows.last().map(|r| r.line),
                column: None,
                message: format!(
                    "no rows for `{}`, a day the centre opens (simulation.week)",
                    WEEKDAY_NAMES[w]
                ),
                help: format!(
                    "add `{}`'s {n} intervals, or leave the day out of simulation.week; {grid_help}",
                    WEEKDAY_NAMES[w]
                ),
            },
        );
        return None;
    }
    let first = super::grid::start_weekday(raw).unwrap_or(0);
    Some(
        (0..7)
            .map(|j| {
                week[(first + j) % 7]
                    .clone()
                    .unwrap_or_else(|| vec![0.0; n])
            })
            .collect(),
    )
}

/// A forecast's profiles per date from day 0's date: the dates one after the other; day 0
/// is `simulation.start_day` when it is a date in the file, else the first date, whose
/// weekday must be day 0's.
fn by_date(
    raw: &RawScenario,
    rows: &[VolumeRow],
    keys: &[&DayLabel],
    days: Vec<Vec<f64>>,
    n: usize,
    p: &mut Problems,
    in_file: &dyn Fn(&mut Problems, VolumeError),
) -> Option<Vec<Vec<f64>>> {
    let date = |l: &DayLabel| match l.key {
        DayKey::Date(d) => d,
        _ => 0,
    };
    let first = date(keys[0]);
    for (g, label) in keys.iter().enumerate() {
        if date(label) != first + g as i64 {
            in_file(
                p,
                VolumeError {
                    line: Some(rows[g * n].line),
                    column: Some(label.column),
                    message: format!(
                        "`date`: `{}`, but the day after `{}` is {}",
                        label.text,
                        keys[g - 1].text,
                        format_date(first + g as i64)
                    ),
                    help: "give the dates one after the other, each day's intervals in one \
                           block, with no day missing (a closed day's rows have 0 calls)"
                        .into(),
                },
            );
            return None;
        }
    }
    let at = |message: String, help: String| VolumeError {
        line: Some(rows[0].line),
        column: Some(keys[0].column),
        message,
        help,
    };
    let offset = match super::grid::start_date(raw) {
        Some(start) => {
            let offset = start - first;
            if offset < 0 || offset >= keys.len() as i64 {
                in_file(
                    p,
                    at(
                        format!(
                            "the forecast runs from {} to {}, but the run starts on {} \
                             (simulation.start_day)",
                            keys[0].text,
                            keys[keys.len() - 1].text,
                            format_date(start)
                        ),
                        format!(
                            "set simulation.start_day to a date of the file, e.g. \"{}\"",
                            keys[0].text
                        ),
                    ),
                );
                return None;
            }
            offset as usize
        }
        None => {
            let w = super::grid::start_weekday(raw).unwrap_or(0);
            if weekday_of(first) != w {
                in_file(
                    p,
                    at(
                        format!(
                            "the forecast starts on {}, a {}, but the run's day 0 is a {} \
                             (simulation.start_day)",
                            keys[0].text,
                            WEEKDAY_NAMES[weekday_of(first)],
                            WEEKDAY_NAMES[w]
                        ),
                        format!("set simulation.start_day = \"{}\"", keys[0].text),
                    ),
                );
                return None;
            }
            0
        }
    };
    let mut days = days;
    days.rotate_left(offset);
    Some(days)
}

/// An interval's length in words: `30 min`, `90 s`.
fn span(seconds: f64) -> String {
    if seconds % 60.0 == 0.0 {
        format!("{} min", seconds / 60.0)
    } else {
        format!("{seconds} s")
    }
}
