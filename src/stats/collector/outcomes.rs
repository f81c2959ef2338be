//! How calls end other than on the line (told to call back later, balked, the closed
//! message, a callback), the promises and predictions around them, and the costs that are
//! not staffing.

use super::Collector;

impl Collector {
    /// A call arriving at `arrival` was told to call back later.
    #[inline]
    pub fn rejected(&mut self, arrival: f64, ty: usize) {
        if self.counts(arrival) {
            self.rejected += 1;
            if let Some(t) = self.types.get_mut(ty) {
                t.rejected += 1;
            }
            if let Some(c) = self.cell_of(arrival) {
                self.cells.update(c, |cell| cell.rejected += 1);
            }
        }
    }

    /// A call arriving at `arrival` hung up on hearing the predicted wait.
    #[inline]
    pub fn balked(&mut self, arrival: f64, ty: usize) {
        if self.counts(arrival) {
            self.balked += 1;
            if let Some(t) = self.types.get_mut(ty) {
                t.balked += 1;
            }
            if let Some(c) = self.cell_of(arrival) {
                self.cells.update(c, |cell| cell.balked += 1);
            }
        }
    }

    /// A call made at `t` heard the closed message.
    pub fn closed_call(&mut self, t: f64, ty: usize) {
        if !self.counts(t) {
            return;
        }
        self.closed_made += 1;
        if let Some(a) = self.types.get_mut(ty) {
            a.closed_made += 1;
        }
        // Kept in the cell that opens the day (a call before opening) or that closes it.
        let per_day = self.grid.intervals();
        let day = self.grid.day_of(t);
        let before = self.grid.time_of_day(t) < self.grid.open;
        let idx = day * per_day + if before { 0 } else { per_day - 1 };
        if idx < self.end {
            self.cells.update(idx, |cell| {
                if before {
                    cell.closed_before += 1;
                } else {
                    cell.closed_after += 1;
                }
            });
        }
    }

    /// A call that arrived at `arrival` was on the line at closing time and was
    /// disconnected with the closed message.
    pub fn disconnected(&mut self, arrival: f64, ty: usize) {
        if self.counts(arrival) {
            self.disconnected += 1;
            if let Some(t) = self.types.get_mut(ty) {
                t.disconnected += 1;
            }
            if let Some(c) = self.cell_of(arrival) {
                self.cells.update(c, |cell| cell.closed += 1);
            }
        }
    }

    /// The entry callback taken by the call that arrived at `promised_at` reached the
    /// customer within its promise.
    pub fn callback_in_time(&mut self, promised_at: f64, ty: usize) {
        if self.counts(promised_at) {
            self.in_time += 1;
            if let Some(t) = self.types.get_mut(ty) {
                t.in_time += 1;
            }
            if let Some(c) = self.cell_of(promised_at) {
                self.cells.update(c, |cell| cell.in_time += 1);
            }
        }
    }

    /// A callback was offered at `t`, and accepted or not.
    pub fn callback_offered(&mut self, t: f64, accepted: bool, ty: usize) {
        if self.counts(t) {
            self.callbacks_offered += 1;
            self.callbacks_accepted += u64::from(accepted);
            if let Some(a) = self.types.get_mut(ty) {
                a.callbacks += u64::from(accepted);
            }
            if accepted && let Some(c) = self.cell_of(t) {
                self.cells.update(c, |cell| cell.callbacks += 1);
            }
        }
    }

    /// A callback was promised at `promised_at`.
    pub fn promise(&mut self, promised_at: f64) {
        self.promises += u64::from(self.counts(promised_at));
    }

    /// The callback promised at `promised_at` was broken.
    pub fn broken(&mut self, promised_at: f64) {
        self.broken += u64::from(self.counts(promised_at));
    }

    /// A call arriving at `arrival` was predicted to wait `predicted` and waited `wait`.
    pub fn prediction(&mut self, arrival: f64, predicted: f64, wait: f64) {
        if self.counts(arrival) {
            self.predictions += 1;
            self.prediction_abs_sum += (predicted - wait).abs();
            self.prediction_err_sum += predicted - wait;
        }
    }

    /// An outbound call was placed at `t`.
    pub fn outbound(&mut self, t: f64) {
        if self.counts(t) && t < self.horizon {
            self.outbound_cost += self.outbound_unit_cost;
        }
    }

    /// A goodwill gesture of `cost` was made at `t`.
    pub fn goodwill(&mut self, t: f64, cost: f64) {
        if self.counts(t) && t < self.horizon {
            self.goodwill_cost += cost;
        }
    }
}
