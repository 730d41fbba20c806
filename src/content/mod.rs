//! The load stage: find the posts under `content/`, read them, and check their front matter.
//!
//! Nothing here knows about URLs or HTML; it turns files into [`SourcePage`]s and problems into diagnostics.
mod cache;
pub mod front_matter;
mod walk;
pub mod xml;

use crate::error::{Diagnostic, Location};
use crate::locate::line_col;
pub use cache::SourceCache;
use front_matter::{FrontMatter, PostDate};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
pub use walk::{SourceFile, find_sources, is_ignored, slashed};

/// A post as read from disk, before it has a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcePage {
    /// Path relative to the site root, `/`-separated: what diagnostics print.
    pub path: String,
    /// Folder under `content/` holding the post (or the bundle), `""` at the top.
    pub section: String,
    /// Slug from the file or bundle folder name, with any `YYYY-MM-DD-` prefix removed.
    pub file_slug: String,
    pub front: FrontMatter,
    /// The date actually used: front matter first, then the file name.
    pub date: Option<PostDate>,
    /// The Markdown text. Emptied in the site model once rendered: only loading reads it.
    pub body: String,
    /// 1-based line in the file where `body` starts, so Markdown diagnostics point into the file.
    pub body_line: usize,
    /// Files beside a bundle's `index.md`, copied next to the rendered page.
    pub assets: Vec<PathBuf>,
}

/// Reads and checks every post. Problems with one file never stop the others from being read.
pub fn load(root: &Path, files: &[SourceFile]) -> (Vec<SourcePage>, Vec<Diagnostic>) {
    let results: Vec<_> = files.par_iter().map(|f| load_one(root, f)).collect();
    let mut pages = Vec::new();
    let mut diagnostics = Vec::new();
    for (page, mut problems) in results {
        pages.extend(page);
        diagnostics.append(&mut problems);
    }
    (pages, diagnostics)
}

pub(crate) fn load_one(root: &Path, file: &SourceFile) -> (Option<SourcePage>, Vec<Diagnostic>) {
    let path = file.display.clone();
    if let Some(refused) = &file.refused {
        return (None, vec![refused.clone()]);
    }
    let bytes = match std::fs::read(root.join(&file.relative)) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error(Some(Location::file(&path)), format!("cannot read the file: {e}"))
                .with_hint("check that the file exists and that you may read it");
            return (None, vec![d]);
        }
    };
    let text = match decode(&path, bytes) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let (text, mut diagnostics) = without_forbidden_characters(&path, text);
    let split = match front_matter::split(&path, &text) {
        Ok(s) => s,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let front = match front_matter::parse(&path, &split) {
        Ok((front, warnings)) => {
            diagnostics.extend(warnings);
            front
        }
        Err(errors) => {
            diagnostics.extend(errors);
            return (None, diagnostics);
        }
    };
    let (file_date, file_slug) = match slug_and_date(&file.stem) {
        Ok(found) => found,
        Err(why) if front.date.is_none() => {
            let stem = &file.stem;
            let (name, shown) = match file.relative.ends_with("index.md") {
                true => ("folder", stem.clone()),
                false => ("file", format!("{stem}.md")),
            };
            diagnostics.push(
                Diagnostic::error(
                    Some(Location::file(&path)),
                    format!(
                        "the {name} name {shown:?} starts with {:?}, which is not a valid date: {why}",
                        &stem[..10]
                    ),
                )
                .with_hint(format!(
                    "correct the date in the name (e.g. 2017-05-16-{}), or set `date = 2017-05-16` in the front matter",
                    &stem[11..]
                )),
            );
            return (None, diagnostics);
        }
        // The front matter gives the date, so the name is only a name.
        Err(_) => (None, file.stem.clone()),
    };
    let date = front.date.or(file_date.map(PostDate::from_date));
    if date.is_none() {
        diagnostics.push(
            Diagnostic::error(Some(Location::at(&path, 1, 1)), "missing `date` in front matter")
                .with_hint("add a line such as `date = 2017-05-16`, or name the file 2017-05-16-my-post.md"),
        );
        return (None, diagnostics);
    }
    let page = SourcePage {
        path,
        section: file.section.clone(),
        file_slug,
        front,
        date,
        body: split.body.to_string(),
        body_line: split.body_line,
        assets: file.assets.clone(),
    };
    (Some(page), diagnostics)
}

/// The file's text without the characters XML forbids, and a warning saying where they were (see [`xml`]).
fn without_forbidden_characters(path: &str, text: String) -> (String, Vec<Diagnostic>) {
    let (clean, removed) = match xml::strip_located(&text) {
        (std::borrow::Cow::Owned(clean), removed) => (clean, removed),
        (std::borrow::Cow::Borrowed(_), _) => return (text, Vec::new()),
    };
    let first = removed[0];
    let count = removed.len();
    let message = format!(
        "removed {count} character{} that XML does not allow: {}",
        if count == 1 { "" } else { "s" },
        xml::describe(&removed)
    );
    let d = Diagnostic::warning(Some(Location::at(path, first.line, first.column)), message).with_hint(xml::HINT);
    (clean, vec![d])
}

/// UTF-8 only, but a byte order mark and Windows line endings are accepted silently.
fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, prefix.len());
        Diagnostic::error(Some(Location::at(path, line, column)), "the file is not valid UTF-8").with_hint(
            "save the file as UTF-8 in your editor (e.g. convert from Latin-1 with `iconv -f latin1 -t utf-8`)",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n") } else { text })
}

/// `2017-05-16-claims` gives the date and the slug `claims`; other names are the slug as they are. A name that
/// starts like a date (`2017-13-45-x`) but is not one is an `Err` saying why, rather than a name without a date:
/// "missing date" would send the author looking in the wrong place.
fn slug_and_date(stem: &str) -> Result<(Option<time::Date>, String), String> {
    let shaped = stem.len() > 11
        && stem.as_bytes()[..11].iter().enumerate().all(|(i, b)| match i {
            4 | 7 | 10 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Ok((None, stem.to_string()));
    }
    let date = front_matter::parse_date(&stem[..10])?;
    Ok((Some(date), stem[11..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_may_carry_the_date() {
        let (date, slug) = slug_and_date("2017-05-16-claims-in-the-scheduler").unwrap();
        assert_eq!(date.unwrap().to_string(), "2017-05-16");
        assert_eq!(slug, "claims-in-the-scheduler");
        assert_eq!(slug_and_date("00002-post"), Ok((None, "00002-post".to_string())));
        assert_eq!(slug_and_date("2017-05-16"), Ok((None, "2017-05-16".to_string())), "nothing left for a slug");
    }

    #[test]
    fn a_name_that_starts_with_an_impossible_date_says_why() {
        assert_eq!(slug_and_date("2017-13-45-x"), Err("there is no month 13".to_string()));
        assert_eq!(slug_and_date("2017-02-30-x"), Err("February 2017 has 28 days".to_string()));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode("x", b"\xef\xbb\xbf+++\r\ntitle = \"a\"\r\n+++\r\n".to_vec()).unwrap();
        assert_eq!(text, "+++\ntitle = \"a\"\n+++\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode("content/x.md", b"ab\ncd\xff".to_vec()).unwrap_err();
        assert_eq!(d.location, Some(Location::at("content/x.md", 2, 3)));
    }
}
