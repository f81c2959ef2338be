//! A team's staffing: one list (`agents`), lists per weekday (`agents_by_weekday`) or shift
//! patterns (`shifts`) with their breaks, and absence, planned shrinkage and adherence.

use super::Problems;
use super::teams::agents;
use crate::scenario::raw::{RawAgents, RawTeam};
use crate::scenario::raw_roster::{RawBreak, RawShift, RawShrinkage, WEEKDAY_NAMES};
use crate::scenario::{Break, DayGrid, DayRoster, Pattern, Roster, Shift, format_clock};

/// The most agents a team's shifts may hold on one day.
const MAX_SHIFT_AGENTS: i64 = 100_000;

/// The team's staffing list and, when it has more than one list for every day, its roster;
/// `None` after a problem.
pub(super) fn staffing(
    t: &RawTeam,
    key: &str,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<(Vec<u32>, Option<Roster>)> {
    let n = day.intervals();
    let plain = t.agents_by_weekday.is_none()
        && t.shifts.is_none()
        && t.absence.is_none()
        && t.shrinkage.is_none()
        && t.adherence.is_none();
    if plain {
        return match &t.agents {
            Some(a) => list(a, &format!("{key}.agents"), n, p).map(|l| (l, None)),
            None => {
                p.add(
                    key,
                    format!("team `{}` has no `agents`", t.name),
                    "give agents = 10 (every interval), a list with one number per interval, or \
                     [[teams.shifts]] tables",
                );
                None
            }
        };
    }
    let mut patterns = Vec::new();
    let weekdays = match (&t.shifts, &t.agents, &t.agents_by_weekday) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            let other = if t.agents.is_some() {
                "agents"
            } else {
                "agents_by_weekday"
            };
            p.add(
                &format!("{key}.{other}"),
                format!("team `{}` has both `shifts` and `{other}`", t.name),
                "keep one: shifts say who works when, and the agents per interval follow from them",
            );
            None
        }
        (Some(shifts), None, None) => {
            shift_days(shifts, &format!("{key}.shifts"), day, p).map(|(days, pats)| {
                patterns = pats;
                days
            })
        }
        (None, None, None) => {
            p.add(
                key,
                format!("team `{}` has no `agents`", t.name),
                "give agents = 10, a list per interval, agents_by_weekday or [[teams.shifts]]",
            );
            None
        }
        (None, base, by_weekday) => {
            let base = match base {
                Some(a) => Some(list(a, &format!("{key}.agents"), n, p)?),
                None => None,
            };
            let mut days = Vec::with_capacity(7);
            let mut ok = true;
            for (w, name) in WEEKDAY_NAMES.iter().enumerate() {
                let given = by_weekday.as_ref().and_then(|b| b.days()[w]);
                let l = match given {
                    Some(a) => list(a, &format!("{key}.agents_by_weekday.{name}"), n, p),
                    None => Some(base.clone().unwrap_or_else(|| vec![0; n])),
                };
                match l {
                    Some(l) => days.push(DayRoster::Intervals(l)),
                    None => ok = false,
                }
            }
            ok.then_some(days)
        }
    };
    let absence = t.absence.unwrap_or(0.0);
    let absence_ok = absence.is_finite() && (0.0..1.0).contains(&absence);
    if !absence_ok {
        p.add(
            &format!("{key}.absence"),
            format!("the absence must be a share from 0 to below 1, not {absence}"),
            "e.g. absence = 0.08: each scheduled agent is absent on a day with probability 8 %",
        );
    }
    let adherence = t.adherence.unwrap_or(1.0);
    let adherence_ok = adherence.is_finite() && adherence > 0.0 && adherence <= 1.0;
    if !adherence_ok {
        p.add(
            &format!("{key}.adherence"),
            format!("the adherence must be a share above 0 and at most 1, not {adherence}"),
            "e.g. adherence = 0.95: agents are where the plan says 95 % of the planned phone time",
        );
    }
    let shrinkage = shrinkage(t.shrinkage.as_ref(), &format!("{key}.shrinkage"), n, p);
    let (weekdays, shrinkage) = (weekdays?, shrinkage?);
    if !(absence_ok && adherence_ok) {
        return None;
    }
    let roster = Roster {
        weekdays,
        patterns,
        absence,
        shrinkage,
        adherence,
    };
    Some((roster.typical_staffing(day), Some(roster)))
}

/// One list of agents: a number for every interval, or one per interval.
fn list(a: &RawAgents, key: &str, n: usize, p: &mut Problems) -> Option<Vec<u32>> {
    match a {
        RawAgents::Constant(a) => agents(*a, key, p).map(|a| vec![a; n]),
        RawAgents::Profile(list) if list.len() != n => {
            p.add(
                key,
                format!(
                    "{} staffing values given, but the open day has {n} intervals",
                    list.len()
                ),
                "give one number of agents per interval, or a single number",
            );
            None
        }
        RawAgents::Profile(list) => list
            .iter()
            .enumerate()
            .map(|(j, a)| agents(*a, &format!("{key}[{j}]"), p))
            .collect(),
    }
}

fn shrinkage(
    raw: Option<&RawShrinkage>,
    key: &str,
    n: usize,
    p: &mut Problems,
) -> Option<Vec<f64>> {
    let bad = |v: f64| !(v.is_finite() && (0.0..=1.0).contains(&v));
    let help = "a share of the agents at work who are off the phone, e.g. shrinkage = 0.1";
    match raw {
        None => Some(vec![0.0; n]),
        Some(RawShrinkage::One(v)) if bad(*v) => {
            p.add(key, format!("{v} is not a share from 0 to 1"), help);
            None
        }
        Some(RawShrinkage::One(v)) => Some(vec![*v; n]),
        Some(RawShrinkage::PerInterval(l)) if l.len() != n => {
            p.add(
                key,
                format!(
                    "{} shrinkage values given, but the open day has {n} intervals",
                    l.len()
                ),
                "give one share per interval, or a single share",
            );
            None
        }
        Some(RawShrinkage::PerInterval(l)) => {
            let mut ok = true;
            for (i, v) in l.iter().enumerate() {
                if bad(*v) {
                    p.add(
                        &format!("{key}[{i}]"),
                        format!("{v} is not a share from 0 to 1"),
                        help,
                    );
                    ok = false;
                }
            }
            ok.then(|| l.clone())
        }
    }
}

/// The shifts worked on each day of the week, and the patterns in file order.
fn shift_days(
    shifts: &[RawShift],
    key: &str,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<(Vec<DayRoster>, Vec<Pattern>)> {
    if shifts.is_empty() {
        p.add(
            key,
            "the list of shifts is empty",
            "add a [[teams.shifts]] table with start, length and agents",
        );
        return None;
    }
    let mut days: Vec<Vec<Shift>> = vec![Vec::new(); 7];
    let mut patterns = Vec::with_capacity(shifts.len());
    let mut ok = true;
    let mut total = [0i64; 7];
    for (j, s) in shifts.iter().enumerate() {
        let key = format!("{key}[{j}]");
        let Some(shift) = shift(s, &key, day, p) else {
            ok = false;
            continue;
        };
        let worked: Vec<usize> = match &s.days {
            None => (0..7).collect(),
            Some(list) if list.is_empty() => {
                p.add(
                    &format!("{key}.days"),
                    "the list of days is empty: the shift is never worked",
                    "list the days it is worked, e.g. days = [\"mon\", \"tue\"], or leave the \
                     key out for every day",
                );
                ok = false;
                continue;
            }
            Some(list) => {
                let mut w: Vec<usize> = list.iter().map(|d| d.index()).collect();
                w.sort_unstable();
                w.dedup();
                w
            }
        };
        let mut on = [false; 7];
        for &w in &worked {
            on[w] = true;
        }
        patterns.push(Pattern {
            shift: shift.clone(),
            days: on,
        });
        for w in worked {
            total[w] += i64::from(shift.agents);
            if total[w] > MAX_SHIFT_AGENTS {
                p.add(
                    &format!("{key}.agents"),
                    format!(
                        "the team's shifts on {} hold more than {MAX_SHIFT_AGENTS} agents",
                        WEEKDAY_NAMES[w]
                    ),
                    "a team has at most 100000 agents a day; split it into teams",
                );
                return None;
            }
            days[w].push(shift.clone());
        }
    }
    ok.then(|| (days.into_iter().map(DayRoster::Shifts).collect(), patterns))
}

/// One shift pattern, checked against the opening hours.
fn shift(s: &RawShift, key: &str, day: &DayGrid, p: &mut Problems) -> Option<Shift> {
    let agents = agents(s.agents, &format!("{key}.agents"), p);
    let start = s.start.0;
    let length = s.length.0;
    if length <= 0.0 {
        p.add(
            &format!("{key}.length"),
            "a shift must last longer than 0 s",
            "e.g. length = \"8h30m\"",
        );
        return None;
    }
    let end = start + length;
    if start < day.open || end > day.close + 1e-6 {
        p.add(
            &format!("{key}.start"),
            format!(
                "the shift runs from {} to {}, outside the opening hours ({} to {})",
                format_clock(start),
                format_clock(end),
                format_clock(day.open),
                format_clock(day.close)
            ),
            "shifts start at or after `simulation.open` and end by `simulation.close`; with \
             entry.at_closing = \"serve\" the agents on a call at closing stay to serve the \
             callers on the line",
        );
        return None;
    }
    let mut breaks: Vec<(Break, String)> = Vec::new();
    let mut ok = true;
    for (i, b) in s.breaks.iter().flatten().enumerate() {
        let k = format!("{key}.breaks[{i}]");
        match one_break(b, &k, start, end, p) {
            Some(b) => breaks.push((b, k)),
            None => ok = false,
        }
    }
    if let Some(b) = &s.lunch {
        let k = format!("{key}.lunch");
        match one_break(b, &k, start, end, p) {
            Some(b) => breaks.push((b, k)),
            None => ok = false,
        }
    }
    breaks.sort_by(|a, b| a.0.earliest.total_cmp(&b.0.earliest));
    for w in breaks.windows(2) {
        let (a, b) = (&w[0].0, &w[1].0);
        if a.latest + a.length > b.earliest {
            p.add(
                &w[1].1,
                format!(
                    "this break may start at {}, before the break before it ends (as late as {})",
                    format_clock(b.earliest),
                    format_clock(a.latest + a.length)
                ),
                "an agent takes one break at a time: move the windows apart",
            );
            ok = false;
        }
    }
    let agents = agents?;
    ok.then(|| Shift {
        start,
        end,
        agents,
        breaks: breaks.into_iter().map(|b| b.0).collect(),
    })
}

/// A break (or the lunch) of a shift from `start` to `end`.
fn one_break(b: &RawBreak, key: &str, start: f64, end: f64, p: &mut Problems) -> Option<Break> {
    let length = b.length.0;
    if length <= 0.0 {
        p.add(
            &format!("{key}.length"),
            "a break must last longer than 0 s",
            "e.g. length = \"15m\"",
        );
        return None;
    }
    let (earliest, latest) = match (b.after, b.at, b.earliest, b.latest) {
        (Some(a), None, None, None) => (start + a.0, start + a.0),
        (None, Some(at), None, None) => (at.0, at.0),
        (None, None, Some(e), Some(l)) if l.0 >= e.0 => (e.0, l.0),
        (None, None, Some(_), Some(_)) => {
            p.add(
                &format!("{key}.latest"),
                "the latest start is before the earliest",
                "e.g. earliest = \"10:00\", latest = \"11:00\"",
            );
            return None;
        }
        _ => {
            p.add(
                key,
                "a break needs one of `after`, `at`, or `earliest` with `latest`",
                "e.g. { after = \"2h\", length = \"15m\" }, { at = \"10:30\", length = \"15m\" } \
                 or { earliest = \"10:00\", latest = \"11:00\", length = \"15m\" }",
            );
            return None;
        }
    };
    if earliest < start || latest + length > end + 1e-6 {
        p.add(
            key,
            format!(
                "the break may run from {} to {}, outside its shift ({} to {})",
                format_clock(earliest),
                format_clock(latest + length),
                format_clock(start),
                format_clock(end)
            ),
            "a break starts after its shift starts and ends before it ends",
        );
        return None;
    }
    Some(Break {
        earliest,
        latest,
        length,
    })
}
