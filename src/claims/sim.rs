//! The discrete-event engine: one run of one strategy under one seed.
//!
//! `Sim { now, queue, rngs, cluster, strategy, metrics }` with a `step()`, as in TigerBeetle's
//! VOPR: a virtual clock in integer µs, one queue ordered by (time, sequence number), one
//! master seed split into per-concern streams, and invariants checked after every event.
//!
//! The pipeline follows MODEL.md §4: API → super conductor → scheduler worker (Placement
//! candidates, cell DB read, an atomic CPU section to filter and weigh) → super conductor →
//! compute (build semaphore, resource-tracker claim, spawn) → on failure, the cell conductor or
//! a reschedule. The [`Policy`](super::strategies::Policy) decides the forks. Three views of the world are kept apart on
//! purpose: Placement (V_P), the cell DB rows (V_DB, written by the computes) and each
//! scheduler worker's `HostState` map (V_L); the races live in the gaps between them.

use std::collections::{BinaryHeap, VecDeque};

use super::Micros;
use super::invariants::Violation;
use super::metrics::{Counters, FinalState};
use super::params::Params;
use super::placement::{Placement, PutError};
use super::rng::{Rng, Stream};
use super::scenario::{Arrival, CacheMode};
use super::scheduler::{FlavorReq, HostView, Ranking, order_hosts};
use super::strategies::{AlternateCells, AlternateTiming, FirstClaim, Recovery};

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
const MAX_EVENTS: u64 = 50_000_000;

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
    ring: VecDeque<(Micros, Ev)>,
    full_trace: Option<Vec<(Micros, Ev)>>,
    /// Check every provider after every event instead of the touched ones (tests).
    paranoid: bool,
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
            ring: VecDeque::with_capacity(RING),
            full_trace: None,
            paranoid: false,
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
            let count = if flavors.chance(p.multi_create_ratio) {
                p.multi_create_num
            } else {
                1
            };
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
            self.requests.push(Request {
                arrival,
                first,
                count,
                pending: count,
            });
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
        let target: Vec<u64> = p
            .inventory
            .iter()
            .map(|inv| (inv.capacity() as f64 * p.fill) as u64)
            .collect();
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
        self.queue.push(Entry {
            t,
            seq: self.seq,
            ev,
        });
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
    pub fn run(mut self) -> Result<RunResult, Box<Violation>> {
        while self.step()? {}
        self.check_at_rest()?;
        let fin = FinalState {
            hosts: self
                .placement
                .providers
                .iter()
                .map(|pr| {
                    (
                        pr.usage[1],
                        pr.inventory[1].capacity(),
                        pr.usage[0],
                        pr.inventory[0].capacity(),
                    )
                })
                .collect(),
        };
        let trace = self
            .full_trace
            .as_ref()
            .map(|t| t.iter().map(|(t, e)| fmt_event(*t, e)).collect())
            .unwrap_or_default();
        Ok(RunResult {
            values: self.m.values(&fin),
            trace,
            states: self.insts.iter().map(|i| i.state).collect(),
        })
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
            t.push((e.t, e.ev));
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

    // ---- API, scheduler ----

    fn arrive(&mut self, r: u32) {
        let req = self.requests[r as usize].clone();
        let instances: Vec<u32> = (req.first..req.first + req.count).collect();
        if self.p.policy.first_claim == FirstClaim::Oracle {
            self.oracle_request(&instances);
            return;
        }
        let c = self.new_call(instances, Vec::new(), false);
        let d = self.hop(self.p.lat.api) + self.hop(self.p.lat.rpc);
        self.push_in(d, Ev::SchedRecv(c));
    }

    fn new_call(&mut self, instances: Vec<u32>, retry_hosts: Vec<u32>, reschedule: bool) -> u32 {
        let c = self.calls.len() as u32;
        for &i in &instances {
            self.insts[i as usize].call = c;
        }
        self.calls.push(Call {
            instances,
            retry_hosts,
            reschedule,
            ..Call::default()
        });
        c
    }

    fn sched_recv(&mut self, c: u32) {
        self.m.scheduler_calls += 1;
        let w = if self.p.random_dispatch {
            self.rngs.dispatch.below(u64::from(self.p.workers)) as u32
        } else {
            let w = self.next_worker;
            self.next_worker = (w + 1) % self.p.workers;
            w
        };
        self.calls[c as usize].worker = w;
        self.m.placement_get_candidates += 1;
        // The query scans every provider with inventory; the answer is truncated to `limit`.
        let n = u64::from(self.p.hosts.min(self.p.limit));
        let d = self.p.lat.cand_base + n * self.p.lat.cand_per_host_ns / 1000;
        let d = self.hop(d);
        self.push_in(d, Ev::CandidatesDone(c));
    }

    /// `GET /allocation_candidates`, answered from Placement as it is now (t_q): providers in
    /// id order, or a seeded permutation when randomised, truncated to `limit`.
    fn candidates_done(&mut self, c: u32) {
        let amounts = self.insts[self.calls[c as usize].instances[0] as usize]
            .flavor
            .amounts();
        let limit = self.p.limit as usize;
        let mut cands: Vec<u32> = if self.p.randomize_candidates {
            let mut all: Vec<u32> = (0..self.p.hosts)
                .filter(|h| self.placement.is_candidate(*h, &amounts))
                .collect();
            self.rngs.candidates.shuffle(&mut all);
            all.truncate(limit);
            all
        } else {
            (0..self.p.hosts)
                .filter(|h| self.placement.is_candidate(*h, &amounts))
                .take(limit)
                .collect()
        };
        // Legacy's Ocata prefilter carries no allocation requests; treat it the same way.
        cands.sort_unstable();
        let n = cands.len() as u64;
        if self.p.coarse {
            self.calls[c as usize].gens = cands
                .iter()
                .map(|h| self.placement.providers[*h as usize].generation)
                .collect();
        }
        self.calls[c as usize].cands = cands;
        let d = self.p.lat.db_base + n * self.p.lat.db_per_host_ns / 1000;
        let d = self.hop(d);
        self.push_in(d, Ev::DbDone(c));
    }

    fn db_done(&mut self, c: u32) {
        let call = &mut self.calls[c as usize];
        call.rows = call
            .cands
            .iter()
            .map(|h| (*h, db_row(self.p, &self.hosts[*h as usize], self.now)))
            .collect();
        self.queue_cpu(c);
    }

    /// The CPU section of one worker is atomic (eventlet never yields in filter/weigh), so
    /// sections queue behind each other, in arrival order.
    fn queue_cpu(&mut self, c: u32) {
        let w = self.calls[c as usize].worker as usize;
        if self.workers[w].busy {
            self.workers[w].waiting.push_back(c);
        } else {
            self.workers[w].busy = true;
            self.push_in(0, Ev::CpuStart(c));
        }
    }

    /// The scheduler's view of the call's candidates, per the cache mode.
    fn view(&mut self, c: u32) -> Vec<(u32, HostView)> {
        let now = self.now;
        let call = &mut self.calls[c as usize];
        let worker = &mut self.workers[call.worker as usize];
        match self.p.cache {
            CacheMode::PerRequest | CacheMode::Strategy => {
                // The last instance of the call can have the rows themselves.
                let mut v = if call.cur + 1 == call.instances.len() {
                    std::mem::take(&mut call.rows)
                } else {
                    call.rows.clone()
                };
                for h in &call.local {
                    if let Ok(i) = call.cands.binary_search(h) {
                        let f = self.insts[call.instances[0] as usize].flavor;
                        v[i].1.consume(&f, now);
                    }
                }
                v
            }
            CacheMode::Persistent => {
                if !call.merged {
                    call.merged = true;
                    for (h, row) in &call.rows {
                        let slot = &mut worker.map[*h as usize];
                        match slot {
                            Some(v) => v.refresh_from(row),
                            None => *slot = Some(*row),
                        }
                    }
                }
                call.cands
                    .iter()
                    .map(|h| (*h, worker.map[*h as usize].expect("merged")))
                    .collect()
            }
            CacheMode::Periodic => {
                if worker.map[0].is_none() || now - worker.last_refresh >= self.p.cache_refresh {
                    worker.last_refresh = now;
                    for (h, slot) in worker.map.iter_mut().enumerate() {
                        *slot = Some(db_row(self.p, &self.hosts[h], now));
                    }
                }
                call.cands
                    .iter()
                    .map(|h| (*h, worker.map[*h as usize].expect("refreshed")))
                    .collect()
            }
        }
    }

    fn consume(&mut self, c: u32, h: u32, f: FlavorReq) {
        let now = self.now;
        let call = &mut self.calls[c as usize];
        match self.p.cache {
            CacheMode::PerRequest | CacheMode::Strategy => call.local.push(h),
            _ => {
                if let Some(v) = &mut self.workers[call.worker as usize].map[h as usize] {
                    v.consume(&f, now);
                }
            }
        }
    }

    /// The decision is taken when the section starts, from the view as it is then: nothing
    /// else runs in this worker until the section ends, so nothing can change it meanwhile.
    fn cpu_start(&mut self, c: u32) {
        let mut filtered = self.view(c);
        let call = &self.calls[c as usize];
        let inst = call.instances[call.cur];
        let f = self.insts[inst as usize].flavor;
        self.insts[inst as usize].worker = call.worker;
        if !call.retry_hosts.is_empty() || self.p.resource_filters.is_some() {
            filtered.retain(|(h, v)| {
                !call.retry_hosts.contains(h)
                    && self.p.resource_filters.is_none_or(|rf| rf.passes(v, &f))
            });
        }
        let w = call.worker as usize;
        let d = call.cands.len() as u64 * self.p.lat.fw_per_host_ns / 1000;
        self.m.cpu_busy_us += d;
        let mut order = order_hosts(
            &filtered,
            &self.p.weighers,
            self.p.host_subset_size,
            self.p.shuffle_ties,
            &mut self.workers[w].rng,
        );
        let chosen = order.get(0);
        let call = &mut self.calls[c as usize];
        call.no_host = chosen.is_none();
        call.order = order;
        call.pos = 0;
        if let Some(h) = chosen
            && self.p.policy.first_claim != FirstClaim::Scheduler
        {
            // Select without claiming (legacy, summit): consume now, claim later elsewhere.
            call.selected.push(h);
            self.insts[inst as usize].selected = Some(h);
            self.consume(c, h, f);
            if self.p.policy.first_claim == FirstClaim::SuperConductor {
                self.per_instance_alternates(c, inst, h, 1);
            }
        }
        self.push_in(d, Ev::CpuDone(c));
    }

    fn cpu_done(&mut self, c: u32) {
        let w = self.calls[c as usize].worker as usize;
        self.workers[w].busy = false;
        let call = &mut self.calls[c as usize];
        if call.no_host {
            self.fail_call(c);
        } else {
            let inst = call.instances[call.cur];
            match self.p.policy.first_claim {
                FirstClaim::Scheduler => {
                    let h = call.order.get(0).expect("a host was chosen");
                    self.start_claim(inst, h, Who::Scheduler);
                }
                // Without a claim there is no I/O between instances: the loop goes straight on
                // to the next instance's section before any other request gets the worker.
                _ => self.next_instance(c),
            }
        }
        if !self.workers[w].busy
            && let Some(next) = self.workers[w].waiting.pop_front()
        {
            self.workers[w].busy = true;
            self.push_in(0, Ev::CpuStart(next));
        }
    }

    /// Alternates from the call's weighed list after position `from`, excluding hosts
    /// selected for this request (Proposal and summit).
    fn per_instance_alternates(&mut self, c: u32, inst: u32, h: u32, from: usize) {
        let cell = self.hosts[h as usize].cell;
        let cells = self.p.policy.alternate_cells;
        let call = &mut self.calls[c as usize];
        let mut alts = VecDeque::new();
        let mut i = from;
        while alts.len() < self.p.num_alternates as usize {
            let Some(a) = call.order.get(i) else { break };
            i += 1;
            if !call.selected.contains(&a)
                && (cells == AlternateCells::AnyCell || self.hosts[a as usize].cell == cell)
            {
                alts.push_back((a, self.now));
            }
        }
        self.insts[inst as usize].alternates = alts;
    }

    fn next_instance(&mut self, c: u32) {
        let call = &mut self.calls[c as usize];
        call.cur += 1;
        if call.cur < call.instances.len() {
            self.queue_cpu(c);
            return;
        }
        if self.p.policy.alternate_timing == AlternateTiming::AfterAll
            && self.p.policy.recovery == Recovery::Alternates
        {
            self.queens_alternates(c);
        }
        self.release_buffers(c);
        let d = self.hop(self.p.lat.rpc);
        self.push_in(d, Ev::ScReturn(c));
    }

    /// Queens: after all claims, for each selected host walk the last sorted list for hosts in
    /// the same cell, not selected for this request; failed hosts are not excluded.
    fn queens_alternates(&mut self, c: u32) {
        let call = &mut self.calls[c as usize];
        for &inst in &call.instances {
            let h = self.insts[inst as usize].host.expect("claimed");
            let cell = self.hosts[h as usize].cell;
            let mut alts = VecDeque::new();
            let mut i = 0;
            while alts.len() < self.p.num_alternates as usize {
                let Some(a) = call.order.get(i) else { break };
                i += 1;
                if !call.selected.contains(&a) && self.hosts[a as usize].cell == cell {
                    alts.push_back((a, self.now));
                }
            }
            self.insts[inst as usize].alternates = alts;
        }
    }

    /// A finished call's per-host buffers are dead weight (megabytes over a run at 1,000
    /// hosts); only coarse mode still needs the generations seen at the query, for alternates.
    fn release_buffers(&mut self, c: u32) {
        let call = &mut self.calls[c as usize];
        call.rows = Vec::new();
        call.order = Ranking::default();
        if !self.p.coarse {
            call.cands = Vec::new();
        }
    }

    /// NoValidHost for the whole call: all-or-nothing per request (`_ensure_sufficient_hosts`).
    fn fail_call(&mut self, c: u32) {
        self.release_buffers(c);
        let call = &mut self.calls[c as usize];
        call.failed = true;
        let instances = call.instances.clone();
        let selected = call.selected.clone();
        let w = call.worker as usize;
        if self.p.cache == CacheMode::Persistent {
            for h in selected {
                if let Some(v) = &mut self.workers[w].map[h as usize] {
                    v.updated = None;
                }
            }
        }
        for inst in instances {
            self.undo_claim(inst);
            self.finish(inst, InstState::NoValidHost);
        }
    }

    /// Delete the allocation this instance's current placement holds, if it has one.
    fn undo_claim(&mut self, inst: u32) {
        if let Some(h) = self.insts[inst as usize].host
            && self.placement.delete(inst)
        {
            // Not a generation-bumping write in Placement: only re-check the provider.
            self.dirty.push(h);
            self.m.placement_delete += 1;
            self.m.wasted_claims += 1;
        }
        self.insts[inst as usize].host = None;
    }

    // ---- claims: GET /allocations, then PUT with the release's retries ----

    fn start_claim(&mut self, inst: u32, h: u32, who: Who) {
        let expected = if self.p.coarse {
            let call = &self.calls[self.insts[inst as usize].call as usize];
            call.cands.binary_search(&h).ok().map(|k| call.gens[k])
        } else {
            None
        };
        self.insts[inst as usize].expected_gen = expected;
        let i = &mut self.insts[inst as usize];
        i.claim_host = h;
        i.claim_who = who;
        i.client_try = 1;
        i.server_try = 0;
        if !i.claimed_once {
            i.claimed_once = true;
            let since = self.now - self.requests[i.req as usize].arrival;
            self.m.time_to_first_claim_us.push(since);
        }
        self.m.placement_get_allocations += 1;
        let d = self.hop(self.p.lat.get);
        self.push_in(d, Ev::ClaimGet(inst));
    }

    fn claim_put(&mut self, inst: u32) {
        let i = &self.insts[inst as usize];
        let (h, amounts) = (i.claim_host, i.flavor.amounts());
        let expected = self.insts[inst as usize].expected_gen;
        match self
            .placement
            .put_at_generation(inst, h, amounts, self.now, self.p.tau, expected)
        {
            Ok(()) => {
                self.wrote(h);
                self.m.claims.push((h, self.now));
                self.insts[inst as usize].host = Some(h);
                self.claim_result(inst, true);
            }
            Err(PutError::ConcurrentUpdate) => {
                self.m.generation_conflicts += 1;
                let r = self.p.retries;
                let i = &mut self.insts[inst as usize];
                if i.server_try < r.server_retries {
                    // Placement retries its own transaction after reloading the provider.
                    i.server_try += 1;
                    self.m.server_retries += 1;
                    let tau = self.p.tau;
                    self.push_in(tau, Ev::ClaimPut(inst));
                } else if i.client_try < r.client_tries {
                    let k = i.client_try;
                    i.client_try += 1;
                    i.server_try = 0;
                    self.m.client_retries += 1;
                    self.m.claim_attempts += 1;
                    self.m.placement_put += 1;
                    let sleep = if r.sleep {
                        (self.rngs.sleep.uniform(0.0, 2.0 * f64::from(k)) * 1e6) as Micros
                    } else {
                        0
                    };
                    let d = self.hop(self.p.lat.put);
                    self.push_in(sleep + d, Ev::ClaimPut(inst));
                } else {
                    // The retry decorator gives up and returns False: a failed claim.
                    self.claim_result(inst, false);
                }
            }
            Err(PutError::CapacityExceeded(_)) | Err(PutError::ConstraintViolated(_)) => {
                self.m.capacity_conflicts += 1;
                self.claim_result(inst, false);
            }
        }
    }

    fn claim_result(&mut self, inst: u32, ok: bool) {
        match self.insts[inst as usize].claim_who {
            Who::Scheduler => self.scheduler_claimed(inst, ok),
            Who::SuperConductor => self.super_conductor_claimed(inst, ok),
            Who::CellConductor => self.cell_conductor_claimed(inst, ok),
        }
    }

    /// Pike's loop: on success consume and move on; on failure try the next weighed host.
    fn scheduler_claimed(&mut self, inst: u32, ok: bool) {
        let c = self.current_call(inst);
        if ok {
            let h = self.insts[inst as usize].claim_host;
            let f = self.insts[inst as usize].flavor;
            self.calls[c as usize].selected.push(h);
            self.consume(c, h, f);
            if self.p.policy.recovery == Recovery::Alternates
                && self.p.policy.alternate_timing == AlternateTiming::PerInstance
            {
                let pos = self.calls[c as usize].pos;
                self.per_instance_alternates(c, inst, h, pos + 1);
            }
            self.next_instance(c);
            return;
        }
        let call = &mut self.calls[c as usize];
        call.pos += 1;
        if let Some(h) = call.order.get(call.pos) {
            self.start_claim(inst, h, Who::Scheduler);
        } else {
            self.fail_call(c);
        }
    }

    fn current_call(&self, inst: u32) -> u32 {
        self.insts[inst as usize].call
    }

    fn sc_return(&mut self, c: u32) {
        let call = &self.calls[c as usize];
        if call.failed {
            return;
        }
        let instances = call.instances.clone();
        let reschedule = call.reschedule;
        for inst in instances {
            match self.p.policy.first_claim {
                FirstClaim::SuperConductor => {
                    let h = self.insts[inst as usize].selected.expect("selected");
                    self.start_claim(inst, h, Who::SuperConductor);
                }
                _ => {
                    if self.p.policy.first_claim == FirstClaim::Compute {
                        let h = self.insts[inst as usize].selected.expect("selected");
                        self.insts[inst as usize].host = Some(h);
                    }
                    let prep = if reschedule {
                        self.p.lat.cc
                    } else {
                        self.p.lat.sc
                    };
                    let d = self.hop(prep) + self.hop(self.p.lat.rpc);
                    self.cast_build(inst, d);
                }
            }
        }
    }

    fn cast_build(&mut self, inst: u32, delay: Micros) {
        self.m.compute_build_rpcs += 1;
        self.push_in(delay, Ev::BuildCast(inst));
    }

    /// The summit design: the super conductor claims the selected host, then the alternates.
    fn super_conductor_claimed(&mut self, inst: u32, ok: bool) {
        if ok {
            let d = self.hop(self.p.lat.sc) + self.hop(self.p.lat.rpc);
            self.cast_build(inst, d);
            return;
        }
        let i = &self.insts[inst as usize];
        if i.selected == Some(i.claim_host) && self.holds_phantom(i.worker, i.claim_host) {
            self.m.phantom_consumptions += 1;
        }
        match self.insts[inst as usize].alternates.pop_front() {
            Some((h, _)) => {
                self.m.alternates_used += 1;
                self.start_claim(inst, h, Who::SuperConductor);
            }
            None => {
                self.m.alternates_exhausted += 1;
                self.finish(inst, InstState::NoValidHost);
            }
        }
    }

    /// Whether worker `w`'s persistent view still holds a local consumption on `h` that no
    /// V_DB write has overwritten.
    fn holds_phantom(&self, w: u32, h: u32) -> bool {
        if matches!(self.p.cache, CacheMode::PerRequest | CacheMode::Strategy) {
            return false;
        }
        let db = self.db_row(h, self.now).updated.unwrap_or(0);
        self.workers[w as usize].map[h as usize].is_some_and(|v| v.updated.is_some_and(|u| u > db))
    }

    // ---- the compute ----

    fn build_cast(&mut self, inst: u32) -> Result<(), Box<Violation>> {
        let h = self.insts[inst as usize].host.expect("cast to a host");
        if self.p.policy.first_claim != FirstClaim::Compute
            && self
                .placement
                .allocation(inst)
                .is_none_or(|a| a.provider != h)
        {
            return Err(self.violation(format!(
                "orphan: instance {inst} cast to host {h} without an allocation there"
            )));
        }
        self.insts[inst as usize].state = InstState::Building;
        let host = &mut self.hosts[h as usize];
        let limit = self.p.max_concurrent_builds;
        if limit == 0 || host.active_builds < limit {
            host.active_builds += 1;
            let d = self.hop(self.p.lat.rt);
            self.push_in(d, Ev::RtClaim(inst));
        } else {
            host.queue.push_back(inst);
        }
        Ok(())
    }

    fn release_build_slot(&mut self, h: u32) {
        let host = &mut self.hosts[h as usize];
        host.active_builds -= 1;
        if let Some(next) = host.queue.pop_front() {
            host.active_builds += 1;
            let d = self.hop(self.p.lat.rt);
            self.push_in(d, Ev::RtClaim(next));
        }
    }

    fn rt_claim(&mut self, inst: u32) {
        let i = &self.insts[inst as usize];
        let (h, f) = (i.host.expect("building on a host"), i.flavor);
        if let Some(rf) = self.p.resource_filters {
            // Ocata: the claim is tested against the scheduler's limits under the RT lock; this
            // test is legacy's claim attempt.
            self.m.claim_attempts += 1;
            let truth = self.db_row(h, self.now);
            if !rf.passes(&truth, &f) {
                self.m.compute_rejections += 1;
                let w = self.insts[inst as usize].worker;
                if self.holds_phantom(w, h) {
                    self.m.phantom_consumptions += 1;
                }
                self.release_build_slot(h);
                self.insts[inst as usize].host = None;
                self.recover(inst, h);
                return;
            }
        }
        let host = &mut self.hosts[h as usize];
        for (u, a) in host.used.iter_mut().zip(f.amounts()) {
            *u += a;
        }
        host.building += 1;
        self.hosts[h as usize].last_write = self.now;
        self.dirty.push(h);
        if self.p.policy.first_claim == FirstClaim::Compute {
            // In Ocata the resource tracker's test is the claim.
            let i = &mut self.insts[inst as usize];
            if !i.claimed_once {
                i.claimed_once = true;
                let since = self.now - self.requests[i.req as usize].arrival;
                self.m.time_to_first_claim_us.push(since);
            }
            // Ocata's RT mirrors the allocation into Placement; a refusal is only logged.
            self.m.placement_put += 1;
            match self
                .placement
                .put(inst, h, f.amounts(), self.now, self.p.tau)
            {
                Ok(()) => {
                    self.wrote(h);
                    self.m.claims.push((h, self.now));
                }
                Err(_) => {
                    self.m.unenforced_oversubscription += 1;
                    self.insts[inst as usize].unenforced = true;
                }
            }
        }
        let d = self
            .rngs
            .spawn
            .lognormal(self.p.spawn_median_s, self.p.spawn_sigma);
        // Draw even on a bad host, so bad hosts do not shift the stream for the others.
        let fails = self.rngs.failure.chance(self.p.build_failure) | self.hosts[h as usize].bad;
        let at = if fails {
            d * self.rngs.failure.uniform(0.1, 1.0)
        } else {
            d
        };
        self.push_in((at * 1e6).round() as Micros, Ev::SpawnDone(inst, !fails));
    }

    fn spawn_done(&mut self, inst: u32, ok: bool) {
        let (h, f) = {
            let i = &self.insts[inst as usize];
            (i.host.expect("spawning on a host"), i.flavor)
        };
        self.release_build_slot(h);
        self.hosts[h as usize].building -= 1;
        if ok {
            self.hosts[h as usize].failed_builds = 0;
            self.hosts[h as usize].last_write = self.now;
            let t = self.now - self.requests[self.insts[inst as usize].req as usize].arrival;
            self.m.time_to_active_us.push(t);
            self.finish(inst, InstState::Active);
            return;
        }
        self.m.build_failures += 1;
        self.hosts[h as usize].failed_builds += 1;
        let host = &mut self.hosts[h as usize];
        for (u, a) in host.used.iter_mut().zip(f.amounts()) {
            *u -= a;
        }
        self.hosts[h as usize].last_write = self.now;
        self.dirty.push(h);
        // The compute deletes the allocation before retrying (bug 1712718's fix); without the
        // fix the allocation stays behind, to be replaced by the next claim or leaked.
        if self.p.delete_allocation_on_failure {
            self.undo_claim(inst);
        }
        self.insts[inst as usize].host = None;
        self.insts[inst as usize].unenforced = false;
        self.recover(inst, h);
    }

    fn recover(&mut self, inst: u32, failed_host: u32) {
        let i = &mut self.insts[inst as usize];
        i.tried.push(failed_host);
        i.state = InstState::Scheduling;
        let tried = i.tried.clone();
        match self.p.policy.recovery {
            Recovery::Reschedule => {
                i.attempts += 1;
                // With several cells the cell conductor cannot call up to the scheduler.
                if i.attempts > self.p.max_attempts || self.p.cells > 1 {
                    self.finish(inst, InstState::MaxRetries);
                    return;
                }
                self.m.reschedules += 1;
                let c = self.new_call(vec![inst], tried, true);
                let d =
                    self.hop(self.p.lat.rpc) + self.hop(self.p.lat.cc) + self.hop(self.p.lat.rpc);
                self.push_in(d, Ev::SchedRecv(c));
            }
            Recovery::Alternates => {
                let d = self.hop(self.p.lat.rpc) + self.hop(self.p.lat.cc);
                self.push_in(d, Ev::CellConductor(inst));
            }
            Recovery::OracleRepick => {
                i.attempts += 1;
                if i.attempts > self.p.max_attempts {
                    self.finish(inst, InstState::MaxRetries);
                    return;
                }
                self.m.reschedules += 1;
                if let Some(h) = self.oracle_place(inst) {
                    let d = self.hop(self.p.lat.cc) + self.hop(self.p.lat.rpc);
                    self.insts[inst as usize].host = Some(h);
                    self.cast_build(inst, d);
                } else {
                    self.finish(inst, InstState::MaxRetries);
                }
            }
        }
    }

    /// Queens' `build_instances(host_lists=...)`: pop alternates in this cell and claim each.
    fn cell_conductor(&mut self, inst: u32) {
        let cell = self.hosts[*self.insts[inst as usize]
            .tried
            .last()
            .expect("failed somewhere") as usize]
            .cell;
        loop {
            match self.insts[inst as usize].alternates.pop_front() {
                Some((h, _)) if self.hosts[h as usize].cell != cell => continue,
                Some((h, created)) => {
                    self.m.alternates_used += 1;
                    self.m.alternate_staleness_us.push(self.now - created);
                    self.insts[inst as usize].attempts += 1;
                    self.start_claim(inst, h, Who::CellConductor);
                    return;
                }
                None => {
                    self.m.alternates_exhausted += 1;
                    self.finish(inst, InstState::MaxRetries);
                    return;
                }
            }
        }
    }

    fn cell_conductor_claimed(&mut self, inst: u32, ok: bool) {
        if ok {
            let d = self.hop(self.p.lat.rpc);
            self.cast_build(inst, d);
        } else {
            self.m.alternate_claims_failed += 1;
            self.cell_conductor(inst);
        }
    }

    // ---- the oracle ----

    fn oracle_request(&mut self, instances: &[u32]) {
        self.m.scheduler_calls += 1;
        let mut placed = Vec::new();
        for &inst in instances {
            match self.oracle_place(inst) {
                Some(h) => placed.push((inst, h)),
                None => {
                    for &i in instances {
                        self.undo_claim(i);
                        self.finish(i, InstState::NoValidHost);
                    }
                    return;
                }
            }
        }
        for (inst, h) in placed {
            self.insts[inst as usize].host = Some(h);
            let d = self.hop(self.p.lat.api) + self.hop(self.p.lat.sc) + self.hop(self.p.lat.rpc);
            self.cast_build(inst, d);
        }
    }

    /// Perfect, instantaneous knowledge of Placement: weigh the hosts that fit now and claim
    /// the best one at once. Never conflicts.
    fn oracle_place(&mut self, inst: u32) -> Option<u32> {
        let i = &self.insts[inst as usize];
        let amounts = i.flavor.amounts();
        let hosts: Vec<(u32, HostView)> = (0..self.p.hosts)
            .filter(|h| !i.tried.contains(h) && self.placement.is_candidate(*h, &amounts))
            .map(|h| (h, self.placement_view(h)))
            .collect();
        let mut order = order_hosts(
            &hosts,
            &self.p.weighers,
            1,
            self.p.shuffle_ties,
            &mut self.workers[0].rng,
        );
        let h = order.get(0)?;
        self.m.claim_attempts += 1;
        self.m.placement_put += 1;
        self.placement
            .put(inst, h, amounts, self.now, 0)
            .expect("the oracle only picks candidates");
        self.wrote(h);
        self.m.claims.push((h, self.now));
        self.insts[inst as usize].host = Some(h);
        if !self.insts[inst as usize].claimed_once {
            self.insts[inst as usize].claimed_once = true;
            let since = self.now - self.requests[self.insts[inst as usize].req as usize].arrival;
            self.m.time_to_first_claim_us.push(since);
        }
        Some(h)
    }

    fn placement_view(&self, h: u32) -> HostView {
        let pr = &self.placement.providers[h as usize];
        let free = |i: usize| {
            pr.inventory[i].total as i64 - pr.inventory[i].reserved as i64 - pr.usage[i] as i64
        };
        HostView {
            free_ram_mb: free(1),
            free_disk_gb: free(2),
            vcpus_used: pr.usage[0] as i64,
            io_ops: i64::from(self.hosts[h as usize].building),
            failed_builds: self.hosts[h as usize].failed_builds,
            updated: Some(self.now),
        }
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
        if matches!(
            i.state,
            InstState::Active | InstState::NoValidHost | InstState::MaxRetries
        ) {
            return;
        }
        i.state = state;
        let (req, amounts) = (i.req, i.flavor.amounts());
        match state {
            InstState::Active => self.m.active += 1,
            InstState::NoValidHost => self.m.no_valid_host += 1,
            InstState::MaxRetries => self.m.max_retries_exceeded += 1,
            _ => unreachable!("finish with a terminal state"),
        }
        if state != InstState::Active
            && (0..self.p.hosts).any(|h| self.placement.is_candidate(h, &amounts))
        {
            // Some host had room in Placement when this instance gave up.
            self.m.false_no_valid_host += 1;
        }
        let r = &mut self.requests[req as usize];
        r.pending -= 1;
        if r.pending == 0 {
            self.live -= 1;
            self.m.end_us = self.now;
        }
    }

    // ---- invariants ----

    fn violation(&self, what: String) -> Box<Violation> {
        Box::new(Violation {
            strategy: self.p.strategy.name(),
            seed: self.seed,
            at_us: self.now,
            what,
            trace: self.ring.iter().map(|(t, e)| fmt_event(*t, e)).collect(),
        })
    }

    fn check_dirty(&mut self) -> Result<(), Box<Violation>> {
        if self.paranoid {
            self.dirty.extend(0..self.p.hosts);
        }
        while let Some(h) = self.dirty.pop() {
            let pr = &self.placement.providers[h as usize];
            for (i, inv) in pr.inventory.iter().enumerate() {
                if !inv.fits(0, pr.usage[i]) {
                    return Err(
                        self.violation(format!("overcommit on host {h}: usage {:?}", pr.usage))
                    );
                }
            }
            if pr.generation != 1 + self.writes[h as usize] {
                return Err(self.violation(format!(
                    "generation {} on host {h} but {} successful writes",
                    pr.generation, self.writes[h as usize]
                )));
            }
            if let Some(rf) = self.p.resource_filters {
                let truth = self.db_row(h, self.now);
                let zero = FlavorReq {
                    vcpu: 0,
                    memory_mb: 0,
                    disk_gb: 0,
                };
                if !rf.passes(&truth, &zero) {
                    return Err(self.violation(format!("compute {h} over its enforced limits")));
                }
            }
        }
        Ok(())
    }

    fn check_at_rest(&self) -> Result<(), Box<Violation>> {
        if self.live != 0 {
            return Err(self.violation(format!("liveness: {} requests never ended", self.live)));
        }
        let mut expected = self.fill_total;
        for (id, i) in self.insts.iter().enumerate() {
            let alloc = self.placement.allocation(id as u32);
            match i.state {
                InstState::Active if !i.unenforced => {
                    if alloc.is_none_or(|a| Some(a.provider) != i.host) {
                        return Err(self.violation(format!(
                            "ACTIVE instance {id} has no allocation on its host"
                        )));
                    }
                    for (e, a) in expected.iter_mut().zip(i.flavor.amounts()) {
                        *e += a;
                    }
                }
                InstState::Active => {}
                InstState::NoValidHost | InstState::MaxRetries => {
                    if alloc.is_some() {
                        return Err(self
                            .violation(format!("leak: failed instance {id} holds an allocation")));
                    }
                }
                s => return Err(self.violation(format!("liveness: instance {id} ended in {s:?}"))),
            }
        }
        let mut total = [0u64; 3];
        for (_, a) in self.placement.allocations() {
            for (t, x) in total.iter_mut().zip(a.amounts) {
                *t += x;
            }
        }
        if total != expected {
            return Err(self.violation(format!(
                "allocations {total:?} but ACTIVE flavors and fill sum to {expected:?}"
            )));
        }
        let unenforced = self.insts.iter().any(|i| i.unenforced);
        for (h, host) in self.hosts.iter().enumerate() {
            if !unenforced && host.used != self.placement.providers[h].usage {
                return Err(self.violation(format!(
                    "host {h}: compute usage {:?} disagrees with Placement",
                    host.used
                )));
            }
        }
        Ok(())
    }
}

/// The `ComputeNode` row: the compute's usage, stamped with its last write, which is the later
/// of the last change and the last periodic `update_available_resource` at or before `now`.
fn db_row(p: &Params, host: &Host, now: Micros) -> HostView {
    let inv = &p.inventory;
    let free = |i: usize| inv[i].total as i64 - inv[i].reserved as i64 - host.used[i] as i64;
    let periodic = if now >= host.phase {
        host.phase + (now - host.phase) / p.periodic.max(1) * p.periodic.max(1)
    } else {
        0
    };
    HostView {
        free_ram_mb: free(1),
        free_disk_gb: free(2),
        vcpus_used: host.used[0] as i64,
        io_ops: i64::from(host.building),
        failed_builds: host.failed_builds,
        updated: Some(host.last_write.max(periodic)),
    }
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
        assert!(
            v.what
                .contains("generation 2 on host 0 but 0 successful writes"),
            "{}",
            v.what
        );
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
