//! The write stage: the whole site goes into a staging folder beside the target, and only a complete build is
//! swapped in. A failed, killed or concurrent build leaves the published folder exactly as it was.
//!
//! The swap is `renameat2(RENAME_EXCHANGE)` where the kernel has it, so there is no instant at which the target
//! is missing; elsewhere it is two renames, and a build killed between them is repaired by the next one.
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

/// Names of the helper entries that live beside the target: `.public.lock`, `.public.staging`, `.public.old`.
struct Paths {
    target: PathBuf,
    lock: PathBuf,
    staging: PathBuf,
    old: PathBuf,
}

impl Paths {
    fn new(target: &Path) -> Paths {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let beside = |suffix: &str| parent.join(format!(".{name}.{suffix}"));
        Paths { target: target.to_path_buf(), lock: beside("lock"), staging: beside("staging"), old: beside("old") }
    }
}

/// Writes `output` to `target` atomically. Returns the number of files written.
pub fn write(output: &Output, target: &Path) -> Result<usize, WriteError> {
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
    let written = fill(output, &paths.staging).inspect_err(|_| {
        let _ = fs::remove_dir_all(&paths.staging);
    })?;
    swap(&paths)?;
    drop(lock);
    Ok(written)
}

/// Undoes what a killed build left behind: a half-written staging folder, or a target moved aside and not back.
fn recover(paths: &Paths) -> Result<(), WriteError> {
    if paths.old.exists() {
        if paths.target.exists() {
            fs::remove_dir_all(&paths.old).map_err(io_at(&paths.old))?;
        } else {
            fs::rename(&paths.old, &paths.target).map_err(io_at(&paths.target))?;
        }
    }
    if paths.staging.exists() {
        fs::remove_dir_all(&paths.staging).map_err(io_at(&paths.staging))?;
    }
    Ok(())
}

fn fill(output: &Output, staging: &Path) -> Result<usize, WriteError> {
    fs::create_dir_all(staging).map_err(io_at(staging))?;
    let dirs: BTreeSet<PathBuf> = output
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    for dir in &dirs {
        let full = staging.join(dir);
        fs::create_dir_all(&full).map_err(io_at(&full))?;
    }
    output.files.par_iter().try_for_each(|(path, entry)| {
        let full = staging.join(path);
        match entry {
            Entry::Bytes(bytes) => fs::write(&full, &**bytes).map_err(io_at(&full)),
            Entry::Copy(source) => fs::copy(source, &full).map(drop).map_err(io_at(source)),
        }
    })?;
    Ok(output.files.len())
}

fn swap(paths: &Paths) -> Result<(), WriteError> {
    if !paths.target.exists() {
        return fs::rename(&paths.staging, &paths.target).map_err(io_at(&paths.target));
    }
    let exchanged = rustix::fs::renameat_with(
        rustix::fs::CWD,
        &paths.staging,
        rustix::fs::CWD,
        &paths.target,
        rustix::fs::RenameFlags::EXCHANGE,
    );
    if exchanged.is_ok() {
        // The staging name now holds the previous site.
        return fs::remove_dir_all(&paths.staging).map_err(io_at(&paths.staging));
    }
    fs::rename(&paths.target, &paths.old).map_err(io_at(&paths.target))?;
    fs::rename(&paths.staging, &paths.target).map_err(io_at(&paths.target))?;
    fs::remove_dir_all(&paths.old).map_err(io_at(&paths.old))
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
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "only public and the lock file remain: {leftovers:?}");
    }

    #[test]
    fn recovers_a_target_moved_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("index.html", "one")]), &target).unwrap();
        let paths = Paths::new(&target);
        fs::rename(&target, &paths.old).unwrap();
        fs::create_dir_all(paths.staging.join("junk")).unwrap();
        recover(&paths).unwrap();
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "one");
        assert!(!paths.staging.exists());
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
        assert!(!Paths::new(&target).staging.exists());
    }
}
