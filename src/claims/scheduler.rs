//! The filter scheduler's CPU section: host views, filters, weighers and host choice.
//!
//! Pure functions over a slice of [`HostView`]s, so the engine decides *when* the scheduler
//! looks (and therefore how stale its view is) and this module decides *what* it concludes.
//! Weighing follows `nova/weights.py`: each weigher's raw values are normalised to [0, 1] over
//! the filtered hosts (all 0 when they are equal), multiplied and summed; the sort is
//! descending with ties broken by host id, unless tie shuffling is on.

use super::rng::Rng;
use super::scenario::WeigherPolicy;

/// What a scheduler believes about one host (Nova's `HostState`), or what the cell DB holds
/// (`ComputeNode`), in Nova's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostView {
    pub free_ram_mb: i64,
    pub free_disk_gb: i64,
    pub vcpus_used: i64,
    pub io_ops: i64,
    /// Consecutive failed builds the compute reports (for Rocky's BuildFailureWeigher).
    pub failed_builds: i64,
    /// `updated` for a `HostState`, `updated_at` for a DB row. `None` forces a refresh.
    pub updated: Option<u64>,
}

impl HostView {
    /// `consume_from_request`.
    pub fn consume(&mut self, f: &FlavorReq, now: u64) {
        self.free_ram_mb -= f.memory_mb as i64;
        self.free_disk_gb -= f.disk_gb as i64;
        self.vcpus_used += f.vcpu as i64;
        self.io_ops += 1;
        self.updated = Some(now);
    }

    /// `HostState._update_from_compute_node`: keep a local consumption newer than the row.
    /// Returns whether the row replaced the view.
    pub fn refresh_from(&mut self, row: &HostView) -> bool {
        if let (Some(local), Some(db)) = (self.updated, row.updated)
            && local > db
        {
            return false;
        }
        *self = *row;
        true
    }
}

/// The resources a flavour asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlavorReq {
    pub vcpu: u64,
    pub memory_mb: u64,
    pub disk_gb: u64,
}

impl FlavorReq {
    pub fn amounts(&self) -> [u64; 3] {
        [self.vcpu, self.memory_mb, self.disk_gb]
    }
}

/// The weigher multipliers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighers {
    pub ram: f64,
    pub disk: f64,
    pub io_ops: f64,
    /// Rocky's BuildFailureWeigher (`-failed_builds`); 0 before Rocky.
    pub build_failure: f64,
    /// All weights tied: choose uniformly (the "random" policy).
    pub random: bool,
}

impl Weighers {
    pub fn for_policy(policy: WeigherPolicy, ram: Option<f64>, disk: Option<f64>, io: Option<f64>) -> Weighers {
        let (r, d, i, random) = match policy {
            WeigherPolicy::Spread => (1.0, 1.0, -1.0, false),
            WeigherPolicy::Stack => (-1.0, -1.0, 0.0, false),
            WeigherPolicy::Random => (0.0, 0.0, 0.0, true),
        };
        Weighers { ram: ram.unwrap_or(r), disk: disk.unwrap_or(d), io_ops: io.unwrap_or(i), build_failure: 0.0, random }
    }
}

/// Limits for Ocata's RamFilter/DiskFilter(/CoreFilter): `usable = total·ratio − used`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceFilters {
    pub total_ram_mb: u64,
    pub ram_ratio: (u64, u64),
    pub total_disk_gb: u64,
    pub disk_ratio: (u64, u64),
    pub total_vcpu: u64,
    pub cpu_ratio: (u64, u64),
    pub core_filter: bool,
}

impl ResourceFilters {
    /// Whether the host passes, in exact integer arithmetic:
    /// `free + (ratio − 1)·total ≥ req` ⇔ `(free − req)·den + (num − den)·total ≥ 0`.
    pub fn passes(&self, v: &HostView, f: &FlavorReq) -> bool {
        let ok = |free: i64, req: u64, total: u64, (num, den): (u64, u64)| {
            (i128::from(free) - i128::from(req)) * i128::from(den)
                + (i128::from(num) - i128::from(den)) * i128::from(total)
                >= 0
        };
        ok(v.free_ram_mb, f.memory_mb, self.total_ram_mb, self.ram_ratio)
            && ok(v.free_disk_gb, f.disk_gb, self.total_disk_gb, self.disk_ratio)
            && (!self.core_filter || ok(self.total_vcpu as i64 - v.vcpus_used, f.vcpu, self.total_vcpu, self.cpu_ratio))
    }
}

/// Hosts best first, sorted lazily: a claim loop or an alternates walk rarely looks past the
/// first few, and sorting 1,000 hosts per instance would dominate the engine's time. The
/// first `sorted` entries are final; the rest are sorted the first time anyone looks there,
/// with the same total order, so the result never depends on how far anyone looked.
/// Generic over the host id so the simulator ranks [`HostId`](super::ids::HostId)s and the tests plain numbers.
#[derive(Debug, Clone)]
pub struct Ranking<H> {
    items: Vec<(f64, H)>,
    sorted: usize,
}

impl<H> Default for Ranking<H> {
    fn default() -> Self {
        Ranking { items: Vec::new(), sorted: 0 }
    }
}

fn best_first<H: Ord>(a: &(f64, H), b: &(f64, H)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

impl<H: Copy + Ord> Ranking<H> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The host at rank `i`.
    pub fn get(&mut self, i: usize) -> Option<H> {
        if i >= self.items.len() {
            return None;
        }
        if i >= self.sorted {
            // Extend the sorted prefix geometrically: same order as a full sort, less work.
            let end = (2 * self.sorted).max(i + 1).min(self.items.len());
            let rest = &mut self.items[self.sorted..];
            let upto = end - self.sorted;
            if upto < rest.len() {
                rest.select_nth_unstable_by(upto - 1, best_first);
            }
            rest[..upto].sort_unstable_by(best_first);
            self.sorted = end;
        }
        Some(self.items[i].1)
    }

    /// Every host, best first.
    pub fn to_vec(&mut self) -> Vec<H> {
        let _ = self.get(self.items.len().saturating_sub(1));
        self.items.iter().map(|(_, h)| *h).collect()
    }
}

/// Weigh `hosts` (host ids with their views, already filtered) and rank them best first:
/// `[chosen] + rest`, where `chosen` is uniform among the best `subset` hosts.
pub fn order_hosts<H: Copy + Ord>(
    hosts: &[(H, HostView)],
    w: &Weighers,
    subset: u32,
    shuffle_ties: bool,
    rng: &mut Rng,
) -> Ranking<H> {
    if hosts.is_empty() {
        return Ranking::default();
    }
    let mut weighed: Vec<(f64, H)> = if w.random {
        hosts.iter().map(|(h, _)| (0.0, *h)).collect()
    } else {
        // One pass for the ranges, one for the weights: `nova/weights.py` normalisation.
        let mut lo = [i64::MAX; 4];
        let mut hi = [i64::MIN; 4];
        for (_, v) in hosts {
            for (k, x) in [v.free_ram_mb, v.free_disk_gb, v.io_ops, -v.failed_builds].into_iter().enumerate() {
                lo[k] = lo[k].min(x);
                hi[k] = hi[k].max(x);
            }
        }
        let norm = |k: usize, x: i64| {
            if hi[k] == lo[k] { 0.0 } else { (x - lo[k]) as f64 / (hi[k] - lo[k]) as f64 }
        };
        hosts
            .iter()
            .map(|(h, v)| {
                // A zero multiplier contributes +0.0 without its division, exactly as before.
                let term = |m: f64, k: usize, x: i64| if m == 0.0 { 0.0 } else { m * norm(k, x) };
                let weight = term(w.ram, 0, v.free_ram_mb)
                    + term(w.disk, 1, v.free_disk_gb)
                    + term(w.io_ops, 2, v.io_ops)
                    + term(w.build_failure, 3, -v.failed_builds);
                (weight, *h)
            })
            .collect()
    };
    let n = weighed.len();
    let mut k = (subset as usize).max(8).min(n);
    if k < n {
        weighed.select_nth_unstable_by(k - 1, best_first);
    }
    weighed[..k].sort_unstable_by(best_first);
    if shuffle_ties || w.random {
        let best = weighed[0].0;
        if weighed[k - 1].0 == best && k < n {
            // The tie may continue past the sorted prefix: sort everything to find its end.
            weighed[k..].sort_unstable_by(best_first);
            k = n;
        }
        let tied = weighed[..k].iter().take_while(|(x, _)| *x == best).count();
        if tied > 1 {
            rng.shuffle(&mut weighed[..tied]);
        }
    }
    let s = (subset as usize).min(n);
    if s > 1 {
        let pick = rng.below(s as u64) as usize;
        weighed[..=pick].rotate_right(1);
    }
    Ranking { items: weighed, sorted: k }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(ram: i64, disk: i64, io: i64) -> HostView {
        HostView { free_ram_mb: ram, free_disk_gb: disk, vcpus_used: 0, io_ops: io, failed_builds: 0, updated: Some(0) }
    }

    #[test]
    fn spread_prefers_free_ram_and_breaks_ties_by_id() {
        let w = Weighers::for_policy(WeigherPolicy::Spread, None, None, None);
        let hosts = [(3, view(100, 10, 0)), (1, view(100, 10, 0)), (2, view(200, 10, 0))];
        let mut rng = Rng::from_seed(1);
        assert_eq!(order_hosts(&hosts, &w, 1, false, &mut rng).to_vec(), vec![2, 1, 3]);
    }

    #[test]
    fn stack_prefers_the_fullest_host() {
        let w = Weighers::for_policy(WeigherPolicy::Stack, None, None, None);
        let hosts = [(0, view(100, 100, 0)), (1, view(50, 50, 0)), (2, view(200, 200, 0))];
        assert_eq!(order_hosts(&hosts, &w, 1, false, &mut Rng::from_seed(1)).to_vec(), vec![1, 0, 2]);
    }

    #[test]
    fn normalisation_makes_units_irrelevant() {
        // RAM range 100 MB, disk range 1 GB: both normalise to [0, 1], so they cancel exactly.
        let w = Weighers { ram: 1.0, disk: -1.0, io_ops: 0.0, build_failure: 0.0, random: false };
        let hosts = [(0, view(100, 2, 0)), (1, view(200, 3, 0))];
        assert_eq!(order_hosts(&hosts, &w, 1, false, &mut Rng::from_seed(1)).to_vec(), vec![0, 1]);
    }

    #[test]
    fn build_failure_weigher_sinks_failing_hosts() {
        let mut w = Weighers::for_policy(WeigherPolicy::Spread, None, None, None);
        w.build_failure = 1e6;
        let mut bad = view(500, 10, 0);
        bad.failed_builds = 2;
        let hosts = [(0, bad), (1, view(100, 10, 0))];
        assert_eq!(order_hosts(&hosts, &w, 1, false, &mut Rng::from_seed(1)).to_vec(), vec![1, 0]);
    }

    #[test]
    fn subset_picks_among_the_best_only() {
        let w = Weighers::for_policy(WeigherPolicy::Spread, None, None, None);
        let hosts: Vec<(u32, HostView)> = (0..10).map(|i| (i, view(i64::from(i) * 10, 0, 0))).collect();
        let mut rng = Rng::from_seed(5);
        for _ in 0..50 {
            let order = order_hosts(&hosts, &w, 2, false, &mut rng).to_vec();
            assert!(order[0] == 9 || order[0] == 8);
            assert_eq!(order.len(), 10);
        }
    }

    #[test]
    fn lazy_ranking_equals_a_full_sort() {
        let w = Weighers::for_policy(WeigherPolicy::Spread, None, None, None);
        let hosts: Vec<(u32, HostView)> = (0..100).map(|i| (i, view(i64::from((i * 37) % 11), 0, 0))).collect();
        let full = {
            let mut v: Vec<(u32, i64)> = hosts.iter().map(|(h, v)| (*h, v.free_ram_mb)).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v.into_iter().map(|(h, _)| h).collect::<Vec<_>>()
        };
        let mut r = order_hosts(&hosts, &w, 1, false, &mut Rng::from_seed(1));
        assert_eq!(r.get(3), Some(full[3]));
        assert_eq!(r.to_vec(), full);
    }

    #[test]
    fn random_weigher_shuffles_all_hosts() {
        let w = Weighers::for_policy(WeigherPolicy::Random, None, None, None);
        let hosts: Vec<(u32, HostView)> = (0..50).map(|i| (i, view(i64::from(i), 0, 0))).collect();
        let mut rng = Rng::from_seed(3);
        let firsts: std::collections::BTreeSet<u32> =
            (0..40).map(|_| order_hosts(&hosts, &w, 1, false, &mut rng).get(0).unwrap()).collect();
        assert!(firsts.len() > 10, "{firsts:?}");
    }

    #[test]
    fn refresh_keeps_newer_local_consumption() {
        let f = FlavorReq { vcpu: 1, memory_mb: 10, disk_gb: 1 };
        let mut local = view(100, 10, 0);
        local.consume(&f, 50);
        let mut row = view(100, 10, 0);
        row.updated = Some(40);
        local.refresh_from(&row);
        assert_eq!(local.free_ram_mb, 90);
        row.updated = Some(60);
        local.refresh_from(&row);
        assert_eq!(local.free_ram_mb, 100);
    }

    #[test]
    fn ram_filter_uses_the_ratio_on_total() {
        let rf = ResourceFilters {
            total_ram_mb: 1000,
            ram_ratio: (3, 2),
            total_disk_gb: 100,
            disk_ratio: (1, 1),
            total_vcpu: 4,
            cpu_ratio: (16, 1),
            core_filter: false,
        };
        let f = FlavorReq { vcpu: 100, memory_mb: 600, disk_gb: 1 };
        // free 100 + 0.5·1000 = 600 usable.
        assert!(rf.passes(&view(100, 10, 0), &f));
        assert!(!rf.passes(&view(99, 10, 0), &f));
    }
}
