//! What produced a set of output files, recorded the same way in every `*.json` file
//! (`run.json`, `compare.json`, `sweep.json`, `staff.json`).
//!
//! Each field of the record is named and computed once, here. The files place its pieces
//! where their layout has them (with `#[serde(flatten)]`): [`Provenance::head`] first, then
//! [`Provenance::runs`], then the file's own fields, and [`Provenance::tail`] last or
//! nearly so.

use super::SCHEMA_VERSION;
use serde::Serialize;

/// The SHA-256 of a text, in lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A scenario the files come from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its file as given, or the built-in default's name.
    pub path: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// The scenarios the files come from.
#[derive(Debug, Clone)]
pub enum Scenarios<'a> {
    /// One scenario (`run`, `sweep`, `staff`).
    One(Source<'a>),
    /// Scenarios compared, the first being the baseline (`compare`).
    Compared(Vec<Source<'a>>),
}

/// What produced a set of output files.
#[derive(Debug, Clone)]
pub struct Provenance<'a> {
    /// The scenario or scenarios.
    pub scenarios: Scenarios<'a>,
    /// Seed of every replication.
    pub seed: u64,
    /// Replications of every simulation.
    pub replications: u32,
    /// Events processed, where the file records them.
    pub events: Option<u64>,
    /// Wall-clock time, seconds (the one field that varies between runs).
    pub wall_time_s: f64,
    /// Files written.
    pub files: Vec<String>,
}

/// The head of the record: layout and rappel versions, then the scenario (name, path,
/// hash) or the baseline and every scenario compared.
#[derive(Debug, Serialize)]
pub struct Head<'a> {
    schema_version: u32,
    rappel_version: &'static str,
    #[serde(flatten)]
    scenario: Option<OneScenario<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenarios: Option<Vec<ScenarioInfo<'a>>>,
}

/// The one scenario of a run, sweep or staffing search.
#[derive(Debug, Serialize)]
struct OneScenario<'a> {
    scenario: &'a str,
    scenario_path: &'a str,
    scenario_sha256: String,
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

/// Seed and replications.
#[derive(Debug, Serialize)]
pub struct Runs {
    seed: u64,
    replications: u32,
}

/// The tail of the record: events (where recorded), wall time and files written.
#[derive(Debug, Serialize)]
pub struct Tail<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<u64>,
    wall_time_s: f64,
    files: &'a [String],
}

impl<'a> Provenance<'a> {
    /// Versions and scenarios.
    pub fn head(&self) -> Head<'a> {
        let (scenario, baseline, scenarios) = match &self.scenarios {
            Scenarios::One(s) => (
                Some(OneScenario {
                    scenario: s.name,
                    scenario_path: s.path,
                    scenario_sha256: sha256_hex(s.text),
                }),
                None,
                None,
            ),
            Scenarios::Compared(list) => (
                None,
                list.first().map(|s| s.name),
                Some(
                    list.iter()
                        .map(|s| ScenarioInfo {
                            name: s.name,
                            path: s.path,
                            sha256: sha256_hex(s.text),
                        })
                        .collect(),
                ),
            ),
        };
        Head {
            schema_version: SCHEMA_VERSION,
            rappel_version: env!("CARGO_PKG_VERSION"),
            scenario,
            baseline,
            scenarios,
        }
    }

    /// Seed and replications.
    pub fn runs(&self) -> Runs {
        Runs {
            seed: self.seed,
            replications: self.replications,
        }
    }

    /// Events, wall time and files.
    pub fn tail(&self) -> Tail<'_> {
        Tail {
            events: self.events,
            wall_time_s: self.wall_time_s,
            files: &self.files,
        }
    }
}
