//! What the published folder holds, remembered between one-shot builds, so that `fanzine build` renders again only
//! the pages whose inputs changed, as the preview does within one process.
//!
//! After a build publishes, every file it rendered from its variables alone (the render memo's reusable files) is
//! recorded in `.fanzine-cache/published` with its memo key and the size, modification time and inode the file
//! then had. The next build trusts a record only if the file still has all three: a file anyone touched since
//! (an editor, a deploy tool, a later build of another checkout) is rendered again, never reused. A record also
//! names the folder and is tied to the fanzine that wrote it and to the site-wide inputs (the config and the
//! templates, [`Reusable::site_wide`]), so another output folder, another fanzine or another theme reuses nothing.
//!
//! A reused file is handed to the writer as a copy of the published one (`Entry::Copy`), which the writer already
//! treats as "the same bytes again": nothing is read, rendered or written for it.
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The manifest's name in the cache folder.
const FILE_NAME: &str = "published";

/// What the manifest is written for: its format and the fanzine that wrote it (a key made by one fanzine may
/// stand for different bytes in another).
fn format() -> String {
    format!("fanzine published 1 {}", env!("FANZINE_SOURCE_HASH"))
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    /// The published folder, links resolved.
    target: PathBuf,
    site_wide: u64,
    /// By output path, sorted.
    files: Vec<(String, Record)>,
}

/// One published file as the build that rendered it left it.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
struct Record {
    key: u64,
    stamp: Stamp,
}

/// What tells a file that nobody has touched from one that somebody has.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    len: u64,
    modified_s: i64,
    modified_ns: i64,
    inode: u64,
}

impl Stamp {
    fn of(file: &Path) -> Option<Stamp> {
        let m = fs::symlink_metadata(file).ok().filter(|m| m.is_file())?;
        Some(Stamp { len: m.len(), modified_s: m.mtime(), modified_ns: m.mtime_nsec(), inode: m.ino() })
    }
}

/// The published files a build may reuse: each still exactly as the build that rendered it left it.
#[derive(Debug, Default)]
pub struct Reusable {
    /// The published folder, links resolved: a reused file is copied from here.
    pub root: PathBuf,
    /// A hash of what every file depends on besides its own variables; the keys hold only if it is the same.
    pub site_wide: u64,
    /// Memo key by output path.
    pub keys: HashMap<String, u64>,
}

/// The published files of `target` (links resolved) that may be reused; none when there is no manifest for it,
/// or one fanzine cannot read.
pub fn load(cache_dir: &Path, target: &Path) -> Reusable {
    crate::cache_file::remove_abandoned_temps(cache_dir, FILE_NAME);
    let manifest = fs::read(cache_dir.join(FILE_NAME))
        .ok()
        .and_then(|bytes| bincode::deserialize::<Manifest>(&bytes).ok())
        .filter(|m| m.format == format() && m.target == target);
    let Some(manifest) = manifest else { return Reusable { root: target.to_path_buf(), ..Reusable::default() } };
    let keys = (manifest.files.into_par_iter())
        .filter(|(path, record)| Stamp::of(&target.join(path)) == Some(record.stamp))
        .map(|(path, record)| (path, record.key))
        .collect();
    Reusable { root: target.to_path_buf(), site_wide: manifest.site_wide, keys }
}

/// Records the files just published in `target` (links resolved) under their keys, for the next build. A file
/// that is gone or not a file is left out. The manifest is replaced whole, by a rename, so a build killed while
/// writing it leaves the old one, whose records then fail their checks for every file this build changed.
pub fn record(cache_dir: &Path, target: &Path, site_wide: u64, keys: HashMap<String, u64>) -> io::Result<()> {
    let mut files: Vec<(String, Record)> = (keys.into_par_iter())
        .filter_map(|(path, key)| Stamp::of(&target.join(&path)).map(|stamp| (path, Record { key, stamp })))
        .collect();
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let manifest = Manifest { format: format(), target: target.to_path_buf(), site_wide, files };
    let bytes = bincode::serialize(&manifest).map_err(io::Error::other)?;
    crate::cache_file::replace(cache_dir, FILE_NAME, &bytes)
}

/// Forgets what was published (a build that failed to record leaves no manifest that could mislead the next).
pub fn forget(cache_dir: &Path) {
    let _ = fs::remove_file(cache_dir.join(FILE_NAME));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
        pairs.iter().map(|(p, k)| (p.to_string(), *k)).collect()
    }

    #[test]
    fn a_recorded_file_is_reusable_until_it_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, target) = (dir.path().join("cache"), dir.path().join("public"));
        fs::create_dir_all(target.join("a")).unwrap();
        fs::write(target.join("a/index.html"), "a").unwrap();
        fs::write(target.join("b.html"), "b").unwrap();
        record(&cache, &target, 7, keys(&[("a/index.html", 1), ("b.html", 2), ("gone.html", 3)])).unwrap();
        let reusable = load(&cache, &target);
        assert_eq!((reusable.site_wide, &reusable.root), (7, &target));
        assert_eq!(reusable.keys, keys(&[("a/index.html", 1), ("b.html", 2)]), "a file not there is not recorded");

        // Rewritten with other bytes of the same length: a new inode or a new time, so no longer reusable.
        fs::remove_file(target.join("b.html")).unwrap();
        fs::write(target.join("b.html"), "B").unwrap();
        assert_eq!(load(&cache, &target).keys, keys(&[("a/index.html", 1)]));
        // Another folder reuses nothing.
        assert!(load(&cache, &dir.path().join("elsewhere")).keys.is_empty());
    }

    #[test]
    fn a_missing_or_unreadable_manifest_reuses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        assert!(load(dir.path(), &target).keys.is_empty());
        fs::write(dir.path().join(FILE_NAME), b"not a manifest").unwrap();
        assert!(load(dir.path(), &target).keys.is_empty());
        // A temporary manifest a killed build left (its process is gone) is removed.
        let abandoned = dir.path().join(format!("{FILE_NAME}.999999999.tmp"));
        fs::write(&abandoned, b"half").unwrap();
        load(dir.path(), &target);
        assert!(!abandoned.exists());
        record(dir.path(), &target, 1, HashMap::new()).unwrap();
        forget(dir.path());
        assert!(!dir.path().join(FILE_NAME).exists());
    }
}
