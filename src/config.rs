//! The site configuration, `fanzine.toml` at the site root.
//!
//! Every key is optional so that a folder with only `content/` builds. Unknown keys are errors: a misspelt
//! `posts_per_pgae` that silently does nothing is worse than a build that stops and suggests the right name.
use crate::error::{Diagnostic, Location, did_you_mean};
use crate::locate::{find_key, line_col};
use serde::{Deserialize, Serialize};

pub mod languages;
mod link_checker;
mod markdown;
mod slugify;
pub mod zola;
pub use link_checker::{Level, LinkChecker};
pub use markdown::{MARKDOWN_KEYS, Markdown};
pub use slugify::Slugify;

pub const CONFIG_FILE: &str = "fanzine.toml";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub author: Option<String>,
    pub description: String,
    /// Absolute URL the site is deployed at; every link in the output is made absolute from it.
    pub base_url: String,
    pub language: String,
    pub posts_per_page: usize,
    /// URL pattern of a post, from `{year}`, `{month}`, `{day}`, `{slug}` and `{section}` (the folder under
    /// `content/`); empty segments collapse.
    pub permalink: String,
    pub highlight: Highlight,
    pub feed: Feed,
    pub markdown: Markdown,
    /// Follow links in `content/` and `static/` that lead outside the site's folder (see `crate::symlinks`).
    pub follow_external_links: bool,
    pub slugify: Slugify,
    pub link_checker: LinkChecker,
    /// Taxonomies, as Zola declares them: `taxonomies = [{ name = "categories" }]`. Tags are built in; an entry
    /// named `tags` only sets their pagination.
    pub taxonomies: Vec<Taxonomy>,
    /// A Zola theme under `themes/` whose templates and static files lie under the site's ([`crate::theme`]).
    pub theme: Option<String>,
    /// Where `theme` was set, for the error when no such theme is installed.
    #[serde(skip)]
    pub theme_at: Option<Location>,
    /// Compile the stylesheets of `sass/` into the output (see [`crate::sass`]), as Zola's key of the same name.
    pub compile_sass: bool,
    /// Glob patterns of files under `content/` that are not read, and of files under `static/` that are not
    /// copied, as Zola's keys of the same names ([`crate::ignored`]).
    pub ignored_content: Vec<String>,
    pub ignored_static: Vec<String>,
    /// Write a search index of the site and the script that reads it (see [`crate::search`]), as Zola's key.
    pub build_search_index: bool,
    /// What the search index holds and in which format, as Zola's `[search]`.
    pub search: Search,
    /// How many related posts a post shows at its end (`page.related`, see `crate::site::related`); 0 turns the
    /// list off.
    pub related_posts: usize,
    /// A Zola site's other languages, by code (`[languages.fr]`); the site's own, `language`, is not among them.
    pub languages: std::collections::BTreeMap<String, languages::Language>,
    /// Anything of the author's own, passed to templates as `config.extra`.
    pub extra: toml::Table,
    /// The file this config was read from (`fanzine.toml`, or Zola's `config.toml` or `zola.toml`), for messages.
    #[serde(skip)]
    pub file: &'static str,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Highlight {
    pub enabled: bool,
    /// syntect theme used when the reader's system prefers a light scheme.
    pub light_theme: String,
    pub dark_theme: String,
    /// Colours written into the code from `light_theme` alone, as Zola writes a `highlight_theme`, instead of
    /// classes that `highlight.css` colours for light and dark. A Zola config's default, unless its theme is `css`.
    pub inline: bool,
    /// Folders (from the site's root) whose `.sublime-syntax` and `.tmTheme` files join the bundled ones, as Zola's
    /// `[markdown] extra_syntaxes_and_themes`.
    pub extra_syntaxes_and_themes: Vec<String>,
    /// What those folders hold, read by [`Config::load_highlight_extras`].
    #[serde(skip)]
    pub extras: crate::highlight::Extras,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Feed {
    pub enabled: bool,
    /// How many of the newest posts a feed carries.
    pub limit: usize,
    /// Whole posts in the feed rather than their summaries.
    pub full_content: bool,
    /// The feed's file name, whose name picks its format (see [`FeedFormat`]); the first of `filenames` when that
    /// is set.
    pub filename: String,
    /// Several feeds of the same posts, one per name (Zola's `feed_filenames`), such as `["atom.xml", "rss.xml"]`.
    /// Empty means `[filename]`: read them through [`Feed::names`].
    pub filenames: Vec<String>,
    /// Where `filename` was set, so that a feed clashing with another output is reported at that line.
    #[serde(skip)]
    pub filename_at: Option<Location>,
}

/// Zola's `[search]`: the fields of each document of the index (in this order), and the index's format.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    pub include_title: bool,
    pub include_description: bool,
    /// The page's date, as an RFC 3339 date-time; sections have none.
    pub include_date: bool,
    /// The page's URL path, split at `/` and `-`.
    pub include_path: bool,
    pub include_content: bool,
    /// Keep only this many characters of each document's text (`None`: all of it).
    pub truncate_content_length: Option<usize>,
    pub index_format: IndexFormat,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            include_title: true,
            include_description: false,
            include_date: false,
            include_path: false,
            include_content: true,
            truncate_content_length: None,
            index_format: IndexFormat::ElasticlunrJavascript,
        }
    }
}

/// The search index's format, as Zola names them: elasticlunr's serialised index, or a plain list of documents
/// for Fuse.js; either as JSON or as a script that sets `window.searchIndex`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndexFormat {
    ElasticlunrJavascript,
    ElasticlunrJson,
    FuseJavascript,
    FuseJson,
}

impl IndexFormat {
    /// The index's file name for a language, as Zola names it.
    pub fn filename(self, lang: &str) -> String {
        match self {
            IndexFormat::ElasticlunrJavascript | IndexFormat::FuseJavascript => format!("search_index.{lang}.js"),
            IndexFormat::ElasticlunrJson | IndexFormat::FuseJson => format!("search_index.{lang}.json"),
        }
    }

    pub fn is_elasticlunr(self) -> bool {
        matches!(self, IndexFormat::ElasticlunrJavascript | IndexFormat::ElasticlunrJson)
    }
}

/// A feed's format, picked by its file name as Zola picks the template of each of `feed_filenames`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
    /// JSON Feed 1.1 (jsonfeed.org).
    Json,
}

impl FeedFormat {
    pub fn of(filename: &str) -> Option<FeedFormat> {
        match filename.rsplit('/').next().unwrap_or(filename) {
            "atom.xml" => Some(FeedFormat::Atom),
            "rss.xml" => Some(FeedFormat::Rss),
            name if name.ends_with(".json") && name.len() > ".json".len() => Some(FeedFormat::Json),
            _ => None,
        }
    }

    /// The template that renders it (built in, or the site's own of that name).
    pub fn template(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        }
    }
}

impl Feed {
    /// The file name of each feed made at each place that has feeds (`filenames`, else `filename`).
    pub fn names(&self) -> &[String] {
        match self.filenames.is_empty() {
            true => std::slice::from_ref(&self.filename),
            false => &self.filenames,
        }
    }
}

impl Config {
    /// The feed file names of the language `lang` (`None`: the site's): another language has its own
    /// `feed_filenames`, as in Zola.
    pub fn feed_names(&self, lang: Option<&str>) -> Vec<String> {
        match lang.and_then(|code| self.languages.get(code)) {
            Some(language) => language.feed_names(),
            None => self.feed.names().to_vec(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "My blog".into(),
            author: None,
            description: String::new(),
            base_url: "http://localhost".into(),
            language: "en".into(),
            posts_per_page: 10,
            permalink: "/{section}/{slug}/".into(),
            highlight: Highlight::default(),
            feed: Feed::default(),
            markdown: Markdown::default(),
            follow_external_links: false,
            slugify: Slugify::default(),
            link_checker: LinkChecker::default(),
            taxonomies: Vec::new(),
            theme: None,
            theme_at: None,
            compile_sass: false,
            ignored_content: Vec::new(),
            ignored_static: Vec::new(),
            build_search_index: false,
            search: Search::default(),
            related_posts: 3,
            languages: Default::default(),
            extra: toml::Table::new(),
            file: CONFIG_FILE,
        }
    }
}

/// One taxonomy of `taxonomies`: each page lists its terms under `[taxonomies]`, and the site gets a page listing
/// the terms, a page per term and, with `feed`, a feed per term, as Zola makes them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Taxonomy {
    pub name: String,
    pub feed: bool,
    /// Pages per term page, as in Zola (`{term}/{paginate_path}/{n}/`); `None` or 0: one page per term.
    pub paginate_by: Option<usize>,
    pub paginate_path: Option<String>,
    /// `false`: the pages keep their terms (for templates) but no page of the taxonomy is made.
    pub render: bool,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy { name: String::new(), feed: false, paginate_by: None, paginate_path: None, render: true }
    }
}

impl Default for Highlight {
    fn default() -> Self {
        Highlight {
            enabled: true,
            light_theme: "InspiredGitHub".into(),
            dark_theme: "base16-ocean.dark".into(),
            inline: false,
            extra_syntaxes_and_themes: Vec::new(),
            extras: Default::default(),
        }
    }
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            enabled: true,
            limit: 20,
            full_content: true,
            filename: "atom.xml".into(),
            filenames: Vec::new(),
            filename_at: None,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "title",
    "author",
    "description",
    "base_url",
    "language",
    "posts_per_page",
    "permalink",
    "highlight",
    "feed",
    "markdown",
    "follow_external_links",
    "slugify",
    "link_checker",
    "taxonomies",
    "theme",
    "compile_sass",
    "ignored_content",
    "ignored_static",
    "build_search_index",
    "search",
    "related_posts",
    "extra",
];
const HIGHLIGHT_KEYS: &[&str] = &["enabled", "light_theme", "dark_theme", "inline", "extra_syntaxes_and_themes"];
const FEED_KEYS: &[&str] = &["enabled", "limit", "full_content", "filename", "filenames"];
const SEARCH_KEYS: &[&str] = &[
    "include_title",
    "include_description",
    "include_date",
    "include_path",
    "include_content",
    "truncate_content_length",
    "index_format",
];
/// The tables whose keys are checked, with their keys; any other table (`[extra]`) is the author's own.
const SECTIONS: &[(&str, &[&str])] = &[
    ("highlight", HIGHLIGHT_KEYS),
    ("feed", FEED_KEYS),
    ("search", SEARCH_KEYS),
    ("markdown", MARKDOWN_KEYS),
    ("slugify", slugify::KEYS),
    ("link_checker", link_checker::KEYS),
];
const PERMALINK_FIELDS: &[&str] = &["year", "month", "day", "slug", "section"];

impl Config {
    /// Parses and validates the config text. All problems are returned together.
    pub fn parse(src: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = CONFIG_FILE;
        let table: toml::Table = toml::from_str(src).map_err(|e| vec![toml_error(file, src, &e)])?;
        let mut problems = unknown_keys(file, src, &table);
        problems.extend(slugify::check(src, &table));
        problems.extend(link_checker::check(src, &table));
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut config: Config = toml::from_str(src).map_err(|e| vec![toml_error(file, src, &e)])?;
        config.feed.filename_at = (find_key(src, Some("feed"), "filenames")
            .or_else(|| find_key(src, Some("feed"), "filename")))
        .map(|(line, column)| Location::at(file, line, column));
        config.theme_at = find_key(src, None, "theme").map(|(line, column)| Location::at(file, line, column));
        config.finish(src)
    }

    /// The checks every config goes through once its values are in, whichever file they came from.
    fn finish(mut self, src: &str) -> Result<Config, Vec<Diagnostic>> {
        if let Some(first) = self.feed.filenames.first() {
            self.feed.filename = first.clone();
        }
        let mut problems = self.validate(src);
        // `key_location` names fanzine.toml; a Zola config's problems are in its own file.
        for location in problems.iter_mut().filter_map(|p| p.location.as_mut()) {
            if location.file == CONFIG_FILE {
                location.file = self.file.to_string();
            }
        }
        // Kept in the gate's spelling (`/atom.xml` is `atom.xml`), so that the feed's file and its URL, made in
        // several places, agree without each cleaning it again.
        for name in self.feed.filenames.iter_mut().chain([&mut self.feed.filename]) {
            if let Ok(clean) = crate::output_path::file(name) {
                *name = clean;
            }
        }
        if problems.is_empty() { Ok(self) } else { Err(problems) }
    }

    /// The site's config: `fanzine.toml`, else Zola's `config.toml` or `zola.toml` (see [`zola`]), else the
    /// defaults; with the warnings reading it gave.
    pub fn read(root: &std::path::Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        for &file in std::iter::once(&CONFIG_FILE).chain(zola::FILES) {
            let src = match std::fs::read_to_string(root.join(file)) {
                Ok(src) => src,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(vec![Diagnostic::error(Some(Location::file(file)), format!("cannot read: {e}"))]),
            };
            return match file {
                CONFIG_FILE => Config::parse(&src).map(|c| (c, Vec::new())),
                _ => zola::parse(file, &src),
            };
        }
        Ok((Config::default(), Vec::new()))
    }

    /// Whether this config was read from Zola's `config.toml` or `zola.toml` (see [`zola`]): the site then means
    /// what it means in Zola wherever the two differ (its templates' variables, its feeds, its links).
    pub fn is_zola(&self) -> bool {
        zola::FILES.contains(&self.file)
    }

    /// How highlighted code is coloured: from `light_theme` written in with `[highlight] inline`, else by classes.
    pub fn colours(&self) -> crate::highlight::Colours<'_> {
        let theme = self.highlight.extras.theme(&self.highlight.light_theme);
        match (self.highlight.inline, theme) {
            (true, Some(theme)) => crate::highlight::Colours::Inline(theme),
            _ => crate::highlight::Colours::Classes,
        }
    }

    /// What the Markdown of a page depends on in [`Config::colours`], for the renderings' keys: the theme's name
    /// when colours are written in, else nothing.
    pub fn colours_key(&self) -> &str {
        match self.highlight.inline {
            true => &self.highlight.light_theme,
            false => "",
        }
    }

    /// `ignored_content`, compiled (the config was checked, so this cannot fail).
    pub fn ignored_content(&self) -> crate::ignored::Globs {
        crate::ignored::Globs::content(&self.ignored_content).unwrap_or_default()
    }

    /// `ignored_static`, compiled, for the site's `static/` and the theme's; on a Zola site the site's own
    /// `static/processed_images/` too. That folder is Zola's store of resized images, from which each Zola build
    /// deletes those it did not make before publishing the rest; fanzine makes the ones a build asks for itself
    /// ([`crate::images`]), so publishing none of the folder gives the files Zola gives. A theme's
    /// `static/processed_images/` is no store: Zola 0.21 copies it as any other static file, and so does fanzine.
    pub fn ignored_static(&self) -> crate::ignored::StaticGlobs {
        let theme = crate::ignored::Globs::statics(&self.ignored_static).unwrap_or_default();
        let mut patterns = self.ignored_static.clone();
        if self.is_zola() {
            patterns.push("processed_images".to_string());
        }
        let own = crate::ignored::Globs::statics(&patterns).unwrap_or_default();
        crate::ignored::StaticGlobs { own, theme }
    }

    /// Reads the site's own syntaxes and themes (`extra_syntaxes_and_themes`), and checks that the themes named
    /// are bundled or among them. Apart from [`Config::read`], which other readers of the config (the preview's
    /// symlink check) use without paying for syntaxes.
    pub fn load_highlight_extras(
        &mut self,
        root: &std::path::Path,
        linked: &crate::highlight::Linked,
        cache_dir: Option<&std::path::Path>,
    ) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        if self.highlight.extra_syntaxes_and_themes.is_empty() {
            return Ok(Vec::new());
        }
        let src = std::fs::read_to_string(root.join(self.file)).unwrap_or_default();
        let zola = self.is_zola();
        let at = |key: &str| {
            let section = if zola { "markdown" } else { "highlight" };
            match find_key(&src, Some(section), key) {
                Some((line, column)) => Location::at(self.file, line, column),
                None => Location::file(self.file),
            }
        };
        let (extras, warnings) = crate::highlight::Extras::load(
            root,
            &self.highlight.extra_syntaxes_and_themes,
            &at("extra_syntaxes_and_themes"),
            linked,
            cache_dir,
        )?;
        let (mut warnings, mut problems) = (warnings, Vec::new());
        let names = extras.theme_names();
        let keys = [("light_theme", &self.highlight.light_theme), ("dark_theme", &self.highlight.dark_theme)];
        for (key, name) in keys.into_iter().take(if zola { 1 } else { 2 }) {
            if extras.theme(name).is_some() {
                continue;
            }
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean {s:?}?"),
                None => format!("available themes: {}", names.join(", ")),
            };
            if zola {
                // As for any theme a Zola config names that fanzine lacks: the site still builds.
                let message = format!(
                    "highlight theme {name:?} is not one of fanzine's or the site's; its default themes are used"
                );
                warnings.push(Diagnostic::warning(Some(at("highlight_theme")), message).with_hint(hint));
            } else {
                let d = Diagnostic::error(Some(at(key)), format!("unknown highlighting theme {name:?}"));
                problems.push(d.with_hint(hint));
            }
        }
        if zola && warnings.iter().any(|w| w.message.starts_with("highlight theme")) {
            let defaults = Highlight::default();
            (self.highlight.light_theme, self.highlight.dark_theme) = (defaults.light_theme, defaults.dark_theme);
        }
        self.highlight.extras = extras;
        if problems.is_empty() { Ok(warnings) } else { Err(problems) }
    }

    /// The base URL without a trailing slash, ready to have an absolute path appended.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path the site is deployed under: `/blog` for `https://example.com/blog/`, empty at a host's root.
    pub fn base_path(&self) -> &str {
        let base = self.base();
        base.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..])).unwrap_or("")
    }

    /// Replaces `base_url` (the `--base-url` option, the preview server's own address), with the same checks.
    pub fn override_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        check_base_url(url).map_err(|why| base_url_error(Location::file("--base-url"), url, why))?;
        self.base_url = url.to_string();
        Ok(())
    }

    fn validate(&self, src: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let globs = [
            ("ignored_content", crate::ignored::Globs::content(&self.ignored_content).err()),
            ("ignored_static", crate::ignored::Globs::statics(&self.ignored_static).err()),
        ];
        for (key, bad) in globs {
            if let Some(bad) = bad {
                let d = Diagnostic::error(Some(key_location(src, None, key)), format!("`{key}`: {bad}"));
                problems.push(d.with_hint(
                    "write a glob such as \"*.psd\" or \"**/drafts\"; `*` matches any characters, `[` starts a class that `]` must close",
                ));
            }
        }
        if let Err(why) = check_base_url(&self.base_url) {
            problems.push(base_url_error(key_location(src, None, "base_url"), &self.base_url, why));
        }
        let themes = crate::highlight::theme_names();
        for (key, name) in [("light_theme", &self.highlight.light_theme), ("dark_theme", &self.highlight.dark_theme)] {
            // A site with themes of its own has them checked once they are read (`load_highlight_extras`).
            if !themes.contains(&name.as_str()) && self.highlight.extra_syntaxes_and_themes.is_empty() {
                let d = Diagnostic::error(
                    Some(key_location(src, Some("highlight"), key)),
                    format!("unknown highlighting theme {name:?}"),
                );
                problems.push(match did_you_mean(name, themes.iter().copied()) {
                    Some(s) => d.with_hint(format!("did you mean {s:?}?")),
                    None => d.with_hint(format!("available themes: {}", themes.join(", "))),
                });
            }
        }
        if let Some(place) = &self.markdown.insert_anchor_links
            && crate::markdown::AnchorPlace::parse(place).is_none()
        {
            let names = crate::markdown::AnchorPlace::NAMES;
            let d = Diagnostic::error(
                Some(key_location(src, Some("markdown"), "insert_anchor_links")),
                format!("unknown `insert_anchor_links` {place:?}: it is one of {}", names.join(", ")),
            );
            problems.push(match did_you_mean(place, names.iter().copied()) {
                Some(s) => d.with_hint(format!("did you mean insert_anchor_links = {s:?}?")),
                None => d.with_hint("for example: insert_anchor_links = \"left\""),
            });
        }
        if self.posts_per_page == 0 {
            problems.push(
                Diagnostic::error(Some(key_location(src, None, "posts_per_page")), "posts_per_page must be at least 1")
                    .with_hint("set it to the number of posts the home page lists, e.g. 10"),
            );
        }
        for field in permalink_fields(&self.permalink) {
            if !PERMALINK_FIELDS.contains(&field.as_str()) {
                let mut d = Diagnostic::error(
                    Some(key_location(src, None, "permalink")),
                    format!("unknown field {{{field}}} in permalink {:?}", self.permalink),
                );
                d = match did_you_mean(&field, PERMALINK_FIELDS.iter().copied()) {
                    Some(s) => d.with_hint(format!("did you mean {{{s}}}?")),
                    None => d.with_hint("available fields: {year}, {month}, {day}, {slug}, {section}"),
                };
                problems.push(d);
            }
        }
        // Checked on a sample post, so that a pattern that leaves the site is reported once, at its own line.
        let sample = fill_permalink(&self.permalink, "section", "slug", time::macros::date!(2017 - 05 - 16));
        if let Err(problem) = crate::output_path::url(&sample) {
            problems.push(
                Diagnostic::error(
                    Some(key_location(src, None, "permalink")),
                    format!("permalink {:?} {problem}", self.permalink),
                )
                .with_hint(problem.hint()),
            );
        }
        let feed_at = || self.feed.filename_at.clone().unwrap_or_else(|| key_location(src, Some("feed"), "filename"));
        for name in self.feed.names() {
            problems.extend(feed_name_problem(name, feed_at));
        }
        for language in self.languages.values() {
            let at = || language.feeds_at.clone().unwrap_or_else(|| Location::file(self.file));
            for name in language.feed_filenames.iter().flatten() {
                if let Some(problem) = feed_name_problem(name, at) {
                    problems.push(problem);
                }
            }
        }
        if !self.permalink.contains("{slug}") {
            problems.push(
                Diagnostic::error(Some(key_location(src, None, "permalink")), "permalink must contain {slug}")
                    .with_hint("otherwise two posts would share one URL; e.g. \"/{year}/{month}/{slug}/\""),
            );
        }
        problems
    }
}

/// What is wrong with a feed's file name, reported at `at`: a name that leaves the output folder, or that picks no
/// format.
fn feed_name_problem(name: &str, at: impl Fn() -> Location) -> Option<Diagnostic> {
    if let Err(problem) = crate::output_path::file(name) {
        return Some(
            Diagnostic::error(Some(at()), format!("feed filename {name:?} {problem}")).with_hint(problem.hint()),
        );
    }
    FeedFormat::of(name).is_none().then(|| {
        Diagnostic::error(Some(at()), format!("feed filename {name:?} names no feed format")).with_hint(
            "the name picks the format: \"atom.xml\" (Atom), \"rss.xml\" (RSS 2.0) or a name ending in \".json\" (JSON Feed)",
        )
    })
}

/// The permalink pattern with its fields filled in (validation fills in a sample post to check the pattern alone).
pub fn fill_permalink(pattern: &str, section: &str, slug: &str, date: time::Date) -> String {
    pattern
        .replace("{year}", &format!("{:04}", date.year()))
        .replace("{month}", &format!("{:02}", u8::from(date.month())))
        .replace("{day}", &format!("{:02}", date.day()))
        .replace("{slug}", slug)
        .replace("{section}", section)
}

fn base_url_error(location: Location, url: &str, why: &str) -> Diagnostic {
    Diagnostic::error(Some(location), format!("invalid base_url {url:?}: {why}"))
        .with_hint("use an absolute URL such as \"https://example.org\" or \"https://example.org/blog\"")
}

fn permalink_fields(pattern: &str) -> Vec<String> {
    pattern.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

/// Checks the parts of a URL that matter for building absolute links; no crate needed for that much.
fn check_base_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("it has no host name");
    }
    if url.contains(char::is_whitespace) {
        return Err("it contains whitespace");
    }
    if url.contains(['?', '#']) {
        return Err("it must not have a query or a fragment");
    }
    Ok(())
}

fn unknown_keys(file: &str, src: &str, table: &toml::Table) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut check = |section: Option<&str>, keys: &toml::Table, known: &[&str]| {
        for key in keys.keys() {
            if known.contains(&key.as_str()) {
                continue;
            }
            let dotted = section.map_or(key.clone(), |s| format!("{s}.{key}"));
            let mut d =
                Diagnostic::error(Some(key_location(src, section, key)), format!("unknown key `{dotted}` in {file}"));
            d = match did_you_mean(key, known.iter().copied()) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => {
                    d.with_hint(format!("known keys here: {}; put your own settings under [extra]", known.join(", ")))
                }
            };
            problems.push(d);
        }
    };
    check(None, table, TOP_KEYS);
    for &(section, known) in SECTIONS {
        if let Some(toml::Value::Table(sub)) = table.get(section) {
            check(Some(section), sub, known);
        }
    }
    problems
}

/// Where `key` is set in the config, for diagnostics.
pub fn key_location(src: &str, section: Option<&str>, key: &str) -> Location {
    match find_key(src, section, key) {
        Some((line, column)) => Location::at(CONFIG_FILE, line, column),
        None => Location::file(CONFIG_FILE),
    }
}

/// Turns a toml parse error into a diagnostic at its line and column.
pub fn toml_error(file: &str, src: &str, error: &toml::de::Error) -> Diagnostic {
    let location = match error.span() {
        Some(span) => {
            let (line, column) = line_col(src, span.start);
            Location::at(file, line, column)
        }
        None => Location::file(file),
    };
    Diagnostic::error(Some(location), error.message().trim().to_string())
        .with_hint("check the TOML syntax: strings in double quotes, one `key = value` per line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_names_it_and_suggests() {
        let errors = Config::parse("title = \"x\"\nposts_per_pgae = 3\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert!(text.starts_with("fanzine.toml:2:1: error: unknown key `posts_per_pgae`"), "{text}");
        assert!(text.contains("did you mean `posts_per_page`?"), "{text}");
    }

    #[test]
    fn unknown_key_in_a_section_is_located_in_it() {
        let src = "title = \"x\"\n[feed]\nlimt = 3\n";
        let errors = Config::parse(src).unwrap_err();
        assert_eq!(errors[0].location, Some(Location::at(CONFIG_FILE, 3, 1)));
        assert!(errors[0].to_string().contains("`feed.limt`"));
    }

    #[test]
    fn bad_base_url_is_rejected() {
        let errors = Config::parse("base_url = \"example.org\"\n").unwrap_err();
        assert!(errors[0].message.contains("http://"), "{}", errors[0]);
        assert_eq!(errors[0].location, Some(Location::at(CONFIG_FILE, 1, 1)));
    }

    #[test]
    fn unknown_themes_are_located_and_overrides_checked() {
        let errors = Config::parse("[highlight]\nlight_theme = \"InspiredGithub\"\n").unwrap_err();
        assert_eq!(errors[0].location, Some(Location::at(CONFIG_FILE, 2, 1)));
        assert!(errors[0].to_string().contains("did you mean \"InspiredGitHub\"?"), "{}", errors[0]);
        let mut config = Config::default();
        let d = config.override_base_url("ftp://x").unwrap_err();
        assert_eq!(d.location, Some(Location::file("--base-url")));
        assert_eq!(config.base_url, Config::default().base_url);
        config.override_base_url("http://127.0.0.1:9000").unwrap();
        assert_eq!(config.base(), "http://127.0.0.1:9000");
    }

    #[test]
    fn permalink_fields_are_checked() {
        let errors = Config::parse("permalink = \"/{yaer}/{slug}/\"\n").unwrap_err();
        assert!(errors[0].to_string().contains("did you mean {year}?"), "{}", errors[0]);
    }

    #[test]
    fn wrong_type_reports_line() {
        let errors = Config::parse("title = \"x\"\nposts_per_page = \"ten\"\n").unwrap_err();
        assert_eq!(errors[0].location.as_ref().and_then(|l| l.line), Some(2));
    }

    #[test]
    fn the_feed_filename_is_kept_in_the_gates_spelling() {
        let config = Config::parse("[feed]\nfilename = \"/feeds//atom.xml\"\n").unwrap();
        assert_eq!(config.feed.filename, "feeds/atom.xml");
        assert_eq!(config.feed.names(), ["feeds/atom.xml"]);
    }

    #[test]
    fn a_feeds_format_follows_its_name() {
        let config = Config::parse("[feed]\nfilenames = [\"rss.xml\", \"atom.xml\", \"feed.json\"]\n").unwrap();
        assert_eq!(config.feed.filename, "rss.xml");
        let formats: Vec<_> = config.feed.names().iter().map(|n| FeedFormat::of(n)).collect();
        assert_eq!(formats, [Some(FeedFormat::Rss), Some(FeedFormat::Atom), Some(FeedFormat::Json)]);
        let errors = Config::parse("title = \"x\"\n[feed]\nfilename = \"feed.xml\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("fanzine.toml:3:1: error: feed filename \"feed.xml\" names no feed format")
        );
    }
}
