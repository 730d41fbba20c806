//! The whole build as one call: load the templates and the site, render. Where the files go is the caller's
//! choice: the CLI passes a writer that puts each page on disk as it is rendered, `check` and the preview server
//! keep the result in memory.
use crate::error::{BuildFailed, Diagnostic, Location};
use crate::experiments::Experiments;
use crate::render::{self, Output};
use crate::site::{self, BuildOptions, MarkdownPack, Site};
use crate::templates::Templates;
use std::time::{Duration, Instant};

/// A successful build. `O` is the output, for a build kept in memory ([`build`]), or nothing when the files went
/// to a sink as they were made ([`build_to`]).
pub struct Built<O = Output> {
    /// The site model, without the posts' source text (`page.source.body` is emptied once rendered).
    pub site: Site,
    pub output: O,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order, for the one-line summary the CLI prints.
    pub timings: Vec<(&'static str, Duration)>,
    /// Posts whose Markdown came from the persistent cache (when [`BuildOptions::cache_dir`] is set).
    pub reused: Option<usize>,
}

/// The whole build, kept in memory.
pub fn build(options: &BuildOptions) -> Result<Built, BuildFailed> {
    let collect = render::Collect::default();
    let built = build_to(options, &collect)?;
    let Built { site, warnings, timings, reused, .. } = built;
    Ok(Built { site, output: collect.into_output(), warnings, timings, reused })
}

/// The whole build, each file handed to `sink` as soon as it is rendered (the CLI writes them to disk).
pub fn build_to(options: &BuildOptions, sink: &dyn render::Sink) -> Result<Built<()>, BuildFailed> {
    let started = Instant::now();
    let experiments = Experiments::new(&options.root);
    let hook = |lang: &str, code: &str| experiments.block(lang, code);
    let mut pack = options.cache_dir.as_deref().map(MarkdownPack::open);
    // Templates and content are checked side by side so that one run reports the problems of both.
    let (templates, mut site) =
        rayon::join(|| Templates::load(&options.root), || site::load_cached(options, Some(&hook), pack.as_mut(), None));
    let reused = pack.as_ref().map(|p| p.counts().0);
    if let (Some(pack), Ok(site)) = (pack, &mut site)
        && let Err(e) = pack.commit()
    {
        // Renderings are valid whatever else failed, so they are kept even for a build that fails later.
        site.diagnostics.push(
            Diagnostic::warning(Some(Location::file(".fanzine-cache")), format!("could not save the cache: {e}"))
                .with_hint("the site is fine; the next build renders every post again"),
        );
    }
    let (templates, mut site) = match (templates, site) {
        (Ok(t), Ok(s)) => (t, s),
        (t, s) => {
            let mut all = t.err().unwrap_or_default();
            all.extend(s.err().map(|f| f.diagnostics).unwrap_or_default());
            return Err(BuildFailed::new(all));
        }
    };
    // Past the Markdown stage nothing reads the posts' text; a 10,000-post site holds 40 MB of it.
    for page in &mut site.pages {
        page.source.body = String::new();
    }
    let loaded = Instant::now();
    let warnings = render::render_to(&site, &templates, &mut render::Memo::disposable(), sink)?;
    let timings = vec![("load", loaded - started), ("render", loaded.elapsed())];
    Ok(Built { site, output: (), warnings, timings, reused })
}
