//! Zola's content model against the `sections` fixture: sections and their lists, pagination, feeds and redirects;
//! standalone (undated) pages; `path`; transparent, draft and unrendered sections.
use crate::fixture::Site;

/// The `href`s of the elements `selector` picks in the built page at `relative`.
fn links(site: &Site, relative: &str, selector: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(&site.read(relative));
    let selector = scraper::Selector::parse(selector).unwrap();
    page.select(&selector).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()
}

/// The entry links of the Atom feed at `relative`, parsed.
fn entries(site: &Site, relative: &str) -> Vec<String> {
    let feed = feed_rs::parser::parse(site.read(relative).as_bytes()).unwrap();
    feed.entries.iter().map(|e| e.links[0].href.clone()).collect()
}

fn built() -> Site {
    let site = Site::fixture("sections");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn a_section_lists_its_pages_sorted_and_paginated() {
    let site = built();
    let first = links(&site, "public/blog/index.html", ".post-list a");
    // The transparent, unrendered blog/2020/ lends its page; `path` gave that page its URL.
    assert_eq!(first, ["https://example.org/fixed/url/", "https://example.org/blog/post-3/"]);
    let second = links(&site, "public/blog/page/2/index.html", ".post-list a");
    assert_eq!(second, ["https://example.org/blog/post-2/", "https://example.org/blog/post-1/"]);
    assert!(!site.path("public/blog/2020").exists(), "render = false makes no page");
    let redirect = site.read("public/blog/page/1/index.html");
    assert!(redirect.contains("url=https://example.org/blog/"), "page 1 sends readers to the section, as in Zola");
    let docs = links(&site, "public/docs/index.html", ".post-list a");
    assert_eq!(docs, ["https://example.org/docs/first/", "https://example.org/docs/second/"], "sort_by weight");
}

#[test]
fn sections_nest_and_the_home_page_is_the_root_section() {
    let site = built();
    let home = site.read("public/index.html");
    assert!(home.contains("id=\"welcome-home\""), "the root _index.md's body");
    let sections = links(&site, "public/index.html", ".sections a");
    assert_eq!(sections, ["https://example.org/blog/", "https://example.org/docs/"], "draft sections are left out");
    let subsections = links(&site, "public/docs/index.html", ".sections a");
    assert_eq!(subsections, ["https://example.org/docs/guide/"]);
    assert!(site.read("public/docs/guide/index.html").contains("url=https://example.org/docs/first/"), "redirect_to");
    assert!(site.read("public/weblog/index.html").contains("url=https://example.org/blog/"), "a section's alias");
}

#[test]
fn undated_pages_stand_alone() {
    let site = built();
    assert!(site.read("public/about/index.html").contains("<h1>About</h1>"));
    let home = site.read("public/index.html");
    assert!(home.contains("<p>A summary &amp; more</p>"), "`summary` from front matter, escaped");
    let home = links(&site, "public/index.html", "article.summary h2 a");
    assert_eq!(home, ["https://example.org/dated-by-name/"], "dated by its file name; About is not listed");
    assert!(!entries(&site, "public/atom.xml").contains(&"https://example.org/about/".to_string()));
    assert!(!site.read("public/archive/index.html").contains("/about/"));
}

#[test]
fn each_section_has_its_feed() {
    let site = built();
    let blog = entries(&site, "public/blog/atom.xml");
    assert_eq!(blog.len(), 4, "{blog:?}");
    assert_eq!(blog[0], "https://example.org/fixed/url/", "newest first");
    assert!(entries(&site, "public/atom.xml").contains(&"https://example.org/blog/post-1/".to_string()));
    assert!(!site.path("public/docs/atom.xml").exists(), "no dated page, no feed");
}

#[test]
fn draft_sections_hide_their_pages_unless_asked_for() {
    let site = built();
    assert!(!site.path("public/notes").exists());
    site.build(&["--drafts"]);
    assert!(site.path("public/notes/index.html").is_file());
    assert!(site.path("public/notes/hidden/index.html").is_file());
}

/// A section's text (its `_index.md`) is link-checked as a post's is, at the `_index.md`'s line, with the same
/// levels; the error itself is a case of the bad-input table (`section-text-broken-link`).
#[test]
fn a_broken_link_in_a_sections_text_is_a_warning_at_the_warn_level() {
    let site = Site::empty();
    site.write("fanzine.toml", "[link_checker]\ninternal_level = \"warn\"\n");
    site.write("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n\nSee [about](/about/).\n");
    site.write("content/blog/first.md", "+++\ntitle = \"First\"\ndate = 2020-01-01\n+++\n\nText.\n");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("content/blog/_index.md:5:5: warning: broken link to /about/: no such page"),
        "{}",
        run.stderr
    );
    assert!(site.path("public/blog/index.html").exists());
}

#[test]
fn a_good_link_in_a_sections_text_passes() {
    let site = Site::empty();
    site.write(
        "content/blog/_index.md",
        "+++\ntitle = \"Blog\"\n+++\n\nSee [first](@/blog/first.md#hi) and [it](first/).\n",
    );
    site.write("content/blog/first.md", "+++\ntitle = \"First\"\ndate = 2020-01-01\n+++\n\n## Hi\n");
    let run = site.build(&[]);
    assert!(!run.stderr.contains("broken"), "{}", run.stderr);
}
