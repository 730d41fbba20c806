//! A Zola site in two languages (`[languages.fr]`, `first.fr.md`, `_index.fr.md`): URLs under `/fr/`, `lang`,
//! `translations`, `backlinks`, each language's sections and `config`, checked against what Zola 0.21 rendered
//! from the same site (`tests/fixtures/zola-languages/expected/`, recorded with `zola build`).
use crate::fixture::Site;

#[test]
fn zola_languages_render_what_zola_0_21_rendered() {
    // Each language's home page and blog, first, about; second has no French version.
    assert_eq!(Site::build_as_zola_did("zola-languages"), 9);
}

#[test]
fn a_translation_is_listed_by_its_own_languages_sections_and_feed_only() {
    let site = Site::fixture("zola-languages");
    site.write(
        "config.toml",
        &site.read("config.toml").replace("title = \"Tiny\"", "title = \"Tiny\"\ngenerate_feeds = true"),
    );
    site.build(&[]);
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<title>First</title>") && !feed.contains("Premier"), "{feed}");
    let sitemap = site.read("public/sitemap.xml");
    for url in ["https://example.com/fr/blog/first/", "https://example.com/fr/", "https://example.com/blog/first/"] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} missing from the sitemap:\n{sitemap}");
    }
}

#[test]
fn a_language_without_an_index_has_an_implied_home_page_under_its_code() {
    let site = Site::fixture("zola-languages");
    std::fs::remove_file(site.path("content/_index.fr.md")).unwrap();
    site.build(&[]);
    let home = site.read("public/fr/index.html");
    assert!(home.starts_with("title= lang=fr lang_var=fr path=/fr/"), "{home}");
    assert!(home.contains("pages=A propos(fr),"), "{home}");
}

#[test]
fn a_pages_backlinks_follow_an_edit_of_the_linking_page() {
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    assert!(site.read("public/about/index.html").contains("backlinks=\n"));
    site.write("content/blog/second.md", "+++\ntitle = \"Second\"\ndate = 2020-02-01\n+++\nSee [about](@/about.md).\n");
    site.build(&[]);
    let about = site.read("public/about/index.html");
    assert!(about.contains("backlinks=[https://example.com/blog/second/ Second]\n"), "{about}");
    let first = site.read("public/blog/first/index.html");
    assert!(
        first.contains("backlinks=[https://example.com/ Home][https://example.com/fr/blog/first/ Premier]\n"),
        "{first}"
    );
}
