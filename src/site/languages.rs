//! A Zola site in several languages, as Zola 0.21 builds one: each language (`[languages.fr]`) has its own root
//! section at `/fr/` (implied when there is no `_index.fr.md`), its own sections and lists, and a page's versions
//! (`first.md`, `first.fr.md`) know each other as its `translations`.
use super::Page;
use crate::config::Config;
use crate::content::SourcePage;

/// Adds the root section of each other language that has no `_index.xx.md`, keeping `indexes` sorted by language
/// (the default's first) and folder.
pub fn implied_roots(config: &Config, indexes: &mut Vec<SourcePage>) {
    for code in config.languages.keys() {
        if !indexes.iter().any(|s| s.section.is_empty() && s.lang.as_ref() == Some(code)) {
            indexes.push(super::sections::implied_root(Some(code)));
        }
    }
    indexes.sort_by(|a, b| (&a.lang, &a.section).cmp(&(&b.lang, &b.section)));
}

/// Where a page or section of the language `lang` is: under `/lang/` for another language than the default.
pub fn localized(lang: Option<&str>, path: String) -> String {
    match lang {
        Some(code) => format!("/{code}{path}"),
        None => path,
    }
}

/// Zola's key for the versions of one page: its source path without the language code (`content/blog/first`
/// for `content/blog/first.md` and `content/blog/first.fr.md`).
pub fn canonical(path: &str, lang: Option<&str>) -> String {
    let path = path.strip_suffix(".md").unwrap_or(path);
    match lang {
        Some(code) => path.strip_suffix(&format!(".{code}")).unwrap_or(path).to_string(),
        None => path.to_string(),
    }
}

/// The language of a page: its own, or the site's.
pub fn of<'a>(config: &'a Config, page: &'a Page) -> &'a str {
    page.source.lang.as_deref().unwrap_or(&config.language)
}
