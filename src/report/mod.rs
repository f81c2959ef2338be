//! The HTML report: one self-contained page with SVG charts (`--report`).

use crate::compare::Row;
use crate::run::RunResult;

/// The report of one run, as a complete HTML page.
pub fn run_report(_r: &RunResult) -> String {
    String::from("<!doctype html><title>rappel report</title><p>Not built yet.</p>")
}

/// The report of a comparison, as a complete HTML page.
pub fn compare_report(_runs: &[RunResult], _names: &[String], _rows: &[Row]) -> String {
    String::from("<!doctype html><title>rappel comparison</title><p>Not built yet.</p>")
}
