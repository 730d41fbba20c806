//! Rendered files kept between renders, so that the preview server re-renders only the files a save affects.
//!
//! Building a template context and running Tera is nearly all of a render's cost, so the memo decides *before*
//! building a context whether the file would come out the same. Each output file is rendered from one value of
//! template variables (see [`super::cx`]), and that same value, hashed, is the file's [`Key`]: posts enter it by
//! their stamps ([`super::views`]), so a list of ten summaries hashes ten numbers. What every file depends on, the
//! config and the templates, is compared separately: when it changes the memo starts empty.
//!
//! The memo never does I/O and never changes what is rendered, only whether it is rendered again: an empty memo
//! renders everything. A one-shot build keeps no files in memory, but may be given the published files an earlier
//! build recorded ([`crate::write::published`]): one whose key is unchanged is then reused from the published
//! folder as it stands.
use super::Entry;
use super::views::ViewCache;
use crate::config::Config;
use crate::site::Site;
use crate::templates::Templates;
use crate::write::published::Reusable;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// Output files by path: the key of the inputs each was made from, and its bytes.
pub(super) type Files = HashMap<String, (u64, Arc<[u8]>)>;

/// What the last render made, for the next one to reuse.
#[derive(Default)]
pub struct Memo {
    /// The config and the templates' fingerprint every kept file was made with.
    site_wide: Option<(Arc<Config>, u64)>,
    /// The posts' views and stamps.
    pub(super) views: ViewCache,
    /// By output path: the key of the inputs and the bytes made from them.
    files: Files,
    /// Files the last render actually rendered (the rest were reused).
    rendered: usize,
    /// Files the last render made from their variables, rendered or reused.
    visited: usize,
    /// Keeps nothing: a one-shot build would otherwise hold a copy of every post and page until it ends.
    disposable: bool,
    /// The highlighting stylesheet of the config's themes: it takes milliseconds to make, once per save.
    stylesheet: Option<Arc<str>>,
    /// The images `resize_image` made, kept across renders (on disk for `fanzine build`, in memory for the
    /// preview), so that an image is encoded again only when its source or its operation changes.
    pub(super) images: crate::images::store::Store,
    /// For a one-shot build that publishes: the published files it may reuse (until [`Memo::start`] finds them
    /// made with another config or other templates), and the keys of this render's reusable files, to record.
    published: Option<Published>,
    /// Renders after the first put only the files a save may have changed (the preview's, see [`super::reach`]).
    changes_only: bool,
    /// The last render, for the next one to make only what a body-only save reached; set only after a render
    /// without errors, by a memo that puts changes only.
    pub(super) last: Option<super::Last>,
    /// Whether the last render put only the files that may have changed.
    partial: bool,
}

struct Published {
    reusable: Reusable,
    /// This render's [`Reusable::site_wide`], set by [`Memo::start`].
    site_wide: u64,
    /// Filled by the render: every reusable file's key, rendered or reused.
    made: HashMap<String, u64>,
    /// The render's keys are exactly the reusable ones it was given, on the same site-wide hash.
    unchanged: bool,
}

impl Memo {
    /// A memo for one render only: it reuses nothing and keeps nothing.
    pub fn disposable() -> Memo {
        Memo { disposable: true, views: ViewCache::disposable(), ..Memo::default() }
    }

    /// A memo for the preview: it keeps every file, and a render of a site that differs from the last one only in
    /// some posts' bodies makes and puts only the files those posts reach ([`Memo::partial`] then says so).
    pub fn changes_only() -> Memo {
        Memo { changes_only: true, ..Memo::default() }
    }

    /// Whether the last render put only the files that may differ from the render before it: the others stand.
    pub fn partial(&self) -> bool {
        self.partial
    }

    /// Keeps the images `resize_image` makes in `dir` (`.fanzine-cache/images/`) rather than in memory.
    pub fn with_image_cache(self, dir: std::path::PathBuf) -> Memo {
        Memo { images: crate::images::store::Store::on_disk(dir), ..self }
    }

    /// Reuses the files an earlier build published and recorded, when their keys are the same; then
    /// [`Memo::published_keys`] gives what to record of this render.
    pub fn with_published(self, reusable: Reusable) -> Memo {
        Memo { published: Some(Published { reusable, site_wide: 0, made: HashMap::new(), unchanged: false }), ..self }
    }

    /// After a render of a memo [`Memo::with_published`]: the site-wide hash and the key of every file the next
    /// build may reuse; `None` when that is what the manifest says already (every keyed file was reused as it
    /// stands, so each record still holds, and recording would only stat every file again).
    pub fn published_keys(&mut self) -> Option<(u64, HashMap<String, u64>)> {
        let published = self.published.as_mut().filter(|p| !p.unchanged)?;
        Some((published.site_wide, std::mem::take(&mut published.made)))
    }

    /// How many images the last render encoded (the others came from the image cache).
    pub fn images_encoded(&self) -> usize {
        self.images.encoded()
    }

    /// How many files the last render rendered rather than reused.
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// How many files the last render made from their variables, rendered or reused: the files it visited (a
    /// render of what a body-only save reached visits only those).
    pub fn visited(&self) -> usize {
        self.visited
    }

    /// Forgets everything made with another config or other templates.
    pub(super) fn start(&mut self, site: &Site, templates: &Templates) {
        let now = (site.config.clone(), templates.fingerprint());
        if self.site_wide.as_ref() != Some(&now) {
            self.views.clear();
            self.files.clear();
            self.stylesheet = None;
            self.last = None;
            self.site_wide = Some(now);
        }
        self.partial = false;
        if let Some(published) = &mut self.published {
            published.site_wide = site_wide(site, templates);
            if published.reusable.site_wide != published.site_wide {
                published.reusable.keys.clear();
            }
        }
        self.rendered = 0;
    }

    /// The highlighting stylesheet for `config`'s themes (the memo is emptied when the config changes).
    pub(super) fn stylesheet(&mut self, config: &Config) -> Result<Arc<str>, String> {
        if let Some(css) = &self.stylesheet {
            return Ok(css.clone());
        }
        let themes = &config.highlight;
        let css: Arc<str> =
            crate::highlight::stylesheet(&themes.extras, &themes.light_theme, &themes.dark_theme)?.into();
        if !self.disposable {
            self.stylesheet = Some(css.clone());
        }
        Ok(css)
    }

    /// Whether this memo keeps the files of a render for the next one.
    pub(super) fn keeps_files(&self) -> bool {
        !self.disposable
    }

    /// Whether renders note which stamps each file's key hashed ([`super::reach`]).
    pub(super) fn notes_stamps(&self) -> bool {
        self.changes_only
    }

    /// Whether the memo may take the last render's state to make only what a save reached.
    pub(super) fn puts_changes_only(&self) -> bool {
        self.changes_only
    }

    /// Notes that this render put only the files that may have changed.
    pub(super) fn put_changes_only(&mut self) {
        self.partial = true;
    }

    /// Whether this memo records the key of every reusable file (for [`Memo::published_keys`]).
    pub(super) fn records_keys(&self) -> bool {
        self.published.is_some()
    }

    /// The files kept from the last render, to look up while rendering this one.
    pub(super) fn take_files(&mut self) -> Kept {
        let published = self.published.as_mut().map(|p| std::mem::take(&mut p.reusable));
        Kept { files: std::mem::take(&mut self.files), published, notes: self.changes_only }
    }

    /// What this render made, for the next one: the kept files it reused and the ones it rendered afresh. A
    /// reused file's entry is the kept one already, so a save that re-renders three files of eleven thousand
    /// updates three entries.
    pub(super) fn keep(
        &mut self,
        kept: Kept,
        fresh: Files,
        keys: HashMap<String, u64>,
        live: &HashMap<String, bool>,
        (rendered, visited): (usize, usize),
    ) {
        if let Some(published) = &mut self.published {
            let given = kept.published.as_ref().map(|r| &r.keys);
            published.unchanged = !keys.is_empty() && given == Some(&keys);
            published.made = keys;
        }
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
        self.visited = visited;
    }
}

/// What this render may reuse: the files of the last render by output path, and the published ones.
pub(super) struct Kept {
    files: Files,
    published: Option<Reusable>,
    /// Whether files note the stamps their keys hashed.
    notes: bool,
}

/// What every file depends on besides its own variables (see [`crate::write::published`]): the config, which makes
/// the variables every template gets, and the templates.
fn site_wide(site: &Site, templates: &Templates) -> u64 {
    let mut hasher = Xxh3::new();
    serde_json::to_vec(&*site.config).unwrap_or_default().hash(&mut hasher);
    templates.fingerprint().hash(&mut hasher);
    hasher.finish()
}

/// One output file as made by this render.
pub(super) struct Made {
    pub key: u64,
    /// The bytes, or for a file reused from the published folder, a copy of it.
    pub entry: Entry,
    /// Rendered now rather than reused.
    pub fresh: bool,
    /// Made from its variables alone, so a later render with an equal key may reuse it: false when a template
    /// function read the site or a file (`crate::templates::reads`).
    pub reusable: bool,
    /// The images its render asked `resize_image` for (none when reused: such a render is never reusable).
    pub images: Vec<crate::images::resize::Job>,
    /// The stamps its key hashed, when the memo notes them ([`super::reach`]).
    pub stamps: Vec<u64>,
    /// What made it.
    pub work: super::reach::Work,
    /// Not made by this render, which makes only the files a save reached: the caller holds it from the last.
    pub carried: bool,
}

impl Kept {
    pub fn notes_stamps(&self) -> bool {
        self.notes
    }

    /// The kept bytes of `path` if they were made from inputs with the same key, else `render()`'s.
    pub fn get_or_render<E>(
        &self,
        path: &str,
        key: Key,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Made, E> {
        let key = key.finish();
        match self.files.get(path) {
            Some((k, bytes)) if *k == key => {
                return Ok(Made::reused(key, Entry::Bytes(bytes.clone())));
            }
            _ => {}
        }
        if let Some(published) = &self.published
            && published.keys.get(path) == Some(&key)
        {
            return Ok(Made::reused(key, Entry::Copy(published.root.join(path))));
        }
        let ((text, read), images) = crate::images::jobs::collect(None, || crate::templates::reads::watch(render));
        Ok(Made::fresh(key, Entry::Bytes(text?.into_bytes().into()), !read, images))
    }
}

impl Made {
    fn reused(key: u64, entry: Entry) -> Made {
        Made { entry, fresh: false, ..Made::fresh(key, Entry::Copy(Default::default()), true, Vec::new()) }
    }

    fn fresh(key: u64, entry: Entry, reusable: bool, images: Vec<crate::images::resize::Job>) -> Made {
        let work = super::reach::Work::Producer(0);
        Made { key, entry, fresh: true, reusable, images, stamps: Vec::new(), work, carried: false }
    }

    /// A file this render does not make (see [`Made::carried`]).
    pub fn carried() -> Made {
        Made { carried: true, fresh: false, ..Made::fresh(0, Entry::Copy(Default::default()), true, Vec::new()) }
    }
}

/// A fingerprint of what one output file is made from, built up value by value.
pub(super) struct Key(Xxh3);

impl Key {
    /// `kind` keeps two kinds of file with similar inputs (an alias and a post at one path) apart.
    pub fn of(kind: &str) -> Key {
        let mut hasher = Xxh3::new();
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
        (crate::site::load(&options, None).unwrap(), Templates::load(dir, None).unwrap())
    }

    fn views_of(memo: &mut Memo, site: &Site, templates: &Templates) -> super::super::views::Views {
        memo.start(site, templates);
        memo.views.views(site)
    }

    fn stamps(memo: &mut Memo, site: &Site, templates: &Templates) -> Vec<super::super::views::Stamps> {
        views_of(memo, site, templates).stamps().to_vec()
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
    fn a_one_shot_builds_stamps_are_the_same_in_every_process_and_change_with_the_post() {
        let dir = tempfile::tempdir().unwrap();
        let (site1, templates) = site(dir.path(), "A", "");
        let first = stamps(&mut Memo::disposable(), &site1, &templates);
        let (again, _) = site(dir.path(), "A", "");
        assert_eq!(stamps(&mut Memo::disposable(), &again, &templates), first, "no counter: hashed from the post");
        let (aliased, _) = site(dir.path(), "A", "aliases = [\"/old/\"]\n");
        let aliased = stamps(&mut Memo::disposable(), &aliased, &templates);
        assert_ne!(aliased[0].page, first[0].page);
        assert_eq!(aliased[0].summary, first[0].summary);
        assert_eq!(aliased[1], first[1]);
        let (retitled, _) = site(dir.path(), "A2", "");
        let retitled = stamps(&mut Memo::disposable(), &retitled, &templates);
        assert!(retitled[0].page != first[0].page && retitled[0].summary != first[0].summary);
        assert_eq!(retitled[1], first[1]);
    }

    #[test]
    fn a_one_shot_build_builds_a_summary_view_only_when_a_file_shows_it() {
        let dir = tempfile::tempdir().unwrap();
        let (site, templates) = site(dir.path(), "A", "");
        let views = views_of(&mut Memo::disposable(), &site, &templates);
        assert_eq!(views.built(), 0, "the stamps are hashed without a view");
        let shown = serde_json::to_value(views.shown(&site, 1).unwrap()).unwrap();
        assert_eq!((views.built(), &shown["title"]), (1, &serde_json::json!("B")));
        let eager = views_of(&mut Memo::default(), &site, &templates);
        assert_eq!(eager.built(), 2, "the preview's views are built at once, to compare with the next save's");
        assert_eq!(shown, serde_json::to_value(eager.shown(&site, 1).unwrap()).unwrap(), "the same view either way");
    }

    #[test]
    fn variables_made_with_summary_views_cloned_in_equal_those_serialised_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (site, templates) = site(dir.path(), "A", "");
        let views = views_of(&mut Memo::disposable(), &site, &templates);
        let (a, b) = (views.shown(&site, 0).unwrap(), views.shown(&site, 1).unwrap());
        let vars = (vec![a, b, a], b, std::collections::BTreeMap::from([("x", vec![vec![a]])]), 1);
        let spliced = super::super::views::to_value(&vars).unwrap();
        let whole = serde_json::to_value(vars).unwrap();
        assert_eq!(spliced, whole);
        assert_eq!((whole[0][2]["title"].as_str(), whole[2]["x"][0][0]["title"].as_str()), (Some("A"), Some("A")));
        assert_eq!(whole[1]["title"].as_str(), Some("B"));
        let shown_alone = serde_json::to_string(&a).unwrap();
        assert!(!shown_alone.contains("fanzine summary view"), "no marker outside `to_value`: {shown_alone}");
    }

    #[test]
    fn a_page_renders_html_kept_in_a_file_and_fails_located_when_the_file_changed_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut site, templates) = site(dir.path(), "A", "");
        let kept = dir.path().join("kept");
        std::fs::write(&kept, "<p>Kept words.</p>").unwrap();
        let file = crate::markdown::HtmlFile::new(std::fs::File::open(&kept).unwrap(), kept.clone(), None);
        let hash = xxhash_rust::xxh3::xxh3_128(b"<p>Kept words.</p>");
        let i = site.pages.iter().position(|p| p.source.path == "content/a.md").unwrap();
        std::sync::Arc::make_mut(&mut site.pages[i]).content.html = crate::markdown::Html::kept(&file, 0, 18, hash);
        let (output, _) = crate::render::render(&site, &templates).unwrap();
        let page = String::from_utf8(output.bytes("a/index.html").unwrap().to_vec()).unwrap();
        assert!(page.contains("<p>Kept words.</p>"), "read back into its page");
        std::fs::write(&kept, "<p>Kept wordz.</p>").unwrap();
        let failed = crate::render::render(&site, &templates).unwrap_err();
        let text: Vec<String> = failed.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|d| d.contains("content/a.md: its rendered HTML could not be read back")
                && d.contains("changed on disk")),
            "{text:?}"
        );
    }

    #[test]
    fn a_disposable_memo_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (site, templates) = site(dir.path(), "A", "");
        let mut memo = Memo::disposable();
        super::super::render_reusing(&site, &templates, &mut memo).unwrap();
        assert!(memo.views.is_empty() && memo.files.is_empty());
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
        let kept = Kept { files: made, published: None, notes: false };
        let render = || Ok::<_, ()>("new".to_string());
        let same = kept.get_or_render("a.html", Key::of("post").with(1u64), render).unwrap();
        assert_eq!((same.entry, same.fresh), (Entry::Bytes(b"old"[..].into()), false));
        let other_stamp = kept.get_or_render("a.html", Key::of("post").with(2u64), render).unwrap();
        assert_eq!((other_stamp.entry, other_stamp.fresh), (Entry::Bytes(b"new"[..].into()), true));
        let other_kind = kept.get_or_render("a.html", Key::of("alias").with(1u64), render).unwrap();
        assert!(other_kind.fresh);
        let other_path = kept.get_or_render("b.html", Key::of("post").with(1u64), render).unwrap();
        assert!(other_path.fresh);
    }

    #[test]
    fn a_published_file_is_reused_as_a_copy_only_with_the_same_key() {
        let key = || Key::of("post").with(1u64);
        let reusable = Reusable {
            root: "/site/public".into(),
            site_wide: 0,
            keys: [("a.html".to_string(), key().finish())].into(),
        };
        let kept = Kept { files: HashMap::new(), published: Some(reusable), notes: false };
        let render = || Ok::<_, ()>("new".to_string());
        let same = kept.get_or_render("a.html", key(), render).unwrap();
        assert_eq!((same.entry, same.fresh, same.reusable), (Entry::Copy("/site/public/a.html".into()), false, true));
        let changed = kept.get_or_render("a.html", Key::of("post").with(2u64), render).unwrap();
        assert_eq!((changed.entry, changed.fresh), (Entry::Bytes(b"new"[..].into()), true));
        assert!(kept.get_or_render("b.html", key(), render).unwrap().fresh);
    }

    #[test]
    fn a_render_that_read_the_site_is_not_reusable() {
        let kept = Kept { files: HashMap::new(), published: None, notes: false };
        let pure = kept.get_or_render("a.html", Key::of("post"), || Ok::<_, ()>("a".to_string())).unwrap();
        assert!(pure.fresh && pure.reusable);
        let read = || {
            crate::templates::reads::note();
            Ok::<_, ()>("b".to_string())
        };
        let impure = kept.get_or_render("b.html", Key::of("post"), read).unwrap();
        assert!(impure.fresh && !impure.reusable);
    }
}
