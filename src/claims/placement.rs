//! The Placement service: inventories, allocations, generations and the two kinds of 409.
//!
//! This is the one place where the engine decides whether resources fit, so it is exact:
//! allocation ratios are rationals and the capacity test is integer arithmetic,
//! `(used + amount) · den ≤ (total − reserved) · num`. It follows `replace_all` in
//! `placement/objects/allocation.py` (MODEL.md §2.3): a consumer's allocations are replaced as a
//! set, constraints (min/max unit, step size) and capacity are checked against the live usage at
//! commit time, and every successful write bumps the generation of each provider it touches.
//!
//! A write is a transaction that takes `tau` (the transaction window) and commits at `now`: it
//! reads the provider's usage when it begins, at `now − tau`, checks capacity against that
//! snapshot, and at commit bumps the generation only if no other write bumped it since it began
//! (`_increment_provider_generation`'s compare-and-swap). So a write that would not fit even in
//! its snapshot gets the capacity 409 (the caller moves to the next host), and only a write
//! that fit in its snapshot while another one committed meanwhile gets "concurrently updated"
//! (and is retried). Deletes change usage but never the generation.

use super::Micros;
use super::ids::{HostId, IdVec, InstId};

/// The resource classes Nova reports for a compute node, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rc {
    Vcpu = 0,
    MemoryMb = 1,
    DiskGb = 2,
}

impl Rc {
    pub const ALL: [Rc; 3] = [Rc::Vcpu, Rc::MemoryMb, Rc::DiskGb];

    pub fn name(self) -> &'static str {
        match self {
            Rc::Vcpu => "VCPU",
            Rc::MemoryMb => "MEMORY_MB",
            Rc::DiskGb => "DISK_GB",
        }
    }
}

/// Amounts per resource class, indexed by `Rc as usize`.
pub type Amounts = [u64; 3];

/// An allocation ratio held exactly, e.g. 1.5 = 3/2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// The exact rational a decimal literal such as `16.0` or `1.5` denotes. The shortest
    /// round-trip decimal form of the float is what the user wrote, so that is what we keep.
    pub fn from_decimal(value: f64) -> Option<Ratio> {
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        let text = format!("{value}");
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        if frac.len() > 9 || int.len() > 9 {
            return None;
        }
        let den = 10u64.pow(frac.len() as u32);
        let num = int.parse::<u64>().ok()? * den + if frac.is_empty() { 0 } else { frac.parse::<u64>().ok()? };
        let g = gcd(num, den);
        Some(Ratio { num: num / g, den: den / g })
    }

    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

/// One resource class's inventory on a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inventory {
    pub total: u64,
    pub reserved: u64,
    pub min_unit: u64,
    pub max_unit: u64,
    pub step_size: u64,
    pub allocation_ratio: Ratio,
}

impl Inventory {
    /// Nova's inventory for a compute node resource (MODEL.md §2.1): min 1, max total, step 1.
    pub fn nova(total: u64, reserved: u64, allocation_ratio: Ratio) -> Inventory {
        Inventory { total, reserved, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio }
    }

    /// `used + amount ≤ (total − reserved) × ratio`, exactly.
    pub fn fits(&self, used: u64, amount: u64) -> bool {
        let lhs = u128::from(used + amount) * u128::from(self.allocation_ratio.den);
        let rhs = u128::from(self.total.saturating_sub(self.reserved)) * u128::from(self.allocation_ratio.num);
        lhs <= rhs
    }

    /// The largest usage that still fits, `floor((total − reserved) × ratio)`.
    pub fn capacity(&self) -> u64 {
        let usable = self.total.saturating_sub(self.reserved);
        let Ratio { num, den } = self.allocation_ratio;
        // u64 when it fits (always, for real hosts); u128 division is a slow library call.
        match usable.checked_mul(num) {
            Some(x) => x / den,
            None => (u128::from(usable) * u128::from(num) / u128::from(den)) as u64,
        }
    }

    fn constraints_ok(&self, amount: u64) -> bool {
        amount >= self.min_unit
            && amount <= self.max_unit
            && (self.step_size == 1 || (self.step_size > 0 && amount.is_multiple_of(self.step_size)))
    }
}

/// A resource provider: one per compute node in this simulation (no nesting).
#[derive(Debug, Clone)]
pub struct Provider {
    pub generation: u64,
    pub inventory: [Inventory; 3],
    pub usage: Amounts,
    /// `floor((total − reserved) × ratio)` per class, cached for the candidates scan: for
    /// integer usage, `used + amount ≤ capacity` is exactly the rational test.
    capacity: Amounts,
    /// Commit time of the last successful write, for the transaction window.
    last_write: Option<Micros>,
    /// Usage changes (commit time, signed amounts) recent enough to fall inside some write's
    /// window: a transaction's snapshot is the live usage without those after it began.
    recent: Vec<(Micros, [i64; 3])>,
}

/// Why a `PUT /allocations/{consumer}` was refused. Both are HTTP 409 on the wire; Nova tells
/// them apart by the detail text (MODEL.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutError {
    /// "Unable to allocate inventory ... would exceed the capacity": the caller moves on.
    CapacityExceeded(Rc),
    /// `InvalidAllocationConstraintsViolated` (min_unit, max_unit or step_size): also a 409.
    ConstraintViolated(Rc),
    /// "Another thread concurrently updated the data": the caller retries the same PUT.
    ConcurrentUpdate,
    /// Coarse mode only (Omega's counterfactual): the claim carried a provider generation that
    /// is no longer current. Sending it again cannot succeed, so the caller moves on.
    StaleGeneration,
}

/// A consumer's allocation: all on one provider in this simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub provider: HostId,
    pub amounts: Amounts,
}

/// The Placement database.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub providers: IdVec<HostId, Provider>,
    /// Indexed by consumer: the simulator's instances, then one stand-in per host for the initial fill.
    allocations: IdVec<InstId, Option<Allocation>>,
}

impl Placement {
    /// Create a provider and set its inventory; like `PUT /inventories` this is one write,
    /// so a fresh provider has generation 1.
    pub fn add_provider(&mut self, inventory: [Inventory; 3]) -> HostId {
        let capacity = inventory.map(|inv| inv.capacity());
        self.providers.push(Provider {
            generation: 1,
            inventory,
            usage: [0; 3],
            capacity,
            last_write: None,
            recent: Vec::new(),
        })
    }

    /// `PUT /resource_providers/{uuid}/inventories`: replace a provider's inventory (one write).
    pub fn set_inventory(&mut self, provider: HostId, inventory: [Inventory; 3]) {
        let p = &mut self.providers[provider];
        p.inventory = inventory;
        p.capacity = inventory.map(|inv| inv.capacity());
        p.generation += 1;
    }

    pub fn allocation(&self, consumer: InstId) -> Option<Allocation> {
        self.allocations.get(consumer).copied().flatten()
    }

    /// All live allocations, in consumer order.
    pub fn allocations(&self) -> impl Iterator<Item = (InstId, Allocation)> + '_ {
        self.allocations.iter_enumerated().filter_map(|(i, a)| a.map(|a| (i, a)))
    }

    /// `PUT /allocations/{consumer}` with one provider, committed atomically at `now`.
    /// `tau` is the transaction window in µs (0 disables generation conflicts).
    pub fn put(
        &mut self,
        consumer: InstId,
        provider: HostId,
        amounts: Amounts,
        now: Micros,
        tau: Micros,
    ) -> Result<(), PutError> {
        self.put_at_generation(consumer, provider, amounts, now, tau, None)
    }

    /// [`Placement::put`], refused as a concurrent update unless the provider's generation is
    /// still `expected` (the coarse-grained counterfactual; real Placement ignores it).
    pub fn put_at_generation(
        &mut self,
        consumer: InstId,
        provider: HostId,
        amounts: Amounts,
        now: Micros,
        tau: Micros,
        expected: Option<u64>,
    ) -> Result<(), PutError> {
        let p = &mut self.providers[provider];
        if expected.is_some_and(|g| g != p.generation) {
            return Err(PutError::StaleGeneration);
        }
        // The transaction began at `start`: what committed after it is not in its snapshot.
        let start = now.saturating_sub(tau);
        p.recent.retain(|(t, _)| *t > start);
        let mut snapshot = p.usage;
        for (_, delta) in &p.recent {
            for (u, d) in snapshot.iter_mut().zip(delta) {
                *u = (*u as i64 - d) as u64;
            }
        }
        let previous = self.allocation(consumer);
        let p = &self.providers[provider];
        for rc in Rc::ALL {
            let i = rc as usize;
            let amount = amounts[i];
            if amount == 0 {
                continue;
            }
            let inv = &p.inventory[i];
            if !inv.constraints_ok(amount) {
                return Err(PutError::ConstraintViolated(rc));
            }
            let prev_used = snapshot[i];
            // Replace semantics: the consumer's own previous rows are deleted first.
            let used = match previous {
                Some(a) if a.provider == provider => prev_used.saturating_sub(a.amounts[i]),
                _ => prev_used,
            };
            // Placement lets a write through that does not grow usage on an overcommitted provider.
            if !inv.fits(used, amount) && used + amount > prev_used {
                return Err(PutError::CapacityExceeded(rc));
            }
        }
        // The compare-and-swap on the generation: another write committed since `start`.
        if p.last_write.is_some_and(|t| t > start) {
            return Err(PutError::ConcurrentUpdate);
        }
        if let Some(prev) = previous {
            self.remove(prev, now, tau > 0);
        }
        let p = &mut self.providers[provider];
        for (u, a) in p.usage.iter_mut().zip(amounts) {
            *u += a;
        }
        if tau > 0 {
            p.recent.push((now, amounts.map(|a| a as i64)));
        }
        p.generation += 1;
        p.last_write = Some(now);
        *self.slot(consumer) = Some(Allocation { provider, amounts });
        Ok(())
    }

    /// Load pre-existing usage as one consumer standing in for many instances. It skips the
    /// per-allocation unit constraints (the sum of many instances exceeds `max_unit`) but not
    /// the capacity check; it is one write.
    pub fn preload(&mut self, consumer: InstId, provider: HostId, amounts: Amounts) -> bool {
        if self.allocation(consumer).is_some() {
            return false;
        }
        let p = &mut self.providers[provider];
        if (0..3).any(|i| !p.inventory[i].fits(p.usage[i], amounts[i])) {
            return false;
        }
        for (u, a) in p.usage.iter_mut().zip(amounts) {
            *u += a;
        }
        p.generation += 1;
        *self.slot(consumer) = Some(Allocation { provider, amounts });
        true
    }

    /// `DELETE /allocations/{consumer}`. Returns whether anything was deleted. Placement does
    /// not bump the provider generation on a delete, so a delete neither causes nor suffers a
    /// "concurrently updated" 409.
    pub fn delete(&mut self, consumer: InstId) -> bool {
        self.delete_at(consumer, 0, false)
    }

    /// [`Placement::delete`] committed at `now`; with `windowed` (a transaction window is in
    /// force) the change is remembered, so a write that began before it does not see it.
    pub fn delete_at(&mut self, consumer: InstId, now: Micros, windowed: bool) -> bool {
        match self.allocation(consumer) {
            Some(a) => {
                self.remove(a, now, windowed);
                *self.slot(consumer) = None;
                true
            }
            None => false,
        }
    }

    /// The allocation row of `consumer`, grown to hold it.
    fn slot(&mut self, consumer: InstId) -> &mut Option<Allocation> {
        self.allocations.grow_to_hold(consumer, None);
        &mut self.allocations[consumer]
    }

    /// Drop a consumer's rows. Like `_delete_allocations_for_consumer`, this does not touch
    /// the provider's generation (checked against real Placement in the conformance test).
    fn remove(&mut self, a: Allocation, now: Micros, windowed: bool) {
        let p = &mut self.providers[a.provider];
        for (u, x) in p.usage.iter_mut().zip(a.amounts) {
            *u -= x;
        }
        if windowed {
            p.recent.push((now, a.amounts.map(|x| -(x as i64))));
        }
    }

    /// Whether `amounts` is a valid candidate on `provider` (MODEL.md §2.2).
    pub fn is_candidate(&self, provider: HostId, amounts: &Amounts) -> bool {
        self.units_ok(provider, amounts) && self.has_room(provider, amounts)
    }

    /// The unit constraints alone: `min_unit ≤ amount ≤ max_unit`, a multiple of `step_size`.
    pub fn units_ok(&self, provider: HostId, amounts: &Amounts) -> bool {
        let p = &self.providers[provider];
        (0..3).all(|i| amounts[i] == 0 || p.inventory[i].constraints_ok(amounts[i]))
    }

    /// How many copies of `amounts` the provider has room for now: the least, over the classes
    /// asked for, of free capacity over amount (0 if the unit constraints refuse it).
    pub fn copies_that_fit(&self, provider: HostId, amounts: &Amounts) -> u64 {
        if !self.units_ok(provider, amounts) {
            return 0;
        }
        let p = &self.providers[provider];
        (0..3)
            .filter(|&i| amounts[i] > 0)
            .map(|i| p.capacity[i].saturating_sub(p.usage[i]) / amounts[i])
            .min()
            .unwrap_or(u64::MAX)
    }

    /// The capacity test alone, against the live usage.
    pub fn has_room(&self, provider: HostId, amounts: &Amounts) -> bool {
        let p = &self.providers[provider];
        (0..3).all(|i| amounts[i] == 0 || p.usage[i] + amounts[i] <= p.capacity[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(vcpu: u64, ram: u64, disk: u64, reserved_ram: u64) -> [Inventory; 3] {
        [
            Inventory::nova(vcpu, 0, Ratio { num: 16, den: 1 }),
            Inventory::nova(ram, reserved_ram, Ratio { num: 3, den: 2 }),
            Inventory::nova(disk, 0, Ratio::ONE),
        ]
    }

    #[test]
    fn ratios_parse_exactly() {
        assert_eq!(Ratio::from_decimal(16.0), Some(Ratio { num: 16, den: 1 }));
        assert_eq!(Ratio::from_decimal(1.5), Some(Ratio { num: 3, den: 2 }));
        assert_eq!(Ratio::from_decimal(0.1), Some(Ratio { num: 1, den: 10 }));
        assert_eq!(Ratio::from_decimal(-1.0), None);
    }

    #[test]
    fn measured_vcpu_capacity_and_generations() {
        // MODEL.md §2.3 \[measured\]: VCPU total=48 ratio=16 takes exactly 16 × VCPU:48,
        // the 17th is a capacity 409, and the generation goes from 1 to 17.
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(48, 1 << 20, 1 << 20, 0));
        assert_eq!(pl.providers[rp].generation, 1);
        for c in 0..16 {
            pl.put(InstId(c), rp, [48, 0, 0], 0, 0).unwrap();
        }
        assert_eq!(pl.put(InstId(16), rp, [48, 0, 0], 0, 0), Err(PutError::CapacityExceeded(Rc::Vcpu)));
        assert_eq!(pl.providers[rp].generation, 17);
        assert_eq!(pl.providers[rp].usage[0], 768);
    }

    #[test]
    fn reserved_is_subtracted_before_the_ratio() {
        // (1024 - 512) × 1.5 = 768 MB usable, not 1024 × 1.5 - 512 = 1024.
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(8, 1024, 100, 512));
        pl.put(InstId(1), rp, [0, 768, 0], 0, 0).unwrap();
        assert_eq!(pl.put(InstId(2), rp, [0, 1, 0], 0, 0), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
        assert_eq!(pl.providers[rp].inventory[1].capacity(), 768);
    }

    #[test]
    fn ratio_one_means_no_overcommit_and_ratio_15_allows_half_more() {
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(8, 1000, 100, 0));
        assert!(pl.put(InstId(1), rp, [0, 0, 100], 0, 0).is_ok());
        assert_eq!(pl.put(InstId(2), rp, [0, 0, 1], 0, 0), Err(PutError::CapacityExceeded(Rc::DiskGb)));
        assert!(pl.put(InstId(3), rp, [0, 1000, 0], 0, 0).is_ok());
        assert!(pl.put(InstId(4), rp, [0, 500, 0], 0, 0).is_ok());
        assert_eq!(pl.put(InstId(5), rp, [0, 1, 0], 0, 0), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
    }

    #[test]
    fn min_max_unit_and_step_size_are_constraint_409s() {
        let mut inv = host(8, 4096, 100, 0);
        inv[1].min_unit = 256;
        inv[1].max_unit = 2048;
        inv[1].step_size = 256;
        let mut pl = Placement::default();
        let rp = pl.add_provider(inv);
        assert_eq!(pl.put(InstId(1), rp, [0, 128, 0], 0, 0), Err(PutError::ConstraintViolated(Rc::MemoryMb)));
        assert_eq!(pl.put(InstId(1), rp, [0, 4096, 0], 0, 0), Err(PutError::ConstraintViolated(Rc::MemoryMb)));
        assert_eq!(pl.put(InstId(1), rp, [0, 300, 0], 0, 0), Err(PutError::ConstraintViolated(Rc::MemoryMb)));
        assert!(pl.put(InstId(1), rp, [0, 512, 0], 0, 0).is_ok());
        assert!(!pl.is_candidate(rp, &[0, 300, 0]));
        assert!(pl.is_candidate(rp, &[0, 256, 0]));
        // vCPU max_unit is the host's vcpus even though the ratio allows more in total.
        assert_eq!(pl.put(InstId(2), rp, [9, 0, 0], 0, 0), Err(PutError::ConstraintViolated(Rc::Vcpu)));
    }

    #[test]
    fn a_write_checks_capacity_against_the_usage_it_read_when_it_began() {
        // One slot left of 4 (VCPU total 4, ratio 1 here through the RAM class: 4 × 1 MB).
        let one = |pl: &mut Placement| {
            let rp = pl.add_provider(host(8, 4, 100, 0).map(|mut i| {
                i.allocation_ratio = Ratio::ONE;
                i
            }));
            pl.put(InstId(1), rp, [0, 3, 0], 0, 0).unwrap();
            rp
        };
        // Transactions of 5 ms. Consumer 2 commits at 10 ms and takes the last slot.
        let mut pl = Placement::default();
        let rp = one(&mut pl);
        pl.put(InstId(2), rp, [0, 1, 0], 10_000, 5_000).unwrap();
        // Consumer 3 began at 9 ms, before that commit: in its snapshot the slot was free, so
        // it fails only at the generation check, "concurrently updated", and is retried ...
        assert_eq!(pl.put(InstId(3), rp, [0, 1, 0], 14_000, 5_000), Err(PutError::ConcurrentUpdate));
        // ... while a write of 2 would not have fit even before consumer 2 committed: the
        // capacity 409, on which the caller moves to the next host.
        assert_eq!(pl.put(InstId(4), rp, [0, 2, 0], 14_000, 5_000), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
        // Retried after the window, consumer 3 sees the live usage: now it does not fit.
        assert_eq!(pl.put(InstId(3), rp, [0, 1, 0], 15_000, 5_000), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
        // A delete inside the window frees room only for transactions that began after it,
        // and bumps no generation, so it causes no "concurrently updated".
        assert!(pl.delete_at(InstId(2), 20_000, true));
        assert_eq!(pl.put(InstId(5), rp, [0, 1, 0], 24_000, 5_000), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
        assert!(pl.put(InstId(5), rp, [0, 1, 0], 25_000, 5_000).is_ok());
        assert_eq!(pl.providers[rp].generation, 4);
    }

    #[test]
    fn concurrent_update_409_only_inside_the_window() {
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(8, 4096, 100, 0));
        pl.put(InstId(1), rp, [1, 1, 1], 1_000, 5_000).unwrap();
        assert_eq!(pl.put(InstId(2), rp, [1, 1, 1], 5_999, 5_000), Err(PutError::ConcurrentUpdate));
        assert!(pl.put(InstId(2), rp, [1, 1, 1], 6_000, 5_000).is_ok());
        // With tau = 0 simultaneous writes never conflict.
        assert!(pl.put(InstId(3), rp, [1, 1, 1], 6_000, 0).is_ok());
        // A failed write does not bump the generation.
        assert_eq!(pl.providers[rp].generation, 4);
    }

    #[test]
    fn coarse_mode_refuses_a_stale_generation_even_with_room() {
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(8, 4096, 100, 0));
        let seen = pl.providers[rp].generation;
        pl.put(InstId(1), rp, [1, 1, 1], 0, 0).unwrap();
        assert_eq!(pl.put_at_generation(InstId(2), rp, [1, 1, 1], 0, 0, Some(seen)), Err(PutError::StaleGeneration));
        assert!(pl.put_at_generation(InstId(2), rp, [1, 1, 1], 0, 0, Some(seen + 1)).is_ok());
    }

    #[test]
    fn replace_semantics_and_shrinking_on_an_overcommitted_provider() {
        let mut pl = Placement::default();
        let rp = pl.add_provider(host(8, 1000, 100, 0));
        pl.put(InstId(1), rp, [0, 1000, 0], 0, 0).unwrap();
        pl.put(InstId(2), rp, [0, 500, 0], 0, 0).unwrap();
        // The operator lowers the ratio: the provider is now overcommitted (1500 > 1000).
        let mut inv = pl.providers[rp].inventory;
        inv[1].allocation_ratio = Ratio::ONE;
        pl.set_inventory(rp, inv);
        assert!(!pl.is_candidate(rp, &[0, 1, 0]));
        // Replacing with a smaller allocation is allowed (usage does not grow) ...
        assert!(pl.put(InstId(1), rp, [0, 900, 0], 0, 0).is_ok());
        assert_eq!(pl.providers[rp].usage[1], 1400);
        // ... growing is not.
        assert_eq!(pl.put(InstId(1), rp, [0, 1000, 0], 0, 0), Err(PutError::CapacityExceeded(Rc::MemoryMb)));
        assert!(pl.delete(InstId(2)));
        assert!(pl.delete(InstId(1)));
        // Each successful PUT is one generation; deletes are none.
        assert_eq!(pl.providers[rp].generation, 5);
        assert!(!pl.delete(InstId(1)));
        assert_eq!(pl.providers[rp].usage, [0, 0, 0]);
    }
}
