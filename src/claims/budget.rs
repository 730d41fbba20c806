//! What a scenario will cost, estimated before anything runs, and refused when it is too much.
//!
//! Every key of a scenario has its own sanity bound, but the bounds multiply: 10,000 seeds × 100,000 hosts ×
//! 1,000,000 requests passes each of them and would run for years, and a post that embeds it would hang the build
//! (and, before cancellation, the preview). So the whole scenario is priced in *steps*, a unit that costs about
//! 50–100 ns on this project's 2-core machine at the test profile's `opt-level = 1` (less in release):
//!
//! * a run costs `hosts × (instances + FILL_STEPS)` (Placement's candidates query, the oracle's walk and a
//!   NoValidHost check each visit every host once per instance; the initial fill visits each host a few times)
//!   plus `EVENT_STEPS` per event;
//! * a run's events are `instances × attempts × (EVENTS_PER_ATTEMPT + 2 × claim tries)`, where `attempts` is the
//!   expected number of build attempts at the scenario's failure rates, capped by `max_attempts`, and claim tries
//!   count every client and server retry of the strategy's retry policy (an overestimate, on purpose);
//! * the scenario costs the sum over strategies and sweep values of its run cost, times the seeds.
//!
//! Two limits follow. [`EVENT_BUDGET`] bounds one run's estimated events: a scenario estimated past it is refused
//! here, with the key to lower. The estimate is not a bound (a claim loop can walk many hosts when a burst herds),
//! so the engine stops a run only past [`event_bound`], the most events any correct run of the scenario can take
//! (every claim loop walking its whole list with every retry), and never less than [`EVENT_BUDGET`]: a scenario
//! that validation admits does not end as an "engine bug" because it was merely large.
//! [`WORK_BUDGET`] bounds the whole scenario at 300,000,000 steps, 15–30 s of CPU at worst on the machine above:
//! each of the blog's tables costs under a fifth of it (a test checks), the defaults 54 million,
//! and a block that would keep the build busy for more than a few tens of seconds is refused with the key to lower
//! and the value that would fit. The estimate was fitted on single runs of 100 to 100,000 hosts and 10 to 10,000
//! requests, timed one at a time (0.1 ms to 2 s each); it errs on the side of refusing.
use super::params::Params;
use super::scenario::{Scenario, ScenarioError, key_line};
use super::strategies::Strategy;

/// The most steps a scenario may cost (see the module comment for the unit and the reasoning).
pub const WORK_BUDGET: u64 = 300_000_000;
/// The most events one run may take: the engine stops a run past it as a liveness failure.
pub const EVENT_BUDGET: u64 = super::sim::MAX_EVENTS;
/// Events of one build attempt besides its claims: the scheduling call's share, the CPU section, the build cast,
/// the resource tracker, the spawn and a reschedule. Measured at 4 to 19 per instance with every claim included;
/// 24 leaves room for the claim loops that walk several hosts when capacity runs out.
const EVENTS_PER_ATTEMPT: u64 = 24;
/// One event costs about as much as visiting ten hosts (measured: 0.5–1 µs against 50–100 ns).
const EVENT_STEPS: u64 = 10;
/// The initial fill and the per-host set-up, in host visits.
const FILL_STEPS: u64 = 16;

/// The estimated cost of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunCost {
    pub events: u64,
    pub steps: u64,
}

/// The estimated cost of one run of `p`.
pub fn run_cost(p: &Params) -> RunCost {
    let spread = 1.0 + p.multi_create_ratio * f64::from(p.multi_create_num.saturating_sub(1));
    let instances = (f64::from(p.requests) * spread).ceil() as u64;
    // Each attempt fails with probability f (a bad host fails every spawn); the expected number of attempts of a
    // geometric series cut at max_attempts.
    let f = (p.build_failure + p.bad_host_fraction * (1.0 - p.build_failure)).clamp(0.0, 1.0);
    let m = f64::from(p.max_attempts);
    let attempts = if f >= 1.0 { m } else { ((1.0 - f.powf(m)) / (1.0 - f)).min(m) };
    let claim_events = 2 * u64::from(p.retries.client_tries) * (1 + u64::from(p.retries.server_retries));
    let events = (instances as f64 * attempts.max(1.0) * (EVENTS_PER_ATTEMPT + claim_events) as f64).ceil() as u64;
    // With lifetimes, one delete per instance on top.
    let events = if p.lifetime > 0 { events + instances } else { events };
    let steps =
        u64::from(p.hosts).saturating_mul(instances + FILL_STEPS).saturating_add(events.saturating_mul(EVENT_STEPS));
    RunCost { events, steps }
}

/// The most events a correct run of `p` can take, twice over: every instance at its most attempts (`max_attempts`
/// plus every alternate), each attempt's fixed events (the call, the CPU section, the build, a periodic write, a
/// delete) and claims walking the whole candidate list and the alternates with every client and server retry.
pub fn event_bound(p: &Params) -> u64 {
    let instances = u64::from(p.requests) * u64::from(p.multi_create_num);
    let alternates = u64::from(p.num_alternates);
    let attempts = u64::from(p.max_attempts) + alternates + 1;
    let walk = u64::from(p.hosts.min(p.limit)) + alternates + 1;
    let claim_events = 2 * u64::from(p.retries.client_tries) * (1 + u64::from(p.retries.server_retries));
    let per_attempt = 16u64.saturating_add(claim_events.saturating_mul(walk));
    let bound = u64::from(p.requests).saturating_add(instances.saturating_mul(attempts).saturating_mul(per_attempt));
    bound.saturating_mul(2).max(EVENT_BUDGET)
}

/// Checks `variants` (one scenario per sweep value) run over `seeds` seeds against both budgets. `src` is the
/// scenario's text, to name the lines of the keys to change.
pub fn check(src: &str, variants: &[(Option<String>, Scenario)], seeds: u32) -> Result<(), ScenarioError> {
    let costs = Costs::of(variants);
    if let Some((strategy, cost)) = costs.worst_run()
        && cost.events > EVENT_BUDGET
    {
        return Err(too_many_events(src, variants, strategy, cost.events));
    }
    let total = costs.total(seeds);
    if total > WORK_BUDGET {
        return Err(too_much_work(src, variants, seeds, total));
    }
    Ok(())
}

/// Run costs of every (sweep value, strategy).
struct Costs(Vec<(Strategy, RunCost)>);

impl Costs {
    fn of(variants: &[(Option<String>, Scenario)]) -> Costs {
        Costs(
            variants
                .iter()
                .flat_map(|(_, s)| {
                    s.strategies.iter().map(move |name| {
                        let strategy = Strategy::from_name(name).expect("validated strategy name");
                        (strategy, run_cost(&Params::new(s, strategy)))
                    })
                })
                .collect(),
        )
    }

    fn worst_run(&self) -> Option<(Strategy, RunCost)> {
        self.0.iter().copied().max_by_key(|(_, c)| c.events)
    }

    fn total(&self, seeds: u32) -> u64 {
        self.0.iter().fold(0u64, |sum, (_, c)| sum.saturating_add(c.steps.saturating_mul(u64::from(seeds))))
    }
}

/// The largest value in `1..current` for which `fits` holds, if any (`fits` must be monotone).
fn largest_fitting(current: u64, fits: impl Fn(u64) -> bool) -> Option<u64> {
    if current <= 1 || !fits(1) {
        return None;
    }
    let (mut lo, mut hi) = (1, current);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) { lo = mid } else { hi = mid }
    }
    Some(lo)
}

/// A key that can be lowered, how to set it on a scenario, and its value now.
struct Knob {
    key: &'static str,
    current: u64,
    default: u64,
    set: fn(&mut Scenario, u32),
}

/// The keys worth lowering, as written in `variants` (a key the sweep sets is left to the sweep), hosts first: a
/// smaller cloud under the same load keeps the scenario's point better than a trickle of requests.
fn knobs(variants: &[(Option<String>, Scenario)]) -> Vec<Knob> {
    let base = &variants[0].1;
    let swept = base.sweep.as_ref().map(|s| s.param.as_str());
    let defaults = Scenario::default();
    let all = [
        Knob {
            key: "cloud.hosts",
            current: u64::from(base.cloud.hosts),
            default: u64::from(defaults.cloud.hosts),
            set: |s, v| s.cloud.hosts = v.max(s.cloud.cells),
        },
        Knob {
            key: "workload.requests",
            current: u64::from(base.workload.requests),
            default: u64::from(defaults.workload.requests),
            set: |s, v| s.workload.requests = v,
        },
        Knob {
            key: "scheduler.max_attempts",
            current: u64::from(base.scheduler.max_attempts),
            default: u64::from(defaults.scheduler.max_attempts),
            set: |s, v| s.scheduler.max_attempts = v,
        },
    ];
    all.into_iter().filter(|k| Some(k.key) != swept && k.current > 1).collect()
}

/// Every variant with `knob` set to `value`.
fn with(variants: &[(Option<String>, Scenario)], knob: &Knob, value: u64) -> Vec<(Option<String>, Scenario)> {
    let value = u32::try_from(value).unwrap_or(u32::MAX);
    variants
        .iter()
        .map(|(v, s)| {
            let mut s = s.clone();
            (knob.set)(&mut s, value);
            (v.clone(), s)
        })
        .collect()
}

/// "`workload.requests` (line 9) from 1000000 to at most 5000"
fn lower(src: &str, key: &str, from: u64, to: u64) -> String {
    let line = key_line(src, key).map(|l| format!(" (scenario line {l})")).unwrap_or_default();
    format!("`{key}`{line} from {from} to at most {to}")
}

/// Seeds come from the scenario, or from `fanzine claims --seeds`, which then is what to lower.
fn lower_seeds(src: &str, base: &Scenario, seeds: u32, to: u64) -> String {
    if seeds == base.seeds {
        lower(src, "seeds", u64::from(seeds), to)
    } else {
        format!("`--seeds` from {seeds} to at most {to}")
    }
}

/// The line to point at: the first suggested key written in the scenario.
fn first_line(src: &str, keys: &[&str]) -> Option<usize> {
    keys.iter().find_map(|k| key_line(src, k))
}

fn too_many_events(
    src: &str,
    variants: &[(Option<String>, Scenario)],
    strategy: Strategy,
    events: u64,
) -> ScenarioError {
    let mut options = Vec::new();
    let mut keys = Vec::new();
    for knob in knobs(variants) {
        let fits = |v| Costs::of(&with(variants, &knob, v)).worst_run().is_none_or(|(_, c)| c.events <= EVENT_BUDGET);
        if let Some(to) = largest_fitting(knob.current, fits) {
            options.push(lower(src, knob.key, knob.current, to));
            keys.push(knob.key);
        }
    }
    ScenarioError::TooLarge {
        line: first_line(src, &keys),
        message: format!(
            "one run of `{}` would take about {} events, more than the engine runs ({} a run)",
            strategy.name(),
            thousands(events),
            thousands(EVENT_BUDGET)
        ),
        hint: hint(options),
    }
}

fn too_much_work(src: &str, variants: &[(Option<String>, Scenario)], seeds: u32, total: u64) -> ScenarioError {
    let base = &variants[0].1;
    let mut options = Vec::new();
    let mut keys = Vec::new();
    if let Some(to) = largest_fitting(u64::from(seeds), |s| Costs::of(variants).total(s as u32) <= WORK_BUDGET) {
        options.push(lower_seeds(src, base, seeds, to));
        keys.extend((seeds == base.seeds).then_some("seeds"));
    }
    for knob in knobs(variants) {
        let fits = |v| Costs::of(&with(variants, &knob, v)).total(seeds) <= WORK_BUDGET;
        if let Some(to) = largest_fitting(knob.current, fits) {
            options.push(lower(src, knob.key, knob.current, to));
            keys.push(knob.key);
        }
    }
    if variants.len() > 1 {
        let per_value = Costs::of(&variants[..1]).total(seeds).max(1);
        let fit = WORK_BUDGET / per_value;
        if (1..variants.len() as u64).contains(&fit) {
            let line = key_line(src, "sweep.values").map(|l| format!(" (scenario line {l})")).unwrap_or_default();
            options.push(format!("`sweep.values`{line} from {} values to at most {fit}", variants.len()));
            keys.push("sweep.values");
        }
    }
    if options.is_empty() {
        return together(src, variants, seeds, total);
    }
    let ScenarioError::TooLarge { message, .. } = too_much_work_message(variants.len(), base, seeds, total) else {
        unreachable!("a message")
    };
    ScenarioError::TooLarge { line: first_line(src, &keys), message, hint: hint(options) }
}

fn too_much_work_message(values: usize, base: &Scenario, seeds: u32, total: u64) -> ScenarioError {
    let sweep = if values > 1 { format!(" × {values} sweep values") } else { String::new() };
    let strategies = base.strategies.len();
    ScenarioError::TooLarge {
        line: None,
        message: format!(
            "too much to simulate: {strategies} strateg{} × {seeds} seed{}{sweep} would take about {} steps, \
             more than a build allows ({})",
            if strategies == 1 { "y" } else { "ies" },
            if seeds == 1 { "" } else { "s" },
            thousands(total),
            thousands(WORK_BUDGET)
        ),
        hint: String::new(),
    }
}

/// When no key alone can bring the scenario under the budget: bring the largest back to their defaults, in turn,
/// until one more key alone can.
fn together(src: &str, variants: &[(Option<String>, Scenario)], seeds: u32, total: u64) -> ScenarioError {
    let mut variants = variants.to_vec();
    let mut seeds_now = seeds;
    let mut steps = Vec::new();
    let mut keys = Vec::new();
    let default_seeds = Scenario::default().seeds;
    if seeds > default_seeds {
        seeds_now = default_seeds;
        steps.push(lower_seeds(src, &variants[0].1, seeds, u64::from(default_seeds)).replace("at most ", ""));
        keys.extend((seeds == variants[0].1.seeds).then_some("seeds"));
    }
    let mut fitted = Costs::of(&variants).total(seeds_now) <= WORK_BUDGET;
    for knob in knobs(&variants) {
        if fitted {
            break;
        }
        let fits = |v| Costs::of(&with(&variants, &knob, v)).total(seeds_now) <= WORK_BUDGET;
        if let Some(to) = largest_fitting(knob.current, fits) {
            steps.push(lower(src, knob.key, knob.current, to));
            keys.push(knob.key);
            fitted = true;
        } else if knob.current > knob.default {
            steps.push(lower(src, knob.key, knob.current, knob.default).replace("at most ", ""));
            keys.push(knob.key);
            variants = with(&variants, &knob, knob.default);
            fitted = Costs::of(&variants).total(seeds_now) <= WORK_BUDGET;
        }
    }
    let hint = match (steps.is_empty(), fitted) {
        (true, _) => hint(Vec::new()),
        (false, true) => format!("lower {}", steps.join(", and ")),
        (false, false) => format!("lower {}, and run fewer strategies or sweep values", steps.join(", and ")),
    };
    let ScenarioError::TooLarge { message, .. } = too_much_work_message(variants.len(), &variants[0].1, seeds, total)
    else {
        unreachable!("a message")
    };
    ScenarioError::TooLarge { line: first_line(src, &keys), message, hint }
}

fn hint(options: Vec<String>) -> String {
    if options.is_empty() {
        "make the scenario smaller: fewer seeds, strategies, sweep values, requests or hosts".into()
    } else {
        format!("lower {}", options.join(", or "))
    }
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_str(src: &str) -> Result<(), ScenarioError> {
        let variants = Scenario::expand(src)?;
        let seeds = variants[0].1.seeds;
        check(src, &variants, seeds)
    }

    #[test]
    fn the_defaults_and_the_posts_fit() {
        check_str("").unwrap();
        let post = include_str!("../../content/claims-in-the-scheduler.md");
        for block in crate::markdown::fenced_blocks(post, "claims") {
            let variants = Scenario::expand(&block).unwrap();
            let total = Costs::of(&variants).total(variants[0].1.seeds);
            // A fifth of the budget at most: the blog's tables must stay far from the limit.
            assert!(total < WORK_BUDGET / 5, "{total}");
            check_str(&block).unwrap();
        }
    }

    #[test]
    fn a_runaway_scenario_is_refused_with_the_keys_to_lower() {
        let src = "seeds = 10000\n[cloud]\nhosts = 100000\n[workload]\nrequests = 1000000\n";
        let err = check_str(src).unwrap_err();
        let ScenarioError::TooLarge { line, message, hint } = &err else { panic!("{err}") };
        let expected = "too much to simulate: 7 strategies × 10000 seeds would take about ";
        assert!(message.starts_with(expected), "{message}");
        assert_eq!(*line, Some(1));
        assert!(
            hint.starts_with(
                "lower `seeds` (scenario line 1) from 10000 to 20, and `cloud.hosts` (scenario line 3) from 100000 to \
                 1000, and `workload.requests` (scenario line 5) from 1000000 to at most "
            ),
            "{hint}"
        );
    }

    #[test]
    fn a_run_past_the_engine_event_limit_is_refused_before_it_runs() {
        let src = "strategies = [\"queens\"]\nseeds = 1\n[cloud]\nhosts = 2\n[workload]\nrequests = 1000000\n\
                   [placement]\nretry_policy = \"rocky\"\n";
        let err = check_str(src).unwrap_err();
        let ScenarioError::TooLarge { line, message, hint } = &err else { panic!("{err}") };
        assert!(message.starts_with("one run of `queens` would take about "), "{message}");
        assert!(message.ends_with("events, more than the engine runs (50,000,000 a run)"), "{message}");
        assert_eq!(*line, Some(6));
        assert!(hint.starts_with("lower `workload.requests` (scenario line 6) from 1000000 to at most "), "{hint}");
    }

    #[test]
    fn the_suggested_values_fit() {
        let src = "seeds = 500\n[cloud]\nhosts = 2000\n";
        let ScenarioError::TooLarge { hint, line, .. } = check_str(src).unwrap_err() else { panic!() };
        assert_eq!(line, Some(1));
        let seeds: u32 = hint.split("to at most ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
        check_str(&format!("seeds = {seeds}\n[cloud]\nhosts = 2000\n")).unwrap();
        assert!(check_str(&format!("seeds = {}\n[cloud]\nhosts = 2000\n", seeds + 1)).is_err());
    }

    #[test]
    fn seeds_given_on_the_command_line_are_named_as_such() {
        let variants = Scenario::expand("seeds = 3\n").unwrap();
        let ScenarioError::TooLarge { hint, .. } = check("seeds = 3\n", &variants, 100_000).unwrap_err() else {
            panic!()
        };
        assert!(hint.starts_with("lower `--seeds` from 100000 to at most "), "{hint}");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(50_000_000), "50,000,000");
    }

    #[test]
    fn a_herding_burst_passes_the_estimate_but_never_the_bound() {
        // 40 one-slot hosts and 40 requests at once, three workers with per-request views: the
        // requests herd, and the claim loops walk the list host after host, far more events
        // than the estimate. The run ends normally: the engine's limit is the bound, not the
        // estimate, so only a bug could reach it.
        let src = "strategies = [\"queens\"]\nseeds = 1\n[cloud]\nhosts = 40\nvcpu = 1\nmemory_mb = 1024\n\
                   disk_gb = 1\nreserved_memory_mb = 0\ncpu_allocation_ratio = 1.0\nram_allocation_ratio = 1.0\n\
                   fill = 0.0\n[workload]\narrival = \"burst\"\nburst = 40\nrequests = 40\n\
                   multi_create_ratio = 0.0\nflavors = [{ name = \"one\", vcpu = 1, memory_mb = 1024, disk_gb = 1 }]\n\
                   [scheduler]\ncache = \"per_request\"\n[compute]\nbuild_failure = 0.0\n";
        let scenario = Scenario::parse(src).unwrap();
        let p = Params::new(&scenario, Strategy::Queens);
        let run = super::super::sim::Sim::new(&p, 1).run().expect("a correct run ends");
        let events = run.values[super::super::metrics::index_of("events").unwrap()] as u64;
        assert!(events > run_cost(&p).events, "{events} events against an estimate of {}", run_cost(&p).events);
        assert!(events <= event_bound(&p));
        assert_eq!(event_bound(&p), EVENT_BUDGET, "small scenarios keep the budget as their limit");
    }
}
