//! Claims: `GET /allocations` then `PUT` with the release's client and server retries, and
//! what each claimer (scheduler, super conductor) does with the answer.

use super::*;

impl Sim<'_> {
    pub(super) fn start_claim(&mut self, inst: InstId, h: HostId, who: Who) {
        let expected = if self.p.coarse {
            let call = &self.calls[self.insts[inst].call];
            call.cands.binary_search(&h).ok().map(|k| call.gens[k])
        } else {
            None
        };
        self.insts[inst].expected_gen = expected;
        let i = &mut self.insts[inst];
        i.claim_host = h;
        i.claim_who = who;
        i.client_try = 1;
        i.server_try = 0;
        if !i.claimed_once {
            i.claimed_once = true;
            let since = self.now - self.requests[i.req].arrival;
            self.m.time_to_first_claim_us.push(since);
        }
        self.m.placement_get_allocations += 1;
        let d = self.hop(self.p.lat.get);
        self.push_in(d, Ev::ClaimGet(inst));
    }

    pub(super) fn claim_put(&mut self, inst: InstId) {
        let i = &self.insts[inst];
        let (h, amounts) = (i.claim_host, i.flavor.amounts());
        let expected = self.insts[inst].expected_gen;
        match self.placement.put_at_generation(inst, h, amounts, self.now, self.p.tau, expected) {
            Ok(()) => {
                self.note(|| format!("instance {inst} claims host {h}"));
                self.wrote(h);
                self.m.claims.push((h, self.now));
                self.insts[inst].host = Some(h);
                self.claim_result(inst, true);
            }
            Err(PutError::StaleGeneration) => {
                // Coarse mode: the generation came from the candidates query, so sending it
                // again cannot succeed. One conflict, and the caller moves on.
                self.note(|| format!("host {h}: 409 stale generation"));
                self.m.generation_conflicts += 1;
                self.claim_result(inst, false);
            }
            Err(PutError::ConcurrentUpdate) => {
                let r = self.p.retries;
                let i = &mut self.insts[inst];
                if i.server_try < r.server_retries {
                    // Placement retries its own transaction after reloading the provider; the
                    // client never sees this conflict.
                    i.server_try += 1;
                    self.m.server_retries += 1;
                    self.note(|| format!("host {h}: concurrently updated, Placement retries"));
                    let tau = self.p.tau;
                    self.push_in(tau, Ev::ClaimPut(inst));
                    return;
                }
                self.note(|| format!("host {h}: 409 concurrently updated"));
                self.m.generation_conflicts += 1;
                let i = &mut self.insts[inst];
                if i.client_try < r.client_tries {
                    // Nova's `@retries` wraps `claim_resources`, so a retry runs the GET again
                    // before its PUT.
                    let k = i.client_try;
                    i.client_try += 1;
                    i.server_try = 0;
                    self.m.client_retries += 1;
                    self.m.placement_get_allocations += 1;
                    let sleep =
                        if r.sleep { (self.rngs.sleep.uniform(0.0, 2.0 * f64::from(k)) * 1e6) as Micros } else { 0 };
                    let d = self.hop(self.p.lat.get);
                    self.push_in(sleep + d, Ev::ClaimGet(inst));
                } else {
                    // The retry decorator gives up and returns False: a failed claim.
                    self.claim_result(inst, false);
                }
            }
            Err(PutError::CapacityExceeded(_)) | Err(PutError::ConstraintViolated(_)) => {
                self.note(|| format!("host {h}: 409 capacity exceeded"));
                self.m.capacity_conflicts += 1;
                self.claim_result(inst, false);
            }
        }
    }

    pub(super) fn claim_result(&mut self, inst: InstId, ok: bool) {
        match self.insts[inst].claim_who {
            Who::Scheduler => self.scheduler_claimed(inst, ok),
            Who::SuperConductor => self.super_conductor_claimed(inst, ok),
            Who::CellConductor => self.cell_conductor_claimed(inst, ok),
        }
    }

    /// Pike's loop: on success consume and move on; on failure try the next weighed host.
    pub(super) fn scheduler_claimed(&mut self, inst: InstId, ok: bool) {
        let c = self.current_call(inst);
        if ok {
            let h = self.insts[inst].claim_host;
            let f = self.insts[inst].flavor;
            self.calls[c].selected.push(h);
            self.consume(c, h, f);
            if self.p.policy.recovery == Recovery::Alternates
                && self.p.policy.alternate_timing == AlternateTiming::PerInstance
            {
                let pos = self.calls[c].pos;
                self.per_instance_alternates(c, inst, h, pos + 1);
            }
            self.next_instance(c);
            return;
        }
        let call = &mut self.calls[c];
        call.pos += 1;
        if let Some(h) = call.order.get(call.pos) {
            self.start_claim(inst, h, Who::Scheduler);
        } else {
            self.fail_call(c);
        }
    }

    pub(super) fn current_call(&self, inst: InstId) -> CallId {
        self.insts[inst].call
    }

    pub(super) fn sc_return(&mut self, c: CallId) {
        let call = &self.calls[c];
        if call.failed {
            return;
        }
        let instances = call.instances.clone();
        let reschedule = call.reschedule;
        self.calls[c].sc_pending = instances.len();
        for inst in instances {
            match self.p.policy.first_claim {
                FirstClaim::SuperConductor => {
                    let h = self.insts[inst].selected.expect("selected");
                    self.start_claim(inst, h, Who::SuperConductor);
                }
                _ => {
                    if self.p.policy.first_claim == FirstClaim::Compute {
                        let h = self.insts[inst].selected.expect("selected");
                        self.insts[inst].host = Some(h);
                    }
                    let prep = if reschedule { self.p.lat.cc } else { self.p.lat.sc };
                    let d = self.hop(prep) + self.hop(self.p.lat.rpc);
                    self.cast_build(inst, d);
                }
            }
        }
    }

    pub(super) fn cast_build(&mut self, inst: InstId, delay: Micros) {
        self.m.compute_build_rpcs += 1;
        self.push_in(delay, Ev::BuildCast(inst));
    }

    /// The summit design: the super conductor claims the selected host, then the alternates.
    /// A multi-create is all-or-nothing, as `_ensure_sufficient_hosts` makes it in the
    /// scheduler: builds are cast only once every instance holds a claim, and an instance
    /// whose list runs out fails the whole request, whose claims are deleted.
    pub(super) fn super_conductor_claimed(&mut self, inst: InstId, ok: bool) {
        let c = self.current_call(inst);
        if self.calls[c].failed {
            // A sibling already failed the request: this claim's answer came too late.
            if ok {
                self.undo_claim(inst);
            }
            return;
        }
        if ok {
            let call = &mut self.calls[c];
            call.sc_pending -= 1;
            if call.sc_pending == 0 {
                for inst in call.instances.clone() {
                    let d = self.hop(self.p.lat.sc) + self.hop(self.p.lat.rpc);
                    self.cast_build(inst, d);
                }
            }
            return;
        }
        let i = &self.insts[inst];
        if i.selected == Some(i.claim_host) {
            self.note_phantom(i.worker, i.claim_host);
        }
        match self.insts[inst].alternates.pop_front() {
            Some((h, _)) => {
                self.m.alternates_used += 1;
                self.start_claim(inst, h, Who::SuperConductor);
            }
            None => {
                self.m.alternates_exhausted += 1;
                self.calls[c].failed = true;
                let instances = self.calls[c].instances.clone();
                self.no_valid_host(&instances);
            }
        }
    }

    /// Whether worker `w`'s view (persistent or periodic) still holds a local consumption on
    /// `h` that no row it has read since replaced, and since when.
    pub(super) fn holds_phantom(&self, w: WorkerId, h: HostId) -> Option<Micros> {
        if !matches!(self.p.cache, CacheMode::Persistent | CacheMode::Periodic) {
            return None;
        }
        let worker = &self.workers[w];
        if !worker.local[h] {
            return None;
        }
        worker.map[h].and_then(|v| v.updated)
    }

    /// Count a phantom on `h` if worker `w` holds one, and start timing its life: it lasts
    /// until `w` next reads a row of `h` that replaces its view (not until the row is
    /// written: a worker sees a write only when it reads), or to the end of the run.
    pub(super) fn note_phantom(&mut self, w: WorkerId, h: HostId) {
        if let Some(since) = self.holds_phantom(w, h) {
            self.m.phantom_consumptions += 1;
            self.phantoms.push((w, h, since));
        }
    }

    /// Worker `w` read a row that replaced its view of `h` (of every host, for `None`): the
    /// phantoms it held there end now.
    pub(super) fn end_phantoms(&mut self, w: WorkerId, h: Option<HostId>) {
        let now = self.now;
        let mut ended = 0;
        self.phantoms.retain(|&(worker, host, since)| {
            if worker != w || h.is_some_and(|h| h != host) {
                return true;
            }
            ended += now - since;
            false
        });
        self.m.phantom_lifetime_us += ended;
    }
}
