//! The effects of a 2×2 comparison (`rappel compare` of four scenarios that declare their
//! cell): two factors of two levels each, every cell run once, on common random numbers.
//!
//! With `y(i, j)` a metric of the cell at level *i* of the first factor and *j* of the
//! second (level 1 the baseline's), the standard 2² effects are, replication by
//! replication:
//!
//! - main effect of the first factor: ((y21 − y11) + (y22 − y12)) / 2, the mean of its two
//!   simple effects (one at each level of the other factor);
//! - main effect of the second: ((y12 − y11) + (y22 − y21)) / 2;
//! - interaction: ((y22 − y12) − (y21 − y11)) / 2, half the change of the first factor's
//!   simple effect from one level of the second to the other.
//!
//! So each simple effect is a main effect ± the interaction, and the gap between the
//! corners, y22 − y11, is exactly the sum of the two main effects: each factor is credited
//! with its mean simple effect, the interaction shared equally between them. The estimate
//! and Student-t 95 % interval of each effect come from its values per replication (folded
//! in replication order by [`EffectsFold`], so memory stays flat), or, when the cells do not
//! share their customers, from the four estimates as if independent (Welch–Satterthwaite).
//!
//! The design is declared, never guessed: each scenario's `[factors]` table, or
//! `--factor NAME=LEVEL,…` ([`design`]). No I/O here.

use crate::compare::customer_differences;
use crate::run::RunResult;
use crate::stats::{Estimate, Metric, Moments, ReplicationResult, t_quantile_975};

/// One factor of a 2×2 design and its two levels, the baseline's first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    /// The factor's name (`flow`).
    pub name: String,
    /// Its two levels: the baseline's (the first scenario's), then the other.
    pub levels: [String; 2],
}

/// A 2×2 design over the scenarios of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    /// The two factors, in name order.
    pub factors: [Factor; 2],
    /// `cells[i][j]`: the index of the scenario at level `i` of the first factor and `j` of
    /// the second; `cells[0][0]` is 0, the baseline.
    pub cells: [[usize; 2]; 2],
}

impl Design {
    /// The scenarios in the order y11, y21, y12, y22.
    fn order(&self) -> [usize; 4] {
        let c = self.cells;
        [c[0][0], c[1][0], c[0][1], c[1][1]]
    }

    /// The name of an effect: the factor's, or `first:second` for the interaction.
    pub fn term_name(&self, t: Term) -> String {
        match t {
            Term::Main(k) => self.factors[k].name.clone(),
            Term::Interaction => format!("{}:{}", self.factors[0].name, self.factors[1].name),
        }
    }
}

/// One of the three effects of a 2×2 design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// The main effect of factor 0 or 1.
    Main(usize),
    /// The interaction of the two.
    Interaction,
}

impl Term {
    /// The three effects, in output order.
    pub const ALL: [Term; 3] = [Term::Main(0), Term::Main(1), Term::Interaction];

    /// The effect from the four cells' values y11, y21, y12, y22, in the formula's form.
    pub fn of(self, y: [f64; 4]) -> f64 {
        let [y11, y21, y12, y22] = y;
        match self {
            Term::Main(0) => ((y21 - y11) + (y22 - y12)) / 2.0,
            Term::Main(_) => ((y12 - y11) + (y22 - y21)) / 2.0,
            Term::Interaction => ((y22 - y12) - (y21 - y11)) / 2.0,
        }
    }

    /// The weight of each cell (y11, y21, y12, y22) in the effect.
    fn weights(self) -> [f64; 4] {
        match self {
            Term::Main(0) => [-0.5, 0.5, -0.5, 0.5],
            Term::Main(_) => [-0.5, -0.5, 0.5, 0.5],
            Term::Interaction => [0.5, -0.5, -0.5, 0.5],
        }
    }

    fn index(self) -> usize {
        match self {
            Term::Main(0) => 0,
            Term::Main(_) => 1,
            Term::Interaction => 2,
        }
    }
}

/// The 2×2 design of a comparison, from each scenario's declared `[factors]` (`declared`,
/// one list per scenario, in command-line order) and the `--factor NAME=LEVEL,…` flags
/// (`flags`, one level per scenario, in command-line order; a flag overrides the files'
/// levels of its factor). `files` names each scenario in messages. `Ok(None)` when no
/// factor is declared at all, or when the files declare factors but there are not four
/// scenarios and no flag (some cells of a design, compared as a plain comparison); an
/// error, with what to do, when a design is declared but is not a full 2×2.
pub fn design(
    files: &[String],
    declared: &[Vec<(String, String)>],
    flags: &[String],
) -> Result<Option<Design>, String> {
    let n = declared.len();
    let mut levels: Vec<Vec<(String, String)>> = declared.to_vec();
    for flag in flags {
        let help = "  help: write --factor NAME=LEVEL,LEVEL,… with one level per scenario, in \
                    command-line order, e.g. --factor flow=later,now,later,now";
        let Some((name, list)) = flag.split_once('=') else {
            return Err(format!("--factor {flag:?} has no `=`\n{help}"));
        };
        let name = name.trim();
        if !crate::scenario::valid_factor_name(name) {
            return Err(format!(
                "--factor {flag:?}: `{name}` cannot name a factor\n  help: use a short name of \
                 letters, digits, - or _, starting with a letter, e.g. --factor flow=…"
            ));
        }
        let list: Vec<&str> = list.split(',').map(str::trim).collect();
        if list.len() != n {
            return Err(format!(
                "--factor {name} gives {} level{} for {n} scenarios\n{help}",
                list.len(),
                if list.len() == 1 { "" } else { "s" }
            ));
        }
        if let Some(bad) = list
            .iter()
            .find(|l| !crate::scenario::valid_factor_level(l))
        {
            return Err(format!(
                "--factor {name}: {bad:?} cannot be a level\n  help: a level is 1 to 24 \
                 characters, not blank"
            ));
        }
        for (cell, level) in levels.iter_mut().zip(list) {
            cell.retain(|(f, _)| f != name);
            cell.push((name.to_string(), level.to_string()));
            cell.sort();
        }
    }
    // No factor; or some cells of a design in the files, compared as they are (two of the
    // flagship's, say): a design is asked for by four scenarios or by a flag.
    if levels.iter().all(Vec::is_empty) || (n != 4 && flags.is_empty()) {
        return Ok(None);
    }
    let how = "  help: declare two factors of two levels, one scenario per cell: under \
               [factors] in each file (e.g. flow = \"call back later\", team = \"modest\"), \
               or with --factor NAME=LEVEL,… (one level per scenario)";
    // Every factor any scenario declares.
    let mut names: Vec<&str> = levels.iter().flatten().map(|(f, _)| f.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in &names {
        let without: Vec<&str> = files
            .iter()
            .zip(&levels)
            .filter(|(_, l)| !l.iter().any(|(f, _)| f == name))
            .map(|(file, _)| file.as_str())
            .collect();
        if !without.is_empty() {
            return Err(format!(
                "factor {name} is declared by some scenarios but not by {}: every scenario \
                 of a designed comparison is one cell\n  help: add {name} = \"…\" under \
                 [factors] in {}, or declare it for all with --factor {name}=LEVEL,…",
                without.join(", "),
                without.join(", ")
            ));
        }
    }
    if names.len() != 2 {
        return Err(format!(
            "{} factor{} declared ({}): the effects are computed for a 2×2 design, two \
             factors of two levels\n{how}",
            names.len(),
            if names.len() == 1 { " is" } else { "s are" },
            names.join(", ")
        ));
    }
    if n != 4 {
        return Err(format!(
            "a 2×2 design needs 4 scenarios, one per cell, not {n}\n{how}"
        ));
    }
    let level = |s: usize, k: usize| levels[s][k].1.clone();
    let mut factors = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let mut seen: Vec<String> = Vec::new();
        for s in 0..n {
            if !seen.contains(&level(s, k)) {
                seen.push(level(s, k));
            }
        }
        if seen.len() != 2 {
            return Err(format!(
                "factor {name} has {} level{} ({}): a 2×2 design needs two, each in two \
                 scenarios\n{how}",
                seen.len(),
                if seen.len() == 1 { "" } else { "s" },
                seen.join(", ")
            ));
        }
        factors.push(Factor {
            name: name.to_string(),
            levels: [seen[0].clone(), seen[1].clone()],
        });
    }
    let mut cells = [[usize::MAX; 2]; 2];
    for s in 0..n {
        let i = usize::from(level(s, 0) != factors[0].levels[0]);
        let j = usize::from(level(s, 1) != factors[1].levels[0]);
        if cells[i][j] != usize::MAX {
            let first = cells[i][j];
            return Err(format!(
                "{} and {} are the same cell ({} = {}, {} = {}): a 2×2 design runs each \
                 cell once\n{how}",
                files[first],
                files[s],
                factors[0].name,
                level(s, 0),
                factors[1].name,
                level(s, 1)
            ));
        }
        cells[i][j] = s;
    }
    let [f0, f1]: [Factor; 2] = factors.try_into().map_err(|_| how.to_string())?;
    Ok(Some(Design {
        factors: [f0, f1],
        cells,
    }))
}

/// The three effects of every metric, folded replication by replication from the four
/// cells' values (replications where a cell's value is undefined skipped).
#[derive(Debug, Clone)]
pub struct EffectsFold {
    order: [usize; 4],
    moments: Vec<[Moments; 3]>,
}

impl EffectsFold {
    /// No replication yet.
    pub fn new(design: &Design) -> Self {
        Self {
            order: design.order(),
            moments: vec![[Moments::default(); 3]; Metric::COUNT],
        }
    }

    /// Adds replication *r* of every scenario of the comparison, in scenario order.
    pub fn fold(&mut self, reps: &[ReplicationResult]) {
        self.fold_values(|s, k| reps.get(s).map_or(f64::NAN, |r| r.metrics[k]));
    }

    /// Adds one replication given the value of metric `k` (index) of scenario `s`.
    fn fold_values(&mut self, value: impl Fn(usize, usize) -> f64) {
        for (k, m) in self.moments.iter_mut().enumerate() {
            let y = self.order.map(|s| value(s, k));
            for t in Term::ALL {
                m[t.index()].push(t.of(y));
            }
        }
    }
}

/// One effect of one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The metric.
    pub metric: Metric,
    /// Which effect.
    pub term: Term,
    /// Its mean and 95 % interval across replications.
    pub estimate: Estimate,
}

impl Effect {
    /// Whether the effect's 95 % interval excludes zero.
    pub fn significant(&self) -> bool {
        self.estimate.ci95_low > 0.0 || self.estimate.ci95_high < 0.0
    }
}

/// The effects of a 2×2 comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// The design.
    pub design: Design,
    /// Whether the effects are paired (every cell sees the baseline's customers); if not,
    /// they are computed from the four estimates as if independent, with wider intervals.
    pub paired: bool,
    /// Every metric's three effects, in metric order then [`Term::ALL`] order.
    pub effects: Vec<Effect>,
}

impl Effects {
    /// The effect `t` of metric `m`.
    pub fn get(&self, m: Metric, t: Term) -> Estimate {
        self.effects[m.index() * 3 + t.index()].estimate
    }
}

/// The effects of `design` over `runs` (in command-line order), from `fold` when every
/// cell sees the baseline's customers, else unpaired from the runs' estimates.
pub fn effects(design: &Design, runs: &[RunResult], fold: &EffectsFold) -> Effects {
    let order = design.order();
    let paired = order.iter().all(|&s| {
        runs.get(s)
            .is_some_and(|r| customer_differences(&runs[0].scenario, &r.scenario).is_empty())
    });
    let effects = Metric::ALL
        .iter()
        .flat_map(|&metric| {
            Term::ALL.into_iter().map(move |term| {
                let estimate = if paired {
                    fold.moments[metric.index()][term.index()].estimate()
                } else {
                    let cells = order.map(|s| {
                        runs.get(s)
                            .map_or_else(|| crate::stats::summarise(&[]), |r| r.estimate(metric))
                    });
                    unpaired(term, cells)
                };
                Effect {
                    metric,
                    term,
                    estimate,
                }
            })
        })
        .collect();
    Effects {
        design: design.clone(),
        paired,
        effects,
    }
}

/// An effect from four independent estimates: the weighted means, the standard error of
/// the weighted sum, Welch–Satterthwaite's degrees of freedom.
fn unpaired(term: Term, cells: [Estimate; 4]) -> Estimate {
    let w = term.weights();
    let mean = term.of(cells.map(|c| c.mean));
    let parts: Vec<f64> = cells
        .iter()
        .zip(w)
        .map(|(c, w)| (w * c.std_error).powi(2))
        .collect();
    let v: f64 = parts.iter().sum();
    let df = v.powi(2)
        / cells
            .iter()
            .zip(&parts)
            .map(|(c, p)| p.powi(2) / (c.n as f64 - 1.0))
            .sum::<f64>();
    let h = if df.is_finite() && df >= 1.0 {
        t_quantile_975(df.floor() as usize) * v.sqrt()
    } else {
        f64::NAN
    };
    Estimate {
        mean,
        ci95_low: mean - h,
        ci95_high: mean + h,
        std_error: v.sqrt(),
        n: cells.iter().map(|c| c.n).min().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests;
