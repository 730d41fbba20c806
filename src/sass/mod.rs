//! Sass and SCSS from the site's `sass/` folder, compiled as Zola 0.21 compiles them when the config says
//! `compile_sass = true`, so that a Zola site's stylesheets come out where its templates link them.
//!
//! Every `.scss` and `.sass` file becomes a `.css` file at the same place in the output (`sass/css/site.scss` is
//! `css/site.css`), compressed as Zola writes it, except partials: a file or folder whose name starts with `_` is
//! compiled only where another stylesheet `@use`s or `@import`s it. `x.scss` beside `x.sass` would make one file
//! twice, which is an error. The compiler is `grass`, pure Rust, built without its `random` feature: Sass's
//! `random()` and `unique-id()` would make every build's CSS different, which defeats an output written only
//! where it changed.
//!
//! Nothing here writes: the compiled CSS joins the site's other files in the render, so it is published by the same
//! atomic swap, and a stylesheet that does not compile fails the build like any other error, leaving the published
//! site as it was. Files are walked sorted and compiled side by side, in the walk's order.
use crate::content::{is_ignored, slashed};
use crate::error::{Diagnostic, Location};
use crate::symlinks::Links;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use walkdir::WalkDir;

/// The folder under the site's root that holds the stylesheets.
pub const FOLDER: &str = "sass";

/// One compiled stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stylesheet {
    /// Its source, relative to the site's root: `sass/css/site.scss`.
    pub source: String,
    /// Its output path: `css/site.css`.
    pub output: String,
    pub css: Arc<[u8]>,
}

/// The stylesheets that compiled, and the problems of all of them (warnings of the compiler included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compiled {
    pub sheets: Vec<Stylesheet>,
    pub problems: Vec<Diagnostic>,
}

/// Compiles every stylesheet under `root/sass/` that is not a partial, and those of the theme's `sass/` whose
/// output the site's do not make (as in Zola, the site's own replace the theme's). No folder: nothing, and no
/// problem. `follow_external` is the config's `follow_external_links`, for links in `sass/` as in `static/`.
pub fn compile(root: &Path, theme: Option<&str>, follow_external: bool) -> Compiled {
    // The compiler names the partials it loads by paths of its own making; from an absolute root they are under it,
    // so that messages can name them from the root as they name everything else.
    let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let own = root.join(FOLDER);
    let (found, mut problems) = find(root, &own, follow_external);
    let mut entries: Vec<(PathBuf, String, &Path)> = found.into_iter().map(|(s, o)| (s, o, own.as_path())).collect();
    let themed = theme.map(|t| crate::theme::dir(root, t).join(FOLDER));
    if let Some(folder) = &themed {
        let (theirs, more) = find(root, folder, follow_external);
        let made: std::collections::HashSet<String> = entries.iter().map(|(_, o, _)| o.clone()).collect();
        entries.extend(theirs.into_iter().filter(|(_, o)| !made.contains(o)).map(|(s, o)| (s, o, folder.as_path())));
        problems.extend(more);
    }
    let results: Vec<(Option<Stylesheet>, Vec<Diagnostic>)> =
        entries.par_iter().map(|(source, output, folder)| compile_one(root, folder, source, output)).collect();
    let mut sheets = Vec::with_capacity(results.len());
    for (sheet, found) in results {
        sheets.extend(sheet);
        problems.extend(found);
    }
    Compiled { sheets, problems }
}

/// The stylesheets to compile under `dir`, sorted, each with its output path, and the problems of the walk.
fn find(root: &Path, dir: &Path, follow_external: bool) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    if !dir.is_dir() {
        return (found, problems);
    }
    let links = Links::new(root, follow_external);
    let mut walk = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.path().and_then(Path::file_name).is_some_and(|n| is_ignored(&n.to_string_lossy())) => continue,
            Err(e) => {
                let path = e.path().map_or_else(|| FOLDER.to_string(), |p| shown(root, p));
                problems.push(
                    Diagnostic::error(Some(Location::file(path)), format!("cannot read this stylesheet: {e}"))
                        .with_hint("check that the file exists and that you may read it"),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        // A partial folder holds partials only; editors' files and hidden ones are never stylesheets.
        let skipped = entry.depth() > 0 && (name.starts_with('_') || is_ignored(&name));
        if entry.path_is_symlink()
            && !skipped
            && let Err(refused) = links.check(entry.path())
        {
            problems.push(refused);
        } else if !skipped && entry.file_type().is_file() {
            let relative = slashed(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            if let Some(stem) = relative.strip_suffix(".scss").or_else(|| relative.strip_suffix(".sass")) {
                found.push((entry.path().to_path_buf(), format!("{stem}.css")));
            }
            continue;
        }
        if entry.file_type().is_dir() && (skipped || entry.path_is_symlink() && links.check(entry.path()).is_err()) {
            walk.skip_current_dir();
        }
    }
    // `x.sass` sorts before `x.scss`: the second of two sources of one output is the one reported.
    found.dedup_by(|second, first| {
        let same = second.1 == first.1;
        if same {
            let (a, b) = (shown(root, &first.0), shown(root, &second.0));
            problems.push(
                Diagnostic::error(Some(Location::file(&b)), format!("{a} and {b} both compile to {}", second.1))
                    .with_hint("keep one of them, or rename one; a partial's name starts with `_`"),
            );
        }
        same
    });
    (found, problems)
}

/// Compiles one stylesheet: the sheet, or the error that stopped it; and the compiler's warnings either way.
/// `folder` is the `sass/` the stylesheet is in (the site's or its theme's), where its `@use` and `@import` look.
fn compile_one(root: &Path, folder: &Path, source: &Path, output: &str) -> (Option<Stylesheet>, Vec<Diagnostic>) {
    let logger = Warnings { root: root.to_path_buf(), found: Mutex::default() };
    let options = grass_compiler::Options::default()
        .style(grass_compiler::OutputStyle::Compressed)
        .load_path(folder)
        .unicode_error_messages(false)
        .logger(&logger);
    let result = grass_compiler::from_path(source, &options);
    let mut problems = logger.found.into_inner().unwrap_or_else(|p| p.into_inner());
    let source = shown(root, source);
    match result {
        Ok(css) => {
            let css = Arc::from(css.into_bytes());
            (Some(Stylesheet { source, output: output.to_string(), css }), problems)
        }
        Err(e) => {
            problems.push(error(root, &source, *e));
            (None, problems)
        }
    }
}

/// A compile error as a diagnostic at its place, which may be in a partial: then it also names the stylesheet
/// that was being compiled.
fn error(root: &Path, source: &str, e: grass_compiler::Error) -> Diagnostic {
    match e.kind() {
        grass_compiler::ErrorKind::ParseError { message, loc, .. } => {
            let file = shown(root, Path::new(loc.file.name()));
            let at = Location::at(&file, loc.begin.line + 1, loc.begin.column + 1);
            let message = match file == source {
                true => format!("Sass: {message}"),
                false => format!("Sass: {message} (while compiling {source})"),
            };
            Diagnostic::error(Some(at), message).with_hint(
                "fix the stylesheet here; `fanzine check` lists every problem, and the site is not published until it compiles",
            )
        }
        grass_compiler::ErrorKind::IoError(io) => {
            Diagnostic::error(Some(Location::file(source)), format!("cannot read this stylesheet: {io}"))
                .with_hint("check that the file exists and that you may read it")
        }
        grass_compiler::ErrorKind::FromUtf8Error(_) => {
            Diagnostic::error(Some(Location::file(source)), "this stylesheet is not UTF-8 text")
                .with_hint("save it as UTF-8")
        }
        other => Diagnostic::error(Some(Location::file(source)), format!("Sass: {other:?}")),
    }
}

/// The compiler's `@warn`, `@debug` and deprecation messages, as located warnings rather than lines on stderr.
#[derive(Debug)]
struct Warnings {
    root: PathBuf,
    found: Mutex<Vec<Diagnostic>>,
}

impl Warnings {
    fn push(&self, loc: &grass_compiler::codemap::SpanLoc, message: String) {
        let file = shown(&self.root, Path::new(loc.file.name()));
        let at = Location::at(file, loc.begin.line + 1, loc.begin.column + 1);
        let warning = Diagnostic::warning(Some(at), message).with_hint("a message of the Sass compiler");
        self.found.lock().unwrap_or_else(|p| p.into_inner()).push(warning);
    }
}

impl grass_compiler::Logger for Warnings {
    fn debug(&self, location: grass_compiler::codemap::SpanLoc, message: &str) {
        self.push(&location, format!("Sass @debug: {message}"));
    }

    fn warn(&self, location: grass_compiler::codemap::SpanLoc, message: &str) {
        self.push(&location, format!("Sass: {message}"));
    }
}

/// A path as messages show it: relative to the root, `/`-separated.
fn shown(root: &Path, path: &Path) -> String {
    slashed(path.strip_prefix(root).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn outputs(compiled: &Compiled) -> Vec<(&str, &str, String)> {
        let text = |s: &Stylesheet| String::from_utf8(s.css.to_vec()).unwrap();
        compiled.sheets.iter().map(|s| (s.source.as_str(), s.output.as_str(), text(s))).collect()
    }

    #[test]
    fn each_stylesheet_but_partials_compiles_to_its_own_path() {
        let dir = site(&[
            ("sass/main.scss", "@use \"colors\";\nbody { a { color: colors.$link; } }\n"),
            ("sass/_colors.scss", "$link: blue;\n"),
            ("sass/sub/other.sass", "p\n  margin: 0\n"),
            ("sass/_partials/hidden.scss", "x { y: z }\n"),
            ("sass/notes.txt", "not a stylesheet"),
            ("sass/.main.scss.swp", "x"),
        ]);
        let compiled = compile(dir.path(), None, false);
        assert_eq!(compiled.problems, Vec::new());
        assert_eq!(
            outputs(&compiled),
            [
                ("sass/main.scss", "main.css", "body a{color:blue}".to_string()),
                ("sass/sub/other.sass", "sub/other.css", "p{margin:0}".to_string())
            ]
        );
        assert_eq!(compile(&dir.path().join("nowhere"), None, false), Compiled::default());
    }

    #[test]
    fn a_themes_stylesheets_compile_unless_the_site_makes_the_same_file() {
        let dir = site(&[
            ("sass/main.scss", "a { b: site }\n"),
            ("themes/t/sass/main.scss", "a { b: theme }\n"),
            ("themes/t/sass/theme.scss", "@use \"tone\";\nc { d: tone.$x }\n"),
            ("themes/t/sass/_tone.scss", "$x: theirs;\n"),
        ]);
        let compiled = compile(dir.path(), Some("t"), false);
        assert_eq!(compiled.problems, Vec::new());
        assert_eq!(
            outputs(&compiled),
            [
                ("sass/main.scss", "main.css", "a{b:site}".to_string()),
                ("themes/t/sass/theme.scss", "theme.css", "c{d:theirs}".to_string())
            ],
            "the theme's partials are found in its own folder"
        );
        assert_eq!(outputs(&compile(dir.path(), None, false)).len(), 1, "no theme named, none compiled");
    }

    #[test]
    fn errors_are_located_where_the_mistake_is() {
        let dir = site(&[
            ("sass/a.scss", "body { color: red \n a { }\n"),
            ("sass/b.scss", "@use \"broken\";\n"),
            ("sass/_broken.scss", "p {\n  margin: 1px +;\n}\n"),
            ("sass/c.scss", "@use \"nope\";\n"),
            ("sass/ok.scss", "@warn \"careful\";\nq { r: s }\n"),
        ]);
        let compiled = compile(dir.path(), None, false);
        let shown: Vec<String> = compiled.problems.iter().map(ToString::to_string).collect();
        assert_eq!(outputs(&compiled), [("sass/ok.scss", "ok.css", "q{r:s}".to_string())]);
        assert_eq!(shown.len(), 4, "{shown:#?}");
        assert!(shown[0].starts_with("sass/a.scss:2:7: error: Sass: expected \"}\"."), "{}", shown[0]);
        assert!(shown[1].starts_with("sass/_broken.scss:2:"), "{}", shown[1]);
        assert!(shown[1].contains("(while compiling sass/b.scss)"), "{}", shown[1]);
        assert!(shown[2].starts_with("sass/c.scss:1:1: error: Sass: Can't find stylesheet to import."), "{}", shown[2]);
        assert!(shown[3].starts_with("sass/ok.scss:1:7: warning: Sass: \"careful\""), "{}", shown[3]);
    }

    #[test]
    fn two_sources_of_one_output_are_an_error() {
        let dir = site(&[("sass/x.sass", "a\n  b: c\n"), ("sass/x.scss", "a { b: d }")]);
        let compiled = compile(dir.path(), None, false);
        assert_eq!(compiled.sheets.len(), 1);
        assert_eq!(
            compiled.problems.iter().map(ToString::to_string).next().unwrap().lines().next().unwrap(),
            "sass/x.scss: error: sass/x.sass and sass/x.scss both compile to x.css"
        );
    }
}
