//! A fixture site copied into a temporary folder, and a way to run `fanzine` on it.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Site {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
}

impl Site {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Site {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&source, dir.path());
        Site { dir }
    }

    /// An empty site (no content, no config) to which files are added by hand.
    pub fn empty() -> Site {
        Site { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_fanzine")).args(args).current_dir(self.dir.path()).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        }
    }

    /// `fanzine build`, which must succeed.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Builds the fixture `name` and compares each `index.html` it made with the one Zola 0.21 made from the same
    /// site (`tests/fixtures/<name>/expected/`, recorded with `zola build`); returns how many were compared.
    pub fn build_as_zola_did(name: &str) -> usize {
        let site = Site::fixture(name);
        site.build(&[]);
        let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).join("expected");
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(&expected).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_name() != "index.html" {
                continue;
            }
            let relative = entry.path().strip_prefix(&expected).unwrap().to_string_lossy().replace('\\', "/");
            let zola = std::fs::read_to_string(entry.path()).unwrap();
            assert_eq!(site.read(&format!("public/{relative}")), zola, "{relative} differs from Zola's");
            compared += 1;
        }
        compared
    }

    /// What builds left behind that nobody will use: a published folder moved aside, a half-written cache pack.
    /// There must never be any once the last build ended. (The spare beside `public/`, the previous site kept for
    /// the next build to update, is expected.)
    pub fn write_leftovers(&self) -> Vec<String> {
        let names = |dir: &Path| -> Vec<String> {
            std::fs::read_dir(dir)
                .map(|entries| entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
                .unwrap_or_default()
        };
        let beside = names(self.dir.path()).into_iter().filter(|n| n.ends_with(".old"));
        let cache = names(&self.path(".fanzine-cache")).into_iter().filter(|n| n.ends_with(".tmp"));
        beside.chain(cache).collect()
    }

    /// Every file under `relative` with its bytes, for comparing whole trees.
    pub fn tree(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(relative);
        walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }
}

/// The temp folder's path replaced by `$SITE`, so messages can be snapshotted.
pub fn stable(text: &str, site: &Site) -> String {
    text.replace(&site.dir.path().display().to_string(), "$SITE")
        .lines()
        .filter(|l| !l.starts_with("built "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
