//! Response curves: the expected CSAT of simple journeys as one thing varies (the wait on
//! the line, announced or not; the time from the first call to resolution), for
//! docs/satisfaction.md and the report's chart. Exact over the individual tolerance: the
//! noise is normal and enters the latent score additively.

use super::{CSAT_CUTS, Journey, Params};
use statrs::distribution::{ContinuousCDF, Normal};

/// One response curve: its label and its points (seconds, expected CSAT 1–5).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// What varies and for whom, in words.
    pub label: &'static str,
    /// (seconds, expected CSAT), in increasing seconds.
    pub points: Vec<(f64, f64)>,
}

/// The waits of the wait curves: from 1 s to 2 h, evenly spaced on a log scale.
pub const WAIT_RANGE: (f64, f64) = (1.0, 7200.0);
/// The times of the time curves: from 1 min to 7 days, evenly spaced on a log scale.
pub const TIME_RANGE: (f64, f64) = (60.0, 7.0 * 86_400.0);
/// Points per curve.
const POINTS: usize = 97;

impl Params {
    /// The expected CSAT (1–5) of `j` over the individual tolerance.
    pub fn expected_csat(&self, j: &Journey) -> f64 {
        // The score without noise, before the must-be ceiling: noise only adds to it.
        let s = self.score(j, 0.0);
        let free = s.latent - s.terms[super::Term::Unresolved as usize];
        let ceiling = if j.resolved {
            f64::INFINITY
        } else {
            self.unresolved_cap
        };
        let above = |cut: f64| -> f64 {
            if cut > ceiling {
                0.0
            } else if self.noise > 0.0 {
                let z = Normal::new(0.0, self.noise).expect("noise is validated finite, > 0");
                1.0 - z.cdf(cut - free)
            } else {
                f64::from(u8::from(free >= cut))
            }
        };
        1.0 + CSAT_CUTS.iter().map(|&c| above(c)).sum::<f64>()
    }

    /// Expected CSAT against the wait on the line of a problem solved at the first
    /// conversation, unannounced and announced, for customers expecting `expected` seconds.
    pub fn wait_curves(&self, expected: f64) -> [Curve; 2] {
        let at = |informed: bool| {
            grid(WAIT_RANGE)
                .map(|w| {
                    let j = Journey {
                        worst_informed: informed,
                        last_informed: informed,
                        ..solved(w, w, expected)
                    };
                    (w, self.expected_csat(&j))
                })
                .collect()
        };
        [
            Curve {
                label: "wait not announced",
                points: at(false),
            },
            Curve {
                label: "wait announced",
                points: at(true),
            },
        ]
    }

    /// Expected CSAT against the time from the first call to resolution: a problem solved
    /// by a callback that kept its promise, and one solved at a second call (after being
    /// told to call again), each answered at once.
    pub fn time_curves(&self, expected: f64) -> [Curve; 2] {
        let callback = |e: f64| Journey {
            answered: false,
            callbacks_reached: 1,
            worst_informed: true,
            last_informed: true,
            ..solved(0.0, e, expected)
        };
        let second = |e: f64| Journey {
            conversations: 2,
            ..solved(0.0, e, expected)
        };
        let curve = |make: &dyn Fn(f64) -> Journey| {
            grid(TIME_RANGE)
                .map(|e| (e, self.expected_csat(&make(e))))
                .collect()
        };
        [
            Curve {
                label: "called back on time",
                points: curve(&callback),
            },
            Curve {
                label: "solved at a second call",
                points: curve(&second),
            },
        ]
    }
}

/// A problem solved at the first conversation after a wait of `wait` seconds on the line
/// (unannounced), `elapsed` seconds after the first call.
pub(super) fn solved(wait: f64, elapsed: f64, expected: f64) -> Journey {
    Journey {
        resolved: true,
        conversations: 1,
        rejections: 0,
        closed_messages: 0,
        failed_attempts: 0,
        transfers: 0,
        broken_promises: 0,
        callbacks_reached: 0,
        lateness: 0.0,
        goodwill: false,
        worst_wait: wait,
        worst_informed: false,
        last_wait: wait,
        last_informed: false,
        answered: true,
        elapsed,
        expected_wait: expected,
        written: false,
    }
}

/// `POINTS` values from `lo` to `hi`, evenly spaced on a log scale.
fn grid((lo, hi): (f64, f64)) -> impl Iterator<Item = f64> {
    let step = (hi / lo).ln() / (POINTS - 1) as f64;
    (0..POINTS).map(move |i| lo * (step * i as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact expectation agrees with an average over many noise draws.
    #[test]
    fn the_exact_expectation_matches_an_average_over_the_noise() {
        let p = Params::default();
        let z = Normal::new(0.0, 1.0).unwrap();
        let n = 20_000;
        for j in [
            solved(30.0, 30.0, 60.0),
            solved(900.0, 900.0, 60.0),
            Journey {
                resolved: false,
                ..solved(0.0, 3600.0, 60.0)
            },
        ] {
            let mean = (0..n)
                .map(|i| {
                    let q = z.inverse_cdf((i as f64 + 0.5) / n as f64);
                    f64::from(p.score(&j, q).csat)
                })
                .sum::<f64>()
                / n as f64;
            assert!((p.expected_csat(&j) - mean).abs() < 1e-3, "{j:?}");
        }
    }

    /// The curves fall from left to right, and knowing the wait lies above not knowing it.
    #[test]
    fn the_curves_fall_and_an_announced_wait_scores_higher() {
        let p = Params::default();
        let [uninformed, informed] = p.wait_curves(60.0);
        for c in p.wait_curves(60.0).iter().chain(&p.time_curves(60.0)) {
            for w in c.points.windows(2) {
                assert!(w[1].1 <= w[0].1 + 1e-12, "{} rises at {}", c.label, w[1].0);
            }
        }
        for (u, i) in uninformed.points.iter().zip(&informed.points) {
            assert!(i.1 >= u.1);
        }
        // Somewhere the difference is real (more than 0.2 of a CSAT point).
        assert!(
            uninformed
                .points
                .iter()
                .zip(&informed.points)
                .any(|(u, i)| i.1 - u.1 > 0.2)
        );
    }

    /// The table of docs/satisfaction.md ("Response curves") is the model's: each row's
    /// figures, recomputed, round to what the page says.
    #[test]
    fn the_documented_table_is_the_models() {
        let doc = include_str!("../../docs/satisfaction.md");
        let p = Params::default();
        let table = doc
            .split("<!-- response-table -->")
            .nth(1)
            .expect("docs/satisfaction.md has the response table between markers");
        let mut rows = 0;
        for line in table
            .lines()
            .filter(|l| l.starts_with("| ") && !l.contains("---"))
        {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let Some(seconds) = crate::scenario::parse_duration(cells[0]).ok() else {
                continue;
            };
            let j = |informed: bool| Journey {
                worst_informed: informed,
                last_informed: informed,
                ..solved(seconds, seconds, 60.0)
            };
            let callback = Journey {
                answered: false,
                callbacks_reached: 1,
                worst_informed: true,
                last_informed: true,
                ..solved(0.0, seconds, 60.0)
            };
            let second = Journey {
                conversations: 2,
                ..solved(0.0, seconds, 60.0)
            };
            let want = [
                p.expected_csat(&j(false)),
                p.expected_csat(&j(true)),
                p.expected_csat(&callback),
                p.expected_csat(&second),
            ];
            for (k, w) in want.iter().enumerate() {
                assert_eq!(cells[k + 1], format!("{w:.2}"), "row {line}");
            }
            rows += 1;
        }
        assert!(rows >= 6, "only {rows} rows");
    }
}
