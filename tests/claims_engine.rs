//! Whole-engine tests of the claim engine: determinism, closed-form answers, properties over
//! random small clouds, and snapshots of what readers see.

use fanzine::claims::params::Params;
use fanzine::claims::scenario::Scenario;
use fanzine::claims::sim::{InstState, Sim};
use fanzine::claims::strategies::Strategy as Design;
use fanzine::claims::{ENGINE_VERSION, run_scenario_str};
use proptest::prelude::*;

const ALL: [Design; 7] = [
    Design::Legacy,
    Design::Pike,
    Design::SummitSameCell,
    Design::SummitAnyCell,
    Design::Proposal,
    Design::Queens,
    Design::Oracle,
];

fn small(extra: &str) -> String {
    format!(
        "seeds = 3\n[cloud]\nhosts = 30\ncells = 2\n[workload]\narrival = \"burst\"\nburst = 20\nrequests = 40\n{extra}"
    )
}

fn metric(report: &fanzine::claims::Report, strategy: &str, name: &str) -> f64 {
    report.rows.iter().find(|r| r.strategy == strategy).unwrap().metrics.get(name).unwrap().mean
}

#[test]
fn same_seed_same_bytes_different_seed_different_bytes() {
    let a = run_scenario_str(&small("")).unwrap().to_json();
    let b = run_scenario_str(&small("")).unwrap().to_json();
    assert_eq!(a, b);
    let c = run_scenario_str(&format!("seed = 2\n{}", small(""))).unwrap().to_json();
    assert_ne!(a, c);
    assert!(a.contains(&format!("\"engine_version\": \"{ENGINE_VERSION}\"")));
    assert!(a.contains("\"seeds\": [\n    1,\n    2,\n    3\n  ]"));
}

#[test]
fn json_carries_every_metric_per_strategy_and_sweep_value() {
    let src = format!(
        "strategies = [\"queens\", \"proposal\"]\n{}",
        small("[sweep]\nparam = \"scheduler.workers\"\nvalues = [1, 4]\n")
    );
    let report = run_scenario_str(&src).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for row in rows {
        for name in fanzine::claims::metrics::NAMES {
            assert!(row["metrics"][name]["mean"].is_number(), "{name}");
        }
    }
    assert_eq!(rows[2]["sweep_value"], "4");
    assert_eq!(json["sweep_param"], "scheduler.workers");
}

/// Hosts that each fit exactly `slots` instances of the only flavour, no overcommit.
fn uniform(hosts: u32, slots: u64, requests: u32, arrival: &str, workers: u32, weigher: &str, fail: f64) -> Scenario {
    Scenario::parse(&format!(
        r#"
seeds = 1
[cloud]
hosts = {hosts}
vcpu = {slots}
memory_mb = {mem}
disk_gb = {disk}
reserved_memory_mb = 0
cpu_allocation_ratio = 1.0
ram_allocation_ratio = 1.0
disk_allocation_ratio = 1.0
fill = 0.0
[workload]
arrival = "{arrival}"
rate = 0.2
burst = {requests}
requests = {requests}
multi_create_ratio = 0.0
flavors = [{{ name = "f", vcpu = 1, memory_mb = 2048, disk_gb = 20 }}]
[scheduler]
workers = {workers}
weigher = "{weigher}"
[compute]
build_failure = {fail}
"#,
        mem = slots * 2048 + 1000,
        disk = slots * 20 + 5,
    ))
    .unwrap()
}

fn run(s: &Scenario, strategy: Design, seed: u64) -> (Vec<f64>, Vec<InstState>) {
    let p = Params::new(s, strategy);
    let r = Sim::new(&p, seed).run().unwrap_or_else(|v| panic!("{v}"));
    (r.values, r.states)
}

fn value(v: &[f64], name: &str) -> f64 {
    v[fanzine::claims::metrics::index_of(name).unwrap()]
}

#[test]
fn serial_stacking_places_exactly_floor_capacity_over_flavour() {
    // One worker, requests 5 s apart (no overlap), a stack weigher and one flavour: every
    // strategy places min(R, N · floor(min over classes of capacity / flavour)). Here the RAM
    // leftover (1000 MB) and disk leftover (5 GB) are less than one flavour, so 7 per host.
    let s = uniform(4, 7, 40, "poisson", 1, "stack", 0.0);
    for strategy in ALL {
        let (v, _) = run(&s, strategy, 11);
        assert_eq!(value(&v, "active"), 28.0, "{strategy:?}");
        assert_eq!(value(&v, "no_valid_host"), 12.0, "{strategy:?}");
        assert_eq!(value(&v, "capacity_conflicts"), 0.0, "{strategy:?}");
    }
}

#[test]
fn claim_loops_never_lose_capacity_to_races() {
    // With no build failures and single-instance requests, a strategy whose scheduler walks
    // every candidate only fails when every host is full, whatever the concurrency: a claim
    // fails only on a full host, and usage never falls. So active = min(R, slots) exactly.
    for (requests, workers) in [(50, 3), (10, 8), (24, 2)] {
        let s = uniform(6, 4, requests, "burst", workers, "spread", 0.0);
        for strategy in [Design::Pike, Design::Proposal, Design::Queens, Design::Oracle] {
            for seed in 1..4 {
                let (v, _) = run(&s, strategy, seed);
                assert_eq!(value(&v, "active"), f64::from(requests.min(24)), "{strategy:?} {requests} {workers}");
                assert_eq!(value(&v, "false_no_valid_host"), 0.0);
            }
        }
    }
}

#[test]
fn certain_build_failure_costs_exactly_min_attempts_hosts_builds() {
    // Every spawn fails. Rescheduling strategies build max_attempts times when there are at
    // least that many hosts; alternates strategies build 1 + min(max_attempts - 1, N - 1).
    // Hosts are roomy so that no build is ever rejected for capacity by a stale view.
    for hosts in [2u32, 5] {
        let s = uniform(hosts, 50, 6, "poisson", 1, "spread", 1.0);
        for strategy in ALL {
            let (v, states) = run(&s, strategy, 5);
            let per_instance = f64::from(hosts.min(3));
            assert_eq!(value(&v, "build_failures"), 6.0 * per_instance, "{strategy:?} on {hosts} hosts");
            assert_eq!(value(&v, "active"), 0.0);
            assert!(states.iter().all(|s| matches!(s, InstState::MaxRetries | InstState::NoValidHost)));
        }
    }
}

#[test]
fn a_scenario_error_names_the_key_and_suggests() {
    let err = run_scenario_str("[workload]\nrequsts = 3\n").unwrap_err().to_string();
    assert_eq!(
        err,
        "2:1: unknown field `requsts`, expected one of `arrival`, `rate`, `requests`, `burst`, `lifetime_mean_s`, `multi_create_ratio`, \
         `multi_create_num`, `flavors` (did you mean `requests`?)"
    );
}

#[test]
fn rendered_table_snapshot() {
    let src = format!(
        "title = \"Snapshot\"\nstrategies = [\"pike\", \"queens\", \"oracle\"]\n{}",
        small("[report]\ncolumns = [\"active\", \"capacity_conflicts\", \"claim_attempts_per_instance\"]\n")
    );
    let report = run_scenario_str(&src).unwrap();
    insta::with_settings!({ snapshot_path => "fixtures/claims/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("table_text", report.to_text());
        insta::assert_snapshot!("table_markdown", report.to_markdown());
        insta::assert_snapshot!("table_html", report.to_html("Seed 1 · claims-engine"));
    });
}

#[test]
fn sweep_html_has_a_theme_neutral_chart() {
    let src = format!(
        "strategies = [\"pike\", \"proposal\"]\n{}",
        small("[sweep]\nparam = \"workload.burst\"\nvalues = [5, 20]\n")
    );
    let html = run_scenario_str(&src).unwrap().to_html("caption <with> markup");
    assert!(html.contains("<svg"));
    assert!(html.contains("currentColor"));
    assert!(html.contains("var(--claims-series-1, currentColor)"));
    assert!(html.contains("<caption>caption &lt;with&gt; markup</caption>"));
    assert!(!html.contains("#000") && !html.contains("#fff"));
}

#[test]
fn coarse_conflicts_refuse_claims_that_would_have_fit() {
    // Omega's counterfactual: with generations checked at commit, any write between the
    // query and the claim refuses the claim, so a burst costs more conflicts than Placement's
    // fine-grained check, where a claim fails only on a full host.
    let fine = run_scenario_str(&format!("strategies = [\"pike\"]\n{}", small(""))).unwrap();
    let coarse =
        run_scenario_str(&format!("strategies = [\"pike\"]\n{}", small("[placement]\nconflict_mode = \"coarse\"\n")))
            .unwrap();
    let conflicts = |r: &fanzine::claims::Report| {
        metric(r, "pike", "capacity_conflicts") + metric(r, "pike", "generation_conflicts")
    };
    assert!(conflicts(&coarse) > conflicts(&fine), "{} vs {}", conflicts(&coarse), conflicts(&fine));
}

#[test]
fn races_show_up_under_a_burst() {
    // Not a verdict, a sanity check that the race machinery is alive: with several workers and
    // a burst, queens' per-request view herds onto the same hosts, and the oracle never
    // conflicts.
    let report = run_scenario_str(&small("")).unwrap();
    assert!(metric(&report, "queens", "capacity_conflicts") > 0.0);
    assert_eq!(metric(&report, "oracle", "capacity_conflicts"), 0.0);
    assert_eq!(metric(&report, "oracle", "generation_conflicts"), 0.0);
}

fn arb_scenario() -> impl Strategy<Value = String> {
    (
        (1u32..6, 1u32..3, 1u64..4, 1u32..9, prop::bool::ANY),
        (0.0f64..1.0, 1u32..4, 1u32..5, 0u32..4, prop_oneof![Just(0.0), Just(30.0)]),
        (
            prop_oneof![Just("per_release"), Just("pike"), Just("queens"), Just("rocky"), Just("none")],
            prop_oneof![Just("as_released"), Just("persistent"), Just("per_request"), Just("periodic")],
            prop_oneof![Just("spread"), Just("stack"), Just("random")],
            1u32..4,
            0.0f64..0.6,
        ),
        (0.0f64..0.5, prop::bool::ANY, prop_oneof![Just(0.0), Just(1e6)], 1u32..7, prop::bool::ANY, prop::bool::ANY),
        (0.0f64..0.95, prop_oneof![Just(0.0), Just(1.0)]),
    )
        .prop_map(|((hosts, cells, slots, requests, burst), (fail, workers, attempts, alts, tau), (retry, cache, weigher, subset, multi), (bad, coarse, bfw, limit, randomize, shuffle), (jitter, lifetime))| {
            let cells = cells.min(hosts);
            format!(
                r#"
[cloud]
hosts = {hosts}
cells = {cells}
vcpu = {slots}
memory_mb = {mem}
disk_gb = {disk}
reserved_memory_mb = 0
fill = 0.0
[workload]
arrival = "{arrival}"
rate = 20.0
burst = 4
requests = {requests}
multi_create_ratio = {multi}
multi_create_num = 2
lifetime_mean_s = {lifetime:?}
flavors = [{{ name = "a", vcpu = 1, memory_mb = 1024, disk_gb = 1 }}, {{ name = "b", vcpu = 2, memory_mb = 2048, disk_gb = 2, weight = 2 }}]
[scheduler]
workers = {workers}
max_attempts = {attempts}
alternates = {alts}
cache = "{cache}"
weigher = "{weigher}"
host_subset_size = {subset}
cache_refresh_s = 0.5
build_failure_weight_multiplier = {bfw:?}
max_placement_results = {limit}
randomize_allocation_candidates = {randomize}
shuffle_best_same_weighed_hosts = {shuffle}
dispatch = "{dispatch}"
[compute]
build_failure = {fail}
bad_host_fraction = {bad}
spawn_median_s = 2.0
[latency]
jitter = {jitter}
[placement]
tau_txn_ms = {tau}
retry_policy = "{retry}"
conflict_mode = "{mode}"
"#,
                mem = slots * 1024,
                disk = slots * 2,
                arrival = if burst { "burst" } else { "poisson" },
                mode = if coarse { "coarse" } else { "fine" },
                dispatch = if shuffle { "random" } else { "round_robin" },
            )
        })
}

proptest! {
    // 48 cases by default; PROPTEST_CASES=5000 for a long hunt.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    /// Invariants hold after every event (checked on every provider) and every request ends.
    #[test]
    fn invariants_hold_and_every_request_ends(src in arb_scenario(), seed in 0u64..1000) {
        let s = Scenario::parse(&src).unwrap();
        for strategy in ALL {
            let p = Params::new(&s, strategy);
            let r = Sim::new(&p, seed).paranoid().run();
            let r = match r {
                Ok(r) => r,
                Err(v) => return Err(TestCaseError::fail(format!("{v}\n{src}"))),
            };
            prop_assert!(r.states.iter().all(|s| matches!(s, InstState::Active | InstState::NoValidHost | InstState::MaxRetries | InstState::Deleted)));
            let ended = value(&r.values, "active") + value(&r.values, "no_valid_host") + value(&r.values, "max_retries_exceeded");
            prop_assert_eq!(ended, value(&r.values, "instances"));
        }
    }
}

#[test]
fn the_post_scenarios_parse_and_stay_small() {
    // Their run time is measured by `cargo bench --bench claims` (release); here, only that
    // they are valid and how many single runs they ask for.
    let post = include_str!("../content/claims-in-the-scheduler.md");
    let blocks = fanzine::markdown::fenced_blocks(post, "claims");
    assert_eq!(blocks.len(), 5);
    let mut total = 0;
    for (i, src) in blocks.iter().enumerate() {
        Scenario::parse(src).unwrap_or_else(|e| panic!("block {i}: {e}"));
        total += fanzine::claims::count_runs(src, &Default::default()).unwrap();
    }
    // Runs a sweep value cannot change are shared: the oracle ignores workers.
    assert_eq!(total, 200 + (400 - 4 * 20) + 300 + 240 + 240);
}

#[test]
fn the_documented_defaults_are_the_defaults() {
    let src = include_str!("fixtures/claims/defaults.toml");
    assert_eq!(Scenario::parse(src).unwrap(), Scenario::default());
}

#[test]
fn every_bad_scenario_fixture_is_refused_with_a_located_hint() {
    // One file per bad-input case: adding a case is adding a file.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/claims/bad");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let src = std::fs::read_to_string(dir.join(&name)).unwrap();
        let err = run_scenario_str(&src).expect_err("a bad scenario must be refused");
        out.push_str(&format!("{}: {err}\n", name.to_string_lossy()));
    }
    insta::with_settings!({ snapshot_path => "fixtures/claims/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("bad_scenarios", out);
    });
}

#[test]
fn bug_1719933_client_retries_are_insufficient_server_retries_fix_it() {
    // Nova bug 1719933, reproduced: a burst of claims on one big provider exhausts Queens'
    // three PUTs; Rocky's server-side retries (and sleeps) let every claim through.
    let src = include_str!("fixtures/claims/bug-1719933.toml");
    let opts = fanzine::claims::RunOptions { seeds: Some(3), ..Default::default() };
    let report = fanzine::claims::run_scenario_str_with(src, &opts).unwrap();
    let nvh = |policy: &str| {
        report
            .rows
            .iter()
            .find(|r| r.sweep_value.as_deref() == Some(policy))
            .unwrap()
            .metrics
            .get("no_valid_host")
            .unwrap()
            .mean
    };
    assert!(nvh("queens") > 50.0, "{}", nvh("queens"));
    assert_eq!(nvh("rocky"), 0.0);
}

#[test]
fn bug_1712718_leaked_allocations_trip_the_leak_invariant() {
    // Without the fix, a build that fails for good leaves its allocation behind; the run must
    // stop with the seed and a trace rather than publish numbers.
    let src = "strategies = [\"pike\"]\nseeds = 1\n[cloud]\nhosts = 4\n[workload]\nrequests = 20\n\
               [compute]\nbuild_failure = 1.0\ndelete_allocation_on_failure = false\n";
    let err = run_scenario_str(src).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("leak: failed instance"), "{text}");
    assert!(text.contains("strategy pike, seed 1"), "{text}");
    assert!(run_scenario_str(&src.replace("= false", "= true")).is_ok());
}

#[test]
fn the_reproduction_command_names_the_seeds() {
    let report = run_scenario_str(&format!("seed = 9\n{}", small(""))).unwrap();
    assert_eq!(report.reproduce_command("posts/claims.toml"), "fanzine claims posts/claims.toml --seed 9 --seeds 3");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32)
    ))]

    /// The closed form of `claim_loops_never_lose_capacity_to_races`, over random concurrency,
    /// latencies and views: designs whose scheduler walks every candidate place exactly
    /// min(requests, slots) when nothing fails and the candidates are not truncated.
    #[test]
    fn claim_loops_place_min_of_requests_and_slots(
        hosts in 1u32..6,
        slots in 1u64..5,
        requests in 1u32..25,
        workers in 1u32..6,
        jitter in 0.0f64..0.95,
        tau in prop_oneof![Just(0.0), Just(20.0)],
        seed in 0u64..1000,
    ) {
        let mut s = uniform(hosts, slots, requests, "burst", workers, "spread", 0.0);
        s.latency.jitter = jitter;
        s.placement.tau_txn_ms = tau;
        // Rocky's retries so that generation conflicts cannot exhaust a claim.
        s.placement.retry_policy = fanzine::claims::scenario::RetryPolicy::Rocky;
        for strategy in [Design::Pike, Design::Proposal, Design::Queens, Design::Oracle] {
            let (v, _) = run(&s, strategy, seed);
            let slots_total = f64::from(hosts) * slots as f64;
            prop_assert_eq!(value(&v, "active"), f64::from(requests).min(slots_total), "{:?}", strategy);
        }
    }
}

#[test]
fn summit_can_strand_a_request_with_capacity_free_the_proposal_cannot() {
    // MODEL.md §8.1's headline, on a small burst: the super conductor only tries the selected
    // host and its alternates, so concurrent workers that picked the same hosts can leave a
    // request with NoValidHost while another host is empty. The proposal's scheduler walks
    // every candidate, so it cannot.
    let s = uniform(6, 1, 6, "burst", 3, "spread", 0.0);
    let (mut stranded, mut phantoms) = (0.0, 0.0);
    for seed in 1..6 {
        let (summit, _) = run(&s, Design::SummitSameCell, seed);
        let (proposal, _) = run(&s, Design::Proposal, seed);
        stranded += value(&summit, "false_no_valid_host");
        phantoms += value(&summit, "phantom_consumptions");
        if value(&summit, "phantom_consumptions") > 0.0 {
            assert!(value(&summit, "phantom_lifetime_host_s") > 0.0);
        }
        assert_eq!(value(&proposal, "false_no_valid_host"), 0.0);
        assert_eq!(value(&proposal, "phantom_consumptions"), 0.0);
        assert_eq!(value(&proposal, "active"), 6.0);
    }
    assert!(stranded > 0.0);
    // The hosts the super conductor failed to claim stay consumed in the workers' views.
    assert!(phantoms > 0.0);
}

#[test]
fn a_cancelled_run_stops_before_its_next_event() {
    let s = Scenario::parse(&small("")).unwrap();
    let p = Params::new(&s, Design::Queens);
    let cancel = fanzine::claims::Cancel::default();
    let mut sim = Sim::new(&p, 1).with_cancel(&cancel);
    assert!(sim.step().unwrap());
    cancel.cancel();
    assert!(matches!(sim.run_or_cancel(), Err(fanzine::claims::ScenarioError::Cancelled)));
    // A whole scenario too: no run starts once the token is set.
    let opts = fanzine::claims::RunOptions { cancel: Some(&cancel), ..Default::default() };
    let err = fanzine::claims::run_scenario_str_with(&small(""), &opts).unwrap_err();
    assert_eq!(err, fanzine::claims::ScenarioError::Cancelled);
}
