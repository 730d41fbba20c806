//! Posts as read at the last load, kept for the preview server: on a save, only the files the watcher reported are
//! read and parsed again, not all ten thousand.
//!
//! What [`super::load`] makes of a file depends only on the file's bytes and on where it sits in the content tree
//! (its [`SourceFile`]: section, slug, bundle assets). So a kept result is reused while the walk finds the same
//! `SourceFile` and the watcher has not reported the file, or a folder holding it, as changed. A file changed
//! without the watcher noticing stays as it was read until its next save; a one-shot build keeps nothing.
use super::{SourceFile, SourcePage, load_one};
use crate::error::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// A file's load result: the post (if it could be read) and the problems found in it.
type Loaded = (Option<SourcePage>, Vec<Diagnostic>);

#[derive(Default)]
pub struct SourceCache {
    /// By the file's `/`-separated path from the root (`content/a.md`).
    entries: HashMap<String, (SourceFile, Loaded)>,
    /// The walk of the last load, and whether a change since may have altered it (a file or folder added,
    /// removed, or not a known post).
    walked: Option<Vec<SourceFile>>,
    /// How the last walk went (`follow_external_links`, `ignored_content`): another way finds other files.
    /// Boxed: a compiled glob set is large, and a builder that keeps no cache should not carry its room.
    walking: Box<super::Walking>,
    /// How many files were read (not reused) since the cache was made.
    read: u64,
}

impl SourceCache {
    pub fn read(&self) -> u64 {
        self.read
    }

    /// Forgets the files at `changed` (root-relative, `/`-separated) and every file under a changed folder.
    pub fn forget<'a>(&mut self, root: &Path, changed: impl IntoIterator<Item = &'a str>) {
        for path in changed {
            // Saving a known post changes no file's place in the tree, so its walk stays right; anything else
            // (a new or deleted file, a folder, a bundle's asset) may, and the next load walks again.
            let known = self.entries.get(path).is_some_and(|(file, _)| root.join(&file.relative).is_file());
            if !known {
                self.walked = None;
            }
            let folder = format!("{}/", path.trim_end_matches('/'));
            self.entries.retain(|file, _| file != path && !file.starts_with(&folder));
        }
    }

    /// The sources under `root/content`: the last walk's if nothing since can have changed it.
    pub fn find(&mut self, root: &Path, walking: &super::Walking) -> std::io::Result<Vec<SourceFile>> {
        match &self.walked {
            Some(files) if *self.walking == *walking => Ok(files.clone()),
            _ => {
                *self.walking = walking.clone();
                super::find_sources(root, walking)
            }
        }
    }

    /// The file at `path` as the last walk found it, if no change since can have moved it.
    pub fn walked(&self, path: &str) -> Option<SourceFile> {
        self.walked.as_ref()?.iter().find(|f| f.display == path).cloned()
    }

    /// Keeps a file read outside [`SourceCache::load`] (the preview server's body-only patch).
    pub fn keep(&mut self, file: SourceFile, loaded: Loaded) {
        self.read += 1;
        self.entries.insert(file.display.clone(), (file, loaded));
    }

    /// [`super::load`], reading only the files that are not kept.
    pub fn load(&mut self, root: &Path, files: &[SourceFile]) -> (Vec<SourcePage>, Vec<Diagnostic>) {
        let mut kept = std::mem::take(&mut self.entries);
        let reusable = |file: &SourceFile| kept.get(&file.display).is_some_and(|(same, _)| same == file);
        let fresh: Vec<Option<Loaded>> =
            files.par_iter().map(|file| (!reusable(file)).then(|| load_one(root, file))).collect();
        let mut pages = Vec::with_capacity(files.len());
        let mut diagnostics = Vec::new();
        for (file, fresh) in files.iter().zip(fresh) {
            let loaded = match fresh {
                Some(loaded) => {
                    self.read += 1;
                    loaded
                }
                None => kept.remove(&file.display).expect("checked reusable above").1,
            };
            pages.extend(loaded.0.clone());
            diagnostics.extend(loaded.1.iter().cloned());
            self.entries.insert(file.display.clone(), (file.clone(), loaded));
        }
        // Files that are gone stay in `kept` and are dropped with it, so the cache never outgrows the site.
        self.walked = Some(files.to_vec());
        (pages, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(title: &str) -> String {
        format!("+++\ntitle = \"{title}\"\ndate = 2020-01-01\n+++\nbody\n")
    }

    fn titles(pages: &[SourcePage]) -> Vec<&str> {
        pages.iter().map(|p| p.front.title.as_str()).collect()
    }

    #[test]
    fn only_reported_files_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::write(root.join("content/a.md"), post("A")).unwrap();
        std::fs::write(root.join("content/notes/b.md"), post("B")).unwrap();
        let mut cache = SourceCache::default();
        let files = super::super::find_sources(root, &Default::default()).unwrap();
        assert_eq!(titles(&cache.load(root, &files).0), ["A", "B"]);
        assert_eq!(cache.read(), 2);

        std::fs::write(root.join("content/a.md"), post("A2")).unwrap();
        std::fs::write(root.join("content/notes/b.md"), post("B2")).unwrap();
        assert_eq!(titles(&cache.load(root, &files).0), ["A", "B"], "nothing reported, nothing read");
        cache.forget(root, ["content/a.md"]);
        assert_eq!(titles(&cache.load(root, &files).0), ["A2", "B"]);
        cache.forget(root, ["content/notes"]);
        assert_eq!(titles(&cache.load(root, &files).0), ["A2", "B2"], "a reported folder covers its files");
        assert_eq!(cache.read(), 4);
    }

    #[test]
    fn the_tree_is_walked_again_unless_only_known_posts_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), post("A")).unwrap();
        let mut cache = SourceCache::default();
        let files = cache.find(root, &Default::default()).unwrap();
        cache.load(root, &files);
        std::fs::write(root.join("content/a.md"), post("A2")).unwrap();
        cache.forget(root, ["content/a.md"]);
        assert_eq!(cache.find(root, &Default::default()).unwrap(), files, "a saved post moves nothing");
        std::fs::write(root.join("content/b.md"), post("B")).unwrap();
        cache.forget(root, ["content/b.md"]);
        assert_eq!(cache.find(root, &Default::default()).unwrap().len(), 2, "a new post is found");
        let files = cache.find(root, &Default::default()).unwrap();
        cache.load(root, &files);
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        cache.forget(root, ["content/a.md"]);
        assert_eq!(cache.find(root, &Default::default()).unwrap().len(), 1, "a deleted post is gone");
    }

    #[test]
    fn a_file_that_moved_in_the_tree_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/trip")).unwrap();
        std::fs::write(root.join("content/trip/index.md"), post("Trip")).unwrap();
        let mut cache = SourceCache::default();
        cache.load(root, &super::super::find_sources(root, &Default::default()).unwrap());
        // A new asset changes the bundle's `SourceFile`, and so the post's asset list, without touching index.md.
        std::fs::write(root.join("content/trip/map.png"), "png").unwrap();
        let (pages, _) = cache.load(root, &super::super::find_sources(root, &Default::default()).unwrap());
        assert_eq!(pages[0].assets.len(), 1);
        assert_eq!(cache.read(), 2);
    }
}
