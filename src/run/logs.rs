//! Runs that stream per-replication logs to disk: tickets.csv and calls.csv, one part
//! file per replication, removed again on any error.

use super::{RunResult, in_blocks};
use crate::centre::{
    CallRecord, Outcome, Runaway, Ticket, simulate_logged_checked, simulate_with_calls,
};
use crate::output::calls::CallFile;
use crate::output::tickets::TicketFile;
use crate::satisfaction::Score;
use crate::scenario::Scenario;
use crate::stats::ReplicationResult;
use std::path::PathBuf;

/// Like [`run_scenario_each`], and streams every counted ticket of replication `r` as CSV
/// rows (no header, columns of [`TICKET_COLUMNS`](crate::output::tickets::TICKET_COLUMNS)) to the file `part(r)`. Returns the
/// files in replication order; on an error every part file is removed.
pub fn run_scenario_with_tickets(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    part: impl Fn(u32) -> PathBuf + Sync,
    each: impl FnMut(&ReplicationResult),
) -> std::io::Result<(RunResult, Vec<PathBuf>)> {
    let logs = Logs {
        tickets: true,
        calls: false,
    };
    run_scenario_with_logs(s, threads, progress, logs, |_, r| part(r), each)
        .map(|(result, tickets, _)| (result, tickets))
}

/// Like [`run_scenario_with_logs`] for replications `range` only (a shard's block): the
/// result folds those replications alone.
pub fn run_range_with_logs(
    s: &Scenario,
    range: std::ops::Range<u32>,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    logs: Logs,
    part: impl Fn(&str, u32) -> PathBuf + Sync,
    each: impl FnMut(&ReplicationResult),
) -> std::io::Result<(RunResult, Vec<PathBuf>, Vec<PathBuf>)> {
    logged_range(s, range, threads, progress, logs, part, each)
}

/// Which per-replication files [`run_scenario_with_logs`] streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logs {
    /// tickets.csv: one row per counted ticket.
    pub tickets: bool,
    /// calls.csv: one row per counted inbound call.
    pub calls: bool,
}

/// Like [`run_scenario_each`], and streams replication `r`'s counted tickets (columns of
/// [`TICKET_COLUMNS`](crate::output::tickets::TICKET_COLUMNS)) to the file `part("tickets.csv", r)` and its counted calls
/// (`crate::output::calls::CALL_FIELDS`) to `part("calls.csv", r)`, as `logs` asks, as CSV
/// rows without a header. Returns the ticket files and the call files, each in replication
/// order; on an error every part file is removed.
pub fn run_scenario_with_logs(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    logs: Logs,
    part: impl Fn(&str, u32) -> PathBuf + Sync,
    each: impl FnMut(&ReplicationResult),
) -> std::io::Result<(RunResult, Vec<PathBuf>, Vec<PathBuf>)> {
    let range = 0..s.simulation.replications;
    logged_range(s, range, threads, progress, logs, part, each)
}

/// The replications of `range` with their logs (see [`run_scenario_with_logs`]).
fn logged_range(
    s: &Scenario,
    range: std::ops::Range<u32>,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    logs: Logs,
    part: impl Fn(&str, u32) -> PathBuf + Sync,
    mut each: impl FnMut(&ReplicationResult),
) -> std::io::Result<(RunResult, Vec<PathBuf>, Vec<PathBuf>)> {
    let start = std::time::Instant::now();
    let mut result = RunResult::empty(s);
    let (mut tickets, mut calls) = (Vec::new(), Vec::new());
    let mut failure = None;
    let paths = |r: u32| {
        (
            logs.tickets.then(|| part("tickets.csv", r)),
            logs.calls.then(|| part("calls.csv", r)),
        )
    };
    let remove = |(t, c): &(Option<PathBuf>, Option<PathBuf>)| {
        for p in [t, c].into_iter().flatten() {
            let _ = std::fs::remove_file(p);
        }
    };
    let ran = Runaway::catch(|| {
        in_blocks(
            range.clone(),
            1,
            threads,
            |r, _| {
                let files = paths(r);
                let res = write_logs(s, r, &files);
                progress(r);
                (res, files)
            },
            |_, mut outcome| {
                let Some((res, (t, c))) = outcome.pop() else {
                    return;
                };
                tickets.extend(t);
                calls.extend(c);
                match res {
                    Ok(res) if failure.is_none() => {
                        result.fold.fold(&res);
                        each(&res);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            },
        )
    });
    if let Err(runaway) = ran {
        // A runaway replication stops the run: no part file stays behind.
        for r in range {
            remove(&paths(r));
        }
        runaway.throw();
    }
    if let Some(e) = failure {
        for p in tickets.iter().chain(&calls) {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    result.wall_time_s = start.elapsed().as_secs_f64();
    Ok((result, tickets, calls))
}

/// Runs one replication, writing its tickets and calls to the files given.
fn write_logs(
    s: &Scenario,
    r: u32,
    (tickets, calls): &(Option<PathBuf>, Option<PathBuf>),
) -> std::io::Result<ReplicationResult> {
    let mut ticket_file = tickets.as_deref().map(TicketFile::create).transpose()?;
    let mut call_file = calls.as_deref().map(CallFile::create).transpose()?;
    let mut error: Option<std::io::Error> = None;
    let mut ticket_error: Option<std::io::Error> = None;
    let mut log = |t: &Ticket, outcome: Outcome, closed: f64, score: Option<&Score>| {
        if let Some(file) = ticket_file.as_mut()
            && ticket_error.is_none()
            && let Err(e) = file.write(s, r, t, outcome, closed, score)
        {
            ticket_error = Some(e);
        }
    };
    let res = match call_file.as_mut() {
        Some(file) => {
            let mut sink = |c: &CallRecord| {
                if error.is_none()
                    && let Err(e) = file.write(s, r, c)
                {
                    error = Some(e);
                }
            };
            let log = tickets.is_some().then_some(&mut log as TicketLogFn);
            simulate_with_calls(s, r, log, &mut sink)
        }
        None => simulate_logged_checked(s, r, Some(&mut log)),
    }
    .unwrap_or_else(|e| e.throw());
    if let Some(e) = ticket_error.or(error) {
        return Err(e);
    }
    if let Some(f) = ticket_file {
        f.finish()?;
    }
    if let Some(f) = call_file {
        f.finish()?;
    }
    Ok(res)
}

/// A ticket log as the centre takes it.
type TicketLogFn<'a> = &'a mut dyn FnMut(&Ticket, Outcome, f64, Option<&Score>);
