//! Slugs as Zola makes them, so that a site moved from Zola keeps its URLs, tag URLs and heading ids.
//!
//! One module for the three places a slug is made (a post's URL from its file name or `slug`, a tag's URL, a
//! heading's id), each following its own `[slugify]` key. `on` is Zola's (and the `slug` crate's) rule: letters
//! transliterated to ASCII (`Ünïcode` → `unicode`, `日本語` → `ri-ben-yu`), lowercased, every run of anything else
//! one dash, so `What's new` → `what-s-new`. `safe` keeps the text but removes what a path or an id cannot hold;
//! `off` keeps it as written. The expected slugs in the tests (and `tests/fixtures/features/zola-heading-ids/`)
//! were recorded from Zola 0.21's output.
use serde::{Deserialize, Serialize};

/// How much a text is changed to make a slug: the values of `[slugify] paths`, `taxonomies` and `anchors`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    #[default]
    On,
    Safe,
    Off,
}

impl Strategy {
    /// The spellings a config may use, for error messages.
    pub const NAMES: &[&str] = &["on", "safe", "off"];

    pub fn parse(name: &str) -> Option<Strategy> {
        match name {
            "on" => Some(Strategy::On),
            "safe" => Some(Strategy::Safe),
            "off" => Some(Strategy::Off),
            _ => None,
        }
    }
}

/// A URL segment (a post's slug, a tag's) from `text`. `safe` drops the characters Windows forbids in file
/// names and trailing spaces and dots, as Zola does; whatever is left still passes the output-path gate.
pub fn path(text: &str, strategy: Strategy) -> String {
    match strategy {
        Strategy::On => slug::slugify(text),
        Strategy::Safe => {
            let trimmed = text.trim_end_matches([' ', '.']);
            trimmed.chars().filter(|c| !r#"<>:"/\|?*"#.contains(*c)).collect()
        }
        Strategy::Off => text.to_string(),
    }
}

/// A heading's id from its text. Ids may not hold spaces, so `safe` and `off` (the same for anchors in Zola) turn
/// each ASCII whitespace character into `_` and keep the rest.
pub fn anchor(text: &str, strategy: Strategy) -> String {
    match strategy {
        Strategy::On => slug::slugify(text),
        Strategy::Safe | Strategy::Off => text.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_is_zolas_rule() {
        // Recorded from Zola 0.21 (heading ids with `anchors = "on"`, URLs with `paths = "on"`).
        for (text, slug) in [
            ("What's in 1.39.0 stable", "what-s-in-1-39-0-stable"),
            ("Don’t panic — ever", "don-t-panic-ever"),
            ("Ünïcode ök", "unicode-ok"),
            ("C++ & C#", "c-c"),
            ("日本語", "ri-ben-yu"),
            ("Straße", "strasse"),
            ("Émoji 🎉 party", "emoji-tada-party"),
            ("snake_case_name", "snake-case-name"),
            ("-leading and trailing-", "leading-and-trailing"),
            ("???", ""),
            ("Hello World", "hello-world"),
        ] {
            assert_eq!(anchor(text, Strategy::On), slug, "{text}");
            assert_eq!(path(text, Strategy::On), slug, "{text}");
        }
    }

    #[test]
    fn safe_and_off_keep_the_text() {
        assert_eq!(path("What's up?", Strategy::Safe), "What's up");
        assert_eq!(path("My Slug! Ok.", Strategy::Safe), "My Slug! Ok");
        assert_eq!(path("a/b", Strategy::Safe), "ab");
        assert_eq!(path("What's up?", Strategy::Off), "What's up?");
        assert_eq!(anchor("Tab\tand  spaces", Strategy::Safe), "Tab_and__spaces");
        assert_eq!(anchor("Ω omega & ß", Strategy::Off), "Ω_omega_&_ß");
    }
}
