//! Nothing outside the site is served: every way of spelling "up and out" is refused, and so are symlinks that
//! lead out of the tree (the build refuses them too, see `fanzine::symlinks`, so the preview keeps showing the last
//! good build). A secret file sits beside the site folder to make a leak visible.
use crate::support::{SiteDir, raw_request};

const SECRET: &str = "TOP-SECRET-CONTENT";

fn site_with_a_secret_beside_it() -> SiteDir {
    let site = SiteDir::new();
    std::fs::write(site.dir.path().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(site.dir.path().join("outside")).unwrap();
    std::fs::write(site.dir.path().join("outside/secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(site.path("content/posts/trip")).unwrap();
    std::fs::write(site.path("content/posts/trip/index.md"), crate::support::post("Trip", "2020-04-01", &[], "x"))
        .unwrap();
    site
}

/// Links out of the site, planted once the server shows a good build.
#[cfg(unix)]
fn plant_links(site: &SiteDir) -> usize {
    use std::os::unix::fs::symlink;
    symlink(site.dir.path().join("secret.txt"), site.path("static/leak.txt")).unwrap();
    symlink(site.dir.path().join("outside"), site.path("static/leakdir")).unwrap();
    symlink("/etc/passwd", site.path("static/passwd")).unwrap();
    symlink(site.dir.path().join("secret.txt"), site.path("content/posts/trip/leak.txt")).unwrap();
    4
}

#[cfg(not(unix))]
fn plant_links(_: &SiteDir) -> usize {
    0
}

#[test]
fn path_traversal_attempts_all_fail() {
    let site = site_with_a_secret_beside_it();
    let running = site.start();
    let mut events = running.events();
    let links = plant_links(&site);
    let refused = |e: &serde_json::Value| {
        e["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["message"].as_str().unwrap().contains("outside the site"))
            .count()
    };
    events.until("every link refused", |e| refused(e) == links);
    let attempts = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/posts/../../secret.txt",
        "/posts/alpha/../../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/posts%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/%2Fetc/passwd",
        "/etc/passwd",
        "/proc/self/environ",
        "/%00../secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/static/../../secret.txt",
        "http://localhost/../secret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/passwd",
        "/posts/trip/leak.txt",
    ];
    for target in attempts {
        let (status, answer) = raw_request(running.addr(), target);
        assert!(matches!(status, 400 | 404), "{target}: status {status}");
        assert!(!answer.contains(SECRET) && !answer.contains("root:"), "{target} leaked:\n{answer}");
    }
    // The site itself is still there.
    assert_eq!(raw_request(running.addr(), "/posts/alpha/").0, 200);
    assert_eq!(raw_request(running.addr(), "/posts/trip/").0, 200);
}
