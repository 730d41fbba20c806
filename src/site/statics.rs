//! Files under `static/`, copied as they are, over those of the theme's `static/` ([`crate::theme`]). Links are
//! followed under the site's one rule for them ([`crate::symlinks`]): inside the site yes, outside only if the
//! author opted in. Hidden files are copied (`.nojekyll`, `.well-known/`), an editor's are not, nor those
//! `ignored_static` names ([`crate::ignored`]).
use crate::content::{is_editor_file, slashed};
use crate::error::{Diagnostic, Location};
use crate::ignored::{Globs, StaticGlobs};
use crate::symlinks::Links;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Output path relative to the site root, `/`-separated.
    pub output: String,
    pub source: PathBuf,
}

/// Every file under `static/` and the theme's, and a diagnostic for each one that cannot be read or is a link the
/// rule refuses, so all are reported at once. `follow_external` is the config's `follow_external_links`,
/// `ignored` what its `ignored_static` leaves out of each. The theme's files come first; one the site also has is
/// left out.
pub fn find(
    root: &Path,
    theme: Option<&str>,
    follow_external: bool,
    ignored: &StaticGlobs,
) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let (mut files, mut problems) = find_in(root, &root.join("static"), follow_external, &ignored.own);
    if let Some(theme) = theme {
        let dir = crate::theme::dir(root, theme).join("static");
        let (themed, more) = find_in(root, &dir, follow_external, &ignored.theme);
        let own: std::collections::HashSet<&str> = files.iter().map(|f| f.output.as_str()).collect();
        let themed: Vec<StaticFile> = themed.into_iter().filter(|f| !own.contains(f.output.as_str())).collect();
        files.splice(0..0, themed);
        problems.extend(more);
    }
    (files, problems)
}

fn find_in(root: &Path, dir: &Path, follow_external: bool, ignored: &Globs) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (files, problems);
    }
    let links = Links::new(root, follow_external);
    let mut walk = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            // An editor's lock file (`.#post.md`) is a dangling link: ignored like the editor's other files.
            Err(e) if e.path().and_then(Path::file_name).is_some_and(|n| is_editor_file(&n.to_string_lossy())) => {
                continue;
            }
            Err(e) if e.path().is_some_and(|p| ignored.ignores_under(dir, p)) => continue,
            Err(e) => {
                match (e.path(), e.loop_ancestor()) {
                    (Some(path), Some(ancestor)) => problems.push(links.looped(path, ancestor)),
                    _ => problems.push(unreadable(root, &e)),
                }
                continue;
            }
            Ok(e) => e,
        };
        if entry.file_type().is_file() && is_editor_file(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if entry.depth() > 0 && ignored.ignores_under(dir, entry.path()) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink()
            && let Err(refused) = links.check(entry.path())
        {
            problems.push(refused);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            let output = slashed(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            files.push(StaticFile { output, source: entry.path().to_path_buf() });
        }
    }
    (files, problems)
}

fn unreadable(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().map_or_else(|| "static".to_string(), |p| slashed(p.strip_prefix(root).unwrap_or(p)));
    let link = error.path().and_then(|p| std::fs::read_link(p).ok());
    let why = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
    let d = Diagnostic::error(Some(Location::file(path)), format!("cannot read this static file: {why}"));
    match link {
        Some(target) => {
            d.with_hint(format!("it is a link to {}, which does not exist; fix or remove the link", target.display()))
        }
        None => d.with_hint("check that the file exists and that you may read it"),
    }
}
