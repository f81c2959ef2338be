//! Checks that need the whole scenario: a set-up that can never reach a steady state.

use super::Problems;
use crate::scenario::{Flow, Scenario};

/// Checks that need the whole scenario: a set-up that can never reach a steady state.
pub(super) fn check_whole(s: &Scenario, p: &mut Problems) {
    // Turning callers away above a threshold bounds the queue, whatever the load.
    if s.entry.flow == Flow::CallBackLater {
        return;
    }
    let patient: Vec<usize> = (0..s.ticket_types.len())
        .filter(|&i| s.ticket_types[i].patience.is_none())
        .collect();
    if patient.is_empty() {
        return;
    }
    let max_scale = s.arrivals.day_scale.iter().cloned().fold(0.0, f64::max);
    let daily_calls: f64 =
        s.arrivals.rates_per_hour.iter().sum::<f64>() * s.day.interval / 3600.0 * max_scale;
    // Work brought by the customers who never leave, at the fastest speed of a team serving them.
    let work: f64 = patient
        .iter()
        .map(|&i| {
            let t = &s.ticket_types[i];
            let speed = s
                .teams
                .iter()
                .filter(|team| team.serves.contains(&i))
                .map(|team| team.speed)
                .fold(f64::INFINITY, f64::min);
            daily_calls * t.share * t.handle_time.mean() * speed
        })
        .sum();
    let capacity: f64 = s
        .teams
        .iter()
        .filter(|team| team.serves.iter().any(|i| patient.contains(i)))
        .map(|team| team.staffing.iter().map(|a| f64::from(*a)).sum::<f64>() * s.day.interval)
        .sum();
    if work >= capacity {
        let names: Vec<&str> = patient
            .iter()
            .map(|&i| s.ticket_types[i].name.as_str())
            .collect();
        p.add(
            "arrivals",
            format!(
                "unstable set-up: callers of type {} never give up (no `patience`) and bring {:.1} \
                 agent-hours of work a day, but the teams serving them are staffed for only {:.1} \
                 agent-hours; the queue would grow without end",
                names.join(", "),
                work / 3600.0,
                capacity / 3600.0
            ),
            "add agents, lower the arrival rate, or give these ticket types a `patience` distribution",
        );
    }
}
