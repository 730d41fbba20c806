//! `queens`: Queens 17.0.0 as shipped.
//!
//! Design: the scheduler claims as in `pike`, but builds its `HostState` view fresh for each
//! request (commit c98ac6adc5), so a consumption lives only within one multi-create. After all
//! instances are claimed it computes the alternates: for each selected host, walk the sorted
//! list for hosts in the same cell that were not selected for this request, up to
//! `max_attempts` hosts in all; hosts whose claim failed earlier in the request are not
//! excluded, and every instance of a multi-create gets the same alternates. The caller cannot
//! choose the count. A failed build deletes its allocation and the cell conductor claims the
//! alternates in order; an exhausted list is MaxRetriesExceeded. Queens retries a
//! "concurrently updated" PUT 3 times in all, with no server-side retry.
//!
//! Race exposed: with no cross-request memory, every request sees only the cell DB, which lags
//! Placement by the build pipeline, so concurrent requests herd onto the same best host even
//! with one worker; Placement's claim turns that into capacity 409s rather than overcommit.
//! Alternates can be stale (or already known to be full) when the cell conductor claims them.

use super::{AlternateCells, AlternateCount, AlternateTiming, FirstClaim, Policy, Recovery};
use crate::claims::scenario::{CacheMode, RetryPolicy};

pub const POLICY: Policy = Policy {
    first_claim: FirstClaim::Scheduler,
    recovery: Recovery::Alternates,
    alternate_cells: AlternateCells::SameCell,
    alternate_timing: AlternateTiming::AfterAll,
    alternate_count: AlternateCount::MaxAttemptsMinusOne,
    cache: CacheMode::PerRequest,
    release: RetryPolicy::Queens,
    resource_filters: false,
};

#[cfg(test)]
mod tests {
    use crate::claims::sim::InstState::*;
    use crate::claims::strategies::{Strategy, events, test_support::tiny, trace_of};

    #[test]
    fn per_request_view_herds_even_with_one_worker() {
        let (trace, states) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Queens);
        let (pike, _) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Pike);
        assert_eq!(trace, pike);
        assert_eq!(states, vec![Active, Active, NoValidHost]);
    }

    #[test]
    fn failed_build_claims_alternates_in_the_cell_conductor() {
        let (trace, states) = trace_of(&tiny(2, 1, 1, 1.0), Strategy::Queens);
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
    fn the_caller_cannot_choose_the_count() {
        let mut s = tiny(2, 1, 1, 1.0);
        s.scheduler.alternates = Some(0);
        let (trace, _) = trace_of(&s, Strategy::Queens);
        assert_eq!(trace.iter().filter(|e| e.starts_with("BuildCast")).count(), 2);
    }
}
