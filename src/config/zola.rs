//! Zola's `config.toml` (or `zola.toml`), read as the site's config when there is no `fanzine.toml`, so that a Zola
//! site builds as itself (its title, its URL) instead of as "My blog" at `http://localhost`.
//!
//! A Zola key is taken under fanzine's name where the two mean the same (`default_language` is `language`,
//! `[markdown] highlight_code` is `[highlight] enabled`), a key fanzine knows under the same name (`title`,
//! `[markdown] smart_punctuation`) is taken as it is, and any other key is ignored with one warning naming it: the
//! site is read as far as fanzine can follow it, never refused for what fanzine cannot do. A key of the wrong type is
//! an error, as in `fanzine.toml`. Where Zola's defaults differ from fanzine's, Zola's apply (no feeds, no
//! highlighting, plain punctuation, footnotes where they are defined), so the site means what its author meant.
use super::{Config, Markdown, SECTIONS, TOP_KEYS, toml_error};
use crate::error::{Diagnostic, Location, did_you_mean};
use crate::locate::{find_key, line_col};
use toml::{Table, Value};

/// Zola's config files, in the order they are looked for once `fanzine.toml` is not there.
pub const FILES: &[&str] = &["config.toml", "zola.toml"];

/// Every key Zola 0.21 knows outside tables of free-form data, for telling a Zola setting fanzine ignores from a
/// key nobody knows (a typo).
/// The keys of a taxonomy of `taxonomies` that fanzine reads.
const TAXONOMY_KEYS: &[&str] = &["name", "feed", "paginate_by", "paginate_path", "render"];

const ZOLA_TOP_KEYS: &[&str] = &[
    "base_url",
    "theme",
    "title",
    "description",
    "default_language",
    "languages",
    "translations",
    "generate_feeds",
    "feed_limit",
    "feed_filenames",
    "hard_link_static",
    "taxonomies",
    "author",
    "compile_sass",
    "minify_html",
    "build_search_index",
    "ignored_content",
    "ignored_static",
    "mode",
    "output_dir",
    "preserve_dotfiles_in_output",
    "link_checker",
    "slugify",
    "search",
    "markdown",
    "extra",
    "generate_sitemap",
    "generate_robots_txt",
    "exclude_paginated_pages_in_sitemap",
];

/// The keys of Zola's tables that fanzine may know in part (a table fanzine does not know at all is ignored whole).
const ZOLA_SECTION_KEYS: &[(&str, &[&str])] = &[
    ("link_checker", &["skip_prefixes", "skip_anchor_prefixes", "internal_level", "external_level"]),
    ("slugify", &["paths", "taxonomies", "anchors", "paths_keep_dates"]),
];

/// What fanzine does with a Zola key it does not know under that name.
enum Rule {
    /// The same setting under fanzine's (section, key).
    Rename(Option<&'static str>, &'static str),
    /// Supported when it has this value (what fanzine does anyway); any other value is ignored with the hint.
    Only(fn(&Value) -> bool, &'static str),
    /// Not supported; the hint says what fanzine does instead.
    Ignored(&'static str),
    FeedFilenames,
    HighlightTheme,
    Taxonomies,
    Languages,
}

fn rule(section: Option<&str>, key: &str) -> Option<Rule> {
    let is_true = |v: &Value| v.as_bool() == Some(true);
    let is_false = |v: &Value| v.as_bool() == Some(false);
    Some(match (section, key) {
        (None, "default_language") => Rule::Rename(None, "language"),
        (None, "generate_feeds") => Rule::Rename(Some("feed"), "enabled"),
        (None, "feed_limit") => Rule::Rename(Some("feed"), "limit"),
        (None, "feed_filenames") => Rule::FeedFilenames,
        // Zola before 0.19: one feed.
        (None, "feed_filename") => Rule::Rename(Some("feed"), "filename"),
        (Some("markdown"), "highlight_code") => Rule::Rename(Some("highlight"), "enabled"),
        (Some("markdown"), "highlight_theme") => Rule::HighlightTheme,
        (None, "generate_sitemap") => Rule::Only(is_true, "fanzine always writes sitemap.xml"),
        (None, "generate_robots_txt") => Rule::Only(is_true, "fanzine always writes robots.txt"),
        (None, "minify_html") => Rule::Only(is_false, "fanzine does not minify HTML"),
        (None, "hard_link_static") => {
            Rule::Only(is_false, "fanzine copies static files, and its output folder shares no file with static/")
        }
        (None, "preserve_dotfiles_in_output") => {
            Rule::Only(is_false, "fanzine replaces the output folder as a whole, dotfiles included")
        }
        (None, "output_dir") => Rule::Ignored("give the output folder on the command line: fanzine build -o DIR"),
        (None, "taxonomies") => Rule::Taxonomies,
        // Read by the templates' trans() (`crate::templates`), from the file itself.
        (None, "translations") => Rule::Only(|_| true, ""),
        (None, "languages") => Rule::Languages,
        (None, "mode") => Rule::Ignored("fanzine's own commands say how it runs: build, check, serve"),
        (None, "exclude_paginated_pages_in_sitemap") => Rule::Ignored("fanzine's sitemap lists every page it writes"),
        (Some("markdown"), "error_on_missing_highlight") => {
            Rule::Only(is_false, "fanzine warns about a block in an unknown language and shows it plain")
        }
        (Some("markdown"), "lazy_async_image") => Rule::Only(is_false, "fanzine leaves images as they are written"),
        (Some("markdown"), "extra_syntaxes_and_themes") => Rule::Rename(Some("highlight"), "extra_syntaxes_and_themes"),
        (Some("markdown"), "highlight_themes_css") => Rule::Ignored(
            "fanzine writes highlight.css itself, for the themes of [highlight] light_theme and dark_theme",
        ),
        _ => return None,
    })
}

/// The config, with a warning for each key it ignored; `Err` holds every error (wrong types, bad values).
pub fn parse(file: &'static str, src: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let table: Table = toml::from_str(src).map_err(|e| vec![toml_error(file, src, &e)])?;
    let mut reader =
        Reader { file, src, out: defaults(), placed: Vec::new(), warnings: Vec::new(), errors: Vec::new() };
    for (key, value) in &table {
        reader.top(key, value);
    }
    let Reader { out, placed, mut warnings, mut errors, .. } = reader;
    crate::error::sort_diagnostics(&mut warnings);
    // The same value checks as fanzine.toml's, which name the values a key takes; a key they report is not
    // reported again below as a type error.
    for mut problem in super::slugify::check(src, &table).into_iter().chain(super::link_checker::check(src, &table)) {
        if let Some(location) = problem.location.as_mut() {
            location.file = file.to_string();
        }
        errors.push(problem);
    }
    // The usual case, every value of the right type, takes one conversion; only when it fails is each placed key
    // tried alone over the defaults, so that a wrong type is reported at its own line.
    let whole = Value::Table(out.clone()).try_into::<Config>();
    let mut config = match whole {
        Ok(config) if errors.is_empty() => config,
        whole => {
            let defaults = defaults();
            for (section, key, at) in &placed {
                if errors.iter().any(|e| e.location.as_ref() == Some(&at.0)) {
                    continue;
                }
                let mut single = defaults.clone();
                set(&mut single, *section, key, lookup(&out, *section, key).expect("placed").clone());
                if let Err(e) = Value::Table(single).try_into::<Config>() {
                    let dotted = at.1.clone();
                    let message = format!("`{dotted}` in {file}: {}", e.message().trim());
                    errors.push(Diagnostic::error(Some(at.0.clone()), message).with_hint(
                        "check the value's type: strings in double quotes, true or false, numbers without quotes",
                    ));
                }
            }
            if let Err(e) = whole
                && errors.is_empty()
            {
                errors.push(Diagnostic::error(None, e.to_string()));
            }
            return Err(errors);
        }
    };
    config.file = file;
    let origin = |in_section: Option<&str>, name: &str| {
        placed.iter().find(|(section, key, _)| *section == in_section && key == name).map(|(_, _, at)| at.0.clone())
    };
    config.feed.filename_at = origin(Some("feed"), "filename").or_else(|| origin(Some("feed"), "filenames"));
    config.theme_at = origin(None, "theme");
    for (code, language) in &mut config.languages {
        let at = |key| crate::locate::find_key(src, Some(&format!("languages.{code}")), key);
        let at = |key| Some(at(key).map_or_else(|| Location::file(file), |(l, c)| Location::at(file, l, c)));
        (language.search_at, language.feeds_at) = (at("build_search_index"), at("feed_filenames"));
    }
    config.finish(src).map(|c| (c, warnings))
}

/// Zola's defaults where they differ from fanzine's, as a table that the author's keys are laid over.
fn defaults() -> Table {
    let mut config = Config { markdown: Markdown::ZOLA, ..Config::default() };
    config.highlight.enabled = false;
    // Zola colours code from one theme, written into it, base16-ocean-dark unless `highlight_theme` says.
    config.highlight.inline = true;
    config.highlight.light_theme = "base16-ocean.dark".into();
    config.feed.enabled = false;
    // Zola's feeds carry every page unless `feed_limit` says otherwise.
    config.feed.limit = i64::MAX as usize;
    match Value::try_from(&config) {
        Ok(Value::Table(table)) => table,
        _ => unreachable!("a config serialises to a table"),
    }
}

/// Where a key was read: its location and its name as the author wrote it (`markdown.highlight_code`).
type Origin = (Location, String);

struct Reader<'a> {
    file: &'static str,
    src: &'a str,
    out: Table,
    /// fanzine (section, key) set from the author's config, with where each came from.
    placed: Vec<(Option<&'static str>, String, Origin)>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn top(&mut self, key: &str, value: &Value) {
        if let Some(&(section, known)) = SECTIONS.iter().find(|(name, _)| *name == key) {
            match value {
                Value::Table(sub) => {
                    for (sub_key, sub_value) in sub {
                        self.key(Some(section), known.contains(&sub_key.as_str()), sub_key, sub_value);
                    }
                }
                _ => self.wrong_type(None, key, "a table"),
            }
        } else {
            // `taxonomies` is fanzine's key too, but Zola's entries may hold keys fanzine does not read (`lang`).
            self.key(None, TOP_KEYS.contains(&key) && key != "taxonomies", key, value);
        }
    }

    /// One key of the author's config: `known` if fanzine has it under the same name.
    fn key(&mut self, section: Option<&'static str>, known: bool, key: &str, value: &Value) {
        if known {
            return self.place(section, key, section, key, value.clone());
        }
        match rule(section, key) {
            Some(Rule::Rename(to_section, to_key)) => self.place(section, key, to_section, to_key, value.clone()),
            Some(Rule::Only(supported, hint)) => {
                if !supported(value) {
                    let message =
                        format!("`{}` = {value} is not supported by fanzine; it is ignored", dotted(section, key));
                    self.warn(section, key, message, hint);
                }
            }
            Some(Rule::Ignored(hint)) => {
                let message = format!("`{}` is not supported by fanzine; it is ignored", dotted(section, key));
                self.warn(section, key, message, hint);
            }
            Some(Rule::FeedFilenames) => self.feed_filenames(section, key, value),
            Some(Rule::HighlightTheme) => self.highlight_theme(section, key, value),
            Some(Rule::Taxonomies) => self.taxonomies(section, key, value),
            Some(Rule::Languages) => self.languages(section, key, value),
            None => self.unknown(section, key),
        }
    }

    /// Sets fanzine's `to_section.to_key` from the author's `section.key`, remembering where that is.
    fn place(
        &mut self,
        section: Option<&str>,
        key: &str,
        to_section: Option<&'static str>,
        to_key: &str,
        value: Value,
    ) {
        set(&mut self.out, to_section, to_key, value);
        let origin = (self.at(section, key), dotted(section, key));
        self.placed.retain(|(s, k, _)| !(*s == to_section && k == to_key));
        self.placed.push((to_section, to_key.to_string(), origin));
    }

    /// A feed under each name, as Zola makes them; the name picks the format (checked with the config).
    fn feed_filenames(&mut self, section: Option<&str>, key: &str, value: &Value) {
        let names: Option<Vec<&str>> = value.as_array().and_then(|a| a.iter().map(Value::as_str).collect());
        let Some(names) = names else {
            return self.wrong_type(section, key, "a list of file names, such as [\"atom.xml\"]");
        };
        if names.is_empty() {
            // No file names: Zola makes no feed.
            return self.place(section, key, Some("feed"), "enabled", Value::Boolean(false));
        }
        let names = names.into_iter().map(|n| Value::String(n.to_string())).collect();
        self.place(section, key, Some("feed"), "filenames", Value::Array(names));
    }

    /// Zola's taxonomies are fanzine's: each is placed as written (`tags`, fanzine's built-in taxonomy, takes its
    /// pagination from its entry), but the keys fanzine does not read, each of which gets a warning.
    fn taxonomies(&mut self, section: Option<&str>, key: &str, value: &Value) {
        if let Some(kept) = self.taxonomy_list(section, key, value) {
            self.place(section, key, None, "taxonomies", Value::Array(kept));
        }
    }

    /// A list of taxonomies as written but the keys fanzine does not read, each of which gets a warning; `None`
    /// (with an error) when it is not a list of tables.
    fn taxonomy_list(&mut self, section: Option<&str>, key: &str, value: &Value) -> Option<Vec<Value>> {
        let Some(list) = value.as_array() else {
            self.wrong_type(section, key, "a list of taxonomies");
            return None;
        };
        let mut kept = Vec::new();
        for entry in list {
            let Some(table) = entry.as_table() else {
                self.wrong_type(section, key, "a list of taxonomies, such as [{ name = \"categories\" }]");
                return None;
            };
            let mut table = table.clone();
            for (k, _) in table.clone().iter().filter(|(k, _)| !TAXONOMY_KEYS.contains(&k.as_str())) {
                table.remove(k);
                let message = format!("`{k}` of a taxonomy in `taxonomies` is not supported by fanzine; it is ignored");
                let hint = "a taxonomy's language is the table it is declared in; fanzine reads name, feed, render, paginate_by and paginate_path";
                self.warn(section, key, message, hint);
            }
            kept.push(Value::Table(table));
        }
        Some(kept)
    }

    /// Each `[languages.xx]` as written but the keys fanzine does not read (each gets a warning) and `translations`
    /// (which `trans()` reads from the file). The default language's own table is left out with a warning: its
    /// settings are the top-level ones.
    fn languages(&mut self, section: Option<&str>, key: &str, value: &Value) {
        let Some(table) = value.as_table() else { return self.wrong_type(section, key, "a table of languages") };
        let default = self.default_language();
        let mut kept = Table::new();
        for (code, options) in table {
            let Some(options) = options.as_table() else {
                return self.wrong_type(section, key, "a table of languages, such as [languages.fr]");
            };
            if *code == default {
                let message = format!("`[languages.{code}]` is the default language's; fanzine ignores it");
                self.warn(
                    section,
                    key,
                    message,
                    "set the default language's title, feeds and taxonomies at the top level",
                );
                continue;
            }
            let mut options = options.clone();
            options.remove("translations");
            if let Some(list) = options.get("taxonomies").cloned() {
                match self.taxonomy_list(section, key, &list) {
                    Some(kept) => options.insert("taxonomies".into(), Value::Array(kept)),
                    None => options.remove("taxonomies"),
                };
            }
            for k in options.clone().keys().filter(|k| !super::languages::KEYS.contains(&k.as_str())) {
                options.remove(k);
                let message = format!("`languages.{code}.{k}` is not supported by fanzine; it is ignored");
                let hint = "fanzine reads a language's title, description, taxonomies, generate_feeds, feed_filenames, build_search_index, search and translations";
                self.warn(section, key, message, hint);
            }
            if let Some(Value::Table(search)) = options.get_mut("search")
                && search.remove("index_format").is_some()
            {
                // Zola takes the format of every language's index from the site's `[search]`.
                let message = format!("`languages.{code}.search.index_format` is ignored, as in Zola 0.21");
                let hint = "every language's index has the format of the site's `[search] index_format`";
                self.warn(section, key, message, hint);
            }
            kept.insert(code.clone(), Value::Table(options));
        }
        self.place(section, key, None, "languages", Value::Table(kept));
    }

    /// `default_language` as written ("en" when it is not set), whichever of the two keys is read first.
    fn default_language(&self) -> String {
        let table: Option<Table> = toml::from_str(self.src).ok();
        let code = table.as_ref().and_then(|t| t.get("default_language")).and_then(Value::as_str);
        code.unwrap_or("en").to_string()
    }

    /// Zola shows one theme whatever the reader's colour scheme; fanzine has one for each, so both get it. `css`
    /// (classes and a style sheet of their own) is what fanzine does anyway.
    fn highlight_theme(&mut self, section: Option<&str>, key: &str, value: &Value) {
        let Some(name) = value.as_str() else { return self.wrong_type(section, key, "a theme's name, in quotes") };
        if name == "css" {
            return self.place(section, key, Some("highlight"), "inline", Value::Boolean(false));
        }
        let themes = crate::highlight::theme_names();
        let plain = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        match themes.iter().find(|t| plain(t) == plain(name)) {
            Some(theme) => {
                self.place(section, key, Some("highlight"), "light_theme", Value::String(theme.to_string()));
                self.place(section, key, Some("highlight"), "dark_theme", Value::String(theme.to_string()));
            }
            // One of the site's own, checked once they are read.
            None if find_key(self.src, Some("markdown"), "extra_syntaxes_and_themes").is_some() => {
                self.place(section, key, Some("highlight"), "light_theme", Value::String(name.to_string()));
                self.place(section, key, Some("highlight"), "dark_theme", Value::String(name.to_string()));
            }
            None => {
                let message = format!("highlight theme {name:?} is not one of fanzine's; its default themes are used");
                let hint = format!("fanzine's themes: {}", themes.join(", "));
                self.warn(section, key, message, &hint);
            }
        }
    }

    /// A key neither fanzine nor Zola knows: most likely a typo, which Zola itself would refuse.
    fn unknown(&mut self, section: Option<&str>, key: &str) {
        let message = format!("unknown key `{}` in {}; it is ignored", dotted(section, key), self.file);
        let zola_knows = match section {
            None => ZOLA_TOP_KEYS.contains(&key),
            Some(s) => ZOLA_SECTION_KEYS.iter().any(|(name, keys)| *name == s && keys.contains(&key)),
        };
        if zola_knows {
            let message = format!("`{}` is not supported by fanzine; it is ignored", dotted(section, key));
            return self.warn(
                section,
                key,
                message,
                "fanzine has no such setting; see the configuration in its README",
            );
        }
        let hint = match section {
            None => match did_you_mean(key, ZOLA_TOP_KEYS.iter().chain(TOP_KEYS).copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "put your own settings under [extra]".to_string(),
            },
            Some(_) => "neither fanzine nor Zola knows it".to_string(),
        };
        self.warn(section, key, message, &hint);
    }

    fn wrong_type(&mut self, section: Option<&str>, key: &str, expected: &str) {
        let message = format!("`{}` in {} must be {expected}", dotted(section, key), self.file);
        let d = Diagnostic::error(Some(self.at(section, key)), message);
        self.errors.push(d.with_hint("check the value's type: strings in double quotes, lists in [ ]"));
    }

    fn warn(&mut self, section: Option<&str>, key: &str, message: String, hint: &str) {
        self.warnings.push(Diagnostic::warning(Some(self.at(section, key)), message).with_hint(hint));
    }

    /// Where `section.key` is written: its `key =` line, or its own `[key]` header for a table.
    fn at(&self, section: Option<&str>, key: &str) -> Location {
        let header = |name: &str| {
            let mut offset = 0;
            for line in self.src.split_inclusive('\n') {
                let trimmed = line.trim_start();
                let inner = trimmed.strip_prefix('[').map(|h| h.trim_start_matches('['));
                if inner.is_some_and(|h| h.split([']', '.']).next().map(str::trim) == Some(name)) {
                    return Some(line_col(self.src, offset + line.len() - trimmed.len()));
                }
                offset += line.len();
            }
            None
        };
        let found = find_key(self.src, section, key).or_else(|| section.is_none().then(|| header(key)).flatten());
        match found {
            Some((line, column)) => Location::at(self.file, line, column),
            None => Location::file(self.file),
        }
    }
}

fn set(table: &mut Table, section: Option<&str>, key: &str, value: Value) {
    let target = match section {
        None => table,
        Some(s) => match table.entry(s).or_insert_with(|| Value::Table(Table::new())) {
            Value::Table(t) => t,
            other => {
                *other = Value::Table(Table::new());
                other.as_table_mut().expect("just made")
            }
        },
    };
    target.insert(key.to_string(), value);
}

fn lookup<'t>(table: &'t Table, section: Option<&str>, key: &str) -> Option<&'t Value> {
    match section {
        None => table.get(key),
        Some(s) => table.get(s)?.as_table()?.get(key),
    }
}

fn dotted(section: Option<&str>, key: &str) -> String {
    section.map_or(key.to_string(), |s| format!("{s}.{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> (Config, Vec<String>) {
        let (config, warnings) = parse("config.toml", src).unwrap_or_else(|e| panic!("{e:?}"));
        (config, warnings.iter().map(ToString::to_string).collect())
    }

    fn errors(src: &str) -> Vec<String> {
        parse("config.toml", src).map(|_| ()).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn other_languages_are_read_with_their_taxonomies_and_feeds() {
        let src = "base_url = \"https://z.org\"\n[languages.fr]\ntitle = \"Petit\"\ngenerate_feeds = true\n\
                   taxonomies = [{ name = \"tags\", feed = true, lang = \"fr\" }]\n\
                   [languages.fr.translations]\nhello = \"Bonjour\"\n[languages.en]\ntitle = \"Same\"\n";
        let (config, warnings) = read(src);
        assert_eq!(config.languages.keys().collect::<Vec<_>>(), ["fr"], "the default language is not another one");
        assert_eq!(config.languages["fr"].title.as_deref(), Some("Petit"));
        let taxonomies = &config.languages["fr"].taxonomies;
        assert_eq!((taxonomies.len(), taxonomies[0].name.as_str(), taxonomies[0].feed), (1, "tags", true));
        assert!(config.languages["fr"].generate_feeds);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`lang` of a taxonomy")), "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`[languages.en]` is the default language's")), "{warnings:?}");
    }

    #[test]
    fn a_languages_search_index_and_feed_names_are_its_own() {
        let src = "base_url = \"https://z.org\"\nbuild_search_index = true\n[search]\ninclude_path = true\n\
                   [languages.fr]\nbuild_search_index = true\nfeed_filenames = [\"rss.xml\"]\n\
                   [languages.fr.search]\ninclude_description = true\nindex_format = \"fuse_json\"\n\
                   [languages.de]\ntitle = \"Klein\"\n";
        let (config, warnings) = read(src);
        let (fr, de) = (&config.languages["fr"], &config.languages["de"]);
        assert!(fr.build_search_index && !de.build_search_index);
        assert!(fr.search.include_description && !fr.search.include_path, "its own fields, not the site's");
        assert_eq!(fr.search.index_format, crate::config::IndexFormat::ElasticlunrJavascript, "the site's format");
        assert_eq!((fr.feed_names(), de.feed_names()), (vec!["rss.xml".to_string()], vec!["atom.xml".to_string()]));
        assert_eq!(fr.search_at, Some(Location::at("config.toml", 6, 1)));
        assert_eq!(config.feed_names(Some("fr")), ["rss.xml"]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("`languages.fr.search.index_format` is ignored"), "{warnings:?}");
    }

    #[test]
    fn zola_keys_take_fanzine_names_and_zola_defaults() {
        let src = "base_url = \"https://z.org/blog\"\ntitle = \"Z\"\ndefault_language = \"fr\"\n\
                   generate_feeds = true\nfeed_limit = 5\nfeed_filenames = [\"rss.xml\"]\nauthor = \"Ann\"\n\
                   [markdown]\nhighlight_code = true\nhighlight_theme = \"base16-ocean-light\"\n\
                   render_emoji = true\n[extra]\nx = 1\n";
        let (config, warnings) = read(src);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!((config.title.as_str(), config.base_url.as_str()), ("Z", "https://z.org/blog"));
        assert_eq!((config.language.as_str(), config.author.as_deref()), ("fr", Some("Ann")));
        assert!(config.feed.enabled && config.highlight.enabled);
        assert_eq!((config.feed.limit, config.feed.filename.as_str()), (5, "rss.xml"));
        assert_eq!(config.feed.filename_at, Some(Location::at("config.toml", 6, 1)));
        assert_eq!(config.highlight.light_theme, "base16-ocean.light");
        assert_eq!(config.highlight.dark_theme, "base16-ocean.light");
        assert_eq!(config.markdown, Markdown { render_emoji: true, ..Markdown::ZOLA });
        assert_eq!(config.extra.get("x"), Some(&Value::Integer(1)));
        assert_eq!(config.file, "config.toml");
    }

    #[test]
    fn an_empty_zola_config_has_zolas_defaults() {
        let (config, _) = read("base_url = \"https://z.org\"\n");
        assert!(!config.feed.enabled && !config.highlight.enabled);
        assert!(!config.markdown.smart_punctuation && !config.markdown.bottom_footnotes);
        assert_eq!(config.feed.limit, i64::MAX as usize, "every page, as Zola");
    }

    #[test]
    fn each_unsupported_key_is_one_located_warning() {
        let src = "base_url = \"https://z.org\"\noutput_dir = \"t\"\ncompile_sass = false\ntitel = \"x\"\n\
                   generate_sitemap = false\n[search]\ninclude_path = true\n[markdown]\nlazy_async_image = true\n";
        let (_, warnings) = read(src);
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(warnings[0].starts_with("config.toml:2:1: warning: `output_dir` is not supported by fanzine"));
        assert!(warnings[1].starts_with("config.toml:4:1: warning: unknown key `titel` in config.toml"));
        assert!(warnings[1].contains("did you mean `title`?"), "{}", warnings[1]);
        assert!(warnings[2].starts_with("config.toml:5:1: warning: `generate_sitemap` = false is not supported"));
        assert!(warnings[3].starts_with("config.toml:9:1: warning: `markdown.lazy_async_image` = true"));
    }

    #[test]
    fn taxonomies_are_read_with_tags_for_their_pagination() {
        let src = "base_url = \"https://z.org\"\ntaxonomies = [{name = \"tags\", paginate_by = 5}, {name = \"series\", feed = true, lang = \"fr\"}]\n";
        let (config, warnings) = read(src);
        assert_eq!(config.taxonomies.len(), 2);
        assert_eq!((config.taxonomies[0].name.as_str(), config.taxonomies[0].paginate_by), ("tags", Some(5)));
        assert_eq!((config.taxonomies[1].name.as_str(), config.taxonomies[1].feed), ("series", true));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("config.toml:2:1: warning: `lang` of a taxonomy"), "{}", warnings[0]);
    }

    #[test]
    fn every_feed_of_feed_filenames_is_made_and_the_old_key_is_read() {
        let (config, warnings) = read("base_url = \"https://z.org\"\nfeed_filenames = [\"rss.xml\", \"atom.xml\"]\n");
        assert_eq!(config.feed.filenames, ["rss.xml", "atom.xml"]);
        assert_eq!(config.feed.filename, "rss.xml", "feed_url names the first");
        assert_eq!(warnings, Vec::<String>::new());
        let (config, warnings) = read("base_url = \"https://z.org\"\nfeed_filename = \"rss.xml\"\n");
        assert_eq!((config.feed.names(), warnings.len()), (&["rss.xml".to_string()][..], 0));
        let errors = errors("base_url = \"https://z.org\"\nfeed_filenames = [\"atom.xml\", \"index.xml\"]\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("config.toml:2:1: error: feed filename \"index.xml\" names no feed format"));
    }

    #[test]
    fn a_key_of_the_wrong_type_is_a_located_error() {
        let src = "base_url = \"https://z.org\"\ngenerate_feeds = \"yes\"\ntitle = 3\nfeed_filenames = \"a.xml\"\n\
                   [markdown]\nsmart_punctuation = 1\n";
        let errors = errors(src);
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].starts_with("config.toml:4:1: error: `feed_filenames` in config.toml must be a list"));
        let rest = errors[1..].join("\n");
        assert!(rest.contains("config.toml:2:1: error: `generate_feeds` in config.toml: invalid type"), "{rest}");
        assert!(rest.contains("config.toml:3:1: error: `title` in config.toml: invalid type"), "{rest}");
        assert!(rest.contains("config.toml:6:1: error: `markdown.smart_punctuation` in config.toml"), "{rest}");
    }

    #[test]
    fn bad_values_are_reported_in_the_zola_file() {
        let errors = errors("title = \"x\"\nbase_url = \"example.org\"\n");
        assert!(errors[0].starts_with("config.toml:2:1: error: invalid base_url"), "{errors:?}");
        let values = super::tests::errors("[slugify]\npaths = \"onn\"\n[link_checker]\ninternal_level = \"warning\"\n");
        assert_eq!(values.len(), 2, "one error a key, not a second one about its type: {values:#?}");
        assert!(values[0].starts_with("config.toml:2:1: error: [slugify] paths = \"onn\" is not one of"));
        assert!(values[0].contains("did you mean \"on\"?"), "{values:?}");
        assert!(values[1].starts_with("config.toml:4:1: error: [link_checker] internal_level = \"warning\""));
    }

    #[test]
    fn the_corpora_configs_read_with_warnings_only_for_what_fanzine_lacks() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zola-configs");
        for name in ["zola-docs.toml", "zola-test-site.toml"] {
            let src = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            let (config, warnings) = parse("config.toml", &src).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(config.base_url.starts_with("https://"), "{name}");
            for warning in &warnings {
                // The key a warning names is never one fanzine reads.
                let key = warning.message.split('`').nth(1).unwrap_or_default();
                let (section, leaf) = key.split_once('.').map_or((None, key), |(s, k)| (Some(s), k));
                let known = match section {
                    None => TOP_KEYS.contains(&leaf),
                    Some(s) => SECTIONS.iter().any(|(n, keys)| *n == s && keys.contains(&leaf)),
                };
                assert!(!known, "{name}: {warning}");
            }
        }
    }
}
