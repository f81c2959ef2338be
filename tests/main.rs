//! The integration tests: one binary, a file per theme.

mod account;
mod bad_input_flows;
mod bad_input_fuzz;
mod bad_input_parse;
mod bad_input_values;
mod breakdown;
mod channels;
mod channels_backlog;
mod cli_erlang;
mod cli_precision;
mod cli_run;
mod cli_streams;
mod colour;
mod common;
mod compare;
mod costs;
mod customers;
mod customers_proactive;
mod customers_stock;
mod determinism;
mod docs;
mod dynamics;
mod factorial;
mod fit;
mod fixtures;
mod flows_behaviour;
mod flows_callbacks;
mod flows_conservation;
mod flows_theory;
mod fold;
mod folder;
mod forecast;
mod formats;
mod guards;
mod horizon;
mod hours;
mod input_messages;
mod kill;
mod kubernetes;
mod polish;
mod report;
mod report_browser;
mod report_compare;
mod robustness;
mod routing;
mod satisfaction;
mod scenarios;
mod shards;
mod shifts;
mod skills;
mod slurm;
mod staff;
mod staff_back_office;
mod staff_roster;
mod sweep;
mod terminal;
mod theory;
mod trace;
mod validity;
mod wrap_up;

/// Support code too large for `common.rs`.
mod support {
    pub mod png;
    #[cfg(unix)]
    pub mod pty;
}
