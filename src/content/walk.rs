//! Finding the sources: posts, page bundles and their assets, in a sorted, deterministic order.
//!
//! Links are followed under the site's one rule for them ([`crate::symlinks`]); a link the rule refuses, or one
//! that leads nowhere, is still found, as a [`SourceFile`] whose load is that error, never skipped in silence.
use crate::error::Diagnostic;
use crate::ignored::Globs;
use crate::symlinks::Links;
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
    /// For a link that is not followed (it leads outside the site, or nowhere): the error that loading it gives.
    pub refused: Option<Diagnostic>,
    /// The language its name gives (`first.fr.md`, `_index.fr.md`), when it is not the site's default one.
    pub lang: Option<String>,
}

impl SourceFile {
    /// A section's `_index.md` (not a bundle's `index.md`).
    pub fn is_section(&self) -> bool {
        let name = self.relative.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        self.stem == "_index" && self.assets.is_empty() && name.starts_with("_index.")
    }
}

/// Editor droppings and hidden files that must never become pages or trigger rebuilds.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_editor_file(name)
}

/// The files an editor keeps beside the one it edits (locks, backups, swap files): never published, even from
/// `static/`, where other hidden files (`.nojekyll`, `.well-known/`) are.
pub fn is_editor_file(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// How `content/` is walked: the config's `follow_external_links` and `ignored_content`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walking {
    pub follow_external: bool,
    pub ignored: Globs,
    /// The site's language and its others (a Zola site's `[languages]`): with others, a name's last part before
    /// `.md` may be one of them.
    pub languages: super::languages::Codes,
}

impl Walking {
    pub fn of(config: &crate::config::Config) -> Walking {
        Walking {
            follow_external: config.follow_external_links,
            ignored: config.ignored_content(),
            languages: super::languages::Codes::of(config),
        }
    }
}

/// Walks `root/content` sorted by name. A folder containing `index.md` is a bundle: its other files are assets.
pub fn find_sources(root: &Path, walking: &Walking) -> std::io::Result<Vec<SourceFile>> {
    let content = root.join("content");
    if !content.is_dir() {
        return Ok(Vec::new());
    }
    let walk = Walk {
        root,
        content: &content,
        links: Links::new(root, walking.follow_external),
        ignored: &walking.ignored,
        languages: &walking.languages,
    };
    let mut files = Vec::new();
    walk.folder(&content, &mut files)?;
    Ok(files)
}

/// One walk of `content/`: what every step of it needs.
struct Walk<'a> {
    root: &'a Path,
    content: &'a Path,
    links: Links,
    ignored: &'a Globs,
    languages: &'a super::languages::Codes,
}

impl Walk<'_> {
    /// Whether the entry, not the walk's start, is left out: hidden, an editor's, or matched by `ignored_content`.
    fn skips(&self, entry: &walkdir::DirEntry) -> bool {
        entry.depth() > 0
            && (is_ignored(&entry.file_name().to_string_lossy())
                || self.ignored.ignores_under(self.content, entry.path()))
    }

    /// Walks `start`, a folder of `content`, into `files`.
    fn folder(&self, start: &Path, files: &mut Vec<SourceFile>) -> std::io::Result<()> {
        let (root, content) = (self.root, self.content);
        let mut walker = WalkDir::new(start).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    files.extend(self.unfollowed(e)?);
                    continue;
                }
            };
            if self.skips(&entry) {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            let path = entry.path();
            if entry.path_is_symlink()
                && let Err(refused) = self.links.check(path)
            {
                files.push(refused_file(root, content, path, refused));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() && entry.depth() > 0 && path.join("index.md").is_file() {
                let (bundled, sections) = self.bundle(path)?;
                files.extend(bundled);
                walker.skip_current_dir();
                for section in sections {
                    self.folder(&section, files)?;
                }
            } else if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "md") {
                let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                let mut file = source_file(root, content, path, path.parent().unwrap_or(content), stem, Vec::new());
                self.languages.name(&mut file);
                files.push(file);
            }
        }
        Ok(())
    }

    /// What a walk that failed at a link makes of it: the link as a refused file. An editor's lock file (`.#a.md`,
    /// a link to nothing) is ignored like its other files; any other failure is the walk's.
    fn unfollowed(&self, error: walkdir::Error) -> std::io::Result<Option<SourceFile>> {
        let Some(path) = error.path().filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink())) else {
            return Err(std::io::Error::other(error));
        };
        if path.file_name().is_some_and(|n| is_ignored(&n.to_string_lossy()))
            || self.ignored.ignores_under(self.content, path)
        {
            return Ok(None);
        }
        let problem = match error.loop_ancestor() {
            Some(ancestor) => self.links.looped(path, ancestor),
            None => self.links.dangling(path),
        };
        Ok(Some(refused_file(self.root, self.content, path, problem)))
    }

    /// The bundle in `dir`, then any of its assets that are links the rule refuses; and the folders inside it that
    /// are sections (they hold an `_index.md`), which are not its assets but walked as the rest of `content/` is.
    fn bundle(&self, dir: &Path) -> std::io::Result<(Vec<SourceFile>, Vec<PathBuf>)> {
        let (root, content) = (self.root, self.content);
        let index = dir.join("index.md");
        if std::fs::symlink_metadata(&index).is_ok_and(|m| m.is_symlink())
            && let Err(problem) = self.links.check(&index)
        {
            return Ok((vec![refused_file(root, content, &index, problem)], Vec::new()));
        }
        let mut sections = Vec::new();
        let mut assets = Vec::new();
        let mut refused = Vec::new();
        let mut translations = Vec::new();
        let mut walker = WalkDir::new(dir).min_depth(1).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    refused.extend(self.unfollowed(e)?);
                    continue;
                }
            };
            if entry.file_type().is_file() && (self.skips(&entry) || entry.path() == index) {
                continue;
            }
            if entry.depth() == 1 && entry.file_type().is_file() && self.translation(entry.path()).is_some() {
                translations.push(entry.path().to_path_buf());
                continue;
            }
            if entry.file_type().is_dir() && self.ignored.ignores_under(content, entry.path()) {
                walker.skip_current_dir();
                continue;
            }
            if entry.file_type().is_dir() && entry.path().join("_index.md").is_file() {
                sections.push(entry.path().to_path_buf());
                walker.skip_current_dir();
                continue;
            }
            if entry.path_is_symlink()
                && let Err(problem) = self.links.check(entry.path())
            {
                refused.push(refused_file(root, content, entry.path(), problem));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_file() {
                assets.push(entry.path().to_path_buf());
            }
        }
        let stem = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let parent = dir.parent().unwrap_or(content);
        let mut files = vec![source_file(root, content, &index, parent, stem.clone(), assets.clone())];
        // Each translation is the same bundle in its language: it shares the assets, as in Zola.
        for path in translations {
            let mut file = source_file(root, content, &path, parent, stem.clone(), assets.clone());
            file.lang = self.translation(&path);
            files.push(file);
        }
        files.append(&mut refused);
        Ok((files, sections))
    }

    /// The language of a bundle's `index.fr.md`, its French version, when `fr` is one of the config's other
    /// languages (any other file of the bundle is an asset).
    fn translation(&self, path: &Path) -> Option<String> {
        let name = path.file_name()?.to_str()?;
        let code = name.strip_prefix("index.")?.strip_suffix(".md")?;
        self.languages.others.iter().find(|o| *o == code).cloned()
    }
}

fn refused_file(root: &Path, content: &Path, path: &Path, refused: Diagnostic) -> SourceFile {
    let stem = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut file = source_file(root, content, path, path.parent().unwrap_or(content), stem, Vec::new());
    file.refused = Some(refused);
    file
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
        refused: None,
        lang: None,
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
        let files = find_sources(dir.path(), &Walking::default()).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(names, ["content/a.md", "content/b.md", "content/notes/trip/index.md"]);
        assert_eq!(files[2].section, "notes");
        assert_eq!(files[2].stem, "trip");
        assert_eq!(files[2].assets, [c.join("notes/trip/map.png")]);
    }

    #[test]
    fn a_bundles_index_in_another_language_is_its_translation_sharing_the_assets() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        std::fs::create_dir_all(c.join("blog/post")).unwrap();
        for name in ["index.md", "index.fr.md", "index.it.md", "pic.png"] {
            std::fs::write(c.join("blog/post").join(name), "").unwrap();
        }
        let walking = Walking {
            languages: crate::content::languages::Codes { default: "en".into(), others: vec!["fr".into()] },
            ..Walking::default()
        };
        let files = find_sources(dir.path(), &walking).unwrap();
        let names: Vec<_> = files.iter().map(|f| (f.display.as_str(), f.lang.as_deref())).collect();
        assert_eq!(names, [("content/blog/post/index.md", None), ("content/blog/post/index.fr.md", Some("fr"))]);
        let assets = [c.join("blog/post/index.it.md"), c.join("blog/post/pic.png")];
        assert_eq!((files[0].assets.as_slice(), files[1].assets.as_slice()), (&assets[..], &assets[..]));
        assert_eq!((files[1].stem.as_str(), files[1].section.as_str()), ("post", "blog"));
        assert!(!files[1].is_section());
    }
}
