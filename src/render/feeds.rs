//! Machine-read outputs: feeds in Atom, RSS 2.0 or JSON Feed (the site's, one per tag and one per term of a taxonomy with `feed`), the sitemap and robots.txt.
//!
//! As in `lists`, each file is rendered from one struct of template variables, which is also its key.
use super::cx::{Cx, Files};
use super::memo::Made;
use super::views::Full;
use crate::config::FeedFormat;
use crate::error::Diagnostic;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Hash, Serialize)]
struct FeedVars<'a> {
    feed: FeedView<'a>,
}

#[derive(Hash, Serialize)]
struct FeedView<'a> {
    title: String,
    url: String,
    home_url: String,
    /// The newest date of its entries: using the clock would make builds differ.
    updated: String,
    full_content: bool,
    pages: Vec<Full<'a>>,
}

#[derive(Hash, Serialize)]
struct SitemapVars<'a> {
    entries: Vec<SitemapEntry<'a>>,
}

#[derive(Hash, Serialize)]
struct SitemapEntry<'a> {
    url: std::borrow::Cow<'a, str>,
    lastmod: Option<String>,
}

#[derive(Hash, Serialize)]
struct RobotsVars {
    sitemap_url: String,
}

/// The site's feeds, one per tag, per section with feeds and per term of a taxonomy with `feed`: each of the newest
/// `feed.limit` posts, under each of the config's feed file names (whose names pick their formats).
pub fn feeds(cx: &Cx) -> Files {
    let site = cx.site;
    let feed = &site.config.feed;
    let all: Vec<usize> = (0..site.dated).collect();
    // (folder of the feeds, title, pages)
    let site_feed = (String::new(), site.config.title.clone(), all.as_slice());
    let tags_fed = cx.builtins.tags && site.tag_feeds();
    let tag_feeds = site.tags.iter().filter(|_| tags_fed).map(|tag| {
        let folder = format!("tags/{}/", tag.slug);
        (folder, format!("{}: {}", site.config.title, tag.name), tag.dated())
    });
    let section_feeds: Vec<(String, String, Vec<usize>)> = site
        .section_feeds()
        .map(|s| {
            let section = &site.sections[s];
            let folder = section.index.path.trim_start_matches('/').to_string();
            let name = match section.index.source.front.title.as_str() {
                "" => section.folder(),
                title => title,
            };
            // Newest first, whatever order the section lists them in.
            let mut dated: Vec<usize> = section.pages.iter().copied().filter(|&i| i < site.dated).collect();
            dated.sort_unstable();
            (folder, format!("{}: {name}", site.config.title), dated)
        })
        .collect();
    let sections = section_feeds.iter().map(|(path, title, pages)| (path.clone(), title.clone(), pages.as_slice()));
    // A taxonomy's feeds follow its own `feed`, whatever `[feed] enabled` says, as in Zola.
    let term_feeds = (site.taxonomies.iter().filter(|t| t.render && t.feed)).flat_map(|taxonomy| {
        taxonomy.terms.iter().map(move |term| {
            let folder = taxonomy.term_path(term).trim_start_matches('/').to_string();
            (folder, format!("{}: {}", site.config.title, term.name), term.dated())
        })
    });
    let feeds: Vec<_> = std::iter::once(site_feed)
        .filter(|_| feed.enabled)
        .chain(tag_feeds)
        .chain(sections)
        .chain(term_feeds)
        .flat_map(|(folder, title, pages)| {
            feed.names().iter().map(move |name| (format!("{folder}{name}"), title.clone(), pages))
        })
        .collect();
    // Each feed carries whole posts, so they are worth rendering in parallel; the first failure in feed order is
    // the one reported, whatever the threads did.
    let rendered: Vec<_> =
        feeds.into_par_iter().map(|(path, title, pages)| render_feed(cx, path, title, pages)).collect();
    rendered.into_iter().collect()
}

fn render_feed(cx: &Cx, path: String, title: String, pages: &[usize]) -> Result<(String, Made), Diagnostic> {
    let site = cx.site;
    let chosen: Vec<usize> = pages.iter().copied().take(site.config.feed.limit).collect();
    let updated = chosen
        .iter()
        .filter_map(|&i| {
            let page = &site.pages[i];
            page.date.map(|date| page.source.front.updated.unwrap_or(date).max(date))
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let vars = FeedVars {
        feed: FeedView {
            title,
            url: site.url(&format!("/{path}")),
            home_url: site.url("/"),
            updated,
            full_content: site.config.feed.full_content,
            pages: chosen.iter().map(|&i| cx.views.full_view(site, i)).collect(),
        },
    };
    // The config admits only names with a format.
    match FeedFormat::of(&path).unwrap_or(FeedFormat::Atom) {
        FeedFormat::Json => cx.file(path, FeedFormat::Json.template(), &vars),
        format => cx.xml_file(path, format.template(), &vars),
    }
}

pub fn sitemap_and_robots(cx: &Cx) -> Files {
    let site = cx.site;
    let home =
        SitemapEntry { url: site.url("/").into(), lastmod: site.pages.first().and_then(|p| p.date).map(|d| d.ymd()) };
    let posts = site.pages.iter().map(|p| SitemapEntry {
        url: p.permalink.as_str().into(),
        lastmod: p.source.front.updated.or(p.date).map(|d| d.ymd()),
    });
    let sections = (site.sections.iter().skip(1))
        .filter(|s| s.renders() && s.front().redirect_to.is_none())
        .map(|s| SitemapEntry { url: s.index.permalink.as_str().into(), lastmod: None });
    let lists = [("/archive/", cx.builtins.theme), ("/tags/", cx.builtins.tags)]
        .into_iter()
        .filter(|&(_, made)| made)
        .map(|(path, _)| SitemapEntry { url: site.url(path).into(), lastmod: None });
    let tags = (site.tags.iter().filter(|_| cx.builtins.tags))
        .map(|t| SitemapEntry { url: site.url(&format!("/tags/{}/", t.slug)).into(), lastmod: None });
    let taxonomies = site.taxonomies.iter().filter(|t| t.render).flat_map(|taxonomy| {
        let terms = taxonomy.terms.iter().map(|term| taxonomy.term_path(term));
        std::iter::once(taxonomy.path())
            .chain(terms)
            .map(|path| SitemapEntry { url: site.url(&path).into(), lastmod: None })
    });
    let entries =
        std::iter::once(home).chain(posts).chain(sections).chain(lists).chain(tags).chain(taxonomies).collect();
    let sitemap = cx.xml_file("sitemap.xml".into(), "sitemap.xml", &SitemapVars { entries })?;
    let robots = cx.file("robots.txt".into(), "robots.txt", &RobotsVars { sitemap_url: site.url("/sitemap.xml") })?;
    Ok(vec![sitemap, robots])
}
