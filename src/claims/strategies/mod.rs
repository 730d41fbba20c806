//! Where claims happen: one file per design, each a [`Policy`] the engine follows.
//!
//! The engine in [`super::sim`] runs one pipeline (API → super conductor → scheduler → super
//! conductor → compute → cell conductor) and asks the policy at each fork: who claims first,
//! where alternates come from, how a failed build is retried, which view of the world the
//! scheduler keeps and which release's retry counts apply. Keeping the designs as data makes
//! them easy to compare line by line, and the files keep the history and the race next to it.

pub mod legacy;
pub mod oracle;
pub mod pike;
pub mod proposal;
pub mod queens;
pub mod summit;

use super::scenario::{CacheMode, RetryPolicy};

/// The strategies under comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strategy {
    Legacy,
    Pike,
    SummitSameCell,
    SummitAnyCell,
    Proposal,
    Queens,
    Oracle,
}

impl Strategy {
    pub fn from_name(name: &str) -> Option<Strategy> {
        Some(match name {
            "legacy" => Strategy::Legacy,
            "pike" => Strategy::Pike,
            "summit_same_cell" => Strategy::SummitSameCell,
            "summit_any_cell" => Strategy::SummitAnyCell,
            "proposal" => Strategy::Proposal,
            "queens" => Strategy::Queens,
            "oracle" => Strategy::Oracle,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Legacy => "legacy",
            Strategy::Pike => "pike",
            Strategy::SummitSameCell => "summit_same_cell",
            Strategy::SummitAnyCell => "summit_any_cell",
            Strategy::Proposal => "proposal",
            Strategy::Queens => "queens",
            Strategy::Oracle => "oracle",
        }
    }

    pub fn policy(self) -> Policy {
        match self {
            Strategy::Legacy => legacy::POLICY,
            Strategy::Pike => pike::POLICY,
            Strategy::SummitSameCell => summit::SAME_CELL,
            Strategy::SummitAnyCell => summit::ANY_CELL,
            Strategy::Proposal => proposal::POLICY,
            Strategy::Queens => queens::POLICY,
            Strategy::Oracle => oracle::POLICY,
        }
    }
}

/// Who makes the first claim of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstClaim {
    /// The compute's resource tracker, against the scheduler's limits (Ocata).
    Compute,
    /// The scheduler, walking the weighed list until a claim succeeds (Pike on).
    Scheduler,
    /// The super conductor, walking the scheduler's list (the summit design).
    SuperConductor,
    /// A serial scheduler that sees Placement itself, instantly.
    Oracle,
}

/// What happens after a failed build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Back through the conductor to the scheduler, with `RetryFilter` (Ocata, Pike).
    Reschedule,
    /// The cell conductor claims the alternates the scheduler returned (Queens on).
    Alternates,
    /// The oracle picks again with perfect knowledge.
    OracleRepick,
}

/// Which hosts may be alternates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlternateCells {
    None,
    SameCell,
    AnyCell,
}

/// When alternates are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlternateTiming {
    /// Right after each instance is placed, from the rest of its weighed list.
    PerInstance,
    /// After all instances of the request are claimed, the same list for all (Queens).
    AfterAll,
}

/// How many alternates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlternateCount {
    /// `max_attempts − 1`, read by the scheduler from its own config.
    MaxAttemptsMinusOne,
    /// The caller's number (`scheduler.alternates` in the scenario).
    Caller,
}

/// A design, as the engine needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub first_claim: FirstClaim,
    pub recovery: Recovery,
    pub alternate_cells: AlternateCells,
    pub alternate_timing: AlternateTiming,
    pub alternate_count: AlternateCount,
    /// The scheduler's view of the release, used only when the scenario says
    /// `cache = "as_released"`; by default every strategy gets the scenario's one view.
    pub cache: CacheMode,
    /// The client and server retry behaviour when the scenario says `per_release`.
    pub release: RetryPolicy,
    /// RamFilter and DiskFilter in the scheduler (Ocata's defaults).
    pub resource_filters: bool,
}

#[cfg(test)]
pub(crate) fn trace_of(
    scenario: &crate::claims::scenario::Scenario,
    strategy: Strategy,
) -> (Vec<String>, Vec<crate::claims::sim::InstState>) {
    let p = crate::claims::params::Params::new(scenario, strategy);
    let r = crate::claims::sim::Sim::new(&p, scenario.seed).with_trace().paranoid().run().expect("no violation");
    // Drop the times and notes: the tests pin the order of events, not latencies.
    let events = r
        .trace
        .iter()
        .map(|l| {
            let event = l.split_once(" ms  ").map_or("", |(_, rest)| rest);
            event.split("  (").next().unwrap_or("").trim().to_string()
        })
        .collect();
    (events, r.states)
}

/// Split a compact space-separated event list, for readable expectations.
#[cfg(test)]
pub(crate) fn events(s: &str) -> Vec<String> {
    s.split_whitespace().map(|e| e.replace(',', ", ")).collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Tiny scenarios whose event sequences can be checked by hand.
    use crate::claims::scenario::Scenario;

    /// `hosts` identical hosts that each fit exactly `slots` m1.test instances (no overcommit),
    /// one request at t=0, no jitter, one worker, no build failures unless asked.
    pub fn tiny(hosts: u32, slots: u64, requests: u32, build_failure: f64) -> Scenario {
        // The releases' own views: these tests pin each release's behaviour as shipped.
        let src = format!(
            r#"
seeds = 1
[cloud]
hosts = {hosts}
vcpu = {slots}
memory_mb = {mem}
disk_gb = {slots}
reserved_memory_mb = 0
cpu_allocation_ratio = 1.0
ram_allocation_ratio = 1.0
disk_allocation_ratio = 1.0
fill = 0.0
[workload]
arrival = "burst"
burst = {requests}
requests = {requests}
multi_create_ratio = 0.0
flavors = [{{ name = "m1.test", vcpu = 1, memory_mb = 1024, disk_gb = 1 }}]
[scheduler]
workers = 1
cache = "as_released"
[compute]
build_failure = {build_failure}
[latency]
jitter = 0.0
"#,
            mem = slots * 1024
        );
        Scenario::parse(&src).unwrap()
    }
}
