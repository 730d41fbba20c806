//! Watching the site's sources: `content/`, `templates/`, `static/` and `fanzine.toml`, debounced so that an
//! editor's save (often a write, a rename and a chmod) becomes one rebuild.
//!
//! The debouncing is the dozen lines of [`collect`] rather than notify-debouncer-mini, which drops the event kind
//! that is needed to tell a read from a write.
//!
//! Only these four are watched, not the whole root, so a `public/` or `.git/` with thousands of files costs no
//! watches and never triggers a rebuild. `--poll` swaps the OS notifications for a scan, for file systems that have
//! none (network mounts, some containers).
use crate::config::CONFIG_FILE;
use crate::content::is_ignored;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Source files that changed, grouped by what they feed, as paths relative to the root (`content/a.md`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub content: BTreeSet<String>,
    pub templates: BTreeSet<String>,
    pub statics: BTreeSet<String>,
    pub config: bool,
    /// Which config file changed: `fanzine.toml`, or Zola's `config.toml` or `zola.toml`.
    pub config_file: String,
    /// The same files as absolute paths, to find the output entries copied from them.
    pub absolute: BTreeSet<PathBuf>,
}

impl Changes {
    /// Sorts changed paths into groups; anything else (editor droppings, `public/`, hidden files) is dropped.
    pub fn from_paths(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else { continue };
            let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into()).collect();
            if parts.is_empty() || parts.iter().any(|p| is_ignored(p)) {
                continue;
            }
            let shown = parts.join("/");
            let group = match parts[0].as_str() {
                "content" => &mut changes.content,
                "templates" => &mut changes.templates,
                "static" => &mut changes.statics,
                name if parts.len() == 1 && (name == CONFIG_FILE || crate::config::zola::FILES.contains(&name)) => {
                    changes.config = true;
                    changes.config_file = name.to_string();
                    changes.absolute.insert(path.clone());
                    continue;
                }
                _ => continue,
            };
            // A top folder itself appearing or going away (`static/` created after the server started) counts too;
            // deeper folders only say what the events for their files say.
            group.insert(shown);
            changes.absolute.insert(path.clone());
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        !self.config && self.content.is_empty() && self.templates.is_empty() && self.statics.is_empty()
    }

    /// For the terminal: `content/a.md, templates/post.html (+3 more)`.
    pub fn describe(&self) -> String {
        let mut all: Vec<&str> = Vec::new();
        if self.config {
            all.push(&self.config_file);
        }
        all.extend(self.content.iter().chain(&self.templates).chain(&self.statics).map(String::as_str));
        shorten(&all, 3)
    }
}

/// The first `n` items joined, and how many more there were.
pub fn shorten(items: &[&str], n: usize) -> String {
    let mut text = items.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        text.push_str(&format!(" (+{} more)", items.len() - n));
    }
    text
}

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
pub const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_grouped_and_droppings_ignored() {
        let root = Path::new("/site");
        let paths = [
            "/site/content/a.md",
            "/site/content/.a.md.swp",
            "/site/content/b.md~",
            "/site/content/notes/trip/map.png",
            "/site/templates/post.html",
            "/site/static/style.css",
            "/site/fanzine.toml",
            "/site/public/index.html",
            "/site/.git/index",
            "/site/content/notes",
            "/elsewhere/x.md",
        ];
        let changes = Changes::from_paths(root, paths.iter().map(PathBuf::from));
        assert!(changes.config);
        assert_eq!(
            changes.content.iter().collect::<Vec<_>>(),
            ["content/a.md", "content/notes", "content/notes/trip/map.png"]
        );
        assert_eq!(changes.templates.iter().collect::<Vec<_>>(), ["templates/post.html"]);
        assert_eq!(changes.statics.iter().collect::<Vec<_>>(), ["static/style.css"]);
        assert_eq!(changes.describe(), "fanzine.toml, content/a.md, content/notes (+3 more)");
        let zola = Changes::from_paths(root, [PathBuf::from("/site/config.toml"), PathBuf::from("/site/x/zola.toml")]);
        assert!(zola.config && zola.describe() == "config.toml", "a Zola config, at the root only");
        let created = Changes::from_paths(root, [PathBuf::from("/site/static")]);
        assert_eq!(created.statics.iter().collect::<Vec<_>>(), ["static"]);
        assert!(Changes::from_paths(root, [PathBuf::from("/site/content/.x.swp")]).is_empty());
    }
}
