//! A Zola site's other languages, `[languages.xx]`: each has its own title and description, and its pages live
//! under `/xx/` (see `crate::site::languages`).
//!
//! Only a Zola config has them: `fanzine.toml` refuses the key, since fanzine's own theme is written for one
//! language. A language's `taxonomies` are its own, as in Zola: its pages' terms are listed under `/xx/{taxonomy}/`,
//! apart from the default language's; `generate_feeds` gives it its feeds at `/xx/atom.xml` (its own
//! `feed_filenames`, not the site's), and `build_search_index` its own index with its own `[languages.xx.search]`
//! fields, as Zola 0.21 makes them.

use crate::error::Location;
use serde::{Deserialize, Serialize};

/// The keys of a `[languages.xx]` table that fanzine reads (`translations` is read by `trans()` from the file).
pub const KEYS: &[&str] =
    &["title", "description", "taxonomies", "generate_feeds", "feed_filenames", "build_search_index", "search"];

/// One `[languages.xx]` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Language {
    /// `None`: no title (`config.title` is empty on this language's pages, as in Zola).
    pub title: Option<String>,
    pub description: Option<String>,
    /// The taxonomies this language's pages may use (`tags` too: unlike the default language's, it is not built
    /// in), each rendered under `/xx/`.
    pub taxonomies: Vec<super::Taxonomy>,
    /// `/xx/atom.xml` (each of [`Language::feed_names`]) with this language's pages, as Zola makes it.
    pub generate_feeds: bool,
    /// The names of this language's feeds, and of its terms'; `None` is Zola's default, `["atom.xml"]`, whatever
    /// the site's own are.
    pub feed_filenames: Option<Vec<String>>,
    /// `search_index.xx.js` with this language's pages, when the site builds its own index too (Zola writes none
    /// for a language of a site without `build_search_index`).
    pub build_search_index: bool,
    /// The fields of this language's index: its own table, not the site's `[search]`, as in Zola; the index's
    /// format is the site's.
    pub search: super::Search,
    /// Where `build_search_index` is set, for an index that cannot be built in this language.
    #[serde(skip)]
    pub search_at: Option<Location>,
    /// Where `feed_filenames` is set, for a name that is no feed's.
    #[serde(skip)]
    pub feeds_at: Option<Location>,
}

impl Language {
    /// The file names of this language's feeds: its `feed_filenames`, or `atom.xml`.
    pub fn feed_names(&self) -> Vec<String> {
        self.feed_filenames.clone().unwrap_or_else(|| vec!["atom.xml".to_string()])
    }
}
