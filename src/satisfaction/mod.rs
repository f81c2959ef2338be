//! Satisfaction: a closed ticket's journey becomes a latent score, then a CSAT (1–5) and a
//! likelihood to recommend (0–10). The model, its parameters and their sources are in
//! docs/satisfaction.md.
//!
//! The latent score is 0 when the customer got exactly what they expected (resolved, at
//! the first contact, waiting what they expected, nothing else happening), which reads as
//! CSAT 4 ("satisfied") and a likelihood to recommend of 8 (passive).

mod dynamics;
pub use dynamics::{Dynamics, WordOfMouth, daily_rate};

/// Parameters of the score (`[satisfaction]` in a scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Perceived wait / actual wait when the customer was not told the wait.
    pub uncertainty_factor: f64,
    /// Largest gain from waiting less than expected; losses are `loss_aversion` times larger.
    pub wait_weight: f64,
    /// How much more a wait beyond expectation hurts than a shorter one pleases.
    pub loss_aversion: f64,
    /// Seconds either side of the expected wait that go unnoticed.
    pub tolerance: f64,
    /// Seconds over which the wait term saturates (1 − 1/e of its range).
    pub wait_scale: f64,
    /// Cost of each "call back later".
    pub rejection_penalty: f64,
    /// Cost of each conversation beyond the first.
    pub contact_penalty: f64,
    /// Cost of each transfer.
    pub transfer_penalty: f64,
    /// Cost of each broken callback promise.
    pub broken_promise_penalty: f64,
    /// Gain of a resolution at the first contact with no wait beyond expectation.
    pub fcr_delight: f64,
    /// Gain of callbacks all kept on time.
    pub callback_delight: f64,
    /// Gain of a goodwill gesture.
    pub goodwill_delight: f64,
    /// Highest latent score of a ticket never resolved.
    pub unresolved_cap: f64,
    /// Standard deviation of each customer's tolerance.
    pub noise: f64,
    /// The slow dynamics of a multi-day run: expectations and word of mouth (off by
    /// default; `dynamics.rs`).
    pub dynamics: Dynamics,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            uncertainty_factor: 1.36,
            wait_weight: 0.3,
            loss_aversion: 2.25,
            tolerance: 15.0,
            wait_scale: 180.0,
            rejection_penalty: 0.4,
            contact_penalty: 0.35,
            transfer_penalty: 0.3,
            broken_promise_penalty: 1.0,
            fcr_delight: 0.6,
            callback_delight: 0.3,
            goodwill_delight: 0.5,
            unresolved_cap: -1.0,
            noise: 0.5,
            dynamics: Dynamics::default(),
        }
    }
}

/// What the score needs of a ticket's journey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Journey {
    /// Whether the ticket was resolved.
    pub resolved: bool,
    /// Conversations with an agent.
    pub conversations: u32,
    /// Calls told to call back later.
    pub rejections: u32,
    /// Transfers between teams.
    pub transfers: u32,
    /// Callback promises broken.
    pub broken_promises: u32,
    /// Callbacks that reached the customer on time.
    pub callbacks_kept: u32,
    /// Callbacks that reached the customer late.
    pub callbacks_late: u32,
    /// Whether a goodwill gesture settled the ticket.
    pub goodwill: bool,
    /// Longest wait on the line, seconds, and whether the customer had been told it.
    pub worst_wait: f64,
    /// Whether the customer knew the length of that wait (announced, or an appointment).
    pub worst_informed: bool,
    /// Last wait on the line, seconds.
    pub last_wait: f64,
    /// Whether the customer knew the length of that wait.
    pub last_informed: bool,
    /// The wait this customer expected, seconds.
    pub expected_wait: f64,
}

/// The terms of the latent score, in the order of [`Term::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Remembered wait against expectation (peak-end, perceived).
    Wait,
    /// "Call back later" rejections.
    Rejections,
    /// Conversations beyond the first.
    ExtraContacts,
    /// Transfers.
    Transfers,
    /// Broken callback promises.
    BrokenPromises,
    /// Resolution at the first contact with no wait beyond expectation.
    FirstContactDelight,
    /// Callbacks kept on time.
    CallbackDelight,
    /// A goodwill gesture.
    GoodwillDelight,
    /// Individual tolerance.
    Noise,
    /// What the must-be ceiling of an unresolved ticket took away.
    Unresolved,
}

impl Term {
    /// Every term, in output order.
    pub const ALL: [Term; 10] = [
        Term::Wait,
        Term::Rejections,
        Term::ExtraContacts,
        Term::Transfers,
        Term::BrokenPromises,
        Term::FirstContactDelight,
        Term::CallbackDelight,
        Term::GoodwillDelight,
        Term::Noise,
        Term::Unresolved,
    ];

    /// The name written in `satisfaction_drivers.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Term::Wait => "wait",
            Term::Rejections => "rejections",
            Term::ExtraContacts => "extra_contacts",
            Term::Transfers => "transfers",
            Term::BrokenPromises => "broken_promises",
            Term::FirstContactDelight => "first_contact_delight",
            Term::CallbackDelight => "callback_delight",
            Term::GoodwillDelight => "goodwill_delight",
            Term::Noise => "individual_tolerance",
            Term::Unresolved => "unresolved_ceiling",
        }
    }
}

/// A ticket's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// The latent score (0: expectations met).
    pub latent: f64,
    /// Satisfaction on the 1–5 scale.
    pub csat: u8,
    /// Likelihood to recommend on the 0–10 scale.
    pub ltr: u8,
    /// Each term's contribution; they add up to `latent`.
    pub terms: [f64; Term::ALL.len()],
}

/// Latent cut points between CSAT 1|2, 2|3, 3|4 and 4|5.
pub const CSAT_CUTS: [f64; 4] = [-1.5, -0.75, -0.4, 0.9];

/// CSAT (1–5) of a latent score.
pub fn csat(latent: f64) -> u8 {
    1 + CSAT_CUTS.iter().filter(|c| latent >= **c).count() as u8
}

/// Likelihood to recommend (0–10) of a latent score: 8 at 0, two points per unit.
pub fn ltr(latent: f64) -> u8 {
    // Clamped first, so adding a half and truncating rounds half up without `round`.
    ((8.0 + 2.0 * latent).clamp(0.0, 10.0) + 0.5) as u8
}

/// An expected wait below this (seconds) is taken as 0.
pub const MIN_EXPECTATION: f64 = 1e-3;

impl Params {
    /// The perceived wait: stretched by uncertainty unless the customer knew it.
    pub fn perceived(&self, wait: f64, informed: bool) -> f64 {
        if informed {
            wait
        } else {
            wait * self.uncertainty_factor
        }
    }

    /// The remembered wait (peak-end: the mean of the worst and the last perceived wait)
    /// against the expected wait; positive hurts.
    fn excess_wait(&self, j: &Journey) -> f64 {
        let remembered = 0.5
            * (self.perceived(j.worst_wait, j.worst_informed)
                + self.perceived(j.last_wait, j.last_informed));
        remembered - j.expected_wait
    }

    /// The wait term: 0 within the tolerance band, saturating losses beyond it (times the
    /// loss aversion) and saturating gains below it.
    fn wait_term(&self, excess: f64) -> f64 {
        let beyond = excess.abs() - self.tolerance;
        if beyond <= 0.0 {
            return 0.0;
        }
        let saturated = self.wait_weight * (1.0 - (-beyond / self.wait_scale).exp());
        if excess > 0.0 {
            -self.loss_aversion * saturated
        } else {
            saturated
        }
    }

    /// The score of a journey, with individual tolerance `noise` (a standard normal draw,
    /// scaled here by the `noise` parameter).
    pub fn score(&self, j: &Journey, noise: f64) -> Score {
        let mut terms = [0.0; Term::ALL.len()];
        let excess = self.excess_wait(j);
        terms[Term::Wait as usize] = self.wait_term(excess);
        terms[Term::Rejections as usize] = -self.rejection_penalty * f64::from(j.rejections);
        terms[Term::ExtraContacts as usize] =
            -self.contact_penalty * f64::from(j.conversations.saturating_sub(1));
        terms[Term::Transfers as usize] = -self.transfer_penalty * f64::from(j.transfers);
        terms[Term::BrokenPromises as usize] =
            -self.broken_promise_penalty * f64::from(j.broken_promises);
        // Delighters only add; their absence costs nothing.
        if j.resolved
            && j.conversations == 1
            && j.rejections == 0
            && j.transfers == 0
            && excess <= self.tolerance
        {
            terms[Term::FirstContactDelight as usize] = self.fcr_delight;
        }
        if j.callbacks_kept > 0 && j.callbacks_late == 0 && j.broken_promises == 0 {
            terms[Term::CallbackDelight as usize] = self.callback_delight;
        }
        if j.goodwill {
            terms[Term::GoodwillDelight as usize] = self.goodwill_delight;
        }
        terms[Term::Noise as usize] = self.noise * noise;
        let free: f64 = terms.iter().sum();
        // Resolution is a must-be need: without it nothing lifts the score above the cap.
        let latent = if !j.resolved && free > self.unresolved_cap {
            terms[Term::Unresolved as usize] = self.unresolved_cap - free;
            self.unresolved_cap
        } else {
            free
        };
        Score {
            latent,
            csat: csat(latent),
            ltr: ltr(latent),
            terms,
        }
    }
}

#[cfg(test)]
mod tests;
