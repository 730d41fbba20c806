//! The discrete-event engine: one run of one strategy under one seed.
//!
//! `Sim { now, queue, rngs, cluster, strategy, metrics }` with a `step()`, as in TigerBeetle's
//! VOPR: a virtual clock in integer µs, one queue ordered by (time, sequence number), one
//! master seed split into per-concern streams, and invariants checked after every event.
//!
//! The pipeline follows MODEL.md §4: API → super conductor → scheduler worker (Placement
//! candidates, cell DB read, an atomic CPU section to filter and weigh) → super conductor →
//! compute (build semaphore, resource-tracker claim, spawn) → on failure, the cell conductor or
//! a reschedule. The [`Policy`](super::strategies::Policy) decides the forks. Three views of
//! the world are kept apart on purpose: Placement (V_P), the cell DB rows (V_DB, written by the
//! computes) and each scheduler worker's `HostState` map (V_L); the races live in the gaps
//! between them.
//!
//! This file holds the state, the event loop and the bookkeeping; each stage of the pipeline
//! has its own file: `scheduling`, `claim`, `compute`, `oracle`, and `checks` for
//! the invariants.

use std::collections::{BinaryHeap, VecDeque};

use super::Micros;
use super::ids::{CallId, HostId, IdVec, InstId, ReqId, WorkerId, ids};
use super::invariants::Violation;
use super::metrics::{Counters, FinalState};
use super::params::Params;
use super::placement::{Placement, PutError};
use super::rng::{Rng, Stream};
use super::scenario::{Arrival, CacheMode, ScenarioError};
use super::scheduler::{FlavorReq, HostView, Ranking, order_hosts};
use super::strategies::{AlternateCells, AlternateTiming, FirstClaim, Recovery};

mod checks;
mod claim;
mod compute;
mod oracle;
mod scheduling;

/// Events, each naming the request, call, instance or host it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    /// A boot request reaches the API.
    Arrive(ReqId),
    /// A scheduling call reaches a scheduler worker, which queries Placement.
    SchedRecv(CallId),
    /// The allocation candidates come back; the worker reads the cell DB.
    CandidatesDone(CallId),
    /// The cell DB rows come back; the worker queues for its CPU.
    DbDone(CallId),
    /// The worker starts the CPU section for the call's current instance: filter, weigh,
    /// choose (and consume, where the design consumes before claiming), all atomic.
    CpuStart(CallId),
    /// The CPU section ends; the worker yields to I/O (a claim) or moves on.
    CpuDone(CallId),
    /// The scheduler's answer reaches the conductor.
    ScReturn(CallId),
    /// An instance's `GET /allocations` returns; the PUT is sent.
    ClaimGet(InstId),
    /// An instance's PUT is served by Placement.
    ClaimPut(InstId),
    /// The build cast reaches the instance's compute.
    BuildCast(InstId),
    /// The resource tracker's claim for the instance runs.
    RtClaim(InstId),
    /// The spawn ends, successfully or not.
    SpawnDone(InstId, bool),
    /// A failed build reaches the cell conductor, which tries the alternates.
    CellConductor(InstId),
    /// The host's periodic `update_available_resource`, queued only when the compute's state
    /// differs from its cell DB row (after a spawn ends well): it writes the row.
    Periodic(HostId),
    /// An ACTIVE instance's lifetime ends: the compute deletes it, its resource tracker writes
    /// the row and its allocation is deleted (no generation bump in Placement).
    Delete(InstId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    t: Micros,
    seq: u64,
    ev: Ev,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // BinaryHeap is a max-heap: reverse to pop the earliest (time, seq) first.
        (other.t, other.seq).cmp(&(self.t, self.seq))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Scheduler,
    SuperConductor,
    CellConductor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstState {
    Scheduling,
    Building,
    Active,
    NoValidHost,
    MaxRetries,
    /// Was ACTIVE, then deleted at the end of its lifetime.
    Deleted,
}

#[derive(Debug, Clone)]
struct Instance {
    req: ReqId,
    flavor: FlavorReq,
    state: InstState,
    host: Option<HostId>,
    /// The host the scheduler selected but did not claim (summit, legacy).
    selected: Option<HostId>,
    alternates: VecDeque<(HostId, Micros)>,
    tried: Vec<HostId>,
    attempts: u32,
    claim_host: HostId,
    claim_who: Who,
    client_try: u32,
    server_try: u32,
    claimed_once: bool,
    /// The provider generation the claim carries (coarse conflict mode only).
    expected_gen: Option<u64>,
    worker: WorkerId,
    /// The scheduling call currently handling this instance.
    call: CallId,
    /// Legacy only: the compute built it but Placement refused the mirrored allocation.
    unenforced: bool,
    /// How long it lives once ACTIVE (µs); 0 for ever.
    lifetime: Micros,
}

#[derive(Debug, Clone)]
struct Request {
    arrival: Micros,
    first: InstId,
    count: u32,
    pending: u32,
}

#[derive(Debug, Clone, Default)]
struct Call {
    instances: Vec<InstId>,
    worker: WorkerId,
    cands: Vec<HostId>,
    /// The cell DB rows read for the candidates, with their host ids.
    rows: Vec<(HostId, HostView)>,
    /// Hosts consumed by this call, for the per-request view.
    local: Vec<HostId>,
    cur: usize,
    order: Ranking<HostId>,
    pos: usize,
    selected: Vec<HostId>,
    retry_hosts: Vec<HostId>,
    reschedule: bool,
    merged: bool,
    failed: bool,
    /// Provider generations at the candidates query, aligned with `cands` (coarse mode).
    gens: Vec<u64>,
    /// The current CPU section found no host.
    no_host: bool,
    /// Summit: the instances whose super-conductor claim has not succeeded yet. The request is
    /// all-or-nothing, so builds are cast only when this reaches 0.
    sc_pending: usize,
}

#[derive(Debug, Clone)]
struct Host {
    cell: u32,
    /// The compute's own usage (resource tracker), including the initial fill.
    used: [u64; 3],
    /// The cell DB `ComputeNode` row as last written (V_DB), `updated` its `updated_at`. As in
    /// Nova, only the resource tracker writes it: its claim and its abort (and, with instance
    /// lifetimes, a delete) at once, and the periodic `update_available_resource` only when
    /// something changed since (`_resource_change`), which after a spawn is the io_ops and
    /// failed-build stats. A successful spawn saves the instance, not the row.
    row: HostView,
    /// The periodic task's phase on this host (a random offset within the period).
    phase: Micros,
    /// A [`Ev::Periodic`] is queued for this host.
    periodic_pending: bool,
    building: u32,
    active_builds: u32,
    queue: VecDeque<InstId>,
    /// Every spawn here fails ("bad host" mode).
    bad: bool,
    /// Consecutive failed builds, reported in the row for the BuildFailureWeigher.
    failed_builds: i64,
}

#[derive(Debug, Clone)]
struct Worker {
    /// In a CPU section now; other calls wait their turn in `waiting`.
    busy: bool,
    waiting: VecDeque<CallId>,
    map: IdVec<HostId, Option<HostView>>,
    /// Per host, whether `map` holds a local consumption that no row read has replaced yet.
    local: IdVec<HostId, bool>,
    last_refresh: Micros,
    rng: Rng,
}

struct Rngs {
    jitter: Rng,
    spawn: Rng,
    failure: Rng,
    candidates: Rng,
    dispatch: Rng,
    sleep: Rng,
}

/// The outcome of a run: its metric values and, if asked, the full event trace.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub values: Vec<f64>,
    pub trace: Vec<String>,
    pub states: Vec<InstState>,
}

const RING: usize = 64;
/// The estimated events one run may take: scenarios estimated past it are refused before they run
/// ([`super::budget`]). A run is stopped as stuck (an engine bug) only past [`super::budget::event_bound`], which is
/// never below this.
pub const MAX_EVENTS: u64 = 50_000_000;

pub struct Sim<'p> {
    p: &'p Params,
    seed: u64,
    now: Micros,
    seq: u64,
    queue: BinaryHeap<Entry>,
    rngs: Rngs,
    placement: Placement,
    /// Successful writes per provider as the engine saw them, to check generations against.
    writes: IdVec<HostId, u64>,
    hosts: IdVec<HostId, Host>,
    workers: IdVec<WorkerId, Worker>,
    requests: IdVec<ReqId, Request>,
    calls: IdVec<CallId, Call>,
    insts: IdVec<InstId, Instance>,
    fill_consumer_base: u32,
    fill_total: [u64; 3],
    live: u32,
    next_worker: u32,
    dirty: Vec<HostId>,
    /// Live phantom consumptions: (worker, host, consumed at). Each lasts until that worker
    /// next reads a row of the host that replaces its view, or to the end of the run.
    phantoms: Vec<(WorkerId, HostId, Micros)>,
    ring: VecDeque<(Micros, Ev)>,
    /// Every event with what came of it, when asked for (tests and `--trace`).
    full_trace: Option<Vec<(Micros, Ev, String)>>,
    /// Check every provider after every event instead of the touched ones (tests).
    paranoid: bool,
    /// Checked before every event: a relaxed load, next to nothing beside an event's cost (0.1–1 µs), and an event
    /// on the largest cloud takes milliseconds, so a cancelled run stops well within a second.
    cancel: Option<&'p super::Cancel>,
    /// Past this many events the run is stuck: more than any correct run of these parameters takes.
    event_limit: u64,
    m: Counters,
}

impl<'p> Sim<'p> {
    pub fn new(p: &'p Params, seed: u64) -> Sim<'p> {
        let mut placement = Placement::default();
        let mut hosts = IdVec::with_capacity(p.hosts as usize);
        for h in 0..p.hosts {
            placement.add_provider(p.inventory);
            hosts.push(Host {
                cell: p.cell_of(h),
                used: [0; 3],
                row: HostView::default(),
                phase: 0,
                periodic_pending: false,
                building: 0,
                active_builds: 0,
                bad: false,
                failed_builds: 0,
                queue: VecDeque::new(),
            });
        }
        let workers = (0..p.workers)
            .map(|w| Worker {
                busy: false,
                waiting: VecDeque::new(),
                // Only the persistent and periodic views outlive a request.
                map: if matches!(p.cache, CacheMode::Persistent | CacheMode::Periodic) {
                    IdVec::filled(p.hosts as usize, None)
                } else {
                    IdVec::new()
                },
                local: IdVec::filled(
                    if matches!(p.cache, CacheMode::Persistent | CacheMode::Periodic) { p.hosts as usize } else { 0 },
                    false,
                ),
                last_refresh: 0,
                rng: Rng::child(seed, Stream::HostChoice(w)),
            })
            .collect();
        let mut sim = Sim {
            p,
            seed,
            now: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            rngs: Rngs {
                jitter: Rng::child(seed, Stream::Jitter),
                spawn: Rng::child(seed, Stream::Spawn),
                failure: Rng::child(seed, Stream::BuildFailure),
                candidates: Rng::child(seed, Stream::Candidates),
                dispatch: Rng::child(seed, Stream::Dispatch),
                sleep: Rng::child(seed, Stream::RetrySleep),
            },
            placement,
            writes: IdVec::filled(p.hosts as usize, 0),
            hosts,
            workers,
            requests: IdVec::new(),
            calls: IdVec::new(),
            insts: IdVec::new(),
            fill_consumer_base: 0,
            fill_total: [0; 3],
            live: 0,
            next_worker: 0,
            dirty: Vec::new(),
            phantoms: Vec::new(),
            ring: VecDeque::with_capacity(RING),
            full_trace: None,
            paranoid: false,
            cancel: None,
            event_limit: super::budget::event_bound(p),
            m: Counters::default(),
        };
        sim.generate_requests();
        sim.fill();
        sim
    }

    /// Record every event, for tests and for printing one run's timeline.
    pub fn with_trace(mut self) -> Self {
        self.full_trace = Some(Vec::new());
        self
    }

    /// Stop with [`ScenarioError::Cancelled`] as soon as `cancel` is set ([`Sim::run_or_cancel`]).
    pub fn with_cancel(mut self, cancel: &'p super::Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Check every provider after every event (slow; for property tests).
    pub fn paranoid(mut self) -> Self {
        self.paranoid = true;
        self
    }

    fn flavor_draw(weights: &[u32], rng: &mut Rng) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = rng.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        unreachable!("weights sum to total")
    }

    /// Arrivals and flavours come from their own streams, so every strategy sees the same
    /// requests at the same times under one seed (common random numbers).
    fn generate_requests(&mut self) {
        let p = self.p;
        let mut arrivals = Rng::child(self.seed, Stream::Arrivals);
        let mut flavors = Rng::child(self.seed, Stream::Flavors);
        let mut lifetimes = Rng::child(self.seed, Stream::Lifetimes);
        let mut t = 0.0f64;
        for r in 0..p.requests {
            match p.arrival {
                Arrival::Poisson => t += arrivals.exponential(1.0 / p.rate),
                Arrival::Burst => {
                    if r > 0 && r % p.burst == 0 {
                        t += arrivals.exponential(f64::from(p.burst) / p.rate);
                    }
                }
            }
            let f = Self::flavor_draw(&p.flavor_weights, &mut flavors);
            let count = if flavors.chance(p.multi_create_ratio) { p.multi_create_num } else { 1 };
            let first = self.insts.next_id();
            for _ in 0..count {
                self.insts.push(Instance {
                    req: ReqId(r),
                    flavor: p.flavors[f],
                    state: InstState::Scheduling,
                    host: None,
                    selected: None,
                    alternates: VecDeque::new(),
                    tried: Vec::new(),
                    attempts: 1,
                    claim_host: HostId(0),
                    claim_who: Who::Scheduler,
                    client_try: 0,
                    server_try: 0,
                    claimed_once: false,
                    expected_gen: None,
                    worker: WorkerId(0),
                    call: CallId(0),
                    unenforced: false,
                    lifetime: if p.lifetime == 0 {
                        0
                    } else {
                        (lifetimes.exponential(p.lifetime as f64 / 1e6) * 1e6).round().max(1.0) as Micros
                    },
                });
            }
            let arrival = (t * 1e6).round() as Micros;
            self.requests.push(Request { arrival, first, count, pending: count });
            self.push_at(arrival, Ev::Arrive(ReqId(r)));
        }
        self.live = p.requests;
        self.m.requests = u64::from(p.requests);
        self.m.workers = u64::from(p.workers);
        self.m.instances = self.insts.len() as u64;
        self.fill_consumer_base = self.insts.len() as u32;
    }

    /// Pre-existing instances drawn from the flavour mix until the next one would take some
    /// resource past `fill` of its capacity; one consumer per host stands in for them.
    fn fill(&mut self) {
        let p = self.p;
        let mut rng = Rng::child(self.seed, Stream::Fill);
        let mut phase = Rng::child(self.seed, Stream::PeriodicPhase);
        if p.bad_host_fraction > 0.0 {
            let mut bad = Rng::child(self.seed, Stream::BadHosts);
            for host in &mut self.hosts {
                host.bad = bad.chance(p.bad_host_fraction);
            }
        }
        let target: Vec<u64> = p.inventory.iter().map(|inv| (inv.capacity() as f64 * p.fill) as u64).collect();
        for h in ids::<HostId>(p.hosts) {
            let mut used = [0u64; 3];
            if p.fill > 0.0 {
                for _ in 0..100_000 {
                    let a = p.flavors[Self::flavor_draw(&p.flavor_weights, &mut rng)].amounts();
                    if (0..3).any(|i| used[i] + a[i] > target[i]) {
                        break;
                    }
                    for (u, x) in used.iter_mut().zip(a) {
                        *u += x;
                    }
                }
            }
            if used != [0; 3] {
                let loaded = self.placement.preload(InstId(self.fill_consumer_base + h.0), h, used);
                assert!(loaded, "fill fits by construction");
                self.writes[h] += 1;
            }
            for (t, u) in self.fill_total.iter_mut().zip(used) {
                *t += u;
            }
            self.hosts[h].used = used;
            self.hosts[h].phase = phase.below(p.periodic.max(1));
            self.write_row(h);
        }
    }

    // ---- the queue and the clock ----

    fn push_at(&mut self, t: Micros, ev: Ev) {
        self.seq += 1;
        self.queue.push(Entry { t, seq: self.seq, ev });
    }

    fn push_in(&mut self, delay: Micros, ev: Ev) {
        self.push_at(self.now + delay, ev);
    }

    /// A hop's latency with jitter U(1 − j, 1 + j).
    fn hop(&mut self, base: Micros) -> Micros {
        let j = self.p.lat.jitter;
        if j == 0.0 || base == 0 {
            return base;
        }
        (base as f64 * self.rngs.jitter.uniform(1.0 - j, 1.0 + j)).round() as Micros
    }

    /// Run to quiescence and check the at-rest invariants.
    pub fn run(self) -> Result<RunResult, Box<Violation>> {
        match self.run_or_cancel() {
            Ok(r) => Ok(r),
            Err(ScenarioError::Invariant(v)) => Err(v),
            Err(other) => unreachable!("only a run given a cancel token stops otherwise: {other}"),
        }
    }

    /// [`Sim::run`], stopping early with [`ScenarioError::Cancelled`] if the token given to [`Sim::with_cancel`]
    /// is set.
    pub fn run_or_cancel(mut self) -> Result<RunResult, ScenarioError> {
        loop {
            if self.cancel.is_some_and(|c| c.is_cancelled()) {
                return Err(ScenarioError::Cancelled);
            }
            if !self.step()? {
                break;
            }
        }
        self.check_at_rest()?;
        // Phantoms that no write ended live until their host's next periodic update.
        let end = self.m.end_us;
        for (_, _, since) in std::mem::take(&mut self.phantoms) {
            self.m.phantom_lifetime_us += end.saturating_sub(since);
        }
        let fin = FinalState {
            hosts: self
                .placement
                .providers
                .iter()
                .map(|pr| (pr.usage[1], pr.inventory[1].capacity(), pr.usage[0], pr.inventory[0].capacity()))
                .collect(),
        };
        let trace = self
            .full_trace
            .as_ref()
            .map(|t| t.iter().map(|(t, e, note)| fmt_traced(*t, e, note)).collect())
            .unwrap_or_default();
        Ok(RunResult { values: self.m.values(&fin), trace, states: self.insts.iter().map(|i| i.state).collect() })
    }

    /// Say what the current event did, in the full trace only (the closure is not even called
    /// otherwise, so tracing costs nothing when off).
    fn note(&mut self, what: impl FnOnce() -> String) {
        if let Some((_, _, note)) = self.full_trace.as_mut().and_then(|t| t.last_mut()) {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(&what());
        }
    }

    /// Handle one event; false when the queue is empty.
    pub fn step(&mut self) -> Result<bool, Box<Violation>> {
        let Some(e) = self.queue.pop() else {
            return Ok(false);
        };
        self.now = e.t;
        self.m.events += 1;
        if self.ring.len() == RING {
            self.ring.pop_front();
        }
        self.ring.push_back((e.t, e.ev));
        if let Some(t) = &mut self.full_trace {
            t.push((e.t, e.ev, String::new()));
        }
        self.handle(e.ev)?;
        self.check_dirty()?;
        if self.m.events > self.event_limit {
            let limit = self.event_limit;
            return Err(self.violation(format!("liveness: more than {limit} events, more than any correct run takes")));
        }
        Ok(true)
    }

    fn handle(&mut self, ev: Ev) -> Result<(), Box<Violation>> {
        match ev {
            Ev::Arrive(r) => self.arrive(r),
            Ev::SchedRecv(c) => self.sched_recv(c),
            Ev::CandidatesDone(c) => self.candidates_done(c),
            Ev::DbDone(c) => self.db_done(c),
            Ev::CpuStart(c) => self.cpu_start(c),
            Ev::CpuDone(c) => self.cpu_done(c),
            Ev::ScReturn(c) => self.sc_return(c),
            Ev::ClaimGet(i) => {
                let put = self.hop(self.p.lat.put);
                self.m.claim_attempts += 1;
                self.m.placement_put += 1;
                self.push_in(put, Ev::ClaimPut(i));
            }
            Ev::ClaimPut(i) => self.claim_put(i),
            Ev::BuildCast(i) => self.build_cast(i)?,
            Ev::RtClaim(i) => self.rt_claim(i),
            Ev::SpawnDone(i, ok) => self.spawn_done(i, ok),
            Ev::CellConductor(i) => self.cell_conductor(i),
            Ev::Periodic(h) => self.periodic(h),
            Ev::Delete(i) => self.delete_instance(i),
        }
        Ok(())
    }

    // ---- bookkeeping ----

    /// What the compute knows of itself now: the row its resource tracker would write.
    fn truth(&self, h: HostId) -> HostView {
        truth(self.p, &self.hosts[h])
    }

    /// The resource tracker saves the `ComputeNode` row (V_DB).
    fn write_row(&mut self, h: HostId) {
        let row = HostView { updated: Some(self.now), ..self.truth(h) };
        self.hosts[h].row = row;
    }

    /// The compute's state changed without a row write: its next periodic task will write it.
    fn schedule_periodic(&mut self, h: HostId) {
        let host = &mut self.hosts[h];
        if host.periodic_pending {
            return;
        }
        host.periodic_pending = true;
        let (period, phase) = (self.p.periodic.max(1), host.phase);
        let tick = if self.now < phase { phase } else { phase + ((self.now - phase) / period + 1) * period };
        self.push_at(tick, Ev::Periodic(h));
    }

    /// The end of an instance's life. Once every request has ended the run is over, and the
    /// deletes still queued change nothing (the run measures its requests, not the drain).
    fn delete_instance(&mut self, inst: InstId) {
        if self.live == 0 {
            return;
        }
        let i = &self.insts[inst];
        let (h, amounts) = (i.host.expect("an ACTIVE instance has a host"), i.flavor.amounts());
        if self.placement.delete_at(inst, self.now, self.p.tau > 0) {
            self.m.placement_delete += 1;
        }
        for (u, a) in self.hosts[h].used.iter_mut().zip(amounts) {
            *u -= a;
        }
        // The resource tracker's `update_usage` writes the row on a delete.
        self.write_row(h);
        self.dirty.push(h);
        let i = &mut self.insts[inst];
        i.state = InstState::Deleted;
        i.unenforced = false;
        self.m.deleted += 1;
        self.note(|| format!("instance {inst} deleted from host {h}"));
    }

    /// `update_available_resource`: write the row only if the compute's state differs from it.
    fn periodic(&mut self, h: HostId) {
        self.hosts[h].periodic_pending = false;
        let row = self.hosts[h].row;
        if (HostView { updated: row.updated, ..self.truth(h) }) != row {
            self.note(|| format!("host {h}: the periodic task writes the row"));
            self.write_row(h);
        }
    }

    fn wrote(&mut self, h: HostId) {
        self.writes[h] += 1;
        self.dirty.push(h);
    }

    fn finish(&mut self, inst: InstId, state: InstState) {
        let i = &mut self.insts[inst];
        if matches!(i.state, InstState::Active | InstState::NoValidHost | InstState::MaxRetries | InstState::Deleted) {
            return;
        }
        i.state = state;
        let (req, amounts) = (i.req, i.flavor.amounts());
        self.note(|| format!("instance {inst} {state:?}"));
        match state {
            InstState::Active => {
                self.m.active += 1;
                let lifetime = self.insts[inst].lifetime;
                if lifetime > 0 {
                    self.push_in(lifetime, Ev::Delete(inst));
                }
            }
            InstState::NoValidHost => self.m.no_valid_host += 1,
            InstState::MaxRetries => self.m.max_retries_exceeded += 1,
            _ => unreachable!("finish with a terminal state"),
        }
        if state == InstState::NoValidHost && self.request_fits(req, &amounts) {
            // NoValidHost while Placement had room for the whole request: lost to a race or a
            // stale view, not to capacity. (MaxRetriesExceeded after failed builds is its own
            // count.)
            self.m.false_no_valid_host += 1;
        }
        let r = &mut self.requests[req];
        r.pending -= 1;
        if r.pending == 0 {
            self.live -= 1;
            self.m.end_us = self.now;
        }
    }
}

impl Sim<'_> {
    /// Whether Placement as it is now has room for every instance of request `req` at once,
    /// as the oracle would need: a request has one flavour, so the copies each host fits,
    /// summed, answer exactly. The callers release the request's own claims first (all of
    /// them, before the first instance is finished), so a multi-create that failed for lack
    /// of room is not counted as lost to a race.
    fn request_fits(&self, req: ReqId, amounts: &[u64; 3]) -> bool {
        let want = u64::from(self.requests[req].count);
        let mut room = 0u64;
        for h in ids::<HostId>(self.p.hosts) {
            room = room.saturating_add(self.placement.copies_that_fit(h, amounts));
            if room >= want {
                return true;
            }
        }
        false
    }
}

/// The compute's usage and stats as its resource tracker knows them, unstamped.
fn truth(p: &Params, host: &Host) -> HostView {
    let inv = &p.inventory;
    let free = |i: usize| inv[i].total as i64 - inv[i].reserved as i64 - host.used[i] as i64;
    HostView {
        free_ram_mb: free(1),
        free_disk_gb: free(2),
        vcpus_used: host.used[0] as i64,
        io_ops: i64::from(host.building),
        failed_builds: host.failed_builds,
        updated: None,
    }
}

fn fmt_traced(t: Micros, e: &Ev, note: &str) -> String {
    if note.is_empty() { fmt_event(t, e) } else { format!("{}  ({note})", fmt_event(t, e)) }
}

fn fmt_event(t: Micros, e: &Ev) -> String {
    format!("{:>10}.{:03} ms  {e:?}", t / 1000, t % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::strategies::{Strategy, test_support::tiny};

    #[test]
    fn a_violation_stops_the_run_with_seed_and_trace() {
        let s = tiny(2, 1, 1, 0.0);
        let p = Params::new(&s, Strategy::Queens);
        let mut sim = Sim::new(&p, 42);
        assert!(sim.step().unwrap());
        // A write the engine did not make: Placement's generation no longer matches the
        // engine's ledger of successful writes.
        sim.placement.put(InstId(999), HostId(0), [1, 1, 1], 0, 0).unwrap();
        sim.dirty.push(HostId(0));
        let v = loop {
            match sim.step() {
                Ok(true) => continue,
                Ok(false) => panic!("the corruption went unnoticed"),
                Err(v) => break v,
            }
        };
        assert!(v.what.contains("generation 2 on host 0 but 0 successful writes"), "{}", v.what);
        assert_eq!((v.seed, v.strategy), (42, "queens"));
        assert_eq!(v.trace.len(), 2);
        assert!(v.to_string().contains("rerun with --seed 42 --seeds 1"));
    }

    #[test]
    fn events_at_the_same_time_run_in_insertion_order() {
        let s = tiny(1, 1, 1, 0.0);
        let p = Params::new(&s, Strategy::Oracle);
        let mut sim = Sim::new(&p, 1);
        sim.queue.clear();
        sim.push_at(5, Ev::Arrive(ReqId(0)));
        sim.push_at(5, Ev::SchedRecv(CallId(7)));
        sim.push_at(3, Ev::CpuDone(CallId(1)));
        let order: Vec<Ev> = std::iter::from_fn(|| sim.queue.pop().map(|e| e.ev)).collect();
        assert_eq!(order, vec![Ev::CpuDone(CallId(1)), Ev::Arrive(ReqId(0)), Ev::SchedRecv(CallId(7))]);
    }

    fn alternates_after_a_lost_race(strategy: Strategy) -> Vec<HostId> {
        // 3 hosts × 1 slot, two requests at once, one worker. Both pick host 0; request 1
        // loses the claim there and wins host 1.
        let s = tiny(3, 1, 2, 0.0);
        let p = Params::new(&s, strategy);
        let mut sim = Sim::new(&p, 1);
        while sim.step().unwrap() {}
        assert_eq!(sim.insts[InstId(1)].host, Some(HostId(1)));
        sim.insts[InstId(1)].alternates.iter().map(|(h, _)| *h).collect()
    }

    #[test]
    fn queens_alternates_may_repeat_a_host_that_already_failed() {
        // Queens walks the whole sorted list after all claims, excluding only selected hosts.
        assert_eq!(alternates_after_a_lost_race(Strategy::Queens), vec![HostId(0), HostId(2)]);
        // The proposal takes the hosts after the claimed one in that instance's own walk.
        assert_eq!(alternates_after_a_lost_race(Strategy::Proposal), vec![HostId(2)]);
    }

    fn metrics_of(s: &crate::claims::scenario::Scenario, strategy: Strategy) -> impl Fn(&str) -> f64 + use<> {
        let p = Params::new(s, strategy);
        let values = Sim::new(&p, 1).paranoid().run().expect("no violation").values;
        move |name| values[crate::claims::metrics::index_of(name).expect("a metric")]
    }

    fn multi_create(hosts: u32, num: u32) -> crate::claims::scenario::Scenario {
        let mut s = tiny(hosts, 1, 1, 0.0);
        s.workload.multi_create_ratio = 1.0;
        s.workload.multi_create_num = num;
        s
    }

    #[test]
    fn a_multi_create_without_room_for_all_is_not_a_false_no_valid_host() {
        // 3 instances, 2 one-slot hosts: every design fails all 3, and none of them was lost
        // to a race, even though each single instance would fit once its siblings' claims
        // are deleted.
        for strategy in
            [Strategy::Pike, Strategy::SummitSameCell, Strategy::Proposal, Strategy::Queens, Strategy::Oracle]
        {
            let m = metrics_of(&multi_create(2, 3), strategy);
            assert_eq!((m("no_valid_host"), m("false_no_valid_host")), (3.0, 0.0), "{strategy:?}");
        }
        // Three single requests at once on 3 one-slot hosts, one alternate, a per-request view:
        // the summit design's third request loses host 0 and its alternate host 1 while host 2
        // is free, which is a false NoValidHost.
        let mut s = tiny(3, 1, 3, 0.0);
        s.scheduler.max_attempts = 2;
        s.scheduler.cache = CacheMode::PerRequest;
        let m = metrics_of(&s, Strategy::SummitSameCell);
        assert_eq!((m("no_valid_host"), m("false_no_valid_host")), (1.0, 1.0));
    }

    #[test]
    fn only_the_claim_the_abort_and_a_periodic_task_with_changes_write_the_row() {
        let s = tiny(1, 1, 1, 0.0);
        let p = Params::new(&s, Strategy::Queens);
        let mut sim = Sim::new(&p, 1);
        let mut seen = Vec::new();
        let mut rt = None;
        while sim.step().unwrap() {
            let (t, ev) = *sim.ring.back().unwrap();
            let row = sim.hosts[HostId(0)].row;
            match ev {
                Ev::RtClaim(InstId(0)) => {
                    rt = Some(t);
                    assert_eq!((row.updated, row.io_ops), (Some(t), 1), "the claim writes the row");
                }
                Ev::SpawnDone(InstId(0), true) => {
                    assert_eq!((row.updated, row.io_ops), (rt, 1), "a spawn saves no row")
                }
                Ev::Periodic(HostId(0)) => assert_eq!((row.updated, row.io_ops), (Some(t), 0), "the stats changed"),
                _ => continue,
            }
            seen.push(ev);
        }
        assert_eq!(seen, vec![Ev::RtClaim(InstId(0)), Ev::SpawnDone(InstId(0), true), Ev::Periodic(HostId(0))]);
        // A periodic task that finds nothing changed writes nothing.
        let before = sim.hosts[HostId(0)].row;
        sim.now += p.periodic;
        sim.periodic(HostId(0));
        assert_eq!(sim.hosts[HostId(0)].row, before);
        // A failed spawn's abort writes the row at once.
        let s = tiny(1, 1, 1, 1.0);
        let p = Params::new(&s, Strategy::Queens);
        let mut sim = Sim::new(&p, 1);
        while sim.step().unwrap() {
            if let (t, Ev::SpawnDone(InstId(0), false)) = *sim.ring.back().unwrap() {
                let row = sim.hosts[HostId(0)].row;
                assert_eq!((row.updated, row.io_ops, row.failed_builds), (Some(t), 0, 1));
            }
        }
    }

    #[test]
    fn a_stale_generation_in_coarse_mode_is_one_conflict_and_not_retried() {
        // Two requests at once on 2 two-slot hosts with a per-request view: both pick host 0.
        // The second claim carries host 0's generation from its query, which the first claim
        // bumped: one conflict, no client retry, and the claim moves on to host 1.
        let mut s = tiny(2, 2, 2, 0.0);
        s.placement.conflict_mode = crate::claims::scenario::ConflictMode::Coarse;
        let m = metrics_of(&s, Strategy::Queens);
        assert_eq!((m("generation_conflicts"), m("client_retries"), m("claim_attempts")), (1.0, 0.0, 3.0));
    }

    #[test]
    fn a_client_retry_runs_get_and_put_again_and_placement_retries_are_counted_apart() {
        // Two requests at once on 2 two-slot hosts, a per-request view, 5 ms transactions:
        // both claim host 0 within the window, and the second fit in its snapshot, so it is
        // "concurrently updated", not over capacity.
        let mut s = tiny(2, 2, 2, 0.0);
        s.placement.tau_txn_ms = 5.0;
        let (trace, _) = crate::claims::strategies::trace_of(&s, Strategy::Queens);
        let claims: Vec<&str> = trace.iter().map(String::as_str).filter(|e| e.starts_with("Claim")).collect();
        // Queens' client retry: GET and PUT again.
        assert_eq!(claims, ["ClaimGet(0)", "ClaimGet(1)", "ClaimPut(0)", "ClaimPut(1)", "ClaimGet(1)", "ClaimPut(1)"]);
        let m = metrics_of(&s, Strategy::Queens);
        let counts = ["generation_conflicts", "client_retries", "server_retries", "placement_get_allocations"];
        assert_eq!(counts.map(&m), [1.0, 1.0, 0.0, 3.0]);
        // Rocky's Placement retries the transaction itself: the client sees no conflict.
        s.placement.retry_policy = crate::claims::scenario::RetryPolicy::Rocky;
        let m = metrics_of(&s, Strategy::Queens);
        assert_eq!(counts.map(&m), [0.0, 0.0, 1.0, 2.0]);
    }

    #[test]
    fn retry_policy_none_sends_one_put_per_claim() {
        // As in the test above, but a "concurrently updated" 409 is final: the second request
        // moves on to host 1 instead of retrying host 0.
        let mut s = tiny(2, 2, 2, 0.0);
        s.placement.tau_txn_ms = 5.0;
        s.placement.retry_policy = crate::claims::scenario::RetryPolicy::None;
        let p = Params::new(&s, Strategy::Queens);
        let mut sim = Sim::new(&p, 1);
        while sim.step().unwrap() {}
        assert_eq!((sim.insts[InstId(0)].host, sim.insts[InstId(1)].host), (Some(HostId(0)), Some(HostId(1))));
        assert_eq!((sim.m.generation_conflicts, sim.m.client_retries, sim.m.placement_put), (1, 0, 3));
    }

    #[test]
    fn lifetimes_free_capacity_and_deletes_bump_no_generation() {
        // One one-slot host, three requests about 1000 s apart, instances living about 1 s: each
        // leaves before the next arrives, so all three are built. The last one outlives the run
        // (its delete comes after every request ended and changes nothing).
        let mut s = tiny(1, 1, 3, 0.0);
        s.workload.arrival = Arrival::Poisson;
        s.workload.rate = 0.001;
        let kept = metrics_of(&s, Strategy::Pike);
        assert_eq!((kept("active"), kept("no_valid_host"), kept("deleted")), (1.0, 2.0, 0.0));
        s.workload.lifetime_mean_s = 1.0;
        let p = Params::new(&s, Strategy::Pike);
        let mut sim = Sim::new(&p, 1).paranoid();
        while sim.step().unwrap() {}
        assert_eq!((sim.m.active, sim.m.no_valid_host, sim.m.deleted), (3, 0, 2));
        // Three PUTs, two DELETEs: Placement bumps the generation on the PUTs only.
        assert_eq!(sim.placement.providers[HostId(0)].generation, 1 + 3);
        assert_eq!(sim.m.placement_delete, 2);
        // The deletes wrote the row: the scheduler saw the room.
        assert_eq!(sim.insts.iter().filter(|i| i.state == InstState::Deleted).count(), 2);
    }

    #[test]
    fn a_phantom_lasts_until_its_worker_reads_the_host_again_not_until_the_row_is_written() {
        // The summit race of `summit.rs`: request 2's worker consumed host 0, whose claim then
        // failed. Host 0's row is written when request 0 is built there, but the worker reads
        // no row again in this run, so its view still holds the phantom at the end.
        let s = tiny(2, 1, 3, 0.0);
        let p = Params::new(&s, Strategy::SummitSameCell);
        let mut sim = Sim::new(&p, 1);
        while sim.step().unwrap() {}
        assert_eq!(sim.m.phantom_consumptions, 1);
        let [(worker, host, since)] = sim.phantoms[..] else { panic!("{:?}", sim.phantoms) };
        assert_eq!((worker, host), (WorkerId(0), HostId(0)));
        assert!(sim.hosts[HostId(0)].row.updated > Some(since), "the row was written after the consumption");
        assert!(sim.workers[WorkerId(0)].local[HostId(0)], "and the worker still holds it");
    }
}
