//! Customers (`arrivals.customers`): a population that brings the arrivals. Each new
//! ticket belongs to a customer drawn at random, so each customer's tickets are a Poisson
//! process at 1/customers of the rates; a customer left a detractor by a ticket may leave
//! for good (`arrivals.churn`), and the arrivals drawn for a customer who left never come
//! (thinning: the rates follow the customers still there).

use super::Centre;
use crate::engine::Stream;
use rand::RngExt;

/// The customers of one replication.
#[derive(Debug)]
pub(super) struct Population {
    /// Whether each customer is still a customer.
    active: Vec<bool>,
    /// The probability that a customer left a detractor leaves.
    churn: f64,
    /// The weight of a customer's own last wait in the wait they expect.
    memory: f64,
    /// With a memory: each customer's last wait (NaN before their first ticket closes),
    /// in single precision (4 bytes a customer).
    last_wait: Vec<f32>,
    /// With a team resolving in depth: until when each customer is protected, and the
    /// protection's `prevents` (empty otherwise).
    protected: Vec<(f64, f64)>,
    /// With customers' own rates: the cumulative sum of their rates, customer by customer
    /// (empty when every customer has the same rate).
    cumulative: Vec<f64>,
}

impl Population {
    /// The population of `c`: every customer there, none remembering a wait yet.
    pub fn new(c: &crate::scenario::Customers, depth: bool, rates: &mut Stream) -> Self {
        let n = c.size as usize;
        // Each customer's rate from a gamma of mean 1, drawn once in customer order.
        let cumulative = if c.rate_cv > 0.0 {
            let gamma = crate::scenario::Dist::Gamma {
                mean: 1.0,
                cv: c.rate_cv,
            }
            .sampler();
            let mut sum = 0.0;
            (0..n)
                .map(|_| {
                    sum += gamma.sample(rates);
                    sum
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            active: vec![true; n],
            churn: c.churn,
            memory: c.memory,
            last_wait: if c.memory > 0.0 {
                vec![f32::NAN; n]
            } else {
                Vec::new()
            },
            protected: if depth {
                vec![(f64::NEG_INFINITY, 0.0); n]
            } else {
                Vec::new()
            },
            cumulative,
        }
    }

    /// The wait customer `customer` expects: their type's `expected`, moved toward their
    /// own last wait by the memory's weight.
    pub fn expectation(&self, customer: u32, expected: f64) -> f64 {
        match self.last_wait.get(customer as usize) {
            Some(w) if !w.is_nan() => (1.0 - self.memory) * expected + self.memory * f64::from(*w),
            _ => expected,
        }
    }
}

impl Centre<'_> {
    /// The wait customer `customer` expects, from their type's `expected` and their memory.
    #[cold]
    #[inline(never)]
    pub(super) fn remembered(&self, customer: u32, expected: f64) -> f64 {
        self.population
            .as_ref()
            .expect("a population")
            .expectation(customer, expected)
    }

    /// The customer a new arrival belongs to, drawn at random; `None` when that customer
    /// has left (the arrival never comes).
    #[cold]
    #[inline(never)]
    pub(super) fn customer_of_arrival(&mut self, now: f64) -> Option<u32> {
        let p = self.population.as_ref().expect("a population");
        let n = p.active.len();
        let u: f64 = self.rng.customer.random();
        // With customers' own rates, the customer whose share of the rates holds u.
        let c = match p.cumulative.last() {
            Some(&total) => p.cumulative.partition_point(|&s| s <= u * total),
            None => (u * n as f64) as usize,
        }
        .min(n - 1);
        if !p.active[c] {
            return None;
        }
        // A customer protected by a resolution in depth: the ticket may never come.
        if let Some(&(until, prevents)) = p.protected.get(c)
            && now < until
            && self.rng.prevention.random::<f64>() < prevents
        {
            self.stats.prevented(now);
            return None;
        }
        Some(c as u32)
    }

    /// A team resolving in depth resolved a ticket of `customer` at `now`: the customer is
    /// protected from then for `lasting` seconds (a later resolution renews it).
    pub(super) fn protect(&mut self, now: f64, customer: u32, depth: &crate::scenario::Depth) {
        if let Some(p) = self.population.as_mut()
            && let Some(slot) = p.protected.get_mut(customer as usize)
        {
            *slot = (now + depth.lasting, depth.prevents);
        }
    }

    /// Customer `customer`'s ticket closed at `now`, its last wait `wait` and its
    /// likelihood to recommend `ltr`: remembered (with a memory); a detractor (0 to 6)
    /// leaves for good with the population's churn.
    #[cold]
    #[inline(never)]
    pub(super) fn customer_scored(&mut self, now: f64, customer: u32, wait: f64, ltr: u8) {
        let p = self.population.as_mut().expect("a population");
        let c = customer as usize;
        if let Some(w) = p.last_wait.get_mut(c) {
            *w = wait as f32;
        }
        if p.churn > 0.0 && ltr <= 6 && p.active[c] && self.rng.churn.random::<f64>() < p.churn {
            p.active[c] = false;
            self.stats.churned(now);
        }
    }
}
