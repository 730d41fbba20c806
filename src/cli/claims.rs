//! `fanzine claims`: run a claim-engine scenario and print the results.
//!
//! The engine lives in [`fanzine::claims`]; this file only reads the file, passes the
//! overrides, shows progress on stderr for long runs, and prints the chosen format on stdout.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use fanzine::claims::{self, RunOptions};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
    /// The HTML fragment a post embeds (caption: the reproduction line).
    Html,
}

/// The scheduler's host-state view, for `--exhaustive --view`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ViewArg {
    /// One map per worker; local consumptions last until the host's row is written (Ocata, Pike).
    Persistent,
    /// Rows read for each request; nothing outlives it (Queens on).
    PerRequest,
}

/// Simulate where Nova claims resources in Placement, for each strategy in a scenario.
#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// The scenario TOML file.
    #[arg(required_unless_present = "exhaustive")]
    pub scenario: Option<PathBuf>,
    /// Override the scenario's master seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override how many seeds to replicate over.
    #[arg(long)]
    pub seeds: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Instead of the tables, print the event log of one run of this strategy (at --seed).
    #[arg(long, value_name = "STRATEGY")]
    pub trace: Option<String>,
    /// Instead of simulating, enumerate every interleaving of the claim steps of every strategy
    /// on small built-in configurations, check the invariants, and print the worst cases with
    /// shortest counterexamples.
    #[arg(long, conflicts_with_all = ["scenario", "seed", "seeds", "format", "trace"])]
    pub exhaustive: bool,
    /// With --exhaustive: check only this configuration (repeatable; default: all).
    #[arg(long, value_name = "NAME", requires = "exhaustive", value_parser = exhaustive_config)]
    pub config: Vec<String>,
    /// With --exhaustive: one host-state view for every strategy (default: each strategy's own).
    #[arg(long, value_enum, requires = "exhaustive")]
    pub view: Option<ViewArg>,
    /// With --exhaustive: stop a search after this many states (it then says so).
    #[arg(long, value_name = "N", requires = "exhaustive", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_states: Option<u64>,
}

/// A shipped configuration's name; clap lists them when the name is wrong.
fn exhaustive_config(name: &str) -> Result<String, String> {
    let names = claims::exhaustive::configs::names();
    if names.contains(&name) {
        return Ok(name.to_string());
    }
    let hint = claims::scenario::suggest(name, names.iter().copied())
        .map(|h| format!("did you mean `{h}`? "))
        .unwrap_or_default();
    Err(format!("unknown configuration `{name}`; {hint}one of: {}", names.join(", ")))
}

/// Runs above this many single simulations show progress on stderr.
const PROGRESS_THRESHOLD: usize = 200;

pub fn run(args: &ClaimsArgs) -> anyhow::Result<()> {
    if args.exhaustive {
        return exhaustive(args);
    }
    let scenario = args.scenario.as_ref().expect("clap requires a scenario without --exhaustive");
    let path = scenario.display().to_string();
    let src = std::fs::read_to_string(scenario).with_context(|| format!("reading {path}"))?;
    // Errors read like a compiler's: `file:line:col: message`, or `file: message`, then how to fix it.
    let located = |e: claims::ScenarioError| {
        let help = e.hint().map(|h| format!("\n  = help: {h}")).unwrap_or_default();
        match (&e, e.line(&src)) {
            (claims::ScenarioError::Toml { line: Some(_), .. }, _) => anyhow::anyhow!("{path}:{e}{help}"),
            (_, Some(line)) => anyhow::anyhow!("{path}:{line}:1: {e}{help}"),
            _ => anyhow::anyhow!("{path}: {e}{help}"),
        }
    };
    if let Some(strategy) = &args.trace {
        let lines = claims::trace_scenario_str(&src, strategy, args.seed).map_err(located)?;
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        return print(&text, "writing the trace");
    }
    let base = RunOptions { seed: args.seed, seeds: args.seeds, ..Default::default() };
    let total = claims::count_runs(&src, &base).map_err(located)?;
    let progress = |done: usize, total: usize| {
        if done == total || done.is_multiple_of(20) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rclaims: {done}/{total} runs");
            if done == total {
                let _ = writeln!(err);
            }
        }
    };
    let opts = RunOptions { progress: (total > PROGRESS_THRESHOLD).then_some(&progress as _), ..base };
    let report = claims::run_scenario_str_with(&src, &opts).map_err(located)?;
    let out = match args.format {
        Format::Table => report.to_text(),
        Format::Markdown => report.to_markdown(),
        Format::Csv => report.to_csv(),
        Format::Json => report.to_json(),
        Format::Html => report.to_html(report.footer()),
    };
    print(&out, "writing the report")
}

/// `--exhaustive`: the shipped configurations (or the chosen ones), every strategy.
fn exhaustive(args: &ClaimsArgs) -> anyhow::Result<()> {
    use claims::exhaustive::{Bounds, configs};
    let chosen: Vec<configs::Config> = if args.config.is_empty() {
        configs::shipped()
    } else {
        // In the shipped order, each once, whatever order the flags came in.
        configs::shipped().into_iter().filter(|c| args.config.iter().any(|n| n == c.name)).collect()
    };
    let view = args.view.map(|v| match v {
        ViewArg::Persistent => claims::exhaustive::model::View::Persistent,
        ViewArg::PerRequest => claims::exhaustive::model::View::PerRequest,
    });
    let chosen: Vec<configs::Config> =
        chosen.into_iter().map(|c| configs::Config { view: view.or(c.view), ..c }).collect();
    let mut bounds = Bounds::default();
    if let Some(n) = args.max_states {
        bounds.max_states = usize::try_from(n).unwrap_or(usize::MAX);
    }
    print(&claims::exhaustive::report::render(&chosen, bounds), "writing the report")
}

/// Write to stdout; a reader that stops early (`| head`) is not an error.
fn print(text: &str, what: &'static str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context(what),
    }
}
