//! A post's HTML as every later stage holds it: shared, and either made by the Markdown stage or read in place from
//! the Markdown pack on disk ([`crate::site::pack`]), which is mapped into memory rather than read.
//!
//! Highlighted HTML is most of a large site's data (170 MB for 10,000 posts of the benchmark corpus): reading the
//! whole pack into a buffer and copying each post out of it into its own allocation was about a third of a
//! nothing-changed build. Mapped, the bytes stay in the page cache and are never copied. They are checked once,
//! when the pack hands them out ([`Html::mapped`]: their hash, then UTF-8), as the pack read them from the file
//! into a buffer that is used again for the next post, and then read through the map only by what renders the
//! post: a one-shot build's stamps use the hash the pack keeps ([`Html::fingerprint`]), not the bytes. Checking
//! through the map would fault every page of the pack into this process and then need them handed back
//! (`MADV_DONTNEED`, a TLB flush on every core per post): 17% of a nothing-changed build of 10,000 posts.
use std::ops::{Deref, Range};
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
    /// The HTML at `range` of the pack mapped as `map`, if `read`, its bytes as read from the file (not through the
    /// map, see the module's comment), hash to `hash` and are UTF-8: a damaged pack is a cache miss, never a panic.
    /// Both are the same committed bytes, which are never written again.
    pub fn mapped(map: &Arc<memmap2::Mmap>, range: Range<usize>, hash: u128, read: &[u8]) -> Option<Html> {
        let intact = map.get(range.clone()).is_some()
            && read.len() == range.len()
            && xxhash_rust::xxh3::xxh3_128(read) == hash
            && std::str::from_utf8(read).is_ok();
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
        let bytes = std::fs::read(&path).unwrap();
        let map = Arc::new(unsafe { memmap2::Mmap::map(&std::fs::File::open(&path).unwrap()).unwrap() });
        let (hash, bad) = (xxhash_rust::xxh3::xxh3_128(b"<p>x</p>"), xxhash_rust::xxh3::xxh3_128(b"<p>x</p>\xff"));
        let html = Html::mapped(&map, 2..10, hash, &bytes[2..10]).unwrap();
        assert_eq!(&*html, "<p>x</p>");
        assert!(Html::mapped(&map, 2..11, bad, &bytes[2..11]).is_none(), "not UTF-8, though the hash is right");
        assert!(Html::mapped(&map, 2..9, hash, &bytes[2..9]).is_none(), "bytes that do not hash to the kept hash");
        assert!(Html::mapped(&map, 2..10, hash, &bytes[3..11]).is_none(), "read from elsewhere");
        assert!(Html::mapped(&map, 15..30, hash, &bytes[2..10]).is_none(), "past the end");
        let again = Html::mapped(&map, 11..19, hash, &bytes[11..19]).unwrap();
        assert!(html.same(&html.clone()) && !html.same(&again) && html == again);
        assert_eq!(html, Html::from("<p>x</p>"), "equal by bytes");
        assert_eq!(html.fingerprint(), Html::from("<p>x</p>").fingerprint(), "the same whether mapped or made");
    }
}
