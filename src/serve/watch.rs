//! Watching the site's sources: `content/`, `templates/`, `static/`, `sass/` and `fanzine.toml`, debounced so that an
//! editor's save (often a write, a rename and a chmod) becomes one rebuild.
//!
//! The debouncing is the dozen lines of [`collect`] rather than notify-debouncer-mini, which drops the event kind
//! that is needed to tell a read from a write.
//!
//! Only these are watched, not the whole root, so a `public/` or `.git/` with thousands of files costs no
//! watches and never triggers a rebuild. `--poll` swaps the OS notifications for a scan, for file systems that have
//! none (network mounts, some containers).
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A batch of changed paths, or the watcher's complaint.
pub type Event = notify::Result<Vec<PathBuf>>;

/// Keeps the watch alive; dropping it stops watching and closes the event channel.
pub struct Watch {
    backend: Backend,
    /// Source folders watched so far: one created later is added by [`Watch::catch_up`].
    watched: BTreeSet<PathBuf>,
}

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

/// The folders whose every file feeds the build.
/// `data/` holds the files templates read with `load_data`, `themes/` a Zola theme; other folders are not watched
/// (a `.git/` or `node_modules/` would cost thousands of watches), so data files belong in `data/`, `static/`,
/// `content/` or at the root.
pub const SOURCE_DIRS: [&str; 6] = ["content", "templates", "static", "data", "themes", crate::sass::FOLDER];

impl Watch {
    /// Starts watching any source folder that exists now and was not watched yet.
    pub fn catch_up(&mut self, root: &Path) -> notify::Result<()> {
        let watcher: &mut dyn Watcher = match &mut self.backend {
            Backend::Native(w) => w,
            Backend::Poll(w) => w,
        };
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if path.is_dir() && !self.watched.contains(&path) {
                watcher.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(path);
            }
        }
        Ok(())
    }
}

/// Starts watching `root`'s sources. Changed paths arrive on the returned channel, not yet debounced (see
/// [`collect`]). Reads are not changes: inotify reports every open, and each rebuild opens every source, so
/// letting those through would rebuild forever.
pub fn watch(root: &Path, poll: bool) -> notify::Result<(Watch, mpsc::Receiver<Event>)> {
    let (tx, rx) = mpsc::channel();
    let handler = move |event: notify::Result<notify::Event>| {
        let _ = match event {
            Ok(e) if is_read(&e.kind) => Ok(()),
            Ok(e) => tx.send(Ok(e.paths)),
            Err(e) => tx.send(Err(e)),
        };
    };
    let backend = if poll {
        // notify's scan compares whole-second modification times, so a second save within the same second would
        // go unseen without comparing contents too.
        let config =
            notify::Config::default().with_poll_interval(Duration::from_millis(300)).with_compare_contents(true);
        Backend::Poll(PollWatcher::new(handler, config)?)
    } else {
        Backend::Native(RecommendedWatcher::new(handler, notify::Config::default())?)
    };
    let mut guard = Watch { backend, watched: BTreeSet::new() };
    // The root itself, not recursively: catches fanzine.toml, and source folders being created or removed.
    match &mut guard.backend {
        Backend::Native(w) => w.watch(root, RecursiveMode::NonRecursive)?,
        Backend::Poll(w) => w.watch(root, RecursiveMode::NonRecursive)?,
    }
    guard.catch_up(root)?;
    Ok((guard, rx))
}

fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(a) if *a != AccessKind::Close(AccessMode::Write))
}

/// Waits for the next change, then keeps collecting until `quiet` passes without one, so that an editor's save
/// (often a write, a rename and a chmod) becomes one rebuild. `None` once the watcher is gone.
pub fn collect(events: &mpsc::Receiver<Event>, quiet: Duration, log: &dyn Fn(&str)) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let mut take = |event: Event| match event {
        Ok(p) => paths.extend(p),
        Err(e) => log(&format!("warning: watching for changes: {e}")),
    };
    take(events.recv().ok()?);
    loop {
        match events.recv_timeout(quiet) {
            Ok(event) => take(event),
            Err(mpsc::RecvTimeoutError::Timeout) => return Some(paths),
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        }
    }
}
