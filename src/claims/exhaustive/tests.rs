//! Tiny configurations whose answers can be worked out by hand.

use std::collections::{HashSet, VecDeque};

use super::configs::{Config, Host, Request};
use super::model::{Design, Model, Phase};
use super::{Bounds, STRATEGIES, check};
use crate::claims::strategies::Strategy;

fn config(workers: u8, slots: &[u8], requests: &[u8], max_attempts: u8, failures: u8) -> Config {
    Config {
        name: "test",
        about: "a test",
        workers,
        hosts: slots.iter().map(|&slots| Host { cell: 0, slots }).collect(),
        requests: requests.iter().map(|&instances| Request { instances, size: 1 }).collect(),
        max_attempts,
        failures,
        split_put: false,
        view: None,
    }
}

/// The labels of a shortest path to a step whose label satisfies `want`, by plain BFS.
fn shortest(config: &Config, strategy: Strategy, want: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let model = Model::new(config, strategy);
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([(model.initial(), Vec::new())]);
    while let Some((st, path)) = queue.pop_front() {
        for s in model.successors(&st, true) {
            let mut p: Vec<String> = path.clone();
            p.push(s.label.clone());
            if want(&s.label) {
                return Some(p);
            }
            if seen.insert(s.state.encode()) {
                queue.push_back((s.state, p));
            }
        }
    }
    None
}

#[test]
fn two_requests_for_one_slot_interleave_180_ways_under_pike() {
    // Each request takes GET candidates (Q), the cell DB read (D), its CPU section (S), a PUT
    // (P) and, if it won, the tracker's claim (R). If both query before the first PUT, the
    // first PUT wins and the other gets a 409 with no host left: the loser's Q precedes the
    // winner's P, which precedes the loser's P. Counting the winner's steps before each of the
    // loser's (k1 ≤ k2 ≤ k3 ≤ k4, k1 ≤ 3, k4 ≥ 4) gives Σ C(k4 − k1 + 2, 2) = 36 + 25 + 16 + 9
    // = 86 merges of QDSPR with QDSP; 172 for the two winners. If the winner's P comes before
    // the loser's Q, the loser sees no candidate and fails in S: 4 merges of QDSPR with QDS, 8
    // in all. 180. At rest: who won, and (when both queried first) whether the loser read the
    // row before or after the winner's tracker claim: 6.
    let o = check(&config(2, &[1], &[1, 1], 2, 0), Strategy::Pike, Bounds::default());
    assert!(o.complete);
    assert_eq!((o.interleavings, o.terminals), (180, 6));
    assert_eq!((o.active, o.false_refusals, o.violations), ((1, 1), 0, 0));
    assert_eq!(o.puts_per_instance, 1);
}

#[test]
fn the_oracle_places_in_one_step_per_request() {
    // The first to place wins; the loser's NoValidHost comes before or after the winner's
    // tracker claim: 2 orders for each winner.
    let o = check(&config(2, &[1], &[1, 1], 2, 0), Strategy::Oracle, Bounds::default());
    assert_eq!((o.interleavings, o.terminals, o.states), (4, 2, 9));
}

#[test]
fn strategies_that_claim_in_the_scheduler_never_overcommit() {
    // Two workers, two one-slot hosts, a multi-create of two and a single, one failed build.
    let c = config(2, &[1, 1], &[2, 1], 2, 1);
    for s in [Strategy::Pike, Strategy::Proposal, Strategy::Queens] {
        let o = check(&c, s, Bounds::default());
        assert!(o.complete, "{}", s.name());
        assert_eq!(o.violations, 0, "{}: {:?}", s.name(), o.violation_trace);
    }
    // They can still refuse falsely: a request that asked for candidates while both hosts were
    // claimed fails in its CPU section after a failed build has freed one.
    let o = check(&c, Strategy::Pike, Bounds::default());
    let trace = o.false_refusal_trace.expect("a stale candidate list");
    let at = |line: &str| trace.iter().position(|l| l.contains(line)).expect(line);
    assert!(at("request 1 (worker 1): GET /allocation_candidates → hosts none") < at("the spawn will fail"));
    assert_eq!(
        trace.last().unwrap(),
        "request 1 (worker 1): CPU section for instance 2: view used [0 0], order []; NoValidHost for instance(s) 2; \
         while the oracle would place it: a false refusal"
    );
}

#[test]
fn the_oracle_never_refuses_falsely_and_every_design_keeps_the_invariants() {
    let c = config(2, &[1, 1, 1], &[1, 1, 1], 2, 0);
    for s in STRATEGIES {
        let o = check(&c, s, Bounds::default());
        assert_eq!(o.violations, 0, "{}: {:?}", s.name(), o.violation_trace);
        assert!(o.terminals > 0 && o.complete, "{}", s.name());
    }
    assert_eq!(check(&c, Strategy::Oracle, Bounds::default()).false_refusals, 0);
}

#[test]
fn claiming_on_the_compute_reschedules_after_a_rejection() {
    // Two workers with their own views both read the rows and pick host 0 before either build lands;
    // the second build is rejected by the tracker and goes back to the scheduler.
    let c = config(2, &[1, 1], &[1, 1], 2, 0);
    let trace = shortest(&c, Strategy::Legacy, |l| l.contains("reschedules")).expect("a reschedule");
    assert_eq!(
        trace,
        [
            "request 0 (worker 0): GET /allocation_candidates → hosts 0 1",
            "request 0 (worker 0): reads the cell DB: used [0 0]",
            "request 0 (worker 0): CPU section for instance 0: view used [0 0], order [0 1]; selects host 0 for \
             instance 0 and consumes it in its view",
            "request 1 (worker 1): GET /allocation_candidates → hosts 0 1",
            "request 1 (worker 1): reads the cell DB: used [0 0]",
            "request 1 (worker 1): CPU section for instance 1: view used [0 0], order [0 1]; selects host 0 for \
             instance 1 and consumes it in its view",
            "compute 0: resource tracker claims instance 0 (used 1 of 1)",
            "compute 0: rejects instance 1 (used 1 of 1); reschedules instance 1",
        ]
    );
    // With one attempt the rejection is final while host 1 is free: a false refusal.
    let o = check(&config(2, &[1, 1], &[1, 1], 1, 0), Strategy::Legacy, Bounds::default());
    assert_eq!(o.false_refusals, 1);
    let trace = o.false_refusal_trace.expect("a counterexample");
    assert_eq!(trace.len(), 8);
    assert!(trace[7].ends_with("MaxRetriesExceeded for instance 1; while the oracle would place it: a false refusal"));
}

#[test]
fn the_super_conductor_can_lose_with_a_host_free_and_the_scheduler_cannot() {
    // Three one-slot hosts, three requests, one alternate each.
    let c = config(2, &[1, 1, 1], &[1, 1, 1], 2, 0);
    let summit = check(&c, Strategy::SummitSameCell, Bounds::default());
    assert_eq!(summit.false_refusals, 1);
    assert_eq!(summit.active.0, 2);
    let trace = summit.false_refusal_trace.expect("a counterexample");
    // Request 1 reads and selects before request 0's build lands, so host 0 looks free; its
    // alternate (host 1) goes to request 2, whose worker still sees host 0 consumed.
    assert_eq!(trace.len(), 13);
    assert_eq!(trace[7], "super conductor: PUT instance 1 → host 0: 409 capacity exceeded");
    assert!(trace[10].starts_with("request 2 (worker 0): CPU section for instance 2: view used [1 0 0], order [1 2]"));
    assert!(trace[12].starts_with("super conductor: PUT instance 1 → host 1: 409 capacity exceeded; NoValidHost"));
    let proposal = check(&c, Strategy::Proposal, Bounds::default());
    assert_eq!((proposal.false_refusals, proposal.active), (0, (3, 3)));
    assert_eq!(proposal.puts_per_instance, 3, "the loser walks the whole list");
}

#[test]
fn a_split_put_turns_a_lost_generation_race_into_a_retry() {
    // One two-slot host: both transactions snapshot usage 0, the second commit finds the
    // generation moved and retries GET + PUT, which then fits.
    let mut c = config(2, &[2], &[1, 1], 2, 0);
    c.split_put = true;
    let o = check(&c, Strategy::Pike, Bounds::default());
    assert_eq!((o.active, o.violations, o.false_refusals), ((2, 2), 0, 0));
    assert_eq!(o.puts_per_instance, 2);
    let trace = shortest(&c, Strategy::Pike, |l| l.contains("concurrently updated")).expect("a conflict");
    // Q D S B for each, then both commits.
    assert_eq!(trace.len(), 10);
    assert!(trace[9].ends_with("→ host 0: 409 concurrently updated; retries GET + PUT"), "{trace:?}");
}

#[test]
fn a_bound_stops_the_search_and_says_so() {
    let c = config(2, &[1, 1, 1], &[1, 1, 1], 2, 0);
    let o = check(&c, Strategy::Pike, Bounds { max_states: 50, max_bytes: usize::MAX });
    assert!(!o.complete);
    assert_eq!(o.states, 50);
    let text = super::report::table(&c, &[(Strategy::Pike, &o)]);
    assert!(text.contains("pike: explored 50 of ≥50 states; bound reached"), "{text}");
    assert!(text.contains("≥50"), "{text}");
}

#[test]
fn a_failed_build_goes_to_a_same_cell_alternate() {
    let c = config(1, &[1, 1], &[1], 2, 1);
    let trace = shortest(&c, Strategy::Queens, |l| l.contains("cell conductor: PUT")).expect("an alternate claim");
    assert_eq!(trace.len(), 7);
    assert_eq!(trace[4], "compute 0: resource tracker claims instance 0 (used 1 of 1); the spawn will fail");
    assert_eq!(
        trace[5],
        "compute 0: build of instance 0 fails; claim aborted, allocation deleted; cell conductor: tries alternate 1"
    );
    let o = check(&c, Strategy::Queens, Bounds::default());
    assert_eq!((o.active, o.builds_per_instance), ((1, 1), 2));
    let m = Model::new(&c, Strategy::Queens);
    assert!(m.initial().insts.iter().all(|i| i.phase == Phase::Sched));
}

#[test]
fn the_report_is_the_same_bytes_every_time() {
    let configs = vec![config(2, &[1], &[1, 1], 2, 0)];
    let a = super::report::render(&configs, Bounds::default());
    assert_eq!(a, super::report::render(&configs, Bounds::default()));
    assert!(a.contains("\npike                  56         6            180"), "{a}");
}

#[test]
fn a_compute_that_does_not_test_its_limits_overcommits_and_the_checker_says_how() {
    // Legacy without RamFilter and without the tracker's limits test: both builds land.
    let c = config(2, &[1, 1], &[1, 1], 2, 0);
    let design = Design { resource_filter: false, ..Design::of(Strategy::Legacy) };
    let o = super::search::explore(&Model::with_design(&c, design), Bounds::default());
    assert!(o.violations > 0);
    let (what, trace) = o.violation_trace.expect("a counterexample");
    assert_eq!(what, "host 0 over capacity in Placement: 2 of 1");
    assert_eq!(trace.len(), 8);
    assert_eq!(trace[7], "compute 0: resource tracker claims instance 1 (used 2 of 1)");
}

#[test]
fn on_the_same_per_request_view_the_super_conductor_still_loses_and_leaves_no_phantom() {
    let mut c = config(2, &[1, 1, 1], &[1, 1, 1], 2, 0);
    c.view = Some(super::model::View::PerRequest);
    let summit = check(&c, Strategy::SummitSameCell, Bounds::default());
    assert!(summit.false_refusals >= 1);
    assert_eq!(summit.phantoms_at_rest, 0, "nothing outlives a call in a per-request view");
    let proposal = check(&c, Strategy::Proposal, Bounds::default());
    assert_eq!((proposal.false_refusals, proposal.active), (0, (3, 3)));
    // Proposal on Queens' view is Queens but for when alternates are chosen: same interleavings.
    let queens = check(&c, Strategy::Queens, Bounds::default());
    assert_eq!(proposal.interleavings, queens.interleavings);
    assert!(super::report::table(&c, &[]).contains("a per-request host-state view for every strategy"));
}

/// The checker keeps its own copy of each design (`Design`) so that it stays an independent model; this holds the
/// copy to the simulator's `Policy` wherever the two describe the same thing, so that neither drifts unnoticed.
#[test]
fn each_design_agrees_with_the_strategy_file_it_was_read_off() {
    use super::model::{First, Recovery, View};
    use crate::claims::params::Retries;
    use crate::claims::scenario::CacheMode;
    use crate::claims::strategies::{AlternateCells, AlternateTiming, FirstClaim, Recovery as Then};
    for strategy in STRATEGIES {
        let (design, policy) = (Design::of(strategy), strategy.policy());
        let name = strategy.name();
        let first = match policy.first_claim {
            FirstClaim::Compute => First::Compute,
            FirstClaim::Scheduler => First::Scheduler,
            FirstClaim::SuperConductor => First::SuperConductor,
            FirstClaim::Oracle => First::Oracle,
        };
        assert_eq!(design.first, first, "{name}: who claims first");
        let recovery = match policy.recovery {
            Then::Reschedule => Recovery::Reschedule,
            Then::Alternates => Recovery::Alternates,
            Then::OracleRepick => Recovery::Repick,
        };
        assert_eq!(design.recovery, recovery, "{name}: what follows a failed build");
        assert_eq!(design.any_cell, policy.alternate_cells == AlternateCells::AnyCell, "{name}: alternates' cells");
        assert_eq!(design.after_all, policy.alternate_timing == AlternateTiming::AfterAll, "{name}: alternates' time");
        assert_eq!(design.resource_filter, policy.resource_filters, "{name}: resource filters");
        // The oracle reads Placement itself, so its view means nothing to either model.
        if first != First::Oracle {
            let view = match policy.cache {
                CacheMode::Persistent => View::Persistent,
                CacheMode::PerRequest => View::PerRequest,
                other => panic!("{name}: the checker models no {other:?} view"),
            };
            assert_eq!(design.view, view, "{name}: the scheduler's view");
        }
        // Only the scheduler's and the super conductor's claims retry; Ocata's resource tracker writes its
        // allocation once and logs a refusal, and the oracle never conflicts.
        let tries = match first {
            First::Scheduler | First::SuperConductor => Retries::of(policy.release).client_tries,
            First::Compute | First::Oracle => 1,
        };
        assert_eq!(u32::from(design.put_tries), tries, "{name}: PUT attempts per claim");
    }
}
