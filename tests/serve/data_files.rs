//! Files that templates read (`load_data`, `get_hash`) are sources too: saving one re-renders the pages that read
//! it, whether it sits in `data/` or in `static/`.
use crate::support::{SiteDir, version};

const TEMPLATE: &str = "{% set d = load_data(path=\"data/motto.json\") %}<p class=\"motto\">{{ d.motto }}</p>\
    <p class=\"hash\">{{ get_hash(path=\"app.js\", sha_type=256, base64=false) }}</p>";

#[test]
fn saving_a_data_file_rerenders_the_pages_that_read_it() {
    let site = SiteDir::new();
    site.write("data/motto.json", "{\"motto\": \"first\"}");
    site.write("static/app.js", "one");
    site.write("templates/post.html", TEMPLATE);
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    let page = running.get("/posts/alpha/").body;
    assert!(page.contains("<p class=\"motto\">first</p>"), "{page}");
    let hash = |body: &str| body.split("<p class=\"hash\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let first_hash = hash(&page);

    site.write("data/motto.json", "{\"motto\": \"second\"}");
    let event = events.newer_than(version(&first));
    let page = running.get("/posts/alpha/").body;
    assert!(page.contains("<p class=\"motto\">second</p>"), "{page}");
    assert!(running.log().contains("data/motto.json changed"), "{}", running.log());

    // A static file edited in place is usually only served anew; here a template hashes it, so pages change.
    site.write("static/app.js", "two");
    events.newer_than(version(&event));
    let page = running.get("/posts/alpha/").body;
    assert_ne!(hash(&page), first_hash, "{page}");
    assert_eq!(running.get("/app.js").body, "two");
}
