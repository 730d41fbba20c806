//! `ignored_content` and `ignored_static`, as Zola reads them: glob patterns naming files of `content/` and
//! `static/` (and their folders) that are not published.
//!
//! A pattern is matched against a whole path, and `*` crosses folders, as in Zola. Zola matches content
//! patterns against the file's full path on disk, which makes `*/draft.md` work and `blog/draft.md` never match;
//! fanzine matches them against the path from the site's root (`content/blog/draft.md`), which gives the same answer
//! for every pattern that does not name the folders above the site, and the same answer wherever the site is kept.
//! Static patterns are matched from inside `static/` (`*.psd`, `sub/*.psd`), as in Zola.
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::Path;

/// The patterns of one of the two keys, compiled.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
    /// Put before a path from the walked folder before matching: `content/` for content, nothing for static.
    prefix: &'static str,
}

/// Two configs with the same patterns ignore the same files; this is what the preview's walk cache compares.
impl PartialEq for Globs {
    fn eq(&self, other: &Globs) -> bool {
        self.patterns == other.patterns && self.prefix == other.prefix
    }
}

/// What is not published of the site's `static/` and of its theme's: `ignored_static` in both, and on a Zola site
/// the site's own `static/processed_images/` too (see `Config::ignored_static`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaticGlobs {
    pub own: Globs,
    pub theme: Globs,
}

/// A pattern that is not a glob: which one (its index in the list) and why.
#[derive(Debug, thiserror::Error)]
#[error("pattern {pattern:?} is not a glob: {why}")]
pub struct BadPattern {
    pub index: usize,
    pub pattern: String,
    pub why: String,
}

impl Globs {
    /// `ignored_content`'s patterns.
    pub fn content(patterns: &[String]) -> Result<Globs, BadPattern> {
        Globs::new("content/", patterns)
    }

    /// `ignored_static`'s patterns.
    pub fn statics(patterns: &[String]) -> Result<Globs, BadPattern> {
        Globs::new("", patterns)
    }

    fn new(prefix: &'static str, patterns: &[String]) -> Result<Globs, BadPattern> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let glob = Glob::new(pattern).map_err(|e| BadPattern {
                index,
                pattern: pattern.clone(),
                why: e.kind().to_string(),
            })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| BadPattern { index: 0, pattern: String::new(), why: e.to_string() })?;
        Ok(Globs { patterns: patterns.to_vec(), set, prefix })
    }

    /// Whether the file or folder at `relative` (from the walked folder, `/`-separated) is left out.
    pub fn ignores(&self, relative: &str) -> bool {
        !self.patterns.is_empty() && self.set.is_match(format!("{}{relative}", self.prefix))
    }

    /// [`Globs::ignores`] for a path under `dir`, the walked folder.
    pub fn ignores_under(&self, dir: &Path, path: &Path) -> bool {
        !self.patterns.is_empty()
            && path.strip_prefix(dir).is_ok_and(|relative| self.ignores(&crate::content::slashed(relative)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(make: fn(&[String]) -> Result<Globs, BadPattern>, patterns: &[&str]) -> Globs {
        make(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap()
    }

    /// Each answer below is the one Zola 0.21 gave for the same pattern and file (a site built with it in /tmp),
    /// except `content/blog/a.md`, which names the site's own folder and so cannot match in Zola.
    #[test]
    fn content_patterns_match_as_zolas_do() {
        let content = globs(Globs::content, &["*/zz.md", "temp.*", "blog/a.md", "x.md", "*.xlsx"]);
        assert!(content.ignores("blog/zz.md"));
        assert!(content.ignores("zz.md"), "`*` also matches `content`");
        assert!(content.ignores("blog/data.xlsx"));
        for kept in ["temp.md", "blog/temp.md", "blog/a.md", "x.md", "blog/sub/x.md"] {
            assert!(!content.ignores(kept), "{kept}");
        }
        assert!(globs(Globs::content, &["content/blog/a.md"]).ignores("blog/a.md"));
        assert!(globs(Globs::content, &["**/build"]).ignores("notes/build"), "a folder is matched too");
    }

    #[test]
    fn static_patterns_match_from_inside_static() {
        let statics = globs(Globs::statics, &["sub/*.psd", "*.tmp"]);
        assert!(statics.ignores("sub/a.psd"));
        assert!(!statics.ignores("a.psd"));
        assert!(statics.ignores("deep/er/x.tmp"), "`*` crosses folders");
        assert!(!globs(Globs::statics, &[]).ignores("anything"));
    }

    #[test]
    fn a_bad_pattern_is_named_with_its_place_in_the_list() {
        let err = Globs::statics(&["*.psd".into(), "a[".into()]).unwrap_err();
        assert_eq!((err.index, err.pattern.as_str()), (1, "a["));
        assert!(err.to_string().contains("not a glob"), "{err}");
    }

    #[test]
    fn equal_patterns_are_equal_sets() {
        assert_eq!(globs(Globs::statics, &["a"]), globs(Globs::statics, &["a"]));
        assert_ne!(globs(Globs::statics, &["a"]), globs(Globs::content, &["a"]));
    }
}
