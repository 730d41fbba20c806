//! Where the site is, and which of its paths are sources: the two facts that keep a build from writing over what
//! it reads.
//!
//! The site root is found the way cargo finds `Cargo.toml`: the nearest folder, from the current one upwards,
//! holding a config file or a `content/` folder. So `fanzine build` run inside `content/posts/` builds the site,
//! instead of a site of nothing into `content/posts/public/`.
//!
//! The output folder is replaced as a whole by every build (see [`crate::write`]), so it must never be, hold, or
//! sit inside anything the build reads: `-o content` would otherwise swap the posts away into `.content.spare`,
//! and the next build would delete them. Paths are compared once symlinks are resolved, so a link cannot hide the
//! overlap.
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The source folders of a site: everything a build (ours, or Zola's for a site shared with it) reads. One list,
/// so that the output check and the documentation agree.
pub const SOURCE_FOLDERS: &[&str] = &["content", "templates", "static", "sass", "themes", "syntaxes", "data"];
/// Kept between builds; an output there would be deleted with it.
pub const CACHE_FOLDER: &str = ".fanzine-cache";
/// Any of these marks a site's root folder, as does a `content/` folder.
pub const CONFIG_FILES: &[&str] = &["fanzine.toml", "config.toml", "zola.toml"];

/// Why no site root could be settled on: a command-line problem (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    #[error("--root {0}: no such folder")]
    Missing(PathBuf),
    #[error("--root {0} is not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "no site found in {0} or any folder above it (looked for fanzine.toml, config.toml, zola.toml or a content/ folder)"
    )]
    NotFound(PathBuf),
    #[error("cannot tell where the site is: the current folder cannot be read ({0})")]
    NoCurrentFolder(io::Error),
}

impl RootError {
    pub fn hint(&self) -> &'static str {
        match self {
            RootError::Missing(_) | RootError::NotAFolder(_) => {
                "give the folder that holds the site's content/ (or fanzine.toml), or leave --root out to find it from the current folder"
            }
            RootError::NotFound(_) => {
                "run fanzine inside the site's folder (or any folder under it), or name it with --root DIR"
            }
            RootError::NoCurrentFolder(_) => "cd to the site's folder, or name it with --root DIR",
        }
    }
}

/// The site root: `given` (`--root`) if it is an existing folder, else the nearest site from the current folder
/// upwards. A found root is relative (`.`, `..`, `../..`), so that messages name files as the author sees them.
pub fn find(given: Option<&Path>) -> Result<PathBuf, RootError> {
    if let Some(root) = given {
        return match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => Ok(root.to_path_buf()),
            Ok(_) => Err(RootError::NotAFolder(root.to_path_buf())),
            Err(_) => Err(RootError::Missing(root.to_path_buf())),
        };
    }
    let here = std::env::current_dir().map_err(RootError::NoCurrentFolder)?;
    let up = discover(&here).ok_or(RootError::NotFound(here))?;
    Ok(if up == 0 { PathBuf::from(".") } else { (0..up).map(|_| "..").collect() })
}

/// How many folders up from `start` the nearest site is, if there is one.
pub fn discover(start: &Path) -> Option<usize> {
    start.ancestors().position(is_site)
}

/// Whether `dir` is a site's root folder.
pub fn is_site(dir: &Path) -> bool {
    CONFIG_FILES.iter().any(|f| dir.join(f).is_file()) || dir.join("content").is_dir()
}

/// Why an output folder is refused: a command-line problem (exit code 2).
#[derive(Debug)]
pub enum OutputError {
    /// The output is the site's own folder.
    IsRoot,
    /// The output holds the site's folder.
    HoldsRoot,
    /// The output is the source (folder or file) `name`.
    IsSource(&'static str),
    /// The output is inside the source `name`.
    InsideSource(&'static str),
    /// The output holds the source `name` (a source linked from elsewhere).
    HoldsSource(&'static str),
    /// A link on the way to the output points at nothing.
    DanglingLink { link: PathBuf, to: PathBuf },
    /// The site root itself cannot be resolved.
    Io { path: PathBuf, source: io::Error },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::IsRoot => write!(f, "is the site's own folder, which holds its sources"),
            OutputError::HoldsRoot => write!(f, "holds the site's folder"),
            OutputError::IsSource(name) => write!(f, "is the site's {}", describe(name)),
            OutputError::InsideSource(name) => write!(f, "is inside the site's {}", describe(name)),
            OutputError::HoldsSource(name) => write!(f, "holds the site's {}", describe(name)),
            OutputError::DanglingLink { link, to } => {
                write!(f, "leads through a link that points at nothing ({} -> {})", link.display(), to.display())
            }
            OutputError::Io { path, source } => write!(f, "cannot be checked: {}: {source}", path.display()),
        }
    }
}

impl OutputError {
    pub fn hint(&self) -> String {
        match self {
            OutputError::DanglingLink { .. } => {
                "create the folder the link points to (the site is published there), or fix the link".into()
            }
            OutputError::Io { .. } => "check that the site's folder exists and that you may read it".into(),
            _ => format!(
                "each build replaces the output folder as a whole, so it must be outside the sources ({}/, {CACHE_FOLDER}/, the config file); the default is public",
                SOURCE_FOLDERS.join("/, "),
            ),
        }
    }
}

fn describe(name: &str) -> String {
    if CONFIG_FILES.contains(&name) {
        format!("config file {name}")
    } else if name == CACHE_FOLDER {
        format!("cache folder {name}/")
    } else {
        format!("source folder {name}/")
    }
}

/// Refuses an output folder (`output`, already joined to the root if it was relative) that is, holds or sits
/// inside the root or one of its sources, comparing real paths: symlinks resolved, for the part that exists.
pub fn check_output(root: &Path, output: &Path) -> Result<(), OutputError> {
    let root_real =
        std::fs::canonicalize(root).map_err(|source| OutputError::Io { path: root.to_path_buf(), source })?;
    let out = resolve(output)?;
    if out == root_real {
        return Err(OutputError::IsRoot);
    }
    if root_real.starts_with(&out) {
        return Err(OutputError::HoldsRoot);
    }
    let sources = SOURCE_FOLDERS.iter().chain([&CACHE_FOLDER]).chain(CONFIG_FILES);
    for &name in sources {
        let source = std::fs::canonicalize(root.join(name)).unwrap_or_else(|_| root_real.join(name));
        if out == source {
            return Err(OutputError::IsSource(name));
        }
        if out.starts_with(&source) {
            return Err(OutputError::InsideSource(name));
        }
        if source.starts_with(&out) {
            return Err(OutputError::HoldsSource(name));
        }
    }
    Ok(())
}

/// The real path `path` names: its longest existing part with symlinks resolved, then the rest as written (`..`
/// taken lexically, as the folders it would climb out of do not exist yet). A link that points at nothing is an
/// error, as a build would otherwise replace the link by a folder.
pub fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    let parts: Vec<Component> = path.components().collect();
    for known in (0..=parts.len()).rev() {
        let prefix: PathBuf = if known == 0 { PathBuf::from(".") } else { parts[..known].iter().collect() };
        let real = match std::fs::canonicalize(&prefix) {
            Ok(real) => real,
            Err(_) => {
                if let Ok(to) = std::fs::read_link(&prefix) {
                    return Err(OutputError::DanglingLink { link: prefix, to });
                }
                continue;
            }
        };
        let mut full = real;
        for part in &parts[known..] {
            match part {
                Component::ParentDir => {
                    full.pop();
                }
                Component::Normal(name) => full.push(name),
                _ => {}
            }
        }
        return Ok(full);
    }
    Err(OutputError::Io { path: path.to_path_buf(), source: io::ErrorKind::NotFound.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/content/posts")).unwrap();
        std::fs::write(dir.path().join("site/fanzine.toml"), "").unwrap();
        dir
    }

    #[test]
    fn the_nearest_site_upwards_is_found() {
        let dir = site();
        let site = dir.path().join("site");
        assert_eq!(discover(&site), Some(0));
        assert_eq!(discover(&site.join("content")), Some(1), "content/ itself holds no content/");
        assert_eq!(discover(&site.join("content/posts")), Some(2));
        let bare = dir.path().join("bare");
        std::fs::create_dir_all(bare.join("content")).unwrap();
        assert_eq!(discover(&bare), Some(0), "a folder with only content/ is a site");
        assert!(!is_site(dir.path()));
    }

    #[test]
    fn a_given_root_must_be_a_folder_and_is_never_made() {
        let dir = site();
        let missing = dir.path().join("nowhere");
        assert!(matches!(find(Some(&missing)), Err(RootError::Missing(_))));
        assert!(!missing.exists());
        let file = dir.path().join("site/fanzine.toml");
        assert!(matches!(find(Some(&file)), Err(RootError::NotAFolder(_))));
        assert_eq!(find(Some(&dir.path().join("site"))).unwrap(), dir.path().join("site"));
    }

    #[test]
    fn outputs_that_overlap_the_sources_are_refused() {
        let dir = site();
        let root = dir.path().join("site");
        let refused = |o: &str| check_output(&root, &root.join(o)).err().map(|e| e.to_string());
        assert_eq!(refused("content").as_deref(), Some("is the site's source folder content/"));
        assert_eq!(refused("content/sub/x").as_deref(), Some("is inside the site's source folder content/"));
        assert_eq!(refused("static").as_deref(), Some("is the site's source folder static/"), "even if missing");
        assert_eq!(refused(".").as_deref(), Some("is the site's own folder, which holds its sources"));
        assert_eq!(refused("..").as_deref(), Some("holds the site's folder"));
        assert_eq!(refused("new/../content").as_deref(), Some("is the site's source folder content/"));
        assert_eq!(refused("fanzine.toml").as_deref(), Some("is the site's config file fanzine.toml"));
        assert_eq!(refused(".fanzine-cache").as_deref(), Some("is the site's cache folder .fanzine-cache/"));
        assert_eq!(refused("public"), None);
        assert_eq!(refused("../elsewhere"), None);
        assert_eq!(refused("contents"), None, "compared by whole names");
        // A link cannot hide the overlap.
        std::os::unix::fs::symlink(root.join("content"), dir.path().join("alias")).unwrap();
        assert!(matches!(check_output(&root, &dir.path().join("alias/x")), Err(OutputError::InsideSource("content"))));
        std::os::unix::fs::symlink(dir.path().join("gone"), root.join("public")).unwrap();
        assert!(matches!(check_output(&root, &root.join("public")), Err(OutputError::DanglingLink { .. })));
    }
}
