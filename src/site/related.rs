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
//!
//! The walk depends only on which posts each tag and series holds, so a one-shot build keeps its result on disk
//! ([`collect`] with a cache folder), keyed by a hash of exactly those lists: a build that changed no tag, series, date or draft
//! (nothing changed, or only posts' text) reads the lists back instead of walking again. At 10,000 posts that walk
//! was an eighth of a nothing-changed build; it grows with the square of the posts a tag holds.
use super::series::{Part, Series};
use super::{Page, Tag};
use rayon::prelude::*;
use std::path::Path;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// What sharing a series is worth, in shared tags.
pub const SERIES_WEIGHT: u32 = 2;

/// For each page, up to `limit` related posts, best first (indices into the pages). With `kept_in` (a one-shot
/// build's cache folder), read from there when an earlier build kept the answer for the same lists, else walked and
/// kept there for the next build. The cache only ever costs time: a file that is missing, damaged or made for other
/// lists is walked again, and one that cannot be written is not kept.
pub fn collect(
    pages: &[Page],
    dated: usize,
    tags: &[Tag],
    series: &[Series],
    places: &[Option<Part>],
    limit: usize,
    kept_in: Option<&Path>,
) -> Vec<Vec<usize>> {
    let inputs = Inputs::of(pages, dated, tags, series, places, limit);
    match kept_in {
        Some(dir) => inputs.kept(dir),
        None => inputs.walk(),
    }
}

/// The cache file in the cache folder: the format line, the key of the lists it was walked from, a hash of the
/// answer, then the answer.
const FILE_NAME: &str = "related";

fn header() -> String {
    format!("fanzine related 1 {}\n", env!("FANZINE_SOURCE_HASH"))
}

fn write(key: u128, lists: &[Vec<usize>]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend((lists.len() as u64).to_le_bytes());
    for list in lists {
        body.extend((list.len() as u32).to_le_bytes());
        body.extend(list.iter().flat_map(|&j| (j as u32).to_le_bytes()));
    }
    [header().as_bytes(), &key.to_le_bytes(), &xxh3_128(&body).to_le_bytes(), &body].concat()
}

/// The kept answer, if the file is whole, of this fanzine, for these lists, and names only pages there are.
fn read(bytes: &[u8], key: u128, pages: usize) -> Option<Vec<Vec<usize>>> {
    let rest = bytes.strip_prefix(header().as_bytes())?;
    let number = |at: usize| -> Option<u128> { Some(u128::from_le_bytes(rest.get(at..at + 16)?.try_into().ok()?)) };
    let body = rest.get(32..)?;
    if number(0)? != key || number(16)? != xxh3_128(body) {
        return None;
    }
    let mut words = body.chunks_exact(4).map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")) as usize);
    let (low, high) = (words.next()?, words.next()?);
    if low + (high << 32) != pages {
        return None;
    }
    let mut lists = Vec::with_capacity(pages);
    for _ in 0..pages {
        let len = words.next()?;
        let list: Vec<usize> = words.by_ref().take(len).collect();
        (list.len() == len && list.iter().all(|&j| j < pages)).then_some(())?;
        lists.push(list);
    }
    words.next().is_none().then_some(lists)
}

/// Everything the walk reads: which posts may be offered, and for each post the lists it shares.
struct Inputs<'a> {
    offered: Vec<bool>,
    /// For each page, the tags (indices into `tags`) it is in, and its series.
    memberships: Vec<(Vec<usize>, Option<usize>)>,
    tags: &'a [Tag],
    series: &'a [Series],
    limit: usize,
}

impl<'a> Inputs<'a> {
    fn of(
        pages: &[Page],
        dated: usize,
        tags: &'a [Tag],
        series: &'a [Series],
        places: &[Option<Part>],
        limit: usize,
    ) -> Inputs<'a> {
        let offered: Vec<bool> = (0..pages.len()).map(|j| j < dated && !pages[j].source.front.draft).collect();
        let memberships = (pages.iter().zip(places))
            .map(|(page, place)| {
                let by_tag = (page.tags.iter())
                    .filter_map(|tag| tags.binary_search_by(|x| x.slug.as_str().cmp(&tag.slug)).ok())
                    .collect();
                (by_tag, place.map(|part| part.series))
            })
            .collect();
        Inputs { offered, memberships, tags, series, limit }
    }

    /// A hash of every input of the walk: the same key, the same answer.
    fn key(&self) -> u128 {
        let mut hasher = Xxh3::new();
        let mut number = |n: usize| hasher.update(&(n as u64).to_le_bytes());
        number(self.limit);
        number(self.offered.len());
        for (i, (by_tag, series)) in self.memberships.iter().enumerate() {
            number(usize::from(self.offered[i]));
            number(by_tag.len());
            by_tag.iter().for_each(|&t| number(t));
            number(series.map_or(0, |s| s + 1));
        }
        for list in self.tags.iter().map(|t| &t.pages).chain(self.series.iter().map(|s| &s.parts)) {
            number(list.len());
            list.iter().for_each(|&j| number(j));
        }
        hasher.digest128()
    }

    /// The answer kept in `dir` for these inputs, else walked and kept there.
    fn kept(&self, dir: &Path) -> Vec<Vec<usize>> {
        let key = self.key();
        let path = dir.join(FILE_NAME);
        if let Some(kept) = std::fs::read(&path).ok().and_then(|bytes| read(&bytes, key, self.offered.len())) {
            return kept;
        }
        let lists = self.walk();
        crate::cache_file::remove_abandoned_temps(dir, FILE_NAME);
        // Not kept if it cannot be written: the next build walks again.
        let _ = crate::cache_file::replace(dir, FILE_NAME, &write(key, &lists));
        lists
    }

    fn walk(&self) -> Vec<Vec<usize>> {
        let pages = self.offered.len();
        if self.limit == 0 {
            return vec![Vec::new(); pages];
        }
        // What page `i` shares, as lists of pages with what each shared membership is worth.
        let shared = |i: usize| {
            let (by_tag, series) = &self.memberships[i];
            let by_tag = by_tag.iter().map(|&t| (self.tags[t].pages.as_slice(), 1));
            let by_series = series.map(|s| (self.series[s].parts.as_slice(), SERIES_WEIGHT));
            by_tag.chain(by_series)
        };
        (0..pages)
            .into_par_iter()
            .map_init(|| Scores::new(pages), |scores, i| scores.best(i, shared(i), &self.offered, self.limit))
            .collect()
    }
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

    /// Twelve pages over two tags and a series, page 11 undated.
    fn sample<'a>(tags: &'a [Tag], series: &'a [Series]) -> Inputs<'a> {
        let memberships = (0..12).map(|i| (if i % 3 == 0 { vec![0, 1] } else { vec![i % 2] }, (i < 4).then_some(0)));
        Inputs {
            offered: (0..12).map(|i| i < 11).collect(),
            memberships: memberships.collect(),
            tags,
            series,
            limit: 3,
        }
    }

    fn sample_lists() -> (Vec<Tag>, Vec<Series>) {
        let tag = |slug: &str, pages: Vec<usize>| Tag { name: slug.into(), slug: slug.into(), dated: 0, pages };
        let evens = (0..12).filter(|i| i % 2 == 0 || i % 3 == 0).collect();
        let odds = (0..12).filter(|i| i % 2 == 1 || i % 3 == 0).collect();
        let series = Series { name: "s".into(), slug: "s".into(), parts: vec![0, 1, 2, 3] };
        (vec![tag("even", evens), tag("odd", odds)], vec![series])
    }

    #[test]
    fn a_kept_answer_is_read_back_only_for_the_same_lists_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (tags, series) = sample_lists();
        let inputs = sample(&tags, &series);
        let walked = inputs.walk();
        assert!(walked.iter().any(|l| l.len() == 3), "the sample relates posts: {walked:?}");
        assert_eq!(inputs.kept(dir.path()), walked, "walked and kept");
        let path = dir.path().join(FILE_NAME);
        let kept = std::fs::read(&path).unwrap();
        assert_eq!(read(&kept, inputs.key(), 12), Some(walked.clone()), "read back");
        // A kept answer that claims other related posts is believed only while the file is what was written.
        let liar = write(inputs.key(), &vec![vec![5]; 12]);
        std::fs::write(&path, &liar).unwrap();
        assert_eq!(inputs.kept(dir.path()), vec![vec![5]; 12], "the cache is trusted when whole");
        for damaged in [liar[..liar.len() - 1].to_vec(), [&liar[..], &[0]].concat(), {
            let mut flipped = liar.clone();
            *flipped.last_mut().unwrap() ^= 1;
            flipped
        }] {
            std::fs::write(&path, damaged).unwrap();
            assert_eq!(inputs.kept(dir.path()), walked, "a damaged file is walked again");
            std::fs::write(&path, &liar).unwrap();
        }
        // Any change to what the walk reads is another key: a post moved to another tag, undated, or a new limit.
        let mut moved = sample(&tags, &series);
        moved.memberships[5].0 = vec![0];
        let mut undated = sample(&tags, &series);
        undated.offered[4] = false;
        let fewer = Inputs { limit: 2, ..sample(&tags, &series) };
        let (mut other_tags, _) = sample_lists();
        other_tags[0].pages.pop();
        let other = sample(&other_tags, &series);
        for changed in [moved, undated, fewer, other] {
            assert_ne!(changed.key(), inputs.key());
            assert_eq!(changed.kept(dir.path()), changed.walk());
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
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
