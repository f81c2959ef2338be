//! The arrival process of a validated scenario: rates per interval, day factors, busyness
//! and the customer population.

/// The arrival process of new tickets: Poisson with a piecewise-constant daily rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrivals {
    /// Rate per hour in each interval of the open day (with a forecast per day, day 0's).
    pub rates_per_hour: Vec<f64>,
    /// A forecast file's profile of each day, when it has a `day` column: day `d` uses
    /// `day_rates[d % len]` (rates per hour, one per interval); empty otherwise, every day
    /// then using `rates_per_hour`.
    pub day_rates: Vec<Vec<f64>>,
    /// Multiplier of day `d` is `day_scale[d % len] × week_scale[d % 7]`.
    pub day_scale: Vec<f64>,
    /// The weekday multiplier of day `d` is `week_scale[d % 7]` (`day_scale_by_weekday`,
    /// turned so that index 0 is day 0's weekday); seven 1.0 by default.
    pub week_scale: [f64; 7],
    /// A further factor on each day's rates, the same for every interval of the day:
    /// random (drawn once per day and replication) or listed.
    pub busyness: Busyness,
    /// The forecast file the rates were read from, as written in the scenario (`None` when
    /// the rates are in the scenario itself).
    pub forecast: Option<String>,
    /// With a forecast per ticket type (a `type` column): for each profile (as
    /// [`Arrivals::profile`] picks them), each interval of the open day, each type's share of
    /// the interval's calls. Empty otherwise: every interval splits by the types' `share`.
    pub type_mix: Vec<Vec<Vec<f64>>>,
    /// The population the tickets belong to (`arrivals.customers`), if any.
    pub customers: Option<Customers>,
}

/// A population of customers bringing the arrivals (see "Customers" in docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customers {
    /// How many customers there are at the start.
    pub size: u32,
    /// The probability that a customer left a detractor by a ticket leaves for good.
    pub churn: f64,
    /// The weight of a customer's own last wait in the wait they expect next time.
    pub memory: f64,
    /// The coefficient of variation of the customers' own rates (a gamma of mean 1); 0
    /// when every customer has the same rate.
    pub rate_cv: f64,
    /// The probability that a customer left a promoter brings a new customer
    /// (`arrivals.referral`); 0 without referral.
    pub referral: f64,
    /// The most customers the stock can reach (`arrivals.max_customers`); `size` without
    /// referral.
    pub capacity: u32,
}

impl Customers {
    /// The factor on the arrival rates that draws arrivals for every slot of the capacity
    /// at the rate of one of the first `size` customers (1 without referral).
    pub fn slots_factor(&self) -> f64 {
        if self.capacity == self.size {
            1.0
        } else {
            f64::from(self.capacity) / f64::from(self.size)
        }
    }
}

/// The day factor of `arrivals.busyness` (the Poisson-gamma model of uncertain volumes):
/// given the factor, the day's arrivals stay a Poisson process.
#[derive(Debug, Clone, PartialEq)]
pub enum Busyness {
    /// No factor (every day 1).
    None,
    /// A gamma factor of mean 1 and coefficient of variation `cv` (above 0), drawn once per
    /// day of each replication from its own stream.
    Gamma {
        /// Standard deviation of the factor (its mean is 1).
        cv: f64,
    },
    /// Day `d` uses `list[d % len]` in every replication.
    List(Vec<f64>),
}

impl Arrivals {
    /// The multiplier of a day.
    pub fn scale(&self, day: usize) -> f64 {
        self.day_scale[day % self.day_scale.len()] * self.week_scale[day % 7]
    }

    /// The rates per hour of day `day`'s intervals, before `day_scale` and busyness.
    pub fn profile(&self, day: usize) -> &[f64] {
        if self.day_rates.is_empty() {
            &self.rates_per_hour
        } else {
            &self.day_rates[day % self.day_rates.len()]
        }
    }

    /// The types' shares of the calls of interval `i` on day `day`, with a forecast per
    /// type (`None` otherwise).
    #[inline]
    pub fn mix(&self, day: usize, i: usize) -> Option<&[f64]> {
        let m = self.type_mix.get(day % self.type_mix.len().max(1))?;
        m.get(i).map(Vec::as_slice)
    }

    /// With a forecast per type, each type's share of the calls of the whole file (every
    /// profile once); `None` otherwise.
    pub fn type_shares(&self) -> Option<Vec<f64>> {
        let first = self.type_mix.first()?.first()?;
        let mut calls = vec![0.0; first.len()];
        for (d, mix) in self.type_mix.iter().enumerate() {
            for (i, shares) in mix.iter().enumerate() {
                let rate = self.profile(d)[i];
                for (c, s) in calls.iter_mut().zip(shares) {
                    *c += rate * s;
                }
            }
        }
        let all: f64 = calls.iter().sum();
        Some(if all > 0.0 {
            calls.iter().map(|c| c / all).collect()
        } else {
            first.clone()
        })
    }

    /// Every distinct profile of the days (one unless the forecast has a `day` column).
    pub fn profiles(&self) -> Vec<&[f64]> {
        if self.day_rates.is_empty() {
            vec![&self.rates_per_hour]
        } else {
            self.day_rates.iter().map(Vec::as_slice).collect()
        }
    }
}
