//! The message backlog per interval (issue 17, item 1: "backlog per interval"):
//! `intervals.csv`'s `messages_waiting`, a time average over each row's stretch.

use crate::common::{COBHAM, rappel, read_csv, run};
use rappel::output::channel_estimate;
use rappel::scenario::DAY;
use tempfile::TempDir;

#[test]
fn the_intervals_backlog_adds_up_to_the_channels_backlog_time() {
    // Each message's wait is split over the rows it spans, so Σ rows' messages_waiting ×
    // length = the message-seconds of waiting = backlog_mean × the counted window (6 whole
    // days, no warm-up): an identity, to rounding.
    let r = run(COBHAM);
    let grid = &r.scenario.day;
    let mut total = 0.0;
    let mut nights = 0.0;
    for row in r.intervals() {
        let [open, before, after] = row.messages_waiting;
        total += open * grid.interval;
        if row.start_of_day_s == grid.open {
            total += before * grid.open;
            nights += before;
        }
        if row.start_of_day_s + grid.interval >= grid.close {
            total += after * (DAY - grid.close);
            nights += after;
        }
    }
    let window = 6.0 * DAY;
    let backlog = channel_estimate(&r, 1, "backlog_mean").mean;
    assert!(backlog > 0.1, "the scenario must have a backlog: {backlog}");
    assert!(
        (total / window - backlog).abs() <= 1e-9 * backlog,
        "intervals {} against backlog_mean {backlog}",
        total / window
    );
    // The closed stretches hold a backlog: the messages still waiting at closing (about
    // one, as in the day) wait through the night.
    assert!(nights > 3.0, "nightly backlog {nights}");
}

#[test]
fn within_open_hours_the_backlog_is_littles_lambda_times_the_wait() {
    // Open round the clock, in steady state: each interval's time-averaged backlog is an
    // estimate of λ₂ × W₂ = 0.3 a minute × 233.3 s = 1.1667 (Little; Cobham's wait for the
    // low class, see `channels.rs`). The hours of a day are averaged over 16 replications
    // and 6 days; the standard error comes from the spread of the 144 hourly figures
    // (each a mean over replications), the hours being far longer than a message's wait.
    let text = COBHAM
        .replace("open = \"08:00\"\nclose = \"18:00\"\n", "warmup = \"6h\"\n")
        .replace("replications = 16", "replications = 24");
    let r = run(&text);
    let v: Vec<f64> = r
        .intervals()
        .iter()
        .map(|i| i.messages_waiting[0])
        .collect();
    let n = v.len() as f64;
    assert!(n >= 100.0, "{n} intervals");
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    let want = 0.3 / 60.0 * (0.7 * 60.0 / (0.6 * 0.3));
    assert!(se < 0.05 * want, "standard error {se} too wide");
    assert!(
        (mean - want).abs() <= 5.0 * se,
        "messages waiting {mean} ± {se} (SE) against {want}"
    );
}

#[test]
fn the_column_is_written_only_when_a_type_is_a_message() {
    let dir = TempDir::new().unwrap();
    let write = |name: &str, text: &str| {
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, text).unwrap();
        let out = dir.path().join(name);
        let o = rappel()
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        read_csv(&out.join("intervals.csv"))
    };
    let (header, rows) = write("mail", COBHAM);
    assert_eq!(header.last().map(String::as_str), Some("messages_waiting"));
    // The first row is day 0's night before opening: nothing was sent before midnight.
    assert_eq!(rows[0][4], "closed");
    assert_eq!(rows[0].last().map(String::as_str), Some("0"));
    // The nights after day 0: the messages left at closing wait.
    let night: f64 = rows
        .iter()
        .filter(|r| r[4] == "closed" && r[1] != "0")
        .map(|r| r[header.len() - 1].parse::<f64>().unwrap())
        .sum();
    assert!(night > 3.0, "{night}");
    let phone = COBHAM
        .replace("channel = \"message\"\n", "")
        .replace("response_promise = \"30d\"\nurgent_before = \"0s\"\n", "");
    let (header, _) = write("phone", &phone);
    assert!(
        !header.iter().any(|h| h == "messages_waiting"),
        "{header:?}"
    );
}
