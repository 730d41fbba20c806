//! A Zola site's other languages, `[languages.xx]`: each has its own title and description, and its pages live
//! under `/xx/` (see `crate::site::languages`).
//!
//! Only a Zola config has them: `fanzine.toml` refuses the key, since fanzine's own theme is written for one
//! language. A language's `taxonomies` are its own, as in Zola: its pages' terms are listed under `/xx/{taxonomy}/`,
//! apart from the default language's, and `generate_feeds` gives it its feed at `/xx/atom.xml`. Its search index
//! is not built yet, so its keys for it are ignored with a warning rather than taken in silence.

use serde::{Deserialize, Serialize};

/// The keys of a `[languages.xx]` table that fanzine reads (`translations` is read by `trans()` from the file).
pub const KEYS: &[&str] = &["title", "description", "taxonomies", "generate_feeds"];

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
    /// `/xx/atom.xml` (each of the site's feed file names) with this language's pages, as Zola makes it.
    pub generate_feeds: bool,
}
