//! Invariants, checked after every event on the providers it touched and at rest on
//! everything (MODEL.md §6); a failure becomes a [`Violation`] with the seed and recent events.

use super::*;

impl Sim<'_> {
    pub(super) fn violation(&self, what: String) -> Box<Violation> {
        Box::new(Violation {
            strategy: self.p.strategy.name(),
            seed: self.seed,
            at_us: self.now,
            what,
            trace: self.ring.iter().map(|(t, e)| fmt_event(*t, e)).collect(),
        })
    }

    pub(super) fn check_dirty(&mut self) -> Result<(), Box<Violation>> {
        if self.paranoid {
            self.dirty.extend(ids::<HostId>(self.p.hosts));
        }
        while let Some(h) = self.dirty.pop() {
            let pr = &self.placement.providers[h];
            for (i, inv) in pr.inventory.iter().enumerate() {
                if !inv.fits(0, pr.usage[i]) {
                    return Err(self.violation(format!("overcommit on host {h}: usage {:?}", pr.usage)));
                }
            }
            if pr.generation != 1 + self.writes[h] {
                return Err(self.violation(format!(
                    "generation {} on host {h} but {} successful writes",
                    pr.generation, self.writes[h]
                )));
            }
            if let Some(rf) = self.p.resource_filters {
                let truth = self.truth(h);
                let zero = FlavorReq { vcpu: 0, memory_mb: 0, disk_gb: 0 };
                if !rf.passes(&truth, &zero) {
                    return Err(self.violation(format!("compute {h} over its enforced limits")));
                }
            }
        }
        Ok(())
    }

    pub(super) fn check_at_rest(&self) -> Result<(), Box<Violation>> {
        if self.live != 0 {
            return Err(self.violation(format!("liveness: {} requests never ended", self.live)));
        }
        let mut expected = self.fill_total;
        for (id, i) in self.insts.iter_enumerated() {
            let alloc = self.placement.allocation(id);
            match i.state {
                InstState::Active if !i.unenforced => {
                    if alloc.is_none_or(|a| Some(a.provider) != i.host) {
                        return Err(self.violation(format!("ACTIVE instance {id} has no allocation on its host")));
                    }
                    for (e, a) in expected.iter_mut().zip(i.flavor.amounts()) {
                        *e += a;
                    }
                }
                InstState::Active => {}
                InstState::NoValidHost | InstState::MaxRetries | InstState::Deleted => {
                    if alloc.is_some() {
                        return Err(self.violation(format!("leak: failed instance {id} holds an allocation")));
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
            return Err(
                self.violation(format!("allocations {total:?} but ACTIVE flavors and fill sum to {expected:?}"))
            );
        }
        let unenforced = self.insts.iter().any(|i| i.unenforced);
        for (h, (host, pr)) in self.hosts.iter().zip(self.placement.providers.iter()).enumerate() {
            if !unenforced && host.used != pr.usage {
                return Err(self.violation(format!("host {h}: compute usage {:?} disagrees with Placement", host.used)));
            }
        }
        Ok(())
    }
}
