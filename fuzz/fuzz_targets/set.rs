//! Coverage-guided fuzzing of `rappel sweep --set KEY=VALUES`: the input's first line is the
//! `--set` argument, the rest the scenario text. The argument is parsed, written into the
//! scenario at its key path and every point of the grid validated, as `rappel sweep` does
//! before it runs anything. A panic, a hang or a memory blow-up is a finding; a refused
//! argument or scenario is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rappel::sweep::{Axis, Sweep};

/// Grids with more points than this are not built: each point is a whole validation, and
/// the limit of a real sweep (10,000 points) is checked before any point is.
const MAX_POINTS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (arg, text) = input.split_once('\n').unwrap_or((input, ""));
    let Ok(axis) = Axis::parse(arg) else {
        return;
    };
    if axis.values.len() > MAX_POINTS {
        return;
    }
    let _ = Sweep::new(text, "fuzz.toml", vec![axis], Some(1), Some(1));
});
