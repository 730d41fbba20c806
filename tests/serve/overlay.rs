//! The error overlay over HTTP: what a page carries while the build fails, before and after a good build, with and
//! without `--editor-url`.
use crate::support::{SiteDir, post};

/// A post whose date cannot be read: the build fails with an error at line 3.
const BROKEN: &str = "+++\ntitle = \"Alpha\"\ndate = \"2017-13-01\"\n+++\n\nBroken.\n";

#[test]
fn a_first_build_that_failed_says_nothing_was_built_yet() {
    let site = SiteDir::new();
    site.write("content/posts/alpha.md", BROKEN);
    let running = site.start();
    let page = running.get("/posts/beta/");
    assert_eq!(page.status, 404, "nothing is served before a good build");
    assert!(page.body.contains("<title>Nothing built yet</title>"), "{}", page.body);
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
    assert!(page.body.contains(">Build failed: nothing built yet</strong>"), "{}", page.body);
    let rendered = &page.body[..page.body.find("<script").unwrap()];
    assert!(!rendered.contains("last good build"), "{rendered}");
    assert!(page.body.contains("<code style=\"all:initial!important"), "{}", page.body);
    assert!(page.body.contains(">content/posts/alpha.md:3:"), "{}", page.body);
    assert!(!page.body.contains("<a href=\"vscode"), "no links without --editor-url: {}", page.body);

    // The event stream agrees, for the script's copy; a good save then serves the site.
    let mut events = running.events();
    let first = events.next();
    assert_eq!(first["built"], false);
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "Fixed."));
    let fixed = events.until("a good build", |e| e["built"] == true);
    assert!(fixed["errors"].as_array().unwrap().is_empty());
    assert_eq!(running.get("/posts/beta/").status, 200);
}

#[test]
fn with_an_editor_template_each_location_is_a_link_to_the_file() {
    let site = SiteDir::new();
    let running = site.start_with_editor("vscode://file{path}:{line}:{column}");
    let mut events = running.events();
    events.next();
    site.write("content/posts/alpha.md", BROKEN);
    let broken = events.until("errors", |e| !e["errors"].as_array().unwrap().is_empty());
    let root = std::fs::canonicalize(site.root()).unwrap();
    let link = broken["errors"][0]["link"].as_str().unwrap().to_string();
    assert!(link.starts_with(&format!("vscode://file{}/content/posts/alpha.md:3:", root.display())), "{link}");
    assert_eq!(broken["built"], true);

    let page = running.get("/posts/alpha/");
    assert!(page.body.contains(&format!("<a href=\"{link}\"")), "{}", page.body);
    assert!(page.body.contains(">Build failed: showing the last good build</strong>"), "{}", page.body);
}
