//! Machine-read outputs: Atom feeds (the site's and one per tag), the sitemap and robots.txt.
//!
//! As in `lists`, each file's [`Key`] is made from the values its context is made from.
use super::memo::{Kept, Key, Made};
use super::views::Views;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

type Files = Result<Vec<(String, Made)>, Diagnostic>;

pub fn feeds(site: &Site, templates: &Templates, views: &Views, base: &Context, kept: &Kept) -> Files {
    let feed = &site.config.feed;
    if !feed.enabled {
        return Ok(Vec::new());
    }
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let site_feed = (format!("/{}", feed.filename), site.config.title.clone(), all.as_slice());
    let tag_feeds = site.tags.iter().map(|tag| {
        let path = format!("/tags/{}/{}", tag.slug, feed.filename);
        (path, format!("{}: {}", site.config.title, tag.name), tag.pages.as_slice())
    });
    let feeds: Vec<_> = std::iter::once(site_feed).chain(tag_feeds).collect();
    // Each feed carries whole posts, so they are worth rendering in parallel; the first failure in feed order is
    // the one reported, whatever the threads did.
    let rendered: Vec<_> = feeds
        .par_iter()
        .map(|(path, title, pages)| {
            let made = atom(site, templates, views, base, kept, pages, title, path)?;
            Ok((path.trim_start_matches('/').to_string(), made))
        })
        .collect();
    rendered.into_iter().collect()
}

#[allow(clippy::too_many_arguments)]
fn atom(
    site: &Site,
    templates: &Templates,
    views: &Views,
    base: &Context,
    kept: &Kept,
    pages: &[usize],
    title: &str,
    path: &str,
) -> Result<Made, Diagnostic> {
    let chosen: Vec<usize> = pages.iter().copied().take(site.config.feed.limit).collect();
    // Entries are full views, and `updated` is made from the same posts' dates.
    let stamps: Vec<_> = chosen.iter().map(|&i| views.page_stamp(i)).collect();
    let key = Key::of("atom").with(title).with(path).with(stamps);
    kept.get_or_render(path.trim_start_matches('/'), key, || {
        render_atom(site, templates, views, base, &chosen, title, path).map(well_formed)
    })
}

fn render_atom(
    site: &Site,
    templates: &Templates,
    views: &Views,
    base: &Context,
    chosen: &[usize],
    title: &str,
    path: &str,
) -> Result<String, Diagnostic> {
    let entries: Vec<Value> = chosen.iter().map(|&i| views.full(site, i)).collect();
    // The feed changes when its newest entry does; using the clock would make builds differ.
    let updated = chosen
        .iter()
        .map(|&i| {
            let page = &site.pages[i];
            page.source.front.updated.unwrap_or(page.date).max(page.date)
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut context = base.clone();
    context.insert(
        "feed",
        &json!({
            "title": title,
            "url": site.url(path),
            "home_url": site.url("/"),
            "updated": updated,
            "full_content": site.config.feed.full_content,
            "pages": entries,
        }),
    );
    templates.render("atom.xml", &context)
}

pub fn sitemap_and_robots(site: &Site, templates: &Templates, base: &Context, kept: &Kept) -> Files {
    let lastmods: Vec<(&str, String)> =
        site.pages.iter().map(|p| (p.permalink.as_str(), p.source.front.updated.unwrap_or(p.date).ymd())).collect();
    let newest = site.pages.first().map(|p| p.date.ymd());
    let slugs: Vec<&str> = site.tags.iter().map(|t| t.slug.as_str()).collect();
    let key = Key::of("sitemap").with(&newest).with(&lastmods).with(&slugs);
    let sitemap = kept.get_or_render("sitemap.xml", key, || render_sitemap(site, templates, base).map(well_formed))?;
    let robots = kept.get_or_render("robots.txt", Key::of("robots"), || {
        let mut context = base.clone();
        context.insert("sitemap_url", &site.url("/sitemap.xml"));
        templates.render("robots.txt", &context)
    })?;
    Ok(vec![("sitemap.xml".to_string(), sitemap), ("robots.txt".to_string(), robots)])
}

/// The last guard of well-formed XML: characters XML forbids were already removed (with a warning) from the posts
/// as they were read; what is left can only come from the config or a template, and is removed here.
fn well_formed(xml: String) -> String {
    crate::content::xml::strip_owned(xml).0
}

fn render_sitemap(site: &Site, templates: &Templates, base: &Context) -> Result<String, Diagnostic> {
    let mut entries: Vec<Value> =
        vec![json!({ "url": site.url("/"), "lastmod": site.pages.first().map(|p| p.date.ymd()) })];
    entries.extend(
        site.pages
            .iter()
            .map(|p| json!({ "url": p.permalink, "lastmod": p.source.front.updated.unwrap_or(p.date).ymd() })),
    );
    entries.push(json!({ "url": site.url("/archive/"), "lastmod": null }));
    entries.push(json!({ "url": site.url("/tags/"), "lastmod": null }));
    entries
        .extend(site.tags.iter().map(|t| json!({ "url": site.url(&format!("/tags/{}/", t.slug)), "lastmod": null })));
    let mut context = base.clone();
    context.insert("entries", &entries);
    templates.render("sitemap.xml", &context)
}
