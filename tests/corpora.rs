//! The two real Zola sites of `../shared/corpora` (Zola's documentation and Zola's test site, v0.21.0), built by
//! the real `fanzine` binary and measured against the shape Zola 0.21 gave them by `../shared/conformance`'s
//! `site-shape.py`.
//!
//! The sites are not ours and stay outside the repository, so these tests are `#[ignore]`d in a plain `cargo test`
//! and run by `scripts/test` with `--ignored` whenever `../shared` is there (it says loudly when it is not). Set
//! `FANZINE_SHARED` to run them from elsewhere.
use std::path::{Path, PathBuf};
use std::process::Command;
use walkdir::WalkDir;

fn shared() -> PathBuf {
    let dir = std::env::var_os("FANZINE_SHARED")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"), PathBuf::from);
    assert!(dir.join("corpora").is_dir(), "{} has no corpora/: set FANZINE_SHARED", dir.display());
    dir
}

/// A copy of the corpus `name` without its templates (its own and its theme's), but for their shortcodes, which
/// the content calls: what the content model alone must get right, rendered through fanzine's built-in theme.
fn content_only(name: &str) -> tempfile::TempDir {
    let from = shared().join("corpora").join(name);
    let to = tempfile::tempdir().unwrap();
    for entry in WalkDir::new(&from).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&from).unwrap();
        let parts: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
        let templates = match parts.first().map(|p| p.as_ref()) {
            Some("templates") => parts.get(1),
            Some("themes") if parts.get(2).is_some_and(|p| p == "templates") => parts.get(3),
            _ => None,
        };
        if templates.is_some_and(|inside| inside != "shortcodes") {
            continue;
        }
        let target = to.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    to
}

fn build(site: &Path) -> (bool, String) {
    let built = Command::new(env!("CARGO_BIN_EXE_fanzine")).arg("build").current_dir(site).output().unwrap();
    (built.status.success(), String::from_utf8_lossy(&built.stderr).into_owned())
}

/// Builds `site` with zero errors, then runs `site-shape.py MODE` on its output against the shape Zola 0.21 gave
/// the corpus `name`, which exits 0 only when nothing Zola made is missing. Returns the report.
fn measured(site: &Path, name: &str, mode: &str, base_url: &str) -> String {
    let (built, stderr) = build(site);
    assert!(built, "{name} did not build:\n{stderr}");
    assert!(!stderr.contains(": error:"), "{name} built with errors:\n{stderr}");
    let shape = shared().join("corpora").join(name).join("zola-0.21-shape.json");
    let measured = Command::new("python3")
        .arg(shared().join("conformance/site-shape.py"))
        .args([mode.as_ref(), shape.as_os_str(), site.join("public").as_os_str(), base_url.as_ref()])
        .output()
        .expect("python3 runs site-shape.py");
    let report = String::from_utf8_lossy(&measured.stdout).into_owned();
    println!("{report}");
    assert!(measured.status.success(), "{name} differs from Zola 0.21's shape:\n{report}");
    report
}

/// A copy without templates, built, then `site-shape.py content`: every page at Zola's path with Zola's heading ids.
fn content_shape(name: &str, base_url: &str) -> String {
    let site = content_only(name);
    measured(site.path(), name, "content", base_url)
}

/// Zola's documentation without its templates (but for its shortcodes, which resize images on one page).
#[test]
#[ignore = "needs ../shared (FANZINE_SHARED); scripts/test runs it"]
fn zola_docs_content_is_where_zola_puts_it() {
    let report = content_shape("zola-docs", "https://www.getzola.org/");
    assert!(report.contains("content shape: 166/166 pages at the same path, 1193/1193 heading ids"), "{report}");
}

/// A copy of the corpus `name` as it is.
fn unchanged(name: &str) -> tempfile::TempDir {
    let from = shared().join("corpora").join(name);
    let to = tempfile::tempdir().unwrap();
    for entry in WalkDir::new(&from).sort_by_file_name() {
        let entry = entry.unwrap();
        let target = to.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    to
}

/// Builds the corpus `name` as it is (its config, templates, theme, shortcodes, Sass and images) with zero errors,
/// then asks `site-shape.py compare`, which exits 0 only when every page Zola made is at the same path with every
/// id and internal link Zola gave it. Returns its report.
fn compare_unchanged(name: &str, base_url: &str) -> (tempfile::TempDir, String) {
    let site = unchanged(name);
    let report = measured(site.path(), name, "compare", base_url);
    (site, report)
}

/// Zola's documentation unchanged: every page, id and internal link as Zola 0.21 made them, and Zola's files and
/// no others, its processed images under Zola's names (and not the leftovers of its `static/processed_images/`).
#[test]
#[ignore = "needs ../shared (FANZINE_SHARED); scripts/test runs it"]
fn zola_docs_builds_unchanged_with_zolas_pages_ids_and_links() {
    let (site, report) = compare_unchanged("zola-docs", "https://www.getzola.org/");
    let whole = "shape: 166/166 pages at the same path, 1340/1340 ids, 2842/2842 internal links, 0 other files missing, \
                 0 extra files";
    assert!(report.lines().any(|l| l.starts_with(whole)), "{report}");
    let processed = std::fs::read_dir(site.path().join("public/processed_images")).unwrap().count();
    assert_eq!(processed, 16, "the 16 images of the image-processing page");
}

/// Zola's test site unchanged (its theme, Sass, extra syntaxes, `ignored_content`): Zola's files and no others.
#[test]
#[ignore = "needs ../shared (FANZINE_SHARED); scripts/test runs it"]
fn zola_test_site_builds_unchanged_with_zolas_pages_ids_and_links() {
    let (_site, report) = compare_unchanged("zola-test-site", "https://replace-this-with-your-url.com");
    let whole =
        "shape: 70/70 pages at the same path, 2/2 ids, 5/5 internal links, 0 other files missing, 0 extra files";
    assert!(report.lines().any(|l| l.starts_with(whole)), "{report}");
}

#[test]
#[ignore = "needs ../shared (FANZINE_SHARED); scripts/test runs it"]
fn zola_test_site_content_is_where_zola_puts_it() {
    let report = content_shape("zola-test-site", "https://replace-this-with-your-url.com");
    assert!(report.contains("content shape: 70/70 pages at the same path, 4/4 heading ids"), "{report}");
}
