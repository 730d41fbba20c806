//! Turning a set of changed sources into a new output.
//!
//! [`Rebuilder`] is the only place that decides how much to redo. It must always produce exactly what a full
//! `pipeline::build` of the same sources would (tests/serve checks this over random edit sequences).
use super::watch::Changes;
use crate::error::BuildFailed;
use crate::pipeline;
use crate::render::Output;
use crate::site::BuildOptions;
use std::sync::Arc;

pub struct Rebuilder {
    options: BuildOptions,
}

/// A successful rebuild, with what the terminal reports about it.
pub struct Rebuilt {
    pub output: Arc<Output>,
    pub pages: usize,
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder { options }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds everything: the first build, and for now every rebuild.
    pub fn full(&mut self) -> Result<Rebuilt, BuildFailed> {
        let built = pipeline::build(&self.options)?;
        Ok(Rebuilt { output: Arc::new(built.output), pages: built.site.pages.len(), warnings: built.warnings })
    }

    /// Rebuilds after `changes`.
    pub fn rebuild(&mut self, _changes: &Changes) -> Result<Rebuilt, BuildFailed> {
        self.full()
    }
}
