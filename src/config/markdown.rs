//! `[markdown]`: choices about how a post's Markdown becomes HTML, spelt with Zola's key names so that a Zola
//! site's `[markdown]` table means the same here.
//!
//! The defaults are fanzine's behaviour from before the table existed (smart punctuation on, footnotes gathered at
//! the bottom), so that an existing `fanzine.toml` builds the same pages; a Zola config starts from Zola's defaults
//! instead (everything off; see `zola.rs`).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(default, deny_unknown_fields)]
pub struct Markdown {
    /// Straight quotes, `--` and `...` become typographic ones.
    pub smart_punctuation: bool,
    /// `:smile:` becomes 😄 (GitHub's names), outside code.
    pub render_emoji: bool,
    /// External links (`http://`, `https://`) open in a new tab, with `rel="noopener"`.
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    /// A class given to every external link.
    pub external_links_class: Option<String>,
    /// Footnotes numbered and gathered at the end with links back (fanzine's way), or left where they are defined
    /// (pulldown-cmark's plain rendering, Zola's default).
    pub bottom_footnotes: bool,
    /// With `bottom_footnotes`, a copy of each note beside its reference, which the theme's CSS floats into the
    /// margin on wide screens (fanzine only: Zola has no such key, so a Zola config starts with it off).
    pub sidenotes: bool,
    /// `Term` followed by `: definition` lines makes a `<dl>`.
    pub definition_list: bool,
    /// `> [!NOTE]` block quotes get a class (`markdown-alert-note`), as on GitHub.
    pub github_alerts: bool,
    /// A Zola site's anchor links on headings (`none`, `left`, `right`, `heading`) where a section's front matter
    /// says nothing; Zola's default is none. A fanzine site's headings always get fanzine's link.
    pub insert_anchor_links: Option<String>,
}

pub const MARKDOWN_KEYS: &[&str] = &[
    "smart_punctuation",
    "render_emoji",
    "external_links_target_blank",
    "external_links_no_follow",
    "external_links_no_referrer",
    "external_links_class",
    "bottom_footnotes",
    "sidenotes",
    "definition_list",
    "github_alerts",
    "insert_anchor_links",
];

impl Markdown {
    /// fanzine's defaults; a `const` so that code with no config at hand (tests, benches) can borrow it.
    pub const FANZINE: Markdown = Markdown {
        smart_punctuation: true,
        render_emoji: false,
        external_links_target_blank: false,
        external_links_no_follow: false,
        external_links_no_referrer: false,
        external_links_class: None,
        bottom_footnotes: true,
        sidenotes: true,
        definition_list: false,
        github_alerts: false,
        insert_anchor_links: None,
    };

    /// Zola 0.21's defaults, for a site read from Zola's config.
    pub const ZOLA: Markdown =
        Markdown { smart_punctuation: false, bottom_footnotes: false, sidenotes: false, ..Markdown::FANZINE };

    /// Whether external links need attributes of their own.
    pub fn tweaks_external_links(&self) -> bool {
        self.external_links_target_blank
            || self.external_links_no_follow
            || self.external_links_no_referrer
            || self.external_links_class.is_some()
    }

    /// Bytes that change whenever any setting does, for the keys of kept renderings.
    pub fn fingerprint(&self) -> String {
        serde_json::to_string(self).expect("plain fields serialise")
    }
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown::FANZINE
    }
}
