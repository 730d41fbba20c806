//! Machine-read outputs: Atom feeds (the site's and one per tag), the sitemap and robots.txt.
use super::views::Views;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

type Files = Result<Vec<(String, String)>, Diagnostic>;

pub fn feeds(site: &Site, templates: &Templates, views: &Views, base: &Context) -> Files {
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
            Ok((path.trim_start_matches('/').to_string(), atom(site, templates, views, base, pages, title, path)?))
        })
        .collect();
    rendered.into_iter().collect()
}

fn atom(
    site: &Site,
    templates: &Templates,
    views: &Views,
    base: &Context,
    pages: &[usize],
    title: &str,
    path: &str,
) -> Result<String, Diagnostic> {
    let chosen: Vec<usize> = pages.iter().copied().take(site.config.feed.limit).collect();
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

pub fn sitemap_and_robots(site: &Site, templates: &Templates, base: &Context) -> Files {
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
    let sitemap = templates.render("sitemap.xml", &context)?;
    let mut context = base.clone();
    context.insert("sitemap_url", &site.url("/sitemap.xml"));
    let robots = templates.render("robots.txt", &context)?;
    Ok(vec![("sitemap.xml".to_string(), sitemap), ("robots.txt".to_string(), robots)])
}
