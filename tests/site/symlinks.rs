//! One rule for links in `content/` and `static/`: inside the site they are followed, outside they are an error
//! unless `follow_external_links = true`; never skipped in silence. The preview follows the same rule.
use crate::fixture::Site;
use std::os::unix::fs::symlink;

const POST: &str = "+++\ntitle = \"Linked\"\ndate = 2020-01-05\n+++\n\nA post kept elsewhere in the site.\n";

#[test]
fn links_inside_the_site_are_followed_for_posts_bundles_and_static_files() {
    let site = Site::fixture("features");
    site.write("shelf/linked.md", POST);
    site.write("shelf/album/index.md", "+++\ntitle = \"Album\"\ndate = 2020-01-06\n+++\n\n![a](a.png)\n");
    site.write("shelf/album/a.png", "png");
    site.write("shelf/fonts/serif.woff2", "font");
    symlink("../shelf/linked.md", site.path("content/linked.md")).unwrap();
    symlink("../shelf/album", site.path("content/album")).unwrap();
    symlink("../shelf/fonts", site.path("static/fonts")).unwrap();
    site.build(&[]);
    assert!(site.read("public/2020/linked/index.html").contains("A post kept elsewhere in the site."));
    assert!(site.read("public/2020/album/index.html").contains("Album"));
    assert_eq!(site.read("public/2020/album/a.png"), "png", "a linked bundle brings its assets");
    assert_eq!(site.read("public/fonts/serif.woff2"), "font");
}

#[test]
fn a_link_out_of_the_site_is_an_error_unless_the_author_opts_in() {
    let site = Site::fixture("features");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shared.css"), "shared").unwrap();
    std::fs::write(outside.path().join("post.md"), POST).unwrap();
    symlink(outside.path().join("shared.css"), site.path("static/shared.css")).unwrap();
    symlink(outside.path().join("post.md"), site.path("content/linked.md")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    let real = std::fs::canonicalize(outside.path()).unwrap();
    for file in ["static/shared.css", "content/linked.md"] {
        let name = file.rsplit('/').next().unwrap();
        let line = format!(
            "{file}: error: this link leads outside the site (to {})",
            real.join(if name == "linked.md" { "post.md" } else { name }).display()
        );
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
    assert!(run.stderr.contains("`follow_external_links = true` in fanzine.toml"), "{}", run.stderr);
    assert_eq!(site.run(&["check"]).code, 1, "check follows the same rule");
    assert!(!site.path("public").exists());
    let config = site.read("fanzine.toml");
    site.write("fanzine.toml", &format!("follow_external_links = true\n{config}"));
    site.build(&[]);
    assert_eq!(site.read("public/shared.css"), "shared");
    assert!(site.read("public/2020/linked/index.html").contains("A post kept elsewhere in the site."));
}

#[test]
fn editor_lock_links_are_ignored_but_other_dangling_links_are_reported() {
    let site = Site::fixture("features");
    // Emacs marks a file being edited with a link to nowhere beside it.
    symlink("user@host.1234:1700000000", site.path("content/.#yaml-post.md")).unwrap();
    symlink("user@host.1234:1700000000", site.path("static/.#extra.css")).unwrap();
    site.build(&[]);
    symlink("../gone", site.path("content/notes/gone.md")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/notes/gone.md: error: this link leads nowhere (to ../gone)"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/notes/gone.md")).unwrap();
    symlink("..", site.path("content/notes/again")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    let looped = "content/notes/again: error: this link makes a loop (to content, which holds it)";
    assert!(run.stderr.contains(looped), "{}", run.stderr);
    symlink(".", site.path("static/img/again")).unwrap();
    let run = site.run(&["build"]);
    let looped = "static/img/again: error: this link makes a loop (to static/img, which holds it)";
    assert!(run.stderr.contains(looped), "{}", run.stderr);
}

/// `fanzine serve` on the site, and the URL it serves the site at once the first build is done.
struct Preview {
    child: std::process::Child,
    url: String,
}

impl Preview {
    fn start(site: &Site) -> Preview {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fanzine"))
            .args(["serve", "--port", "0"])
            .current_dir(site.dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("serve ended before it served").unwrap();
            if let Some(at) = line.split(" at ").nth(1).filter(|_| line.starts_with("serving ")) {
                // `http://127.0.0.1:PORT/blog/ (Ctrl-C to stop)`: the fixture's site lives under /blog, and so does
                // its preview.
                break at.split(' ').next().unwrap_or(at).trim_end_matches('/').to_string();
            }
        };
        Preview { child, url }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut response = agent.get(format!("{}{path}", self.url)).call().unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_preview_follows_the_same_rule_as_the_build() {
    let site = Site::fixture("features");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shared.css"), "shared").unwrap();
    site.write("shelf/inside.css", "inside");
    symlink(outside.path().join("shared.css"), site.path("static/shared.css")).unwrap();
    symlink("../shelf/inside.css", site.path("static/inside.css")).unwrap();
    {
        // The same error as the build's, in the preview's overlay; nothing is served from outside.
        let preview = Preview::start(&site);
        let (status, page) = preview.get("/shared.css");
        assert_eq!(status, 404);
        assert!(page.contains(">static/shared.css</code> this link leads outside the site"), "{page}");
    }
    let config = site.read("fanzine.toml");
    site.write("fanzine.toml", &format!("follow_external_links = true\n{config}"));
    let preview = Preview::start(&site);
    assert_eq!(preview.get("/shared.css"), (200, "shared".to_string()), "served, as the build copies it");
    assert_eq!(preview.get("/inside.css"), (200, "inside".to_string()));
}
