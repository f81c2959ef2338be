//! `rappel compare`: paired differences on common random numbers.
