//! A site's own syntaxes (`.sublime-syntax`) and themes (`.tmTheme`), from the folders of
//! `extra_syntaxes_and_themes` as Zola loads them: every such file under each folder, a theme named by its file's
//! stem.
//!
//! Most sites have none, and then nothing here costs anything: the bundled set is shared as before. A site with its
//! own syntaxes gets one set of its own (bundled + its syntaxes), built once per config load. The fingerprint of the
//! files' paths and bytes is part of the config's identity and of the Markdown cache's key, so editing a syntax
//! re-renders the code it colours, and editing a theme rewrites the stylesheet.
use crate::error::{Diagnostic, Location};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{ParseSyntaxError, SyntaxDefinition, SyntaxSet};

/// The site's syntaxes and themes; the default value is "none", which uses the bundled ones.
#[derive(Clone, Default)]
pub struct Extras {
    loaded: Option<Arc<Loaded>>,
}

struct Loaded {
    /// The bundled syntaxes plus the site's; `None` when the site has themes only.
    syntaxes: Option<SyntaxSet>,
    themes: BTreeMap<String, Theme>,
    fingerprint: String,
}

impl Extras {
    /// Reads every syntax and theme under `dirs` (relative to `root`); `at` is where the config names them. A
    /// folder that is not there is a warning (a theme's config may name folders its site leaves out); a file syntect
    /// cannot read is an error.
    pub fn load(root: &Path, dirs: &[String], at: &Location) -> Result<(Extras, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut warnings = Vec::new();
        let mut problems = Vec::new();
        let mut syntaxes = Vec::new();
        let mut themes = BTreeMap::new();
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for dir in dirs {
            if !root.join(dir).is_dir() {
                let message = format!("no folder {dir:?} for extra_syntaxes_and_themes; nothing is read from it");
                let d = Diagnostic::warning(Some(at.clone()), message).with_hint(
                    "name folders of the site that hold .sublime-syntax and .tmTheme files, such as \"syntaxes\"",
                );
                warnings.push(d);
                continue;
            }
            let walk = walkdir::WalkDir::new(root.join(dir)).sort_by_file_name().into_iter().filter_map(Result::ok);
            for entry in walk.filter(|e| e.file_type().is_file()) {
                let path = entry.path();
                let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
                if !matches!(ext, "sublime-syntax" | "tmTheme") {
                    continue;
                }
                let bytes = match std::fs::read(path) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        problems.push(Diagnostic::error(Some(Location::file(&relative)), format!("cannot read: {e}")));
                        continue;
                    }
                };
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                match ext {
                    "tmTheme" => match ThemeSet::load_from_reader(&mut std::io::Cursor::new(&bytes)) {
                        Ok(theme) => {
                            themes.insert(stem, theme);
                        }
                        Err(e) => problems.push(
                            Diagnostic::error(
                                Some(Location::file(&relative)),
                                format!("invalid highlighting theme: {e}"),
                            )
                            .with_hint("a theme is a TextMate .tmTheme file (an XML property list)"),
                        ),
                    },
                    _ => {
                        let text = String::from_utf8_lossy(&bytes);
                        match SyntaxDefinition::load_from_str(&text, true, Some(&stem)) {
                            Ok(syntax) => syntaxes.push(syntax),
                            Err(e) => problems.push(syntax_error(&relative, &text, e)),
                        }
                    }
                }
                parts.push(relative.into_bytes());
                parts.push(bytes);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let syntaxes = (!syntaxes.is_empty()).then(|| {
            let mut builder = super::syntax_set().clone().into_builder();
            for syntax in syntaxes {
                builder.add(syntax);
            }
            builder.build()
        });
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let fingerprint = crate::fingerprint::of(&parts);
        Ok((Extras { loaded: Some(Arc::new(Loaded { syntaxes, themes, fingerprint })) }, warnings))
    }

    /// The syntaxes to highlight with: the site's own with the bundled ones, or the bundled ones.
    pub fn syntaxes(&self) -> &SyntaxSet {
        match self.loaded.as_ref().and_then(|l| l.syntaxes.as_ref()) {
            Some(set) => set,
            None => super::syntax_set(),
        }
    }

    /// A theme by name: the site's own first, then the bundled ones.
    pub fn theme(&self, name: &str) -> Option<&Theme> {
        self.loaded.as_ref().and_then(|l| l.themes.get(name)).or_else(|| super::theme_set().themes.get(name))
    }

    /// Every theme's name, the site's and the bundled ones, for suggestions.
    pub fn theme_names(&self) -> Vec<&str> {
        let own = self.loaded.iter().flat_map(|l| l.themes.keys().map(String::as_str));
        own.chain(super::theme_names()).collect()
    }

    /// Changes whenever a file of the site's syntaxes or themes does; empty when there are none.
    pub fn fingerprint(&self) -> &str {
        self.loaded.as_ref().map_or("", |l| l.fingerprint.as_str())
    }
}

impl PartialEq for Extras {
    fn eq(&self, other: &Extras) -> bool {
        self.fingerprint() == other.fingerprint()
    }
}

impl std::fmt::Debug for Extras {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Extras({:?})", self.fingerprint())
    }
}

/// A syntax file's problem at its line where syntect says (YAML errors) or the text shows (a regex it cannot
/// compile), else at the file.
fn syntax_error(file: &str, text: &str, error: ParseSyntaxError) -> Diagnostic {
    let location = match &error {
        ParseSyntaxError::InvalidYaml(scan) => Location::at(file, scan.marker().line(), scan.marker().col() + 1),
        ParseSyntaxError::RegexCompileError(regex, _) => match text.find(regex.as_str()) {
            Some(offset) => {
                let (line, column) = crate::locate::line_col(text, offset);
                Location::at(file, line, column)
            }
            None => Location::file(file),
        },
        _ => Location::file(file),
    };
    let message = match &error {
        ParseSyntaxError::RegexCompileError(regex, why) => format!("invalid regex {regex:?} in syntax: {why}"),
        other => format!("invalid syntax definition: {other}"),
    };
    Diagnostic::error(Some(location), message)
        .with_hint("a syntax is a Sublime Text .sublime-syntax file (YAML with name, scope and a `main` context)")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYNTAX: &str = "%YAML 1.2\n---\nname: Fanzinelang\nfile_extensions: [fzl]\nscope: source.fzl\n\
                          contexts:\n  main:\n    - match: '\\bzine\\b'\n      scope: keyword.control.fzl\n";

    #[test]
    fn a_sites_syntax_joins_the_bundled_ones_and_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX).unwrap();
        let at = Location::file("fanzine.toml");
        let (extras, _) = Extras::load(dir.path(), &["syntaxes".into()], &at).unwrap();
        assert!(extras.syntaxes().find_syntax_by_token("fzl").is_some());
        assert!(extras.syntaxes().find_syntax_by_token("rust").is_some(), "the bundled ones stay");
        let html = super::super::highlight(extras.syntaxes(), "a zine\n", Some("fzl")).unwrap();
        assert!(html.contains("hl-keyword hl-control hl-fzl"), "{html}");
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX.replace("zine", "mag")).unwrap();
        let (edited, _) = Extras::load(dir.path(), &["syntaxes".into()], &at).unwrap();
        assert_ne!(edited.fingerprint(), extras.fingerprint());
        assert_eq!(Extras::default().fingerprint(), "");
        let (_, warnings) = Extras::load(dir.path(), &["nowhere".into()], &at).unwrap();
        assert!(warnings[0].to_string().starts_with("fanzine.toml: warning: no folder \"nowhere\""), "{warnings:?}");
    }

    #[test]
    fn broken_syntax_files_are_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
        std::fs::write(dir.path().join("syntaxes/bad.sublime-syntax"), SYNTAX.replace("'\\bzine\\b'", "'(unclosed'"))
            .unwrap();
        std::fs::write(dir.path().join("syntaxes/worse.sublime-syntax"), "name: [x\n").unwrap();
        let errors = Extras::load(dir.path(), &["syntaxes".into()], &Location::file("fanzine.toml")).unwrap_err();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        let expected = "syntaxes/bad.sublime-syntax:8:15: error: invalid regex \"(unclosed\"";
        assert!(errors[0].starts_with(expected), "{errors:#?}");
        assert!(
            errors[1].starts_with("syntaxes/worse.sublime-syntax:2:1: error: invalid syntax definition"),
            "{errors:#?}"
        );
    }
}
