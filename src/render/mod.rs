//! The render stage: the site model in, every output file as bytes out. No I/O happens here (static files are
//! named, not read), so the preview server, `check` and the tests all reuse it.
mod builtins;
mod chosen;
mod cx;
mod feeds;
mod language;
mod links;
mod lists;
mod lookup;
mod memo;
mod plan;
mod reach;
mod reading;
mod since;
mod views;

use crate::error::{BuildFailed, Diagnostic, Location, Report};
use crate::site::Site;
use crate::templates::Templates;
use cx::{Cx, NoVars};
use memo::Made;
pub use memo::Memo;
use rayon::prelude::*;
use since::Last;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use views::Shown;
pub use views::config_view;

/// One file of the built site.
#[derive(Debug, Clone, Eq)]
pub enum Entry {
    /// Shared, so that a file reused from the last render (and every request serving it) costs no copy.
    Bytes(Arc<[u8]>),
    /// Copied from this source file when written (static files, bundle assets).
    Copy(PathBuf),
}

/// Bytes shared with the last render are equal without being compared: the preview server compares every file of
/// two outputs on each save, and most of them are the same allocation.
impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        match (self, other) {
            (Entry::Bytes(a), Entry::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Entry::Copy(a), Entry::Copy(b)) => a == b,
            _ => false,
        }
    }
}

/// The whole built site: output path (relative, `/`-separated) → content. Sorted, so writing is deterministic.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Entry>,
}

impl Output {
    /// The bytes of a generated file, if it is one.
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            Entry::Bytes(b) => Some(b),
            Entry::Copy(_) => None,
        }
    }
}

/// Where a render puts the files it makes, as it makes them: the CLI build writes each page as soon as it is
/// rendered, so that a 10,000-post site is never held in memory twice (once as posts, once as pages).
///
/// Files come from several threads at once. A path may be put again: the later file replaces the earlier (a
/// static file replacing a generated page, say), and the render only does that from one thread, in a fixed order.
pub trait Sink: Sync {
    /// Takes one file. `false` asks the render to stop early: the sink failed and keeps its own error.
    fn put(&self, path: &str, entry: Entry) -> bool;

    /// Takes several files, in order; a sink that locks may take its lock once.
    fn put_all(&self, files: Vec<(String, Entry)>) -> bool {
        files.into_iter().all(|(path, entry)| self.put(&path, entry))
    }
}

/// Posts are rendered and handed on in batches of this many: few enough that a batch of pages is a megabyte or
/// so in memory, enough that the locks behind a sink are not taken once per page.
const POSTS_PER_BATCH: usize = 64;

/// Collects a render in memory, for the preview server, `check` and tests.
///
/// Files are pushed in the order they come and sorted once at the end: the preview collects all 11,000 files of
/// a large site on every save, and inserting each into a map under a lock was about a tenth of a save's cost.
#[derive(Default)]
pub struct Collect(Mutex<Vec<(String, Entry)>>);

impl Collect {
    pub fn into_output(self) -> Output {
        let mut files = self.0.into_inner().unwrap_or_else(|poison| poison.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0)); // stable: a file put again stays after the one it replaces
        let mut last: Vec<(String, Entry)> = Vec::with_capacity(files.len());
        for file in files {
            if last.last().is_some_and(|kept| kept.0 == file.0) {
                last.pop();
            }
            last.push(file);
        }
        Output { files: last.into_iter().collect() }
    }
}

impl Sink for Collect {
    fn put(&self, path: &str, entry: Entry) -> bool {
        lock(&self.0).push((path.to_string(), entry));
        true
    }

    fn put_all(&self, files: Vec<(String, Entry)>) -> bool {
        lock(&self.0).extend(files);
        true
    }
}

/// Renders the whole site, then checks its internal links. Returns the output and the warnings.
pub fn render(site: &Site, templates: &Templates) -> Result<(Output, Vec<Diagnostic>), BuildFailed> {
    render_reusing(site, templates, &mut Memo::disposable())
}

/// [`render`], reusing the files of the memo's last render whose inputs did not change: the same output, byte for
/// byte, for less work. The memo is then left holding this render's files.
pub fn render_reusing(
    site: &Site,
    templates: &Templates,
    memo: &mut Memo,
) -> Result<(Output, Vec<Diagnostic>), BuildFailed> {
    let collect = Collect::default();
    let warnings = render_to(site, templates, memo, &collect)?;
    Ok((collect.into_output(), warnings))
}

/// The render itself: every file goes to `sink` as soon as it is made, and the links are checked at the end.
/// Returns the warnings; if the sink asked to stop, what the render found so far (the sink's error comes first).
///
/// A memo [`Memo::changes_only`] that holds a render of the same site but for some pages' bodies makes and puts
/// only the files those pages reach ([`reach`]); [`Memo::partial`] then says that the other files stand.
pub fn render_to(
    site: &Site,
    templates: &Templates,
    memo: &mut Memo,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, BuildFailed> {
    memo.start(site, templates);
    match memo.last.take().and_then(|last| since::changed_pages(last, site, templates)) {
        Some((last, changed)) => {
            // Binding reads every page's path and date: those of the site they were bound to are these.
            if templates.binding() != last.binding {
                templates.bind(site);
            }
            render_changed(site, templates, memo, sink, last, &changed)
        }
        None => {
            templates.bind(site);
            render_all(site, templates, memo, sink)
        }
    }
}

/// What makes the files that are not posts' pages, in the order their files are put.
type Producer = for<'a, 'b> fn(&'a Cx<'b>) -> cx::Files;

const PRODUCERS: [Producer; 8] = [
    lists::sections,
    lists::tags,
    lists::taxonomies,
    lists::archive,
    lists::aliases,
    feeds::feeds,
    feeds::sitemap_and_robots,
    not_found,
];

fn not_found(cx: &Cx) -> cx::Files {
    Ok(vec![cx.file("404.html".into(), "404.html", &NoVars {})?])
}

/// Every file of the site, each reused from the memo when its key is unchanged.
fn render_all(
    site: &Site,
    templates: &Templates,
    memo: &mut Memo,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, BuildFailed> {
    let mut report = Report::default();
    let mut before: Vec<Diagnostic> = site.diagnostics.clone();
    before.extend(site.sass.problems.iter().cloned());
    // Side by side: each is a few milliseconds of a preview save at ten thousand posts.
    let builtins = builtins::Builtins::of(site, templates);
    let (views, plan) = rayon::join(|| memo.views.views(site), || plan::Plan::of(site, builtins));
    let base = views::base_context(site);
    templates.set_site(lookup::site_data(site, &views, templates).map_err(|d| BuildFailed::new(vec![d]))?);
    let kept = memo.take_files();
    let internal = links::Internal::of(site, views.links());
    before.extend(plan.diagnostics.iter().cloned());
    let reach = memo.notes_stamps().then(reach::Reach::default);
    let anchored = internal.anchored_files();
    let kinds = (memo.keeps_files(), memo.records_keys());
    let out = Recorder::new(anchored.clone(), Some(&plan), sink, kinds, reach);
    let (chosen, problems) = chosen::choose(site, templates);
    before.extend(problems);
    report.extend(before.iter().cloned());
    let work = reach::Work::Producer(0);
    let cx =
        Cx { site, templates, views: &views, base: &base, kept: &kept, chosen: &chosen, builtins, work, wanted: None };

    report.extend(render_pages(&cx, &out, (0..site.pages.len()).collect()));
    // Side by side: after one save the archive and a few long tag pages are often all there is to render.
    let (generated, search) = rayon::join(
        || PRODUCERS.par_iter().enumerate().map(|(p, produce)| produce(&cx.at(reach::Work::Producer(p)))).collect(),
        || crate::search::files(site),
    );
    put_generated(&out, generated, search, &mut report);
    add_assets(site, builtins, memo.stylesheet(&site.config), &out, &mut report);
    let images = out.images(site.pages_and_indexes(), &memo.images, &mut report);
    let (found, fresh, keys, rendered, unplanned, reach) = out.finish();
    report.extend(unplanned);
    memo.keep(kept, fresh, keys, &found.files, rendered);
    // Checked even when pages failed, so that one run lists every problem; a link to a page that failed to
    // render is then reported too, which points at the same fix.
    report.extend(links::check(&internal, &found));
    if let Some(reach) = reach
        && memo.puts_changes_only()
        && !report.has_errors()
    {
        let binding = templates.binding();
        memo.last = Some(Last { site: site.clone(), views, chosen, reach, found, anchored, before, images, binding });
    }
    report.finish()
}

/// Only the files that the pages at `changed` reach, of a site that is `last`'s but for those pages' bodies
/// ([`since::changed_pages`] checked that): the same diagnostics as [`render_all`], and the same files where they
/// may differ from the last render's. The sink gets only those.
fn render_changed(
    site: &Site,
    templates: &Templates,
    memo: &mut Memo,
    sink: &dyn Sink,
    last: Last,
    changed: &[usize],
) -> Result<Vec<Diagnostic>, BuildFailed> {
    let Last { site: mut last_site, mut views, chosen, mut reach, found, anchored, before, .. } = last;
    let binding = templates.binding();
    let mut report = Report::default();
    report.extend(before.iter().cloned());
    let builtins = builtins::Builtins::of(site, templates);
    let was: Vec<views::Stamps> = changed.iter().map(|&i| views.stamps_of(i)).collect();
    memo.views.patch(site, &mut views, changed);
    let replaced: Vec<u64> = (changed.iter().zip(&was))
        .flat_map(|(&i, was)| {
            let now = views.stamps_of(i);
            [(was.page != now.page).then_some(was.page), (was.summary != now.summary).then_some(was.summary)]
        })
        .flatten()
        .collect();
    let internal = links::Internal::of(site, views.links());
    // The link checker has the ids of the files the last render's links pointed into; a link into another one
    // needs that file's ids, which only a render of everything gathers.
    if !internal.anchored_files().is_subset(&anchored) {
        templates.bind(site);
        return render_all(site, templates, memo, sink);
    }
    let reached = reach.reached(&replaced);
    let base = views::base_context(site);
    templates.set_site(lookup::site_data(site, &views, templates).map_err(|d| BuildFailed::new(vec![d]))?);
    let kept = memo.take_files();
    let out = Recorder::new(anchored.clone(), None, sink, (true, false), Some(reach)).with_found(found);
    let work = reach::Work::Producer(0);
    let wanted = Some(&reached.paths);
    let cx = Cx { site, templates, views: &views, base: &base, kept: &kept, chosen: &chosen, builtins, work, wanted };

    report.extend(render_pages(&cx, &out, reached.posts.iter().copied().collect()));
    let produce = |p: usize| {
        if reached.producers.contains(&p) { PRODUCERS[p](&cx.at(reach::Work::Producer(p))) } else { Ok(Vec::new()) }
    };
    let (generated, search) = rayon::join(
        || (0..PRODUCERS.len()).into_par_iter().map(produce).collect(),
        // The index holds every post's text: it is made again whenever a post's body changed.
        || if changed.is_empty() { Ok(Vec::new()) } else { crate::search::files(site) },
    );
    put_generated(&out, generated, search, &mut report);
    let changed_pages = || changed.iter().map(|&i| &*site.pages[i]);
    changed_pages().for_each(|page| put_attachments(page, &out));
    let images = out.images(changed_pages(), &memo.images, &mut report);
    let (found, fresh, keys, rendered, unplanned, reach) = out.finish();
    report.extend(unplanned);
    memo.keep(kept, fresh, keys, &found.files, rendered);
    report.extend(links::check(&internal, &found));
    memo.put_changes_only();
    if let Some(reach) = reach
        && !report.has_errors()
    {
        for &i in changed {
            last_site.pages[i] = site.pages[i].clone();
        }
        memo.last = Some(Last { site: last_site, views, chosen, reach, found, anchored, before, images, binding });
    }
    report.finish()
}

/// The pages of the posts at `pages`, in batches; returns their errors in page order.
fn render_pages(cx: &Cx, out: &Recorder, pages: Vec<usize>) -> Vec<Diagnostic> {
    let failed: Vec<Vec<Diagnostic>> = pages
        .into_par_iter()
        .chunks(POSTS_PER_BATCH)
        .map(|batch| {
            let (mut made, mut errors) = (Vec::with_capacity(batch.len()), Vec::new());
            for i in batch.into_iter().take_while(|_| !out.stopped()) {
                match render_page(&cx.at(reach::Work::Post(i)), i) {
                    Ok(Some(file)) => made.push(file),
                    Ok(None) => {}
                    Err(d) => errors.push(d),
                }
            }
            out.made_all(made);
            errors
        })
        .collect();
    failed.into_iter().flatten().collect()
}

/// Puts the producers' files, one producer after the other, in their order, so that a path two of them make is
/// decided the same way every time; then the search index.
fn put_generated(
    out: &Recorder,
    generated: Vec<cx::Files>,
    search: Result<Vec<(String, String)>, Diagnostic>,
    report: &mut Report,
) {
    for result in generated {
        match result {
            Ok(list) => out.made_all(list),
            Err(d) => report.push(d),
        }
    }
    match search {
        Ok(files) => {
            let files = files.into_iter().map(|(path, text)| (path, Entry::Bytes(text.into_bytes().into())));
            out.put_all(files.collect());
        }
        Err(d) => report.push(d),
    }
}

/// Passes files on to the sink, noting on the way what the link checker and the memo need of them.
struct Recorder<'a> {
    sink: &'a dyn Sink,
    /// Only files of the plan are handed on: the last gate before the sink. Without a plan (a render of what a
    /// save reached), only files the last render put, which the found files start with.
    plan: Option<&'a plan::Plan<'a>>,
    /// Files made but not planned: fanzine's own mistakes, reported as errors.
    unplanned: Mutex<Vec<Diagnostic>>,
    anchored: HashSet<String>,
    found: Mutex<links::Found>,
    /// Files rendered afresh, for the memo to keep for the next render; `None` for a memo that keeps nothing.
    made_now: Option<Mutex<memo::Files>>,
    /// The key of every reusable file, rendered or reused, when the memo records them for the next build.
    keys: Option<Mutex<HashMap<String, u64>>>,
    rendered: AtomicUsize,
    /// Files made from their variables, rendered or reused: what a render visited.
    visited: AtomicUsize,
    stopped: AtomicBool,
    /// The images renders asked for, by output path.
    images: Mutex<BTreeMap<String, crate::images::resize::Job>>,
    /// Which stamps each file's key hashed, when the memo notes them.
    reach: Option<Mutex<reach::Reach>>,
}

impl<'a> Recorder<'a> {
    fn new(
        anchored: HashSet<String>,
        plan: Option<&'a plan::Plan<'a>>,
        sink: &'a dyn Sink,
        (keep, record_keys): (bool, bool),
        reach: Option<reach::Reach>,
    ) -> Recorder<'a> {
        Recorder {
            reach: reach.map(Mutex::new),
            keys: record_keys.then(Mutex::default),
            sink,
            plan,
            unplanned: Mutex::default(),
            anchored,
            found: Mutex::default(),
            made_now: keep.then(Mutex::default),
            rendered: AtomicUsize::new(0),
            visited: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            images: Mutex::default(),
        }
    }

    /// Starts from the files the last render found: those this one does not make stand as they were.
    fn with_found(self, found: links::Found) -> Recorder<'a> {
        Recorder { found: Mutex::new(found), ..self }
    }

    /// Several files at once, each lock taken once: per-file locking was most of what a preview save spent on
    /// the posts it did not render again.
    fn made_all(&self, mut files: Vec<(String, Made)>) {
        files.retain(|(_, made)| !made.carried);
        self.visited.fetch_add(files.len(), Ordering::Relaxed);
        if let Some(reach) = &self.reach {
            let mut reach = lock(reach);
            for (path, made) in &files {
                reach.note(path, made.work, &made.stamps, made.reusable);
            }
        }
        if files.iter().any(|(_, made)| !made.images.is_empty()) {
            let mut images = lock(&self.images);
            for (_, made) in &mut files {
                images.extend(made.images.drain(..).map(|job| (job.output.clone(), job)));
            }
        }
        let fresh = files.iter().filter(|(_, made)| made.fresh).count();
        self.rendered.fetch_add(fresh, Ordering::Relaxed);
        if let Some(kept) = &self.made_now
            && fresh > 0
        {
            let mut kept = lock(kept);
            // A file that read beyond its variables is never kept: an equal key does not mean equal bytes.
            for (path, made) in files.iter().filter(|(_, made)| made.fresh && made.reusable) {
                if let Entry::Bytes(bytes) = &made.entry {
                    kept.insert(path.clone(), (made.key, bytes.clone()));
                }
            }
        }
        if let Some(keys) = &self.keys {
            let mut keys = lock(keys);
            keys.extend(files.iter().filter(|(_, made)| made.reusable).map(|(path, made)| (path.clone(), made.key)));
        }
        for (path, made) in &mut files {
            // A page reused from the published folder is read only if a link points into it with an anchor, for
            // its ids: the checker needs them, and there are few such files. Unreadable, it is still put as a copy,
            // and the writer reports why.
            if let Entry::Copy(published) = &made.entry
                && self.anchored.contains(path.as_str())
                && let Ok(bytes) = std::fs::read(published)
            {
                made.entry = Entry::Bytes(bytes.into());
            }
        }
        self.put_planned(files.into_iter().map(|(path, made)| (path, made.entry)).collect());
    }

    fn put(&self, path: String, entry: Entry) {
        self.put_all(vec![(path, entry)]);
    }

    /// Files not rendered from variables (static files, the search index): one put where a rendered file was
    /// takes its path out of the recorded keys, since the published file there is then not the rendered one.
    fn put_all(&self, files: Vec<(String, Entry)>) {
        self.unkey(&files);
        self.put_planned(files);
    }

    fn unkey(&self, files: &[(String, Entry)]) {
        if let Some(keys) = &self.keys {
            let mut keys = lock(keys);
            for (path, _) in files {
                keys.remove(path);
            }
        }
    }

    fn put_planned(&self, mut files: Vec<(String, Entry)>) {
        match self.plan {
            Some(plan) => files.retain(|(path, _)| match plan.admits(path) {
                Ok(admitted) => admitted,
                Err(bug) => {
                    lock(&self.unplanned).push(bug);
                    false
                }
            }),
            None => {
                let found = lock(&self.found);
                files.retain(|(path, _)| {
                    let known = found.files.contains_key(path);
                    if !known {
                        lock(&self.unplanned).push(plan::unplanned(path));
                    }
                    known
                });
            }
        }
        self.put_unplanned(files);
    }

    fn put_unplanned(&self, files: Vec<(String, Entry)>) {
        {
            let mut found = lock(&self.found);
            for (path, entry) in &files {
                match entry {
                    Entry::Bytes(bytes) if self.anchored.contains(path) => {
                        found.ids.insert(path.clone(), links::ids_in(bytes));
                    }
                    _ if !found.ids.is_empty() => {
                        found.ids.remove(path);
                    }
                    _ => {}
                }
                found.files.insert(path.clone(), matches!(entry, Entry::Bytes(_)));
            }
        }
        if !self.sink.put_all(files) {
            self.stopped.store(true, Ordering::Relaxed);
        }
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// Puts the images `pages` and templates asked for, made or taken from `store`. They bypass the plan: their
    /// names are hashes under `processed_images/`, which nothing else makes. Returns whether there were any.
    fn images<'p>(
        &self,
        pages: impl Iterator<Item = &'p crate::site::Page>,
        store: &crate::images::store::Store,
        report: &mut Report,
    ) -> bool {
        let mut jobs = std::mem::take(&mut *lock(&self.images));
        for page in pages {
            jobs.extend(page.content.images.iter().map(|job| (job.output.clone(), job.clone())));
        }
        if jobs.is_empty() {
            return false;
        }
        let (files, failed) = store.make(&jobs);
        report.extend(failed);
        self.unkey(&files);
        self.put_unplanned(files);
        true
    }

    fn finish(self) -> Finished {
        let made_now = self.made_now.map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner())).unwrap_or_default();
        let keys = self.keys.map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner())).unwrap_or_default();
        let found = self.found.into_inner().unwrap_or_else(|p| p.into_inner());
        let unplanned = self.unplanned.into_inner().unwrap_or_else(|p| p.into_inner());
        let reach = self.reach.map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        let counts = (self.rendered.into_inner(), self.visited.into_inner());
        (found, made_now, keys, counts, unplanned, reach)
    }
}

/// What a [`Recorder`] leaves: the files found, those rendered afresh, the keys, how many were rendered and visited, the
/// files made without a plan, and the stamps each file hashed.
type Finished =
    (links::Found, memo::Files, HashMap<String, u64>, (usize, usize), Vec<Diagnostic>, Option<reach::Reach>);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[derive(Hash, serde::Serialize)]
struct PostVars<'a> {
    #[serde(flatten)]
    language: language::Localized<'a>,
    page: reading::PageVars<'a>,
    /// The older post, if any: pages are sorted newest first.
    previous: Option<Shown<'a>>,
    next: Option<Shown<'a>>,
    current_url: &'a str,
    current_path: &'a str,
}

/// Page `i`'s file; `None` if its template is missing (reported when the templates were chosen).
fn render_page(cx: &Cx, i: usize) -> Result<Option<(String, Made)>, Diagnostic> {
    let page = &cx.site.pages[i];
    let Some(template) = cx.chosen.pages[i].as_deref() else { return Ok(None) };
    let (previous, next) = cx.site.neighbours[i];
    let vars = PostVars {
        language: language::Localized { config: &cx.site.config, lang: page.source.lang.as_deref() },
        page: reading::page_vars(cx, i),
        previous: previous.and_then(|j| cx.views.shown(cx.site, j)),
        next: next.and_then(|j| cx.views.shown(cx.site, j)),
        current_url: &page.permalink,
        current_path: &page.path,
    };
    cx.file(index_file(&page.path), template, &vars).map(Some).map_err(|d| in_page(d, &page.source.path))
}

/// A template error met while rendering a post also names the post, since the same template works for others.
fn in_page(mut d: Diagnostic, source: &str) -> Diagnostic {
    d.message = format!("{} (while rendering {source})", d.message);
    d
}

pub use crate::output_path::index_file;

/// The files a post's Markdown made beside its page (a claim-engine table's CSV, say).
fn put_attachments(page: &crate::site::Page, out: &Recorder) {
    let dir = page.path.trim_matches('/');
    for (name, text) in &page.content.attachments {
        out.put(format!("{dir}/{name}"), Entry::Bytes(text.as_bytes().into()));
    }
}

fn add_assets(
    site: &Site,
    builtins: builtins::Builtins,
    css: Result<Arc<str>, String>,
    out: &Recorder,
    report: &mut Report,
) {
    match css {
        Ok(css) if builtins.highlighting => out.put("highlight.css".into(), Entry::Bytes(Arc::from(css.as_bytes()))),
        Ok(_) => {}
        Err(e) => report.push(Diagnostic::error(Some(Location::file(crate::config::CONFIG_FILE)), e)),
    }
    if builtins.theme {
        out.put("style.css".into(), Entry::Bytes(DEFAULT_STYLE.as_bytes().into()));
        out.put("favicon.svg".into(), Entry::Bytes(DEFAULT_ICON.as_bytes().into()));
    }
    // Most posts have neither; this loop runs on every save in the preview, so they cost nothing then.
    for page in site.pages.iter().filter(|p| !p.content.attachments.is_empty() || !p.source.assets.is_empty()) {
        put_attachments(page, out);
        for asset in &page.source.assets {
            out.put(plan::asset_path(site, page, asset), Entry::Copy(asset.clone()));
        }
    }
    for sheet in &site.sass.sheets {
        out.put(sheet.output.clone(), Entry::Bytes(sheet.css.clone()));
    }
    // A static file of a built-in's name replaces it (the plan allows that only for the theme's stylesheet and
    // robots.txt), and one of a compiled stylesheet's name replaces that, as in Zola; put last, so that it does.
    for file in site.static_files.iter() {
        out.put(file.output.clone(), Entry::Copy(file.source.clone()));
    }
}

/// The built-in theme's stylesheet; a `static/style.css` of the site's own replaces it.
pub const DEFAULT_STYLE: &str = include_str!("../../static/style.css");

/// The built-in theme's icon, so that browsers do not ask for a `/favicon.ico` that is not there; a
/// `static/favicon.svg` of the site's own replaces it.
pub const DEFAULT_ICON: &str = include_str!("../../static/favicon.svg");
