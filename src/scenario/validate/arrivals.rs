//! The arrival process: rates per interval (in the scenario or in a forecast file), day
//! multipliers and the busyness factor.

use super::Problems;
use crate::scenario::raw::{RawBusyness, RawScenario};
use crate::scenario::raw_roster::WEEKDAY_NAMES;
use crate::scenario::duration::{format_date, weekday_of};
use crate::scenario::volumes::{DayKey, DayLabel, VolumeError, VolumeRow, read_volumes_file};
use crate::scenario::{Arrivals, Busyness, DayGrid, format_clock, parse_clock};
use std::path::{Path, PathBuf};

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
    let rates = match (&a.rate_per_hour, &a.rates_per_hour, &a.forecast) {
        (_, _, Some(file)) => {
            let (rates, days) = forecast(file, raw, day, p)?;
            day_rates = days;
            rates
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
    Some(Arrivals {
        rates_per_hour: rates,
        day_rates,
        day_scale: day_scale.to_vec(),
        week_scale,
        busyness,
        forecast: a.forecast.clone(),
    })
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
fn forecast(
    file: &str,
    raw: &RawScenario,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
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
                    (_, f) => ("date", format!("`{}`'s rows", f.as_ref().map_or("", |f| &f.text))),
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
    let keys: Vec<&DayLabel> = rows.iter().step_by(n).filter_map(|r| r.day.as_ref()).collect();
    let day_rates: Vec<Vec<f64>> = match keys.first().map(|l| l.key) {
        None => Vec::new(),
        Some(DayKey::Day(_)) => days,
        Some(DayKey::Weekday(_)) => {
            by_weekday(raw, &rows, &keys, days, n, p, &in_file, &grid_help)?
        }
        Some(DayKey::Date(_)) => by_date(raw, &rows, &keys, days, n, p, &in_file)?,
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
            .map(|j| week[(first + j) % 7].clone().unwrap_or_else(|| vec![0.0; n]))
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
                        format!("set simulation.start_day to a date of the file, e.g. \"{}\"", keys[0].text),
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
