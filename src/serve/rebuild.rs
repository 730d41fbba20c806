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
    /// A copy of `last` of its own, made once the last output is out ([`Rebuilder::free_replaced`]): a build that
    /// put only the changed files lays them over it, rather than copying a map of every path while the author
    /// waits for the reload.
    spare: Option<Output>,
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
    /// The only files that may differ from the last good build's, when the build knew them (a body-only save):
    /// the preview then compares these rather than every file.
    pub changed: Option<Vec<String>>,
    /// Output files the build rendered, and those it visited (rendered, or found unchanged in its memo).
    pub rendered: usize,
    pub visited: usize,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder { builder: Builder::kept(options), last: None, spare: None }
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

    /// The output of the last build, if it succeeded.
    pub fn output(&self) -> Option<Arc<Output>> {
        self.last.clone()
    }

    /// Rebuilds after `changes`.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, BuildFailed> {
        self.run(Some(changes))
    }

    /// Frees what the last rebuild replaced, and copies its output for the next; call it once its result is out.
    pub fn free_replaced(&mut self) {
        self.builder.free_replaced();
        self.spare = self.last.as_deref().cloned();
    }

    fn run(&mut self, changes: Option<&Changes>) -> Result<Rebuilt, BuildFailed> {
        let collect = Collect::default();
        // Taken first: it is a copy of the `last` that this build replaces, or nothing.
        let spare = self.spare.take();
        let built = self.builder.build(changes, &collect);
        let built = built.inspect_err(|_| self.last = None)?;
        let (output, changed) = match (&self.last, built.unchanged, built.partial) {
            (Some(last), true, _) => (last.clone(), Some(Vec::new())),
            // The builder says "unchanged" or "partial" only after a good build, whose output is kept here.
            (None, true, _) | (None, _, true) => return self.run(None),
            (Some(last), false, true) => {
                let put = collect.into_output();
                let changed = put.files.keys().cloned().collect();
                let mut output = spare.unwrap_or_else(|| Output::clone(last));
                output.files.extend(put.files);
                (Arc::new(output), Some(changed))
            }
            (_, false, false) => (Arc::new(collect.into_output()), None),
        };
        self.last = Some(output.clone());
        let mount = self.builder.site().map(|site| site.config.base_path().to_string()).unwrap_or_default();
        let (pages, warnings, redone) = (built.pages, built.warnings, built.redone);
        let (rendered, visited) = (built.rendered, built.visited);
        Ok(Rebuilt { output, pages, warnings, redone, mount, changed, rendered, visited })
    }
}
