//! One rule for symbolic links among the sources (`content/` and `static/`), for the build and the preview alike.
//!
//! A link whose real target lies inside the site's folder is followed, as if the file were there: a post shared by
//! two sections, a bundle kept under another name. A link that leads outside the site is an error that names
//! where it leads, unless `fanzine.toml` says `follow_external_links = true`: a site travels between machines as a
//! checkout, and a link out of it would publish whatever that path holds on the machine that builds
//! (`static/passwd -> /etc/passwd`), or silently drop a post where the path is missing. Nothing is skipped
//! without a word.
use crate::config::{CONFIG_FILE, Config};
use crate::content::slashed;
use crate::error::{Diagnostic, Location};
use std::path::{Path, PathBuf};

/// The config key that lets links lead outside the site.
pub const OPT_IN_KEY: &str = "follow_external_links";

/// The rule, for one site: where the site really is, and whether the author opted in to links out of it.
#[derive(Debug, Clone)]
pub struct Links {
    /// The root as the walks see it, for naming files in messages.
    root: PathBuf,
    /// The root with symlinks resolved, which real targets are compared with.
    real_root: PathBuf,
    follow_external: bool,
}

impl Links {
    pub fn new(root: &Path, follow_external: bool) -> Links {
        let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        Links { root: root.to_path_buf(), real_root, follow_external }
    }

    /// Checks `path`, which a walk found to be a link (and which resolves): `Err` with a located diagnostic if the
    /// rule refuses to follow it.
    pub fn check(&self, path: &Path) -> Result<(), Diagnostic> {
        let Ok(real) = std::fs::canonicalize(path) else { return Err(self.dangling(path)) };
        if self.follow_external || real.starts_with(&self.real_root) {
            return Ok(());
        }
        Err(Diagnostic::error(
            Some(self.location(path)),
            format!("this link leads outside the site (to {})", real.display()),
        )
        .with_hint(format!(
            "copy what it points to into the site, or set `{OPT_IN_KEY} = true` in {CONFIG_FILE} to publish files from outside it"
        )))
    }

    /// A link that points at nothing (or at itself, through a loop).
    pub fn dangling(&self, path: &Path) -> Diagnostic {
        let to = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_else(|_| "?".into());
        Diagnostic::error(Some(self.location(path)), format!("this link leads nowhere (to {to})"))
            .with_hint("fix the link, or remove it")
    }

    /// A link to a folder that holds it: following it would never end.
    pub fn looped(&self, path: &Path, ancestor: &Path) -> Diagnostic {
        let to = slashed(ancestor.strip_prefix(&self.root).unwrap_or(ancestor));
        Diagnostic::error(Some(self.location(path)), format!("this link makes a loop (to {to}, which holds it)"))
            .with_hint("fix the link, or remove it")
    }

    fn location(&self, path: &Path) -> Location {
        Location::file(slashed(path.strip_prefix(&self.root).unwrap_or(path)))
    }
}

/// Whether the site at `root` opts in to links out of it, as its config says now: for the preview, which serves
/// files copied by a build and checks them again when they are asked for. An unreadable config says no.
pub fn opted_in(root: &Path) -> bool {
    Config::read(root).is_ok_and(|(c, _)| c.follow_external_links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_links_outside_refused_unless_opted_in() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("site"), dir.path().join("outside.txt"));
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(&outside, "x").unwrap();
        std::fs::write(root.join("inside.txt"), "x").unwrap();
        symlink(&outside, root.join("static/out")).unwrap();
        symlink("../inside.txt", root.join("static/in")).unwrap();
        symlink("../nothing", root.join("static/dangling")).unwrap();
        let links = Links::new(&root, false);
        assert!(links.check(&root.join("static/in")).is_ok());
        let refused = links.check(&root.join("static/out")).unwrap_err();
        assert_eq!(refused.location, Some(Location::file("static/out")));
        let real = std::fs::canonicalize(&outside).unwrap();
        assert_eq!(refused.message, format!("this link leads outside the site (to {})", real.display()));
        assert!(Links::new(&root, true).check(&root.join("static/out")).is_ok());
        let dangling = links.check(&root.join("static/dangling")).unwrap_err();
        assert_eq!(dangling.message, "this link leads nowhere (to ../nothing)");
    }

    #[test]
    fn the_opt_in_is_read_from_the_config() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!opted_in(dir.path()));
        std::fs::write(dir.path().join(CONFIG_FILE), "follow_external_links = true\n").unwrap();
        assert!(opted_in(dir.path()));
    }
}
