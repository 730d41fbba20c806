//! Finding the sources: posts, page bundles and their assets, in a sorted, deterministic order.
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A Markdown file to load, with where it sits in the content tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root.
    pub relative: PathBuf,
    /// `relative` with `/` separators, for messages.
    pub display: String,
    pub section: String,
    /// File stem, or the bundle folder's name for an `index.md`.
    pub stem: String,
    /// For a bundle: every other file in its folder (absolute paths), sorted.
    pub assets: Vec<PathBuf>,
}

/// Editor droppings and hidden files that must never become pages or trigger rebuilds.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// Walks `root/content` sorted by name. A folder containing `index.md` is a bundle: its other files are assets.
pub fn find_sources(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    let content = root.join("content");
    if !content.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut walker = WalkDir::new(&content).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(std::io::Error::other)?;
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && is_ignored(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_dir() && entry.depth() > 0 && path.join("index.md").is_file() {
            files.push(bundle(root, &content, path)?);
            walker.skip_current_dir();
        } else if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            files.push(source_file(root, &content, path, path.parent().unwrap_or(&content), stem, Vec::new()));
        }
    }
    Ok(files)
}

fn bundle(root: &Path, content: &Path, dir: &Path) -> std::io::Result<SourceFile> {
    let mut assets = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name != "index.md" && !is_ignored(&name) {
            assets.push(entry.path().to_path_buf());
        }
    }
    let stem = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let parent = dir.parent().unwrap_or(content);
    Ok(source_file(root, content, &dir.join("index.md"), parent, stem, assets))
}

fn source_file(
    root: &Path,
    content: &Path,
    path: &Path,
    folder: &Path,
    stem: String,
    assets: Vec<PathBuf>,
) -> SourceFile {
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    SourceFile {
        display: slashed(&relative),
        section: slashed(folder.strip_prefix(content).unwrap_or(Path::new(""))),
        relative,
        stem,
        assets,
    }
}

/// A relative path with `/` separators whatever the platform.
pub fn slashed(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_with_bundles_and_sections() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        std::fs::create_dir_all(c.join("notes/trip")).unwrap();
        std::fs::write(c.join("b.md"), "").unwrap();
        std::fs::write(c.join("a.md"), "").unwrap();
        std::fs::write(c.join(".a.md.swp"), "").unwrap();
        std::fs::write(c.join("notes/trip/index.md"), "").unwrap();
        std::fs::write(c.join("notes/trip/map.png"), "").unwrap();
        let files = find_sources(dir.path()).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(names, ["content/a.md", "content/b.md", "content/notes/trip/index.md"]);
        assert_eq!(files[2].section, "notes");
        assert_eq!(files[2].stem, "trip");
        assert_eq!(files[2].assets, [c.join("notes/trip/map.png")]);
    }
}
