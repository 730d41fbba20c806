//! Shortcodes are templates like any other (`shortcodes/NAME.html` or `.md`), parsed with the rest so that they may
//! use the same filters, functions and macros; this is what the Markdown stage asks of them.
//!
//! The built-in theme brings `shortcodes/figure.html`; a site's own file of either kind replaces it.
use super::Templates;
use crate::markdown::shortcodes::{Call, Failure, Kind};

const FOLDER: &str = "shortcodes/";

/// The built-in shortcodes' required arguments.
const REQUIRED: &[(&str, &[&str])] = &[("figure", &["src", "alt"])];

impl Templates {
    /// The template a call of `name` renders, and its kind: the site's own first, the theme's built-in one last.
    pub fn shortcode(&self, name: &str) -> Option<(String, Kind)> {
        let candidates = [(format!("{FOLDER}{name}.md"), Kind::Markdown), (format!("{FOLDER}{name}.html"), Kind::Html)];
        let site_own = |t: &str| self.sources.get(t).is_some_and(|(shown, _)| !shown.starts_with("(built-in)"));
        let own = candidates.iter().find(|(t, _)| site_own(t));
        own.or_else(|| candidates.iter().find(|(t, _)| self.has(t))).cloned()
    }

    /// Every shortcode's name, sorted.
    pub fn shortcode_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (self.sources.keys())
            .filter_map(|t| t.strip_prefix(FOLDER))
            .filter_map(|t| t.strip_suffix(".html").or_else(|| t.strip_suffix(".md")))
            .map(String::from)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The arguments a built-in shortcode cannot do without, checked before it renders so that the error says
    /// what to write rather than which variable a template missed. A site's own shortcode checks its own.
    pub fn missing_argument(&self, template: &str, call: &Call) -> Option<Failure> {
        let (shown, _) = self.sources.get(template)?;
        if !shown.starts_with("(built-in)") {
            return None;
        }
        let (_, required) = REQUIRED.iter().find(|(name, _)| *name == call.name)?;
        let missing = required.iter().find(|r| !call.args.iter().any(|(name, _)| name == *r))?;
        let hint = match *missing {
            "alt" => "describe the image for readers who cannot see it: alt=\"…\" (alt=\"\" for a decorative image)",
            _ => "the built-in figure takes src, alt, and optionally caption, width, height and class",
        };
        Some(Failure { message: format!("the `{}` shortcode needs `{missing}`", call.name), hint: Some(hint.into()) })
    }

    /// A stable key of every template's text, for the Markdown kept on disk: a shortcode may include or import any
    /// other template, so a page calling one depends on them all.
    pub fn stable_fingerprint(&self) -> &str {
        self.stable.get_or_init(|| {
            let parts: Vec<&[u8]> =
                self.sources.iter().flat_map(|(name, (_, src))| [name.as_bytes(), src.as_bytes()]).collect();
            crate::fingerprint::of(&parts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_shortcode_of_either_kind_replaces_the_built_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path(), None).unwrap();
        assert_eq!(t.shortcode("figure"), Some(("shortcodes/figure.html".into(), Kind::Html)));
        assert_eq!(t.shortcode("nope"), None);
        std::fs::create_dir_all(dir.path().join("templates/shortcodes")).unwrap();
        std::fs::write(dir.path().join("templates/shortcodes/figure.md"), "![{{ alt }}]({{ src }})").unwrap();
        std::fs::write(dir.path().join("templates/shortcodes/note.html"), "<aside>{{ body }}</aside>").unwrap();
        let t = Templates::load(dir.path(), None).unwrap();
        assert_eq!(t.shortcode("figure"), Some(("shortcodes/figure.md".into(), Kind::Markdown)));
        assert_eq!(t.shortcode_names(), ["figure", "note"]);
    }
}
