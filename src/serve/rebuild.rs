//! The preview's side of building: a kept [`Builder`] whose files are collected in memory, and the last good
//! output, which stands when a build changes nothing. How much each save redoes is the builder's call.
use crate::build::{Builder, Changes};
use crate::error::{BuildFailed, Diagnostic};
use crate::render::{Collect, Output};
use crate::site::BuildOptions;
use std::sync::Arc;

pub struct Rebuilder {
    builder: Builder,
    /// The output of the last build, if it succeeded.
    last: Option<Arc<Output>>,
}

/// A successful rebuild, with what the terminal reports about it.
#[derive(Clone)]
pub struct Rebuilt {
    pub output: Arc<Output>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// What was redone, for the terminal: "templates", "3 posts' Markdown", …
    pub redone: String,
    /// The path the site is deployed under (`/blog`, or empty): the preview serves it there too.
    pub mount: String,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder { builder: Builder::kept(options), last: None }
    }

    /// Claim-engine runs stop, failing the build, once `cancel` is set: the preview sets it to stop promptly.
    pub fn with_cancel(self, cancel: crate::claims::Cancel) -> Self {
        Rebuilder { builder: self.builder.with_cancel(cancel), ..self }
    }

    /// Whether the cancel token is set: the last build may have been cut short.
    pub fn stopping(&self) -> bool {
        self.builder.stopping()
    }

    pub fn options(&self) -> &BuildOptions {
        self.builder.options()
    }

    /// Builds everything (Markdown still comes from the cache where it can).
    pub fn full(&mut self) -> Result<Rebuilt, BuildFailed> {
        self.run(None)
    }

    /// Rebuilds after `changes`.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, BuildFailed> {
        self.run(Some(changes))
    }

    /// Frees what the last rebuild replaced; call it once its result is out.
    pub fn free_replaced(&mut self) {
        self.builder.free_replaced();
    }

    fn run(&mut self, changes: Option<&Changes>) -> Result<Rebuilt, BuildFailed> {
        let collect = Collect::default();
        let built = self.builder.build(changes, &collect);
        let built = built.inspect_err(|_| self.last = None)?;
        let output = match (&self.last, built.unchanged) {
            (Some(last), true) => last.clone(),
            // The builder says "unchanged" only after a good build, whose output is kept here.
            (None, true) => return self.run(None),
            (_, false) => Arc::new(collect.into_output()),
        };
        self.last = Some(output.clone());
        let mount = self.builder.site().map(|site| site.config.base_path().to_string()).unwrap_or_default();
        Ok(Rebuilt { output, pages: built.pages, warnings: built.warnings, redone: built.redone, mount })
    }
}
