//! `rappel compare` of a 2×2 design (the flagship, `scenarios/flagship/`): effects.csv
//! agrees with the paired differences of compare.csv, does not depend on the order of the
//! cells after the baseline, and bad designs are refused before anything runs.

use crate::common::{rappel, read_csv, root};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The flagship's four files, in the order of `order` (1-based file numbers).
fn flagship(order: [usize; 4]) -> Vec<PathBuf> {
    let names = [
        "1-modest-call-back-later",
        "2-modest-immediate",
        "3-empowered-call-back-later",
        "4-empowered-immediate",
    ];
    order
        .iter()
        .map(|&i| root().join(format!("scenarios/flagship/{}.toml", names[i - 1])))
        .collect()
}

/// Runs `compare` on `files` (3 replications) into `out`, with `extra` flags; its stdout.
fn compare(files: &[PathBuf], out: &Path, extra: &[&str]) -> String {
    let a = rappel()
        .args(["compare", "--quiet", "--replications", "3", "--out"])
        .arg(out)
        .args(extra)
        .args(files)
        .assert()
        .success();
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// A value of a CSV row by column name.
fn cell<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    &row[header.iter().position(|h| h == name).unwrap()]
}

/// Metrics defined in every replication, so that an effect and the paired differences
/// average the same replications.
const ALWAYS: [&str; 8] = [
    "offered_contacts",
    "csat_mean",
    "nps",
    "cost_per_ticket",
    "accessibility",
    "outcome_answered",
    "resolved_share",
    "first_call_resolution",
];

#[test]
fn each_effect_is_the_mean_of_two_paired_differences() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let text = compare(&flagship([1, 2, 3, 4]), &out, &[]);
    assert!(text.contains("Effects of the 2×2"), "{text}");
    assert!(
        text.contains("Of the NPS gap between the corners (A → D"),
        "{text}"
    );
    let (ch, crows) = read_csv(&out.join("compare.csv"));
    let diff = |metric: &str, scenario: &str| -> f64 {
        let r = crows
            .iter()
            .find(|r| cell(&ch, r, "metric") == metric && cell(&ch, r, "scenario") == scenario)
            .unwrap();
        cell(&ch, r, "diff").parse().unwrap()
    };
    let (eh, erows) = read_csv(&out.join("effects.csv"));
    assert_eq!(
        eh,
        [
            "metric",
            "unit",
            "factor_or_interaction",
            "estimate",
            "ci95_low",
            "ci95_high",
            "replications",
            "paired"
        ]
    );
    let effect = |metric: &str, term: &str| -> f64 {
        let r = erows
            .iter()
            .find(|r| {
                cell(&eh, r, "metric") == metric && cell(&eh, r, "factor_or_interaction") == term
            })
            .unwrap_or_else(|| panic!("no {metric} {term}"));
        assert_eq!(cell(&eh, r, "replications"), "3");
        assert_eq!(cell(&eh, r, "paired"), "1");
        cell(&eh, r, "estimate").parse().unwrap()
    };
    for m in ALWAYS {
        // y11 = A, y21 = B (the flow changed), y12 = C (the team), y22 = D (both).
        let (b, c, d) = (
            diff(m, "modest-immediate"),
            diff(m, "empowered-call-back-later"),
            diff(m, "empowered-immediate"),
        );
        let close = |u: f64, v: f64| {
            assert!(
                (u - v).abs() <= 1e-9 * (1.0 + u.abs().max(v.abs())),
                "{m}: {u} vs {v}"
            )
        };
        close(effect(m, "flow"), (b + (d - c)) / 2.0);
        close(effect(m, "team"), (c + (d - b)) / 2.0);
        close(effect(m, "flow:team"), ((d - c) - b) / 2.0);
        // The corners' gap is the sum of the main effects.
        close(effect(m, "flow") + effect(m, "team"), d);
    }
    // Three effects per metric.
    assert_eq!(erows.len() % 3, 0);
    assert!(erows.len() >= 150, "{} rows", erows.len());
}

#[test]
fn the_order_of_the_cells_after_the_baseline_changes_no_byte_of_the_effects() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    compare(&flagship([1, 2, 3, 4]), &a, &[]);
    compare(&flagship([1, 4, 3, 2]), &b, &["--threads", "1"]);
    let read = |p: &Path| std::fs::read(p.join("effects.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
}

#[test]
fn the_design_is_in_the_json_and_the_report() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let json = compare(
        &flagship([1, 2, 3, 4]),
        &out,
        &["--format", "json", "--report"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &v["design"];
    assert_eq!(d["factors"][0]["name"], "flow");
    assert_eq!(d["factors"][1]["levels"][1], "empowered");
    assert_eq!(d["cells"][3]["scenario"], "empowered-immediate");
    assert_eq!(d["cells"][1]["levels"]["flow"], "immediate answer");
    assert_eq!(d["cells"][1]["levels"]["team"], "modest");
    assert_eq!(d["paired"], true);
    assert!(d["effects"].as_array().unwrap().len() >= 150);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(file["design"]["factors"], d["factors"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    crate::report::check_page(&html);
    for tag in ["table", "tr", "td", "th", "p", "div"] {
        let open =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        assert_eq!(open, html.matches(&format!("</{tag}>")).count(), "<{tag}>");
    }
    assert!(html.contains("Effects of the 2×2 design"));
    assert!(html.contains("flow (call back later → immediate answer)"));
    assert!(html.contains("Of the NPS gap between the corners"));
}

#[test]
fn a_comparison_without_factors_writes_no_effects() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let files = [
        root().join("scenarios/provider-call-back-later.toml"),
        root().join("scenarios/retailer-immediate.toml"),
    ];
    let text = compare(&files, &out, &[]);
    assert!(!text.contains("Effects of the 2×2"));
    assert!(!out.join("effects.csv").exists());
}

#[test]
fn factors_from_the_command_line_declare_a_design() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let files = [
        root().join("scenarios/provider-call-back-later.toml"),
        root().join("scenarios/virtual-hold.toml"),
        root().join("scenarios/retailer-immediate.toml"),
        root().join("scenarios/appointments.toml"),
    ];
    // Not a real 2×2 of these four, but the flags alone make one.
    compare(
        &files,
        &out,
        &["--factor", "x=a,b,a,b", "--factor", "y=c,c,d,d"],
    );
    let (h, rows) = read_csv(&out.join("effects.csv"));
    assert!(
        rows.iter()
            .any(|r| cell(&h, r, "factor_or_interaction") == "x:y")
    );
}

#[test]
fn cells_on_other_customers_give_unpaired_effects() {
    let tmp = TempDir::new().unwrap();
    let mut files = flagship([1, 2, 3, 4]);
    let text = std::fs::read_to_string(&files[3]).unwrap();
    let other = tmp.path().join("busier.toml");
    std::fs::write(
        &other,
        text.replace("rates_per_hour = [120,", "rates_per_hour = [130,"),
    )
    .unwrap();
    files[3] = other;
    let out = tmp.path().join("out");
    let stdout = compare(&files, &out, &[]);
    assert!(stdout.contains("(unpaired: the cells do not share their customers)"));
    let (h, rows) = read_csv(&out.join("effects.csv"));
    assert!(rows.iter().all(|r| cell(&h, r, "paired") == "0"));
}

/// `compare` of `files` with `extra` flags fails with exit 2 and a message with `expected`
/// and a help line, and writes nothing.
fn refused(files: &[PathBuf], extra: &[&str], expected: &str) {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let a = rappel()
        .args(["compare", "--quiet", "--out"])
        .arg(&out)
        .args(extra)
        .args(files)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!out.exists());
}

#[test]
fn bad_designs_exit_2_with_what_to_do() {
    let old = root().join("scenarios/provider-call-back-later.toml");
    let mut half = flagship([1, 2, 3, 4]);
    half[3] = old.clone();
    refused(&half, &[], "but not by ");
    refused(
        &half[..3],
        &["--factor", "team=a,a,b"],
        "needs 4 scenarios, one per cell, not 3",
    );
    let mut twice = flagship([1, 2, 3, 4]);
    twice[3] = twice[1].clone();
    refused(&twice, &[], "are the same cell");
    refused(
        &flagship([1, 2, 3, 4]),
        &["--factor", "flow=a,b"],
        "gives 2 levels for 4 scenarios",
    );
    refused(&flagship([1, 2, 3, 4]), &["--factor", "team"], "has no `=`");
    refused(
        &flagship([1, 2, 3, 4]),
        &["--factor", "site=x,x,y,y"],
        "3 factors are declared (flow, site, team)",
    );
    refused(
        &flagship([1, 2, 3, 4]),
        &["--factor", "flow=a,b,c,a"],
        "factor flow has 3 levels (a, b, c)",
    );
    // A bad [factors] table is a scenario error, with its line.
    let tmp = TempDir::new().unwrap();
    let bad = tmp.path().join("bad.toml");
    let text = std::fs::read_to_string(&flagship([1, 2, 3, 4])[0]).unwrap();
    std::fs::write(
        &bad,
        text.replace("team = \"modest\"", "\"the team!\" = \"modest\""),
    )
    .unwrap();
    refused(&[bad, old], &[], "cannot name a factor");
}
