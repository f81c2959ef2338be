//! Resolution policies of a team: how it resolves, and what happens to what it does not.

use super::{Problems, cost, dist, probability, redial, team_index};
use crate::scenario::raw::{RawResolution, RawScenario, RawTeam, RawUnresolved};
use crate::scenario::{Dist, Redial, Resolution, Unresolved};

pub(super) fn team_resolution(t: &RawTeam, key: &str, p: &mut Problems) -> Option<Resolution> {
    match t.resolution.unwrap_or(RawResolution::Standard) {
        RawResolution::Standard => {
            for (given, name) in [
                (t.goodwill_probability.is_some(), "goodwill_probability"),
                (t.goodwill_cost.is_some(), "goodwill_cost"),
            ] {
                if given {
                    p.add(
                        &format!("{key}.{name}"),
                        "goodwill applies only to immediate resolution",
                        "add resolution = \"immediate_resolution\", or remove this key",
                    );
                    return None;
                }
            }
            Some(Resolution::Standard)
        }
        RawResolution::ImmediateResolution => {
            let goodwill_probability = probability(
                t.goodwill_probability.unwrap_or(1.0),
                &format!("{key}.goodwill_probability"),
                p,
            );
            let goodwill_cost = cost(t.goodwill_cost, &format!("{key}.goodwill_cost"), p);
            Some(Resolution::ImmediateResolution {
                goodwill_probability: goodwill_probability?,
                goodwill_cost: goodwill_cost?,
            })
        }
    }
}

/// The default `call_again`: 80 % call again, after an exponential delay of 2 hours.
pub(super) fn default_call_again() -> Redial {
    Redial {
        probabilities: vec![0.8],
        delay: Dist::Exponential { mean: 7200.0 },
    }
}

pub(super) fn team_unresolved(
    raw: &RawScenario,
    t: &RawTeam,
    key: &str,
    p: &mut Problems,
) -> Option<Unresolved> {
    let policy = t.unresolved.unwrap_or(RawUnresolved::CustomerCallsAgain);
    let call_again = match &t.call_again {
        Some(r) => redial(r, &format!("{key}.call_again"), p)?,
        None => default_call_again(),
    };
    let stray = |given: bool, name: &str, wanted: &str, p: &mut Problems| {
        if given {
            p.add(
                &format!("{key}.{name}"),
                format!("`{name}` applies only with unresolved = \"{wanted}\""),
                format!("set unresolved = \"{wanted}\", or remove this key"),
            );
        }
        given
    };
    match policy {
        RawUnresolved::CustomerCallsAgain => {
            if stray(t.escalate_to.is_some(), "escalate_to", "escalate", p)
                | stray(t.transfer_delay.is_some(), "transfer_delay", "escalate", p)
                | stray(
                    t.agent_callback.is_some(),
                    "agent_callback",
                    "agent_callback",
                    p,
                )
            {
                return None;
            }
            Some(Unresolved::CustomerCallsAgain(call_again))
        }
        RawUnresolved::Escalate => {
            if stray(
                t.agent_callback.is_some(),
                "agent_callback",
                "agent_callback",
                p,
            ) {
                return None;
            }
            let Some(name) = &t.escalate_to else {
                p.add(
                    &format!("{key}.unresolved"),
                    "escalation needs a team to escalate to",
                    "add escalate_to = \"tier2\" (the name of another team)",
                );
                return None;
            };
            let team = team_index(raw, name, &format!("{key}.escalate_to"), p)?;
            if raw.teams[team].name == t.name {
                p.add(
                    &format!("{key}.escalate_to"),
                    "a team cannot escalate to itself",
                    "name another team, e.g. a tier-2 team",
                );
                return None;
            }
            let transfer_delay = match &t.transfer_delay {
                Some(d) => dist(d, &format!("{key}.transfer_delay"), p)?,
                None => Dist::Constant { value: 0.0 },
            };
            Some(Unresolved::Escalate {
                team,
                transfer_delay,
            })
        }
        RawUnresolved::AgentCallback => {
            if stray(t.escalate_to.is_some(), "escalate_to", "escalate", p)
                | stray(t.transfer_delay.is_some(), "transfer_delay", "escalate", p)
            {
                return None;
            }
            let Some(cb) = &t.agent_callback else {
                p.add(
                    &format!("{key}.unresolved"),
                    "an agent callback needs its settings",
                    "add agent_callback = { delay = { dist = \"exponential\", mean = \"2h\" }, promise = \"4h\" }",
                );
                return None;
            };
            let k = format!("{key}.agent_callback");
            let delay = dist(&cb.delay, &format!("{k}.delay"), p);
            if cb.promise.0 <= 0.0 {
                p.add(
                    &format!("{k}.promise"),
                    "the promised time must be longer than 0 s",
                    "e.g. promise = \"4h\": later than this, the callback is late",
                );
                return None;
            }
            let broken = probability(
                cb.broken_probability.unwrap_or(0.0),
                &format!("{k}.broken_probability"),
                p,
            );
            let team = match &cb.team {
                Some(name) => team_index(raw, name, &format!("{k}.team"), p)?,
                None => raw.teams.iter().position(|o| o.name == t.name)?,
            };
            Some(Unresolved::AgentCallback {
                delay: delay?,
                promise: cb.promise.0,
                broken_probability: broken?,
                team,
                call_again,
            })
        }
    }
}
