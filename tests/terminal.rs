//! The terminal views of `run` and `compare` at 80 and 120 columns: snapshots of one, two
//! and four scenarios (`tests/snapshots/terminal-*.txt`; `UPDATE_SNAPSHOTS=1` rewrites them,
//! then review `git diff tests/snapshots/`), and the rules every width keeps: no line wider
//! than the terminal, no scenario name split across lines, no zero difference starred,
//! a compact run within 24 lines at 80 columns.

use crate::common::{root, shipped};
use rappel::compare::{distinct_names, rows};
use rappel::output::{compact_text, compare_text, run_text};
use rappel::run::{RunResult, run_compared, run_scenario};
use rappel::scenario::Scenario;

/// A shipped scenario with few replications and a fixed seed.
fn scenario(name: &str, replications: u32) -> Scenario {
    let path = root().join("scenarios").join(format!("{name}.toml"));
    let mut s = Scenario::from_file(&path).unwrap();
    s.simulation.replications = replications;
    s.simulation.seed = 11;
    s
}

/// `compare`'s full text for the scenarios at `width`, and their names.
fn compared(names: &[&str], width: u16, compact: bool) -> (String, Vec<String>) {
    let scenarios: Vec<Scenario> = names.iter().map(|n| scenario(n, 4)).collect();
    let runs: Vec<RunResult> = run_compared(&scenarios, None, |_| {});
    let names = distinct_names(&runs);
    let rows = rows(&runs, &names);
    (compare_text(&runs, &names, &rows, width, compact), names)
}

const TWO: [&str; 2] = ["provider-call-back-later", "virtual-hold"];
const FOUR: [&str; 4] = [
    "provider-call-back-later",
    "virtual-hold",
    "retailer-immediate",
    "provider-call-back-later",
];

/// Compares `text` with `tests/snapshots/terminal-<name>.txt`, or rewrites it.
fn snapshot(name: &str, text: &str) {
    let file = root().join(format!("tests/snapshots/terminal-{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&file, text).unwrap();
        return;
    }
    let saved = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1",
            file.display()
        )
    });
    assert!(
        saved == text,
        "{} differs; if intended, UPDATE_SNAPSHOTS=1 cargo test --release terminal_ and review \
         `git diff tests/snapshots/`\nnow:\n{text}",
        file.display()
    );
}

/// Every line within `width` columns.
fn fits(text: &str, width: usize) {
    for l in text.lines() {
        assert!(
            l.chars().count() <= width,
            "{} > {width}: {l}\n{text}",
            l.chars().count()
        );
    }
}

/// No name cut between a line and the next, and each named whole somewhere.
fn names_whole(text: &str, names: &[String]) {
    let lines: Vec<&str> = text.lines().collect();
    for n in names {
        assert!(text.contains(n.as_str()), "{n} not named whole:\n{text}");
        for w in lines.windows(2) {
            for (k, _) in n.char_indices().skip(1) {
                let (head, tail) = n.split_at(k);
                assert!(
                    !(w[0].trim_end().ends_with(head) && w[1].trim_start().starts_with(tail)),
                    "{n} split:\n{}\n{}",
                    w[0],
                    w[1]
                );
            }
        }
    }
}

#[test]
fn terminal_snapshots_of_one_two_and_four_scenarios() {
    let r = run_scenario(&scenario("provider-call-back-later", 4), None, |_| {});
    for width in [80u16, 120] {
        let full = run_text(&r, width, false);
        fits(&full, usize::from(width));
        snapshot(&format!("run-{width}"), &full);
        snapshot(&format!("run-compact-{width}"), &compact_text(&r, width));
        for (k, set) in [(2, &TWO[..]), (4, &FOUR[..])] {
            let (text, names) = compared(set, width, false);
            fits(&text, usize::from(width));
            names_whole(&text, &names);
            snapshot(&format!("compare-{k}-{width}"), &text);
        }
    }
}

#[test]
fn one_to_six_scenarios_fit_80_columns_without_splitting_a_name() {
    let all = [
        "provider-call-back-later",
        "virtual-hold",
        "retailer-immediate",
        "appointments",
        "erlang-a",
        "provider-call-back-later",
    ];
    for k in 2..=all.len() {
        for width in [80u16, 100, 120] {
            for compact in [false, true] {
                let (text, names) = compared(&all[..k], width, compact);
                fits(&text, usize::from(width));
                names_whole(&text, &names);
            }
        }
    }
}

#[test]
fn a_scenario_compared_with_itself_has_no_starred_difference() {
    let set = ["retailer-immediate", "retailer-immediate"];
    for width in [80u16, 120] {
        let (text, _) = compared(&set, width, false);
        let starred: Vec<&str> = text
            .lines()
            .filter(|l| l.contains('*') && !l.starts_with("* ="))
            .collect();
        assert!(starred.is_empty(), "{starred:?}\n{text}");
        assert!(
            text.contains("B vs A: no difference that matters"),
            "{text}"
        );
    }
}

#[test]
fn compact_runs_of_every_shipped_scenario_take_at_most_24_lines_at_80_columns() {
    for path in shipped() {
        let mut s = Scenario::from_file(&path).unwrap();
        s.simulation.replications = s.simulation.replications.min(3);
        let r = run_scenario(&s, None, |_| {});
        let text = compact_text(&r, 80);
        assert!(text.lines().count() <= 24, "{}:\n{text}", path.display());
        fits(&text, 80);
    }
}

#[test]
fn a_compact_comparison_of_four_takes_at_most_24_lines_at_80_columns() {
    for compact in [true, false] {
        let (text, names) = compared(&FOUR, 80, compact);
        fits(&text, 80);
        names_whole(&text, &names);
        if compact {
            assert!(
                text.lines().count() <= 24,
                "{} lines:\n{text}",
                text.lines().count()
            );
        }
    }
    // The flagship 2×2, whose compact view shows its effects instead of the verdict.
    use rappel::factorial::{EffectsFold, design, effects};
    let files: Vec<std::path::PathBuf> = [
        "1-modest-call-back-later",
        "2-modest-immediate",
        "3-empowered-call-back-later",
        "4-empowered-immediate",
    ]
    .iter()
    .map(|n| root().join(format!("scenarios/flagship/{n}.toml")))
    .collect();
    let scenarios: Vec<Scenario> = files
        .iter()
        .map(|p| {
            let mut s = Scenario::from_file(p).unwrap();
            s.simulation.replications = 4;
            s
        })
        .collect();
    let labels: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let declared: Vec<_> = scenarios.iter().map(|s| s.factors.clone()).collect();
    let d = design(&labels, &declared, &[]).unwrap().unwrap();
    let mut fold = EffectsFold::new(&d);
    let runs = rappel::run::run_compared_each(&scenarios, None, |_| {}, |reps| fold.fold(reps));
    let e = effects(&d, &runs, &fold);
    let names = distinct_names(&runs);
    let rows = rows(&runs, &names);
    let plain: rappel::output::Paint = &|t, _, _| t.to_string();
    for width in [80u16, 120] {
        let text =
            rappel::output::compare_text_with(&runs, &names, &rows, Some(&e), width, true, plain);
        fits(&text, usize::from(width));
        names_whole(&text, &names);
        assert!(
            text.lines().count() <= 24,
            "{} lines:\n{text}",
            text.lines().count()
        );
        assert!(
            text.contains("Of the NPS gap between the corners"),
            "{text}"
        );
        let full =
            rappel::output::compare_text_with(&runs, &names, &rows, Some(&e), width, false, plain);
        fits(&full, usize::from(width));
        assert!(full.contains("flow × team"), "{full}");
    }
}
