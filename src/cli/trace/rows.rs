//! `rappel trace --format csv`: the same steps as the narration, one tidy row each.

use super::{Context, clock, sentence};
use rappel::centre::{Step, TraceEvent};
use rappel::output::num;
use rappel::scenario::Scenario;

/// The same steps as tidy CSV rows.
pub(super) fn csv(s: &Scenario, events: &[TraceEvent]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "customer", "type", "time_s", "clock", "step", "team", "seconds", "attempt", "csat", "ltr",
        "text",
    ];
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory write");
    let (mut current, mut cx) = (None, Context::default());
    for e in events {
        if current != Some(e.customer) {
            (current, cx) = (Some(e.customer), Context::default());
        }
        let mut row = Row::default();
        let team = |k: usize| s.teams[k].name.clone();
        row.step = match e.step {
            Step::Calls { attempt } => {
                row.attempt = attempt.to_string();
                "calls"
            }
            Step::AnsweredAtOnce { team: k } => {
                (row.team, row.seconds) = (team(k), "0".into());
                "answered_at_once"
            }
            Step::Queued { predicted, .. } => {
                row.seconds = num(predicted);
                "queued"
            }
            Step::ToldToCallBackLater => "told_to_call_back_later",
            Step::Balked { predicted } => {
                row.seconds = num(predicted);
                "balked"
            }
            Step::Abandoned { wait } => {
                row.seconds = num(wait);
                "abandoned"
            }
            Step::CallbackOffered {
                accepted,
                predicted,
            } => {
                row.seconds = num(predicted);
                if accepted {
                    "callback_accepted"
                } else {
                    "callback_declined"
                }
            }
            Step::AppointmentBooked { start, .. } => {
                row.seconds = num(start - e.time);
                "appointment_booked"
            }
            Step::Answered { team: k, wait, .. } => {
                (row.team, row.seconds) = (team(k), num(wait));
                "answered"
            }
            Step::CallbackPlaced { team: k, reached } => {
                row.team = team(k);
                if reached {
                    "callback_reached"
                } else {
                    "callback_missed"
                }
            }
            Step::PromiseBroken => "promise_broken",
            Step::Resolved { team: k, .. } => {
                row.team = team(k);
                "resolved"
            }
            Step::NotResolved { team: k } => {
                row.team = team(k);
                "not_resolved"
            }
            Step::Transferred { to, delay } => {
                (row.team, row.seconds) = (team(to), num(delay));
                "transferred"
            }
            Step::CallbackPromised { team: k, due } => {
                (row.team, row.seconds) = (team(k), num(due - e.time));
                "callback_promised"
            }
            Step::HeardClosed => "heard_closed",
            Step::DisconnectedAtClosing { wait } => {
                row.seconds = num(wait);
                "disconnected_at_closing"
            }
            Step::PutOffToOpening { at } => {
                row.seconds = num(at - e.time);
                "put_off_to_opening"
            }
            Step::WillCallAgain { at } => {
                row.seconds = num(at - e.time);
                "will_call_again"
            }
            Step::Writes { attempt, due } => {
                (row.attempt, row.seconds) = (attempt.to_string(), num(due - e.time));
                "writes"
            }
            Step::MessageTaken { team: k, waited } => {
                (row.team, row.seconds) = (team(k), num(waited));
                "message_taken"
            }
            Step::MessageAnswered { response, .. } => {
                row.seconds = num(response);
                "message_answered"
            }
            Step::Reminds => "reminds",
            Step::Closed {
                resolved,
                ref score,
            } => {
                (row.csat, row.ltr) = (score.csat.to_string(), score.ltr.to_string());
                if resolved {
                    "closed_resolved"
                } else {
                    "closed_lost"
                }
            }
        };
        w.write_record([
            (e.customer + 1).to_string(),
            s.ticket_types[e.ticket_type].name.clone(),
            num(e.time),
            clock(&s.day, e.time),
            row.step.to_string(),
            row.team,
            row.seconds,
            row.attempt,
            row.csat,
            row.ltr,
            sentence(s, &e.step, cx),
        ])
        .expect("in-memory write");
        cx = cx.after(&e.step);
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 text")
}

/// The columns of a CSV row that depend on the step.
#[derive(Default)]
struct Row {
    step: &'static str,
    team: String,
    seconds: String,
    attempt: String,
    csat: String,
    ltr: String,
}
