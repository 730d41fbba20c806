//! Taxonomies declared in the config, against the `taxonomies` fixture: a list page per taxonomy, a page per term,
//! a feed per term when the taxonomy asks for one, and tags left as they were.
use crate::fixture::Site;

fn links(site: &Site, relative: &str, selector: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(&site.read(relative));
    let selector = scraper::Selector::parse(selector).unwrap();
    page.select(&selector).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()
}

fn built() -> Site {
    let site = Site::fixture("taxonomies");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn each_taxonomy_lists_its_terms_and_each_term_its_pages() {
    let site = built();
    let terms = links(&site, "public/categories/index.html", ".tag-index a");
    assert_eq!(terms, ["https://example.org/categories/rust-lang/", "https://example.org/categories/web/"]);
    let rust = links(&site, "public/categories/rust-lang/index.html", ".post-list a");
    assert_eq!(rust, ["https://example.org/two/", "https://example.org/one/"], "one term for both spellings");
    let authors = links(&site, "public/podcast-authors/index.html", ".tag-index a");
    assert_eq!(authors, ["https://example.org/podcast-authors/jo/"], "the taxonomy's name is slugified");
    assert!(site.path("public/tags/t/index.html").exists(), "tags stay as they were");
}

#[test]
fn a_taxonomy_with_feed_has_a_feed_per_term_and_one_without_has_none() {
    let site = built();
    let feed = feed_rs::parser::parse(site.read("public/categories/rust-lang/atom.xml").as_bytes()).unwrap();
    let entries: Vec<&str> = feed.entries.iter().map(|e| e.links[0].href.as_str()).collect();
    assert_eq!(entries, ["https://example.org/two/", "https://example.org/one/"]);
    assert!(!site.path("public/atom.xml").exists(), "the site's feed is off, the taxonomy's is its own");
    assert!(!site.path("public/podcast-authors/jo/atom.xml").exists());
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("https://example.org/podcast-authors/jo/"), "term pages are in the sitemap");
}
