//! A post's HTML as every later stage holds it: shared, and either in memory, as the Markdown stage made it, or kept
//! in a file and read back when something shows it ([`Html::text`]).
//!
//! Highlighted HTML is most of a large site's data: 170 MB for 10,000 posts of the benchmark corpus, 1.7 GB for
//! 100,000, and a clean build held all of it from the Markdown stage to the end, which put its peak memory at
//! 4 GB. A one-shot build writes each post's HTML into the Markdown pack ([`crate::site::MarkdownPack`]) anyway, so
//! it keeps only where the bytes are, and reads them back for the post's own page, a feed or the search index: one
//! `pread` of the page cache each, a copy that was made before too (a template's context owns its strings).
//!
//! Not mapped: reading a post through a map faults its pages into the process, where they count as its memory
//! until handed back one post at a time (`MADV_DONTNEED`, a TLB flush on every core each time). Every read checks
//! the bytes against the hash taken when they were written (and that they are UTF-8), so a file changed under the
//! build is an error, never a wrong page.
use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

#[derive(Clone)]
pub struct Html(Repr);

#[derive(Clone)]
enum Repr {
    Made(Arc<str>),
    Kept(Kept),
}

/// Where kept HTML is: its file, offset, length and the hash of its bytes.
#[derive(Clone)]
struct Kept {
    file: Arc<HtmlFile>,
    at: u64,
    len: usize,
    hash: u128,
}

/// A file kept HTML is read back from, open for as long as any of it is held.
pub struct HtmlFile {
    file: File,
    path: std::path::PathBuf,
    /// Held with the file: whatever else must stay open while its HTML can be read (the cache folder's lock, so
    /// that no other build cuts off or rewrites the bytes meanwhile).
    _guard: Option<File>,
}

impl HtmlFile {
    /// `file`, open for reading, named `path` in errors.
    pub fn new(file: File, path: std::path::PathBuf, guard: Option<File>) -> Arc<HtmlFile> {
        Arc::new(HtmlFile { file, path, _guard: guard })
    }

    /// Reads `len` bytes at `at` into `buf` (cleared first).
    pub fn read_into(&self, buf: &mut Vec<u8>, at: u64, len: usize) -> io::Result<()> {
        buf.clear();
        buf.resize(len, 0);
        self.file.read_exact_at(buf, at)
    }
}

impl Html {
    /// The HTML at `at..at + read.len()` of `file`, if `read`, its bytes as just read from there, hash to `hash`
    /// and are UTF-8: a damaged file is a cache miss, never a panic.
    pub fn checked(file: &Arc<HtmlFile>, at: u64, hash: u128, read: &[u8]) -> Option<Html> {
        let intact = xxhash_rust::xxh3::xxh3_128(read) == hash && std::str::from_utf8(read).is_ok();
        intact.then(|| Html::kept(file, at, read.len(), hash))
    }

    /// HTML this process wrote to `file` at `at`, `len` bytes that hash to `hash` (and were UTF-8), and flushed.
    pub fn kept(file: &Arc<HtmlFile>, at: u64, len: usize, hash: u128) -> Html {
        Html(Repr::Kept(Kept { file: file.clone(), at, len, hash }))
    }

    /// The text: borrowed when in memory, else read back from its file and checked against its hash.
    pub fn text(&self) -> io::Result<Cow<'_, str>> {
        match &self.0 {
            Repr::Made(text) => Ok(Cow::Borrowed(text)),
            Repr::Kept(kept) => kept.read().map(Cow::Owned),
        }
    }

    /// [`Html::text`], with an error that names `post`, the source it was rendered from.
    pub fn text_of(&self, post: &str) -> Result<Cow<'_, str>, Lost> {
        self.text().map_err(|error| Lost::new(post, error))
    }

    /// The text when it is in memory: the Markdown stage's own HTML, before anything kept it.
    #[cfg(test)]
    pub fn made(&self) -> Option<&str> {
        match &self.0 {
            Repr::Made(text) => Some(text),
            Repr::Kept(_) => None,
        }
    }

    /// Its length in bytes, known without reading it.
    fn len(&self) -> usize {
        match &self.0 {
            Repr::Made(text) => text.len(),
            Repr::Kept(kept) => kept.len,
        }
    }

    /// The 128-bit xxh3 hash of the bytes: known for kept HTML, so asking for it reads nothing.
    pub fn fingerprint(&self) -> u128 {
        match &self.0 {
            Repr::Made(text) => xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            Repr::Kept(kept) => kept.hash,
        }
    }

    /// Whether both are the very same bytes: true for a post whose HTML was not made again, and cheap to ask where
    /// comparing the bytes is not.
    pub fn same(&self, other: &Html) -> bool {
        match (&self.0, &other.0) {
            (Repr::Made(a), Repr::Made(b)) => Arc::ptr_eq(a, b),
            (Repr::Kept(a), Repr::Kept(b)) => Arc::ptr_eq(&a.file, &b.file) && a.at == b.at && a.len == b.len,
            _ => false,
        }
    }
}

/// A post whose HTML, kept on disk, could not be read back ([`Html::text`]): the cache file changed under the
/// build, or the disk failed.
#[derive(Debug, thiserror::Error)]
#[error("its rendered HTML could not be read back ({error})")]
pub struct Lost {
    post: String,
    error: io::Error,
}

impl Lost {
    pub fn new(post: &str, error: io::Error) -> Lost {
        Lost { post: post.to_string(), error }
    }

    /// The message with the post's source file in front, for where only a message can go (a template's error).
    pub fn located(&self) -> String {
        format!("{}: {self}", self.post)
    }
}

impl From<Lost> for crate::error::Diagnostic {
    fn from(lost: Lost) -> Self {
        let at = crate::error::Location::file(&lost.post);
        crate::error::Diagnostic::error(Some(at), lost.to_string())
            .with_hint("nothing may write to .fanzine-cache/ during a build; build again (or with --no-cache)")
    }
}

impl Kept {
    fn read(&self) -> io::Result<String> {
        let mut bytes = Vec::new();
        let lost = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_string());
        let read = self.file.read_into(&mut bytes, self.at, self.len).and_then(|()| {
            if xxhash_rust::xxh3::xxh3_128(&bytes) != self.hash {
                return Err(lost("its bytes changed on disk since this build wrote them"));
            }
            String::from_utf8(bytes).map_err(|_| lost("its bytes are not UTF-8"))
        });
        read.map_err(|e| {
            io::Error::new(e.kind(), format!("reading rendered HTML back from {}: {e}", self.file.path.display()))
        })
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

/// Equal by bytes; HTML that cannot be read back equals only itself.
impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.same(other)
            || (self.len() == other.len() && matches!((self.text(), other.text()), (Ok(a), Ok(b)) if a == b))
    }
}

/// By the hash of its bytes, so that kept HTML is hashed (into a file's memo key) without reading it.
impl std::hash::Hash for Html {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.fingerprint().hash(state);
    }
}

/// As its text, read back if kept; an error if that fails.
impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text().map_err(serde::ser::Error::custom)?)
    }
}

/// Tests read the Markdown stage's own HTML as text directly; the build itself goes through [`Html::text`], since
/// reading kept HTML back can fail.
#[cfg(test)]
impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.made().expect("tests read only HTML the Markdown stage made")
    }
}

#[cfg(test)]
impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text().map_err(|_| std::fmt::Error)?)
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Repr::Made(text) => std::fmt::Debug::fmt(&**text, f),
            Repr::Kept(kept) => write!(f, "<{} bytes at {} of {}>", kept.len, kept.at, kept.file.path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(bytes: &[u8]) -> (tempfile::TempDir, Arc<HtmlFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack");
        std::fs::write(&path, bytes).unwrap();
        let file = HtmlFile::new(File::open(&path).unwrap(), path, None);
        (dir, file)
    }

    #[test]
    fn kept_html_reads_as_its_bytes_and_is_refused_when_damaged() {
        let (_dir, file) = file_of(b"ab<p>x</p>\xff<p>x</p>");
        let bytes = b"ab<p>x</p>\xff<p>x</p>";
        let (hash, bad) = (xxhash_rust::xxh3::xxh3_128(b"<p>x</p>"), xxhash_rust::xxh3::xxh3_128(b"<p>x</p>\xff"));
        let html = Html::checked(&file, 2, hash, &bytes[2..10]).unwrap();
        assert_eq!(html.text().unwrap(), "<p>x</p>");
        assert!(Html::checked(&file, 2, bad, &bytes[2..11]).is_none(), "not UTF-8, though the hash is right");
        assert!(Html::checked(&file, 2, hash, &bytes[2..9]).is_none(), "bytes that do not hash to the kept hash");
        let again = Html::checked(&file, 11, hash, &bytes[11..19]).unwrap();
        assert!(html.same(&html.clone()) && !html.same(&again) && html == again);
        assert_eq!(html, Html::from("<p>x</p>"), "equal by bytes");
        assert_eq!(html.fingerprint(), Html::from("<p>x</p>").fingerprint(), "the same whether kept or made");
        assert_eq!((html.len(), html.made()), (8, None));
    }

    #[test]
    fn kept_html_changed_on_disk_is_an_error_that_names_the_file_not_a_wrong_page() {
        let (dir, file) = file_of(b"<p>x</p>");
        let html = Html::kept(&file, 0, 8, xxhash_rust::xxh3::xxh3_128(b"<p>x</p>"));
        std::fs::write(dir.path().join("pack"), b"<p>y</p>").unwrap();
        let e = html.text().unwrap_err();
        assert!(e.to_string().contains("changed on disk") && e.to_string().contains("pack"), "{e}");
        assert_ne!(html, Html::from("<p>y</p>"));
        std::fs::write(dir.path().join("pack"), b"<p>").unwrap();
        assert_eq!(html.text().unwrap_err().kind(), io::ErrorKind::UnexpectedEof, "cut short");
    }
}
