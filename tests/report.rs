//! The HTML report (`--report`): its structure read as text, then the page rendered in a
//! real headless browser (Debian's chromium), whose screenshots are kept under
//! `target/test-artifacts/`.

use crate::common::{rappel, read_csv, root, shipped};
use rappel::output::headline;
use rappel::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small centre overloaded at its peak, so that calls wait, abandon and leave tickets
/// unresolved; its name needs escaping.
fn centre(name: &str, agents: u32) -> String {
    format!(
        r#"name = "{}"
[simulation]
days = 1
open = "08:00"
close = "14:00"
interval = "30m"
replications = 4
seed = 11
[arrivals]
rates_per_hour = [60, 120, 180, 180, 120, 90, 60, 60, 60, 60, 60, 60]
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "4m" }}
patience = {{ dist = "exponential", mean = "3m" }}
[[teams]]
name = "agents"
agents = {agents}
serves = ["general"]
"#,
        name.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

const NAME: &str = r#"Tom & Jerry's <b>"centre"</b>"#;
const NAME_HTML: &str = "Tom &amp; Jerry&#39;s &lt;b&gt;&quot;centre&quot;&lt;/b&gt;";
const OTHER: &str = "more <agents>";
const OTHER_HTML: &str = "more &lt;agents&gt;";

/// The charts every report has, by their `data-chart` names.
const CHARTS: [&str; 4] = [
    "wait-distribution",
    "csat-distribution",
    "intervals",
    "satisfaction-drivers",
];

/// Runs the centre with `--report` (and `extra` arguments) into `out`; returns report.html.
fn run_report(dir: &Path, out: &str, extra: &[&str]) -> PathBuf {
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
fn compare_report(dir: &Path) -> PathBuf {
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
struct Svg {
    name: String,
    width: f64,
    height: f64,
    text: String,
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
fn svgs(html: &str) -> Vec<Svg> {
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
        let (bounds, points) = match kind.as_str() {
            "rect" => {
                let (x, y) = (num_attr(&tag, "x"), num_attr(&tag, "y"));
                let (w, h) = (num_attr(&tag, "width"), num_attr(&tag, "height"));
                ((x, y, x + w, y + h), 4)
            }
            "circle" => {
                let (x, y, r) = (
                    num_attr(&tag, "cx"),
                    num_attr(&tag, "cy"),
                    num_attr(&tag, "r"),
                );
                ((x - r, y - r, x + r, y + r), 1)
            }
            "line" => {
                let p = [
                    (num_attr(&tag, "x1"), num_attr(&tag, "y1")),
                    (num_attr(&tag, "x2"), num_attr(&tag, "y2")),
                ];
                (bbox(&p), 2)
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
                (bbox(&p), p.len())
            }
        };
        out.push(Mark {
            kind,
            colour,
            bounds,
            points,
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

/// Checks that every chart is there once, sized, with visible data marks inside it:
/// `scenarios` overlaid (1 for a run's report).
fn check_charts(html: &str, scenarios: usize) {
    let all = svgs(html);
    for name in CHARTS {
        let found: Vec<&Svg> = all.iter().filter(|s| s.name == name).collect();
        assert_eq!(found.len(), 1, "chart {name}: {} found", found.len());
        let svg = found[0];
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
        match (name, scenarios) {
            // Bars of the waits: 0 s and several longer bins; whiskers on them.
            ("wait-distribution", 1) => {
                assert!(rects.len() >= 8, "{why}");
                assert!(lines.len() >= 8, "{why} (whiskers)");
            }
            // One line through the bins per scenario, at least one with a band.
            ("wait-distribution", n) => {
                let long: Vec<&Mark> = lines.iter().copied().filter(|l| l.points >= 5).collect();
                assert!(colours(&long).len() >= n, "{why}");
                assert!(!bands.is_empty(), "{why}");
            }
            // Bars for at least 3 CSAT values per scenario, in each scenario's colour.
            ("csat-distribution", n) => {
                assert!(rects.len() >= 3 * n, "{why}");
                assert!(colours(&rects).len() >= n, "{why}");
            }
            // Three panels (service level, mean wait, staffing) per scenario.
            ("intervals", n) => {
                let long: Vec<&Mark> = lines.iter().copied().filter(|l| l.points >= 4).collect();
                assert!(long.len() >= 3 * n, "{why}");
                let want = if n == 1 { 3 } else { n };
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
fn check_page(html: &str) {
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
        let row = html
            .split("<tr>")
            .find(|r| r.starts_with(&format!("<td>{label}</td>")))
            .unwrap_or_else(|| panic!("no row for {}", m.label()));
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
    // The differences' column, with significant differences marked.
    assert!(html.contains(&format!("<th>{OTHER_HTML} − {NAME_HTML}</th>")));
    let mean_wait = html
        .split("<tr>")
        .find(|r| r.starts_with("<td>Mean wait</td>"))
        .unwrap();
    // Three more agents shorten the waits: a negative, significant difference.
    assert!(mean_wait.contains("<td class=\"sig\">* −"), "{mean_wait}");
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
        assert_eq!(names, CHARTS, "{}", file.display());
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

// ---------------------------------------------------------------------------------------
// In a real browser.

/// Debian's chromium, or `None` (with a note) when RAPPEL_SKIP_BROWSER=1. Anywhere else a
/// missing chromium fails the test: CI must not pass without having looked.
fn chromium() -> Option<PathBuf> {
    if std::env::var("RAPPEL_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("note: RAPPEL_SKIP_BROWSER=1: the report is not checked in a browser");
        return None;
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("chromium"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let found = std::iter::once(PathBuf::from("/usr/bin/chromium"))
        .chain(on_path)
        .find(|p| p.is_file());
    match found {
        Some(p) => Some(p),
        None => panic!(
            "chromium not found (/usr/bin/chromium, or `chromium` on PATH): the HTML report \
             is checked in a real headless browser.\n  help: install it (Debian: `apt-get \
             install chromium`; .ci/run does), or set RAPPEL_SKIP_BROWSER=1 to skip this test"
        ),
    }
}

/// Runs headless chromium on `page` with `args`; returns its standard output.
fn headless(chromium: &Path, page: &Path, args: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    // Read the pipes on threads, so that a chatty browser never blocks on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).map(|_| v)
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took over 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = out.join().unwrap().unwrap_or_default();
    let stderr = err.join().unwrap().unwrap_or_default();
    assert!(
        status.success(),
        "chromium failed ({status}) on {}:\n{}",
        page.display(),
        String::from_utf8_lossy(&stderr)
    );
    stdout
}

/// Where the screenshots are kept (under target/, which git ignores).
fn artefacts() -> PathBuf {
    let dir = root().join("target").join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Pixels of strong colour (the charts' data colours; text, axes, grid and page are grey).
fn coloured(img: &png::Image, x0: usize, y0: usize, x1: usize, y1: usize) -> usize {
    let mut n = 0;
    for y in y0..y1.min(img.height) {
        for x in x0..x1.min(img.width) {
            let (r, g, b) = img.rgb(x, y);
            if r.max(g).max(b) - r.min(g).min(b) >= 80 {
                n += 1;
            }
        }
    }
    n
}

/// Loads report `page` in chromium: checks the charts in the DOM it builds, keeps a
/// screenshot of the page as `<stem>.png`, then lays each chart of that DOM out alone in
/// a slot of its own and checks the rendered pixels of every slot (`<stem>-charts.png`).
fn check_in_browser(page: &Path, scenarios: usize, stem: &str) {
    let Some(chromium) = chromium() else {
        return;
    };
    let started = Instant::now();
    let dom = String::from_utf8(headless(&chromium, page, &["--dump-dom".into()])).unwrap();
    assert!(dom.contains("</html>"), "no DOM dumped: {dom}");
    check_charts(&dom, scenarios);
    let charts: Vec<Svg> = svgs(&dom)
        .into_iter()
        .filter(|s| CHARTS.contains(&s.name.as_str()))
        .collect();

    // The whole page, as a person sees it.
    let (width, height) = (1280, 4200 + 700 * (scenarios - 1));
    let shot = artefacts().join(format!("{stem}.png"));
    let _ = std::fs::remove_file(&shot);
    headless(
        &chromium,
        page,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={width},{height}"),
        ],
    );
    let bytes =
        std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot {}: {e}", shot.display()));
    assert!(
        bytes.len() > 100_000,
        "screenshot of {} bytes only",
        bytes.len()
    );
    let img = png::decode(&bytes);
    assert_eq!((img.width, img.height), (width, height));
    let page_colour = coloured(&img, 0, 0, img.width, img.height);
    assert!(
        page_colour > 20_000,
        "{page_colour} coloured pixels on the whole page"
    );

    // Each chart alone in a slot, under the page's style sheet: its own data must show.
    let slot = charts.iter().map(|s| s.height as usize).max().unwrap_or(0) + 40;
    let style = dom
        .find("<style>")
        .and_then(|a| {
            dom[a..]
                .find("</style>")
                .map(|b| &dom[a..a + b + "</style>".len()])
        })
        .unwrap_or("");
    let mut layout = format!(
        "<!doctype html><html><head>{style}</head><body style=\"margin:0;background:#fff\">"
    );
    for (k, svg) in charts.iter().enumerate() {
        layout.push_str(&format!(
            "<div style=\"position:absolute;left:0;top:{}px\">{}</div>",
            k * slot,
            svg.text
        ));
    }
    layout.push_str("</body></html>");
    let layout_page = page.with_file_name(format!("{stem}-charts.html"));
    std::fs::write(&layout_page, layout).unwrap();
    let shot = artefacts().join(format!("{stem}-charts.png"));
    let _ = std::fs::remove_file(&shot);
    headless(
        &chromium,
        &layout_page,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size=1000,{}", slot * charts.len()),
        ],
    );
    let img = png::decode(&std::fs::read(&shot).unwrap());
    for (k, svg) in charts.iter().enumerate() {
        let n = coloured(
            &img,
            0,
            k * slot,
            svg.width as usize,
            k * slot + svg.height as usize,
        );
        assert!(
            n >= 1500,
            "chart {} rendered only {n} coloured pixels",
            svg.name
        );
    }
    eprintln!(
        "report checked in chromium in {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        artefacts().display()
    );
}

#[test]
fn a_run_report_renders_every_chart_with_data_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let page = run_report(tmp.path(), "run", &[]);
    check_in_browser(&page, 1, "report");
}

#[test]
fn a_comparison_report_renders_every_chart_with_data_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let page = compare_report(tmp.path());
    check_in_browser(&page, 2, "compare-report");
}

/// A small PNG reader for the screenshots: 8-bit RGB or RGBA, not interlaced (what
/// chromium writes), with its own inflate, since the tests add no crate for it.
mod png {
    /// Decoded pixels.
    pub struct Image {
        pub width: usize,
        pub height: usize,
        channels: usize,
        data: Vec<u8>,
    }

    impl Image {
        pub fn rgb(&self, x: usize, y: usize) -> (u8, u8, u8) {
            let i = (y * self.width + x) * self.channels;
            (self.data[i], self.data[i + 1], self.data[i + 2])
        }
    }

    pub fn decode(bytes: &[u8]) -> Image {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        let (mut width, mut height, mut channels) = (0, 0, 0);
        let mut idat = Vec::new();
        let mut pos = 8;
        while pos + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
            let kind = &bytes[pos + 4..pos + 8];
            let body = &bytes[pos + 8..pos + 8 + len];
            match kind {
                b"IHDR" => {
                    width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                    height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                    assert_eq!(body[8], 8, "bit depth");
                    channels = match body[9] {
                        2 => 3,
                        6 => 4,
                        c => panic!("PNG colour type {c} not supported"),
                    };
                    assert_eq!(body[12], 0, "interlaced PNG not supported");
                }
                b"IDAT" => idat.extend_from_slice(body),
                b"IEND" => break,
                _ => {}
            }
            pos += 12 + len;
        }
        let raw = inflate(&idat[2..]); // after the zlib header
        let stride = width * channels;
        assert!(raw.len() >= height * (stride + 1), "PNG data too short");
        let mut data = vec![0u8; height * stride];
        for y in 0..height {
            let filter = raw[y * (stride + 1)];
            let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
            for i in 0..stride {
                let a = if i >= channels {
                    data[y * stride + i - channels]
                } else {
                    0
                };
                let b = if y > 0 { data[(y - 1) * stride + i] } else { 0 };
                let c = if y > 0 && i >= channels {
                    data[(y - 1) * stride + i - channels]
                } else {
                    0
                };
                let predicted = match filter {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    4 => {
                        let p = i16::from(a) + i16::from(b) - i16::from(c);
                        let (pa, pb, pc) = (
                            (p - i16::from(a)).abs(),
                            (p - i16::from(b)).abs(),
                            (p - i16::from(c)).abs(),
                        );
                        if pa <= pb && pa <= pc {
                            a
                        } else if pb <= pc {
                            b
                        } else {
                            c
                        }
                    }
                    f => panic!("PNG filter {f}"),
                };
                data[y * stride + i] = line[i].wrapping_add(predicted);
            }
        }
        Image {
            width,
            height,
            channels,
            data,
        }
    }

    struct Bits<'a> {
        data: &'a [u8],
        pos: usize,
        buf: u64,
        cnt: u32,
    }

    impl Bits<'_> {
        fn need(&mut self, n: u32) -> u32 {
            while self.cnt < n {
                let b = *self.data.get(self.pos).expect("deflate stream cut short");
                self.pos += 1;
                self.buf |= u64::from(b) << self.cnt;
                self.cnt += 8;
            }
            let v = (self.buf & ((1u64 << n) - 1)) as u32;
            self.buf >>= n;
            self.cnt -= n;
            v
        }
    }

    /// Canonical Huffman code: count of codes per length, symbols by code.
    struct Huffman {
        counts: [u16; 16],
        symbols: Vec<u16>,
    }

    fn huffman(lengths: &[u8]) -> Huffman {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut offsets = [0u16; 16];
        for l in 1..15 {
            offsets[l + 1] = offsets[l] + counts[l];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[usize::from(offsets[usize::from(l)])] = s as u16;
                offsets[usize::from(l)] += 1;
            }
        }
        Huffman { counts, symbols }
    }

    fn decode_symbol(bits: &mut Bits, h: &Huffman) -> usize {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.need(1) as i32;
            let count = i32::from(h.counts[len]);
            if code - count < first {
                return usize::from(h.symbols[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        panic!("bad Huffman code in the PNG");
    }

    const LBASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LEXT: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DBASE: [u16; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DEXT: [u8; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];

    /// Inflates a raw deflate stream (RFC 1951).
    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut bits = Bits {
            data,
            pos: 0,
            buf: 0,
            cnt: 0,
        };
        let mut out = Vec::new();
        loop {
            let last = bits.need(1) == 1;
            match bits.need(2) {
                0 => {
                    bits.buf = 0;
                    bits.cnt = 0;
                    let p = bits.pos;
                    let len = usize::from(u16::from_le_bytes([data[p], data[p + 1]]));
                    out.extend_from_slice(&data[p + 4..p + 4 + len]);
                    bits.pos = p + 4 + len;
                }
                1 => {
                    let mut l = [8u8; 288];
                    l[144..256].fill(9);
                    l[256..280].fill(7);
                    codes(&mut bits, &mut out, &huffman(&l), &huffman(&[5u8; 30]));
                }
                2 => {
                    let nlen = bits.need(5) as usize + 257;
                    let ndist = bits.need(5) as usize + 1;
                    let ncode = bits.need(4) as usize + 4;
                    const ORDER: [usize; 19] = [
                        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                    ];
                    let mut cl = [0u8; 19];
                    for &o in &ORDER[..ncode] {
                        cl[o] = bits.need(3) as u8;
                    }
                    let clh = huffman(&cl);
                    let mut lengths = Vec::with_capacity(nlen + ndist);
                    while lengths.len() < nlen + ndist {
                        let sym = decode_symbol(&mut bits, &clh);
                        let (value, times) = match sym {
                            0..=15 => (sym as u8, 1),
                            16 => (
                                *lengths.last().expect("repeat with no length"),
                                3 + bits.need(2),
                            ),
                            17 => (0, 3 + bits.need(3)),
                            _ => (0, 11 + bits.need(7)),
                        };
                        lengths.extend(std::iter::repeat_n(value, times as usize));
                    }
                    codes(
                        &mut bits,
                        &mut out,
                        &huffman(&lengths[..nlen]),
                        &huffman(&lengths[nlen..]),
                    );
                }
                _ => panic!("bad deflate block type"),
            }
            if last {
                return out;
            }
        }
    }

    fn codes(bits: &mut Bits, out: &mut Vec<u8>, lens: &Huffman, dists: &Huffman) {
        loop {
            let sym = decode_symbol(bits, lens);
            if sym < 256 {
                out.push(sym as u8);
            } else if sym == 256 {
                return;
            } else {
                let s = sym - 257;
                let len = usize::from(LBASE[s]) + bits.need(u32::from(LEXT[s])) as usize;
                let d = decode_symbol(bits, dists);
                let dist = usize::from(DBASE[d]) + bits.need(u32::from(DEXT[d])) as usize;
                let start = out.len() - dist;
                for k in 0..len {
                    out.push(out[start + k]);
                }
            }
        }
    }
}
