use super::*;

fn cells(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(f, l)| (f.to_string(), l.to_string()))
        .collect()
}

fn files(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("s{i}.toml")).collect()
}

/// The flagship's four cells, the baseline first, then `rest` in the order given.
fn flagship(rest: [usize; 3]) -> Vec<Vec<(String, String)>> {
    let all = [
        cells(&[("flow", "later"), ("team", "modest")]),
        cells(&[("flow", "now"), ("team", "modest")]),
        cells(&[("flow", "later"), ("team", "empowered")]),
        cells(&[("flow", "now"), ("team", "empowered")]),
    ];
    let mut out = vec![all[0].clone()];
    out.extend(rest.iter().map(|&i| all[i].clone()));
    out
}

#[test]
fn a_declared_2x2_is_found_whatever_the_order_of_the_other_three() {
    for rest in [[1, 2, 3], [3, 2, 1], [2, 3, 1]] {
        let d = design(&files(4), &flagship(rest), &[]).unwrap().unwrap();
        assert_eq!(d.factors[0].name, "flow");
        assert_eq!(d.factors[0].levels, ["later".to_string(), "now".into()]);
        assert_eq!(
            d.factors[1].levels,
            ["modest".to_string(), "empowered".into()]
        );
        assert_eq!(d.cells[0][0], 0);
        // Each cell is the scenario with its levels.
        let pos = |i: usize| 1 + rest.iter().position(|&r| r == i).unwrap();
        assert_eq!(d.cells[1][0], pos(1));
        assert_eq!(d.cells[0][1], pos(2));
        assert_eq!(d.cells[1][1], pos(3));
        assert_eq!(d.term_name(Term::Interaction), "flow:team");
    }
}

#[test]
fn no_factor_is_no_design_and_flags_declare_or_override() {
    assert_eq!(design(&files(2), &[vec![], vec![]], &[]), Ok(None));
    let none = vec![vec![]; 4];
    let flags = [
        "flow=later,now,later,now".to_string(),
        "team=modest,modest,empowered,empowered".into(),
    ];
    let d = design(&files(4), &none, &flags).unwrap().unwrap();
    assert_eq!(d.cells, [[0, 2], [1, 3]]);
    // A flag overrides the files' levels of its factor.
    let mut same = flagship([1, 2, 3]);
    same.iter_mut().for_each(|c| c[0].1 = "x".into());
    assert!(design(&files(4), &same, &[]).is_err());
    let d = design(&files(4), &same, &["flow=a,b,a,b".into()])
        .unwrap()
        .unwrap();
    assert_eq!(d.factors[0].levels, ["a".to_string(), "b".into()]);
    assert_eq!(d.cells, [[0, 2], [1, 3]]);
}

#[test]
fn designs_that_are_not_a_full_2x2_are_refused_with_what_to_do() {
    let err = |declared: Vec<Vec<(String, String)>>, flags: &[&str]| {
        let flags: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
        design(&files(declared.len()), &declared, &flags).unwrap_err()
    };
    // Half-declared: the file without it is named.
    let mut half = flagship([1, 2, 3]);
    half[2].retain(|(f, _)| f != "team");
    let e = err(half, &[]);
    assert!(e.contains("not by s3.toml") && e.contains("help:"), "{e}");
    // One factor only.
    let mut one = flagship([1, 2, 3]);
    one.iter_mut().for_each(|c| c.retain(|(f, _)| f == "flow"));
    assert!(err(one, &[]).contains("1 factor is declared (flow)"));
    // Three levels.
    let mut three = flagship([1, 2, 3]);
    three[3][0].1 = "callback".into();
    assert!(err(three, &[]).contains("factor flow has 3 levels (later, now, callback)"));
    // The same cell twice.
    let mut twice = flagship([1, 2, 3]);
    twice[3] = twice[1].clone();
    twice[2][1].1 = "empowered".into();
    let e = err(twice, &[]);
    assert!(e.contains("s2.toml and s4.toml are the same cell"), "{e}");
    // Not four scenarios.
    let mut fewer = flagship([1, 2, 3]);
    fewer.truncate(3);
    // Some cells of a design from the files: a plain comparison; with a flag, refused.
    assert_eq!(design(&files(3), &fewer, &[]), Ok(None));
    assert!(err(fewer, &["flow=a,b,a"]).contains("needs 4 scenarios"));
    // Flags: the count, the syntax, the name.
    assert!(err(vec![vec![]; 4], &["flow=a,b"]).contains("gives 2 levels for 4 scenarios"));
    assert!(err(vec![vec![]; 4], &["flow"]).contains("has no `=`"));
    assert!(err(vec![vec![]; 4], &["9x=a,a,b,b"]).contains("cannot name a factor"));
    assert!(err(vec![vec![]; 4], &["flow=a,,b,b"]).contains("cannot be a level"));
}

/// A design over four scenarios in order y11, y21, y12, y22.
fn plain() -> Design {
    design(
        &files(4),
        &vec![vec![]; 4],
        &["a=1,2,1,2".into(), "b=1,1,2,2".into()],
    )
    .unwrap()
    .unwrap()
}

#[test]
fn effects_match_a_hand_computed_example_with_an_interaction() {
    let d = plain();
    assert_eq!(d.order(), [0, 1, 2, 3]);
    let mut fold = EffectsFold::new(&d);
    // Replication r: y11 = 10 + r, y21 = 14 + r, y12 = 20 + 2r, y22 = 30 + 2r.
    for r in 0..4 {
        let r = f64::from(r);
        let y = [10.0 + r, 14.0 + r, 20.0 + 2.0 * r, 30.0 + 2.0 * r];
        fold.fold_values(|s, _| y[s]);
    }
    let m = &fold.moments[0];
    // A = ((14 − 10) + (30 − 20)) / 2 = 7 in every replication.
    let a = m[0].estimate();
    assert_eq!((a.mean, a.n), (7.0, 4));
    assert!(a.half_width().abs() < 1e-12);
    // B = ((20 + 2r − 10 − r) + (30 + 2r − 14 − r)) / 2 = 13 + r: mean 14.5.
    let b = m[1].estimate();
    assert!((b.mean - 14.5).abs() < 1e-12);
    // Student-t: sd of 13..16 is sqrt(5/3), t(3) = 3.182446.
    let h = 3.182_446_305_284_263 * (5.0f64 / 3.0).sqrt() / 2.0;
    assert!((b.half_width() - h).abs() < 1e-9, "{}", b.half_width());
    // AB = ((30 − 20) − (14 − 10)) / 2 = 3.
    assert_eq!(m[2].estimate().mean, 3.0);
}

#[test]
fn main_effects_and_the_interaction_give_back_the_simple_effects_and_the_gap() {
    let ys = [
        [1.0, 2.5, 7.0, 4.0],
        [-3.0, 0.1, 2.2, 9.9],
        [0.3, 0.3, 0.3, 0.3],
    ];
    for y in ys {
        let [y11, y21, y12, y22] = y;
        let (a, b, ab) = (
            Term::Main(0).of(y),
            Term::Main(1).of(y),
            Term::Interaction.of(y),
        );
        let close = |u: f64, v: f64| assert!((u - v).abs() < 1e-12, "{u} vs {v}");
        // The first factor's simple effects: at each level of the second.
        close(a - ab, y21 - y11);
        close(a + ab, y22 - y12);
        // The second's.
        close(b - ab, y12 - y11);
        close(b + ab, y22 - y21);
        // The corners' gap is the two main effects.
        close(a + b, y22 - y11);
        // The weights say the same.
        for t in Term::ALL {
            let w: f64 = t.weights().iter().zip(y).map(|(w, y)| w * y).sum();
            close(w, t.of(y));
        }
    }
}

#[test]
fn a_replication_with_an_undefined_cell_is_skipped() {
    let mut fold = EffectsFold::new(&plain());
    fold.fold_values(|s, _| if s == 2 { f64::NAN } else { 1.0 });
    fold.fold_values(|_, _| 1.0);
    assert_eq!(fold.moments[0][0].estimate().n, 1);
}

#[test]
fn unpaired_effects_add_the_variances_of_the_cells() {
    let e = |mean: f64, se: f64| Estimate {
        mean,
        ci95_low: f64::NAN,
        ci95_high: f64::NAN,
        std_error: se,
        n: 10,
    };
    let cells = [e(1.0, 0.2), e(3.0, 0.2), e(2.0, 0.2), e(6.0, 0.2)];
    let a = unpaired(Term::Main(0), cells);
    assert!((a.mean - 3.0).abs() < 1e-12);
    // Four equal variances, weights ±1/2: se = sqrt(4 × 0.25 × 0.04) = 0.2, df = 36.
    assert!((a.std_error - 0.2).abs() < 1e-12);
    assert!((a.half_width() - t_quantile_975(36) * 0.2).abs() < 1e-12);
    let nan = unpaired(
        Term::Interaction,
        [e(1.0, f64::NAN), cells[1], cells[2], cells[3]],
    );
    assert!(nan.ci95_low.is_nan());
}
