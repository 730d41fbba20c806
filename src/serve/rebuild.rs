//! Turning a set of changed sources into a new output, redoing as little as the change allows.
//!
//! [`Rebuilder`] is the only place that decides how much to redo, and it must always produce exactly what a full
//! `pipeline::build` of the same sources would (tests/serve checks this over random edit sequences). It mirrors
//! `pipeline::build` step for step, keeping what each step produced:
//! - a post edit that changed only posts' bodies patches the kept site model in place ([`site::patch_bodies`]);
//! - any other post edit reloads the site model, but only the files the watcher reported are read again (the rest
//!   come from the [`SourceCache`]) and only the changed posts' Markdown is rendered again (the rest comes from the
//!   [`MarkdownCache`], which also notices posts whose `@/` links now resolve differently);
//! - a template edit reloads the templates and re-renders from the kept site model: no Markdown is touched;
//! - editing a static file changes no output entry (its bytes are read when served), so the last output is kept;
//!   adding or removing one re-lists `static/` and re-renders;
//! - a config change reloads everything (the Markdown cache still serves posts whose inputs are unchanged).
//!
//! Rendering then reuses every output file whose inputs did not change (the [`Memo`] of the last render decides), so
//! an edited post re-renders itself, its neighbours and the lists that show it, not the whole site.
use super::watch::Changes;
use crate::content::SourceCache;
use crate::error::{BuildFailed, Diagnostic};
use crate::experiments::Experiments;
use crate::render::{self, Memo, Output};
use crate::site::{self, BuildOptions, MarkdownCache, Site};
use crate::templates::Templates;
use std::sync::Arc;
use std::time::Instant;

pub struct Rebuilder {
    options: BuildOptions,
    /// Kept across builds: its cache of engine results is keyed by scenario.
    experiments: Experiments,
    markdown: MarkdownCache,
    /// Posts as last read: only the files the watcher reports are read again.
    sources: SourceCache,
    /// The files of the last render, reused where their inputs are unchanged.
    memo: Memo,
    /// The last successfully loaded templates and site model, and the last good output made from them.
    templates: Option<Templates>,
    site: Option<Site>,
    last: Option<Rebuilt>,
    /// The site model a rebuild replaced. Freeing ten thousand posts takes longer than rendering one, so it waits
    /// until the new output is published ([`Rebuilder::free_replaced`]).
    replaced: Option<Site>,
}

/// A successful rebuild, with what the terminal reports about it.
#[derive(Clone)]
pub struct Rebuilt {
    pub output: Arc<Output>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// What was redone, for the terminal: "templates", "3 posts' Markdown", …
    pub redone: String,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Self {
        let experiments = Experiments::new(&options.root);
        Rebuilder {
            options,
            experiments,
            markdown: MarkdownCache::default(),
            sources: SourceCache::default(),
            memo: Memo::default(),
            templates: None,
            site: None,
            last: None,
            replaced: None,
        }
    }

    /// Claim-engine runs stop, failing the build, once `cancel` is set: the preview sets it to stop promptly.
    pub fn with_cancel(self, cancel: crate::claims::Cancel) -> Self {
        Rebuilder { experiments: self.experiments.with_cancel(cancel), ..self }
    }

    /// Whether the cancel token given to [`Rebuilder::with_cancel`] is set: the last build may have been cut short.
    pub fn stopping(&self) -> bool {
        self.experiments.cancelled()
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds everything (Markdown still comes from the cache where it can).
    pub fn full(&mut self) -> Result<Rebuilt, BuildFailed> {
        self.build(SiteStep::Reload, true)
    }

    /// Frees what the last rebuild replaced; call it once its result is out.
    pub fn free_replaced(&mut self) {
        self.replaced = None;
    }

    /// Rebuilds after `changes`.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, BuildFailed> {
        self.sources.forget(&self.options.root, changes.content.iter().map(String::as_str));
        let content = changes.config || !changes.content.is_empty();
        let templates = !changes.templates.is_empty();
        if !content && !templates && !changes.statics.is_empty() {
            return self.statics_changed();
        }
        let posts_only = content && !changes.config && !templates && changes.statics.is_empty();
        let site = match (posts_only, content) {
            (true, _) => SiteStep::Patch(&changes.content),
            (false, true) => SiteStep::Reload,
            (false, false) => SiteStep::Keep,
        };
        self.build(site, templates)
    }

    /// Patches the kept site model in place when only posts' bodies changed ([`site::patch_bodies`]), so that
    /// a save does not reload ten thousand posts.
    fn patched(&mut self, changed: &std::collections::BTreeSet<String>) -> bool {
        let (Some(site), Some(_)) = (&mut self.site, &self.templates) else { return false };
        let experiments = &self.experiments;
        let hook = |lang: &str, code: &str| experiments.block(lang, code);
        site::patch_bodies(site, changed, &mut self.sources, Some(&hook), &mut self.markdown)
    }

    /// A static file edited in place changes no entry of the output; one added or removed changes the listing.
    fn statics_changed(&mut self) -> Result<Rebuilt, BuildFailed> {
        let follow_external = self.site.as_ref().is_some_and(|s| s.config.follow_external_links);
        let (list, problems) = site::find_static(&self.options.root, follow_external);
        // Unreadable static files are reported by the site load; only a clean listing, replacing a clean one, may
        // skip it.
        let clean = |site: &Site| {
            problems.is_empty()
                && !site.diagnostics.iter().any(|d| d.location.as_ref().is_some_and(|l| l.file.starts_with("static")))
        };
        match (&mut self.site, &self.last) {
            (Some(site), Some(last)) if clean(site) && list == site.static_files => {
                Ok(Rebuilt { redone: "nothing (static file replaced)".into(), ..last.clone() })
            }
            (Some(site), _) if clean(site) => {
                site.static_files = list;
                self.build(SiteStep::Keep, false)
            }
            _ => self.build(SiteStep::Reload, false),
        }
    }

    fn build(&mut self, site: SiteStep, reload_templates: bool) -> Result<Rebuilt, BuildFailed> {
        let before = (self.sources.read(), self.markdown.rendered());
        let started = Instant::now();
        let reload_site = match site {
            SiteStep::Keep => false,
            SiteStep::Patch(changed) => !self.patched(changed),
            SiteStep::Reload => true,
        };
        let reload_site = reload_site || self.site.is_none();
        let reload_templates = reload_templates || self.templates.is_none();
        let root = self.options.root.clone();
        self.last = None;
        let (templates, site) = {
            let (options, experiments) = (&self.options, &self.experiments);
            let (markdown, sources) = (&mut self.markdown, &mut self.sources);
            let hook = |lang: &str, code: &str| experiments.block(lang, code);
            rayon::join(
                || reload_templates.then(|| Templates::load(&root)),
                || reload_site.then(|| site::load_cached(options, Some(&hook), Some(markdown), Some(sources))),
            )
        };
        // A half that was not reloaded is the one kept from before (present, by the checks above).
        let templates = templates.unwrap_or_else(|| self.templates.take().ok_or_else(Vec::new));
        let site = site.unwrap_or_else(|| self.site.take().ok_or_else(|| BuildFailed::new(Vec::new())));
        // Same rule as `pipeline::build`: both halves' errors together, and nothing rendered.
        let (templates, site) = match (templates, site) {
            (Ok(t), Ok(s)) => (t, s),
            (t, s) => {
                let mut all = t.as_ref().err().cloned().unwrap_or_default();
                all.extend(s.as_ref().err().map(|f| f.diagnostics.clone()).unwrap_or_default());
                self.templates = t.ok();
                self.replaced = std::mem::replace(&mut self.site, s.ok());
                return Err(BuildFailed::new(all));
            }
        };
        let loaded = started.elapsed();
        let rendered = render::render_reusing(&site, &templates, &mut self.memo);
        let pages = site.pages.len();
        let (read, parsed) = (self.sources.read() - before.0, self.markdown.rendered() - before.1);
        let redone = format!(
            "{} in {} ms + {} file{} re-rendered in {} ms",
            describe(reload_site, reload_templates, read, parsed),
            loaded.as_millis(),
            self.memo.rendered(),
            if self.memo.rendered() == 1 { "" } else { "s" },
            (started.elapsed() - loaded).as_millis()
        );
        self.templates = Some(templates);
        self.replaced = self.site.replace(site);
        let (output, warnings) = rendered?;
        let rebuilt = Rebuilt { output: Arc::new(output), pages, warnings, redone };
        self.last = Some(rebuilt.clone());
        Ok(rebuilt)
    }
}

/// What a rebuild does with the site model.
enum SiteStep<'a> {
    Keep,
    /// Patch the bodies of the posts at these paths if that is all that changed, else reload.
    Patch(&'a std::collections::BTreeSet<String>),
    Reload,
}

fn describe(site: bool, templates: bool, read: u64, markdown: u64) -> String {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    if templates {
        parts.push("templates".to_string());
    }
    if site || read > 0 {
        parts.push(format!(
            "site model ({}{read} source{} read, {markdown} {} Markdown)",
            if site { "" } else { "patched: " },
            plural(read),
            if markdown == 1 { "post's" } else { "posts'" }
        ));
    }
    parts.join(" + ")
}
