//! Drawing a chart into an SVG string, named and with its data marks tagged.

use super::{Area, DESC, Drawn, FONT, PALETTE, WHISKER, WIDTH, hex};
use crate::report::html::esc;
use plotters::backend::SVGBackend;
use plotters::prelude::*;

/// Draws a chart of the full width into an SVG string, then names it and tags its data
/// marks.
pub(in crate::report) fn render(
    name: &str,
    label: &str,
    height: u32,
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    render_sized(name, label, (WIDTH, height), draw)
}

/// [`render`] at a given size (a small multiple is narrower).
pub(in crate::report) fn render_sized(
    name: &str,
    label: &str,
    (width, height): (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let mut buf = String::new();
    let ok = {
        let root = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present())
            .is_ok()
    };
    if !ok {
        buf = format!(
            "<svg>\n<text x=\"20\" y=\"40\">{}</text>\n",
            "The chart could not be drawn."
        );
    }
    tag(&buf, name, label, (width, height))
}

/// Replaces plotters' `<svg>` tag with one that carries the chart's name and label (and no
/// namespace URL: inline SVG in HTML needs none), and tags every shape drawn in a data
/// colour with `class="mark"`.
fn tag(svg: &str, name: &str, label: &str, (width, height): (u32, u32)) -> String {
    let mut colours: Vec<String> = PALETTE.iter().map(|c| hex(*c)).collect();
    colours.push(hex(WHISKER));
    let mut out = format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-label=\"{}\" data-chart=\"{name}\">\n",
        esc(label)
    );
    for line in svg.lines().skip(1) {
        let tag_name = line
            .strip_prefix('<')
            .and_then(|rest| rest.split([' ', '/', '>']).next())
            .unwrap_or("");
        let shape = matches!(
            tag_name,
            "rect" | "polyline" | "polygon" | "circle" | "line" | "path"
        );
        let data = colours.iter().any(|c| {
            line.contains(&format!("fill=\"{c}\"")) || line.contains(&format!("stroke=\"{c}\""))
        });
        if shape && data {
            out.push('<');
            out.push_str(tag_name);
            out.push_str(" class=\"mark\"");
            out.push_str(&line[1 + tag_name.len()..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A chart with no data: its frame and a sentence saying why.
pub(in crate::report) fn empty(name: &str, label: &str, why: &str) -> String {
    render(name, label, 120, |root| {
        root.draw(&Text::new(
            why.to_string(),
            (24, 50),
            (FONT, DESC).into_font().color(&BLACK),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_shapes_in_data_colours_are_marks() {
        let svg = "<svg width=\"1\">\n<rect x=\"0\" y=\"0\" width=\"9\" height=\"9\" fill=\"#FFFFFF\"/>\n\
                   <rect x=\"1\" y=\"1\" width=\"4\" height=\"4\" fill=\"#0072B2\"/>\n";
        let out = tag(svg, "x", "X & Y", (WIDTH, 10));
        assert!(out.starts_with("<svg width=\"960\" height=\"10\""));
        assert!(out.contains("aria-label=\"X &amp; Y\" data-chart=\"x\""));
        assert_eq!(out.matches("class=\"mark\"").count(), 1);
        assert!(!out.contains("http"));
    }
}
