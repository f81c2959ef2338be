//! The slow dynamics of multi-day runs (docs/satisfaction.md): expectations that follow the
//! service at a rate of weeks, word of mouth with a delay and no oscillation, both off in
//! planning scenarios and shown in scenarios/satisfaction-curse.toml; the keys they
//! replaced are refused with what replaced them.

use crate::common::{BASE, expect, line_of, rappel, read_csv, refuse, root, shipped};
use rappel::run::{IntervalRow, run_scenario};
use rappel::scenario::Scenario;
use tempfile::TempDir;

/// The teaching scenario.
fn curse() -> Scenario {
    Scenario::from_file(&root().join("scenarios/satisfaction-curse.toml")).unwrap()
}

/// Per day: the value of `f` in the day's open intervals, averaged (NaN ones left out).
fn per_day(rows: &[IntervalRow], f: impl Fn(&IntervalRow) -> f64) -> Vec<f64> {
    let days = rows.iter().map(|r| r.day + 1).max().unwrap_or(0);
    (0..days)
        .map(|d| {
            let v: Vec<f64> = rows
                .iter()
                .filter(|r| r.day == d)
                .map(&f)
                .filter(|x| !x.is_nan())
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        })
        .collect()
}

/// How often the day-to-day changes of `v` change sign (days without change skipped).
fn sign_changes(v: &[f64]) -> usize {
    let signs: Vec<bool> = v
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d != 0.0)
        .map(|d| d > 0.0)
        .collect();
    signs.windows(2).filter(|w| w[0] != w[1]).count()
}

/// The word-of-mouth factor, expected wait, CSAT and calls offered of each day.
fn days(s: &Scenario) -> [Vec<f64>; 4] {
    let rows = run_scenario(s, None, |_| {}).intervals();
    [
        per_day(&rows, |r| r.word_of_mouth_factor),
        per_day(&rows, |r| r.expected_wait_s),
        per_day(&rows, |r| r.csat_mean),
        per_day(&rows, |r| r.offered),
    ]
}

/// Over eight weeks, expectations catch up with a lasting improvement at a rate of weeks
/// and satisfaction fades; word of mouth waits a week, then moves arrivals by a few per
/// cent, smoothly: its factor turns at most once (it grows while customers are delighted,
/// and eases as the curse wears the delight off), where the old next-day feedback swung
/// back and forth every few days.
#[test]
fn the_teaching_scenario_shows_slow_dynamics_without_oscillation() {
    let s = curse();
    assert!(s.simulation.horizon >= 42.0 * 86_400.0, "several weeks");
    let [factor, expected, csat, offered] = days(&s);
    assert_eq!(factor.len(), 56);
    // The delay: nothing moves in the first week.
    assert!(factor[..7].iter().all(|&f| f == 1.0), "{factor:?}");
    assert!(factor[7] > 1.0, "{factor:?}");
    // A size a marketer would accept: a few per cent, within the bound 1 ± gain.
    let top = factor.iter().cloned().fold(0.0, f64::max);
    assert!((1.01..1.06).contains(&top), "{factor:?}");
    assert!(factor.iter().all(|f| (0.9..=1.1).contains(f)), "{factor:?}");
    // No oscillation: the day-to-day changes keep their sign, but for one turn at most.
    assert!(sign_changes(&factor) <= 1, "{factor:?}");
    // Expectations start at the type's 2 minutes and close 1 - 1/e of the gap to the
    // waits met (about 22 s) in two weeks, falling every day of the first four weeks.
    assert_eq!(expected[0], 120.0);
    assert!((50.0..70.0).contains(&expected[14]), "{expected:?}");
    assert!(
        expected[..28].windows(2).all(|w| w[1] < w[0]),
        "{expected:?}"
    );
    assert!(expected[55] < 35.0, "{expected:?}");
    // The same service pleases less and less: the satisfaction curse.
    let week = |v: &[f64], w: usize| v[7 * w..7 * w + 7].iter().sum::<f64>() / 7.0;
    assert!(week(&csat, 0) > week(&csat, 7) + 0.1, "{csat:?}");
    // The calls word of mouth brings, in the noisy counts too.
    assert!(week(&offered, 4) > week(&offered, 0), "{offered:?}");

    // The old rule (tomorrow's volume follows today's net promoters, gain 0.5) on the same
    // centre swings back and forth: the measure above would catch an oscillation.
    let mut old = curse();
    old.satisfaction.dynamics.word_of_mouth_gain = 0.5;
    old.satisfaction.dynamics.word_of_mouth_delay = 86_400.0;
    old.satisfaction.dynamics.word_of_mouth_time = 0.0;
    let [factor, ..] = days(&old);
    assert!(sign_changes(&factor) >= 10, "{factor:?}");
}

/// Planning scenarios leave the dynamics off: every shipped scenario but the teaching one,
/// and the template. Over several days their expected waits stay the types' own and their
/// arrival factor stays 1.
#[test]
fn planning_scenarios_keep_expectations_and_arrivals_fixed() {
    let mut teaching = 0;
    for path in shipped() {
        let s = Scenario::from_file(&path).unwrap();
        let d = &s.satisfaction.dynamics;
        if path.ends_with("satisfaction-curse.toml") {
            teaching += 1;
            assert!(d.expectations_adapt && d.word_of_mouth);
        } else {
            assert!(
                !d.expectations_adapt && !d.word_of_mouth,
                "{}: dynamics on",
                path.display()
            );
        }
    }
    assert_eq!(teaching, 1);
    let mut s = Scenario::from_file(&root().join("scenarios/retailer-immediate.toml")).unwrap();
    s.simulation.replications = 2;
    assert!(s.simulation.horizon >= 3.0 * 86_400.0);
    let mix: f64 = s
        .ticket_types
        .iter()
        .map(|t| t.share * t.expected_wait)
        .sum();
    let rows = run_scenario(&s, None, |_| {}).intervals();
    assert!(rows.iter().any(|r| r.day == 2));
    for r in &rows {
        assert_eq!(r.expected_wait_s, mix, "day {}", r.day);
        assert_eq!(r.word_of_mouth_factor, 1.0, "day {}", r.day);
    }
}

/// From the command line: the teaching scenario runs in release in a few seconds and
/// writes the day's expected wait and word-of-mouth factor in `intervals.csv`.
#[test]
fn the_teaching_scenario_writes_its_dynamics_in_intervals_csv() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let started = std::time::Instant::now();
    let run = rappel()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(root().join("scenarios/satisfaction-curse.toml"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let (header, rows) = read_csv(&out.join("intervals.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (day, factor, wait) = (
        col("day"),
        col("word_of_mouth_factor"),
        col("expected_wait_s"),
    );
    let on = |d: &str| rows.iter().find(|r| r[day] == d).unwrap();
    assert_eq!(on("0")[factor], "1");
    assert_eq!(on("0")[wait], "120");
    let late: f64 = on("40")[factor].parse().unwrap();
    assert!(late > 1.0 && late < 1.1, "{late}");
    let later: f64 = on("40")[wait].parse().unwrap();
    assert!(later < 60.0, "{later}");
}

/// The daily rates of old are refused, each with what replaced it.
#[test]
fn the_old_daily_rates_are_refused_with_what_replaced_them() {
    let text = format!(
        "{BASE}\n[satisfaction]\nexpectation_improve_rate = 0.5\nexpectation_worsen_rate = 0.1\n"
    );
    refuse(
        "old-rates",
        &text,
        &[
            expect(
                line_of(&text, "expectation_improve_rate"),
                Some("satisfaction.expectation_improve_rate"),
                "was replaced by `expectations_adapt` and `expectation_time_better`",
                Some("expectation_time_better = \"2w\""),
            ),
            expect(
                line_of(&text, "expectation_worsen_rate"),
                Some("satisfaction.expectation_worsen_rate"),
                "was replaced by `expectations_adapt` and `expectation_time_worse`",
                Some("0.1 is about 9.5 days"),
            ),
        ],
    );
}

/// Word of mouth moves at midnight: a delay of whole days, at least one; a gain within 0
/// to 1; time constants of 0 or more.
#[test]
fn bad_dynamics_values_are_refused() {
    let cases = [
        (
            "word_of_mouth_delay = \"36h\"",
            "word_of_mouth_delay",
            "is not a whole number of days",
        ),
        (
            "word_of_mouth_delay = 0",
            "word_of_mouth_delay",
            "is outside 86400 to",
        ),
        (
            "word_of_mouth_gain = 1.5",
            "word_of_mouth_gain",
            "is outside 0 to 1",
        ),
        (
            "expectation_time_better = -1",
            "expectation_time_better",
            "invalid duration",
        ),
        (
            "word_of_mouth_time = \"600w\"",
            "word_of_mouth_time",
            "is outside 0 to",
        ),
    ];
    for (line, key, message) in cases {
        let text = format!("{BASE}\n[satisfaction]\nword_of_mouth = true\n{line}\n");
        let full: &'static str = Box::leak(format!("satisfaction.{key}").into_boxed_str());
        refuse(
            key,
            &text,
            &[expect(line_of(&text, line), Some(full), message, None)],
        );
    }
}
