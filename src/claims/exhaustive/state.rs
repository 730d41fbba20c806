//! What the checker knows of a design, and the state of a whole small cloud: Placement, the
//! computes and their cell DB rows, the scheduler workers' views, every call and instance.

use crate::claims::strategies::Strategy;

/// "No host" / "no allocation" in the byte-sized fields.
pub const NONE: u8 = u8::MAX;

/// Who claims an instance first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum First {
    Compute,
    Scheduler,
    SuperConductor,
    Oracle,
}

/// What follows a failed build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    Reschedule,
    Alternates,
    Repick,
}

/// The scheduler's host-state view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// One map per worker; a local consumption survives until the host's row is written again.
    Persistent,
    /// Rows read once per call; consumptions live only within the call.
    PerRequest,
}

/// What the checker needs to know of a design, read off its file in `strategies/`. Kept here
/// rather than taken from [`crate::claims::strategies::Policy`] so that the simulator's knobs
/// can change without changing what is checked; a test (`each_design_agrees_with_the_strategy_file_it_was_read_off`)
/// holds the two to each other wherever they describe the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Design {
    pub first: First,
    pub recovery: Recovery,
    /// Alternates may come from any cell (summit_any_cell); the cell conductor skips the others.
    pub any_cell: bool,
    /// Alternates are chosen after all instances are claimed, the same list for each (Queens).
    pub after_all: bool,
    pub view: View,
    /// PUT attempts per claim on "concurrently updated" (Pike 4, Queens 3).
    pub put_tries: u8,
    /// RamFilter/DiskFilter in the scheduler and the limits test in the resource tracker (Ocata).
    pub resource_filter: bool,
}

impl Design {
    pub fn of(strategy: Strategy) -> Design {
        let pike = Design {
            first: First::Scheduler,
            recovery: Recovery::Reschedule,
            any_cell: false,
            after_all: false,
            view: View::Persistent,
            put_tries: 4,
            resource_filter: false,
        };
        match strategy {
            Strategy::Legacy => Design { first: First::Compute, put_tries: 1, resource_filter: true, ..pike },
            Strategy::Pike => pike,
            Strategy::SummitSameCell => Design { first: First::SuperConductor, recovery: Recovery::Alternates, ..pike },
            Strategy::SummitAnyCell => {
                Design { first: First::SuperConductor, recovery: Recovery::Alternates, any_cell: true, ..pike }
            }
            Strategy::Proposal => Design { recovery: Recovery::Alternates, ..pike },
            Strategy::Queens => {
                Design { recovery: Recovery::Alternates, after_all: true, view: View::PerRequest, put_tries: 3, ..pike }
            }
            Strategy::Oracle => Design { first: First::Oracle, recovery: Recovery::Repick, put_tries: 1, ..pike },
        }
    }
}

/// Where a scheduler call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pc {
    /// A reschedule slot not in use.
    Idle,
    /// `GET /allocation_candidates` next (the oracle: its one placing step).
    Query,
    /// The cell DB read of the candidates' rows next.
    DbRead,
    /// The CPU section for instance `cur` next (for legacy and summit: for all instances).
    Select,
    /// The scheduler claims instance `cur` on `order[pos]`.
    Claim,
    /// The super conductor claims instance `cur` (summit).
    ScClaim,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub pc: Pc,
    /// The candidates' bitmask at t_q.
    pub cands: u8,
    /// The cell DB rows the call read.
    pub rows: Vec<u8>,
    /// Persistent view: hosts whose local consumption is newer than the row the call read, so
    /// the merge keeps it (Nova compares `HostState.updated` with the row's `updated_at`).
    pub keep: u8,
    /// The weighed order of the current instance.
    pub order: Vec<u8>,
    pub pos: u8,
    pub cur: u8,
    /// The host selected (or claimed) for each instance of the call, or NONE.
    pub selected: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// In a scheduler call (and, for summit, the super conductor's claims).
    Sched,
    /// Cast to `host`; the resource tracker's claim is next.
    Compute,
    /// Claimed on the compute; the spawn will fail.
    Failing,
    /// The cell conductor claims the next alternate.
    CcClaim,
    Active,
    NoValidHost,
    MaxRetries,
}

impl Phase {
    pub fn is_final(self) -> bool {
        matches!(self, Phase::Active | Phase::NoValidHost | Phase::MaxRetries)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inst {
    pub phase: Phase,
    /// The call it is in (its request's, or its own reschedule call).
    pub call: u8,
    /// The host it is cast to or built on.
    pub host: u8,
    pub alts: Vec<u8>,
    /// Hosts it was built on or rejected by (RetryFilter), a bitmask.
    pub tried: u8,
    /// Builds started (resource tracker claims, accepted or rejected).
    pub attempts: u8,
    /// Builds the adversary failed.
    pub failed: u8,
    /// PUT /allocations attempts.
    pub puts: u8,
    /// PUT tries within the current claim.
    pub tries: u8,
    /// The open transaction's snapshot (split PUT): fits << 7 | generation, or NONE.
    pub snap: u8,
    /// The host being claimed.
    pub target: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// Steps taken: every step adds one, so the state graph is layered and BFS order is topological.
    pub steps: u16,
    pub failures_left: u8,
    pub false_refusals: u8,
    /// Placement: usage and generation per host, the allocation's host per instance.
    pub usage: Vec<u8>,
    pub generation: Vec<u8>,
    pub alloc: Vec<u8>,
    /// The resource tracker's usage per host, which is also the cell DB row: the tracker writes
    /// the row whenever its usage changes, and the periodic task finds nothing to change.
    pub rt: Vec<u8>,
    /// Persistent views, `worker * hosts + host`: the used units the worker believes in, and
    /// whether that belief is a local consumption newer than the row.
    pub view: Vec<u8>,
    pub dirty: Vec<bool>,
    pub calls: Vec<Call>,
    pub insts: Vec<Inst>,
}

impl State {
    /// The canonical encoding the visited set keys on: every field in a fixed order, lists
    /// length-prefixed. Two states are the same state iff their encodings are equal.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(&self.steps.to_le_bytes());
        out.push(self.failures_left);
        out.push(self.false_refusals);
        for v in [&self.usage, &self.generation, &self.alloc, &self.rt, &self.view] {
            out.extend_from_slice(v);
        }
        out.extend(self.dirty.iter().map(|&d| u8::from(d)));
        for c in &self.calls {
            out.push(c.pc as u8);
            if c.pc == Pc::Idle || c.pc == Pc::Done {
                continue;
            }
            out.extend_from_slice(&[c.cands, c.keep, c.pos, c.cur, c.order.len() as u8]);
            out.extend_from_slice(&c.order);
            out.extend_from_slice(&c.rows);
            out.extend_from_slice(&c.selected);
        }
        for i in &self.insts {
            out.extend_from_slice(&[i.phase as u8, i.call, i.host, i.tried, i.attempts, i.puts, i.tries, i.snap]);
            out.extend_from_slice(&[i.failed, i.target, i.alts.len() as u8]);
            out.extend_from_slice(&i.alts);
        }
        out
    }
}
