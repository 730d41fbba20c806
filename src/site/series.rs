//! Series: posts meant to be read in order, such as a post and the follow-up it promises.
//!
//! A series is a term of the `series` taxonomy: a site that declares one (Zola's `taxonomies = [{ name = "series"
//! }]`, terms under `[taxonomies] series`) gets its pages and feeds from it, and a site that does not still gets
//! them from the top-level `series = "Name"` of its posts (see [`super::taxonomies::collect`]). What the taxonomy
//! lacks is an order, which is made here: parts with `[extra] series_order` come first, by that number, then the
//! others by date, oldest first (undated ones last), ties by source path. The number lives under `[extra]` rather
//! than at the top level because Zola refuses unknown top-level keys, and the same post must build in both.
use super::{Page, Taxonomy};
use crate::error::{Diagnostic, Location, Report};
use serde_json::Value;
use std::cmp::Ordering;

/// The name of the taxonomy series are terms of, and of the front matter key.
pub const TAXONOMY: &str = "series";

/// The `[extra]` key that places a part in its series.
pub const ORDER_KEY: &str = "series_order";

#[derive(Debug)]
pub struct Series {
    /// The first spelling met, in page order, as a tag's.
    pub name: String,
    pub slug: String,
    /// Indices into [`super::Site::pages`], in reading order.
    pub parts: Vec<usize>,
}

/// Where a page sits in its series: indices into [`super::Site::series`] and into that series' parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub series: usize,
    pub index: usize,
}

/// Every series (sorted by slug, as the taxonomy's terms) and, for each page, its place in the first series it
/// names. A page naming several is listed by each, but shows only the first as its own.
pub fn collect(
    pages: &[Page],
    taxonomies: &[Taxonomy],
    strategy: crate::slugify::Strategy,
    report: &mut Report,
) -> (Vec<Series>, Vec<Option<Part>>) {
    let mut places = vec![None; pages.len()];
    let Some(taxonomy) = taxonomies.iter().find(|t| t.name == TAXONOMY && t.lang.is_none()) else {
        return (Vec::new(), places);
    };
    let orders: Vec<Option<i64>> = pages.iter().map(|p| order_of(p, report)).collect();
    let series: Vec<Series> = taxonomy
        .terms
        .iter()
        .map(|term| {
            let mut parts = term.pages.clone();
            parts.sort_by(|&a, &b| reading_order(pages, &orders, a, b));
            Series { name: term.name.clone(), slug: term.slug.clone(), parts }
        })
        .collect();
    for (i, page) in pages.iter().enumerate() {
        let Some(first) = page.source.front.taxonomies.get(TAXONOMY).and_then(|names| names.first()) else { continue };
        let slug = crate::slugify::path(first, strategy);
        let Ok(s) = series.binary_search_by(|x| x.slug.as_str().cmp(&slug)) else { continue };
        places[i] = series[s].parts.iter().position(|&j| j == i).map(|index| Part { series: s, index });
    }
    (series, places)
}

/// Parts with an order first, by it; then by date, oldest first, undated last; then by source path.
fn reading_order(pages: &[Page], orders: &[Option<i64>], a: usize, b: usize) -> Ordering {
    let by_order = match (orders[a], orders[b]) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let (da, db) = (pages[a].date, pages[b].date);
    by_order
        .then_with(|| da.is_none().cmp(&db.is_none()))
        .then_with(|| da.cmp(&db))
        .then_with(|| pages[a].source.path.cmp(&pages[b].source.path))
}

/// A page's `[extra] series_order`, if it is a whole number; anything else there is an error.
fn order_of(page: &Page, report: &mut Report) -> Option<i64> {
    let value = page.source.front.extra.get(ORDER_KEY)?;
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    let found = match value {
        Value::String(s) => format!("the string {s:?}"),
        other => format!("{other}"),
    };
    report.push(
        Diagnostic::error(
            Some(Location::file(&page.source.path)),
            format!("`{ORDER_KEY}` under [extra] must be a whole number, found {found}"),
        )
        .with_hint(format!("write its place in the series as a number, e.g. [extra] {ORDER_KEY} = 2")),
    );
    None
}
