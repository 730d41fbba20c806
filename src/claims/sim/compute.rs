//! The compute and what follows a build: the build semaphore, the resource tracker's claim,
//! the spawn, and recovery by reschedule or by the cell conductor's alternates.

use super::*;

impl Sim<'_> {
    pub(super) fn build_cast(&mut self, inst: InstId) -> Result<(), Box<Violation>> {
        let h = self.insts[inst].host.expect("cast to a host");
        if self.p.policy.first_claim != FirstClaim::Compute
            && self.placement.allocation(inst).is_none_or(|a| a.provider != h)
        {
            return Err(self.violation(format!("orphan: instance {inst} cast to host {h} without an allocation there")));
        }
        self.insts[inst].state = InstState::Building;
        self.note(|| format!("instance {inst} to host {h}"));
        let host = &mut self.hosts[h];
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

    pub(super) fn release_build_slot(&mut self, h: HostId) {
        let host = &mut self.hosts[h];
        host.active_builds -= 1;
        if let Some(next) = host.queue.pop_front() {
            host.active_builds += 1;
            let d = self.hop(self.p.lat.rt);
            self.push_in(d, Ev::RtClaim(next));
        }
    }

    pub(super) fn rt_claim(&mut self, inst: InstId) {
        let i = &self.insts[inst];
        let (h, f) = (i.host.expect("building on a host"), i.flavor);
        if let Some(rf) = self.p.resource_filters {
            // Ocata: the claim is tested against the scheduler's limits under the RT lock; this
            // test is legacy's claim attempt.
            self.m.claim_attempts += 1;
            let truth = self.truth(h);
            if !rf.passes(&truth, &f) {
                self.m.compute_rejections += 1;
                self.note(|| format!("host {h} rejects instance {inst}: over its limits"));
                let w = self.insts[inst].worker;
                self.note_phantom(w, h);
                self.release_build_slot(h);
                self.insts[inst].host = None;
                self.recover(inst, h);
                return;
            }
        }
        let host = &mut self.hosts[h];
        for (u, a) in host.used.iter_mut().zip(f.amounts()) {
            *u += a;
        }
        host.building += 1;
        self.write_row(h);
        self.dirty.push(h);
        if self.p.policy.first_claim == FirstClaim::Compute {
            // In Ocata the resource tracker's test is the claim.
            let i = &mut self.insts[inst];
            if !i.claimed_once {
                i.claimed_once = true;
                let since = self.now - self.requests[i.req].arrival;
                self.m.time_to_first_claim_us.push(since);
            }
            // Ocata's RT mirrors the allocation into Placement; a refusal is only logged.
            self.m.placement_put += 1;
            match self.placement.put(inst, h, f.amounts(), self.now, self.p.tau) {
                Ok(()) => {
                    self.wrote(h);
                    self.m.claims.push((h, self.now));
                }
                Err(_) => {
                    self.m.unenforced_oversubscription += 1;
                    self.insts[inst].unenforced = true;
                }
            }
        }
        let d = self.rngs.spawn.lognormal(self.p.spawn_median_s, self.p.spawn_sigma);
        // Draw even on a bad host, so bad hosts do not shift the stream for the others.
        let fails = self.rngs.failure.chance(self.p.build_failure) | self.hosts[h].bad;
        let at = if fails { d * self.rngs.failure.uniform(0.1, 1.0) } else { d };
        self.push_in((at * 1e6).round() as Micros, Ev::SpawnDone(inst, !fails));
    }

    pub(super) fn spawn_done(&mut self, inst: InstId, ok: bool) {
        let (h, f) = {
            let i = &self.insts[inst];
            (i.host.expect("spawning on a host"), i.flavor)
        };
        self.release_build_slot(h);
        self.hosts[h].building -= 1;
        self.note(|| format!("instance {inst} on host {h}: {}", if ok { "spawned" } else { "build failed" }));
        if ok {
            self.hosts[h].failed_builds = 0;
            // The compute saves the instance, not its row: the next periodic task will.
            self.schedule_periodic(h);
            let t = self.now - self.requests[self.insts[inst].req].arrival;
            self.m.time_to_active_us.push(t);
            self.finish(inst, InstState::Active);
            return;
        }
        self.m.build_failures += 1;
        self.hosts[h].failed_builds += 1;
        let host = &mut self.hosts[h];
        for (u, a) in host.used.iter_mut().zip(f.amounts()) {
            *u -= a;
        }
        // `abort_instance_claim` writes the row.
        self.write_row(h);
        self.dirty.push(h);
        // The compute deletes the allocation before retrying (bug 1712718's fix); without the
        // fix the allocation stays behind, to be replaced by the next claim or leaked.
        if self.p.delete_allocation_on_failure {
            self.undo_claim(inst);
        }
        self.insts[inst].host = None;
        self.insts[inst].unenforced = false;
        self.recover(inst, h);
    }

    pub(super) fn recover(&mut self, inst: InstId, failed_host: HostId) {
        let i = &mut self.insts[inst];
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
                let d = self.hop(self.p.lat.rpc) + self.hop(self.p.lat.cc) + self.hop(self.p.lat.rpc);
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
                    self.insts[inst].host = Some(h);
                    self.cast_build(inst, d);
                } else {
                    self.finish(inst, InstState::MaxRetries);
                }
            }
        }
    }

    /// Queens' `build_instances(host_lists=...)`: pop alternates in this cell and claim each.
    pub(super) fn cell_conductor(&mut self, inst: InstId) {
        let cell = self.hosts[*self.insts[inst].tried.last().expect("failed somewhere")].cell;
        loop {
            match self.insts[inst].alternates.pop_front() {
                Some((h, _)) if self.hosts[h].cell != cell => continue,
                Some((h, created)) => {
                    self.note(|| format!("instance {inst} tries alternate host {h}"));
                    self.m.alternates_used += 1;
                    self.m.alternate_staleness_us.push(self.now - created);
                    self.insts[inst].attempts += 1;
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

    pub(super) fn cell_conductor_claimed(&mut self, inst: InstId, ok: bool) {
        if ok {
            let d = self.hop(self.p.lat.rpc);
            self.cast_build(inst, d);
        } else {
            self.m.alternate_claims_failed += 1;
            self.cell_conductor(inst);
        }
    }
}
