//! Unit tests of the sweep.

use super::axis::parse_values;
use super::*;

fn values(text: &str) -> Vec<String> {
    parse_values(text).unwrap().iter().map(value_text).collect()
}

#[test]
fn ranges_include_their_end_when_the_step_lands_on_it() {
    assert_eq!(values("40..46:2"), ["40", "42", "44", "46"]);
    assert_eq!(values("40..45:2"), ["40", "42", "44"]);
    assert_eq!(values("1..3"), ["1", "2", "3"]);
    assert_eq!(values("3..1"), ["3", "2", "1"]);
    assert_eq!(values("0.1..0.5:0.1"), ["0.1", "0.2", "0.3", "0.4", "0.5"]);
    assert_eq!(values("0..1:0.25"), ["0", "0.25", "0.5", "0.75", "1"]);
    assert_eq!(values("0,2..3,10"), ["0", "2", "3", "10"]);
    assert!(matches!(
        parse_values("1..2").unwrap()[0],
        Value::Integer(1)
    ));
    assert!(matches!(
        parse_values("1.0..2").unwrap()[0],
        Value::Float(_)
    ));
}

#[test]
fn scalars_keep_their_toml_type() {
    let v = parse_values("3, 2.5, true, 30s, 1m, \"7\", 08:00").unwrap();
    assert_eq!(v[0], Value::Integer(3));
    assert_eq!(v[1], Value::Float(2.5));
    assert_eq!(v[2], Value::Boolean(true));
    assert_eq!(v[3], Value::String("30s".into()));
    assert_eq!(v[4], Value::String("1m".into()));
    assert_eq!(v[5], Value::String("7".into()));
    assert_eq!(v[6], Value::String("08:00".into()));
}

#[test]
fn bad_values_are_refused() {
    for bad in [
        "", " ", "1,,2", "1,", "40..", "..5", "a..b", "1..5:0", "1..5:-1", "1..5:", "0..1e9",
    ] {
        assert!(parse_values(bad).is_err(), "`{bad}` was accepted");
    }
    for bad in ["=1", "a..b=1", "x", ".a=1", "a.=1"] {
        assert!(Axis::parse(bad).is_err(), "`{bad}` was accepted");
    }
    assert_eq!(
        Axis::parse("teams.\"tier.2\".agents=1").unwrap().segments,
        ["teams", "tier.2", "agents"]
    );
}
