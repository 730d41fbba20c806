//! Series and related posts, against the `essays` fixture: three parts of a series (one placed by
//! `[extra] series_order`, the others by date) and posts sharing tags in ways that need every tie-break.
use crate::fixture::Site;
use scraper::{Html, Selector};

fn built() -> Site {
    let site = Site::fixture("essays");
    site.build(&[]);
    site
}

fn texts(site: &Site, file: &str, selector: &str) -> Vec<String> {
    let page = Html::parse_document(&site.read(file));
    let selector = Selector::parse(selector).unwrap();
    page.select(&selector).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn hrefs(site: &Site, file: &str, selector: &str) -> Vec<String> {
    let page = Html::parse_document(&site.read(file));
    let selector = Selector::parse(selector).unwrap();
    page.select(&selector).filter_map(|a| a.value().attr("href")).map(str::to_string).collect()
}

#[test]
fn each_part_says_where_it_is_and_links_to_the_others_in_order() {
    let site = built();
    // B has series_order = 1; A and C have none and follow by date, oldest first.
    assert_eq!(texts(&site, "public/a/index.html", ".series > p"), ["Part 2 of 3: Long Essays"]);
    assert_eq!(texts(&site, "public/b/index.html", ".series > p"), ["Part 1 of 3: Long Essays"]);
    assert_eq!(texts(&site, "public/c/index.html", ".series > p"), ["Part 3 of 3: Long Essays"]);
    assert_eq!(texts(&site, "public/a/index.html", ".series li"), ["Part B", "Part A", "Part C"]);
    assert_eq!(texts(&site, "public/a/index.html", ".series [aria-current=page]"), ["Part A"], "itself, unlinked");
    assert_eq!(hrefs(&site, "public/a/index.html", ".series > p a"), ["https://example.org/series/long-essays/"]);
    let steps = hrefs(&site, "public/a/index.html", ".series-steps a");
    assert_eq!(steps, ["https://example.org/b/", "https://example.org/c/"], "previous and next part");
    assert_eq!(texts(&site, "public/b/index.html", ".series-steps a"), ["Part 2Part A"], "the first has no previous");
    assert!(texts(&site, "public/d/index.html", ".series").is_empty(), "a post of no series shows none");
}

#[test]
fn the_series_page_lists_the_parts_in_reading_order_and_has_a_feed() {
    let site = built();
    let parts = hrefs(&site, "public/series/long-essays/index.html", ".series-parts a");
    assert_eq!(parts, ["https://example.org/b/", "https://example.org/a/", "https://example.org/c/"]);
    assert_eq!(
        texts(&site, "public/series/long-essays/index.html", ".series-parts li > span"),
        ["Part 1", "Part 2", "Part 3"]
    );
    assert_eq!(hrefs(&site, "public/series/index.html", ".tag-index a"), ["https://example.org/series/long-essays/"]);
    let feed = feed_rs::parser::parse(site.read("public/series/long-essays/atom.xml").as_bytes()).unwrap();
    let entries: Vec<&str> = feed.entries.iter().map(|e| e.links[0].href.as_str()).collect();
    assert_eq!(entries, ["https://example.org/b/", "https://example.org/c/", "https://example.org/a/"], "newest first");
}

#[test]
fn related_posts_are_ranked_by_shared_tags_and_series_then_newer_then_path() {
    let site = built();
    let related = |post: &str| texts(&site, &format!("public/{post}/index.html"), ".related a");
    // Gee shares two tags; Eee, Eff and Eye one each: the newer two win, Eee before Eff by path (same date). The
    // draft and the undated About page share both tags but are never offered.
    assert_eq!(related("d"), ["Gee", "Eee", "Eff"]);
    assert_eq!(related("e"), ["Eff", "Eye", "Dee"]);
    // Parts of a series share it (worth two tags) and a tag: a tie, the newer first.
    assert_eq!(related("a"), ["Part B", "Part C"]);
    assert!(related("about").len() == 3, "a standalone page may show related posts");
    assert!(!site.read("public/d/index.html").contains("Draft"));
}

#[test]
fn related_posts_follow_the_config_count_and_zero_turns_them_off() {
    let site = Site::fixture("essays");
    site.write("fanzine.toml", "title = \"Essays\"\nbase_url = \"https://example.org\"\nrelated_posts = 1\n");
    site.build(&[]);
    assert_eq!(texts(&site, "public/d/index.html", ".related a"), ["Gee"]);
    site.write("fanzine.toml", "title = \"Essays\"\nbase_url = \"https://example.org\"\nrelated_posts = 0\n");
    site.build(&[]);
    assert!(!site.read("public/d/index.html").contains("class=\"related\""));
}

/// A site that declares `series` as a taxonomy, Zola's way, gets the same series from `[taxonomies] series`, its
/// order included, with the taxonomy's own settings (here, no feed).
#[test]
fn a_declared_series_taxonomy_is_ordered_too() {
    let site = Site::empty();
    site.write("fanzine.toml", "base_url = \"https://example.org\"\ntaxonomies = [{ name = \"series\" }]\n");
    let part = |name: &str, date: &str, order: &str| {
        let text = format!(
            "+++\ntitle = \"{name}\"\ndate = {date}\n[taxonomies]\nseries = [\"Saga\"]\n[extra]\n{order}+++\nText.\n"
        );
        site.write(&format!("content/{name}.md"), &text);
    };
    part("one", "2021-01-01", "series_order = 2\n");
    part("two", "2020-01-01", "series_order = 1\n");
    site.build(&[]);
    assert_eq!(texts(&site, "public/one/index.html", ".series > p"), ["Part 2 of 2: Saga"]);
    let parts = hrefs(&site, "public/series/saga/index.html", ".series-parts a");
    assert_eq!(parts, ["https://example.org/two/", "https://example.org/one/"]);
    assert!(!site.path("public/series/saga/atom.xml").exists(), "the declared taxonomy has no feed");
}
