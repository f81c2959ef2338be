//! The HTML report of a comparison of four scenarios, read as text: the header's facts,
//! each scenario's run warnings, the table in the run table's order (the browser test of
//! the same page is in `report_browser.rs`).

use crate::common::rappel;
use crate::report::{centre, check_charts, check_response, table_row};
use std::path::{Path, PathBuf};

/// The four scenarios' names and agents: understaffed to well staffed.
pub(crate) const FOUR: [(&str, u32); 4] = [
    ("eight agents, call back later", 8),
    ("ten agents", 10),
    ("twelve agents", 12),
    ("fourteen agents, threshold 30 s", 14),
];

/// Scenario `k` of [`FOUR`] over `days` days; the first tells callers to call back later
/// beyond 3 in the queue (a run warning: callers turned away), the last has a
/// service-level threshold of 30 s.
pub(crate) fn four_scenario(k: usize, days: u32) -> String {
    let (name, agents) = FOUR[k];
    let mut text = centre(name, agents).replace("days = 1", &format!("days = {days}"));
    if k == 0 {
        text.push_str("[entry]\nflow = \"call_back_later\"\nmax_queue = 3\n");
    }
    if k == 3 {
        text = text.replace(
            "[simulation]\n",
            "[simulation]\nservice_level_threshold = \"30s\"\n",
        );
    }
    assert!(text.contains(&format!("days = {days}")), "{text}");
    text
}

/// Writes the four scenarios into `dir`, compares them with `--report`; returns
/// report.html and the scenario files.
pub(crate) fn four_compared(dir: &Path, days: u32) -> (PathBuf, Vec<PathBuf>) {
    let files: Vec<PathBuf> = (0..FOUR.len())
        .map(|k| {
            let f = dir.join(format!("s{k}.toml"));
            std::fs::write(&f, four_scenario(k, days)).unwrap();
            f
        })
        .collect();
    let out = dir.join("compare4");
    rappel()
        .args(["compare", "--quiet", "--report", "--out"])
        .arg(&out)
        .args(&files)
        .assert()
        .success();
    (out.join("report.html"), files)
}

#[test]
fn a_four_scenario_comparison_shows_the_run_pages_facts_and_each_scenarios_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let (page, files) = four_compared(tmp.path(), 1);
    let html = std::fs::read_to_string(&page).unwrap();
    check_charts(&html, 4);
    check_response(&html);
    // More than two names would not make a heading: the baseline, and a count.
    assert!(
        html.contains("<span class=\"vs\">vs</span> 3 other scenarios</h1>"),
        "heading"
    );
    // The header facts of the one-run page; a fact the scenarios do not share lists each.
    for fact in [
        "<dt>Seed</dt><dd>11</dd>".to_string(),
        "<dt>Replications</dt><dd>4</dd>".to_string(),
        "<dt>Simulated</dt><dd>1 d</dd>".to_string(),
        "<dt>Warm-up</dt><dd>0 s</dd>".to_string(),
        "<dt>Service level threshold</dt><dd>20 s / 20 s / 20 s / 30 s</dd>".to_string(),
        format!("<dt>rappel</dt><dd>{}</dd>", env!("CARGO_PKG_VERSION")),
    ] {
        assert!(html.contains(&fact), "no `{fact}` in the header");
    }
    // Each scenario's run warnings (as `rappel run` gives them in run.json), under its name.
    let mut shown = 0;
    for (k, file) in files.iter().enumerate() {
        let out = tmp.path().join(format!("run{k}"));
        rappel()
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .arg(file)
            .assert()
            .success();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
        for w in json["warnings"].as_array().unwrap() {
            let text = w.as_str().unwrap().replace('\'', "&#39;");
            let name = FOUR[k].0;
            let found = html
                .split("<p class=\"scenario-warning\">")
                .skip(1)
                .any(|p| {
                    let p = &p[..p.find("</p>").unwrap()];
                    p.contains(&format!("{name}:</b>")) && p.contains(&text)
                });
            assert!(found, "the warning of {name} is not shown: {text}");
            shown += 1;
        }
    }
    // The understaffed centre has something to warn about: the test is not empty.
    assert!(shown > 0, "no scenario had a run warning");
    // The table in the run table's order, the outcomes indented under the calls offered.
    let order = [
        "Calls offered, which ended:",
        "answered",
        "abandoned in the queue",
        "Service level",
        "Mean wait",
        "Agent occupancy",
        "Tickets",
    ];
    let mut at = 0;
    for label in order {
        let pos = html
            .find(&format!("<td>{label}"))
            .unwrap_or_else(|| panic!("no row {label}"));
        assert!(pos > at, "row {label} out of order");
        at = pos;
    }
    assert!(table_row(&html, "Mean wait").is_some());
    assert!(html.contains("<tr class=\"group\"><td>Calls offered, which ended:</td>"));
    assert!(html.contains("<tr class=\"outcome\"><td>answered</td>"));
    // Short column keys: A is the baseline, D − A a difference.
    assert!(html.contains("<th>D − A</th>"));
    assert!(!html.contains("overflow-x"), "the table scrolls sideways");
    assert!(html.contains("@media print"));
}
