//! The link checker: every link written in a post or a section's `_index.md` that points inside the site must
//! reach a file, and its `#anchor` an element with that id. External links are left alone (no network at build time).
//!
//! Pages are written as they are rendered, so the checker does not get to see the whole output: it is told which
//! files exist ([`Found`]) and, for the few files that links point into with an `#anchor`, their ids, which the
//! render takes as those files go by ([`Internal::anchored_files`] says which ones to look at).
use crate::config::{Level, LinkChecker};
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
    /// Alias file (`old/index.html`) → the alias as written and the post it redirects to: a link through an alias
    /// is checked against the post's anchors, since that is where the reader lands.
    aliases: HashMap<String, (&'a str, &'a Page)>,
    settings: &'a LinkChecker,
}

impl<'a> Internal<'a> {
    /// Gathers what [`targets`] found for each post (`found`, in page order, kept between renders).
    pub fn of(site: &'a Site, found: &[Targets]) -> Internal<'a> {
        let settings = &site.config.link_checker;
        let skipped = |url: &str| settings.skip_prefixes.iter().any(|p| url.starts_with(p.as_str()));
        let mut links = Vec::new();
        for (page, targets) in site.pages.iter().zip(found) {
            for (index, target) in targets.iter() {
                if let Some(link) = page.content.links.get(*index)
                    && !skipped(&link.url)
                {
                    links.push((link, target.clone()));
                }
            }
        }
        // A section's text (its `_index.md`) is checked as a post's is. Sections are few: their links are resolved
        // on each render rather than kept.
        let base = site.config.base();
        for section in site.sections.iter().filter(|s| s.explicit) {
            for (index, target) in targets(&section.index, base) {
                if let Some(link) = section.index.content.links.get(index)
                    && !skipped(&link.url)
                {
                    links.push((link, target));
                }
            }
        }
        let mut aliases = HashMap::new();
        for page in &site.pages {
            for alias in &page.source.front.aliases {
                if let Ok(file) = crate::output_path::alias_file(alias) {
                    aliases.insert(file, (alias.as_str(), &**page));
                }
            }
        }
        Internal { links, aliases, settings }
    }

    /// The files whose ids the checker will need: every file an internal link with an anchor may resolve to (for
    /// an alias, the file of its post).
    pub fn anchored_files(&self) -> HashSet<String> {
        let mut files = HashSet::new();
        for (_, target) in &self.links {
            if let Some((path, anchor)) = target.split_once('#')
                && !anchor.is_empty()
                && !target.starts_with("@/")
            {
                for file in candidates(path) {
                    if let Some((_, page)) = self.aliases.get(&file) {
                        files.insert(crate::output_path::index_file(&page.path));
                    }
                    files.insert(file);
                }
            }
        }
        files
    }
}

/// Broken anchors that get a "did you mean": finding the nearest id compares the anchor with every id of its page,
/// so a site with thousands of broken anchors into a long page would otherwise take time quadratic in its size.
const SUGGESTIONS: usize = 100;

/// Every broken internal link and `#anchor`, each an error or a warning as `[link_checker]` says.
pub fn check(internal: &Internal, found: &Found) -> Vec<Diagnostic> {
    let no_ids = BTreeSet::new();
    let settings = internal.settings;
    let mut problems = Vec::new();
    let mut suggested = 0;
    for (link, target) in &internal.links {
        let at = Some(link.location.clone());
        if let Some(path) = target.strip_prefix("@/") {
            // The Markdown stage found no post there, and left the link as written.
            let path = path.split('#').next().unwrap_or(path);
            problems.push(
                at_level(settings.internal_level, at, format!("link to @/{path}: there is no post at content/{path}"))
                    .with_hint(
                        "`@/` links name a Markdown file relative to content/, e.g. [text](@/2017-05-16-claims.md)",
                    ),
            );
            continue;
        }
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let Some(mut file) = candidates(path).into_iter().find(|c| found.files.contains_key(c)) else {
            problems.push(
                at_level(settings.internal_level, at, format!("broken link to {}: no such page", link.url))
                    .with_hint("check the URL against the permalink pattern, or link to a post with [text](@/file.md)"),
            );
            continue;
        };
        let skip_anchor = settings.skip_anchor_prefixes.iter().any(|p| link.url.starts_with(p.as_str()));
        if anchor.is_empty() || skip_anchor {
            continue;
        }
        let through = internal.aliases.get(&file).copied();
        if let Some((_, page)) = through {
            file = crate::output_path::index_file(&page.path);
        }
        let ids = found.ids.get(&file).unwrap_or(&no_ids);
        if ids.contains(anchor) {
            continue;
        }
        let message = format!("broken anchor #{anchor} in link to {}", link.url);
        let nearest = (suggested < SUGGESTIONS).then(|| {
            suggested += 1;
            crate::error::did_you_mean(anchor, ids.iter().map(String::as_str))
        });
        let mut hint = match nearest.flatten() {
            Some(s) => format!("did you mean #{s}?"),
            None => "anchors are the ids of headings: `## My Heading` has the id my-heading".to_string(),
        };
        if let Some((alias, page)) = through {
            hint = format!(
                "{alias} is an alias of {} ({}), so the anchor was looked for there; {hint}",
                page.path, page.source.path
            );
        }
        problems.push(at_level(settings.anchor_level(), at, message).with_hint(hint));
    }
    problems
}

fn at_level(level: Level, location: Option<crate::error::Location>, message: String) -> Diagnostic {
    match level {
        Level::Error => Diagnostic::error(location, message),
        Level::Warn => Diagnostic::warning(location, message),
    }
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
    // An `@/` link the Markdown stage could not resolve is left as written, for [`check`] to report.
    if url.starts_with("@/") {
        return Some(url.to_string());
    }
    // `mailto:`, `tel:` and other schemes are no page of the site; e-mail autolinks never get here (see
    // `markdown::links`).
    if url.contains(':') || url.starts_with("//") || url.is_empty() {
        return None;
    }
    Some(join(page_path, url))
}

/// Resolves `../x/` style relative links against the page's own URL (`dir`, which ends in `/`), as a browser
/// does; the `#fragment` is put back after the path is resolved.
fn join(dir: &str, relative: &str) -> String {
    let (path, fragment) = match relative.find('#') {
        Some(i) => relative.split_at(i),
        None => (relative, ""),
    };
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = path.is_empty() || path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            p => segments.push(p),
        }
    }
    let slash = if trailing && !segments.is_empty() { "/" } else { "" };
    format!("/{}{slash}{fragment}", segments.join("/"))
}

/// The output files a site path may be served from, in the order a static host tries them.
fn candidates(path: &str) -> Vec<String> {
    let path = path.split('?').next().unwrap_or(path);
    // `/Hello%20World/` is served from `Hello World/` (`[slugify] paths = "safe"` makes such URLs).
    let decoded = path.contains('%').then(|| crate::output_path::percent_decode(path)).flatten();
    let trimmed = decoded.as_deref().unwrap_or(path).trim_start_matches('/');
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
        assert_eq!(internal("tel:+1234", base, "/p/"), None);
        assert_eq!(internal("@/missing.md#a", base, "/p/"), Some("@/missing.md#a".into()));
        // Relative links are resolved from the page's URL, as a browser does, not from its source file.
        assert_eq!(internal("./img.png", base, "/docs/guide/"), Some("/docs/guide/img.png".into()));
        assert_eq!(internal("../../", base, "/docs/guide/"), Some("/".into()));
        assert_eq!(internal("../other/#sec", base, "/docs/guide/"), Some("/docs/other/#sec".into()));
        assert_eq!(internal("#top", base, "/p/"), Some("/p/#top".into()));
        assert_eq!(internal("../q/", base, "/2017/p/"), Some("/2017/q/".into()));
        assert_eq!(internal("map.png", base, "/p/"), Some("/p/map.png".into()));
        let under = "https://example.org/blog";
        assert_eq!(internal("/blog/a/#x", under, "/p/"), Some("/a/#x".into()));
        assert_eq!(internal("https://example.org/blog/a/", under, "/p/"), Some("/a/".into()));
    }

    #[test]
    fn encoded_links_find_their_files() {
        assert_eq!(candidates("/Hello%20World/"), ["Hello World/index.html"]);
        assert_eq!(candidates("/a%2"), ["a%2", "a%2/index.html"], "a malformed escape is taken as written");
    }

    #[test]
    fn only_the_first_broken_anchors_get_a_suggestion() {
        let link = Link {
            url: "/p/#sectoin".into(),
            location: crate::error::Location::at("content/a.md", 1, 1),
            internal: None,
        };
        let settings = LinkChecker::default();
        let internal = Internal {
            links: vec![(&link, "/p/#sectoin".to_string()); SUGGESTIONS + 5],
            aliases: HashMap::new(),
            settings: &settings,
        };
        let mut found = Found::default();
        found.files.insert("p/index.html".into(), true);
        found.ids.insert("p/index.html".into(), ["section".to_string()].into());
        let problems = check(&internal, &found);
        assert_eq!(problems.len(), SUGGESTIONS + 5, "every broken anchor is still reported");
        let suggested = problems.iter().filter(|d| d.hint.as_deref() == Some("did you mean #section?")).count();
        assert_eq!(suggested, SUGGESTIONS);
    }
}
