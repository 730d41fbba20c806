//! What a post's page shows of other posts besides its neighbours: its series and its related posts, as
//! `page.series` and `page.related`.
//!
//! Both depend on other posts (a part's title, a tag added to another post), so they are not in the post's own
//! view, whose stamp changes only with the post itself. They sit beside it in the page's variables, each other post
//! as a [`Shown`] that hashes as its summary stamp: the memo's key of a post's file then changes whenever its series
//! or its related list does, or any post in them changes how it is shown, and the preview renders it again.
use super::cx::Cx;
use super::views::{Full, Shown};
use crate::site::series;
use serde::Serialize;

/// `page` in a post's template: the post's full view, plus `series` and `related`.
#[derive(Hash)]
pub(super) struct PageVars<'a> {
    full: Full<'a>,
    series: Option<SeriesView<'a>>,
    related: Vec<Shown<'a>>,
}

impl Serialize for PageVars<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut view = serde_json::to_value(self.full).map_err(S::Error::custom)?;
        if let Some(map) = view.as_object_mut() {
            map.insert("series".into(), serde_json::to_value(&self.series).map_err(S::Error::custom)?);
            map.insert("related".into(), serde_json::to_value(&self.related).map_err(S::Error::custom)?);
        }
        view.serialize(serializer)
    }
}

/// `page.series`: the series' name and pages, and where this post is in it (`index` counts from 1, of `total`).
#[derive(Hash, Serialize)]
struct SeriesView<'a> {
    name: &'a str,
    slug: &'a str,
    /// The series' page, unless its taxonomy is declared with `render = false`.
    permalink: Option<String>,
    path: Option<String>,
    feed_url: Option<String>,
    index: usize,
    total: usize,
    /// Every part in reading order, this one included.
    pages: Vec<Shown<'a>>,
    previous: Option<Shown<'a>>,
    next: Option<Shown<'a>>,
}

/// Page `i`'s `page` variable.
pub(super) fn page_vars<'a>(cx: &Cx<'a>, i: usize) -> PageVars<'a> {
    let site = cx.site;
    let related =
        site.related.get(i).map_or_else(Vec::new, |r| r.iter().filter_map(|&j| cx.views.shown(cx.site, j)).collect());
    PageVars { full: cx.views.full_view(site, i), series: series_view(cx, i), related }
}

fn series_view<'a>(cx: &Cx<'a>, i: usize) -> Option<SeriesView<'a>> {
    let site = cx.site;
    let part = (*site.series_parts.get(i)?)?;
    let s = &site.series[part.series];
    let taxonomy = site.taxonomies.iter().find(|t| t.name == series::TAXONOMY)?;
    let path = taxonomy.render.then(|| format!("/{}/{}/", taxonomy.slug, s.slug));
    let feed_url =
        path.as_ref().filter(|_| taxonomy.feed).map(|p| site.url(&format!("{p}{}", site.config.feed.filename)));
    let shown = |j: Option<&usize>| j.and_then(|&j| cx.views.shown(cx.site, j));
    Some(SeriesView {
        name: &s.name,
        slug: &s.slug,
        permalink: path.as_ref().map(|p| site.url(p)),
        path,
        feed_url,
        index: part.index + 1,
        total: s.parts.len(),
        pages: s.parts.iter().filter_map(|&j| cx.views.shown(cx.site, j)).collect(),
        previous: shown(part.index.checked_sub(1).and_then(|k| s.parts.get(k))),
        next: shown(s.parts.get(part.index + 1)),
    })
}

/// The pages a term's page lists, in order: a series' in reading order, any other term's as the site orders them.
pub(super) fn term_pages<'a>(cx: &Cx<'a>, taxonomy: &str, term: &'a crate::site::Tag) -> &'a [usize] {
    if taxonomy != series::TAXONOMY {
        return &term.pages;
    }
    let all = &cx.site.series;
    match all.binary_search_by(|s| s.slug.as_str().cmp(&term.slug)) {
        Ok(s) => &all[s].parts,
        Err(_) => &term.pages,
    }
}
