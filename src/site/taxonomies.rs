//! The taxonomies the config declares besides `tags` (Zola's `taxonomies = [{ name = "categories" }]`): for each,
//! its terms, grouped by slug, with the pages that list them. Tags keep their own model ([`super::Tag`]), which
//! each term reuses, so that a term's page and feed are made as a tag's are.
//!
//! On a site in several languages each language has its own taxonomies, as in Zola: a page's terms join those of
//! its language (the default's, or those declared under `[languages.xx] taxonomies`, `tags` included, which are
//! listed under `/xx/`).
use super::{Page, Paging, Tag};
use crate::config::Config;
use crate::error::{Diagnostic, Location, Report};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct Taxonomy {
    /// As declared in the config.
    pub name: String,
    /// The folder of its pages: `/{slug}/` lists the terms, `/{slug}/{term}/` is a term's page.
    pub slug: String,
    pub feed: bool,
    pub render: bool,
    /// Pages per term page (`paginate_by`, a positive number); `None`: a term's page lists all its pages.
    pub paginate_by: Option<usize>,
    /// The folder of a term's later pages, `page` unless the config says otherwise.
    pub paginate_path: String,
    /// Sorted by slug.
    pub terms: Vec<Tag>,
    /// Another language's (`[languages.xx] taxonomies`), whose pages are under `/xx/`; `None`: the default's.
    pub lang: Option<String>,
}

impl Taxonomy {
    pub fn path(&self) -> String {
        super::languages::localized(self.lang.as_deref(), format!("/{}/", self.slug))
    }

    pub fn term_path(&self, term: &Tag) -> String {
        super::languages::localized(self.lang.as_deref(), format!("/{}/{}/", self.slug, term.slug))
    }

    /// How a term's page is split, as a section's list is: `{term}/{paginate_path}/{n}/` for page `n`. `path` is
    /// the term's, from [`Taxonomy::term_path`].
    pub fn term_paging<'a>(&'a self, term: &Tag, path: &'a str) -> Paging<'a> {
        Paging { path, paginate_path: &self.paginate_path, per: self.paginate_by, total: term.pages.len() }
    }
}

/// Every declared taxonomy with its terms: the default language's, then each other language's in the config's
/// order. A page naming under `[taxonomies]` a taxonomy its language does not declare is an error at that line, as
/// in Zola (which stops there); a term with no letters or digits has no URL.
pub fn collect(config: &Config, pages: &[Page], report: &mut Report) -> Vec<Taxonomy> {
    let mut all = own(config, pages, report);
    for (code, language) in &config.languages {
        let mut theirs: Vec<Taxonomy> = language.taxonomies.iter().map(|t| declared(config, t, Some(code))).collect();
        let names: Vec<&str> = language.taxonomies.iter().map(|t| t.name.as_str()).collect();
        terms(config, pages, Some(code), &names, &mut theirs, report);
        all.extend(theirs);
    }
    all
}

fn declared(config: &Config, t: &crate::config::Taxonomy, lang: Option<&str>) -> Taxonomy {
    Taxonomy {
        name: t.name.clone(),
        slug: crate::slugify::path(&t.name, config.slugify.taxonomies),
        feed: t.feed,
        render: t.render,
        // Zola paginates only by a positive number.
        paginate_by: t.paginate_by.filter(|&n| n > 0),
        paginate_path: t.paginate_path.clone().unwrap_or_else(|| "page".to_string()),
        terms: Vec::new(),
        lang: lang.map(str::to_string),
    }
}

/// The default language's taxonomies, with the pages of that language.
fn own(config: &Config, pages: &[Page], report: &mut Report) -> Vec<Taxonomy> {
    let strategy = config.slugify.taxonomies;
    let mut taxonomies: Vec<Taxonomy> = config
        .taxonomies
        .iter()
        // Tags are fanzine's own (`Site::tags`); their entry only splits their pages (`Site::tag_paging`).
        .filter(|t| t.name != "tags")
        .map(|t| declared(config, t, None))
        .collect();
    let declared: Vec<String> = taxonomies.iter().map(|t| t.name.clone()).chain(["tags".to_string()]).collect();
    let declared: Vec<&str> = declared.iter().map(String::as_str).collect();
    // Posts naming a series make one even where the config declares none: a series is fanzine's own feature.
    let series = super::series::TAXONOMY;
    if !declared.contains(&series)
        && pages.iter().any(|p| p.source.front.taxonomies.get(series).is_some_and(|t| !t.is_empty()))
    {
        taxonomies.push(Taxonomy {
            name: series.to_string(),
            slug: crate::slugify::path(series, strategy),
            feed: config.feed.enabled,
            render: true,
            paginate_by: None,
            paginate_path: "page".to_string(),
            terms: Vec::new(),
            lang: None,
        });
    }
    terms(config, pages, None, &declared, &mut taxonomies, report);
    taxonomies
}

/// Fills `taxonomies` with the terms of the pages in the language `lang`, reporting each taxonomy a page names
/// that is not `declared` for its language.
fn terms(
    config: &Config,
    pages: &[Page],
    lang: Option<&str>,
    declared: &[&str],
    taxonomies: &mut [Taxonomy],
    report: &mut Report,
) {
    let strategy = config.slugify.taxonomies;
    let zola = config.is_zola();
    let mut terms: Vec<BTreeMap<String, Tag>> = taxonomies.iter().map(|_| BTreeMap::new()).collect();
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.source.lang.as_deref() == lang) {
        let front = &page.source.front;
        // The default language's tags are built in; another language's are a taxonomy it declares, or none.
        let tags = (lang.is_some() && !front.tags.is_empty()).then(|| ("tags".to_string(), front.tags_at.clone()));
        let tags = tags.map(|(name, at)| (name, at.unwrap_or_else(|| Location::file(&page.source.path))));
        for (name, at) in front.taxonomies_at.iter().chain(tags.iter().map(|(n, at)| (n, at))) {
            if !declared.contains(&name.as_str()) {
                report.push(undeclared(config, lang, name, at, declared));
            }
        }
        for (taxonomy, found) in taxonomies.iter().zip(&mut terms) {
            let Some(names) = terms_of(page, &taxonomy.name, zola) else { continue };
            for name in names {
                let slug = crate::slugify::path(name, strategy);
                if slug.is_empty() {
                    let at = page.source.front.taxonomies_at.get(&taxonomy.name).cloned();
                    let at = at.or_else(|| front.tags_at.clone().filter(|_| taxonomy.name == "tags"));
                    let at = at.unwrap_or_else(|| Location::file(&page.source.path));
                    report.push(
                        Diagnostic::error(
                            Some(at),
                            format!("the {} term {name:?} has no letters or digits, so it has no URL", taxonomy.name),
                        )
                        .with_hint("spell the term with at least one letter or digit, or remove it"),
                    );
                    continue;
                }
                add(found, name, slug, i, page.date.is_some());
            }
        }
    }
    for (taxonomy, found) in taxonomies.iter_mut().zip(terms) {
        taxonomy.terms = found.into_values().collect();
    }
}

/// The terms a page gives a taxonomy: those under `[taxonomies]` (its tags for another language's `tags`). On fanzine's own sites a declared `authors`
/// taxonomy also takes the top-level `authors` of a page that has none under `[taxonomies]` (which win when both
/// are given); Zola 0.21 never reads the top-level field into a taxonomy, so a Zola site keeps Zola's terms.
fn terms_of<'a>(page: &'a Page, taxonomy: &str, zola: bool) -> Option<&'a Vec<String>> {
    let front = &page.source.front;
    match front.taxonomies.get(taxonomy) {
        None if taxonomy == "tags" => Some(&front.tags),
        Some(names) => Some(names),
        None if taxonomy == "authors" && !zola && !front.authors.is_empty() => Some(&front.authors),
        None => None,
    }
}

/// Adds page `i` to the term of `slug`, once: the pages come in the site's order, dated ones first.
fn add(terms: &mut BTreeMap<String, Tag>, name: &str, slug: String, i: usize, dated: bool) {
    let term =
        terms.entry(slug.clone()).or_insert_with(|| Tag { name: name.to_string(), slug, pages: Vec::new(), dated: 0 });
    if term.pages.last() != Some(&i) {
        term.pages.push(i);
        term.dated += usize::from(dated);
    }
}

fn undeclared(config: &Config, lang: Option<&str>, name: &str, at: &Location, declared: &[&str]) -> Diagnostic {
    let (list, table) = match lang {
        None => ("taxonomies".to_string(), String::new()),
        Some(code) => (format!("[languages.{code}] taxonomies"), format!(" under [languages.{code}]")),
    };
    let message = match lang {
        None => format!("the taxonomy `{name}` is not declared in {}, so its terms have no pages", config.file),
        Some(code) => format!(
            "the taxonomy `{name}` is not declared for the language {code:?} in {} (`{list}`), so its terms have no pages",
            config.file
        ),
    };
    let d = Diagnostic::error(Some(at.clone()), message);
    match crate::error::did_you_mean(name, declared.iter().copied()) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!("declare it in {}{table}: taxonomies = [{{ name = \"{name}\" }}]", config.file)),
    }
}
