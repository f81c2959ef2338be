//! Unit tests of the staffing search.

use super::setup::analytic_agents;
use super::*;
use crate::analytic::{QueueInput, figures};

#[test]
fn targets_parse_with_their_bounds() {
    let t = Target::parse("service_level=0.8").unwrap();
    assert_eq!((t.key, t.value), (Key::ServiceLevel, 0.8));
    assert!(t.met_by(0.8) && !t.met_by(0.79) && t.met_by(f64::NAN));
    let t = Target::parse("asa_s=1m").unwrap();
    assert_eq!((t.key, t.value), (Key::AsaS, 60.0));
    assert!(t.met_by(60.0) && !t.met_by(60.1));
    assert_eq!(Target::parse(" nps = -20 ").unwrap().value, -20.0);
    let t = Target::parse("accessibility=0.8").unwrap();
    assert_eq!(t, Target::DEFAULT);
    assert!(t.key.at_least() && t.key.per_interval());
    assert!(t.met_by(0.8) && !t.met_by(0.79));
    for bad in [
        "service_level",
        "service_lvl=0.8",
        "service_level=1.2",
        "abandon_rate=-0.1",
        "csat_mean=6",
        "nps=101",
        "asa_s=soon",
        "service_level=nan",
        "accessibility=1.01",
    ] {
        let e = Target::parse(bad).unwrap_err().to_string();
        assert!(e.contains(&format!("--target `{bad}`")), "{e}");
        assert!(e.contains("csat_mean"), "{e}");
    }
    let e = Target::parse("service_lvl=0.8").unwrap_err().to_string();
    assert!(e.contains("did you mean `service_level`"), "{e}");
}

#[test]
fn analytic_search_finds_the_smallest_staffing() {
    // 95 erlangs, Erlang C: 80 % within 20 s needs 102 agents (checked one by one).
    let input = QueueInput {
        arrival_rate: 1140.0 / 3600.0,
        mean_handle: 300.0,
        agents: 1,
        mean_patience: None,
        queue_capacity: None,
        threshold: 20.0,
    };
    let t = Targets {
        service_level: Some(0.8),
        ..Targets::default()
    };
    let by_one = (1..200)
        .find(|&c| figures(&QueueInput { agents: c, ..input }).is_ok_and(|f| t.met_by(&f)))
        .unwrap();
    for guess in [1, 50, 96, by_one, 150, 199] {
        assert_eq!(analytic_agents(input, &t, guess, 1000), Some(by_one));
    }
    assert_eq!(analytic_agents(input, &t, 50, by_one - 1), None);
}

#[test]
fn the_worst_day_is_below_a_floor_and_above_a_ceiling() {
    let floor = Target::parse("service_level=0.8").unwrap();
    let ceiling = Target::parse("abandon_rate=0.05").unwrap();
    assert!(floor.worse(0.7, 0.9) && !floor.worse(0.9, 0.7));
    assert!(ceiling.worse(0.09, 0.01) && !ceiling.worse(0.01, 0.09));
    assert!(!floor.worse(f64::NAN, 0.1) && floor.worse(0.99, f64::NAN));
    let r = Reached {
        mean: vec![0.85, f64::NAN, 0.9],
        worst: vec![0.79, f64::NAN, 0.79],
        worst_day: vec![Some(2), None, Some(0)],
    };
    // Equal values: the first interval holding it.
    assert_eq!(r.overall_worst(&floor), Some((0, 2, 0.79)));
    assert_eq!(r.met_count(&floor), (0, 2));
    assert_eq!(
        r.met_count(&Target::parse("service_level=0.7").unwrap()),
        (2, 2)
    );
}

#[test]
fn back_office_targets_parse_as_ceilings_of_the_team() {
    let t = Target::parse("hold_p90=1h").unwrap();
    assert_eq!((t.key, t.value), (Key::HoldP90, 3600.0));
    assert_eq!(Target::parse("hold_p90=90").unwrap().value, 90.0);
    let b = Target::parse("backlog_day_end=0").unwrap();
    assert_eq!((b.key, b.value), (Key::BacklogDayEnd, 0.0));
    for t in [t, b] {
        assert!(!t.key.at_least() && !t.key.per_interval() && t.key.team_level());
        assert!(!t.key.call_level() && t.key.metric().is_none());
    }
    assert!(b.met_by(0.0) && !b.met_by(0.05));
    // A hold never answered (tickets still waiting at the drain cap) misses any goal.
    assert!(!t.met_by(f64::INFINITY));
    assert!(Key::AsaS.call_level() && !Key::CsatMean.call_level());
}
