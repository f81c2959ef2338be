//! Small HTML helpers of the report: escaping, numbers for people, the page's frame.

use crate::stats::{Estimate, Metric};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A value in the metric's unit for people: shares as percentages (as in the terminal
/// table), a real minus sign.
pub fn human(m: Metric, v: f64) -> String {
    crate::output::human(m, v).replacen('-', "−", 1)
}

/// A difference with its sign, formatted as in the terminal (shares in percentage points,
/// "pp"); a minus sign rather than a hyphen.
pub fn signed(m: Metric, v: f64) -> String {
    crate::output::signed(m, v).replacen('-', "−", 1)
}

/// The 95 % interval of an estimate, in the metric's unit.
pub fn interval(m: Metric, e: &Estimate) -> String {
    if e.ci95_low.is_nan() {
        "–".into()
    } else {
        format!("{} – {}", human(m, e.ci95_low), human(m, e.ci95_high))
    }
}

pub use crate::output::duration;

/// The warnings of a page in a box above its table; empty when there are none.
pub fn warning_box(warnings: &[String]) -> String {
    let paragraphs: Vec<String> = warnings
        .iter()
        .map(|w| format!("<p><b>Warning:</b> {}</p>\n", esc(w)))
        .collect();
    boxed(&paragraphs)
}

/// The warnings of a comparison in one box above its table: the comparison's own, then
/// each scenario's run warnings headed by its name beside its colour; the scenarios are
/// (swatch colour, name, warnings). Empty when there are none.
pub fn scenario_warning_box(
    own: &[String],
    per_scenario: &[(String, String, Vec<String>)],
) -> String {
    let mut paragraphs: Vec<String> = own
        .iter()
        .map(|w| format!("<p><b>Warning:</b> {}</p>\n", esc(w)))
        .collect();
    for (swatch, name, warnings) in per_scenario {
        for w in warnings {
            paragraphs.push(format!(
                "<p class=\"scenario-warning\"><b>Warning, <span class=\"swatch\" \
                 style=\"background:{swatch}\"></span>{}:</b> {}</p>\n",
                esc(name),
                esc(w)
            ));
        }
    }
    boxed(&paragraphs)
}

/// Paragraphs (already HTML) in the warning box; nothing when there are none.
fn boxed(paragraphs: &[String]) -> String {
    if paragraphs.is_empty() {
        return String::new();
    }
    // Inline style: the shared style sheet stays as it is.
    let mut out = String::from(
        "<div class=\"warning\" role=\"alert\" style=\"border-left:4px solid #b3261e;\
         background:#fdecea;color:#5f1410;padding:8px 14px;margin:12px 0\">\n",
    );
    for p in paragraphs {
        out.push_str(p);
    }
    out.push_str("</div>\n");
    out
}

/// The style sheet of the page (inline: the file stands alone).
pub const STYLE: &str = "
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #1d2330;
  font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', 'DejaVu Sans', sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 40px; }
header { background: #1d2330; color: #fff; }
header > div { max-width: 1000px; margin: 0 auto; padding: 20px 20px 16px; }
h1 { font-size: 26px; margin: 0 0 4px; line-height: 1.25; overflow-wrap: anywhere; }
h1 small { display: block; font-size: 14px; font-weight: normal; letter-spacing: .04em;
  text-transform: uppercase; color: #aab3c5; }
h1 .vs { font-weight: normal; color: #aab3c5; }
h2 { font-size: 20px; margin: 32px 0 10px; }
header p { margin: 4px 0 0; color: #d5dbe6; }
dl.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 12px 0 0; }
dl.facts div { display: flex; gap: 6px; }
dl.facts dt { color: #aab3c5; }
dl.facts dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 15px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
th, td { padding: 6px 12px; border-bottom: 1px solid #e3e6eb; text-align: right;
  font-variant-numeric: tabular-nums; vertical-align: top; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
.table { max-width: 100%; }
tr.group td:first-child { font-weight: 600; }
tr.outcome td:first-child { padding-left: 28px; }
table.compare { font-size: 14px; }
table.compare th, table.compare td { padding: 6px 8px; white-space: normal; }
table.compare thead th { overflow-wrap: normal; }
p.keys { display: flex; flex-wrap: wrap; gap: 2px 20px; margin: 0 0 8px; font-size: 14px; }
p.keys > span { overflow-wrap: anywhere; }
.multiples { display: grid; gap: 12px 16px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); }
.multiples.wide { grid-template-columns: 1fr; }
.multiple { min-width: 0; }
p.multiple-name { margin: 0 0 4px; font-weight: 600; overflow-wrap: anywhere; }
@media (max-width: 900px) {
  main { padding: 16px 12px 32px; }
  table.compare { font-size: 13px; }
  table.compare th, table.compare td { padding: 4px 5px; }
  /* Many scenarios on a narrow screen: each metric a block of labelled lines. */
  table.compare.many thead { display: none; }
  table.compare.many tr { display: block; border-bottom: 2px solid #e3e6eb; }
  table.compare.many td { display: flex; justify-content: space-between; gap: 12px;
    text-align: right; border: 0; }
  table.compare.many td::before { content: attr(data-label); color: #5b6476; text-align: left; }
  table.compare.many td .ci { display: inline; margin-left: 8px; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header { background: #fff; color: #1d2330; border-bottom: 2px solid #1d2330; }
  header p, h1 small, h1 .vs, dl.facts dt { color: #3b4456; }
  header > div, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
  table, figure { box-shadow: none; }
  table.compare { font-size: 8.5pt; }
  table.compare th, table.compare td { padding: 3px 4px; }
  tr, figure, .multiple { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
}
thead th { background: #e9ecf1; font-weight: 600; overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: #fafbfc; }
td .ci { display: block; color: #5b6476; font-size: 13px; }
td.sig { font-weight: 700; }
td.sig .ci { font-weight: normal; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
p.note { color: #5b6476; font-size: 14px; margin: 6px 0 0; }
figure { background: #fff; margin: 0 0 24px; padding: 16px 16px 12px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 14px; color: #3b4456; margin-top: 8px; }
figcaption b { color: #1d2330; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 8px 0 0;
  padding: 0; font-size: 14px; }
ul.legend li { overflow-wrap: anywhere; }
footer { max-width: 1000px; margin: 0 auto; padding: 0 20px 32px; color: #5b6476; font-size: 13px; }
";

/// Opens a page: doctype, head with the title and style, the dark header band.
pub fn page_start(title: &str, kicker: &str, heading: &str, lines: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"rappel {version}\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><div>\n<h1><small>{kicker}</small>{heading}</h1>\n{lines}</div></header>\n<main>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = esc(title),
        kicker = esc(kicker),
    )
}

/// Closes a page with its footer.
pub fn page_end() -> String {
    format!(
        "</main>\n<footer>Written by rappel {} from the replications' results: the same \
         scenario, seed and replications give this same page. Intervals are Student-t 95 % \
         confidence intervals across replications.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// A `<dl>` of facts, each value already escaped.
pub fn facts(items: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"facts\">");
    for (k, v) in items {
        out.push_str(&format!("<div><dt>{}</dt><dd>{v}</dd></div>", esc(k)));
    }
    out.push_str("</dl>\n");
    out
}

/// A figure around a chart, with a caption (already HTML) and an optional legend.
pub fn figure(svg: &str, caption: &str, legend: &str) -> String {
    format!("<figure>\n{svg}{legend}<figcaption>{caption}</figcaption>\n</figure>\n")
}

/// Small multiples: one chart per scenario, each under its name beside its colour, side
/// by side where the page is wide enough (one under the other when `wide`).
pub fn multiples(names: &[String], svgs: &[String], wide: bool) -> String {
    let mut out = format!(
        "<div class=\"multiples{}\">\n",
        if wide { " wide" } else { "" }
    );
    for (i, (name, svg)) in names.iter().zip(svgs).enumerate() {
        out.push_str(&format!(
            "<div class=\"multiple\"><p class=\"multiple-name\"><span class=\"swatch\" \
             style=\"background:{}\"></span>{}</p>\n{svg}</div>\n",
            super::charts::hex(super::charts::colour(i)),
            esc(name)
        ));
    }
    out.push_str("</div>\n");
    out
}

/// A legend of coloured swatches, one per (hex colour, label).
pub fn legend(items: &[(String, String)]) -> String {
    let mut out = String::from("<ul class=\"legend\">");
    for (colour, label) in items {
        out.push_str(&format!(
            "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{}</li>",
            esc(label)
        ));
    }
    out.push_str("</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            esc("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(20.0), "20 s");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(4.0 * 3600.0), "4 h");
        assert_eq!(duration(2.0 * 86_400.0), "2 d");
    }
}
