//! The load stage: find the posts under `content/`, read them, and check their front matter.
//!
//! Nothing here knows about URLs or HTML; it turns files into [`SourcePage`]s and problems into diagnostics.
mod cache;
pub mod front_matter;
pub mod languages;
mod walk;
pub mod xml;

use crate::error::{Diagnostic, Location};
use crate::locate::line_col;
pub use cache::SourceCache;
use front_matter::{FrontMatter, PostDate, SectionFront};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
pub use walk::{SourceFile, Walking, find_sources, is_editor_file, is_ignored, slashed};

/// A page as read from disk, before it has a URL; or a section's `_index.md`, when `section_front` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcePage {
    /// Path relative to the site root, `/`-separated: what diagnostics print.
    pub path: String,
    /// Folder under `content/` holding the page (or the bundle, or the section's `_index.md`), `""` at the top.
    pub section: String,
    /// What a section's `_index.md` sets besides the page keys; `None` for a page.
    pub section_front: Option<SectionFront>,
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
    /// Its language when it is not the site's default one: from its name (`first.fr.md`), on a Zola site with
    /// `[languages]` (see [`languages`]).
    pub lang: Option<String>,
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
    if file.is_section() {
        return match front_matter::parse_section(&path, &split) {
            Ok((front, section, warnings)) => {
                diagnostics.extend(warnings);
                let page = SourcePage {
                    path,
                    section: file.section.clone(),
                    section_front: Some(section),
                    file_slug: String::new(),
                    date: None,
                    front,
                    body: split.body.to_string(),
                    body_line: split.body_line,
                    assets: Vec::new(),
                    lang: file.lang.clone(),
                };
                (Some(page), diagnostics)
            }
            Err(errors) => {
                diagnostics.extend(errors);
                (None, diagnostics)
            }
        };
    }
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
            let (date, slug) = dated_prefix(stem).expect("only a dated name is refused");
            let (name, shown) = match file.relative.ends_with("index.md") {
                true => ("folder", stem.clone()),
                false => ("file", format!("{stem}.md")),
            };
            diagnostics.push(
                Diagnostic::error(
                    Some(Location::file(&path)),
                    format!(
                        "the {name} name {shown:?} starts with {date:?}, which is not a valid date: {why}"
                    ),
                )
                .with_hint(format!(
                    "correct the date in the name (e.g. 2017-05-16-{slug}), or set `date = 2017-05-16` in the front matter"
                )),
            );
            return (None, diagnostics);
        }
        // The front matter gives the date, so the name is only a name.
        Err(_) => (None, file.stem.clone()),
    };
    let date = front.date.or(file_date);
    if date.is_some() {
        diagnostics.extend(untitled(&path, &front));
    }
    let page = SourcePage {
        path,
        section: file.section.clone(),
        section_front: None,
        file_slug,
        front,
        date,
        body: split.body.to_string(),
        body_line: split.body_line,
        assets: file.assets.clone(),
        lang: file.lang.clone(),
    };
    (Some(page), diagnostics)
}

/// A dated page is listed, and carries a title in feeds, so one without a title is worth a warning; it is shown
/// by its slug. (Zola needs no title at all, and an undated page, an About page, may well have none.)
fn untitled(path: &str, front: &FrontMatter) -> Option<Diagnostic> {
    if !front.title.trim().is_empty() {
        return None;
    }
    let hint = "add a line such as: title = \"My post\"; lists and feeds show the page's slug meanwhile";
    Some(match &front.title_at {
        Some(at) => Diagnostic::warning(Some(at.clone()), "`title` is empty").with_hint(hint),
        None => Diagnostic::warning(Some(Location::at(path, 1, 1)), "missing `title` in front matter").with_hint(hint),
    })
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

/// `2017-05-16-claims` gives the date and the slug `claims`; other names are the slug as they are. As in Zola,
/// the date may be an RFC 3339 date-time (`2017-05-16T09:30:00Z-claims`) and be followed by `_` as well as `-`
/// (with a space before it, even). A name that starts like a date (`2017-13-45-x`) but is not one is an `Err`
/// saying why, rather than a name without a date: "missing date" would send the author looking in the wrong place.
fn slug_and_date(stem: &str) -> Result<(Option<PostDate>, String), String> {
    let shaped = stem.len() > 10
        && stem.as_bytes()[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    let Some((date_text, slug)) = shaped.then(|| dated_prefix(stem)).flatten() else {
        return Ok((None, stem.to_string()));
    };
    let date = PostDate::parse(date_text).map_err(|why| match why.split_once(": ") {
        Some((_, reason)) => reason.to_string(),
        None => why,
    })?;
    Ok((Some(date), slug.to_string()))
}

/// Splits `2017-05-16[Thh:mm:ss[.f](Z|±hh:mm)][ ](-|_)slug` into its date and its slug (which is not empty).
fn dated_prefix(stem: &str) -> Option<(&str, &str)> {
    let mut end = 10;
    let rest = &stem[10..];
    if let Some(time) = rest.strip_prefix('T') {
        let clock = time.as_bytes();
        let digits = |range: std::ops::Range<usize>| clock.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
        if !(digits(0..2) && clock.get(2) == Some(&b':') && digits(3..5) && clock.get(5) == Some(&b':') && digits(6..8))
        {
            return None;
        }
        let mut at = 8;
        if clock.get(at) == Some(&b'.') {
            at += 1 + clock[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        }
        match clock.get(at) {
            Some(b'Z') => at += 1,
            Some(b'+' | b'-')
                if digits(at + 1..at + 3) && clock.get(at + 3) == Some(&b':') && digits(at + 4..at + 6) =>
            {
                at += 6
            }
            _ => return None,
        }
        end += 1 + at;
    }
    let date = &stem[..end];
    let rest = stem[end..].strip_prefix(' ').unwrap_or(&stem[end..]);
    let slug = rest.strip_prefix(['-', '_'])?;
    (!slug.is_empty()).then_some((date, slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_may_carry_the_date() {
        let (date, slug) = slug_and_date("2017-05-16-claims-in-the-scheduler").unwrap();
        assert_eq!(date.unwrap().ymd(), "2017-05-16");
        assert_eq!(slug, "claims-in-the-scheduler");
        assert_eq!(slug_and_date("00002-post"), Ok((None, "00002-post".to_string())));
        assert_eq!(slug_and_date("2017-05-16"), Ok((None, "2017-05-16".to_string())), "nothing left for a slug");
    }

    #[test]
    fn file_names_are_dated_as_zola_dates_them() {
        let (date, slug) = slug_and_date("2016-10-08_a-post-with-dates").unwrap();
        assert_eq!((date.unwrap().ymd(), slug.as_str()), ("2016-10-08".to_string(), "a-post-with-dates"));
        let (date, slug) = slug_and_date("2018-10-10T10:30:00+02:00-trip").unwrap();
        assert_eq!((date.unwrap().rfc3339(), slug.as_str()), ("2018-10-10T10:30:00+02:00".to_string(), "trip"));
        let (date, slug) = slug_and_date("2018-10-10T10:30:00.5Z _x").unwrap();
        assert_eq!((date.unwrap().rfc3339(), slug.as_str()), ("2018-10-10T10:30:00Z".to_string(), "x"));
        assert_eq!(slug_and_date("2018-10-10T10:30-x"), Ok((None, "2018-10-10T10:30-x".to_string())), "no zone");
        assert_eq!(slug_and_date("2018-10-10x"), Ok((None, "2018-10-10x".to_string())));
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
