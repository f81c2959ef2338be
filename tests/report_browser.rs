//! The HTML report rendered in a real headless browser (Debian's chromium), whose
//! screenshots are kept under `target/test-artifacts/`.

use crate::common::root;
use crate::report::{CHARTS, Svg, check_charts, compare_report, run_report, svgs};
use crate::support::png;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// The page's layout as chromium lays it out at `width` pixels: a copy of `page` with a
/// script that writes, once the page is parsed, the viewport's width, the document's
/// width (`scrollWidth`, wider when anything overflows) and the comparison table's right
/// edge into attributes of `<body>`; returns them.
fn layout_at(chromium: &Path, page: &Path, width: usize) -> (f64, f64, f64) {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = "<script>(function(){var b=document.body,t=document.querySelector('table');\
        b.setAttribute('data-inner',window.innerWidth);\
        b.setAttribute('data-scroll',document.documentElement.scrollWidth);\
        b.setAttribute('data-table',t?t.getBoundingClientRect().right:0);})();</script>";
    let copy = page.with_file_name(format!("probe-{width}.html"));
    std::fs::write(&copy, html.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let dom = String::from_utf8(headless(
        chromium,
        &copy,
        &["--dump-dom".into(), format!("--window-size={width},1200")],
    ))
    .unwrap();
    let body = &dom[dom.find("<body").expect("a body")..];
    let body = &body[..body.find('>').unwrap()];
    let get = |name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = body
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {body}"))
            + key.len();
        body[at..at + body[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (get("data-inner"), get("data-scroll"), get("data-table"))
}

/// The texts of an `<svg>`, in document order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|p| {
            let start = p.find('>')? + 1;
            let end = p.find("</text>")?;
            Some(p[start..end].trim().to_string())
        })
        .collect()
}

#[test]
fn a_four_scenario_comparison_fits_the_page_at_1280_and_800_pixels_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let (page, _) = crate::report_compare::four_compared(tmp.path(), 2);
    let Some(chromium) = chromium() else {
        return;
    };
    // The charts as chromium builds them: the small multiples each hold their own marks.
    let dom = String::from_utf8(headless(&chromium, &page, &["--dump-dom".into()])).unwrap();
    check_charts(&dom, 4);
    // Over two days, the days are named as intervals.csv names them, from day 0, with
    // clock times every 2 or 3 hours between.
    for svg in svgs(&dom).iter().filter(|s| s.name == "intervals") {
        let labels = texts(&svg.text);
        let days: Vec<&String> = labels.iter().filter(|t| t.starts_with("day ")).collect();
        assert_eq!(
            days.first().map(|d| d.as_str()),
            Some("day 0"),
            "{labels:?}"
        );
        assert!(!labels.iter().any(|t| t == "day 2"), "{labels:?}");
        let first = labels.iter().position(|t| t == "day 0").unwrap();
        let clock: Vec<f64> = labels[first + 1..]
            .iter()
            .take_while(|t| !t.starts_with("day "))
            .filter_map(|t| {
                let (h, m) = t.split_once(':')?;
                Some(h.parse::<f64>().ok()? + m.parse::<f64>().ok()? / 60.0)
            })
            .collect();
        assert!(clock.len() >= 2, "clock ticks of day 0: {labels:?}");
        for w in clock.windows(2) {
            assert!(
                w[1] - w[0] <= 3.0,
                "ticks {} h apart: {labels:?}",
                w[1] - w[0]
            );
        }
    }
    for width in [1280, 800] {
        let (inner, scroll, table) = layout_at(&chromium, &page, width);
        assert_eq!(inner, width as f64, "viewport");
        assert!(
            scroll <= inner,
            "at {width} px the page is {scroll} px wide: something overflows"
        );
        assert!(
            table > 0.0 && table <= inner,
            "at {width} px the table ends at {table} px"
        );
        let shot = artefacts().join(format!("compare4-{width}.png"));
        let _ = std::fs::remove_file(&shot);
        headless(
            &chromium,
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},9000"),
            ],
        );
        let img = png::decode(&std::fs::read(&shot).unwrap());
        assert_eq!(img.width, width);
        let colour = coloured(&img, 0, 0, img.width, img.height);
        assert!(colour > 20_000, "{colour} coloured pixels at {width} px");
    }
}

/// Six scenarios, the most the compare layout plans for (the flagship's four, virtual hold
/// and appointments): at 1280 and 800 pixels, and at 700 (about the printable width of an
/// A4 page at 96 dpi, what a PDF print lays out), nothing overflows the page, and the table
/// ends inside it.
#[test]
fn a_six_scenario_comparison_fits_the_page_at_1280_800_and_700_pixels_in_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("compare6");
    let scenarios = crate::common::root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios.join("flagship"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(scenarios.join("virtual-hold.toml"));
    files.push(scenarios.join("appointments.toml"));
    crate::common::rappel()
        .args([
            "compare",
            "--quiet",
            "--report",
            "--replications",
            "2",
            "--out",
        ])
        .arg(&out)
        .args(&files)
        .assert()
        .success();
    let page = out.join("report.html");
    for width in [1280, 800, 700] {
        let (inner, scroll, table) = layout_at(&chromium, &page, width);
        assert_eq!(inner, width as f64, "viewport");
        assert!(
            scroll <= inner,
            "at {width} px the page is {scroll} px wide: something overflows"
        );
        assert!(
            table > 0.0 && table <= inner,
            "at {width} px the table ends at {table} px"
        );
    }
}
