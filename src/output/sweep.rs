//! The files of `rappel sweep`: sweep.csv and sweep.json.

use super::csv::csv_bytes;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::stats::Metric;
use crate::sweep::*;
use toml::Value;

/// `sweep.csv`: one column per swept key, then [`METRIC_COLUMNS`]; a row per point and metric.
pub fn sweep_csv(r: &SweepResult) -> Vec<u8> {
    let header = r.axes.iter().map(|a| a.key.as_str()).chain(METRIC_COLUMNS);
    let rows = r.points.iter().flat_map(|(values, run)| {
        let n = run.replications().to_string();
        Metric::ALL.into_iter().map(move |m| {
            let e = run.estimate(m);
            values
                .iter()
                .map(value_text)
                .chain([
                    m.name().to_string(),
                    m.unit().to_string(),
                    num(e.mean),
                    num(e.ci95_low),
                    num(e.ci95_high),
                    n.clone(),
                ])
                .collect::<Vec<_>>()
        })
    });
    csv_bytes(header, rows)
}

/// One swept key in `sweep.json`.
#[derive(Debug, serde::Serialize)]
struct KeyInfo<'a> {
    key: &'a str,
    values: &'a [Value],
}

/// What produced `sweep.csv` (`sweep.json`).
#[derive(Debug, serde::Serialize)]
struct SweepInfo<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    #[serde(flatten)]
    runs: Runs,
    keys: Vec<KeyInfo<'a>>,
    points: usize,
    #[serde(flatten)]
    tail: Tail<'a>,
}

/// `sweep.json`: version, scenario path and hash, seed, replications, the keys and their
/// values, the number of points, events and wall time.
pub fn sweep_json(r: &SweepResult, scenario_path: &str, scenario_text: &str) -> Vec<u8> {
    let first = r.points.first().map(|(_, run)| &run.scenario);
    let provenance = Provenance {
        scenarios: Scenarios::One(Source {
            name: first.map_or("", |s| s.name.as_str()),
            path: scenario_path,
            text: scenario_text,
        }),
        seed: first.map_or(0, |s| s.simulation.seed),
        replications: first.map_or(0, |s| s.simulation.replications),
        events: Some(r.points.iter().map(|(_, run)| run.events()).sum()),
        wall_time_s: r.wall_time_s,
        files: vec!["sweep.csv".into(), "sweep.json".into()],
    };
    let info = SweepInfo {
        head: provenance.head(),
        runs: provenance.runs(),
        keys: r
            .axes
            .iter()
            .map(|a| KeyInfo {
                key: &a.key,
                values: &a.values,
            })
            .collect(),
        points: r.points.len(),
        tail: provenance.tail(),
    };
    json::file_bytes(&info)
}
