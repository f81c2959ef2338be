//! Ticket types: names, shares, difficulty, priorities and their distributions.

use super::{PRIORITY_LIMIT, Problems, dist, priority, probability};
use crate::scenario::TicketType;
use crate::scenario::raw::RawScenario;

pub(super) fn ticket_types(raw: &RawScenario, p: &mut Problems) -> Option<Vec<TicketType>> {
    if raw.ticket_types.is_empty() {
        p.add(
            "ticket_types",
            "no ticket type",
            "add a [[ticket_types]] table",
        );
        return None;
    }
    let given = raw
        .ticket_types
        .iter()
        .filter(|t| t.share.is_some())
        .count();
    let n = raw.ticket_types.len();
    if given != 0 && given != n {
        p.add(
            "ticket_types",
            "some ticket types have a `share` and some do not",
            "give every type a share (they must add up to 1), or none for equal shares",
        );
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut ok = true;
    for (i, t) in raw.ticket_types.iter().enumerate() {
        let key = format!("ticket_types[{i}]");
        if t.name.trim().is_empty() {
            p.add(
                &format!("{key}.name"),
                "the name is empty",
                "give each type a name",
            );
            ok = false;
        }
        if raw.ticket_types[..i].iter().any(|o| o.name == t.name) {
            p.add(
                &format!("{key}.name"),
                format!("the name `{}` is used twice", t.name),
                "give each type its own name",
            );
            ok = false;
        }
        let share = match t.share {
            Some(s) => probability(s, &format!("{key}.share"), p),
            None => Some(1.0 / n as f64),
        };
        let difficulty = probability(t.difficulty.unwrap_or(0.0), &format!("{key}.difficulty"), p);
        ok &= priority(
            t.priority,
            &format!("{key}.priority"),
            "higher is answered first, e.g. priority = 1",
            p,
        );
        let handle = dist(&t.handle_time, &format!("{key}.handle_time"), p);
        let patience = match &t.patience {
            Some(d) => dist(d, &format!("{key}.patience"), p).map(Some),
            None => Some(None),
        };
        let wrap_up = match &t.wrap_up {
            Some(d) => dist(d, &format!("{key}.wrap_up"), p).map(Some),
            None => Some(None),
        };
        let target = super::skills::service_target(raw, t, &key, p);
        let channel = super::channels::channel(t, &key, p);
        match (
            share, difficulty, handle, patience, wrap_up, target, channel,
        ) {
            (
                Some(share),
                Some(difficulty),
                Some(handle_time),
                Some(patience),
                Some(wrap_up),
                Some((service_level_threshold, service_level_target)),
                Some((channel, message)),
            ) => out.push(TicketType {
                name: t.name.clone(),
                share,
                handle_time,
                patience,
                difficulty,
                priority: t
                    .priority
                    .unwrap_or(0)
                    .clamp(-PRIORITY_LIMIT, PRIORITY_LIMIT),
                // A message's customers expect the answer it was promised.
                expected_wait: t
                    .expected_wait
                    .map_or(message.map_or(60.0, |m| m.promise), |d| d.0),
                wrap_up,
                overflow: None,
                service_level_threshold,
                service_level_target,
                channel,
                message,
            }),
            _ => ok = false,
        }
    }
    let sum: f64 = out.iter().map(|t| t.share).sum();
    if ok && (sum - 1.0).abs() > 1e-6 {
        p.add(
            "ticket_types",
            format!("the shares add up to {sum}, not 1"),
            "make the `share` values of all ticket types add up to 1",
        );
        ok = false;
    }
    ok.then_some(out)
}
