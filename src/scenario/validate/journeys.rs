//! Journeys that cannot end: loops a ticket can never leave (nobody resolves it and the
//! customer always comes back), and among those the loops that take 0 s, which would hang a run.

use super::Problems;
use crate::scenario::{Dist, Flow, Redial, Resolution, Scenario, Team, Unresolved};

/// Whether every draw of `d` is exactly 0 s.
pub(super) fn surely_zero(d: &Dist) -> bool {
    match d {
        Dist::Constant { value } => *value == 0.0,
        Dist::Uniform { max, .. } => *max == 0.0,
        Dist::Empirical { values } => values.iter().all(|v| *v == 0.0),
        _ => false,
    }
}

/// Whether some customers try again after every failure for ever: the repeating (last)
/// probability is 1 and every earlier one lets some customers reach it.
pub(super) fn forever(r: &Redial) -> bool {
    let (last, earlier) = r.probabilities.split_last().expect("validated: not empty");
    *last >= 1.0 && earlier.iter().all(|p| *p > 0.0)
}

/// Whether team `t` can never settle a ticket of difficulty `difficulty`.
fn never_resolves(t: &Team, difficulty: f64) -> bool {
    let goodwill = match t.resolution {
        Resolution::Standard => 0.0,
        Resolution::ImmediateResolution {
            goodwill_probability,
            ..
        } => goodwill_probability,
    };
    let best = if t.competence_spread > 0.0 {
        1.0
    } else {
        t.learning
            .as_ref()
            .map_or(t.competence, |l| l.initial.max(t.competence))
    };
    goodwill == 0.0 && Team::resolve_probability(best, difficulty) == 0.0
}

/// Where an unresolved ticket of one type goes next.
enum Next {
    /// The customer may leave for good.
    MayLeave,
    /// A new inbound call, to any team serving the type.
    Inbound,
    /// Team `to`'s queue; `zero` when the step surely takes 0 s.
    Team { to: usize, zero: bool },
    /// Team `to`'s queue, or a broken promise followed by a new inbound call.
    TeamOrInbound { to: usize },
}

fn next(t: &Team) -> Next {
    match &t.unresolved {
        Unresolved::CustomerCallsAgain(r) if forever(r) => Next::Inbound,
        Unresolved::CustomerCallsAgain(_) => Next::MayLeave,
        Unresolved::Escalate {
            team,
            transfer_delay,
        } => Next::Team {
            to: *team,
            zero: surely_zero(transfer_delay),
        },
        Unresolved::AgentCallback {
            delay,
            broken_probability,
            team,
            call_again,
            ..
        } => {
            if *broken_probability == 0.0 {
                Next::Team {
                    to: *team,
                    zero: surely_zero(delay),
                }
            } else if *broken_probability >= 1.0 {
                if forever(call_again) {
                    Next::Inbound
                } else {
                    Next::MayLeave
                }
            } else if forever(call_again) {
                Next::TeamOrInbound { to: *team }
            } else {
                Next::MayLeave
            }
        }
    }
}

/// The key of team `k`'s step that sends tickets on.
fn loop_key(s: &Scenario, k: usize) -> String {
    match &s.teams[k].unresolved {
        Unresolved::CustomerCallsAgain(_) => format!("teams[{k}].call_again.probability"),
        Unresolved::Escalate { .. } => format!("teams[{k}].escalate_to"),
        Unresolved::AgentCallback { .. } => format!("teams[{k}].agent_callback"),
    }
}

/// Refuses loops a ticket can never leave: at 0 s per turn always (a run would hang), and
/// otherwise as an unstable set-up (`--allow-unstable` runs it).
pub(super) fn check(s: &Scenario, p: &mut Problems) {
    let n = s.teams.len();
    for (i, ty) in s.ticket_types.iter().enumerate() {
        if ty.share == 0.0 {
            continue;
        }
        let zero_talk = surely_zero(&ty.handle_time);
        let inbound: Vec<usize> = (0..n).filter(|&k| s.teams[k].serves.contains(&i)).collect();
        // The customer may leave from the inbound queue: by abandoning without redialling for
        // ever, or by being turned away.
        let turned_away = ty.patience.is_some() || s.entry.flow != Flow::Queue;
        let inbound_exit = turned_away && !s.entry.redial.as_ref().is_some_and(forever);
        // Greatest set of teams from which the ticket can never leave.
        let mut trapped: Vec<bool> = (0..n)
            .map(|k| never_resolves(&s.teams[k], ty.difficulty))
            .collect();
        loop {
            let inbound_trapped = !inbound_exit && inbound.iter().all(|&k| trapped[k]);
            let mut changed = false;
            for k in 0..n {
                if !trapped[k] {
                    continue;
                }
                let stays = match next(&s.teams[k]) {
                    Next::MayLeave => false,
                    Next::Inbound => inbound_trapped,
                    Next::Team { to, .. } => trapped[to],
                    Next::TeamOrInbound { to } => trapped[to] && inbound_trapped,
                };
                if !stays {
                    trapped[k] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Teams a ticket of this type can reach.
        let mut reach = vec![false; n];
        let mut stack = inbound.clone();
        while let Some(k) = stack.pop() {
            if std::mem::replace(&mut reach[k], true) {
                continue;
            }
            match next(&s.teams[k]) {
                Next::Team { to, .. } | Next::TeamOrInbound { to } => stack.push(to),
                _ => {}
            }
        }
        let Some(start) = (0..n).find(|&k| reach[k] && trapped[k]) else {
            continue;
        };
        // Follow the loop from `start` to name it (each trapped team has one next team).
        let mut path = vec![start];
        let mut cycle_from = None;
        loop {
            let k = path[path.len() - 1];
            let to = match next(&s.teams[k]) {
                Next::Team { to, .. } | Next::TeamOrInbound { to } => to,
                _ => break,
            };
            cycle_from = path.iter().position(|&x| x == to);
            path.push(to);
            if cycle_from.is_some() {
                break;
            }
        }
        let names: Vec<&str> = path.iter().map(|&k| s.teams[k].name.as_str()).collect();
        let why = describe(s, start, ty.difficulty);
        let zero_cycle = cycle_from.filter(|&c| {
            zero_talk
                && path[c..path.len() - 1]
                    .iter()
                    .all(|&k| matches!(next(&s.teams[k]), Next::Team { zero: true, .. }))
        });
        if let Some(c) = zero_cycle {
            p.add(
                &zero_key(s, path[c]),
                format!(
                    "endless loop at one instant: tickets of type `{}` go {} for ever ({why}), \
                     and every turn takes 0 s (conversations and hand-overs of 0 s), so the \
                     simulated clock would never move",
                    ty.name,
                    names.join(" → ")
                ),
                "give the hand-over a positive time, e.g. { dist = \"exponential\", mean = \"2m\" }, \
                 or give the type a handle time above 0, or let a team resolve it",
            );
            continue;
        }
        let via = match next(&s.teams[path[path.len() - 1]]) {
            Next::Inbound | Next::TeamOrInbound { .. } => " → a new call",
            _ => "",
        };
        let mut on_loop = path.clone();
        on_loop.dedup();
        let capacity: f64 = (0..n)
            .filter(|k| on_loop.contains(k))
            .map(|k| {
                s.teams[k]
                    .staffing
                    .iter()
                    .map(|a| f64::from(*a))
                    .sum::<f64>()
            })
            .sum::<f64>()
            * s.day.interval
            / 3600.0;
        p.unstable(
            &loop_key(s, path[path.len() - 1]),
            format!(
                "unstable set-up: a ticket of type `{}` can never leave: it goes {}{via} for ever \
                 ({why}); the expected number of contacts per ticket is unbounded, so the load \
                 grows without end while the teams on the loop are staffed for {capacity:.1} \
                 agent-hours a day (capacity)",
                ty.name,
                names.join(" → ")
            ),
            if via.is_empty() {
                "let some customers give up (a call-again or redial probability below 1, e.g. \
                 0.8), let a team resolve the type (difficulty below 1, competence above 0), or \
                 end the escalation chain at a team with unresolved = \"customer_calls_again\" \
                 and a call-again probability below 1"
            } else {
                // The loop already runs through the customer calling again: ending a chain
                // there is what loops.
                "let some customers give up (a call-again or redial probability below 1, e.g. \
                 0.8), or let a team resolve the type (difficulty below 1, competence above 0)"
            },
        );
    }
}

/// Why nobody resolves the type at team `k`, in words.
fn describe(s: &Scenario, k: usize, difficulty: f64) -> String {
    let t = &s.teams[k];
    let mut why = if difficulty >= 1.0 {
        "nobody can resolve it: difficulty 1".to_string()
    } else {
        format!("team `{}` cannot resolve it: competence 0", t.name)
    };
    match &t.unresolved {
        Unresolved::CustomerCallsAgain(_) => {
            why.push_str(", and every customer calls again (probability 1)")
        }
        Unresolved::AgentCallback { .. } => why.push_str(", and every promised callback is kept"),
        Unresolved::Escalate { .. } => {}
    }
    if let Some(r) = &s.entry.redial
        && forever(r)
    {
        why.push_str(", callers who abandon always redial");
    }
    why
}

/// The key of the 0 s hand-over of team `k`.
fn zero_key(s: &Scenario, k: usize) -> String {
    match &s.teams[k].unresolved {
        Unresolved::AgentCallback { .. } => format!("teams[{k}].agent_callback.delay"),
        _ => format!("teams[{k}].transfer_delay"),
    }
}
