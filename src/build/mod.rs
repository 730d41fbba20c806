//! The one build path. `fanzine build`, `fanzine check` and the preview server all build through a [`Builder`]:
//! told what changed since its last build (or nothing: everything) and given a [`Sink`] for the files, it loads
//! what must be loaded, renders what must be rendered, and hands every file of the site to the sink.
//!
//! What a builder keeps between builds depends on how it was made:
//! - [`Builder::once`] keeps nothing in memory: one build, then it is dropped. Its Markdown may come from the
//!   renderings earlier builds kept on disk ([`BuildOptions::cache_dir`], a [`MarkdownPack`]).
//! - [`Builder::kept`], the preview's, keeps the parsed sources, the rendered Markdown, the templates, the site
//!   model and the render memo, so that a save redoes only what it affects:
//!   - a post edit that changed only posts' bodies makes a new site model, sharing all but those posts with the
//!     kept one ([`site::patch_bodies`]);
//!   - any other post edit reloads the site model, but only the files the watcher reported are read again (the
//!     rest come from the [`SourceCache`]) and only the changed posts' Markdown is rendered again (the rest comes
//!     from the [`MarkdownCache`], which also notices posts whose `@/` links now resolve differently);
//!   - a template edit reloads the templates and re-renders from the kept site model: no Markdown is touched,
//!     unless a post calls shortcodes (templates rendered into its Markdown); then the site model is reloaded, and
//!     the Markdown cache, keyed for those posts by every template's text, renders only them again;
//!   - a static file edited in place changes no file of the output (its bytes are read when served), so nothing
//!     is rendered or put; one added or removed re-lists `static/` and re-renders;
//!   - a config change reloads the site model (the Markdown cache still serves posts whose inputs are unchanged);
//!   - a change under `sass/` compiles the stylesheets again (all of them: a partial may feed any) and re-renders
//!     from the kept site model; the compiled stylesheets are otherwise kept across builds.
//!
//!   Rendering then reuses every output file whose inputs did not change (the [`Memo`] of the last render
//!   decides), so an edited post re-renders itself, its neighbours and the lists that show it. After a body-only
//!   save the kept builder's render visits only those files, found from the stamps each file's key hashed, and
//!   puts only them ([`Built::partial`]): the caller keeps the rest of the last build's files.
//!
//! Whatever it keeps, a build puts (or, when [`Built::partial`], leaves standing) exactly the files a fresh builder
//! would make of the same sources
//! (tests/serve/incremental.rs checks this over seeded random edits), and reports the same problems.
mod changes;

pub use changes::{Changes, shorten};

use crate::content::SourceCache;
use crate::error::{BuildFailed, Diagnostic, Location};
use crate::experiments::Experiments;
use crate::render::{self, Memo, Sink};
use crate::site::{self, BuildOptions, MarkdownCache, MarkdownPack, Site};
use crate::templates::Templates;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Builds a site, as often as asked, keeping between builds what its kind allows (see the module doc).
pub struct Builder {
    options: BuildOptions,
    /// Kept across builds: its cache of engine results is keyed by scenario.
    experiments: Experiments,
    keep: Keep,
    /// The render memo: the files of the last render, reused where their inputs are unchanged (a disposable one
    /// for a one-shot build, which keeps nothing).
    memo: Memo,
    /// The templates and site model of the last build, each kept if it loaded, even when the other did not.
    templates: Option<Templates>,
    site: Option<Site>,
    /// Whether the last build succeeded, so that its files are what the caller holds.
    last_good: bool,
    /// The stylesheets of `sass/` as last compiled, until a file under `sass/` or the config changes.
    sass: Option<crate::sass::Compiled>,
    /// The site model a build replaced. Freeing ten thousand posts takes longer than rendering one, so it waits
    /// until the caller has published the new output ([`Builder::free_replaced`]).
    replaced: Option<Site>,
}

/// What a builder keeps between builds besides the memo, by kind of builder.
enum Keep {
    /// Nothing in memory; renderings on disk when the options name a cache folder.
    Nothing,
    /// Posts as last read (only the files the watcher reports are read again) and their rendered Markdown.
    Memory { sources: SourceCache, markdown: MarkdownCache },
}

/// A successful build, with what the terminal reports about it.
#[derive(Debug, Clone)]
pub struct Built {
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// Nothing was put into the sink: the files of the last build stand as they are (a static file was edited in
    /// place, and static files are read when served or written).
    pub unchanged: bool,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Posts whose Markdown came from the cache on disk (when [`BuildOptions::cache_dir`] is set).
    pub reused: Option<usize>,
    /// What was redone, for the preview's terminal: "templates + 12 files re-rendered in 3 ms", …
    pub redone: String,
    /// Images `resize_image` encoded (the others came from the image cache).
    pub images_encoded: usize,
    /// Output files rendered through their templates (the others were reused).
    pub rendered: usize,
    /// Only the files that may differ from the last build's were put into the sink; the others stand as they
    /// were (a kept builder after a save that changed only posts' bodies, see [`crate::render::render_to`]).
    pub partial: bool,
    /// Output files made from their variables, rendered or found unchanged in the memo: the files the render
    /// visited.
    pub visited: usize,
}

/// What [`Builder::load`] loaded: each half if it was asked for.
struct Loaded {
    templates: Option<Result<Templates, Vec<Diagnostic>>>,
    site: Option<Result<Site, BuildFailed>>,
    /// How many posts' Markdown came from the cache on disk, if there is one.
    reused: Option<usize>,
}

/// What a build does with the kept site model.
enum SiteStep<'a> {
    Keep,
    /// Patch the bodies of the posts at these paths if that is all that changed, else reload.
    Patch(&'a BTreeSet<String>),
    Reload,
}

impl Builder {
    /// A builder for one build that keeps nothing in memory (`fanzine build`, `fanzine check`).
    pub fn once(options: BuildOptions) -> Builder {
        let memo = match &options.cache_dir {
            Some(dir) => Memo::disposable().with_image_cache(dir.join("images")),
            None => Memo::disposable(),
        };
        Builder::new(options, Keep::Nothing, memo)
    }

    /// Reuses the files an earlier `fanzine build` published and recorded (see [`crate::write::published`]) when
    /// their inputs are the same; [`Builder::published_keys`] then says what to record of this build.
    pub fn reusing_published(mut self, reusable: crate::write::published::Reusable) -> Builder {
        self.memo = std::mem::take(&mut self.memo).with_published(reusable);
        self
    }

    /// After a build of a builder [`Builder::reusing_published`]: the site-wide hash and the key of each file the
    /// next build may reuse, to record once the site is published.
    pub fn published_keys(&mut self) -> Option<(u64, std::collections::HashMap<String, u64>)> {
        self.memo.published_keys()
    }

    /// A builder that keeps everything for the next build (the preview server).
    pub fn kept(options: BuildOptions) -> Builder {
        let keep = Keep::Memory { sources: SourceCache::default(), markdown: MarkdownCache::default() };
        Builder::new(options, keep, Memo::changes_only())
    }

    fn new(options: BuildOptions, keep: Keep, memo: Memo) -> Builder {
        let experiments = Experiments::new(options.cache_dir.as_deref());
        Builder {
            options,
            experiments,
            keep,
            memo,
            templates: None,
            site: None,
            sass: None,
            last_good: false,
            replaced: None,
        }
    }

    /// Claim-engine runs stop, failing the build, once `cancel` is set: the preview sets it to stop promptly.
    pub fn with_cancel(self, cancel: crate::claims::Cancel) -> Self {
        Builder { experiments: self.experiments.with_cancel(cancel), ..self }
    }

    /// Whether the cancel token given to [`Builder::with_cancel`] is set: the last build may have been cut short.
    pub fn stopping(&self) -> bool {
        self.experiments.cancelled()
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The site model of the last build, if its content loaded.
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// Frees what the last build replaced; call it once its result is out.
    pub fn free_replaced(&mut self) {
        self.replaced = None;
    }

    /// Builds after `changes` (`None`: everything may have changed), putting every file of the site into `sink`,
    /// unless [`Built::unchanged`] says the files of the last build stand.
    pub fn build(&mut self, changes: Option<&Changes>, sink: &dyn Sink) -> Result<Built, BuildFailed> {
        let Some(changes) = changes else { return self.run(SiteStep::Reload, true, sink) };
        if let Keep::Memory { sources, .. } = &mut self.keep {
            sources.forget(&self.options.root, changes.content.iter().map(String::as_str));
        }
        if changes.config || !changes.sass.is_empty() {
            self.sass = None;
        }
        let content = changes.config || !changes.content.is_empty();
        // The config may name another theme, whose templates are others.
        let templates = changes.config || !changes.templates.is_empty();
        if !content && !templates && changes.data.is_empty() && !changes.statics.is_empty() {
            return self.statics_changed(!changes.sass.is_empty(), sink);
        }
        let posts_only = content && !changes.config && !templates && changes.statics.is_empty();
        let site = match (posts_only, content) {
            (true, _) => SiteStep::Patch(&changes.content),
            (false, true) => SiteStep::Reload,
            (false, false) => SiteStep::Keep,
        };
        self.run(site, templates, sink)
    }

    /// A static file edited in place changes no file of the output; one added or removed changes the listing.
    /// `sass`: stylesheets changed too, so the files of the last build do not stand.
    fn statics_changed(&mut self, sass: bool, sink: &dyn Sink) -> Result<Built, BuildFailed> {
        let config = self.site.as_ref().map(|s| &s.config);
        let follow_external = config.is_some_and(|c| c.follow_external_links);
        let theme = config.and_then(|c| c.theme.as_deref());
        let ignored = config.map(|c| c.ignored_static()).unwrap_or_default();
        let (list, problems) = site::find_static(&self.options.root, theme, follow_external, &ignored);
        // Unreadable static files are reported by the site load; only a clean listing, replacing a clean one, may
        // skip it.
        let clean = |site: &Site| {
            problems.is_empty()
                && !site.diagnostics.iter().any(|d| d.location.as_ref().is_some_and(|l| l.file.starts_with("static")))
        };
        // A template that read a static file (`get_hash`, `load_data`) makes a page of it: render again.
        let read_by_templates = self.templates.as_ref().is_some_and(|t| t.read_files());
        // A page whose shortcodes resized an image names it by a hash of its bytes: load and render again.
        let resizes = |site: &Site| site.pages_and_indexes().any(|p| !p.content.images.is_empty());
        match self.site.take() {
            Some(site) if resizes(&site) => {
                self.site = Some(site);
                self.run(SiteStep::Reload, false, sink)
            }
            Some(site)
                if clean(&site) && self.last_good && list == *site.static_files && !read_by_templates && !sass =>
            {
                let (pages, warnings) = (site.pages.len(), site.diagnostics.clone());
                self.site = Some(site);
                let redone = "nothing (static file replaced)".to_string();
                let images_encoded = 0;
                Ok(Built {
                    pages,
                    warnings,
                    unchanged: true,
                    timings: Vec::new(),
                    reused: None,
                    redone,
                    images_encoded,
                    rendered: 0,
                    partial: false,
                    visited: 0,
                })
            }
            Some(site) if clean(&site) => {
                self.site = Some(Site { static_files: std::sync::Arc::new(list), ..site });
                self.run(SiteStep::Keep, false, sink)
            }
            kept => {
                self.site = kept;
                self.run(SiteStep::Reload, false, sink)
            }
        }
    }

    fn run(&mut self, step: SiteStep, reload_templates: bool, sink: &dyn Sink) -> Result<Built, BuildFailed> {
        let started = Instant::now();
        self.last_good = false;
        let before = self.counts();
        let reload_site = match step {
            SiteStep::Keep => false,
            SiteStep::Patch(changed) => !self.patched(changed),
            SiteStep::Reload => true,
        };
        let reload_templates = reload_templates || self.templates.is_none();
        // Pages calling shortcodes render templates into their Markdown.
        let calls = self.site.as_ref().is_some_and(|s| s.calls_shortcodes);
        let reload_site = reload_site || self.site.is_none() || (reload_templates && calls);
        let Loaded { templates, site, reused } = self.load(reload_templates, reload_site);
        let compiled_sass = self.sass.is_none();
        // A half that was not reloaded is the one kept from before (present, by the checks above).
        let templates = templates.unwrap_or_else(|| self.templates.take().ok_or_else(Vec::new));
        let site = site.unwrap_or_else(|| self.site.take().ok_or_else(|| BuildFailed::new(Vec::new())));
        let site = site.map(|s| self.with_sass(s));
        let compiled_sass = compiled_sass && self.sass.is_some();
        // Templates and content are checked side by side so that one run reports the problems of both; nothing
        // is rendered unless both loaded.
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
        let rendered = render::render_to(&site, &templates, &mut self.memo, sink);
        let timings = vec![("load", loaded), ("render", started.elapsed() - loaded)];
        let redone = self.describe([reload_site, reload_templates, compiled_sass], before, &timings);
        let pages = site.pages.len();
        self.templates = Some(templates);
        self.replaced = self.site.replace(site);
        let warnings = rendered?;
        self.last_good = true;
        let images_encoded = self.memo.images_encoded();
        let (rendered, partial, visited) = (self.memo.rendered(), self.memo.partial(), self.memo.visited());
        Ok(Built {
            pages,
            warnings,
            unchanged: false,
            timings,
            reused,
            redone,
            images_encoded,
            rendered,
            partial,
            visited,
        })
    }

    /// Loads the templates and the site model, each if asked: the templates first, since pages calling shortcodes
    /// render them (the kept ones when they are not reloaded; none if they fail to load, their errors are enough).
    fn load(&mut self, templates: bool, site: bool) -> Loaded {
        let (options, experiments) = (&self.options, &self.experiments);
        let hook = |lang: &str, code: &str| experiments.block(lang, code);
        // The config is read once, here, for the templates' theme and for the site; templates reloaded without the
        // site take the theme of the kept site, whose config has not changed since (a config change reloads it).
        let config = site.then(|| site::read_config(options));
        let theme = match &config {
            Some(read) => read.as_ref().ok().and_then(|(config, _)| config.theme.clone()),
            None => self.site.as_ref().and_then(|s| s.config.theme.clone()),
        };
        let templates = templates.then(|| Templates::load(&options.root, theme.as_deref()));
        let shortcodes = match &templates {
            Some(loaded) => loaded.as_ref().ok(),
            None => self.templates.as_ref(),
        };
        match &mut self.keep {
            Keep::Memory { sources, markdown } => {
                let site = config.map(|config| {
                    site::load_with_config(options, config, Some(&hook), shortcodes, Some(markdown), Some(sources))
                });
                Loaded { templates, site, reused: None }
            }
            Keep::Nothing => {
                let mut pack = site.then(|| options.cache_dir.as_deref().map(MarkdownPack::open)).flatten();
                let mut site = config.map(|config| {
                    site::load_with_config(options, config, Some(&hook), shortcodes, pack.as_mut(), None)
                });
                let reused = pack.as_ref().map(|p| p.counts().0);
                if let (Some(pack), Some(Ok(site))) = (pack, &mut site)
                    && let Err(e) = pack.commit()
                {
                    // Renderings are valid whatever else failed, so they are kept even for a build that fails later.
                    site.diagnostics.push(
                        Diagnostic::warning(
                            Some(Location::file(".fanzine-cache")),
                            format!("could not save the cache: {e}"),
                        )
                        .with_hint("the site is fine; the next build renders every post again"),
                    );
                }
                Loaded { templates, site, reused }
            }
        }
    }

    /// Replaces the kept site model by a patched one when only posts' bodies changed ([`site::patch_bodies`]), so
    /// that a save does not reload ten thousand posts. Only a builder that keeps its sources can.
    fn patched(&mut self, changed: &BTreeSet<String>) -> bool {
        let (Keep::Memory { sources, markdown }, Some(site), Some(templates)) =
            (&mut self.keep, &self.site, &self.templates)
        else {
            return false;
        };
        let experiments = &self.experiments;
        let hook = |lang: &str, code: &str| experiments.block(lang, code);
        let Some(patched) = site::patch_bodies(site, changed, sources, Some(&hook), Some(templates), markdown) else {
            return false;
        };
        self.replaced = self.site.replace(patched);
        true
    }

    /// Sources read and posts' Markdown rendered so far, to say what a build redid.
    fn counts(&self) -> (u64, u64) {
        match &self.keep {
            Keep::Memory { sources, markdown } => (sources.read(), markdown.rendered()),
            Keep::Nothing => (0, 0),
        }
    }

    /// The site with the stylesheets of `sass/`, compiled now unless kept from an earlier build.
    fn with_sass(&mut self, site: Site) -> Site {
        if !site.config.compile_sass {
            return Site { sass: crate::sass::Compiled::default(), ..site };
        }
        let root = &self.options.root;
        let follow = site.config.follow_external_links;
        let theme = site.config.theme.as_deref();
        let sass = self.sass.get_or_insert_with(|| crate::sass::compile(root, theme, follow)).clone();
        Site { sass, ..site }
    }

    fn describe(&self, redone: [bool; 3], before: (u64, u64), timings: &[(&str, Duration)]) -> String {
        let [site, templates, sass] = redone;
        let now = self.counts();
        let (read, markdown) = (now.0 - before.0, now.1 - before.1);
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let mut parts = Vec::new();
        if templates {
            parts.push("templates".to_string());
        }
        if sass {
            parts.push("Sass".to_string());
        }
        if site || read > 0 {
            parts.push(format!(
                "site model ({}{read} source{} read, {markdown} {} Markdown)",
                if site { "" } else { "patched: " },
                plural(read),
                if markdown == 1 { "post's" } else { "posts'" }
            ));
        }
        let rendered = self.memo.rendered();
        let encoded = self.memo.images_encoded();
        let images = match encoded {
            0 => String::new(),
            n => format!(" ({n} image{} encoded)", plural(n as u64)),
        };
        format!(
            "{} in {} ms + {rendered} file{} re-rendered in {} ms{images}",
            parts.join(" + "),
            timings[0].1.as_millis(),
            plural(rendered as u64),
            timings[1].1.as_millis()
        )
    }
}
