//! A Zola site in two languages (`[languages.fr]`, `first.fr.md`, `_index.fr.md`): URLs under `/fr/`, `lang`,
//! `translations`, `backlinks`, each language's sections and `config`, checked against what Zola 0.21 rendered
//! from the same site (`tests/fixtures/zola-languages/expected/`, recorded with `zola build`), each language's own
//! taxonomies (`[languages.fr] taxonomies`, listed under `/fr/tags/`) included, and a bundle's `index.fr.md`.
//! Beside the pages, `expected/` holds the list of every file Zola wrote (`FILES`), its search indexes, its sitemap
//! and some of its feeds, which fanzine writes with templates of its own, so are compared on what they say.
use crate::fixture::Site;
use std::path::Path;

/// A file Zola 0.21 wrote for the fixture site.
fn zola(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zola-languages/expected").join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

#[test]
fn zola_languages_render_what_zola_0_21_rendered() {
    // Each language's home page (`index.html`, `_index.fr.md` too) and blog, first, post (a bundle), about; second
    // has no French version; each language's tags, with its own terms (`/tags/rust/`, `/fr/tags/rouille/`, and
    // `commun` in both).
    assert_eq!(Site::build_as_zola_did("zola-languages"), 17);
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
    // Rendered with `index.html`, as Zola 0.21 renders it (whose `path` is `fr/`, without its leading slash).
    assert!(home.starts_with("template=index.html\ntitle= lang=fr lang_var=fr path=/fr/"), "{home}");
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
    assert!(rouille.contains("<title>Petit - Rouille</title>"), "{rouille}");
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

#[test]
fn the_build_writes_the_files_zola_0_21_wrote() {
    // Each language's search index; the site's feed names for its terms' feeds and `atom.xml` only for the French
    // terms' (a language has its own `feed_filenames`); the bundle's `index.fr.md` a page, not a file of the bundle,
    // whose files are copied beside each version.
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    let written: Vec<String> = site.tree("public").into_keys().collect();
    assert_eq!(written, zola("FILES").lines().collect::<Vec<_>>());
    assert_eq!(site.read("public/fr/blog/post/notes.txt"), "Notes.\n");
}

#[test]
fn each_languages_search_index_holds_its_own_documents_stemmed_for_it() {
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    for code in ["en", "fr"] {
        let path = format!("search_index.{code}.js");
        let parse = |text: &str| -> serde_json::Value {
            serde_json::from_str(text.strip_prefix("window.searchIndex = ").expect("a script")).unwrap()
        };
        let (ours, theirs) = (parse(&site.read(&format!("public/{path}"))), parse(&zola(&path)));
        // The inverted index differs where elasticlunr-rs 3.0 (Zola's) also indexes the title as body words.
        for key in ["fields", "pipeline", "lang", "ref"] {
            assert_eq!(ours[key], theirs[key], "{path}: {key}");
        }
        assert_eq!(ours["documentStore"], theirs["documentStore"], "{path}: the documents");
    }
    let fr = site.read("public/search_index.fr.js");
    assert!(fr.contains("\"stemmer-fr\"") && !fr.contains("https://example.com/blog/"), "French documents only");
}

#[test]
fn a_languages_feeds_are_in_its_language_and_titled_as_zola_titles_them() {
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    let first = |text: &str, open: &str, close: &str| -> String {
        let start = text.find(open).unwrap_or_else(|| panic!("no {open} in {text}")) + open.len();
        text[start..][..text[start..].find(close).unwrap()].to_string()
    };
    for (path, lang_open, lang_close) in [
        ("fr/tags/rouille/atom.xml", "xml:lang=\"", "\""),
        ("tags/rust/atom.xml", "xml:lang=\"", "\""),
        ("tags/rust/rss.xml", "<language>", "</language>"),
    ] {
        let (ours, theirs) = (site.read(&format!("public/{path}")), zola(path));
        assert_eq!(first(&ours, "<title>", "</title>"), first(&theirs, "<title>", "</title>"), "{path}");
        assert_eq!(first(&ours, lang_open, lang_close), first(&theirs, lang_open, lang_close), "{path}");
    }
    assert!(site.read("public/fr/tags/rouille/atom.xml").contains("<subtitle>Un petit site</subtitle>"));
}

#[test]
fn a_languages_own_feed_filenames_name_its_feeds() {
    // Zola 0.21 wrote `fr/rss.xml` alone, `<language>fr</language>`, for this config.
    let site = Site::fixture("zola-languages");
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &config
            .replace("title = \"Petit\"", "title = \"Petit\"\ngenerate_feeds = true\nfeed_filenames = [\"rss.xml\"]"),
    );
    site.build(&[]);
    let feed = site.read("public/fr/rss.xml");
    assert!(feed.contains("<language>fr</language>") && feed.contains("<title>Petit</title>"), "{feed}");
    assert!(!site.path("public/fr/atom.xml").exists());
    assert!(
        site.path("public/fr/tags/rouille/rss.xml").exists() && !site.path("public/fr/tags/rouille/atom.xml").exists()
    );
}

#[test]
fn the_sitemap_lists_what_zolas_lists_with_its_dates() {
    // Zola gives the home page no `lastmod`, so no translation's date becomes the site's.
    let entries = |text: &str| -> Vec<(String, Option<String>)> {
        let mut entries: Vec<_> = (text.split("<url>").skip(1))
            .map(|url| {
                let field = |name: &str| {
                    let start = url.find(&format!("<{name}>"))? + name.len() + 2;
                    Some(url[start..][..url[start..].find('<')?].to_string())
                };
                (field("loc").unwrap(), field("lastmod"))
            })
            .collect();
        entries.sort();
        entries
    };
    let site = Site::fixture("zola-languages");
    site.build(&[]);
    let ours = entries(&site.read("public/sitemap.xml"));
    assert_eq!(ours, entries(&zola("sitemap.xml")));
    assert!(ours.contains(&("https://example.com/".to_string(), None)), "{ours:?}");
}

#[test]
fn a_draft_translation_of_a_section_hides_it_and_everything_under_it_in_every_language() {
    // Zola 0.21 wrote, for this site: 404.html, blog/index.html (Blog, no pages), fr/index.html, index.html (its
    // subsections: blog/_index.md), robots.txt, sitemap.xml; neither language's pages nor `blog/sub/`.
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.com\"\n\n[languages.fr]\ntitle = \"Petit\"\n")
        .write("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .write("content/blog/_index.fr.md", "+++\ntitle = \"Blogue\"\ndraft = true\n+++\n")
        .write("content/blog/a.md", "+++\ntitle = \"A\"\n+++\n")
        .write("content/blog/a.fr.md", "+++\ntitle = \"A fr\"\n+++\n")
        .write("content/blog/sub/_index.md", "+++\ntitle = \"Sub\"\n+++\n")
        .write("content/blog/sub/b.md", "+++\ntitle = \"B\"\n+++\n")
        .write("templates/section.html", "{{ section.title }}:{% for p in section.pages %}{{ p.title }},{% endfor %}")
        .write("templates/index.html", "{% for s in section.subsections %}{{ s.path }},{% endfor %}")
        .write("templates/page.html", "{{ page.title }}");
    site.build(&[]);
    let written: Vec<String> = site.tree("public").into_keys().collect();
    let zola = ["404.html", "blog/index.html", "fr/index.html", "index.html", "robots.txt", "sitemap.xml"];
    assert_eq!(written, zola);
    assert_eq!(site.read("public/blog/index.html"), "Blog:");
    assert_eq!(site.read("public/index.html"), "/blog/,");
}
