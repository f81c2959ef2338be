//! Who answers next: the longest-idle agent (docs/model.md, "Who answers next").

use crate::common::{kept, run};
use rappel::stats::Metric;

/// 50 agents whose competence is drawn around 0.7 (spread 0.2), about 10 calls an hour of 3
/// minutes: most agents are idle most of the time. A ticket is resolved or lost in one
/// conversation (no call again), so each replication's resolved share is that of the agents
/// who answered. From the repro of issue 11, item 7.
const LIGHT_LOAD: &str = r#"
name = "lifo-idle-agents"
[simulation]
days = 1
replications = 40
seed = 20
open = "00:00"
close = "24:00"
interval = "1h"
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "3m" }
[[teams]]
name = "t"
agents = 50
serves = ["a"]
competence = 0.7
competence_spread = 0.2
call_again = { probability = 0.0, delay = { dist = "exponential", mean = "1h" } }
"#;

/// With calls spread over the 50 agents, a replication's resolved share varies by the
/// binomial noise of its n tickets, p(1-p)/n, plus the variance of the mean competence of
/// 50 agents, at most 0.2²/50 (clamping to [0, 1] only lowers it). The SD over 40
/// replications has a standard error of about σ/√78; the test allows 3 of them. When the
/// last freed agent answered next (a stack), a handful of agents took nearly every call and
/// the SD was 0.105, against a bound of about 0.055 here.
#[test]
fn light_load_spreads_calls_over_the_agents() {
    let reps = kept(&run(LIGHT_LOAD));
    let n = reps.len() as f64;
    let shares: Vec<f64> = reps.iter().map(|r| r.get(Metric::ResolvedShare)).collect();
    let tickets = reps.iter().map(|r| r.get(Metric::Tickets)).sum::<f64>() / n;
    let mean = shares.iter().sum::<f64>() / n;
    let sd = (shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let expected = (mean * (1.0 - mean) / tickets + 0.2_f64.powi(2) / 50.0).sqrt();
    let bound = expected * (1.0 + 3.0 / (2.0 * (n - 1.0)).sqrt());
    assert!(
        sd < bound,
        "SD of resolved_share over {n} replications is {sd:.4} (mean {mean:.3}, \
         {tickets:.0} tickets): above {bound:.4}, 3 standard errors over the {expected:.4} \
         expected if calls were spread over the agents"
    );
    assert!((mean - 0.7).abs() < 0.05, "mean resolved share {mean:.3}");
}
