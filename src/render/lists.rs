//! Pages that list posts: the paginated home page, the tag index and tag pages, the archive, alias redirects.
//!
//! Each file's [`Key`] is made from the same values its context is: the summary stamps of the posts it lists and
//! the few other values it shows (everything taken from the config is the memo's concern).
use super::index_file;
use super::memo::{Kept, Key, Made};
use super::views::Views;
use crate::error::Diagnostic;
use crate::output_path;
use crate::site::Site;
use crate::templates::Templates;
use serde_json::{Value, json};
use tera::Context;

type Files = Result<Vec<(String, Made)>, Diagnostic>;

// What list templates see. Structs of borrowed summaries rather than `json!` values, so that a list of thousands
// of posts is copied once (into the Tera context), not twice. Their fields serialise to the same JSON objects.

#[derive(serde::Serialize)]
struct Paginator<'a> {
    pages: Vec<&'a Value>,
    current_page: usize,
    number_of_pages: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
}

#[derive(serde::Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    pages: Vec<&'a Value>,
    feed_url: Option<String>,
}

#[derive(serde::Serialize)]
struct Year<'a> {
    year: i32,
    pages: Vec<&'a Value>,
}

/// `/`, `/page/2/`, …: `posts_per_page` summaries each, newest first.
pub fn home(site: &Site, templates: &Templates, views: &Views, base: &Context, kept: &Kept) -> Files {
    let per_page = site.config.posts_per_page.max(1);
    let count = site.pages.len().div_ceil(per_page).max(1);
    let url = |n: usize| if n == 1 { site.url("/") } else { site.url(&format!("/page/{n}/")) };
    let mut files = Vec::with_capacity(count);
    for n in 1..=count {
        let start = (n - 1) * per_page;
        let end = (start + per_page).min(site.pages.len());
        let path = if n == 1 { "/".to_string() } else { format!("/page/{n}/") };
        let stamps: Vec<_> = (start..end).map(|i| views.summary_stamp(i)).collect();
        let key = Key::of("home").with(n).with(count).with(stamps);
        let made = kept.get_or_render(&index_file(&path), key, || {
            let paginator = Paginator {
                pages: (start..end).filter_map(|i| views.summary(i)).collect(),
                current_page: n,
                number_of_pages: count,
                previous_url: (n > 1).then(|| url(n - 1)),
                next_url: (n < count).then(|| url(n + 1)),
            };
            let mut context = base.clone();
            context.insert("paginator", &paginator);
            context.insert("current_url", &url(n));
            context.insert("current_path", &path);
            templates.render("index.html", &context)
        })?;
        files.push((index_file(&path), made));
    }
    Ok(files)
}

pub fn tags(site: &Site, templates: &Templates, views: &Views, base: &Context, kept: &Kept) -> Files {
    let mut files = Vec::with_capacity(site.tags.len() + 1);
    let entry = |t: &crate::site::Tag| json!({ "name": t.name, "slug": t.slug, "url": site.url(&format!("/tags/{}/", t.slug)), "count": t.pages.len() });
    let key = site.tags.iter().fold(Key::of("tags"), |key, t| key.with((&t.name, &t.slug, t.pages.len())));
    let made = kept.get_or_render("tags/index.html", key, || {
        let index: Vec<Value> = site.tags.iter().map(entry).collect();
        let mut context = base.clone();
        context.insert("tags", &index);
        context.insert("current_url", &site.url("/tags/"));
        context.insert("current_path", "/tags/");
        templates.render("tags.html", &context)
    })?;
    files.push(("tags/index.html".to_string(), made));
    for tag in &site.tags {
        let path = format!("/tags/{}/", tag.slug);
        let stamps: Vec<_> = tag.pages.iter().map(|&i| views.summary_stamp(i)).collect();
        let key = Key::of("tag").with((&tag.name, &tag.slug)).with(stamps);
        let made = kept.get_or_render(&index_file(&path), key, || {
            let view = TagView {
                name: &tag.name,
                slug: &tag.slug,
                url: site.url(&path),
                count: tag.pages.len(),
                pages: tag.pages.iter().filter_map(|&i| views.summary(i)).collect(),
                feed_url: site
                    .config
                    .feed
                    .enabled
                    .then(|| site.url(&format!("/tags/{}/{}", tag.slug, site.config.feed.filename))),
            };
            let mut context = base.clone();
            context.insert("tag", &view);
            context.insert("current_url", &site.url(&path));
            context.insert("current_path", &path);
            templates.render("tag.html", &context)
        })?;
        files.push((index_file(&path), made));
    }
    Ok(files)
}

/// All posts grouped by year, newest year first.
pub fn archive(site: &Site, templates: &Templates, views: &Views, base: &Context, kept: &Kept) -> Files {
    let key = (0..site.pages.len())
        .fold(Key::of("archive"), |key, i| key.with((site.pages[i].date.at.year(), views.summary_stamp(i))));
    let made = kept.get_or_render("archive/index.html", key, || render_archive(site, templates, views, base))?;
    Ok(vec![("archive/index.html".to_string(), made)])
}

fn render_archive(site: &Site, templates: &Templates, views: &Views, base: &Context) -> Result<String, Diagnostic> {
    let mut years: Vec<Year> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let year = page.date.at.year();
        match years.last_mut() {
            Some(y) if y.year == year => y.pages.extend(views.summary(i)),
            _ => years.push(Year { year, pages: views.summary(i).into_iter().collect() }),
        }
    }
    let mut context = base.clone();
    context.insert("years", &years);
    context.insert("current_url", &site.url("/archive/"));
    context.insert("current_path", "/archive/");
    templates.render("archive.html", &context)
}

/// A small page at each old URL that sends readers (and search engines) to the post's current one.
pub fn aliases(site: &Site, templates: &Templates, base: &Context, kept: &Kept) -> Files {
    let mut files = Vec::new();
    for page in &site.pages {
        // Every alias passed the output-path gate when the site was loaded (a page with a bad one is left out).
        for path in page.source.front.aliases.iter().filter_map(|alias| output_path::alias_file(alias).ok()) {
            let made = kept.get_or_render(&path, Key::of("alias").with(&page.permalink), || {
                let mut context = base.clone();
                context.insert("target", &page.permalink);
                templates.render("alias.html", &context)
            })?;
            files.push((path, made));
        }
    }
    Ok(files)
}
