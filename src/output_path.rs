//! The one gate every output path passes: post URLs, aliases, tag pages, feeds, bundle assets, static files.
//!
//! A path that comes from an author (front matter, `fanzine.toml`, a file name) is joined to the output folder
//! when it is written, so a `..` in it, or a name the file system refuses, would reach outside that folder or fail
//! half way through a write with a message about the spare folder instead of the post. Every such path is checked
//! here, once, while the site model is made, and the render ([`crate::render`]) refuses to hand on any path that
//! was not: nothing can be written outside the output folder whatever the input.
use std::fmt;

/// The longest name most file systems take for one path segment (ext4, APFS, NTFS: 255 bytes or units).
pub const MAX_SEGMENT_BYTES: usize = 255;

/// Why a path cannot be an output path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    #[error("leaves the site (it has a `..` segment)")]
    LeavesSite,
    #[error("has a `.` segment")]
    DotSegment,
    #[error("contains the control character {}", Escaped(*.0))]
    Control(char),
    #[error("has a segment of {0} bytes; file systems take at most {MAX_SEGMENT_BYTES}")]
    TooLong(usize),
    #[error("names no file")]
    NoFile,
    #[error("contains {0:?}, which would end the URL's path")]
    EndsPath(char),
}

impl PathProblem {
    /// What the author can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PathProblem::LeavesSite | PathProblem::DotSegment => {
                "write the path from the site's root, such as \"/old/post/\", without `.` or `..` segments"
            }
            PathProblem::Control(_) => "remove the character; it cannot be part of a file name or a URL",
            PathProblem::TooLong(_) => "shorten it",
            PathProblem::NoFile => "give a file name, such as \"atom.xml\"",
            PathProblem::EndsPath(_) => "remove it: `?` starts a URL's query and `#` its fragment",
        }
    }
}

/// Shows a control character as its code point: printed raw it would be invisible or break the terminal line.
struct Escaped(char);

impl fmt::Display for Escaped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "U+{:04X}", u32::from(self.0))
    }
}

/// A page's URL path (`/a/b/`, a folder served by its `index.html`) from a pattern, slug or alias. Repeated
/// slashes collapse, so that one URL has one spelling and clashes are found; the site root is `/`.
pub fn url(raw: &str) -> Result<String, PathProblem> {
    let segments = segments(raw, true)?;
    Ok(if segments.is_empty() { "/".to_string() } else { format!("/{}/", segments.join("/")) })
}

/// A file's path in the output folder (`a/b.xml`, relative, `/`-separated), from a feed name, an asset, a static
/// file, a generated file.
pub fn file(raw: &str) -> Result<String, PathProblem> {
    if raw.ends_with('/') {
        return Err(PathProblem::NoFile);
    }
    let segments = segments(raw, false)?;
    if segments.is_empty() {
        return Err(PathProblem::NoFile);
    }
    Ok(segments.join("/"))
}

/// The file an alias makes: a name ending in `.html` or `.htm` is that very file (an old `/about.html`), anything
/// else a folder URL with its `index.html`, as Zola does.
pub fn alias_file(raw: &str) -> Result<String, PathProblem> {
    let last = raw.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    if !raw.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm")) {
        segments(raw, true)?;
        file(raw)
    } else {
        url(raw).map(|u| index_file(&u))
    }
}

/// `/a/b/` → `a/b/index.html`: pretty URLs on any static host.
pub fn index_file(url: &str) -> String {
    let trimmed = url.trim_matches('/');
    if trimmed.is_empty() { "index.html".to_string() } else { format!("{trimmed}/index.html") }
}

fn segments(raw: &str, in_url: bool) -> Result<Vec<&str>, PathProblem> {
    let mut kept = Vec::new();
    for segment in raw.split('/').filter(|s| !s.is_empty()) {
        match segment {
            ".." => return Err(PathProblem::LeavesSite),
            "." => return Err(PathProblem::DotSegment),
            _ => {}
        }
        if let Some(c) = segment.chars().find(|&c| forbidden(c)) {
            return Err(PathProblem::Control(c));
        }
        if in_url && let Some(c) = segment.chars().find(|&c| matches!(c, '?' | '#')) {
            return Err(PathProblem::EndsPath(c));
        }
        if segment.len() > MAX_SEGMENT_BYTES {
            return Err(PathProblem::TooLong(segment.len()));
        }
        kept.push(segment);
    }
    Ok(kept)
}

/// Control characters (C0, DEL, C1) and the two non-characters no file name or XML document may hold.
fn forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// `%XX` decoding; a malformed escape or a result that is not UTF-8 is refused rather than guessed at. The preview's
/// server decodes requests with it, and the link checker links, so both find the file a static host would serve.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether `path` is one that [`file`] gives back unchanged.
    fn is_clean_file(path: &str) -> bool {
        file(path).is_ok_and(|clean| clean == path)
    }

    #[test]
    fn urls_are_normalised_and_kept_inside() {
        assert_eq!(url("a//b"), Ok("/a/b/".into()));
        assert_eq!(url("/"), Ok("/".into()));
        assert_eq!(url(""), Ok("/".into()));
        assert_eq!(url("/../../../../srv/x/"), Err(PathProblem::LeavesSite));
        assert_eq!(url("/a/./b/"), Err(PathProblem::DotSegment));
        assert_eq!(url("/a?b/"), Err(PathProblem::EndsPath('?')));
        assert_eq!(url("/a\u{1}/"), Err(PathProblem::Control('\u{1}')));
        assert_eq!(url(&format!("/{}/", "x".repeat(256))), Err(PathProblem::TooLong(256)));
        assert_eq!(url(&format!("/{}/", "x".repeat(255))).map(|u| u.len()), Ok(257));
        assert_eq!(url("/a..b/.well-known/"), Ok("/a..b/.well-known/".into()), "dots inside a name are fine");
    }

    #[test]
    fn files_name_a_file() {
        assert_eq!(file("/atom.xml"), Ok("atom.xml".into()));
        assert_eq!(file("feeds//all.xml"), Ok("feeds/all.xml".into()));
        assert_eq!(file(""), Err(PathProblem::NoFile));
        assert_eq!(file("feeds/"), Err(PathProblem::NoFile));
        assert_eq!(file("../../x.xml"), Err(PathProblem::LeavesSite));
        assert_eq!(file("what?.png"), Ok("what?.png".into()), "a file may have any name a file system takes");
    }

    #[test]
    fn aliases_are_folders_unless_they_name_an_html_file() {
        assert_eq!(alias_file("/old/url/"), Ok("old/url/index.html".into()));
        assert_eq!(alias_file("/old/url"), Ok("old/url/index.html".into()));
        assert_eq!(alias_file("/about.html"), Ok("about.html".into()));
        assert_eq!(alias_file("/index.html"), Ok("index.html".into()));
        assert_eq!(alias_file("/x.html/"), Ok("x.html/index.html".into()));
        assert_eq!(alias_file("/a?.html"), Err(PathProblem::EndsPath('?')));
        assert_eq!(alias_file("/../x.html"), Err(PathProblem::LeavesSite));
    }

    proptest! {
        /// Whatever the input, a path that passes stays inside the output folder: joined to it and resolved
        /// lexically, it never leaves, and the gate gives it back unchanged the second time.
        #[test]
        fn nothing_that_passes_leaves_the_folder(raw in "([a-z./?#\\x00-\\x1f ]|\\.\\.|/){0,24}") {
            for made in [url(&raw).map(|u| index_file(&u)), file(&raw), alias_file(&raw)].into_iter().flatten() {
                prop_assert!(is_clean_file(&made), "{made:?}");
                let mut depth = 0i32;
                for segment in made.split('/') {
                    depth += if segment == ".." { -1 } else { 1 };
                    prop_assert!(depth > 0, "{made:?} leaves the folder");
                }
            }
        }
    }
}
