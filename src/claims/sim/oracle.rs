//! The oracle: a serial scheduler that sees Placement itself, the baseline for regret.

use super::*;

impl Sim<'_> {
    pub(super) fn oracle_request(&mut self, instances: &[InstId]) {
        self.m.scheduler_calls += 1;
        let mut placed = Vec::new();
        for &inst in instances {
            match self.oracle_place(inst) {
                Some(h) => placed.push((inst, h)),
                None => return self.no_valid_host(instances),
            }
        }
        for (inst, h) in placed {
            self.insts[inst].host = Some(h);
            let d = self.hop(self.p.lat.api) + self.hop(self.p.lat.sc) + self.hop(self.p.lat.rpc);
            self.cast_build(inst, d);
        }
    }

    /// Perfect, instantaneous knowledge of Placement: weigh the hosts that fit now and claim
    /// the best one at once. Never conflicts.
    pub(super) fn oracle_place(&mut self, inst: InstId) -> Option<HostId> {
        let i = &self.insts[inst];
        let amounts = i.flavor.amounts();
        let hosts: Vec<(HostId, HostView)> = ids::<HostId>(self.p.hosts)
            .filter(|h| !i.tried.contains(h) && self.placement.is_candidate(*h, &amounts))
            .map(|h| (h, self.placement_view(h)))
            .collect();
        let mut order =
            order_hosts(&hosts, &self.p.weighers, 1, self.p.shuffle_ties, &mut self.workers[WorkerId(0)].rng);
        let h = order.get(0)?;
        self.m.claim_attempts += 1;
        self.m.placement_put += 1;
        self.placement.put(inst, h, amounts, self.now, 0).expect("the oracle only picks candidates");
        self.wrote(h);
        self.m.claims.push((h, self.now));
        self.insts[inst].host = Some(h);
        if !self.insts[inst].claimed_once {
            self.insts[inst].claimed_once = true;
            let since = self.now - self.requests[self.insts[inst].req].arrival;
            self.m.time_to_first_claim_us.push(since);
        }
        Some(h)
    }

    pub(super) fn placement_view(&self, h: HostId) -> HostView {
        let pr = &self.placement.providers[h];
        let free = |i: usize| pr.inventory[i].total as i64 - pr.inventory[i].reserved as i64 - pr.usage[i] as i64;
        HostView {
            free_ram_mb: free(1),
            free_disk_gb: free(2),
            vcpus_used: pr.usage[0] as i64,
            io_ops: i64::from(self.hosts[h].building),
            failed_builds: self.hosts[h].failed_builds,
            updated: Some(self.now),
        }
    }
}
