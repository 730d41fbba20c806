//! Every file a render will make, with what makes it, known before anything is rendered.
//!
//! Two makers of one file would leave whichever came last (an alias `/atom.xml` replacing the feed, a bundle asset
//! `index.html` replacing its post, a feed named `index.html` replacing the home page), and a file where another
//! maker needs a folder would be replaced by that folder. Both are errors here, naming every maker with where the
//! author set it. The plan is also the render's last gate: [`Plan::admits`] hands on only the files it planned,
//! each of which passed [`crate::output_path`], so a maker the plan forgot is a bug that a test sees, not a file
//! written where nobody checked.
use super::builtins::Builtins;
use crate::error::{Diagnostic, Location};
use crate::output_path::{self, index_file};
use crate::site::{Page, Site};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// Static files that replace the built-in file of the same name on purpose (the README documents both).
const REPLACEABLE: &[&str] =
    &["style.css", "robots.txt", "favicon.svg", "elasticlunr.min.js", "search.js", "search.css"];

/// What makes one output file, kept small: described only when it clashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Maker {
    Post(usize),
    /// A post's alias: the post, and the alias's place in its list.
    Alias(usize, usize),
    /// A scenario or other text the Markdown of a post attached beside it.
    Attachment(usize, usize),
    /// A file of a post's bundle folder.
    Asset(usize, usize),
    Static(usize),
    /// A stylesheet compiled from `sass/`.
    Sass(usize),
    /// The site's feed, or a tag's.
    Feed(Option<usize>),
    /// List page `n` (1-based) of a section; the home page is the root section's.
    Section(usize, usize),
    /// A paginated section's `{paginate_path}/1/`, which sends readers to the section's own URL, as Zola does.
    FirstPage(usize),
    /// A section's alias: the section, and the alias's place in its list.
    SectionAlias(usize, usize),
    /// A section's feed (the root section's is the site's feed).
    SectionFeed(usize),
    TagIndex,
    /// Page `n` (1-based) of a tag.
    TagPage(usize, usize),
    /// A paginated tag's `{paginate_path}/1/`, a redirect to the tag's own URL.
    TagFirstPage(usize),
    /// A declared taxonomy's list of terms.
    TaxonomyList(usize),
    /// Page `n` (1-based) of a taxonomy's term: the taxonomy, the term's place in its list, and `n`.
    TaxonomyTerm(usize, usize, usize),
    /// A paginated term's `{paginate_path}/1/`, which sends readers to the term's own URL, as Zola does.
    TermFirstPage(usize, usize),
    TaxonomyFeed(usize, usize),
    /// Another language's feed (`[languages.xx] generate_feeds`): its place among the config's languages.
    LanguageFeed(usize),
    Archive,
    Sitemap,
    Robots,
    NotFound,
    Stylesheet,
    Icon,
    Highlighting,
    /// The search index or a script of search (`build_search_index`).
    Search,
}

/// The files a render makes, by output path, and the problems found in making the list.
///
/// Posts are looked up in the folders the site model gathered when it was loaded; other pages (every file named
/// `index.html`) are kept by their folder, and other files by their path. Hash maps, not sorted ones, and no copy
/// of ten thousand URLs: the preview plans the site again on every save, and a sorted map of every output's path
/// cost a save more than the rest of its bookkeeping.
pub struct Plan<'a> {
    /// The posts' own pages, looked up in the site's [`crate::site::PostFolders`], made once per load.
    posts: &'a crate::site::PostFolders,
    /// The first maker of each other `index.html`, by its folder (`a/b/`, or `` for the home page).
    pages: HashMap<Cow<'a, str>, Maker, Xxh3DefaultBuilder>,
    /// The first maker of each other file, by its path.
    files: HashMap<Cow<'a, str>, Maker, Xxh3DefaultBuilder>,
    /// Makers of files that already had one, in the order met: the clashes.
    again: Vec<(String, Maker)>,
    /// Paths of files left out because they failed the gate (reported already), so that the render drops them
    /// without calling them a bug.
    refused: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Plan<'a> {
    pub fn of(site: &'a Site, builtins: Builtins) -> Plan<'a> {
        let mut plan = Plan {
            posts: &site.post_folders,
            pages: HashMap::with_capacity_and_hasher(expected(site), Xxh3DefaultBuilder),
            files: HashMap::with_hasher(Xxh3DefaultBuilder),
            again: Vec::new(),
            refused: HashSet::new(),
            diagnostics: Vec::new(),
        };
        plan.pages(site);
        plan.lists(site, builtins);
        plan.machine_read(site, builtins);
        plan.assets(site);
        plan.clashes(site);
        plan
    }

    /// Whether the render may hand `path` on: planned, or refused with an error already (then `false`). A path
    /// neither planned nor refused is fanzine's own mistake, returned as an error to report.
    pub fn admits(&self, path: &str) -> Result<bool, Diagnostic> {
        if self.first(path).is_some() {
            Ok(true)
        } else if self.refused.contains(path) {
            Ok(false)
        } else {
            Err(unplanned(path))
        }
    }

    /// The first maker of the file at `path`.
    fn first(&self, path: &str) -> Option<Maker> {
        match page_folder(path) {
            Some(folder) => match self.posts.by_folder.get(folder) {
                Some(&i) => Some(Maker::Post(i)),
                None => self.pages.get(folder).copied(),
            },
            None => self.files.get(path).copied(),
        }
    }

    fn add(&mut self, path: Cow<'a, str>, maker: Maker) {
        let (map, key) = match page_folder(&path) {
            Some(folder) if self.posts.by_folder.contains_key(folder) => {
                self.again.push((path.into_owned(), maker));
                return;
            }
            Some(folder) => {
                let key = match &path {
                    Cow::Borrowed(p) => Cow::Borrowed(&p[..folder.len()]),
                    Cow::Owned(_) => Cow::Owned(folder.to_string()),
                };
                (&mut self.pages, key)
            }
            None => (&mut self.files, path.clone()),
        };
        match map.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(maker);
            }
            Entry::Occupied(_) => self.again.push((path.into_owned(), maker)),
        }
    }

    fn add_owned(&mut self, path: String, maker: Maker) {
        self.add(Cow::Owned(path), maker);
    }

    /// The posts' aliases; the posts themselves are in the site's folders already (two posts at one URL were
    /// refused when the site was loaded).
    fn pages(&mut self, site: &'a Site) {
        for (i, page) in site.pages.iter().enumerate() {
            for (a, alias) in page.source.front.aliases.iter().enumerate() {
                // A page whose alias failed the gate was left out of the site when it was loaded.
                if let Ok(file) = output_path::alias_file(alias) {
                    self.add_owned(file, Maker::Alias(i, a));
                }
            }
        }
    }

    fn lists(&mut self, site: &'a Site, builtins: Builtins) {
        for (s, section) in site.sections.iter().enumerate() {
            for (a, alias) in section.index.source.front.aliases.iter().enumerate() {
                if let Ok(file) = output_path::alias_file(alias) {
                    self.add_owned(file, Maker::SectionAlias(s, a));
                }
            }
            if !section.renders() {
                continue;
            }
            if section.front().redirect_to.is_some() {
                self.add_owned(index_file(&section.index.path), Maker::Section(s, 1));
                continue;
            }
            let paging = section.paging();
            for n in 1..=paging.count() {
                self.gated_page(&paging.path_of(n), Maker::Section(s, n), site);
            }
            if section.front().paginate_by.is_some() {
                self.gated_page(&paging.first_page_path(), Maker::FirstPage(s), site);
            }
        }
        if builtins.tags {
            self.add(Cow::Borrowed("tags/index.html"), Maker::TagIndex);
            for (t, tag) in site.tags.iter().enumerate() {
                let path = format!("/tags/{}/", tag.slug);
                let paging = site.tag_paging(tag, &path);
                self.add_owned(index_file(&path), Maker::TagPage(t, 1));
                for n in 2..=paging.count() {
                    self.gated_page(&paging.path_of(n), Maker::TagPage(t, n), site);
                }
                if paging.per.is_some() {
                    self.gated_page(&paging.first_page_path(), Maker::TagFirstPage(t), site);
                }
            }
        }
        for (x, taxonomy) in site.taxonomies.iter().enumerate().filter(|(_, t)| t.render) {
            self.gated_page(&taxonomy.path(), Maker::TaxonomyList(x), site);
            for (t, term) in taxonomy.terms.iter().enumerate() {
                let path = taxonomy.term_path(term);
                let paging = taxonomy.term_paging(term, &path);
                for n in 1..=paging.count() {
                    self.gated_page(&paging.path_of(n), Maker::TaxonomyTerm(x, t, n), site);
                }
                if paging.per.is_some() {
                    self.gated_page(&paging.first_page_path(), Maker::TermFirstPage(x, t), site);
                }
            }
        }
        if builtins.theme {
            self.add(Cow::Borrowed("archive/index.html"), Maker::Archive);
        }
    }

    fn machine_read(&mut self, site: &'a Site, builtins: Builtins) {
        let feed = &site.config.feed;
        for name in feed.names() {
            if feed.enabled {
                self.add(Cow::Borrowed(name), Maker::Feed(None));
            }
            if builtins.tags && site.tag_feeds() {
                for (t, tag) in site.tags.iter().enumerate() {
                    self.add_owned(format!("tags/{}/{name}", tag.slug), Maker::Feed(Some(t)));
                }
            }
        }
        // Another language's feeds have its own file names.
        for (l, (code, language)) in site.config.languages.iter().enumerate().filter(|(_, (_, l))| l.generate_feeds) {
            for name in language.feed_names() {
                self.add_owned(format!("{code}/{name}"), Maker::LanguageFeed(l));
            }
        }
        for s in site.section_feeds() {
            for name in site.config.feed_names(site.sections[s].lang()) {
                let path = format!("{}{name}", site.sections[s].index.path.trim_start_matches('/'));
                self.add_owned(path, Maker::SectionFeed(s));
            }
        }
        // A taxonomy's feeds follow its own `feed`, whatever `[feed] enabled` says, as in Zola.
        for (x, taxonomy) in site.taxonomies.iter().enumerate().filter(|(_, t)| t.render && t.feed) {
            for name in site.config.feed_names(taxonomy.lang.as_deref()) {
                for (t, term) in taxonomy.terms.iter().enumerate() {
                    let path = format!("{}{name}", taxonomy.term_path(term).trim_start_matches('/'));
                    self.gated(&path, Maker::TaxonomyFeed(x, t), site);
                }
            }
        }
        self.add(Cow::Borrowed("sitemap.xml"), Maker::Sitemap);
        let entries = super::feeds::sitemap_entries(site, builtins).len();
        for part in super::feeds::sitemap_parts(entries, super::feeds::SITEMAP_LIMIT) {
            self.add_owned(part, Maker::Sitemap);
        }
        self.add(Cow::Borrowed("robots.txt"), Maker::Robots);
        self.add(Cow::Borrowed("404.html"), Maker::NotFound);
        if builtins.highlighting {
            self.add(Cow::Borrowed("highlight.css"), Maker::Highlighting);
        }
        if builtins.theme {
            self.add(Cow::Borrowed("style.css"), Maker::Stylesheet);
            self.add(Cow::Borrowed("favicon.svg"), Maker::Icon);
        }
        for path in crate::search::paths(&site.config) {
            self.add_owned(path, Maker::Search);
        }
    }

    fn assets(&mut self, site: &Site) {
        for (i, page) in site.pages.iter().enumerate() {
            let dir = page.path.trim_matches('/');
            for (a, (name, _)) in page.content.attachments.iter().enumerate() {
                self.gated(&format!("{dir}/{name}"), Maker::Attachment(i, a), site);
            }
            for (a, asset) in page.source.assets.iter().enumerate() {
                self.gated(&asset_path(site, page, asset), Maker::Asset(i, a), site);
            }
        }
        for (s, sheet) in site.sass.sheets.iter().enumerate() {
            self.gated(&sheet.output, Maker::Sass(s), site);
        }
        for (s, file) in site.static_files.iter().enumerate() {
            self.gated(&file.output, Maker::Static(s), site);
        }
    }

    /// A page whose URL comes from the author (a section's `paginate_path`): it passes the gate, or is left out
    /// with an error.
    fn gated_page(&mut self, url: &str, maker: Maker, site: &Site) {
        match output_path::url(url) {
            Ok(url) => self.add_owned(index_file(&url), maker),
            Err(problem) => {
                let (what, at) = describe(maker, site);
                self.diagnostics.push(
                    Diagnostic::error(at, format!("{what} cannot be published: its URL {url:?} {problem}"))
                        .with_hint(problem.hint()),
                );
                self.refused.insert(index_file(url));
            }
        }
    }

    /// A file named after a file on disk: the name passes the gate, or the file is left out with an error.
    fn gated(&mut self, path: &str, maker: Maker, site: &Site) {
        match output_path::file(path) {
            Ok(_) => self.add_owned(path.to_string(), maker),
            Err(problem) => {
                let (what, at) = describe(maker, site);
                self.diagnostics.push(
                    Diagnostic::error(at, format!("{what} cannot be published: its path {problem}"))
                        .with_hint(problem.hint()),
                );
                self.refused.insert(path.to_string());
            }
        }
    }

    fn clashes(&mut self, site: &Site) {
        let mut found = Vec::new();
        let mut shared: BTreeMap<&str, Vec<Maker>> = BTreeMap::new();
        for (path, maker) in &self.again {
            let first = self.first(path).expect("a file made again was made first");
            shared.entry(path).or_insert_with(|| vec![first]).push(*maker);
        }
        for (path, mut makers) in shared {
            // A static file replaces a compiled stylesheet of its name, as in Zola, with a warning.
            if let [.., Maker::Sass(s), Maker::Static(f)] = makers[..] {
                found.push(static_over_sass(site, path, s, f));
                makers.remove(makers.len() - 2);
            }
            let replaced = makers.len() == 2
                && REPLACEABLE.contains(&path)
                && matches!(makers[1], Maker::Static(_) | Maker::Sass(_))
                && matches!(makers[0], Maker::Stylesheet | Maker::Robots | Maker::Icon | Maker::Search);
            if makers.len() > 1 && !replaced {
                found.push(clash(site, path, &makers));
            }
        }
        // A file where another output needs a folder. The posts' folders were gathered when the site was loaded;
        // the other outputs' are looked up here. The first output (in path order) under a folder that is a file
        // stands for them all.
        let mut in_the_way: BTreeMap<String, (String, Maker)> = BTreeMap::new();
        let mut note = |folder: &str, inner: String, maker: Maker| {
            let first = in_the_way.entry(folder.to_string()).or_insert_with(|| (inner.clone(), maker));
            if inner < first.0 {
                *first = (inner, maker);
            }
        };
        let outputs = (self.pages.iter().map(|(folder, m)| (folder.as_ref(), true, *m)))
            .chain(self.files.iter().map(|(path, m)| (path.as_ref(), false, *m)));
        for (key, page, maker) in outputs {
            for (end, _) in key.match_indices('/') {
                if self.first(&key[..end]).is_some() {
                    note(&key[..end], if page { format!("{key}index.html") } else { key.to_string() }, maker);
                }
            }
        }
        let files_in_post_folders = (self.files.keys().map(|f| f.as_ref()))
            .chain(self.posts.above.iter().map(String::as_str).filter(|a| page_folder(a).is_some()))
            .filter(|f| self.posts.above.contains(*f) && self.first(f).is_some());
        for file in files_in_post_folders {
            let prefix = format!("{file}/");
            let (folder, &i) = (self.posts.by_folder.iter())
                .filter(|(folder, _)| folder.starts_with(&prefix))
                .min()
                .expect("a folder above a post has one under it");
            note(file, format!("{folder}index.html"), Maker::Post(i));
        }
        for (folder, (inner, maker)) in in_the_way {
            let file = self.first(&folder).expect("found above");
            found.push(file_in_the_way(site, &folder, file, &inner, maker));
        }
        self.diagnostics.extend(found);
    }
}

/// The folder of a page's `index.html` (`a/b/` for `a/b/index.html`, `` for `index.html`); `None` for other files.
fn page_folder(path: &str) -> Option<&str> {
    path.strip_suffix("index.html").filter(|folder| folder.is_empty() || folder.ends_with('/'))
}

/// About how many files a render makes, so that the map of them is made once at its size.
fn expected(site: &Site) -> usize {
    let aliases: usize = site.pages.iter().map(|p| p.source.front.aliases.len()).sum();
    let homes = site.pages.len() / site.config.posts_per_page.max(1);
    let terms: usize = site.taxonomies.iter().map(|t| 2 * t.terms.len() + 1).sum();
    aliases + homes + 2 * site.tags.len() + terms + 16
}

/// Where a bundle's file goes: beside the post's page, at its place under the bundle folder.
/// The error for a file the render made that no plan has: fanzine's own mistake, left out of the output.
pub fn unplanned(path: &str) -> Diagnostic {
    Diagnostic::error(None, format!("fanzine made {path:?} without planning it, and left it out"))
        .with_hint("this is a bug in fanzine; please report it with the site that shows it")
}

pub fn asset_path(site: &Site, page: &Page, asset: &std::path::Path) -> String {
    let bundle = site.root.join(page.source.path.rsplit_once('/').map_or("", |(d, _)| d));
    let rel = asset.strip_prefix(&bundle).unwrap_or(asset);
    format!("{}/{}", page.path.trim_matches('/'), crate::content::slashed(rel))
}

fn clash(site: &Site, path: &str, makers: &[Maker]) -> Diagnostic {
    let mut makers = makers.to_vec();
    makers.sort_by_key(|&m| rank(m));
    let described: Vec<(String, Option<Location>)> = makers.iter().map(|&m| describe(m, site)).collect();
    let at = described.iter().rev().find_map(|(_, at)| at.clone());
    let names: Vec<&str> = described.iter().map(|(what, _)| what.as_str()).collect();
    let (last, rest) = names.split_last().expect("a clash has two makers");
    let verb = if names.len() == 2 { "both" } else { "all" };
    Diagnostic::error(at, format!("{} and {last} {verb} make {path}", rest.join(", ")))
        .with_hint("give each its own path: one output file never silently replaces another")
}

fn static_over_sass(site: &Site, path: &str, sheet: usize, file: usize) -> Diagnostic {
    let source = &site.sass.sheets[sheet].source;
    Diagnostic::warning(
        Some(Location::file(source)),
        format!("{source} compiles to {path}, but the static file static/{path} replaces it"),
    )
    .with_hint(format!(
        "a static file wins over a stylesheet of its name, as in Zola; remove or rename static/{} or {source}",
        site.static_files[file].output
    ))
}

fn file_in_the_way(site: &Site, path: &str, file: Maker, inner: &str, folder: Maker) -> Diagnostic {
    let (file_named, file_at) = describe(file, site);
    let (folder_named, folder_at) = describe(folder, site);
    let at = if rank(file) > rank(folder) { file_at.or(folder_at) } else { folder_at.or(file_at) };
    Diagnostic::error(
        at,
        format!("{file_named} makes the file {path}, where {folder_named} needs a folder for {inner}"),
    )
    .with_hint("give one of them another path")
}

/// A section in words: the home page, or the section's `_index.md`; and where to point at it.
fn section_named(site: &Site, s: usize) -> (String, Option<Location>) {
    let source = &site.sections[s].index.source;
    match source.section.as_str() {
        "" if source.path.is_empty() => ("the home page".into(), None),
        "" => ("the home page".into(), Some(Location::file(&source.path))),
        _ => (format!("the section {}", source.path), Some(Location::file(&source.path))),
    }
}

/// How likely a maker is to be the one in the wrong place, so that a clash is reported where the author most
/// probably wants to change something: an alias or a stray file before a post, a post before fanzine's own pages.
fn rank(maker: Maker) -> u8 {
    match maker {
        Maker::Alias(..) | Maker::SectionAlias(..) => 6,
        Maker::Static(_) | Maker::Sass(_) => 5,
        Maker::Asset(..) => 4,
        Maker::Attachment(..) => 3,
        Maker::Feed(_) | Maker::SectionFeed(_) | Maker::TaxonomyFeed(..) => 2,
        Maker::Post(_) | Maker::Section(..) | Maker::FirstPage(_) => 1,
        _ => 0,
    }
}

/// What a maker is, in words, and where the author set it (if anywhere).
fn describe(maker: Maker, site: &Site) -> (String, Option<Location>) {
    let page = |i: usize| &site.pages[i].source;
    let taxonomy_at = || Some(Location::file(site.config.file));
    let feed_at = || site.config.feed.filename_at.clone().or_else(|| Some(Location::file(crate::config::CONFIG_FILE)));
    match maker {
        Maker::Post(i) => {
            let at = page(i).front.slug_at.clone().unwrap_or_else(|| Location::file(&page(i).path));
            (format!("the post {}", page(i).path), Some(at))
        }
        Maker::Alias(i, a) => {
            let at = page(i).front.aliases_at.clone().unwrap_or_else(|| Location::file(&page(i).path));
            (format!("alias {:?} of {}", page(i).front.aliases[a], page(i).path), Some(at))
        }
        Maker::Attachment(i, a) => (
            format!("the file {:?} that {} attaches", site.pages[i].content.attachments[a].0, page(i).path),
            Some(Location::file(&page(i).path)),
        ),
        Maker::Asset(i, a) => {
            let asset = &page(i).assets[a];
            let shown = crate::content::slashed(asset.strip_prefix(&site.root).unwrap_or(asset));
            (format!("the bundle file {shown}"), Some(Location::file(shown)))
        }
        Maker::Static(s) => {
            let shown = format!("static/{}", site.static_files[s].output);
            (format!("the static file {shown}"), Some(Location::file(shown)))
        }
        Maker::Sass(s) => {
            let source = &site.sass.sheets[s].source;
            (format!("the stylesheet {source}"), Some(Location::file(source)))
        }
        Maker::Feed(None) => ("the site's feed".into(), feed_at()),
        Maker::LanguageFeed(l) => {
            let code = site.config.languages.keys().nth(l).map_or("", String::as_str);
            (format!("the feed of the language {code:?}"), taxonomy_at())
        }
        Maker::Feed(Some(t)) => (format!("the feed of the tag {:?}", site.tags[t].name), feed_at()),
        Maker::Section(s, n) => {
            let (named, at) = section_named(site, s);
            (if n == 1 { named } else { format!("page {n} of {named}") }, at)
        }
        Maker::FirstPage(s) => {
            let (named, at) = section_named(site, s);
            (format!("the redirect from page 1 of {named}"), at)
        }
        Maker::SectionAlias(s, a) => {
            let source = &site.sections[s].index.source;
            let at = source.front.aliases_at.clone().unwrap_or_else(|| Location::file(&source.path));
            (format!("alias {:?} of {}", source.front.aliases[a], source.path), Some(at))
        }
        Maker::SectionFeed(s) => {
            let (named, _) = section_named(site, s);
            (format!("the feed of {named}"), feed_at())
        }
        Maker::TagIndex => ("the list of tags".into(), None),
        Maker::TagPage(t, 1) => (format!("the page of the tag {:?}", site.tags[t].name), None),
        Maker::TagPage(t, n) => (format!("page {n} of the tag {:?}", site.tags[t].name), taxonomy_at()),
        Maker::TagFirstPage(t) => {
            (format!("the redirect from page 1 of the tag {:?}", site.tags[t].name), taxonomy_at())
        }
        Maker::TaxonomyList(x) => (format!("the list of {}", site.taxonomies[x].name), taxonomy_at()),
        Maker::TaxonomyTerm(x, t, n) => {
            let taxonomy = &site.taxonomies[x];
            let page = if n == 1 { "the page".to_string() } else { format!("page {n}") };
            (format!("{page} of the {} term {:?}", taxonomy.name, taxonomy.terms[t].name), taxonomy_at())
        }
        Maker::TermFirstPage(x, t) => {
            let taxonomy = &site.taxonomies[x];
            let term = &taxonomy.terms[t].name;
            (format!("the redirect from page 1 of the {} term {term:?}", taxonomy.name), taxonomy_at())
        }
        Maker::TaxonomyFeed(x, t) => {
            let taxonomy = &site.taxonomies[x];
            (format!("the feed of the {} term {:?}", taxonomy.name, taxonomy.terms[t].name), taxonomy_at())
        }
        Maker::Archive => ("the archive".into(), None),
        Maker::Sitemap => ("the sitemap".into(), None),
        Maker::Robots => ("robots.txt".into(), None),
        Maker::NotFound => ("the 404 page".into(), None),
        Maker::Stylesheet => ("the theme's stylesheet".into(), None),
        Maker::Icon => ("the theme's icon".into(), None),
        Maker::Highlighting => ("the highlighting stylesheet".into(), None),
        Maker::Search => ("the search index".into(), Some(Location::file(site.config.file))),
    }
}
