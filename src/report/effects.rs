//! The effects section of a 2×2 comparison's report: each key metric's main effects and
//! interaction with their intervals, and where the gap between the corners comes from.

use super::html::{esc, signed};
use crate::factorial::{Effects, Term};
use crate::run::RunResult;

/// The section: a heading, the design (which scenario is which cell), the table of effects
/// (`*` and bold when the interval excludes 0) and the sentence on the corners' gap.
pub fn effects_section(e: &Effects, runs: &[RunResult], names: &[String]) -> String {
    let d = &e.design;
    let [f0, f1] = &d.factors;
    let mut out = String::from("<h2>Effects of the 2×2 design</h2>\n");
    let name = |i: usize, j: usize| esc(names.get(d.cells[i][j]).map_or("", String::as_str));
    out.push_str(&format!(
        "<div class=\"table\"><table class=\"compare\">\n<thead><tr><th></th><th>{} {}</th>\
         <th>{} {}</th></tr></thead>\n<tbody>\n<tr><td>{} {}</td><td>{} (baseline)</td>\
         <td>{}</td></tr>\n<tr><td>{} {}</td><td>{}</td><td>{}</td></tr>\n</tbody>\n\
         </table></div>\n",
        esc(&f1.name),
        esc(&f1.levels[0]),
        esc(&f1.name),
        esc(&f1.levels[1]),
        esc(&f0.name),
        esc(&f0.levels[0]),
        name(0, 0),
        name(0, 1),
        esc(&f0.name),
        esc(&f0.levels[1]),
        name(1, 0),
        name(1, 1),
    ));
    out.push_str("<div class=\"table\"><table class=\"compare\">\n<thead><tr><th>Metric</th>");
    for t in Term::ALL {
        let h = match t {
            Term::Interaction => format!("{} × {} (interaction)", f0.name, f1.name),
            Term::Main(k) => format!(
                "{} ({} → {})",
                d.factors[k].name, d.factors[k].levels[0], d.factors[k].levels[1]
            ),
        };
        out.push_str(&format!("<th>{}</th>", esc(&h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for m in crate::output::effect_metrics(runs) {
        // The call outcomes indented, as in the headline table.
        out.push_str(&format!(
            "<tr{}><td>{}</td>",
            super::row_class(m),
            esc(m.label())
        ));
        for t in Term::ALL {
            let x = e.get(m, t);
            if x.mean.is_nan() {
                out.push_str("<td>–</td>");
                continue;
            }
            let sig = x.ci95_low > 0.0 || x.ci95_high < 0.0;
            let ci = if x.ci95_low.is_nan() {
                "–".to_string()
            } else {
                format!("{} – {}", signed(m, x.ci95_low), signed(m, x.ci95_high))
            };
            out.push_str(&format!(
                "<td{}>{}{}<span class=\"ci\">{}</span></td>",
                if sig { " class=\"sig\"" } else { "" },
                if sig { "* " } else { "" },
                esc(&signed(m, x.mean)),
                esc(&ci)
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    if let Some(s) = crate::output::gap_sentence(e, runs) {
        out.push_str(&format!("<p>{}</p>\n", esc(&s)));
    }
    out.push_str(&format!(
        "<p class=\"note\">Each factor's main effect is the mean of its two simple effects \
         (its effect at each level of the other factor); the interaction is half the change \
         of the {}'s effect from one level of the {} to the other, so each simple effect is \
         a main effect ± the interaction, and the gap between the corners is the sum of the \
         two main effects. {}; <b>*</b> marks an effect whose 95 % interval excludes 0. \
         Every effect is in effects.csv.</p>\n",
        esc(&f0.name),
        esc(&f1.name),
        if e.paired {
            "Each is estimated replication by replication on the same customers (paired)"
        } else {
            "The cells do not share their customers: each is estimated from the four means \
             as if independent (unpaired, wider intervals)"
        }
    ));
    out
}
