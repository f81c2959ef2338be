//! Checks that need the whole scenario: a set-up that can never reach a steady state.

use super::Problems;
use super::journeys::forever;
use crate::scenario::{Flow, Scenario};

/// Checks that need the whole scenario: a set-up that can never reach a steady state.
pub(super) fn check_whole(s: &Scenario, p: &mut Problems) {
    // Callers who try again after every failure for ever leave only once answered.
    let redial_forever = s.entry.redial.as_ref().is_some_and(forever);
    // Turning callers away above a threshold bounds the queue, whatever the load, unless
    // they all come back.
    if s.entry.flow == Flow::CallBackLater && !redial_forever {
        return;
    }
    let patient: Vec<usize> = (0..s.ticket_types.len())
        .filter(|&i| {
            s.ticket_types[i].patience.is_none()
                || redial_forever
                || s.entry.flow == Flow::CallBackLater
        })
        .collect();
    if patient.is_empty() {
        return;
    }
    let max_scale = s.arrivals.day_scale.iter().cloned().fold(0.0, f64::max);
    let daily_calls: f64 = s
        .arrivals
        .profiles()
        .iter()
        .map(|p| p.iter().sum::<f64>())
        .fold(0.0, f64::max)
        * s.day.interval
        / 3600.0
        * max_scale;
    // Work brought by the customers who never leave, at the fastest speed of a team serving them.
    let work: f64 = patient
        .iter()
        .map(|&i| {
            let t = &s.ticket_types[i];
            // A chat agent holding k chats at once does k / (1 + slowdown × (k − 1)) chats'
            // work per unit of time: the most a team's chat work can shrink.
            let chat = t.channel == crate::scenario::Channel::Chat;
            let speed = s
                .teams
                .iter()
                .filter(|team| team.serves.contains(&i))
                .map(|team| {
                    let k = f64::from(team.chat_concurrency);
                    if chat {
                        team.talk_speed() * (1.0 + team.chat_slowdown * (k - 1.0)) / k
                    } else {
                        team.talk_speed()
                    }
                })
                .fold(f64::INFINITY, f64::min);
            daily_calls * t.share * t.mean_work() * speed
        })
        .sum();
    // The teams serving them, and those they overflow to (which take their calls too).
    let overflows_to = |k: usize| {
        patient
            .iter()
            .any(|&i| s.ticket_types[i].overflow.is_some_and(|o| o.team == k))
    };
    let capacity: f64 = s
        .teams
        .iter()
        .enumerate()
        .filter(|(k, team)| team.serves.iter().any(|i| patient.contains(i)) || overflows_to(*k))
        .map(|(_, team)| team.staffing.iter().map(|a| f64::from(*a)).sum::<f64>() * s.day.interval)
        .sum();
    if work >= capacity {
        let names: Vec<&str> = patient
            .iter()
            .map(|&i| s.ticket_types[i].name.as_str())
            .collect();
        let (why, key, fix) = if redial_forever {
            (
                "never leave without an answer (callers who abandon or are turned away always \
                 redial: `entry.redial` probability 1)",
                "entry.redial.probability",
                "add agents, lower the arrival rate, or let some callers give up: a redial \
                 probability below 1 (e.g. 0.8), or a list such as [0.9, 0.5]",
            )
        } else {
            (
                "never give up (no `patience`)",
                "arrivals",
                "add agents, lower the arrival rate, or give these ticket types a `patience` \
                 distribution",
            )
        };
        p.unstable(
            key,
            format!(
                "unstable set-up: callers of type {} {why} and bring {:.1} agent-hours of work \
                 on the busiest day (load), but the teams serving them are staffed for only \
                 {:.1} agent-hours (capacity); the queue would grow without end",
                names.join(", "),
                work / 3600.0,
                capacity / 3600.0
            ),
            fix,
        );
    }
}
