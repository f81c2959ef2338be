//! Sweeps: one scenario run over a grid of values of its keys (`rappel sweep`).
