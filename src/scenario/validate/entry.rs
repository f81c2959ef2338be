//! Entry flows: queue, call back later and callback offers, with announcements and redials.

use super::{PRIORITY_LIMIT, Problems, dist, priority, probability, redial, team_index};
use crate::scenario::raw::{RawAtClosing, RawCallback, RawCallbackKind, RawFlow, RawScenario};
use crate::scenario::{
    Announce, AtClosing, CallbackKind, CallbackOffer, DAY, DayGrid, Dist, Entry, Flow, Redial,
};

pub(super) fn entry(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Entry> {
    let e = &raw.entry;
    let flow = match e.flow {
        RawFlow::Queue => Flow::Queue,
        RawFlow::CallBackLater => Flow::CallBackLater,
        RawFlow::Callback => Flow::Callback,
    };
    let closed_retry = match &e.closed_retry {
        None => Redial {
            probabilities: vec![0.8],
            delay: Dist::Exponential { mean: 3600.0 },
        },
        Some(r) => redial(r, "entry.closed_retry", p)?,
    };
    let redial = match &e.redial {
        None => None,
        Some(r) => Some(redial(r, "entry.redial", p)?),
    };
    let at_closing = match e.at_closing {
        RawAtClosing::Serve => AtClosing::Serve,
        RawAtClosing::Disconnect => AtClosing::Disconnect,
    };
    let mut ok = true;
    let only = |given: bool, name: &str, wanted: &str, p: &mut Problems| {
        if given {
            p.add(
                &format!("entry.{name}"),
                format!("`{name}` applies only with flow = \"{wanted}\""),
                format!("set flow = \"{wanted}\", or remove this key"),
            );
        }
        !given
    };
    if flow != Flow::CallBackLater {
        ok &= only(e.max_queue.is_some(), "max_queue", "call_back_later", p);
        ok &= only(
            e.max_predicted_wait.is_some(),
            "max_predicted_wait",
            "call_back_later",
            p,
        );
    }
    if flow != Flow::Callback {
        ok &= only(e.callback.is_some(), "callback", "callback", p);
    }
    let max_queue = match e.max_queue {
        None => None,
        Some(k) if (0..=1_000_000).contains(&k) => Some(k as u32),
        Some(k) => {
            p.add(
                "entry.max_queue",
                format!("{k} is not a queue length from 0 to 1000000"),
                "0 means nobody waits: every caller who finds all agents busy is told to call back later",
            );
            ok = false;
            None
        }
    };
    let max_predicted_wait = e.max_predicted_wait.map(|d| d.0);
    if flow == Flow::CallBackLater && max_queue.is_none() && max_predicted_wait.is_none() && ok {
        p.add(
            "entry.flow",
            "call_back_later needs a threshold",
            "add max_queue = 10 (callers waiting) or max_predicted_wait = \"5m\"",
        );
        ok = false;
    }
    let announce = if e.announce_wait.unwrap_or(false) {
        let balk_factor = e.balk_factor.unwrap_or(1.0);
        let informed = e.informed_patience_factor.unwrap_or(1.0);
        for (v, name) in [
            (balk_factor, "balk_factor"),
            (informed, "informed_patience_factor"),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 100.0) {
                p.add(
                    &format!("entry.{name}"),
                    format!("the factor must be above 0 and at most 100, not {v}"),
                    "1.0 leaves the caller's patience as it is",
                );
                ok = false;
            }
        }
        Some(Announce {
            balk_factor,
            informed_patience_factor: informed,
        })
    } else {
        for (given, name) in [
            (e.balk_factor.is_some(), "balk_factor"),
            (
                e.informed_patience_factor.is_some(),
                "informed_patience_factor",
            ),
        ] {
            if given {
                p.add(
                    &format!("entry.{name}"),
                    format!("`{name}` applies only when callers hear the wait"),
                    "add announce_wait = true, or remove this key",
                );
                ok = false;
            }
        }
        None
    };
    let callback = match (&e.callback, flow) {
        (Some(cb), Flow::Callback) => Some(callback_offer(raw, cb, day, p)?),
        (None, Flow::Callback) => {
            p.add(
                "entry.flow",
                "the callback flow needs its settings",
                "add an [entry.callback] table with kind = \"virtual_hold\" or \"appointment\"",
            );
            return None;
        }
        _ => None,
    };
    ok.then_some(Entry {
        flow,
        redial,
        closed_retry,
        at_closing,
        max_queue,
        max_predicted_wait,
        announce,
        callback,
    })
}

pub(super) fn callback_offer(
    raw: &RawScenario,
    cb: &RawCallback,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<CallbackOffer> {
    let k = "entry.callback";
    let mut ok = true;
    let threshold = cb.threshold.map_or(120.0, |d| d.0);
    let accept = probability(cb.accept.unwrap_or(0.6), &format!("{k}.accept"), p);
    let per_minute = cb.accept_per_minute.unwrap_or(0.0);
    if !(per_minute.is_finite() && (0.0..=1.0).contains(&per_minute)) {
        p.add(
            &format!("{k}.accept_per_minute"),
            format!("{per_minute} is not a probability per minute from 0 to 1"),
            "e.g. 0.02: two points more likely to accept per minute of predicted wait",
        );
        ok = false;
    }
    let reach = probability(
        cb.reach_probability.unwrap_or(0.9),
        &format!("{k}.reach_probability"),
        p,
    );
    let retry_delay = match &cb.retry_delay {
        Some(d) => dist(d, &format!("{k}.retry_delay"), p),
        None => Some(Dist::Constant { value: 600.0 }),
    };
    let max_attempts = cb.max_attempts.unwrap_or(3);
    if !(1..=100).contains(&max_attempts) {
        p.add(
            &format!("{k}.max_attempts"),
            format!("{max_attempts} attempts: it must be from 1 to 100"),
            "3 attempts are usual before a callback is given up",
        );
        ok = false;
    }
    let missed_call_time = cb.missed_call_time.map_or(30.0, |d| d.0);
    ok &= priority(
        cb.priority,
        &format!("{k}.priority"),
        "added to the type's priority for callbacks, e.g. priority = 1",
        p,
    );
    let team = match &cb.team {
        Some(name) => {
            let t = team_index(raw, name, &format!("{k}.team"), p);
            ok &= t.is_some();
            t
        }
        None => None,
    };
    let appointment_only = [
        (cb.slot_length.is_some(), "slot_length"),
        (cb.slots_per_interval.is_some(), "slots_per_interval"),
        (cb.booking_horizon.is_some(), "booking_horizon"),
    ];
    let kind = match cb.kind {
        RawCallbackKind::VirtualHold => {
            for (given, name) in appointment_only {
                if given {
                    p.add(
                        &format!("{k}.{name}"),
                        format!("`{name}` applies only to appointments"),
                        "set kind = \"appointment\", or remove this key",
                    );
                    ok = false;
                }
            }
            CallbackKind::VirtualHold
        }
        RawCallbackKind::Appointment => {
            let slot_length = cb.slot_length.map_or(900.0, |d| d.0);
            if slot_length < 60.0
                || slot_length > day.interval
                || (day.interval / slot_length).fract() != 0.0
            {
                p.add(
                    &format!("{k}.slot_length"),
                    format!(
                        "a slot of {slot_length} s does not divide the interval of {} s",
                        day.interval
                    ),
                    "choose a slot length of at least a minute that divides `simulation.interval`",
                );
                ok = false;
            }
            let per_interval = cb.slots_per_interval.unwrap_or(10);
            if !(1..=1_000_000).contains(&per_interval) {
                p.add(
                    &format!("{k}.slots_per_interval"),
                    format!(
                        "{per_interval} appointments per interval: it must be from 1 to 1000000"
                    ),
                    "e.g. slots_per_interval = 10",
                );
                ok = false;
            }
            let booking_horizon = cb.booking_horizon.map_or(DAY, |d| d.0);
            if !(booking_horizon > 0.0 && booking_horizon <= 30.0 * DAY) {
                p.add(
                    &format!("{k}.booking_horizon"),
                    "the booking horizon must be above 0 and at most 30 days",
                    "e.g. booking_horizon = \"1d\"",
                );
                ok = false;
            }
            CallbackKind::Appointment {
                slot_length,
                slots_per_interval: per_interval.clamp(1, 1_000_000) as u32,
                booking_horizon,
            }
        }
    };
    let (accept, reach, retry_delay) = (accept?, reach?, retry_delay?);
    ok.then_some(CallbackOffer {
        kind,
        threshold,
        accept,
        accept_per_minute: per_minute,
        reach_probability: reach,
        retry_delay,
        max_attempts: max_attempts.clamp(1, 100) as u32,
        missed_call_time,
        team,
        priority: cb
            .priority
            .unwrap_or(0)
            .clamp(-PRIORITY_LIMIT, PRIORITY_LIMIT),
    })
}
