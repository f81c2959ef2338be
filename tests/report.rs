//! The HTML report (`--report`): its structure read as text (the page rendered in a real
//! browser is in `report_browser.rs`, which uses the helpers here).

use crate::common::{rappel, read_csv, shipped};
use crate::fixtures;
use rappel::output::headline;
use rappel::scenario::Scenario;
use std::path::{Path, PathBuf};

/// A small centre overloaded at its peak, so that calls wait, abandon and leave tickets
/// unresolved; its name needs escaping.
pub(crate) fn centre(name: &str, agents: u32) -> String {
    fixtures::peaked_morning(name, agents)
}

pub(crate) const NAME: &str = r#"Tom & Jerry's <b>"centre"</b>"#;
const NAME_HTML: &str = "Tom &amp; Jerry&#39;s &lt;b&gt;&quot;centre&quot;&lt;/b&gt;";
const OTHER: &str = "more <agents>";
const OTHER_HTML: &str = "more &lt;agents&gt;";

/// The charts every report has, by their `data-chart` names.
pub(crate) const CHARTS: [&str; 4] = [
    "wait-distribution",
    "csat-distribution",
    "intervals",
    "satisfaction-drivers",
];

/// The response curves of the satisfaction model: a run's report draws them after the
/// charts of its results, side by side.
pub(crate) const RESPONSE: [&str; 2] = ["response-wait", "response-time"];

/// Runs the centre with `--report` (and `extra` arguments) into `out`; returns report.html.
pub(crate) fn run_report(dir: &Path, out: &str, extra: &[&str]) -> PathBuf {
    let file = dir.join("centre.toml");
    std::fs::write(&file, centre(NAME, 10)).unwrap();
    let out = dir.join(out);
    rappel()
        .args(["run", "--quiet", "--report", "--seed", "11", "--out"])
        .arg(&out)
        .args(extra)
        .arg(&file)
        .assert()
        .success();
    out.join("report.html")
}

/// Compares the centre with a better-staffed copy, with `--report`; returns report.html.
pub(crate) fn compare_report(dir: &Path) -> PathBuf {
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&a, centre(NAME, 10)).unwrap();
    std::fs::write(&b, centre(OTHER, 13)).unwrap();
    let out = dir.join("compare");
    rappel()
        .args(["compare", "--quiet", "--report", "--out"])
        .arg(&out)
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    out.join("report.html")
}

/// One chart's `<svg>`: its size and text, start tag to end tag.
#[derive(Debug)]
pub(crate) struct Svg {
    pub(crate) name: String,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) text: String,
}

/// The value of attribute `name` in the start tag `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

fn num_attr(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Every `<svg>` of a page (source or DOM dumped by a browser).
pub(crate) fn svgs(html: &str) -> Vec<Svg> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let after = &rest[start..];
        let end = after.find("</svg>").expect("every <svg> is closed") + "</svg>".len();
        let text = &after[..end];
        let open = &text[..text.find('>').unwrap()];
        out.push(Svg {
            name: attr(open, "data-chart").unwrap_or_default(),
            width: num_attr(open, "width"),
            height: num_attr(open, "height"),
            text: text.to_string(),
        });
        rest = &after[end..];
    }
    out
}

/// A data mark of a chart (an element with `class="mark"`).
#[derive(Debug)]
struct Mark {
    kind: String,
    /// Fill, or stroke when not filled.
    colour: String,
    /// Corners of its bounding box.
    bounds: (f64, f64, f64, f64),
    /// Distinct points (polylines and polygons).
    points: usize,
    /// The first and the last point (polylines and polygons; else the bounds' corners).
    ends: ((f64, f64), (f64, f64)),
}

impl Mark {
    /// Whether the mark covers some area or length on screen.
    fn visible(&self) -> bool {
        let (x0, y0, x1, y1) = self.bounds;
        let (w, h) = (x1 - x0, y1 - y0);
        match self.kind.as_str() {
            "rect" => w >= 1.0 && h >= 1.0,
            "polygon" => self.points >= 3 && w >= 1.0 && h >= 1.0,
            "polyline" | "line" | "path" => self.points >= 2 && (w >= 1.0 || h >= 1.0),
            "circle" => w >= 2.0,
            _ => false,
        }
    }

    /// Whether the mark lies within the drawing.
    fn inside(&self, svg: &Svg) -> bool {
        let (x0, y0, x1, y1) = self.bounds;
        x0 >= 0.0 && y0 >= 0.0 && x1 <= svg.width && y1 <= svg.height
    }
}

/// The data marks of a chart.
fn marks(svg: &Svg) -> Vec<Mark> {
    let mut out = Vec::new();
    for piece in svg.text.split('<').skip(1) {
        let tag = format!("<{}", &piece[..piece.find('>').unwrap_or(piece.len())]);
        if !tag.contains(" class=\"mark\"") {
            continue;
        }
        let kind: String = tag[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let colour = match attr(&tag, "fill") {
            Some(f) if f != "none" => f,
            _ => attr(&tag, "stroke").unwrap_or_default(),
        };
        let (bounds, points, ends) = match kind.as_str() {
            "rect" => {
                let (x, y) = (num_attr(&tag, "x"), num_attr(&tag, "y"));
                let (w, h) = (num_attr(&tag, "width"), num_attr(&tag, "height"));
                ((x, y, x + w, y + h), 4, ((x, y), (x + w, y + h)))
            }
            "circle" => {
                let (x, y, r) = (
                    num_attr(&tag, "cx"),
                    num_attr(&tag, "cy"),
                    num_attr(&tag, "r"),
                );
                ((x - r, y - r, x + r, y + r), 1, ((x, y), (x, y)))
            }
            "line" => {
                let p = [
                    (num_attr(&tag, "x1"), num_attr(&tag, "y1")),
                    (num_attr(&tag, "x2"), num_attr(&tag, "y2")),
                ];
                (bbox(&p), 2, (p[0], p[1]))
            }
            _ => {
                let text = attr(&tag, "points")
                    .or_else(|| attr(&tag, "d"))
                    .unwrap_or_default();
                let nums: Vec<f64> = text
                    .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                    .filter_map(|t| t.parse().ok())
                    .collect();
                let mut p: Vec<(f64, f64)> = nums
                    .chunks(2)
                    .filter(|c| c.len() == 2)
                    .map(|c| (c[0], c[1]))
                    .collect();
                p.dedup();
                let ends = match (p.first(), p.last()) {
                    (Some(a), Some(b)) => (*a, *b),
                    _ => ((0.0, 0.0), (0.0, 0.0)),
                };
                (bbox(&p), p.len(), ends)
            }
        };
        out.push(Mark {
            kind,
            colour,
            bounds,
            points,
            ends,
        });
    }
    out
}

fn bbox(p: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    p.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    )
}

/// Visible marks of `kind`.
fn visible<'a>(marks: &'a [Mark], kind: &str) -> Vec<&'a Mark> {
    marks
        .iter()
        .filter(|m| m.kind == kind && m.visible())
        .collect()
}

fn colours(marks: &[&Mark]) -> std::collections::BTreeSet<String> {
    marks.iter().map(|m| m.colour.clone()).collect()
}

/// The row of the headline table whose first cell is `label` (as HTML), from its first
/// cell on.
pub(crate) fn table_row<'a>(html: &'a str, label: &str) -> Option<&'a str> {
    let first = format!("<td>{label}</td>");
    html.split("<tr")
        .filter_map(|r| r.find('>').map(|i| &r[i + 1..]))
        .find(|r| r.starts_with(&first))
}

/// Checks that no two bars of different colours cover the same pixels: grouped bars stand
/// side by side, never one over another.
fn check_bars_apart(name: &str, rects: &[&Mark]) {
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            let (ax0, ay0, ax1, ay1) = a.bounds;
            let (bx0, by0, bx1, by1) = b.bounds;
            let overlap =
                (ax1.min(bx1) - ax0.max(bx0)).max(0.0) * (ay1.min(by1) - ay0.max(by0)).max(0.0);
            assert!(
                a.colour == b.colour || overlap < 1.0,
                "chart {name}: bars {a:?} and {b:?} overlap"
            );
        }
    }
}

/// The scenarios' colours, in order (the report's palette), and the whiskers' grey.
const PALETTE: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
];
const WHISKER: &str = "#333333";

/// The charts a comparison draws as small multiples, one `<svg>` per scenario.
pub(crate) const MULTIPLES: [&str; 2] = ["wait-distribution", "intervals"];

/// Checks that every chart is there once (a comparison's small multiples once per
/// scenario, each in its scenario's colour), sized, with visible data marks inside it:
/// `scenarios` overlaid or side by side (1 for a run's report).
pub(crate) fn check_charts(html: &str, scenarios: usize) {
    let all = svgs(html);
    for name in CHARTS {
        let found: Vec<&Svg> = all.iter().filter(|s| s.name == name).collect();
        let multiple = scenarios > 1 && MULTIPLES.contains(&name);
        let want = if multiple { scenarios } else { 1 };
        assert_eq!(found.len(), want, "chart {name}: {} found", found.len());
        for (k, svg) in found.into_iter().enumerate() {
            check_chart(svg, if multiple { Some(k) } else { None }, scenarios);
        }
    }
}

/// Checks the response curves of a run's report: each chart once, two curves of many
/// points each in two colours, and the curves fall from left to right (SVG y grows
/// downwards).
pub(crate) fn check_response(html: &str) {
    let all = svgs(html);
    for name in RESPONSE {
        let found: Vec<&Svg> = all.iter().filter(|s| s.name == name).collect();
        assert_eq!(found.len(), 1, "chart {name}");
        let all = marks(found[0]);
        let lines: Vec<&Mark> = all
            .iter()
            .filter(|m| m.kind == "polyline" && m.points >= 50)
            .collect();
        assert_eq!(lines.len(), 2, "{name}: two curves");
        assert_eq!(colours(&lines).len(), 2, "{name}");
        for l in &lines {
            let (first, last) = l.ends;
            assert!(
                first.1 < last.1,
                "{name}: a curve does not fall ({first:?} to {last:?})"
            );
        }
    }
}

/// Checks one chart: small multiple `multiple` of a comparison of `scenarios`, or the one
/// chart of its name.
fn check_chart(svg: &Svg, multiple: Option<usize>, scenarios: usize) {
    let name = svg.name.as_str();
    {
        assert!(
            svg.width >= 300.0 && svg.height >= 100.0,
            "chart {name} is {}×{}",
            svg.width,
            svg.height
        );
        let m = marks(svg);
        for mark in &m {
            assert!(
                mark.inside(svg),
                "chart {name}: a mark outside the drawing: {mark:?}"
            );
        }
        let rects = visible(&m, "rect");
        let lines = visible(&m, "polyline");
        let bands = visible(&m, "polygon");
        let why = format!(
            "chart {name}: {} visible bars, {} lines, {} bands",
            rects.len(),
            lines.len(),
            bands.len()
        );
        check_bars_apart(name, &rects);
        if let Some(k) = multiple {
            // A small multiple draws its own scenario alone, in its colour.
            let want = PALETTE[k].to_string();
            let c = colours(
                &rects
                    .iter()
                    .chain(&lines)
                    .chain(&bands)
                    .copied()
                    .filter(|m| m.colour != WHISKER)
                    .collect::<Vec<_>>(),
            );
            assert_eq!(
                c.into_iter().collect::<Vec<_>>(),
                [want],
                "{why}: small multiple {k}"
            );
        }
        match (name, if multiple.is_some() { 1 } else { scenarios }) {
            // Bars of the waits: at once, apart, and several longer bins; whiskers on them.
            ("wait-distribution", _) => {
                assert!(rects.len() >= 8, "{why}");
                assert!(lines.len() >= 8, "{why} (whiskers)");
                // The bar of the calls answered at once stands left of every bin.
                let mut xs: Vec<(f64, f64)> =
                    rects.iter().map(|r| (r.bounds.0, r.bounds.2)).collect();
                xs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let gap = xs[1].0 - xs[0].1;
                let bin_gap = xs[2].0 - xs[1].1;
                assert!(
                    gap > 3.0 * bin_gap.max(1.0),
                    "{why}: the answered at once are not apart ({gap} px)"
                );
            }
            // Bars for at least 3 CSAT values per scenario, in each scenario's colour.
            ("csat-distribution", n) => {
                assert!(rects.len() >= 3 * n, "{why}");
                assert!(colours(&rects).len() >= n, "{why}");
            }
            // Three panels (service level, mean wait, staffing) per scenario.
            ("intervals", _) => {
                let long: Vec<&Mark> = lines.iter().copied().filter(|l| l.points >= 4).collect();
                assert!(long.len() >= 3, "{why}");
                let want = if scenarios == 1 { 3 } else { 1 };
                assert!(colours(&long).len() >= want, "{why}");
                assert!(!bands.is_empty(), "{why}");
            }
            // One scenario: a bar lowering satisfaction and one raising it, in the
            // legend's colours; several: bars in each scenario's colour.
            ("satisfaction-drivers", 1) => {
                let c = colours(&rects);
                assert!(
                    c.contains("#D55E00") && c.contains("#009E73"),
                    "{why}: {c:?}"
                );
            }
            ("satisfaction-drivers", n) => {
                assert!(rects.len() >= 2 * n && colours(&rects).len() >= n, "{why}");
            }
            _ => unreachable!(),
        }
    }
}

/// Checks what a page must be: one self-contained file, no script, nothing fetched, every
/// chart in a figure with a caption.
pub(crate) fn check_page(html: &str) {
    assert!(
        html.starts_with("<!doctype html>"),
        "{}",
        &html[..40.min(html.len())]
    );
    let lower = html.to_lowercase();
    for bad in [
        "<script", "http://", "https://", "<link", "<img", "<iframe", "@import", "url(", " src=",
        " href=",
    ] {
        assert!(!lower.contains(bad), "the page contains `{bad}`");
    }
    assert!(html.contains(&format!(
        "<dt>rappel</dt><dd>{}</dd>",
        env!("CARGO_PKG_VERSION")
    )));
    let figures: Vec<&str> = html
        .split("<figure>")
        .skip(1)
        .map(|f| &f[..f.find("</figure>").unwrap()])
        .collect();
    assert_eq!(figures.len(), CHARTS.len());
    for (f, name) in figures.iter().zip(CHARTS) {
        assert!(
            f.contains(&format!("data-chart=\"{name}\"")),
            "figure for {name}"
        );
        assert!(
            f.contains("<figcaption>") && f.contains("</figcaption>"),
            "caption of {name}"
        );
    }
    check_text_apart(html);
}

/// Checks that no two horizontal texts of a chart overlap, estimating each text's box
/// from its length and font size (a generous 0.6 em per character).
fn check_text_apart(html: &str) {
    for svg in svgs(html) {
        let mut boxes: Vec<(String, (f64, f64, f64, f64))> = Vec::new();
        for piece in svg.text.split("<text").skip(1) {
            let tag = &piece[..piece.find('>').unwrap()];
            if tag.contains("transform=") {
                continue;
            }
            let content = piece[tag.len() + 1..piece.find("</text>").unwrap()]
                .trim()
                .to_string();
            let chars = content
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .chars()
                .count() as f64;
            let (x, y) = (num_attr(tag, "x"), num_attr(tag, "y"));
            let size = num_attr(tag, "font-size");
            let w = chars * size * 0.6;
            let x0 = match attr(tag, "text-anchor").as_deref() {
                Some("middle") => x - w / 2.0,
                Some("end") => x - w,
                _ => x,
            };
            let y0 = match attr(tag, "dy").as_deref() {
                Some("0.76em") => y,
                Some("-0.5ex") => y - size,
                _ => y - size / 2.0,
            };
            let b = (x0 + 1.0, y0 + 1.0, x0 + w - 1.0, y0 + size - 1.0);
            for (other, o) in &boxes {
                let apart = b.2 <= o.0 || o.2 <= b.0 || b.3 <= o.1 || o.3 <= b.1;
                assert!(apart, "chart {}: `{content}` overlaps `{other}`", svg.name);
            }
            boxes.push((content, b));
        }
    }
}

#[test]
fn a_run_report_holds_every_chart_with_data_and_the_headline_table() {
    let tmp = tempfile::tempdir().unwrap();
    let path = run_report(tmp.path(), "run", &[]);
    let html = std::fs::read_to_string(&path).unwrap();
    check_page(&html);
    check_charts(&html, 1);
    // The scenario's name, escaped wherever it appears.
    assert!(html.contains(&format!("<h1><small>rappel report</small>{NAME_HTML}</h1>")));
    assert!(!html.contains("<b>\"centre\"</b>") && !html.contains("Jerry's"));
    assert!(html.contains("<dt>Seed</dt><dd>11</dd>"));
    assert!(html.contains("<dt>Replications</dt><dd>4</dd>"));
    // The headline table: every headline metric, with the mean of summary.csv.
    let scenario = Scenario::from_toml(&centre(NAME, 10), "centre.toml").unwrap();
    let (header, rows) = read_csv(&path.with_file_name("summary.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    for m in headline(&scenario) {
        let label = m.label().replace('&', "&amp;");
        let row = table_row(&html, &label).unwrap_or_else(|| panic!("no row for {}", m.label()));
        if m.name() == "service_level" {
            let csv = rows.iter().find(|r| r[col("metric")] == m.name()).unwrap();
            let mean: f64 = csv[col("mean")].parse().unwrap();
            assert!(
                row.contains(&format!("<td>{:.1} %</td>", mean * 100.0)),
                "{row}"
            );
        }
    }
    // Listed in run.json with the other files.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_file_name("run.json")).unwrap())
            .unwrap();
    assert!(
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "report.html"),
        "{json}"
    );
}

#[test]
fn a_comparison_report_overlays_the_scenarios_with_their_paired_differences() {
    let tmp = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(compare_report(tmp.path())).unwrap();
    check_page(&html);
    check_charts(&html, 2);
    assert!(html.contains(NAME_HTML) && html.contains(OTHER_HTML));
    assert!(!html.contains(OTHER));
    // The differences' column under a short key named above the table, with significant
    // differences marked.
    assert!(html.contains("<th>B − A</th>"), "no column B − A");
    assert!(html.contains(&format!("<b>A</b>: {NAME_HTML} (baseline)")));
    assert!(html.contains(&format!("<b>B</b>: {OTHER_HTML}")));
    let mean_wait = table_row(&html, "Mean wait").unwrap();
    // Three more agents shorten the waits: a negative, significant difference.
    assert!(mean_wait.contains("class=\"sig\">* −"), "{mean_wait}");
    assert!(
        html.contains("<dt>Seed</dt><dd>11</dd>")
            && html.contains("<dt>Replications</dt><dd>4</dd>")
    );
}

#[test]
fn the_report_is_the_same_byte_for_byte_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let a = std::fs::read(run_report(tmp.path(), "one", &["--threads", "1"])).unwrap();
    let b = std::fs::read(run_report(tmp.path(), "two", &["--threads", "3"])).unwrap();
    assert!(a == b, "report.html differs between runs");
}

#[test]
fn every_shipped_scenario_gives_a_report_whose_texts_do_not_overlap() {
    let tmp = tempfile::tempdir().unwrap();
    for (k, file) in shipped().iter().enumerate() {
        let out = tmp.path().join(k.to_string());
        rappel()
            .args(["run", "--quiet", "--report", "--replications", "2", "--out"])
            .arg(&out)
            .arg(file)
            .assert()
            .success();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        check_page(&html);
        let names: Vec<String> = svgs(&html).into_iter().map(|s| s.name).collect();
        let want: Vec<&str> = CHARTS.iter().chain(&RESPONSE).copied().collect();
        assert_eq!(names, want, "{}", file.display());
        check_response(&html);
    }
}

#[test]
fn without_the_flag_no_report_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("centre.toml");
    std::fs::write(&file, centre(NAME, 10)).unwrap();
    let out = tmp.path().join("out");
    rappel()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    assert!(out.join("summary.csv").exists() && !out.join("report.html").exists());
}
