//! What the preview's memo keeps of its last render, and the one check that lets the next render make only what a
//! save reached ([`super::reach`]): the new site model must be the last one but for some posts' bodies.
//!
//! A body-only save ([`crate::site::patch_bodies`]) makes a model that shares every part of the last one but the
//! pages it replaced. That is checked here by identity, part by part, rather than trusted: anything else (a
//! reloaded model, other templates, a template reading the site, images) renders everything, as before.
use super::chosen::Chosen;
use super::links::Found;
use super::reach::Reach;
use super::views::Views;
use crate::error::Diagnostic;
use crate::site::{Page, Site};
use crate::templates::Templates;
use std::collections::HashSet;
use std::sync::Arc;

/// The last render of a kept memo, made without errors.
pub(crate) struct Last {
    /// The site model it rendered.
    pub site: Site,
    pub views: Views,
    pub chosen: Chosen,
    /// Which files each post's stamps reach.
    pub reach: Reach,
    /// Every file it put, and the ids of those links point into with an anchor.
    pub found: Found,
    /// The files whose ids the link checker needed.
    pub anchored: HashSet<String>,
    /// The diagnostics of the site, its stylesheets, the plan of its files and the choice of templates: the same
    /// for a site that differs only in bodies.
    pub before: Vec<Diagnostic>,
    /// Whether it put any resized image (then the next render makes everything).
    pub images: bool,
    /// The [`Templates::binding`] it rendered with.
    pub binding: u64,
}

/// `last` and the pages of `site` that are not `last`'s, if `site` is `last`'s site model but for those pages,
/// which differ only in what their Markdown made of their bodies; `None` otherwise.
pub(super) fn changed_pages(last: Last, site: &Site, templates: &Templates) -> Option<(Last, Vec<usize>)> {
    let was = &last.site;
    // Every field named, none passed over with `..`: a part added to the model later must be checked here too, or
    // the compiler says so.
    let Site {
        root,
        config,
        pages,
        dated,
        sections,
        neighbours,
        tags,
        taxonomies,
        series,
        series_parts,
        related,
        static_files,
        sass,
        post_folders,
        calls_shortcodes,
        diagnostics,
    } = site;
    let same = Arc::ptr_eq(&was.config, config)
        && Arc::ptr_eq(&was.sections, sections)
        && Arc::ptr_eq(&was.neighbours, neighbours)
        && Arc::ptr_eq(&was.tags, tags)
        && Arc::ptr_eq(&was.taxonomies, taxonomies)
        && Arc::ptr_eq(&was.series, series)
        && Arc::ptr_eq(&was.series_parts, series_parts)
        && Arc::ptr_eq(&was.related, related)
        && Arc::ptr_eq(&was.static_files, static_files)
        && Arc::ptr_eq(&was.post_folders, post_folders)
        && was.root == *root
        && was.dated == *dated
        && was.calls_shortcodes == *calls_shortcodes
        && was.diagnostics.is_empty()
        && diagnostics.is_empty()
        && was.sass == *sass
        && was.pages.len() == pages.len()
        // The site functions see every page: a template calling one may show any post.
        && !templates.uses_site_functions()
        && !last.images;
    if !same {
        return None;
    }
    let changed: Vec<usize> = (0..pages.len()).filter(|&i| !Arc::ptr_eq(&was.pages[i], &pages[i])).collect();
    changed.iter().all(|&i| body_only(&was.pages[i], &pages[i])).then_some((last, changed))
}

/// Whether `now` differs from `was` at most in what its Markdown made, and makes the same files.
fn body_only(was: &Page, now: &Page) -> bool {
    let names = |p: &Page| p.content.attachments.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
    was.path == now.path
        && was.permalink == now.permalink
        && was.slug == now.slug
        && was.date == now.date
        && was.tags == now.tags
        && was.relations == now.relations
        && was.source.front == now.source.front
        && was.source.lang == now.source.lang
        && was.source.path == now.source.path
        && was.source.assets == now.source.assets
        && names(was) == names(now)
        && was.content.images.is_empty()
        && now.content.images.is_empty()
}
