//! Related posts: what a reader who finished a post is offered next.
//!
//! Each other post is scored by what it shares with this one: one point per shared tag, and
//! [`SERIES_WEIGHT`] points for being in the same series (a part of the same series is more closely related than
//! a post sharing one tag, but two shared tags weigh as much). Only dated posts that are not drafts are offered,
//! never the post itself nor a post sharing nothing. The highest scores come first; ties go to the newer post,
//! then to the one whose source path sorts first: that is [`super::Site::pages`]' own order, so a tie is broken by
//! the smaller index and the list is the same on every build.
//!
//! Candidates are found through the tags' page lists and the series' parts, not by comparing every pair of posts:
//! a post's cost is the length of its tags' lists, so a site of many small tags costs about posts × tags. One tag
//! on every post still makes that posts², which only a cut-off could avoid, and a cut-off would change the answer.
use super::series::{Part, Series};
use super::{Page, Tag};
use rayon::prelude::*;
use std::collections::HashMap;

/// What sharing a series is worth, in shared tags.
pub const SERIES_WEIGHT: u32 = 2;

/// For each page, up to `limit` related posts, best first (indices into the pages).
pub fn collect(
    pages: &[Page],
    dated: usize,
    tags: &[Tag],
    series: &[Series],
    places: &[Option<Part>],
    limit: usize,
) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); pages.len()];
    }
    let offered = |j: usize| j < dated && !pages[j].source.front.draft;
    (0..pages.len())
        .into_par_iter()
        .map(|i| {
            let mut scores: HashMap<usize, u32> = HashMap::new();
            for tag in &pages[i].tags {
                let Ok(t) = tags.binary_search_by(|x| x.slug.as_str().cmp(&tag.slug)) else { continue };
                for &j in tags[t].pages.iter().filter(|&&j| j != i && offered(j)) {
                    *scores.entry(j).or_default() += 1;
                }
            }
            if let Some(part) = places[i] {
                for &j in series[part.series].parts.iter().filter(|&&j| j != i && offered(j)) {
                    *scores.entry(j).or_default() += SERIES_WEIGHT;
                }
            }
            let mut ranked: Vec<(u32, usize)> = scores.into_iter().map(|(j, score)| (score, j)).collect();
            ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            ranked.into_iter().take(limit).map(|(_, j)| j).collect()
        })
        .collect()
}
