//! The Markdown stage: pulldown-cmark events through small passes, one concern each, then HTML.
//!
//! Passes see the whole event list with source ranges, so each can report the line of what it found. None does
//! I/O; the caller supplies everything a pass needs through [`Options`].
mod code;
mod figures;
mod footnotes;
mod headings;
mod html;
pub use headings::{AnchorLink, Links as HeadingLinks, Place as AnchorPlace, zola_anchor_link};
pub use text::{SUMMARY_CUTOFF, SummaryCutoff};
mod links;
pub mod shortcodes;
mod text;

use crate::error::{Diagnostic, Location};
use crate::locate::LineIndex;
pub use headings::TocEntry;
pub use html::{Html, HtmlFile, Lost};
pub use links::Link;
use pulldown_cmark::{Event, Options as CmarkOptions, Parser};
use std::ops::Range;

/// Hands a fenced block with a special info string (such as `claims`) to its owner: called with (language, code),
/// it returns `None` for blocks that are not its own, else the block's HTML or an error message.
pub type BlockHook<'a> = &'a (dyn Fn(&str, &str) -> Option<Result<Block, BlockError>> + Sync);

/// Why a hook rejected a block; `line` and `column` count from the block's first line, so the diagnostic can
/// point into the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hint: Option<String>,
}

/// What a block hook made of a block: its HTML, and files to publish beside the page (a scenario to download).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    pub html: String,
    /// (file name, contents), written into the page's own folder.
    pub attachments: Vec<(String, String)>,
}

/// What a Markdown pass may need from the outside world.
pub struct Options<'a> {
    /// Path of the source file, for diagnostics.
    pub file: &'a str,
    /// Line of the file where the Markdown body starts.
    pub first_line: usize,
    pub highlight: bool,
    /// The site's `[markdown]` choices.
    pub settings: &'a crate::config::Markdown,
    /// How heading ids are made from their text (`[slugify] anchors`).
    pub anchors: crate::slugify::Strategy,
    /// Resolves `@/path.md` links to the URL of the post at `content/path.md`.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Called for every fenced code block with (language, code); `None` means "not mine, highlight it".
    pub block_hook: Option<BlockHook<'a>>,
    /// The shortcodes the page may call; `None` leaves calls as text (tools reading Markdown outside a site).
    pub shortcodes: Option<&'a dyn shortcodes::Shortcodes>,
    /// The syntaxes code is highlighted with: the bundled ones, with the site's own if it has any.
    pub syntaxes: crate::highlight::Syntaxes<'a>,
    /// The permalink a relative link or image is written after, as Zola 0.21 writes them (a Zola site's pages);
    /// empty leaves them as written (see [`links`]).
    pub relative_base: &'a str,
    /// Classes for `highlight.css`, or colours written in from one theme (a Zola site's `highlight_theme`).
    pub colours: crate::highlight::Colours<'a>,
    /// Each heading's anchor link: fanzine's, or Zola's as the page's section asks.
    pub heading_links: headings::Links<'a>,
    /// What ends a summary cut inside an element, when not Zola's ellipsis (a Zola site's `summary-cutoff.html`).
    pub summary_cutoff: Option<&'a (dyn text::SummaryCutoff + Sync)>,
}

impl<'a> Options<'a> {
    /// Options for `file` with the usual answers to the rest: its body starts on line 1, code is highlighted with
    /// the bundled syntaxes, headings get Zola's default ids, and no block hook or shortcode is known. Callers
    /// change what they need with `..Options::new(…)`.
    pub fn new(
        file: &'a str,
        settings: &'a crate::config::Markdown,
        resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    ) -> Options<'a> {
        Options {
            file,
            first_line: 1,
            highlight: true,
            settings,
            anchors: Default::default(),
            resolve,
            block_hook: None,
            shortcodes: None,
            syntaxes: crate::highlight::Syntaxes::bundled(),
            relative_base: "",
            colours: crate::highlight::Colours::Classes,
            heading_links: headings::Links::Fanzine,
            summary_cutoff: None,
        }
    }
}

/// A post's body turned into HTML plus everything templates and checks want to know about it.
///
/// Serialisable so that builds can keep it on disk (the persistent cache stores `html` apart, as raw bytes).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// Shared, so that the copies every cache and memo keeps of a post cost nothing, and a post whose HTML is the
    /// same allocation as before is known to be unchanged without comparing its bytes.
    #[serde(skip)]
    pub html: Html,
    /// The text before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Words of prose, code blocks excluded.
    pub word_count: usize,
    /// Every link in the body, with its line, for the link checker.
    pub links: Vec<Link>,
    /// Ids of elements the body defines (headings, footnotes), for `#anchor` checks.
    pub ids: Vec<String>,
    /// Files block hooks asked to publish beside the page.
    pub attachments: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Images its shortcodes asked `resize_image` for. Never kept on disk: a rendering that has any is not cached
    /// (see [`crate::site::with_images`]).
    #[serde(skip)]
    pub images: Vec<crate::images::resize::Job>,
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Where a byte range of the body is in the file, for diagnostics.
pub(crate) struct Locator<'a> {
    file: &'a str,
    /// The text the passes see (the body with shortcodes expanded), for passes that locate something inside a
    /// construct (an annotation in an info string); its offsets go through [`Locator::at`].
    body: &'a str,
    first_line: usize,
    /// Lines of the body as written.
    index: LineIndex,
    /// Where the bytes of the text the passes see came from, when shortcodes changed it.
    origins: Option<&'a shortcodes::Origins>,
}

impl Locator<'_> {
    /// The place in the file of a byte offset of the text the passes see.
    pub(crate) fn at(&self, offset: usize) -> Location {
        self.at_original(self.origins.map_or(offset, |o| o.original(offset)))
    }

    /// The place in the file of a byte offset of the body as written.
    fn at_original(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_col(offset);
        Location::at(self.file, line + self.first_line - 1, column)
    }
}

pub fn render(body: &str, options: &Options) -> Rendered {
    let settings = options.settings;
    let expanded = match options.shortcodes {
        Some(known) if shortcodes::may_have_calls(body) => Some(shortcodes::expand(body, &code(body, settings), known)),
        _ => None,
    };
    let text = expanded.as_ref().map_or(body, |e| e.text.as_str());
    let locator = Locator {
        file: options.file,
        body: text,
        first_line: options.first_line,
        index: LineIndex::new(body),
        origins: expanded.as_ref().map(|e| &e.origins),
    };
    let events: Events = Parser::new_ext(text, cmark_options(settings)).into_offset_iter().collect();
    let mut problems = Vec::new();
    let events = match &expanded {
        Some(e) => {
            problems.extend(e.problems.iter().map(|p| {
                let d = Diagnostic::error(Some(locator.at_original(p.offset)), p.message.clone());
                match &p.hint {
                    Some(hint) => d.with_hint(hint.clone()),
                    None => d,
                }
            }));
            shortcodes::insert(events, &e.html)
        }
        None => events,
    };
    let mut out = Rendered { word_count: text::count_words(&events), diagnostics: problems, ..Rendered::default() };

    let events = text::drop_forbidden(events, &locator, &mut out);
    let events = if settings.render_emoji { text::emoji(events) } else { events };
    let events = links::rewrite(events, options, &locator, &mut out);
    let events = code::render_blocks(events, options, &locator, &mut out);
    let plan = settings.bottom_footnotes.then(|| footnotes::plan(&events));
    let note_ids = match &plan {
        Some(plan) => plan.ids().collect(),
        None => footnotes::in_place_ids(&events),
    };
    let more = events.iter().any(|(e, _)| text::is_more(e)).then(|| text::CONTINUE_READING.to_string());
    let reserved = note_ids.iter().cloned().chain(headings::THEME_IDS.iter().map(|s| s.to_string())).chain(more);
    let events = headings::anchor(events, reserved, options.anchors, options.heading_links, &mut out);
    let (events, notes, sidenotes) = match plan {
        Some(plan) => {
            let notes = footnotes::extract(events, plan, &mut out.ids, settings.sidenotes);
            (notes.body, notes.notes, notes.sidenotes)
        }
        None => {
            out.ids.extend(note_ids);
            (events, String::new(), Vec::new())
        }
    };

    out.summary = text::summary_html(&events, options.summary_cutoff, &mut out);
    let events = text::continue_reading(events, &mut out.ids);
    let events = footnotes::with_sidenotes(events, sidenotes);
    let events = figures::captions(events);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    html.push_str(&notes);
    // What references put in attributes (`[a](&#1;)`) is past the text pass; the HTML goes into feeds.
    let (html, removed) = crate::content::xml::strip_owned(html);
    if removed {
        out.summary = crate::content::xml::strip(&out.summary).into_owned();
        let d = Diagnostic::warning(
            Some(Location::file(options.file)),
            "removed characters that XML does not allow from the post's HTML (character references in a link?)",
        );
        out.diagnostics.push(d.with_hint(crate::content::xml::HINT_ESCAPED));
    }
    // Exactly as long as it is: every post's HTML stays in memory for the whole build.
    out.html = html.into();
    out
}

/// The byte ranges of code (spans and blocks) in `body`, where shortcode calls are text.
fn code(body: &str, settings: &crate::config::Markdown) -> Vec<Range<usize>> {
    use pulldown_cmark::Tag;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, cmark_options(settings)).into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
            ranges.push(range);
        }
    }
    ranges
}

fn cmark_options(settings: &crate::config::Markdown) -> CmarkOptions {
    let mut options = CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES;
    options.set(CmarkOptions::ENABLE_SMART_PUNCTUATION, settings.smart_punctuation);
    options.set(CmarkOptions::ENABLE_DEFINITION_LIST, settings.definition_list);
    // GFM in pulldown-cmark means the alert kinds of block quotes, nothing else.
    options.set(CmarkOptions::ENABLE_GFM, settings.github_alerts);
    options
}

/// The code of every fenced block whose language is `lang`, in order: how tools and benches reach the scenarios a
/// post embeds without keeping copies of them.
pub fn fenced_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(markdown, cmark_options(&crate::config::Markdown::FANZINE)) {
        match event {
            Event::Start(pulldown_cmark::Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some(lang) =>
            {
                current = Some(String::new());
            }
            Event::Text(text) if current.is_some() => current.as_mut().expect("in a block").push_str(&text),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Reading time in minutes at 200 words a minute, never zero for a post with words.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

#[cfg(test)]
#[test]
fn fenced_blocks_are_found_by_language() {
    let md = "Text.\n\n```claims\na = 1\n```\n\n```rust\nfn x() {}\n```\n\n```claims\nb = 2\n```\n";
    assert_eq!(fenced_blocks(md, "claims"), ["a = 1\n", "b = 2\n"]);
}

#[cfg(test)]
pub(crate) fn render_plain(body: &str) -> Rendered {
    render_with(body, &crate::config::Markdown::FANZINE)
}

#[cfg(test)]
pub(crate) fn render_with(body: &str, settings: &crate::config::Markdown) -> Rendered {
    let resolve = |_: &str| None;
    let options = Options::new("content/x.md", settings, &resolve);
    render(body, &options)
}
