//! Channels: a ticket type's channel (phone, message, chat), a message type's promise,
//! urgency rule and reminder, and a team's chat concurrency and slowdown.

use super::{Problems, probability};
use crate::scenario::raw::{RawChannel, RawTeam, RawTicketType};
use crate::scenario::{Channel, DAY, MessageRule, Reminder};

/// The longest response promise or reminder delay: 30 days.
const MAX_PROMISE: f64 = 30.0 * DAY;

/// The default promise of a message type: an answer within the hour.
pub(super) const DEFAULT_PROMISE: f64 = 3600.0;

/// The channel of type `t` at `key` and, for a message type, its rule; `None` with the
/// problems added.
pub(super) fn channel(
    t: &RawTicketType,
    key: &str,
    p: &mut Problems,
) -> Option<(Channel, Option<MessageRule>)> {
    let channel = match t.channel {
        None | Some(RawChannel::Phone) => Channel::Phone,
        Some(RawChannel::Message) => Channel::Message,
        Some(RawChannel::Chat) => Channel::Chat,
    };
    if channel != Channel::Message {
        let mut ok = true;
        for (given, name) in [
            (t.response_promise.is_some(), "response_promise"),
            (t.urgent_before.is_some(), "urgent_before"),
            (t.reminder.is_some(), "reminder"),
        ] {
            if given {
                p.add(
                    &format!("{key}.{name}"),
                    format!("`{name}` is only for a message type"),
                    "add channel = \"message\" to this type, or remove the key",
                );
                ok = false;
            }
        }
        return ok.then_some((channel, None));
    }
    let mut ok = true;
    // A message waits for an answer: nobody hangs up, nothing overflows after a wait on the
    // line, and its target is its promise, not a service level.
    for (given, name, help) in [
        (
            t.patience.is_some(),
            "patience",
            "a message is never abandoned: remove `patience` (a customer may send a `reminder`), \
             or use channel = \"chat\" for customers who leave",
        ),
        (
            t.overflow.is_some(),
            "overflow",
            "messages are answered by the teams that serve the type; remove `overflow`",
        ),
        (
            t.service_level_threshold.is_some(),
            "service_level_threshold",
            "a message's target is its `response_promise`; remove this key",
        ),
        (
            t.service_level_target.is_some(),
            "service_level_target",
            "a message's target is its `response_promise` (breakdown.csv reports the share \
             answered within it); remove this key",
        ),
    ] {
        if given {
            p.add(
                &format!("{key}.{name}"),
                format!("`{name}` is not for a message type"),
                help,
            );
            ok = false;
        }
    }
    let promise = t.response_promise.map_or(DEFAULT_PROMISE, |d| d.0);
    if !(promise > 0.0 && promise <= MAX_PROMISE) {
        p.add(
            &format!("{key}.response_promise"),
            format!("the promise must be above 0 and at most 30 days, not {promise} s"),
            "e.g. response_promise = \"1h\": an answer within the hour",
        );
        return None;
    }
    let urgent_before = t.urgent_before.map_or(promise / 4.0, |d| d.0);
    if !(0.0..promise).contains(&urgent_before) {
        p.add(
            &format!("{key}.urgent_before"),
            format!(
                "`urgent_before` must be from 0 to below the promise ({promise} s), not \
                 {urgent_before} s"
            ),
            "e.g. urgent_before = \"15m\" with a promise of 1 h: a message still waiting 45 \
             minutes after it came is answered before calls; 0 never puts messages first",
        );
        ok = false;
    }
    let reminder = match &t.reminder {
        None => Some(None),
        Some(r) => {
            let after = r.after.0;
            let chance = probability(r.probability, &format!("{key}.reminder.probability"), p);
            if !(after > 0.0 && after <= MAX_PROMISE) {
                p.add(
                    &format!("{key}.reminder.after"),
                    format!("the delay must be above 0 and at most 30 days, not {after} s"),
                    "e.g. reminder = { after = \"2h\", probability = 0.5 }",
                );
                None
            } else {
                chance.map(|probability| Some(Reminder { after, probability }))
            }
        }
    };
    match (ok, reminder) {
        (true, Some(reminder)) => Some((
            channel,
            Some(MessageRule {
                promise,
                urgent_before,
                reminder,
            }),
        )),
        _ => None,
    }
}

/// A team's resolution in depth (`depth`), checked; `Some(None)` without one. It needs a
/// customer population, whose later tickets it spares.
pub(super) fn depth(
    raw: &crate::scenario::raw::RawScenario,
    t: &RawTeam,
    key: &str,
    p: &mut Problems,
) -> Option<Option<crate::scenario::Depth>> {
    let Some(d) = &t.depth else {
        return Some(None);
    };
    let mut ok = true;
    if raw.arrivals.customers.is_none() {
        p.add(
            &format!("{key}.depth"),
            "resolution in depth spares a customer later tickets, but the scenario has no \
             customers",
            "add arrivals.customers = 5000 (a population the tickets belong to), or remove \
             `depth`",
        );
        ok = false;
    }
    if !(d.handle_factor.is_finite() && (1.0..=10.0).contains(&d.handle_factor)) {
        p.add(
            &format!("{key}.depth.handle_factor"),
            format!(
                "the handle-time factor must be from 1 to 10, not {}",
                d.handle_factor
            ),
            "e.g. handle_factor = 1.5: conversations in depth last 50 % longer",
        );
        ok = false;
    }
    if !(d.prevents.is_finite() && (0.0..=1.0).contains(&d.prevents)) {
        p.add(
            &format!("{key}.depth.prevents"),
            format!(
                "`prevents` is a probability from 0 to 1, not {}",
                d.prevents
            ),
            "e.g. prevents = 0.5: half of the customer's tickets in the next weeks never come",
        );
        ok = false;
    }
    let lasting = d.lasting.0;
    if !(lasting > 0.0 && lasting <= 3650.0 * 86_400.0) {
        p.add(
            &format!("{key}.depth.lasting"),
            format!("the protection must last above 0 and at most 10 years, not {lasting} s"),
            "e.g. lasting = \"30d\": a month without the problems a deep resolution prevents",
        );
        ok = false;
    }
    let proactive = d.proactive.as_ref().map(|r| {
        let (after, handle) = (r.after.0, r.handle.0);
        let mut fine = true;
        if !(after > 0.0 && after <= 3650.0 * 86_400.0) {
            p.add(
                &format!("{key}.depth.proactive.after"),
                format!("the contact must come above 0 and at most 10 years after the resolution, not {after} s"),
                "e.g. after = \"7d\": a week after a deep resolution, the team calls the customer",
            );
            fine = false;
        }
        if !(handle > 0.0 && handle <= 8.0 * 3600.0) {
            p.add(
                &format!("{key}.depth.proactive.handle"),
                format!("the contact must take above 0 and at most 8 hours of an agent, not {handle} s"),
                "e.g. handle = \"5m\": five minutes of an agent's time per contact",
            );
            fine = false;
        }
        ok &= fine;
        crate::scenario::Proactive { after, handle }
    });
    ok.then_some(Some(crate::scenario::Depth {
        handle_factor: d.handle_factor,
        prevents: d.prevents,
        lasting,
        proactive,
    }))
}

/// A team's chat concurrency and slowdown: (1, 0) for a team that serves no chat type
/// (which may not set them).
pub(super) fn chat(
    t: &RawTeam,
    key: &str,
    serves_chat: bool,
    p: &mut Problems,
) -> Option<(u32, f64)> {
    if !serves_chat {
        let mut ok = true;
        for (given, name) in [
            (t.chat_concurrency.is_some(), "chat_concurrency"),
            (t.chat_slowdown.is_some(), "chat_slowdown"),
        ] {
            if given {
                p.add(
                    &format!("{key}.{name}"),
                    format!("`{name}` is only for a team that serves a chat type"),
                    "add a type with channel = \"chat\" to `serves`, or remove the key",
                );
                ok = false;
            }
        }
        return ok.then_some((1, 0.0));
    }
    let k = t.chat_concurrency.unwrap_or(2);
    let slowdown = t.chat_slowdown.unwrap_or(0.25);
    let mut ok = true;
    if !(1..=10).contains(&k) {
        p.add(
            &format!("{key}.chat_concurrency"),
            format!("an agent holds from 1 to 10 chats at once, not {k}"),
            "e.g. chat_concurrency = 3; 1 makes a chat a call on another line",
        );
        ok = false;
    }
    if !(slowdown.is_finite() && (0.0..=5.0).contains(&slowdown)) {
        p.add(
            &format!("{key}.chat_slowdown"),
            format!("the slowdown must be from 0 to 5, not {slowdown}"),
            "e.g. chat_slowdown = 0.25: a chat started beside one other lasts 25 % longer, \
             beside two others 50 %",
        );
        ok = false;
    }
    ok.then_some((k as u32, slowdown))
}
