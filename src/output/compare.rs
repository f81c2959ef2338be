//! The files of `rappel compare`: `compare.csv` and `compare.json`.

use super::csv::csv_bytes;
use super::files::AtomicDir;
use super::{SCHEMA_VERSION, json, num, sha256_hex};
use crate::run::RunResult;
use serde::Serialize;

/// What produced a comparison (`compare.json`).
#[derive(Debug, Serialize)]
pub struct CompareInfo<'a> {
    /// Layout version of the output files.
    pub schema_version: u32,
    /// rappel's version.
    pub rappel_version: &'static str,
    /// The baseline's name.
    pub baseline: &'a str,
    /// Every scenario: name, file and SHA-256 of its text.
    pub scenarios: Vec<ScenarioInfo<'a>>,
    /// Seed shared by every scenario.
    pub seed: u64,
    /// Replications of every scenario.
    pub replications: u32,
    /// Wall-clock time of all runs, seconds (the one field that varies between runs).
    pub wall_time_s: f64,
    /// Files written.
    pub files: Vec<String>,
}

/// One scenario of a comparison.
#[derive(Debug, Serialize)]
pub struct ScenarioInfo<'a> {
    /// Name in compare.csv.
    pub name: &'a str,
    /// File as given.
    pub path: &'a str,
    /// SHA-256 of the file's text.
    pub sha256: String,
}

/// Adds `compare.csv` and `compare.json` to `dir`.
pub fn write_compare_files(
    dir: &mut AtomicDir,
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    paths: &[String],
    texts: &[String],
) {
    dir.add(
        "compare.csv",
        csv_bytes(
            &[
                "metric",
                "unit",
                "scenario",
                "mean",
                "ci95_low",
                "ci95_high",
                "baseline",
                "diff",
                "diff_ci95_low",
                "diff_ci95_high",
                "significant",
            ],
            rows.iter().map(|r| {
                let (d, lo, hi, sig) = match r.diff {
                    Some(d) => (
                        num(d.mean),
                        num(d.ci95_low),
                        num(d.ci95_high),
                        if r.significant() { "1" } else { "0" }.to_string(),
                    ),
                    None => Default::default(),
                };
                vec![
                    r.metric.name().into(),
                    r.metric.unit().into(),
                    r.scenario.clone(),
                    num(r.estimate.mean),
                    num(r.estimate.ci95_low),
                    num(r.estimate.ci95_high),
                    r.baseline.clone(),
                    d,
                    lo,
                    hi,
                    sig,
                ]
            }),
        ),
    );
    let mut files = dir.names();
    files.push("compare.json".into());
    let first = &runs[0].scenario.simulation;
    let info = CompareInfo {
        schema_version: SCHEMA_VERSION,
        rappel_version: env!("CARGO_PKG_VERSION"),
        baseline: &names[0],
        scenarios: names
            .iter()
            .zip(paths)
            .zip(texts)
            .map(|((name, path), text)| ScenarioInfo {
                name,
                path,
                sha256: sha256_hex(text),
            })
            .collect(),
        seed: first.seed,
        replications: first.replications,
        wall_time_s: runs.iter().map(|r| r.wall_time_s).sum(),
        files,
    };
    dir.add("compare.json", json::file_bytes(&info));
}
