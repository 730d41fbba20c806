//! The numbers a run produces (MODEL.md §6), and their mean and 95% interval over seeds.
//!
//! Names are snake_case and stable: the JSON output, the CSV header and scenario `columns` all
//! use them, and published tables refer to them.

use serde::Serialize;

use super::ids::HostId;

/// Every metric, in output order.
///
/// Definitions that need one: `active` counts instances that became ACTIVE (`deleted` those of
/// them whose lifetime then ended); `claim_attempts` counts Placement PUTs sent by a claimer
/// (retries included), or for `legacy` the resource tracker's claim tests;
/// `generation_conflicts` counts the "concurrently updated" 409s a client received (each one
/// a client retry or a failed claim; in coarse mode, also the stale generations, never resent),
/// and `server_retries` the conflicts Placement retried itself, which no client saw;
/// `phantom_consumptions` counts claims that failed on a host the claimer's worker had consumed
/// in its persistent or periodic view, a consumption that lasts (`phantom_lifetime_host_s`)
/// until that worker reads a newer row of the host, or the run ends;
/// `false_no_valid_host` counts NoValidHost outcomes while some host still had room for the
/// instance in Placement (lost to races or stale views, not to capacity); `herding_index` is the most
/// successful claims on one host within one second; `spread` is the standard deviation of the
/// hosts' final RAM utilisation; times are simulated milliseconds from the API request.
pub const NAMES: [&str; 46] = [
    "requests",
    "instances",
    "active",
    "deleted",
    "success_rate",
    "no_valid_host",
    "max_retries_exceeded",
    "false_no_valid_host",
    "build_failures",
    "compute_rejections",
    "unenforced_oversubscription",
    "claim_attempts",
    "claim_attempts_per_instance",
    "capacity_conflicts",
    "generation_conflicts",
    "client_retries",
    "server_retries",
    "wasted_claims",
    "reschedules",
    "alternates_used",
    "alternate_claims_failed",
    "alternates_exhausted",
    "alternate_staleness_mean_ms",
    "scheduler_calls",
    "scheduler_calls_per_instance",
    "scheduler_busyness",
    "placement_get_candidates",
    "placement_get_allocations",
    "placement_put",
    "placement_delete",
    "placement_calls_per_instance",
    "compute_build_rpcs",
    "phantom_consumptions",
    "phantom_lifetime_host_s",
    "time_to_active_p50_ms",
    "time_to_active_p90_ms",
    "time_to_active_p99_ms",
    "time_to_active_max_ms",
    "time_to_first_claim_p99_ms",
    "herding_index",
    "spread",
    "utilisation_ram",
    "utilisation_vcpu",
    "invariant_violations",
    "events",
    "simulated_s",
];

pub fn index_of(name: &str) -> Option<usize> {
    NAMES.iter().position(|n| *n == name)
}

/// Raw counts and samples gathered while a run goes.
#[derive(Debug, Clone, Default)]
pub struct Counters {
    pub requests: u64,
    pub instances: u64,
    pub active: u64,
    pub deleted: u64,
    pub no_valid_host: u64,
    pub max_retries_exceeded: u64,
    pub false_no_valid_host: u64,
    pub build_failures: u64,
    pub compute_rejections: u64,
    pub unenforced_oversubscription: u64,
    pub claim_attempts: u64,
    pub capacity_conflicts: u64,
    pub generation_conflicts: u64,
    pub client_retries: u64,
    pub server_retries: u64,
    pub wasted_claims: u64,
    pub reschedules: u64,
    pub alternates_used: u64,
    pub alternate_claims_failed: u64,
    pub alternates_exhausted: u64,
    pub alternate_staleness_us: Vec<u64>,
    pub scheduler_calls: u64,
    pub placement_get_candidates: u64,
    pub placement_get_allocations: u64,
    pub placement_put: u64,
    pub placement_delete: u64,
    pub compute_build_rpcs: u64,
    pub phantom_consumptions: u64,
    pub phantom_lifetime_us: u64,
    pub time_to_active_us: Vec<u64>,
    pub time_to_first_claim_us: Vec<u64>,
    /// Successful claims as (host, time), for the herding index.
    pub claims: Vec<(HostId, u64)>,
    pub events: u64,
    pub end_us: u64,
    /// Worker time spent in CPU sections, and how many workers, for Omega's busyness.
    pub cpu_busy_us: u64,
    pub workers: u64,
}

/// The end state a run's quality metrics need.
#[derive(Debug, Clone, Default)]
pub struct FinalState {
    /// Per host: (RAM used, RAM capacity, vCPU used, vCPU capacity) in Placement.
    pub hosts: Vec<(u64, u64, u64, u64)>,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Nearest rank.
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1] as f64
}

fn ms(us: f64) -> f64 {
    us / 1000.0
}

/// The largest number of claims landing on one host within any 1 s window.
fn herding(claims: &[(HostId, u64)]) -> u64 {
    let mut sorted = claims.to_vec();
    sorted.sort_unstable();
    let mut best = 0;
    let mut start = 0;
    for end in 0..sorted.len() {
        while sorted[start].0 != sorted[end].0 || sorted[end].1 - sorted[start].1 >= 1_000_000 {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best as u64
}

impl Counters {
    /// The metric values of one run, in [`NAMES`] order.
    pub fn values(&self, fin: &FinalState) -> Vec<f64> {
        let per_inst = |x: u64| {
            if self.instances == 0 { 0.0 } else { x as f64 / self.instances as f64 }
        };
        let mut tta = self.time_to_active_us.clone();
        tta.sort_unstable();
        let mut tfc = self.time_to_first_claim_us.clone();
        tfc.sort_unstable();
        let staleness = if self.alternate_staleness_us.is_empty() {
            0.0
        } else {
            self.alternate_staleness_us.iter().sum::<u64>() as f64 / self.alternate_staleness_us.len() as f64
        };
        let utils: Vec<f64> = fin.hosts.iter().map(|h| h.0 as f64 / h.1.max(1) as f64).collect();
        let mean_util = utils.iter().sum::<f64>() / utils.len().max(1) as f64;
        let spread =
            (utils.iter().map(|u| (u - mean_util) * (u - mean_util)).sum::<f64>() / utils.len().max(1) as f64).sqrt();
        let sum = |f: fn(&(u64, u64, u64, u64)) -> u64| fin.hosts.iter().map(f).sum::<u64>() as f64;
        let placement_calls =
            self.placement_get_candidates + self.placement_get_allocations + self.placement_put + self.placement_delete;
        let v = vec![
            self.requests as f64,
            self.instances as f64,
            self.active as f64,
            self.deleted as f64,
            per_inst(self.active),
            self.no_valid_host as f64,
            self.max_retries_exceeded as f64,
            self.false_no_valid_host as f64,
            self.build_failures as f64,
            self.compute_rejections as f64,
            self.unenforced_oversubscription as f64,
            self.claim_attempts as f64,
            if self.active == 0 { 0.0 } else { self.claim_attempts as f64 / self.active as f64 },
            self.capacity_conflicts as f64,
            self.generation_conflicts as f64,
            self.client_retries as f64,
            self.server_retries as f64,
            self.wasted_claims as f64,
            self.reschedules as f64,
            self.alternates_used as f64,
            self.alternate_claims_failed as f64,
            self.alternates_exhausted as f64,
            ms(staleness),
            self.scheduler_calls as f64,
            per_inst(self.scheduler_calls),
            if self.end_us == 0 || self.workers == 0 {
                0.0
            } else {
                self.cpu_busy_us as f64 / (self.workers * self.end_us) as f64
            },
            self.placement_get_candidates as f64,
            self.placement_get_allocations as f64,
            self.placement_put as f64,
            self.placement_delete as f64,
            per_inst(placement_calls),
            self.compute_build_rpcs as f64,
            self.phantom_consumptions as f64,
            self.phantom_lifetime_us as f64 / 1e6,
            ms(percentile(&tta, 0.50)),
            ms(percentile(&tta, 0.90)),
            ms(percentile(&tta, 0.99)),
            ms(percentile(&tta, 1.0)),
            ms(percentile(&tfc, 0.99)),
            herding(&self.claims) as f64,
            spread,
            sum(|h| h.0) / sum(|h| h.1).max(1.0),
            sum(|h| h.2) / sum(|h| h.3).max(1.0),
            0.0,
            self.events as f64,
            self.end_us as f64 / 1e6,
        ];
        debug_assert_eq!(v.len(), NAMES.len());
        v
    }
}

/// A metric over seeds: mean and the 95% confidence interval of the mean (Student's t).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Two-sided 97.5% quantiles of Student's t for 1..=30 degrees of freedom.
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
    2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

impl Stat {
    pub fn of(samples: &[f64]) -> Stat {
        let n = samples.len();
        let mean = samples.iter().sum::<f64>() / n.max(1) as f64;
        if n < 2 {
            return Stat { mean, ci_low: mean, ci_high: mean };
        }
        let var = samples.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let t = if n - 1 <= 30 { T975[n - 2] } else { 1.96 };
        let half = t * (var / n as f64).sqrt();
        Stat { mean, ci_low: mean - half, ci_high: mean + half }
    }

    pub fn half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn herding_counts_within_one_second_per_host() {
        let claims = [(1, 0), (1, 500_000), (1, 999_999), (1, 1_000_000), (2, 0), (2, 1)].map(|(h, t)| (HostId(h), t));
        assert_eq!(herding(&claims), 3);
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&v, 1.0), 100.0);
    }

    #[test]
    fn interval_uses_student_t() {
        let s = Stat::of(&[1.0, 2.0, 3.0]);
        assert_eq!(s.mean, 2.0);
        assert!((s.half_width() - 4.303 * (1.0f64 / 3.0).sqrt()).abs() < 1e-9);
        let one = Stat::of(&[5.0]);
        assert_eq!((one.ci_low, one.ci_high), (5.0, 5.0));
    }
}
