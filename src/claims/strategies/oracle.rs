//! `oracle`: a serial scheduler with perfect, instantaneous knowledge. Not Nova.
//!
//! Design: each request is placed at its arrival, in arrival order, with zero think time, by
//! weighing Placement's own usage with the same weighers (best host, ties by id) and claiming
//! at once; a multi-create that does not fit fails whole, as in Nova. A failed build is placed
//! again at once on a host not yet tried, up to `max_attempts` builds in all. The build still
//! travels to the compute and spawns like everyone else's.
//!
//! Race exposed: none, by construction: it is the baseline that separates what is lost to
//! races (conflicts, false NoValidHost, extra claims) from what is lost to capacity.

use super::{AlternateCells, AlternateCount, AlternateTiming, FirstClaim, Policy, Recovery};
use crate::claims::scenario::{CacheMode, RetryPolicy};

pub const POLICY: Policy = Policy {
    first_claim: FirstClaim::Oracle,
    recovery: Recovery::OracleRepick,
    alternate_cells: AlternateCells::None,
    alternate_timing: AlternateTiming::PerInstance,
    alternate_count: AlternateCount::MaxAttemptsMinusOne,
    cache: CacheMode::PerRequest,
    release: RetryPolicy::Pike,
    resource_filters: false,
};

#[cfg(test)]
mod tests {
    use crate::claims::sim::InstState::*;
    use crate::claims::strategies::{Strategy, events, test_support::tiny, trace_of};

    #[test]
    fn places_at_arrival_without_conflicts() {
        let (trace, states) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Oracle);
        assert_eq!(
            trace,
            events(
                "Arrive(0) Arrive(1) Arrive(2) BuildCast(0) BuildCast(1) RtClaim(0) RtClaim(1) SpawnDone(0,true) \
                 SpawnDone(1,true) Periodic(0) Periodic(1)"
            )
        );
        assert_eq!(states, vec![Active, Active, NoValidHost]);
    }

    #[test]
    fn repicks_untried_hosts_after_a_failed_build() {
        let (trace, states) = trace_of(&tiny(2, 1, 1, 1.0), Strategy::Oracle);
        assert_eq!(
            trace,
            events("Arrive(0) BuildCast(0) RtClaim(0) SpawnDone(0,false) BuildCast(0) RtClaim(0) SpawnDone(0,false)")
        );
        assert_eq!(states, vec![MaxRetries]);
    }
}
