//! Criterion benchmarks of the claim engine: raw event throughput on MODEL.md's default
//! scenario (1,000 hosts), and the time to compute every table of the scheduler post.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fanzine::claims::params::Params;
use fanzine::claims::scenario::Scenario;
use fanzine::claims::sim::Sim;
use fanzine::claims::strategies::Strategy;
use fanzine::claims::{metrics, run_scenario_str};

/// The scheduler post itself: its ```claims blocks are the scenarios, with no copies to drift.
const POST: &str = include_str!("../content/claims-in-the-scheduler.md");

fn events_per_second(c: &mut Criterion) {
    let scenario = Scenario::parse("").expect("defaults parse");
    let mut group = c.benchmark_group("engine_default_1000_hosts");
    for strategy in [Strategy::Queens, Strategy::Proposal, Strategy::Legacy] {
        let params = Params::new(&scenario, strategy);
        let probe = Sim::new(&params, 1).run().expect("no violation");
        let events = probe.values[metrics::index_of("events").expect("metric")] as u64;
        group.throughput(Throughput::Elements(events));
        group.bench_function(strategy.name(), |b| {
            b.iter(|| Sim::new(black_box(&params), 1).run().expect("no violation"))
        });
    }
    group.finish();
}

fn post_tables(c: &mut Criterion) {
    let mut group = c.benchmark_group("post_tables");
    group.sample_size(10);
    group.bench_function("all_three", |b| {
        b.iter(|| {
            for src in fanzine::markdown::fenced_blocks(POST, "claims") {
                black_box(run_scenario_str(&src).expect("post scenario runs"));
            }
        })
    });
    for (i, src) in fanzine::markdown::fenced_blocks(POST, "claims").iter().enumerate() {
        let name = format!("table_{}", i + 1);
        group.bench_function(name, |b| b.iter(|| black_box(run_scenario_str(src).expect("post scenario runs"))));
    }
    group.finish();
}

criterion_group!(benches, events_per_second, post_tables);
criterion_main!(benches);
