//! Rendered Markdown kept between builds, for the preview server: a post whose text did not change is not parsed,
//! highlighted or run through block hooks again on the next save.
//!
//! A post's rendering depends on its body, the line the body starts at, the config's switches (highlighting, heading
//! ids), the `[markdown]` settings, and the answers to the
//! `@/` links it asked about. Those answers are recorded while rendering and asked again on reuse, so a post linking
//! to a post that was renamed is rendered again, and a post that links nowhere never is. One-shot builds pass no
//! cache and behave exactly as before.
use crate::markdown::{self, Rendered};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// The `@/` link targets a rendering asked about, with the answers it got: a kept rendering is only as good as
/// those answers, so they are asked again before it is reused.
pub type Lookups = Vec<(String, Option<String>)>;

/// Whether every recorded link still resolves as it did when the rendering was made.
pub(super) fn still_resolve(lookups: &[(String, Option<String>)], resolve: &dyn Fn(&str) -> Option<String>) -> bool {
    lookups.iter().all(|(target, answer)| resolve(target) == *answer)
}

/// Where renderings are kept between builds: in memory for the preview server ([`MarkdownCache`]), on disk for
/// `fanzine build` ([`super::MarkdownPack`]). The site loader only asks and tells; what to keep is the keeper's call.
pub trait Reuse: Sync {
    /// The rendering made from these inputs, if kept and every link it resolved still resolves the same way.
    fn get(&self, inputs: &Inputs, resolve: &dyn Fn(&str) -> Option<String>) -> Option<Rendered>;
    /// Keeps a fresh rendering with the link answers it depended on.
    fn put(&mut self, inputs: &Inputs, lookups: Lookups, rendered: &Rendered);
    /// The HTML of the rendering of `file` just [`Reuse::put`], as this keeper can hand it back from where it keeps
    /// it (the pack: from its file, read when shown), so that the caller need not hold it in memory; `None` to keep
    /// the caller's.
    fn kept_html(&mut self, _file: &str) -> Option<crate::markdown::Html> {
        None
    }
    /// Called once per build with the posts that exist (reused or not); the rest is forgotten.
    fn retain(&mut self, live: &BTreeSet<&str>);
    /// The folder this cache keeps its renderings in between processes, if it does: what else a one-shot build
    /// derives from the whole site and keeps across builds (related posts) goes there too.
    fn on_disk(&self) -> Option<&std::path::Path> {
        None
    }
}

/// Source path (`content/a.md`) → its last rendering and what it depended on.
#[derive(Default)]
pub struct MarkdownCache {
    entries: HashMap<String, Cached>,
    /// How many bodies were rendered (not reused) since the cache was made.
    rendered: u64,
}

struct Cached {
    body: String,
    first_line: usize,
    switches: super::Switches,
    settings: crate::config::Markdown,
    shortcodes: String,
    syntaxes: String,
    relative_base: String,
    colours: String,
    lookups: Lookups,
    rendered: Rendered,
}

/// What one page's rendering was given; the cache key.
pub struct Inputs<'a> {
    pub file: &'a str,
    pub body: &'a str,
    pub first_line: usize,
    pub switches: super::Switches,
    /// The site's `[markdown]` choices.
    pub settings: &'a crate::config::Markdown,
    /// The templates and page context a page calling shortcodes depends on, as a key; empty for a page calling
    /// none.
    pub shortcodes: &'a str,
    /// The fingerprint of the site's own syntaxes (empty without), so that editing one re-renders the code.
    pub syntaxes: &'a str,
    /// What relative links are written after (the page's permalink in a Zola site, else empty).
    pub relative_base: &'a str,
    /// [`crate::config::Config::colours_key`]: the theme written into the code, if any.
    pub colours: &'a str,
}

impl MarkdownCache {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn rendered(&self) -> u64 {
        self.rendered
    }
}

impl Reuse for MarkdownCache {
    fn get(&self, inputs: &Inputs, resolve: &dyn Fn(&str) -> Option<String>) -> Option<Rendered> {
        let hit = self.entries.get(inputs.file)?;
        let same = hit.body == inputs.body
            && hit.first_line == inputs.first_line
            && hit.switches == inputs.switches
            && hit.settings == *inputs.settings
            && hit.shortcodes == inputs.shortcodes
            && hit.syntaxes == inputs.syntaxes
            && hit.relative_base == inputs.relative_base
            && hit.colours == inputs.colours
            && still_resolve(&hit.lookups, resolve);
        same.then(|| hit.rendered.clone())
    }

    fn put(&mut self, inputs: &Inputs, lookups: Lookups, rendered: &Rendered) {
        self.rendered += 1;
        if !rendered.images.is_empty() {
            // Not kept: see `super::with_images`.
            self.entries.remove(inputs.file);
            return;
        }
        let cached = Cached {
            body: inputs.body.to_string(),
            first_line: inputs.first_line,
            switches: inputs.switches,
            settings: inputs.settings.clone(),
            shortcodes: inputs.shortcodes.to_string(),
            syntaxes: inputs.syntaxes.to_string(),
            relative_base: inputs.relative_base.to_string(),
            colours: inputs.colours.to_string(),
            lookups,
            rendered: rendered.clone(),
        };
        self.entries.insert(inputs.file.to_string(), cached);
    }

    fn retain(&mut self, live: &BTreeSet<&str>) {
        self.entries.retain(|file, _| live.contains(file.as_str()));
    }
}

/// Renders one body, recording every link lookup the Markdown stage made.
pub(super) fn render_recorded(
    body: &str,
    options: markdown::Options,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Rendered, Lookups) {
    let lookups = Mutex::new(Vec::new());
    let recording = |target: &str| {
        let answer = resolve(target);
        lookups.lock().unwrap_or_else(|e| e.into_inner()).push((target.to_string(), answer.clone()));
        answer
    };
    let rendered = super::with_images(|| markdown::render(body, &markdown::Options { resolve: &recording, ..options }));
    (rendered, lookups.into_inner().unwrap_or_else(|e| e.into_inner()))
}
