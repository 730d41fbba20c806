//! What the published folder and the spare hold, remembered from one publish to the next, so that a build updates
//! the spare by the paths that changed instead of visiting every file, and finds out whether the published folder
//! holds anything extra by one `statx` per folder instead of opening and reading every folder.
//!
//! The record (`.public.record`, beside the lock) says, as of the swap that wrote it: which files the published
//! folder holds, and each of its folders' modification time (ns); and that the spare is the folder published
//! before, as the record before said it was, whose files are hard links of the published ones but for the paths
//! that swap changed, added or removed. A folder's time changes whenever an entry is added to it or removed from
//! it, so a folder whose time is still the recorded one holds the recorded names; one whose time moved, or was too
//! recent to trust (see [`Tree::measure`]), is listed and its names compared, and its files are no longer taken
//! for links. A build looks at each folder of the spare before it trusts the record (a file deleted from it or
//! added to it by hand, or to the published folder before that folder was swapped out, is seen there), and at each
//! folder of the published one when nothing changed. Both folders' identities (device and inode) are recorded
//! too: a folder replaced, removed or swapped by anyone else no longer matches.
//!
//! It lives beside the lock, not in `.fanzine-cache/`: it describes the two folders beside it, whatever site or
//! cache wrote them (`--no-cache` builds and [`super::write`] use it too); and never inside either folder, which
//! get published. It is written under the lock, by a rename, after the swap; and removed before the spare is first
//! touched, so a build killed at any point (while filling, between swap and record, while writing it) leaves no
//! record, and the next build makes the full pass. A record that cannot be read, is of another format or target,
//! or whose folder identities do not match is ignored the same way. Its size is about the paths' (55 bytes a file
//! at 10,000 posts): what a file list costs, read in a millisecond.
//!
//! Out of contract: a file's bytes changed in place inside the spare (its folder's time does not move; but the
//! spare's unchanged files are the published ones, whose changes the render sees), a file replaced by hand with
//! its folder's time set back, the clock stepped back, a file system that does not move a folder's time when its
//! entries change, and changes made to either folder while a build runs.
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the record is written for: its layout.
const FORMAT: &str = "fanzine publish record 1";

/// A folder time that cannot be trusted: the folder is listed instead.
const UNKNOWN: i64 = i64::MIN;

/// A folder's identity.
pub(super) type Id = (u64, u64);

pub(super) fn id(folder: &Path) -> Option<Id> {
    fs::symlink_metadata(folder).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

/// The files of a folder tree (sorted, slash-separated, relative), its folders (sorted, "" first) and their times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tree {
    pub files: Vec<String>,
    folders: Vec<String>,
    stamps: Vec<i64>,
}

/// For each folder of a [`Tree`], whether [`Tree::holds_exactly`] had to list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed(Vec<bool>);

/// The spare as the record describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spare {
    pub id: Id,
    pub tree: Tree,
    /// Paths where the spare and the published folder may differ: the rest of the spare's files are the published
    /// ones (hard links).
    pub differ: HashSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub target: PathBuf,
    pub published_id: Id,
    pub published: Tree,
    /// `None`: nothing is known of the spare (there is none, or it is not what the record could describe).
    pub spare: Option<Spare>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    target: PathBuf,
    published_id: Id,
    /// [`encode`]d.
    files: Vec<u8>,
    stamps: Vec<i64>,
    spare: Option<StoredSpare>,
}

/// The spare's files are the published ones, less `only_published`, plus `only_spare`.
#[derive(Serialize, Deserialize)]
struct StoredSpare {
    id: Id,
    stamps: Vec<i64>,
    only_published: Vec<String>,
    only_spare: Vec<String>,
    changed: Vec<String>,
}

impl Tree {
    /// The tree of `files` (sorted) as it is now in `root`: each folder's time (`known` if it says, else looked
    /// at), or [`UNKNOWN`] for a folder changed at or after `now` (a time of the file system, read before), whose
    /// later changes could keep that time.
    pub fn measure(root: &Path, files: Vec<String>, now: i64, known: impl Fn(&str) -> Option<i64> + Sync) -> Tree {
        let folders = folders_of(&files);
        let stamps = (folders.par_iter())
            .map(|f| known(f).or_else(|| stamp(&root.join(f)).filter(|s| *s < now)).unwrap_or(UNKNOWN))
            .collect();
        Tree { files, folders, stamps }
    }

    /// Whether `root` holds exactly this tree's files and folders (names and kinds): a folder whose time is the
    /// recorded one does; any other is listed. If so, which folders had to be listed (their names are right, but
    /// a file may have been replaced).
    pub fn holds_exactly(&self, root: &Path, visits: &AtomicUsize) -> Option<Listed> {
        (self.folders.par_iter().zip(&self.stamps))
            .map(|(folder, recorded)| {
                visits.fetch_add(1, Ordering::Relaxed);
                let dir = root.join(folder);
                if *recorded != UNKNOWN && stamp(&dir) == Some(*recorded) {
                    return Some(false);
                }
                self.lists(&dir, folder).then_some(true)
            })
            .collect::<Option<Vec<bool>>>()
            .map(Listed)
    }

    /// Every folder counted as listed: for a tree whose folders were all made anew, so that no time is known.
    pub fn all_listed(&self) -> Listed {
        Listed(vec![true; self.folders.len()])
    }

    /// The files of the folders that were `listed`.
    pub fn listed_files<'a>(&'a self, listed: &'a Listed) -> impl Iterator<Item = &'a str> {
        (self.folders.iter().zip(&listed.0)).filter(|(_, listed)| **listed).flat_map(|(f, _)| self.files_in(f))
    }

    /// The time of `folder` found by [`Tree::holds_exactly`], if it found it by its time.
    pub fn stamp_of(&self, folder: &str, listed: &Listed) -> Option<i64> {
        let at = self.folders.binary_search_by(|f| f.as_str().cmp(folder)).ok()?;
        (!listed.0[at]).then_some(self.stamps[at])
    }

    /// The files directly in `folder`.
    fn files_in(&self, folder: &str) -> Vec<&str> {
        let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        let start = self.files.partition_point(|f| f.as_str() < prefix.as_str());
        (self.files[start..].iter())
            .map_while(|f| f.strip_prefix(&prefix).map(|rest| (f, rest)))
            .filter(|(_, rest)| !rest.contains('/'))
            .map(|(f, _)| f.as_str())
            .collect()
    }

    /// Whether the folder `dir` (`folder` in the tree) holds exactly the tree's entries there.
    fn lists(&self, dir: &Path, folder: &str) -> bool {
        let Ok(entries) = fs::read_dir(dir) else { return false };
        let mut found = BTreeMap::new();
        for entry in entries {
            let Ok(entry) = entry else { return false };
            let Ok(kind) = entry.file_type() else { return false };
            found.insert(entry.file_name().to_string_lossy().into_owned(), kind.is_dir());
        }
        found == self.children(folder)
    }

    /// The entries of `folder` by name: whether each is a folder.
    fn children(&self, folder: &str) -> BTreeMap<String, bool> {
        let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        let start = self.files.partition_point(|f| f.as_str() < prefix.as_str());
        (self.files[start..].iter())
            .map_while(|f| f.strip_prefix(&prefix))
            .map(|rest| match rest.split_once('/') {
                Some((name, _)) => (name.to_string(), true),
                None => (rest.to_string(), false),
            })
            .collect()
    }

    /// Whether `path` is one of the files.
    pub fn has(&self, path: &str) -> bool {
        self.files.binary_search_by(|f| f.as_str().cmp(path)).is_ok()
    }
}

/// Every folder that holds one of `files`, with the root as "", sorted.
fn folders_of(files: &[String]) -> Vec<String> {
    let mut folders: BTreeSet<&str> = BTreeSet::from([""]);
    for file in files {
        let mut rest = file.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    folders.into_iter().map(str::to_string).collect()
}

/// A folder's modification time in ns, if it is a folder.
fn stamp(dir: &Path) -> Option<i64> {
    let m = fs::symlink_metadata(dir).ok().filter(|m| m.is_dir())?;
    Some(m.mtime().saturating_mul(1_000_000_000).saturating_add(m.mtime_nsec()))
}

/// The file system's time now, as it would stamp a folder changed now: `file`'s modification time set to now.
pub(super) fn now(file: &fs::File) -> io::Result<i64> {
    let now = rustix::fs::Timespec { tv_sec: 0, tv_nsec: rustix::fs::UTIME_NOW };
    let times = rustix::fs::Timestamps { last_access: now, last_modification: now };
    rustix::fs::futimens(file, &times)?;
    let m = file.metadata()?;
    let now = m.mtime().saturating_mul(1_000_000_000).saturating_add(m.mtime_nsec());
    #[cfg(test)]
    let now = now.saturating_add(LATER.get());
    Ok(now)
}

#[cfg(test)]
thread_local! {
    /// How much later than it is a test's writes take it to be when they record (ns): builds a test makes in a
    /// row are a tick of the clock apart, so every folder they touch would be too recent to trust by its time.
    pub(super) static LATER: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// Sorted paths, each as the length it shares with the one before (a byte, at most 255), the rest, and a NUL.
fn encode(files: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(files.len() * 16);
    let mut before: &[u8] = &[];
    for file in files {
        let bytes = file.as_bytes();
        let shared = before.iter().zip(bytes).take(255).take_while(|(a, b)| a == b).count();
        out.push(shared as u8);
        out.extend_from_slice(&bytes[shared..]);
        out.push(0);
        before = bytes;
    }
    out
}

fn decode(mut bytes: &[u8]) -> Option<Vec<String>> {
    let mut files: Vec<String> = Vec::new();
    while let Some((&shared, rest)) = bytes.split_first() {
        let end = rest.iter().position(|b| *b == 0)?;
        let mut file = files.last().map_or("", String::as_str).as_bytes().get(..shared as usize)?.to_vec();
        file.extend_from_slice(&rest[..end]);
        let file = String::from_utf8(file).ok()?;
        if files.last().is_some_and(|last| *last >= file) {
            return None;
        }
        files.push(file);
        bytes = &rest[end + 1..];
    }
    Some(files)
}

/// The record of the folders of `target` (links resolved), if there is one that still describes them: same
/// target, same published folder; the spare is known only if it is the recorded folder.
pub(super) fn load(record: &Path, target: &Path, spare: &Path) -> Option<Record> {
    let stored: Stored = bincode::deserialize(&fs::read(record).ok()?).ok()?;
    if stored.format != FORMAT || stored.target != target || id(target) != Some(stored.published_id) {
        return None;
    }
    let files = decode(&stored.files)?;
    let published = Tree { folders: folders_of(&files), files, stamps: stored.stamps };
    if published.stamps.len() != published.folders.len() {
        return None;
    }
    let spare = stored.spare.filter(|s| id(spare) == Some(s.id)).and_then(|s| {
        let gone: HashSet<&str> = s.only_published.iter().map(String::as_str).collect();
        let mut files: Vec<String> = (published.files.iter())
            .filter(|f| !gone.contains(f.as_str()))
            .cloned()
            .chain(s.only_spare.clone())
            .collect();
        files.sort_unstable();
        files.dedup();
        let folders = folders_of(&files);
        (folders.len() == s.stamps.len()).then(|| Spare {
            id: s.id,
            tree: Tree { files, folders, stamps: s.stamps },
            differ: s.only_published.into_iter().chain(s.only_spare).chain(s.changed).collect(),
        })
    });
    Some(Record { target: target.to_path_buf(), published_id: stored.published_id, published, spare })
}

/// Writes `record` to `path` whole, by a rename: a build killed while writing it leaves no record.
pub(super) fn save(path: &Path, record: &Record) -> io::Result<()> {
    let spare = record.spare.as_ref().map(|s| {
        let only_published: Vec<String> = (record.published.files.iter()).filter(|f| !s.tree.has(f)).cloned().collect();
        let only_spare: Vec<String> = (s.tree.files.iter()).filter(|f| !record.published.has(f)).cloned().collect();
        let mut changed: Vec<String> =
            (s.differ.iter()).filter(|f| record.published.has(f) && s.tree.has(f)).cloned().collect();
        changed.sort_unstable();
        StoredSpare { id: s.id, stamps: s.tree.stamps.clone(), only_published, only_spare, changed }
    });
    let stored = Stored {
        format: FORMAT.to_string(),
        target: record.target.clone(),
        published_id: record.published_id,
        files: encode(&record.published.files),
        stamps: record.published.stamps.clone(),
        spare,
    };
    let bytes = bincode::serialize(&stored).map_err(io::Error::other)?;
    let temp = temp_of(path);
    let mut file = fs::File::create(&temp)?;
    file.write_all(&bytes)?;
    drop(file);
    fs::rename(&temp, path)
}

/// The temporary file a record is written to (one name: only the holder of the lock writes it).
fn temp_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

/// Removes the record (and a temporary one a killed build left): the folders are about to change.
pub(super) fn forget(path: &Path) -> io::Result<()> {
    let _ = fs::remove_file(temp_of(path));
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(files: &[&str]) -> Vec<String> {
        files.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn paths_are_stored_by_what_they_add_to_the_one_before() {
        let files = strings(&["a/b/index.html", "a/b/x.css", "a/c.html", "z", "é/ü"]);
        let bytes = encode(&files);
        assert!(bytes.len() < files.iter().map(|f| f.len() + 1).sum::<usize>());
        assert_eq!(decode(&bytes), Some(files));
        assert_eq!(decode(&[]), Some(vec![]));
        assert_eq!(decode(b"\x00b\x00\x00a\x00"), None, "out of order");
        assert_eq!(decode(b"\x05a\x00"), None, "shares more than there is");
        assert_eq!(decode(b"\x00a"), None, "cut short");
    }

    #[test]
    fn a_tree_knows_its_folders_and_each_folders_entries() {
        let files = strings(&["a/b/index.html", "a/c.html", "index.html"]);
        assert_eq!(folders_of(&files), ["", "a", "a/b"]);
        let tree = Tree { folders: folders_of(&files), files, stamps: vec![UNKNOWN; 3] };
        let names = |f| tree.children(f).into_iter().collect::<Vec<_>>();
        assert_eq!(names(""), [("a".to_string(), true), ("index.html".to_string(), false)]);
        assert_eq!(names("a"), [("b".to_string(), true), ("c.html".to_string(), false)]);
        assert!(tree.has("a/c.html") && !tree.has("a"));
    }

    #[test]
    fn a_folder_is_trusted_by_its_time_unless_it_was_too_recent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/x.html"), "x").unwrap();
        let clock = fs::File::create(root.join("clock")).unwrap();
        let files = strings(&["a/x.html", "clock"]);
        let visits = AtomicUsize::new(0);
        // Measured before the folders' last change can be trusted only by listing them.
        let racy = Tree::measure(root, files.clone(), i64::MIN + 1, |_| None);
        assert!(racy.stamps.iter().all(|s| *s == UNKNOWN));
        let listed = racy.holds_exactly(root, &visits).unwrap();
        assert_eq!(racy.listed_files(&listed).collect::<Vec<_>>(), ["clock", "a/x.html"], "every folder listed");
        assert_eq!(racy.stamp_of("a", &listed), None);
        let tree = Tree::measure(root, files.clone(), now(&clock).unwrap() + 1, |_| None);
        assert!(tree.stamps.iter().all(|s| *s != UNKNOWN));
        let listed = tree.holds_exactly(root, &visits).unwrap();
        assert_eq!(tree.listed_files(&listed).count(), 0);
        assert_eq!(tree.stamp_of("a", &listed), Some(tree.stamps[1]));
        assert_eq!(visits.load(Ordering::Relaxed), 4, "one look at each folder");
        let known = Tree::measure(root, files, i64::MIN + 1, |f| (f == "a").then_some(7));
        assert_eq!(known.stamps, [UNKNOWN, 7], "a time known already is not looked at");
        fs::write(root.join("a/extra.html"), "x").unwrap();
        assert_eq!(tree.holds_exactly(root, &visits), None, "an added file moves its folder's time");
        assert_eq!(racy.holds_exactly(root, &visits), None, "and is listed");
        fs::remove_file(root.join("a/extra.html")).unwrap();
        let listed = tree.holds_exactly(root, &visits).unwrap();
        assert_eq!(tree.listed_files(&listed).collect::<Vec<_>>(), ["a/x.html"], "listed, and its files named");
        fs::remove_file(root.join("a/x.html")).unwrap();
        assert_eq!(racy.holds_exactly(root, &visits), None, "a missing file too");
    }
}
