//! Zola's functions that look at the site: `get_page`, `get_section`, `get_taxonomy`, `get_taxonomy_term`,
//! `get_taxonomy_url` and `get_url`, returning the same objects templates get as `page`, `section` and `term`.
//!
//! Tera keeps its functions as long as the templates live, and the preview keeps the templates across builds while
//! the site changes under them. So the functions are registered once and read the site from a cell they share
//! ([`Current`]), which each render fills with its own site ([`super::Templates::set_site`]) before the first file.
//! Every function calls [`super::reads::note`]: what it returns depends on more than the rendered file's own
//! variables, so the preview must not reuse that file's last copy.
use super::reads;
use crate::error::did_you_mean;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tera::{Result, Tera};

/// What the functions know of the site, for one render.
#[derive(Default)]
pub struct SiteData {
    /// Without a trailing slash.
    pub base_url: String,
    pub language: String,
    /// The config's other languages (`[languages.fr]`), which a `lang` argument may name.
    pub other_languages: Vec<String>,
    /// Where `get_url(…, cachebust=true)` looks for the file: the site's `static/`, then its theme's.
    pub static_dirs: Vec<PathBuf>,
    /// Each page and section by its path under `content/` (`blog/post.md`, `blog/_index.md`): its permalink.
    pub permalinks: BTreeMap<String, String>,
    /// Each page's full view, by its path under `content/`.
    pub pages: BTreeMap<String, Value>,
    pub sections: BTreeMap<String, SectionData>,
    pub taxonomies: Vec<TaxonomyData>,
    /// How term names become slugs, to find a term by the name a template gives.
    pub slugify: crate::slugify::Strategy,
}

pub struct SectionData {
    pub full: Value,
    /// Without its pages and subsections (`metadata_only=true`).
    pub metadata: Value,
}

pub struct TaxonomyData {
    pub name: String,
    /// The language whose pages it lists: the site's, or another's (`[languages.xx] taxonomies`).
    pub lang: String,
    /// Zola's object: `kind`, `lang`, `permalink`, `items`.
    pub value: Value,
    /// Each term's name, slug and object (`name`, `slug`, `path`, `permalink`, `pages`, `page_count`).
    pub terms: Vec<(String, String, Value)>,
}

/// The site the functions see; replaced at the start of each render.
pub type Current = Arc<RwLock<Arc<SiteData>>>;

pub fn register(tera: &mut Tera, current: &Current) {
    let with = |f: fn(&SiteData, &HashMap<String, Value>) -> Result<Value>| {
        let current = current.clone();
        move |args: &HashMap<String, Value>| {
            reads::note();
            let site = current.read().unwrap_or_else(|p| p.into_inner()).clone();
            f(&site, args)
        }
    };
    tera.register_function("get_page", with(get_page));
    tera.register_function("get_section", with(get_section));
    tera.register_function("get_taxonomy", with(get_taxonomy));
    tera.register_function("get_taxonomy_term", with(get_taxonomy_term));
    tera.register_function("get_taxonomy_url", with(get_taxonomy_url));
    tera.register_function("get_url", with(get_url));
}

fn get_page(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let path = content_path(args)?;
    let translated = in_language(site, &path, args)?;
    match site.pages.get(&translated) {
        Some(page) => Ok(page.clone()),
        None if translated != path => Err(not_translated("page", &path, &translated, args)),
        None => Err(not_found("page", &path, site.pages.keys())),
    }
}

fn get_section(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let path = content_path(args)?;
    let translated = in_language(site, &path, args)?;
    let metadata_only = flag(args, "metadata_only", false)?;
    match site.sections.get(&translated) {
        Some(section) if metadata_only => Ok(section.metadata.clone()),
        Some(section) => Ok(section.full.clone()),
        None if translated != path => Err(not_translated("section", &path, &translated, args)),
        None => Err(not_found("section", &path, site.sections.keys())),
    }
}

/// The file of `path`'s version in the `lang` argument's language, as Zola names it: `blog/post.md` in French is
/// `blog/post.fr.md`, and in the site's own language (or with no `lang`) the path itself. A language the config
/// does not declare is an error, as in Zola.
fn in_language(site: &SiteData, path: &str, args: &HashMap<String, Value>) -> Result<String> {
    let Some(lang) = optional_string(args, "lang")? else { return Ok(path.to_string()) };
    if lang == site.language {
        return Ok(path.to_string());
    }
    if !site.other_languages.contains(&lang) {
        let mut known = vec![site.language.as_str()];
        known.extend(site.other_languages.iter().map(String::as_str));
        return Err(format!("no language `{lang}` in the config (it has {})", known.join(", ")).into());
    }
    Ok(match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{lang}.md"),
        None => format!("{path}.{lang}"),
    })
}

/// "no page `blog/post.fr.md`, the `fr` version of `blog/post.md`": the file is there, its translation is not.
fn not_translated(what: &str, path: &str, translated: &str, args: &HashMap<String, Value>) -> tera::Error {
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or_default();
    format!("no {what} `{translated}`, the `{lang}` version of `{path}` (write that file to translate it)").into()
}

fn get_taxonomy(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let required = flag(args, "required", true)?;
    match taxonomy(site, args, required)? {
        Some(taxonomy) => Ok(taxonomy.value.clone()),
        None => Ok(Value::Null),
    }
}

fn get_taxonomy_term(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let required = flag(args, "required", true)?;
    let Some(taxonomy) = taxonomy(site, args, required)? else { return Ok(Value::Null) };
    let name = string(args, "term")?;
    let include_pages = flag(args, "include_pages", true)?;
    match term(site, taxonomy, &name, required)? {
        Some(value) if include_pages => Ok(value.clone()),
        // Zola's `include_pages=false`: the term without its pages, `page_count` still counting them.
        Some(value) => {
            let mut value = value.clone();
            if let Some(pages) = value.get_mut("pages") {
                *pages = Value::Array(Vec::new());
            }
            Ok(value)
        }
        None => Ok(Value::Null),
    }
}

fn get_taxonomy_url(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let required = flag(args, "required", true)?;
    let Some(taxonomy) = taxonomy(site, args, required)? else { return Ok(Value::Null) };
    let name = string(args, "name")?;
    match term(site, taxonomy, &name, required)? {
        Some(value) => Ok(value.get("permalink").cloned().unwrap_or(Value::Null)),
        None => Ok(Value::Null),
    }
}

/// `get_url(path="@/blog/post.md#part")` is that page's permalink; any other path is joined to `base_url`
/// (after `/{lang}` for another language), with a `/` added by `trailing_slash=true` and `?h=` and a hash of the
/// static file by `cachebust=true`. A full URL (`https://…`) is returned as it is.
fn get_url(site: &SiteData, args: &HashMap<String, Value>) -> Result<Value> {
    let path = string(args, "path")?;
    if let Some(internal) = path.strip_prefix("@/") {
        let (file, anchor) = internal.split_once('#').map_or((internal, None), |(f, a)| (f, Some(a)));
        let translated = in_language(site, file, args)?;
        let Some(permalink) = site.permalinks.get(&translated) else {
            if translated != file {
                return Err(not_translated("page or section", file, &translated, args));
            }
            return Err(not_found("page or section", file, site.permalinks.keys()));
        };
        return Ok(Value::String(match anchor {
            Some(anchor) => format!("{permalink}#{anchor}"),
            None => permalink.clone(),
        }));
    }
    if path.contains("://") {
        return Ok(Value::String(path));
    }
    let mut url = site.base_url.clone();
    if let Some(lang) = args.get("lang").and_then(Value::as_str)
        && lang != site.language
    {
        url = format!("{url}/{lang}");
    }
    let file = path.trim_start_matches('/');
    url = format!("{url}/{file}");
    if flag(args, "trailing_slash", false)? && !url.ends_with('/') {
        url.push('/');
    }
    if flag(args, "cachebust", false)? {
        let found = site.static_dirs.iter().map(|dir| dir.join(file)).find(|p| p.is_file());
        let Some(found) = found else {
            return Err(format!("cannot cachebust `{file}`, which is not a file of static/").into());
        };
        let bytes = std::fs::read(&found).map_err(|e| format!("cannot read `{file}` ({e})"))?;
        url = format!("{url}?h={}", &hash(&bytes)[..20]);
    }
    Ok(Value::String(url))
}

/// The SHA-256 of a file in hex, as Zola's `cachebust` uses the first 20 digits of.
fn hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn taxonomy<'a>(site: &'a SiteData, args: &HashMap<String, Value>, required: bool) -> Result<Option<&'a TaxonomyData>> {
    let kind = string(args, "kind")?;
    // Each language has its own taxonomies, as in Zola: `lang` picks one, the site's by default.
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or(&site.language);
    match site.taxonomies.iter().find(|t| t.name == kind && t.lang == lang) {
        Some(t) => Ok(Some(t)),
        None if !required => Ok(None),
        None => {
            let known = site.taxonomies.iter().filter(|t| t.lang == lang).map(|t| &t.name);
            Err(not_found("taxonomy", &kind, known))
        }
    }
}

fn term<'a>(site: &SiteData, taxonomy: &'a TaxonomyData, name: &str, required: bool) -> Result<Option<&'a Value>> {
    let slug = crate::slugify::path(name, site.slugify);
    match taxonomy.terms.iter().find(|(n, s, _)| n == name || *s == slug) {
        Some((_, _, value)) => Ok(Some(value)),
        None if !required => Ok(None),
        None => {
            let what = format!("term of `{}`", taxonomy.name);
            Err(not_found(&what, name, taxonomy.terms.iter().map(|(n, _, _)| n)))
        }
    }
}

/// The `path` argument of a page or section: a path under `content/`, or the entry of `section.subsections`.
fn content_path(args: &HashMap<String, Value>) -> Result<String> {
    if let Some(entry) = args.get("path").and_then(|v| v.get("relative_path")).and_then(Value::as_str) {
        return Ok(entry.to_string());
    }
    let path = string(args, "path")?;
    Ok(path.trim_start_matches("@/").trim_start_matches('/').to_string())
}

fn string(args: &HashMap<String, Value>, key: &str) -> Result<String> {
    match args.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("`{key}` must be a string, not {other}").into()),
        None => Err(format!("the `{key}` argument is missing").into()),
    }
}

fn optional_string(args: &HashMap<String, Value>, key: &str) -> Result<Option<String>> {
    match args.get(key) {
        None => Ok(None),
        Some(_) => string(args, key).map(Some),
    }
}

fn flag(args: &HashMap<String, Value>, key: &str, default: bool) -> Result<bool> {
    match args.get(key) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!("`{key}` must be true or false, not {other}").into()),
    }
}

/// "no page `blog/frist.md`; did you mean `blog/first.md`?" The missing name is quoted with backticks so that the
/// error can be placed at the call that named it; the function is named by the error's hint. (No ": " in any of
/// these messages: the template error shows what follows the last one.)
fn not_found<'a>(what: &str, name: &str, known: impl IntoIterator<Item = &'a String> + Clone) -> tera::Error {
    let suggestion = did_you_mean(name, known.into_iter().map(String::as_str));
    let mut message = format!("no {what} `{name}`");
    match suggestion {
        Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
        None if what.contains("page") || what == "section" => {
            message.push_str(" (paths are relative to content/, such as `blog/post.md` or `blog/_index.md`)")
        }
        None => {}
    }
    message.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteData {
        let mut site =
            SiteData { base_url: "https://example.com".into(), language: "en".into(), ..SiteData::default() };
        site.permalinks.insert("blog/first.md".into(), "https://example.com/blog/first/".into());
        site.pages.insert("blog/first.md".into(), serde_json::json!({"title": "First"}));
        site
    }

    fn call(f: fn(&SiteData, &HashMap<String, Value>) -> Result<Value>, args: Value) -> Result<Value> {
        let args: HashMap<String, Value> = serde_json::from_value(args).unwrap();
        f(&site(), &args)
    }

    #[test]
    fn urls_are_zolas() {
        let url = |args| call(get_url, args).unwrap();
        assert_eq!(url(serde_json::json!({"path": "@/blog/first.md"})), "https://example.com/blog/first/");
        assert_eq!(url(serde_json::json!({"path": "@/blog/first.md#x"})), "https://example.com/blog/first/#x");
        assert_eq!(url(serde_json::json!({"path": "style.css"})), "https://example.com/style.css");
        assert_eq!(url(serde_json::json!({"path": "/a/b"})), "https://example.com/a/b");
        assert_eq!(url(serde_json::json!({"path": "blog", "trailing_slash": true})), "https://example.com/blog/");
        assert_eq!(url(serde_json::json!({"path": "x", "lang": "fr"})), "https://example.com/fr/x");
        assert_eq!(url(serde_json::json!({"path": "https://other.org/"})), "https://other.org/");
    }

    #[test]
    fn a_missing_page_suggests_the_nearest() {
        let e = call(get_url, serde_json::json!({"path": "@/blog/frist.md"})).unwrap_err().to_string();
        assert_eq!(e, "no page or section `blog/frist.md`; did you mean `blog/first.md`?");
        let e = call(get_page, serde_json::json!({"path": "nothing/like/it.md"})).unwrap_err().to_string();
        assert!(e.contains("paths are relative to content/"), "{e}");
        assert_eq!(call(get_page, serde_json::json!({"path": "blog/first.md"})).unwrap()["title"], "First");
    }

    #[test]
    fn the_sha256_is_zolas_cachebust() {
        // `body{}\n`, whose hash Zola 0.21 printed as ?h=2708d73bf31c36cdfa1a.
        assert_eq!(&hash(b"body{}\n")[..20], "2708d73bf31c36cdfa1a");
    }
}
