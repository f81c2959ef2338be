//! Customers (issue 17, item 2 in part): a population that brings the arrivals, and
//! customers who leave after a bad experience. Against theory through `theory.rs`.

use crate::common::{expect, logged, parse, read_csv, refuse, replace_once, run};
use crate::theory::{Z, agrees};
use rappel::stats::Metric;

/// 2,000 customers bringing 100 tickets an hour, round the clock, for 10 days: 24,000 a
/// replication, 12 per customer. Agents enough that nobody waits.
const POPULATION: &str = r#"
name = "population"
[simulation]
days = 10
replications = 10
seed = 23
[arrivals]
rate_per_hour = 100
customers = 2000
[[ticket_types]]
name = "question"
handle_time = { dist = "exponential", mean = "1m" }
[[teams]]
name = "agents"
agents = 10
serves = ["question"]
"#;

#[test]
fn without_feedback_a_population_is_the_poisson_process_of_its_total_rate() {
    let r = run(POPULATION);
    // The total: Poisson with mean 24,000 a replication, so a standard deviation of 155.
    agrees(r.estimate(Metric::Tickets), 24_000.0, 0.005, "tickets");
    // Nothing leaves without churn: the arrivals are those of the same scenario without a
    // population, ticket for ticket (the customer draws have their own stream).
    let plain = run(&replace_once(POPULATION, "customers = 2000\n", ""));
    for m in [Metric::Tickets, Metric::OfferedContacts, Metric::CsatMean] {
        assert_eq!(r.estimate(m).mean, plain.estimate(m).mean, "{m:?}");
    }
    // Each customer's tickets: Poisson of mean 12, so their variance is their mean (the
    // index of dispersion is 1); its sample variance over 2,000 customers has a standard
    // error of about sqrt(2 / 2000) × 12 (+ the fourth cumulant's share) ≈ 0.40.
    let (n, mean, var) = per_customer(POPULATION, 2000);
    assert!(
        (mean - 12.0).abs() < Z * (12.0f64 / n).sqrt(),
        "mean {mean}"
    );
    let se = ((2.0 * 12.0 * 12.0 + 12.0) / n).sqrt();
    assert!(
        (var - mean).abs() < Z * se,
        "variance {var} against mean {mean}"
    );
    let (h, rows) = read_csv_of(&r);
    let metric = h.iter().position(|c| c == "metric").unwrap();
    let mean_at = h.iter().position(|c| c == "mean").unwrap();
    let churned = rows.iter().find(|row| row[metric] == "churned").unwrap();
    assert_eq!(churned[mean_at], "0");
}

/// Replication 0's tickets per customer of a population of `size`: (customers, mean, sample
/// variance).
fn per_customer(text: &str, size: usize) -> (f64, f64, f64) {
    let s = parse(text);
    let mut per = vec![0u32; size];
    logged(&s, 0, |t, _, _| per[t.customer as usize] += 1);
    let n = per.len() as f64;
    let mean = per.iter().map(|&c| f64::from(c)).sum::<f64>() / n;
    let var = per
        .iter()
        .map(|&c| (f64::from(c) - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    (n, mean, var)
}

/// The rows of `breakdown.csv` for a run.
fn read_csv_of(r: &rappel::run::RunResult) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("breakdown.csv");
    std::fs::write(&path, rappel::output::breakdown_csv(r)).unwrap();
    read_csv(&path)
}

#[test]
fn customers_who_all_leave_after_one_bad_ticket_bring_one_ticket_each() {
    // Nobody's problem is ever solved and nobody calls again, so every ticket leaves its
    // customer a detractor, and with churn = 1 every customer leaves after one ticket. Two
    // arrivals a customer expected over the run (4,000 for 2,000): a customer brings a
    // ticket when their Poisson count is above 0, so the tickets are
    // 2000 × (1 − e⁻²) = 1729.3 a replication (a customer's second arrival in the minute
    // their first ticket lasts is negligible).
    let text = r#"
name = "churn"
[simulation]
days = 10
replications = 12
seed = 29
[arrivals]
rate_per_hour = 16.666666666666668
customers = 2000
churn = 1
[[ticket_types]]
name = "question"
handle_time = { dist = "constant", value = "1m" }
[[teams]]
name = "agents"
agents = 5
serves = ["question"]
competence = 0
call_again = { probability = 0, delay = { dist = "constant", value = "1h" } }
[costs]
lost_customer_value = 120
"#;
    let r = run(text);
    let want = 2000.0 * (1.0 - (-2.0f64).exp());
    agrees(r.estimate(Metric::Tickets), want, 0.01, "tickets");
    // Every customer who brought a ticket left: the lost value per ticket is 120, less the
    // few whose ticket closed after the horizon (a customer lost is counted when they
    // leave, within the window).
    let lost = r.estimate(Metric::LostValuePerTicket);
    assert!(lost.mean <= 120.0 && lost.mean > 119.9, "{lost:?}");
    // Without churn they would all have come back: 4,000 tickets.
    let stay = run(&replace_once(text, "churn = 1\n", ""));
    agrees(
        stay.estimate(Metric::Tickets),
        4000.0,
        0.01,
        "tickets without churn",
    );
}

#[test]
fn bad_population_values_are_refused() {
    let base = POPULATION;
    for (from, to, needle) in [
        ("customers = 2000", "customers = 0", "from 1 to"),
        (
            "customers = 2000",
            "customers = 2000\nchurn = 1.5",
            "not a probability",
        ),
        ("customers = 2000\n", "churn = 0.2\n", "needs a population"),
    ] {
        let text = replace_once(base, from, to);
        let e = rappel::scenario::Scenario::from_toml(&text, "bad")
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{e}");
    }
}

#[test]
fn with_a_full_memory_a_customer_expects_their_own_last_wait() {
    // A congested centre, so that waits differ; 300 customers bring several tickets each.
    let text = r#"
name = "memory"
[simulation]
days = 3
replications = 1
seed = 31
[arrivals]
rate_per_hour = 40
customers = 300
memory = 1
[[ticket_types]]
name = "question"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "10m" }
expected_wait = "60s"
[[teams]]
name = "agents"
agents = 2
serves = ["question"]
"#;
    // (customer, created, closed, expected, last wait) of every ticket.
    let mut seen: Vec<(u32, f64, f64, f64, f64)> = Vec::new();
    logged(&parse(text), 0, |t, _, at| {
        seen.push((t.customer, t.created, at, t.expected_wait, t.wait_last));
    });
    let mut checked = 0;
    for next in &seen {
        // The customer's tickets closed before this one was created: the last of them.
        let before = seen
            .iter()
            .filter(|p| p.0 == next.0 && p.2 < next.1)
            .max_by(|a, b| a.2.total_cmp(&b.2));
        match before {
            Some(prev) => {
                assert_eq!(next.3, f64::from(prev.4 as f32), "{next:?} after {prev:?}");
                checked += 1;
            }
            None if !seen.iter().any(|p| p.0 == next.0 && p.1 < next.1) => {
                assert_eq!(next.3, 60.0, "a first ticket expects its type's wait")
            }
            None => {}
        }
    }
    assert!(checked > 1000, "only {checked} tickets after another");
    // Without a memory every ticket expects its type's wait.
    logged(
        &parse(&replace_once(text, "memory = 1\n", "")),
        0,
        |t, _, _| assert_eq!(t.expected_wait, 60.0),
    );
}

/// 1,000 customers bringing 100 tickets an hour round the clock, every ticket resolved at
/// once (competence 1, talk 1 s) by a team resolving in depth that protects the customer
/// for a day, during which half of their new tickets never come.
const DEEP: &str = r#"
name = "deep"
[simulation]
days = 30
warmup = "5d"
replications = 20
seed = 5
[arrivals]
rate_per_hour = 100
customers = 1000
[[ticket_types]]
name = "problem"
handle_time = { dist = "constant", value = "1s" }
[[teams]]
name = "agents"
agents = 10
serves = ["problem"]
depth = { handle_factor = 2, prevents = 0.5, lasting = "1d" }
"#;

#[test]
fn resolution_in_depth_spares_the_tickets_of_its_documented_effect() {
    // Each customer's tickets are a renewal process: after a ticket, a protected day in
    // which tickets come at a = r (1 − p); one that comes restarts it; a day without one
    // ends it, and the next comes at r. So the mean time between tickets is
    // E[T] = (1 − e^(−aD)) / a + e^(−aD) / r, and a customer brings 1 / E[T] tickets per
    // hour (the resolution's 2 s after the arrival are left out: 3e-5 of E[T]).
    let (r, p, d) = (0.1f64, 0.5f64, 24.0f64);
    let a = r * (1.0 - p);
    let mean_gap = (1.0 - (-a * d).exp()) / a + (-a * d).exp() / r;
    let counted_hours = 25.0 * 24.0;
    let want = 1000.0 * counted_hours / mean_gap;
    let deep = run(DEEP);
    agrees(
        deep.estimate(Metric::Tickets),
        want,
        0.005,
        "tickets with depth",
    );
    // Without the depth, the Poisson count: 100 an hour. The two are far apart.
    let plain = run(&replace_once(
        DEEP,
        "depth = { handle_factor = 2, prevents = 0.5, lasting = \"1d\" }\n",
        "",
    ));
    agrees(
        plain.estimate(Metric::Tickets),
        100.0 * counted_hours,
        0.005,
        "tickets",
    );
    crate::theory::tells_apart(
        deep.estimate(Metric::Tickets),
        100.0 * counted_hours,
        "depth",
    );
    // The conversations in depth last twice as long (2 s): the occupancy is the tickets'
    // rate × 2 s over 10 agents.
    let rate = want / counted_hours / 3600.0;
    agrees(
        deep.estimate(Metric::Occupancy),
        rate * 2.0 / 10.0,
        0.01,
        "occupancy",
    );
}

#[test]
fn a_depth_without_customers_or_out_of_range_is_refused_with_its_line_and_a_fix() {
    let without = replace_once(DEEP, "customers = 1000\n", "");
    let line = crate::common::line_of(&without, "depth = ");
    refuse(
        "depth-without-customers",
        &without,
        &[expect(
            line,
            Some("teams[0].depth"),
            "the scenario has no customers",
            Some("arrivals.customers"),
        )],
    );
    let bad = replace_once(
        DEEP,
        "handle_factor = 2, prevents = 0.5",
        "handle_factor = 0.5, prevents = 2",
    );
    let line = crate::common::line_of(&bad, "depth = ");
    refuse(
        "depth-out-of-range",
        &bad,
        &[
            expect(
                line,
                Some("teams[0].depth.handle_factor"),
                "from 1 to 10, not 0.5",
                Some("handle_factor = 1.5"),
            ),
            expect(
                line,
                Some("teams[0].depth.prevents"),
                "a probability from 0 to 1, not 2",
                Some("prevents = 0.5"),
            ),
        ],
    );
}

#[test]
fn tickets_csv_names_each_tickets_customer_with_a_population() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("p.toml");
    let text = replace_once(
        POPULATION,
        "days = 10\nreplications = 10",
        "days = 1\nreplications = 1",
    );
    std::fs::write(&file, &text).unwrap();
    let out = tmp.path().join("out");
    crate::common::ok(
        crate::common::rappel()
            .args(["run", "--tickets", "--quiet", "--out"])
            .arg(&out)
            .arg(&file),
    );
    let (header, rows) = read_csv(&out.join("tickets.csv"));
    assert_eq!(&header[2..4], ["ticket", "customer"]);
    // The customers of replication 0, ticket by ticket, as the centre drew them.
    let s = parse(&text);
    let mut want = std::collections::BTreeMap::new();
    logged(&s, 0, |t, _, _| {
        want.insert(t.number.to_string(), t.customer.to_string());
    });
    assert_eq!(rows.len(), want.len());
    for r in &rows {
        assert_eq!(want[&r[2]], r[3], "{r:?}");
    }
    // Without a population, no such column.
    let plain = tmp.path().join("plain.toml");
    std::fs::write(&plain, replace_once(&text, "customers = 2000\n", "")).unwrap();
    let out = tmp.path().join("plain");
    crate::common::ok(
        crate::common::rappel()
            .args(["run", "--tickets", "--quiet", "--out"])
            .arg(&out)
            .arg(&plain),
    );
    let (header, _) = read_csv(&out.join("tickets.csv"));
    assert!(!header.contains(&"customer".to_string()));
}

#[test]
fn customers_with_their_own_rates_bring_the_same_total_and_a_gamma_mixed_count_each() {
    // customer_rate_cv = 1: each customer's rate is the mean rate × an exponential draw
    // (a gamma of mean 1 and cv 1). The total is unchanged: Poisson, 24,000 a replication.
    let text = replace_once(
        POPULATION,
        "customers = 2000\n",
        "customers = 2000\ncustomer_rate_cv = 1\n",
    );
    let r = run(&text);
    agrees(r.estimate(Metric::Tickets), 24_000.0, 0.005, "tickets");
    // A customer's count is then Poisson of a gamma-distributed mean: negative binomial
    // with r = 1 / cv² = 1 and mean 12, so its variance is 12 + cv² × 12² = 156. The sample
    // variance over 2,000 customers has a standard error of 156 × sqrt((κ + 2) / 2000) with
    // the excess kurtosis κ = 6 + p² / (1 − p), p = 1/13: about 9.9.
    let (n, _, var) = per_customer(&text, 2000);
    let p = 1.0 / 13.0;
    let kurtosis = 6.0 + p * p / (1.0 - p);
    let se = 156.0 * ((kurtosis + 2.0) / n).sqrt();
    assert!(
        (var - 156.0).abs() < Z * se,
        "variance {var} against 156 ± {se}"
    );
    // Far from the Poisson's 12 of customers alike.
    assert!(var > 12.0 + Z * se, "{var}");
}
