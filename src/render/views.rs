//! What templates see of the posts. Each post's summary view is built once and shared by every list that shows it,
//! so a tag page or the archive costs a clone, not a re-serialisation of the post.
//!
//! Views are kept between renders ([`ViewCache`]) with the [`Stamps`] that stand for them: a stamp is a number that
//! changes exactly when the view does, so a file showing ten summaries is keyed by ten numbers ([`Shown`] and
//! [`Full`] hash as their stamp and serialise as their view). Whether a view changed is told from what it is made
//! of, [`ViewInputs`], compared with the post kept from the last render.
//!
//! A one-shot build keeps nothing to compare with: its stamps are hashed from the inputs ([`content_stamps`]), and
//! a summary view is built only when a file showing it is rendered, so a build that renders few files (nothing
//! changed, one post edited) builds few views. Built for every post, they were a tenth of a nothing-changed build
//! of 10,000 posts and 44 MB of its memory.
use super::links::{self, Targets};
use crate::content::front_matter::{FrontMatter, PostDate};
use crate::markdown::Lost;
use crate::markdown::{Html, TocEntry};
use crate::site::{Page, Site, TagRef};
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};
use tera::Context;

/// Everything of a post that its views are made from, and nothing else (not its Markdown source, links or ids).
/// The views are built from these alone, so the memo can compare these to tell whether a post's views changed.
#[derive(PartialEq)]
pub(super) struct ViewInputs<'a> {
    front: &'a FrontMatter,
    source: &'a str,
    /// The folder under `content/` it is in, for its `ancestors`.
    folder: &'a str,
    permalink: &'a str,
    path: &'a str,
    slug: &'a str,
    date: Option<PostDate>,
    tags: &'a [TagRef],
    /// Equal at once when it is the same bytes in memory ([`Html::same`]): after a save, every post but the edited
    /// one still shares its HTML with the memo's copy, and comparing ten thousand posts' bytes cost more than the
    /// render itself.
    html: &'a Html,
    summary: &'a str,
    toc: &'a [TocEntry],
    word_count: usize,
    /// The bundle's files: the first image is the post's social image when the front matter names none.
    assets: &'a [std::path::PathBuf],
    /// Its language, when not the site's.
    lang: Option<&'a str>,
    relations: &'a crate::site::relations::Relations,
}

impl<'a> ViewInputs<'a> {
    pub fn of(page: &'a Page) -> Self {
        ViewInputs {
            front: &page.source.front,
            source: &page.source.path,
            folder: &page.source.section,
            permalink: &page.permalink,
            path: &page.path,
            slug: &page.slug,
            date: page.date,
            tags: &page.tags,
            html: &page.content.html,
            summary: &page.content.summary,
            toc: &page.content.toc,
            word_count: page.content.word_count,
            assets: &page.source.assets,
            lang: page.source.lang.as_deref(),
            relations: &page.relations,
        }
    }
}

/// A post's identity and state as seen by templates, as two numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamps {
    /// Changes whenever the post's full view does (`page` in post.html, feed entries).
    pub page: u64,
    /// Changes only when its summary view changes (lists, `previous`/`next`).
    pub summary: u64,
}

/// Posts' views and stamps kept from the last render, by source path.
#[derive(Default)]
pub struct ViewCache {
    posts: HashMap<String, KeptPost>,
    /// Source of fresh stamps; never reused, so a stamp names one post in one state.
    last_stamp: u64,
    /// Keeps nothing: a one-shot build would otherwise hold a copy of every post (body and HTML) until it ends.
    disposable: bool,
}

struct KeptPost {
    page: Arc<Page>,
    summary: Summary,
    stamps: Stamps,
    links: Targets,
}

/// A post's summary view, shared by every list that shows it; empty until first shown in a one-shot build.
type Summary = Arc<OnceLock<Value>>;

fn built(view: Value) -> Summary {
    Arc::new(OnceLock::from(view))
}

enum Looked {
    /// Equal to the kept post: its view and stamps are reused.
    Same(Summary, Stamps),
    /// A new view, and the kept summary stamp if the summary view itself came out the same.
    Changed(Summary, Option<u64>),
    /// A one-shot build's post: stamps hashed from what the views are made of (see [`content_stamps`]), the view
    /// not built yet.
    Hashed(Stamps),
}

impl ViewCache {
    pub fn disposable() -> ViewCache {
        ViewCache { disposable: true, ..ViewCache::default() }
    }

    pub fn clear(&mut self) {
        self.posts.clear();
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// Every post's summary view, stamps and internal links, in page order. Those of posts equal to the kept ones
    /// are reused; the others are built afresh and get fresh stamps.
    pub fn views(&mut self, site: &Site) -> Views {
        let around = SiteInputs::of(site);
        let looked: Vec<(Looked, Targets, bool)> =
            site.pages.par_iter().map(|page| self.look(site, around, page)).collect();
        let mut views = Views {
            summaries: Vec::with_capacity(looked.len()),
            stamps: Vec::with_capacity(looked.len()),
            links: Vec::with_capacity(looked.len()),
        };
        for (page, looked) in site.pages.iter().zip(looked) {
            let (summary, stamp, links) = self.settle(page, looked);
            views.summaries.push(summary);
            views.stamps.push(stamp);
            views.links.push(links);
        }
        // Every post of the site is kept now; anything more is a post that is gone (source paths are unique).
        if self.posts.len() > site.pages.len() {
            let live: HashSet<&str> = site.pages.iter().map(|p| p.source.path.as_str()).collect();
            self.posts.retain(|path, _| live.contains(path.as_str()));
        }
        views
    }

    /// `views` (the last render's, of a site with the same posts in the same places) with the views of the pages at
    /// `changed` looked at again: what [`ViewCache::views`] makes of the site, for the work of those pages alone.
    pub fn patch(&mut self, site: &Site, views: &mut Views, changed: &[usize]) {
        for &i in changed {
            let page = &site.pages[i];
            let looked = self.look(site, SiteInputs::of(site), page);
            let (summary, stamp, links) = self.settle(page, looked);
            (views.summaries[i], views.stamps[i], views.links[i]) = (summary, stamp, links);
        }
    }

    /// One page's views: the kept ones if the page is the kept one or equal to it, else new ones.
    fn look(&self, site: &Site, around: SiteInputs, page: &Arc<Page>) -> (Looked, Targets, bool) {
        let k = self.posts.get(&page.source.path);
        // The same `Arc` is the very same page: its views and links are the kept ones.
        let same = k.is_some_and(|k| Arc::ptr_eq(&k.page, page));
        let looked = match k {
            // Another page may still show the same (a reloaded site): that takes a comparison.
            Some(k) if same || ViewInputs::of(&k.page) == ViewInputs::of(page) => {
                Looked::Same(k.summary.clone(), k.stamps)
            }
            Some(k) => {
                let view = summary(site, &ViewInputs::of(page));
                // A Zola site's lists show the body too, which the view leaves out (see [`Whole`]).
                let same_body = !site.config.is_zola() || k.page.content.html == page.content.html;
                let old_summary = (k.summary.get() == Some(&view) && same_body).then_some(k.stamps.summary);
                Looked::Changed(built(view), old_summary)
            }
            None if self.disposable => Looked::Hashed(content_stamps(around, &ViewInputs::of(page))),
            None => Looked::Changed(built(summary(site, &ViewInputs::of(page))), None),
        };
        let links = match k {
            Some(k) if same => k.links.clone(),
            _ => Targets::from(links::targets(page, site.config.base())),
        };
        (looked, links, same)
    }

    /// Keeps what [`ViewCache::look`] found of `page`, giving fresh stamps to what changed.
    fn settle(
        &mut self,
        page: &Arc<Page>,
        (looked, links, same): (Looked, Targets, bool),
    ) -> (Summary, Stamps, Targets) {
        let (summary, stamp) = match looked {
            Looked::Same(summary, stamp) => {
                if !same && let Some(k) = self.posts.get_mut(&page.source.path) {
                    // The same views from another page: keep this one, so that next time its identity alone
                    // tells, and its links are reused.
                    k.page = page.clone();
                    k.links = links.clone();
                }
                (summary, stamp)
            }
            Looked::Hashed(stamp) => (Summary::default(), stamp),
            Looked::Changed(summary, old_summary) => {
                let page_stamp = self.fresh_stamp();
                let summary_stamp = old_summary.unwrap_or_else(|| self.fresh_stamp());
                let stamp = Stamps { page: page_stamp, summary: summary_stamp };
                if !self.disposable {
                    let kept =
                        KeptPost { page: page.clone(), summary: summary.clone(), stamps: stamp, links: links.clone() };
                    self.posts.insert(page.source.path.clone(), kept);
                }
                (summary, stamp)
            }
        };
        (summary, stamp, links)
    }

    fn fresh_stamp(&mut self) -> u64 {
        self.last_stamp += 1;
        self.last_stamp
    }
}

/// What a post's summary view is made of besides the post ([`ViewInputs`]): the parts of the site `summary` reads.
/// Hashed once per render into every one-shot stamp.
#[derive(Clone, Copy)]
struct SiteInputs {
    hash: u64,
    /// A Zola site's summaries hold the page's HTML and table of contents.
    zola: bool,
}

impl SiteInputs {
    fn of(site: &Site) -> SiteInputs {
        use xxhash_rust::xxh3::Xxh3;
        let mut hasher = Xxh3::new();
        let config = &site.config;
        (config.base(), &config.language, config.is_zola(), &site.root).hash(&mut hasher);
        for section in site.sections.iter() {
            (section.folder(), section.lang()).hash(&mut hasher);
        }
        SiteInputs { hash: hasher.finish(), zola: config.is_zola() }
    }
}

/// Stamps hashed from what a post's views are made of, rather than counted: the same in every process, so that
/// keys made of them may be recorded on disk and trusted by the next build ([`crate::write::published`]). A one-shot
/// build, which keeps no views to compare with, uses these. The summary stamp covers what [`summary`] reads (the
/// site's part in `around`), so that a body edit which leaves the summary, word count and title alone leaves the
/// lists showing the post alone; the page stamp covers every input of the full view, and the summary stamp too.
fn content_stamps(around: SiteInputs, inputs: &ViewInputs) -> Stamps {
    use xxhash_rust::xxh3::Xxh3;
    let ViewInputs {
        front,
        source,
        folder,
        permalink,
        path,
        slug,
        date,
        tags,
        html,
        summary: text,
        toc,
        word_count,
        assets,
        lang,
        relations,
    } = inputs;
    // The front matter and the dates have no `Hash`; their `Debug` text shows every field, maps in key order. The
    // summary stamp takes only the front matter's fields `summary` reads, so that one shown only on the post's own
    // page (`aliases`) leaves the lists showing it alone.
    let shown = (&front.title, &front.description, &front.updated, &front.summary, &front.weight, &front.authors);
    let listed = (&front.tags, &front.taxonomies, &front.extra, front.draft);
    let described = format!("{shown:?}{listed:?}{date:?}{tags:?}{assets:?}{lang:?}{relations:?}");
    let mut hasher = Xxh3::new();
    ("summary", around.hash, described, (source, folder, permalink, path, slug, text, word_count)).hash(&mut hasher);
    // A Zola site's lists show whole pages: the HTML by its hash (kept HTML carries its hash, so the stamp
    // does not read the bytes) and the table of contents.
    if around.zola {
        (html.fingerprint(), format!("{toc:?}")).hash(&mut hasher);
    }
    let summary = hasher.finish();
    let mut hasher = Xxh3::new();
    ("page", summary, format!("{front:?}{toc:?}"), html.fingerprint()).hash(&mut hasher);
    Stamps { page: hasher.finish(), summary }
}

/// Every post's views for one render, in page order.
#[derive(Clone)]
pub struct Views {
    summaries: Vec<Summary>,
    stamps: Vec<Stamps>,
    /// Each post's internal links, resolved; kept with the views.
    links: Vec<Targets>,
}

/// A post's summary view as a template variable: serialised as the view (built then, if it was not), hashed as the
/// stamp that stands for it.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    stamp: u64,
    site: &'a Site,
    views: &'a Views,
    index: usize,
}

impl Hash for Shown<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hashed(self.stamp);
        self.stamp.hash(state);
    }
}

impl serde::Serialize for Shown<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.views.summary(self.site, self.index);
        if self.site.config.is_zola() {
            return Whole(view, &self.site.pages[self.index].content.html).serialize(serializer);
        }
        let marked = SPLICED.with_borrow_mut(|spliced| {
            let views = spliced.as_mut()?;
            views.push(self.views.summaries[self.index].clone());
            Some(views.len() - 1)
        });
        match marked {
            Some(place) => {
                use serde::ser::SerializeMap;
                let mut marker = serializer.serialize_map(Some(1))?;
                marker.serialize_entry(MARKER, &place)?;
                marker.end()
            }
            None => view.serialize(serializer),
        }
    }
}

thread_local! {
    /// While [`to_value`] runs on this thread: the summary views met so far, each serialised as a marker holding its
    /// place here and cloned in afterwards.
    static SPLICED: std::cell::RefCell<Option<Vec<Summary>>> = const { std::cell::RefCell::new(None) };
}

/// The key of a marker [`to_value`] replaces: no template variable or front matter key is a NUL.
const MARKER: &str = "\u{0}fanzine summary view";

/// A file's variables as the JSON value a template context is made of, with each summary view it shows cloned in
/// rather than serialised: going through serde rebuilds every map key by key (sorted inserts, a string per key),
/// and a clone of the kept view costs half as much (2.5 against 1.3 µs for a post's view). The views are most of
/// what a list or a post's page carries: a fifth of a clean build without highlighting went into serialising them.
pub(super) fn to_value<V: serde::Serialize>(vars: &V) -> serde_json::Result<Value> {
    let outer = SPLICED.with_borrow_mut(|spliced| spliced.replace(Vec::new()));
    let value = serde_json::to_value(vars);
    let views = SPLICED.with_borrow_mut(|spliced| std::mem::replace(spliced, outer)).unwrap_or_default();
    let mut value = value?;
    if !views.is_empty() {
        splice(&mut value, &views);
    }
    Ok(value)
}

/// Replaces every marker in `value` by the view it holds the place of.
fn splice(value: &mut Value, views: &[Summary]) {
    match value {
        Value::Object(map) => {
            let place = (map.len() == 1).then(|| map.get(MARKER).and_then(Value::as_u64)).flatten();
            match place.and_then(|place| views.get(usize::try_from(place).ok()?)?.get()) {
                Some(view) => *value = view.clone(),
                None => map.values_mut().for_each(|v| splice(v, views)),
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| splice(v, views)),
        _ => {}
    }
}

/// A Zola site's summary view with the post's HTML as its `content`, read back only as it is serialised: a view
/// kept for every post of a list would otherwise hold every post's HTML for the whole render.
struct Whole<'a>(&'a Value, &'a crate::markdown::Html);

impl serde::Serialize for Whole<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Value::Object(fields) = self.0 else { return self.0.serialize(serializer) };
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (key, value) in fields {
            match key.as_str() {
                "content" => map.serialize_entry(key, self.1)?,
                _ => map.serialize_entry(key, value)?,
            }
        }
        map.end()
    }
}

/// Serialises a list of summaries after building, on every core, those not built yet: a list is rendered on one
/// thread, and the archive of a one-shot build with one post edited spent half its time building 10,000 views
/// one after another. Only a list being rendered builds them (a reused file's list is hashed, not serialised).
pub(super) fn built_together<S: serde::Serializer>(list: &[Shown], serializer: S) -> Result<S::Ok, S::Error> {
    list.par_iter().with_min_len(64).for_each(|shown| {
        shown.views.summary(shown.site, shown.index);
    });
    serializer.collect_seq(list)
}

/// A post's full view (`page`, feed entries) as a template variable: hashed as its stamp, and built only when it
/// is serialised, that is when the file showing it is rendered rather than reused.
#[derive(Clone, Copy)]
pub struct Full<'a> {
    stamp: u64,
    site: &'a Site,
    views: &'a Views,
    index: usize,
}

impl Hash for Full<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hashed(self.stamp);
        self.stamp.hash(state);
    }
}

thread_local! {
    /// The stamps hashed on this thread since [`stamps_hashed`] began listening, if it is.
    static HASHED: std::cell::RefCell<Option<Vec<u64>>> = const { std::cell::RefCell::new(None) };
}

fn hashed(stamp: u64) {
    HASHED.with(|heard| {
        if let Some(stamps) = heard.borrow_mut().as_mut() {
            stamps.push(stamp);
        }
    });
}

/// Runs `f` (which hashes a file's variables into its memo key) and returns the stamps it hashed with its result:
/// the posts whose views that file shows, and so the posts whose change can change it ([`super::reach`]).
pub(super) fn stamps_hashed<R>(f: impl FnOnce() -> R) -> (R, Vec<u64>) {
    let outer = HASHED.with(|heard| heard.replace(Some(Vec::new())));
    let result = f();
    let mut stamps = HASHED.with(|heard| heard.replace(outer)).unwrap_or_default();
    stamps.sort_unstable();
    stamps.dedup();
    (result, stamps)
}

impl serde::Serialize for Full<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.views.full(self.site, self.index).map_err(|lost| serde::ser::Error::custom(lost.located()))?;
        view.serialize(serializer)
    }
}

impl Views {
    #[cfg(test)]
    pub fn stamps(&self) -> &[Stamps] {
        &self.stamps
    }

    /// How many posts' summary views have been built.
    #[cfg(test)]
    pub fn built(&self) -> usize {
        self.summaries.iter().filter(|summary| summary.get().is_some()).count()
    }

    /// Post `i`'s stamps.
    pub fn stamps_of(&self, i: usize) -> Stamps {
        self.stamps[i]
    }

    /// Every post's internal links, by page.
    pub fn links(&self) -> &[Targets] {
        &self.links
    }

    /// Post `i`'s summary view, for a list or a neighbour link.
    pub fn shown<'a>(&'a self, site: &'a Site, i: usize) -> Option<Shown<'a>> {
        Some(Shown { stamp: self.stamps.get(i)?.summary, site, views: self, index: i })
    }

    /// Post `i`'s summary view, built now if this is the first file to show it.
    fn summary(&self, site: &Site, i: usize) -> &Value {
        self.summaries[i].get_or_init(|| summary(site, &ViewInputs::of(&site.pages[i])))
    }

    /// Post `i`'s full view, for its own page and the feeds.
    pub fn full_view<'a>(&'a self, site: &'a Site, i: usize) -> Full<'a> {
        Full { stamp: self.stamps[i].page, site, views: self, index: i }
    }

    /// The summary view plus the body, the table of contents and the author's extra keys; an error names the post
    /// whose HTML could not be read back.
    pub(super) fn full(&self, site: &Site, i: usize) -> Result<Value, Lost> {
        let post = ViewInputs::of(&site.pages[i]);
        let mut view = self.summary(site, i).clone();
        let map = view.as_object_mut().expect("summary is an object");
        map.insert("content".into(), Value::String(post.html.text_of(post.source)?.into_owned()));
        map.insert("toc".into(), Value::Array(post.toc.iter().map(|e| toc_entry(post.permalink, e)).collect()));
        map.insert("draft".into(), Value::Bool(post.front.draft));
        map.insert("source".into(), Value::String(post.source.to_string()));
        map.insert("aliases".into(), json!(post.front.aliases));
        map.insert("image".into(), json!(social_image(site, &site.pages[i], &post)));
        // Zola's neighbours: `lower` is the one before in the section's list, `higher` the one after (fanzine's
        // `next` and `previous`), each a page without neighbours of its own.
        let (previous, next) = site.neighbours.get(i).copied().unwrap_or_default();
        let neighbour = |j: Option<usize>| match j {
            None => Ok(Value::Null),
            Some(j) if site.config.is_zola() => {
                let html = &site.pages[j].content.html;
                let lost = |e: serde_json::Error| Lost::new(&site.pages[j].source.path, e.into());
                serde_json::to_value(Whole(self.summary(site, j), html)).map_err(lost)
            }
            Some(j) => Ok(self.summary(site, j).clone()),
        };
        map.insert("lower".into(), neighbour(next)?);
        map.insert("higher".into(), neighbour(previous)?);
        Ok(view)
    }
}

/// A heading of the table of contents with Zola's fields: its `permalink` besides level, id, title and children.
pub(super) fn toc_entry(permalink: &str, entry: &TocEntry) -> Value {
    json!({
        "level": entry.level,
        "id": entry.id,
        "permalink": format!("{permalink}#{}", entry.id),
        "title": entry.title,
        "children": entry.children.iter().map(|c| toc_entry(permalink, c)).collect::<Vec<_>>(),
    })
}

/// Zola's `relative_path` of a source: its path under `content/`.
pub fn relative_path(source: &str) -> &str {
    source.strip_prefix("content/").unwrap_or(source)
}

/// Zola's `ancestors`: the `_index.md` of every section of the language `lang` above the page, the root's first.
pub fn ancestors(site: &Site, lang: Option<&str>, folder: &str, own: Option<&str>) -> Vec<String> {
    site.sections
        .iter()
        .filter(|s| s.lang() == lang)
        .filter(|s| crate::site::sections::is_within(folder, s.folder()) && Some(s.folder()) != own)
        .map(|s| index_path(s.folder(), lang))
        .collect()
}

/// A section's `_index.md` under `content/`, `_index.fr.md` in another language, whether or not it exists.
pub fn index_path(folder: &str, lang: Option<&str>) -> String {
    let name = match lang {
        Some(code) => format!("_index.{code}.md"),
        None => "_index.md".to_string(),
    };
    if folder.is_empty() { name } else { format!("{folder}/{name}") }
}

/// Zola's `components`: the URL path's segments.
pub fn components(path: &str) -> Vec<&str> {
    path.split('/').filter(|c| !c.is_empty()).collect()
}

/// The absolute URL of the image a shared link to the post shows: `extra.image` (absolute, site-rooted, or
/// relative to the post's URL), else the first image of its bundle by name, else none.
fn social_image(site: &Site, page: &Page, post: &ViewInputs) -> Option<String> {
    const IMAGES: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "avif", "svg"];
    if let Some(named) = post.front.extra.get("image").and_then(Value::as_str) {
        return Some(match named {
            url if url.starts_with("https://") || url.starts_with("http://") => url.to_string(),
            rooted if rooted.starts_with('/') => site.url(rooted),
            relative => format!("{}{relative}", post.permalink),
        });
    }
    let is_image = |path: &&std::path::PathBuf| {
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGES.contains(&e.to_ascii_lowercase().as_str()))
    };
    let first = post.assets.iter().filter(is_image).min()?;
    Some(site.url(&format!("/{}", super::plan::asset_path(site, page, first))))
}

/// Variables every template gets: `config`, `feed_url`, and the home page's `current_url` and `current_path`
/// (every other file sets its own).
pub fn base_context(site: &Site) -> Context {
    let config = &site.config;
    let mut context = Context::new();
    context.insert("config", &config_view(config));
    context.insert("lang", &config.language);
    let feed_url = config.feed.enabled.then(|| site.url(&format!("/{}", config.feed.filename)));
    context.insert("feed_url", &feed_url);
    context.insert("current_url", &site.url("/"));
    context.insert("current_path", "/");
    context
}

/// `config` as templates (and shortcodes) see it: fanzine's fields, and Zola's names for the same settings with its
/// fixed values where fanzine has no setting.
pub fn config_view(config: &crate::config::Config) -> Value {
    let zola = config.is_zola();
    json!({
        "title": config.title,
        "author": config.author,
        "description": config.description,
        // As written on a Zola site, as Zola shows it; fanzine's own without a trailing slash.
        "base_url": if zola { config.base_url.as_str() } else { config.base() },
        "language": config.language,
        "extra": crate::content::front_matter::toml_to_json(toml::Value::Table(config.extra.clone())),
        "default_language": config.language,
        "mode": "build",
        "languages": {},
        "generate_feeds": config.feed.enabled,
        "generate_feed": config.feed.enabled,
        "feed_filenames": [config.feed.filename],
        "taxonomies": zola_taxonomies(config),
        "markdown": zola_markdown(config),
        "build_search_index": config.build_search_index,
        "generate_sitemap": true,
        "generate_robots_txt": true,
        "search": config.search,
        "exclude_paginated_pages_in_sitemap": "none",
    })
}

/// `config.taxonomies` as Zola shows them: a Zola site's as declared; a fanzine site's built-in tags (whose
/// entry, if declared, only splits their pages) and then the others.
fn zola_taxonomies(config: &crate::config::Config) -> Vec<Value> {
    let fanzine = !config.is_zola();
    let tags = json!({
        "name": "tags", "slug": "tags", "paginate_by": null, "paginate_path": null, "render": true, "feed": config.feed.enabled,
    });
    let declared = config.taxonomies.iter().filter(|t| !fanzine || t.name != "tags").map(|t| {
        json!({
            "name": t.name,
            "slug": crate::slugify::path(&t.name, config.slugify.taxonomies),
            "paginate_by": t.paginate_by,
            "paginate_path": t.paginate_path,
            "render": t.render,
            "feed": t.feed,
        })
    });
    std::iter::once(tags).filter(|_| fanzine).chain(declared).collect()
}

/// `config.markdown` with Zola's keys: fanzine's `[markdown]` plus where highlighting is set.
fn zola_markdown(config: &crate::config::Config) -> Value {
    let mut markdown = serde_json::to_value(&config.markdown).unwrap_or_else(|_| json!({}));
    if let Some(map) = markdown.as_object_mut() {
        map.insert("highlight_code".into(), config.highlight.enabled.into());
        map.insert("highlight_theme".into(), config.highlight.light_theme.clone().into());
        let zola_only = [
            ("error_on_missing_highlight", json!(false)),
            ("highlight_themes_css", json!([])),
            ("extra_syntaxes_and_themes", json!([])),
            ("lazy_async_image", json!(false)),
            ("insert_anchor_links", json!("right")),
        ];
        for (key, value) in zola_only {
            map.entry(key).or_insert(value);
        }
    }
    markdown
}

fn summary(site: &Site, post: &ViewInputs) -> Value {
    let front = post.front;
    let tags: Vec<Value> = post
        .tags
        .iter()
        .map(|t| json!({ "name": t.name, "slug": t.slug, "url": site.url(&format!("/tags/{}/", t.slug)) }))
        .collect();
    let mut view = json!({
        "title": front.title,
        "description": front.description,
        "permalink": post.permalink,
        "path": post.path,
        "slug": post.slug,
        "date": post.date.map(|d| d.ymd()),
        "date_iso": post.date.map(|d| d.rfc3339()),
        "updated": front.updated.map(|d| d.ymd()),
        "updated_iso": front.updated.map(|d| d.rfc3339()),
        "summary": match &front.summary {
            Some(text) => std::borrow::Cow::Owned(format!("<p>{}</p>", tera::escape_html(text))),
            None => std::borrow::Cow::Borrowed(post.summary),
        },
        "weight": front.weight,
        "authors": front.authors,
        "taxonomies": taxonomies(front),
        "tags": tags,
        "word_count": post.word_count,
        "reading_time": crate::markdown::reading_time(post.word_count),
        "extra": front.extra,
        // Zola's names for the rest of what it shows of a page.
        "relative_path": relative_path(post.source),
        "colocated_path": colocated_path(post.source, post.lang),
        "ancestors": ancestors(site, post.lang, post.folder, None),
        "components": components(post.path),
        "year": post.date.map(|d| d.at.year()),
        "month": post.date.map(|d| u8::from(d.at.month())),
        "day": post.date.map(|d| d.at.day()),
        "assets": assets(site, post),
        "draft": front.draft,
        "lang": post.lang.unwrap_or(&site.config.language),
        "translations": post.relations.translations,
        "backlinks": post.relations.backlinks,
        // Zola's lists show whole pages: the body is put here as the view is serialised ([`Whole`]). fanzine's own
        // theme needs no body in a list, which spares a list of ten thousand posts carrying every body.
        "content": Value::Null,
    });
    if site.config.is_zola()
        && let Some(map) = view.as_object_mut()
    {
        // A page in a Zola list is whole, but for its neighbours.
        map.insert("toc".into(), Value::Array(post.toc.iter().map(|e| toc_entry(post.permalink, e)).collect()));
        map.insert("lower".into(), Value::Null);
        map.insert("higher".into(), Value::Null);
    }
    view
}

/// A bundle's folder under `content/` (`blog/post/`), as Zola's `colocated_path`, for its `index.md` and for a
/// translation's `index.fr.md` alike; `None` for a lone file.
fn colocated_path(source: &str, lang: Option<&str>) -> Option<String> {
    let (dir, name) = relative_path(source).rsplit_once('/')?;
    let bundled = name == "index.md" || lang.is_some_and(|code| name == format!("index.{code}.md"));
    bundled.then(|| format!("{dir}/"))
}

/// A bundle's files as paths from `content/`, each with a leading `/` (`/blog/post/a.png`), sorted, as Zola 0.21's
/// `assets`.
fn assets(site: &Site, post: &ViewInputs) -> Vec<String> {
    let content = site.root.join("content");
    let mut all: Vec<String> = (post.assets.iter())
        .map(|a| format!("/{}", crate::content::slashed(a.strip_prefix(&content).unwrap_or(a))))
        .collect();
    all.sort();
    all
}

/// Zola's `page.taxonomies`: every taxonomy by name, `tags` among them.
fn taxonomies(front: &FrontMatter) -> Value {
    let mut all = serde_json::Map::new();
    if !front.tags.is_empty() {
        all.insert("tags".into(), json!(front.tags));
    }
    for (name, terms) in &front.taxonomies {
        all.insert(name.clone(), json!(terms));
    }
    Value::Object(all)
}
