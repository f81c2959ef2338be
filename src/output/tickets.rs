//! `tickets.csv`: one row per counted ticket, streamed to disk replication by replication.

use super::csv::{FileRows, header_line};
use super::num;
use crate::centre::{Outcome, Ticket};
use crate::satisfaction::Score;
use crate::scenario::Scenario;
use std::path::Path;

/// Columns of `tickets.csv`, documented in docs/metrics.md.
pub const TICKET_COLUMNS: [&str; 30] = [
    "scenario",
    "replication",
    "ticket",
    "type",
    "outcome",
    "created_s",
    "closed_s",
    "resolution_time_s",
    "calls",
    "conversations",
    "rejections",
    "balks",
    "abandons",
    "closed_messages",
    "transfers",
    "callbacks_promised",
    "callbacks_kept",
    "callbacks_late",
    "callbacks_broken",
    "outbound_calls",
    "wait_total_s",
    "wait_worst_s",
    "wait_last_s",
    "first_contact_resolution",
    "goodwill",
    "informed",
    "last_team",
    "satisfaction_score",
    "csat",
    "likelihood_to_recommend",
];

/// Where the `channel` column goes when a scenario has one: after `type`.
const CHANNEL_AT: usize = 4;

/// Where the `customer` column goes when a scenario has a population: after `ticket`.
const CUSTOMER_AT: usize = 3;

/// The columns of `tickets.csv` for `s`: [`TICKET_COLUMNS`], with `customer` after `ticket`
/// when the scenario has a population (`arrivals.customers`), and `channel` after `type`
/// when a ticket type uses a channel other than the phone.
pub fn ticket_columns(s: &Scenario) -> Vec<&'static str> {
    let mut c = TICKET_COLUMNS.to_vec();
    if s.has_channels() {
        c.insert(CHANNEL_AT, "channel");
    }
    if s.arrivals.customers.is_some() {
        c.insert(CUSTOMER_AT, "customer");
    }
    c
}

/// The fields of [`TICKET_COLUMNS`] of one ticket (the channel, when it has one, goes in
/// at [`CHANNEL_AT`]).
fn ticket_row(
    s: &Scenario,
    name: &str,
    replication: u32,
    t: &Ticket,
    outcome: Outcome,
    closed: f64,
    score: Option<&Score>,
) -> [String; 30] {
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    let resolved = outcome == Outcome::Resolved;
    [
        name.to_string(),
        replication.to_string(),
        t.number.to_string(),
        s.ticket_types[t.ticket_type as usize].name.clone(),
        outcome.name().to_string(),
        num(t.created),
        num(closed),
        if resolved {
            num(closed - t.created)
        } else {
            String::new()
        },
        t.attempt.to_string(),
        t.conversations.to_string(),
        t.rejections.to_string(),
        t.balks.to_string(),
        t.abandons.to_string(),
        t.closed.to_string(),
        t.transfers.to_string(),
        t.callbacks_promised.to_string(),
        t.callbacks_kept.to_string(),
        t.callbacks_late.to_string(),
        t.callbacks_broken.to_string(),
        t.outbound_calls.to_string(),
        num(t.wait_total),
        num(t.wait_worst),
        num(t.wait_last),
        flag(resolved && t.conversations == 1),
        flag(t.goodwill),
        flag(t.informed),
        if t.conversations > 0 {
            s.teams[usize::from(t.team)].name.clone()
        } else {
            String::new()
        },
        score.map_or(String::new(), |x| num(x.latent)),
        score.map_or(String::new(), |x| x.csat.to_string()),
        score.map_or(String::new(), |x| x.ltr.to_string()),
    ]
}

/// The header line of `tickets.csv` for `s`.
pub fn ticket_header(s: &Scenario) -> Vec<u8> {
    header_line(ticket_columns(s))
}

/// The rows of one replication's tickets, written to a file (no header).
#[derive(Debug)]
pub struct TicketFile {
    rows: FileRows,
}

impl TicketFile {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            rows: FileRows::create(path)?,
        })
    }

    /// Writes the row of one ticket.
    pub fn write(
        &mut self,
        s: &Scenario,
        replication: u32,
        t: &Ticket,
        outcome: Outcome,
        closed: f64,
        score: Option<&Score>,
    ) -> std::io::Result<()> {
        let row = ticket_row(s, &s.name, replication, t, outcome, closed, score);
        let population = s.arrivals.customers.is_some();
        if !s.has_channels() && !population {
            return self.rows.row(row);
        }
        let mut fields: Vec<String> = row.to_vec();
        if s.has_channels() {
            let channel = s.ticket_types[t.ticket_type as usize].channel.name();
            fields.insert(CHANNEL_AT, channel.to_string());
        }
        if population {
            fields.insert(CUSTOMER_AT, t.customer.to_string());
        }
        self.rows.row(fields)
    }

    /// Flushes the rows to disk.
    pub fn finish(self) -> std::io::Result<()> {
        self.rows.close()
    }
}
