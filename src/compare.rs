//! Comparisons of scenarios run on common random numbers (`rappel compare`).
