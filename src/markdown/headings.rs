//! Headings: a unique id each, a visible anchor link, and the table of contents.
//!
//! Ids are Zola's (`crate::slugify::anchor`, the `[slugify] anchors` key), given in Zola's order: ids written as
//! `{#id}` first, kept as written, then the others from their text, each taking the first free of `x`, `x-1`,
//! `x-2`, … So deep links made for a Zola site keep working.
//!
//! "Unique" means within the whole page, not only among headings: a heading never takes an id that a footnote of
//! the same post or the built-in theme's page around it uses, or its anchor link would jump to the wrong place.
//! There alone fanzine differs from Zola (`## Main` is `main-1`; a second `{#x}` is `x-1`).
use super::{Events, Rendered};
use crate::highlight::escape;
use crate::slugify::Strategy;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// The ids the built-in theme (`templates/*.html`) gives elements of a page that shows a post: a heading slugged
/// `main` becomes `main-1`. Kept here as a list, not read from the templates, so that the cache of rendered
/// Markdown (keyed by a fingerprint of `src/`) changes whenever it does; a test keeps it equal to the templates'
/// literal `id="…"`. The archive's `y{{ year }}` ids are left out: no post's text is shown on that page.
pub const THEME_IDS: &[&str] = &["main", "search-input", "search-status"];

/// A heading's anchor link: fanzine's `#` after the text, or Zola's, as a Zola site's section asks
/// (`insert_anchor_links`).
#[derive(Clone, Copy, Default)]
pub enum Links<'a> {
    #[default]
    Fanzine,
    /// Where Zola's link goes, and what makes the link for an id and a level: the site's `anchor-link.html`, or
    /// Zola's own.
    Zola(Place, &'a (dyn AnchorLink + Sync)),
}

/// Makes the anchor link of a heading from its id and level.
pub trait AnchorLink {
    fn link(&self, id: &str, level: u32) -> Result<String, crate::error::Diagnostic>;
}

/// Zola's `insert_anchor_links`: no link, before the text, after it, or the text itself made the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    None,
    Left,
    Right,
    Heading,
}

impl Place {
    /// The values Zola accepts, in its order; anything else is an error where it is written.
    pub const NAMES: &[&str] = &["left", "right", "heading", "none"];

    pub fn parse(value: &str) -> Option<Place> {
        Some(match value {
            "none" => Place::None,
            "left" => Place::Left,
            "right" => Place::Right,
            "heading" => Place::Heading,
            _ => return None,
        })
    }
}

/// Zola 0.21's built-in `anchor-link.html` for the heading `id`, written as Tera writes it (the id escaped).
pub fn zola_anchor_link(id: &str) -> String {
    let id = tera::escape_html(id);
    format!("<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"Anchor link for: {id}\">\u{1F517}</a>")
}

/// The opening `<a …>` of an anchor link, which `insert_anchor_links = "heading"` wraps the heading's text in, as
/// Zola 0.21 takes it: the first `<a …>` followed on its line by a `</a>`; none (no link) when there is none.
fn opening_tag(link: &str) -> Option<&str> {
    static LINK: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(<\s*a[^>]*>).*?<\s*/\s*a>").expect("a valid pattern"));
    LINK.captures(link).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A heading being read: its start event is rewritten once its text, and so its id, is known.
struct OpenHeading {
    level: u32,
    custom_id: Option<String>,
    classes: Vec<String>,
    title: String,
    start: usize,
}

/// Gives every heading its id and its anchor link (`links`); `reserved` are ids already used on the page
/// (footnotes, the theme).
pub fn anchor<'a>(
    events: Events<'a>,
    reserved: impl IntoIterator<Item = String>,
    strategy: Strategy,
    links: Links,
    out: &mut Rendered,
) -> Events<'a> {
    let mut taken = Ids::new(reserved);
    // Written ids are claimed before any is made from a heading's text, as Zola does, so that `## Intro` before
    // `## Other {#intro}` becomes `intro-1` and the written id stays as written.
    let written: Vec<String> = (events.iter())
        .filter_map(|(event, _)| match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(taken.claim(id.to_string())),
            _ => None,
        })
        .collect();
    let mut written = written.into_iter();
    let mut flat = Vec::new();
    let mut result = Vec::with_capacity(events.len());
    let mut open: Option<OpenHeading> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let classes = classes.iter().map(|c| c.to_string()).collect();
                open = Some(OpenHeading {
                    level: level as u32,
                    custom_id: id.map(|i| i.to_string()),
                    classes,
                    title: String::new(),
                    start: result.len(),
                });
                result.push((Event::Html(CowStr::Borrowed("")), range));
            }
            Event::End(TagEnd::Heading(_)) if open.is_some() => {
                let OpenHeading { level, custom_id: custom, classes, title, start } =
                    open.take().expect("open heading");
                let id = match custom {
                    Some(_) => written.next().expect("one claimed id per written id"),
                    None => taken.claim(crate::slugify::anchor(&title, strategy)),
                };
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                let open_tag = format!("<h{level} id=\"{}\"{class}>", escape(&id));
                let (before, after) = match links {
                    Links::Fanzine => (
                        String::new(),
                        format!(
                            "<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a>",
                            escape(&id)
                        ),
                    ),
                    Links::Zola(Place::None, _) => (String::new(), String::new()),
                    Links::Zola(place, link) => {
                        let link = link.link(&id, level).unwrap_or_else(|d| {
                            out.diagnostics.push(d);
                            String::new()
                        });
                        match place {
                            Place::Left => (link, String::new()),
                            Place::Heading => match opening_tag(&link) {
                                Some(tag) => (tag.to_string(), "</a>".to_string()),
                                None => (String::new(), String::new()),
                            },
                            _ => (String::new(), link),
                        }
                    }
                };
                result[start].0 = Event::Html(format!("{open_tag}{before}").into());
                result.push((Event::Html(format!("{after}</h{level}>\n").into()), range));
                out.ids.push(id.clone());
                flat.push(TocEntry { level, id, title: title.trim().to_string(), children: Vec::new() });
            }
            Event::Text(ref t) | Event::Code(ref t) if open.is_some() => {
                open.as_mut().expect("open heading").title.push_str(t);
                result.push((event, range));
            }
            other => result.push((other, range)),
        }
    }
    out.toc = nest(flat);
    result
}

/// `intro`, `intro-1`, `intro-2`: ids stay unique within a page whatever the headings say.
///
/// Each base remembers the next suffix to try, so 20,000 headings called `Intro` cost 20,000 probes, not the
/// 200 million of trying `intro-1`, `intro-2`, … afresh for each. A probe fails only on an id already taken, and a
/// taken id `x-7` can fail only the base `x` (suffixes are plain numbers), once: probes ≤ headings + taken ids.
pub(super) struct Ids {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
    /// Lookups made, for the tests that check the work grows linearly.
    #[cfg(test)]
    probes: usize,
}

impl Ids {
    pub(super) fn new(reserved: impl IntoIterator<Item = String>) -> Self {
        Ids {
            taken: reserved.into_iter().collect(),
            next: HashMap::new(),
            #[cfg(test)]
            probes: 0,
        }
    }

    pub(super) fn claim(&mut self, base: String) -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        #[cfg(test)]
        {
            self.probes += 1;
        }
        if !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            #[cfg(test)]
            {
                self.probes += 1;
            }
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Turns the flat heading list into a tree: each heading owns the deeper ones that follow it.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;
    use super::{Ids, Strategy, THEME_IDS};

    /// Probes to give ids to `headings` (bases), after `reserved`.
    fn probes(reserved: &[String], headings: &[String]) -> usize {
        let mut ids = Ids::new(reserved.iter().cloned());
        for h in headings {
            ids.claim(h.clone());
        }
        ids.probes
    }

    #[test]
    fn identical_headings_take_linear_work() {
        // Issue 18: 20,000 `## h` took 20 s, each rescanning h-1, h-2, … from the start.
        let same = |n: usize| vec!["h".to_string(); n];
        let (small, large) = (probes(&[], &same(5_000)), probes(&[], &same(10_000)));
        assert!(large <= 2 * small + 2, "{small} probes for 5,000, {large} for 10,000");
    }

    #[test]
    fn ids_taken_ahead_of_their_turn_are_skipped_once() {
        // The suffixed ids are already taken (written as `{#h-1}`, or a footnote's), then the plain headings come.
        let mix = |n: usize| {
            let mut all: Vec<String> = (1..=n).map(|i| format!("h-{i}")).collect();
            all.extend(vec!["h".to_string(); n]);
            all
        };
        let (small, large) = (probes(&[], &mix(5_000)), probes(&[], &mix(10_000)));
        assert!(large <= 2 * small + 2, "{small} probes for 5,000, {large} for 10,000");
        let reserved: Vec<String> = (1..=10_000).map(|i| format!("h-{i}")).collect();
        let small = probes(&reserved[..5_000], &vec!["h".to_string(); 5_000]);
        let large = probes(&reserved, &vec!["h".to_string(); 10_000]);
        assert!(large <= 2 * small + 2, "{small} probes for 5,000, {large} for 10,000");
    }

    #[test]
    fn twenty_thousand_identical_headings_get_numbered_ids() {
        let r = render_plain(&"## h\n\n".repeat(20_000));
        assert_eq!(r.ids.len(), 20_000);
        assert_eq!(r.ids[..3], ["h", "h-1", "h-2"]);
        assert_eq!(r.ids[19_999], "h-19999");
        let unique: std::collections::HashSet<_> = r.ids.iter().collect();
        assert_eq!(unique.len(), 20_000);
    }

    #[test]
    fn headings_never_take_the_ids_of_footnotes_or_the_theme() {
        let r = render_plain("## Main\n\n## fn-1\n\n## fnref-1\n\n## Other {#fn-1}\n\nText[^1].\n\n[^1]: A note.\n");
        // The written `{#fn-1}` is claimed first, so the heading `fn-1` comes after it.
        assert_eq!(r.ids[..4], ["main-1", "fn-1-2", "fnref-1-1", "fn-1-1"]);
        assert!(r.html.contains("<h2 id=\"main-1\">Main"), "{}", r.html);
        assert!(r.html.contains("<li id=\"fn-1\">"), "{}", r.html);
        let unique: std::collections::HashSet<_> = r.ids.iter().collect();
        assert_eq!(unique.len(), r.ids.len(), "{:?}", r.ids);
    }

    #[test]
    fn the_theme_ids_are_those_of_the_built_in_templates() {
        let mut found = std::collections::BTreeSet::new();
        for (name, source) in crate::templates::DEFAULTS {
            for piece in source.split("id=\"").skip(1) {
                let id = piece.split('"').next().unwrap_or("");
                if !id.contains("{{") {
                    found.insert(id.to_string());
                } else {
                    assert_eq!(*name, "archive.html", "a templated id outside the archive: {id}");
                }
            }
        }
        let listed: std::collections::BTreeSet<_> = THEME_IDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, listed, "update THEME_IDS to the ids of templates/*.html");
    }

    /// The fixture's headings as Zola 0.21 gave them ids (recorded with `zola build`, one id a line, for
    /// `[slugify] anchors = "on"` and `"safe"`), less fanzine's documented differences, each listed here.
    #[test]
    fn heading_ids_are_zolas() {
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zola-heading-ids/");
        let markdown = std::fs::read_to_string(format!("{fixture}headings.md")).unwrap();
        for (strategy, file, differences) in [
            (
                Strategy::On,
                "expected-on.txt",
                // An empty slug is `section` (Zola: `id=""`, then `-1`); `main` is the theme's; a second `{#dup}`
                // is made unique.
                &[("", "section"), ("-1", "section-1"), ("main", "main-1"), ("dup", "dup-1")][..],
            ),
            (
                Strategy::Safe,
                "expected-safe.txt",
                // Zola's smart punctuation is off by default and fanzine's on: the quotes and dots change.
                &[
                    ("", "section"),
                    ("dup", "dup-1"),
                    ("What's_in_1.39.0_stable", "What’s_in_1.39.0_stable"),
                    ("\"Quoted\"_text...", "“Quoted”_text…"),
                ][..],
            ),
        ] {
            let resolve = |_: &str| None;
            let options = super::super::Options {
                highlight: false,
                anchors: strategy,
                ..super::super::Options::new("content/headings.md", &crate::config::Markdown::FANZINE, &resolve)
            };
            let r = super::super::render(&markdown, &options);
            let expected = std::fs::read_to_string(format!("{fixture}{file}")).unwrap();
            let mut unused: Vec<_> = differences.to_vec();
            let mut seen_dup = false;
            let want: Vec<String> = (expected.lines())
                .map(|zola| {
                    // The first `{#dup}` is kept as written; only the second differs.
                    if zola == "dup" && !std::mem::replace(&mut seen_dup, true) {
                        return zola.to_string();
                    }
                    match unused.iter().position(|(z, _)| *z == zola) {
                        Some(i) => unused.remove(i).1.to_string(),
                        None => zola.to_string(),
                    }
                })
                .collect();
            let got: Vec<&str> = r.ids.iter().map(String::as_str).filter(|id| !id.starts_with("fn")).collect();
            let want: Vec<&str> = want.iter().map(String::as_str).filter(|id| !id.starts_with("fn")).collect();
            assert_eq!(got, want, "{strategy:?}");
            assert!(unused.is_empty(), "{strategy:?}: differences not met: {unused:?}");
        }
    }

    #[test]
    fn ids_are_unique_and_anchored() {
        let r = render_plain("## Intro\n\n## Intro\n\n### Deep `code`\n\n## Custom {#mine}\n");
        assert_eq!(r.ids, ["intro", "intro-1", "deep-code", "mine"]);
        assert!(r.html.contains("<h2 id=\"intro-1\">Intro<a class=\"anchor\" href=\"#intro-1\""), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[1].children[0].title, "Deep code");
    }
}
