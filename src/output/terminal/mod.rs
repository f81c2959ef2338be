//! What a person sees in the terminal: one file per command's tables, and the histograms.

mod breakdown;
mod compare;
mod effects;
mod erlang;
mod figures;
mod histogram;
mod run;
mod staff;
mod staff_roster;
mod sweep;
mod verdict;

use super::format::{MISSING, human, percent};
use super::json;
pub use breakdown::breakdown_text;
pub(crate) use compare::comparison_metrics;
pub use compare::{Paint, compare_text, compare_text_with, comparison_table};
pub(crate) use effects::{effect_metrics, gap_sentence};
pub use erlang::{
    IntervalFigures, erlang_figures_json, erlang_figures_table, erlang_intervals_json,
    erlang_intervals_table,
};
pub use histogram::{csat_histogram, histogram, wait_histograms};
pub use run::{compact_text, headline, precision_line, run_text, summary_json, summary_table};
pub use staff::staff_report;
pub use sweep::sweep_table;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// An empty table in the style of every terminal table, fitted to `width` columns.
fn table(width: u16) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    t
}

/// Blocks of text placed side by side in columns, as many per row as fit in `width`.
pub fn side_by_side(blocks: &[String], width: u16) -> String {
    let widest = blocks
        .iter()
        .flat_map(|b| b.lines())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let per_row = (usize::from(width) / widest.max(1)).clamp(1, blocks.len().max(1));
    let mut out = String::new();
    for chunk in blocks.chunks(per_row) {
        let lines: Vec<Vec<&str>> = chunk.iter().map(|b| b.lines().collect()).collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let mut line = String::new();
            for (k, l) in lines.iter().enumerate() {
                let cell = l.get(i).copied().unwrap_or("");
                if k + 1 < lines.len() {
                    let pad = widest.saturating_sub(cell.chars().count());
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// `text` wrapped at spaces to `width` columns, continuation lines starting with
/// `indent`; a word longer than a line is never split, nor a number from its unit (`%`,
/// `pp`, `s`, `h`), a word from the signed number after it (`NPS +40`) or a label from its
/// number (`1: 6.3 %`). Ends with a newline.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for w in text.split(' ').filter(|w| !w.is_empty()) {
        let signed = (w.starts_with('+') || w.starts_with('-'))
            && w[1..].starts_with(|c: char| c.is_ascii_digit());
        let glued = matches!(w.trim_end_matches([',', ';']), "%" | "pp" | "s" | "h")
            || (signed && words.last().is_some_and(|p| !p.ends_with([',', ';', ':'])))
            || words
                .last()
                .is_some_and(|p| p.ends_with(':') && p.len() <= 2);
        match words.last_mut() {
            Some(p) if glued => {
                p.push(' ');
                p.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    let mut out = String::new();
    let mut line = String::new();
    for word in &words {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.to_string();
        } else if len > 0 && line != indent {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_keeps_numbers_with_their_units_and_names_whole() {
        let text = wrap(
            "B vs A: NPS +40, accessibility +4.5 pp; provider-call-back-later",
            24,
            "  ",
        );
        assert_eq!(
            text,
            "B vs A: NPS +40,\n  accessibility +4.5 pp;\n  provider-call-back-later\n"
        );
        for l in text.lines() {
            assert!(l.chars().count() <= 26, "{l}");
        }
    }
}
