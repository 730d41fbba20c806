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

/// The `taxonomy-pages` fixture is a Zola site whose `tags` and `authors` have `paginate_by`;
/// `zola-0.21-files.txt` lists what Zola 0.21 made of them (its own templates, same content and config).
fn paginated() -> Site {
    let site = Site::fixture("taxonomy-pages");
    site.build(&[]);
    site
}

#[test]
fn term_pages_paginate_at_zolas_urls() {
    let site = paginated();
    let zola = site.read("zola-0.21-files.txt");
    let zola: Vec<&str> = zola.lines().collect();
    let ours: Vec<String> = ["authors", "tags"]
        .iter()
        .flat_map(|t| site.tree(&format!("public/{t}")).into_keys().map(move |f| format!("{t}/{f}")))
        .filter(|f| f.ends_with("index.html"))
        .collect();
    assert_eq!(ours, zola);
}

#[test]
fn a_term_page_shows_its_slice_and_links_its_neighbours() {
    let site = paginated();
    let first = links(&site, "public/tags/rust/index.html", ".post-list a");
    assert_eq!(first, ["https://example.com/blog/post3/", "https://example.com/blog/post2/"]);
    let second = links(&site, "public/tags/rust/page/2/index.html", ".post-list a");
    assert_eq!(second, ["https://example.com/blog/post1/"]);
    assert_eq!(links(&site, "public/tags/rust/index.html", ".pagination a"), ["https://example.com/tags/rust/page/2/"]);
    assert_eq!(links(&site, "public/tags/rust/page/2/index.html", ".pagination a"), ["https://example.com/tags/rust/"]);
    let carl = links(&site, "public/authors/carl/p/2/index.html", ".post-list a");
    assert_eq!(carl, ["https://example.com/blog/post2/"], "paginate_path is the taxonomy's own");
    let redirect = site.read("public/authors/carl/p/1/index.html");
    assert!(redirect.contains("url=https://example.com/authors/carl/\""), "{redirect}");
}

#[test]
fn a_zola_site_takes_authors_terms_from_taxonomies_only() {
    let site = paginated();
    // Every post has a top-level `authors`; Zola 0.21 lists only those under `[taxonomies]`.
    let terms = links(&site, "public/authors/index.html", ".tag-index a");
    assert_eq!(terms, ["https://example.com/authors/carl/"]);
}

#[test]
fn a_fanzine_site_takes_top_level_authors_into_a_declared_authors_taxonomy() {
    let site = paginated();
    std::fs::remove_file(site.path("config.toml")).unwrap();
    site.write("fanzine.toml", "base_url = \"https://example.com\"\ntaxonomies = [{ name = \"authors\" }]\n");
    site.build(&[]);
    let terms = links(&site, "public/authors/index.html", ".tag-index a");
    let expected = ["ann", "bob", "carl", "dee"].map(|t| format!("https://example.com/authors/{t}/"));
    assert_eq!(terms, expected);
    // Posts 2 and 3 name Carl under `[taxonomies]`, which wins over their top-level Ann and Bob.
    let ann = links(&site, "public/authors/ann/index.html", ".post-list a");
    assert_eq!(ann, ["https://example.com/blog/post1/"]);
    let carl = links(&site, "public/authors/carl/index.html", ".post-list a");
    assert_eq!(carl, ["https://example.com/blog/post3/", "https://example.com/blog/post2/"]);
    assert!(!site.path("public/authors/carl/page/1").exists(), "not paginated without paginate_by");
}
