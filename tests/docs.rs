//! Every command shown in README.md and docs/ runs.
