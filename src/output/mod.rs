//! Writers: tidy CSV files, `run.json`, the terminal table and histograms.

mod csv_files;
mod files;
pub(crate) mod staff;
pub(crate) mod sweep;
mod terminal;

pub use csv_files::{sha256_hex, write_compare_files, write_run_files};
pub use files::AtomicDir;
pub(crate) use terminal::{comparison_metrics, human, signed};
pub use terminal::{
    comparison_table, csat_histogram, headline, histogram, side_by_side, summary_json,
    summary_table,
};

/// Version of the output files' layout, written to `run.json`; additive changes keep it.
pub const SCHEMA_VERSION: u32 = 1;

/// Formats a float for CSV: empty when undefined, `inf` when infinite.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        // Shortest representation that round-trips: stable across runs and platforms.
        let s = format!("{v}");
        if s == "-0" { "0".into() } else { s }
    }
}
