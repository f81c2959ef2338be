//! `rappel staff` on a team staffed by shift patterns (issue 15 item 9, the roster): the
//! covering programme's cost equals a brute-force minimum on a small case; a shift-staffed
//! scenario gets a roster, its cost, its coverage, a confirmation that holds and the lines
//! to paste; an interval with calls that no pattern covers exits 2 with a message.

use crate::common::rappel;
use rappel::scenario::{Scenario, Shift};
use rappel::staff::{Uncovered, cover_at_least_cost};
use tempfile::TempDir;

/// Every headcount combination of up to `bound` agents per pattern: the cheapest that
/// covers every row.
fn brute_force(cover: &[Vec<f64>], cost: &[f64], need: &[f64], bound: u32) -> f64 {
    let p = cost.len();
    let mut best = f64::INFINITY;
    let mut x = vec![0u32; p];
    loop {
        let covers = (0..need.len()).all(|r| {
            let have: f64 = (0..p).map(|k| cover[k][r] * f64::from(x[k])).sum();
            have + 1e-9 >= need[r]
        });
        if covers {
            let c: f64 = (0..p).map(|k| cost[k] * f64::from(x[k])).sum();
            best = best.min(c);
        }
        let mut k = 0;
        loop {
            if k == p {
                return best;
            }
            x[k] += 1;
            if x[k] <= bound {
                break;
            }
            x[k] = 0;
            k += 1;
        }
    }
}

#[test]
fn the_programme_costs_no_more_than_a_brute_force_search() {
    // 4 patterns over 8 half-hour intervals (08:00-12:00), one with a break, their cover
    // taken from the roster model itself.
    let grid = Scenario::from_toml(
        r#"
        name = "grid"
        [simulation]
        open = "08:00"
        close = "12:00"
        interval = "30m"
        [arrivals]
        rate_per_hour = 10
        [[ticket_types]]
        name = "general"
        handle_time = { dist = "constant", value = "1m" }
        [[teams]]
        name = "agents"
        agents = 1
        serves = ["general"]
        "#,
        "grid.toml",
    )
    .unwrap()
    .day;
    let h = 3600.0;
    let shift = |start: f64, end: f64, brk: Option<f64>| Shift {
        start: start * h,
        end: end * h,
        agents: 1,
        breaks: brk
            .map(|b| rappel::scenario::Break {
                earliest: b * h,
                latest: b * h,
                length: 1800.0,
            })
            .into_iter()
            .collect(),
    };
    let patterns = [
        shift(8.0, 12.0, Some(10.0)),
        shift(8.0, 10.0, None),
        shift(9.0, 12.0, None),
        shift(10.0, 12.0, None),
    ];
    let cover: Vec<Vec<f64>> = patterns
        .iter()
        .map(|s| s.planned_per_interval(1, &grid))
        .collect();
    assert_eq!(cover[0], [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]);
    let cost: Vec<f64> = patterns
        .iter()
        .map(|s| (s.end - s.start) / h * 20.0)
        .collect();
    let needs: [[f64; 8]; 3] = [
        [2.0, 3.0, 5.0, 5.0, 4.0, 4.0, 2.0, 1.0],
        [1.2, 2.5, 4.4, 4.4, 3.3, 2.2, 2.2, 1.1],
        [0.0, 1.0, 3.0, 6.0, 6.0, 3.0, 1.0, 0.0],
    ];
    for need in needs {
        let x = cover_at_least_cost(&cover, &cost, &need).unwrap();
        // It covers the need.
        for r in 0..need.len() {
            let have: f64 = (0..4).map(|k| cover[k][r] * f64::from(x[k])).sum();
            assert!(have + 1e-9 >= need[r], "{need:?}: row {r} short with {x:?}");
        }
        let c: f64 = (0..4).map(|k| cost[k] * f64::from(x[k])).sum();
        let best = brute_force(&cover, &cost, &need, 8);
        assert!(best.is_finite());
        assert!(
            c <= best + 1e-9,
            "{need:?}: {x:?} costs {c}, brute force {best}"
        );
    }
    // A row with a need that no pattern covers.
    let mut need = [0.0; 8];
    need[4] = 1.0;
    let only_break = vec![cover[0].clone()];
    assert_eq!(
        cover_at_least_cost(&only_break, &[80.0], &need),
        Err(Uncovered { row: 4 })
    );
}

const SCENARIO: &str = r#"name = "roster-day"
[simulation]
open = "08:00"
close = "12:00"
interval = "30m"
replications = 40
[arrivals]
rates_per_hour = [30, 60, 90, 90, 60, 60, 30, 30]
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }
[[teams]]
name = "agents"
serves = ["general"]
cost_per_hour = 20
shrinkage = 0.1
[[teams.shifts]]
start = "08:00"
length = "4h"
agents = 3
breaks = [{ at = "10:00", length = "15m" }]
[[teams.shifts]]
start = "09:00"
length = "3h"
agents = 2
[[teams.shifts]]
start = "08:00"
length = "2h"
agents = 1
[[teams.shifts]]
start = "10:00"
length = "2h"
agents = 1
"#;

#[test]
fn staff_plans_a_roster_for_a_team_on_shifts_and_confirms_it() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("roster.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let out = rappel()
        .current_dir(tmp.path())
        .args(["staff", file.to_str().unwrap(), "--quiet"])
        .args(["--out", tmp.path().join("out").to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("roster of team agents"), "{stdout}");
    assert!(stdout.contains("cost of the roster per run"), "{stdout}");
    assert!(stdout.contains("coverage per interval"), "{stdout}");
    assert!(
        stdout.contains("confirmed: the roster meets every target"),
        "{stdout}"
    );
    let paste: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("agents = "))
        .collect();
    assert_eq!(paste.len(), 4, "{stdout}");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out/staff.json")).unwrap()).unwrap();
    let roster = &json["roster"];
    assert_eq!(roster["confirmed"], true);
    let agents: Vec<u64> = roster["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["agents"].as_u64().unwrap())
        .collect();
    let cost: f64 = roster["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["agents"].as_f64().unwrap() * s["cost_per_agent"].as_f64().unwrap())
        .sum();
    assert_eq!(roster["cost"].as_f64().unwrap(), cost);
    // Every interval planned at least its need.
    let need = roster["need"].as_array().unwrap();
    let planned = roster["planned"].as_array().unwrap();
    for (n, p) in need.iter().zip(planned) {
        assert!(
            p.as_f64().unwrap() + 1e-9 >= n.as_f64().unwrap(),
            "{roster}"
        );
    }

    // Pasting the lines and running the scenario gives the roster found.
    let mut pasted = String::new();
    let mut k = 0;
    for line in SCENARIO.lines() {
        if line.starts_with("agents = ") && k < 4 && pasted.contains("[[teams.shifts]]") {
            pasted.push_str(&format!("agents = {}\n", agents[k]));
            k += 1;
        } else {
            pasted.push_str(line);
            pasted.push('\n');
        }
    }
    assert_eq!(k, 4);
    let s = Scenario::from_toml(&pasted, "pasted.toml").unwrap();
    let r = s.teams[0].roster.as_ref().unwrap();
    let got: Vec<u64> = r
        .patterns
        .iter()
        .map(|p| u64::from(p.shift.agents))
        .collect();
    assert_eq!(got, agents);
    let toml = std::fs::read_to_string(tmp.path().join("out/staffing.toml")).unwrap();
    assert!(toml.contains("[[shifts]]"), "{toml}");
    toml.parse::<toml::Table>().expect("staffing.toml is TOML");
}

/// Runs `staff` on `text` (as `NAME.toml`) in a fresh folder and checks the refusal every
/// roster problem gets: exit 2, a help line, and no output folder; returns standard error.
fn refused(text: &str, name: &str) -> String {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let out = rappel()
        .current_dir(tmp.path())
        .args(["staff", file.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("help: "), "{stderr}");
    assert!(!tmp.path().join("out").exists());
    stderr
}

#[test]
fn an_interval_no_shift_covers_exits_2() {
    // No shift covers 11:00-12:00, which has calls.
    let text = SCENARIO
        .replace("length = \"4h\"", "length = \"3h\"")
        .replace(
            "start = \"09:00\"\nlength = \"3h\"",
            "start = \"09:00\"\nlength = \"2h\"",
        )
        .replace(
            "start = \"10:00\"\nlength = \"2h\"",
            "start = \"10:00\"\nlength = \"1h\"",
        );
    let stderr = refused(&text, "gap");
    assert!(
        stderr.contains("no shift pattern puts an agent on the phone in interval 11:00"),
        "{stderr}"
    );
}

#[test]
fn an_interval_whose_shrinkage_is_one_is_named_and_exits_2() {
    // Everyone off the phone from 10:30 to 11:00, an interval with calls.
    let text = SCENARIO.replace(
        "shrinkage = 0.1",
        "shrinkage = [0.1, 0.1, 0.1, 0.1, 0.1, 1.0, 0.1, 0.1]",
    );
    assert!(text.contains("1.0, 0.1, 0.1]"));
    let stderr = refused(&text, "shrunk");
    assert!(
        stderr.contains("interval 10:30 has calls") && stderr.contains("shrinkage is 1"),
        "{stderr}"
    );
}
