//! The verdict after a comparison's table: for each scenario, the differences from the
//! baseline that matter, in a line or two.

use super::compare::{comparison_metrics, letter};
use super::figures::{diff_shows_zero, diff_text};
use super::wrap;
use crate::compare::Row;
use crate::run::RunResult;
use crate::stats::Metric;

/// The metrics a verdict may name: satisfaction and cost first, then the call account,
/// accessibility and the tickets' resolution.
const VERDICT: [Metric; 11] = [
    Metric::CsatMean,
    Metric::Nps,
    Metric::CostPerTicket,
    Metric::Accessibility,
    Metric::OutcomeAnswered,
    Metric::OutcomeAbandoned,
    Metric::OutcomeRejected,
    Metric::OutcomeClosed,
    Metric::OutcomeCallback,
    Metric::FirstCallResolution,
    Metric::ResolvedShare,
];

/// The most differences a scenario's verdict names.
const MOST: usize = 7;

/// How a verdict names a difference: `CSAT +0.58 (of 5)`, `cost +0.20 per ticket`.
fn phrase(m: Metric, d: f64) -> String {
    let v = diff_text(m, d);
    match m {
        Metric::CsatMean => format!("CSAT {v} (of 5)"),
        Metric::Nps => format!("NPS {v}"),
        Metric::CostPerTicket => format!("cost {v} per ticket"),
        Metric::Accessibility => format!("accessibility {v}"),
        Metric::OutcomeAnswered => format!("answered {v}"),
        Metric::OutcomeAbandoned => format!("abandoned {v}"),
        Metric::OutcomeRejected => format!("told to call back later {v}"),
        Metric::OutcomeClosed => format!("closed message {v}"),
        Metric::OutcomeCallback => format!("left with a callback {v}"),
        Metric::FirstCallResolution => format!("first-call resolution {v}"),
        Metric::ResolvedShare => format!("tickets resolved {v}"),
        m => format!("{} {v}", m.name()),
    }
}

/// The verdict: a heading, then per scenario after the baseline one sentence naming its
/// differences that matter (the interval excludes 0 and the difference is not 0 as
/// shown): CSAT, NPS, cost and accessibility first, then the call account and resolution
/// by size, at most seven; "no difference that matters" when there is none. Wrapped to
/// `width` at spaces; `(unpaired)` after a scenario that does not see the baseline's
/// customers.
pub fn verdict(runs: &[RunResult], names: &[String], rows: &[Row], width: u16) -> String {
    verdict_in(runs, names, rows, width, false)
}

/// [`verdict`], each scenario's sentence cut to one line with `…` when `one_line` (the
/// compact view).
pub fn verdict_in(
    runs: &[RunResult],
    names: &[String],
    rows: &[Row],
    width: u16,
    one_line: bool,
) -> String {
    let shown = comparison_metrics(runs);
    let mut out = String::from("Verdict (differences whose 95 % interval excludes 0):\n");
    for (i, n) in names.iter().enumerate().skip(1) {
        let mut found: Vec<(Metric, f64)> = VERDICT
            .iter()
            .filter(|m| shown.contains(m))
            .filter_map(|&m| {
                let r = rows.iter().find(|r| r.metric == m && &r.scenario == n)?;
                let d = r.diff?;
                (r.significant() && !diff_shows_zero(m, d.mean)).then_some((m, d.mean))
            })
            .collect();
        // The call account and resolution: the largest first.
        let first = found
            .iter()
            .take_while(|(m, _)| VERDICT[..4].contains(m))
            .count();
        found[first..].sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        found.truncate(MOST);
        let said = if found.is_empty() {
            "no difference that matters".to_string()
        } else {
            let head: Vec<String> = found[..first.min(found.len())]
                .iter()
                .map(|(m, d)| phrase(*m, *d))
                .collect();
            let tail: Vec<String> = found[first.min(found.len())..]
                .iter()
                .map(|(m, d)| phrase(*m, *d))
                .collect();
            [head.join(", "), tail.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let unpaired = rows.iter().any(|r| &r.scenario == n && !r.paired);
        let tag = if unpaired { " (unpaired)" } else { "" };
        let sentence = format!("{} vs A{tag}: {said}", letter(i));
        if one_line {
            out.push_str(&cut(&sentence, usize::from(width)));
            out.push('\n');
        } else {
            out.push_str(&wrap(&sentence, usize::from(width), "  "));
        }
    }
    out
}

/// `text` cut to `width` characters at a word, with `…` when something is left out.
pub fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let head: String = text.chars().take(width.saturating_sub(1)).collect();
    let at = head.rfind([' ', ',', ';']).unwrap_or(head.len());
    let kept = head[..at].trim_end_matches([' ', ',', ';']);
    format!("{kept}…")
}
