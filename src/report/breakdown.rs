//! The report's section per team and per ticket type: the figures of the terminal's
//! compact view (`output::breakdown_text`), each with its 95 % interval; shown when the
//! centre has more than one team or more than one type.

use super::html::esc;
use crate::output::{MISSING, breakdown::duration, percent, team_estimate, type_estimate};
use crate::run::RunResult;
use crate::stats::Estimate;

/// How a figure is shown.
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Share,
    Duration,
    Csat,
}

fn show(kind: Kind, v: f64) -> String {
    if v.is_nan() {
        return MISSING.into();
    }
    match kind {
        Kind::Count if v.abs() >= 100.0 => format!("{v:.0}"),
        Kind::Count => format!("{v:.1}"),
        Kind::Share => percent(v, 1),
        Kind::Duration => duration(v),
        Kind::Csat => format!("{v:.2}"),
    }
    .replacen('-', "−", 1)
}

/// A cell: the mean, and its interval below it.
fn cell(kind: Kind, e: &Estimate) -> String {
    let ci = if e.ci95_low.is_nan() {
        MISSING.to_string()
    } else {
        format!("{} – {}", show(kind, e.ci95_low), show(kind, e.ci95_high))
    };
    format!(
        "<td>{}<span class=\"ci\">{}</span></td>",
        esc(&show(kind, e.mean)),
        esc(&ci)
    )
}

/// One table: a header and one row per group.
fn table(header: &[&str], rows: &[(String, Vec<(Kind, Estimate)>)]) -> String {
    let mut out = String::from("<div class=\"table\"><table>\n<thead><tr>");
    for h in header {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (name, cells) in rows {
        out.push_str(&format!("<tr><td>{}</td>", esc(name)));
        for (kind, e) in cells {
            out.push_str(&cell(*kind, e));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The section "By team and by ticket type", or nothing for one team and one type.
pub fn breakdown_section(r: &RunResult) -> String {
    let s = &r.scenario;
    if s.teams.len() < 2 && s.ticket_types.len() < 2 {
        return customers_paragraph(r) + &channel_section(r);
    }
    let teams: Vec<_> = s
        .teams
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let e = |m| team_estimate(r, k, m);
            (
                t.name.clone(),
                vec![
                    (Kind::Count, e("conversations")),
                    (Kind::Share, e("occupancy")),
                    (Kind::Duration, e("wait_p90_s")),
                    (Kind::Duration, e("hold_p90_s")),
                    (Kind::Count, e("backlog_day_end_mean")),
                    (Kind::Count, e("transfers_in")),
                    (Kind::Count, e("transfers_out")),
                ],
            )
        })
        .collect();
    let types: Vec<_> = s
        .ticket_types
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let e = |m| type_estimate(r, k, m);
            (
                t.name.clone(),
                vec![
                    (Kind::Count, e("offered")),
                    (Kind::Share, e("outcome_answered")),
                    (Kind::Share, e("service_level")),
                    (Kind::Duration, e("asa_s")),
                    (Kind::Share, e("fcr_rate")),
                    (Kind::Csat, e("csat_mean")),
                    (Kind::Duration, e("resolution_time_p90_s")),
                ],
            )
        })
        .collect();
    let mut out = String::from("<h2>By team and by ticket type</h2>\n");
    out.push_str(&table(
        &[
            "Team",
            "Conversations",
            "Occupancy",
            "Wait p90",
            "Hold p90 after a transfer",
            "Backlog at day end",
            "Transfers in",
            "Transfers out",
        ],
        &teams,
    ));
    out.push_str(&table(
        &[
            "Ticket type",
            "Calls offered",
            "Answered (of every call)",
            "Service level",
            "ASA",
            "First-contact resolution",
            "CSAT (1-5)",
            "Resolution time p90",
        ],
        &types,
    ));
    let targets = crate::output::breakdown::target_lines(r);
    if !targets.is_empty() {
        out.push_str(&format!(
            "<p>Service targets per type (means over the replications): {}.</p>\n",
            esc(&targets.join("; "))
        ));
    }
    out.push_str(
        "<p class=\"note\">Means over the replications, with their 95 % intervals. The wait \
         is the queue wait of the calls a team answered; the hold, the wait of customers on \
         hold after a transfer to the team until it answers (not a call wait, so the headline \
         does not show it); the backlog, the transfers and agent callbacks waiting in the \
         team's own queue plus the callers on the line for the types it serves, at each \
         midnight. breakdown.csv has every figure, and one set per day.</p>\n",
    );
    out.push_str(&customers_paragraph(r));
    out.push_str(&channel_section(r));
    out
}

/// The customers gained and lost and the proactive contacts in a paragraph, when the
/// scenario has referral or proactive contacts (else nothing).
fn customers_paragraph(r: &RunResult) -> String {
    crate::output::breakdown::customers_line(r).map_or(String::new(), |line| {
        format!(
            "<p>{} (means over the replications; breakdown.csv, by = customers).</p>\n",
            esc(line.trim_end())
        )
    })
}

/// The section "By channel" when a type uses a channel other than the phone, else nothing.
fn channel_section(r: &RunResult) -> String {
    let used = r.scenario.channels_used();
    if used.is_empty() {
        return String::new();
    }
    let rows: Vec<_> = used
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let e = |m| crate::output::breakdown::channel_estimate(r, k, m);
            (
                c.name().to_string(),
                vec![
                    (Kind::Count, e("contacts")),
                    (Kind::Share, e("outcome_answered")),
                    (Kind::Share, e("service_level")),
                    (Kind::Duration, e("response_mean_s")),
                    (Kind::Duration, e("response_p90_s")),
                    (Kind::Share, e("within_promise")),
                    (Kind::Count, e("backlog_mean")),
                    (Kind::Csat, e("csat_mean")),
                ],
            )
        })
        .collect();
    let mut out = String::from("<h2>By channel</h2>\n");
    out.push_str(&table(
        &[
            "Channel",
            "Contacts",
            "Answered",
            "Service level (calls, chats)",
            "Response mean (messages)",
            "Response p90",
            "Within the promise",
            "Messages waiting (mean)",
            "CSAT (1-5)",
        ],
        &rows,
    ));
    out.push_str(
        "<p class=\"note\">Means over the replications, with their 95 % intervals. A \
         message's response runs from the message to the answer sent; it is judged against \
         the type's response_promise, a call's or chat's wait against its expected wait. \
         breakdown.csv has every figure (by = channel).</p>\n",
    );
    out
}
