//! Erlang B and C formulas, the public queue inputs and figures, and the
//! dispatch between the Erlang C closed forms and the birth-death chain.

use super::chain;

/// Errors of analytical computations.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyticError {
    /// Offered load at or above the number of agents with infinitely patient
    /// callers and an unlimited waiting room.
    #[error(
        "offered load of {load:.3} erlangs is not below the {agents} agents: with infinitely \
         patient callers and an unlimited waiting room the queue grows without bound (Erlang C \
         waits are infinite); add agents, or give callers a mean patience or a queue capacity"
    )]
    Unstable {
        /// Offered load in erlangs.
        load: f64,
        /// Number of agents.
        agents: u32,
    },
    /// An input outside its domain (non-positive rate, zero agents, NaN...).
    #[error("invalid input: {what}")]
    InvalidInput {
        /// What is wrong, in words.
        what: String,
    },
    /// The birth-death chain would need more states than the solver builds.
    #[error(
        "the queue model needs more than {limit} states to reach its steady state; give callers \
         a shorter mean patience or a smaller queue capacity"
    )]
    TooManyStates {
        /// Largest number of states the solver builds.
        limit: usize,
    },
    /// The service level within the threshold would take too long to compute exactly.
    #[error(
        "the share answered within {threshold_s} s would take more than {limit:e} steps to \
         compute exactly (a long queue and a long threshold); give a shorter threshold or a \
         shorter mean patience"
    )]
    ThresholdTooCostly {
        /// The service-level threshold in seconds.
        threshold_s: f64,
        /// Work budget in queue-position steps.
        limit: f64,
    },
}

/// Service targets a staffing must meet; `None` means no target on that figure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    /// Share answered within the threshold, at least.
    pub service_level: Option<f64>,
    /// Mean answer time in seconds, at most.
    pub asa_s: Option<f64>,
    /// Share of admitted calls abandoning, at most.
    pub abandon_rate: Option<f64>,
    /// Agent occupancy, at most (a cap planners set so that agents are not run ragged).
    pub max_occupancy: Option<f64>,
}

impl Targets {
    /// Whether the figures meet every target.
    pub fn met_by(&self, f: &QueueFigures) -> bool {
        self.service_level.is_none_or(|t| f.service_level >= t)
            && self.asa_s.is_none_or(|t| f.asa_s <= t)
            && self.abandon_rate.is_none_or(|t| f.p_abandon <= t)
            && self.max_occupancy.is_none_or(|t| f.occupancy <= t)
    }
}

/// Agents to schedule so that `on_phone` agents are on the phone when a share `shrinkage`
/// (0 to below 1) of the scheduled time is lost to breaks, training, absence:
/// ⌈on_phone / (1 − shrinkage)⌉, saturating at `u32::MAX`.
pub fn scheduled_agents(on_phone: u32, shrinkage: f64) -> u32 {
    if shrinkage <= 0.0 || on_phone == 0 {
        return on_phone;
    }
    let exact = f64::from(on_phone) / (1.0 - shrinkage.min(0.999_999));
    // A hair below an integer is that integer (7 / (1 − 0.3) is 10 up to rounding).
    let up = (exact - 1e-9 * exact).ceil();
    if up >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        up as u32
    }
}

/// The fewest agents (at most `max_agents`) with which the queue of `input` (its `agents`
/// ignored) meets `targets`, with the figures at that staffing; `None` when even
/// `max_agents` agents miss them.
pub fn agents_for(
    input: &QueueInput,
    targets: &Targets,
    max_agents: u32,
) -> Result<Option<(u32, QueueFigures)>, AnalyticError> {
    let load = input.arrival_rate * input.mean_handle;
    // Every figure improves with each agent added, so the staffings that meet the targets
    // are all those from some number on: bisection finds it. Without patience or a queue cap, below the load the queue
    // is unstable: start just above it.
    let unstable_below = input.mean_patience.is_none() && input.queue_capacity.is_none();
    let start = if unstable_below {
        (load.floor() as u32).saturating_add(1).max(1)
    } else {
        1
    };
    if start > max_agents {
        return Ok(None);
    }
    let at = |agents: u32| figures(&QueueInput { agents, ..*input });
    let top = at(max_agents)?;
    if !targets.met_by(&top) {
        return Ok(None);
    }
    // Bisection on the monotone "meets the targets": `hi` always meets them.
    let (mut lo, mut hi, mut best) = (start, max_agents, top);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let f = at(mid)?;
        if targets.met_by(&f) {
            (hi, best) = (mid, f);
        } else {
            lo = mid + 1;
        }
    }
    Ok(Some((hi, best)))
}

/// Inputs of a single-skill queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueInput {
    /// Calls arriving per second, > 0.
    pub arrival_rate: f64,
    /// Mean handle time in seconds, > 0.
    pub mean_handle: f64,
    /// Number of agents, >= 1.
    pub agents: u32,
    /// Mean patience in seconds; `None` means infinitely patient callers.
    pub mean_patience: Option<f64>,
    /// Most callers that may wait at once; `None` means an unlimited waiting
    /// room, `Some(0)` a loss system (Erlang B).
    pub queue_capacity: Option<u32>,
    /// Service-level threshold in seconds, >= 0.
    pub threshold: f64,
}

/// Steady-state figures, with the same definitions the simulator uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueFigures {
    /// Offered load in erlangs (arrival rate times mean handle).
    pub offered_load: f64,
    /// Share of arriving calls refused because the waiting room is full.
    pub p_block: f64,
    /// Among admitted calls, probability of finding all agents busy.
    pub p_wait: f64,
    /// Among admitted calls, probability of abandoning before answer.
    pub p_abandon: f64,
    /// Mean wait in seconds of answered calls, zero waits included.
    pub asa_s: f64,
    /// Mean wait in seconds of all admitted calls until answer or abandonment.
    pub wait_mean_s: f64,
    /// Among admitted calls, probability of being answered within the threshold.
    pub service_level: f64,
    /// Mean share of agents busy.
    pub occupancy: f64,
    /// Time-average number of callers waiting.
    pub queue_length_mean: f64,
    /// Among all arriving calls, share answered.
    pub answered_share: f64,
}

/// Erlang B blocking probability of `agents` servers offered `offered_load`
/// erlangs (NaN for a negative or NaN load).
pub fn erlang_b(offered_load: f64, agents: u32) -> f64 {
    if offered_load.is_nan() || offered_load < 0.0 {
        return f64::NAN;
    }
    if offered_load.is_infinite() {
        return 1.0;
    }
    // B(k) = a B(k-1) / (k + a B(k-1)) stays in [0, 1] at every step, unlike
    // the textbook ratio of a^c/c! to a partial exponential sum, which
    // overflows long before thousands of agents.
    let mut blocking = 1.0;
    for k in 1..=agents {
        let carried = offered_load * blocking;
        blocking = carried / (f64::from(k) + carried);
    }
    blocking
}

/// Erlang C probability that a call waits with `agents` servers offered
/// `offered_load` erlangs; 1.0 when the load reaches the number of agents.
pub fn erlang_c(offered_load: f64, agents: u32) -> f64 {
    if offered_load.is_nan() || offered_load < 0.0 {
        return f64::NAN;
    }
    let c = f64::from(agents);
    if offered_load >= c {
        return 1.0;
    }
    // C = c B / (c - a (1 - B)) reuses the stable Erlang B recursion.
    let blocking = erlang_b(offered_load, agents);
    c * blocking / (c - offered_load * (1.0 - blocking))
}

/// Steady-state figures of a single-skill queue.
pub fn figures(input: &QueueInput) -> Result<QueueFigures, AnalyticError> {
    validate(input)?;
    let offered_load = input.arrival_rate * input.mean_handle;
    // An infinite mean patience is the same as none.
    let abandon_rate = input.mean_patience.map_or(0.0, |p| 1.0 / p);
    if abandon_rate == 0.0 && input.queue_capacity.is_none() {
        return erlang_c_figures(input, offered_load);
    }
    let model = chain::Model {
        arrival_rate: input.arrival_rate,
        service_rate: 1.0 / input.mean_handle,
        abandon_rate,
        agents: input.agents,
        capacity: input.queue_capacity,
    };
    chain::figures(&model, offered_load, input.threshold)
}

/// Erlang C closed forms: the wait of a delayed call is exponential with
/// rate c*mu - lambda.
fn erlang_c_figures(input: &QueueInput, offered_load: f64) -> Result<QueueFigures, AnalyticError> {
    let c = f64::from(input.agents);
    if offered_load >= c {
        return Err(AnalyticError::Unstable {
            load: offered_load,
            agents: input.agents,
        });
    }
    let p_wait = erlang_c(offered_load, input.agents);
    // (c - a) / h rather than c/h - lambda keeps the drain rate exact when
    // the load is close to the number of agents.
    let drain_rate = (c - offered_load) / input.mean_handle;
    let asa = p_wait / drain_rate;
    Ok(QueueFigures {
        offered_load,
        p_block: 0.0,
        p_wait,
        p_abandon: 0.0,
        asa_s: asa,
        wait_mean_s: asa,
        service_level: 1.0 - p_wait * (-drain_rate * input.threshold).exp(),
        occupancy: offered_load / c,
        queue_length_mean: input.arrival_rate * asa,
        answered_share: 1.0,
    })
}

fn validate(input: &QueueInput) -> Result<(), AnalyticError> {
    let invalid = |what: String| Err(AnalyticError::InvalidInput { what });
    if !(input.arrival_rate.is_finite() && input.arrival_rate > 0.0) {
        return invalid(format!(
            "arrival rate must be a positive number of calls per second, got {}",
            input.arrival_rate
        ));
    }
    if !(input.mean_handle.is_finite() && input.mean_handle > 0.0) {
        return invalid(format!(
            "mean handle time must be a positive number of seconds, got {}",
            input.mean_handle
        ));
    }
    if input.agents == 0 {
        return invalid("at least one agent is needed".to_string());
    }
    if let Some(patience) = input.mean_patience {
        // `!(x > 0)` also rejects NaN; the reciprocal check rejects
        // subnormal patiences whose abandonment rate overflows.
        if !(patience > 0.0 && (1.0 / patience).is_finite()) {
            return invalid(format!(
                "mean patience must be a positive number of seconds, got {patience}"
            ));
        }
    }
    if input.threshold.is_nan() || input.threshold < 0.0 {
        return invalid(format!(
            "service-level threshold must be zero or more seconds, got {}",
            input.threshold
        ));
    }
    if !(input.arrival_rate * input.mean_handle).is_finite() {
        return invalid("offered load overflows".to_string());
    }
    Ok(())
}
