//! Files under `static/`, copied as they are.
use crate::content::{is_ignored, slashed};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Output path relative to the site root, `/`-separated.
    pub output: String,
    pub source: PathBuf,
}

pub fn find(root: &Path) -> std::io::Result<Vec<StaticFile>> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && !is_ignored(&entry.file_name().to_string_lossy()) {
            let output = slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            files.push(StaticFile { output, source: entry.path().to_path_buf() });
        }
    }
    Ok(files)
}
