//! The site model: every post with its URL and rendered body, the tags, the static files. Immutable once built.
//!
//! [`load`] is the whole front half of a build: config, sources, URLs, Markdown. It reads files but writes nothing.
mod cache;
pub mod languages;
mod markup;
pub(crate) mod pack;
mod paging;
mod patch;
mod permalink;
pub mod related;
pub mod relations;
pub mod sections;
pub mod series;
mod shortcodes;
mod statics;
mod taxonomies;

use crate::config::Config;
use crate::content::front_matter::PostDate;
use crate::content::{self, SourceCache, SourcePage};
use crate::error::{BuildFailed, Diagnostic, Location, Report};
use crate::markdown::{self, BlockHook, Rendered};
use crate::templates::Templates;
use cache::Lookups;
pub use cache::{MarkdownCache, Reuse};
pub use pack::MarkdownPack;
pub use paging::Paging;
pub use patch::patch_bodies;
use rayon::prelude::*;
pub use sections::Section;
use shortcodes::PageShortcodes;
pub use statics::{StaticFile, find as find_static};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
pub use taxonomies::Taxonomy;

/// What a build is asked to do, decided at the edge (the CLI, the server, a test).
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub future: bool,
    /// Overrides `base_url` from the config (the preview server points it at itself).
    pub base_url: Option<String>,
    /// The override replaces only the origin of the config's `base_url` and keeps its path: the preview serves a
    /// site deployed at `https://example.com/blog` at `http://127.0.0.1:1111/blog`, so that a link works in the
    /// preview exactly when it works in production.
    pub keep_base_path: bool,
    /// Posts dated after this day are future posts. Passed in so that the library never reads the clock.
    pub today: time::Date,
    /// Where to keep rendered Markdown between builds ([`MarkdownPack`]) and the site's syntaxes linked with the
    /// bundled ones; `None` renders every post afresh.
    pub cache_dir: Option<PathBuf>,
    /// The site's syntaxes as last linked: the clones of one `BuildOptions` (the preview's builds) link again only
    /// when a syntax file changed.
    pub syntaxes: crate::highlight::Linked,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, today: time::Date) -> Self {
        let root = root.into();
        BuildOptions {
            root,
            drafts: false,
            future: false,
            base_url: None,
            keep_base_path: false,
            today,
            cache_dir: None,
            syntaxes: crate::highlight::Linked::default(),
        }
    }
}

/// Immutable once built: a change makes a new `Site` (see [`patch_bodies`]), which shares with the old one, by
/// `Arc`, every part the change left alone. Cloning one is therefore cheap: a few reference counts and one per page.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Arc<Config>,
    /// The dated pages newest first, then the undated ones; ties broken by source path so the order never depends
    /// on the file system.
    pub pages: Vec<Arc<Page>>,
    /// How many of [`Site::pages`] are dated: those are the posts of the feeds and the archive, and the others
    /// standalone pages.
    pub dated: usize,
    /// Sorted by folder: the root section (the home page) first, a parent before its children.
    pub sections: Arc<Vec<Section>>,
    /// For each page, the pages before and after it in its section's list (`previous` and `next`).
    pub neighbours: Arc<Vec<(Option<usize>, Option<usize>)>>,
    /// Sorted by slug.
    pub tags: Arc<Vec<Tag>>,
    /// The config's other taxonomies, in its order, and `series` last when posts name series and the config
    /// declares no such taxonomy (see [`series`]).
    pub taxonomies: Arc<Vec<Taxonomy>>,
    /// The terms of the `series` taxonomy, sorted by slug, each with its parts in reading order.
    pub series: Arc<Vec<series::Series>>,
    /// For each page, its place in its series.
    pub series_parts: Arc<Vec<Option<series::Part>>>,
    /// For each page, its related posts, best first (see [`related`]).
    pub related: Arc<Vec<Vec<usize>>>,
    pub static_files: Arc<Vec<StaticFile>>,
    /// The stylesheets compiled from `sass/` and their problems; empty unless the config's `compile_sass` is set.
    /// Compiled by the [`crate::build::Builder`], which keeps them until a file under `sass/` changes.
    pub sass: crate::sass::Compiled,
    /// Where each post's page goes, for the render's plan of every output file (see [`PostFolders`]).
    pub post_folders: Arc<PostFolders>,
    /// Whether a page calls a shortcode: then its Markdown depends on the templates, and a template edit must
    /// render it again.
    pub calls_shortcodes: bool,
    /// Problems found while loading, errors included: the render stage goes on regardless, so that one build
    /// reports every problem of the site, and fails at the end if any of them is an error.
    pub diagnostics: Vec<Diagnostic>,
}

/// Each post's output folder (`a/b/` for the URL `/a/b/`, which is `a/b/index.html`) and every folder above one,
/// made once when the site is loaded. The render plans every output file on each render, the preview's included,
/// and looking posts up here spares it making ten thousand paths per save; a patched site (new bodies, same URLs)
/// keeps them.
#[derive(Debug, Default)]
pub struct PostFolders {
    /// Folder → index in [`Site::pages`].
    pub by_folder: HashMap<String, usize>,
    /// Every folder that holds a post's `index.html`, without its trailing slash (`a/b` and `a` for `a/b/`).
    pub above: HashSet<String>,
}

impl PostFolders {
    fn of(pages: &[Page]) -> PostFolders {
        let mut folders = PostFolders::default();
        for (i, page) in pages.iter().enumerate() {
            let folder = page.path.trim_start_matches('/');
            folders.by_folder.insert(folder.to_string(), i);
            // Deepest first: a folder already in means its parents are too.
            for (end, _) in folder.rmatch_indices('/') {
                if !folders.above.insert(folder[..end].to_string()) {
                    break;
                }
            }
        }
        folders
    }
}

/// Shared by `Arc` once built, and never changed: the same `Arc` is the very same page (a patched site holds a new
/// one for each page it changed), so the preview's render memo need not compare ten thousand pages field by field
/// on every save. Equality compares contents: a patched site equals the same site loaded afresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub source: SourcePage,
    pub slug: String,
    /// URL path from the site root, `/2017/05/claims/`.
    pub path: String,
    /// Absolute URL.
    pub permalink: String,
    /// `None` for a standalone page (an About page).
    pub date: Option<PostDate>,
    pub tags: Vec<TagRef>,
    pub content: Rendered,
    /// Its translations and backlinks, filled once the whole site is known.
    pub relations: relations::Relations,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
}

#[derive(Debug)]
pub struct Tag {
    /// Display name: the first spelling met, in page order.
    pub name: String,
    pub slug: String,
    /// Indices into [`Site::pages`], in its order: dated pages newest first, then undated ones.
    pub pages: Vec<usize>,
    /// How many of `pages` are dated.
    pub dated: usize,
}

impl Tag {
    /// Its dated pages, the ones its feed carries: [`Tag::pages`] lists them first.
    pub fn dated(&self) -> &[usize] {
        &self.pages[..self.dated]
    }
}

impl Site {
    /// Every page, then every section's index page (the implied root's included).
    pub fn pages_and_indexes(&self) -> impl Iterator<Item = &Page> + Clone {
        self.pages.iter().map(|p| &**p).chain(self.sections.iter().map(|s| &s.index))
    }

    /// The sections with a feed of their own, but the root (the site's feed is its). In a fanzine site, when the
    /// site has feeds: every one that makes a list page and lists a dated page, unless its `generate_feeds =
    /// false`. In a Zola site, as in Zola: those whose `generate_feeds = true`, whatever the config's says.
    pub fn section_feeds(&self) -> impl Iterator<Item = usize> + '_ {
        let wanted = self.config.feed.enabled;
        self.sections.iter().enumerate().skip(1).filter_map(move |(s, section)| {
            let front = section.front();
            let shown = section.renders() && front.redirect_to.is_none();
            let fanzine = || {
                wanted
                    && front.generate_feeds != Some(false)
                    && section.pages.iter().any(|&i| self.pages[i].date.is_some())
            };
            let feeds = match self.config.is_zola() {
                true => front.generate_feeds == Some(true),
                false => fanzine(),
            };
            (shown && feeds).then_some(s)
        })
    }

    /// Whether each tag has a feed: in a fanzine site when the site has feeds; in a Zola site as its `tags`
    /// taxonomy's `feed` says, as for any other taxonomy.
    pub fn tag_feeds(&self) -> bool {
        match self.config.is_zola() {
            true => self.config.taxonomies.iter().any(|t| t.name == "tags" && t.feed),
            false => self.config.feed.enabled,
        }
    }

    /// How a tag's page (at `path`) is split: as the config's `tags` entry of `taxonomies` says, as Zola does;
    /// one page without one.
    pub fn tag_paging<'a>(&'a self, tag: &Tag, path: &'a str) -> Paging<'a> {
        let (per, paginate_path) = self.tags_split();
        Paging { path, paginate_path, per, total: tag.pages.len() }
    }

    /// How a tag's page is split, from the config's `tags` entry: tags per page (`None`: one page) and the folder
    /// of the later pages.
    pub fn tags_split(&self) -> (Option<usize>, &str) {
        let entry = self.config.taxonomies.iter().find(|t| t.name == "tags");
        let per = entry.and_then(|t| t.paginate_by).filter(|&n| n > 0);
        (per, entry.and_then(|t| t.paginate_path.as_deref()).unwrap_or("page"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base(), path)
    }

    pub fn page_by_source(&self) -> BTreeMap<&str, usize> {
        self.pages.iter().enumerate().map(|(i, p)| (p.source.path.as_str(), i)).collect()
    }
}

/// Loads config and sources and renders every post's Markdown. All problems come back together.
pub fn load(options: &BuildOptions, hook: Option<BlockHook>) -> Result<Site, BuildFailed> {
    load_cached(options, hook, None, None::<&mut MarkdownCache>, None)
}

/// [`load`], reusing the sources the watcher did not report (`sources`) and the Markdown of posts that did not
/// change (`cache`) since the builds that filled them. Shortcodes are the `templates`' (none: calls stay text).
pub fn load_cached(
    options: &BuildOptions,
    hook: Option<BlockHook>,
    templates: Option<&Templates>,
    cache: Option<&mut impl Reuse>,
    sources: Option<&mut SourceCache>,
) -> Result<Site, BuildFailed> {
    load_with_config(options, read_config(options), hook, templates, cache, sources)
}

/// [`load_cached`] from a config already read ([`read_config`]): the builder reads it once, for the templates'
/// theme and for the site.
pub fn load_with_config(
    options: &BuildOptions,
    config: ConfigRead,
    hook: Option<BlockHook>,
    templates: Option<&Templates>,
    cache: Option<&mut impl Reuse>,
    sources: Option<&mut SourceCache>,
) -> Result<Site, BuildFailed> {
    let root = &options.root;
    let mut report = Report::default();
    let config = match config {
        Ok((c, warnings)) => {
            report.extend(warnings);
            c
        }
        Err(problems) => return Err(BuildFailed::new(problems)),
    };
    let unreadable = |e: std::io::Error| {
        BuildFailed::new(vec![Diagnostic::error(Some(Location::file("content")), format!("cannot read content/: {e}"))])
    };
    let (sources, diagnostics) = match sources {
        Some(kept) => {
            let files = kept.find(root, &content::Walking::of(&config)).map_err(unreadable)?;
            kept.load(root, &files)
        }
        None => content::load(root, &content::find_sources(root, &content::Walking::of(&config)).map_err(unreadable)?),
    };
    report.extend(diagnostics);
    let (mut section_sources, sources) = sections_and_pages(sources, options);
    languages::implied_roots(&config, &mut section_sources);
    let mut claimed = permalink::Claimed::new();
    let indexes = permalink::assign_sections(&config, section_sources, &mut claimed, &mut report);
    let mut pages = permalink::assign(&config, &mut claimed, sources, &mut report);
    pages.sort_by(|a, b| {
        (a.date.is_none().cmp(&b.date.is_none()))
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.source.path.cmp(&b.source.path))
    });
    let dated = pages.iter().take_while(|p| p.date.is_some()).count();
    let mut indexes = indexes;
    let calls_shortcodes = (pages.iter().chain(&indexes)).any(|p| markdown::shortcodes::may_have_calls(&p.source.body));
    let anchors = markup::ZolaMarkup::of(&config, &indexes, templates);
    let hooks = Hooks { block: hook, templates, anchors: anchors.as_ref() };
    // Only a one-shot build's cache is on disk; the preview keeps nothing there.
    let kept_in = cache.as_ref().and_then(|c| c.on_disk()).map(std::path::Path::to_path_buf);
    render_markdown(&config, &mut pages, &mut indexes, hooks, &mut report, cache);
    // Past the Markdown stage nothing reads the pages' text (a 10,000-post site holds 40 MB of it), so the model
    // is made without it.
    for source in pages.iter_mut().map(|p| &mut p.source).chain(indexes.iter_mut().map(|i| &mut i.source)) {
        source.body = String::new();
    }
    let mut sections: Vec<Section> = indexes
        .into_iter()
        .map(|index| Section {
            explicit: !index.source.path.is_empty(),
            index,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            sort_by: crate::content::front_matter::SortBy::None,
            paginate_by: None,
        })
        .collect();
    sections::arrange(&config, &mut sections, &pages);
    relations::relate(root, &config, &mut pages, &mut sections);
    let neighbours = sections::neighbours(&sections, &pages);
    let tags = collect_tags(&pages, &mut report);
    let taxonomies = taxonomies::collect(&config, &pages, &mut report);
    let (series, series_parts) = series::collect(&pages, &taxonomies, config.slugify.taxonomies, &mut report);
    let related =
        related::collect(&pages, dated, &tags, &series, &series_parts, config.related_posts, kept_in.as_deref());
    let ignored = config.ignored_static();
    let (static_files, problems) = statics::find(root, config.theme.as_deref(), config.follow_external_links, &ignored);
    report.extend(problems);
    let post_folders = PostFolders::of(&pages);
    // A Zola site's templates may name templates it does not have (a theme's); they fall back to the built-in ones.
    Ok(Site {
        root: root.clone(),
        config: Arc::new(config),
        pages: pages.into_iter().map(Arc::new).collect(),
        dated,
        sections: Arc::new(sections),
        neighbours: Arc::new(neighbours),
        tags: Arc::new(tags),
        taxonomies: Arc::new(taxonomies),
        series: Arc::new(series),
        series_parts: Arc::new(series_parts),
        related: Arc::new(related),
        static_files: Arc::new(static_files),
        sass: crate::sass::Compiled::default(),
        post_folders: Arc::new(post_folders),
        calls_shortcodes,
        diagnostics: report.diagnostics,
    })
}

/// The config with its warnings, or every problem in it, each located.
pub type ConfigRead = Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The config as a build uses it: read, its highlighting extras loaded, the base URL overridden as asked, the
/// theme checked and its `[extra]` laid under the site's.
pub fn read_config(options: &BuildOptions) -> ConfigRead {
    let root = &options.root;
    let (mut config, mut warnings) = Config::read(root)?;
    warnings.extend(config.load_highlight_extras(root, &options.syntaxes, options.cache_dir.as_deref())?);
    if let Some(base) = &options.base_url {
        let base = match options.keep_base_path {
            true => format!("{}{}", base.trim_end_matches('/'), config.base_path()),
            false => base.clone(),
        };
        config.override_base_url(&base).map_err(|d| vec![d])?;
    }
    crate::theme::apply(root, &mut config).map_err(|d| vec![d])?;
    Ok((config, warnings))
}

/// The sections (sorted by folder, the root first, implied if there is no `content/_index.md`) and the pages to
/// build: drafts and future pages only when asked for, nothing under a draft section, no page with `render = false`.
fn sections_and_pages(sources: Vec<SourcePage>, options: &BuildOptions) -> (Vec<SourcePage>, Vec<SourcePage>) {
    let (mut indexes, pages): (Vec<SourcePage>, Vec<SourcePage>) =
        sources.into_iter().partition(|s| s.section_front.is_some());
    let hidden: Vec<String> =
        indexes.iter().filter(|s| s.front.draft && !options.drafts).map(|s| s.section.clone()).collect();
    let shown = |folder: &str| !hidden.iter().any(|h| sections::is_within(folder, h) && !h.is_empty());
    // A draft section hides its own language's index only, but every language's pages and sections under it: Zola
    // 0.21 keeps `blog/_index.md` (empty) beside a draft `blog/_index.fr.md`.
    let under = |folder: &str| !hidden.iter().any(|h| sections::is_within(folder, h) && folder != h && !h.is_empty());
    indexes.retain(|s| under(&s.section) && (s.section.is_empty() || !s.front.draft || options.drafts));
    if !indexes.iter().any(|s| s.section.is_empty() && s.lang.is_none()) {
        indexes.push(sections::implied_root(None));
    }
    indexes.sort_by(|a, b| (&a.lang, &a.section).cmp(&(&b.lang, &b.section)));
    let pages = pages.into_iter().filter(|s| wanted(s, options) && shown(&s.section)).collect();
    (indexes, pages)
}

fn wanted(source: &SourcePage, options: &BuildOptions) -> bool {
    let future = source.date.is_some_and(|d| d.at.date() > options.today);
    source.front.render && (options.drafts || !source.front.draft) && (options.future || !future)
}

/// What the Markdown stage calls out to: the hook for special fenced blocks, the templates for shortcodes.
#[derive(Clone, Copy)]
pub(crate) struct Hooks<'a> {
    pub block: Option<BlockHook<'a>>,
    pub templates: Option<&'a Templates>,
    /// A Zola site's anchor links; `None` gives fanzine's.
    pub anchors: Option<&'a markup::ZolaMarkup<'a>>,
}

impl<'a> Hooks<'a> {
    /// The anchor links of the page at `path`, and what a kept rendering depends on for them and for the end of a
    /// cut summary.
    fn heading_links(&self, path: &str) -> (markdown::HeadingLinks<'a>, String) {
        match self.anchors {
            Some(anchors) => anchors.links(path),
            None => (markdown::HeadingLinks::Fanzine, String::new()),
        }
    }

    fn summary_cutoff(&self) -> Option<&'a (dyn markdown::SummaryCutoff + Sync)> {
        self.anchors.and_then(|a| a.cutoff())
    }
}

/// How many pages the Markdown stage renders before it hands their HTML to the cache to keep on disk: the HTML a
/// clean build holds at once (a few megabytes), and rare enough a pause for the cores to wait for the slowest post.
const RENDERED_AT_ONCE: usize = 512;

/// Renders the Markdown of every page and of every section's `_index.md`.
fn render_markdown(
    config: &Config,
    pages: &mut [Page],
    indexes: &mut [Page],
    hooks: Hooks,
    report: &mut Report,
    cache: Option<&mut impl Reuse>,
) {
    let targets = link_targets(pages, indexes);
    let mut pages: Vec<&mut Page> =
        pages.iter_mut().chain(indexes.iter_mut().filter(|s| !s.source.path.is_empty())).collect();
    let pages = pages.as_mut_slice();
    let resolve = |target: &str| targets.get(target).cloned();
    let Some(cache) = cache else {
        pages.par_iter_mut().for_each(|page| {
            let shortcodes = page_shortcodes(hooks.templates, page, &page.source.body, config);
            let base = relative_base(config, &page.permalink);
            let links = hooks.heading_links(&page.source.path).0;
            let options = markdown::Options {
                heading_links: links,
                summary_cutoff: hooks.summary_cutoff(),
                ..markdown_options(&page.source, config, base, &resolve, hooks.block, shortcodes.as_ref())
            };
            page.content = with_images(|| markdown::render(&page.source.body, &options));
        });
        return take_diagnostics(pages, report);
    };
    for pages in pages.chunks_mut(RENDERED_AT_ONCE) {
        let reused = &*cache;
        let fresh: Vec<_> =
            pages.par_iter().map(|page| render_cached(page, &page.source, config, &resolve, hooks, reused)).collect();
        for (page, (rendered, lookups, key)) in pages.iter_mut().zip(fresh) {
            if let Some(lookups) = lookups {
                cache.put(&cache_inputs(&page.source, config, &page.permalink, &key), lookups, &rendered);
            }
            page.content = rendered;
        }
        // After the whole batch is put, so that the first flushes the cache's writes and the rest write nothing.
        for page in pages.iter_mut() {
            if let Some(kept) = cache.kept_html(&page.source.path) {
                page.content.html = kept;
            }
        }
    }
    cache.retain(&pages.iter().map(|p| p.source.path.as_str()).collect());
    take_diagnostics(pages, report);
}

/// Renders a page's Markdown, keeping with it the images its shortcodes asked `resize_image` for, so that they
/// are made whenever the page is published, from a site model kept by the preview too.
///
/// Such a rendering is not kept by the Markdown caches ([`MarkdownCache`], [`MarkdownPack`]), and so is made again
/// on the next build: its images are known by a hash of their bytes (a fanzine site's HTML names them so; a Zola
/// site's names them by path, but the store keeps them by bytes), which the caches' key (the page's text, the
/// templates) does not cover, so a kept copy could name or make an image that changed since. Storing the jobs
/// with the entry would reuse exactly that stale image. Only pages whose shortcodes resize images pay for it.
pub(crate) fn with_images(render: impl FnOnce() -> Rendered) -> Rendered {
    let (mut rendered, images) = crate::images::jobs::collect(None, render);
    rendered.images = images;
    rendered
}

/// What `@/posts/a.md` links resolve to: each page's and section's permalink, by its path under `content/`.
fn link_targets(pages: &[Page], indexes: &[Page]) -> BTreeMap<String, String> {
    (pages.iter().chain(indexes.iter().filter(|s| !s.source.path.is_empty())))
        .map(|p| (p.source.path.trim_start_matches("content/").to_string(), p.permalink.clone()))
        .collect()
}

/// One post's Markdown from the cache, or rendered with the link lookups it made (to be put in the cache), and
/// the key its shortcodes add to its inputs. `source` is the page's (it may be newer than `page.source`, whose
/// front matter is the same).
fn render_cached(
    page: &Page,
    source: &SourcePage,
    config: &Config,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    hooks: Hooks,
    cache: &impl Reuse,
) -> (Rendered, Option<Lookups>, String) {
    let shortcodes = page_shortcodes(hooks.templates, page, &source.body, config);
    let (links, links_key) = hooks.heading_links(&source.path);
    // The key of what templates give the page: its shortcodes' and its anchor links'.
    let key = shortcodes.as_ref().map(PageShortcodes::key).unwrap_or_default() + &links_key;
    match cache.get(&cache_inputs(source, config, &page.permalink, &key), resolve) {
        Some(hit) => (hit, None, key),
        None => {
            let base = relative_base(config, &page.permalink);
            let options = markdown::Options {
                heading_links: links,
                summary_cutoff: hooks.summary_cutoff(),
                ..markdown_options(source, config, base, resolve, hooks.block, shortcodes.as_ref())
            };
            let (rendered, lookups) = cache::render_recorded(&source.body, options, resolve);
            (rendered, Some(lookups), key)
        }
    }
}

/// The shortcodes a page may call, if its body may call one: a page without `{{` or `{%` pays one scan.
fn page_shortcodes<'a>(
    templates: Option<&'a Templates>,
    page: &Page,
    body: &str,
    config: &Config,
) -> Option<PageShortcodes<'a>> {
    let templates = templates.filter(|_| markdown::shortcodes::may_have_calls(body))?;
    Some(PageShortcodes::new(templates, page, config))
}

/// The settings of the config that the Markdown stage reads, so also part of the key of a kept rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switches {
    pub highlight: bool,
    pub anchors: crate::slugify::Strategy,
}

impl Switches {
    pub fn of(config: &Config) -> Switches {
        Switches { highlight: config.highlight.enabled, anchors: config.slugify.anchors }
    }
}

/// What a page's relative links are written after: its permalink in a Zola site, as Zola 0.21 does; nothing in a
/// fanzine site, whose pages keep them as written (see `markdown::links`).
fn relative_base<'a>(config: &Config, permalink: &'a str) -> &'a str {
    match config.is_zola() {
        true => permalink,
        false => "",
    }
}

fn markdown_options<'a>(
    source: &'a SourcePage,
    config: &'a Config,
    relative_base: &'a str,
    resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    block_hook: Option<BlockHook<'a>>,
    shortcodes: Option<&'a PageShortcodes<'a>>,
) -> markdown::Options<'a> {
    let Switches { highlight, anchors } = Switches::of(config);
    markdown::Options {
        file: &source.path,
        first_line: source.body_line,
        highlight,
        settings: &config.markdown,
        anchors,
        resolve,
        block_hook,
        shortcodes: shortcodes.map(|s| s as &dyn markdown::shortcodes::Shortcodes),
        syntaxes: config.highlight.extras.syntaxes(),
        relative_base,
        colours: config.colours(),
        heading_links: markdown::HeadingLinks::Fanzine,
        summary_cutoff: None,
    }
}

fn cache_inputs<'a>(
    source: &'a SourcePage,
    config: &'a Config,
    permalink: &'a str,
    shortcodes: &'a str,
) -> cache::Inputs<'a> {
    cache::Inputs {
        relative_base: relative_base(config, permalink),
        colours: config.colours_key(),
        shortcodes,
        file: &source.path,
        body: &source.body,
        first_line: source.body_line,
        switches: Switches::of(config),
        settings: &config.markdown,
        syntaxes: config.highlight.extras.fingerprint(),
    }
}

fn take_diagnostics(pages: &mut [&mut Page], report: &mut Report) {
    for page in pages.iter_mut() {
        report.extend(std::mem::take(&mut page.content.diagnostics));
    }
}

/// Groups the posts' tags by slug. Spellings that differ only in case are one tag, as readers expect; spellings
/// that differ otherwise but share a slug (`C++`, `C#` and `c` all give `c`) are merged too, as Zola merges them, so
/// that a site builds the same in both, but each such spelling gets a warning at the first `tags` line that uses
/// it, since the author probably meant two tags.
fn collect_tags(pages: &[Page], report: &mut Report) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    let mut warned: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
    // Another language's tags are a taxonomy it declares (see `taxonomies`).
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.source.lang.is_none()) {
        for tag in &page.tags {
            let entry = tags.entry(tag.slug.clone()).or_insert_with(|| Tag {
                name: tag.name.clone(),
                slug: tag.slug.clone(),
                pages: Vec::new(),
                dated: 0,
            });
            if entry.name.to_lowercase() != tag.name.to_lowercase()
                && warned.insert((tag.slug.clone(), tag.name.to_lowercase()))
            {
                let at = page.source.front.tags_at.clone().unwrap_or_else(|| Location::file(&page.source.path));
                report.push(
                    Diagnostic::warning(
                        Some(at),
                        format!(
                            "the tags {:?} and {:?} share the URL /tags/{}/, so they are shown as one tag, {:?}",
                            tag.name, entry.name, tag.slug, entry.name
                        ),
                    )
                    .with_hint("use one spelling, or tell them apart with letters or digits (\"csharp\", \"cpp\")"),
                );
            }
            if entry.pages.last() != Some(&i) {
                entry.pages.push(i);
                entry.dated += usize::from(page.date.is_some());
            }
        }
    }
    tags.into_values().collect()
}
