//! `rappel staff`: staffing by simulation.
