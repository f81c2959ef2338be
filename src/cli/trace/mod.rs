//! `rappel trace`: narrates the first customers' journeys, for teaching.

use super::{Failure, print_out, scenario_text, terminal_width};
use rappel::centre::{Step, TraceEvent, simulate_traced_checked};
use rappel::satisfaction::Term;
use rappel::scenario::{DayGrid, Scenario};
use std::path::PathBuf;

mod rows;

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
        TraceFormat::Csv => rows::csv(&s, &events),
    };
    print_out(&out)
}

/// `day D HH:MM:SS` for a simulated time, rounded to the second (seconds always shown, so
/// that every line's time has the same form).
fn clock(grid: &DayGrid, t: f64) -> String {
    let t = t.round();
    format!("day {} {}", grid.day_of(t), hms(grid.time_of_day(t)))
}

/// `HH:MM:SS` for whole seconds after midnight.
fn hms(seconds: f64) -> String {
    let s = seconds.round() as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

/// A team as a name in a sentence: "the agents team", "the front-line team"; a name that
/// already ends with the word team ("Support Team") is not given a second one.
fn team_name(name: &str) -> String {
    let last = name.rsplit([' ', '-', '_']).next().unwrap_or(name);
    if last.eq_ignore_ascii_case("team") {
        format!("the {name}")
    } else {
        format!("the {name} team")
    }
}

/// What the narration remembers of the customer it is telling about: the transfer they
/// are in, if any, for the answer that ends it.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// The delay of the customer's last transfer, while it is the story's latest news:
    /// `Some(None)` once it was put off to the opening (its delay then says nothing).
    transfer: Option<Option<f64>>,
}

impl Context {
    /// Takes the next step of the same customer into account.
    fn after(self, step: &Step) -> Context {
        match *step {
            Step::Transferred { delay, .. } => Context {
                transfer: Some(Some(delay)),
            },
            Step::PutOffToOpening { .. } if self.transfer.is_some() => Context {
                transfer: Some(None),
            },
            Step::PutOffToOpening { .. } => self,
            _ => Context::default(),
        }
    }
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
        Term::Time => "how long the problem stayed unsolved",
        Term::Rejections => "being told to call back later",
        Term::ClosedMessages => "finding the centre closed",
        Term::FailedAttempts => "calls given up",
        Term::ExtraContacts => "having to explain the problem again",
        Term::Transfers => "being transferred",
        Term::LateCallbacks => "a callback later than promised",
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

/// One step in words; `cx` is what came before it in the customer's story.
fn sentence(s: &Scenario, step: &Step, cx: Context) -> String {
    let team = |k: usize| team_name(&s.teams[k].name);
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
            hms(s.day.time_of_day(end.round()))
        ),
        Step::Answered {
            team: k,
            wait,
            after_transfer: true,
        } => {
            // The transfer's delay is no wait: the hold counts from when it went through.
            let transfer = match cx.transfer {
                Some(Some(delay)) if delay.round() >= 1.0 => {
                    format!("after the {} transfer", span(delay))
                }
                _ => "after the transfer".to_string(),
            };
            if wait.round() < 1.0 {
                format!("{transfer}, an agent of {} answers at once", team(k))
            } else {
                format!(
                    "{transfer} and {} on hold, an agent of {} answers",
                    span(wait),
                    team(k)
                )
            }
        }
        Step::Answered { team: k, wait, .. } if wait.round() < 1.0 => {
            format!("an agent of {} answers within a second", team(k))
        }
        Step::Answered { team: k, wait, .. } => {
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
        Step::Transferred { to, delay } if delay.round() >= 1.0 => format!(
            "is transferred to {} (the transfer takes {})",
            team(to),
            span(delay)
        ),
        Step::Transferred { to, .. } => format!("is transferred to {}", team(to)),
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
        Step::Writes { attempt: 1, due } => format!(
            "writes for the first time; an answer is promised by {}",
            clock(&s.day, due)
        ),
        Step::Writes { attempt, due } => format!(
            "writes again (message {attempt}); an answer is promised by {}",
            clock(&s.day, due)
        ),
        Step::MessageTaken { team: k, waited } => format!(
            "an agent of {} takes the message after {}",
            team(k),
            span(waited)
        ),
        Step::MessageAnswered { response, on_time } => format!(
            "gets the answer {} after writing, {}",
            span(response),
            if on_time {
                "within the promise"
            } else {
                "later than promised"
            }
        ),
        Step::Reminds => "has no answer yet and sends a reminder".into(),
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
    let width = usize::from(terminal_width());
    let mut out = wrap(
        &format!(
            "{}: the first {} customers of replication {}, seed {}",
            s.name, a.customers, a.replication, s.simulation.seed
        ),
        "",
        "    ",
        width,
    );
    let mut current = None;
    let mut cx = Context::default();
    for e in events {
        if current != Some(e.customer) {
            current = Some(e.customer);
            cx = Context::default();
            out.push('\n');
            out.push_str(&wrap(
                &format!(
                    "Customer {} ({})",
                    e.customer + 1,
                    s.ticket_types[e.ticket_type].name
                ),
                "",
                "    ",
                width,
            ));
        }
        let time = format!("  {}  ", clock(&s.day, e.time));
        let indent = " ".repeat(time.chars().count());
        out.push_str(&wrap(&sentence(s, &e.step, cx), &time, &indent, width));
        cx = cx.after(&e.step);
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
        out.push('\n');
        out.push_str(&wrap(
            &format!(
                "Still open when the run ended: customer {}.",
                open.join(", ")
            ),
            "",
            "    ",
            width,
        ));
    }
    out
}

/// `text` after `first` on lines of at most `width` characters, broken between words (a
/// number stays with the word after it: `13 s`), each later line starting with `indent` (a
/// hanging indent); a word longer than a line is cut. Ends with a newline.
fn wrap(text: &str, first: &str, indent: &str, width: usize) -> String {
    let lead = indent.chars().count();
    let mut out = String::from(first);
    let mut used = first.chars().count();
    // Whether the current line holds nothing yet after its time or indent.
    let mut empty = true;
    let mut words: Vec<String> = Vec::new();
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if last.chars().all(|c| c.is_ascii_digit()) => {
                last.push(' ');
                last.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    for word in words {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let need = word.len() + usize::from(!empty);
            if used + need <= width {
                if !empty {
                    out.push(' ');
                }
                out.extend(&word);
                (used, empty) = (used + need, false);
                break;
            }
            if empty {
                // Longer than a whole line: cut it.
                let fit = width.saturating_sub(used).clamp(1, word.len());
                out.extend(word.drain(..fit));
                (used, empty) = (used + fit, false);
                if word.is_empty() {
                    break;
                }
            }
            out.push('\n');
            out.push_str(indent);
            (used, empty) = (lead, true);
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_within_the_width_with_a_hanging_indent() {
        let text = "done, problem solved: CSAT 2/5, likelihood to recommend 6/10, because of \
                    having to explain the problem again (-1.05)";
        let got = wrap(text, "  day 1 15:48:00  ", &" ".repeat(18), 50);
        assert_eq!(
            got,
            "  day 1 15:48:00  done, problem solved: CSAT 2/5,\n\
             \x20                 likelihood to recommend 6/10,\n\
             \x20                 because of having to explain the\n\
             \x20                 problem again (-1.05)\n"
        );
        assert_eq!(
            wrap("predicts about 13 s", "", "  ", 17),
            "predicts about\n  13 s\n"
        );
        let long = wrap("a verylongwordthatcannotfit b", "> ", "  ", 12);
        assert_eq!(long, "> a\n  verylongwo\n  rdthatcann\n  otfit b\n");
        assert!(long.lines().all(|l| l.chars().count() <= 12));
    }

    #[test]
    fn teams_are_named_as_teams() {
        assert_eq!(team_name("agents"), "the agents team");
        assert_eq!(team_name("front-line"), "the front-line team");
        assert_eq!(team_name("Support Team"), "the Support Team");
        assert_eq!(team_name("tier1"), "the tier1 team");
    }

    #[test]
    fn clock_times_always_show_their_seconds() {
        let grid = Scenario::builtin_default().day;
        assert_eq!(
            clock(&grid, 86_400.0 + 15.0 * 3600.0 + 48.0 * 60.0),
            "day 1 15:48:00"
        );
        assert_eq!(clock(&grid, 86_399.6), "day 1 00:00:00");
        assert_eq!(clock(&grid, 8.0 * 3600.0 + 35.4), "day 0 08:00:35");
    }
}
