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
//!
//! Files arrive one by one as the render makes them ([`Writer`] is a render [`Sink`]), so a large site is never
//! held in memory whole. Files are first compared with the published ones, and the spare is made, or brought up to
//! date, only when one differs, so a build that changes nothing writes nothing and touches no spare. A file the
//! render reused from the published folder ([`published`]) is the published one: that comparison is free.
//!
//! What the two folders hold is recorded after each swap ([`record`]), so a build after an edit links into the
//! spare only the paths the last swap and this build changed, removes from it only the paths that are gone, and a
//! build that changes nothing makes sure nothing extra is published with one look at each folder's time; without a
//! record that still describes the folders, every file and folder is visited, as the first build after one did.
use crate::render::{Entry, Output, Sink};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

pub mod published;
mod record;

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
    #[error("{link} is a link to {to}, which does not exist")]
    DanglingLink { link: PathBuf, to: PathBuf },
    #[error("{link} is a link to {target}; the site is published there by swapping in a folder made beside it, in {}, which cannot be written: {source}", .target.parent().unwrap_or(Path::new("/")).display())]
    LinkedParent {
        link: PathBuf,
        target: PathBuf,
        #[source]
        source: io::Error,
    },
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
            WriteError::DanglingLink { .. } => "create the folder the link points to, or fix the link",
            WriteError::LinkedParent { .. } => {
                "let this user write to that folder, or point the link at a folder whose parent it may write"
            }
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

/// Names of the helper entries that live beside the target: `.public.lock`, `.public.spare`, `.public.old`,
/// `.public.record`.
struct Paths {
    target: PathBuf,
    lock: PathBuf,
    spare: PathBuf,
    old: PathBuf,
    record: PathBuf,
}

impl Paths {
    fn new(target: &Path) -> Paths {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let beside = |suffix: &str| parent.join(format!(".{name}.{suffix}"));
        Paths {
            target: target.to_path_buf(),
            lock: beside("lock"),
            spare: beside("spare"),
            old: beside("old"),
            record: beside("record"),
        }
    }
}

/// Writes `output` to `target` atomically: [`Writer`] for a site that is all in memory already.
pub fn write(output: &Output, target: &Path) -> Result<Written, WriteError> {
    let writer = Writer::begin(target)?;
    output.files.par_iter().for_each(|(path, entry)| {
        writer.put(path, entry.clone());
    });
    writer.finish()
}

/// A write in progress. Files go into the spare as they are put, from any number of threads; [`Writer::finish`]
/// removes what was not put and publishes the spare. Dropped unfinished (a build that failed half way), it leaves
/// the published site as it was.
pub struct Writer {
    paths: Paths,
    /// Held until the writer is dropped (and until [`Writer::finish_and`]'s step is done): one build at a time
    /// per target.
    lock: std::sync::Arc<fs::File>,
    /// Where files go now. Read by every put; written only on the two changes of mode.
    mode: RwLock<Mode>,
    /// Every path put so far.
    put: Mutex<HashSet<String>>,
    /// Folders of the spare known to exist, so that a folder per page costs one `mkdir` and not one per file.
    folders: Mutex<HashSet<PathBuf>>,
    /// Paths whose bytes this write put into the spare (a path put twice, a static file replacing a generated
    /// page, counts once).
    changed: Mutex<HashSet<String>>,
    /// Whether this write made the spare, empty: then a file put for the first time is simply created (one open,
    /// write and close, nothing looked up), and nothing is left in the spare to prune at the end. This is a clean
    /// build's case, the first one or one after `public/` was removed.
    empty_spare: bool,
    /// Whether every file put into the spare so far is the published one (the same inode, by a link of [`seed`]).
    /// If it still holds at the end, the published site is left as it is.
    published_already: AtomicBool,
    /// What the last swap recorded of the two folders, if it still describes them.
    record: Option<record::Record>,
    /// Whether the published folder holds exactly the recorded files: looked at once, when first asked.
    published_as_recorded: OnceLock<bool>,
    /// Set when filling starts: what the spare is known to hold, if the record says.
    trusted: OnceLock<Option<Trusted>>,
    /// Folders of the spare (relative, slashed, "" for the spare itself) this write added entries to or removed
    /// entries from: the others keep the times the record gave them.
    touched: Mutex<HashSet<String>>,
    /// Whether a file equal to the published one had to be copied into the spare, not linked: the spare then
    /// differs from the published folder in unrecorded ways.
    copied: AtomicBool,
    /// Files and folders looked at one by one (in the spare, or in the published folder to find extras): what
    /// the record saves, counted for the tests.
    visits: AtomicUsize,
}

/// What the spare holds when filling starts, by the record: the files of `tree` (the spare's, or the published
/// folder's for a spare just seeded from it), each a hard link of the published file but for `differ`.
struct Trusted {
    seeded: bool,
    differ: HashSet<String>,
    /// The spare's folders that had to be listed to be trusted: the others' times are the recorded ones.
    listed: record::Listed,
}

/// Where a write puts its files. It only ever moves forward: `Comparing` → `Filling` → `Failed`, or straight to
/// `Failed`.
enum Mode {
    /// Each file is compared with the published one, and the spare is made (see [`seed`]), or the files put so
    /// far are linked into the one there is, only when one differs: a build that changes nothing writes nothing.
    Comparing,
    /// Files go into the spare.
    Filling,
    /// A put failed: later puts are refused, and `finish` drops the spare and reports the first failure.
    Failed(WriteError),
}

impl Writer {
    /// Takes the target's lock and readies the spare: repaired if a killed build left things half done, made from
    /// the published site if there is none.
    ///
    /// A target that is a symlink (`public -> /srv/www/blog`) stays one: the site is published at the folder it
    /// points to, with the lock and the spare beside that folder, so the swap is as atomic as for a plain folder.
    pub fn begin(target: &Path) -> Result<Writer, WriteError> {
        if let Some(file) = target.ancestors().skip(1).find(|a| a.is_file()) {
            return Err(WriteError::NotADirectory(file.to_path_buf()));
        }
        let link = fs::symlink_metadata(target).is_ok_and(|m| m.is_symlink());
        let resolved = if link { Some(resolve_link(target)?) } else { None };
        let paths = Paths::new(resolved.as_deref().unwrap_or(target));
        if let Some(parent) = paths.lock.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        let lock =
            fs::OpenOptions::new().create(true).truncate(false).write(true).open(&paths.lock).map_err(|source| {
                match &resolved {
                    Some(real) => WriteError::LinkedParent { link: target.to_path_buf(), target: real.clone(), source },
                    None => io_at(&paths.lock)(source),
                }
            })?;
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)
            .map_err(|_| WriteError::Busy(target.to_path_buf()))?;
        recover(&paths)?;
        let record = record::load(&paths.record, &paths.target, &paths.spare);
        if paths.target.exists() && !paths.target.is_dir() {
            return Err(WriteError::NotADirectory(paths.target.clone()));
        }
        let spare_exists = paths.spare.exists();
        let mode = if paths.target.is_dir() {
            Mode::Comparing
        } else {
            fs::create_dir_all(&paths.spare).map_err(io_at(&paths.spare))?;
            Mode::Filling
        };
        Ok(Writer {
            empty_spare: !spare_exists && !paths.target.is_dir(),
            mode: RwLock::new(mode),
            published_already: AtomicBool::new(paths.target.is_dir()),
            paths,
            lock: std::sync::Arc::new(lock),
            put: Mutex::default(),
            folders: Mutex::default(),
            changed: Mutex::default(),
            record,
            published_as_recorded: OnceLock::new(),
            trusted: OnceLock::new(),
            copied: AtomicBool::new(false),
            touched: Mutex::default(),
            visits: AtomicUsize::new(0),
        })
    }

    /// Whether a put failed: the write is lost, and `finish` says why.
    pub fn failed(&self) -> bool {
        matches!(*read_lock(&self.mode), Mode::Failed(_))
    }

    /// Puts one file (`again`: its path was put before); `false` once any put has failed.
    fn put_file(&self, path: &str, entry: &Entry, again: bool) -> Result<bool, WriteError> {
        match *read_lock(&self.mode) {
            Mode::Failed(_) => return Ok(false),
            Mode::Filling => return self.put_in_spare(path, entry, again).map(|()| true),
            Mode::Comparing if published(&self.paths.target, path, entry) => return Ok(true),
            Mode::Comparing if holds(&self.paths.target.join(path), entry) => return Ok(true),
            Mode::Comparing => {}
        }
        self.start_filling(path)?;
        self.put_in_spare(path, entry, again).map(|()| true)
    }

    /// Moves from comparing to filling, for `path`, which differs from the published file: makes the spare from
    /// the published site, once (another thread may have).
    fn start_filling(&self, path: &str) -> Result<(), WriteError> {
        let mut mode = write_lock(&self.mode);
        if matches!(*mode, Mode::Comparing) {
            self.make_spare(&lock(&self.put), Some(path))?;
            *mode = Mode::Filling;
        }
        Ok(())
    }

    fn put_in_spare(&self, path: &str, entry: &Entry, again: bool) -> Result<(), WriteError> {
        let file = self.paths.spare.join(path);
        // Known to be in the spare, a link of the published file (so its folder is there too).
        let linked = !again && self.trusts(path);
        if !linked
            && let Some(folder) = Path::new(path).parent().filter(|f| !f.as_os_str().is_empty())
            && !lock(&self.folders).contains(folder)
        {
            self.touch_folder(folder);
            make_folder(&self.paths.spare, folder)?;
            lock(&self.folders).extend(folder.ancestors().map(Path::to_path_buf));
        }
        // Anything in the way (a folder where a clashing output put its files, which the build then reports) is
        // dealt with by the general path below.
        if self.empty_spare && !again && create(&file, entry).is_ok() {
            self.touch(path);
            lock(&self.changed).insert(path.to_string());
            return Ok(());
        }
        // A file equal to the published one becomes a link of it (if it is not one already): nothing is written,
        // and "changed" counts what differs from the published site, not from an older spare.
        let current = self.paths.target.join(path);
        if published(&self.paths.target, path, entry) || holds(&current, entry) {
            if !linked {
                self.visits.fetch_add(1, Ordering::Relaxed);
                if link(&current, &file, &self.copied)? {
                    self.touch(path);
                }
            }
            return Ok(());
        }
        self.touch(path);
        unlink(&file)?;
        create(&file, entry)?;
        lock(&self.changed).insert(path.to_string());
        self.published_already.store(false, Ordering::Relaxed);
        Ok(())
    }

    /// Ends the write by its mode: a failed one drops the spare and reports why; one that only compared is done
    /// if the published site holds exactly what was put, and otherwise makes its spare; a filled spare has what
    /// was not put removed and is swapped in, unless it is the published site already (every file a link of it).
    pub fn finish(self) -> Result<Written, WriteError> {
        self.finish_and(|_, _| {})
    }

    /// [`Writer::finish`], then `then(published folder, what was written)` if it succeeded, while the lock is
    /// still held: what it reads of the published folder is this build's, not a build that came after.
    pub fn finish_and(self, then: impl FnOnce(&Path, &Written)) -> Result<Written, WriteError> {
        let lock = self.lock.clone();
        let target = self.paths.target.clone();
        let (written, _) = self.finish_unlocked()?;
        then(&target, &written);
        drop(lock);
        Ok(written)
    }

    /// The folder the site is published in, links resolved.
    pub fn published_folder(&self) -> &Path {
        &self.paths.target
    }

    /// Finishes, and says how many files and folders were looked at one by one.
    fn finish_unlocked(self) -> Result<(Written, usize), WriteError> {
        let mode = std::mem::replace(&mut *write_lock(&self.mode), Mode::Comparing);
        let put = std::mem::take(&mut *lock(&self.put));
        let paths = &self.paths;
        let folders: HashSet<&Path> = put
            .iter()
            .flat_map(|file| Path::new(file).ancestors().skip(1))
            .filter(|f| !f.as_os_str().is_empty())
            .collect();
        match mode {
            Mode::Failed(failure) => {
                drop_spare(paths);
                return Err(failure);
            }
            Mode::Comparing if !self.published_has_more(&put, &folders)? => {
                return Ok((Written { files: put.len(), changed: 0 }, self.visits.load(Ordering::Relaxed)));
            }
            // The published site has more than was put: the spare is made and pruned like any other.
            Mode::Comparing => self.make_spare(&put, None)?,
            Mode::Filling => {}
        }
        // An empty spare holds only what was put.
        let pruned = !self.empty_spare && self.prune_spare(&put, &folders).inspect_err(|_| drop_spare(paths))?;
        let changed = std::mem::take(&mut *lock(&self.changed));
        let untouched = self.published_already.load(Ordering::Relaxed)
            && !pruned
            && !self.published_has_more(&put, &folders).unwrap_or(true);
        if !untouched {
            swap(paths)?;
            if self.remember(put.iter().cloned().collect(), changed.iter().cloned().collect()).is_err() {
                // Without a record the next build visits every file, which is slower but never wrong.
                let _ = record::forget(&paths.record);
            }
        }
        Ok((Written { files: put.len(), changed: changed.len() }, self.visits.load(Ordering::Relaxed)))
    }

    /// Whether the published folder has anything besides the files `put` (all of which it holds): by the record
    /// if it still describes the folder, else by looking at every entry.
    fn published_has_more(&self, put: &HashSet<String>, folders: &HashSet<&Path>) -> Result<bool, WriteError> {
        match &self.record {
            Some(record) if self.published_as_recorded() => {
                Ok(record.published.files.len() != put.len() || !record.published.files.iter().all(|f| put.contains(f)))
            }
            _ => prune(&self.paths.target, put, folders, false, &self.visits),
        }
    }

    fn published_as_recorded(&self) -> bool {
        *self.published_as_recorded.get_or_init(|| {
            let record = self.record.as_ref();
            record.is_some_and(|r| r.published.holds_exactly(&self.paths.target, &self.visits).is_some())
        })
    }

    /// The files the spare holds when filling starts, if the record says: its own, or the published folder's when
    /// it was just seeded from it.
    fn trusted_tree(&self) -> Option<(&Trusted, &record::Tree)> {
        let trusted = self.trusted.get()?.as_ref()?;
        let record = self.record.as_ref()?;
        let tree = if trusted.seeded { &record.published } else { &record.spare.as_ref()?.tree };
        Some((trusted, tree))
    }

    /// Whether `path` is in the spare already, a link of the published file, by the record.
    fn trusts(&self, path: &str) -> bool {
        self.trusted_tree().is_some_and(|(trusted, tree)| !trusted.differ.contains(path) && tree.has(path))
    }

    /// Makes the spare from the published site: with links where it can, else by copying the files `put` so far
    /// (they were found equal to the published ones, but for `differs`; the rest are written by their own puts).
    /// The record is removed first: from here on it may not describe the spare.
    fn make_spare(&self, put: &HashSet<String>, differs: Option<&str>) -> Result<(), WriteError> {
        let paths = &self.paths;
        record::forget(&paths.record).map_err(io_at(&paths.record))?;
        let spare = self.record.as_ref().and_then(|r| r.spare.as_ref());
        if paths.spare.exists() {
            let known = spare.and_then(|s| s.tree.holds_exactly(&paths.spare, &self.visits).map(|listed| (s, listed)));
            let trusted = known.map(|(s, listed)| Trusted {
                seeded: false,
                differ: s.differ.iter().cloned().chain(s.tree.listed_files(&listed).map(str::to_string)).collect(),
                listed,
            });
            let _ = self.trusted.set(trusted);
            return self.link_into_spare(put, differs);
        }
        seed(&paths.target, &paths.spare);
        if paths.spare.exists() {
            // Seeded from the published folder as it is: its recorded files, if it is still as recorded.
            let seeded = (self.published_as_recorded().then_some(self.record.as_ref()).flatten()).map(|r| Trusted {
                seeded: true,
                differ: HashSet::new(),
                listed: r.published.all_listed(),
            });
            let _ = self.trusted.set(seeded);
            return Ok(());
        }
        let _ = self.trusted.set(None);
        fs::create_dir_all(&paths.spare).map_err(io_at(&paths.spare))?;
        for path in put {
            let (from, to) = (paths.target.join(path), paths.spare.join(path));
            if let Some(folder) = to.parent() {
                fs::create_dir_all(folder).map_err(io_at(folder))?;
            }
            match fs::copy(&from, &to) {
                // Put but not published: a file new in this build, being written by its own put.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                result => {
                    result.map_err(io_at(&to))?;
                }
            }
        }
        self.copied.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Brings an existing spare up to date for the files `put` so far, which were found equal to the published
    /// ones (but for `differs`, which its own put writes): each becomes a hard link of the published file (a copy
    /// where linking fails), so nothing is read or written; those the record knows to be links already are not
    /// even looked at. The rest of the spare is brought up to date by the later puts and the final prune.
    fn link_into_spare(&self, put: &HashSet<String>, differs: Option<&str>) -> Result<(), WriteError> {
        let paths = &self.paths;
        let linked = |path: &&String| Some(path.as_str()) == differs || self.trusts(path);
        put.par_iter().filter(|path| !linked(path)).try_for_each(|path| {
            self.visits.fetch_add(1, Ordering::Relaxed);
            let (from, to) = (paths.target.join(path), paths.spare.join(path));
            if !from.is_file() {
                // Put but not published: a file new in this build, being written by its own put.
                return Ok(());
            }
            if let Some(folder) = Path::new(path).parent().filter(|f| !f.as_os_str().is_empty())
                && !lock(&self.folders).contains(folder)
            {
                self.touch_folder(folder);
                make_folder(&paths.spare, folder)?;
                lock(&self.folders).extend(folder.ancestors().map(Path::to_path_buf));
            }
            if link(&from, &to, &self.copied)? {
                self.touch(path);
            }
            Ok(())
        })
    }

    /// Removes from the spare what was not put: by the record, only the files and folders it knows of that were
    /// not put; without one, by looking at every entry. Returns whether there was anything.
    fn prune_spare(&self, put: &HashSet<String>, folders: &HashSet<&Path>) -> Result<bool, WriteError> {
        let Some((_, tree)) = self.trusted_tree() else {
            return prune(&self.paths.spare, put, folders, true, &self.visits);
        };
        let mut found = false;
        let mut gone_folders = HashSet::new();
        // A file that is a folder now was replaced by its puts.
        for file in tree.files.iter().filter(|f| !put.contains(f.as_str()) && !folders.contains(Path::new(f))) {
            let ancestors = Path::new(file.as_str()).ancestors().skip(1).filter(|f| !f.as_os_str().is_empty());
            if ancestors.clone().any(|f| put.contains(crate::content::slashed(f).as_str())) {
                // A folder that is a file now: that file's put replaced it.
                continue;
            }
            // The outermost folder that is gone goes whole; a file in a folder that stays goes alone.
            let outermost = ancestors.filter(|f| !folders.contains(f)).last();
            self.visits.fetch_add(1, Ordering::Relaxed);
            match outermost {
                Some(folder) if gone_folders.insert(folder) => {
                    let full = self.paths.spare.join(folder);
                    if fs::symlink_metadata(&full).is_ok() {
                        self.touch(&crate::content::slashed(folder));
                        unlink(&full)?;
                        found = true;
                    }
                }
                Some(_) => {}
                None => match fs::remove_file(self.paths.spare.join(file)) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    result => {
                        self.touch(file);
                        result.map_err(io_at(&self.paths.spare.join(file)))?;
                        found = true;
                    }
                },
            }
        }
        Ok(found)
    }

    /// Notes that the folder holding `path` (in the spare) gains or loses an entry (worth it only for a spare
    /// the record describes: the folders of any other are all looked at).
    fn touch(&self, path: &str) {
        if self.trusted_tree().is_none() {
            return;
        }
        lock(&self.touched).insert(path.rsplit_once('/').map_or("", |(folder, _)| folder).to_string());
    }

    /// Notes that `folder` (in the spare) and the folders holding it may be made.
    fn touch_folder(&self, folder: &Path) {
        if self.trusted_tree().is_none() {
            return;
        }
        let mut touched = lock(&self.touched);
        touched.extend(folder.ancestors().skip(1).map(crate::content::slashed));
    }

    /// Records the folders just swapped: the published one holds `files`, its folders' times those the spare's
    /// had when filling began (looked at again only where this write added or removed entries); the spare is the
    /// folder published before, as the record said (the next build makes sure), whose files are the published
    /// ones but for those `changed` and those the two do not share.
    fn remember(&self, mut files: Vec<String>, changed: Vec<String>) -> io::Result<()> {
        let paths = &self.paths;
        let now = record::now(&self.lock)?;
        files.par_sort_unstable();
        let published_id = record::id(&paths.target).ok_or_else(|| io::Error::other("the target is gone"))?;
        let touched = lock(&self.touched);
        let known = |folder: &str| match self.trusted_tree() {
            Some((trusted, tree)) if !trusted.seeded && !touched.contains(folder) => {
                tree.stamp_of(folder, &trusted.listed)
            }
            _ => None,
        };
        let published = record::Tree::measure(&paths.target, files, now, known);
        let before = self.record.as_ref().filter(|_| !self.copied.load(Ordering::Relaxed));
        let spare = before.and_then(|before| {
            Some(record::Spare {
                id: record::id(&paths.spare)?,
                tree: before.published.clone(),
                differ: changed.into_iter().collect(),
            })
        });
        record::save(&paths.record, &record::Record { target: paths.target.clone(), published_id, published, spare })
    }
}

impl Sink for Writer {
    fn put(&self, path: &str, entry: Entry) -> bool {
        if self.failed() {
            return false;
        }
        let again = !lock(&self.put).insert(path.to_string());
        self.put_file(path, &entry, again).unwrap_or_else(|e| {
            let mut mode = write_lock(&self.mode);
            if !matches!(*mode, Mode::Failed(_)) {
                *mode = Mode::Failed(e);
            }
            false
        })
    }
}

/// Makes `to` in the spare a hard link of the published `from`, unless it is one already (a copy where linking
/// fails, which `copied` notes): whether it had to.
fn link(from: &Path, to: &Path, copied: &AtomicBool) -> Result<bool, WriteError> {
    if same_file(from, to) {
        return Ok(false);
    }
    unlink(to)?;
    if fs::hard_link(from, to).is_err() {
        copied.store(true, Ordering::Relaxed);
        copy_new(from, to)?;
    }
    Ok(true)
}

/// A spare in an unknown state is still safe to update, but a failure (a full disk, permissions) is better retried
/// from nothing.
fn drop_spare(paths: &Paths) {
    let _ = record::forget(&paths.record);
    let _ = fs::remove_dir_all(&paths.spare);
}

/// The real folder a symlinked target points to (links followed to the end).
fn resolve_link(target: &Path) -> Result<PathBuf, WriteError> {
    fs::canonicalize(target).map_err(|_| WriteError::DanglingLink {
        link: target.to_path_buf(),
        to: fs::read_link(target).unwrap_or_default(),
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn read_lock<T>(rw: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    rw.read().unwrap_or_else(|poison| poison.into_inner())
}

fn write_lock<T>(rw: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    rw.write().unwrap_or_else(|poison| poison.into_inner())
}

/// Whether two paths name one file (hard links of it, see [`seed`]).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Makes `folder` (relative) inside `dir`, replacing anything of another kind in the way (a file a killed or an
/// older build left where this site has a folder).
fn make_folder(dir: &Path, folder: &Path) -> Result<(), WriteError> {
    let full = dir.join(folder);
    // One `mkdir` when the parent exists, as it usually does (folders are made in the order pages come); then
    // `create_dir_all`, which looks before it makes each folder.
    if fs::create_dir(&full).is_ok() || fs::create_dir_all(&full).is_ok() {
        return Ok(());
    }
    for ancestor in folder.ancestors().collect::<Vec<_>>().into_iter().rev().skip(1) {
        let at = dir.join(ancestor);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => fs::remove_file(&at).map_err(io_at(&at))?,
            Err(_) => {}
        }
        match fs::create_dir(&at) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(io_at(&at)(e)),
            _ => {}
        }
    }
    Ok(())
}

/// Undoes what a killed build left behind: a target moved aside and not back. A half-updated spare needs nothing:
/// the next fill brings every file of it up to date.
fn recover(paths: &Paths) -> Result<(), WriteError> {
    if paths.old.exists() {
        record::forget(&paths.record).map_err(io_at(&paths.record))?;
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

/// Whether `entry` is a copy of the published file at `path` itself: a file the render reused as it stands.
fn published(target: &Path, path: &str, entry: &Entry) -> bool {
    matches!(entry, Entry::Copy(source) if *source == target.join(path))
}

/// Whether `file` already holds `entry` (see [`holds_bytes`] and [`holds_copy`]).
fn holds(file: &Path, entry: &Entry) -> bool {
    match entry {
        Entry::Bytes(bytes) => holds_bytes(file, bytes),
        Entry::Copy(source) => fs::metadata(source).is_ok_and(|from| holds_copy(file, &from)),
    }
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

/// Removes from `dir` everything that is not one of `files` or `folders`: stale files, folders, and anything of
/// the wrong kind. Returns whether there was anything; with `remove` false, only looks.
fn prune(
    dir: &Path,
    files: &HashSet<String>,
    folders: &HashSet<&Path>,
    remove: bool,
    visits: &AtomicUsize,
) -> Result<bool, WriteError> {
    let mut found = false;
    let mut entries = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| io_at(dir)(e.into()))?;
        visits.fetch_add(1, Ordering::Relaxed);
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let kind = entry.file_type();
        let stale = if kind.is_dir() {
            !folders.contains(rel)
        } else {
            !(kind.is_file() && files.contains(crate::content::slashed(rel).as_str()))
        };
        if !stale {
            continue;
        }
        found = true;
        if !remove {
            return Ok(true);
        }
        if kind.is_dir() {
            fs::remove_dir_all(entry.path()).map_err(io_at(entry.path()))?;
            entries.skip_current_dir();
        } else {
            fs::remove_file(entry.path()).map_err(io_at(entry.path()))?;
        }
    }
    Ok(found)
}

/// Makes a first spare out of the published site with hard links: a folder per page still has to be made, but no
/// page is written, so the build after a clean one costs what the ones after it do. Files of the spare may thus be
/// the published ones: the spare is never written in place (see [`unlink`]). If linking fails (another file
/// system, no hard links) the spare is dropped and filled from nothing.
///
/// The folders are made as the walk meets them (a parent before its children), the files linked afterwards on every
/// core: at 10,000 posts that is 11,000 links into 10,000 folders, most of what the first edit after a clean build
/// costs over the edits after it.
fn seed(target: &Path, spare: &Path) {
    let mut files = Vec::new();
    let walked = walkdir::WalkDir::new(target).into_iter().try_for_each(|entry| -> io::Result<()> {
        let entry = entry?;
        let copy = spare.join(entry.path().strip_prefix(target).unwrap_or(entry.path()));
        match entry.file_type() {
            kind if kind.is_dir() => fs::create_dir(&copy),
            kind if kind.is_file() => {
                files.push((entry.into_path(), copy));
                Ok(())
            }
            _ => Ok(()),
        }
    });
    let linked =
        walked.and_then(|()| files.par_iter().with_min_len(256).try_for_each(|(from, to)| fs::hard_link(from, to)));
    if linked.is_err() {
        let _ = fs::remove_dir_all(spare);
    }
}

/// Removes a spare file about to be rewritten, so that it is written as a new file: the old one may be a hard link
/// to the published site (see [`seed`]), and writing through it would change the site before the swap. A folder
/// in the way (where an older site had one) goes too.
fn unlink(file: &Path) -> Result<(), WriteError> {
    match fs::remove_file(file) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if fs::symlink_metadata(file).is_ok_and(|m| m.is_dir()) => {
            fs::remove_dir_all(file).map_err(|_| io_at(file)(e))
        }
        Err(e) => Err(io_at(file)(e)),
        Ok(()) => Ok(()),
    }
}

/// Creates `file`, which is not there yet, holding `entry`.
fn create(file: &Path, entry: &Entry) -> Result<(), WriteError> {
    match entry {
        Entry::Bytes(bytes) => fs::write(file, bytes).map_err(io_at(file)),
        Entry::Copy(source) => copy_new(source, file),
    }
}

/// Copies `source` to a new `file` with the source's permissions and modification time, which is how a copy is
/// recognised later ([`holds_copy`]): each file opened once.
fn copy_new(source: &Path, file: &Path) -> Result<(), WriteError> {
    let mut from = fs::File::open(source).map_err(io_at(source))?;
    let meta = from.metadata().map_err(io_at(source))?;
    let mut to = fs::File::create(file).map_err(io_at(file))?;
    io::copy(&mut from, &mut to).map_err(io_at(source))?;
    to.set_permissions(meta.permissions()).map_err(io_at(file))?;
    to.set_modified(meta.modified().map_err(io_at(source))?).map_err(io_at(file))
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

    /// Whether `dir` holds exactly the generated files of `output`, and nothing else.
    fn holds_exactly(output: &Output, dir: &Path) -> bool {
        let files: HashSet<String> = output.files.keys().cloned().collect();
        let folders: HashSet<&Path> = output.files.keys().flat_map(|f| Path::new(f).ancestors().skip(1)).collect();
        !prune(dir, &files, &folders, false, &AtomicUsize::new(0)).unwrap_or(true)
            && output.files.iter().all(|(path, entry)| match entry {
                Entry::Bytes(bytes) => holds_bytes(&dir.join(path), bytes),
                Entry::Copy(_) => true,
            })
    }

    fn inode(file: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(file).unwrap())
    }

    /// A blog of `posts` posts (a folder each), a home page and a feed, with post `edit` (if any) edited `times`.
    fn blog(posts: usize, edited: Option<(usize, usize)>) -> Output {
        let mut files: Vec<(String, String)> = (0..posts)
            .map(|i| (format!("posts/{i}/index.html"), format!("post {i}")))
            .chain([("index.html".to_string(), "home".to_string()), ("atom.xml".to_string(), "feed".to_string())])
            .collect();
        if let Some((post, times)) = edited {
            files[post].1 = format!("post {post}, edit {times}");
            files[posts].1 = format!("home, edit {times}");
        }
        Output { files: files.into_iter().map(|(p, c)| (p, Entry::Bytes(c.into_bytes().into()))).collect() }
    }

    /// Writes `output` as [`write`] does: what was written, and how many files and folders were looked at.
    fn write_counting(output: &Output, target: &Path) -> (Written, usize) {
        let writer = Writer::begin(target).unwrap();
        output.files.par_iter().for_each(|(path, entry)| {
            writer.put(path, entry.clone());
        });
        writer.finish_unlocked().unwrap()
    }

    /// Takes the test's writes to record as if each were made long after the folders it touched were.
    fn later() {
        record::LATER.set(3_600_000_000_000);
    }

    #[test]
    fn after_an_edit_only_what_changed_is_visited() {
        later();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let folders = 100 + 2;
        write_counting(&blog(100, None), &target);
        let (written, visits) = write_counting(&blog(100, None), &target);
        assert_eq!((written.changed, visits), (0, folders), "nothing changed: one look at each folder");
        let mut counts = vec![];
        for edit in 1..=6 {
            let site = blog(100, Some((edit % 3, edit)));
            let (written, visits) = write_counting(&site, &target);
            assert_eq!(written.files, 102);
            assert!(holds_exactly(&site, &target), "edit {edit}");
            counts.push(visits);
        }
        // The first edit seeds the spare from the published site, as recorded; then one look at each folder of
        // the spare, none at a file the record knows to be a link already, and from the third on one at the post
        // edited two builds before (changed by the last swap, and now linked back).
        assert_eq!(counts, [folders, folders, folders + 1, folders + 1, folders + 1, folders + 1]);
        let (_, visits) = write_counting(&blog(100, Some((0, 6))), &target);
        assert_eq!(visits, folders, "and nothing changed after an edit");
        // A post deleted: its folder goes from the spare, by the record.
        let mut site = blog(100, Some((1, 7)));
        site.files.remove("posts/50/index.html");
        let (_, visits) = write_counting(&site, &target);
        assert_eq!(visits, folders + 2, "each folder, the post edited two builds before, the deleted post");
        assert!(holds_exactly(&site, &target) && !target.join("posts/50").exists());
        // Without the record, the same edit visits every file and folder.
        fs::remove_file(Paths::new(&target).record).unwrap();
        let (_, visits) = write_counting(&blog(100, Some((2, 8))), &target);
        assert!(visits > 2 * folders, "{visits}");
    }

    #[test]
    fn a_record_that_may_not_describe_the_folders_is_not_trusted() {
        type Mess = fn(&Path, &Paths);
        let messes: [(&str, Mess); 9] = [
            ("record deleted", |_, p| fs::remove_file(&p.record).unwrap()),
            ("record garbage", |_, p| fs::write(&p.record, "not a record").unwrap()),
            ("record cut short", |_, p| {
                let bytes = fs::read(&p.record).unwrap();
                fs::write(&p.record, &bytes[..bytes.len() / 2]).unwrap();
            }),
            ("spare deleted", |_, p| fs::remove_dir_all(&p.spare).unwrap()),
            ("spare replaced by a copy", |dir, p| {
                let copy = dir.join("copy");
                fs::create_dir(&copy).unwrap();
                for entry in walkdir::WalkDir::new(&p.spare).min_depth(1) {
                    let entry = entry.unwrap();
                    let to = copy.join(entry.path().strip_prefix(&p.spare).unwrap());
                    if entry.file_type().is_dir() {
                        fs::create_dir(&to).unwrap();
                    } else {
                        fs::copy(entry.path(), &to).unwrap();
                    }
                }
                fs::remove_dir_all(&p.spare).unwrap();
                fs::rename(&copy, &p.spare).unwrap();
            }),
            ("a file deleted from the spare", |_, p| fs::remove_file(p.spare.join("posts/3/index.html")).unwrap()),
            ("a file added to the spare", |_, p| fs::write(p.spare.join("posts/3/extra.html"), "x").unwrap()),
            ("a file added to the published site", |_, p| fs::write(p.target.join("posts/4/x.html"), "x").unwrap()),
            ("published site replaced", |dir, p| {
                fs::rename(&p.target, dir.join("moved")).unwrap();
                fs::rename(&p.spare, &p.target).unwrap();
                fs::rename(dir.join("moved"), &p.spare).unwrap();
            }),
        ];
        for (what, mess) in messes {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("public");
            let paths = Paths::new(&target);
            for edit in 0..3 {
                write(&blog(10, Some((3, edit))), &target).unwrap();
            }
            mess(dir.path(), &paths);
            let site = blog(10, Some((3, 3)));
            write(&site, &target).unwrap();
            assert!(holds_exactly(&site, &target), "{what}");
            let next = blog(10, Some((4, 4)));
            write(&next, &target).unwrap();
            assert!(holds_exactly(&next, &target), "{what}, a build later");
            write(&site, &target).unwrap();
            assert!(holds_exactly(&site, &target), "{what}, two builds later");
        }
    }

    #[test]
    fn a_build_killed_after_it_touched_the_spare_leaves_no_record() {
        later();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let paths = Paths::new(&target);
        for edit in 0..4 {
            write(&blog(20, Some((1, edit))), &target).unwrap();
        }
        assert!(record::load(&paths.record, &paths.target, &paths.spare).is_some_and(|r| r.spare.is_some()));
        // Killed before the swap: the record went when the spare was first touched.
        let writer = Writer::begin(&target).unwrap();
        writer.put("posts/1/index.html", Entry::Bytes(b"killed".as_slice().into()));
        assert!(!paths.record.exists());
        drop(writer);
        let (_, visits) = write_counting(&blog(20, Some((2, 5))), &target);
        assert!(visits > 20 * 2, "the full pass: {visits}");
        assert!(holds_exactly(&blog(20, Some((2, 5))), &target));
        // Killed between the swap and the record: the spare filled and swapped in, and nothing recorded.
        let site = blog(20, Some((1, 6)));
        let writer = Writer::begin(&target).unwrap();
        site.files.iter().for_each(|(path, entry)| assert!(writer.put(path, entry.clone())));
        let put = lock(&writer.put).clone();
        let folders: HashSet<&Path> = put.iter().flat_map(|f| Path::new(f).ancestors().skip(1)).collect();
        writer.prune_spare(&put, &folders).unwrap();
        swap(&writer.paths).unwrap();
        drop(writer);
        assert!(holds_exactly(&site, &target) && !paths.record.exists());
        let next = blog(20, Some((2, 7)));
        let (_, visits) = write_counting(&next, &target);
        assert!(visits > 20 * 2, "the full pass: {visits}");
        assert!(holds_exactly(&next, &target));
        let (_, visits) = write_counting(&blog(20, Some((3, 8))), &target);
        assert!(visits > 20, "the spare is the one swapped out unrecorded: {visits}");
        let (_, visits) = write_counting(&blog(20, Some((4, 9))), &target);
        assert_eq!(visits, 22 + 1, "recorded again: each folder, and post 2 linked back");
    }

    #[test]
    fn a_first_write_creates_each_file_once_and_a_file_put_again_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let source = dir.path().join("logo.png");
        fs::write(&source, "png").unwrap();
        let writer = Writer::begin(&target).unwrap();
        assert!(writer.empty_spare);
        assert!(writer.put("a/index.html", Entry::Bytes(b"first"[..].into())));
        assert!(writer.put("logo.png", Entry::Copy(source.clone())));
        assert!(writer.put("a/index.html", Entry::Bytes(b"second"[..].into())));
        assert_eq!(writer.finish().unwrap(), Written { files: 2, changed: 2 });
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "second");
        let (copy, original) = (fs::metadata(target.join("logo.png")).unwrap(), fs::metadata(&source).unwrap());
        assert_eq!(copy.modified().unwrap(), original.modified().unwrap(), "a copy keeps its source's time");
        // The next write compares with the published site before it writes anything.
        let writer = Writer::begin(&target).unwrap();
        assert!(!writer.empty_spare);
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
        assert_eq!(beside, [".public.lock", ".public.record", ".public.spare", "public"]);
        assert_eq!(fs::read_to_string(Paths::new(&target).spare.join("old.html")).unwrap(), "x", "the previous site");
    }

    #[test]
    fn the_spare_is_brought_up_to_date_writing_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let first = output(&[("a/index.html", "one"), ("b/index.html", "same"), ("gone/x.html", "x")]);
        assert_eq!(write(&first, &target).unwrap(), Written { files: 3, changed: 3 });
        let spare = Paths::new(&target).spare;
        let published = inode(&target.join("a/index.html"));
        assert_eq!(write(&first, &target).unwrap().changed, 0);
        assert_eq!(inode(&target.join("a/index.html")), published, "nothing changed, so public/ was left alone");
        assert!(!spare.exists(), "and no spare was made");
        let tweaked = output(&[("a/index.html", "one!"), ("b/index.html", "same"), ("gone/x.html", "x")]);
        assert_eq!(write(&tweaked, &target).unwrap().changed, 1, "the first spare is linked from the site");
        // The spare now holds `first`; make it also hold junk of every kind a killed or odd build could leave.
        fs::create_dir_all(spare.join("a/index.html.d")).unwrap();
        fs::remove_file(spare.join("b/index.html")).unwrap();
        fs::create_dir_all(spare.join("b/index.html")).unwrap();
        std::os::unix::fs::symlink("/etc", spare.join("link")).unwrap();
        let second = output(&[("a/index.html", "two"), ("b/index.html", "same"), ("c.html", "new")]);
        // Changed from the published site: a/index.html and c.html; b/index.html is linked into the spare.
        assert_eq!(write(&second, &target).unwrap(), Written { files: 3, changed: 2 });
        let mut tree: Vec<String> = walkdir::WalkDir::new(&target)
            .min_depth(1)
            .into_iter()
            .map(|e| crate::content::slashed(e.unwrap().path().strip_prefix(&target).unwrap()))
            .collect();
        tree.sort();
        assert_eq!(tree, ["a", "a/index.html", "b", "b/index.html", "c.html"]);
        assert_eq!(fs::read_to_string(target.join("b/index.html")).unwrap(), "same");
        // Published already: nothing is written, whatever the spare (`tweaked`, with the junk gone) holds.
        assert_eq!(write(&second, &target).unwrap().changed, 0);
        assert_eq!(write(&second, &target).unwrap().changed, 0);
        let third = output(&[("a/index.html", "three"), ("b/index.html", "same"), ("c.html", "new")]);
        assert_eq!(write(&third, &target).unwrap().changed, 1);
        assert_eq!(inode(&target.join("c.html")), inode(&spare.join("c.html")), "unchanged files are links");
        assert_eq!(fs::read_to_string(target.join("a/index.html")).unwrap(), "three");
        assert_eq!(fs::read_to_string(spare.join("a/index.html")).unwrap(), "two");
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
        let folder = inode(&target);
        for _ in 0..3 {
            write(&site, &target).unwrap();
            assert_eq!(fs::metadata(target.join("index.html")).unwrap().modified().unwrap(), published);
            assert_eq!(inode(&target), folder, "not even swapped for an identical spare");
        }
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
    fn a_file_where_the_site_now_has_a_folder_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("a", "a file"), ("b/c", "deep")]), &target).unwrap();
        write(&output(&[("a", "a file"), ("b/c", "deep!")]), &target).unwrap();
        // The spare now has the files `a` and `b/c`; the next site has folders and files the other way round.
        let next = output(&[("a/b/index.html", "folder"), ("b", "file")]);
        write(&next, &target).unwrap();
        assert!(holds_exactly(&next, &target));
    }

    #[test]
    fn files_put_from_many_threads_while_rendering_are_published_together() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("old/index.html", "old")]), &target).unwrap();
        let writer = Writer::begin(&target).unwrap();
        (0..200).into_par_iter().for_each(|i| {
            assert!(
                writer.put(&format!("p{}/{i}/index.html", i % 7), Entry::Bytes(format!("{i}").into_bytes().into()))
            );
        });
        assert_eq!(fs::read_to_string(target.join("old/index.html")).unwrap(), "old", "nothing published yet");
        assert_eq!(writer.finish().unwrap(), Written { files: 200, changed: 200 });
        assert!(!target.join("old").exists());
        assert_eq!(fs::read_to_string(target.join("p3/10/index.html")).unwrap(), "10");
    }

    #[test]
    fn a_path_put_twice_is_one_file_and_one_change() {
        let dir = tempfile::tempdir().unwrap();
        let (source, target) = (dir.path().join("style.css"), dir.path().join("public"));
        fs::write(&source, "the site's own").unwrap();
        let writer = Writer::begin(&target).unwrap();
        writer.put("style.css", Entry::Bytes(b"built in".as_slice().into()));
        writer.put("style.css", Entry::Copy(source));
        assert_eq!(writer.finish().unwrap(), Written { files: 1, changed: 1 });
        assert_eq!(fs::read_to_string(target.join("style.css")).unwrap(), "the site's own");
    }

    #[test]
    fn a_write_dropped_unfinished_publishes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("index.html", "one")]), &target).unwrap();
        let writer = Writer::begin(&target).unwrap();
        writer.put("index.html", Entry::Bytes(b"half".as_slice().into()));
        drop(writer);
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "one");
        write(&output(&[("index.html", "two")]), &target).unwrap();
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "two");
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
        assert_eq!(write(&site, &target).unwrap().changed, 1, "the published copy is the old one");
        assert_eq!(write(&site, &target).unwrap().changed, 0, "and now the new one");
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
    fn a_symlinked_target_stays_a_link_and_its_target_is_swapped() {
        let dir = tempfile::tempdir().unwrap();
        let (real, link) = (dir.path().join("www/blog"), dir.path().join("site/public"));
        fs::create_dir_all(&real).unwrap();
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&output(&[("index.html", "one")]), &link).unwrap();
        write(&output(&[("index.html", "two")]), &link).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(real.join("index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(dir.path().join("www/.blog.spare/index.html")).unwrap(), "one");
        assert_eq!(fs::read_dir(link.parent().unwrap()).unwrap().count(), 1, "nothing beside the link");
        let dangling = dir.path().join("site/dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
        let err = write(&output(&[("index.html", "x")]), &dangling).unwrap_err();
        assert!(matches!(err, WriteError::DanglingLink { .. }), "{err}");
        assert!(fs::symlink_metadata(&dangling).unwrap().is_symlink() && !dir.path().join("gone").exists());
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
