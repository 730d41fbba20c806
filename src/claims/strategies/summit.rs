//! `summit_same_cell` and `summit_any_cell`: the Boston 2017 consensus, never merged.
//!
//! Design (synthesised from the consensus text and the nearest shipped code; MODEL.md §4.3 S):
//! the scheduler filters and weighs, picks a host, calls `consume_from_request` on it without
//! claiming, and returns it with the next `max_attempts − 1` weighed hosts as alternates. The
//! super conductor then claims the selected host, and on failure each alternate in turn;
//! success casts the build with the remaining list, an exhausted list is NoValidHost. A failed
//! build deletes its allocation and the cell conductor claims the remaining alternates in its
//! own cell. The two variants differ only in where alternates may come from: the same cell as
//! the selected host (what the post asks for) or any cell (closer to the consensus, which did
//! not say; alternates in another cell are useless to the cell conductor and are skipped).
//!
//! Race exposed: the window from t_q to the claim now also spans the scheduler's reply and the
//! super conductor's processing, longer than in `pike`. When the selected host's claim fails,
//! the scheduler's persistent view still holds a consumption for a host nobody builds on (a
//! phantom, counted in `phantom_consumptions`), and the request has only its alternates left.

use super::{AlternateCells, AlternateCount, AlternateTiming, FirstClaim, Policy, Recovery};
use crate::claims::scenario::{CacheMode, RetryPolicy};

/// Alternates from the selected host's cell only.
pub const SAME_CELL: Policy = Policy {
    first_claim: FirstClaim::SuperConductor,
    recovery: Recovery::Alternates,
    alternate_cells: AlternateCells::SameCell,
    alternate_timing: AlternateTiming::PerInstance,
    alternate_count: AlternateCount::MaxAttemptsMinusOne,
    cache: CacheMode::Persistent,
    release: RetryPolicy::Pike,
    resource_filters: false,
};

/// Alternates from any cell.
pub const ANY_CELL: Policy = Policy { alternate_cells: AlternateCells::AnyCell, ..SAME_CELL };

#[cfg(test)]
mod tests {
    use crate::claims::sim::InstState::*;
    use crate::claims::strategies::{Strategy, events, test_support::tiny, trace_of};

    #[test]
    fn super_conductor_loses_the_race_and_only_has_alternates() {
        // The scheduler consumes without claiming: requests 0 and 1 take hosts 0 and 1, and
        // request 2 sees both consumed equally and picks host 0 again. At the super conductor
        // request 2's claim on host 0 fails (a phantom), its one alternate (host 1) fails too.
        let (trace, states) = trace_of(&tiny(2, 1, 3, 0.0), Strategy::SummitSameCell);
        assert_eq!(
            trace,
            events(
                "Arrive(0) Arrive(1) Arrive(2) SchedRecv(0) SchedRecv(1) SchedRecv(2) CandidatesDone(0) \
                 CandidatesDone(1) CandidatesDone(2) DbDone(0) DbDone(1) DbDone(2) CpuStart(0) CpuDone(0) CpuStart(1) CpuDone(1) CpuStart(2) CpuDone(2) \
                 ScReturn(0) ScReturn(1) ScReturn(2) ClaimGet(0) ClaimGet(1) ClaimGet(2) ClaimPut(0) ClaimPut(1) \
                 ClaimPut(2) ClaimGet(2) ClaimPut(2) BuildCast(0) BuildCast(1) RtClaim(0) RtClaim(1) \
                 SpawnDone(0,true) SpawnDone(1,true) Periodic(0) Periodic(1)"
            )
        );
        assert_eq!(states, vec![Active, Active, NoValidHost]);
    }

    #[test]
    fn failed_build_goes_to_the_cell_conductor_alternates() {
        let (trace, states) = trace_of(&tiny(2, 1, 1, 1.0), Strategy::SummitAnyCell);
        assert_eq!(
            trace,
            events(
                "Arrive(0) SchedRecv(0) CandidatesDone(0) DbDone(0) CpuStart(0) CpuDone(0) ScReturn(0) ClaimGet(0) ClaimPut(0) \
                 BuildCast(0) RtClaim(0) SpawnDone(0,false) CellConductor(0) ClaimGet(0) ClaimPut(0) BuildCast(0) \
                 RtClaim(0) SpawnDone(0,false) CellConductor(0)"
            )
        );
        assert_eq!(states, vec![MaxRetries]);
    }

    #[test]
    fn a_multi_create_is_all_or_nothing_like_the_oracle() {
        // One request for 3 instances on 2 one-slot hosts. Without RamFilter the scheduler picks
        // host 0, 1 and 0 again; the super conductor claims all three at once, the third fails
        // on host 0 and has no alternate (both hosts are selected for this request), and the
        // whole request is NoValidHost: the two claims that succeeded are deleted and nothing
        // is built, as the oracle decides.
        let mut s = tiny(2, 1, 1, 0.0);
        s.workload.multi_create_ratio = 1.0;
        s.workload.multi_create_num = 3;
        let (trace, states) = trace_of(&s, Strategy::SummitSameCell);
        assert_eq!(
            trace,
            events(
                "Arrive(0) SchedRecv(0) CandidatesDone(0) DbDone(0) CpuStart(0) CpuDone(0) CpuStart(0) CpuDone(0) \
                 CpuStart(0) CpuDone(0) ScReturn(0) ClaimGet(0) ClaimGet(1) ClaimGet(2) ClaimPut(0) ClaimPut(1) \
                 ClaimPut(2)"
            )
        );
        assert_eq!(states, vec![NoValidHost; 3]);
        let (_, oracle) = trace_of(&s, Strategy::Oracle);
        assert_eq!(oracle, states);
    }
}
