//! The bad-input table: one folder per case under `tests/fixtures/errors/`, holding a site and the exact
//! `expected.stderr` and `expected.code` of `fanzine build` on it. Adding a case is adding a folder; run with
//! `FANZINE_BLESS=1` to write the expected files of a new case, then read them before committing.
use crate::fixture::{Site, stable};
use std::path::Path;

#[test]
fn every_bad_input_gets_its_exact_message() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors");
    let bless = std::env::var_os("FANZINE_BLESS").is_some();
    let mut failures = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&cases).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() >= 20, "the table lost cases");
    for name in names {
        let name = name.to_string_lossy().into_owned();
        let site = Site::fixture(&format!("errors/{name}"));
        // A case may give its own arguments (one per line) in `args`; by default it is a plain `build`.
        let args = std::fs::read_to_string(cases.join(&name).join("args")).unwrap_or_else(|_| "build".into());
        let args: Vec<&str> = args.lines().filter(|l| !l.is_empty()).collect();
        let run = site.run(&args);
        let stderr = stable(&run.stderr, &site);
        let (stderr_file, code_file) =
            (cases.join(&name).join("expected.stderr"), cases.join(&name).join("expected.code"));
        if bless {
            std::fs::write(&stderr_file, format!("{stderr}\n")).unwrap();
            std::fs::write(&code_file, format!("{}\n", run.code)).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&stderr_file).unwrap_or_default();
        let code: i32 = std::fs::read_to_string(&code_file).map(|c| c.trim().parse().unwrap()).unwrap_or(-99);
        if expected.trim_end() != stderr.trim_end() || code != run.code {
            failures.push(format!(
                "--- {name}: expected code {code}, got {}\n--- expected stderr:\n{expected}\n--- actual stderr:\n{stderr}\n",
                run.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_failed_build_leaves_public_byte_identical() {
    let site = Site::fixture("features");
    site.build(&[]);
    let before = site.tree("public");
    site.write("content/yaml-post.md", "---\ntitle: [broken\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/yaml-post.md:"), "{}", run.stderr);
    assert_eq!(before, site.tree("public"));
    assert_eq!(site.write_leftovers(), Vec::<String>::new());
}

#[test]
fn check_reports_every_error_without_writing() {
    let site = Site::fixture("errors/broken-anchor");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/a.md:6:5: error: broken anchor #sectoin"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean #section?"), "{}", run.stderr);
    assert!(run.stderr.contains("content/a.md:6:26: error: broken anchor #nope"), "{}", run.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn error_messages_snapshot() {
    let site = Site::fixture("errors/every-error-at-once");
    let run = site.run(&["build"]);
    insta::assert_snapshot!(stable(&run.stderr, &site));
}
