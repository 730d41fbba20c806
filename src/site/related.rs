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
//! on every post still makes that posts², which only a cut-off could avoid, and a cut-off would change the answer;
//! so that walk is kept as cheap as it can be: scores are counted in a flat array indexed by page (one per worker
//! thread, cleared through the list of what it touched), and only the best `limit` are kept as they come, never
//! a sorted list of every candidate. At 10,000 posts over a few dozen tags that took the walk from 1.3 s of CPU
//! (a hash map and a sort per post) to a few tens of milliseconds.
use super::series::{Part, Series};
use super::{Page, Tag};
use rayon::prelude::*;

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
    let offered: Vec<bool> = (0..pages.len()).map(|j| j < dated && !pages[j].source.front.draft).collect();
    // What page `i` shares, as lists of pages with what each shared membership is worth.
    let shared = |i: usize| {
        let by_tag = pages[i].tags.iter().filter_map(|tag| {
            let t = tags.binary_search_by(|x| x.slug.as_str().cmp(&tag.slug)).ok()?;
            Some((tags[t].pages.as_slice(), 1))
        });
        let by_series = places[i].map(|part| (series[part.series].parts.as_slice(), SERIES_WEIGHT));
        by_tag.chain(by_series)
    };
    (0..pages.len())
        .into_par_iter()
        .map_init(|| Scores::new(pages.len()), |scores, i| scores.best(i, shared(i), &offered, limit))
        .collect()
}

/// A worker's scratch space: every page's score against the page being ranked, zero between pages.
struct Scores {
    score: Vec<u32>,
    /// The pages whose score is not zero, in the order first met.
    touched: Vec<usize>,
}

impl Scores {
    fn new(pages: usize) -> Self {
        Scores { score: vec![0; pages], touched: Vec::new() }
    }

    /// The `limit` best offered pages sharing something with page `me`, best first, leaving every score at zero.
    fn best<'a>(
        &mut self,
        me: usize,
        shared: impl Iterator<Item = (&'a [usize], u32)>,
        offered: &[bool],
        limit: usize,
    ) -> Vec<usize> {
        for (list, weight) in shared {
            for &j in list.iter().filter(|&&j| j != me && offered[j]) {
                if self.score[j] == 0 {
                    self.touched.push(j);
                }
                self.score[j] += weight;
            }
        }
        let mut best: Vec<(u32, usize)> = Vec::with_capacity(limit + 1);
        for j in self.touched.drain(..) {
            let candidate = (std::mem::take(&mut self.score[j]), j);
            if best.len() == limit && best.last().is_none_or(|&worst| !outranks(candidate, worst)) {
                continue;
            }
            let at = best.partition_point(|&kept| outranks(kept, candidate));
            best.insert(at, candidate);
            best.truncate(limit);
        }
        best.into_iter().map(|(_, j)| j).collect()
    }
}

/// Whether `a` ranks before `b`: a higher score, or the same score and a smaller index.
fn outranks(a: (u32, usize), b: (u32, usize)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: score every other offered page, sort them all, keep the first `limit`.
    fn reference(me: usize, lists: &[(Vec<usize>, u32)], offered: &[bool], limit: usize) -> Vec<usize> {
        let mut score = vec![0u32; offered.len()];
        for (list, weight) in lists {
            for &j in list {
                if j != me && offered[j] {
                    score[j] += weight;
                }
            }
        }
        let mut ranked: Vec<(u32, usize)> =
            (0..offered.len()).filter(|&j| score[j] > 0).map(|j| (score[j], j)).collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().take(limit).map(|(_, j)| j).collect()
    }

    #[test]
    fn the_kept_best_equal_a_full_sort_on_seeded_random_sites() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        for _ in 0..200 {
            let pages = 1 + next(40);
            let offered: Vec<bool> = (0..pages).map(|_| next(5) != 0).collect();
            let mut scores = Scores::new(pages);
            for me in 0..pages {
                let lists: Vec<(Vec<usize>, u32)> = (0..next(5))
                    .map(|_| ((0..next(pages + 1)).map(|_| next(pages)).collect(), 1 + next(2) as u32))
                    .collect();
                let limit = next(6);
                let shared = lists.iter().map(|(list, weight)| (list.as_slice(), *weight));
                assert_eq!(scores.best(me, shared, &offered, limit), reference(me, &lists, &offered, limit));
                assert!(scores.score.iter().all(|&s| s == 0) && scores.touched.is_empty());
            }
        }
    }
}
