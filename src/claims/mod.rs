//! The claim engine: a deterministic simulator of where OpenStack Nova claims resources in
//! Placement, and what each design costs under load.
//!
//! It knows nothing of the site. The site calls it through this narrow API:
//!
//! ```
//! use fanzine::claims::{run_scenario_str, ENGINE_VERSION};
//!
//! let toml = "strategies = [\"queens\", \"proposal\"]\nseeds = 2\n[cloud]\nhosts = 20\n[workload]\nrequests = 20\n";
//! let report = run_scenario_str(toml).expect("a valid scenario");
//! assert_eq!(report.seed(), 1);
//! let html = report.to_html("Seed 1, claims engine ".to_string() + ENGINE_VERSION);
//! assert!(html.contains("<table"));
//! ```
//!
//! * [`run_scenario_str`] parses a scenario (TOML; see [`scenario::Scenario`] for the keys and
//!   their defaults), runs every strategy over every seed (in parallel) and every sweep value,
//!   and returns a [`Report`]. Same input, same bytes out, on any machine.
//! * [`run_scenario_str_with`] does the same with the seed or seed count overridden and an
//!   optional progress callback (the CLI uses it); [`trace_scenario_str`] returns one run's
//!   full event log, to replay a number or an invariant violation event by event.
//! * [`Report::to_html`] renders an HTML fragment (a `<table>` with the caller's caption and,
//!   for a sweep, an inline SVG chart that follows `currentColor`); [`Report::to_text`],
//!   [`Report::to_markdown`], [`Report::to_csv`] and [`Report::to_json`] render the rest.
//! * [`ENGINE_VERSION`] changes whenever the model changes in a way that changes numbers. Caching tables between
//!   builds is the site's business (`experiments`), keyed on the scenario and fanzine's own sources.
//! * [`Report::seed`], [`Report::footer`] and [`Report::reproduce_command`] give what a caption
//!   needs to say how to get the same bytes again.
//!
//! Errors are [`ScenarioError`]s: TOML errors with line and column, unknown keys with a "did
//! you mean", every value out of range at once (each naming its key and line, so one round of
//! fixes addresses them all), scenarios too large to run ([`budget`], checked before anything
//! runs), a cancelled run ([`Cancel`]), and (an engine bug) an invariant violation carrying the
//! seed and the last events so it can be replayed.
//!
//! Inside: [`rng`] (stable random streams), [`placement`] (the exact Placement model),
//! [`scheduler`] (filters, weighers, host choice), [`sim`] (the event loop),
//! [`strategies`] (one file per design), [`metrics`] and [`report`].

pub mod budget;
pub mod exhaustive;
pub mod ids;
pub mod invariants;
pub mod metrics;
pub mod params;
pub mod placement;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod scheduler;
pub mod sim;
pub mod strategies;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

pub use report::{Report, Row};
pub use scenario::{Scenario, ScenarioError};

/// The engine's version, printed under every table and part of every cache key.
pub const ENGINE_VERSION: &str = "claims-0.3.0";

/// Simulated time in microseconds.
pub type Micros = u64;

/// Asks running scenarios to stop: the engine checks it before every event and returns
/// [`ScenarioError::Cancelled`]. A plain flag the caller owns (the preview sets it on Ctrl-C); clones share it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Overrides and hooks for one run of a scenario.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Replace the scenario's `seed`.
    pub seed: Option<u64>,
    /// Replace the scenario's `seeds`.
    pub seeds: Option<u32>,
    /// Called with (runs done, runs in all) as runs finish, from worker threads.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Stop early when set.
    pub cancel: Option<&'a Cancel>,
}

/// Parse `toml_src`, run it, and report.
pub fn run_scenario_str(toml_src: &str) -> Result<Report, ScenarioError> {
    run_scenario_str_with(toml_src, &RunOptions::default())
}

/// How many single runs a scenario takes: distinct cases (strategy × sweep value, less those a
/// sweep value does not change) × seeds. A scenario over the [`budget`] is refused here too.
pub fn count_runs(toml_src: &str, opts: &RunOptions) -> Result<usize, ScenarioError> {
    let variants = Scenario::expand(toml_src)?;
    let seeds = opts.seeds.unwrap_or(variants[0].1.seeds);
    budget::check(toml_src, &variants, seeds.max(1))?;
    Ok(Cases::new(&variants).unique.len() * seeds as usize)
}

/// Every (sweep value, strategy) of a scenario with its parameters, and which of them must run.
struct Cases {
    all: Vec<(Option<String>, params::Params)>,
    /// For each case, the first case with equal parameters (itself if none).
    first_equal: Vec<usize>,
    /// The cases that run.
    unique: Vec<usize>,
}

impl Cases {
    fn new(variants: &[(Option<String>, Scenario)]) -> Cases {
        let mut all = Vec::new();
        for (value, scenario) in variants {
            for name in &scenario.strategies {
                let strategy = strategies::Strategy::from_name(name).expect("validated strategy name");
                all.push((value.clone(), params::Params::new(scenario, strategy)));
            }
        }
        // A case whose parameters equal an earlier one's (a sweep value the strategy ignores)
        // is not run again: same parameters and seed, same numbers.
        let first_equal: Vec<usize> =
            (0..all.len()).map(|c| (0..c).find(|&d| all[d].1 == all[c].1).unwrap_or(c)).collect();
        let unique = (0..all.len()).filter(|&c| first_equal[c] == c).collect();
        Cases { all, first_equal, unique }
    }
}

/// The full event log of one run: `strategy` under `seed` (the scenario's seed by default),
/// at the first sweep value. This is how a published number, or an invariant violation's
/// seed, is replayed event by event.
pub fn trace_scenario_str(toml_src: &str, strategy: &str, seed: Option<u64>) -> Result<Vec<String>, ScenarioError> {
    let variants = Scenario::expand(toml_src)?;
    let scenario = &variants[0].1;
    let Some(design) = strategies::Strategy::from_name(strategy) else {
        let hint = scenario::suggest(strategy, scenario::STRATEGY_NAMES)
            .map(|h| format!(" (did you mean `{h}`?)"))
            .unwrap_or_default();
        let problem = scenario::Problems::one("--trace", format!("unknown strategy `{strategy}`{hint}"));
        return Err(ScenarioError::Invalid(problem));
    };
    let one = [(None, Scenario { strategies: vec![strategy.to_string()], sweep: None, ..scenario.clone() })];
    budget::check(toml_src, &one, 1)?;
    let p = params::Params::new(scenario, design);
    let run = sim::Sim::new(&p, seed.unwrap_or(scenario.seed)).with_trace().run()?;
    Ok(run.trace)
}

/// [`run_scenario_str`] with overrides and progress.
pub fn run_scenario_str_with(toml_src: &str, opts: &RunOptions) -> Result<Report, ScenarioError> {
    let variants = Scenario::expand(toml_src)?;
    // The scenario as written (with its sweep), for the report's header.
    let base = &Scenario::parse(toml_src)?;
    let seed = opts.seed.unwrap_or(base.seed);
    let count = opts.seeds.unwrap_or(base.seeds);
    if count == 0 {
        return Err(ScenarioError::Invalid(scenario::Problems::one("seeds", "must be at least 1")));
    }
    // Before anything runs (or is allocated per seed).
    budget::check(toml_src, &variants, count)?;
    let seeds: Vec<u64> = (0..count).map(|i| seed.wrapping_add(u64::from(i))).collect();
    let cases = Cases::new(&variants);
    let jobs: Vec<(usize, u64)> = cases.unique.iter().flat_map(|&c| seeds.iter().map(move |s| (c, *s))).collect();
    let done = AtomicUsize::new(0);
    let total = jobs.len();
    let results: Vec<Vec<f64>> = jobs
        .par_iter()
        .map(|&(c, s)| {
            let r = match opts.cancel {
                Some(cancel) if cancel.is_cancelled() => Err(ScenarioError::Cancelled),
                Some(cancel) => sim::Sim::new(&cases.all[c].1, s).with_cancel(cancel).run_or_cancel().map(|r| r.values),
                None => sim::Sim::new(&cases.all[c].1, s).run().map(|r| r.values).map_err(ScenarioError::from),
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(progress) = opts.progress {
                progress(n, total);
            }
            r
        })
        .collect::<Result<_, _>>()?;
    let rows = cases
        .all
        .iter()
        .enumerate()
        .map(|(c, (value, p))| {
            let k = cases.unique.iter().position(|&u| u == cases.first_equal[c]).expect("every case has a run");
            let per_seed = &results[k * seeds.len()..(k + 1) * seeds.len()];
            Row::new(value.clone(), p.strategy.name(), per_seed)
        })
        .collect();
    Ok(Report::new(base, seed, seeds, rows))
}
