//! A post's HTML as every later stage holds it: shared, and either made by the Markdown stage or read in place from
//! the Markdown pack on disk ([`crate::site::pack`]), which is mapped into memory rather than read.
//!
//! Highlighted HTML is most of a large site's data (170 MB for 10,000 posts of the benchmark corpus): reading the
//! whole pack into a buffer and copying each post out of it into its own allocation was about a third of a
//! nothing-changed build. Mapped, the bytes stay in the page cache and are never copied. They are checked once, when
//! the pack hands them out ([`Html::mapped`]: their hash, then UTF-8), by reading them from the file into a buffer
//! that is used again for the next post, and then read through the map only by what renders the post: a one-shot
//! build's stamps use the hash the pack keeps ([`Html::fingerprint`]), not the bytes. Checking through the map
//! would fault every page of the pack into this process and then need them handed back (`MADV_DONTNEED`, a TLB
//! flush on every core per post): 17% of a nothing-changed build of 10,000 posts.
use std::cell::RefCell;
use std::ops::{Deref, Range};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

#[derive(Clone)]
pub struct Html(Repr);

#[derive(Clone)]
enum Repr {
    Made(Arc<str>),
    /// Checked when the pack handed it out: UTF-8, with the hash of its bytes.
    Mapped(Arc<memmap2::Mmap>, Range<usize>, u128),
}

impl Html {
    /// The HTML at `range` of a pack, open as `file` and mapped as `map`, if its bytes hash to `hash` and are UTF-8
    /// (a damaged pack is a cache miss, never a panic). The bytes are checked as read from `file`, not through `map`
    /// (see the module's comment); both are the same committed bytes, which are never written again.
    pub fn mapped(map: &Arc<memmap2::Mmap>, file: &std::fs::File, range: Range<usize>, hash: u128) -> Option<Html> {
        map.get(range.clone())?;
        thread_local! {
            static READ: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        let intact = READ.with_borrow_mut(|buffer| {
            buffer.resize(range.len(), 0);
            file.read_exact_at(buffer, range.start as u64).is_ok()
                && xxhash_rust::xxh3::xxh3_128(buffer) == hash
                && std::str::from_utf8(buffer).is_ok()
        });
        intact.then(|| Html(Repr::Mapped(map.clone(), range, hash)))
    }

    /// The 128-bit xxh3 hash of the bytes: kept by the pack for mapped HTML, so asking for it reads nothing.
    pub fn fingerprint(&self) -> u128 {
        match &self.0 {
            Repr::Made(text) => xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            Repr::Mapped(_, _, hash) => *hash,
        }
    }

    /// Whether both are the very same bytes in memory: true for a post whose HTML was not made again, and cheap to
    /// ask where comparing the bytes is not.
    pub fn same(&self, other: &Html) -> bool {
        match (&self.0, &other.0) {
            (Repr::Made(a), Repr::Made(b)) => Arc::ptr_eq(a, b),
            (Repr::Mapped(a, r, _), Repr::Mapped(b, s, _)) => Arc::ptr_eq(a, b) && r == s,
            _ => false,
        }
    }
}

impl Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Made(text) => text,
            // SAFETY: checked to be UTF-8 by `Html::mapped`. The pack is never written in place (each build writes a
            // new file and renames it over the old), so the mapped bytes do not change under us.
            Repr::Mapped(map, range, _) => unsafe { std::str::from_utf8_unchecked(&map[range.clone()]) },
        }
    }
}

impl Default for Html {
    fn default() -> Html {
        Html(Repr::Made(Arc::from("")))
    }
}

impl From<String> for Html {
    fn from(text: String) -> Html {
        Html(Repr::Made(text.into()))
    }
}

impl From<&str> for Html {
    fn from(text: &str) -> Html {
        Html(Repr::Made(text.into()))
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.same(other) || **self == **other
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_html_reads_as_its_bytes_and_is_refused_when_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack");
        std::fs::write(&path, b"ab<p>x</p>\xff<p>x</p>").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let map = Arc::new(unsafe { memmap2::Mmap::map(&file).unwrap() });
        let (hash, bad) = (xxhash_rust::xxh3::xxh3_128(b"<p>x</p>"), xxhash_rust::xxh3::xxh3_128(b"<p>x</p>\xff"));
        let html = Html::mapped(&map, &file, 2..10, hash).unwrap();
        assert_eq!(&*html, "<p>x</p>");
        assert!(Html::mapped(&map, &file, 2..11, bad).is_none(), "not UTF-8, though the hash is right");
        assert!(Html::mapped(&map, &file, 2..9, hash).is_none(), "bytes that do not hash to the kept hash");
        assert!(Html::mapped(&map, &file, 15..30, hash).is_none(), "past the end");
        let again = Html::mapped(&map, &file, 11..19, hash).unwrap();
        assert!(html.same(&html.clone()) && !html.same(&again) && html == again);
        assert_eq!(html, Html::from("<p>x</p>"), "equal by bytes");
        assert_eq!(html.fingerprint(), Html::from("<p>x</p>").fingerprint(), "the same whether mapped or made");
    }
}
