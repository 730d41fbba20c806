//! Which template renders each page and section, chosen once per render so that a missing one is reported once.
//!
//! A page's is its own `template`, else the `page_template` of the nearest section above it that sets one (as in
//! Zola), else the site's own `page.html` (Zola's name) when it has one and no `post.html` of its own, else
//! `post.html`; a section's is its `template`, else `index.html` for the home page and `section.html`
//! for the others. A template named but missing is an error at the line naming it, except on a Zola site
//! (`config.toml` and no `fanzine.toml`), whose templates are written for Zola: there the built-in one is used, with
//! one warning per missing name, so that its content can be read with fanzine's theme.
use crate::error::{Diagnostic, Location};
use crate::site::{Site, sections};
use crate::templates::Templates;
use std::collections::BTreeMap;

pub(super) struct Chosen {
    /// By page; `None` where the template is missing (an error already).
    pub pages: Vec<Option<String>>,
    pub sections: Vec<Option<String>>,
}

/// A template named somewhere: the name, and where.
type Named = (String, Location);

pub(super) fn choose(site: &Site, templates: &Templates) -> (Chosen, Vec<Diagnostic>) {
    let by_folder = sections::by_folder(&site.sections);
    let mut missing: BTreeMap<String, (Location, usize, &'static str)> = BTreeMap::new();
    let mut errors = Vec::new();
    let page_default =
        if templates.is_own("page.html") && !templates.is_own("post.html") { "page.html" } else { "post.html" };
    let mut pick = |named: Option<Named>, default: &'static str| -> Option<String> {
        let Some((name, at)) = named else { return Some(default.to_string()) };
        if templates.has(&name) {
            return Some(name);
        }
        if !site.config.is_zola() {
            errors.push(templates.missing(&name, at));
            return None;
        }
        missing.entry(name).or_insert((at, 0, default)).1 += 1;
        Some(default.to_string())
    };
    let pages = site
        .pages
        .iter()
        .map(|page| {
            let front = &page.source.front;
            let own = front
                .template
                .clone()
                .map(|t| (t, front.template_at.clone().unwrap_or_else(|| Location::file(&page.source.path))));
            let named = own.or_else(|| {
                inherited(site, sections::owner(page.source.lang.as_deref(), &page.source.section, &by_folder))
            });
            pick(named, page_default)
        })
        .collect();
    let sections =
        site.sections
            .iter()
            .enumerate()
            .map(|(s, section)| {
                let front = &section.index.source.front;
                let named = front.template.clone().map(|t| {
                    (t, front.template_at.clone().unwrap_or_else(|| Location::file(&section.index.source.path)))
                });
                // Each language's root section (`_index.fr.md` too) is a home page, as in Zola.
                let root = s == 0 || section.index.source.section.is_empty();
                pick(named, if root { "index.html" } else { "section.html" })
            })
            .collect();
    let mut diagnostics = errors;
    for (name, (at, count, used)) in missing {
        let times = if count == 1 { String::new() } else { format!(" (named {count} times; the first is here)") };
        diagnostics.push(
            Diagnostic::warning(Some(at), format!("template `{name}` not found{times}; the built-in {used} is used"))
                .with_hint(format!("this site's templates are Zola's: add templates/{name} to use one of your own")),
        );
    }
    (Chosen { pages, sections }, diagnostics)
}

/// The `page_template` of section `s` or of the nearest section above it that sets one.
fn inherited(site: &Site, mut s: Option<usize>) -> Option<Named> {
    while let Some(i) = s {
        let section = &site.sections[i];
        if let Some(name) = &section.front().page_template {
            let at =
                section.front().page_template_at.clone().unwrap_or_else(|| Location::file(&section.index.source.path));
            return Some((name.clone(), at));
        }
        s = section.parent;
    }
    None
}
