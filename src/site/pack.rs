//! Rendered Markdown kept on disk between `fanzine build`s, so that a post whose text did not change is not parsed
//! and highlighted again (highlighting is most of a clean build's time).
//!
//! One pack file, `.fanzine-cache/markdown.pack`, holds an entry per post: its metadata as JSON, then its HTML as raw
//! bytes (HTML escaped into JSON costs more to read back than it saves). An entry is used only when its key, a
//! 128-bit hash of everything the Markdown stage reads from the post (body, first line, highlight switch, `[markdown]` settings,
//! and for a post calling shortcodes the templates and what it shows them of itself), matches,
//! and every `@/` link it resolved still resolves the same way; the file's header carries a fingerprint of
//! fanzine's own sources, so another fanzine never reads it. Nothing else reaches the Markdown stage: the config only
//! through the highlight switch, the link answers and the shortcodes' context, the templates only through shortcodes.
//!
//! The pack is append-only: a build appends what it rendered afresh (and a record for each post it dropped), then a
//! commit record, so that editing one post of 10,000 writes a few kilobytes, not the whole 170 MB pack. The commit
//! record names where its batch starts and holds a hash of the batch's records (everything but the HTML, which each
//! entry's own hash covers, checked when the entry is used), and it is written last: a batch cut short by a killed
//! build has no commit and is ignored when the pack is opened (and cut off before the next append), and a damaged
//! entry is a miss. When dead bytes (replaced and dropped entries) pass half of the file, the build writes the live
//! entries into a new pack beside the old one and renames it into place, as a first build does; a killed build then
//! leaves the old pack intact. The cache only ever costs time, never correctness.
//!
//! Posts' HTML is handed out as where it is in a pack file ([`Html`], read back when a page shows it), for the old
//! pack's entries and for this build's alike ([`Reuse::kept_html`]), so that a build holds no post's HTML in memory
//! beyond the Markdown stage. That is safe because the bytes of a pack are never written again while a build can
//! read them: appends go past them, a compacted pack is a new file, and the lock on the cache folder (one build at a
//! time opens the pack; another meanwhile goes without the cache) is held until the last of its HTML is dropped.
use super::cache::{Inputs, Lookups, Reuse, still_resolve};
use crate::markdown::{Html, HtmlFile, Rendered};
use memmap2::Mmap;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufWriter, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

const FILE_NAME: &str = "markdown.pack";

/// The first line of a pack: format version and the fingerprint of the fanzine that wrote it.
fn header() -> String {
    format!("fanzine markdown pack 2 {}\n", env!("FANZINE_SOURCE_HASH"))
}

/// Record tags. An entry: tag, meta length and HTML length (u64 LE), the HTML's hash (u128 LE), meta, HTML. A drop:
/// tag, name length (u64 LE), the post's source path. A commit: tag, where its batch starts (u64 LE), the hash of
/// the batch's records but their HTML (u128 LE).
const ENTRY: u8 = b'E';
const DROP: u8 = b'D';
const COMMIT: u8 = b'C';
const COMMIT_LEN: usize = 1 + 8 + 16;

/// A pack whose dead bytes pass this share of the file is written afresh with only its live entries.
const DEAD_SHARE: f64 = 0.5;

/// The previous builds' renderings, and the batch this build adds to them.
pub struct MarkdownPack {
    dir: PathBuf,
    /// The lock on the cache folder, held until the pack is committed or dropped; `None` when another build holds
    /// it, and then this pack reads nothing and keeps nothing.
    lock: Option<fs::File>,
    /// Another build holds the lock.
    blocked: bool,
    /// The pack as opened, mapped to parse it and to copy kept entries into a new one; `None` when there is none (or
    /// it cannot be mapped).
    old: Option<Arc<Mmap>>,
    /// The same pack open, to read a post's metadata and its HTML when it is asked for.
    old_file: Option<Arc<HtmlFile>>,
    slots: BTreeMap<String, Slot>,
    /// Where the old pack's last committed batch ends; 0 when it has none to build on (missing, foreign, damaged).
    committed: usize,
    /// The batch being written, from the first post that changed.
    batch: Option<Batch>,
    /// Posts whose old entry this build replaced or dropped.
    changed: BTreeSet<String>,
    reused: usize,
    rendered: usize,
}

struct Slot {
    /// The key its rendering was made for (see [`key`]).
    key: String,
    /// Its metadata, read only when the post is asked for ([`Meta`]); the HTML follows it in the file.
    meta: Range<usize>,
    html: Range<usize>,
    html_hash: u128,
    /// The whole entry, copied as is when the pack is written afresh.
    raw: Range<usize>,
}

/// What opening a pack reads of each entry's metadata: which post it is for, and with what key. The rest
/// ([`Meta`]) is read when the post is asked for, on the thread that asks, and is owned by the rendering handed out:
/// the pack keeps no decoded copy of 10,000 posts' links and tables of contents.
#[derive(serde::Deserialize)]
struct MetaHead {
    file: String,
    key: String,
}

#[derive(serde::Deserialize)]
struct Meta {
    lookups: Lookups,
    rendered: Rendered,
}

/// [`Meta`] as written: borrowed, so that storing a post does not copy its HTML (which is skipped anyway).
#[derive(serde::Serialize)]
struct MetaOut<'a> {
    file: &'a str,
    key: String,
    lookups: &'a [(String, Option<String>)],
    rendered: &'a Rendered,
}

/// Records being written after `start` of a file: appended to the pack itself, or a new pack in a temporary file
/// that is renamed into place on commit.
struct Batch {
    out: BufWriter<fs::File>,
    /// The temporary file of a new pack; `None` when appending to the pack.
    temp: Option<PathBuf>,
    start: usize,
    /// Where the next record goes.
    at: usize,
    /// Of every byte written but the entries' HTML.
    hasher: Xxh3,
    /// The new entries, by post, at their place in the file.
    entries: BTreeMap<String, Written>,
    /// The file written, open to read this batch's HTML back from once flushed ([`MarkdownPack::kept_html`]).
    reader: Arc<HtmlFile>,
    /// Whether some HTML of this batch was handed out: its bytes then stay in the file even if the batch is
    /// abandoned (an appended batch is not cut off; the next build does that).
    lent: bool,
}

/// Where a new entry is in the file written.
struct Written {
    /// The whole entry.
    raw: Range<usize>,
    /// Its HTML, with the bytes' hash.
    html: Range<usize>,
    hash: u128,
}

impl MarkdownPack {
    /// Opens the pack in `dir` (usually `.fanzine-cache/`). A missing, foreign or damaged pack gives an empty cache
    /// (a damaged one keeps its batches before the damage); a folder that cannot be written, or that another build
    /// holds, gives a cache that keeps nothing.
    pub fn open(dir: &Path) -> MarkdownPack {
        crate::cache_file::remove_abandoned_temps(dir, FILE_NAME);
        let folder = fs::create_dir_all(dir).and_then(|()| fs::File::open(dir)).ok();
        let exclusive = rustix::fs::FlockOperation::NonBlockingLockExclusive;
        let blocked = folder.as_ref().is_some_and(|folder| rustix::fs::flock(folder, exclusive).is_err());
        let mut pack = MarkdownPack {
            dir: dir.to_path_buf(),
            lock: folder.filter(|_| !blocked),
            blocked,
            old: None,
            old_file: None,
            slots: BTreeMap::new(),
            committed: 0,
            batch: None,
            changed: BTreeSet::new(),
            reused: 0,
            rendered: 0,
        };
        if pack.lock.is_none() {
            return pack;
        }
        // SAFETY: committed bytes of a pack are never written again, and only the holder of the lock appends or cuts
        // off an uncommitted tail (see the module's comment).
        let old = fs::File::open(pack.path()).ok();
        pack.old = old.as_ref().and_then(|file| unsafe { Mmap::map(file) }.ok()).map(Arc::new);
        pack.old_file = old.map(|file| HtmlFile::new(file, pack.path(), pack.guard()));
        // Parsing reads every entry's metadata, spread over the whole file; each stretch read is released as it is
        // passed, so that the file is never resident whole.
        if let Some((slots, committed)) = pack.old.as_deref().and_then(|old| parse(old, &|read| release(old, read))) {
            (pack.slots, pack.committed) = (slots, committed);
        }
        if let Some(old) = &pack.old {
            release(old, 0..old.len());
        }
        pack
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The lock again, for an [`HtmlFile`] to hold: kept HTML is read back until the end of the build, and no other
    /// build may cut off or rewrite the pack meanwhile.
    fn guard(&self) -> Option<fs::File> {
        self.lock.as_ref().and_then(|lock| lock.try_clone().ok())
    }

    /// How many posts were reused and how many rendered afresh, for the build summary.
    pub fn counts(&self) -> (usize, usize) {
        (self.reused, self.rendered)
    }

    /// Commits this build's batch: the records appended to the pack (then written afresh if it holds more dead
    /// bytes than live ones), or the new pack put in place of the old one. Without this (an error, a panic) the
    /// pack stays as it was.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(batch) = self.batch.take() else {
            // Nothing changed (or nothing can be kept): the pack is already what the next build needs.
            return match (&self.lock, self.blocked) {
                (Some(_), _) => Ok(()),
                (None, true) => Err(io::Error::other("another build is using it")),
                (None, false) => Err(io::Error::other("the cache file could not be written")),
            };
        };
        let appended = batch.temp.is_none();
        let (file, end, entries) = batch.finish()?;
        if !appended {
            return Ok(());
        }
        let live: usize = self.kept().map(|slot| slot.raw.len()).sum::<usize>()
            + entries.values().map(|entry| entry.raw.len()).sum::<usize>()
            + header().len();
        if (end - live) as f64 <= DEAD_SHARE * end as f64 {
            return Ok(());
        }
        // SAFETY: as in `open`; this build holds the lock and has just committed what it maps.
        let new = unsafe { Mmap::map(&file) }?;
        // The append is committed: a pack that could not be written afresh is only larger than it needs to be.
        let _ = self.compact(&new, &entries);
        Ok(())
    }

    /// Writes the live entries (kept old ones, then this build's, from `new`) into a new pack in place of the old.
    fn compact(&mut self, new: &[u8], entries: &BTreeMap<String, Written>) -> io::Result<()> {
        let mut batch = Batch::fresh(&self.dir, None)?;
        let kept: Vec<Range<usize>> = self.kept().map(|slot| slot.raw.clone()).collect();
        let old = self.old.clone();
        let records = kept.into_iter().map(|raw| &old.as_deref().expect("kept entries come from the old pack")[raw]);
        for record in records.chain(entries.values().map(|entry| &new[entry.raw.clone()])) {
            batch.copy_entry(record)?;
        }
        batch.finish().map(drop)
    }

    /// The old entries this build keeps.
    fn kept(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(|(file, _)| !self.changed.contains(*file)).map(|(_, slot)| slot)
    }

    /// The batch to write to, begun on first use: appended after the pack's last commit (an uncommitted tail is cut
    /// off first), or a new pack when there is none to build on. `None` when nothing can be kept.
    fn batch(&mut self) -> Option<&mut Batch> {
        if self.batch.is_none() && self.lock.is_some() {
            let guard = self.guard();
            let begun = match self.committed {
                0 => Batch::fresh(&self.dir, guard),
                _ => Batch::append(&self.path(), self.committed, guard),
            };
            // A pack that cannot be written only costs the next build its renderings.
            self.batch = begun.ok();
            if self.batch.is_none() {
                self.lock = None;
            }
        }
        self.batch.as_mut()
    }

    /// Writes a record; the first failure abandons the batch (the build goes on, keeping nothing).
    fn record(&mut self, write: impl FnOnce(&mut Batch) -> io::Result<()>) {
        if let Some(batch) = self.batch()
            && write(batch).is_err()
        {
            self.give_up();
        }
    }

    /// Abandons the batch after a failed write: this build keeps nothing.
    fn give_up(&mut self) {
        if let Some(batch) = self.batch.take() {
            batch.abandon();
        }
        self.lock = None;
    }
}

impl Batch {
    /// A new pack in a temporary file beside `dir`'s pack; its [`HtmlFile`] holds `guard`.
    fn fresh(dir: &Path, guard: Option<fs::File>) -> io::Result<Batch> {
        let temp = crate::cache_file::temp_path(dir, FILE_NAME);
        let file = fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&temp)?;
        let mut batch = Batch::new(file, Some(temp), dir.join(FILE_NAME), header().len(), guard)?;
        batch.out.write_all(header().as_bytes())?;
        Ok(batch)
    }

    /// Records appended to the pack at `path` after its last commit, at `committed`.
    fn append(path: &Path, committed: usize, guard: Option<fs::File>) -> io::Result<Batch> {
        let mut file = fs::OpenOptions::new().read(true).write(true).open(path)?;
        if file.metadata()?.len() > committed as u64 {
            file.set_len(committed as u64)?;
        }
        file.seek(io::SeekFrom::Start(committed as u64))?;
        Batch::new(file, None, path.to_path_buf(), committed, guard)
    }

    /// A batch written to `file` from `start` on, to become the pack at `path`.
    fn new(
        file: fs::File,
        temp: Option<PathBuf>,
        path: PathBuf,
        start: usize,
        guard: Option<fs::File>,
    ) -> io::Result<Batch> {
        let reader = HtmlFile::new(file.try_clone()?, path, guard);
        let out = BufWriter::with_capacity(1 << 20, file);
        let (hasher, entries) = (Xxh3::new(), BTreeMap::new());
        Ok(Batch { out, temp, start, at: start, hasher, entries, reader, lent: false })
    }

    /// Writes `bytes`, hashed unless they are an entry's HTML.
    fn write(&mut self, bytes: &[u8], hashed: bool) -> io::Result<()> {
        if hashed {
            self.hasher.update(bytes);
        }
        self.out.write_all(bytes)?;
        self.at += bytes.len();
        Ok(())
    }

    fn entry(&mut self, file: &str, meta: &[u8], html: &[u8]) -> io::Result<()> {
        let (start, hash) = (self.at, xxh3_128(html));
        let head = [
            &[ENTRY][..],
            &(meta.len() as u64).to_le_bytes(),
            &(html.len() as u64).to_le_bytes(),
            &hash.to_le_bytes(),
            meta,
        ]
        .concat();
        self.write(&head, true)?;
        let html_start = self.at;
        self.write(html, false)?;
        let written = Written { raw: start..self.at, html: html_start..self.at, hash };
        self.entries.insert(file.to_string(), written);
        Ok(())
    }

    /// The HTML of this batch's entry for `file`, read back from the file from now on: flushed first, so it is
    /// there to read.
    fn lend(&mut self, file: &str) -> io::Result<Option<Html>> {
        let Some(written) = self.entries.get(file) else { return Ok(None) };
        self.out.flush()?;
        self.lent = true;
        let (at, len) = (written.html.start as u64, written.html.len());
        Ok(Some(Html::kept(&self.reader, at, len, written.hash)))
    }

    /// Copies a whole entry as read from a pack.
    fn copy_entry(&mut self, record: &[u8]) -> io::Result<()> {
        let meta_len = usize::try_from(u64::from_le_bytes(record[1..9].try_into().expect("8 bytes"))).unwrap_or(0);
        let html_start = ENTRY_HEAD + meta_len;
        self.write(&record[..html_start], true)?;
        self.write(&record[html_start..], false)
    }

    fn drop_record(&mut self, file: &str) -> io::Result<()> {
        self.write(&[&[DROP][..], &(file.len() as u64).to_le_bytes(), file.as_bytes()].concat(), true)
    }

    /// Writes the commit record and puts the batch in place: flushed to the pack, or the new pack renamed over the
    /// old one. Returns the pack's file, where it ends and this batch's entries.
    fn finish(mut self) -> io::Result<(fs::File, usize, BTreeMap<String, Written>)> {
        let digest = self.hasher.digest128();
        let commit = [&[COMMIT][..], &(self.start as u64).to_le_bytes(), &digest.to_le_bytes()].concat();
        let written = self.write(&commit, false).and_then(|()| self.out.flush());
        let temp = self.temp.take();
        let entries = std::mem::take(&mut self.entries);
        let end = self.at;
        let file = match self.out.into_inner() {
            Ok(file) => file,
            Err(e) => {
                let _ = temp.as_ref().map(fs::remove_file);
                return Err(e.into_error());
            }
        };
        let placed = written.and_then(|()| match &temp {
            Some(temp) => fs::rename(temp, temp.with_file_name(FILE_NAME)),
            None => Ok(()),
        });
        if let Err(e) = placed {
            Batch::discard(&file, temp.as_deref(), self.start, self.lent);
            return Err(e);
        }
        Ok((file, end, entries))
    }

    /// Leaves the pack as it was: the temporary file removed (HTML lent from it is still read through the open
    /// file), or the appended records cut off (left uncommitted instead when some of their HTML was lent).
    fn abandon(self) {
        let (start, lent) = (self.start, self.lent);
        let temp = self.temp.clone();
        if let Ok(file) = self.out.into_inner() {
            Batch::discard(&file, temp.as_deref(), start, lent);
        } else if let Some(temp) = temp {
            let _ = fs::remove_file(temp);
        }
    }

    fn discard(file: &fs::File, temp: Option<&Path>, start: usize, lent: bool) {
        match temp {
            Some(temp) => {
                let _ = fs::remove_file(temp);
            }
            None if !lent => {
                let _ = file.set_len(start as u64);
            }
            None => {}
        }
    }
}

/// An entry's tag, lengths and HTML hash.
const ENTRY_HEAD: usize = 1 + 8 + 8 + 16;

impl Drop for MarkdownPack {
    fn drop(&mut self) {
        if let Some(batch) = self.batch.take() {
            batch.abandon();
        }
    }
}

impl Reuse for MarkdownPack {
    fn get(&self, inputs: &Inputs, resolve: &dyn Fn(&str) -> Option<String>) -> Option<Rendered> {
        let slot = self.slots.get(inputs.file)?;
        if slot.key != key(inputs) {
            return None;
        }
        // The metadata and the HTML after it, in one read (see `Html` for why not through the map).
        thread_local! {
            static READ: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        READ.with_borrow_mut(|read| {
            let file = self.old_file.as_ref()?;
            file.read_into(read, slot.meta.start as u64, slot.html.end - slot.meta.start).ok()?;
            let (meta, html) = read.split_at(slot.meta.len());
            let html = Html::checked(file, slot.html.start as u64, slot.html_hash, html)?;
            let meta: Meta = serde_json::from_slice(meta).ok()?;
            still_resolve(&meta.lookups, resolve).then_some(Rendered { html, ..meta.rendered })
        })
    }

    fn put(&mut self, inputs: &Inputs, lookups: Lookups, rendered: &Rendered) {
        self.rendered += 1;
        self.changed.insert(inputs.file.to_string());
        if !rendered.images.is_empty() {
            // Not kept (see `super::with_images`), and the old entry is dropped as if replaced.
            if self.slots.contains_key(inputs.file) {
                self.record(|batch| batch.drop_record(inputs.file));
            }
            return;
        }
        let meta = MetaOut { file: inputs.file, key: key(inputs), lookups: &lookups, rendered };
        let (Ok(json), Ok(html)) = (serde_json::to_vec(&meta), rendered.html.text()) else { return };
        self.record(|batch| batch.entry(inputs.file, &json, html.as_bytes()));
    }

    fn kept_html(&mut self, file: &str) -> Option<Html> {
        let lent = self.batch.as_mut()?.lend(file);
        // As a failed write: the build goes on with its own copy.
        lent.unwrap_or_else(|_| {
            self.give_up();
            None
        })
    }

    fn retain(&mut self, live: &BTreeSet<&str>) {
        let gone: Vec<String> = (self.slots.keys())
            .filter(|file| !live.contains(file.as_str()) && !self.changed.contains(*file))
            .cloned()
            .collect();
        for file in gone {
            self.record(|batch| batch.drop_record(&file));
            self.changed.insert(file);
        }
        self.reused = self.kept().count();
    }

    fn on_disk(&self) -> Option<&Path> {
        self.lock.is_some().then_some(self.dir.as_path())
    }
}

/// How much of the pack parsing reads before it releases what it passed.
const RELEASE_EVERY: usize = 16 << 20;

/// Hands the pages of `range` back: the bytes stay in the page cache, but no longer count in this process's memory
/// until something reads them again (at 100,000 posts, a pack checked whole was 1.7 GB of resident pages).
/// Harmless to any reader: the map is read-only, and a page read again is faulted back in from the file.
fn release(map: &Mmap, range: Range<usize>) {
    // SAFETY: MADV_DONTNEED on a read-only file mapping drops only this process's page table entries; the bytes
    // read afterwards are the file's, which committed bytes never change (see the module's comment).
    let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, range.len()) };
}

/// The committed entries of a pack, by source file, and where its last commit ends; `None` if it is not a pack
/// this fanzine writes. Reading stops at the first record that is cut short, damaged or not committed: the batches
/// before it stand.
fn parse(bytes: &[u8], release: &dyn Fn(Range<usize>)) -> Option<(BTreeMap<String, Slot>, usize)> {
    let mut at = bytes.strip_prefix(header().as_bytes()).map(|_| header().len())?;
    let (mut slots, mut committed) = (BTreeMap::new(), at);
    let mut batch: Vec<(String, Option<Slot>)> = Vec::new();
    let mut hasher = Xxh3::new();
    let mut released = 0;
    let number = |at: usize| -> Option<usize> {
        let le: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(le)).ok()
    };
    let hash = |at: usize| -> Option<u128> { Some(u128::from_le_bytes(bytes.get(at..at + 16)?.try_into().ok()?)) };
    loop {
        let next = match bytes.get(at) {
            Some(&ENTRY) => (|| {
                let (meta_len, html_len, html_hash) = (number(at + 1)?, number(at + 9)?, hash(at + 17)?);
                let html_start = (at + ENTRY_HEAD).checked_add(meta_len)?;
                let end = html_start.checked_add(html_len)?;
                let MetaHead { file, key } = serde_json::from_slice(bytes.get(at + ENTRY_HEAD..html_start)?).ok()?;
                bytes.get(html_start..end)?;
                hasher.update(&bytes[at..html_start]);
                let slot =
                    Slot { key, meta: at + ENTRY_HEAD..html_start, html: html_start..end, html_hash, raw: at..end };
                batch.push((file, Some(slot)));
                Some(end)
            })(),
            Some(&DROP) => (|| {
                let end = (at + 9).checked_add(number(at + 1)?)?;
                let file = std::str::from_utf8(bytes.get(at + 9..end)?).ok()?;
                hasher.update(&bytes[at..end]);
                batch.push((file.to_string(), None));
                Some(end)
            })(),
            Some(&COMMIT) => (|| {
                (number(at + 1)? == committed && hash(at + 9)? == hasher.digest128()).then_some(())?;
                for (file, slot) in batch.drain(..) {
                    match slot {
                        Some(slot) => slots.insert(file, slot),
                        None => slots.remove(&file),
                    };
                }
                hasher.reset();
                committed = at + COMMIT_LEN;
                Some(committed)
            })(),
            _ => None,
        };
        match next {
            Some(end) => at = end,
            None => break,
        }
        if at - released >= RELEASE_EVERY {
            release(released..at);
            released = at;
        }
    }
    Some((slots, committed))
}

/// The key of everything the Markdown stage reads from a post.
fn key(inputs: &Inputs) -> String {
    let first_line = (inputs.first_line as u64).to_le_bytes();
    let switches = [u8::from(inputs.switches.highlight), inputs.switches.anchors as u8];
    let settings = inputs.settings.fingerprint();
    crate::fingerprint::of(&[
        inputs.file.as_bytes(),
        &first_line,
        &switches,
        settings.as_bytes(),
        inputs.shortcodes.as_bytes(),
        inputs.syntaxes.as_bytes(),
        inputs.relative_base.as_bytes(),
        inputs.colours.as_bytes(),
        inputs.body.as_bytes(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{self, Options};

    fn inputs<'a>(file: &'a str, body: &'a str) -> Inputs<'a> {
        Inputs {
            file,
            body,
            first_line: 4,
            switches: crate::site::Switches { highlight: true, anchors: Default::default() },
            settings: &crate::config::Markdown::FANZINE,
            shortcodes: "",
            syntaxes: "",
            relative_base: "",
            colours: "",
        }
    }

    fn render(body: &str) -> Rendered {
        let resolve = |_: &str| Some("/b/".to_string());
        let options =
            Options { first_line: 4, ..Options::new("content/a.md", &crate::config::Markdown::FANZINE, &resolve) };
        markdown::render(body, &options)
    }

    const BODY: &str = "# Title\n\nSee [b](@/b.md) and `x`.\n\n```rust\nfn main() {}\n```\n\n```klingon\nx\n```\n";

    /// A pack holding `content/a.md` rendered from [`BODY`], with its link to b.md answered `/b/`.
    fn filled(dir: &Path) -> Rendered {
        let rendered = render(BODY);
        let mut pack = MarkdownPack::open(dir);
        pack.put(&inputs("content/a.md", BODY), vec![("b.md".into(), Some("/b/".into()))], &rendered);
        pack.retain(&["content/a.md"].into());
        pack.commit().unwrap();
        rendered
    }

    #[test]
    fn a_rendering_survives_the_process_whole() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = filled(dir.path());
        assert!(!rendered.diagnostics.is_empty() && !rendered.links.is_empty(), "the sample exercises every field");
        let pack = MarkdownPack::open(dir.path());
        let hit = pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into()));
        assert_eq!(hit.as_ref(), Some(&rendered));
    }

    #[test]
    fn any_changed_input_misses() {
        let dir = tempfile::tempdir().unwrap();
        filled(dir.path());
        let pack = MarkdownPack::open(dir.path());
        let same = |_: &str| Some("/b/".to_string());
        assert!(pack.get(&inputs("content/a.md", &BODY.replace("Title", "Titel")), &same).is_none());
        assert!(pack.get(&Inputs { first_line: 5, ..inputs("content/a.md", BODY) }, &same).is_none());
        let unhighlighted = crate::site::Switches { highlight: false, anchors: Default::default() };
        assert!(pack.get(&Inputs { switches: unhighlighted, ..inputs("content/a.md", BODY) }, &same).is_none());
        let plain = crate::config::Markdown { smart_punctuation: false, ..crate::config::Markdown::FANZINE };
        assert!(pack.get(&Inputs { settings: &plain, ..inputs("content/a.md", BODY) }, &same).is_none());
        assert!(pack.get(&Inputs { syntaxes: "edited", ..inputs("content/a.md", BODY) }, &same).is_none());
        assert!(
            pack.get(&Inputs { relative_base: "https://e.org/a/", ..inputs("content/a.md", BODY) }, &same).is_none()
        );
        assert!(pack.get(&Inputs { colours: "Solarized (dark)", ..inputs("content/a.md", BODY) }, &same).is_none());
        assert!(pack.get(&inputs("content/other.md", BODY), &same).is_none());
        assert!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/moved/".into())).is_none(), "link answer");
    }

    #[test]
    fn a_damaged_or_foreign_pack_keeps_only_its_whole_batches() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = filled(dir.path());
        let path = dir.path().join(FILE_NAME);
        let bytes = fs::read(&path).unwrap();
        let hit = || MarkdownPack::open(dir.path()).get(&inputs("content/a.md", BODY), &|_| Some("/b/".into()));
        for damaged in [
            bytes[..bytes.len() - 1].to_vec(),
            bytes.iter().map(|&b| if b == b'{' { b'[' } else { b }).collect(),
            String::from_utf8_lossy(&bytes).replacen("pack 2", "pack 1", 1).into_bytes(),
            String::from_utf8_lossy(&bytes).replacen("content/a.md", "content/b.md", 1).into_bytes(),
        ] {
            fs::write(&path, damaged).unwrap();
            assert!(MarkdownPack::open(dir.path()).slots.is_empty());
        }
        fs::write(&path, [&bytes[..], b"E\x05"].concat()).unwrap();
        assert_eq!(hit(), Some(rendered), "a tail cut short leaves the batches before it");
        let html = bytes.windows(5).rposition(|w| w == b"<h1 i").unwrap();
        let mut flipped = bytes.clone();
        flipped[html + 1] = b'H';
        fs::write(&path, flipped).unwrap();
        assert_eq!(hit(), None, "damaged HTML is a miss");
    }

    /// The length and inode of the pack in `dir`.
    fn file(dir: &Path) -> (u64, u64) {
        let meta = fs::metadata(dir.join(FILE_NAME)).unwrap();
        (meta.len(), std::os::unix::fs::MetadataExt::ino(&meta))
    }

    /// One build that renders `content/a.md` from `body` afresh (and keeps `content/b.md`, if there).
    fn edit(dir: &Path, body: &str) -> io::Result<()> {
        let mut pack = MarkdownPack::open(dir);
        pack.put(&inputs("content/a.md", body), Vec::new(), &render(body));
        pack.retain(&["content/a.md", "content/b.md"].into());
        pack.commit()
    }

    /// A pack of `content/a.md` and `content/b.md`, both rendered from [`BODY`].
    fn two_posts(dir: &Path) {
        let mut pack = MarkdownPack::open(dir);
        for file in ["content/a.md", "content/b.md"] {
            pack.put(&inputs(file, BODY), vec![("b.md".into(), Some("/b/".into()))], &render(BODY));
        }
        pack.retain(&["content/a.md", "content/b.md"].into());
        pack.commit().unwrap();
    }

    #[test]
    fn an_edit_is_appended_and_a_pack_mostly_dead_is_written_afresh() {
        let dir = tempfile::tempdir().unwrap();
        two_posts(dir.path());
        let before = fs::read(dir.path().join(FILE_NAME)).unwrap();
        let (_, inode) = file(dir.path());
        let one = BODY.replace("Title", "Edit0");
        edit(dir.path(), &one).unwrap();
        let after = fs::read(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(&after[..before.len()], &before[..], "the committed bytes stay as they were");
        assert!(after.len() > before.len() && file(dir.path()).1 == inode, "appended to the same file");
        let pack = MarkdownPack::open(dir.path());
        assert_eq!(pack.get(&inputs("content/a.md", &one), &|_| None), Some(render(&one)));
        assert_eq!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), None, "replaced");
        drop(pack);
        // Each edit of a.md adds a dead entry; once they pass half of the file, it is written afresh.
        let mut last = one;
        for n in 1..6 {
            let (len, _) = file(dir.path());
            last = BODY.replace("Title", &format!("Edit{n}"));
            edit(dir.path(), &last).unwrap();
            if file(dir.path()).1 != inode {
                assert!(file(dir.path()).0 < len, "only the live entries are left");
                break;
            }
        }
        assert_ne!(file(dir.path()).1, inode, "written afresh");
        let pack = MarkdownPack::open(dir.path());
        assert_eq!(pack.slots.keys().collect::<Vec<_>>(), ["content/a.md", "content/b.md"]);
        assert_eq!(pack.get(&inputs("content/a.md", &last), &|_| None), Some(render(&last)));
        assert!(pack.get(&inputs("content/b.md", BODY), &|_| Some("/b/".into())).is_some());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_torn_append_is_ignored_then_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        two_posts(dir.path());
        let rendered = render(BODY);
        let (one, three) = (BODY.replace("Title", "One11"), BODY.replace("Title", "Three"));
        let (len, _) = file(dir.path());
        edit(dir.path(), &one).unwrap();
        let path = dir.path().join(FILE_NAME);
        let whole = fs::read(&path).unwrap();
        // A build killed at any point of its append: the edit is lost, the batch before it stands.
        for cut in [len as usize + 1, len as usize + 40, whole.len() - COMMIT_LEN, whole.len() - 1] {
            fs::write(&path, &whole[..cut]).unwrap();
            let pack = MarkdownPack::open(dir.path());
            assert_eq!(pack.committed, len as usize);
            assert_eq!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), Some(rendered.clone()));
            assert_eq!(pack.get(&inputs("content/a.md", &one), &|_| None), None, "cut at {cut}");
        }
        edit(dir.path(), &three).unwrap();
        let pack = MarkdownPack::open(dir.path());
        assert_eq!(pack.get(&inputs("content/a.md", &three), &|_| None), Some(render(&three)));
        assert!(pack.committed as u64 == file(dir.path()).0, "the torn tail was cut off before the append");
    }

    #[test]
    fn a_second_build_at_once_goes_without_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = filled(dir.path());
        let first = MarkdownPack::open(dir.path());
        let mut second = MarkdownPack::open(dir.path());
        assert_eq!(second.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), None);
        second.put(&inputs("content/a.md", "x"), Vec::new(), &render("x"));
        second.retain(&["content/a.md"].into());
        assert!(second.commit().is_err(), "it says the cache was not saved");
        assert_eq!(first.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), Some(rendered));
        drop(first);
        assert!(MarkdownPack::open(dir.path()).lock.is_some(), "the lock goes with the build");
    }

    #[test]
    fn the_next_pack_keeps_reused_posts_and_drops_deleted_ones() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = filled(dir.path());
        let mut pack = MarkdownPack::open(dir.path());
        pack.put(&inputs("content/new.md", "new"), Vec::new(), &render("new"));
        pack.retain(&["content/a.md", "content/new.md"].into());
        assert_eq!(pack.counts(), (1, 1));
        pack.commit().unwrap();
        let pack = MarkdownPack::open(dir.path());
        assert_eq!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), Some(rendered));
        let mut pack = pack;
        pack.retain(&["content/new.md"].into());
        pack.commit().unwrap();
        assert_eq!(MarkdownPack::open(dir.path()).slots.keys().collect::<Vec<_>>(), ["content/new.md"]);
    }

    #[test]
    fn a_build_that_reuses_everything_leaves_the_pack_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = filled(dir.path());
        let path = dir.path().join(FILE_NAME);
        let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
        let before = (inode(&path), fs::read(&path).unwrap());
        let mut pack = MarkdownPack::open(dir.path());
        assert!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())).is_some());
        pack.retain(&["content/a.md"].into());
        assert_eq!(pack.counts(), (1, 0));
        pack.commit().unwrap();
        assert_eq!((inode(&path), fs::read(&path).unwrap()), before, "not rewritten");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        let pack = MarkdownPack::open(dir.path());
        assert_eq!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())), Some(rendered));
    }

    #[test]
    fn an_uncommitted_pack_leaves_the_old_one_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        filled(dir.path());
        let before = fs::read(dir.path().join(FILE_NAME)).unwrap();
        let mut pack = MarkdownPack::open(dir.path());
        pack.put(&inputs("content/a.md", "changed"), Vec::new(), &render("changed"));
        drop(pack);
        assert_eq!(fs::read(dir.path().join(FILE_NAME)).unwrap(), before);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_packs_of_dead_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(format!("{FILE_NAME}.999999999.tmp"));
        fs::write(&dead, "half").unwrap();
        drop(MarkdownPack::open(dir.path()));
        assert!(!dead.exists());
    }

    #[test]
    fn html_lent_by_a_new_pack_reads_back_and_keeps_other_builds_out_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut pack = MarkdownPack::open(dir.path());
        assert!(pack.kept_html("content/a.md").is_none(), "nothing put: no batch is begun for it");
        let rendered = render(BODY);
        pack.put(&inputs("content/a.md", BODY), Vec::new(), &rendered);
        let lent = pack.kept_html("content/a.md").expect("put, so kept");
        assert!(lent.made().is_none() && lent == rendered.html, "read back from the file, the same bytes");
        assert!(pack.kept_html("content/b.md").is_none(), "never put");
        pack.retain(&["content/a.md"].into());
        pack.commit().unwrap();
        assert_eq!(lent.text().unwrap(), rendered.html.text().unwrap(), "committed: renamed into place");
        let err = edit(dir.path(), "x").unwrap_err();
        assert!(err.to_string().contains("another build"), "the lock lives as long as the lent HTML: {err}");
        drop(lent);
        edit(dir.path(), "x").unwrap();
    }

    #[test]
    fn html_lent_before_a_pack_is_written_afresh_reads_back_from_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        two_posts(dir.path());
        let (_, inode) = file(dir.path());
        let mut pack = MarkdownPack::open(dir.path());
        let files = ["content/a.md", "content/b.md"];
        for file in files {
            pack.put(&inputs(file, "new"), Vec::new(), &render("new"));
        }
        let lent: Vec<Html> = files.iter().map(|file| pack.kept_html(file).unwrap()).collect();
        pack.retain(&files.into());
        pack.commit().unwrap();
        assert_ne!(file(dir.path()).1, inode, "every old entry is dead: written afresh");
        assert!(lent.iter().all(|html| *html == render("new").html));
    }

    #[test]
    fn an_abandoned_append_that_lent_html_is_left_for_the_next_build_to_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        two_posts(dir.path());
        let committed = file(dir.path()).0;
        let one = BODY.replace("Title", "Edit");
        let mut pack = MarkdownPack::open(dir.path());
        pack.put(&inputs("content/a.md", &one), Vec::new(), &render(&one));
        let lent = pack.kept_html("content/a.md").unwrap();
        drop(pack);
        assert!(file(dir.path()).0 > committed, "not cut off while its HTML may be read");
        assert_eq!(lent.text().unwrap(), render(&one).html.text().unwrap());
        drop(lent);
        let pack = MarkdownPack::open(dir.path());
        assert!(pack.get(&inputs("content/a.md", &one), &|_| None).is_none(), "uncommitted, so never used");
        assert!(pack.get(&inputs("content/a.md", BODY), &|_| Some("/b/".into())).is_some(), "the old entry stands");
        drop(pack);
        edit(dir.path(), "again").unwrap();
        assert!(MarkdownPack::open(dir.path()).get(&inputs("content/a.md", "again"), &|_| None).is_some());
    }
}
