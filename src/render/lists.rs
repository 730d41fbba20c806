//! Pages that list posts: the paginated home page, the tag index and tag pages, the archive, alias redirects.
use super::index_file;
use super::views::Views;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use serde_json::{Value, json};
use tera::Context;

type Files = Result<Vec<(String, String)>, Diagnostic>;

/// `/`, `/page/2/`, …: `posts_per_page` summaries each, newest first.
pub fn home(site: &Site, templates: &Templates, views: &Views, base: &Context) -> Files {
    let per_page = site.config.posts_per_page.max(1);
    let count = site.pages.len().div_ceil(per_page).max(1);
    let url = |n: usize| if n == 1 { site.url("/") } else { site.url(&format!("/page/{n}/")) };
    let mut files = Vec::with_capacity(count);
    for n in 1..=count {
        let start = (n - 1) * per_page;
        let end = (start + per_page).min(site.pages.len());
        let pages: Vec<&Value> = (start..end).filter_map(|i| views.summary(i)).collect();
        let mut context = base.clone();
        context.insert(
            "paginator",
            &json!({
                "pages": pages,
                "current_page": n,
                "number_of_pages": count,
                "previous_url": (n > 1).then(|| url(n - 1)),
                "next_url": (n < count).then(|| url(n + 1)),
            }),
        );
        context.insert("current_url", &url(n));
        let path = if n == 1 { "/".to_string() } else { format!("/page/{n}/") };
        context.insert("current_path", &path);
        files.push((index_file(&path), templates.render("index.html", &context)?));
    }
    Ok(files)
}

pub fn tags(site: &Site, templates: &Templates, views: &Views, base: &Context) -> Files {
    let mut files = Vec::with_capacity(site.tags.len() + 1);
    let index: Vec<Value> = site
        .tags
        .iter()
        .map(|t| json!({ "name": t.name, "slug": t.slug, "url": site.url(&format!("/tags/{}/", t.slug)), "count": t.pages.len() }))
        .collect();
    let mut context = base.clone();
    context.insert("tags", &index);
    context.insert("current_url", &site.url("/tags/"));
    context.insert("current_path", "/tags/");
    files.push(("tags/index.html".to_string(), templates.render("tags.html", &context)?));
    for (tag, entry) in site.tags.iter().zip(index) {
        let mut view = entry;
        let pages: Vec<&Value> = tag.pages.iter().filter_map(|&i| views.summary(i)).collect();
        let feed_url =
            site.config.feed.enabled.then(|| site.url(&format!("/tags/{}/{}", tag.slug, site.config.feed.filename)));
        let map = view.as_object_mut().expect("tag view is an object");
        map.insert("pages".into(), json!(pages));
        map.insert("feed_url".into(), json!(feed_url));
        let path = format!("/tags/{}/", tag.slug);
        let mut context = base.clone();
        context.insert("tag", &view);
        context.insert("current_url", &site.url(&path));
        context.insert("current_path", &path);
        files.push((index_file(&path), templates.render("tag.html", &context)?));
    }
    Ok(files)
}

/// All posts grouped by year, newest year first.
pub fn archive(site: &Site, templates: &Templates, views: &Views, base: &Context) -> Files {
    let mut years: Vec<(i32, Vec<&Value>)> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let year = page.date.at.year();
        match years.last_mut() {
            Some((y, list)) if *y == year => list.extend(views.summary(i)),
            _ => years.push((year, views.summary(i).into_iter().collect())),
        }
    }
    let years: Vec<Value> = years.into_iter().map(|(year, pages)| json!({ "year": year, "pages": pages })).collect();
    let mut context = base.clone();
    context.insert("years", &years);
    context.insert("current_url", &site.url("/archive/"));
    context.insert("current_path", "/archive/");
    Ok(vec![("archive/index.html".to_string(), templates.render("archive.html", &context)?)])
}

/// A small page at each old URL that sends readers (and search engines) to the post's current one.
pub fn aliases(site: &Site, templates: &Templates, base: &Context) -> Files {
    let mut files = Vec::new();
    for page in &site.pages {
        for alias in &page.source.front.aliases {
            let mut context = base.clone();
            context.insert("target", &page.permalink);
            let path = crate::site::normalise_path(alias);
            files.push((index_file(&path), templates.render("alias.html", &context)?));
        }
    }
    Ok(files)
}
