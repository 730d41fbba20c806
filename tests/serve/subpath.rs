//! A site deployed under a path (`base_url = "https://example.com/blog"`) is previewed under the same path, so
//! that a link works in the preview exactly when it works in production.
use crate::support::SiteDir;

fn under_blog() -> SiteDir {
    let site = SiteDir::new();
    site.write("fanzine.toml", "title = \"Test site\"\nbase_url = \"https://example.com/blog\"\n");
    site
}

#[test]
fn the_site_is_served_under_its_base_urls_path() {
    let site = under_blog();
    let running = site.start();
    let origin = format!("http://{}", running.addr());
    assert_eq!(running.server.url(), format!("{origin}/blog"));
    let home = running.get("/blog/");
    assert_eq!(home.status, 200);
    // Links rewritten to the preview keep the path.
    assert!(home.body.contains(&format!("href=\"{origin}/blog/posts/alpha/\"")), "{}", home.body);
    let post = running.get("/blog/posts/alpha/");
    assert_eq!(post.status, 200);
    assert!(post.body.contains("The first post."), "{}", post.body);
    let asset = running.get("/blog/extra.css");
    assert_eq!((asset.status, asset.body.as_str()), (200, "body { color: black; }\n"));
    let folder = running.get("/blog/posts/alpha");
    assert_eq!((folder.status, folder.location.as_deref()), (302, Some("alpha/")));
}

#[test]
fn the_root_redirects_into_the_site_and_anything_else_outside_it_is_not_found() {
    let site = under_blog();
    let running = site.start();
    let root = running.get("/");
    assert_eq!((root.status, root.location.as_deref()), (302, Some("blog/")));
    let bare = running.get("/blog");
    assert_eq!((bare.status, bare.location.as_deref()), (302, Some("blog/")));
    for outside in ["/posts/alpha/", "/extra.css", "/blogger/"] {
        let page = running.get(outside);
        assert_eq!(page.status, 404, "{outside}");
        assert!(page.body.contains("This site lives under <a href=\"/blog/\">/blog/</a>"), "{}", page.body);
    }
    let missing = running.get("/blog/nope/");
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("This site lives under"), "inside the site, the site's own 404 page");
}

#[test]
fn a_site_at_the_root_is_served_at_the_root() {
    let site = SiteDir::new();
    let running = site.start();
    assert_eq!(running.get("/").status, 200);
    assert_eq!(running.get("/posts/alpha/").status, 200);
    assert_eq!(running.server.url(), format!("http://{}", running.addr()));
}
