//! Shifts, breaks, absence, shrinkage, adherence and staffing per weekday (issue 15, items 1,
//! 2 and 6): each against an answer computed by hand, and the bad values refused with their
//! file, line, key and help.

use crate::common::{BASE, expect, line_of, parse, rappel, read_csv, refuse, replace_once, run};
use rappel::run::IntervalRow;
use tempfile::TempDir;

/// A morning 08:00 to 12:00 in half hours with a trickle of calls, and `teams` as its teams.
fn morning(rate: f64, extra: &str, teams: &str) -> String {
    let reps = if extra.contains("replications") {
        ""
    } else {
        "replications = 2"
    };
    format!(
        r#"name = "morning"
[simulation]
open = "08:00"
close = "12:00"
interval = "30m"
{reps}
{extra}
[arrivals]
rate_per_hour = {rate}
[[ticket_types]]
name = "general"
handle_time = {{ dist = "constant", value = "20m" }}
patience = {{ dist = "constant", value = "1h" }}
{teams}
"#
    )
}

/// Two shifts, the first with a fixed 15-minute break at 10:00.
const TWO_SHIFTS: &str = r#"
[[teams]]
name = "agents"
serves = ["general"]
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 3
breaks = [{ at = "10:00", length = "15m" }]
[[teams.shifts]]
start = "09:00"
length = "3h"
agents = 2
"#;

fn column(rows: &[IntervalRow], k: usize) -> Vec<f64> {
    rows.iter().map(|r| r.roster[k]).collect()
}

#[test]
fn breaks_reduce_the_agents_on_the_phone_exactly_as_scheduled() {
    let r = run(&morning(1e-9, "", TWO_SHIFTS));
    let rows = r.intervals();
    // 08:00 3, 09:00 5, 10:00-10:15 two (three on their break), 10:15 five again.
    let expected = [3.0, 3.0, 5.0, 5.0, 3.5, 5.0, 5.0, 5.0];
    assert_eq!(column(&rows, 0), [3.0, 3.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]);
    assert_eq!(column(&rows, 1), column(&rows, 0));
    assert_eq!(column(&rows, 2), expected);
    assert_eq!(column(&rows, 3), expected);
    // No call: the agents logged in are the plan's.
    let staffed: Vec<f64> = rows.iter().map(|r| r.agents_staffed).collect();
    assert_eq!(staffed, expected);
}

#[test]
fn an_agent_finishes_the_conversation_before_the_break() {
    // One agent, always busy (a call every minute, 20-minute conversations, nobody hangs
    // up): the conversation in progress at 10:00 ends after 10:00, the agent leaves then and
    // is back at 10:15 sharp, so the break is shortened and the agent is logged in for more
    // than the planned half of the 10:00 interval.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 1
breaks = [{ after = "2h", length = "15m" }]
"#;
    let r = run(&morning(60.0, "", team));
    let rows = r.intervals();
    let at_ten = &rows[4];
    assert_eq!(at_ten.roster[2], 0.5);
    assert!(
        at_ten.agents_staffed > 0.5 && at_ten.agents_staffed < 1.0,
        "{}",
        at_ten.agents_staffed
    );
    for (i, row) in rows.iter().enumerate().filter(|(i, _)| *i != 4) {
        assert_eq!(row.agents_staffed, 1.0, "interval {i}");
    }
}

#[test]
fn breaks_in_a_window_are_staggered_evenly() {
    // Five agents, a 15-minute break starting from 10:00 to 11:00: at 10:00, 10:15, 10:30,
    // 10:45 and 11:00, so one agent is on a break from 10:00 to 11:15.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 5
breaks = [{ earliest = "10:00", latest = "11:00", length = "15m" }]
"#;
    let rows = run(&morning(1e-9, "", team)).intervals();
    assert_eq!(column(&rows, 2), [5.0, 5.0, 5.0, 5.0, 4.0, 4.0, 4.5, 5.0]);
}

#[test]
fn shrinkage_rounds_to_the_nearest_agent() {
    // 10 agents, 15 % off the phone: round(1.5) = 2 off, 8 on the phone.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
agents = 10
shrinkage = [0.15, 0.15, 0.1, 0.1, 0, 0, 0.5, 1]
"#;
    let rows = run(&morning(1e-9, "", team)).intervals();
    assert_eq!(column(&rows, 1), [10.0; 8]);
    assert_eq!(column(&rows, 2), [8.0, 8.0, 9.0, 9.0, 10.0, 10.0, 5.0, 0.0]);
}

/// The share absent over every agent-day of a run, and its standard error.
fn absent_share(team: &str, days: u32) -> (f64, f64) {
    let r = run(&morning(
        1e-9,
        &format!("days = {days}\nreplications = 4"),
        team,
    ));
    let rows = r.intervals();
    let scheduled: f64 = column(&rows, 0).iter().sum();
    let present: f64 = column(&rows, 1).iter().sum();
    let share = 1.0 - present / scheduled;
    // Each agent-day counts 8 intervals; one draw per agent and day.
    let agent_days = scheduled / 8.0 * 4.0;
    (share, (0.25 * 0.75 / agent_days).sqrt())
}

#[test]
fn absence_of_a_list_is_a_quarter_of_the_agent_days() {
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
agents = 20
absence = 0.25
"#;
    let (share, se) = absent_share(team, 40);
    assert!((share - 0.25).abs() < 3.0 * se, "{share} ± {se}");
}

#[test]
fn absence_on_shifts_is_a_quarter_of_the_agent_days() {
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
absence = 0.25
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 20
"#;
    let (share, se) = absent_share(team, 40);
    assert!((share - 0.25).abs() < 3.0 * se, "{share} ± {se}");
}

#[test]
fn an_absent_agent_is_absent_all_day() {
    // A constant list: the agents present are the same in every interval of a day.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
agents = 20
absence = 0.3
"#;
    let s = parse(&morning(1e-9, "replications = 1\ndays = 5", team));
    let r = rappel::run::run_scenario(&s, None, |_| {});
    for day in r.intervals().chunks(8) {
        assert!(day.iter().all(|row| row.roster[1] == day[0].roster[1]));
    }
}

#[test]
fn adherence_is_measured_near_its_input() {
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
agents = 20
adherence = 0.8
"#;
    let r = run(&morning(1e-9, "days = 10\nreplications = 4", team));
    let rows = r.intervals();
    let planned: f64 = column(&rows, 2).iter().sum();
    let on: f64 = column(&rows, 3).iter().sum();
    // One draw per agent and interval: 20 × 8 × 10 × 4.
    let n = planned * 4.0;
    let se = (0.8 * 0.2 / n).sqrt();
    assert!((on / planned - 0.8).abs() < 3.0 * se, "{}", on / planned);
}

#[test]
fn weekday_lists_staff_each_day_of_the_week() {
    // Day 0 is a Sunday; Monday to Friday 4 agents, Saturday 2, Sunday 1.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
agents = 4
agents_by_weekday = { sat = 2, sun = [1, 1, 1, 1, 1, 1, 1, 1] }
"#;
    let r = run(&morning(1e-9, "days = 8\nstart_day = \"sun\"", team));
    let per_day: Vec<f64> = r.intervals().chunks(8).map(|d| d[0].roster[3]).collect();
    assert_eq!(per_day, [1.0, 4.0, 4.0, 4.0, 4.0, 4.0, 2.0, 1.0]);
}

#[test]
fn shifts_worked_on_some_days_only() {
    // 2026-01-05 is a Monday: the weekend shift is worked on days 5 and 6.
    let team = r#"
[[teams]]
name = "agents"
serves = ["general"]
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 3
days = ["mon", "tue", "wed", "thu", "fri"]
[[teams.shifts]]
start = "09:00"
length = "2h"
agents = 1
days = ["sat", "sun"]
"#;
    let r = run(&morning(1e-9, "days = 7\nstart_day = \"2026-01-05\"", team));
    let at_ten: Vec<f64> = r.intervals().chunks(8).map(|d| d[4].roster[0]).collect();
    assert_eq!(at_ten, [3.0, 3.0, 3.0, 3.0, 3.0, 1.0, 1.0]);
}

#[test]
fn weekday_multipliers_follow_the_start_day() {
    let team = "[[teams]]\nname = \"a\"\nserves = [\"general\"]\nagents = 1";
    let s = parse(&morning(
        1.0,
        "start_day = \"sat\"\ndays = 9",
        &format!("{team}\n"),
    ));
    assert_eq!(s.simulation.start_weekday, 5);
    let src = morning(1.0, "start_day = \"sat\"", team).replace(
        "rate_per_hour = 1",
        "rate_per_hour = 1\nday_scale = [1, 2]\nday_scale_by_weekday = { sat = 0.5, mon = 3 }",
    );
    let s = parse(&src);
    // Day 0 Saturday, 1 Sunday, 2 Monday, ..., 7 Saturday.
    let scales: Vec<f64> = (0..8).map(|d| s.arrivals.scale(d)).collect();
    assert_eq!(scales, [0.5, 2.0, 3.0, 2.0, 1.0, 2.0, 1.0, 1.0]);
}

#[test]
fn intervals_csv_has_the_roster_columns_only_with_a_roster() {
    let tmp = TempDir::new().unwrap();
    for (name, team) in [
        (
            "plain",
            "[[teams]]\nname = \"a\"\nserves = [\"general\"]\nagents = 2\n",
        ),
        ("shifts", TWO_SHIFTS),
    ] {
        let file = tmp.path().join(format!("{name}.toml"));
        std::fs::write(&file, morning(1e-9, "", team)).unwrap();
        let out = tmp.path().join(name);
        let status = rappel()
            .args(["run", file.to_str().unwrap(), "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success());
        let (header, rows) = read_csv(&out.join("intervals.csv"));
        let has = header.iter().any(|h| h == "on_phone");
        assert_eq!(has, name == "shifts", "{header:?}");
        if has {
            let at = |c: &str| header.iter().position(|h| h == c).unwrap();
            let ten = rows
                .iter()
                .find(|r| r[at("interval_start")] == "10:00")
                .unwrap();
            assert_eq!(ten[at("scheduled")], "5");
            assert_eq!(ten[at("planned")], "3.5");
            assert_eq!(ten[at("adherence")], "1");
        }
    }
}

#[test]
fn staff_refuses_a_roster_of_lists() {
    // A team on shifts is rostered (tests/staff_roster.rs), lists per weekday are what the
    // search finds (tests/staff.rs); a list with absence is refused, since the search finds
    // agents on the phone.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("lists.toml");
    let team = "[[teams]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 3\nabsence = 0.1\n";
    std::fs::write(&file, morning(10.0, "", team)).unwrap();
    let out = rappel()
        .current_dir(tmp.path())
        .args([
            "staff",
            file.to_str().unwrap(),
            "--target",
            "service_level=0.8",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("staffed by a list with absence"),
        "{stderr}"
    );
    assert!(stderr.contains("help: "), "{stderr}");
}

/// BASE with its team's `agents = 12` replaced by `team`; a `[[teams.shifts]]` table in it
/// goes after the team's keys.
fn base_team(team: &str) -> String {
    let (keys, tables) = match team.find("[[teams.shifts]]") {
        Some(i) => team.split_at(i),
        None => (team, ""),
    };
    let serves = "serves = [\"general\", \"billing\"]\n";
    replace_once(
        BASE,
        &format!("agents = 12\n{serves}"),
        &format!("{keys}{serves}{tables}"),
    )
}

#[test]
fn bad_shift_values_are_refused_with_their_place() {
    let shift = "[[teams.shifts]]\nstart = \"08:00\"\nlength = \"4h\"\nagents = 3\n";
    let cases: Vec<(&str, String, &str, &'static str, &'static str)> = vec![
        (
            "shifts-and-agents",
            base_team(&format!("agents = 4\n{shift}")),
            "agents = 4",
            "teams[0].agents",
            "both `shifts` and `agents`",
        ),
        (
            "before-opening",
            base_team(&shift.replace("08:00", "07:00")),
            "07:00",
            "teams[0].shifts[0].start",
            "outside the opening hours",
        ),
        (
            "break-outside",
            base_team(&format!(
                "{shift}breaks = [{{ at = \"13:00\", length = \"15m\" }}]\n"
            )),
            "13:00",
            "teams[0].shifts[0].breaks[0]",
            "outside its shift",
        ),
        (
            "break-without-time",
            base_team(&format!("{shift}lunch = {{ length = \"30m\" }}\n")),
            "lunch",
            "teams[0].shifts[0].lunch",
            "needs one of `after`, `at`",
        ),
        (
            "overlapping-breaks",
            base_team(&format!(
                "{shift}breaks = [{{ at = \"09:00\", length = \"15m\" }}]\nlunch = {{ earliest = \"09:10\", latest = \"10:00\", length = \"30m\" }}\n"
            )),
            "lunch",
            "teams[0].shifts[0].lunch",
            "before the break before it ends",
        ),
        (
            "no-days",
            base_team(&format!("{shift}days = []\n")),
            "days = []",
            "teams[0].shifts[0].days",
            "never worked",
        ),
        (
            "absence-one",
            base_team("agents = 12\nabsence = 1\n"),
            "absence",
            "teams[0].absence",
            "from 0 to below 1",
        ),
        (
            "adherence-zero",
            base_team("agents = 12\nadherence = 0\n"),
            "adherence",
            "teams[0].adherence",
            "above 0 and at most 1",
        ),
        (
            "shrinkage-length",
            base_team("agents = 12\nshrinkage = [0.1, 0.2]\n"),
            "shrinkage",
            "teams[0].shrinkage",
            "2 shrinkage values given",
        ),
        (
            "weekday-list",
            base_team("agents_by_weekday = { mon = [1, 2] }\n"),
            "agents_by_weekday",
            "teams[0].agents_by_weekday.mon",
            "2 staffing values given",
        ),
        (
            "start-day",
            replace_once(BASE, "seed = 3", "seed = 3\nstart_day = \"funday\""),
            "funday",
            "simulation.start_day",
            "neither a day of the week",
        ),
        (
            "weekday-scale",
            replace_once(
                BASE,
                "rate_per_hour = 100",
                "rate_per_hour = 100\nday_scale_by_weekday = { fri = -1 }",
            ),
            "day_scale_by_weekday",
            "arrivals.day_scale_by_weekday.fri",
            "from 0 to 1e6",
        ),
    ];
    for (case, text, needle, key, message) in cases {
        refuse(
            case,
            &text,
            &[expect(line_of(&text, needle), Some(key), message, Some(""))],
        );
    }
}

#[test]
fn a_team_without_agents_is_refused() {
    let text = base_team("");
    refuse(
        "no-agents",
        &text,
        &[expect(
            line_of(&text, "[[teams]]"),
            Some("teams[0]"),
            "has no `agents`",
            Some("[[teams.shifts]]"),
        )],
    );
}

#[test]
fn a_typo_in_a_shift_is_refused_with_the_known_keys() {
    let text = base_team("[[teams.shifts]]\nstart = \"08:00\"\nlenght = \"4h\"\nagents = 3\n");
    refuse(
        "typo",
        &text,
        &[expect(
            line_of(&text, "lenght"),
            None,
            "lenght",
            Some("length"),
        )],
    );
}

#[test]
fn a_bank_week_is_closed_on_friday_and_saturday() {
    // Day 0 a Sunday; open Sunday to Thursday. Callers redial and hear the closed message
    // after hours: nobody is served on days 5 and 6, and their rows are closed.
    let team = r#"
[entry.redial]
probability = 0.9
delay = { dist = "exponential", mean = "2h" }
[[teams]]
name = "agents"
serves = ["general"]
agents = 4
"#;
    let text = morning(
        30.0,
        "days = 7\nstart_day = \"sun\"\nweek = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]",
        team,
    );
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("bank.toml");
    std::fs::write(&file, &text).unwrap();
    let out = tmp.path().join("out");
    let status = rappel()
        .args(["run", file.to_str().unwrap(), "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let (header, rows) = read_csv(&out.join("intervals.csv"));
    let at = |c: &str| header.iter().position(|h| h == c).unwrap();
    // Who heard the closed message on Thursday calls again after Sunday's opening, not on
    // the days off: no call at all on days 5 and 6, closed stretches included.
    let day_of = |r: &Vec<String>| r[at("day")].parse::<usize>().unwrap();
    assert!(
        rows.iter()
            .any(|r| day_of(r) == 4 && r[at("state")] == "closed" && r[at("offered")] != "0")
    );
    for r in rows.iter().filter(|r| day_of(r) >= 5) {
        assert_eq!(r[at("offered")], "0", "{r:?}");
    }
    let grid_rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[at("interval_start")] != "00:00" && r[at("interval_start")] != "12:00")
        .collect();
    assert_eq!(grid_rows.len(), 7 * 8);
    for r in grid_rows {
        let day: usize = r[at("day")].parse().unwrap();
        let closed = day >= 5;
        assert_eq!(
            r[at("state")],
            if closed { "closed" } else { "open" },
            "{r:?}"
        );
        let agents: f64 = r[at("agents_staffed")].parse().unwrap();
        assert_eq!(agents, if closed { 0.0 } else { 4.0 }, "{r:?}");
        if closed {
            assert_eq!(r[at("offered")], "0", "{r:?}");
        }
    }
}

#[test]
fn a_round_the_clock_centre_closes_on_its_days_off() {
    let src = "name = \"c\"\n[simulation]\ndays = 3\nreplications = 1\nweek = [\"mon\", \"wed\"]\n\
        [arrivals]\nrate_per_hour = 1\n[[ticket_types]]\nname = \"g\"\n\
        handle_time = { dist = \"constant\", value = \"1m\" }\n\
        [[teams]]\nname = \"a\"\nserves = [\"g\"]\nagents = 2\n";
    let rows = run(src).intervals();
    let per_day: Vec<f64> = rows
        .chunks(48)
        .map(|d| d.iter().map(|r| r.agents_staffed).sum::<f64>() / 48.0)
        .collect();
    assert_eq!(per_day, [2.0, 0.0, 2.0]);
    let offered: Vec<f64> = rows
        .chunks(48)
        .map(|d| d.iter().map(|r| r.offered).sum())
        .collect();
    assert_eq!(offered[1], 0.0);
}

#[test]
fn a_week_with_no_day_or_a_day_twice_is_refused() {
    for (case, week, message) in [
        ("empty-week", "[]", "opens on no day"),
        ("twice", "[\"mon\", \"mon\"]", "listed twice"),
    ] {
        let text = replace_once(BASE, "seed = 3", &format!("seed = 3\nweek = {week}"));
        refuse(
            case,
            &text,
            &[expect(
                line_of(&text, "week ="),
                Some("simulation.week"),
                message,
                Some("week = ["),
            )],
        );
    }
}

#[test]
fn a_week_of_shifts_has_the_same_bytes_with_one_or_two_threads() {
    let tmp = TempDir::new().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("t{threads}"));
        let status = rappel()
            .args([
                "run",
                "scenarios/week-of-shifts.toml",
                "--quiet",
                "--threads",
                threads,
            ])
            .args(["--replications", "3", "--out"])
            .arg(&out)
            .current_dir(crate::common::root())
            .output()
            .unwrap();
        assert!(status.status.success());
        outs.push(out);
    }
    for f in [
        "intervals.csv",
        "summary.csv",
        "replications.csv",
        "breakdown.csv",
    ] {
        let a = std::fs::read(outs[0].join(f)).unwrap();
        let b = std::fs::read(outs[1].join(f)).unwrap();
        assert!(a == b, "{f} differs with the thread count");
    }
}
