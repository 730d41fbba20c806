//! Zola's file searching logic, kept inside the site.
//!
//! A path given to `load_data` or `get_hash` is looked for as Zola looks for it: `@/x` is `content/x`, a leading
//! `/` is dropped, then the first of `x`, `static/x` and `content/x` that exists under the site's root is taken.
//! Zola also looks in the output folder and in the theme's `static/`: fanzine does neither, since the output folder
//! holds the last build (reading it would make a build depend on the one before) and fanzine has no themes.
//!
//! Nothing outside the site is read: a path with `..` or a root is refused before any lookup, and a file reached
//! through a symbolic link must lie inside the site's folder, as `crate::symlinks` rules for content (unless the
//! config says `follow_external_links = true`). Files are bounded in size, so a template cannot pull a disk image
//! into memory.
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest file a template may read: far more than any data file, far less than memory holds.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read; `Missing` is the one `required=false` forgives.
pub enum Problem {
    Missing(String),
    Refused(String, String),
}

impl Problem {
    pub fn into_error(self) -> tera::Error {
        match self {
            Problem::Missing(message) => super::fail(
                message,
                "paths are relative to the site's folder (then static/, then content/); `@/` starts in content/",
            ),
            Problem::Refused(message, hint) => super::fail(message, hint),
        }
    }
}

/// Finds `path` under `root` and reads it whole.
pub fn read(root: &Path, path: &str, follow_external: bool, function: &str) -> Result<(PathBuf, Vec<u8>), Problem> {
    let relative = relative(path).ok_or_else(|| {
        Problem::Refused(
            format!("{function}() refuses path=\"{path}\", which leads outside the site"),
            "name a file inside the site's folder, without `..`".to_string(),
        )
    })?;
    let candidates = [PathBuf::new(), PathBuf::from("static"), PathBuf::from("content")].map(|d| d.join(&relative));
    let Some(found) = candidates.iter().find(|c| root.join(c).is_file()) else {
        let tried: Vec<String> = candidates.iter().map(|c| crate::content::slashed(c)).collect();
        return Err(Problem::Missing(format!(
            "{function}() found no file for path=\"{path}\" (looked for {})",
            tried.join(", ")
        )));
    };
    let full = root.join(found);
    let shown = crate::content::slashed(found);
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let real = std::fs::canonicalize(&full)
        .map_err(|e| Problem::Missing(format!("{function}() cannot read {shown} ({e})")))?;
    if !follow_external && !real.starts_with(&real_root) {
        return Err(Problem::Refused(
            format!("{function}() refuses {shown}, a link that leads outside the site (to {})", real.display()),
            format!(
                "copy the file into the site, or set `{}` = true in the config to read files from outside it",
                crate::symlinks::OPT_IN_KEY
            ),
        ));
    }
    let refused =
        |why: String| Problem::Refused(why, "data files must be readable and smaller than 16 MiB".to_string());
    let file = std::fs::File::open(&real).map_err(|e| refused(format!("{function}() cannot read {shown} ({e})")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refused(format!("{function}() cannot read {shown} ({e})")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refused(format!("{function}() refuses {shown}, which is larger than {MAX_FILE_BYTES} bytes")));
    }
    Ok((found.clone(), bytes))
}

/// `path` as Zola reads it, relative to the root: `None` if it would leave the site.
fn relative(path: &str) -> Option<PathBuf> {
    let path = match path.strip_prefix("@/") {
        Some(rest) => format!("content/{}", rest.trim_start_matches('/')),
        None => path.trim_start_matches('/').to_string(),
    };
    let mut out = PathBuf::new();
    for component in Path::new(&path).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    // The cache is fanzine's own, rewritten by builds.
    let first = out.components().next()?;
    (first.as_os_str() != crate::site_root::CACHE_FOLDER).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_as_zola_reads_them_and_never_leave_the_site() {
        assert_eq!(relative("@/blog/a.md"), Some(PathBuf::from("content/blog/a.md")));
        assert_eq!(relative("@//blog/a.md"), Some(PathBuf::from("content/blog/a.md")));
        assert_eq!(relative("/static/x.js"), Some(PathBuf::from("static/x.js")));
        assert_eq!(relative("./data/x.json"), Some(PathBuf::from("data/x.json")));
        assert_eq!(relative("data/../../x"), None);
        assert_eq!(relative("@/../config.toml"), None);
        assert_eq!(relative(".fanzine-cache/pack"), None);
        assert_eq!(relative(""), None);
    }

    #[test]
    fn a_file_is_found_in_the_root_then_static_then_content() {
        let dir = tempfile::tempdir().unwrap();
        let write = |p: &str, t: &str| {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        write("static/a.txt", "static");
        write("content/a.txt", "content");
        write("content/b.txt", "b");
        let text = |p: &str| String::from_utf8(read(dir.path(), p, false, "f").ok().unwrap().1).unwrap();
        assert_eq!(text("a.txt"), "static");
        assert_eq!(text("b.txt"), "b");
        write("a.txt", "root");
        assert_eq!(text("a.txt"), "root");
        assert!(matches!(read(dir.path(), "nope.txt", false, "f"), Err(Problem::Missing(_))));
    }

    #[test]
    fn links_out_of_the_site_and_huge_files_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link")).unwrap();
        assert!(matches!(read(dir.path(), "link", false, "f"), Err(Problem::Refused(..))));
        assert!(read(dir.path(), "link", true, "f").is_ok(), "the config's opt-in applies here too");
        let big = std::fs::File::create(dir.path().join("big")).unwrap();
        big.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(read(dir.path(), "big", false, "f"), Err(Problem::Refused(..))));
    }
}
