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
    Arrive(u32),
    /// A scheduling call reaches a scheduler worker, which queries Placement.
    SchedRecv(u32),
    /// The allocation candidates come back; the worker reads the cell DB.
    CandidatesDone(u32),
    /// The cell DB rows come back; the worker queues for its CPU.
    DbDone(u32),
    /// The worker starts the CPU section for the call's current instance: filter, weigh,
    /// choose (and consume, where the design consumes before claiming), all atomic.
    CpuStart(u32),
    /// The CPU section ends; the worker yields to I/O (a claim) or moves on.
    CpuDone(u32),
    /// The scheduler's answer reaches the conductor.
    ScReturn(u32),
    /// An instance's `GET /allocations` returns; the PUT is sent.
    ClaimGet(u32),
    /// An instance's PUT is served by Placement.
    ClaimPut(u32),
    /// The build cast reaches the instance's compute.
    BuildCast(u32),
    /// The resource tracker's claim for the instance runs.
    RtClaim(u32),
    /// The spawn ends, successfully or not.
    SpawnDone(u32, bool),
    /// A failed build reaches the cell conductor, which tries the alternates.
    CellConductor(u32),
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
}

#[derive(Debug, Clone)]
struct Instance {
    req: u32,
    flavor: FlavorReq,
    state: InstState,
    host: Option<u32>,
    /// The host the scheduler selected but did not claim (summit, legacy).
    selected: Option<u32>,
    alternates: VecDeque<(u32, Micros)>,
    tried: Vec<u32>,
    attempts: u32,
    claim_host: u32,
    claim_who: Who,
    client_try: u32,
    server_try: u32,
    claimed_once: bool,
    /// The provider generation the claim carries (coarse conflict mode only).
    expected_gen: Option<u64>,
    worker: u32,
    /// The scheduling call currently handling this instance.
    call: u32,
    /// Legacy only: the compute built it but Placement refused the mirrored allocation.
    unenforced: bool,
}

#[derive(Debug, Clone)]
struct Request {
    arrival: Micros,
    first: u32,
    count: u32,
    pending: u32,
}

#[derive(Debug, Clone, Default)]
struct Call {
    instances: Vec<u32>,
    worker: u32,
    cands: Vec<u32>,
    /// The cell DB rows read for the candidates, with their host ids.
    rows: Vec<(u32, HostView)>,
    /// Hosts consumed by this call, for the per-request view.
    local: Vec<u32>,
    cur: usize,
    order: Ranking,
    pos: usize,
    selected: Vec<u32>,
    retry_hosts: Vec<u32>,
    reschedule: bool,
    merged: bool,
    failed: bool,
    /// Provider generations at the candidates query, aligned with `cands` (coarse mode).
    gens: Vec<u64>,
    /// The current CPU section found no host.
    no_host: bool,
}

#[derive(Debug, Clone)]
struct Host {
    cell: u32,
    /// The compute's own usage (resource tracker), including the initial fill.
    used: [u64; 3],
    /// When the resource tracker last wrote the cell DB row on a change (V_DB). The row's
    /// values always equal the compute's usage, because every change writes the row; the
    /// periodic `update_available_resource` only moves `updated_at`, so it is computed
    /// lazily from `phase` instead of being an event per host per minute.
    last_write: Micros,
    phase: Micros,
    building: u32,
    active_builds: u32,
    queue: VecDeque<u32>,
    /// Every spawn here fails ("bad host" mode).
    bad: bool,
    /// Consecutive failed builds, reported in the row for the BuildFailureWeigher.
    failed_builds: i64,
}

#[derive(Debug, Clone)]
struct Worker {
    /// In a CPU section now; other calls wait their turn in `waiting`.
    busy: bool,
    waiting: VecDeque<u32>,
    map: Vec<Option<HostView>>,
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
/// A run that takes more events than this is stuck: a liveness failure, reported as an engine bug. Scenarios whose
/// estimate exceeds it are refused before they run ([`super::budget`]), so only a bug reaches it.
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
    writes: Vec<u64>,
    hosts: Vec<Host>,
    workers: Vec<Worker>,
    requests: Vec<Request>,
    calls: Vec<Call>,
    insts: Vec<Instance>,
    fill_consumer_base: u32,
    fill_total: [u64; 3],
    live: u32,
    next_worker: u32,
    dirty: Vec<u32>,
    /// Live phantom consumptions: (host, consumed at, next periodic DB update after detection).
    phantoms: Vec<(u32, Micros, Micros)>,
    ring: VecDeque<(Micros, Ev)>,
    /// Every event with what came of it, when asked for (tests and `--trace`).
    full_trace: Option<Vec<(Micros, Ev, String)>>,
    /// Check every provider after every event instead of the touched ones (tests).
    paranoid: bool,
    /// Checked before every event: a relaxed load, next to nothing beside an event's cost (0.1–1 µs), and an event
    /// on the largest cloud takes milliseconds, so a cancelled run stops well within a second.
    cancel: Option<&'p super::Cancel>,
    m: Counters,
}

impl<'p> Sim<'p> {
    pub fn new(p: &'p Params, seed: u64) -> Sim<'p> {
        let mut placement = Placement::default();
        let mut hosts = Vec::with_capacity(p.hosts as usize);
        for h in 0..p.hosts {
            placement.add_provider(p.inventory);
            hosts.push(Host {
                cell: p.cell_of(h),
                used: [0; 3],
                last_write: 0,
                phase: 0,
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
                    vec![None; p.hosts as usize]
                } else {
                    Vec::new()
                },
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
            writes: vec![0; p.hosts as usize],
            hosts,
            workers,
            requests: Vec::new(),
            calls: Vec::new(),
            insts: Vec::new(),
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
            let first = self.insts.len() as u32;
            for _ in 0..count {
                self.insts.push(Instance {
                    req: r,
                    flavor: p.flavors[f],
                    state: InstState::Scheduling,
                    host: None,
                    selected: None,
                    alternates: VecDeque::new(),
                    tried: Vec::new(),
                    attempts: 1,
                    claim_host: 0,
                    claim_who: Who::Scheduler,
                    client_try: 0,
                    server_try: 0,
                    claimed_once: false,
                    expected_gen: None,
                    worker: 0,
                    call: 0,
                    unenforced: false,
                });
            }
            let arrival = (t * 1e6).round() as Micros;
            self.requests.push(Request { arrival, first, count, pending: count });
            self.push_at(arrival, Ev::Arrive(r));
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
        for h in 0..p.hosts {
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
                let loaded = self.placement.preload(self.fill_consumer_base + h, h, used);
                assert!(loaded, "fill fits by construction");
                self.writes[h as usize] += 1;
            }
            for (t, u) in self.fill_total.iter_mut().zip(used) {
                *t += u;
            }
            self.hosts[h as usize].used = used;
            self.hosts[h as usize].phase = phase.below(p.periodic.max(1));
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
        for (_, since, tick) in std::mem::take(&mut self.phantoms) {
            self.m.phantom_lifetime_us += tick - since;
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
        if self.m.events > MAX_EVENTS {
            return Err(self.violation("liveness: event budget exhausted".into()));
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
        }
        Ok(())
    }

    // ---- bookkeeping ----

    /// The cell DB's `ComputeNode` row for `h` as of `now`.
    fn db_row(&self, h: u32, now: Micros) -> HostView {
        db_row(self.p, &self.hosts[h as usize], now)
    }

    fn wrote(&mut self, h: u32) {
        self.writes[h as usize] += 1;
        self.dirty.push(h);
    }

    fn finish(&mut self, inst: u32, state: InstState) {
        let i = &mut self.insts[inst as usize];
        if matches!(i.state, InstState::Active | InstState::NoValidHost | InstState::MaxRetries) {
            return;
        }
        i.state = state;
        let (req, amounts) = (i.req, i.flavor.amounts());
        self.note(|| format!("instance {inst} {state:?}"));
        match state {
            InstState::Active => self.m.active += 1,
            InstState::NoValidHost => self.m.no_valid_host += 1,
            InstState::MaxRetries => self.m.max_retries_exceeded += 1,
            _ => unreachable!("finish with a terminal state"),
        }
        if state == InstState::NoValidHost && (0..self.p.hosts).any(|h| self.placement.is_candidate(h, &amounts)) {
            // NoValidHost while some host had room in Placement: lost to a race or a stale
            // view, not to capacity. (MaxRetriesExceeded after failed builds is its own count.)
            self.m.false_no_valid_host += 1;
        }
        let r = &mut self.requests[req as usize];
        r.pending -= 1;
        if r.pending == 0 {
            self.live -= 1;
            self.m.end_us = self.now;
        }
    }
}

/// The `ComputeNode` row: the compute's usage, stamped with its last write, which is the later
/// of the last change and the last periodic `update_available_resource` at or before `now`.
fn db_row(p: &Params, host: &Host, now: Micros) -> HostView {
    let inv = &p.inventory;
    let free = |i: usize| inv[i].total as i64 - inv[i].reserved as i64 - host.used[i] as i64;
    let periodic =
        if now >= host.phase { host.phase + (now - host.phase) / p.periodic.max(1) * p.periodic.max(1) } else { 0 };
    HostView {
        free_ram_mb: free(1),
        free_disk_gb: free(2),
        vcpus_used: host.used[0] as i64,
        io_ops: i64::from(host.building),
        failed_builds: host.failed_builds,
        updated: Some(host.last_write.max(periodic)),
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
        sim.placement.put(999, 0, [1, 1, 1], 0, 0).unwrap();
        sim.dirty.push(0);
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
        sim.push_at(5, Ev::Arrive(0));
        sim.push_at(5, Ev::SchedRecv(7));
        sim.push_at(3, Ev::CpuDone(1));
        let order: Vec<Ev> = std::iter::from_fn(|| sim.queue.pop().map(|e| e.ev)).collect();
        assert_eq!(order, vec![Ev::CpuDone(1), Ev::Arrive(0), Ev::SchedRecv(7)]);
    }

    fn alternates_after_a_lost_race(strategy: Strategy) -> Vec<u32> {
        // 3 hosts × 1 slot, two requests at once, one worker. Both pick host 0; request 1
        // loses the claim there and wins host 1.
        let s = tiny(3, 1, 2, 0.0);
        let p = Params::new(&s, strategy);
        let mut sim = Sim::new(&p, 1);
        while sim.step().unwrap() {}
        assert_eq!(sim.insts[1].host, Some(1));
        sim.insts[1].alternates.iter().map(|(h, _)| *h).collect()
    }

    #[test]
    fn queens_alternates_may_repeat_a_host_that_already_failed() {
        // Queens walks the whole sorted list after all claims, excluding only selected hosts.
        assert_eq!(alternates_after_a_lost_race(Strategy::Queens), vec![0, 2]);
        // The proposal takes the hosts after the claimed one in that instance's own walk.
        assert_eq!(alternates_after_a_lost_race(Strategy::Proposal), vec![2]);
    }
}
