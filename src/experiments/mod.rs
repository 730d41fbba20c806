//! Live experiments in posts: a fenced block whose language names an engine (today `claims`) is run at build
//! time and replaced by its results, with the scenario published beside the page so a reader can rerun it.
//!
//! This is the one place where the site meets the claim engine, through `claims::run_scenario_str`. Results are
//! cached by a hash of the scenario and of fanzine's own sources, in memory and, unless the build goes without its
//! cache (`fanzine build --no-cache`), under `.fanzine-cache/claims/` in the site, so rebuilding a page whose blocks
//! did not change does not rerun the engine.
mod cache;

use crate::highlight::escape;
use crate::markdown::{Block, BlockError};
use crate::{claims, fingerprint};
use cache::Cache;
use std::path::Path;

/// The language that marks a claim-engine scenario block.
pub const CLAIMS: &str = "claims";

pub struct Experiments {
    cache: Cache,
    /// Set by whoever must stop a build promptly (the preview, on Ctrl-C): the engine then stops within an event.
    cancel: claims::Cancel,
}

impl Experiments {
    /// Experiments whose results are kept in `cache_dir/claims/` between processes (the build's cache folder,
    /// usually `.fanzine-cache/`), or only in memory without one.
    pub fn new(cache_dir: Option<&Path>) -> Self {
        Experiments { cache: Cache::new(cache_dir.map(|dir| dir.join("claims"))), cancel: claims::Cancel::default() }
    }

    /// Runs stop, as errors, once `cancel` is set.
    pub fn with_cancel(mut self, cancel: claims::Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Whether runs are being stopped ([`Experiments::with_cancel`]).
    pub fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// The block hook for the Markdown stage: `None` for blocks that are not experiments.
    pub fn block(&self, lang: &str, code: &str) -> Option<Result<Block, BlockError>> {
        (lang == CLAIMS).then(|| self.claims(code))
    }

    fn claims(&self, scenario: &str) -> Result<Block, BlockError> {
        // The source fingerprint covers the engine and this presentation code; the engine version is kept in the key
        // for readers of the cache folder.
        let key = fingerprint::of(&[
            claims::ENGINE_VERSION.as_bytes(),
            env!("FANZINE_SOURCE_HASH").as_bytes(),
            scenario.as_bytes(),
        ]);
        // Named after the scenario alone, so the download link stays put when fanzine changes.
        let file = format!("claims-{}.toml", &fingerprint::of(&[scenario.as_bytes()])[..12]);
        let html = match self.cache.get(&key) {
            Some(html) => html,
            None => {
                let options = claims::RunOptions { cancel: Some(&self.cancel), ..Default::default() };
                let report =
                    claims::run_scenario_str_with(scenario, &options).map_err(|e| scenario_error(scenario, e))?;
                let html = claims_html(&report, &file);
                self.cache.put(&key, &html);
                html
            }
        };
        Ok(Block { html, attachments: vec![(file, scenario.to_string())] })
    }
}

/// The engine's error as a diagnostic on the block's line that holds the problem (the key refused, or the key to
/// lower), else on the fence.
fn scenario_error(scenario: &str, error: claims::ScenarioError) -> BlockError {
    let hint = Some("the scenario keys and their defaults are listed in README.md, under “The claim engine”".into());
    let line = error.line(scenario);
    match error {
        claims::ScenarioError::Toml { line, column, message, suggestion } => BlockError {
            message: format!("claims scenario: {message}"),
            line,
            column,
            hint: suggestion.map(|s| format!("did you mean `{s}`?")).or(hint),
        },
        other => BlockError {
            message: format!("claims scenario: {other}"),
            line,
            column: line.map(|_| 1),
            hint: other.hint().map(str::to_string).or(hint),
        },
    }
}

/// The engine's table and chart, a caption that says how it was made, and the command that remakes it.
fn claims_html(report: &claims::Report, file: &str) -> String {
    let command = report.reproduce_command(file);
    let caption = format!(
        "{}Simulated by fanzine's claim engine {}: mean ± 95% interval over {} seeds from seed {}; scheduler view: {}. \
         Reproduce with: {command}",
        report.title.as_deref().map(|t| format!("{t}. ")).unwrap_or_default(),
        claims::ENGINE_VERSION,
        report.seeds.len(),
        report.seed(),
        report.view,
    );
    let (file, command) = (escape(file), escape(&command));
    format!(
        "<figure class=\"experiment\">\n{}<figcaption>Scenario: <a href=\"{file}\" download>{file}</a> · \
         <code>{command}</code></figcaption>\n</figure>\n",
        report.to_html(caption)
    )
}
