//! Skills and overflow: a team's level for each type it serves, a type's overflow to a
//! secondary team, and a type's own service-level threshold and target.

use super::Problems;
use crate::scenario::raw::{RawScenario, RawTeam, RawTicketType};
use crate::scenario::{DAY, Overflow, Team, TicketType};

/// The worst (highest) skill level.
pub(super) const MAX_LEVEL: i64 = 9;

/// The levels of team `t` for each type of `serves` (indices into `names`), in that order:
/// 1 unless `skills` says otherwise. `None` with the problems added.
pub(super) fn levels(
    t: &RawTeam,
    key: &str,
    serves: &[usize],
    names: &[&str],
    p: &mut Problems,
) -> Option<Vec<u8>> {
    let mut levels = vec![1u8; serves.len()];
    let Some(skills) = &t.skills else {
        return Some(levels);
    };
    let mut ok = true;
    for (name, &level) in skills {
        let at = format!("{key}.skills.{name}");
        let Some(j) = serves.iter().position(|&ty| names[ty] == name.as_str()) else {
            p.add(
                &at,
                format!(
                    "team `{}` has a level for `{name}`, which it does not serve",
                    t.name
                ),
                format!(
                    "give levels only for the types in `serves` ({}); add `{name}` there first",
                    t.serves.join(", ")
                ),
            );
            ok = false;
            continue;
        };
        if !(1..=MAX_LEVEL).contains(&level) {
            p.add(
                &at,
                format!("a skill level must be a whole number from 1 to {MAX_LEVEL}, not {level}"),
                "1 is the team's primary skill (answered first), 2 a secondary one, and so on",
            );
            ok = false;
            continue;
        }
        levels[j] = level as u8;
    }
    ok.then_some(levels)
}

/// A type's own service-level threshold (`None`: the centre's) and target, or `None` with
/// the problems added.
pub(super) fn service_target(
    raw: &RawScenario,
    t: &RawTicketType,
    key: &str,
    p: &mut Problems,
) -> Option<(Option<f64>, Option<f64>)> {
    let mut ok = true;
    let threshold = match t.service_level_threshold {
        None => None,
        Some(d) => {
            let short = raw.simulation.short_abandon.map_or(0.0, |d| d.0);
            if raw.ticket_types.len() == 1 {
                p.add(
                    &format!("{key}.service_level_threshold"),
                    "a type's own threshold needs several ticket types",
                    "with one type its figures are the centre's: set \
                     simulation.service_level_threshold instead",
                );
                ok = false;
            } else if !(d.0.is_finite() && d.0 >= 0.0 && d.0 <= DAY)
                || (short > 0.0 && d.0 <= short)
            {
                p.add(
                    &format!("{key}.service_level_threshold"),
                    format!(
                        "{} s is not from 0 to 1 day (and above simulation.short_abandon)",
                        d.0
                    ),
                    "a wait such as \"20s\" or \"1m\": calls answered within it count as in time",
                );
                ok = false;
            }
            Some(d.0)
        }
    };
    let target = match t.service_level_target {
        None => None,
        Some(v) if (0.0..=1.0).contains(&v) && v > 0.0 => Some(v),
        Some(v) => {
            p.add(
                &format!("{key}.service_level_target"),
                format!("the target must be a share above 0 and at most 1, not {v}"),
                "e.g. service_level_target = 0.8 for 80 % of calls within the threshold",
            );
            ok = false;
            None
        }
    };
    ok.then_some((threshold, target))
}

/// Fills in each type's overflow team, or adds the problems.
pub(super) fn overflow(
    raw: &RawScenario,
    types: &mut [TicketType],
    teams: &[Team],
    p: &mut Problems,
) {
    for (i, t) in raw.ticket_types.iter().enumerate() {
        let Some(o) = &t.overflow else { continue };
        let key = format!("ticket_types[{i}].overflow");
        let after = o.after.0;
        let mut ok = true;
        if !(after.is_finite() && (0.0..=365.0 * DAY).contains(&after)) {
            p.add(
                &format!("{key}.after"),
                format!("{after} s is not from 0 to 365 days"),
                "the wait before the secondary team may answer, e.g. after = \"30s\" \
                 (0 pools the teams at once)",
            );
            ok = false;
        }
        let Some(team) = teams.iter().position(|team| team.name == o.to) else {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            p.add(
                &format!("{key}.to"),
                format!("`{}` is not a team", o.to),
                format!("the teams are: {}", names.join(", ")),
            );
            continue;
        };
        if teams[team].serves.contains(&i) {
            p.add(
                &format!("{key}.to"),
                format!("team `{}` already serves `{}`", o.to, t.name),
                "overflow goes to a team that does not serve the type; to make it a second \
                 choice, give it a worse level instead, e.g. skills = { type = 2 }",
            );
            ok = false;
        }
        if ok && let Some(ty) = types.get_mut(i) {
            ty.overflow = Some(Overflow { team, after });
        }
    }
}
