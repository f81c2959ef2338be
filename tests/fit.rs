//! `rappel fit` and `rappel run --calls`: a scenario learnt from the shipped excerpt of the
//! Anonymous Bank log, bad logs refused with their place, and a log simulated by rappel
//! from a known scenario fitted back to its parameters within their standard errors.

use crate::common::{rappel, read_csv, root};
use proptest::prelude::*;
use rappel::centre::{CallRecord, simulate_with_calls};
use rappel::fit::{Family, FitOptions, fit, parse_log};
use rappel::output::calls::{CallRow, call_columns, call_row};
use rappel::scenario::Scenario;
use tempfile::TempDir;

#[test]
fn fit_on_the_excerpt_writes_a_valid_scenario_a_backtest_and_a_report() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("fitted");
    let run = rappel()
        .arg("fit")
        .arg(root().join("data/anonymous-bank-excerpt.csv"))
        .arg("--out")
        .arg(&out)
        .args(["--replications", "4"])
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Back-test"), "{stdout}");
    assert!(stdout.contains("left out: "), "{stdout}");
    for f in [
        "scenario.toml",
        "forecast.csv",
        "estimates.csv",
        "fitted_staffing.csv",
        "type_mix.csv",
        "backtest.csv",
        "report.html",
        "fit.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    rappel()
        .arg("validate")
        .arg(out.join("scenario.toml"))
        .assert()
        .success();
    // Several types: the forecast gives each type's calls per weekday and interval, whose
    // counts over the log are type_mix.csv's, and the scenario has no `share` key.
    let text = std::fs::read_to_string(out.join("forecast.csv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("day,type,interval_start,calls"));
    let forecast: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let scenario = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(
        !scenario.lines().any(|l| l.starts_with("share")),
        "{scenario}"
    );
    // Each interval of each day keeps the log's mix: the scenario's share of a type there
    // is the type's calls in the forecast over all types' calls in that interval.
    let s = rappel::scenario::Scenario::from_file(&out.join("scenario.toml")).unwrap();
    let types: Vec<&str> = s.ticket_types.iter().map(|t| t.name.as_str()).collect();
    let mut calls = std::collections::BTreeMap::<(usize, String), Vec<f64>>::new();
    for r in &forecast {
        let k = types.iter().position(|t| *t == r[1]).unwrap();
        let v = calls
            .entry((r[0].parse().unwrap(), r[2].clone()))
            .or_insert_with(|| vec![0.0; types.len()]);
        v[k] += r[3].parse::<f64>().unwrap();
    }
    let mut checked = 0;
    for ((day, start), v) in &calls {
        let total: f64 = v.iter().sum();
        if total == 0.0 {
            continue;
        }
        let i = s
            .day
            .interval_in_day(rappel::scenario::parse_clock(start).unwrap())
            .unwrap();
        let mix = s.arrivals.mix(*day, i).unwrap();
        for (k, c) in v.iter().enumerate() {
            assert!(
                (mix[k] - c / total).abs() < 1e-12,
                "day {day} {start}: {mix:?} {v:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "{checked} intervals with calls");
    let (header, rows) = read_csv(&out.join("backtest.csv"));
    assert_eq!(header[0], "interval_start");
    // 48 intervals of 30 minutes and the whole log, five figures each.
    assert_eq!(rows.len(), 49 * 5);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for chart in [
        "backtest-abandon_rate",
        "backtest-service_level",
        "qq-handle",
        "patience-km",
        "staffing",
    ] {
        assert!(html.contains(&format!("data-chart=\"{chart}\"")), "{chart}");
    }
    // The scenario written, back-tested again by --check: the same figures.
    let again = tmp.path().join("again");
    rappel()
        .arg("fit")
        .arg(root().join("data/anonymous-bank-excerpt.csv"))
        .arg("--check")
        .arg(out.join("scenario.toml"))
        .args(["--replications", "4", "-q", "--out"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(out.join("backtest.csv")).unwrap(),
        std::fs::read(again.join("backtest.csv")).unwrap()
    );
    // Run again into the same folder: it is rappel's own, replaced whole.
    rappel()
        .arg("fit")
        .arg(root().join("data/anonymous-bank-excerpt.csv"))
        .arg("--out")
        .arg(&out)
        .args(["--no-check", "-q"])
        .assert()
        .success();
    assert!(!out.join("backtest.csv").exists());
}

/// The excerpt's header and its first call that queued, for bad variants.
fn bank_lines() -> (String, String) {
    let text = std::fs::read_to_string(root().join("data/anonymous-bank-excerpt.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let queued = lines
        .find(|l| l.contains(",AGENT,") && !l.contains(",0:00:00,0:00:00,"))
        .unwrap();
    (header, queued.to_string())
}

/// Fits `text` and checks exit 2, a message naming the place and a help line, and that
/// no output folder was made.
fn refused(text: &str, place: &str, words: &str) {
    let tmp = TempDir::new().unwrap();
    let log = tmp.path().join("log.csv");
    std::fs::write(&log, text).unwrap();
    let out = tmp.path().join("out");
    let run = rappel()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(&format!("log.csv:{place}")),
        "{place} not in: {err}"
    );
    assert!(err.contains(words), "{words} not in: {err}");
    assert!(err.contains("help: "), "{err}");
    assert!(!out.exists(), "an output folder was made");
}

#[test]
fn bad_logs_are_refused_with_file_line_column_and_a_fix() {
    let (header, row) = bank_lines();
    let fields: Vec<&str> = row.split(',').collect();
    let names: Vec<&str> = header.split(',').collect();
    let with = |name: &str, value: &str| -> String {
        let k = names.iter().position(|n| *n == name).unwrap();
        let mut f = fields.clone();
        f[k] = value;
        format!("{header}\n{row}\n{}\n", f.join(","))
    };
    let column = |name: &str| -> usize {
        let k = names.iter().position(|n| *n == name).unwrap();
        fields[..k].iter().map(|f| f.len() + 1).sum::<usize>() + 1
    };
    refused("", "1", "empty");
    refused(
        &format!("{}\n{row}\n", header.replace("q_time", "wait")),
        "1",
        "`q_time`",
    );
    // A queued call with a broken clock time (the first row of the excerpt queued).
    let queued = with("q_start", "10:7x:00");
    let k = names.iter().position(|n| *n == "q_start").unwrap();
    let col = fields[..k].iter().map(|f| f.len() + 1).sum::<usize>() + 1;
    refused(&queued, &format!("3:{col}"), "not a time of day");
    refused(
        &with("ser_time", "-12"),
        &format!("3:{}", column("ser_time")),
        "negative",
    );
    refused(
        &with("date", "2010-13-01"),
        &format!("3:{}", column("date")),
        "not a date",
    );
    refused(&format!("{header}\n"), "2", "no call");
    refused(
        "arrival_s,wait_s,outcome,handle_s,type\n10,0,answered,-1,a\n",
        "2:15",
        "negative",
    );
    refused(
        "arrival_s,wait_s,outcome,handle_s,type\n10,0,served,5,a\n",
        "2:6",
        "not an outcome",
    );
    // A log that would span millennia is refused, naming its last call, before any memory
    // is taken for its days.
    refused(
        "arrival_s,wait_s,outcome,handle_s,type\n10,0,answered,5,a\n1e15,0,answered,5,a\n",
        "3",
        "more than the 3660",
    );
}

#[test]
fn run_calls_writes_a_log_that_fit_reads() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("run");
    rappel()
        .arg("run")
        .arg(root().join("scenarios/erlang-a.toml"))
        .args(["--replications", "2", "--calls", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("calls.csv"));
    assert_eq!(header, call_columns());
    assert!(!rows.is_empty());
    let outcome = header.iter().position(|h| h == "outcome").unwrap();
    let handle = header.iter().position(|h| h == "handle_s").unwrap();
    let agent = header.iter().position(|h| h == "agent").unwrap();
    for r in &rows {
        assert!(matches!(r[outcome].as_str(), "answered" | "abandoned"));
        // Talk time and agent exactly when answered.
        assert_eq!(r[outcome] == "answered", !r[handle].is_empty(), "{r:?}");
        assert_eq!(r[outcome] == "answered", !r[agent].is_empty(), "{r:?}");
    }
    rappel()
        .arg("fit")
        .arg(out.join("calls.csv"))
        .args(["--no-check", "-q", "--out"])
        .arg(tmp.path().join("fit"))
        .assert()
        .success();
    rappel()
        .arg("validate")
        .arg(tmp.path().join("fit/scenario.toml"))
        .assert()
        .success();
}

/// The calls.csv text of one replication of `s`.
fn simulated_log(s: &Scenario) -> String {
    let mut calls: Vec<CallRecord> = Vec::new();
    let mut sink = |c: &CallRecord| calls.push(*c);
    simulate_with_calls(s, 0, None, &mut sink).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(call_columns()).unwrap();
    for c in &calls {
        w.write_record(call_row(&CallRow {
            scenario: s,
            replication: 0,
            call: c,
        }))
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// How many standard errors an estimate may stray from the truth: a 4-SE band misses with
/// probability 6 × 10⁻⁵ per check.
const Z: f64 = 4.0;

proptest! {
    // A fixed seed: the six cases are the same in every run, so the test is reproducible;
    // each case's own scenario seed is one of its inputs.
    #![proptest_config(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(16),
        ..ProptestConfig::default()
    })]

    /// A week simulated by rappel from a known scenario (Poisson arrivals, lognormal handle
    /// times, exponential patience, a queue that makes callers wait so that patience is
    /// censored) and fitted back: the rates, the lognormal mean and cv and the patience
    /// mean are within Z of their standard errors of the truth.
    #[test]
    fn fitting_a_simulated_log_recovers_its_parameters(
        rate in 30.0..120.0f64,
        handle in 120.0..360.0f64,
        cv in 0.4..1.6f64,
        patience in 60.0..400.0f64,
        seed in 1u64..10_000,
    ) {
        let load = rate * handle / 3600.0;
        let agents = load.floor().max(1.0) as u32;
        let toml = format!(
            "name = \"truth\"\n[simulation]\ndays = 7\ninterval = \"1h\"\nseed = {seed}\nreplications = 1\n\
             [arrivals]\nrate_per_hour = {rate}\n[[ticket_types]]\nname = \"t\"\n\
             handle_time = {{ dist = \"lognormal\", mean = {handle}, cv = {cv} }}\n\
             patience = {{ dist = \"exponential\", mean = {patience} }}\n\
             [[teams]]\nname = \"a\"\nagents = {agents}\nserves = [\"t\"]\n"
        );
        let (s, _) = Scenario::from_toml_with(&toml, "truth.toml", &rappel::scenario::Options { allow_unstable: true }).unwrap();
        let log = parse_log(&simulated_log(&s), "calls.csv").unwrap();
        let f = fit(&log, &FitOptions { interval: 3600.0, ..FitOptions::default() });
        // Rates: the week's total is Poisson, and so is each hour's count.
        let total = log.calls.len() as f64;
        let expected = rate * 24.0 * 7.0;
        prop_assert!((total - expected).abs() <= Z * expected.sqrt(), "{total} calls, {expected} expected");
        for (k, day) in f.volumes.iter().enumerate() {
            for (i, v) in day.iter().enumerate() {
                // 168 checks a case, 1,008 in all, on Poisson counts whose upper tail is
                // heavier than the normal's: at 6 SE the Chernoff bound of one check is
                // below 10⁻⁶ for rates from 30 (e⁻³⁰ (30e / 62.9)^62.9), so the family's
                // false alarms stay below 10⁻³ (at 5 SE, about 1 %: seen once).
                prop_assert!((v - rate).abs() <= 6.0 * rate.sqrt(), "day {k} hour {i}: {v} against {rate}");
            }
        }
        let ty = &f.types[0];
        let ln = ty.handle.iter().find(|h| h.family == Family::Lognormal).unwrap();
        prop_assert!((ln.mean - handle).abs() <= Z * ln.mean_se, "mean {} ± {} against {handle}", ln.mean, ln.mean_se);
        prop_assert!((ln.cv - cv).abs() <= Z * ln.cv_se, "cv {} ± {} against {cv}", ln.cv, ln.cv_se);
        let p = &ty.patience;
        prop_assert!(p.abandoned > 30 && p.queued > p.abandoned, "{} hang-ups of {} queued", p.abandoned, p.queued);
        prop_assert!((p.mean - patience).abs() <= Z * p.mean_se, "patience {} ± {} against {patience}", p.mean, p.mean_se);
        // The naive mean of the hang-ups' waits is far below: censoring matters here.
        prop_assert!(p.naive_mean < p.mean);
    }
}

#[test]
fn volumes_only_give_an_arrivals_profile_with_its_busyness() {
    let tmp = TempDir::new().unwrap();
    // Two weeks of 08:00–10:00 in half hours: Mondays 3 × busier on the second week.
    let mut text = String::from("day,interval_start,calls,agents\n");
    for d in 0..14 {
        let f = if d == 7 { 3.0 } else { 1.0 };
        for t in ["08:00", "08:30", "09:00", "09:30"] {
            text.push_str(&format!("{d},{t},{},4\n", 20.0 * f));
        }
    }
    let volumes = tmp.path().join("volumes.csv");
    std::fs::write(&volumes, text).unwrap();
    let out = tmp.path().join("fit");
    rappel()
        .arg("fit")
        .arg(&volumes)
        .args(["--handle-time", "4m", "--patience", "2m", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let toml = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    // Mondays 80 and 240 calls (mean 160, s² 12 800): cv² = (12 800 − 160) / 160² over the
    // one weekday that varies, the others adding their means² and nothing else.
    let cv2: f64 = (12_800.0 - 160.0) / (160.0f64.powi(2) + 6.0 * 80.0f64.powi(2))
        - 6.0 * 80.0 / (160.0f64.powi(2) + 6.0 * 80.0f64.powi(2));
    assert!(
        toml.contains(&format!("busyness = {{ cv = {:.3} }}", cv2.sqrt())),
        "{toml}"
    );
    assert!(
        toml.contains("mon = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4,"),
        "{toml}"
    );
    rappel()
        .arg("validate")
        .arg(out.join("scenario.toml"))
        .assert()
        .success();
}

#[test]
fn a_mapped_layout_fits_as_the_bank_format_does() {
    // The excerpt rewritten in another layout: clock times, a queue exit, other outcome words.
    let text = std::fs::read_to_string(root().join("data/anonymous-bank-excerpt.csv")).unwrap();
    let mut lines = text.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    let mut mapped = String::from("day,start,left,result,talk,kind,who\n");
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let queued = f[at("q_start")] != "0:00:00";
        let (start, left) = if queued {
            (f[at("q_start")], f[at("q_exit")])
        } else {
            (f[at("vru_exit")], f[at("vru_exit")])
        };
        let result = match (f[at("outcome")], queued) {
            ("AGENT", _) => "served",
            ("HANG", true) => "hung",
            _ => "other",
        };
        mapped.push_str(&format!(
            "{},{start},{left},{result},{},{},{}\n",
            f[at("date")],
            f[at("ser_time")],
            f[at("type")],
            f[at("server")]
        ));
    }
    let tmp = TempDir::new().unwrap();
    std::fs::write(tmp.path().join("mapped.csv"), mapped).unwrap();
    let fitted = |args: &[&str], log: &std::path::Path, out: &str| {
        rappel()
            .arg("fit")
            .arg(log)
            .args(args)
            .args(["--no-check", "-q", "--out"])
            .arg(tmp.path().join(out))
            .assert()
            .success();
        let (_, rows) = read_csv(&tmp.path().join(out).join("estimates.csv"));
        rows.into_iter()
            .filter(|r| r[0] == "handle_time" || r[0] == "patience" || r[0] == "arrivals")
            .collect::<Vec<_>>()
    };
    let bank = fitted(&[], &root().join("data/anonymous-bank-excerpt.csv"), "bank");
    let map = fitted(
        &[
            "--map",
            "arrival_s=start,date=day,exit=left,outcome=result,handle_s=talk,type=kind,agent=who",
            "--answered",
            "served",
            "--abandoned",
            "hung",
        ],
        &tmp.path().join("mapped.csv"),
        "map",
    );
    assert_eq!(bank, map);
    // A column the log does not have is named.
    rappel()
        .arg("fit")
        .arg(tmp.path().join("mapped.csv"))
        .args(["--map", "arrival_s=begin", "--out"])
        .arg(tmp.path().join("bad"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no column `begin`"));
}
