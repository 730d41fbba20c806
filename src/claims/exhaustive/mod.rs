//! `fanzine claims --exhaustive`: every interleaving of the claim steps, for small clouds.
//!
//! The simulator samples interleavings through latencies and seeds; a race it does not happen
//! to hit is invisible. This checker instead enumerates every order in which the actors' atomic
//! steps can run, for configurations small enough to finish (2–3 workers, 1–4 hosts of a few
//! slots, a handful of requests), checks the invariants after every step, and reports the worst
//! case over all of them, with a shortest trace whenever a design refuses a request the oracle
//! would have placed or breaks an invariant. It is a model of its own ([`model`]), written from
//! the strategy files and MODEL.md, and shares no code with the simulator in [`super::sim`].
//!
//! # The atomic steps
//!
//! A step is atomic when nothing another actor does can be observed in the middle of it: in
//! Nova, eventlet yields only at I/O, the resource tracker holds its lock across its claim, and
//! Placement commits a write in one transaction. The steps, by actor:
//!
//! * **Scheduler, `GET /allocation_candidates`** (t_q): the hosts with room in Placement now.
//! * **Scheduler, the cell DB read** of the candidates' rows (I/O: it yields).
//! * **Scheduler, CPU section**: merge the rows into the view (the call's first section only;
//!   in a persistent view a local consumption newer than the row read survives, as Nova's
//!   `updated` guard decides), filter (candidates, RetryFilter, and legacy's RamFilter on the
//!   view), weigh (spread: most free first, ties by host id, `host_subset_size` 1).
//!   Scheduler-claim designs (pike, proposal, queens) run one section per instance, since the
//!   claims between them yield; legacy and summit select every instance of a request in one
//!   section (nothing yields there) and `consume_from_request` as they go.
//! * **A claim, `GET /allocations/{consumer}` + `PUT /allocations/{consumer}`**: one step by
//!   default. The GET reads only the consumer's own allocations, which no one else writes, so
//!   where it falls among other steps changes nothing. A configuration with `split_put` makes
//!   the PUT two steps, the transaction's snapshot (usage and provider generation) and its
//!   commit: the commit checks capacity against the snapshot (capacity 409: the claimer moves
//!   on), then the generation (a "concurrently updated" 409: the client re-runs GET + PUT, up
//!   to 4 tries in Pike, 3 in Queens; exhausted, it is a failed claim). The claimer is the
//!   scheduler (walking its weighed list until a claim succeeds), the super conductor (summit:
//!   the selected host, then the alternates) or the cell conductor (alternates after a failed
//!   build). A failed request's cleanup (one `DELETE` per claimed sibling, all-or-nothing) is
//!   part of the step that ends it: releasing capacity early is never observed as a race.
//! * **Compute, the resource tracker's claim** under the `compute_resources` lock: the usage
//!   and the cell DB row change together. Legacy tests the scheduler's limits here (a rejection
//!   reschedules) and mirrors the allocation into Placement. A successful spawn writes nothing
//!   others read, so it is part of this step; whether the build will fail is the adversary's
//!   choice, up to the configuration's `failures` in the whole run.
//! * **Compute, a failed build**: the tracker's abort (a row write) and the allocation's
//!   `DELETE`, then the design's recovery: a reschedule through the scheduler with RetryFilter
//!   (legacy, pike; impossible with several cells, so final there), the cell conductor's
//!   alternates in the failed host's cell (summit, proposal, queens), or the oracle's repick.
//! * **Oracle**: one step per request, placing all instances on the best hosts by Placement's
//!   own usage, or none; a failed build is placed again in the same step.
//!
//! Not steps: RPC casts and the super conductor's bookkeeping (they touch no shared state, so
//! they commute with everything), and the periodic resource update: the tracker writes the row
//! whenever its usage changes, so the periodic task finds nothing to change and, as in Nova,
//! writes nothing. A local consumption in a persistent view therefore lasts until the host's
//! next tracker write; those left at rest are reported as phantoms.
//!
//! Dispatch is round robin (call `c` to worker `c % workers`); a reschedule is a call of its own.
//! One resource class stands for RAM, CPU and disk (units of "slots"); allocation ratios are 1.
//!
//! # What is checked
//!
//! After every step ([`model::Model::check`]): no host over capacity in Placement or on the
//! compute; each host's usage equals the sum of its allocations; no instance claims while it
//! holds an allocation (claimed twice); no instance cast or built on a host without its
//! allocation there (orphans, except legacy before its tracker claim); no failed instance holds
//! an allocation (leaks); and no reachable state where an instance can never finish (deadlock).
//! A refusal (NoValidHost, or MaxRetriesExceeded with attempts left) is *false* when the
//! oracle, placing the refused instances at that moment on hosts they have not tried, would
//! succeed.
//!
//! # Bounds
//!
//! The visited set is keyed on [`model::State::encode`], a canonical byte string (no symmetry
//! reduction: hosts and requests keep their ids, since ties are broken by id). [`Bounds`] caps
//! the states and the set's estimated memory; a search that hits either stops, and the report
//! says "explored N of ≥N states; bound reached" instead of claiming the result is exhaustive.

pub mod configs;
pub mod model;
pub mod report;
pub mod search;
pub mod state;

pub use configs::Config;
pub use search::{Bounds, Outcome};

use super::strategies::Strategy;

/// The strategies checked, in report order.
pub const STRATEGIES: [Strategy; 7] = [
    Strategy::Legacy,
    Strategy::Pike,
    Strategy::SummitSameCell,
    Strategy::SummitAnyCell,
    Strategy::Proposal,
    Strategy::Queens,
    Strategy::Oracle,
];

/// Check one strategy on one configuration.
pub fn check(config: &Config, strategy: Strategy, bounds: Bounds) -> Outcome {
    search::explore(&model::Model::new(config, strategy), bounds)
}

#[cfg(test)]
mod tests;
