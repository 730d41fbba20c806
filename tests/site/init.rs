//! `fanzine init`: a new site that builds as it is, and no overwriting of anything already there.
use crate::fixture::Site;
use std::process::Command;

#[test]
fn init_makes_a_site_that_builds_from_inside_it() {
    let site = Site::empty();
    let run = site.run(&["init", "blog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "blog/fanzine.toml\nblog/content/hello-world.md\n");
    assert!(site.read("blog/content/hello-world.md").contains("title = \"Hello, world\""));
    assert!(!site.path("blog/templates").exists(), "the theme is built in");
    let build = Command::new(env!("CARGO_BIN_EXE_fanzine")).arg("build").current_dir(site.path("blog")).output();
    let build = build.unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(!String::from_utf8_lossy(&build.stderr).contains("warning"), "a new site builds without warnings");
    assert!(site.read("blog/public/hello-world/index.html").contains("Hello, world"));
    assert!(site.read("blog/public/index.html").contains("<title>My blog"));
}

#[test]
fn init_takes_an_empty_folder_and_refuses_one_that_is_not() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0, "the current folder, empty");
    assert!(site.path("fanzine.toml").is_file());
    let before = site.tree(".");
    let run = site.run(&["init", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next(),
        Some("error: cannot start a site in .: the folder is not empty (it holds \"content\", \"fanzine.toml\")")
    );
    assert_eq!(site.tree("."), before, "nothing was touched");
    site.write("notes.txt", "x");
    let run = site.run(&["init", "notes.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot start a site in notes.txt: it is a file"), "{}", run.stderr);
}
