//! Issue 18: nothing escapes the output folder and nothing is lost. The output may never be a source, a symlinked
//! output stays a link, the site is found upwards from the current folder, and `new` stays inside content/.
use crate::fixture::{Run, Site};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Every entry under `dir`, hidden ones and links included: a file's bytes, a link's target, a folder as such.
fn everything(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let what = if e.path_is_symlink() {
                format!("link to {}", std::fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "folder".to_string()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
            };
            (rel, what)
        })
        .collect()
}

/// `fanzine` run from `relative` inside the site.
fn run_in(site: &Site, relative: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_fanzine")).args(args).current_dir(site.path(relative)).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

#[test]
fn an_output_folder_that_is_or_holds_or_sits_in_a_source_is_refused_and_nothing_moves() {
    let site = Site::fixture("features");
    site.build(&[]);
    let parent = site.dir.path().parent().unwrap().to_path_buf();
    let beside: Vec<_> = std::fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name()).collect();
    let before = everything(site.dir.path());
    for output in ["content", "static", ".", "..", "content/sub", "templates", "fanzine.toml", ".fanzine-cache"] {
        // Twice: the second run of `-o content` is the one that used to delete the posts.
        for _ in 0..2 {
            let run = site.run(&["build", "-o", output]);
            assert_eq!(run.code, 2, "-o {output}: {}", run.stderr);
            assert!(run.stderr.starts_with(&format!("error: --output-dir {output} ")), "{}", run.stderr);
            assert!(run.stderr.contains("= help: "), "{}", run.stderr);
        }
        assert_eq!(before, everything(site.dir.path()), "-o {output} changed the site (or left .spare/.lock)");
    }
    let after: Vec<_> = std::fs::read_dir(&parent).unwrap().map(|e| e.unwrap().file_name()).collect();
    let name = site.dir.path().file_name().unwrap().to_string_lossy().into_owned();
    let new: Vec<_> = after.iter().filter(|n| !beside.contains(n) && n.to_string_lossy().contains(&name)).collect();
    assert!(new.is_empty(), "left beside the site: {new:?}");
}

#[test]
fn a_symlinked_output_stays_a_link_and_the_site_is_published_at_its_target() {
    let site = Site::fixture("features");
    let www = tempfile::tempdir().unwrap();
    std::fs::create_dir(www.path().join("blog")).unwrap();
    std::fs::write(www.path().join("unrelated.txt"), "not the site's").unwrap();
    std::os::unix::fs::symlink(www.path().join("blog"), site.path("public")).unwrap();
    let sources = |site: &Site| {
        let mut all = everything(site.dir.path());
        all.retain(|path, _| !path.starts_with(".fanzine-cache"));
        all
    };
    let before = sources(&site);
    site.build(&[]);
    site.write("content/zz-new.md", "+++\ntitle = \"Brand new\"\ndate = 2020-01-03\n+++\n\nNew.\n");
    let before_second = sources(&site);
    site.build(&[]);
    assert!(std::fs::symlink_metadata(site.path("public")).unwrap().is_symlink(), "still a link");
    assert_eq!(std::fs::read_link(site.path("public")).unwrap(), www.path().join("blog"));
    let archive = std::fs::read_to_string(www.path().join("blog/archive/index.html")).unwrap();
    assert!(archive.contains("Brand new"), "the target holds the new site");
    assert_eq!(std::fs::read_to_string(www.path().join("unrelated.txt")).unwrap(), "not the site's");
    let mut names: Vec<String> =
        std::fs::read_dir(www.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [".blog.lock", ".blog.record", ".blog.spare", "blog", "unrelated.txt"]);
    assert_eq!(before.len() + 1, before_second.len());
    assert_eq!(before_second, sources(&site), "nothing was written into the site's folder");
}

#[test]
fn the_site_is_found_upwards_and_a_relative_output_is_relative_to_it() {
    let site = Site::fixture("features");
    let run = run_in(&site, "content", &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("public/index.html").is_file());
    assert!(!site.path("content/public").exists(), "no longer a site of nothing inside content/");
    let run = run_in(&site, "content/notes/trip", &["build", "-o", "dist"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("dist/index.html").is_file(), "-o is relative to the site, not the current folder");
    assert_eq!(run_in(&site, "content/notes", &["check"]).code, 0);
    let run = run_in(&site, "content/notes", &["new", "Found upwards", "--section", "notes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("content/notes/found-upwards.md").is_file(), "{}", run.stdout);
    let run = run_in(&site, "content", &["build", "-o", "content"]);
    assert_eq!(run.code, 2, "-o is the site's content/, even from inside it");
}

#[test]
fn a_folder_with_only_content_is_found_from_inside_it() {
    let site = Site::empty();
    site.write("content/posts/hello.md", "+++\ntitle = \"Hello\"\ndate = 2024-01-01\n+++\n\nHi.\n");
    let run = run_in(&site, "content/posts", &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("public/posts/hello/index.html").is_file());
}

#[test]
fn a_missing_root_is_refused_by_every_command_and_never_made() {
    let site = Site::fixture("features");
    for args in [
        &["build", "--root", "nowhere"][..],
        &["check", "--root", "nowhere"],
        &["serve", "--root", "nowhere", "--port", "0"],
        &["new", "Title", "--root", "nowhere"],
        &["build", "--root", "fanzine.toml"],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: --root "), "{}", run.stderr);
    }
    assert!(!site.path("nowhere").exists());
}

#[test]
fn no_site_is_an_error_that_names_where_it_looked() {
    let site = Site::empty();
    std::fs::create_dir(site.path("empty")).unwrap();
    for command in ["build", "check"] {
        let run = run_in(&site, "empty", &[command]);
        assert_eq!(run.code, 2);
        let real = std::fs::canonicalize(site.path("empty")).unwrap();
        assert!(run.stderr.contains(&format!("no site found in {}", real.display())), "{}", run.stderr);
    }
    assert_eq!(everything(site.dir.path()).len(), 1, "nothing made: {:?}", everything(site.dir.path()));
}

#[test]
fn new_refuses_sections_that_leave_content() {
    let site = Site::fixture("features");
    let before = everything(site.dir.path());
    for section in ["../../X", "../X", "notes/../../X", "/tmp/X", "a//b", "", "a\nb", "./x"] {
        let run = site.run(&["new", "Escape", "--section", section]);
        assert_eq!(run.code, 2, "{section:?}: {}", run.stderr);
        assert!(run.stderr.contains("is not a folder under content/"), "{}", run.stderr);
    }
    assert_eq!(before, everything(site.dir.path()));
    assert!(!site.dir.path().parent().unwrap().join("X").exists());
    let run = site.run(&["new", "Deep", "--section", "notes/2024/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("content/notes/2024/deep.md").is_file());
}
