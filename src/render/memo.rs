//! Rendered files kept between renders, so that the preview server re-renders only the files a save affects.
//!
//! Building a template context and running Tera is nearly all of a render's cost, so the memo decides *before*
//! building a context whether the file would come out the same. Each output file gets a [`Key`]: a 64-bit hash of
//! what its context is made from. Posts enter a key by their [`Stamps`], not by their views: a stamp is a number
//! that changes exactly when the post's view does (what views are made from, [`ViewInputs`], is compared with the
//! post kept from the last render), so a list of ten summaries hashes ten numbers. What every file depends on, the config and the templates, is
//! compared separately: when it changes the memo starts empty.
//!
//! The memo never does I/O and never changes what is rendered, only whether it is rendered again: an empty memo
//! (what a one-shot build uses) renders everything.
use super::views::ViewInputs;
use crate::config::Config;
use crate::site::{Page, Site};
use crate::templates::Templates;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Output files by path: the key of the inputs each was made from, and its bytes.
pub(super) type Files = HashMap<String, (u64, Arc<[u8]>)>;

/// What the last render made, for the next one to reuse.
#[derive(Default)]
pub struct Memo {
    /// The config and the templates' fingerprint every kept file was made with.
    site_wide: Option<(Config, u64)>,
    /// By source path: the post as last rendered, its summary view and its stamps.
    posts: HashMap<String, KeptPost>,
    /// By output path: the key of the inputs and the bytes made from them.
    files: Files,
    /// Source of fresh stamps; never reused, so a stamp names one post in one state.
    last_stamp: u64,
    /// Files the last render actually rendered (the rest were reused).
    rendered: usize,
    /// Keeps nothing: a one-shot build would otherwise hold a copy of every post (body and HTML) until it ends.
    disposable: bool,
    /// The highlighting stylesheet of the config's themes: it takes milliseconds to make, once per save.
    stylesheet: Option<Arc<str>>,
}

struct KeptPost {
    page: Page,
    summary: Arc<Value>,
    stamps: Stamps,
    links: Targets,
}

/// A post's links that point inside the site, as (index in `content.links`, site path): resolving them means
/// reading every link of every post, which on a large site cost a save more than rendering the post did.
pub(super) type Targets = Arc<[(usize, String)]>;

/// What [`Memo::posts`] gives for every post, in page order.
pub(super) struct Posts {
    pub summaries: Vec<Arc<Value>>,
    pub stamps: Vec<Stamps>,
    pub links: Vec<Targets>,
}

/// A post's identity and state as seen by templates, as two numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamps {
    /// Changes whenever the post's full view does (`page` in post.html, feed entries).
    pub page: u64,
    /// Changes only when its summary view changes (lists, `previous`/`next`).
    pub summary: u64,
}

impl Memo {
    /// A memo for one render only: it reuses nothing and keeps nothing.
    pub fn disposable() -> Memo {
        Memo { disposable: true, ..Memo::default() }
    }

    /// How many files the last render rendered rather than reused.
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// Forgets everything made with another config or other templates.
    pub(super) fn start(&mut self, site: &Site, templates: &Templates) {
        let now = (site.config.clone(), templates.fingerprint());
        if self.site_wide.as_ref() != Some(&now) {
            self.posts.clear();
            self.files.clear();
            self.stylesheet = None;
            self.site_wide = Some(now);
        }
        self.rendered = 0;
    }

    /// Every post's summary view and stamps, in page order. Views of posts equal to the kept ones are reused;
    /// the others are built with `summary` and get fresh stamps.
    pub(super) fn posts(
        &mut self,
        site: &Site,
        summary: impl Fn(&ViewInputs) -> Value + Sync,
        links: impl Fn(&Page) -> Vec<(usize, String)> + Sync,
    ) -> Posts {
        let kept = &self.posts;
        let looked: Vec<(Looked, Targets, bool)> = site
            .pages
            .par_iter()
            .map(|page| {
                let k = kept.get(&page.source.path);
                // The same revision is the very same page: its views and links are the kept ones.
                let same = k.is_some_and(|k| k.page.revision.same(page.revision));
                let looked = match k {
                    // Another revision may still show the same (a reloaded site): that takes a comparison.
                    Some(k) if same || ViewInputs::of(&k.page) == ViewInputs::of(page) => {
                        Looked::Same(k.summary.clone(), k.stamps)
                    }
                    Some(k) => {
                        let view = summary(&ViewInputs::of(page));
                        let old_summary = (*k.summary == view).then_some(k.stamps.summary);
                        Looked::Changed(Arc::new(view), old_summary)
                    }
                    None => Looked::Changed(Arc::new(summary(&ViewInputs::of(page))), None),
                };
                let links = match k {
                    Some(k) if same => k.links.clone(),
                    _ => Targets::from(links(page)),
                };
                (looked, links, same)
            })
            .collect();
        let mut posts = Posts {
            summaries: Vec::with_capacity(looked.len()),
            stamps: Vec::with_capacity(looked.len()),
            links: Vec::with_capacity(looked.len()),
        };
        for (page, (looked, links, same)) in site.pages.iter().zip(looked) {
            let (summary, stamp) = match looked {
                Looked::Same(summary, stamp) => {
                    if !same && let Some(k) = self.posts.get_mut(&page.source.path) {
                        // The same views from another revision: keep this one, so that next time the revision
                        // alone tells, and its links are reused.
                        k.page = page.clone();
                        k.links = links.clone();
                    }
                    (summary, stamp)
                }
                Looked::Changed(summary, old_summary) => {
                    let page_stamp = self.fresh_stamp();
                    let summary_stamp = old_summary.unwrap_or_else(|| self.fresh_stamp());
                    let stamp = Stamps { page: page_stamp, summary: summary_stamp };
                    if !self.disposable {
                        let kept = KeptPost {
                            page: page.clone(),
                            summary: summary.clone(),
                            stamps: stamp,
                            links: links.clone(),
                        };
                        self.posts.insert(page.source.path.clone(), kept);
                    }
                    (summary, stamp)
                }
            };
            posts.summaries.push(summary);
            posts.stamps.push(stamp);
            posts.links.push(links);
        }
        // Every post of the site is kept now; anything more is a post that is gone (source paths are unique).
        if self.posts.len() > site.pages.len() {
            let live: HashSet<&str> = site.pages.iter().map(|p| p.source.path.as_str()).collect();
            self.posts.retain(|path, _| live.contains(path.as_str()));
        }
        posts
    }

    fn fresh_stamp(&mut self) -> u64 {
        self.last_stamp += 1;
        self.last_stamp
    }

    /// The highlighting stylesheet for `config`'s themes (the memo is emptied when the config changes).
    pub(super) fn stylesheet(&mut self, config: &Config) -> Result<Arc<str>, String> {
        if let Some(css) = &self.stylesheet {
            return Ok(css.clone());
        }
        let themes = &config.highlight;
        let css: Arc<str> = crate::highlight::stylesheet(&themes.light_theme, &themes.dark_theme)?.into();
        if !self.disposable {
            self.stylesheet = Some(css.clone());
        }
        Ok(css)
    }

    /// Whether this memo keeps the files of a render for the next one.
    pub(super) fn keeps_files(&self) -> bool {
        !self.disposable
    }

    /// The files kept from the last render, to look up while rendering this one.
    pub(super) fn take_files(&mut self) -> Kept {
        Kept { files: std::mem::take(&mut self.files) }
    }

    /// What this render made, for the next one: the kept files it reused and the ones it rendered afresh. A
    /// reused file's entry is the kept one already, so a save that re-renders three files of eleven thousand
    /// updates three entries.
    pub(super) fn keep(&mut self, kept: Kept, fresh: Files, live: &HashMap<String, bool>, rendered: usize) {
        if !self.disposable {
            let mut files = kept.files;
            files.extend(fresh);
            // Files no longer made are dropped only once there are more kept than live: an entry is only ever
            // used for its own path under its own key, so one left over is never wrong, and checking all eleven
            // thousand paths of a large site on every save cost a tenth of the save.
            if files.len() > live.len() {
                files.retain(|path, _| live.contains_key(path));
            }
            self.files = files;
        }
        self.rendered = rendered;
    }
}

enum Looked {
    /// Equal to the kept post: its view and stamps are reused.
    Same(Arc<Value>, Stamps),
    /// A new view, and the kept summary stamp if the summary view itself came out the same.
    Changed(Arc<Value>, Option<u64>),
}

/// The files of the last render, by output path.
pub(super) struct Kept {
    files: Files,
}

/// One output file as made by this render.
pub(super) struct Made {
    pub key: u64,
    pub bytes: Arc<[u8]>,
    /// Rendered now rather than reused.
    pub fresh: bool,
}

impl Kept {
    /// The kept bytes of `path` if they were made from inputs with the same key, else `render()`'s.
    pub fn get_or_render<E>(
        &self,
        path: &str,
        key: Key,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Made, E> {
        let key = key.finish();
        match self.files.get(path) {
            Some((k, bytes)) if *k == key => Ok(Made { key, bytes: bytes.clone(), fresh: false }),
            _ => Ok(Made { key, bytes: render()?.into_bytes().into(), fresh: true }),
        }
    }
}

/// A fingerprint of what one output file is made from, built up value by value.
pub(super) struct Key(DefaultHasher);

impl Key {
    /// `kind` keeps two kinds of file with similar inputs (an alias and a post at one path) apart.
    pub fn of(kind: &str) -> Key {
        let mut hasher = DefaultHasher::new();
        kind.hash(&mut hasher);
        Key(hasher)
    }

    pub fn with(mut self, value: impl Hash) -> Key {
        value.hash(&mut self.0);
        self
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::BuildOptions;

    /// A site of two posts, `a` (the newer) and `b`; `a`'s front matter gets `extra` appended.
    fn site(dir: &std::path::Path, a_title: &str, extra: &str) -> (Site, Templates) {
        let write = |name: &str, text: String| {
            std::fs::create_dir_all(dir.join("content")).unwrap();
            std::fs::write(dir.join("content").join(name), text).unwrap();
        };
        write("a.md", format!("+++\ntitle = \"{a_title}\"\ndate = 2020-02-01\n{extra}+++\nAlpha words.\n"));
        write("b.md", "+++\ntitle = \"B\"\ndate = 2020-01-01\n+++\nBeta words.\n".to_string());
        let options = BuildOptions::new(dir, time::macros::date!(2026 - 01 - 01));
        (crate::site::load(&options, None).unwrap(), Templates::load(dir).unwrap())
    }

    fn stamps(memo: &mut Memo, site: &Site, templates: &Templates) -> Vec<Stamps> {
        memo.start(site, templates);
        memo.posts(site, |post| super::super::views::summary(site, post), |_| Vec::new()).stamps
    }

    #[test]
    fn stamps_change_exactly_with_the_views_they_stand_for() {
        let dir = tempfile::tempdir().unwrap();
        let mut memo = Memo::default();
        let (site1, templates) = site(dir.path(), "A", "");
        let first = stamps(&mut memo, &site1, &templates);
        assert_ne!(first[0], first[1]);
        let (again, _) = site(dir.path(), "A", "");
        assert_eq!(stamps(&mut memo, &again, &templates), first, "an unchanged site keeps its stamps");
        // Aliases are in the full view only: the page stamp changes, the summary stamp does not.
        let (aliased, _) = site(dir.path(), "A", "aliases = [\"/old/\"]\n");
        let aliased = stamps(&mut memo, &aliased, &templates);
        assert_ne!(aliased[0].page, first[0].page);
        assert_eq!(aliased[0].summary, first[0].summary);
        assert_eq!(aliased[1], first[1]);
        let (retitled, _) = site(dir.path(), "A2", "aliases = [\"/old/\"]\n");
        let retitled = stamps(&mut memo, &retitled, &templates);
        assert!(retitled[0].page != aliased[0].page && retitled[0].summary != aliased[0].summary);
        assert_eq!(retitled[1], first[1]);
    }

    #[test]
    fn a_disposable_memo_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (site, templates) = site(dir.path(), "A", "");
        let mut memo = Memo::disposable();
        super::super::render_reusing(&site, &templates, &mut memo).unwrap();
        assert!(memo.posts.is_empty() && memo.files.is_empty());
        assert!(memo.rendered() > 2, "it still rendered everything");
    }

    #[test]
    fn a_second_render_of_the_same_site_reuses_every_file_and_equals_a_full_render() {
        let dir = tempfile::tempdir().unwrap();
        let (site, templates) = site(dir.path(), "A", "");
        let mut memo = Memo::default();
        let (first, _) = crate::render::render_reusing(&site, &templates, &mut memo).unwrap();
        assert!(memo.rendered() > 0);
        let (second, _) = crate::render::render_reusing(&site, &templates, &mut memo).unwrap();
        assert_eq!(memo.rendered(), 0);
        assert_eq!(second, first);
        let (retitled, _) = self::site(dir.path(), "A2", "");
        let (third, _) = crate::render::render_reusing(&retitled, &templates, &mut memo).unwrap();
        assert_eq!(third, crate::render::render(&retitled, &templates).unwrap().0);
        assert!(memo.rendered() > 0 && memo.rendered() < third.files.len());
    }

    #[test]
    fn a_file_is_reused_only_with_the_same_key() {
        let mut made = HashMap::new();
        made.insert("a.html".to_string(), (Key::of("post").with(1u64).finish(), Arc::<[u8]>::from(&b"old"[..])));
        let kept = Kept { files: made };
        let render = || Ok::<_, ()>("new".to_string());
        let same = kept.get_or_render("a.html", Key::of("post").with(1u64), render).unwrap();
        assert_eq!((&*same.bytes, same.fresh), (&b"old"[..], false));
        let other_stamp = kept.get_or_render("a.html", Key::of("post").with(2u64), render).unwrap();
        assert_eq!((&*other_stamp.bytes, other_stamp.fresh), (&b"new"[..], true));
        let other_kind = kept.get_or_render("a.html", Key::of("alias").with(1u64), render).unwrap();
        assert!(other_kind.fresh);
        let other_path = kept.get_or_render("b.html", Key::of("post").with(1u64), render).unwrap();
        assert!(other_path.fresh);
    }
}
