//! Probability distributions of durations, given by mean and coefficient of variation.

use super::duration::Duration;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Gamma, LogNormal};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Error as _};

/// A distribution as written in a scenario file, e.g. `{ dist = "lognormal", mean = "180s", cv = 1.2 }`.
///
/// Read field by field (not by serde's derive), so that a message names the sub-key at fault,
/// e.g. `delay.k`, which serde loses inside a tagged table.
#[derive(Debug, Clone, JsonSchema)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
#[schemars(rename = "Distribution")]
pub enum RawDist {
    /// Exponential with the given mean.
    Exponential { mean: Duration },
    /// Lognormal with the given mean and coefficient of variation.
    Lognormal { mean: Duration, cv: f64 },
    /// Gamma with the given mean and coefficient of variation.
    Gamma { mean: Duration, cv: f64 },
    /// Uniform between `min` and `max`.
    Uniform { min: Duration, max: Duration },
    /// Always `value`.
    Constant { value: Duration },
    /// Resampled uniformly from `values`.
    Empirical { values: Vec<Duration> },
    /// Erlang with `k` phases and the given mean.
    Erlang { mean: Duration, k: u32 },
}

/// The distributions and their keys, as written after `dist =`.
const KINDS: &[(&str, &[&str])] = &[
    ("exponential", &["mean"]),
    ("lognormal", &["mean", "cv"]),
    ("gamma", &["mean", "cv"]),
    ("uniform", &["min", "max"]),
    ("constant", &["value"]),
    ("empirical", &["values"]),
    ("erlang", &["mean", "k"]),
];

const DIST_EXAMPLE: &str = "e.g. { dist = \"exponential\", mean = \"4m\" }";

/// A sub-key's value, or a message "`key`: ..." that names it.
fn field<T: DeserializeOwned>(t: &toml::Table, key: &str, what: &str) -> Result<T, String> {
    let v = t
        .get(key)
        .ok_or_else(|| format!("`{key}`: missing; this distribution needs {what}"))?;
    if let toml::Value::Datetime(_) = v {
        return Err(format!("`{key}`: {what} is wanted, not {}", shown(v)));
    }
    T::deserialize(v.clone()).map_err(|e| {
        let m = e.to_string();
        let m = m.trim();
        if m.starts_with("invalid type") {
            format!("`{key}`: {what} is wanted, not {}", shown(v))
        } else {
            format!("`{key}`: {m}")
        }
    })
}

/// A TOML value as a user would recognise it in a message.
fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the text \"{s}\""),
        toml::Value::Table(_) => "a table".into(),
        toml::Value::Array(_) => "a list".into(),
        toml::Value::Datetime(d) => format!("the date-time {d}"),
        other => other.to_string(),
    }
}

impl RawDist {
    fn from_table(t: &toml::Table) -> Result<RawDist, String> {
        let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
        let kind = match t.get("dist") {
            None => {
                return Err(format!(
                    "`dist`: missing; a distribution names its kind, {DIST_EXAMPLE}"
                ));
            }
            Some(toml::Value::String(s)) => s.as_str(),
            Some(v) => {
                return Err(format!(
                    "`dist`: a kind in quotes is wanted, not {}; one of: {}",
                    shown(v),
                    names.join(", ")
                ));
            }
        };
        let Some((_, keys)) = KINDS.iter().find(|(n, _)| *n == kind) else {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            return Err(format!(
                "`dist`: unknown variant `{kind}`, expected one of {}",
                names.join(", ")
            ));
        };
        if let Some(k) = t
            .keys()
            .find(|k| *k != "dist" && !keys.contains(&k.as_str()))
        {
            let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            return Err(format!(
                "`{k}`: unknown field `{k}` of the {kind} distribution, expected one of `dist`, {}",
                keys.join(", ")
            ));
        }
        const DUR: &str = "a duration such as \"4m\" or a number of seconds";
        const CV: &str = "a coefficient of variation (a number such as 0.8)";
        Ok(match kind {
            "exponential" => RawDist::Exponential {
                mean: field(t, "mean", DUR)?,
            },
            "lognormal" => RawDist::Lognormal {
                mean: field(t, "mean", DUR)?,
                cv: field(t, "cv", CV)?,
            },
            "gamma" => RawDist::Gamma {
                mean: field(t, "mean", DUR)?,
                cv: field(t, "cv", CV)?,
            },
            "uniform" => RawDist::Uniform {
                min: field(t, "min", DUR)?,
                max: field(t, "max", DUR)?,
            },
            "constant" => RawDist::Constant {
                value: field(t, "value", DUR)?,
            },
            "empirical" => RawDist::Empirical {
                values: field(t, "values", "a list of durations, e.g. [\"2m\", \"3m30s\"]")?,
            },
            _ => {
                let k = match t.get("k") {
                    Some(toml::Value::Integer(k)) if (1..=1000).contains(k) => *k as u32,
                    Some(v) => {
                        return Err(format!(
                            "`k`: the number of phases must be a whole number from 1 to 1000, not {}",
                            shown(v)
                        ));
                    }
                    None => return Err("`k`: missing; the erlang distribution needs a whole number of phases, e.g. k = 3".into()),
                };
                RawDist::Erlang {
                    mean: field(t, "mean", DUR)?,
                    k,
                }
            }
        })
    }
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::Table(t) => RawDist::from_table(&t).map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "a distribution table is wanted, not {}: {DIST_EXAMPLE}",
                shown(&other)
            ))),
        }
    }
}

/// A validated distribution of durations in seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// Lognormal with the given mean and coefficient of variation.
    Lognormal { mean: f64, cv: f64 },
    /// Gamma with the given mean and coefficient of variation.
    Gamma { mean: f64, cv: f64 },
    /// Uniform between `min` and `max`.
    Uniform { min: f64, max: f64 },
    /// Always `value`.
    Constant { value: f64 },
    /// Resampled uniformly from `values`.
    Empirical { values: Vec<f64> },
    /// Erlang with `k` phases and the given mean.
    Erlang { mean: f64, k: u32 },
}

impl RawDist {
    /// Checks the parameters; on failure returns (sub-key, message).
    pub fn validate(&self) -> Result<Dist, (&'static str, String)> {
        let cv_ok = |cv: f64| {
            // Below 0.001 the gamma shape 1/cv² overflows long before the spread matters.
            if (0.001..=100.0).contains(&cv) {
                Ok(cv)
            } else {
                Err((
                    "cv",
                    format!(
                        "the coefficient of variation must be between 0.001 and 100, not {cv} \
                         (for no variation use {{ dist = \"constant\", value = ... }})"
                    ),
                ))
            }
        };
        let mean_ok = |m: Duration| {
            if m.0 > 0.0 {
                Ok(m.0)
            } else {
                Err(("mean", "the mean must be above 0 seconds".to_string()))
            }
        };
        Ok(match self {
            RawDist::Exponential { mean } => Dist::Exponential {
                mean: mean_ok(*mean)?,
            },
            RawDist::Lognormal { mean, cv } => Dist::Lognormal {
                mean: mean_ok(*mean)?,
                cv: cv_ok(*cv)?,
            },
            RawDist::Gamma { mean, cv } => Dist::Gamma {
                mean: mean_ok(*mean)?,
                cv: cv_ok(*cv)?,
            },
            RawDist::Uniform { min, max } => {
                if min.0 > max.0 {
                    return Err(("max", format!("max ({}) is below min ({})", max.0, min.0)));
                }
                Dist::Uniform {
                    min: min.0,
                    max: max.0,
                }
            }
            RawDist::Constant { value } => Dist::Constant { value: value.0 },
            RawDist::Empirical { values } => {
                if values.is_empty() {
                    return Err(("values", "give at least one value".to_string()));
                }
                Dist::Empirical {
                    values: values.iter().map(|d| d.0).collect(),
                }
            }
            RawDist::Erlang { mean, k } => {
                if *k == 0 || *k > 1000 {
                    return Err(("k", format!("k must be from 1 to 1000, not {k}")));
                }
                Dist::Erlang {
                    mean: mean_ok(*mean)?,
                    k: *k,
                }
            }
        })
    }
}

impl Dist {
    /// The mean, in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::Lognormal { mean, .. }
            | Dist::Gamma { mean, .. }
            | Dist::Erlang { mean, .. } => *mean,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Constant { value } => *value,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// A sampler with its parameters precomputed.
    pub fn sampler(&self) -> Sampler {
        match *self {
            Dist::Exponential { mean } => Sampler::Exponential { mean },
            Dist::Lognormal { mean, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                let mu = mean.ln() - s2 / 2.0;
                // Parameters were validated (finite, sigma > 0), so construction cannot fail.
                Sampler::Lognormal(LogNormal::new(mu, s2.sqrt()).expect("validated lognormal"))
            }
            Dist::Gamma { mean, cv } => {
                let shape = 1.0 / (cv * cv);
                Sampler::Gamma(Gamma::new(shape, mean / shape).expect("validated gamma"))
            }
            Dist::Erlang { mean, k } => {
                let shape = f64::from(k);
                Sampler::Gamma(Gamma::new(shape, mean / shape).expect("validated erlang"))
            }
            Dist::Uniform { min, max } => Sampler::Uniform {
                min,
                width: max - min,
            },
            Dist::Constant { value } => Sampler::Constant(value),
            Dist::Empirical { ref values } => Sampler::Empirical(values.clone()),
        }
    }
}

/// Draws durations from a validated distribution.
#[derive(Debug, Clone)]
pub enum Sampler {
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// Lognormal.
    Lognormal(LogNormal<f64>),
    /// Gamma (also Erlang).
    Gamma(Gamma<f64>),
    /// Uniform from `min` to `min + width`.
    Uniform { min: f64, width: f64 },
    /// A constant.
    Constant(f64),
    /// Resampled values.
    Empirical(Vec<f64>),
}

impl Sampler {
    /// One draw, in seconds.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // The exponential draw is a few instructions, inlined where it is drawn; the
        // other laws' code stays out of line, where it no longer makes every draw a call.
        if let Sampler::Exponential { mean } = self {
            return exponential(*mean, rng);
        }
        self.sample_other(rng)
    }

    /// [`Sampler::sample`] for the laws other than the exponential.
    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            // Drawn by `sample` itself; here for a whole match.
            Sampler::Exponential { mean } => exponential(*mean, rng),
            Sampler::Lognormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Uniform { min, width } => min + width * rng.random::<f64>(),
            Sampler::Constant(v) => *v,
            Sampler::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }
}

/// An exponential draw of mean `mean`.
#[inline(always)]
fn exponential<R: Rng + ?Sized>(mean: f64, rng: &mut R) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e * mean
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let s = d.sampler();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| s.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt() / m)
    }

    #[test]
    fn mean_and_cv_parameterisation_is_honoured() {
        // 200k draws: the sample mean's standard error is cv/sqrt(n) ~ 0.3 % of the mean for cv 1.2.
        for d in [
            Dist::Lognormal {
                mean: 180.0,
                cv: 1.2,
            },
            Dist::Gamma {
                mean: 300.0,
                cv: 0.5,
            },
            Dist::Erlang { mean: 60.0, k: 4 },
            Dist::Exponential { mean: 120.0 },
        ] {
            let (m, cv) = moments(&d, 200_000);
            let want_cv = match d {
                Dist::Lognormal { cv, .. } | Dist::Gamma { cv, .. } => cv,
                Dist::Erlang { k, .. } => 1.0 / f64::from(k).sqrt(),
                _ => 1.0,
            };
            assert!((m / d.mean() - 1.0).abs() < 0.015, "{d:?}: mean {m}");
            assert!((cv / want_cv - 1.0).abs() < 0.05, "{d:?}: cv {cv}");
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        let bad = [
            RawDist::Lognormal {
                mean: Duration(10.0),
                cv: 0.0,
            },
            RawDist::Exponential {
                mean: Duration(0.0),
            },
            RawDist::Uniform {
                min: Duration(5.0),
                max: Duration(1.0),
            },
            RawDist::Empirical { values: vec![] },
            RawDist::Erlang {
                mean: Duration(5.0),
                k: 0,
            },
            RawDist::Gamma {
                mean: Duration(5.0),
                cv: f64::NAN,
            },
        ];
        for d in bad {
            assert!(d.validate().is_err(), "{d:?} accepted");
        }
    }
}
