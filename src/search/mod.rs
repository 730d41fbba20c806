//! The search index of `build_search_index = true`: what Zola 0.21 writes, so that a Zola theme's search box works
//! unchanged, and what fanzine's own theme searches with.
//!
//! The index is elasticlunr's serialised index, made by the `elasticlunr-rs` crate (Zola's own choice, so the
//! tokens, the stemmer and the JSON are the ones a Zola theme's script expects), or, for `index_format =
//! "fuse_…"`, a plain list of documents. Beside an elasticlunr index goes `elasticlunr.min.js`: fanzine's own
//! small script with the part of elasticlunr's browser API that Zola themes call (see `elasticlunr.js`).
//!
//! Which documents, as Zola: every section (but one with `redirect_to`) and every rendered page, unless its
//! `in_search_index = false` or its section's; drafts only with `--drafts`, as they are only then in the site.
//! Each language's index holds that language's only: the site's, and each `[languages.xx]` with
//! `build_search_index` when the site builds its own (Zola 0.21 writes none of them otherwise).
mod text;

use crate::config::{Config, IndexFormat, Search};
use crate::error::{Diagnostic, Location};
use crate::site::{Page, Site};
use elasticlunr::{Index, IndexBuilder};
use serde::Serialize;
use std::borrow::Cow;

pub use text::clean;

/// fanzine's own implementation of elasticlunr's browser API, served where Zola serves elasticlunr's.
pub const ELASTICLUNR_JS: &str = include_str!("elasticlunr.js");
/// The script and stylesheet of fanzine's own theme's search box, written for sites that are not Zola's.
pub const SEARCH_JS: &str = include_str!("search.js");
pub const SEARCH_CSS: &str = include_str!("search.css");

/// One document of the index: a section's list page or a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// RFC 3339; sections have none.
    pub date: Option<String>,
    pub path: &'a str,
    /// Read back when kept on disk ([`crate::markdown::Html::text`]): an index holds every page's text anyway.
    pub html: Cow<'a, str>,
}

impl<'a> Document<'a> {
    fn of(page: &'a Page, date: bool) -> Result<Document<'a>, Diagnostic> {
        let front = &page.source.front;
        let html = page.content.html.text_of(&page.source.path)?;
        Ok(Document {
            url: &page.permalink,
            title: &front.title,
            description: front.description.as_deref(),
            date: page.date.filter(|_| date).map(|d| d.rfc3339()),
            path: &page.path,
            html,
        })
    }
}

/// The files the indexes make, by output path: the index of the site's language, then of each other language with
/// `build_search_index` (each of its own pages and sections, stemmed for it, with its own `[search]` fields), and,
/// for elasticlunr's formats, the script that reads them. Empty unless the site's `build_search_index`: Zola
/// writes no language's index then.
pub fn files(site: &Site) -> Result<Vec<(String, String)>, Diagnostic> {
    let config = &site.config;
    let format = config.search.index_format;
    let mut files = Vec::new();
    for (lang, path) in indexes(config) {
        let (code, search) = match lang {
            None => (config.language.as_str(), &config.search),
            Some(code) => (code, &config.languages[code].search),
        };
        let documents = documents(site, lang)?;
        let index = match format.is_elasticlunr() {
            true => elasticlunr(code, search, &documents).ok_or_else(|| unsupported_language(config, lang))?.to_json(),
            false => fuse(search, &documents),
        };
        let index = match format {
            IndexFormat::ElasticlunrJavascript | IndexFormat::FuseJavascript => format!("window.searchIndex = {index}"),
            IndexFormat::ElasticlunrJson | IndexFormat::FuseJson => index,
        };
        files.push((path, index));
    }
    let own = paths(config).into_iter().skip(files.len());
    files.extend(own.map(|path| {
        let text = match path.as_str() {
            "elasticlunr.min.js" => ELASTICLUNR_JS,
            "search.js" => SEARCH_JS,
            _ => SEARCH_CSS,
        };
        (path, text.to_string())
    }));
    Ok(files)
}

/// Each index to build, by language (`None`: the site's) with its output path, the site's first.
fn indexes(config: &Config) -> Vec<(Option<&str>, String)> {
    if !config.build_search_index {
        return Vec::new();
    }
    let format = config.search.index_format;
    let others = config.languages.iter().filter(|(_, l)| l.build_search_index).map(|(code, _)| Some(code.as_str()));
    let langs = std::iter::once(None).chain(others);
    langs.map(|lang| (lang, format.filename(lang.unwrap_or(&config.language)))).collect()
}

/// The output paths [`files`] makes, for the render's plan: the indexes first, then fanzine's own files.
pub fn paths(config: &Config) -> Vec<String> {
    if !config.build_search_index {
        return Vec::new();
    }
    let mut paths: Vec<String> = indexes(config).into_iter().map(|(_, path)| path).collect();
    if config.search.index_format.is_elasticlunr() {
        paths.push("elasticlunr.min.js".to_string());
    }
    // A Zola site has its own theme's search; fanzine's own theme's files would only stand in its way.
    if !config.is_zola() {
        paths.extend(["search.js".to_string(), "search.css".to_string()]);
    }
    paths
}

/// No stemmer for the site's language (`lang` `None`), reported at its key, or for another language with
/// `build_search_index`, reported there.
fn unsupported_language(config: &Config, lang: Option<&str>) -> Diagnostic {
    let supported: Vec<String> = elasticlunr::lang::languages().iter().map(|l| l.code()).collect();
    let (code, key, at) = match lang {
        None => {
            let key = if config.is_zola() { "default_language" } else { "language" };
            (config.language.as_str(), key.to_string(), Location::file(config.file))
        }
        Some(code) => {
            let at = config.languages[code].search_at.clone().unwrap_or_else(|| Location::file(config.file));
            (code, format!("[languages.{code}] build_search_index"), at)
        }
    };
    let fix = match lang {
        None => "set build_search_index = false, or use one of them",
        Some(_) => "remove this language's build_search_index, or use one of them",
    };
    Diagnostic::error(Some(at), format!("no search index can be built for the language {code:?} (`{key}`)"))
        .with_hint(format!("the search index knows {}; {fix}", supported.join(", ")))
}

/// The documents of the index of the language `lang` (`None`: the site's), sections first (in folder order), then
/// pages (in the site's order): that language's only, as Zola indexes each language apart.
pub fn documents<'a>(site: &'a Site, lang: Option<&str>) -> Result<Vec<Document<'a>>, Diagnostic> {
    let config = &site.config;
    let date = lang.map_or(&config.search, |code| &config.languages[code].search).include_date;
    let by_folder = crate::site::sections::by_folder(&site.sections);
    let indexed = |s: Option<usize>| s.is_none_or(|s| site.sections[s].index.source.front.in_search_index);
    let sections = (site.sections.iter())
        .filter(|s| s.lang() == lang)
        .filter(|s| s.index.source.front.in_search_index && s.front().redirect_to.is_none())
        .map(|s| Ok(Document { date: None, ..Document::of(&s.index, false)? }));
    let pages = (site.pages.iter())
        .filter(|p| p.source.lang.as_deref() == lang)
        .filter(|p| p.source.front.render && p.source.front.in_search_index)
        .filter(|p| indexed(crate::site::sections::owner(p.source.lang.as_deref(), &p.source.section, &by_folder)))
        .map(|p| Document::of(p, date));
    sections.chain(pages).collect()
}

/// The fields of the index, in Zola's order: title, description, date, path, body, as `[search]` includes them.
fn fields(search: &Search) -> Vec<&'static str> {
    let included = [
        (search.include_title, "title"),
        (search.include_description, "description"),
        (search.include_date, "date"),
        (search.include_path, "path"),
        (search.include_content, "body"),
    ];
    included.into_iter().filter(|(on, _)| *on).map(|(_, name)| name).collect()
}

/// A document's value for each field of [`fields`]. A page without a date has no date value, as in Zola, which
/// shifts its later values: Zola's behaviour, kept so the index is the same.
fn values(search: &Search, doc: &Document) -> Vec<String> {
    let mut row = Vec::new();
    if search.include_title {
        row.push(doc.title.to_string());
    }
    if search.include_description {
        row.push(doc.description.unwrap_or_default().to_string());
    }
    if search.include_date
        && let Some(date) = &doc.date
    {
        row.push(date.clone());
    }
    if search.include_path {
        row.push(doc.path.to_string());
    }
    if search.include_content {
        row.push(clean(&doc.html, search.truncate_content_length));
    }
    row
}

/// The path field's words: split at spaces, `-` and `/`, lower-cased, as Zola splits them.
fn path_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().to_lowercase())
        .collect()
}

/// The elasticlunr index of the documents, for a language elasticlunr-rs knows (`None` otherwise).
pub fn elasticlunr(language: &str, search: &Search, documents: &[Document]) -> Option<Index> {
    let mut builder = IndexBuilder::with_language(elasticlunr::lang::from_code(language)?);
    for field in fields(search) {
        builder = match field {
            "path" => builder.add_field_with_tokenizer(field, Box::new(path_tokens)),
            _ => builder.add_field(field),
        };
    }
    let mut index = builder.build();
    for doc in documents {
        index.add_doc(doc.url, values(search, doc));
    }
    Some(index)
}

/// Fuse.js's list of documents: each with its URL and the fields `[search]` includes (`null` for the others).
fn fuse(search: &Search, documents: &[Document]) -> String {
    /// A field `[search]` leaves out is left out of the item, as in Zola.
    #[derive(Serialize)]
    struct Item<'a> {
        url: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<&'a str>,
    }
    let items: Vec<Item> = (documents.iter())
        .map(|doc| Item {
            url: doc.url,
            title: search.include_title.then_some(doc.title),
            description: search.include_description.then(|| doc.description.unwrap_or_default()),
            body: search.include_content.then(|| clean(&doc.html, None)),
            path: search.include_path.then_some(doc.path),
        })
        .collect();
    serde_json::to_string(&items).expect("strings serialise")
}

#[cfg(test)]
mod tests;
