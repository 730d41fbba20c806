//! Zola's `config.toml` read as the site's config, and the `[markdown]` options applied in built pages.
use crate::fixture::Site;

const POST: &str = "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\n\
    Say \"hi\" -- now :smile: [out](https://example.com) [in](/a/)[^n].\n\n[^n]: The note.\n\n```rust\nfn main() {}\n```\n";

fn site_with(config_file: &str, config: &str) -> Site {
    let site = Site::empty();
    site.write(config_file, config).write("content/a.md", POST);
    site
}

#[test]
fn a_zola_config_gives_the_site_its_title_url_and_zola_defaults() {
    let site = site_with("config.toml", "base_url = \"https://z.example/blog\"\ntitle = \"Zed\"\ntheme = \"t\"\n");
    let run = site.build(&[]);
    assert_eq!(
        run.stderr.lines().next(),
        Some("config.toml:3:1: warning: `theme` is not supported by fanzine; it is ignored"),
        "{}",
        run.stderr
    );
    assert!(site.read("public/index.html").contains("<title>Zed"));
    assert!(site.read("public/sitemap.xml").contains("<loc>https://z.example/blog/a/</loc>"));
    assert!(!site.path("public/atom.xml").exists(), "Zola makes no feed unless generate_feeds = true");
    let page = site.read("public/a/index.html");
    assert!(page.contains("Say \"hi\" -- now :smile:"), "no smart punctuation nor emoji by default: {page}");
    assert!(page.contains("<div class=\"footnote-definition\" id=\"n\">"), "footnotes where defined: {page}");
    assert!(!page.contains("class=\"hl-"), "no highlighting unless highlight_code = true");
}

#[test]
fn zola_toml_is_read_too_and_fanzine_toml_wins_over_both() {
    let site = site_with("zola.toml", "base_url = \"https://z.example\"\ntitle = \"From zola.toml\"\n");
    site.build(&[]);
    assert!(site.read("public/index.html").contains("<title>From zola.toml"));
    site.write("fanzine.toml", "title = \"Mine\"\n");
    let run = site.build(&[]);
    assert!(site.read("public/index.html").contains("<title>Mine"));
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn markdown_options_of_a_zola_config_reach_the_html() {
    let config = "base_url = \"https://z.example\"\ngenerate_feeds = true\nfeed_filenames = [\"feed.xml\"]\n\
                  [markdown]\nsmart_punctuation = true\nrender_emoji = true\nexternal_links_target_blank = true\n\
                  external_links_no_follow = true\nexternal_links_no_referrer = true\nexternal_links_class = \"ext\"\n\
                  bottom_footnotes = true\nhighlight_code = true\nhighlight_theme = \"solarized-dark\"\n";
    let site = site_with("config.toml", config);
    let run = site.build(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.read("public/a/index.html");
    assert!(page.contains("Say “hi” – now 😄"), "{page}");
    let external =
        "<a class=\"ext\" rel=\"noopener nofollow noreferrer\" target=\"_blank\" href=\"https://example.com\">";
    assert!(page.contains(external), "{page}");
    assert!(page.contains("<a href=\"/a/\">in</a>"), "internal links keep no attributes: {page}");
    assert!(page.contains("class=\"footnote-backref\""), "{page}");
    assert!(!page.contains("sidenote"), "Zola has no sidenotes: {page}");
    assert!(site.read("public/feed.xml").contains("<feed"), "the feed under Zola's file name");
    assert!(page.contains("class=\"hl-"), "highlight_code = true: {page}");
    let css = fanzine::highlight::stylesheet("Solarized (dark)", "Solarized (dark)").unwrap();
    assert_eq!(site.read("public/highlight.css"), css, "Zola's one theme, for both schemes");
}

#[test]
fn fanzine_toml_keeps_fanzines_markdown_defaults_and_takes_the_same_keys() {
    let site = site_with("fanzine.toml", "title = \"F\"\n");
    site.build(&[]);
    let page = site.read("public/a/index.html");
    assert!(page.contains("Say “hi” – now :smile:"), "smart punctuation on, emoji off: {page}");
    assert!(page.contains("<section class=\"footnotes all-beside\""), "footnotes at the bottom: {page}");
    assert!(page.contains("<span class=\"sidenote\" aria-hidden=\"true\" hidden>"), "and beside (issue 15): {page}");
    assert!(page.contains("<a href=\"https://example.com\">out</a>"), "{page}");
    site.write(
        "fanzine.toml",
        "[markdown]\nsmart_punctuation = false\nbottom_footnotes = false\nexternal_links_no_follow = true\n",
    );
    site.build(&[]);
    let page = site.read("public/a/index.html");
    assert!(page.contains("Say \"hi\" -- now"), "{page}");
    assert!(page.contains("<a rel=\"nofollow\" href=\"https://example.com\">out</a>"), "{page}");
    assert!(page.contains("<div class=\"footnote-definition\" id=\"n\">"), "{page}");
}

/// The configs of the two real Zola sites in `../shared/corpora` (copied as fixtures): they read with no error, and
/// warn about exactly the keys fanzine does not support.
#[test]
fn the_real_zola_configs_build_with_warnings_only_for_unsupported_keys() {
    let expected: [(&str, &[&str]); 2] = [
        ("zola-docs.toml", &["build_search_index", "search", "highlight theme \"kronuz\""]),
        (
            "zola-test-site.toml",
            &["theme", "ignored_content", "highlight theme \"custom_gruvbox\"", "markdown.extra_syntaxes_and_themes"],
        ),
    ];
    for (name, warned) in expected {
        let config =
            std::fs::read_to_string(format!("{}/tests/fixtures/zola-configs/{name}", env!("CARGO_MANIFEST_DIR")));
        let site = site_with("config.toml", &config.unwrap());
        let run = site.build(&[]);
        let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
        assert!(!run.stderr.contains("error:"), "{name}: {}", run.stderr);
        assert_eq!(warnings.len(), warned.len(), "{name}: {}", run.stderr);
        for key in warned {
            let named = |w: &&str| w.contains(&format!("`{key}`")) || w.contains(key);
            assert!(warnings.iter().any(named), "{name}: no warning for {key}:\n{}", run.stderr);
        }
        assert!(warnings.iter().all(|w| w.starts_with("config.toml:")), "located: {}", run.stderr);
    }
}
