//! A site's own syntaxes (`.sublime-syntax`) and themes (`.tmTheme`), from the folders of
//! `extra_syntaxes_and_themes` as Zola loads them: every such file under each folder, a theme named by its file's
//! stem.
//!
//! Most sites have none, and then nothing here costs anything: the bundled set is shared as before. A site's own
//! syntaxes make a small set of their own, as in Zola 0.21, where a block's language is looked up first
//! ([`super::Syntaxes`]): linking only them takes a millisecond, where linking them into the bundled set linked
//! every bundled context too (0.35 s, most of a small site's first build). A site syntax that embeds or includes a
//! scope or syntax none of the site's define (`embed: scope:source.rust`) could not find it in a set of its own, so
//! then, and only then, the site's syntaxes are linked with the bundled ones as before: slower once, and the
//! embedded code highlighted where Zola leaves it plain. Either set is linked once per change of the syntax files
//! ([`Linked`] keeps it). The fingerprint of the
//! files' paths and bytes is part of the config's identity and of the Markdown cache's key, so editing a syntax
//! re-renders the code it colours, and editing a theme rewrites the stylesheet.
use super::Linked;
use super::Syntaxes;
use crate::error::{Diagnostic, Location};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::syntax_definition::{ContextReference, MatchOperation, Pattern};
use syntect::parsing::{ParseSyntaxError, SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};

/// The site's syntaxes and themes; the default value is "none", which uses the bundled ones.
#[derive(Clone, Default)]
pub struct Extras {
    loaded: Option<Arc<Loaded>>,
}

struct Loaded {
    /// The site's syntaxes (with the bundled ones if they refer to any); `None` when the site has themes only.
    syntaxes: Option<Arc<SyntaxSet>>,
    themes: BTreeMap<String, Theme>,
    fingerprint: String,
}

impl Extras {
    /// Reads every syntax and theme under `dirs` (relative to `root`); `at` is where the config names them. A
    /// folder that is not there is a warning (a theme's config may name folders its site leaves out); a file syntect
    /// cannot read is an error. The syntaxes are linked with the bundled ones only if `linked` holds no set for
    /// these files (in memory or in `cache_dir`); a set it holds was linked from files that all read, so a hit
    /// skips reading them as syntaxes too.
    pub fn load(
        root: &Path,
        dirs: &[String],
        at: &Location,
        linked: &Linked,
        cache_dir: Option<&Path>,
    ) -> Result<(Extras, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (files, mut problems, warnings) = read(root, dirs, at);
        let parts: Vec<&[u8]> = files.iter().flat_map(|f| [f.relative.as_bytes(), f.bytes.as_slice()]).collect();
        let fingerprint = crate::fingerprint::of(&parts);
        let mut themes = BTreeMap::new();
        for file in files.iter().filter(|f| f.is_theme) {
            match ThemeSet::load_from_reader(&mut std::io::Cursor::new(&file.bytes)) {
                Ok(theme) => {
                    themes.insert(file.stem.clone(), theme);
                }
                Err(e) => problems.push((
                    file.order,
                    Diagnostic::error(Some(Location::file(&file.relative)), format!("invalid highlighting theme: {e}"))
                        .with_hint("a theme is a TextMate .tmTheme file (an XML property list)"),
                )),
            }
        }
        let syntax_files: Vec<&File> = files.iter().filter(|f| !f.is_theme).collect();
        let mut syntaxes = None;
        if !syntax_files.is_empty() {
            let key = crate::fingerprint::of(&[fingerprint.as_bytes(), env!("FANZINE_SOURCE_HASH").as_bytes()]);
            match linked.get(&key, cache_dir, || link(&syntax_files)) {
                Ok(set) => syntaxes = Some(set),
                Err(more) => problems.extend(more),
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|(order, _)| *order);
            return Err(problems.into_iter().map(|(_, d)| d).collect());
        }
        Ok((Extras { loaded: Some(Arc::new(Loaded { syntaxes, themes, fingerprint })) }, warnings))
    }

    /// The syntaxes to highlight with: the site's own first, then the bundled ones.
    pub fn syntaxes(&self) -> Syntaxes<'_> {
        Syntaxes { own: self.loaded.as_ref().and_then(|l| l.syntaxes.as_deref()) }
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

/// A syntax or theme file as read, with its place in the walk so that problems are reported in that order.
struct File {
    order: usize,
    relative: String,
    stem: String,
    is_theme: bool,
    bytes: Vec<u8>,
}

/// Every syntax and theme file under `dirs`, in walk order; the problems reading them (with their place in the walk)
/// and the warnings for folders that are not there.
fn read(root: &Path, dirs: &[String], at: &Location) -> (Vec<File>, Vec<(usize, Diagnostic)>, Vec<Diagnostic>) {
    let (mut files, mut problems, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
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
            let order = files.len() + problems.len();
            match std::fs::read(path) {
                Ok(bytes) => {
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                    files.push(File { order, relative, stem, is_theme: ext == "tmTheme", bytes });
                }
                Err(e) => problems
                    .push((order, Diagnostic::error(Some(Location::file(&relative)), format!("cannot read: {e}")))),
            }
        }
    }
    (files, problems, warnings)
}

/// The site's syntaxes linked as a set of their own, or with the bundled ones if they refer to any (see the module's
/// comment); or every problem reading them.
fn link(files: &[&File]) -> Result<SyntaxSet, Vec<(usize, Diagnostic)>> {
    let mut syntaxes = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&file.bytes);
        match SyntaxDefinition::load_from_str(&text, true, Some(&file.stem)) {
            Ok(syntax) => syntaxes.push(syntax),
            Err(e) => problems.push((file.order, syntax_error(&file.relative, &text, e))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut builder =
        if self_contained(&syntaxes) { SyntaxSetBuilder::new() } else { super::syntax_set().clone().into_builder() };
    for syntax in syntaxes {
        builder.add(syntax);
    }
    Ok(builder.build())
}

/// Whether every scope and syntax file that `syntaxes` embed, include, push or set is one of theirs.
fn self_contained(syntaxes: &[SyntaxDefinition]) -> bool {
    let defined = |reference: &ContextReference| match reference {
        ContextReference::ByScope { scope, .. } => syntaxes.iter().any(|s| s.scope == *scope),
        // syntect resolves a file reference (`Packages/Rust/Rust.sublime-syntax`) by the syntax's name.
        ContextReference::File { name, .. } => syntaxes.iter().any(|s| s.name == *name),
        _ => true,
    };
    let patterns = syntaxes.iter().flat_map(|s| s.contexts.values()).flat_map(|c| c.patterns.iter());
    patterns.into_iter().all(|pattern| match pattern {
        Pattern::Include(reference) => defined(reference),
        Pattern::Match(m) => {
            let pushed = match &m.operation {
                MatchOperation::Push(references) | MatchOperation::Set(references) => references.as_slice(),
                _ => &[],
            };
            pushed.iter().chain(&m.with_prototype).all(defined)
        }
    })
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
        let (extras, _) = Extras::load(dir.path(), &["syntaxes".into()], &at, &Linked::default(), None).unwrap();
        let html = super::super::highlight(extras.syntaxes(), super::super::Colours::Classes, "a zine\n", Some("fzl"))
            .unwrap();
        assert!(html.contains("hl-keyword hl-control hl-fzl"), "{html}");
        let rust =
            super::super::highlight(extras.syntaxes(), super::super::Colours::Classes, "fn a() {}\n", Some("rs"));
        assert!(rust.unwrap().contains("hl-rust"), "the bundled ones stay");
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX.replace("zine", "mag")).unwrap();
        let (edited, _) = Extras::load(dir.path(), &["syntaxes".into()], &at, &Linked::default(), None).unwrap();
        assert_ne!(edited.fingerprint(), extras.fingerprint());
        assert_eq!(Extras::default().fingerprint(), "");
        let (_, warnings) = Extras::load(dir.path(), &["nowhere".into()], &at, &Linked::default(), None).unwrap();
        assert!(warnings[0].to_string().starts_with("fanzine.toml: warning: no folder \"nowhere\""), "{warnings:?}");
    }

    /// How many syntaxes the set of the site's own holds.
    fn own_syntaxes(extras: &Extras) -> usize {
        extras.loaded.as_ref().and_then(|l| l.syntaxes.as_ref()).map_or(0, |set| set.syntaxes().len())
    }

    #[test]
    fn a_sites_syntaxes_are_a_set_of_their_own_looked_up_first_unless_they_embed_a_bundled_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
        // The site's own "rs" wins over the bundled Rust, as in Zola 0.21.
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX.replace("[fzl]", "[fzl, rs]")).unwrap();
        let at = Location::file("fanzine.toml");
        let load = || Extras::load(dir.path(), &["syntaxes".into()], &at, &Linked::default(), None).unwrap().0;
        let extras = load();
        assert_eq!(own_syntaxes(&extras), 1, "linked alone, without the bundled syntaxes");
        let html = super::super::highlight(extras.syntaxes(), super::super::Colours::Classes, "fn zine\n", Some("rs"));
        assert_eq!(
            html.unwrap(),
            "<span class=\"hl-source hl-fzl\">fn <span class=\"hl-keyword hl-control hl-fzl\">zine</span>\n</span>"
        );
        let embeds = SYNTAX.replace("[fzl]", "[emb]").replace("source.fzl", "source.emb")
            + "    - match: '<<'\n      embed: scope:source.rust\n      escape: '>>'\n";
        std::fs::write(dir.path().join("syntaxes/emb.sublime-syntax"), embeds).unwrap();
        let extras = load();
        assert!(own_syntaxes(&extras) > 100, "a syntax that embeds a bundled one is linked with them");
        let html =
            super::super::highlight(extras.syntaxes(), super::super::Colours::Classes, "<<fn a() {}>>\n", Some("emb"));
        assert!(html.unwrap().contains("hl-storage hl-type hl-function hl-rust"), "the embedded Rust is highlighted");
    }

    #[test]
    fn a_later_build_reads_the_linked_set_from_the_cache_until_a_syntax_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX).unwrap();
        let cache = dir.path().join(".fanzine-cache");
        let at = Location::file("fanzine.toml");
        let build = |linked: &Linked| {
            let (extras, _) = Extras::load(dir.path(), &["syntaxes".into()], &at, linked, Some(&cache)).unwrap();
            super::super::highlight(extras.syntaxes(), super::super::Colours::Classes, "a zine mag\n", Some("fzl"))
                .unwrap()
        };
        let first = Linked::default();
        let html = build(&first);
        assert_eq!(first.counts(), (1, 0));
        let second = Linked::default();
        assert_eq!(build(&second), html);
        assert_eq!(second.counts(), (0, 1), "the second build loads the set rather than linking it");
        std::fs::write(dir.path().join("syntaxes/fzl.sublime-syntax"), SYNTAX.replace("zine", "mag")).unwrap();
        let edited = Linked::default();
        assert!(build(&edited).contains("<span class=\"hl-keyword hl-control hl-fzl\">mag</span>"));
        assert_eq!(edited.counts(), (1, 0), "an edited syntax is linked again");
        std::fs::write(cache.join("syntaxes"), "fanzine syntaxes 1 garbage").unwrap();
        let after_damage = Linked::default();
        build(&after_damage);
        assert_eq!(after_damage.counts(), (1, 0), "a damaged cache is a miss, not an error");
    }

    #[test]
    fn broken_syntax_files_are_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("syntaxes")).unwrap();
        std::fs::write(dir.path().join("syntaxes/bad.sublime-syntax"), SYNTAX.replace("'\\bzine\\b'", "'(unclosed'"))
            .unwrap();
        std::fs::write(dir.path().join("syntaxes/worse.sublime-syntax"), "name: [x\n").unwrap();
        let at = Location::file("fanzine.toml");
        let errors = Extras::load(dir.path(), &["syntaxes".into()], &at, &Linked::default(), None).unwrap_err();
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
