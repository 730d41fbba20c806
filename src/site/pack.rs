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
//! Each build writes a new pack beside the old one and renames it into place, so a killed build leaves the previous
//! pack intact; a pack that does not parse is ignored as a whole. The cache only ever costs time, never correctness.
//!
//! The old pack is mapped into memory, not read into a buffer: posts' HTML is handed out in place ([`Html`]),
//! without a copy. Never writing a pack in place is what makes that safe.
use super::cache::{Inputs, Lookups, Reuse, still_resolve};
use crate::markdown::{Html, Rendered};
use memmap2::Mmap;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FILE_NAME: &str = "markdown.pack";

/// The first line of a pack: format version and the fingerprint of the fanzine that wrote it.
fn header() -> String {
    format!("fanzine markdown pack 1 {}\n", env!("FANZINE_SOURCE_HASH"))
}

/// The previous build's renderings, and the pack being written for the next one.
pub struct MarkdownPack {
    path: PathBuf,
    /// The previous pack, mapped; `None` when there is none (or it cannot be mapped).
    old: Option<Arc<Mmap>>,
    slots: BTreeMap<String, Slot>,
    next: Option<Next>,
    reused: usize,
    rendered: usize,
    /// The old pack holds exactly what the new one would: it is left in place.
    unchanged: bool,
}

struct Slot {
    meta: Meta,
    html: Range<usize>,
    /// The whole entry, copied as is into the next pack when the post is reused.
    raw: Range<usize>,
}

#[derive(serde::Deserialize)]
struct Meta {
    file: String,
    key: String,
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

struct Next {
    temp: PathBuf,
    out: BufWriter<fs::File>,
    /// Posts whose fresh rendering is already in the new pack.
    written: BTreeSet<String>,
}

impl MarkdownPack {
    /// Opens the pack in `dir` (usually `.fanzine-cache/`). A missing, foreign or damaged pack gives an empty cache;
    /// a folder that cannot be written gives a cache that reads but keeps nothing.
    pub fn open(dir: &Path) -> MarkdownPack {
        let path = dir.join(FILE_NAME);
        remove_abandoned_temps(dir, FILE_NAME);
        // SAFETY: packs are only ever replaced by a rename, never written in place (see the module's comment).
        let old = fs::File::open(&path).ok().and_then(|file| unsafe { Mmap::map(&file) }.ok()).map(Arc::new);
        let slots = old.as_deref().and_then(|old| parse(old)).unwrap_or_default();
        let temp = dir.join(format!("{FILE_NAME}.{}.tmp", std::process::id()));
        let next = fs::create_dir_all(dir)
            .and_then(|()| fs::File::create(&temp))
            .map(|file| Next { temp, out: BufWriter::with_capacity(1 << 20, file), written: BTreeSet::new() })
            .ok();
        let mut pack = MarkdownPack { path, old, slots, next, reused: 0, rendered: 0, unchanged: false };
        pack.write(header().as_bytes());
        pack
    }

    /// How many posts were reused and how many rendered afresh, for the build summary.
    pub fn counts(&self) -> (usize, usize) {
        (self.reused, self.rendered)
    }

    /// Puts the new pack in place of the old one. Without this (an error, a panic) the old pack stays.
    pub fn commit(mut self) -> io::Result<()> {
        if self.unchanged {
            return Ok(());
        }
        let Some(next) = self.next.take() else {
            return Err(io::Error::other("the cache file could not be written"));
        };
        let temp = next.temp.clone();
        let result =
            next.out.into_inner().map_err(io::IntoInnerError::into_error).and_then(|_| fs::rename(&temp, &self.path));
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }

    /// Appends to the new pack; the first failure abandons it (the build goes on uncached).
    fn write(&mut self, bytes: &[u8]) {
        if let Some(next) = &mut self.next
            && next.out.write_all(bytes).is_err()
        {
            let _ = fs::remove_file(&next.temp);
            self.next = None;
        }
    }
}

impl Drop for MarkdownPack {
    fn drop(&mut self) {
        if let Some(next) = &self.next {
            let _ = fs::remove_file(&next.temp);
        }
    }
}

impl Reuse for MarkdownPack {
    fn get(&self, inputs: &Inputs, resolve: &dyn Fn(&str) -> Option<String>) -> Option<Rendered> {
        let slot = self.slots.get(inputs.file)?;
        let meta = &slot.meta;
        if meta.key != key(inputs) || !still_resolve(&meta.lookups, resolve) {
            return None;
        }
        let html = Html::mapped(self.old.as_ref()?, slot.html.clone())?;
        Some(Rendered { html, ..meta.rendered.clone() })
    }

    fn put(&mut self, inputs: &Inputs, lookups: Lookups, rendered: &Rendered) {
        self.rendered += 1;
        if !rendered.images.is_empty() {
            // Not kept (see `super::with_images`), and the old entry is dropped as if replaced.
            if let Some(next) = &mut self.next {
                next.written.insert(inputs.file.to_string());
            }
            return;
        }
        let meta = MetaOut { file: inputs.file, key: key(inputs), lookups: &lookups, rendered };
        let Ok(json) = serde_json::to_vec(&meta) else { return };
        let entry = [&(json.len() as u64).to_le_bytes()[..], &(rendered.html.len() as u64).to_le_bytes()].concat();
        self.write(&entry);
        self.write(&json);
        self.write(rendered.html.as_bytes());
        if let Some(next) = &mut self.next {
            next.written.insert(inputs.file.to_string());
        }
    }

    fn retain(&mut self, live: &BTreeSet<&str>) {
        let written = self.next.as_ref().map(|n| n.written.clone()).unwrap_or_default();
        let kept: Vec<Range<usize>> = (self.slots.iter())
            .filter(|(file, _)| live.contains(file.as_str()) && !written.contains(*file))
            .map(|(_, slot)| slot.raw.clone())
            .collect();
        self.reused = kept.len();
        if self.rendered == 0 && kept.len() == self.slots.len() {
            // Every entry reused and nothing new: the old pack is already the next one, and rewriting it would cost
            // a cached build of 10,000 posts 170 MB of writes.
            if let Some(next) = self.next.take() {
                let _ = fs::remove_file(&next.temp);
            }
            self.unchanged = true;
            return;
        }
        let Some(old) = self.old.clone() else { return };
        for raw in kept {
            self.write(&old[raw]);
        }
    }
}

/// The entries of a pack, by source file; `None` if any part of it is not what this fanzine writes.
fn parse(bytes: &[u8]) -> Option<BTreeMap<String, Slot>> {
    let mut at = bytes.strip_prefix(header().as_bytes()).map(|_| header().len())?;
    let mut slots = BTreeMap::new();
    let number = |at: usize| -> Option<usize> {
        let le: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(le)).ok()
    };
    while at < bytes.len() {
        let (meta_len, html_len) = (number(at)?, number(at + 8)?);
        let meta_start = at + 16;
        let html_start = meta_start.checked_add(meta_len)?;
        let end = html_start.checked_add(html_len)?;
        let meta: Meta = serde_json::from_slice(bytes.get(meta_start..html_start)?).ok()?;
        bytes.get(html_start..end)?;
        slots.insert(meta.file.clone(), Slot { meta, html: html_start..end, raw: at..end });
        at = end;
    }
    Some(slots)
}

/// Removes the temporary files `<file_name>.<pid>.tmp` that builds killed while writing them left in `dir` (their
/// process is gone): the pack's, and the published-files manifest's.
pub(crate) fn remove_abandoned_temps(dir: &Path, file_name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.strip_prefix(&format!("{file_name}.")).and_then(|rest| rest.strip_suffix(".tmp"));
        if pid.is_some_and(|pid| !Path::new("/proc").join(pid).exists()) {
            let _ = fs::remove_file(entry.path());
        }
    }
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
    fn a_damaged_or_foreign_pack_is_ignored_whole() {
        let dir = tempfile::tempdir().unwrap();
        filled(dir.path());
        let path = dir.path().join(FILE_NAME);
        let bytes = fs::read(&path).unwrap();
        for damaged in [
            bytes[..bytes.len() - 1].to_vec(),
            [&bytes[..], b"x"].concat(),
            bytes.iter().map(|&b| if b == b'{' { b'[' } else { b }).collect(),
            String::from_utf8_lossy(&bytes).replacen("pack 1", "pack 0", 1).into_bytes(),
        ] {
            fs::write(&path, damaged).unwrap();
            assert!(MarkdownPack::open(dir.path()).slots.is_empty());
        }
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
}
