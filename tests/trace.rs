//! `rappel trace`: the teaching trace.
