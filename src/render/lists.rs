//! Pages that list posts: the paginated home page, the tag index and tag pages, the archive, alias redirects.
//!
//! Each file is rendered from one struct of template variables ([`Cx::file`]), which is also its key in the memo.
//! Structs of borrowed summaries rather than `json!` values, so that a list of thousands of posts is copied once
//! (into the Tera context), not twice; their fields serialise to the same JSON objects.
use super::cx::{Cx, Files};
use super::index_file;
use super::views::Shown;
use crate::output_path;
use crate::site::Tag;
use serde::Serialize;

#[derive(Hash, Serialize)]
struct HomeVars<'a> {
    paginator: Paginator<'a>,
    current_url: String,
    current_path: String,
}

#[derive(Hash, Serialize)]
struct Paginator<'a> {
    pages: Vec<Shown<'a>>,
    current_page: usize,
    number_of_pages: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
}

#[derive(Hash, Serialize)]
struct TagsVars<'a> {
    tags: Vec<TagEntry<'a>>,
    current_url: String,
    current_path: &'static str,
}

#[derive(Hash, Serialize)]
struct TagEntry<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Hash, Serialize)]
struct TagVars<'a> {
    tag: TagView<'a>,
    current_url: String,
    current_path: String,
}

#[derive(Hash, Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    pages: Vec<Shown<'a>>,
    feed_url: Option<String>,
}

#[derive(Hash, Serialize)]
struct ArchiveVars<'a> {
    years: Vec<Year<'a>>,
    current_url: String,
    current_path: &'static str,
}

#[derive(Hash, Serialize)]
struct Year<'a> {
    year: i32,
    pages: Vec<Shown<'a>>,
}

#[derive(Hash, Serialize)]
struct AliasVars<'a> {
    target: &'a str,
}

/// `/`, `/page/2/`, …: `posts_per_page` summaries each, newest first.
pub fn home(cx: &Cx) -> Files {
    let site = cx.site;
    let per_page = site.config.posts_per_page.max(1);
    let count = site.pages.len().div_ceil(per_page).max(1);
    let url = |n: usize| if n == 1 { site.url("/") } else { site.url(&format!("/page/{n}/")) };
    let mut files = Vec::with_capacity(count);
    for n in 1..=count {
        let start = (n - 1) * per_page;
        let end = (start + per_page).min(site.pages.len());
        let path = if n == 1 { "/".to_string() } else { format!("/page/{n}/") };
        let vars = HomeVars {
            paginator: Paginator {
                pages: (start..end).filter_map(|i| cx.views.shown(i)).collect(),
                current_page: n,
                number_of_pages: count,
                previous_url: (n > 1).then(|| url(n - 1)),
                next_url: (n < count).then(|| url(n + 1)),
            },
            current_url: url(n),
            current_path: path.clone(),
        };
        files.push(cx.file(index_file(&path), "index.html", &vars)?);
    }
    Ok(files)
}

/// `/tags/` and a page for each tag.
pub fn tags(cx: &Cx) -> Files {
    let site = cx.site;
    let mut files = Vec::with_capacity(site.tags.len() + 1);
    let tags = site
        .tags
        .iter()
        .map(|t| TagEntry { name: &t.name, slug: &t.slug, url: tag_url(cx, t), count: t.pages.len() })
        .collect();
    let vars = TagsVars { tags, current_url: site.url("/tags/"), current_path: "/tags/" };
    files.push(cx.file("tags/index.html".into(), "tags.html", &vars)?);
    for tag in &site.tags {
        let path = format!("/tags/{}/", tag.slug);
        let feed = &site.config.feed;
        let vars = TagVars {
            tag: TagView {
                name: &tag.name,
                slug: &tag.slug,
                url: tag_url(cx, tag),
                count: tag.pages.len(),
                pages: tag.pages.iter().filter_map(|&i| cx.views.shown(i)).collect(),
                feed_url: feed.enabled.then(|| site.url(&format!("/tags/{}/{}", tag.slug, feed.filename))),
            },
            current_url: site.url(&path),
            current_path: path.clone(),
        };
        files.push(cx.file(index_file(&path), "tag.html", &vars)?);
    }
    Ok(files)
}

fn tag_url(cx: &Cx, tag: &Tag) -> String {
    cx.site.url(&format!("/tags/{}/", tag.slug))
}

/// All posts grouped by year, newest year first.
pub fn archive(cx: &Cx) -> Files {
    let mut years: Vec<Year> = Vec::new();
    for (i, page) in cx.site.pages.iter().enumerate() {
        let year = page.date.at.year();
        let shown = cx.views.shown(i);
        match years.last_mut() {
            Some(y) if y.year == year => y.pages.extend(shown),
            _ => years.push(Year { year, pages: shown.into_iter().collect() }),
        }
    }
    let vars = ArchiveVars { years, current_url: cx.site.url("/archive/"), current_path: "/archive/" };
    Ok(vec![cx.file("archive/index.html".into(), "archive.html", &vars)?])
}

/// A small page at each old URL that sends readers (and search engines) to the post's current one.
pub fn aliases(cx: &Cx) -> Files {
    let mut files = Vec::new();
    for page in &cx.site.pages {
        // Every alias passed the output-path gate when the site was loaded (a page with a bad one is left out).
        for path in page.source.front.aliases.iter().filter_map(|alias| output_path::alias_file(alias).ok()) {
            files.push(cx.file(path, "alias.html", &AliasVars { target: &page.permalink })?);
        }
    }
    Ok(files)
}
