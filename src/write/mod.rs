//! The write stage: the whole site goes into a folder beside the target, and only a complete build is swapped in.
//! A failed, killed or concurrent build leaves the published folder exactly as it was.
//!
//! The swap is `renameat2(RENAME_EXCHANGE)` where the kernel has it, so there is no instant at which the target
//! is missing; elsewhere it is two renames, and a build killed between them is repaired by the next one.
//!
//! The folder swapped out is not deleted: it is kept as the *spare* (`.public.spare`), and the next build updates
//! it in place into the new site, writing only the files whose bytes changed and removing the ones that are gone.
//! Deleting and recreating a whole tree is most of a write on an ordinary disk (on one mounted with `discard`,
//! seconds for a thousand posts), and unchanged files keep their modification times, so `rsync`-style deploys
//! upload only what changed. The price is a second copy of the site on disk.
use crate::render::{Entry, Output};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("another fanzine build is writing {0} right now")]
    Busy(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{0} exists and is not a folder; refusing to replace it")]
    NotADirectory(PathBuf),
}

impl WriteError {
    /// What the author can do about it, for the CLI to print under the error.
    pub fn hint(&self) -> &'static str {
        match self {
            WriteError::Busy(_) => "wait for the other build to finish, then run this one again",
            WriteError::Io { source, .. } if source.kind() == io::ErrorKind::StorageFull => {
                "the disk is full; free some space and build again (the published site was left as it was)"
            }
            WriteError::Io { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                "check the permissions of the output folder and of its parent"
            }
            WriteError::Io { .. } => "the published site was left as it was; fix the cause and build again",
            WriteError::NotADirectory(_) => "choose another --output-dir, or remove that file",
        }
    }
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// What a write did, for the build summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files in the published site.
    pub files: usize,
    /// Of those, files whose bytes were written by this build (the rest were already right in the spare).
    pub changed: usize,
}

/// Names of the helper entries that live beside the target: `.public.lock`, `.public.spare`, `.public.old`.
struct Paths {
    target: PathBuf,
    lock: PathBuf,
    spare: PathBuf,
    old: PathBuf,
}

impl Paths {
    fn new(target: &Path) -> Paths {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let beside = |suffix: &str| parent.join(format!(".{name}.{suffix}"));
        Paths { target: target.to_path_buf(), lock: beside("lock"), spare: beside("spare"), old: beside("old") }
    }
}

/// Writes `output` to `target` atomically.
pub fn write(output: &Output, target: &Path) -> Result<Written, WriteError> {
    if let Some(file) = target.ancestors().skip(1).find(|a| a.is_file()) {
        return Err(WriteError::NotADirectory(file.to_path_buf()));
    }
    let paths = Paths::new(target);
    if let Some(parent) = paths.lock.parent() {
        fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&paths.lock)
        .map_err(io_at(&paths.lock))?;
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .map_err(|_| WriteError::Busy(target.to_path_buf()))?;
    recover(&paths)?;
    if paths.target.exists() && !paths.target.is_dir() {
        return Err(WriteError::NotADirectory(paths.target.clone()));
    }
    if !paths.spare.exists() && paths.target.is_dir() {
        // The build after a clean one: if nothing changed, the published site is left exactly as it is (no spare
        // to make, no swap); otherwise the spare is made from it.
        if holds_exactly(output, &paths.target) {
            return Ok(Written { files: output.files.len(), changed: 0 });
        }
        seed(&paths.target, &paths.spare);
    }
    let changed = fill(output, &paths.spare).inspect_err(|_| {
        // A spare in an unknown state is still safe to update, but a failure here (a full disk, permissions) is
        // better retried from nothing.
        let _ = fs::remove_dir_all(&paths.spare);
    })?;
    swap(&paths)?;
    drop(lock);
    Ok(Written { files: output.files.len(), changed })
}

/// Undoes what a killed build left behind: a target moved aside and not back. A half-updated spare needs nothing:
/// the next fill brings every file of it up to date.
fn recover(paths: &Paths) -> Result<(), WriteError> {
    if paths.old.exists() {
        if !paths.target.exists() {
            fs::rename(&paths.old, &paths.target).map_err(io_at(&paths.target))?;
        } else if !paths.spare.exists() {
            fs::rename(&paths.old, &paths.spare).map_err(io_at(&paths.spare))?;
        } else {
            fs::remove_dir_all(&paths.old).map_err(io_at(&paths.old))?;
        }
    }
    if paths.spare.exists() && !paths.spare.is_dir() {
        fs::remove_file(&paths.spare).map_err(io_at(&paths.spare))?;
    }
    Ok(())
}

/// Makes the folder `dir` hold exactly `output`. Returns how many files had to be written.
fn fill(output: &Output, dir: &Path) -> Result<usize, WriteError> {
    fs::create_dir_all(dir).map_err(io_at(dir))?;
    // Every folder, parents included, grouped by depth: one depth at a time so parents exist before children, in
    // parallel within a depth because a mkdir costs as much as writing a small page and a blog has a folder per post.
    let mut by_depth: Vec<BTreeSet<&Path>> = Vec::new();
    for file in output.files.keys() {
        for folder in Path::new(file).ancestors().skip(1).filter(|d| !d.as_os_str().is_empty()) {
            let depth = folder.components().count();
            if by_depth.len() < depth {
                by_depth.resize_with(depth, BTreeSet::new);
            }
            by_depth[depth - 1].insert(folder);
        }
    }
    prune(output, &by_depth, dir)?;
    for folders in &by_depth {
        folders.par_iter().try_for_each(|folder| {
            let full = dir.join(folder);
            match fs::create_dir(&full) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(io_at(&full)(e)),
                _ => Ok(()),
            }
        })?;
    }
    let changed: Vec<bool> = output
        .files
        .par_iter()
        .map(|(path, entry)| {
            let full = dir.join(path);
            match entry {
                Entry::Bytes(bytes) => update_bytes(&full, bytes),
                Entry::Copy(source) => update_copy(source, &full),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(changed.into_iter().filter(|&c| c).count())
}

/// Whether `dir` holds exactly `output`: its files and folders, nothing else, every file already right.
fn holds_exactly(output: &Output, dir: &Path) -> bool {
    let folders: BTreeSet<&Path> = output.files.keys().flat_map(|file| Path::new(file).ancestors().skip(1)).collect();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let Ok(entry) = entry else { return false };
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let known = match entry.file_type() {
            kind if kind.is_dir() => folders.contains(rel),
            kind if kind.is_file() => {
                files += 1;
                output.files.contains_key(crate::content::slashed(rel).as_str())
            }
            _ => false,
        };
        if !known {
            return false;
        }
    }
    files == output.files.len()
        && output.files.par_iter().all(|(path, entry)| {
            let file = dir.join(path);
            match entry {
                Entry::Bytes(bytes) => holds_bytes(&file, bytes),
                Entry::Copy(source) => fs::metadata(source).is_ok_and(|from| holds_copy(&file, &from)),
            }
        })
}

fn holds_bytes(file: &Path, bytes: &[u8]) -> bool {
    fs::metadata(file).is_ok_and(|m| m.len() == bytes.len() as u64) && fs::read(file).is_ok_and(|old| old == bytes)
}

/// A copy is recognised by its size and its modification time, which is the source's (every copy is given it).
fn holds_copy(file: &Path, source: &fs::Metadata) -> bool {
    fs::metadata(file).is_ok_and(|to| {
        to.len() == source.len() && to.modified().ok().is_some() && to.modified().ok() == source.modified().ok()
    })
}

/// Removes from `dir` everything `output` does not have: stale files, folders, and anything of the wrong kind.
fn prune(output: &Output, folders: &[BTreeSet<&Path>], dir: &Path) -> Result<(), WriteError> {
    let is_folder = |rel: &Path| folders.get(rel.components().count().wrapping_sub(1)).is_some_and(|f| f.contains(rel));
    let mut entries = walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| io_at(dir)(e.into()))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let kind = entry.file_type();
        if kind.is_dir() {
            if !is_folder(rel) {
                fs::remove_dir_all(entry.path()).map_err(io_at(entry.path()))?;
                entries.skip_current_dir();
            }
        } else if !(kind.is_file() && output.files.contains_key(crate::content::slashed(rel).as_str())) {
            fs::remove_file(entry.path()).map_err(io_at(entry.path()))?;
        }
    }
    Ok(())
}

/// Makes a first spare out of the published site with hard links: a folder per page still has to be made, but no
/// page is written, so the build after a clean one costs what the ones after it do. Files of the spare may thus be
/// the published ones: the spare is never written in place (see [`unlink`]). If linking fails (another file
/// system, no hard links) the spare is dropped and filled from nothing.
fn seed(target: &Path, spare: &Path) {
    let linked = walkdir::WalkDir::new(target).into_iter().try_for_each(|entry| -> io::Result<()> {
        let entry = entry?;
        let copy = spare.join(entry.path().strip_prefix(target).unwrap_or(entry.path()));
        match entry.file_type() {
            kind if kind.is_dir() => fs::create_dir(&copy),
            kind if kind.is_file() => fs::hard_link(entry.path(), &copy),
            _ => Ok(()),
        }
    });
    if linked.is_err() {
        let _ = fs::remove_dir_all(spare);
    }
}

/// Writes `bytes` to `file` unless it already holds exactly them. Returns whether it wrote.
fn update_bytes(file: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    let same = holds_bytes(file, bytes);
    if !same {
        unlink(file)?;
        fs::write(file, bytes).map_err(io_at(file))?;
    }
    Ok(!same)
}

/// Removes a spare file about to be rewritten, so that it is written as a new file: the old one may be a hard link
/// to the published site (see [`seed`]), and writing through it would change the site before the swap.
fn unlink(file: &Path) -> Result<(), WriteError> {
    match fs::remove_file(file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_at(file)(e)),
        _ => Ok(()),
    }
}

/// Copies `source` to `file` unless it holds a copy already (see [`holds_copy`]).
fn update_copy(source: &Path, file: &Path) -> Result<bool, WriteError> {
    let from = fs::metadata(source).map_err(io_at(source))?;
    let same = holds_copy(file, &from);
    if !same {
        unlink(file)?;
        fs::copy(source, file).map_err(io_at(source))?;
        if let Ok(modified) = from.modified() {
            let copy = fs::OpenOptions::new().write(true).open(file).map_err(io_at(file))?;
            copy.set_modified(modified).map_err(io_at(file))?;
        }
    }
    Ok(!same)
}

/// Publishes the filled spare; the site it replaces becomes the next spare.
fn swap(paths: &Paths) -> Result<(), WriteError> {
    if !paths.target.exists() {
        return fs::rename(&paths.spare, &paths.target).map_err(io_at(&paths.target));
    }
    let exchanged = rustix::fs::renameat_with(
        rustix::fs::CWD,
        &paths.spare,
        rustix::fs::CWD,
        &paths.target,
        rustix::fs::RenameFlags::EXCHANGE,
    );
    if exchanged.is_ok() {
        return Ok(());
    }
    fs::rename(&paths.target, &paths.old).map_err(io_at(&paths.target))?;
    fs::rename(&paths.spare, &paths.target).map_err(io_at(&paths.target))?;
    fs::rename(&paths.old, &paths.spare).map_err(io_at(&paths.spare))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output { files: files.iter().map(|(p, c)| (p.to_string(), Entry::Bytes(c.as_bytes().into()))).collect() }
    }

    #[test]
    fn replaces_the_target_and_drops_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("a/index.html", "one"), ("old.html", "x")]), &target).unwrap();
        write(&output(&[("a/index.html", "two")]), &target).unwrap();
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "two");
        assert!(!target.join("old.html").exists());
        let mut beside: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        beside.sort();
        assert_eq!(beside, [".public.lock", ".public.spare", "public"]);
        assert_eq!(fs::read_to_string(Paths::new(&target).spare.join("old.html")).unwrap(), "x", "the previous site");
    }

    #[test]
    fn the_spare_is_brought_up_to_date_writing_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = output(&[("a/index.html", "one"), ("b/index.html", "same"), ("gone/x.html", "x")]);
        assert_eq!(write(&first, &target).unwrap(), Written { files: 3, changed: 3 });
        let spare = Paths::new(&target).spare;
        assert_eq!(write(&first, &target).unwrap().changed, 0);
        assert!(!spare.exists(), "nothing changed, so public/ was left alone and no spare made");
        let tweaked = output(&[("a/index.html", "one!"), ("b/index.html", "same"), ("gone/x.html", "x")]);
        assert_eq!(write(&tweaked, &target).unwrap().changed, 1, "the first spare is linked from the site");
        // The spare now holds `first`; make it also hold junk of every kind a killed or odd build could leave.
        fs::create_dir_all(spare.join("a/index.html.d")).unwrap();
        fs::remove_file(spare.join("b/index.html")).unwrap();
        fs::create_dir_all(spare.join("b/index.html")).unwrap();
        std::os::unix::fs::symlink("/etc", spare.join("link")).unwrap();
        let second = output(&[("a/index.html", "two"), ("b/index.html", "same"), ("c.html", "new")]);
        assert_eq!(write(&second, &target).unwrap(), Written { files: 3, changed: 3 });
        let mut tree: Vec<String> = walkdir::WalkDir::new(&target)
            .min_depth(1)
            .into_iter()
            .map(|e| crate::content::slashed(e.unwrap().path().strip_prefix(&target).unwrap()))
            .collect();
        tree.sort();
        assert_eq!(tree, ["a", "a/index.html", "b", "b/index.html", "c.html"]);
        assert_eq!(fs::read_to_string(target.join("b/index.html")).unwrap(), "same");
        // The spare is `tweaked`: a/index.html differs and c.html is new; b/index.html is left alone.
        assert_eq!(write(&second, &target).unwrap().changed, 2);
        assert_eq!(write(&second, &target).unwrap().changed, 0);
    }

    #[test]
    fn a_spare_seeded_with_links_never_writes_through_to_the_published_site() {
        let dir = tempfile::tempdir().unwrap();
        let (source, target) = (dir.path().join("logo.png"), dir.path().join("public"));
        fs::write(&source, "png").unwrap();
        let site = |page: &str| {
            let mut out = output(&[("a/index.html", page), ("b/index.html", "same")]);
            out.files.insert("logo.png".into(), Entry::Copy(source.clone()));
            out
        };
        write(&site("one"), &target).unwrap();
        fs::write(&source, "PNG!").unwrap();
        let written = write(&site("two"), &target).unwrap();
        assert_eq!(written, Written { files: 3, changed: 2 }, "b/index.html came from the link");
        let spare = Paths::new(&target).spare;
        assert_eq!(fs::read_to_string(spare.join("a/index.html")).unwrap(), "one", "the old site is intact");
        assert_eq!(fs::read_to_string(spare.join("logo.png")).unwrap(), "png");
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(target.join("logo.png")).unwrap(), "PNG!");
        assert_eq!(fs::read_to_string(target.join("b/index.html")).unwrap(), "same");
    }

    #[test]
    fn an_unchanged_site_is_left_untouched_and_any_difference_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let site = output(&[("a/index.html", "one"), ("index.html", "home")]);
        write(&site, &target).unwrap();
        assert!(holds_exactly(&site, &target));
        let published = fs::metadata(target.join("index.html")).unwrap().modified().unwrap();
        write(&site, &target).unwrap();
        assert_eq!(fs::metadata(target.join("index.html")).unwrap().modified().unwrap(), published);
        for (what, change) in [
            ("changed bytes", &|t: &Path| fs::write(t.join("index.html"), "HOME").unwrap()),
            ("an extra file", &|t: &Path| fs::write(t.join("extra.html"), "x").unwrap()),
            ("an extra folder", &|t: &Path| fs::create_dir(t.join("empty")).unwrap()),
            ("a missing file", &|t: &Path| fs::remove_file(t.join("a/index.html")).unwrap()),
        ] as [(&str, &dyn Fn(&Path)); 4]
        {
            let copy = dir.path().join(what.replace(' ', "-"));
            write(&site, &copy).unwrap();
            change(&copy);
            assert!(!holds_exactly(&site, &copy), "{what}");
            write(&site, &copy).unwrap();
            assert!(holds_exactly(&site, &copy), "{what} is repaired by the next build");
        }
    }

    #[test]
    fn copies_are_redone_only_when_the_source_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (source, target) = (dir.path().join("logo.png"), dir.path().join("public"));
        fs::write(&source, "png").unwrap();
        let site = Output { files: [("logo.png".to_string(), Entry::Copy(source.clone()))].into() };
        for _ in 0..3 {
            write(&site, &target).unwrap();
        }
        assert_eq!(write(&site, &target).unwrap().changed, 0);
        fs::write(&source, "PNG").unwrap();
        let newer = fs::metadata(&source).unwrap().modified().unwrap() + std::time::Duration::from_secs(2);
        fs::File::options().write(true).open(&source).unwrap().set_modified(newer).unwrap();
        write(&site, &target).unwrap();
        assert_eq!(write(&site, &target).unwrap().changed, 1, "the spare still had the old copy");
        assert_eq!(fs::read_to_string(target.join("logo.png")).unwrap(), "PNG");
    }

    #[test]
    fn recovers_a_target_moved_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("index.html", "one")]), &target).unwrap();
        let paths = Paths::new(&target);
        fs::rename(&target, &paths.old).unwrap();
        fs::create_dir_all(paths.spare.join("junk")).unwrap();
        recover(&paths).unwrap();
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "one");
        assert!(!paths.old.exists());
        write(&output(&[("index.html", "two")]), &target).unwrap();
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "two");
        assert!(!target.join("junk").exists(), "the half-made spare was cleaned before it was published");
    }

    #[test]
    fn a_file_in_the_way_is_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("blocker"), "x").unwrap();
        let err = write(&output(&[("index.html", "x")]), &dir.path().join("blocker/public")).unwrap_err();
        assert!(matches!(err, WriteError::NotADirectory(p) if p.ends_with("blocker")));
    }

    #[test]
    fn a_second_writer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let paths = Paths::new(&target);
        let held = fs::File::create(&paths.lock).unwrap();
        rustix::fs::flock(&held, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
        let err = write(&output(&[("index.html", "x")]), &target).unwrap_err();
        assert!(matches!(err, WriteError::Busy(_)));
    }

    #[test]
    fn a_failed_copy_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("index.html", "one")]), &target).unwrap();
        let mut bad = output(&[("index.html", "two")]);
        bad.files.insert("gone.png".into(), Entry::Copy(dir.path().join("missing.png")));
        assert!(write(&bad, &target).is_err());
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "one");
        assert!(!Paths::new(&target).spare.exists(), "a spare that failed to fill is dropped");
    }
}
