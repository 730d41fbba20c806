//! Every file a render will make, with what makes it, known before anything is rendered.
//!
//! Two makers of one file would leave whichever came last (an alias `/atom.xml` replacing the feed, a bundle asset
//! `index.html` replacing its post, a feed named `index.html` replacing the home page), and a file where another
//! maker needs a folder would be replaced by that folder. Both are errors here, naming every maker with where the
//! author set it. The plan is also the render's last gate: [`Plan::admits`] hands on only the files it planned,
//! each of which passed [`crate::output_path`], so a maker the plan forgot is a bug that a test sees, not a file
//! written where nobody checked.
use crate::error::{Diagnostic, Location};
use crate::output_path::{self, index_file};
use crate::site::{Page, Site};
use std::collections::{BTreeMap, HashSet};

/// Static files that replace the built-in file of the same name on purpose (the README documents both).
const REPLACEABLE: &[&str] = &["style.css", "robots.txt"];

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
    /// The site's feed, or a tag's.
    Feed(Option<usize>),
    HomePage(usize),
    TagIndex,
    TagPage(usize),
    Archive,
    Sitemap,
    Robots,
    NotFound,
    Stylesheet,
    Highlighting,
}

/// The files a render makes, by output path, and the problems found in making the list.
pub struct Plan {
    files: BTreeMap<String, Vec<Maker>>,
    /// Paths of files left out because they failed the gate (reported already), so that the render drops them
    /// without calling them a bug.
    refused: HashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn of(site: &Site) -> Plan {
        let mut plan = Plan { files: BTreeMap::new(), refused: HashSet::new(), diagnostics: Vec::new() };
        plan.pages(site);
        plan.lists(site);
        plan.machine_read(site);
        plan.assets(site);
        plan.clashes(site);
        plan
    }

    /// Whether the render may hand `path` on: planned, or refused with an error already (then `false`). A path
    /// neither planned nor refused is fanzine's own mistake, returned as an error to report.
    pub fn admits(&self, path: &str) -> Result<bool, Diagnostic> {
        if self.files.contains_key(path) {
            Ok(true)
        } else if self.refused.contains(path) {
            Ok(false)
        } else {
            Err(Diagnostic::error(None, format!("fanzine made {path:?} without planning it, and left it out"))
                .with_hint("this is a bug in fanzine; please report it with the site that shows it"))
        }
    }

    fn add(&mut self, path: String, maker: Maker) {
        self.files.entry(path).or_default().push(maker);
    }

    fn pages(&mut self, site: &Site) {
        for (i, page) in site.pages.iter().enumerate() {
            self.add(index_file(&page.path), Maker::Post(i));
            for (a, alias) in page.source.front.aliases.iter().enumerate() {
                // A page whose alias failed the gate was left out of the site when it was loaded.
                if let Ok(file) = output_path::alias_file(alias) {
                    self.add(file, Maker::Alias(i, a));
                }
            }
        }
    }

    fn lists(&mut self, site: &Site) {
        let per_page = site.config.posts_per_page.max(1);
        let homes = site.pages.len().div_ceil(per_page).max(1);
        for n in 1..=homes {
            let url = if n == 1 { "/".to_string() } else { format!("/page/{n}/") };
            self.add(index_file(&url), Maker::HomePage(n));
        }
        self.add("tags/index.html".into(), Maker::TagIndex);
        for (t, tag) in site.tags.iter().enumerate() {
            self.add(index_file(&format!("/tags/{}/", tag.slug)), Maker::TagPage(t));
        }
        self.add("archive/index.html".into(), Maker::Archive);
    }

    fn machine_read(&mut self, site: &Site) {
        let feed = &site.config.feed;
        if feed.enabled {
            self.add(feed_file(&feed.filename), Maker::Feed(None));
            for (t, tag) in site.tags.iter().enumerate() {
                self.add(feed_file(&format!("tags/{}/{}", tag.slug, feed.filename)), Maker::Feed(Some(t)));
            }
        }
        self.add("sitemap.xml".into(), Maker::Sitemap);
        self.add("robots.txt".into(), Maker::Robots);
        self.add("404.html".into(), Maker::NotFound);
        self.add("highlight.css".into(), Maker::Highlighting);
        self.add("style.css".into(), Maker::Stylesheet);
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
        for (s, file) in site.static_files.iter().enumerate() {
            self.gated(&file.output, Maker::Static(s), site);
        }
    }

    /// A file named after a file on disk: the name passes the gate, or the file is left out with an error.
    fn gated(&mut self, path: &str, maker: Maker, site: &Site) {
        match output_path::file(path) {
            Ok(_) => self.add(path.to_string(), maker),
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
        for (path, makers) in &self.files {
            let replaced = makers.len() == 2
                && REPLACEABLE.contains(&path.as_str())
                && matches!(makers[1], Maker::Static(_))
                && matches!(makers[0], Maker::Stylesheet | Maker::Robots);
            if makers.len() > 1 && !replaced {
                found.push(clash(site, path, makers));
            }
            // A file where another output needs a folder: the nearest file under it stands for them all.
            let folder = format!("{path}/");
            if let Some((inner, under)) =
                self.files.range(folder.clone()..).next().filter(|(p, _)| p.starts_with(&folder))
            {
                found.push(file_in_the_way(site, path, makers[0], inner, under[0]));
            }
        }
        self.diagnostics.extend(found);
    }
}

/// A feed's file name passed the gate when the config was read; a tag's slug has only letters, digits and dashes.
pub(super) fn feed_file(path: &str) -> String {
    output_path::file(path).unwrap_or_else(|_| path.to_string())
}

/// Where a bundle's file goes: beside the post's page, at its place under the bundle folder.
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

/// How likely a maker is to be the one in the wrong place, so that a clash is reported where the author most
/// probably wants to change something: an alias or a stray file before a post, a post before fanzine's own pages.
fn rank(maker: Maker) -> u8 {
    match maker {
        Maker::Alias(..) => 6,
        Maker::Static(_) => 5,
        Maker::Asset(..) => 4,
        Maker::Attachment(..) => 3,
        Maker::Feed(_) => 2,
        Maker::Post(_) => 1,
        _ => 0,
    }
}

/// What a maker is, in words, and where the author set it (if anywhere).
fn describe(maker: Maker, site: &Site) -> (String, Option<Location>) {
    let page = |i: usize| &site.pages[i].source;
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
        Maker::Feed(None) => ("the site's feed".into(), feed_at()),
        Maker::Feed(Some(t)) => (format!("the feed of the tag {:?}", site.tags[t].name), feed_at()),
        Maker::HomePage(1) => ("the home page".into(), None),
        Maker::HomePage(n) => (format!("page {n} of the home page"), None),
        Maker::TagIndex => ("the list of tags".into(), None),
        Maker::TagPage(t) => (format!("the page of the tag {:?}", site.tags[t].name), None),
        Maker::Archive => ("the archive".into(), None),
        Maker::Sitemap => ("the sitemap".into(), None),
        Maker::Robots => ("robots.txt".into(), None),
        Maker::NotFound => ("the 404 page".into(), None),
        Maker::Stylesheet => ("the theme's stylesheet".into(), None),
        Maker::Highlighting => ("the highlighting stylesheet".into(), None),
    }
}
