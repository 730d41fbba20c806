//! Files under `static/`, copied as they are.
use crate::content::{is_ignored, slashed};
use crate::error::{Diagnostic, Location};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Output path relative to the site root, `/`-separated.
    pub output: String,
    pub source: PathBuf,
}

/// Every file under `static/`, and a diagnostic for each one that cannot be read, so all are reported at once.
pub fn find(root: &Path) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let dir = root.join("static");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return (files, problems);
    }
    // Links are followed: a static file may live elsewhere (a shared fonts folder); a dangling one is an error.
    for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(unreadable(root, &e));
                continue;
            }
        };
        if entry.file_type().is_file() && !is_ignored(&entry.file_name().to_string_lossy()) {
            let output = slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
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
