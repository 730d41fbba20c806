//! What templates see. Each post's summary view is built once and shared by every list that shows it, so a tag
//! page or the archive costs a clone, not a re-serialisation of the post. Views are kept between renders by the
//! [`Memo`], with the [`Stamps`] that stand for them in the keys of the files showing them.
use super::memo::{Memo, Stamps, Targets};
use crate::content::front_matter::{FrontMatter, PostDate};
use crate::markdown::TocEntry;
use crate::site::{Page, Site, TagRef};
use serde_json::{Value, json};
use std::sync::Arc;
use tera::Context;

/// Everything of a post that its views are made from, and nothing else (not its Markdown source, links or ids).
/// The views are built from these alone, so the memo can compare these to tell whether a post's views changed.
#[derive(PartialEq)]
pub(super) struct ViewInputs<'a> {
    front: &'a FrontMatter,
    source: &'a str,
    permalink: &'a str,
    path: &'a str,
    slug: &'a str,
    date: PostDate,
    tags: &'a [TagRef],
    html: SharedText<'a>,
    summary: &'a str,
    toc: &'a [TocEntry],
    word_count: usize,
}

/// A post's HTML, equal at once when it is the same allocation: after a save, every post but the edited one still
/// shares its HTML with the memo's copy, and comparing ten thousand posts' bytes cost more than the render itself.
struct SharedText<'a>(&'a Arc<str>);

impl PartialEq for SharedText<'_> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(self.0, other.0) || self.0 == other.0
    }
}

impl<'a> ViewInputs<'a> {
    pub fn of(page: &'a Page) -> Self {
        ViewInputs {
            front: &page.source.front,
            source: &page.source.path,
            permalink: &page.permalink,
            path: &page.path,
            slug: &page.slug,
            date: page.date,
            tags: &page.tags,
            html: SharedText(&page.content.html),
            summary: &page.content.summary,
            toc: &page.content.toc,
            word_count: page.content.word_count,
        }
    }
}

pub struct Views {
    summaries: Vec<Arc<Value>>,
    stamps: Vec<Stamps>,
    /// Each post's internal links, resolved; kept by the memo with the views.
    links: Vec<Targets>,
}

impl Views {
    /// Every post's summary view, reusing those of posts that did not change since the memo's last render.
    pub fn new(site: &Site, memo: &mut Memo) -> Self {
        let base = site.config.base();
        let posts = memo.posts(site, |post| summary(site, post), |page| super::links::targets(page, base));
        Views { summaries: posts.summaries, stamps: posts.stamps, links: posts.links }
    }

    /// Post `i`'s links that point inside the site: (index in its `content.links`, site path).
    pub fn internal_links(&self, i: usize) -> &[(usize, String)] {
        self.links.get(i).map_or(&[], |l| &l[..])
    }

    pub fn summary(&self, i: usize) -> Option<&Value> {
        self.summaries.get(i).map(|v| &**v)
    }

    /// Stands for the post's full view in a file's key.
    pub fn page_stamp(&self, i: usize) -> Option<u64> {
        self.stamps.get(i).map(|s| s.page)
    }

    /// Stands for the post's summary view in a file's key.
    pub fn summary_stamp(&self, i: usize) -> Option<u64> {
        self.stamps.get(i).map(|s| s.summary)
    }

    /// The summary view plus the body, the table of contents and the author's extra keys.
    pub fn full(&self, site: &Site, i: usize) -> Value {
        let post = ViewInputs::of(&site.pages[i]);
        let mut view = (*self.summaries[i]).clone();
        let map = view.as_object_mut().expect("summary is an object");
        map.insert("content".into(), Value::String(post.html.0.to_string()));
        map.insert("toc".into(), serde_json::to_value(post.toc).unwrap_or(Value::Null));
        map.insert("draft".into(), Value::Bool(post.front.draft));
        map.insert("source".into(), Value::String(post.source.to_string()));
        map.insert("aliases".into(), json!(post.front.aliases));
        view
    }

    /// Variables every template gets: `config`, `feed_url`.
    pub fn base_context(&self, site: &Site) -> Context {
        let config = &site.config;
        let mut context = Context::new();
        context.insert(
            "config",
            &json!({
                "title": config.title,
                "author": config.author,
                "description": config.description,
                "base_url": config.base(),
                "language": config.language,
                "extra": crate::content::front_matter::toml_to_json(toml::Value::Table(config.extra.clone())),
            }),
        );
        let feed_url = config.feed.enabled.then(|| site.url(&format!("/{}", config.feed.filename)));
        context.insert("feed_url", &feed_url);
        context.insert("current_url", &site.url("/"));
        context.insert("current_path", "/");
        context
    }
}

pub(super) fn summary(site: &Site, post: &ViewInputs) -> Value {
    let front = post.front;
    let tags: Vec<Value> = post
        .tags
        .iter()
        .map(|t| json!({ "name": t.name, "slug": t.slug, "url": site.url(&format!("/tags/{}/", t.slug)) }))
        .collect();
    json!({
        "title": front.title,
        "description": front.description,
        "permalink": post.permalink,
        "path": post.path,
        "slug": post.slug,
        "date": post.date.ymd(),
        "date_iso": post.date.rfc3339(),
        "updated": front.updated.map(|d| d.ymd()),
        "updated_iso": front.updated.map(|d| d.rfc3339()),
        "summary": post.summary,
        "tags": tags,
        "word_count": post.word_count,
        "reading_time": crate::markdown::reading_time(post.word_count),
        "extra": front.extra,
    })
}
