//! What the site functions of templates (`get_page()`, `get_section()`, `get_taxonomy()`, `get_url()`, …) see of
//! the site being rendered, made once per render before the first file ([`crate::templates::site`]).
//!
//! Made only when a template calls one of them: a site whose templates do not (fanzine's own theme) spends
//! nothing on it. The pages are the full views its `page` variable shows, so a function returns what the page's
//! own template sees.
use super::views::{self, Views};
use crate::error::Diagnostic;
use crate::site::{Site, Tag};
use crate::templates::Templates;
use crate::templates::site::{SectionData, SiteData, TaxonomyData};
use rayon::prelude::*;
use serde_json::{Value, json};

/// Fails only when a post's HTML kept on disk cannot be read back ([`crate::markdown::Html::text`]).
pub(super) fn site_data(site: &Site, views: &Views, templates: &Templates) -> Result<SiteData, Diagnostic> {
    let mut data = SiteData {
        base_url: site.config.base().to_string(),
        language: site.config.language.clone(),
        other_languages: site.config.languages.keys().cloned().collect(),
        slugify: site.config.slugify.taxonomies,
        ..SiteData::default()
    };
    data.static_dirs.push(site.root.join("static"));
    if let Some(theme) = templates.theme() {
        data.static_dirs.push(site.root.join("themes").join(theme).join("static"));
    }
    if !templates.uses_site_functions() {
        return Ok(data);
    }
    for page in &site.pages {
        data.permalinks.insert(views::relative_path(&page.source.path).to_string(), page.permalink.clone());
    }
    for section in site.sections.iter() {
        data.permalinks.insert(section_path(section), section.index.permalink.clone());
    }
    let full: Vec<Value> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| views.full(site, i).map_err(Diagnostic::from))
        .collect::<Result<_, _>>()?;
    for (page, view) in site.pages.iter().zip(&full) {
        data.pages.insert(views::relative_path(&page.source.path).to_string(), view.clone());
    }
    for (s, section) in site.sections.iter().enumerate() {
        let pages = section.pages.iter().map(|&i| full[i].clone()).collect();
        let entry = SectionData {
            full: super::lists::section_value(site, s, pages, false)?,
            metadata: super::lists::section_value(site, s, Vec::new(), true)?,
        };
        data.sections.insert(section_path(section), entry);
    }
    let tags = (!site.tags.is_empty()).then(|| {
        let named = Named { name: "tags", slug: "tags", feed: false, lang: None };
        taxonomy(site, &full, named, &site.tags, |t| format!("/tags/{}/", t.slug))
    });
    data.taxonomies.extend(tags);
    for t in site.taxonomies.iter() {
        let named = Named { name: &t.name, slug: &t.slug, feed: t.feed, lang: t.lang.as_deref() };
        data.taxonomies.push(taxonomy(site, &full, named, &t.terms, |term| t.term_path(term)));
    }
    Ok(data)
}

/// A section's `_index.md` under `content/`; the implied root's is `_index.md` too.
fn section_path(section: &crate::site::sections::Section) -> String {
    match section.explicit {
        true => views::relative_path(&section.index.source.path).to_string(),
        false => views::index_path(section.folder(), section.lang()),
    }
}

/// Zola's taxonomy object (`kind`, `lang`, `permalink`, `items`) and each term's.
/// A taxonomy as its object names it; `lang`: another language's (`None`: the site's).
struct Named<'a> {
    name: &'a str,
    slug: &'a str,
    feed: bool,
    lang: Option<&'a str>,
}

fn taxonomy(
    site: &Site,
    full: &[Value],
    named: Named,
    terms: &[Tag],
    term_path: impl Fn(&Tag) -> String,
) -> TaxonomyData {
    let Named { name, slug, feed, lang } = named;
    let declarations = match lang.and_then(|code| site.config.languages.get(code)) {
        Some(language) => &language.taxonomies,
        None => &site.config.taxonomies,
    };
    let declared = declarations.iter().find(|d| d.name == name);
    let lang = lang.unwrap_or(&site.config.language);
    let kind = json!({
        "name": name,
        "slug": slug,
        "paginate_by": declared.and_then(|d| d.paginate_by),
        "paginate_path": declared.and_then(|d| d.paginate_path.clone()),
        "render": declared.is_none_or(|d| d.render),
        "feed": feed,
    });
    let items: Vec<(String, String, Value)> = terms
        .iter()
        .map(|term| {
            let path = term_path(term);
            let value = json!({
                "name": term.name,
                "slug": term.slug,
                "path": path,
                "permalink": site.url(&path),
                "pages": term.pages.iter().map(|&i| full[i].clone()).collect::<Vec<_>>(),
                "page_count": term.pages.len(),
            });
            (term.name.clone(), term.slug.clone(), value)
        })
        .collect();
    let path = match lang == site.config.language {
        true => format!("/{slug}/"),
        false => format!("/{lang}/{slug}/"),
    };
    let value = json!({
        "kind": kind,
        "lang": lang,
        "permalink": site.url(&path),
        "items": items.iter().map(|(_, _, v)| v.clone()).collect::<Vec<_>>(),
    });
    TaxonomyData { name: name.to_string(), lang: lang.to_string(), value, terms: items }
}
