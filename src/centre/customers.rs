//! Customers (`arrivals.customers`): a population that brings the arrivals. Each new
//! ticket belongs to a customer drawn at random, so each customer's tickets are a Poisson
//! process at 1/customers of the rates; a customer left a detractor by a ticket may leave
//! for good (`arrivals.churn`), and the arrivals drawn for a customer who left never come
//! (thinning: the rates follow the customers still there).
//!
//! With referral (`arrivals.referral`), the population is a stock of customers gained and
//! lost: arrivals are drawn for every slot of `arrivals.max_customers` at the rate of one of
//! the first `customers`, an arrival for a slot that is not (or no longer) a customer never
//! comes, and a customer left a promoter may bring a new customer, who takes the next slot
//! never used.

use super::Centre;
use crate::engine::Stream;
use rand::RngExt;

/// The customers of one replication.
#[derive(Debug)]
pub(super) struct Population {
    /// Whether each slot is a customer (the first `customers` at the start; with referral,
    /// the later slots as customers are gained).
    active: Vec<bool>,
    /// The probability that a customer left a promoter brings a new customer.
    referral: f64,
    /// The next slot never used (`active.len()` once the capacity is reached).
    next_slot: usize,
    /// The customers at the horizon: those at the start, plus those gained and less those
    /// lost before it.
    stock: u64,
    /// The end of the arrivals (`simulation.horizon`).
    horizon: f64,
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
    pub fn new(
        c: &crate::scenario::Customers,
        depth: bool,
        horizon: f64,
        rates: &mut Stream,
    ) -> Self {
        // Every slot of the capacity (the first `size` customers without referral).
        let n = c.capacity as usize;
        let size = c.size as usize;
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
            active: (0..n).map(|i| i < size).collect(),
            referral: c.referral,
            next_slot: size,
            stock: size as u64,
            horizon,
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

impl Population {
    /// The customers at the horizon (see `stock`).
    pub fn stock(&self) -> u64 {
        self.stock
    }

    /// Whether `customer` is still a customer.
    pub fn is_customer(&self, customer: u32) -> bool {
        self.active.get(customer as usize).copied().unwrap_or(false)
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
            if now < p.horizon {
                p.stock -= 1;
            }
            self.stats.churned(now);
        }
        // A promoter still a customer may bring one: the next slot never used, while the
        // capacity has room (one draw per such promoter, none once it is full).
        if p.referral > 0.0
            && ltr >= 9
            && p.active[c]
            && p.next_slot < p.active.len()
            && self.rng.referral.random::<f64>() < p.referral
        {
            p.active[p.next_slot] = true;
            p.next_slot += 1;
            if now < p.horizon {
                p.stock += 1;
            }
            self.stats.gained(now);
        }
    }
}
