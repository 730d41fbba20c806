//! `proposal`: the post "Claims in the Scheduler".
//!
//! Design: the scheduler claims as in `pike` (walk the weighed list, claim, discard a host that
//! fails, consume only after success), then picks the alternates for that instance right away
//! from the rest of its weighed list, in the same cell as the claimed host, as many as the
//! caller asked for (`scheduler.alternates`, default `max_attempts − 1`). The super conductor
//! does not claim; it casts the build to a host that is already claimed. A failed build deletes
//! its allocation and the cell conductor claims the alternates in order, as Queens does.
//!
//! Race exposed: the same t_q → t_c window as `pike`, but the super conductor always starts
//! from a good host. The cost: alternates are only claimed when needed, possibly long after the
//! scheduler saw them (`alternate_staleness_mean_ms`), and a larger caller count means longer
//! lists to carry, not more claims unless builds fail.
//!
//! Its release view (for `cache = "as_released"`) is Pike's persistent one, since the post
//! predates Queens' per-request view; by default every strategy shares the scenario's view.

use super::{AlternateCells, AlternateCount, AlternateTiming, FirstClaim, Policy, Recovery};
use crate::claims::scenario::{CacheMode, RetryPolicy};

pub const POLICY: Policy = Policy {
    first_claim: FirstClaim::Scheduler,
    recovery: Recovery::Alternates,
    alternate_cells: AlternateCells::SameCell,
    alternate_timing: AlternateTiming::PerInstance,
    alternate_count: AlternateCount::Caller,
    cache: CacheMode::Persistent,
    release: RetryPolicy::Pike,
    resource_filters: false,
};

#[cfg(test)]
mod tests {
    use crate::claims::sim::InstState::*;
    use crate::claims::strategies::{Strategy, events, test_support::tiny, trace_of};

    #[test]
    fn scheduler_claims_so_the_conductor_starts_from_a_good_host() {
        // As in pike: the claim loop absorbs the race before the conductor sees the answer.
        let (trace, states) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Proposal);
        let (pike, _) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Pike);
        assert_eq!(trace, pike);
        assert_eq!(states, vec![Active, Active, NoValidHost]);
    }

    #[test]
    fn failed_build_claims_the_same_cell_alternate() {
        let (trace, states) = trace_of(&tiny(2, 1, 1, 1.0), Strategy::Proposal);
        assert_eq!(
            trace,
            events(
                "Arrive(0) SchedRecv(0) CandidatesDone(0) DbDone(0) CpuStart(0) CpuDone(0) ClaimGet(0) ClaimPut(0) ScReturn(0) \
                 BuildCast(0) RtClaim(0) SpawnDone(0,false) CellConductor(0) ClaimGet(0) ClaimPut(0) BuildCast(0) \
                 RtClaim(0) SpawnDone(0,false) CellConductor(0)"
            )
        );
        assert_eq!(states, vec![MaxRetries]);
    }

    #[test]
    fn the_caller_chooses_how_many_alternates() {
        // With zero alternates the first failed build is final.
        let mut s = tiny(2, 1, 1, 1.0);
        s.scheduler.alternates = Some(0);
        let (trace, states) = trace_of(&s, Strategy::Proposal);
        assert_eq!(trace.last().map(String::as_str), Some("CellConductor(0)"));
        assert_eq!(trace.iter().filter(|e| e.starts_with("BuildCast")).count(), 1);
        assert_eq!(states, vec![MaxRetries]);
    }
}
