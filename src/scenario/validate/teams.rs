//! Teams: staffing, the types they serve, speed, routing, competence and learning.

use super::resolution::{team_resolution, team_unresolved};
use super::{Problems, cost, probability};
use crate::scenario::raw::{RawRouting, RawScenario};
use crate::scenario::{DayGrid, Learning, Routing, Team};

/// The smallest handle-time multiplier: a team at most 100 times faster than the type's own
/// handle time, so that conversations cannot shrink to nothing (`speed = 1e-9` would hang a run).
const MIN_SPEED: f64 = 0.01;

pub(super) fn teams(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Vec<Team>> {
    if raw.teams.is_empty() {
        p.add(
            "teams",
            "no team",
            "add a [[teams]] table with agents and the types it serves",
        );
        return None;
    }
    let names: Vec<&str> = raw.ticket_types.iter().map(|t| t.name.as_str()).collect();
    let mut out = Vec::new();
    let mut ok = true;
    for (i, t) in raw.teams.iter().enumerate() {
        let key = format!("teams[{i}]");
        if t.name.trim().is_empty() {
            p.add(
                &format!("{key}.name"),
                "the name is empty",
                "give each team a name",
            );
            ok = false;
        }
        if raw.teams[..i].iter().any(|o| o.name == t.name) {
            p.add(
                &format!("{key}.name"),
                format!("the name `{}` is used twice", t.name),
                "give each team its own name",
            );
            ok = false;
        }
        let staffing = super::roster::staffing(t, &key, day, p);
        // A team may serve no inbound type when it only takes work sent to it: a tier 2
        // that receives escalations or overflow, a team that places callbacks.
        let receives = raw.teams.iter().any(|o| {
            o.escalate_to.as_deref() == Some(t.name.as_str())
                || o.agent_callback
                    .as_ref()
                    .is_some_and(|cb| cb.team.as_deref() == Some(t.name.as_str()))
        }) || raw
            .entry
            .callback
            .as_ref()
            .is_some_and(|cb| cb.team.as_deref() == Some(t.name.as_str()))
            || raw
                .ticket_types
                .iter()
                .any(|ty| ty.overflow.as_ref().is_some_and(|o| o.to == t.name));
        if t.serves.is_empty() && !receives {
            p.add(
                &format!("{key}.serves"),
                format!("team `{}` serves no ticket type", t.name),
                "list the types it serves, e.g. serves = [\"billing\"], or send it escalations or callbacks",
            );
            ok = false;
        }
        let mut serves = Vec::new();
        for (j, s) in t.serves.iter().enumerate() {
            match names.iter().position(|n| n == s) {
                Some(idx) if serves.contains(&idx) => {
                    p.add(
                        &format!("{key}.serves[{j}]"),
                        format!("`{s}` is listed twice"),
                        "list each type once",
                    );
                    ok = false;
                }
                Some(idx) => serves.push(idx),
                None => {
                    let near = names
                        .iter()
                        .map(|n| (strsim::damerau_levenshtein(s, n), *n))
                        .min()
                        .filter(|(d, _)| *d <= 3)
                        .map(|(_, n)| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    p.add(
                        &format!("{key}.serves[{j}]"),
                        format!("team `{}` serves `{s}`, which is not a ticket type", t.name),
                        format!("{near}the ticket types are: {}", names.join(", ")),
                    );
                    ok = false;
                }
            }
        }
        let levels = super::skills::levels(t, &key, &serves, &names, p);
        let speed = t.speed.unwrap_or(1.0);
        if !(speed.is_finite() && (MIN_SPEED..=100.0).contains(&speed)) {
            p.add(
                &format!("{key}.speed"),
                format!("the speed factor must be from {MIN_SPEED} to 100, not {speed}"),
                "1.0 keeps the type's handle time; below 0.01 conversations all but vanish \
                 (a 4-minute call would last under 2.4 s) and a run could not end",
            );
            ok = false;
        }
        let resolution = team_resolution(t, &key, p);
        let unresolved = team_unresolved(raw, t, &key, p);
        let cost_per_hour = cost(t.cost_per_hour, &format!("{key}.cost_per_hour"), p);
        let competence = probability(t.competence.unwrap_or(1.0), &format!("{key}.competence"), p);
        let spread = t.competence_spread.unwrap_or(0.0);
        if !(0.0..=0.5).contains(&spread) {
            p.add(
                &format!("{key}.competence_spread"),
                format!("the spread must be from 0 to 0.5, not {spread}"),
                "a standard deviation such as 0.05 spreads agents around the team's competence",
            );
            ok = false;
        }
        let learning = match &t.learning {
            None => Some(None),
            Some(l) => {
                let initial = probability(l.initial, &format!("{key}.learning.initial"), p);
                if !(l.half_life.is_finite() && l.half_life > 0.0 && l.half_life <= 1e9) {
                    p.add(
                        &format!("{key}.learning.half_life"),
                        format!(
                            "the half-life must be above 0 contacts, not {}",
                            l.half_life
                        ),
                        "e.g. half_life = 50: half of the gap is closed after 50 contacts",
                    );
                    None
                } else {
                    initial.map(|initial| {
                        Some(Learning {
                            initial,
                            half_life: l.half_life,
                        })
                    })
                }
            }
        };
        let serves_chat = serves.iter().any(|&ty| {
            raw.ticket_types[ty].channel == Some(crate::scenario::raw::RawChannel::Chat)
        });
        let chat = super::channels::chat(t, &key, serves_chat, p);
        let depth = super::channels::depth(raw, t, &key, p);
        let routing = match t.routing {
            None | Some(RawRouting::Priority) => Routing::Priority,
            Some(RawRouting::LongestWaiting) => Routing::LongestWaiting,
        };
        match (
            staffing,
            resolution,
            unresolved,
            cost_per_hour,
            competence,
            learning,
            levels,
            chat,
            depth,
        ) {
            (
                Some((staffing, roster)),
                Some(resolution),
                Some(unresolved),
                Some(cost_per_hour),
                Some(competence),
                Some(learning),
                Some(levels),
                Some((chat_concurrency, chat_slowdown)),
                Some(depth),
            ) => out.push(Team {
                name: t.name.clone(),
                staffing,
                roster,
                serves,
                levels,
                speed,
                routing,
                competence,
                competence_spread: spread,
                learning,
                resolution,
                unresolved,
                cost_per_hour,
                chat_concurrency,
                chat_slowdown,
                depth,
            }),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    for (i, t) in raw.ticket_types.iter().enumerate() {
        if !out.iter().any(|team| team.serves.contains(&i)) {
            p.add(
                &format!("ticket_types[{i}].name"),
                format!("no team serves the ticket type `{}`", t.name),
                format!("add \"{}\" to the `serves` list of a team", t.name),
            );
            ok = false;
        }
    }
    if out.iter().all(|t| match &t.roster {
        Some(r) => !r.anyone(),
        None => t.staffing.iter().all(|a| *a == 0),
    }) {
        p.add(
            "teams",
            "the centre has no agent at any time",
            "give at least one team some agents",
        );
        ok = false;
    }
    ok.then_some(out)
}

pub(super) fn agents(a: i64, key: &str, p: &mut Problems) -> Option<u32> {
    if (0..=100_000).contains(&a) {
        Some(a as u32)
    } else {
        p.add(
            key,
            format!("{a} agents: a team has from 0 to 100000 agents"),
            "",
        );
        None
    }
}
