//! Terminal polish: help snapshots, completions, man page, template scenario, JSON Schema.
