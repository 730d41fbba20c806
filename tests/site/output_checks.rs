//! The output read back by real parsers: every page as HTML, the feeds as Atom, the sitemap as XML.
use crate::fixture::Site;

fn built(name: &str) -> Site {
    let site = Site::fixture(name);
    site.build(&[]);
    site
}

#[test]
fn every_page_parses_as_html_without_errors() {
    let site = built("features");
    let mut pages = 0;
    for (path, bytes) in site.tree("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        assert!(html.errors.is_empty(), "{path}: {:?}", html.errors);
        pages += 1;
    }
    assert!(pages >= 12, "only {pages} pages");
}

#[test]
fn feeds_parse_as_atom() {
    let site = built("features");
    let feed = feed_rs::parser::parse(site.read("public/atom.xml").as_bytes()).unwrap();
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    let titles: Vec<_> = feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect();
    assert_eq!(titles, ["Trip notes", "A <YAML> post", "Dated by name"]);
    let trip = &feed.entries[0];
    assert_eq!(trip.links[0].href, "https://example.org/blog/2021/trip/");
    assert!(trip.content.as_ref().unwrap().body.as_ref().unwrap().contains("<h2 id=\"day-one\">"));
    assert_eq!(trip.updated.unwrap().to_rfc3339(), "2021-06-08T00:00:00+00:00");
    let tag = feed_rs::parser::parse(site.read("public/tags/travel/atom.xml").as_bytes()).unwrap();
    assert_eq!(tag.entries.len(), 1);
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let site = built("features");
    let xml = site.read("public/sitemap.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut locs = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => locs.push(t.as_ref().to_string()),
            quick_xml::events::Event::End(e) if e.name().as_ref() == "loc" => in_loc = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/blog/")), "{locs:?}");
    assert!(locs.contains(&"https://example.org/blog/2021/trip/".to_string()));
    assert_eq!(locs.len(), 1 + 3 + 2 + 3, "home, posts, archive + tag index, tags");
    assert!(site.read("public/robots.txt").contains("Sitemap: https://example.org/blog/sitemap.xml"));
}

#[test]
fn the_bundled_blog_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_fanzine"))
        // Without the cache, so that the test leaves nothing in the checkout (the output goes to a temporary folder).
        .args(["build", "--no-cache", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(site.path("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    for (path, bytes) in site.tree("public") {
        if path.ends_with(".html") {
            let html = scraper::Html::parse_document(std::str::from_utf8(&bytes).unwrap());
            assert!(html.errors.is_empty(), "{path}: {:?}", html.errors);
        }
    }
    assert!(site.read("public/2017/05/claims-in-the-scheduler/index.html").contains("<code>max_attempts</code>"));
}
