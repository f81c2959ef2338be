//! `calls.csv`: one row per counted inbound call (`rappel run --calls`), streamed to disk
//! replication by replication, in the columns `rappel fit` reads.
//!
//! Each column is one line of [`CALL_FIELDS`]: its name and how its value is built from the
//! call, so that a column is added (or moved) in one place.

use super::csv::{FileRows, header_line};
use super::num;
use crate::centre::CallRecord;
use crate::scenario::Scenario;
use std::path::Path;

/// What a row is built from: the scenario, the replication and the call.
#[derive(Debug, Clone, Copy)]
pub struct CallRow<'a> {
    /// The scenario (its name, types and teams).
    pub scenario: &'a Scenario,
    /// 0-based replication.
    pub replication: u32,
    /// The call.
    pub call: &'a CallRecord,
}

/// How one column's value is built.
pub type CallField = fn(&CallRow<'_>) -> String;

/// The columns of `calls.csv`, in order, documented in docs/metrics.md: each its name and
/// its value.
pub const CALL_FIELDS: &[(&str, CallField)] = &[
    ("scenario", |r| r.scenario.name.clone()),
    ("replication", |r| r.replication.to_string()),
    ("ticket", |r| r.call.ticket.to_string()),
    ("call", |r| r.call.attempt.to_string()),
    ("type", |r| {
        r.scenario.ticket_types[r.call.ticket_type as usize]
            .name
            .clone()
    }),
    ("channel", |r| {
        r.scenario.ticket_types[r.call.ticket_type as usize]
            .channel
            .name()
            .to_string()
    }),
    ("arrival_s", |r| num(r.call.arrival)),
    ("wait_s", |r| num(r.call.wait)),
    ("outcome", |r| r.call.outcome.name().to_string()),
    ("handle_s", |r| num(r.call.handle)),
    ("team", |r| {
        r.call
            .agent
            .map_or(String::new(), |(k, _)| r.scenario.teams[k].name.clone())
    }),
    ("agent", |r| {
        r.call.agent.map_or(String::new(), |(_, a)| a.to_string())
    }),
];

/// The column names of `calls.csv`.
pub fn call_columns() -> Vec<&'static str> {
    CALL_FIELDS.iter().map(|(name, _)| *name).collect()
}

/// The header line of `calls.csv`.
pub fn call_header() -> Vec<u8> {
    header_line(call_columns())
}

/// One row of `calls.csv`.
pub fn call_row(row: &CallRow<'_>) -> Vec<String> {
    CALL_FIELDS.iter().map(|(_, value)| value(row)).collect()
}

/// The rows of one replication's calls, written to a file (no header).
#[derive(Debug)]
pub struct CallFile {
    rows: FileRows,
}

impl CallFile {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            rows: FileRows::create(path)?,
        })
    }

    /// Writes the row of one call.
    pub fn write(
        &mut self,
        s: &Scenario,
        replication: u32,
        call: &CallRecord,
    ) -> std::io::Result<()> {
        self.rows.row(call_row(&CallRow {
            scenario: s,
            replication,
            call,
        }))
    }

    /// Flushes the rows to disk.
    pub fn finish(self) -> std::io::Result<()> {
        self.rows.close()
    }
}
