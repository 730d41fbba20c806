//! A site's own syntaxes as linked ([`super::Extras`]), kept so that linking happens once per change of the site's
//! syntax files rather than once per build: a set of their own links in about a millisecond, but one linked with the
//! bundled syntaxes (when a site syntax embeds one of them) links every bundled context, about 0.35 s, which would
//! otherwise be most of a small site's build.
//!
//! Two levels: in memory, for the preview, which keeps one [`Linked`] across saves and relinks only when a syntax
//! file changed; and on disk, `.fanzine-cache/syntaxes`, for `fanzine build`, which starts afresh each time. The
//! file is syntect's own dump (its contexts stay compressed until a block needs them, as with the bundled set) under
//! a header line naming the key it was linked for and a hash of the dump, so that a file from another fanzine, for
//! other syntaxes, truncated or damaged is a miss and never an error: syntect panics on a damaged dump, so nothing
//! reaches it unverified. It is written to a temporary file and renamed into place, so a killed build leaves either
//! the old file or the new one.
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use syntect::parsing::SyntaxSet;

const FILE_NAME: &str = "syntaxes";

/// The last linked set and its key, shared by the clones of one handle (the preview's builds), with counts of how
/// each was come by, for tests.
#[derive(Clone, Default)]
pub struct Linked {
    last: Arc<Mutex<Option<Keyed>>>,
    counts: Arc<Counts>,
}

/// A linked set and the key it was linked for.
type Keyed = (String, Arc<SyntaxSet>);

#[derive(Default)]
struct Counts {
    linked: AtomicUsize,
    loaded: AtomicUsize,
}

impl Linked {
    /// The set for `key`: the one in memory if it was linked for that key, else the one on disk in `dir`, else
    /// `link`'s, then kept in memory and written to `dir`. `key` must change with every input of `link` and with
    /// fanzine itself (the dump's format is syntect's, which fanzine's lock file pins).
    pub fn get<E>(
        &self,
        key: &str,
        dir: Option<&Path>,
        link: impl FnOnce() -> Result<SyntaxSet, E>,
    ) -> Result<Arc<SyntaxSet>, E> {
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((kept, set)) = last.as_ref()
            && kept == key
        {
            return Ok(set.clone());
        }
        let set = match dir.and_then(|dir| read(dir, key)) {
            Some(set) => {
                self.counts.loaded.fetch_add(1, Ordering::Relaxed);
                set
            }
            None => {
                let set = link()?;
                self.counts.linked.fetch_add(1, Ordering::Relaxed);
                if let Some(dir) = dir {
                    // A cache that cannot be written only costs the next build the linking.
                    let _ = write(dir, key, &set);
                }
                set
            }
        };
        let set = Arc::new(set);
        *last = Some((key.to_string(), set.clone()));
        Ok(set)
    }

    /// How many sets this handle linked, and how many it read from disk.
    pub fn counts(&self) -> (usize, usize) {
        (self.counts.linked.load(Ordering::Relaxed), self.counts.loaded.load(Ordering::Relaxed))
    }
}

impl std::fmt::Debug for Linked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (linked, loaded) = self.counts();
        write!(f, "Linked {{ linked: {linked}, loaded: {loaded} }}")
    }
}

fn header(key: &str, dump: &[u8]) -> String {
    format!("fanzine syntaxes 1 {key} {}\n", crate::fingerprint::of(&[dump]))
}

/// The set dumped in `dir` for `key`, if the file is there, for that key, and whole.
fn read(dir: &Path, key: &str) -> Option<SyntaxSet> {
    let bytes = std::fs::read(dir.join(FILE_NAME)).ok()?;
    let end = bytes.iter().position(|&b| b == b'\n')? + 1;
    let (head, dump) = bytes.split_at(end);
    if head != header(key, dump).as_bytes() {
        return None;
    }
    syntect::dumps::from_uncompressed_data(dump).ok()
}

fn write(dir: &Path, key: &str, set: &SyntaxSet) -> std::io::Result<()> {
    let dump = bincode::serialize(set).map_err(std::io::Error::other)?;
    let mut bytes = header(key, &dump).into_bytes();
    bytes.extend_from_slice(&dump);
    crate::cache_file::replace(dir, FILE_NAME, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> Result<SyntaxSet, ()> {
        let mut builder = syntect::parsing::SyntaxSetBuilder::new();
        builder.add_plain_text_syntax();
        Ok(builder.build())
    }

    #[test]
    fn a_set_is_linked_once_then_kept_in_memory_and_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let preview = Linked::default();
        preview.get("k1", Some(dir.path()), link).unwrap();
        preview.get("k1", Some(dir.path()), link).unwrap();
        assert_eq!(preview.counts(), (1, 0), "the second build used the set in memory");
        let next = Linked::default();
        let set = next.get("k1", Some(dir.path()), || Err(())).unwrap();
        assert!(set.find_syntax_plain_text().name == "Plain Text");
        assert_eq!(next.counts(), (0, 1), "a new process reads the file");
        Linked::default().get("k2", Some(dir.path()), link).unwrap();
        assert!(Linked::default().get("k1", Some(dir.path()), || Err(())).is_err(), "the file now holds k2's set");
    }

    #[test]
    fn a_damaged_or_truncated_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        Linked::default().get("k", Some(dir.path()), link).unwrap();
        let path = dir.path().join(FILE_NAME);
        let whole = std::fs::read(&path).unwrap();
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 0x40;
        for damaged in [flipped, whole[..whole.len() - 3].to_vec(), b"garbage".to_vec(), Vec::new()] {
            std::fs::write(&path, damaged).unwrap();
            let linked = Linked::default();
            linked.get("k", Some(dir.path()), link).unwrap();
            assert_eq!(linked.counts(), (1, 0));
        }
        assert_eq!(std::fs::read(&path).unwrap(), whole, "and is written again whole");
    }
}
