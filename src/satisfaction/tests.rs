use super::*;
use proptest::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

/// A resolved first-contact journey with a wait of `wait` seconds, uninformed.
fn base(wait: f64) -> Journey {
    Journey {
        resolved: true,
        conversations: 1,
        rejections: 0,
        transfers: 0,
        broken_promises: 0,
        callbacks_kept: 0,
        callbacks_late: 0,
        goodwill: false,
        worst_wait: wait,
        worst_informed: false,
        last_wait: wait,
        last_informed: false,
        expected_wait: 60.0,
    }
}

/// Standard normal quantiles at evenly spaced probabilities: a deterministic stand-in
/// for the tolerance noise when averaging over customers.
fn normal_grid(n: usize) -> Vec<f64> {
    let z = Normal::new(0.0, 1.0).unwrap();
    (0..n)
        .map(|i| z.inverse_cdf((i as f64 + 0.5) / n as f64))
        .collect()
}

/// Expected CSAT and top-2-box share of a journey over the noise.
fn expected_csat(p: &Params, j: &Journey) -> (f64, f64) {
    let grid = normal_grid(4001);
    let scores: Vec<u8> = grid.iter().map(|z| p.score(j, *z).csat).collect();
    let n = scores.len() as f64;
    let mean = scores.iter().map(|c| f64::from(*c)).sum::<f64>() / n;
    let top2 = scores.iter().filter(|c| **c >= 4).count() as f64 / n;
    (mean, top2)
}

/// Mean of expected CSAT over waits drawn as exponential quantiles with mean `mean_wait`.
fn over_waits(p: &Params, mean_wait: f64, make: impl Fn(f64) -> Journey) -> (f64, f64) {
    let n = 200;
    let (mut m, mut t) = (0.0, 0.0);
    for i in 0..n {
        let u = (i as f64 + 0.5) / n as f64;
        let wait = -mean_wait * (1.0 - u).ln();
        let (a, b) = expected_csat(p, &make(wait));
        m += a;
        t += b;
    }
    (m / n as f64, t / n as f64)
}

#[test]
fn neutral_when_every_term_and_the_noise_are_zero() {
    let p = Params {
        wait_weight: 0.0,
        rejection_penalty: 0.0,
        contact_penalty: 0.0,
        transfer_penalty: 0.0,
        broken_promise_penalty: 0.0,
        fcr_delight: 0.0,
        callback_delight: 0.0,
        goodwill_delight: 0.0,
        noise: 0.0,
        ..Params::default()
    };
    let mut j = base(600.0);
    j.conversations = 4;
    j.rejections = 3;
    j.transfers = 2;
    j.broken_promises = 1;
    j.goodwill = true;
    let s = p.score(&j, 1.7);
    assert_eq!(s.latent, 0.0);
    assert_eq!((s.csat, s.ltr), (4, 8));
}

#[test]
fn csat_and_ltr_scales() {
    assert_eq!(csat(-10.0), 1);
    assert_eq!(csat(-1.0), 2);
    assert_eq!(csat(-0.5), 3);
    assert_eq!(csat(0.8), 4);
    assert_eq!(csat(0.0), 4);
    assert_eq!(csat(2.0), 5);
    assert_eq!(ltr(0.0), 8);
    assert_eq!(ltr(0.5), 9);
    assert_eq!(ltr(-1.0), 6);
    assert_eq!(ltr(-100.0), 0);
    assert_eq!(ltr(100.0), 10);
}

fn journey() -> impl Strategy<Value = Journey> {
    (
        any::<bool>(),
        1u32..5,
        0u32..4,
        0u32..3,
        0u32..2,
        0.0f64..1200.0,
        0.0f64..1200.0,
        any::<bool>(),
        0.0f64..300.0,
    )
        .prop_map(
            |(resolved, conv, rej, tr, broken, worst, last, goodwill, expected)| Journey {
                resolved,
                conversations: conv,
                rejections: rej,
                transfers: tr,
                broken_promises: broken,
                callbacks_kept: 0,
                callbacks_late: 0,
                goodwill,
                worst_wait: worst.max(last),
                worst_informed: false,
                last_wait: last,
                last_informed: false,
                expected_wait: expected,
            },
        )
}

proptest! {
    #[test]
    fn more_of_anything_bad_never_raises_the_score(j in journey(), z in -3.0f64..3.0, extra in 1.0f64..600.0) {
        let p = Params::default();
        let s = p.score(&j, z).latent;
        let mut longer = j;
        longer.worst_wait += extra;
        longer.last_wait += extra;
        prop_assert!(p.score(&longer, z).latent <= s);
        let mut rejected = j;
        rejected.rejections += 1;
        prop_assert!(p.score(&rejected, z).latent <= s);
        let mut contact = j;
        contact.conversations += 1;
        prop_assert!(p.score(&contact, z).latent <= s);
        let mut transfer = j;
        transfer.transfers += 1;
        prop_assert!(p.score(&transfer, z).latent <= s);
        let mut broken = j;
        broken.broken_promises += 1;
        prop_assert!(p.score(&broken, z).latent <= s);
    }

    #[test]
    fn knowing_the_wait_never_lowers_the_score(j in journey(), z in -3.0f64..3.0) {
        let p = Params::default();
        let mut informed = j;
        informed.worst_informed = true;
        informed.last_informed = true;
        prop_assert!(p.score(&informed, z).latent >= p.score(&j, z).latent);
    }

    #[test]
    fn an_unresolved_ticket_never_scores_above_the_cap(j in journey(), z in -3.0f64..6.0) {
        let p = Params::default();
        let mut unresolved = j;
        unresolved.resolved = false;
        let s = p.score(&unresolved, z);
        prop_assert!(s.latent <= p.unresolved_cap + 1e-12);
        prop_assert!((s.terms.iter().sum::<f64>() - s.latent).abs() < 1e-9);
    }
}

/// The effects the literature reports, on synthetic journeys with waits exponential
/// with mean 30 s against an expected 60 s (modest waits). Tolerances: ±0.08 on
/// ratios, so a parameter change that moves a figure by a tenth fails.
#[test]
fn calibration_matches_published_contact_centre_figures() {
    let p = Params::default();
    let contacts = |k: u32| {
        over_waits(&p, 30.0, move |w| Journey {
            conversations: k,
            ..base(w)
        })
        .0
    };
    let (one, two, three) = (contacts(1), contacts(2), contacts(3));
    let two_or_more = 0.5 * (two + three);
    let unresolved = over_waits(&p, 30.0, |w| Journey {
        resolved: false,
        conversations: 2,
        ..base(w)
    })
    .0;
    // CFI Group (2008): about 38 % higher at first contact than after two or more.
    let fcr_gain = one / two_or_more - 1.0;
    assert!((fcr_gain - 0.38).abs() < 0.08, "FCR gain {fcr_gain:.3}");
    // CFI Group (2008): about 50 % lower when never resolved.
    let unresolved_loss = 1.0 - unresolved / one;
    assert!(
        (unresolved_loss - 0.50).abs() < 0.08,
        "unresolved loss {unresolved_loss:.3}"
    );
    // SQM Group: about 15 % lower for each extra contact (second to third).
    let per_contact = 1.0 - three / two;
    assert!(
        (per_contact - 0.15).abs() < 0.08,
        "per contact {per_contact:.3}"
    );
    // A centre with 70 % first-contact resolution, 20 % resolved at the second contact,
    // 10 % unresolved, modest waits: top-2-box between 75 % and 85 %.
    let top2 = |k: u32, resolved: bool| {
        over_waits(&p, 30.0, move |w| Journey {
            conversations: k,
            resolved,
            ..base(w)
        })
        .1
    };
    let centre = 0.7 * top2(1, true) + 0.2 * top2(2, true) + 0.1 * top2(2, false);
    assert!((0.75..=0.85).contains(&centre), "top-2-box {centre:.3}");
}
