//! A plan's agent-hours and staffing cost: per day, per class of days and over the run.

use super::StaffResult;

impl StaffResult {
    /// Agent-hours per day of a profile (in plan order): with a list per weekday, the mean
    /// over the classes' days.
    fn hours(&self, agents: impl Iterator<Item = u32>) -> f64 {
        let classes = &self.search.classes;
        let days: usize = classes.iter().map(|c| c.days.len()).sum();
        let mut per_class = vec![0.0; classes.len()];
        for (a, p) in agents.zip(&self.search.plans) {
            per_class[p.class] += f64::from(a);
        }
        let sum: f64 = if classes.len() == 1 {
            per_class[0]
        } else {
            per_class
                .iter()
                .zip(classes)
                .map(|(h, c)| h * c.days.len() as f64)
                .sum::<f64>()
                / days.max(1) as f64
        };
        sum * self.search.scenario.day.interval / 3600.0
    }

    /// Agent-hours of class `c`'s list (one day of it).
    pub fn class_hours(&self, c: usize) -> f64 {
        let n = self.search.per_day;
        self.agents[c * n..(c + 1) * n]
            .iter()
            .map(|&a| f64::from(a))
            .sum::<f64>()
            * self.search.scenario.day.interval
            / 3600.0
    }

    /// Whether the plan has a list per weekday.
    pub fn per_weekday(&self) -> bool {
        self.search.classes.len() > 1
    }

    /// Agent-hours per day of the staffing found.
    pub fn agent_hours(&self) -> f64 {
        self.hours(self.agents.iter().copied())
    }

    /// Agent-hours per day of the team's staffing in the scenario.
    pub fn scenario_hours(&self) -> f64 {
        self.hours(self.search.plans.iter().map(|p| p.scenario_agents))
    }

    /// Agent-hours per day Erlang C asks for, when it gives a figure in every interval.
    pub fn erlang_c_hours(&self) -> Option<f64> {
        let v: Option<Vec<u32>> = self.search.plans.iter().map(|p| p.erlang_c).collect();
        v.map(|v| self.hours(v.into_iter()))
    }

    /// Agent-hours per day Erlang A asks for, when it gives a figure in every interval.
    pub fn erlang_a_hours(&self) -> Option<f64> {
        let v: Option<Vec<u32>> = self.search.plans.iter().map(|p| p.erlang_a).collect();
        v.map(|v| self.hours(v.into_iter()))
    }

    /// Agent-hours of the staffing found over the whole run, from time 0 (warm-up
    /// included) to the horizon, each day staffed with its class's list (one list: every
    /// day alike; per weekday: a day of no class, closed, has nobody). An interval the
    /// horizon cuts counts its part before the horizon.
    pub fn run_agent_hours(&self) -> f64 {
        let s = &self.search.scenario;
        let grid = &s.day;
        let days = grid.days(s.simulation.horizon);
        let per_day = self.search.per_day;
        (0..days * per_day)
            .map(|k| {
                let Some(c) = self.search.class_of(k / per_day) else {
                    return 0.0;
                };
                let start = grid.interval_start(k);
                let end = (start + grid.interval).min(s.simulation.horizon);
                f64::from(self.agents[c * per_day + k % per_day]) * (end - start).max(0.0)
            })
            .sum::<f64>()
            / 3600.0
    }

    /// The searched team's `cost_per_hour`.
    pub fn cost_per_hour(&self) -> f64 {
        self.search.scenario.teams[self.search.team].cost_per_hour
    }

    /// The staffing cost of the plan per day (agent-hours × `cost_per_hour`), when the team
    /// has a cost.
    pub fn cost_per_day(&self) -> Option<f64> {
        let c = self.cost_per_hour();
        (c > 0.0).then(|| self.agent_hours() * c)
    }

    /// The staffing cost of the plan over the run ([`StaffResult::run_agent_hours`] ×
    /// `cost_per_hour`), when the team has a cost.
    pub fn cost_per_run(&self) -> Option<f64> {
        let c = self.cost_per_hour();
        (c > 0.0).then(|| self.run_agent_hours() * c)
    }
}
