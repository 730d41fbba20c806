//! The commonest save made cheap: the author changed the text of a post, and nothing else.
//!
//! A post's body feeds only its own Markdown: its URL, date, tags and place in every list come from its front
//! matter and its file's place in the tree, and other posts' `@/` links resolve to URLs, not bodies. So when every
//! changed file is a post of the site whose new source differs from the kept one in its body alone, the site a full
//! load would make is the kept one with those posts' bodies and Markdown replaced. [`patch_bodies`] checks exactly
//! that and makes that site: a new model sharing every part of the kept one but those pages (the kept one is never
//! changed, so a render still holding it sees one consistent site). In every other case (a new, deleted or moved
//! file, a front matter edit, a draft, or any diagnostic in the kept site or the new text) it makes nothing and
//! the caller loads the site in full, which also keeps problems reported in their usual order.
use super::{Hooks, Page, Site, render_cached};
use crate::content::{SourceCache, SourcePage, load_one};
use crate::markdown::BlockHook;
use crate::site::{MarkdownCache, Reuse};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The site with new bodies for the posts at `changed` (root-relative paths) if that is all that changed; `None`
/// otherwise.
pub fn patch_bodies(
    site: &Site,
    changed: &BTreeSet<String>,
    sources: &mut SourceCache,
    hook: Option<BlockHook>,
    templates: Option<&crate::templates::Templates>,
    markdown: &mut MarkdownCache,
) -> Option<Site> {
    if changed.is_empty() || !site.diagnostics.is_empty() {
        return None;
    }
    let edits = body_edits(site, changed, sources)?;
    // The same answers as the map a full load builds (`link_targets`), found by a scan: a save asks for a few.
    let resolve = |target: &str| {
        (site.pages_and_indexes())
            .filter(|p| !p.source.path.is_empty())
            .find(|p| p.source.path.trim_start_matches("content/") == target)
            .map(|p| p.permalink.clone())
    };
    let config = &site.config;
    let anchors = super::markup::ZolaMarkup::of(config, site.sections.iter().map(|s| &s.index), templates);
    let hooks = Hooks { block: hook, templates, anchors: anchors.as_ref() };
    let rendered: Vec<_> = (edits.iter())
        .map(|edit| render_cached(&site.pages[edit.page], &edit.source, config, &resolve, hooks, markdown))
        .collect();
    if rendered.iter().any(|(r, _, _)| !r.diagnostics.is_empty()) {
        return None;
    }
    // A post that links to other pages with `@/` than before changes their backlinks: a full load finds them.
    let relinked = |e: &BodyEdit, r: &crate::markdown::Rendered| {
        super::relations::targets(r) != super::relations::targets(&site.pages[e.page].content)
    };
    if edits.iter().zip(&rendered).any(|(e, (r, _, _))| relinked(e, r)) {
        return None;
    }
    // A post that starts calling shortcodes makes template edits reach the Markdown: that is the site's to know.
    if !site.calls_shortcodes && edits.iter().any(|e| crate::markdown::shortcodes::may_have_calls(&e.source.body)) {
        return None;
    }
    let mut pages = site.pages.clone();
    for (edit, (content, lookups, key)) in edits.into_iter().zip(rendered) {
        if let Some(lookups) = lookups {
            let permalink = &site.pages[edit.page].permalink;
            markdown.put(&super::cache_inputs(&edit.source, config, permalink, &key), lookups, &content);
        }
        sources.keep(edit.file, (Some(edit.source.clone()), Vec::new()));
        let source = SourcePage { body: String::new(), ..edit.source };
        pages[edit.page] = Arc::new(Page { source, content, ..(*pages[edit.page]).clone() });
    }
    Some(Site { pages, ..site.clone() })
}

struct BodyEdit {
    /// Index into the site's pages.
    page: usize,
    file: crate::content::SourceFile,
    source: SourcePage,
}

/// The changed posts, read again, if each is a post of the site that differs from the kept one in its body only.
fn body_edits(site: &Site, changed: &BTreeSet<String>, sources: &SourceCache) -> Option<Vec<BodyEdit>> {
    let mut edits = Vec::with_capacity(changed.len());
    for path in changed {
        let file = sources.walked(path)?;
        let page = site.pages.iter().position(|p| p.source.path == *path)?;
        let (Some(source), problems) = load_one(&site.root, &file) else { return None };
        let kept = &site.pages[page].source;
        let body_only = problems.is_empty()
            && SourcePage { body: String::new(), ..source.clone() }
                == SourcePage { body: String::new(), ..kept.clone() };
        if !body_only {
            return None;
        }
        edits.push(BodyEdit { page, file, source });
    }
    Some(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{BuildOptions, load_cached};

    fn post(title: &str, body: &str) -> String {
        format!("+++\ntitle = \"{title}\"\ndate = 2020-01-01\n+++\n{body}\n")
    }

    /// A site of two posts (b links to a), loaded with both caches as the preview server does.
    fn setup(root: &std::path::Path) -> (BuildOptions, Site, SourceCache, MarkdownCache) {
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), post("A", "Alpha.")).unwrap();
        std::fs::write(root.join("content/b.md"), post("B", "See [a](@/a.md).")).unwrap();
        let options = BuildOptions::new(root, time::macros::date!(2026 - 01 - 01));
        let (mut sources, mut markdown) = (SourceCache::default(), MarkdownCache::default());
        let site = load_cached(&options, None, None, Some(&mut markdown), Some(&mut sources)).unwrap();
        (options, site, sources, markdown)
    }

    fn changed(path: &str) -> BTreeSet<String> {
        [path.to_string()].into()
    }

    #[test]
    fn a_body_edit_patches_the_site_into_what_a_full_load_makes() {
        let dir = tempfile::tempdir().unwrap();
        let (options, kept, mut sources, mut markdown) = setup(dir.path());
        std::fs::write(dir.path().join("content/a.md"), post("A", "Alpha, *again*.")).unwrap();
        sources.forget(dir.path(), ["content/a.md"]);
        let before = kept.pages.iter().map(|p| (**p).clone()).collect::<Vec<_>>();
        let site = patch_bodies(&kept, &changed("content/a.md"), &mut sources, None, None, &mut markdown).unwrap();
        let full = crate::site::load(&options, None).unwrap();
        assert_eq!(site.pages, full.pages);
        for ((page, old), before) in site.pages.iter().zip(&kept.pages).zip(before) {
            let path = &page.source.path;
            assert_eq!(Arc::ptr_eq(page, old), path != "content/a.md", "{path}: shared unless patched");
            assert_eq!(**old, before, "{path}: the kept site is left as it was");
        }
        assert!(Arc::ptr_eq(&site.sections, &kept.sections) && Arc::ptr_eq(&site.related, &kept.related));
        assert!(site.pages.iter().any(|p| p.content.html.contains("<em>again</em>")));
    }

    #[test]
    fn anything_but_a_body_edit_is_left_to_a_full_load() {
        let dir = tempfile::tempdir().unwrap();
        let (_, site, mut sources, mut markdown) = setup(dir.path());
        // A new title changes lists and neighbours.
        std::fs::write(dir.path().join("content/a.md"), post("A2", "Alpha.")).unwrap();
        sources.forget(dir.path(), ["content/a.md"]);
        assert!(patch_bodies(&site, &changed("content/a.md"), &mut sources, None, None, &mut markdown).is_none());
        // A new post is not in the site.
        std::fs::write(dir.path().join("content/c.md"), post("C", "Gamma.")).unwrap();
        sources.forget(dir.path(), ["content/c.md"]);
        assert!(patch_bodies(&site, &changed("content/c.md"), &mut sources, None, None, &mut markdown).is_none());
        // A body with a problem (a link to no post) is reported by the full load, in its place among the others.
        std::fs::write(dir.path().join("content/b.md"), post("B", "See [x](@/nope.md).")).unwrap();
        sources.forget(dir.path(), ["content/b.md"]);
        assert!(patch_bodies(&site, &changed("content/b.md"), &mut sources, None, None, &mut markdown).is_none());
    }
}
