//! The satisfaction model's parameters.

use super::Problems;
use crate::scenario::DAY;
use crate::scenario::raw::RawScenario;

pub(super) fn satisfaction(
    raw: &RawScenario,
    p: &mut Problems,
) -> Option<crate::satisfaction::Params> {
    let r = &raw.satisfaction;
    let d = crate::satisfaction::Params::default();
    let dd = &d.dynamics;
    let mut ok = true;
    let mut num = |v: Option<f64>, default: f64, name: &str, lo: f64, hi: f64, help: &str| {
        let v = v.unwrap_or(default);
        if !(v.is_finite() && (lo..=hi).contains(&v)) {
            p.add(
                &format!("satisfaction.{name}"),
                format!("{v} is outside {lo} to {hi}"),
                format!("{help} (default {default})"),
            );
            ok = false;
        }
        v
    };
    let points = "a number of latent score points";
    let params = crate::satisfaction::Params {
        uncertainty_factor: num(
            r.uncertainty_factor,
            d.uncertainty_factor,
            "uncertainty_factor",
            1.0,
            5.0,
            "how much longer an unannounced wait feels, e.g. 1.36",
        ),
        wait_weight: num(
            r.wait_weight,
            d.wait_weight,
            "wait_weight",
            0.0,
            10.0,
            points,
        ),
        loss_aversion: num(
            r.loss_aversion,
            d.loss_aversion,
            "loss_aversion",
            1.0,
            10.0,
            "how much more a longer wait hurts than a shorter one pleases, e.g. 2.25",
        ),
        tolerance: num(
            r.tolerance.map(|x| x.0),
            d.tolerance,
            "tolerance",
            0.0,
            DAY,
            "seconds either side of the expected wait that go unnoticed",
        ),
        wait_scale: num(
            r.wait_scale.map(|x| x.0),
            d.wait_scale,
            "wait_scale",
            1.0,
            DAY,
            "the excess wait that loses loss_aversion × wait_weight × ln 2, e.g. \"3m\"",
        ),
        time_weight: num(
            r.time_weight,
            d.time_weight,
            "time_weight",
            0.0,
            10.0,
            points,
        ),
        time_scale: num(
            r.time_scale.map(|x| x.0),
            d.time_scale,
            "time_scale",
            1.0,
            30.0 * DAY,
            "the excess time to resolution that loses time_weight × ln 2, e.g. \"1h\"",
        ),
        rejection_penalty: num(
            r.rejection_penalty,
            d.rejection_penalty,
            "rejection_penalty",
            0.0,
            10.0,
            points,
        ),
        closed_penalty: num(
            r.closed_penalty,
            d.closed_penalty,
            "closed_penalty",
            0.0,
            10.0,
            points,
        ),
        failed_attempt_penalty: num(
            r.failed_attempt_penalty,
            d.failed_attempt_penalty,
            "failed_attempt_penalty",
            0.0,
            10.0,
            points,
        ),
        contact_penalty: num(
            r.contact_penalty,
            d.contact_penalty,
            "contact_penalty",
            0.0,
            10.0,
            points,
        ),
        transfer_penalty: num(
            r.transfer_penalty,
            d.transfer_penalty,
            "transfer_penalty",
            0.0,
            10.0,
            points,
        ),
        broken_promise_penalty: num(
            r.broken_promise_penalty,
            d.broken_promise_penalty,
            "broken_promise_penalty",
            0.0,
            10.0,
            points,
        ),
        promise_grace: num(
            r.promise_grace.map(|x| x.0),
            d.promise_grace,
            "promise_grace",
            1.0,
            DAY,
            "the lateness at which a late callback costs half a broken promise, e.g. \"15m\"",
        ),
        fcr_delight: num(
            r.fcr_delight,
            d.fcr_delight,
            "fcr_delight",
            0.0,
            10.0,
            points,
        ),
        fcr_fade: num(
            r.fcr_fade.map(|x| x.0),
            d.fcr_fade,
            "fcr_fade",
            1.0,
            DAY,
            "the excess wait over which the first-contact delight fades to 1/e, e.g. \"1m\"",
        ),
        callback_delight: num(
            r.callback_delight,
            d.callback_delight,
            "callback_delight",
            0.0,
            10.0,
            points,
        ),
        goodwill_delight: num(
            r.goodwill_delight,
            d.goodwill_delight,
            "goodwill_delight",
            0.0,
            10.0,
            points,
        ),
        unresolved_cap: num(
            r.unresolved_cap,
            d.unresolved_cap,
            "unresolved_cap",
            -10.0,
            0.0,
            "the highest latent score of an unresolved ticket, at most 0",
        ),
        message_tolerance: num(
            r.message_tolerance.map(|x| x.0),
            d.message_tolerance,
            "message_tolerance",
            0.0,
            DAY,
            "seconds either side of a message's promise that go unnoticed, e.g. \"5m\"",
        ),
        message_wait_scale: num(
            r.message_wait_scale.map(|x| x.0),
            d.message_wait_scale,
            "message_wait_scale",
            1.0,
            30.0 * DAY,
            "the response beyond the promise that loses loss_aversion × wait_weight × ln 2, \
             e.g. \"1h\"",
        ),
        noise: num(
            r.noise,
            d.noise,
            "noise",
            0.0,
            5.0,
            "a standard deviation in points",
        ),
        dynamics: crate::satisfaction::Dynamics {
            expectations_adapt: r.expectations_adapt.unwrap_or(dd.expectations_adapt),
            expectation_time_better: num(
                r.expectation_time_better.map(|x| x.0),
                dd.expectation_time_better,
                "expectation_time_better",
                0.0,
                MAX_TIME,
                "the time constant at which expectations follow better service, e.g. \"2w\"",
            ),
            expectation_time_worse: num(
                r.expectation_time_worse.map(|x| x.0),
                dd.expectation_time_worse,
                "expectation_time_worse",
                0.0,
                MAX_TIME,
                "the time constant at which expectations follow worse service, e.g. \"6w\"",
            ),
            word_of_mouth: r.word_of_mouth.unwrap_or(dd.word_of_mouth),
            word_of_mouth_gain: num(
                r.word_of_mouth_gain,
                dd.word_of_mouth_gain,
                "word_of_mouth_gain",
                0.0,
                1.0,
                "relative change of the arrival rate per unit of net promoter share, e.g. 0.1",
            ),
            word_of_mouth_delay: num(
                r.word_of_mouth_delay.map(|x| x.0),
                dd.word_of_mouth_delay,
                "word_of_mouth_delay",
                DAY,
                365.0 * DAY,
                "a whole number of days, e.g. \"1w\"",
            ),
            word_of_mouth_time: num(
                r.word_of_mouth_time.map(|x| x.0),
                dd.word_of_mouth_time,
                "word_of_mouth_time",
                0.0,
                MAX_TIME,
                "the time constant of each smoothing stage, e.g. \"1w\"",
            ),
        },
    };
    for (old, new, help) in RETIRED {
        let given = match old {
            "expectation_improve_rate" => r.expectation_improve_rate.is_some(),
            _ => r.expectation_worsen_rate.is_some(),
        };
        if given {
            p.add(
                &format!("satisfaction.{old}"),
                format!("`{old}` was replaced by `expectations_adapt` and `{new}`"),
                (*help).to_string(),
            );
            ok = false;
        }
    }
    let delay = params.dynamics.word_of_mouth_delay;
    // Out of its range, the delay was reported above.
    if (DAY..=365.0 * DAY).contains(&delay) && delay % DAY != 0.0 {
        p.add(
            "satisfaction.word_of_mouth_delay",
            format!("{delay} s is not a whole number of days"),
            "word of mouth moves at midnight: write whole days, e.g. \"1w\" or \"10d\"",
        );
        ok = false;
    }
    ok.then_some(params)
}

/// The longest time constant: ten years.
const MAX_TIME: f64 = 520.0 * 7.0 * DAY;

/// Keys that no longer exist, what replaced them, and how to say the same thing now.
const RETIRED: [(&str, &str, &str); 2] = [
    (
        "expectation_improve_rate",
        "expectation_time_better",
        "expectations are now fixed unless `expectations_adapt = true`; then they follow better \
         service with a time constant, e.g. expectation_time_better = \"2w\" (a daily rate r \
         is a time constant of -1 day / ln(1 - r): 0.5 is about 1.4 days)",
    ),
    (
        "expectation_worsen_rate",
        "expectation_time_worse",
        "expectations are now fixed unless `expectations_adapt = true`; then they follow worse \
         service with a time constant, e.g. expectation_time_worse = \"6w\" (a daily rate r \
         is a time constant of -1 day / ln(1 - r): 0.1 is about 9.5 days)",
    ),
];
