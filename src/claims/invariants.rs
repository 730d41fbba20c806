//! Invariant violations: the engine's bugs, reported so they can be replayed.
//!
//! MODEL.md §6 lists what must always hold (no overcommit, generation = successful writes, no
//! orphans) and what must hold at rest (no leaked allocations, Placement agrees with the
//! computes, every request ended). The checks live in the engine, next to the state they read;
//! this type carries what a developer needs to reproduce a failure: the strategy, the seed and
//! the last events before it.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub strategy: &'static str,
    pub seed: u64,
    /// Simulated time of the event after which the check failed, µs.
    pub at_us: u64,
    pub what: String,
    /// The most recent events, oldest first.
    pub trace: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invariant violated at t={} µs: {} (strategy {}, seed {}; rerun with --seed {} --seeds 1)",
            self.at_us, self.what, self.strategy, self.seed, self.seed
        )?;
        writeln!(f, "last events:")?;
        for line in &self.trace {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violation {}
