//! Ids are unique in the whole page a post is shown on, the theme's own included (issue 18: `## Main` took the id
//! of `<main id="main">`, `## fn-1` that of the first footnote).
use crate::fixture::Site;
use std::collections::BTreeMap;

/// Each id of the page with how often it appears.
fn ids(html: &str) -> BTreeMap<String, usize> {
    let page = scraper::Html::parse_document(html);
    let mut counts = BTreeMap::new();
    for element in page.select(&scraper::Selector::parse("[id]").unwrap()) {
        *counts.entry(element.value().id().unwrap_or_default().to_string()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn headings_never_share_an_id_with_the_theme_or_the_footnotes() {
    let site = Site::empty();
    let body = "## Main\n\nText[^1], again[^1] and[^1-2].\n\n## fn-1\n\n## fnref-1 {#fnref-1-2}\n\n## Main\n\n\
                [^1]: One.\n[^1-2]: Two.\n";
    site.write("content/post.md", &format!("+++\ntitle = \"Ids\"\ndate = 2020-01-01\n+++\n\n{body}"));
    site.build(&[]);
    let html = site.read("public/post/index.html");
    let ids = ids(&html);
    let repeated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "repeated ids {repeated:?} in\n{html}");
    for id in ["main", "main-1", "main-2", "fn-1", "fn-1-1", "fn-1-2", "fnref-1", "fnref-1-2", "fnref-1-2-1"] {
        assert!(ids.contains_key(id), "no id {id} in {ids:?}");
    }
    assert!(html.contains("<main id=\"main\">"), "{html}");
    assert!(html.contains("<h2 id=\"main-1\">Main"), "{html}");
    assert!(html.contains("<h2 id=\"fn-1-1\">fn-1"), "{html}");
}

#[test]
fn twenty_thousand_identical_headings_build_with_numbered_ids() {
    let site = Site::empty();
    let body = "## h\n\nText.\n\n".repeat(20_000);
    site.write("content/many.md", &format!("+++\ntitle = \"Many\"\ndate = 2020-01-01\n+++\n\n{body}"));
    site.build(&[]);
    let html = site.read("public/many/index.html");
    assert!(html.contains("<h2 id=\"h\">h"));
    assert!(html.contains("<h2 id=\"h-1\">h"));
    assert!(html.contains("<h2 id=\"h-19999\">h"));
    assert!(ids(&html).values().all(|n| *n == 1));
}

/// `[slugify]` reaches every place a slug is made, in one whole build: post URLs, tag URLs, heading ids; and a
/// changed setting is not served stale from the Markdown cache.
#[test]
fn slugify_settings_make_urls_tags_and_ids_as_zola_does() {
    let site = Site::empty();
    let post = "+++\ntitle = \"Ü\"\ndate = 2020-01-01\ntags = [\"Rust Lang\"]\n+++\n\n## What's in 1.39.0 stable\n";
    site.write("content/Ünïcode Post.md", post);
    site.build(&[]);
    let html = site.read("public/unicode-post/index.html");
    assert!(html.contains("<h2 id=\"what-s-in-1-39-0-stable\">"), "{html}");
    assert!(site.path("public/tags/rust-lang/index.html").exists());

    site.write("fanzine.toml", "[slugify]\npaths = \"safe\"\ntaxonomies = \"safe\"\nanchors = \"safe\"\n");
    site.build(&[]);
    let html = site.read("public/Ünïcode Post/index.html");
    assert!(html.contains("<h2 id=\"What’s_in_1.39.0_stable\">"), "{html}");
    assert!(site.path("public/tags/Rust Lang/index.html").exists());
}
