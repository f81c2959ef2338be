//! Word of mouth as a stock of customers (issue 17, item 2): promoters bring new customers
//! (`arrivals.referral`) up to `arrivals.max_customers`, churn takes them away. Against a
//! hand count and the linear birth process.

use crate::common::{expect, kept, line_of, parse, refuse, replace_once, run};
use crate::theory::Z;
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::output::{breakdown_csv, customer_estimate};
use rappel::satisfaction::Score;
use rappel::stats::Metric;

/// 1,000 customers bringing 60 tickets an hour from 08:00 to 18:00 (0.6 a customer a
/// day), for 6 days; agents enough that almost nobody waits, so that the share of promoters
/// stays the same as the stock grows. One promoter in five brings a customer.
const STOCK: &str = r#"
name = "stock"
[simulation]
days = 6
open = "08:00"
close = "18:00"
replications = 12
seed = 41
[arrivals]
rate_per_hour = 60
customers = 1000
referral = 0.2
max_customers = 100000
[[ticket_types]]
name = "question"
handle_time = { dist = "exponential", mean = "2m" }
[[teams]]
name = "agents"
agents = 12
serves = ["question"]
"#;

/// Promoters (likelihood to recommend 9 or 10) and tickets scored, closed before the
/// horizon, over every replication of `text`; and the customers gained.
fn promoters(text: &str) -> (f64, f64, f64) {
    let s = parse(text);
    let (mut promoters, mut scored, mut gained) = (0.0, 0.0, 0.0);
    for rep in 0..s.simulation.replications {
        let mut log = |_: &Ticket, _: Outcome, at: f64, score: Option<&Score>| {
            if let Some(score) = score
                && at < s.simulation.horizon
            {
                scored += 1.0;
                promoters += f64::from(u8::from(score.ltr >= 9));
            }
        };
        let r = simulate_logged(&s, rep, Some(&mut log));
        gained += r.breakdown.customers[0][6];
    }
    (promoters, scored, gained)
}

#[test]
fn each_promoter_brings_a_customer_with_the_referral_probability() {
    // The centre closes at 18:00 with nobody left waiting, so every ticket closes before
    // the horizon and every promoter's draw is counted: gained | promoters is binomial
    // (P, 0.2), of standard deviation sqrt(P × 0.2 × 0.8).
    let (p, scored, gained) = promoters(STOCK);
    assert!(p > 1000.0 && p < scored, "{p} promoters of {scored}");
    let se = (p * 0.2 * 0.8).sqrt();
    assert!(
        (gained - 0.2 * p).abs() <= Z * se,
        "gained {gained} against 0.2 × {p} promoters (SE {se})"
    );
}

#[test]
fn without_churn_the_stock_grows_as_the_linear_birth_process() {
    // Each customer brings tickets at λ = 0.6 a day, a share q of them promoters, each of
    // whom brings a customer with r = 0.2: a linear birth process of rate β = λ q r a
    // customer, whose mean is N(T) = N₀ exp(β T) (Yule), the new customers bringing tickets
    // as the first did. With q about 0.6 over 6 days that is about 1,540 customers; growth
    // without the new customers' own tickets (N₀ (1 + β T)) would be 1,430, some 15 SE off.
    let (p, scored, _) = promoters(STOCK);
    let beta = 0.6 * (p / scored) * 0.2;
    let want = 1000.0 * (beta * 6.0).exp();
    let r = run(STOCK);
    let end = customer_estimate(&r, "customers_end");
    assert!(end.std_error < 0.01 * want, "SE {} too wide", end.std_error);
    assert!(
        (end.mean - want).abs() <= Z * end.std_error,
        "customers at the horizon {} ± {} (SE) against {want}",
        end.mean,
        end.std_error
    );
    let linear = 1000.0 * (1.0 + beta * 6.0);
    assert!((end.mean - linear).abs() > 2.0 * Z * end.std_error);
    // The tickets follow the stock: a customer's rate times the stock, integrated,
    // N₀ λ (e^{βT} − 1) / β, about 4,200 against 3,600 without referral.
    let tickets = r.estimate(Metric::Tickets);
    let want_tickets = 1000.0 * 0.6 * ((beta * 6.0).exp() - 1.0) / beta;
    assert!(
        (tickets.mean - want_tickets).abs() <= Z * tickets.std_error.max(1.0),
        "tickets {} ± {} against {want_tickets}",
        tickets.mean,
        tickets.std_error
    );
}

#[test]
fn the_stock_stops_growing_at_its_capacity() {
    // Every promoter brings a customer, and there is room for 10: the first ten promoters
    // fill it, in every replication.
    let text = replace_once(
        &replace_once(STOCK, "referral = 0.2", "referral = 1"),
        "max_customers = 100000",
        "max_customers = 1010",
    );
    let r = run(&text);
    for (metric, want) in [("gained", 10.0), ("customers_end", 1010.0)] {
        let e = customer_estimate(&r, metric);
        assert_eq!(
            (e.ci95_low, e.mean, e.ci95_high),
            (want, want, want),
            "{metric}"
        );
    }
}

#[test]
fn with_churn_the_stock_is_gained_less_lost_in_every_replication() {
    // Slow, unresolving agents: detractors leave (churn 0.5) while promoters bring others.
    let text = replace_once(
        &replace_once(STOCK, "agents = 12", "agents = 2\ncompetence = 0.5"),
        "max_customers = 100000",
        "max_customers = 100000\nchurn = 0.5",
    );
    let text = replace_once(
        &text,
        "mean = \"2m\" }",
        "mean = \"2m\" }\npatience = { dist = \"exponential\", mean = \"5m\" }",
    );
    let s = parse(&text);
    for rep in kept(&run(&text)) {
        let c = rep.breakdown.customers[0];
        let (churned, gained, end) = (c[1], c[6], c[7]);
        assert!(
            churned > 10.0 && gained > 10.0,
            "churned {churned}, gained {gained}"
        );
        assert_eq!(
            end,
            1000.0 + gained - churned,
            "replication {}",
            rep.replication
        );
    }
    assert_eq!(s.arrivals.customers.unwrap().capacity, 100_000);
}

#[test]
fn room_without_referral_thins_to_the_same_poisson_arrivals() {
    // The arrivals are drawn for three times the slots and two in three never come: the
    // customers' tickets stay Poisson of 3,600 a replication (standard deviation 60).
    let idle = replace_once(
        &replace_once(STOCK, "referral = 0.2", "referral = 0"),
        "max_customers = 100000",
        "max_customers = 3000",
    );
    let r = run(&idle);
    let t = r.estimate(Metric::Tickets);
    let se = (3600.0f64 / 12.0).sqrt();
    assert!((t.mean - 3600.0).abs() <= Z * se, "tickets {}", t.mean);
    assert_eq!(customer_estimate(&r, "gained").mean, 0.0);
    // With no room and no referral, the files are those of the population alone, the
    // stock's rows left out.
    let none = replace_once(
        &replace_once(STOCK, "referral = 0.2\n", "referral = 0\n"),
        "max_customers = 100000",
        "max_customers = 1000",
    );
    let plain = replace_once(
        &replace_once(STOCK, "referral = 0.2\n", ""),
        "max_customers = 100000\n",
        "",
    );
    let (a, b) = (breakdown_csv(&run(&none)), breakdown_csv(&run(&plain)));
    assert_eq!(a, b);
    assert!(!String::from_utf8(a).unwrap().contains("customers_end"));
}

#[test]
fn bad_stock_values_are_refused_with_the_key_and_a_fix() {
    let no_population = replace_once(STOCK, "customers = 1000\n", "");
    refuse(
        "referral-without-customers",
        &no_population,
        &[expect(
            line_of(&no_population, "referral"),
            Some("arrivals.referral"),
            "needs a population",
            Some("customers = "),
        )],
    );
    let no_capacity = replace_once(STOCK, "max_customers = 100000\n", "");
    refuse(
        "referral-without-capacity",
        &no_capacity,
        &[expect(
            line_of(&no_capacity, "referral"),
            Some("arrivals.referral"),
            "needs `max_customers`",
            Some("max_customers = 2000"),
        )],
    );
    let no_referral = replace_once(STOCK, "referral = 0.2\n", "");
    refuse(
        "capacity-without-referral",
        &no_referral,
        &[expect(
            line_of(&no_referral, "max_customers"),
            Some("arrivals.max_customers"),
            "there is no `referral`",
            Some("referral = 0.05"),
        )],
    );
    for (from, to, key, message, help) in [
        (
            "referral = 0.2",
            "referral = -0.1",
            "arrivals.referral",
            "not a probability",
            "referral = 0.05",
        ),
        (
            "max_customers = 100000",
            "max_customers = 999",
            "arrivals.max_customers",
            "from `customers` (1000) to 10000000, not 999",
            "max_customers = 2000",
        ),
        (
            "max_customers = 100000",
            "max_customers = 20000000",
            "arrivals.max_customers",
            "not 20000000",
            "max_customers = 2000",
        ),
    ] {
        let text = replace_once(STOCK, from, to);
        refuse(
            key,
            &text,
            &[expect(line_of(&text, to), Some(key), message, Some(help))],
        );
    }
}

#[test]
fn the_run_table_and_the_report_show_the_stock() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("stock.toml");
    std::fs::write(
        &file,
        replace_once(STOCK, "replications = 12", "replications = 2"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let table = crate::common::ok(
        crate::common::rappel()
            .args(["run", "--quiet", "--report", "--out"])
            .arg(&out)
            .arg(&file),
    );
    let line = "Customers: 1000 at the start, ";
    assert!(table.contains(line), "{table}");
    assert!(table.contains("gained by referral") && table.contains("at the horizon"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(line), "no customers line in the report");
    // A population alone keeps its table as it was: no such line.
    let plain = dir.path().join("plain.toml");
    let text = replace_once(
        &replace_once(STOCK, "referral = 0.2\n", ""),
        "max_customers = 100000\n",
        "",
    );
    std::fs::write(
        &plain,
        replace_once(&text, "replications = 12", "replications = 2"),
    )
    .unwrap();
    let table = crate::common::ok(
        crate::common::rappel()
            .args(["run", "--quiet", "--out"])
            .arg(dir.path().join("plain"))
            .arg(&plain),
    );
    assert!(!table.contains("Customers:"), "{table}");
}
