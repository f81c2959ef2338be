//! `rappel sweep`: grids of key values.
