//! The files of `rappel compare`: `compare.csv`, `compare.json`, and `effects.csv` for a
//! 2×2 design.

use super::csv::csv_bytes;
use super::files::AtomicDir;
use super::provenance::{Head, Provenance, Runs, Scenarios, Source, Tail};
use super::{json, num};
use crate::factorial::Effects;
use crate::run::RunResult;
use serde::Serialize;

/// What produced a comparison (`compare.json`).
#[derive(Debug, Serialize)]
pub struct CompareInfo<'a> {
    /// Versions, the baseline and every scenario.
    #[serde(flatten)]
    pub head: Head<'a>,
    /// Seed and replications shared by every scenario.
    #[serde(flatten)]
    pub runs: Runs,
    /// The scenarios whose differences are unpaired, because they do not see the
    /// baseline's customers, each with why; empty when every difference is paired.
    pub unpaired: Vec<UnpairedInfo<'a>>,
    /// What the reader must be told (the terminal's `warning:` lines, without the prefix).
    pub warnings: Vec<String>,
    /// The 2×2 design and its effects (as in `--format json`), or null.
    pub design: Option<serde_json::Value>,
    /// Wall time of all runs and files written.
    #[serde(flatten)]
    pub tail: Tail<'a>,
}

/// A scenario of `compare.json` whose differences are unpaired.
#[derive(Debug, Serialize)]
pub struct UnpairedInfo<'a> {
    /// Its name in compare.csv.
    pub scenario: &'a str,
    /// What differs from the baseline's customers.
    pub reasons: &'a [String],
}

/// The columns of `effects.csv`.
pub const EFFECT_COLUMNS: [&str; 8] = [
    "metric",
    "unit",
    "factor_or_interaction",
    "estimate",
    "ci95_low",
    "ci95_high",
    "replications",
    "paired",
];

/// The rows of `effects.csv`: per metric (in output order), each factor's main effect then
/// the interaction (named `first:second`).
fn effect_rows(e: &Effects) -> impl Iterator<Item = Vec<String>> + '_ {
    e.effects.iter().map(|x| {
        vec![
            x.metric.name().into(),
            x.metric.unit().into(),
            e.design.term_name(x.term),
            num(x.estimate.mean),
            num(x.estimate.ci95_low),
            num(x.estimate.ci95_high),
            x.estimate.n.to_string(),
            if e.paired { "1" } else { "0" }.into(),
        ]
    })
}

/// The design and effects as JSON: the factors and their levels (the baseline's first),
/// each cell's scenario, whether paired, and a row per metric and effect.
fn effects_value(e: &Effects, names: &[String]) -> serde_json::Value {
    let opt = |v: f64| v.is_finite().then_some(v);
    let d = &e.design;
    let cell = |i: usize, j: usize| {
        let mut levels = serde_json::Map::new();
        levels.insert(
            d.factors[0].name.clone(),
            d.factors[0].levels[i].clone().into(),
        );
        levels.insert(
            d.factors[1].name.clone(),
            d.factors[1].levels[j].clone().into(),
        );
        serde_json::json!({ "levels": levels, "scenario": names.get(d.cells[i][j]) })
    };
    serde_json::json!({
        "factors": d.factors.iter().map(|f| serde_json::json!({
            "name": f.name, "levels": f.levels,
        })).collect::<Vec<_>>(),
        "cells": [cell(0, 0), cell(1, 0), cell(0, 1), cell(1, 1)],
        "paired": e.paired,
        "effects": e.effects.iter().map(|x| serde_json::json!({
            "metric": x.metric.name(),
            "unit": x.metric.unit(),
            "factor_or_interaction": d.term_name(x.term),
            "estimate": opt(x.estimate.mean),
            "ci95_low": opt(x.estimate.ci95_low),
            "ci95_high": opt(x.estimate.ci95_high),
            "replications": x.estimate.n,
            "significant": x.significant(),
        })).collect::<Vec<_>>(),
    })
}

/// Adds `compare.csv` and `compare.json` to `dir`, and `effects.csv` when the comparison
/// is a 2×2 design (`effects`).
#[allow(clippy::too_many_arguments)]
pub fn write_compare_files(
    dir: &mut AtomicDir,
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    effects: Option<&Effects>,
    paths: &[String],
    texts: &[String],
) {
    if let Some(e) = effects {
        dir.add("effects.csv", csv_bytes(&EFFECT_COLUMNS, effect_rows(e)));
    }
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
                "paired",
            ],
            rows.iter().map(|r| {
                let flag = |b: bool| if b { "1" } else { "0" }.to_string();
                let (d, lo, hi, sig, paired) = match r.diff {
                    Some(d) => (
                        num(d.mean),
                        num(d.ci95_low),
                        num(d.ci95_high),
                        flag(r.significant()),
                        flag(r.paired),
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
                    paired,
                ]
            }),
        ),
    );
    let mut files = dir.names();
    files.push("compare.json".into());
    let first = &runs[0].scenario.simulation;
    let provenance = Provenance {
        scenarios: Scenarios::Compared(
            names
                .iter()
                .zip(paths)
                .zip(texts)
                .map(|((name, path), text)| Source { name, path, text })
                .collect(),
        ),
        seed: first.seed,
        replications: first.replications,
        events: None,
        wall_time_s: runs.iter().map(|r| r.wall_time_s).sum(),
        files,
    };
    let unshared = crate::compare::unshared(runs, names);
    let info = CompareInfo {
        head: provenance.head(),
        runs: provenance.runs(),
        unpaired: unshared
            .iter()
            .map(|u| UnpairedInfo {
                scenario: &u.scenario,
                reasons: &u.reasons,
            })
            .collect(),
        warnings: crate::compare::warnings(runs, names),
        design: effects.map(|e| effects_value(e, names)),
        tail: provenance.tail(),
    };
    dir.add("compare.json", json::file_bytes(&info));
}

/// The comparison as JSON for standard output (`rappel compare --format json`): the
/// scenarios, seed and replications, the unpaired scenarios, the warnings, and a row per
/// metric and scenario with its estimate and its difference from the baseline (the rows of
/// `compare.csv`, in the same order), and the 2×2 design with its effects (`design`, null
/// without one).
pub fn compare_json(
    runs: &[RunResult],
    names: &[String],
    rows: &[crate::compare::Row],
    effects: Option<&Effects>,
) -> String {
    let opt = |v: f64| v.is_finite().then_some(v);
    let first = &runs[0].scenario.simulation;
    let metrics: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let d = r.diff;
            serde_json::json!({
                "metric": r.metric.name(),
                "unit": r.metric.unit(),
                "scenario": r.scenario,
                "mean": opt(r.estimate.mean),
                "ci95_low": opt(r.estimate.ci95_low),
                "ci95_high": opt(r.estimate.ci95_high),
                "diff": d.and_then(|d| opt(d.mean)),
                "diff_ci95_low": d.and_then(|d| opt(d.ci95_low)),
                "diff_ci95_high": d.and_then(|d| opt(d.ci95_high)),
                "significant": d.map(|_| r.significant()),
                "paired": d.map(|_| r.paired),
            })
        })
        .collect();
    let unshared = crate::compare::unshared(runs, names);
    let v = serde_json::json!({
        "baseline": names[0],
        "scenarios": names,
        "seed": first.seed,
        "replications": first.replications,
        "unpaired": unshared
            .iter()
            .map(|u| serde_json::json!({"scenario": u.scenario, "reasons": u.reasons}))
            .collect::<Vec<_>>(),
        "warnings": crate::compare::warnings(runs, names),
        "metrics": metrics,
        "design": effects.map(|e| effects_value(e, names)),
    });
    json::pretty(&v)
}
