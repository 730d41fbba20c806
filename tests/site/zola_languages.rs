//! A Zola site in two languages (`[languages.fr]`, `first.fr.md`, `_index.fr.md`): URLs under `/fr/`, `lang`,
//! `translations`, `backlinks`, each language's sections and `config`, checked against what Zola 0.21 rendered
//! from the same site (`tests/fixtures/zola-languages/expected/`, recorded with `zola build`), each language's own
//! taxonomies (`[languages.fr] taxonomies`, listed under `/fr/tags/`) included.
use crate::fixture::Site;

#[test]
fn zola_languages_render_what_zola_0_21_rendered() {
    // Each language's home page and blog, first, about; second has no French version; each language's tags, with
    // its own terms (`/tags/rust/`, `/fr/tags/rouille/`, and `commun` in both).
    assert_eq!(Site::build_as_zola_did("zola-languages"), 15);
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

#[test]
fn a_languages_terms_have_their_own_feeds_and_leave_the_default_languages_alone() {
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    let rouille = site.read("public/fr/tags/rouille/atom.xml");
    assert!(rouille.contains("<title>Petit: Rouille</title>"), "{rouille}");
    assert!(rouille.contains("https://example.com/fr/blog/first/") && !rouille.contains("<title>First</title>"));
    let commun = site.read("public/tags/commun/atom.xml");
    assert!(commun.contains("<title>First</title>") && !commun.contains("Premier"), "{commun}");
    assert!(!site.path("public/tags/rouille").exists(), "a French term is not the default language's");
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.com/fr/tags/rouille/</loc>"), "{sitemap}");
}

#[test]
fn a_language_with_generate_feeds_has_its_own_feed_of_its_pages() {
    let site = Site::fixture("zola-languages");
    site.write(
        "config.toml",
        &site.read("config.toml").replace("title = \"Petit\"", "title = \"Petit\"\ngenerate_feeds = true"),
    );
    site.build(&[]);
    let feed = site.read("public/fr/atom.xml");
    assert!(
        feed.contains("<title>Petit</title>") && feed.contains("<id>https://example.com/fr/atom.xml</id>"),
        "{feed}"
    );
    assert!(feed.contains("<title>Premier</title>") && !feed.contains("<title>First</title>"), "{feed}");
    assert!(!site.path("public/atom.xml").exists(), "the default language's feed follows its own generate_feeds");
}
