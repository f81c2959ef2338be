//! Issue 15 items 7 and 8: a forecast file of calls per interval (the format of
//! `erlang --volumes`) as a scenario's arrivals, checked with file, line and column; and the
//! busyness day factor, its output and its place in `compare`.

use crate::common::{ok, rappel, read_csv, root};
use rappel::plan::compare::customer_differences;
use rappel::run::run_scenario;
use rappel::scenario::{Busyness, Scenario};
use rappel::stats::Metric;
use tempfile::TempDir;

/// A scenario open 08:00 to 09:30 in 30-minute intervals; `arrivals` is its `[arrivals]` body.
fn scenario(arrivals: &str) -> String {
    format!(
        r#"name = "f"
[simulation]
open = "08:00"
close = "09:30"
interval = "30m"
replications = 2
[arrivals]
{arrivals}
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "4m" }}
[[teams]]
name = "agents"
agents = 10
serves = ["general"]
"#
    )
}

/// Writes `csv` as v.csv and the scenario as s.toml in a fresh folder; the errors of
/// validating it, or the scenario.
fn with_file(csv: &str, arrivals: &str) -> (TempDir, Result<Scenario, String>) {
    let tmp = TempDir::new().unwrap();
    std::fs::write(tmp.path().join("v.csv"), csv).unwrap();
    let path = tmp.path().join("s.toml");
    std::fs::write(&path, scenario(arrivals)).unwrap();
    let r = Scenario::from_file(&path).map_err(|e| e.to_string());
    (tmp, r)
}

#[test]
fn a_forecast_file_gives_the_rates_of_the_grid() {
    let (_t, s) = with_file(
        "interval_start,calls,agents\n08:00,30,\n08:30,0,4\n09:00,12.5,\n",
        "forecast = \"v.csv\"",
    );
    let s = s.unwrap();
    // Calls per 30 minutes are twice as many per hour.
    assert_eq!(s.arrivals.rates_per_hour, vec![60.0, 0.0, 25.0]);
    assert_eq!(s.arrivals.forecast.as_deref(), Some("v.csv"));
    // The same as writing the rates in the scenario.
    let inline = Scenario::from_toml(&scenario("rates_per_hour = [60, 0, 25]"), "i.toml").unwrap();
    assert_eq!(inline.arrivals.rates_per_hour, s.arrivals.rates_per_hour);
    assert!(customer_differences(&inline, &s).is_empty());
}

#[test]
fn forecast_problems_name_the_file_line_and_column() {
    let key = "`arrivals.forecast`";
    for (csv, arrivals, needle) in [
        (
            "interval_start,calls\n08:00,1\n08:15,2\n09:00,3\n",
            "forecast = \"v.csv\"",
            "v.csv:3:1: `arrivals.forecast`: `interval_start`: `08:15`, but interval 2 of the day grid starts at 08:30",
        ),
        (
            "interval_start,calls\n08:00,1\n08:30,x\n09:00,3\n",
            "forecast = \"v.csv\"",
            "v.csv:3:7: `arrivals.forecast`: `calls`: `x` is not a count of calls",
        ),
        (
            "interval_start,calls\n08:00,1\n08:30,2\n",
            "forecast = \"v.csv\"",
            "v.csv:3: `arrivals.forecast`: the file ends after 2 interval(s), but the open day has 3: the next row would start at 09:00",
        ),
        (
            "interval_start,calls\n08:00,1\n08:30,2\n09:00,3\n09:30,4\n",
            "forecast = \"v.csv\"",
            "v.csv:5:1: `arrivals.forecast`: `interval_start`: `09:30` is after the open day's last interval, 09:00",
        ),
        (
            "interval_start,calls,kind\n08:00,1,sales\n",
            "forecast = \"v.csv\"",
            "v.csv:1:22: `arrivals.forecast`: unknown column `kind`",
        ),
        (
            "interval_start,calls\n08:00,1\n08:30,2,7\n",
            "forecast = \"v.csv\"",
            "v.csv:3: `arrivals.forecast`: 3 fields, but the header has 2",
        ),
        (
            "interval_start,calls\n08:00,1e300\n08:30,2\n09:00,3\n",
            "forecast = \"v.csv\"",
            "beyond what rappel simulates",
        ),
        (
            "",
            "forecast = \"missing.csv\"",
            "s.toml:8:1: `arrivals.forecast`: cannot read",
        ),
        (
            "",
            "forecast = \"v.csv\"\nrate_per_hour = 4",
            "both `forecast` and `rate_per_hour` are given",
        ),
        (
            "",
            "rate_per_hour = 4\nbusyness = { cv = -1 }",
            "`arrivals.busyness.cv`: the coefficient of variation must be from 0 to 3, not -1",
        ),
        (
            "",
            "rate_per_hour = 4\nbusyness = { cv = 0.2, mean = 1 }",
            "`arrivals.busyness`: a table `{ cv = 0.15 }`",
        ),
        (
            "",
            "rate_per_hour = 4\nbusyness = []",
            "`arrivals.busyness`: the list is empty",
        ),
        (
            "",
            "rate_per_hour = 4\nbusyness = [0.0]",
            "no customer ever arrives",
        ),
        (
            "",
            "rate_per_hour = 4\nbusyness = [1.0, 1e300]",
            "`arrivals.busyness[1]`: a busyness factor must be at most 100, not",
        ),
    ] {
        let (_t, r) = with_file(csv, arrivals);
        let e = r.expect_err(needle);
        assert!(e.contains(needle), "{needle}\n{e}");
        assert!(e.contains(key) || !needle.contains(key), "{e}");
        assert!(!e.contains("panicked"));
    }
    // The missing file's message names the path tried; validate exits 2.
    let (t, r) = with_file("", "forecast = \"missing.csv\"");
    assert!(
        r.unwrap_err()
            .contains(&t.path().join("missing.csv").display().to_string())
    );
    let out = rappel()
        .args(["validate", t.path().join("s.toml").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.csv"));
}

#[test]
fn a_huge_or_binary_forecast_is_refused_without_panic() {
    let mut big = String::from("interval_start,calls\n");
    for i in 0..200_000 {
        big.push_str(&format!("08:{:02},{i}\n", i % 60));
    }
    for csv in [
        big.as_str(),
        "\u{feff}interval_start,calls\n",
        "\"\n\"\"\n,,,\n",
        "\u{0}\u{1}",
    ] {
        let (_t, r) = with_file(csv, "forecast = \"v.csv\"");
        assert!(r.is_err());
    }
    let tmp = TempDir::new().unwrap();
    std::fs::write(
        tmp.path().join("v.csv"),
        b"interval_start,calls\n08:00,\xff\n",
    )
    .unwrap();
    let path = tmp.path().join("s.toml");
    std::fs::write(&path, scenario("forecast = \"v.csv\"")).unwrap();
    let e = Scenario::from_file(&path).unwrap_err().to_string();
    assert!(e.contains("v.csv:2:7") && e.contains("UTF-8"), "{e}");
}

#[test]
fn busyness_shows_per_day_and_counts_as_other_customers_in_compare() {
    let s = Scenario::from_file(&root().join("scenarios/forecast.toml")).unwrap();
    assert_eq!(s.arrivals.busyness, Busyness::Gamma { cv: 0.15 });
    let mut calm = s.clone();
    calm.arrivals.busyness = Busyness::None;
    assert_eq!(
        customer_differences(&s, &calm),
        vec!["arrivals differ (busyness)".to_string()]
    );
    // A given list: every replication's day factors are the list's.
    let mut listed = s.clone();
    listed.arrivals.busyness = Busyness::List(vec![1.0, 1.5]);
    listed.simulation.horizon = 3.0 * 86_400.0;
    listed.simulation.replications = 2;
    let r = run_scenario(&listed, None, |_| {});
    let rows = rappel::output::breakdown_rows(&r);
    let factors: Vec<f64> = rows
        .iter()
        .filter(|row| row.by == "day" && row.metric == "busyness")
        .map(|row| row.estimate.mean)
        .collect();
    assert_eq!(factors, vec![1.0, 1.5, 1.0]);
    // Busier days bring more calls: day 1 has about 1.5 times day 0's.
    let offered: Vec<f64> = rows
        .iter()
        .filter(|row| row.by == "day" && row.metric == "offered")
        .map(|row| row.estimate.mean)
        .collect();
    assert!(offered[1] > 1.3 * offered[0], "{offered:?}");
    assert!(r.estimate(Metric::OfferedContacts).mean > 0.0);
}

#[test]
fn a_forecast_per_day_gives_each_day_its_profile() {
    let csv = "day,interval_start,calls\n\
               0,08:00,30\n0,08:30,0\n0,09:00,10\n\
               1,08:00,120\n1,08:30,60\n1,09:00,0\n";
    let (t, s) = with_file(csv, "forecast = \"v.csv\"");
    let mut s = s.unwrap();
    assert_eq!(s.arrivals.rates_per_hour, vec![60.0, 0.0, 20.0]);
    assert_eq!(
        s.arrivals.day_rates,
        vec![vec![60.0, 0.0, 20.0], vec![240.0, 120.0, 0.0]]
    );
    // Day d uses profile d % 2: day 1 and day 3 bring 4.5 times day 0's and 2's calls.
    s.simulation.horizon = 4.0 * 86_400.0;
    s.simulation.replications = 3;
    let r = run_scenario(&s, None, |_| {});
    let offered: Vec<f64> = rappel::output::breakdown_rows(&r)
        .iter()
        .filter(|row| row.by == "day" && row.metric == "offered")
        .map(|row| row.estimate.mean)
        .collect();
    assert_eq!(offered.len(), 4);
    assert!(
        offered[1] > 3.0 * offered[0] && offered[3] > 3.0 * offered[2],
        "{offered:?}"
    );
    // A different set of days is a different set of customers.
    let (_t2, one) = with_file(
        "interval_start,calls\n08:00,30\n08:30,0\n09:00,10\n",
        "forecast = \"v.csv\"",
    );
    assert!(!customer_differences(&s, &one.unwrap()).is_empty());
    // Days out of order, or a day cut short, are refused at their line and column.
    for (bad, needle) in [
        (
            "day,interval_start,calls\n0,08:00,1\n1,08:30,1\n",
            "v.csv:3:1: `arrivals.forecast`: `day`: `1`, but this row is interval 2 of day 0",
        ),
        (
            "day,interval_start,calls\n0,08:00,1\n0,08:30,1\n0,09:00,1\n1,08:00,1\n",
            "day 1 ends after 1 interval(s), but the open day has 3",
        ),
        (
            "day,interval_start,calls\nmonday,08:00,1\n",
            "v.csv:2:1: `arrivals.forecast`: `day`: `monday` is not a day from 0 to 9999",
        ),
    ] {
        let (_t, r) = with_file(bad, "forecast = \"v.csv\"");
        let e = r.unwrap_err();
        assert!(e.contains(needle), "{needle}\n{e}");
    }
    // Over two days, `staff` plans a list per weekday, each on its own day's profile: the
    // load of each row is the day's calls × the mean handle time (4 minutes).
    let text = std::fs::read_to_string(t.path().join("s.toml")).unwrap();
    let scenario = t.path().join("two.toml");
    std::fs::write(
        &scenario,
        text.replace("[simulation]\n", "[simulation]\ndays = 2\n"),
    )
    .unwrap();
    let staff_out = t.path().join("staff");
    ok(rappel()
        .args([
            "staff",
            scenario.to_str().unwrap(),
            "--replications",
            "20",
            "--quiet",
        ])
        .arg("--out")
        .arg(&staff_out));
    let (header, rows) = read_csv(&staff_out.join("staffing.csv"));
    let at = |c: &str| header.iter().position(|h| h == c).unwrap();
    let cells: Vec<(&str, f64)> = rows
        .iter()
        .map(|r| {
            (
                r[at("weekday")].as_str(),
                r[at("offered_load")].parse().unwrap(),
            )
        })
        .collect();
    let loads = [60.0, 0.0, 20.0, 240.0, 120.0, 0.0].map(|per_hour| per_hour * 240.0 / 3600.0);
    let days = ["mon", "mon", "mon", "tue", "tue", "tue"];
    for (k, (day, load)) in cells.iter().enumerate() {
        assert_eq!(*day, days[k], "{cells:?}");
        assert!((load - loads[k]).abs() < 1e-9, "{cells:?}");
    }
    // `erlang` reads one day, and says so.
    let out = rappel()
        .args([
            "erlang",
            "--volumes",
            t.path().join("v.csv").to_str().unwrap(),
        ])
        .args(["--handle-time", "4m", "--agents", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("v.csv:2:1: `day`"));
}

#[test]
fn a_forecast_per_weekday_or_per_date_follows_the_calendar() {
    // A bank's week, Sunday to Thursday: Friday and Saturday are closed and have no rows.
    // Day 0 is a Sunday, so day d uses the profile of weekday (Sunday + d).
    let csv = "weekday,interval_start,calls\n\
               mon,08:00,10\nmon,08:30,20\nmon,09:00,30\n\
               sun,08:00,40\nsun,08:30,50\nsun,09:00,60\n\
               tue,08:00,1\ntue,08:30,2\ntue,09:00,3\n\
               wed,08:00,4\nwed,08:30,5\nwed,09:00,6\n\
               thu,08:00,7\nthu,08:30,8\nthu,09:00,9\n";
    let week = "forecast = \"v.csv\"\n[simulation]\nweek = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]\nstart_day = \"sun\"";
    let bank = |csv: &str, arrivals: &str| -> (TempDir, Result<Scenario, String>) {
        // The [simulation] lines go into the scenario's own table.
        let (arrivals, sim) = arrivals
            .split_once("\n[simulation]\n")
            .unwrap_or((arrivals, ""));
        let tmp = TempDir::new().unwrap();
        std::fs::write(tmp.path().join("v.csv"), csv).unwrap();
        let path = tmp.path().join("s.toml");
        let text = scenario(arrivals).replace("[simulation]\n", &format!("[simulation]\n{sim}\n"));
        std::fs::write(&path, text).unwrap();
        let r = Scenario::from_file(&path).map_err(|e| e.to_string());
        (tmp, r)
    };
    let (_t, s) = bank(csv, week);
    let s = s.unwrap();
    // Calls per 30 minutes, twice as many per hour; Sunday first, then Monday ... and
    // Friday and Saturday with none.
    let per_hour = |v: [f64; 3]| v.map(|c| c * 2.0).to_vec();
    assert_eq!(
        s.arrivals.day_rates,
        vec![
            per_hour([40.0, 50.0, 60.0]),
            per_hour([10.0, 20.0, 30.0]),
            per_hour([1.0, 2.0, 3.0]),
            per_hour([4.0, 5.0, 6.0]),
            per_hour([7.0, 8.0, 9.0]),
            vec![0.0; 3],
            vec![0.0; 3],
        ]
    );
    assert_eq!(s.arrivals.rates_per_hour, per_hour([40.0, 50.0, 60.0]));

    // Three dates from a Sunday; a run starting on the second date begins there.
    let dated = "date,interval_start,calls\n\
                 2026-01-04,08:00,1\n2026-01-04,08:30,1\n2026-01-04,09:00,1\n\
                 2026-01-05,08:00,2\n2026-01-05,08:30,2\n2026-01-05,09:00,2\n\
                 2026-01-06,08:00,3\n2026-01-06,08:30,3\n2026-01-06,09:00,3\n";
    let (_t, s) = bank(
        dated,
        "forecast = \"v.csv\"\n[simulation]\nstart_day = \"2026-01-05\"",
    );
    let s = s.unwrap();
    let firsts: Vec<f64> = s.arrivals.day_rates.iter().map(|d| d[0]).collect();
    assert_eq!(firsts, vec![4.0, 6.0, 2.0]);

    // What is refused, at its line and column, with what to do.
    for (csv, arrivals, needle) in [
        (
            &csv.replace("thu,", "fri,")[..],
            week,
            "no rows for `thu`, a day the centre opens (simulation.week)",
        ),
        (
            &csv.replace("thu,", "mon,")[..],
            week,
            "v.csv:14:1: `arrivals.forecast`: `weekday`: `mon`'s rows come twice",
        ),
        (
            &csv.replacen("mon,09:00", "tue,09:00", 1)[..],
            week,
            "v.csv:4:1: `arrivals.forecast`: `weekday`: `tue`, but this row is interval 3 of `mon`'s rows",
        ),
        (
            &dated.replace("2026-01-06", "2026-01-07")[..],
            "forecast = \"v.csv\"\n[simulation]\nstart_day = \"sun\"",
            "v.csv:8:1: `arrivals.forecast`: `date`: `2026-01-07`, but the day after `2026-01-05` is 2026-01-06",
        ),
        (
            dated,
            "forecast = \"v.csv\"",
            "the forecast starts on 2026-01-04, a sun, but the run's day 0 is a mon",
        ),
        (
            dated,
            "forecast = \"v.csv\"\n[simulation]\nstart_day = \"2026-02-01\"",
            "but the run starts on 2026-02-01 (simulation.start_day)",
        ),
    ] {
        let (_t, r) = bank(csv, arrivals);
        let e = r.unwrap_err();
        assert!(e.contains(needle), "{needle}\n{e}");
    }
}

#[test]
fn a_forecast_per_ticket_type_gives_each_interval_its_own_mix() {
    // Sales calls come in the morning only, support calls in the afternoon only; 09:00 has
    // both. Each type's share of the calls is its volume in the file.
    let tmp = TempDir::new().unwrap();
    let csv = "type,interval_start,calls\n\
               sales,08:00,40\nsales,08:30,20\nsales,09:00,0\n\
               support,08:00,0\nsupport,08:30,20\nsupport,09:00,60\n";
    std::fs::write(tmp.path().join("v.csv"), csv).unwrap();
    let text = scenario("forecast = \"v.csv\"")
        .replace("[[teams]]", "[[ticket_types]]\nname = \"support\"\nhandle_time = { dist = \"exponential\", mean = \"4m\" }\n[[teams]]")
        .replace("name = \"general\"", "name = \"sales\"")
        .replace("serves = [\"general\"]", "serves = [\"sales\", \"support\"]")
        .replace("replications = 2", "replications = 200\ndays = 1");
    let path = tmp.path().join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let s = Scenario::from_file(&path).unwrap();
    assert_eq!(s.arrivals.rates_per_hour, vec![80.0, 80.0, 120.0]);
    let shares: Vec<f64> = s.ticket_types.iter().map(|t| t.share).collect();
    assert_eq!(shares, vec![60.0 / 140.0, 80.0 / 140.0]);
    assert_eq!(s.arrivals.mix(0, 1), Some(&[0.5, 0.5][..]));

    // Every ticket arrives with its interval's mix: no support call at 08:00, no sales
    // call at 09:00, and per interval each type's mean count over the replications is its
    // volume, within 4 standard errors (a Poisson count's variance is its mean).
    let out = tmp.path().join("out");
    ok(rappel()
        .args([
            "run",
            path.to_str().unwrap(),
            "--tickets",
            "--quiet",
            "--out",
        ])
        .arg(&out));
    let (header, rows) = read_csv(&out.join("tickets.csv"));
    let at = |c: &str| header.iter().position(|h| h == c).unwrap();
    let mut counts = [[0.0f64; 3]; 2];
    for r in &rows {
        let created: f64 = r[at("created_s")].parse().unwrap();
        let i = ((created - 8.0 * 3600.0) / 1800.0).floor() as usize;
        let k = usize::from(r[at("type")] == "support");
        counts[k][i] += 1.0;
    }
    let volumes = [[40.0, 20.0, 0.0], [0.0, 20.0, 60.0]];
    for k in 0..2 {
        for i in 0..3 {
            let mean = counts[k][i] / 200.0;
            let se = (volumes[k][i] / 200.0f64).sqrt();
            if volumes[k][i] == 0.0 {
                assert_eq!(counts[k][i], 0.0, "type {k}, interval {i}");
            } else {
                assert!(
                    (mean - volumes[k][i]).abs() < 4.0 * se,
                    "type {k}, interval {i}: {mean}"
                );
            }
        }
    }

    // What is refused: a type the scenario lacks, a type without rows, a `share` beside the
    // file's volumes.
    for (csv, text, needle) in [
        (
            csv.replace("support,09:00", "billing,09:00"),
            text.clone(),
            "v.csv:7:1: `arrivals.forecast`: `type`: `billing` is not a ticket type of the scenario",
        ),
        (
            csv.replace("support", "sales"),
            text.clone(),
            "no rows for ticket type `support`",
        ),
        (
            csv.to_string(),
            text.replace("name = \"support\"\n", "name = \"support\"\nshare = 0.5\n"),
            "the forecast file gives each type's calls (a `type` column)",
        ),
    ] {
        std::fs::write(tmp.path().join("v.csv"), csv).unwrap();
        std::fs::write(&path, text).unwrap();
        let e = Scenario::from_file(&path).unwrap_err().to_string();
        assert!(e.contains(needle), "{needle}\n{e}");
    }
}
