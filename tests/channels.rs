//! Channels (issue 17, item 1): written messages blended with calls under the
//! promise-protecting rule, chat concurrency, and the outputs that carry the channel.
//! Queueing figures go through the theory harness of `theory.rs`.

use crate::common::{COBHAM, expect, line_of, rappel, read_csv, refuse, replace_once, run};
use crate::theory::{agrees, agrees_within, tells_apart};
use rappel::analytic::erlang_c;
use rappel::output::channel_estimate;
use rappel::run::RunResult;
use rappel::stats::Metric;
use tempfile::TempDir;

/// The estimate of a channel's metric (`k` in the order of the channels used).
fn channel(r: &RunResult, k: usize, metric: &str) -> rappel::stats::Estimate {
    channel_estimate(r, k, metric)
}

// ---------------------------------------------------------------------------------------
// 1. Messages blended with calls: non-preemptive priority (Cobham 1954).
// ---------------------------------------------------------------------------------------

#[test]
fn messages_fill_idle_time_as_the_low_class_of_a_priority_queue() {
    // One agent, calls (0.4 a minute, exponential 1 min, never hanging up) and messages (0.3 a
    // minute, exponential 1 min) whose promise never makes them urgent: calls first, messages
    // when no call waits, nobody interrupted. That is the M/M/1 queue with two classes of
    // non-preemptive priority (Cobham 1954): with R = Σ λᵢ E[Sᵢ²] / 2 = (0.4 + 0.3) min,
    // a call waits R / (1 − ρ₁) = 70 s and a message R / ((1 − ρ₁)(1 − ρ₁ − ρ₂)) = 233.3 s
    // on average, so its response (the answer sent) is 233.3 + 60 = 293.3 s.
    let text = [
        ("days = 6", "days = 4"),
        (
            "open = \"08:00\"\nclose = \"18:00\"\ninterval = \"1h\"\n",
            "warmup = \"6h\"\n",
        ),
        ("replications = 16", "replications = 24"),
    ]
    .iter()
    .fold(COBHAM.to_string(), |t, (from, to)| {
        replace_once(&t, from, to)
    });
    let r = run(&text);
    let (rho1, rho2, r_min) = (0.4, 0.3, 0.7);
    let call_wait = r_min * 60.0 / (1.0 - rho1);
    let message_wait = r_min * 60.0 / ((1.0 - rho1) * (1.0 - rho1 - rho2));
    agrees(r.estimate(Metric::AsaS), call_wait, 0.05, "call wait (s)");
    let response = channel(&r, 1, "response_mean_s");
    agrees(response, message_wait + 60.0, 0.05, "message response (s)");
    // First come first served across both classes would give both 140 s of wait: the
    // priority is what the figures show.
    tells_apart(response, 140.0 + 60.0, "message response against FCFS");
    assert_eq!(channel(&r, 1, "within_promise").mean, 1.0);
    assert_eq!(channel(&r, 1, "outcome_answered").mean, 1.0);
    // The backlog: messages waiting, on average λ₂ × wait (Little).
    agrees(
        channel(&r, 1, "backlog_mean"),
        0.3 / 60.0 * message_wait,
        0.05,
        "messages waiting",
    );
}

// ---------------------------------------------------------------------------------------
// 2. The promise-protecting rule under constant phone load.
// ---------------------------------------------------------------------------------------

#[test]
fn under_constant_phone_load_a_message_waits_for_urgency_then_one_freed_agent() {
    // Four agents, calls far beyond them (180 an hour of 4 minutes: 12 erlangs), callers
    // who hang up after 30 minutes on average, so a queue of calls (about 60) is always
    // waiting and every agent always busy. A rare message (one an hour, 2 minutes to answer) is never taken
    // before it is urgent, 20 minutes after it came (a 23-minute promise, urgent 3
    // minutes before); then it goes to the first agent freed, after an exponential time of
    // mean 4 min / 4 agents = 60 s (the agents' idle share is 0: the time for messages is
    // what the rule takes from calls). Its response is 20 min + Exp(60 s) + 2 min: mean
    // 1380 s, median 1320 + 60 ln 2 = 1361.6 s, p90 1320 + 60 ln 10 = 1458.2 s.
    let text = r#"
name = "urgent"
[simulation]
days = 10
warmup = "2h"
replications = 20
seed = 9
[arrivals]
rate_per_hour = 181
[[ticket_types]]
name = "call"
share = 0.994475138121547
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "30m" }
[[ticket_types]]
name = "mail"
share = 0.005524861878453
channel = "message"
handle_time = { dist = "constant", value = "2m" }
response_promise = "23m"
urgent_before = "3m"
[[teams]]
name = "agents"
agents = 4
serves = ["call", "mail"]
"#;
    let r = run(text);
    let base = 1320.0;
    agrees(
        channel(&r, 1, "response_mean_s"),
        base + 60.0,
        0.01,
        "mean response (s)",
    );
    agrees_within(
        channel(&r, 1, "response_p50_s"),
        base + 60.0 * 2f64.ln(),
        10.0,
        "median response (s)",
    );
    agrees_within(
        channel(&r, 1, "response_p90_s"),
        base + 60.0 * 10f64.ln(),
        15.0,
        "p90 response (s)",
    );
    // Within the promise: P(Exp(60 s) ≤ 1 min) = 1 − 1/e.
    agrees_within(
        channel(&r, 1, "within_promise"),
        1.0 - (-1.0f64).exp(),
        0.02,
        "within the promise",
    );
    // Without the rule the message waits for a moment with no call waiting, which this
    // load almost never leaves: far beyond the promise.
    let never = run(&replace_once(
        text,
        "urgent_before = \"3m\"",
        "urgent_before = \"0s\"",
    ));
    assert!(channel(&never, 1, "within_promise").mean < 0.2);
}

// ---------------------------------------------------------------------------------------
// 3. Chat: with one chat at a time it is the phone; with k at once and no slowdown, k
//    servers per agent.
// ---------------------------------------------------------------------------------------

/// A centre of two types and two teams with most of the journey's mechanisms (patience,
/// redials, wrap-up, escalation, learning), all `channel` lines on `chat` or none.
fn centre(chat: bool) -> String {
    let channel = if chat { "channel = \"chat\"\n" } else { "" };
    let concurrency = if chat { "chat_concurrency = 1\n" } else { "" };
    format!(
        r#"
name = "two-lines"
[simulation]
days = 2
warmup = "1h"
replications = 6
seed = 3
open = "08:00"
close = "18:00"
[arrivals]
rates_per_hour = [40, 60, 80, 90, 80, 70, 60, 60, 70, 80, 70, 60, 50, 40, 30, 30, 30, 20, 20, 20]
[[ticket_types]]
name = "sales"
share = 0.4
{channel}handle_time = {{ dist = "lognormal", mean = "4m", cv = 0.8 }}
patience = {{ dist = "exponential", mean = "3m" }}
wrap_up = {{ dist = "constant", value = "30s" }}
difficulty = 0.2
priority = 1
[[ticket_types]]
name = "support"
share = 0.6
{channel}handle_time = {{ dist = "exponential", mean = "6m" }}
patience = {{ dist = "exponential", mean = "5m" }}
difficulty = 0.4
[[teams]]
name = "front"
agents = 7
serves = ["sales", "support"]
competence = 0.8
learning = {{ initial = 0.5, half_life = 20 }}
unresolved = "escalate"
escalate_to = "back"
{concurrency}[[teams]]
name = "back"
agents = 2
serves = ["support"]
{concurrency}[entry]
redial = {{ probability = 0.6, delay = {{ dist = "exponential", mean = "15m" }} }}
"#
    )
}

/// Runs `rappel run` on `text` with `--tickets` and `--calls`; the output folder.
fn run_files(dir: &TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.path().join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join(name);
    let o = rappel()
        .args(["run", "--quiet", "--tickets", "--calls", "--out"])
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn chat_one_at_a_time_is_the_phone_model_byte_for_byte() {
    // Byte-identical, not only statistically equal: with chat_concurrency = 1 a chat goes
    // through the same steps as a call, drawing the same numbers in the same order.
    let dir = TempDir::new().unwrap();
    let phone = run_files(&dir, "phone", &centre(false));
    let chat = run_files(&dir, "chat", &centre(true));
    for f in [
        "summary.csv",
        "replications.csv",
        "wait_distribution.csv",
        "satisfaction_distribution.csv",
        "satisfaction_drivers.csv",
        "intervals.csv",
    ] {
        let a = std::fs::read(phone.join(f)).unwrap();
        let b = std::fs::read(chat.join(f)).unwrap();
        assert!(a == b, "{f} differs between phone and chat at one a time");
    }
    // breakdown.csv: the same rows, and the chat's rows by channel besides.
    let (h1, rows1) = read_csv(&phone.join("breakdown.csv"));
    let (h2, rows2) = read_csv(&chat.join("breakdown.csv"));
    assert_eq!(h1, h2);
    let by = h1.iter().position(|c| c == "by").unwrap();
    let kept: Vec<_> = rows2
        .iter()
        .filter(|r| r[by] != "channel")
        .cloned()
        .collect();
    assert_eq!(rows1, kept);
    assert!(
        rows2
            .iter()
            .any(|r| r[by] == "channel" && r[by + 1] == "chat")
    );
    assert!(!rows1.iter().any(|r| r[by] == "channel"));
    // tickets.csv: the same rows, with a channel column after the type.
    let (t1, tickets1) = read_csv(&phone.join("tickets.csv"));
    let (t2, tickets2) = read_csv(&chat.join("tickets.csv"));
    let at = t2.iter().position(|c| c == "channel").unwrap();
    assert_eq!(t2[at - 1], "type");
    assert!(!t1.contains(&"channel".to_string()));
    assert_eq!(tickets1.len(), tickets2.len());
    for (a, b) in tickets1.iter().zip(&tickets2) {
        let mut b = b.clone();
        assert_eq!(b.remove(at), "chat");
        assert_eq!(*a, b);
    }
    // calls.csv: the same calls, their channel phone and chat.
    let (c1, calls1) = read_csv(&phone.join("calls.csv"));
    let (c2, calls2) = read_csv(&chat.join("calls.csv"));
    assert_eq!(c1, c2);
    let at = c1.iter().position(|c| c == "channel").unwrap();
    assert!(!calls1.is_empty());
    assert_eq!(calls1.len(), calls2.len());
    for (a, b) in calls1.iter().zip(&calls2) {
        let (mut a, mut b) = (a.clone(), b.clone());
        assert_eq!(
            (a.remove(at).as_str(), b.remove(at).as_str()),
            ("phone", "chat")
        );
        assert_eq!(a, b);
    }
}

#[test]
fn chats_two_at_once_without_slowdown_are_twice_the_servers() {
    // Five agents holding two chats each, no slowdown, exponential chats, nobody leaving:
    // ten identical slots, each free as soon as its chat ends, and a chat waits only when
    // every slot is taken. That is M/M/10: the share of chats that wait is Erlang C with
    // 10 servers, and their mean wait C × h / (10 − a).
    let text = r#"
name = "chat"
[simulation]
days = 3
warmup = "3h"
replications = 12
seed = 21
[arrivals]
rate_per_hour = 96
[[ticket_types]]
name = "chat"
channel = "chat"
handle_time = { dist = "exponential", mean = "5m" }
[[teams]]
name = "agents"
agents = 5
serves = ["chat"]
chat_concurrency = 2
chat_slowdown = 0
"#;
    let r = run(text);
    let load = 96.0 / 3600.0 * 300.0;
    let c = erlang_c(load, 10);
    agrees(
        r.estimate(Metric::PWait),
        c,
        0.05,
        "share of chats that wait",
    );
    agrees(
        r.estimate(Metric::AsaS),
        c * 300.0 / (10.0 - load),
        0.08,
        "mean wait (s)",
    );
    // A slowdown makes each agent's chats longer: the waits grow (two chats of an agent
    // then do 2 / 1.1 = 1.8 chats' work, 9.1 servers for 8 erlangs).
    let slow = run(&replace_once(
        text,
        "chat_slowdown = 0",
        "chat_slowdown = 0.1",
    ));
    assert!(slow.estimate(Metric::AsaS).mean > 2.0 * r.estimate(Metric::AsaS).mean);
    // One chat at a time is five servers, far too few for 8 erlangs: refused as unstable.
    let one = replace_once(text, "chat_concurrency = 2", "chat_concurrency = 1");
    assert!(rappel::scenario::Scenario::from_toml(&one, "chat").is_err());
}

// ---------------------------------------------------------------------------------------
// 4. Satisfaction per channel; the outputs; bad values.
// ---------------------------------------------------------------------------------------

#[test]
fn a_message_on_time_pleases_where_the_same_wait_on_the_phone_does_not() {
    // The same 50-minute wait, resolved at once: a message within its one-hour promise
    // against a call whose caller expected a minute.
    let p = rappel::satisfaction::Params::default();
    let mut j = rappel::satisfaction::Journey {
        resolved: true,
        conversations: 1,
        rejections: 0,
        closed_messages: 0,
        failed_attempts: 0,
        transfers: 0,
        broken_promises: 0,
        callbacks_reached: 0,
        lateness: 0.0,
        goodwill: false,
        worst_wait: 3000.0,
        worst_informed: true,
        last_wait: 3000.0,
        last_informed: true,
        answered: true,
        elapsed: 0.0,
        expected_wait: 3600.0,
        written: true,
    };
    let message = p.score(&j, 0.0);
    assert!(message.latent > 0.0, "{message:?}");
    assert!(message.csat >= 4);
    j.written = false;
    j.expected_wait = 60.0;
    let call = p.score(&j, 0.0);
    assert!(call.latent < -1.5, "{call:?}");
    // A message two hours late is felt, less than a call two hours late.
    j.written = true;
    j.expected_wait = 3600.0;
    (j.worst_wait, j.last_wait) = (3.0 * 3600.0, 3.0 * 3600.0);
    let late = p.score(&j, 0.0);
    assert!(late.latent < 0.0 && late.latent > call.latent, "{late:?}");
}

#[test]
fn the_message_promise_scenario_shows_what_the_rule_buys_and_costs() {
    let text =
        std::fs::read_to_string(crate::common::root().join("scenarios/message-promise.toml"))
            .unwrap();
    let with = run(&text);
    let without = run(&replace_once(
        &text,
        "urgent_before = \"15m\"",
        "urgent_before = \"0s\"",
    ));
    let on_time = |r: &RunResult| channel(r, 1, "within_promise");
    // The rule keeps the promise for nearly every e-mail (those sent in the last hour before
    // closing wait for the morning), and costs the callers some answered calls.
    assert!(on_time(&with).mean > 0.95, "{:?}", on_time(&with));
    assert!(on_time(&without).mean < on_time(&with).mean - 0.1);
    assert!(
        with.estimate(Metric::AnsweredShare).mean < without.estimate(Metric::AnsweredShare).mean
    );
    assert!(channel(&with, 1, "reminders_per_message").mean > 0.0);
}

#[test]
fn channel_keys_in_the_wrong_place_are_refused_with_their_line_and_a_fix() {
    let text = r#"
name = "bad"
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "call"
handle_time = { dist = "exponential", mean = "4m" }
response_promise = "1h"
[[ticket_types]]
name = "mail"
channel = "message"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "4m" }
urgent_before = "2h"
reminder = { after = "0s", probability = 0.5 }
[[teams]]
name = "agents"
agents = 5
serves = ["call", "mail"]
chat_concurrency = 3
"#;
    refuse(
        "channels",
        text,
        &[
            expect(
                line_of(text, "response_promise"),
                Some("ticket_types[0].response_promise"),
                "only for a message type",
                Some("channel = \"message\""),
            ),
            expect(
                line_of(text, "patience"),
                Some("ticket_types[1].patience"),
                "not for a message type",
                Some("never abandoned"),
            ),
            expect(
                line_of(text, "urgent_before"),
                Some("ticket_types[1].urgent_before"),
                "below the promise",
                Some("urgent_before = \"15m\""),
            ),
            expect(
                line_of(text, "reminder"),
                Some("ticket_types[1].reminder.after"),
                "above 0",
                Some("after = \"2h\""),
            ),
            expect(
                line_of(text, "chat_concurrency"),
                Some("teams[0].chat_concurrency"),
                "only for a team that serves a chat type",
                Some("channel = \"chat\""),
            ),
        ],
    );
    let wrong = replace_once(text, "channel = \"message\"", "channel = \"fax\"");
    assert!(
        rappel::scenario::Scenario::from_toml(&wrong, "bad")
            .unwrap_err()
            .to_string()
            .contains("phone")
    );
}

#[test]
fn the_run_table_and_the_report_show_the_channels() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let o = rappel()
        .args(["run", "--replications", "2", "--report", "--out"])
        .arg(&out)
        .arg(crate::common::root().join("scenarios/message-promise.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("By channel"), "{table}");
    assert!(table.contains("Within promise"), "{table}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h2>By channel</h2>"));
    assert!(report.contains("Within the promise"));
    // A phone-only centre shows no channel, in the table or the report.
    let plain = dir.path().join("plain");
    let o = rappel()
        .args(["run", "--replications", "2", "--report", "--out"])
        .arg(&plain)
        .arg(crate::common::root().join("scenarios/skills-overflow.toml"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stdout).contains("By channel"));
    let report = std::fs::read_to_string(plain.join("report.html")).unwrap();
    assert!(!report.contains("By channel"));
}

/// Calls, e-mails and chats on two teams, with shifts of staffing, wrap-up, reminders,
/// escalation and redials: every channel's path at once.
const THREE_CHANNELS: &str = r#"
name = "three-channels"
[simulation]
days = 2
replications = 4
seed = 17
open = "08:00"
close = "18:00"
interval = "1h"
[arrivals]
rates_per_hour = [60, 90, 120, 110, 90, 80, 90, 100, 70, 50]
[[ticket_types]]
name = "call"
share = 0.5
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }
wrap_up = { dist = "constant", value = "20s" }
difficulty = 0.3
[[ticket_types]]
name = "mail"
share = 0.3
channel = "message"
handle_time = { dist = "lognormal", mean = "5m", cv = 0.6 }
difficulty = 0.3
response_promise = "2h"
reminder = { after = "1h", probability = 0.7 }
[[ticket_types]]
name = "chat"
share = 0.2
channel = "chat"
handle_time = { dist = "exponential", mean = "6m" }
patience = { dist = "exponential", mean = "4m" }
wrap_up = { dist = "constant", value = "30s" }
[[teams]]
name = "front"
agents = [6, 8, 10, 10, 8, 8, 8, 9, 7, 5]
serves = ["call", "mail", "chat"]
competence = 0.8
unresolved = "escalate"
escalate_to = "back"
chat_concurrency = 3
chat_slowdown = 0.3
[[teams]]
name = "back"
agents = 2
serves = ["mail"]
[entry]
redial = { probability = 0.5, delay = { dist = "exponential", mean = "15m" } }
"#;

#[test]
fn three_channels_give_the_same_files_whatever_the_threads() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("three.toml");
    std::fs::write(&file, THREE_CHANNELS).unwrap();
    let run_with = |threads: &str| {
        let out = dir.path().join(format!("out-{threads}"));
        let o = rappel()
            .args(["run", "--quiet", "--tickets", "--threads", threads, "--out"])
            .arg(&out)
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };
    let (one, two) = (run_with("1"), run_with("2"));
    for f in [
        "summary.csv",
        "replications.csv",
        "intervals.csv",
        "breakdown.csv",
        "tickets.csv",
        "satisfaction_drivers.csv",
    ] {
        assert!(
            std::fs::read(one.join(f)).unwrap() == std::fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // Every channel has its rows; messages are reminded and answered, chats answered.
    let (h, rows) = read_csv(&one.join("breakdown.csv"));
    let by = h.iter().position(|c| c == "by").unwrap();
    let groups: Vec<&str> = rows
        .iter()
        .filter(|r| r[by] == "channel")
        .map(|r| r[by + 1].as_str())
        .collect();
    assert!(groups.contains(&"phone") && groups.contains(&"message") && groups.contains(&"chat"));
    let r = run(THREE_CHANNELS);
    assert!(channel(&r, 1, "reminders_per_message").mean > 0.0);
    assert!(channel(&r, 1, "outcome_answered").mean > 0.9);
    assert!(channel(&r, 2, "outcome_answered").mean > 0.5);
}
