//! What a page knows of other pages besides its section's list: its other language versions (`translations`) and
//! the pages whose Markdown links to it with `@/` (`backlinks`), with Zola 0.21's fields. Kept in the page itself,
//! so that the render memo sees them change as it sees the page change.
use super::{Page, Section};
use crate::config::Config;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Relations {
    /// Every version of the page, itself included, as Zola lists them; empty on a site in one language. The
    /// default language first, then the others by code (Zola's order is its hash map's, different on each run).
    pub translations: Vec<Translation>,
    /// Sorted by permalink, as Zola sorts them; each linking page once.
    pub backlinks: Vec<Backlink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Translation {
    pub lang: String,
    pub permalink: String,
    pub title: Option<String>,
    /// The Markdown file's path on disk, as Zola gives it.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backlink {
    pub permalink: String,
    pub title: Option<String>,
}

/// Fills every page's and section's relations from the whole site.
pub fn relate(root: &Path, config: &Config, pages: &mut [Page], sections: &mut [Section]) {
    let mut all: Vec<&mut Page> = pages.iter_mut().chain(sections.iter_mut().map(|s| &mut s.index)).collect();
    let translations = translations(root, config, &all);
    let backlinks = backlinks(&all);
    for (i, page) in all.iter_mut().enumerate() {
        page.relations = Relations {
            translations: translations.get(i).cloned().unwrap_or_default(),
            backlinks: backlinks.get(i).cloned().unwrap_or_default(),
        };
    }
}

/// The `@/` targets a page's Markdown links to (paths under `content/`, without an anchor): what its part in other
/// pages' backlinks depends on.
pub fn targets(content: &crate::markdown::Rendered) -> BTreeSet<&str> {
    content
        .links
        .iter()
        .filter_map(|l| l.internal.as_deref())
        .map(|t| t.split_once('#').map_or(t, |(path, _)| path))
        .collect()
}

fn title(page: &Page) -> Option<String> {
    Some(page.source.front.title.clone()).filter(|t| !t.is_empty())
}

/// A page's source under `content/` as Zola names it; an implied root section's is the file it would be.
fn source_path(page: &Page) -> String {
    match (page.source.path.as_str(), &page.source.lang) {
        ("", None) => "content/_index.md".to_string(),
        ("", Some(code)) => format!("content/_index.{code}.md"),
        (path, _) => path.to_string(),
    }
}

fn translations(root: &Path, config: &Config, all: &[&mut Page]) -> Vec<Vec<Translation>> {
    if config.languages.is_empty() {
        return Vec::new();
    }
    // Sections and pages apart: `blog/_index` and a page `blog/_index` cannot both exist, but be sure.
    let mut versions: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for (i, page) in all.iter().enumerate() {
        let canonical = super::languages::canonical(&source_path(page), page.source.lang.as_deref());
        let key = (page.source.section_front.is_some(), canonical);
        versions.entry(key).or_default().push(i);
    }
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let mut out = vec![Vec::new(); all.len()];
    for mut group in versions.into_values() {
        group.sort_by(|&a, &b| all[a].source.lang.cmp(&all[b].source.lang));
        let list: Vec<Translation> = group
            .iter()
            .map(|&i| Translation {
                lang: super::languages::of(config, all[i]).to_string(),
                permalink: all[i].permalink.clone(),
                title: title(all[i]),
                path: absolute.join(source_path(all[i])).to_string_lossy().into_owned(),
            })
            .collect();
        for &i in &group {
            out[i] = list.clone();
        }
    }
    out
}

fn backlinks(all: &[&mut Page]) -> Vec<Vec<Backlink>> {
    let mut linking: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, page) in all.iter().enumerate().filter(|(_, p)| !p.source.path.is_empty()) {
        for target in targets(&page.content) {
            linking.entry(target).or_default().insert(i);
        }
    }
    all.iter()
        .map(|page| {
            let relative = page.source.path.strip_prefix("content/").unwrap_or("");
            let Some(from) = linking.get(relative).filter(|_| !relative.is_empty()) else { return Vec::new() };
            let mut links: Vec<Backlink> =
                from.iter().map(|&i| Backlink { permalink: all[i].permalink.clone(), title: title(all[i]) }).collect();
            links.sort_by(|a, b| a.permalink.cmp(&b.permalink));
            links
        })
        .collect()
}
