//! A scenario turned into engine units for one strategy: µs, exact ratios, resolved defaults.
//!
//! Conversions happen once, here, so the event handlers never see milliseconds, floats in
//! capacity arithmetic or "use the strategy's default" placeholders.

use super::Micros;
use super::placement::{Inventory, Ratio};
use super::scenario::{Arrival, CacheMode, RetryPolicy, Scenario};
use super::scheduler::{FlavorReq, ResourceFilters, Weighers};
use super::strategies::{AlternateCount, Policy, Strategy};

/// Client and server behaviour on a "concurrently updated" 409 (MODEL.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    /// PUT attempts in total, including the first.
    pub client_tries: u32,
    /// Rocky's `random.uniform(0, retry*2)` seconds before each retry.
    pub sleep: bool,
    /// Placement's own retries of the transaction (10 from Rocky on).
    pub server_retries: u32,
}

impl Retries {
    pub fn of(policy: RetryPolicy) -> Retries {
        match policy {
            RetryPolicy::Pike | RetryPolicy::PerRelease => Retries { client_tries: 4, sleep: false, server_retries: 0 },
            RetryPolicy::Queens => Retries { client_tries: 3, sleep: false, server_retries: 0 },
            RetryPolicy::Rocky => Retries { client_tries: 4, sleep: true, server_retries: 10 },
            RetryPolicy::None => Retries { client_tries: 1, sleep: false, server_retries: 0 },
        }
    }
}

/// Two cases with equal `Params` give equal runs under a seed, so a sweep value that does not
/// touch a strategy reuses its results.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub strategy: Strategy,
    pub policy: Policy,
    pub cells: u32,
    pub hosts: u32,
    pub inventory: [Inventory; 3],
    pub fill: f64,
    pub arrival: Arrival,
    pub rate: f64,
    pub requests: u32,
    pub burst: u32,
    pub multi_create_ratio: f64,
    pub multi_create_num: u32,
    /// Mean instance lifetime in µs; 0 keeps every instance.
    pub lifetime: Micros,
    pub flavors: Vec<FlavorReq>,
    pub flavor_weights: Vec<u32>,
    pub workers: u32,
    pub random_dispatch: bool,
    pub host_subset_size: u32,
    pub weighers: Weighers,
    pub shuffle_ties: bool,
    pub max_attempts: u32,
    pub num_alternates: u32,
    pub cache: CacheMode,
    pub cache_refresh: Micros,
    pub limit: u32,
    pub randomize_candidates: bool,
    /// Pike's eviction of cached hosts missing from a request's candidates (bug 1742827).
    pub evict_unseen: bool,
    pub resource_filters: Option<ResourceFilters>,
    pub build_failure: f64,
    pub bad_host_fraction: f64,
    pub delete_allocation_on_failure: bool,
    pub coarse: bool,
    pub max_concurrent_builds: u32,
    pub spawn_median_s: f64,
    pub spawn_sigma: f64,
    pub periodic: Micros,
    pub tau: Micros,
    pub retries: Retries,
    pub lat: Latencies,
}

/// Latencies in µs (per-host terms in nanoseconds to keep 0.02 ms exact).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latencies {
    pub api: Micros,
    pub rpc: Micros,
    pub cand_base: Micros,
    pub cand_per_host_ns: u64,
    pub db_base: Micros,
    pub db_per_host_ns: u64,
    pub fw_per_host_ns: u64,
    pub get: Micros,
    pub put: Micros,
    pub sc: Micros,
    pub cc: Micros,
    pub rt: Micros,
    pub jitter: f64,
}

fn us(ms: f64) -> Micros {
    (ms * 1000.0).round() as Micros
}

fn ns(ms: f64) -> u64 {
    (ms * 1_000_000.0).round() as u64
}

impl Params {
    /// `scenario` must have been validated by [`Scenario::parse`].
    pub fn new(s: &Scenario, strategy: Strategy) -> Params {
        let policy = strategy.policy();
        let c = &s.cloud;
        let ratio = |r: f64| Ratio::from_decimal(r).expect("validated ratio");
        let (cpu, ram, disk) =
            (ratio(c.cpu_allocation_ratio), ratio(c.ram_allocation_ratio), ratio(c.disk_allocation_ratio));
        let inventory = [
            Inventory::nova(c.vcpu, c.reserved_vcpu, cpu),
            Inventory::nova(c.memory_mb, c.reserved_memory_mb, ram),
            Inventory::nova(c.disk_gb, c.reserved_disk_gb, disk),
        ];
        let sc = &s.scheduler;
        let caller_alternates = sc.alternates.unwrap_or(sc.max_attempts - 1);
        let num_alternates = match policy.alternate_count {
            AlternateCount::MaxAttemptsMinusOne => sc.max_attempts - 1,
            AlternateCount::Caller => caller_alternates,
        };
        let l = &s.latency;
        Params {
            strategy,
            policy,
            cells: c.cells,
            hosts: c.hosts,
            inventory,
            fill: c.fill,
            arrival: s.workload.arrival,
            rate: s.workload.rate,
            requests: s.workload.requests,
            burst: s.workload.burst,
            multi_create_ratio: s.workload.multi_create_ratio,
            multi_create_num: s.workload.multi_create_num,
            lifetime: us(s.workload.lifetime_mean_s * 1000.0),
            flavors: s
                .workload
                .flavors
                .iter()
                .map(|f| FlavorReq { vcpu: f.vcpu, memory_mb: f.memory_mb, disk_gb: f.disk_gb })
                .collect(),
            flavor_weights: s.workload.flavors.iter().map(|f| f.weight).collect(),
            // The oracle has no scheduler workers; one keeps its RNG stream and makes its
            // runs reusable across a sweep over workers.
            workers: if strategy == Strategy::Oracle { 1 } else { sc.workers },
            random_dispatch: sc.dispatch == super::scenario::Dispatch::Random,
            host_subset_size: sc.host_subset_size,
            weighers: Weighers {
                // The random policy ties everything, failing hosts included.
                build_failure: if sc.weigher == super::scenario::WeigherPolicy::Random {
                    0.0
                } else {
                    sc.build_failure_weight_multiplier
                },
                ..Weighers::for_policy(
                    sc.weigher,
                    sc.ram_weight_multiplier,
                    sc.disk_weight_multiplier,
                    sc.io_ops_weight_multiplier,
                )
            },
            shuffle_ties: sc.shuffle_best_same_weighed_hosts,
            max_attempts: sc.max_attempts,
            num_alternates,
            cache: if sc.cache == CacheMode::AsReleased { policy.cache } else { sc.cache },
            cache_refresh: us(sc.cache_refresh_s * 1000.0),
            limit: sc.max_placement_results,
            randomize_candidates: sc.randomize_allocation_candidates,
            evict_unseen: sc.evict_unseen_hosts,
            resource_filters: policy.resource_filters.then_some(ResourceFilters {
                total_ram_mb: c.memory_mb,
                ram_ratio: (ram.num, ram.den),
                total_disk_gb: c.disk_gb,
                disk_ratio: (disk.num, disk.den),
                total_vcpu: c.vcpu,
                cpu_ratio: (cpu.num, cpu.den),
                core_filter: sc.core_filter,
            }),
            build_failure: s.compute.build_failure,
            bad_host_fraction: s.compute.bad_host_fraction,
            delete_allocation_on_failure: s.compute.delete_allocation_on_failure,
            coarse: s.placement.conflict_mode == super::scenario::ConflictMode::Coarse,
            max_concurrent_builds: s.compute.max_concurrent_builds,
            spawn_median_s: s.compute.spawn_median_s,
            spawn_sigma: s.compute.spawn_sigma,
            periodic: us(s.compute.periodic_interval_s * 1000.0),
            tau: us(s.placement.tau_txn_ms),
            retries: Retries::of(if s.placement.retry_policy == RetryPolicy::PerRelease {
                policy.release
            } else {
                s.placement.retry_policy
            }),
            lat: Latencies {
                api: us(l.api_ms),
                rpc: us(l.rpc_ms),
                cand_base: us(l.candidates_base_ms),
                cand_per_host_ns: ns(l.candidates_per_host_ms),
                db_base: us(l.db_base_ms),
                db_per_host_ns: ns(l.db_per_host_ms),
                fw_per_host_ns: ns(l.filter_weigh_per_host_ms),
                get: us(l.claim_get_ms),
                put: us(l.claim_put_ms),
                sc: us(l.super_conductor_ms),
                cc: us(l.cell_conductor_ms),
                rt: us(l.rt_claim_ms),
                jitter: l.jitter,
            },
        }
    }

    /// The cell of a host: contiguous blocks of `hosts / cells`.
    pub fn cell_of(&self, host: u32) -> u32 {
        (u64::from(host) * u64::from(self.cells) / u64::from(self.hosts)) as u32
    }
}
