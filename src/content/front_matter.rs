//! Front matter: TOML between `+++` lines or YAML between `---` lines, checked key by key.
//!
//! Both syntaxes are first read into one generic map, then every known key is checked by hand so that a wrong type
//! gets a message naming the key and its line, rather than serde's "invalid type" at an offset the author never sees.
//!
//! Everything here is linear in the size of the front matter: keys are located through one index made in one pass
//! (not a scan per key), and nesting deeper than [`MAX_DEPTH`] is refused, before parsing where the YAML parser
//! would take quadratic time over it (200,000 nested `[` took over 70 s).
use crate::error::{Diagnostic, Location, did_you_mean};
use crate::locate::line_col;
use serde_json::{Map, Value};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// How deeply lists and tables may nest inside front matter (a top-level `key = [1]` is one level). Real front
/// matter uses two or three; the parsers stop on their own only at about a hundred, and YAML's takes time
/// quadratic in the depth of `[` and `{` to get there.
pub const MAX_DEPTH: usize = 64;

/// The keys fanzine understands in a page's front matter (Zola's, plus Hugo's `url`, `categories` and `series`);
/// anything else is kept under `page.extra` with a warning.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "description",
    "summary",
    "tags",
    "draft",
    "slug",
    "path",
    "url",
    "weight",
    "aliases",
    "authors",
    "template",
    "render",
    "in_search_index",
    "taxonomies",
    "categories",
    "series",
    "extra",
];

/// The keys a section's `_index.md` may set besides the page keys it shares (title, description, template, weight,
/// draft, render, in_search_index, aliases, extra).
pub const SECTION_KEYS: &[&str] = &[
    "sort_by",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "page_template",
    "transparent",
    "redirect_to",
    "insert_anchor_links",
    "generate_feeds",
];

/// How a section orders its pages, as Zola's `sort_by` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first; undated pages are left out of the list (they still have their own page).
    Date,
    /// By `updated`, else `date`, newest first.
    UpdateDate,
    /// A to Z, digits by value ("2" before "10"); untitled pages left out.
    Title,
    /// A to Z by the bytes of the title.
    TitleBytes,
    /// Lightest first; pages without `weight` left out.
    Weight,
    Slug,
    /// By the path of the file.
    None,
}

impl SortBy {
    pub const NAMES: &[&str] = &["date", "update_date", "title", "title_bytes", "weight", "slug", "none"];

    fn named(name: &str) -> Option<SortBy> {
        Some(match name {
            "date" => SortBy::Date,
            "update_date" => SortBy::UpdateDate,
            "title" => SortBy::Title,
            "title_bytes" => SortBy::TitleBytes,
            "weight" => SortBy::Weight,
            "slug" => SortBy::Slug,
            "none" => SortBy::None,
            _ => return None,
        })
    }
}

/// What only a section's `_index.md` sets: how it lists its pages and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionFront {
    /// `None` when not set: the home page then sorts by date, other sections as Zola does (`none`).
    pub sort_by: Option<SortBy>,
    /// `None` when not set: the home page then takes `posts_per_page` from the config, other sections one page.
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    pub paginate_reversed: bool,
    pub page_template: Option<String>,
    pub page_template_at: Option<Location>,
    /// Its pages are listed by its parent section too.
    pub transparent: bool,
    pub redirect_to: Option<String>,
    pub insert_anchor_links: Option<String>,
    /// `Some(false)` turns its feed off.
    pub generate_feeds: Option<bool>,
}

/// What [`Checker::taxonomies`] reads: the tags, where they were set, the other taxonomies, and where each of
/// `[taxonomies]` was set.
type Taxonomies = (
    Vec<String>,
    Option<Location>,
    std::collections::BTreeMap<String, Vec<String>>,
    std::collections::BTreeMap<String, Location>,
);

/// Hugo's top-level taxonomies, read as if they were under `[taxonomies]`.
const HUGO_TAXONOMIES: &[&str] = &["categories", "series"];

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// Empty when not given: only a dated page, which lists and feeds show, must have one (see `content::load`).
    pub title: String,
    /// Where `title` was set, if it was.
    pub title_at: Option<Location>,
    pub date: Option<PostDate>,
    pub updated: Option<PostDate>,
    pub description: Option<String>,
    /// Text for lists and feeds instead of the summary taken from the body.
    pub summary: Option<String>,
    /// `tags`, and `tags` under `[taxonomies]`, in the order written, each spelling once.
    pub tags: Vec<String>,
    /// Every other taxonomy: `[taxonomies]` besides `tags`, and Hugo's top-level `categories` and `series`.
    pub taxonomies: std::collections::BTreeMap<String, Vec<String>>,
    /// Where each taxonomy of `[taxonomies]` (besides `tags`) was set: only those must be declared in the config,
    /// as Zola requires; Hugo's top-level ones are kept for templates whatever the config says.
    pub taxonomies_at: std::collections::BTreeMap<String, Location>,
    pub draft: bool,
    pub slug: Option<String>,
    /// The page's URL path as written (`path`, or Hugo's `url`), which replaces the one made from its place.
    pub path: Option<String>,
    pub weight: Option<i64>,
    pub aliases: Vec<String>,
    pub authors: Vec<String>,
    pub template: Option<String>,
    /// `render = false`: the page is read (and may be linked to with `@/`) but makes no file.
    pub render: bool,
    pub in_search_index: bool,
    /// Where `template` was set, so a missing template is reported at that line.
    pub template_at: Option<Location>,
    /// Where `slug` (or `path`) and `aliases` were set, so a URL clash is reported at the line that made the URL.
    pub slug_at: Option<Location>,
    pub aliases_at: Option<Location>,
    /// Where `tags` was set, so a tag without a URL is reported at its line.
    pub tags_at: Option<Location>,
    /// `[extra]` plus any unknown top-level keys, for the author's own templates.
    pub extra: Map<String, Value>,
}

/// A post's date; `has_time` keeps a plain `2017-05-16` from being shown as midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PostDate {
    pub at: OffsetDateTime,
    pub has_time: bool,
}

impl PostDate {
    pub fn from_date(date: Date) -> Self {
        PostDate { at: date.midnight().assume_utc(), has_time: false }
    }

    /// Accepts `YYYY-MM-DD`, and RFC 3339 date-times with or without an offset (`T` or a space between). Errors
    /// quote the whole text given, not the part that failed.
    pub fn parse(text: &str) -> Result<PostDate, String> {
        let text = text.trim();
        let expected = |what: &str| format!("invalid date {text:?} (expected {what})");
        let invalid = |why: String| format!("invalid date {text:?}: {why}");
        let date_part = text.get(..10).ok_or_else(|| expected("YYYY-MM-DD"))?;
        let date = parse_date(date_part).map_err(|why| match why.as_str() {
            SHAPE => expected("YYYY-MM-DD"),
            _ => invalid(why),
        })?;
        let rest = &text[10..];
        if rest.is_empty() {
            return Ok(PostDate::from_date(date));
        }
        let rest = rest.strip_prefix(['T', 't', ' ']).ok_or_else(|| expected("YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"))?;
        let (clock, offset) = split_offset(rest).map_err(invalid)?;
        let time = parse_clock(clock).map_err(invalid)?;
        Ok(PostDate { at: date.with_time(time).assume_offset(offset), has_time: true })
    }

    /// `2017-05-16`
    pub fn ymd(&self) -> String {
        let d = self.at.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// RFC 3339, as Atom and sitemaps want.
    pub fn rfc3339(&self) -> String {
        self.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| self.ymd())
    }
}

/// Why a date's text is not `YYYY-MM-DD` at all (as opposed to a month or day that does not exist).
const SHAPE: &str = "expected YYYY-MM-DD";

/// `YYYY-MM-DD` as a date, or why it is none: [`SHAPE`], `there is no month 13`, `February 2017 has 28 days`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(SHAPE.into());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(SHAPE.into());
    }
    let year: i32 = y.parse().map_err(|_| SHAPE)?;
    let month: u8 = m.parse().map_err(|_| SHAPE)?;
    let day: u8 = d.parse().map_err(|_| SHAPE)?;
    let month = time::Month::try_from(month).map_err(|_| format!("there is no month {m}"))?;
    Date::from_calendar_date(year, month, day).map_err(|_| {
        let days = time::util::days_in_month(month, year);
        format!("{month} {year} has {days} days")
    })
}

fn split_offset(rest: &str) -> Result<(&str, time::UtcOffset), String> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Ok((clock, time::UtcOffset::UTC));
    }
    if let Some(pos) = rest.rfind(['+', '-']) {
        let (clock, off) = rest.split_at(pos);
        let sign: i8 = if off.starts_with('-') { -1 } else { 1 };
        let bad = || format!("the offset {off:?} must look like +02:00");
        let (h, m) = off[1..].split_once(':').ok_or_else(bad)?;
        let h: i8 = h.parse().map_err(|_| bad())?;
        let m: i8 = m.parse().map_err(|_| bad())?;
        let offset = time::UtcOffset::from_hms(sign * h, sign * m, 0).map_err(|e| e.to_string())?;
        return Ok((clock, offset));
    }
    Ok((rest, time::UtcOffset::UTC))
}

fn parse_clock(clock: &str) -> Result<time::Time, String> {
    let clock = clock.split('.').next().unwrap_or(clock);
    let mut parts = clock.split(':').map(|p| p.parse::<u8>());
    let bad = || format!("the time {clock:?} is not HH:MM or HH:MM:SS");
    let h = parts.next().and_then(Result::ok).ok_or_else(bad)?;
    let m = parts.next().and_then(Result::ok).ok_or_else(bad)?;
    let s = parts.next().transpose().map_err(|_| bad())?.unwrap_or(0);
    time::Time::from_hms(h, m, s).map_err(|_| bad())
}

/// The text of a new post: TOML front matter with the title escaped as a TOML string.
pub fn new_post(title: &str, date: Date, draft: bool) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    let draft = if draft { "draft = true\n" } else { "" };
    format!("+++\ntitle = {title}\ndate = {}\ntags = []\n{draft}+++\n\nWrite here.\n", PostDate::from_date(date).ymd())
}

/// The front matter text and where the body starts, split out of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

#[derive(Debug)]
pub struct Split<'a> {
    pub syntax: Syntax,
    pub front: &'a str,
    /// 1-based line of the first front matter line (the line after the opening fence).
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Splits a file (already without BOM and with `\n` line endings) into front matter and body. Blank lines before
/// the opening fence are allowed, as Zola allows them.
pub fn split<'a>(file: &str, whole: &'a str) -> Result<Split<'a>, Diagnostic> {
    let blank = whole.len() - whole.trim_start().len();
    let skipped = whole[..blank].rfind('\n').map_or(0, |at| at + 1);
    let text = &whole[skipped..];
    let lines_before = whole[..skipped].matches('\n').count();
    let (syntax, fence) = if text.starts_with("+++") {
        (Syntax::Toml, "+++")
    } else if text.starts_with("---") {
        (Syntax::Yaml, "---")
    } else {
        let what = if text.trim().is_empty() { "the file is empty" } else { "the file has no front matter" };
        return Err(Diagnostic::error(
            Some(Location::at(file, 1, 1)),
            format!("{what}; a post needs at least a title"),
        )
        .with_hint("start the file with:\n    +++\n    title = \"My post\"\n    date = 2024-01-31\n    +++"));
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[fence.len()..first_line_end].trim() != "" {
        return Err(Diagnostic::error(
            Some(Location::at(file, lines_before + 1, 4)),
            format!("unexpected text after the opening {fence}"),
        )
        .with_hint(format!("the opening {fence} must be alone on its line")));
    }
    let after_open = (first_line_end + 1).min(text.len());
    let mut offset = after_open;
    for line in text[after_open..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let front = &text[after_open..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                syntax,
                front,
                front_line: lines_before + 2,
                body: &text[body_start..],
                body_line: lines_before + line_col(text, body_start).0,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Some(Location::at(file, lines_before + 1, 1)),
        format!("front matter opened with {fence} on line {} is never closed", lines_before + 1),
    )
    .with_hint(format!("add a line with only {fence} after the last front matter key")))
}

/// Parses and checks a page's front matter. Returns the value plus warnings, or every error found.
pub fn parse(file: &str, split: &Split) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (front, _, warnings) = parse_as(file, split, false)?;
    Ok((front, warnings))
}

/// Parses and checks a section's `_index.md` front matter: the keys it shares with pages, and its own.
pub fn parse_section(
    file: &str,
    split: &Split,
) -> Result<(FrontMatter, SectionFront, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (front, section, warnings) = parse_as(file, split, true)?;
    Ok((front, section.expect("asked for"), warnings))
}

type Parsed = (FrontMatter, Option<SectionFront>, Vec<Diagnostic>);

fn parse_as(file: &str, split: &Split, section: bool) -> Result<Parsed, Vec<Diagnostic>> {
    let mut map = to_map(file, split).map_err(|d| vec![d])?;
    let keys = key_positions(split.front);
    let mut checker = Checker { file, split, keys, errors: Vec::new(), warnings: Vec::new() };
    checker.check_depth(&mut map);
    let mut map = checker.strip_forbidden(map);
    let section = section.then(|| checker.section(&mut map));
    let front = checker.check(map, section.is_some());
    if checker.errors.is_empty() { Ok((front, section, checker.warnings)) } else { Err(checker.errors) }
}

fn to_map(file: &str, split: &Split) -> Result<Map<String, Value>, Diagnostic> {
    let at = |line: usize, column: usize| Location::at(file, split.front_line + line - 1, column);
    let value = match split.syntax {
        Syntax::Toml => {
            let table: toml::Table = toml::from_str(split.front).map_err(|e| {
                let (line, column) = e.span().map_or((1, 1), |s| line_col(split.front, s.start));
                if e.message().contains("recurs") {
                    return too_deep(at(line, column));
                }
                let message = e.message().trim();
                // A date TOML cannot read (month 13) is a date literal, not an unquoted string.
                let hint = match message.contains("date") || message.contains("time") {
                    true => "write the date as date = 2017-05-16 (months 01-12, days as the month has them)",
                    false => "TOML front matter looks like `title = \"My post\"`; strings need double quotes",
                };
                Diagnostic::error(Some(at(line, column)), format!("invalid TOML front matter: {message}"))
                    .with_hint(hint)
            })?;
            toml_to_json(toml::Value::Table(table))
        }
        Syntax::Yaml => {
            if split.front.trim().is_empty() {
                Value::Object(Map::new())
            } else {
                if let Some(offset) = yaml_flow_too_deep(split.front) {
                    let (line, column) = line_col(split.front, offset);
                    return Err(too_deep(at(line, column)));
                }
                let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(split.front).map_err(|e| {
                    // From the byte offset, not the parser's line: YAML also breaks lines at a lone `\r` (and
                    // U+2028), so its line numbers can run past the file's last line as editors and fanzine count.
                    let (line, column) = e.location().map_or((1, 1), |l| line_col(split.front, l.index()));
                    let message = e.to_string();
                    if message.starts_with("recursion limit exceeded") {
                        return too_deep(at(line, column));
                    }
                    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                    Diagnostic::error(Some(at(line, column)), format!("invalid YAML front matter: {message}"))
                        .with_hint("YAML front matter looks like `title: My post`; quote values containing `: `")
                })?;
                serde_json::to_value(yaml).map_err(|e| {
                    Diagnostic::error(Some(Location::file(file)), format!("unsupported YAML front matter: {e}"))
                })?
            }
        }
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(Diagnostic::error(Some(at(1, 1)), "front matter must be a set of `key = value` pairs")),
    }
}

#[cfg(test)]
thread_local! {
    /// Lines and bytes the scans of this module looked at, for tests that check the work grows linearly.
    static STEPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn too_deep(location: Location) -> Diagnostic {
    Diagnostic::error(Some(location), format!("front matter nested deeper than {MAX_DEPTH} levels"))
        .with_hint(format!("fanzine reads at most {MAX_DEPTH} levels of lists and tables inside one another"))
}

/// Where YAML's flow collections (`[`, `{`) first nest deeper than [`MAX_DEPTH`], found without parsing.
///
/// libyaml rescans its stack of possible keys at each token, which is quadratic in the flow depth; this scan is
/// linear. Quoted scalars, plain scalars (`title: a [b`, `don't`) and comments are skipped, so only brackets that
/// open collections count. (A block scalar's lines are read as if they were YAML: 65 unclosed `[` in one would be
/// refused, a price worth the simplicity.)
fn yaml_flow_too_deep(front: &str) -> Option<usize> {
    let bytes = front.as_bytes();
    let mut depth = 0usize;
    let mut plain = false;
    let mut i = 0;
    while i < bytes.len() {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + 1));
        let b = bytes[i];
        if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n')) {
            i = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |p| i + p);
            continue;
        }
        if plain {
            // A plain scalar runs to the line's end, or `: `, or (inside a collection) a flow indicator.
            plain = match b {
                b'\n' => false,
                b':' => !matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n')),
                b',' | b'[' | b']' | b'{' | b'}' => depth == 0,
                _ => true,
            };
            if plain {
                i += 1;
                continue;
            }
        }
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' | b'\'' => i = skip_quoted(bytes, i),
            b' ' | b'\t' | b'\n' | b':' | b',' | b'-' | b'?' => {}
            _ => plain = true,
        }
        i += 1;
    }
    None
}

/// The index of the quote closing the scalar opened at `start` (or the end): `\"` escapes in double quotes, `''`
/// in single quotes.
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Strips what XML forbids from every string and key in `value`, noting each character removed.
fn strip_value(value: &mut Value, removed: &mut Vec<char>) {
    use super::xml::{is_forbidden, strip};
    match value {
        Value::String(s) if s.chars().any(is_forbidden) => {
            removed.extend(s.chars().filter(|&c| is_forbidden(c)));
            *s = strip(s).into_owned();
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_value(v, removed)),
        Value::Object(map) => {
            if map.keys().any(|k| k.chars().any(is_forbidden)) {
                removed.extend(map.keys().flat_map(|k| k.chars()).filter(|&c| is_forbidden(c)));
                *map = std::mem::take(map).into_iter().map(|(k, v)| (strip(&k).into_owned(), v)).collect();
            }
            map.values_mut().for_each(|v| strip_value(v, removed));
        }
        _ => {}
    }
}

/// How deeply lists and tables nest inside `value`, the value itself not counted; stops counting past the limit.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The last table key on the way down to the deepest point of `value`.
fn deepest_key(value: &Value) -> Option<&str> {
    let mut found = None;
    let mut value = value;
    loop {
        value = match value {
            Value::Array(items) => items.iter().max_by_key(|v| depth(v))?,
            Value::Object(map) => {
                let (key, inner) = map.iter().max_by_key(|(_, v)| depth(v))?;
                found = Some(key.as_str());
                inner
            }
            _ => return found,
        };
    }
}

/// Where each key is first set (`key =` or `key:`, top-level or not, as a line and column of the front matter),
/// made in one pass: looking each key up by scanning the text made 20,000 unknown keys take 18 s.
fn key_positions(front: &str) -> HashMap<&str, (usize, usize)> {
    let mut positions = HashMap::new();
    for (number, line) in front.lines().enumerate() {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + 1));
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            continue;
        }
        let (key, after) = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) => match trimmed[1..].split_once(q) {
                Some(quoted) => quoted,
                None => continue,
            },
            _ => {
                let end = trimmed.find(['=', ':']).unwrap_or(trimmed.len());
                (trimmed[..end].trim_end(), &trimmed[end..])
            }
        };
        if !key.is_empty() && after.trim_start().starts_with(['=', ':']) {
            let column = line[..line.len() - trimmed.len()].chars().count() + 1;
            positions.entry(key).or_insert((number + 1, column));
        }
    }
    positions
}

struct Checker<'a> {
    file: &'a str,
    split: &'a Split<'a>,
    keys: HashMap<&'a str, (usize, usize)>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn location(&self, key: &str) -> Location {
        match self.keys.get(key) {
            Some(&(line, column)) => Location::at(self.file, self.split.front_line + line - 1, column),
            None => Location::at(self.file, 1, 1),
        }
    }

    /// Removes what XML forbids from keys and values, where escapes (`"\u0001"`, YAML's `"\x01"`) put it: the
    /// raw characters were already removed from the file's text.
    fn strip_forbidden(&mut self, map: Map<String, Value>) -> Map<String, Value> {
        let mut clean = Map::new();
        for (key, mut value) in map {
            let mut removed: Vec<char> = key.chars().filter(|&c| super::xml::is_forbidden(c)).collect();
            strip_value(&mut value, &mut removed);
            if let Some(first) = removed.first() {
                let more = if removed.len() > 1 { format!(" and {} more", removed.len() - 1) } else { String::new() };
                let message = format!(
                    "removed characters that XML does not allow from `{key}`: U+{:04X}{more}",
                    u32::from(*first)
                );
                let d = Diagnostic::warning(Some(self.location(&key)), message).with_hint(super::xml::HINT_ESCAPED);
                self.warnings.push(d);
            }
            clean.insert(super::xml::strip(&key).into_owned(), value);
        }
        clean
    }

    /// Refuses values nested deeper than [`MAX_DEPTH`] (YAML's block nesting and TOML get this far unrefused).
    fn check_depth(&mut self, map: &mut Map<String, Value>) {
        let deep: Vec<String> = map.iter().filter(|(_, v)| depth(v) > MAX_DEPTH).map(|(k, _)| k.clone()).collect();
        for key in deep {
            let value = map.remove(&key).expect("found above");
            // `[extra]` has no `extra =` line: point at the deepest key that is written out, if any.
            let location = match deepest_key(&value).filter(|k| self.keys.contains_key(k)) {
                Some(inner) => self.location(inner),
                None => self.location(&key),
            };
            self.errors.push(too_deep(location));
        }
    }

    fn type_error(&mut self, key: &str, expected: &str, found: &Value, example: &str) {
        let message = format!("`{key}` must be {expected}, found {}", describe(found));
        let d = Diagnostic::error(Some(self.location(key)), message).with_hint(format!("for example: {example}"));
        self.errors.push(d);
    }

    /// A string that must be one of `names` (the first is the example); another is an error at its line, with the
    /// nearest name.
    fn one_of(&mut self, map: &mut Map<String, Value>, key: &str, names: &[&str], what: &str) -> Option<String> {
        let name = self.string(map, key)?;
        if names.contains(&name.as_str()) {
            return Some(name);
        }
        let d = Diagnostic::error(
            Some(self.location(key)),
            format!("unknown `{key}` {name:?}: {what} {}", names.join(", ")),
        );
        self.errors.push(match did_you_mean(&name, names.iter().copied()) {
            Some(s) => d.with_hint(format!("did you mean {key} = \"{s}\"?")),
            None => d.with_hint(format!("for example: {key} = \"{}\"", names[0])),
        });
        None
    }

    fn section(&mut self, map: &mut Map<String, Value>) -> SectionFront {
        let sort_by = self.one_of(map, "sort_by", SortBy::NAMES, "a section sorts by").and_then(|s| SortBy::named(&s));
        let anchors = crate::markdown::AnchorPlace::NAMES;
        let insert_anchor_links = self.one_of(map, "insert_anchor_links", anchors, "it is one of");
        let paginate_by = match self.integer(map, "paginate_by") {
            Some(n) if n > 0 => Some(n as usize),
            // Zola reads 0 as no pagination.
            Some(0) => None,
            Some(n) => {
                let d = Diagnostic::error(
                    Some(self.location("paginate_by")),
                    format!("`paginate_by` must be a positive number, found {n}"),
                )
                .with_hint("for example: paginate_by = 10");
                self.errors.push(d);
                None
            }
            None => None,
        };
        let paginate_path = self.string(map, "paginate_path").unwrap_or_else(|| "page".to_string());
        let page_template = self.string(map, "page_template");
        let page_template_at = page_template.as_ref().map(|_| self.location("page_template"));
        SectionFront {
            sort_by,
            paginate_by,
            paginate_path,
            paginate_reversed: self.boolean(map, "paginate_reversed", false),
            page_template,
            page_template_at,
            transparent: self.boolean(map, "transparent", false),
            redirect_to: self.string(map, "redirect_to"),
            insert_anchor_links,
            generate_feeds: map.contains_key("generate_feeds").then(|| self.boolean(map, "generate_feeds", true)),
        }
    }

    fn check(&mut self, mut map: Map<String, Value>, section: bool) -> FrontMatter {
        let title_at = map.contains_key("title").then(|| self.location("title"));
        let title = match map.remove("title") {
            None => String::new(),
            Some(Value::String(s)) => s,
            Some(other) => {
                self.type_error("title", "a string", &other, "title = \"My post\"");
                String::new()
            }
        };
        let date = self.date(&mut map, "date");
        let updated = self.date(&mut map, "updated");
        let description = self.string(&mut map, "description");
        let aliases = self.strings(&mut map, "aliases", "aliases = [\"/old/url/\"]");
        let draft = self.boolean(&mut map, "draft", false);
        let slug = self.string(&mut map, "slug");
        let (path, path_key) = match self.string(&mut map, "path") {
            Some(p) => (Some(p), "path"),
            None => (self.string(&mut map, "url"), "url"),
        };
        let weight = self.integer(&mut map, "weight");
        let authors = self.strings(&mut map, "authors", "authors = [\"A. Writer\"]");
        let render = self.boolean(&mut map, "render", true);
        let in_search_index = self.boolean(&mut map, "in_search_index", true);
        let summary = self.string(&mut map, "summary");
        let template = self.string(&mut map, "template");
        let template_at = template.as_ref().map(|_| self.location("template"));
        let slug_at = match &path {
            Some(_) => Some(self.location(path_key)),
            None => slug.as_ref().map(|_| self.location("slug")),
        };
        let aliases_at = (!aliases.is_empty()).then(|| self.location("aliases"));
        let (tags, tags_at, taxonomies, taxonomies_at) = self.taxonomies(&mut map);
        let mut extra = match map.remove("extra") {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                self.type_error("extra", "a table", &other, "[extra] on its own line, then your keys");
                Map::new()
            }
        };
        for (key, value) in map {
            let mut d = Diagnostic::warning(
                Some(self.location(&key)),
                format!("unknown front matter key `{key}`, kept as `page.extra.{key}`"),
            );
            let known = KNOWN_KEYS.iter().chain(if section { SECTION_KEYS } else { &[] }).copied();
            d = match did_you_mean(&key, known) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint("put your own keys under [extra] to silence this warning"),
            };
            self.warnings.push(d);
            extra.entry(key).or_insert(value);
        }
        FrontMatter {
            title,
            title_at,
            date,
            updated,
            description,
            summary,
            tags,
            taxonomies,
            taxonomies_at,
            draft,
            slug,
            path,
            weight,
            aliases,
            authors,
            template,
            render,
            in_search_index,
            template_at,
            slug_at,
            aliases_at,
            tags_at,
            extra,
        }
    }

    /// The tags (top-level `tags`, then `tags` under `[taxonomies]`, each spelling once) with the line that set the
    /// first, and every other taxonomy by name: `[taxonomies]`, then Hugo's top-level `categories` and `series`.
    fn taxonomies(&mut self, map: &mut Map<String, Value>) -> Taxonomies {
        let example = "tags = [\"rust\", \"web\"]";
        let mut tags = self.strings(map, "tags", example);
        let mut tags_at = (!tags.is_empty()).then(|| self.location("tags"));
        let mut taxonomies = std::collections::BTreeMap::new();
        let mut taxonomies_at = std::collections::BTreeMap::new();
        match map.remove("taxonomies") {
            None => {}
            Some(Value::Object(table)) => {
                for (name, terms) in table {
                    let example = format!("{name} = [\"one\", \"two\"]");
                    let mut one = Map::new();
                    one.insert(name.clone(), terms);
                    let terms = self.strings(&mut one, &name, &example);
                    if name == "tags" {
                        if tags_at.is_none() && !terms.is_empty() {
                            tags_at = Some(self.location("tags"));
                        }
                        tags.extend(terms);
                    } else {
                        taxonomies_at.insert(name.clone(), self.location(&name));
                        taxonomies.insert(name, terms);
                    }
                }
            }
            Some(other) => {
                self.type_error("taxonomies", "a table", &other, "[taxonomies] on its own line, then tags = [\"a\"]")
            }
        }
        for name in HUGO_TAXONOMIES {
            // A post is part of one series, so `series = "Name"` is the natural spelling; a list is Hugo's.
            if *name == "series"
                && let Some(Value::String(one)) = map.get(*name)
            {
                let one = one.clone();
                map.remove(*name);
                taxonomies.entry(name.to_string()).or_insert_with(Vec::new).push(one);
                continue;
            }
            if map.contains_key(*name) {
                let terms = self.strings(map, name, &format!("{name} = [\"one\", \"two\"]"));
                taxonomies.entry(name.to_string()).or_insert_with(Vec::new).extend(terms);
            }
        }
        let mut seen = std::collections::HashSet::new();
        tags.retain(|t| seen.insert(t.clone()));
        (tags, tags_at, taxonomies, taxonomies_at)
    }

    fn boolean(&mut self, map: &mut Map<String, Value>, key: &str, default: bool) -> bool {
        match map.remove(key) {
            None => default,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                self.type_error(key, "true or false", &other, &format!("{key} = {}", !default));
                default
            }
        }
    }

    fn integer(&mut self, map: &mut Map<String, Value>, key: &str) -> Option<i64> {
        match map.remove(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            other => {
                self.type_error(key, "a whole number", &other, &format!("{key} = 10"));
                None
            }
        }
    }

    fn string(&mut self, map: &mut Map<String, Value>, key: &str) -> Option<String> {
        match map.remove(key)? {
            Value::String(s) => Some(s),
            other => {
                self.type_error(key, "a string", &other, &format!("{key} = \"...\""));
                None
            }
        }
    }

    fn strings(&mut self, map: &mut Map<String, Value>, key: &str, example: &str) -> Vec<String> {
        match map.remove(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        other => self.type_error(key, "a list of strings", &other, example),
                    }
                }
                out
            }
            Some(other) => {
                self.type_error(key, "a list of strings", &other, example);
                Vec::new()
            }
        }
    }

    fn date(&mut self, map: &mut Map<String, Value>, key: &str) -> Option<PostDate> {
        match map.remove(key)? {
            Value::String(s) => match PostDate::parse(&s) {
                Ok(d) => Some(d),
                Err(why) => {
                    let d = Diagnostic::error(Some(self.location(key)), why)
                        .with_hint(format!("write the date as {key} = 2017-05-16 or {key} = 2017-05-16T09:30:00Z"));
                    self.errors.push(d);
                    None
                }
            },
            other => {
                self.type_error(key, "a date", &other, &format!("{key} = 2017-05-16"));
                None
            }
        }
    }
}

/// TOML's native dates become strings here, so both syntaxes reach the checker in the same shape.
pub fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a table".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
        let split = split("content/x.md", text).map_err(|d| vec![d])?;
        parse("content/x.md", &split)
    }

    fn first_error(text: &str) -> String {
        front(text).unwrap_err()[0].to_string()
    }

    #[test]
    fn toml_and_yaml_give_the_same_front_matter() {
        let toml = "+++\ntitle = \"Hi\"\ndate = 2017-05-16\ntags = [\"a\", \"b\"]\n+++\nbody";
        let yaml = "---\ntitle: Hi\ndate: 2017-05-16\ntags: [a, b]\n---\nbody";
        let (a, _) = front(toml).unwrap();
        let (b, _) = front(yaml).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.date.unwrap().ymd(), "2017-05-16");
        assert_eq!(a.tags, ["a", "b"]);
    }

    #[test]
    fn blank_lines_may_come_before_the_front_matter() {
        let s = split("x", "\n  \n+++\ntitle = \"a\"\n+++\nline six").unwrap();
        assert_eq!((s.front, s.front_line, s.body, s.body_line), ("title = \"a\"\n", 4, "line six", 6));
        assert!(split("x", "  text\n+++\n+++\n").is_err(), "only blank lines");
    }

    #[test]
    fn body_line_counts_the_fences() {
        let s = split("x", "+++\ntitle = \"a\"\n+++\nline four").unwrap();
        assert_eq!(s.body_line, 4);
        assert_eq!(s.body, "line four");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(first_error("+++\ntitle = \"a\"\n").contains("never closed"));
    }

    #[test]
    fn impossible_date_names_the_line_and_the_month_length() {
        let e = first_error("+++\ntitle = \"a\"\ndate = \"2017-02-30\"\n+++\n");
        assert!(
            e.starts_with("content/x.md:3:1: error: invalid date \"2017-02-30\": February 2017 has 28 days"),
            "{e}"
        );
    }

    #[test]
    fn toml_native_datetimes_are_accepted() {
        let (f, _) = front("+++\ntitle = \"a\"\ndate = 2012-08-26T08:25:47Z\n+++\n").unwrap();
        let d = f.date.unwrap();
        assert!(d.has_time);
        assert_eq!(d.rfc3339(), "2012-08-26T08:25:47Z");
    }

    #[test]
    fn wrong_types_are_named() {
        assert!(first_error("+++\ntitle = 3\n+++\n").contains("`title` must be a string, found the number 3"));
        let e = first_error("+++\ntitle = \"a\"\ntags = [\"a\", 2]\n+++\n");
        assert!(e.starts_with("content/x.md:3:1: error: `tags` must be a list of strings"), "{e}");
    }

    #[test]
    fn unknown_keys_warn_and_are_kept() {
        let (f, warnings) = front("+++\ntitle = \"a\"\ntgas = [\"x\"]\n+++\n").unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].to_string().contains("did you mean `tags`?"));
        assert!(f.extra.contains_key("tgas"));
    }

    #[test]
    fn invalid_toml_is_located_in_the_file() {
        let e = first_error("+++\ntitle = \"a\"\ndate = = 3\n+++\n");
        assert!(e.starts_with("content/x.md:3:"), "{e}");
    }

    #[test]
    fn invalid_yaml_is_located_in_the_file() {
        let e = first_error("---\ntitle: a\ntags: [a\n---\n");
        assert!(e.starts_with("content/x.md:"), "{e}");
        assert!(e.contains("invalid YAML"), "{e}");
    }

    #[test]
    fn yaml_errors_after_lone_carriage_returns_stay_inside_the_file() {
        // Found by fuzz/ (front_matter): the YAML parser counted each `\r` as a line and said line 9.
        let e = first_error("---\ntitle: a\r\r\r\r\r\rb\ntags: [a\n---\n");
        assert!(e.starts_with("content/x.md:3:"), "{e}");
    }

    #[test]
    fn a_title_is_optional_here_and_an_empty_file_is_an_error() {
        // Only a dated page needs a title; `content::load` knows the date (it may come from the file name).
        let (f, _) = front("+++\n+++\n").unwrap();
        assert_eq!((f.title.as_str(), f.title_at.is_none()), ("", true));
        assert!(first_error("").contains("the file is empty"));
    }

    #[test]
    fn zola_keys_are_read() {
        let text = "+++\ntitle = \"a\"\npath = \"a-fixed-url\"\nweight = 3\nauthors = [\"x@y (X)\"]\nrender = false\n\
                    in_search_index = false\nsummary = \"S\"\ntags = [\"t\"]\n[taxonomies]\ntags = [\"u\", \"t\"]\n\
                    categories = [\"c\"]\n[extra]\nk = 1\n+++\n";
        let (f, warnings) = front(text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(f.path.as_deref(), Some("a-fixed-url"));
        assert_eq!(f.slug_at, Some(Location::at("content/x.md", 3, 1)), "a clash is reported at `path`");
        assert_eq!((f.weight, f.render, f.in_search_index), (Some(3), false, false));
        assert_eq!((f.authors, f.summary.as_deref()), (vec!["x@y (X)".to_string()], Some("S")));
        assert_eq!(f.tags, ["t", "u"], "tags under [taxonomies] are tags, each once");
        assert_eq!(f.taxonomies["categories"], ["c"]);
        assert_eq!(f.extra["k"], 1);
    }

    #[test]
    fn hugo_top_level_keys_are_read() {
        let (f, warnings) = front("---\ntitle: a\nurl: /about/\ncategories: [x]\nseries: [y]\n---\n").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(f.path.as_deref(), Some("/about/"));
        assert_eq!(
            (f.taxonomies["categories"].as_slice(), f.taxonomies["series"].as_slice()),
            (&["x".to_string()][..], &["y".to_string()][..])
        );
    }

    #[test]
    fn a_series_may_be_named_by_one_string() {
        let (f, warnings) = front("+++\ntitle = \"a\"\nseries = \"Agile\"\n+++\n").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(f.taxonomies["series"], ["Agile"]);
    }

    #[test]
    fn wrong_types_of_zola_keys_are_located() {
        let e = first_error("+++\ntitle = \"a\"\nweight = \"heavy\"\n+++\n");
        assert!(
            e.starts_with("content/x.md:3:1: error: `weight` must be a whole number, found the string \"heavy\""),
            "{e}"
        );
        let e = first_error("+++\ntitle = \"a\"\nrender = \"no\"\n+++\n");
        assert!(e.starts_with("content/x.md:3:1: error: `render` must be true or false"), "{e}");
        let e = first_error("+++\ntitle = \"a\"\n[taxonomies]\ncategories = \"c\"\n+++\n");
        assert!(e.starts_with("content/x.md:4:1: error: `categories` must be a list of strings"), "{e}");
    }

    #[test]
    fn new_posts_parse_back() {
        let date = Date::from_calendar_date(2024, time::Month::March, 9).unwrap();
        let text = new_post("Say \"hi\" \\ there", date, true);
        let (f, warnings) = front(&text).unwrap();
        assert_eq!(f.title, "Say \"hi\" \\ there");
        assert_eq!(f.date.unwrap().ymd(), "2024-03-09");
        assert!(f.draft && warnings.is_empty());
    }

    /// The steps the scans took to parse `text`, and the result.
    type Parsed = Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>>;

    fn counted(text: &str) -> (usize, Parsed) {
        STEPS.with(|s| s.set(0));
        let result = front(text);
        (STEPS.with(|s| s.get()), result)
    }

    #[test]
    fn many_unknown_keys_take_linear_work() {
        // Issue 18: each unknown key's warning scanned the whole front matter for its line (20,000 keys: 18 s).
        let keys = |n: usize| (0..n).map(|i| format!("k{i} = 1\n")).collect::<String>();
        let (small, result) = counted(&format!("+++\ntitle = \"a\"\n{}+++\n", keys(5_000)));
        let warnings: Vec<String> = result.unwrap().1.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 5_000);
        let last = "content/x.md:5002:1: warning: unknown front matter key `k4999`";
        assert!(warnings.iter().any(|w| w.starts_with(last)));
        let (large, _) = counted(&format!("+++\ntitle = \"a\"\n{}+++\n", keys(10_000)));
        assert!(large <= 2 * small + 2, "{small} steps for 5,000 keys, {large} for 10,000");
    }

    #[test]
    fn keys_are_located_as_written() {
        let positions = key_positions("title = 1\n  \"a b\" = 2\n[extra]\nx: 3\nx = 4\nnot a key\n- y: 5\n");
        assert_eq!(positions["title"], (1, 1));
        assert_eq!(positions["a b"], (2, 3));
        assert_eq!(positions["x"], (4, 1), "the first place a key is set");
        assert_eq!(positions.len(), 4, "{positions:?}");
    }

    #[test]
    fn deep_yaml_flow_nesting_is_refused_before_parsing() {
        // Issue 18: 200,000 nested `[` kept libyaml busy for over 70 s before it gave up.
        let nested = |n: usize| format!("---\ntitle: a\nx: {}{}\n---\n", "[".repeat(n), "]".repeat(n));
        assert!(front(&nested(MAX_DEPTH)).is_ok());
        let (steps, result) = counted(&nested(200_000));
        let e = result.unwrap_err()[0].to_string();
        assert!(e.starts_with("content/x.md:3:68: error: front matter nested deeper than 64 levels"), "{e}");
        assert!(steps < 100, "the scan stops at the first bracket too deep: {steps} steps");
        let (_, result) =
            counted(&format!("---\ntitle: a\nx: {}{}\n---\n", "{a: ".repeat(200_000), "}".repeat(200_000)));
        assert!(result.unwrap_err()[0].message.contains("nested deeper than 64"));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let text = format!("---\ntitle: a {0}\nq: \"{0}\"\nr: '{0}' # {0}\ns: [\"{0}\"]\n---\n", "[".repeat(100));
        let (f, _) = front(&text).unwrap();
        assert!(f.title.ends_with("[[["));
    }

    #[test]
    fn deep_nesting_is_refused_in_either_syntax() {
        let block = |n: usize| format!("---\ntitle: a\nx:\n{}1\n---\n", "- ".repeat(n));
        let toml = |n: usize| format!("+++\ntitle = \"a\"\nx = {}1{}\n+++\n", "[".repeat(n), "]".repeat(n));
        let inline = |n: usize| format!("+++\ntitle = \"a\"\nx = {}1{}\n+++\n", "{a = ".repeat(n), "}".repeat(n));
        for make in [block, toml, inline] {
            assert!(front(&make(MAX_DEPTH)).is_ok(), "{}", make(MAX_DEPTH));
            for n in [MAX_DEPTH + 1, 100, 200_000] {
                let e = first_error(&make(n));
                assert!(e.contains("error: front matter nested deeper than 64 levels"), "{n}: {e}");
                assert!(e.starts_with("content/x.md:3:") || e.starts_with("content/x.md:4:"), "{n}: {e}");
            }
        }
    }

    #[test]
    fn escaped_forbidden_characters_are_removed_with_a_warning() {
        let (f, warnings) =
            front("+++\ntitle = \"a\\u0001b\"\ntags = [\"x\\u000By\"]\n[extra]\n\"k\\u0002\" = \"v\\uFFFE\"\n+++\n")
                .unwrap();
        assert_eq!(f.title, "ab");
        assert_eq!(f.tags, ["xy"]);
        assert_eq!(f.extra["k"], "v");
        let w: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(w.len(), 3, "{w:?}");
        let title = "content/x.md:2:1: warning: removed characters that XML does not allow from `title`: U+0001";
        assert!(w.iter().any(|w| w.starts_with(title)), "{w:?}");
        let (f, _) = front("---\ntitle: \"a\\x01b\"\ndescription: \"c\\uFFFFd\"\n---\n").unwrap();
        assert_eq!((f.title.as_str(), f.description.as_deref()), ("ab", Some("cd")));
    }

    #[test]
    fn dates_with_offsets() {
        let d = PostDate::parse("2017-05-16 09:30:00+02:00").unwrap();
        assert_eq!(d.rfc3339(), "2017-05-16T09:30:00+02:00");
        assert!(PostDate::parse("2017-13-01").unwrap_err().contains("no month 13"));
        assert!(PostDate::parse("16/05/2017").is_err());
    }

    #[test]
    fn date_errors_quote_the_whole_value() {
        // Issue 18: this said `invalid date "99999-01-0"`, the first ten characters.
        assert_eq!(PostDate::parse("99999-01-01").unwrap_err(), "invalid date \"99999-01-01\" (expected YYYY-MM-DD)");
        assert_eq!(PostDate::parse("2017-1-1").unwrap_err(), "invalid date \"2017-1-1\" (expected YYYY-MM-DD)");
        assert_eq!(
            PostDate::parse("2017-05-16T25:00").unwrap_err(),
            "invalid date \"2017-05-16T25:00\": the time \"25:00\" is not HH:MM or HH:MM:SS"
        );
        assert_eq!(
            PostDate::parse("2017-13-01T10:00Z").unwrap_err(),
            "invalid date \"2017-13-01T10:00Z\": there is no month 13"
        );
    }
}
