//! The scheduler side: API arrival, the candidates query, the cell DB read, the worker's
//! atomic CPU section (views, filters, weighers, choice), alternates and NoValidHost.

use super::*;

impl Sim<'_> {
    pub(super) fn arrive(&mut self, r: ReqId) {
        let req = self.requests[r].clone();
        let instances: Vec<InstId> = (req.first.0..req.first.0 + req.count).map(InstId).collect();
        if self.p.policy.first_claim == FirstClaim::Oracle {
            self.oracle_request(&instances);
            return;
        }
        let c = self.new_call(instances, Vec::new(), false);
        let d = self.hop(self.p.lat.api) + self.hop(self.p.lat.rpc);
        self.push_in(d, Ev::SchedRecv(c));
    }

    pub(super) fn new_call(&mut self, instances: Vec<InstId>, retry_hosts: Vec<HostId>, reschedule: bool) -> CallId {
        let c = self.calls.next_id();
        for &i in &instances {
            self.insts[i].call = c;
        }
        self.calls.push(Call { instances, retry_hosts, reschedule, ..Call::default() });
        c
    }

    pub(super) fn sched_recv(&mut self, c: CallId) {
        self.m.scheduler_calls += 1;
        let w = if self.p.random_dispatch {
            WorkerId(self.rngs.dispatch.below(u64::from(self.p.workers)) as u32)
        } else {
            let w = self.next_worker;
            self.next_worker = (w + 1) % self.p.workers;
            WorkerId(w)
        };
        self.calls[c].worker = w;
        self.m.placement_get_candidates += 1;
        // The query scans every provider with inventory; the answer is truncated to `limit`.
        let n = u64::from(self.p.hosts.min(self.p.limit));
        let d = self.p.lat.cand_base + n * self.p.lat.cand_per_host_ns / 1000;
        let d = self.hop(d);
        self.push_in(d, Ev::CandidatesDone(c));
    }

    /// `GET /allocation_candidates`, answered from Placement as it is now (t_q): providers in
    /// id order, or a seeded permutation when randomised, truncated to `limit`.
    pub(super) fn candidates_done(&mut self, c: CallId) {
        let amounts = self.insts[self.calls[c].instances[0]].flavor.amounts();
        let limit = self.p.limit as usize;
        // Every provider carries the scenario's inventory, so the unit constraints (min, max,
        // step) are the same for all of them: check once, then only capacity per provider.
        let units_ok = self.p.hosts > 0 && self.placement.units_ok(HostId(0), &amounts);
        let fits = |h: &HostId| units_ok && self.placement.has_room(*h, &amounts);
        let mut cands: Vec<HostId> = if self.p.randomize_candidates {
            let mut all: Vec<HostId> = ids(self.p.hosts).filter(fits).collect();
            self.rngs.candidates.shuffle(&mut all);
            all.truncate(limit);
            all
        } else {
            ids(self.p.hosts).filter(fits).take(limit).collect()
        };
        // Legacy's Ocata prefilter carries no allocation requests; treat it the same way.
        cands.sort_unstable();
        let n = cands.len() as u64;
        if self.p.coarse {
            self.calls[c].gens = cands.iter().map(|h| self.placement.providers[*h].generation).collect();
        }
        self.calls[c].cands = cands;
        let d = self.p.lat.db_base + n * self.p.lat.db_per_host_ns / 1000;
        let d = self.hop(d);
        self.push_in(d, Ev::DbDone(c));
    }

    pub(super) fn db_done(&mut self, c: CallId) {
        let call = &mut self.calls[c];
        call.rows = call.cands.iter().map(|h| (*h, self.hosts[*h].row)).collect();
        if self.evicts() {
            // Pike merges the rows into the worker's map as it reads them, and yields for each host's instance
            // list before it evicts and iterates; another request's section can run in between. The rows are
            // merged here, eviction and iteration wait for this call's section.
            self.merge_rows(c);
        }
        self.queue_cpu(c);
    }

    /// Whether cached hosts missing from a request's candidates are evicted (bug 1742827).
    fn evicts(&self) -> bool {
        self.p.evict_unseen && self.p.cache == CacheMode::Persistent
    }

    /// `HostState.update` for each row the call read: a row newer than the worker's view replaces it, and ends
    /// the phantom the worker held there. Once per call.
    fn merge_rows(&mut self, c: CallId) {
        let call = &mut self.calls[c];
        if std::mem::replace(&mut call.merged, true) {
            return;
        }
        let w = call.worker;
        let worker = &mut self.workers[w];
        let mut read = Vec::new();
        for (h, row) in &call.rows {
            let slot = &mut worker.map[*h];
            let replaced = match slot {
                Some(v) => v.refresh_from(row),
                None => {
                    *slot = Some(*row);
                    true
                }
            };
            if replaced && std::mem::take(&mut worker.local[*h]) {
                read.push(*h);
            }
        }
        for h in read {
            self.end_phantoms(w, Some(h));
        }
    }

    /// Pike's "dead nodes": every host in the worker's map that is not among this call's candidates is dropped,
    /// with any local consumption on it. Hosts of another request's candidates, merged but not yet iterated by
    /// it, go too: that request then finds fewer hosts than it read.
    fn evict_unseen(&mut self, c: CallId) {
        let call = &self.calls[c];
        let w = call.worker;
        let worker = &mut self.workers[w];
        let mut evicted = Vec::new();
        for (h, slot) in worker.map.iter_mut_enumerated() {
            if slot.is_some() && call.cands.binary_search(&h).is_err() {
                *slot = None;
                worker.local[h] = false;
                evicted.push(h);
            }
        }
        if !evicted.is_empty() {
            self.note(|| format!("worker {w} evicts hosts {evicted:?}, not among call {c}'s candidates"));
            for h in evicted {
                self.end_phantoms(w, Some(h));
            }
        }
    }

    /// The CPU section of one worker is atomic (eventlet never yields in filter/weigh), so
    /// sections queue behind each other, in arrival order.
    pub(super) fn queue_cpu(&mut self, c: CallId) {
        let w = self.calls[c].worker;
        if self.workers[w].busy {
            self.workers[w].waiting.push_back(c);
        } else {
            self.workers[w].busy = true;
            self.push_in(0, Ev::CpuStart(c));
        }
    }

    /// The scheduler's view of the call's candidates, per the cache mode.
    pub(super) fn view(&mut self, c: CallId) -> Vec<(HostId, HostView)> {
        let now = self.now;
        let call = &mut self.calls[c];
        let worker = &mut self.workers[call.worker];
        match self.p.cache {
            CacheMode::PerRequest | CacheMode::AsReleased => {
                // The last instance of the call can have the rows themselves.
                let mut v = if call.cur + 1 == call.instances.len() {
                    std::mem::take(&mut call.rows)
                } else {
                    call.rows.clone()
                };
                for h in &call.local {
                    if let Ok(i) = call.cands.binary_search(h) {
                        let f = self.insts[call.instances[0]].flavor;
                        v[i].1.consume(&f, now);
                    }
                }
                v
            }
            CacheMode::Persistent => {
                let first_section = !call.merged || call.cur == 0;
                self.merge_rows(c);
                if first_section && self.evicts() {
                    self.evict_unseen(c);
                }
                let call = &self.calls[c];
                let map = &self.workers[call.worker].map;
                call.cands
                    .iter()
                    .zip(&call.rows)
                    .filter_map(|(&h, &(_, row))| match map[h] {
                        Some(view) => Some((h, view)),
                        // Evicted before this call's first section: Pike iterates the map, so the host is gone.
                        None if first_section => None,
                        // Evicted by another call since: Pike keeps the host objects of its first section, which
                        // are approximated by the row this call read.
                        None => Some((h, row)),
                    })
                    .collect()
            }
            CacheMode::Periodic => {
                let w = call.worker;
                let refresh = worker.map[HostId(0)].is_none() || now - worker.last_refresh >= self.p.cache_refresh;
                if refresh {
                    worker.last_refresh = now;
                    for (h, slot) in worker.map.iter_mut_enumerated() {
                        *slot = Some(self.hosts[h].row);
                    }
                    worker.local.fill(false);
                }
                let v = call.cands.iter().map(|h| (*h, worker.map[*h].expect("refreshed"))).collect();
                if refresh {
                    self.end_phantoms(w, None);
                }
                v
            }
        }
    }

    pub(super) fn consume(&mut self, c: CallId, h: HostId, f: FlavorReq) {
        let now = self.now;
        let call = &mut self.calls[c];
        match self.p.cache {
            CacheMode::PerRequest | CacheMode::AsReleased => call.local.push(h),
            _ => {
                let worker = &mut self.workers[call.worker];
                if let Some(v) = &mut worker.map[h] {
                    v.consume(&f, now);
                    worker.local[h] = true;
                }
            }
        }
    }

    /// The decision is taken when the section starts, from the view as it is then: nothing
    /// else runs in this worker until the section ends, so nothing can change it meanwhile.
    pub(super) fn cpu_start(&mut self, c: CallId) {
        let mut filtered = self.view(c);
        let call = &self.calls[c];
        let inst = call.instances[call.cur];
        let f = self.insts[inst].flavor;
        self.insts[inst].worker = call.worker;
        if !call.retry_hosts.is_empty() || self.p.resource_filters.is_some() {
            filtered.retain(|(h, v)| {
                !call.retry_hosts.contains(h) && self.p.resource_filters.is_none_or(|rf| rf.passes(v, &f))
            });
        }
        let w = call.worker;
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
        self.note(|| match chosen {
            Some(h) => format!("worker {w} picks host {h} for instance {inst}"),
            None => format!("worker {w} finds no host for instance {inst}"),
        });
        let call = &mut self.calls[c];
        call.no_host = chosen.is_none();
        call.order = order;
        call.pos = 0;
        if let Some(h) = chosen
            && self.p.policy.first_claim != FirstClaim::Scheduler
        {
            // Select without claiming (legacy, summit): consume now, claim later elsewhere.
            call.selected.push(h);
            self.insts[inst].selected = Some(h);
            self.consume(c, h, f);
            if self.p.policy.first_claim == FirstClaim::SuperConductor {
                self.per_instance_alternates(c, inst, h, 1);
            }
        }
        self.push_in(d, Ev::CpuDone(c));
    }

    pub(super) fn cpu_done(&mut self, c: CallId) {
        let w = self.calls[c].worker;
        self.workers[w].busy = false;
        let call = &mut self.calls[c];
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
    pub(super) fn per_instance_alternates(&mut self, c: CallId, inst: InstId, h: HostId, from: usize) {
        let cell = self.hosts[h].cell;
        let cells = self.p.policy.alternate_cells;
        let call = &mut self.calls[c];
        let mut alts = VecDeque::new();
        let mut i = from;
        while alts.len() < self.p.num_alternates as usize {
            let Some(a) = call.order.get(i) else { break };
            i += 1;
            if !call.selected.contains(&a) && (cells == AlternateCells::AnyCell || self.hosts[a].cell == cell) {
                alts.push_back((a, self.now));
            }
        }
        self.insts[inst].alternates = alts;
    }

    pub(super) fn next_instance(&mut self, c: CallId) {
        let call = &mut self.calls[c];
        call.cur += 1;
        if call.cur < call.instances.len() {
            self.queue_cpu(c);
            return;
        }
        if self.p.policy.alternate_timing == AlternateTiming::AfterAll && self.p.policy.recovery == Recovery::Alternates
        {
            self.queens_alternates(c);
        }
        self.release_buffers(c);
        let d = self.hop(self.p.lat.rpc);
        self.push_in(d, Ev::ScReturn(c));
    }

    /// Queens: after all claims, for each selected host walk the last sorted list for hosts in
    /// the same cell, not selected for this request; failed hosts are not excluded.
    pub(super) fn queens_alternates(&mut self, c: CallId) {
        let call = &mut self.calls[c];
        for &inst in &call.instances {
            let h = self.insts[inst].host.expect("claimed");
            let cell = self.hosts[h].cell;
            let mut alts = VecDeque::new();
            let mut i = 0;
            while alts.len() < self.p.num_alternates as usize {
                let Some(a) = call.order.get(i) else { break };
                i += 1;
                if !call.selected.contains(&a) && self.hosts[a].cell == cell {
                    alts.push_back((a, self.now));
                }
            }
            self.insts[inst].alternates = alts;
        }
    }

    /// A finished call's per-host buffers are dead weight (megabytes over a run at 1,000
    /// hosts); only coarse mode still needs the generations seen at the query, for alternates.
    pub(super) fn release_buffers(&mut self, c: CallId) {
        let call = &mut self.calls[c];
        call.rows = Vec::new();
        call.order = Ranking::default();
        if !self.p.coarse {
            call.cands = Vec::new();
        }
    }

    /// NoValidHost for the whole call: all-or-nothing per request (`_ensure_sufficient_hosts`).
    pub(super) fn fail_call(&mut self, c: CallId) {
        self.release_buffers(c);
        let call = &mut self.calls[c];
        call.failed = true;
        let instances = call.instances.clone();
        let selected = call.selected.clone();
        let w = call.worker;
        if self.p.cache == CacheMode::Persistent {
            for h in selected {
                if let Some(v) = &mut self.workers[w].map[h] {
                    v.updated = None;
                }
            }
        }
        self.no_valid_host(&instances);
    }

    /// A request fails whole: every claim its instances hold is deleted, then each ends in NoValidHost.
    pub(super) fn no_valid_host(&mut self, instances: &[InstId]) {
        for &inst in instances {
            self.undo_claim(inst);
        }
        for &inst in instances {
            self.finish(inst, InstState::NoValidHost);
        }
    }

    /// Delete the allocation this instance's current placement holds, if it has one.
    pub(super) fn undo_claim(&mut self, inst: InstId) {
        if let Some(h) = self.insts[inst].host
            && self.placement.delete_at(inst, self.now, self.p.tau > 0)
        {
            // Not a generation-bumping write in Placement: only re-check the provider.
            self.dirty.push(h);
            self.m.placement_delete += 1;
            self.m.wasted_claims += 1;
        }
        self.insts[inst].host = None;
    }
}
