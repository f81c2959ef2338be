//! Satisfaction: a closed ticket's journey becomes a latent score, then a CSAT (1–5) and a
//! likelihood to recommend (0–10). The model, its parameters and their sources are in
//! docs/satisfaction.md.
//!
//! The latent score is 0 when the customer got exactly what they expected (resolved, at
//! the first contact, waiting what they expected, nothing else happening), which reads as
//! CSAT 4 ("satisfied") and a likelihood to recommend of 7 (passive).

mod curves;

pub use curves::{Curve, TIME_RANGE, WAIT_RANGE};

mod dynamics;
pub use dynamics::{Dynamics, WordOfMouth, daily_rate};

/// Parameters of the score (`[satisfaction]` in a scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Perceived wait / actual wait when the customer was not told the wait.
    pub uncertainty_factor: f64,
    /// Scale of the wait term: the largest gain from waiting less than expected, and the
    /// loss per unit of log excess wait before loss aversion.
    pub wait_weight: f64,
    /// How much more a wait beyond expectation hurts than a shorter one pleases.
    pub loss_aversion: f64,
    /// Seconds either side of the expected wait that go unnoticed.
    pub tolerance: f64,
    /// Seconds of excess wait at which the loss is `loss_aversion × wait_weight × ln 2`.
    pub wait_scale: f64,
    /// Loss per unit of log elapsed time beyond expectation (first call to resolution).
    pub time_weight: f64,
    /// Seconds of excess elapsed time at which the time term is `time_weight × ln 2`.
    pub time_scale: f64,
    /// Cost of each "call back later".
    pub rejection_penalty: f64,
    /// Cost of each call that heard the closed message.
    pub closed_penalty: f64,
    /// Cost of each call that failed by the customer's hand: a balk or an abandonment.
    pub failed_attempt_penalty: f64,
    /// Cost of each conversation beyond the first.
    pub contact_penalty: f64,
    /// Cost of each transfer.
    pub transfer_penalty: f64,
    /// Cost of each broken callback promise; a late callback costs up to this.
    pub broken_promise_penalty: f64,
    /// Seconds late at which a late callback costs half a broken promise.
    pub promise_grace: f64,
    /// Gain of a resolution at the first contact with no wait beyond expectation.
    pub fcr_delight: f64,
    /// Seconds of excess wait (or elapsed time) over which the first-contact delight fades
    /// to 1/e.
    pub fcr_fade: f64,
    /// Gain of callbacks all on time; it fades as they are late.
    pub callback_delight: f64,
    /// Gain of a goodwill gesture.
    pub goodwill_delight: f64,
    /// Highest latent score of a ticket never resolved.
    pub unresolved_cap: f64,
    /// Seconds either side of a message's promised response that go unnoticed (the
    /// `tolerance` of the written channel).
    pub message_tolerance: f64,
    /// The `wait_scale` of the written channel: a message's response beyond its promise is
    /// felt in hours, not minutes.
    pub message_wait_scale: f64,
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
            time_weight: 0.1,
            time_scale: 3600.0,
            rejection_penalty: 0.4,
            closed_penalty: 0.2,
            failed_attempt_penalty: 0.2,
            contact_penalty: 0.2,
            transfer_penalty: 0.3,
            broken_promise_penalty: 1.0,
            promise_grace: 900.0,
            fcr_delight: 0.6,
            fcr_fade: 60.0,
            callback_delight: 0.3,
            goodwill_delight: 0.5,
            unresolved_cap: -1.0,
            message_tolerance: 300.0,
            message_wait_scale: 3600.0,
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
    /// Calls that heard the closed message.
    pub closed_messages: u32,
    /// Calls that failed by the customer's hand: balks on hearing the wait, abandonments.
    pub failed_attempts: u32,
    /// Transfers between teams.
    pub transfers: u32,
    /// Callback promises broken.
    pub broken_promises: u32,
    /// Promised callbacks that reached the customer.
    pub callbacks_reached: u32,
    /// Seconds by which those callbacks were late, summed.
    pub lateness: f64,
    /// Whether a goodwill gesture settled the ticket.
    pub goodwill: bool,
    /// Longest wait on the line, seconds.
    pub worst_wait: f64,
    /// Whether the customer knew the length of that wait (announced, or an appointment).
    pub worst_informed: bool,
    /// Last wait on the line, seconds.
    pub last_wait: f64,
    /// Whether the customer knew the length of that wait.
    pub last_informed: bool,
    /// Whether the last conversation began with the customer answered on the line (not
    /// called back): only then does a short wait earn credit.
    pub answered: bool,
    /// Seconds from the first call to the start of the conversation that resolved the
    /// problem, or to the end of the journey when it was never resolved.
    pub elapsed: f64,
    /// The wait this customer expected, seconds; also the time by which they expected
    /// to be talking to somebody who solves the problem.
    pub expected_wait: f64,
    /// Whether the contact was written (a message): its waits are responses, judged against
    /// the promise on the written channel's scales (`message_tolerance`,
    /// `message_wait_scale`) instead of `tolerance` and `wait_scale`.
    pub written: bool,
}

/// The terms of the latent score, in the order of [`Term::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Remembered wait on the line against expectation (peak-end, perceived).
    Wait,
    /// Time from the first call to resolution against expectation.
    Time,
    /// "Call back later" rejections.
    Rejections,
    /// Calls that heard the closed message.
    ClosedMessages,
    /// Balks and abandonments.
    FailedAttempts,
    /// Conversations beyond the first.
    ExtraContacts,
    /// Transfers.
    Transfers,
    /// Callbacks that came later than promised.
    LateCallbacks,
    /// Broken callback promises.
    BrokenPromises,
    /// Resolution at the first contact, fading with the excess wait.
    FirstContactDelight,
    /// Callbacks kept on time, fading as they are late.
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
    pub const ALL: [Term; 14] = [
        Term::Wait,
        Term::Time,
        Term::Rejections,
        Term::ClosedMessages,
        Term::FailedAttempts,
        Term::ExtraContacts,
        Term::Transfers,
        Term::LateCallbacks,
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
            Term::Time => "time_to_resolution",
            Term::Rejections => "rejections",
            Term::ClosedMessages => "closed_messages",
            Term::FailedAttempts => "failed_attempts",
            Term::ExtraContacts => "extra_contacts",
            Term::Transfers => "transfers",
            Term::LateCallbacks => "late_callbacks",
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
pub const CSAT_CUTS: [f64; 4] = [-1.5, -0.75, -0.4, 0.6];

/// CSAT (1–5) of a latent score.
pub fn csat(latent: f64) -> u8 {
    1 + CSAT_CUTS.iter().filter(|c| latent >= **c).count() as u8
}

/// Likelihood to recommend (0–10) of a latent score: a straight line through 6.5 at the
/// CSAT 3|4 cut and 8.5 at the 4|5 cut, so that promoters (9–10) are the top box (CSAT
/// 5), passives (7–8) CSAT 4 and detractors (0–6) CSAT 1 to 3, as in survey data.
pub fn ltr(latent: f64) -> u8 {
    let [.., neutral, top] = CSAT_CUTS;
    let v = 6.5 + 2.0 * (latent - neutral) / (top - neutral);
    // Clamped first, so adding a half and truncating rounds half up without `round`.
    (v.clamp(0.0, 10.0) + 0.5) as u8
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

    /// The wait term of an excess wait: 0 within the tolerance band; beyond it a loss
    /// that keeps growing with the log of the excess (times the loss aversion); below
    /// it a bounded gain, earned only by a customer answered on the line.
    pub fn wait_term(&self, excess: f64, answered: bool) -> f64 {
        self.wait_term_on(excess, answered, self.tolerance, self.wait_scale)
    }

    /// The tolerance and wait scale a journey's waits are judged on: the written
    /// channel's for a message, else the line's.
    fn scales(&self, written: bool) -> (f64, f64) {
        if written {
            (self.message_tolerance, self.message_wait_scale)
        } else {
            (self.tolerance, self.wait_scale)
        }
    }

    /// [`Params::wait_term`] with a given tolerance and scale.
    fn wait_term_on(&self, excess: f64, answered: bool, tolerance: f64, scale: f64) -> f64 {
        self.wait_term_cached(
            excess,
            answered,
            tolerance,
            scale,
            &mut ScoreCache::default(),
        )
    }

    /// [`Params::wait_term_on`], its gain's exponential looked up in `cache` first.
    #[inline]
    fn wait_term_cached(
        &self,
        excess: f64,
        answered: bool,
        tolerance: f64,
        scale: f64,
        cache: &mut ScoreCache,
    ) -> f64 {
        let beyond = excess.abs() - tolerance;
        if beyond <= 0.0 {
            0.0
        } else if excess > 0.0 {
            -self.loss_aversion * self.wait_weight * (beyond / scale).ln_1p()
        } else if answered {
            self.wait_weight * -cache.exp_m1(-beyond / scale)
        } else {
            0.0
        }
    }

    /// The time term of an excess elapsed time (seconds beyond expectation, ≥ 0): a
    /// loss growing with its log, over hours and days.
    pub fn time_term(&self, excess: f64) -> f64 {
        // Most tickets are solved within the expected time: no logarithm for them.
        if excess > 0.0 {
            -self.time_weight * (excess / self.time_scale).ln_1p()
        } else {
            0.0
        }
    }

    /// The score of a journey, with individual tolerance `noise` (a standard normal draw,
    /// scaled here by the `noise` parameter).
    pub fn score(&self, j: &Journey, noise: f64) -> Score {
        self.score_cached(j, noise, &mut ScoreCache::default())
    }

    /// [`Params::score`], with `cache` keeping the last gain's exponential: callers
    /// answered at once, of one type on one day, all have the same, and a simulation
    /// scores millions of them.
    pub fn score_cached(&self, j: &Journey, noise: f64, cache: &mut ScoreCache) -> Score {
        let mut terms = [0.0; Term::ALL.len()];
        let excess = self.excess_wait(j);
        let late = (j.elapsed - j.expected_wait).max(0.0);
        let count = |n: u32, penalty: f64| -penalty * f64::from(n);
        let (tolerance, scale) = self.scales(j.written);
        terms[Term::Wait as usize] =
            self.wait_term_cached(excess, j.answered, tolerance, scale, cache);
        terms[Term::Time as usize] = self.time_term(late);
        terms[Term::Rejections as usize] = count(j.rejections, self.rejection_penalty);
        terms[Term::ClosedMessages as usize] = count(j.closed_messages, self.closed_penalty);
        terms[Term::FailedAttempts as usize] =
            count(j.failed_attempts, self.failed_attempt_penalty);
        terms[Term::ExtraContacts as usize] =
            count(j.conversations.saturating_sub(1), self.contact_penalty);
        terms[Term::Transfers as usize] = count(j.transfers, self.transfer_penalty);
        let lateness = j.lateness.max(0.0);
        // A late callback costs in proportion at first, and never more than a broken one.
        if lateness > 0.0 {
            terms[Term::LateCallbacks as usize] =
                -self.broken_promise_penalty * lateness / (lateness + self.promise_grace);
        }
        terms[Term::BrokenPromises as usize] =
            count(j.broken_promises, self.broken_promise_penalty);
        // Delighters only add; their absence costs nothing. They fade, with no cliff.
        if j.resolved
            && j.conversations == 1
            && j.rejections == 0
            && j.closed_messages == 0
            && j.failed_attempts == 0
            && j.transfers == 0
        {
            let beyond = (excess - tolerance).max(late);
            terms[Term::FirstContactDelight as usize] =
                self.fcr_delight * fade(beyond, self.fcr_fade);
        }
        if j.callbacks_reached > 0 && j.broken_promises == 0 {
            terms[Term::CallbackDelight as usize] =
                self.callback_delight * fade(lateness, self.promise_grace);
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

/// The last `exp_m1` computed while scoring, with its argument: the same argument gives
/// the same bits, so looking it up changes no score.
#[derive(Debug, Clone, Copy)]
pub struct ScoreCache {
    arg: u64,
    value: f64,
}

impl Default for ScoreCache {
    fn default() -> Self {
        Self {
            arg: 0.0f64.to_bits(),
            value: 0.0,
        }
    }
}

impl ScoreCache {
    /// `x.exp_m1()`, from the cache when `x` is the last argument.
    #[inline]
    fn exp_m1(&mut self, x: f64) -> f64 {
        if x.to_bits() != self.arg {
            *self = Self {
                arg: x.to_bits(),
                value: x.exp_m1(),
            };
        }
        self.value
    }
}

/// exp(−x / scale) for x ≥ 0 (1 at 0, 1/e at `scale`); 1 when x ≤ 0.
fn fade(x: f64, scale: f64) -> f64 {
    if x <= 0.0 { 1.0 } else { (-x / scale).exp() }
}

#[cfg(test)]
mod tests;
