//! `rappel trace`: narrates the first customers' journeys, for teaching.

use super::{Failure, print_out, scenario_text};
use rappel::centre::{Step, TraceEvent, simulate_traced_checked};
use rappel::output::num;
use rappel::satisfaction::Term;
use rappel::scenario::{DayGrid, Scenario, format_clock};
use std::path::PathBuf;

/// What `trace` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFormat {
    /// Sentences with the simulated clock time.
    Text,
    /// The same events as tidy CSV rows.
    Csv,
}

/// Arguments of `rappel trace`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML); without one, the built-in realistic day.
    scenario: Option<PathBuf>,
    /// How many customers to follow, from the first one who calls.
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    customers: u32,
    /// Which replication to trace (0-based).
    #[arg(long, default_value_t = 0)]
    replication: u32,
    /// Seed (overrides `simulation.seed`).
    #[arg(long, short = 's')]
    seed: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    format: TraceFormat,
    #[command(flatten)]
    unstable: super::flags::Unstable,
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let (text, shown) = scenario_text(a.scenario.as_deref())?;
    let mut s = a.unstable.scenario(&text, &shown)?;
    if let Some(seed) = a.seed {
        s.simulation.seed = seed;
    }
    let mut events: Vec<TraceEvent> = Vec::new();
    let mut sink = |e: &TraceEvent| events.push(*e);
    simulate_traced_checked(&s, a.replication, u64::from(a.customers), &mut sink)?;
    // One customer's story at a time, each in the order it happened.
    events.sort_by_key(|e| e.customer);
    let out = match a.format {
        TraceFormat::Text => narrate(&s, &events, &a),
        TraceFormat::Csv => csv(&s, &events),
    };
    print_out(&out)
}

/// `d HH:MM:SS` for a simulated time.
fn clock(grid: &DayGrid, t: f64) -> String {
    format!(
        "day {} {}",
        grid.day_of(t),
        format_clock(grid.time_of_day(t))
    )
}

/// A duration for people: `45 s`, `3 min 05 s`, `2 h 10 min`.
fn span(s: f64) -> String {
    if !s.is_finite() {
        // An infinite prediction is worded by the step itself; never a saturated number.
        return "an unknown time".into();
    }
    let s = s.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// Why the score is what it is: the terms that moved it, largest first.
fn reasons(score: &rappel::satisfaction::Score) -> String {
    let words = |t: Term| match t {
        Term::Wait => "the wait against what was expected",
        Term::Rejections => "being told to call back later",
        Term::ExtraContacts => "having to explain the problem again",
        Term::Transfers => "being transferred",
        Term::BrokenPromises => "a promise broken",
        Term::FirstContactDelight => "solved at the first contact",
        Term::CallbackDelight => "called back on time",
        Term::GoodwillDelight => "a goodwill gesture",
        Term::Noise => "their own mood",
        Term::Unresolved => "never solved",
    };
    let mut terms: Vec<(Term, f64)> = Term::ALL
        .iter()
        .map(|t| (*t, score.terms[*t as usize]))
        .filter(|(_, v)| v.abs() >= 0.05)
        .collect();
    terms.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    if terms.is_empty() {
        return "just what they expected".into();
    }
    terms
        .iter()
        .map(|(t, v)| format!("{} ({v:+.2})", words(*t)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a caller meets when the prediction is infinite: no agent who serves the type is
/// present (before the first shift, after the last one has left, or with none staffed).
const NOBODY: &str = "no agent who takes this call is on shift";

/// One step in words.
fn sentence(s: &Scenario, step: &Step) -> String {
    let team = |k: usize| s.teams[k].name.as_str();
    match *step {
        Step::Calls { attempt: 1 } => "calls for the first time".into(),
        Step::Calls { attempt } => format!("calls again (call {attempt})"),
        Step::AnsweredAtOnce { team: k } => {
            format!("an agent of {} is free and answers at once", team(k))
        }
        Step::Queued {
            predicted,
            announced: true,
        } if !predicted.is_finite() => {
            format!("{NOBODY}; hears \"we cannot tell how long you will wait\" and waits in line")
        }
        Step::Queued {
            predicted,
            announced: true,
        } => format!(
            "every agent is busy; hears \"your wait is about {}\" and waits in line",
            span(predicted)
        ),
        Step::Queued { predicted, .. } if !predicted.is_finite() => {
            format!("{NOBODY}; waits in line, not told for how long (the centre cannot predict it)")
        }
        Step::Queued { predicted, .. } => format!(
            "every agent is busy; waits in line, not told for how long (the centre predicts {})",
            span(predicted)
        ),
        Step::ToldToCallBackLater => {
            "hears \"all lines are busy, please call back later\" and is disconnected".into()
        }
        Step::Balked { predicted } if !predicted.is_finite() => {
            format!(
                "{NOBODY}; hears \"we cannot tell how long you will wait\" and hangs up at once"
            )
        }
        Step::Balked { predicted } => format!(
            "hears \"your wait is about {}\" and hangs up at once",
            span(predicted)
        ),
        Step::Abandoned { wait } => format!("gives up waiting after {} and hangs up", span(wait)),
        Step::CallbackOffered {
            accepted,
            predicted,
        } if !predicted.is_finite() => format!(
            "{NOBODY}; is offered a callback instead of an open-ended wait and {}",
            if accepted { "accepts" } else { "declines" }
        ),
        Step::CallbackOffered {
            accepted: true,
            predicted,
        } => format!(
            "is offered a callback instead of a wait of about {} and accepts",
            span(predicted)
        ),
        Step::CallbackOffered {
            accepted: false,
            predicted,
        } => format!(
            "is offered a callback instead of a wait of about {}, declines",
            span(predicted)
        ),
        Step::AppointmentBooked { start, end } => format!(
            "books a callback between {} and {}",
            clock(&s.day, start),
            // For `end >= 0` this is exactly `end % DAY` (see the clock's rounding rules).
            format_clock(s.day.time_of_day(end))
        ),
        Step::Answered { team: k, wait } => {
            format!("an agent of {} answers after {}", team(k), span(wait))
        }
        Step::CallbackPlaced {
            team: k,
            reached: true,
        } => format!(
            "an agent of {} calls back and reaches the customer",
            team(k)
        ),
        Step::CallbackPlaced {
            team: k,
            reached: false,
        } => format!("an agent of {} calls back; nobody answers", team(k)),
        Step::PromiseBroken => "the promised callback will never come".into(),
        Step::Resolved {
            team: k,
            goodwill: true,
        } => format!(
            "the agent of {} settles it at once with a goodwill gesture",
            team(k)
        ),
        Step::Resolved { team: k, .. } => format!("the agent of {} solves the problem", team(k)),
        Step::NotResolved { team: k } => {
            format!("the agent of {} cannot solve the problem", team(k))
        }
        Step::Transferred { to } => format!("is transferred to {}", team(to)),
        Step::CallbackPromised { team: k, due } => {
            format!(
                "is promised a call back from {} by {}",
                team(k),
                clock(&s.day, due)
            )
        }
        Step::HeardClosed => {
            "hears \"we are closed, please call during opening hours\" and is disconnected".into()
        }
        Step::DisconnectedAtClosing { wait } => format!(
            "is still waiting at closing time after {}: hears \"we are closed\" and is disconnected",
            span(wait)
        ),
        Step::PutOffToOpening { at } => format!(
            "the centre is closed: the work waits for the opening at {}",
            clock(&s.day, at)
        ),
        Step::WillCallAgain { at } => format!("will call again at {}", clock(&s.day, at)),
        Step::Closed {
            resolved,
            ref score,
        } => format!(
            "{}: CSAT {}/5, likelihood to recommend {}/10, because of {}",
            if resolved {
                "done, problem solved"
            } else {
                "gives up for good, problem unsolved"
            },
            score.csat,
            score.ltr,
            reasons(score)
        ),
    }
}

/// The journeys in plain words.
fn narrate(s: &Scenario, events: &[TraceEvent], a: &Args) -> String {
    let mut out = format!(
        "{}: the first {} customers of replication {}, seed {}\n",
        s.name, a.customers, a.replication, s.simulation.seed
    );
    let mut current = None;
    for e in events {
        if current != Some(e.customer) {
            current = Some(e.customer);
            out.push_str(&format!(
                "\nCustomer {} ({})\n",
                e.customer + 1,
                s.ticket_types[e.ticket_type].name
            ));
        }
        out.push_str(&format!(
            "  {}  {}\n",
            clock(&s.day, e.time),
            sentence(s, &e.step)
        ));
    }
    let followed: std::collections::BTreeSet<u64> = events.iter().map(|e| e.customer).collect();
    let open: Vec<String> = followed
        .iter()
        .filter(|c| {
            !events
                .iter()
                .any(|e| e.customer == **c && matches!(e.step, Step::Closed { .. }))
        })
        .map(|c| (c + 1).to_string())
        .collect();
    if !open.is_empty() {
        out.push_str(&format!(
            "\nStill open when the run ended: customer {}.\n",
            open.join(", ")
        ));
    }
    out
}

/// The same steps as tidy CSV rows.
fn csv(s: &Scenario, events: &[TraceEvent]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "customer", "type", "time_s", "clock", "step", "team", "seconds", "attempt", "csat", "ltr",
        "text",
    ];
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory write");
    for e in events {
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
            Step::Answered { team: k, wait } => {
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
            Step::Transferred { to } => {
                row.team = team(to);
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
            sentence(s, &e.step),
        ])
        .expect("in-memory write");
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
