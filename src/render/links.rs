//! The link checker: every link written in a post that points inside the site must reach a file, and its
//! `#anchor` an element with that id. External links are left alone (no network at build time).
//!
//! Pages are written as they are rendered, so the checker does not get to see the whole output: it is told which
//! files exist ([`Found`]) and, for the few files that links point into with an `#anchor`, their ids, which the
//! render takes as those files go by ([`Internal::anchored_files`] says which ones to look at).
use crate::error::Diagnostic;
use crate::markdown::Link;
use crate::site::{Page, Site};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A post's links that point inside the site, as (index in `content.links`, site path): resolving them means
/// reading every link of every post, which on a large site cost a save more than rendering the post did, so the
/// view cache keeps them with the post.
pub type Targets = Arc<[(usize, String)]>;

/// What the checker needs of the output.
#[derive(Debug, Default)]
pub struct Found {
    /// Every output file, and whether it was generated (rather than copied from a source file).
    pub files: HashMap<String, bool>,
    /// The ids in each file of [`Internal::anchored_files`] that was generated (not copied).
    pub ids: HashMap<String, BTreeSet<String>>,
}

/// The links of a site that point inside it, resolved to site paths: found once per render, since a large site
/// has tens of thousands of links and going through them all is most of the checker's cost.
pub struct Internal<'a> {
    links: Vec<(&'a Link, String)>,
}

impl<'a> Internal<'a> {
    /// Gathers what [`targets`] found for each post (`found`, in page order, kept between renders).
    pub fn of(site: &'a Site, found: &[Targets]) -> Internal<'a> {
        let mut links = Vec::new();
        for (page, targets) in site.pages.iter().zip(found) {
            for (index, target) in targets.iter() {
                if let Some(link) = page.content.links.get(*index) {
                    links.push((link, target.clone()));
                }
            }
        }
        Internal { links }
    }

    /// The files whose ids the checker will need: every file an internal link with an anchor may resolve to.
    pub fn anchored_files(&self) -> HashSet<String> {
        let mut files = HashSet::new();
        for (_, target) in &self.links {
            if let Some((path, anchor)) = target.split_once('#')
                && !anchor.is_empty()
            {
                files.extend(candidates(path));
            }
        }
        files
    }
}

/// Broken anchors that get a "did you mean": finding the nearest id compares the anchor with every id of its page,
/// so a site with thousands of broken anchors into a long page would otherwise take time quadratic in its size.
const SUGGESTIONS: usize = 100;

pub fn check(internal: &Internal, found: &Found) -> Vec<Diagnostic> {
    let no_ids = BTreeSet::new();
    let mut problems = Vec::new();
    let mut suggested = 0;
    for (link, target) in &internal.links {
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let Some(file) = candidates(path).into_iter().find(|c| found.files.contains_key(c)) else {
            problems.push(
                Diagnostic::error(Some(link.location.clone()), format!("broken link to {}: no such page", link.url))
                    .with_hint("check the URL against the permalink pattern, or link to a post with [text](@/file.md)"),
            );
            continue;
        };
        if !anchor.is_empty() {
            let ids = found.ids.get(&file).unwrap_or(&no_ids);
            if !ids.contains(anchor) {
                let mut d = Diagnostic::error(
                    Some(link.location.clone()),
                    format!("broken anchor #{anchor} in link to {}", link.url),
                );
                let nearest = (suggested < SUGGESTIONS).then(|| {
                    suggested += 1;
                    crate::error::did_you_mean(anchor, ids.iter().map(String::as_str))
                });
                d = match nearest.flatten() {
                    Some(s) => d.with_hint(format!("did you mean #{s}?")),
                    None => d.with_hint("anchors are the ids of headings: `## My Heading` has the id my-heading"),
                };
                problems.push(d);
            }
        }
    }
    problems
}

/// A post's links that point inside the site, as (index in `content.links`, site path); `#top` alone is resolved
/// against the post's own path.
pub fn targets(page: &Page, base: &str) -> Vec<(usize, String)> {
    (page.content.links.iter().enumerate())
        .filter_map(|(i, link)| internal(&link.url, base, &page.path).map(|target| (i, target)))
        .collect()
}

/// The site-relative path a link points to, or `None` for external links (another host, mailto:, …).
///
/// Every link of every post goes through this on each render, the preview's included, and most links are
/// external: those are told apart without allocating.
fn internal(url: &str, base: &str, page_path: &str) -> Option<String> {
    let url = match url.strip_prefix(base) {
        Some("") => "/",
        Some(rest) => rest,
        None => url,
    };
    // A site deployed under a path (https://host/blog) is linked to as /blog/…; the output has no /blog folder.
    let base_path = base.split("://").nth(1).and_then(|rest| rest.find('/').map(|i| &rest[i..])).unwrap_or("");
    let url = match url.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && rest.starts_with('/') => rest,
        _ => url,
    };
    if url.starts_with('/') && !url.starts_with("//") {
        return Some(url.to_string());
    }
    if url.starts_with('#') {
        return Some(format!("{page_path}{url}"));
    }
    // `@/` links that did not resolve were already reported by the Markdown stage.
    if url.contains(':') || url.starts_with("//") || url.starts_with("@/") || url.is_empty() {
        return None;
    }
    Some(join(page_path, url))
}

/// Resolves `../x/` style relative links against the page's own directory.
fn join(dir: &str, relative: &str) -> String {
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = relative.ends_with('/') || relative.contains("/#") || relative.starts_with('#');
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            p => segments.push(p),
        }
    }
    format!("/{}{}", segments.join("/"), if trailing { "/" } else { "" })
}

/// The output files a site path may be served from, in the order a static host tries them.
fn candidates(path: &str) -> Vec<String> {
    let path = path.split('?').next().unwrap_or(path);
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        vec![format!("{trimmed}index.html")]
    } else {
        vec![trimmed.to_string(), format!("{trimmed}/index.html")]
    }
}

/// Every `id="…"` in a generated HTML file.
pub fn ids_in(bytes: &[u8]) -> BTreeSet<String> {
    let html = String::from_utf8_lossy(bytes);
    html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(unescape).collect()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_links_are_recognised() {
        let base = "https://example.org";
        assert_eq!(internal("https://example.org/a/", base, "/p/"), Some("/a/".into()));
        assert_eq!(internal("https://other.org/a/", base, "/p/"), None);
        assert_eq!(internal("mailto:x@y", base, "/p/"), None);
        assert_eq!(internal("#top", base, "/p/"), Some("/p/#top".into()));
        assert_eq!(internal("../q/", base, "/2017/p/"), Some("/2017/q/".into()));
        assert_eq!(internal("map.png", base, "/p/"), Some("/p/map.png".into()));
        let under = "https://example.org/blog";
        assert_eq!(internal("/blog/a/#x", under, "/p/"), Some("/a/#x".into()));
        assert_eq!(internal("https://example.org/blog/a/", under, "/p/"), Some("/a/".into()));
    }

    #[test]
    fn only_the_first_broken_anchors_get_a_suggestion() {
        let link = Link { url: "/p/#sectoin".into(), location: crate::error::Location::at("content/a.md", 1, 1) };
        let internal = Internal { links: vec![(&link, "/p/#sectoin".to_string()); SUGGESTIONS + 5] };
        let mut found = Found::default();
        found.files.insert("p/index.html".into(), true);
        found.ids.insert("p/index.html".into(), ["section".to_string()].into());
        let problems = check(&internal, &found);
        assert_eq!(problems.len(), SUGGESTIONS + 5, "every broken anchor is still reported");
        let suggested = problems.iter().filter(|d| d.hint.as_deref() == Some("did you mean #section?")).count();
        assert_eq!(suggested, SUGGESTIONS);
    }
}
