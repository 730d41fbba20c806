//! `legacy`: Ocata 15.0.0. The compute claims; the scheduler only guesses.
//!
//! Design: the scheduler reads the cell DB (`ComputeNode` rows), keeps a persistent
//! `HostState` map per process, filters with RamFilter and DiskFilter (CoreFilter off by
//! default, so vCPU is not enforced), weighs, and calls `consume_from_request` on the host it
//! picks. Nothing is claimed until the build reaches the compute, where the resource tracker
//! tests the usage against the scheduler's `limits` under the `compute_resources` lock and then
//! mirrors the allocation into Placement. A failure (rejection or failed spawn) goes back
//! through the conductor to the scheduler with `RetryFilter`, up to `max_attempts` in total.
//!
//! Race exposed: the window runs from the scheduler's DB read to the RT claim, which includes
//! the CPU section, two RPC hops, the super conductor and the queue on the compute's build
//! semaphore. Two workers (or two requests that read the DB before either consumed) pick the
//! same host and one is rejected at the compute, a full reschedule. The local consumption on a
//! host that rejected the build is a phantom until the host's next DB write.
//! With several cells, the reschedule up-call is impossible and a failure is final (as for
//! `pike`; an \[assumption\] for Ocata, which supported one cell in practice).

use super::{AlternateCells, AlternateCount, AlternateTiming, FirstClaim, Policy, Recovery};
use crate::claims::scenario::{CacheMode, RetryPolicy};

pub const POLICY: Policy = Policy {
    first_claim: FirstClaim::Compute,
    recovery: Recovery::Reschedule,
    alternate_cells: AlternateCells::None,
    alternate_timing: AlternateTiming::PerInstance,
    alternate_count: AlternateCount::MaxAttemptsMinusOne,
    cache: CacheMode::Persistent,
    release: RetryPolicy::Pike,
    resource_filters: true,
};

#[cfg(test)]
mod tests {
    use crate::claims::sim::InstState::*;
    use crate::claims::strategies::{Strategy, events, test_support::tiny, trace_of};

    #[test]
    fn one_worker_serialises_through_its_persistent_view() {
        // 2 hosts × 1 slot, 3 requests at once. The worker consumes on selection, so the
        // second request sees host 0 full (RamFilter) and takes host 1; the third finds none.
        let (trace, states) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::Legacy);
        assert_eq!(
            trace,
            events(
                "Arrive(0) Arrive(1) Arrive(2) SchedRecv(0) SchedRecv(1) SchedRecv(2) CandidatesDone(0) \
                 CandidatesDone(1) CandidatesDone(2) DbDone(0) DbDone(1) DbDone(2) CpuStart(0) CpuDone(0) CpuStart(1) CpuDone(1) CpuStart(2) CpuDone(2) \
                 ScReturn(0) ScReturn(1) BuildCast(0) BuildCast(1) RtClaim(0) RtClaim(1) SpawnDone(0,true) SpawnDone(1,true) Periodic(0) Periodic(1)"
            )
        );
        assert_eq!(states, vec![Active, Active, NoValidHost]);
    }

    #[test]
    fn failed_builds_reschedule_through_the_scheduler_with_retry_filter() {
        // Every spawn fails: host 0, then host 1, then RetryFilter leaves nothing.
        let (trace, states) = trace_of(&tiny(2, 1, 1, 1.0), Strategy::Legacy);
        assert_eq!(
            trace,
            events(
                "Arrive(0) SchedRecv(0) CandidatesDone(0) DbDone(0) CpuStart(0) CpuDone(0) ScReturn(0) BuildCast(0) RtClaim(0) \
                 SpawnDone(0,false) SchedRecv(1) CandidatesDone(1) DbDone(1) CpuStart(1) CpuDone(1) ScReturn(1) BuildCast(0) \
                 RtClaim(0) SpawnDone(0,false) SchedRecv(2) CandidatesDone(2) DbDone(2) CpuStart(2) CpuDone(2)"
            )
        );
        assert_eq!(states, vec![NoValidHost]);
    }
}
