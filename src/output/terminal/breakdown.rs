//! The terminal's compact view of `breakdown.csv`: a few figures per team and per ticket
//! type, shown by `rappel run` when the centre has more than one team or more than one
//! type (with one of each it would repeat the headline table).

use super::{MISSING, percent};
use crate::output::breakdown::{channel_estimate, duration, team_estimate, type_estimate};
use crate::run::RunResult;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::NOTHING};

/// A share for people, or – when undefined.
fn share(v: f64) -> String {
    if v.is_nan() {
        MISSING.into()
    } else {
        percent(v, 1)
    }
}

/// A count or mean count for people, or – when undefined.
fn count(v: f64) -> String {
    if v.is_nan() {
        MISSING.into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A borderless table fitted to `width`, its number columns right-aligned.
fn plain(header: &[&str], rows: Vec<Vec<String>>, width: u16) -> String {
    let mut t = Table::new();
    t.load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.to_vec());
    for row in rows {
        t.add_row(row.into_iter().enumerate().map(|(i, v)| {
            let c = Cell::new(v);
            if i == 0 {
                c
            } else {
                c.set_alignment(CellAlignment::Right)
            }
        }));
    }
    for i in 1..header.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.lines()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The figures per team and per ticket type, fitted to `width` columns: empty for a centre
/// of one team and one type; otherwise a blank line, then per team its conversations,
/// occupancy, p90 queue wait, p90 hold after a transfer and mean backlog at day end, and per
/// type its calls offered, the share answered, the service level and CSAT (means over the
/// replications; `breakdown.csv` has the intervals and every metric).
pub fn breakdown_text(r: &RunResult, width: u16) -> String {
    let s = &r.scenario;
    if s.teams.len() < 2 && s.ticket_types.len() < 2 {
        return channel_text(r, width);
    }
    let teams = s
        .teams
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let e = |m| team_estimate(r, k, m).mean;
            vec![
                t.name.clone(),
                count(e("conversations")),
                share(e("occupancy")),
                duration(e("wait_p90_s")),
                duration(e("hold_p90_s")),
                count(e("backlog_day_end_mean")),
            ]
        })
        .collect();
    let types = s
        .ticket_types
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let e = |m| type_estimate(r, k, m).mean;
            // A message type makes no call: its messages are in the channel table.
            let written = t.channel == crate::scenario::Channel::Message;
            vec![
                t.name.clone(),
                if written {
                    MISSING.into()
                } else {
                    count(e("offered"))
                },
                share(e("outcome_answered")),
                share(e("service_level")),
                if e("csat_mean").is_nan() {
                    MISSING.into()
                } else {
                    format!("{:.2}", e("csat_mean"))
                },
            ]
        })
        .collect();
    let targets: String = crate::output::breakdown::target_lines(r)
        .iter()
        .map(|l| format!("Service target, {l}\n"))
        .collect();
    let channels = channel_text(r, width);
    format!(
        "\nBy team and by ticket type (means over {} replications; breakdown.csv has more):\n{}\n{}\n{targets}{channels}",
        r.replications(),
        plain(
            &[
                "Team",
                "Conversations",
                "Occupancy",
                "Wait p90",
                "Hold p90",
                "Backlog at day end",
            ],
            teams,
            width
        ),
        plain(
            &["Type", "Calls", "Answered", "Service level", "CSAT"],
            types,
            width
        ),
    )
}

/// The figures per channel, when a type uses a channel other than the phone (else empty):
/// a blank line, then per channel its contacts, the share answered, the service level of
/// calls and chats, the p90 response and the share within the promise of messages, the
/// mean backlog of messages and CSAT.
fn channel_text(r: &RunResult, width: u16) -> String {
    let used = r.scenario.channels_used();
    if used.is_empty() {
        return String::new();
    }
    let rows = used
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let e = |m| channel_estimate(r, k, m).mean;
            vec![
                c.name().to_string(),
                count(e("contacts")),
                share(e("outcome_answered")),
                share(e("service_level")),
                duration(e("response_p90_s")),
                share(e("within_promise")),
                count(e("backlog_mean")),
                if e("csat_mean").is_nan() {
                    MISSING.into()
                } else {
                    format!("{:.2}", e("csat_mean"))
                },
            ]
        })
        .collect();
    format!(
        "\nBy channel (means over {} replications; breakdown.csv has more):\n{}\n",
        r.replications(),
        plain(
            &[
                "Channel",
                "Contacts",
                "Answered",
                "Service level",
                "Response p90",
                "Within promise",
                "Backlog",
                "CSAT",
            ],
            rows,
            width
        ),
    )
}
