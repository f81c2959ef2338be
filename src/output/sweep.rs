//! The files of `rappel sweep`: sweep.csv and sweep.json.

use super::csv::csv_bytes;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::stats::Metric;
use crate::sweep::*;
use toml::Value;

/// The seconds of every value of `axis` when they are all durations written as text
/// (`"90s"`, `"3m"`): `sweep.csv` then gives them in a numeric column too, which sorts.
fn seconds(axis: &Axis) -> Option<Vec<f64>> {
    axis.values
        .iter()
        .map(|v| match v {
            Value::String(t) if t.chars().any(|c| c.is_ascii_alphabetic()) => {
                crate::scenario::parse_duration(t).ok()
            }
            _ => None,
        })
        .collect()
}

/// `sweep.csv`: one column per swept key (and `KEY_s`, in seconds, beside a key whose values
/// are durations), then [`METRIC_COLUMNS`]; a row per point and metric.
pub fn sweep_csv(r: &SweepResult) -> Vec<u8> {
    let durations: Vec<Option<Vec<f64>>> = r.axes.iter().map(seconds).collect();
    let mut header: Vec<String> = Vec::new();
    for (a, d) in r.axes.iter().zip(&durations) {
        header.push(a.key.clone());
        if d.is_some() {
            header.push(format!("{}_s", a.key));
        }
    }
    header.extend(METRIC_COLUMNS.iter().map(|c| c.to_string()));
    let rows = r.points.iter().flat_map(|(values, run)| {
        let n = run.replications().to_string();
        let mut keys: Vec<String> = Vec::new();
        for ((a, d), v) in r.axes.iter().zip(&durations).zip(values) {
            keys.push(a.text(v));
            if let Some(secs) = d {
                let i = a.values.iter().position(|x| x == v).unwrap_or(0);
                keys.push(num(secs[i]));
            }
        }
        Metric::ALL.into_iter().map(move |m| {
            let e = run.estimate(m);
            keys.iter()
                .cloned()
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
    /// Whether each value is added to the file's (`KEY+=VALUES`).
    change: bool,
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
                change: a.change,
            })
            .collect(),
        points: r.points.len(),
        tail: provenance.tail(),
    };
    json::file_bytes(&info)
}

/// The sweep as JSON for standard output (`rappel sweep --format json`): the seed,
/// replications and keys, then each point's values (by key) and every metric's estimate.
pub fn sweep_stdout_json(r: &SweepResult) -> String {
    let first = r.points.first().map(|(_, run)| &run.scenario);
    let points: Vec<serde_json::Value> = r
        .points
        .iter()
        .map(|(values, run)| {
            let by_key: serde_json::Map<String, serde_json::Value> = r
                .axes
                .iter()
                .zip(values)
                .map(|(a, v)| (a.key.clone(), serde_json::to_value(v).unwrap_or_default()))
                .collect();
            let metrics = json::metrics(run);
            serde_json::json!({ "values": by_key, "metrics": metrics })
        })
        .collect();
    let v = serde_json::json!({
        "scenario": first.map_or("", |s| s.name.as_str()),
        "seed": first.map_or(0, |s| s.simulation.seed),
        "replications": first.map_or(0, |s| s.simulation.replications),
        "keys": r
            .axes
            .iter()
            .map(|a| serde_json::json!({"key": a.key, "values": a.values, "change": a.change}))
            .collect::<Vec<_>>(),
        "points": points,
    });
    json::pretty(&v)
}
