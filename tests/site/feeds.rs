//! Feeds in each format the config names (Atom, RSS 2.0, JSON Feed), for the site, its tags, sections and taxonomy
//! terms, each read back by a real feed parser (`feed-rs`) and checked entry by entry against the others.
use crate::fixture::Site;
use feed_rs::model::{Feed, FeedType};
use std::collections::BTreeMap;

const NAMES: [&str; 3] = ["atom.xml", "rss.xml", "feed.json"];

/// Every feed the build wrote, by path under `public/`, parsed.
fn parse_feeds(site: &Site) -> BTreeMap<String, Feed> {
    let mut feeds = BTreeMap::new();
    for (path, bytes) in site.tree("public") {
        if NAMES.iter().any(|n| path.ends_with(n)) {
            let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"));
            feeds.insert(path, feed);
        }
    }
    feeds
}

/// (title, link, published) of each entry.
fn entries(feed: &Feed) -> Vec<(String, String, String)> {
    (feed.entries.iter())
        .map(|e| {
            let title = e.title.as_ref().map(|t| t.content.clone()).unwrap_or_default();
            let published = e.published.map(|d| d.to_rfc3339()).unwrap_or_default();
            (title, e.links[0].href.clone(), published)
        })
        .collect()
}

/// The three feeds of one folder agree entry by entry, and each is of its file name's format.
fn agree(feeds: &BTreeMap<String, Feed>, folder: &str) -> Vec<(String, String, String)> {
    let atom = &feeds[&format!("{folder}atom.xml")];
    let rss = &feeds[&format!("{folder}rss.xml")];
    let json = &feeds[&format!("{folder}feed.json")];
    assert_eq!(
        (atom.feed_type.clone(), rss.feed_type.clone(), json.feed_type.clone()),
        (FeedType::Atom, FeedType::RSS2, FeedType::JSON)
    );
    assert_eq!(entries(rss), entries(atom), "{folder}rss.xml");
    assert_eq!(entries(json), entries(atom), "{folder}feed.json");
    entries(atom)
}

#[test]
fn each_feed_file_name_makes_a_feed_of_its_format() {
    let site = Site::fixture("features");
    let config = site.read("fanzine.toml");
    site.write("fanzine.toml", &format!("{config}\n[feed]\nfilenames = [\"atom.xml\", \"rss.xml\", \"feed.json\"]\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feeds = parse_feeds(&site);
    let site_entries = agree(&feeds, "");
    let titles: Vec<&str> = site_entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(titles, ["Trip notes", "A <YAML> post", "Dated by name"]);
    assert_eq!(site_entries[0].1, "https://example.org/blog/2021/trip/");
    assert_eq!(site_entries[2].2, "2020-01-02T00:00:00+00:00");
    assert_eq!(agree(&feeds, "tags/travel/").len(), 1);
    let json = &feeds["feed.json"];
    assert_eq!(json.title.as_ref().unwrap().content, "Fixture & Friends");
    assert!(json.entries[0].content.as_ref().unwrap().body.as_ref().unwrap().contains("<h2 id=\"day-one\">"));
    let rss = &feeds["rss.xml"];
    assert_eq!(rss.entries[0].categories[0].term, "travel");
    assert_eq!(feeds.len(), 3 * (1 + site.tree("public/tags").keys().filter(|p| p.ends_with("/atom.xml")).count()));
}

#[test]
fn sections_and_taxonomy_terms_have_a_feed_per_name() {
    let site = Site::fixture("sections");
    let config = site.read("fanzine.toml");
    site.write("fanzine.toml", &format!("{config}\n[feed]\nfilenames = [\"atom.xml\", \"rss.xml\", \"feed.json\"]\n"));
    assert_eq!(site.build(&[]).code, 0);
    let feeds = parse_feeds(&site);
    let folders: Vec<&str> = feeds.keys().filter_map(|p| p.strip_suffix("atom.xml")).collect();
    assert!(folders.iter().any(|f| f.starts_with("blog/")), "{folders:?}");
    for folder in &folders {
        agree(&feeds, folder);
    }
    assert_eq!(feeds.len(), 3 * folders.len());

    let site = Site::fixture("taxonomies");
    let config = site
        .read("fanzine.toml")
        .replace("[feed]\n", "[feed]\nfilenames = [\"rss.xml\", \"feed.json\", \"atom.xml\"]\n");
    site.write("fanzine.toml", &config);
    assert_eq!(site.build(&[]).code, 0);
    let feeds = parse_feeds(&site);
    let links: Vec<String> = agree(&feeds, "categories/rust-lang/").into_iter().map(|e| e.1).collect();
    assert_eq!(links, ["https://example.org/two/", "https://example.org/one/"]);
    assert!(!site.path("public/rss.xml").exists(), "the site's feeds are off");
}

#[test]
fn a_zola_config_names_its_feeds_and_their_limit() {
    let site = Site::empty();
    site.write(
        "config.toml",
        "base_url = \"https://z.org\"\ntitle = \"Z\"\ngenerate_feeds = true\nfeed_limit = 2\n\
         feed_filenames = [\"rss.xml\", \"atom.xml\"]\n",
    );
    for day in 1..=3 {
        site.write(
            &format!("content/p{day}.md"),
            &format!("+++\ntitle = \"P{day}\"\ndate = 2024-01-0{day}\n+++\nText.\n"),
        );
    }
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rss = feed_rs::parser::parse(site.read("public/rss.xml").as_bytes()).unwrap();
    let atom = feed_rs::parser::parse(site.read("public/atom.xml").as_bytes()).unwrap();
    assert_eq!((&rss.feed_type, &atom.feed_type), (&FeedType::RSS2, &FeedType::Atom));
    assert_eq!(entries(&rss), entries(&atom));
    assert_eq!(rss.entries.len(), 2, "feed_limit");
    assert_eq!(entries(&rss)[0], ("P3".into(), "https://z.org/p3/".into(), "2024-01-03T00:00:00+00:00".into()));
    assert!(!site.path("public/feed.json").exists());
}
