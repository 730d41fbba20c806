//! Which output files each post's views reach, so that a save that changed a few posts' bodies visits only the
//! files those posts are shown in, not every file of the site.
//!
//! Every file's memo key hashes the stamps of the posts it shows ([`super::views`]), and nothing else of the posts.
//! Noting which stamps went into each key gives, for each stamp, the files whose key would change were that stamp
//! replaced. When the site model is the last one but for some pages (a body-only save: every other part shared),
//! a file can come out differently only if its key hashed a stamp those pages replaced, or if it read beyond its
//! variables (a template function reading the site or a file): only those are made again. The rest are exactly
//! the files of the last render, which the caller still holds.
use std::collections::{BTreeSet, HashMap};

/// What makes a file: the render of one post, or one of the producers of the other files (in the render's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Work {
    Post(usize),
    Producer(usize),
}

/// By stamp, the files whose keys hashed it, and the files made again on every render.
#[derive(Default)]
pub(super) struct Reach {
    /// Stamp → ids of the files that show it.
    users: HashMap<u64, Vec<u32>>,
    /// Id → the file's path and what makes it.
    files: Vec<(String, Work)>,
    ids: HashMap<String, u32>,
    /// Files that read beyond their variables: an equal key does not mean equal bytes.
    unbounded: BTreeSet<u32>,
}

/// The files a change reaches: what must be made again, and the paths it may put.
#[derive(Default)]
pub(super) struct Reached {
    pub posts: BTreeSet<usize>,
    pub producers: BTreeSet<usize>,
    pub paths: std::collections::HashSet<String>,
}

impl Reach {
    /// Notes the file at `path`, made by `work` from variables that hashed `stamps`.
    pub fn note(&mut self, path: &str, work: Work, stamps: &[u64], reusable: bool) {
        let id = match self.ids.get(path) {
            Some(&id) => id,
            None => {
                let id = self.files.len() as u32;
                self.files.push((path.to_string(), work));
                self.ids.insert(path.to_string(), id);
                id
            }
        };
        self.files[id as usize].1 = work;
        for &stamp in stamps {
            let users = self.users.entry(stamp).or_default();
            // A file made again after a save notes the stamps it kept again; one entry is enough.
            if users.last() != Some(&id) && !users.contains(&id) {
                users.push(id);
            }
        }
        if reusable {
            self.unbounded.remove(&id);
        } else {
            self.unbounded.insert(id);
        }
    }

    /// The files that showed any of `replaced` (stamps no post has any more), and those made on every render.
    /// `replaced` are forgotten: the files made again note the stamps that replaced them.
    pub fn reached(&mut self, replaced: &[u64]) -> Reached {
        let mut reached = Reached::default();
        let ids = replaced.iter().filter_map(|stamp| self.users.remove(stamp)).flatten();
        for id in ids.chain(self.unbounded.iter().copied().collect::<Vec<_>>()) {
            let (path, work) = &self.files[id as usize];
            match *work {
                Work::Post(i) => reached.posts.insert(i),
                Work::Producer(p) => reached.producers.insert(p),
            };
            reached.paths.insert(path.clone());
        }
        reached
    }

    /// How many files are noted.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_stamp_reaches_exactly_the_files_that_showed_it_and_the_unbounded_ones() {
        let mut reach = Reach::default();
        reach.note("a/index.html", Work::Post(0), &[1, 2], true);
        reach.note("b/index.html", Work::Post(1), &[2, 3], true);
        reach.note("index.html", Work::Producer(0), &[1, 3], true);
        reach.note("x/index.html", Work::Producer(4), &[], false);
        let reached = reach.reached(&[1]);
        assert_eq!(reached.posts, [0].into());
        assert_eq!(reached.producers, [0, 4].into());
        let paths: BTreeSet<&str> = reached.paths.iter().map(String::as_str).collect();
        assert_eq!(paths, ["a/index.html", "index.html", "x/index.html"].into());
        // Stamp 1 is forgotten; the files made again note their new stamps, once each.
        assert_eq!(reach.reached(&[1]).posts, BTreeSet::new());
        reach.note("a/index.html", Work::Post(0), &[9, 2], true);
        reach.note("a/index.html", Work::Post(0), &[9, 2], true);
        assert_eq!(reach.users[&9], [0]);
        assert_eq!(reach.users[&2], [0, 1]);
        assert_eq!(reach.len(), 4);
        // A file that reads no more beyond its variables is no longer made every time.
        reach.note("x/index.html", Work::Producer(4), &[], true);
        assert!(reach.reached(&[]).paths.is_empty());
    }
}
