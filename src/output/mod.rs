//! Everything rappel writes: files (one module per command, through the one CSV writer and
//! the one JSON writer, with one provenance record), the terminal's tables and histograms,
//! and how numbers are formatted.

pub(crate) mod breakdown;
pub mod calls;
mod compare;
pub mod csv;
pub mod fault;
mod files;
pub mod fit;
mod folder;
mod format;
pub mod json;
mod provenance;
mod roster;
mod run;
pub mod shard;
pub mod signals;
pub(crate) mod staff;
pub(crate) mod sweep;
mod terminal;
pub(crate) mod tickets;

pub use breakdown::{
    BREAKDOWN_COLUMNS, BreakdownRow, breakdown_csv, breakdown_rows, channel_estimate,
    customer_estimate, team_estimate, team_warnings, type_estimate,
};
pub use calls::call_header;
pub use compare::{CompareInfo, EFFECT_COLUMNS, compare_json, write_compare_files};
pub use files::{AtomicDir, write_in_place};
pub use folder::{FolderError, KNOWN_FILES};
pub use format::{MISSING, duration, human, num, percent, signed};
pub use provenance::{Head, Provenance, Runs, ScenarioInfo, Scenarios, Source, Tail, sha256_hex};
pub use roster::{RosterSummary, roster_line, roster_summary};
pub use run::{PrecisionInfo, ReplicationsFile, RunInfo, replications_header, write_run_files};
pub use terminal::{
    IntervalFigures, Paint, breakdown_text, compact_text, compare_text, compare_text_with,
    comparison_table, csat_histogram, erlang_figures_json, erlang_figures_table,
    erlang_intervals_json, erlang_intervals_table, headline, histogram, precision_line, run_text,
    side_by_side, staff_report, summary_json, summary_table, sweep_table, wait_histograms,
};
pub(crate) use terminal::{comparison_metrics, effect_metrics, gap_sentence};
pub use tickets::ticket_header;

/// Version of the output files' layout, written to `run.json`; additive changes keep it.
pub const SCHEMA_VERSION: u32 = 1;
