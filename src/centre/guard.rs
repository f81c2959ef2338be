//! The runaway guard: caps that stop a journey which would never end (a cycle of 0 s
//! steps, a ticket nobody can solve that comes back for ever) with an error naming the
//! ticket type and the cycle, instead of letting the run spin.
//!
//! Two caps, each one increment and one comparison on the hot path:
//! - [`MAX_CONTACTS`] per ticket: its inbound calls, outbound calls and transfers. Every
//!   way a journey can go round passes through one of them.
//! - [`MAX_AT_INSTANT`] events in a row at one simulated instant: the net under anything
//!   else that would stop the clock. Simulated time never goes back, so the clock stood
//!   still between two checks, made every [`CHECK_EVERY`] events, when both saw the same
//!   time.
//!
//! When a ticket reaches the cap of contacts, the guard watches it for a few more contacts
//! (its steps go through the same hook as the trace's), then stops the replication and
//! reports the steps as the cycle.

use super::events::Event;
use super::ticket::{Ticket, TicketId};
use super::{Centre, Step};
use crate::scenario::{DAY, Scenario, format_clock};
use std::fmt;

/// The most contacts (inbound calls, outbound calls, transfers) one ticket may make in a
/// replication. The shipped scenarios and the test suite's reach at most 23; a thousand
/// means a customer who came back without end (and a run whose time grows with the square
/// of its horizon), not a journey to simulate.
pub const MAX_CONTACTS: u32 = 1_000;

/// How often (in events) the guard looks at the clock.
pub const CHECK_EVERY: u64 = 1 << 20;

/// Checks in a row that must see the same time before the guard stops the replication.
const STILL_CHECKS: u32 = 10;

/// The most events that may happen in a row at one simulated instant (10 × 2^20, about 10
/// million; the guard notices within [`CHECK_EVERY`] more). The largest burst a valid
/// scenario makes is a full appointment slot: at most 1,000,000 appointments, a few events
/// each.
pub const MAX_AT_INSTANT: u64 = STILL_CHECKS as u64 * CHECK_EVERY;

/// Contacts the guard watches a capped ticket for, to see its cycle.
const WATCH_CONTACTS: u32 = 8;

/// The most steps the watch records.
const WATCH_STEPS: usize = 64;

/// Steps shown when the watched steps do not repeat.
const SHOWN_STEPS: usize = 12;

/// Which cap a runaway replication reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// A ticket reached [`MAX_CONTACTS`].
    Contacts,
    /// [`MAX_AT_INSTANT`] events happened at one instant.
    AtInstant,
}

/// A replication stopped by the runaway guard: which ticket type, which cap, and the cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Runaway {
    /// The replication (0-based).
    pub replication: u32,
    /// The cap reached.
    pub cap: Cap,
    /// Simulated time it was reached, seconds.
    pub time: f64,
    /// Name of the ticket type of the ticket that ran away (of the last event's ticket for
    /// [`Cap::AtInstant`]; none when that event had no ticket).
    pub ticket_type: Option<String>,
    /// That ticket's number ([`Ticket::number`]).
    pub customer: Option<u64>,
    /// The steps of one lap of the cycle when they repeat, else the last steps seen, in
    /// words (`escalated to b`, `answered by b`, ...).
    pub cycle: Vec<String>,
    /// Whether `cycle` is one lap of steps seen repeating.
    pub repeats: bool,
    /// Mean simulated seconds a lap took (0 for a cycle at one instant); NaN when unknown.
    pub lap_s: f64,
}

impl Runaway {
    /// Unwinds the current thread with this runaway as the payload (the panic hook is not
    /// called, so nothing is printed); [`Runaway::catch`] turns it back into an error. This
    /// lets a runaway replication stop a whole run, a sweep or a staffing search from deep
    /// inside it.
    pub fn throw(self) -> ! {
        std::panic::resume_unwind(Box::new(self))
    }

    /// Runs `f`; a runaway thrown inside it (also on the threads of a rayon pool it waits
    /// for) comes back as `Err`, any other panic goes on unwinding.
    pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Runaway> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(v) => Ok(v),
            Err(payload) => match payload.downcast::<Runaway>() {
                Ok(r) => Err(*r),
                Err(other) => std::panic::resume_unwind(other),
            },
        }
    }

    fn help(&self) -> &'static str {
        if self.cap == Cap::AtInstant && !self.repeats {
            return "simulated time stopped moving: give the conversations and delays of the \
                    scenario a duration; if they have one, this is a bug of rappel, please report it";
        }
        if self.lap_s == 0.0 {
            "every step of this cycle takes 0 s, so it never ends: give the conversations \
             (handle_time) and the delays in the cycle (transfer_delay, agent_callback.delay, \
             redial and call_again delays) a duration, or let a team in the cycle resolve \
             the type (a difficulty below 1)"
        } else if self.lap_s < 1.0 {
            "the steps of this cycle last almost nothing: check the teams' speed (a tiny \
             speed makes conversations vanish) and the delays in the cycle, or let a team \
             in the cycle resolve the type (a difficulty below 1)"
        } else {
            "this ticket goes round the cycle without end: let a team resolve the type (a \
             difficulty below 1), lower the probability of calling again (entry.redial, \
             call_again), or add agents so that callers get through"
        }
    }
}

/// A duration for people: `0 s`, `0.0000002 s`, `45 s`, `3 min 05 s`, `2 h 10 min`.
fn span(s: f64) -> String {
    if s.is_nan() {
        return "an unknown time".into();
    }
    if s > 0.0 && s < 1.0 {
        return format!("{s:.2e} s");
    }
    let s = s.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

impl fmt::Display for Runaway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = (self.time / DAY).floor();
        let when = format!("day {} {}", day as u64, format_clock(self.time - day * DAY));
        let who = match (&self.ticket_type, self.customer) {
            (Some(ty), Some(n)) => format!("a ticket of type `{ty}` (customer {n})"),
            (Some(ty), None) => format!("a ticket of type `{ty}`"),
            _ => "no ticket".into(),
        };
        write!(
            f,
            "replication {} ran away and was stopped: ",
            self.replication
        )?;
        match self.cap {
            Cap::Contacts => write!(
                f,
                "{who} reached {MAX_CONTACTS} contacts (calls, outbound calls and transfers), \
                 the cap per ticket, at {when}"
            )?,
            Cap::AtInstant => write!(
                f,
                "{MAX_AT_INSTANT} events happened at one instant ({when}), the cap; the last \
                 one was of {who}"
            )?,
        }
        if !self.cycle.is_empty() {
            let steps = self.cycle.join(" -> ");
            if self.repeats {
                let lap = if self.lap_s == 0.0 {
                    "at one instant (0 s a lap)".to_string()
                } else {
                    format!("every {} on average", span(self.lap_s))
                };
                write!(
                    f,
                    "; its journey repeats {lap}: {steps} -> {} ...",
                    self.cycle[0]
                )?;
            } else {
                write!(f, "; its last steps: {steps}")?;
            }
        }
        write!(
            f,
            "\n  help: {}; the caps are in docs/model.md (runaway journeys)",
            self.help()
        )
    }
}

impl std::error::Error for Runaway {}

/// A ticket that reached the cap of contacts, watched for a few more.
#[derive(Debug)]
pub(super) struct Watch {
    number: u64,
    ticket_type: u32,
    /// When the cap was reached.
    at: f64,
    /// The watch ends when the ticket's contacts reach this.
    until: u32,
    steps: Vec<(f64, Step)>,
}

/// A step in words, for the cycle.
fn words(s: &Scenario, step: &Step) -> String {
    let team = |k: &usize| s.teams.get(*k).map_or("?", |t| t.name.as_str());
    match step {
        Step::Calls { .. } => "calls".into(),
        Step::AnsweredAtOnce { team: k } | Step::Answered { team: k, .. } => {
            format!("answered by {}", team(k))
        }
        Step::Queued { .. } => "waits in line".into(),
        Step::ToldToCallBackLater => "told to call back later".into(),
        Step::Balked { .. } => "hangs up on hearing the wait".into(),
        Step::Abandoned { .. } => "abandons".into(),
        Step::CallbackOffered { accepted, .. } => if *accepted {
            "accepts a callback"
        } else {
            "declines a callback"
        }
        .into(),
        Step::AppointmentBooked { .. } => "books an appointment".into(),
        Step::CallbackPlaced { team: k, reached } => {
            if *reached {
                format!("called back by {}", team(k))
            } else {
                format!("missed by a callback of {}", team(k))
            }
        }
        Step::PromiseBroken => "promise broken".into(),
        Step::Resolved { team: k, .. } => format!("resolved by {}", team(k)),
        Step::NotResolved { team: k } => format!("not resolved by {}", team(k)),
        Step::Transferred { to, .. } => format!("escalated to {}", team(to)),
        Step::CallbackPromised { team: k, .. } => format!("promised a callback by {}", team(k)),
        Step::HeardClosed => "hears the closed message".into(),
        Step::DisconnectedAtClosing { .. } => "disconnected at closing".into(),
        Step::PutOffToOpening { .. } => "put off to the opening".into(),
        Step::WillCallAgain { .. } => "will call again".into(),
        Step::Writes { .. } => "writes".into(),
        Step::MessageTaken { team: k, .. } => format!("message taken by {}", team(k)),
        Step::MessageAnswered { .. } => "answered in writing".into(),
        Step::Reminds => "sends a reminder".into(),
        Step::Closed { resolved, .. } => if *resolved { "closed resolved" } else { "lost" }.into(),
    }
}

/// The shortest lap `p` that the steps repeat with (each step equals the one `p` later),
/// seen at least twice; `None` when there is none.
fn period(labels: &[String]) -> Option<usize> {
    (1..=labels.len() / 2).find(|&p| (0..labels.len() - p).all(|i| labels[i] == labels[i + p]))
}

/// The cycle of the watched steps: one lap, whether it repeats, and its mean duration.
fn cycle(s: &Scenario, steps: &[(f64, Step)]) -> (Vec<String>, bool, f64) {
    let labels: Vec<String> = steps.iter().map(|(_, st)| words(s, st)).collect();
    match period(&labels) {
        Some(p) => {
            let n = steps.len() - p;
            let lap = (0..n).map(|i| steps[i + p].0 - steps[i].0).sum::<f64>() / n as f64;
            (labels[..p].to_vec(), true, lap)
        }
        None => {
            let from = labels.len().saturating_sub(SHOWN_STEPS);
            (labels[from..].to_vec(), false, f64::NAN)
        }
    }
}

impl Centre<'_> {
    /// A ticket reached the cap of contacts: watch it for a few more, to name the cycle.
    #[cold]
    #[inline(never)]
    pub(super) fn contact_cap(&mut self, now: f64, ticket: TicketId) {
        if self.watch.is_some() || self.runaway.is_some() {
            return;
        }
        let t = self.tickets.get(ticket);
        self.watch = Some(Box::new(Watch {
            number: t.number,
            ticket_type: t.ticket_type,
            at: now,
            until: t.contacts + WATCH_CONTACTS,
            steps: Vec::with_capacity(WATCH_STEPS),
        }));
        self.observed = true;
    }

    /// A step of `t`: recorded if it is the ticket watched; once the watch has seen enough,
    /// the replication stops at the next event.
    pub(super) fn watched(&mut self, now: f64, t: &Ticket, step: Step) {
        if let Some(w) = self.watch.as_mut()
            && w.number == t.number
        {
            w.steps.push((now, step));
            if t.contacts >= w.until
                || w.steps.len() >= WATCH_STEPS
                || matches!(step, Step::Closed { .. })
            {
                self.stop_at = f64::NEG_INFINITY;
            }
        }
    }

    /// At the end of the run: a watch under way becomes the replication's runaway.
    pub(super) fn end_watch(&mut self) {
        let Some(w) = self.watch.take() else {
            return;
        };
        let (cycle, repeats, lap_s) = cycle(self.s, &w.steps);
        self.runaway = Some(Box::new(Runaway {
            replication: 0,
            cap: Cap::Contacts,
            time: w.at,
            ticket_type: Some(self.s.ticket_types[w.ticket_type as usize].name.clone()),
            customer: Some(w.number),
            cycle,
            repeats,
            lap_s,
        }));
    }

    /// A check of the clock, every [`CHECK_EVERY`] events: `true` (and the replication's
    /// runaway set) when it has stood still for [`MAX_AT_INSTANT`] events.
    #[cold]
    #[inline(never)]
    pub(super) fn time_stands_still(&mut self, now: f64, event: Event) -> bool {
        if now != self.instant.0 {
            self.instant = (now, 0);
            return false;
        }
        self.instant.1 += 1;
        if self.instant.1 < STILL_CHECKS {
            return false;
        }
        self.instant_cap(now, event);
        true
    }

    /// Too many events at one instant: the replication stops now.
    fn instant_cap(&mut self, now: f64, event: Event) {
        let ticket = match event {
            Event::Retry { ticket, .. }
            | Event::Abandon { ticket, .. }
            | Event::Overflow { ticket, .. }
            | Event::Due { ticket, .. }
            | Event::Broken { ticket, .. }
            | Event::Reminder { ticket, .. }
            | Event::Done { ticket, .. }
            | Event::Missed { ticket, .. } => Some(ticket),
            Event::NewTicket | Event::Shift | Event::WrapUp { .. } | Event::Proactive { .. } => {
                None
            }
        };
        let t = ticket.map(|k| *self.tickets.get(k));
        self.watch = None;
        self.runaway = Some(Box::new(Runaway {
            replication: 0,
            cap: Cap::AtInstant,
            time: now,
            ticket_type: t.map(|t| self.s.ticket_types[t.ticket_type as usize].name.clone()),
            customer: t.map(|t| t.number),
            cycle: Vec::new(),
            repeats: false,
            lap_s: 0.0,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centre::{simulate, simulate_checked};

    fn scenario(teams: &str) -> Scenario {
        let src = format!(
            r#"
name = "t"
[simulation]
horizon = "1h"
replications = 1
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "general"
handle_time = {{ dist = "constant", value = "1s" }}
difficulty = 1.0
{teams}
"#
        );
        // Validation refuses these loops as unstable (allowed here, as --allow-unstable does)
        // and a loop of surely-0 s steps outright, so conversations are made 0 s after it:
        // the guard is the net for what validation cannot prove or is told to allow.
        let allow = crate::scenario::Options {
            allow_unstable: true,
        };
        let (mut s, _unstable) = Scenario::from_toml_with(&src, "test", &allow).unwrap();
        s.ticket_types[0].handle_time = crate::scenario::Dist::Constant { value: 0.0 };
        s
    }

    const PING_PONG: &str = r#"
[[teams]]
name = "a"
agents = 1
serves = ["general"]
unresolved = "escalate"
escalate_to = "b"
[[teams]]
name = "b"
agents = 1
serves = []
unresolved = "escalate"
escalate_to = "a"
"#;

    #[test]
    fn a_zero_second_escalation_cycle_is_stopped_and_named() {
        let s = scenario(PING_PONG);
        let r = simulate_checked(&s, 3).unwrap_err();
        assert_eq!(r.replication, 3);
        assert_eq!(r.cap, Cap::Contacts);
        assert_eq!(r.ticket_type.as_deref(), Some("general"));
        assert_eq!(r.customer, Some(0));
        assert!(r.repeats, "{r}");
        assert_eq!(r.lap_s, 0.0);
        let mut lap = r.cycle.clone();
        lap.sort();
        assert_eq!(
            lap,
            [
                "answered by a",
                "answered by b",
                "escalated to a",
                "escalated to b",
                "not resolved by a",
                "not resolved by b"
            ]
        );
        let text = r.to_string();
        assert!(text.contains("type `general`"), "{text}");
        assert!(text.contains("at one instant"), "{text}");
        assert!(text.contains("help:"), "{text}");
    }

    #[test]
    fn the_unchecked_run_stops_too() {
        // The plain `simulate` returns the replication as far as it ran, and never spins.
        let s = scenario(PING_PONG);
        let res = simulate(&s, 0);
        assert!(res.events < 10 * u64::from(MAX_CONTACTS), "{}", res.events);
    }

    #[test]
    fn a_zero_second_agent_callback_cycle_is_stopped() {
        let s = scenario(
            r#"
[[teams]]
name = "a"
agents = 1
serves = ["general"]
unresolved = "agent_callback"
agent_callback = { delay = { dist = "constant", value = "0s" }, promise = "1h" }
"#,
        );
        let r = simulate_checked(&s, 0).unwrap_err();
        assert!(r.repeats && r.lap_s == 0.0, "{r}");
        assert!(r.cycle.iter().any(|c| c == "called back by a"), "{r}");
        assert!(
            r.cycle.iter().any(|c| c == "promised a callback by a"),
            "{r}"
        );
    }

    #[test]
    fn an_ordinary_scenario_is_not_stopped() {
        let s = scenario(
            r#"
[[teams]]
name = "a"
agents = 1
serves = ["general"]
"#,
        );
        // Difficulty 1 and a customer who may call again: ends by giving up, never capped.
        assert!(simulate_checked(&s, 0).is_ok());
    }

    #[test]
    fn a_clock_that_stands_still_is_caught_and_one_that_moves_is_not() {
        let s = scenario(PING_PONG);
        let mut c = Centre::new(&s, 0, None);
        for k in 0..=2 * STILL_CHECKS {
            // Moving on at every check: never caught.
            assert!(!c.time_stands_still(f64::from(k), Event::Shift));
        }
        assert!(!c.time_stands_still(99.0, Event::Shift));
        for _ in 1..STILL_CHECKS {
            assert!(!c.time_stands_still(99.0, Event::Shift));
        }
        assert!(c.time_stands_still(99.0, Event::Shift));
        let r = c.runaway.take().unwrap();
        assert_eq!(
            (r.cap, r.time, r.ticket_type.as_deref()),
            (Cap::AtInstant, 99.0, None)
        );
        assert!(
            r.to_string().contains("events happened at one instant"),
            "{r}"
        );
    }

    #[test]
    fn a_period_needs_two_laps() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(period(&l(&["a", "b", "a", "b", "a"])), Some(2));
        assert_eq!(period(&l(&["a", "a"])), Some(1));
        assert_eq!(period(&l(&["a", "b", "c", "a", "b"])), None);
        assert_eq!(period(&l(&["a"])), None);
        assert_eq!(period(&[]), None);
    }

    #[test]
    fn a_runaway_comes_back_from_catch_and_other_panics_go_on() {
        let r = Runaway {
            replication: 1,
            cap: Cap::AtInstant,
            time: DAY + 3600.0,
            ticket_type: None,
            customer: None,
            cycle: Vec::new(),
            repeats: false,
            lap_s: 0.0,
        };
        let back = Runaway::catch(|| -> u32 { r.clone().throw() }).unwrap_err();
        assert_eq!(back, r);
        assert!(back.to_string().contains("day 1 01:00"), "{back}");
        assert_eq!(Runaway::catch(|| 7), Ok(7));
        let other = std::panic::catch_unwind(|| {
            let _ = Runaway::catch(|| std::panic::resume_unwind(Box::new("boom")));
        });
        assert_eq!(*other.unwrap_err().downcast::<&str>().unwrap(), "boom");
    }
}
