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
    let site = site_with("config.toml", "base_url = \"https://z.example/blog\"\ntitle = \"Zed\"\nminify_html = true\n");
    let run = site.build(&[]);
    assert_eq!(
        run.stderr.lines().next(),
        Some("config.toml:3:1: warning: `minify_html` = true is not supported by fanzine; it is ignored"),
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
    let config = "base_url = \"https://z.example\"\ngenerate_feeds = true\nfeed_filenames = [\"rss.xml\"]\n\
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
    assert!(site.read("public/rss.xml").contains("<rss"), "the feed under Zola's file name, in its format");
    // Zola's one theme, its colours written into the code as Zola writes them: no classes, no stylesheet.
    let extras = fanzine::highlight::Extras::default();
    let style = fanzine::highlight::pre_style(extras.theme("Solarized (dark)").unwrap());
    assert!(page.contains(&format!("<pre class=\"code\" data-lang=\"rust\" style=\"{style}\">")), "{page}");
    assert!(page.contains("<span style=\"color:#") && !page.contains("class=\"hl-"), "{page}");
    assert!(!site.path("public/highlight.css").exists());
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
        // build_search_index and [search] are supported (issue 13).
        ("zola-docs.toml", &["highlight theme \"kronuz\""]),
        (
            "zola-test-site.toml",
            &[
                "highlight theme \"custom_gruvbox\"",
                // Its folders are not in this test's copy of the site.
                "no folder \"highlight_themes\"",
                "no folder \"syntaxes\"",
            ],
        ),
    ];
    for (name, warned) in expected {
        let config =
            std::fs::read_to_string(format!("{}/tests/fixtures/zola-configs/{name}", env!("CARGO_MANIFEST_DIR")));
        let site = site_with("config.toml", &config.unwrap());
        // The test site's theme, which the copied config names.
        site.write("themes/sample/theme.toml", "name = \"sample\"\n");
        let run = site.build(&[]);
        let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
        assert!(!run.stderr.contains("error:"), "{name}: {}", run.stderr);
        assert_eq!(warnings.len(), warned.len(), "{name}: {}", run.stderr);
        for key in warned {
            let named = |w: &&str| w.contains(&format!("`{key}`")) || w.contains(key);
            assert!(warnings.iter().any(named), "{name}: no warning for {key}:\n{}", run.stderr);
        }
        assert!(warnings.iter().all(|w| w.starts_with("config.toml:")), "located: {}", run.stderr);
        if name == "zola-docs.toml" {
            // Its `[search] index_format = "elasticlunr_json"`, where Zola writes it.
            assert!(
                site.path("public/search_index.en.json").exists() && site.path("public/elasticlunr.min.js").exists()
            );
        }
    }
}

const THEME: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>name</key><string>Zine</string>
<key>settings</key><array>
<dict><key>settings</key><dict><key>background</key><string>#101010</string><key>foreground</key><string>#EEEEEE</string></dict></dict>
<dict><key>scope</key><string>keyword.zine</string><key>settings</key><dict><key>foreground</key><string>#AB1234</string></dict></dict>
</array></dict></plist>
"#;

const SYNTAX: &str = "%YAML 1.2\n---\nname: Zine\nfile_extensions: [zine]\nscope: source.zine\ncontexts:\n  main:\n    \
                      - match: '\\bzine\\b'\n      scope: keyword.zine\n";

#[test]
fn a_zola_sites_own_syntaxes_and_theme_are_used_and_edits_to_them_rebuild() {
    let config = "base_url = \"https://z.example\"\n[markdown]\nhighlight_code = true\nhighlight_theme = \"zine-dark\"\n\
                  extra_syntaxes_and_themes = [\"syntaxes\"]\n";
    let site = Site::empty();
    site.write("config.toml", config)
        .write("syntaxes/zine.sublime-syntax", SYNTAX)
        .write("syntaxes/themes/zine-dark.tmTheme", THEME)
        .write("content/a.md", "+++\ntitle = \"A\"\n+++\n\n```zine\na zine\n```\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = site.read("public/a/index.html");
    assert!(page.contains("<span style=\"color:#ab1234;\">zine"), "the site's syntax and theme: {page}");
    assert!(page.contains("style=\"background-color:#101010;color:#eeeeee;\""), "{page}");
    // The Markdown is kept in .fanzine-cache: an edited syntax must not be served from it.
    site.write("syntaxes/zine.sublime-syntax", &SYNTAX.replace("keyword.zine", "string.zine"));
    assert_eq!(site.build(&[]).code, 0);
    assert!(!site.read("public/a/index.html").contains("#ab1234"), "no longer a keyword");
    // The linked syntaxes are kept there too; a damaged copy is linked again, never an error.
    let dump = site.path(".fanzine-cache/syntaxes");
    let mut bytes = std::fs::read(&dump).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&dump, bytes).unwrap();
    let run = site.build(&["--output-dir", "again"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(site.read("again/a/index.html"), site.read("public/a/index.html"));
}

/// `ignored_content` and `ignored_static` leave files out as Zola 0.21 did with the same patterns (a site built
/// with it in /tmp); hidden static files are published as in Zola, an editor's lock and backup files are not.
#[test]
fn ignored_files_are_left_out_and_hidden_static_files_kept() {
    let config = "base_url = \"https://z.example\"\nignored_content = [\"*/zz.md\", \"temp.*\", \"**/drafts\"]\n\
                  ignored_static = [\"*.psd\", \"sub/keep.txt\"]\n";
    let site = site_with("config.toml", config);
    for page in ["content/blog/zz.md", "content/temp.md", "content/blog/kept.md", "content/notes/drafts/d.md"] {
        site.write(page, "+++\ntitle = \"T\"\n+++\nText.\n");
    }
    for file in ["a.psd", "sub/b.psd", "sub/keep.txt", "sub/other.txt", ".nojekyll", ".well-known/security.txt"] {
        site.write(&format!("static/{file}"), "x");
    }
    site.write("static/.#lock", "x").write("static/notes.txt~", "x");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("ignored_"), "both keys are supported: {}", run.stderr);
    let published = |path: &str| site.path(&format!("public/{path}")).exists();
    assert!(!published("blog/zz/index.html") && !published("notes/drafts/d/index.html"));
    assert!(published("temp/index.html"), "`temp.*` does not match a path from the site's root, as in Zola");
    assert!(published("blog/kept/index.html"));
    for gone in ["a.psd", "sub/b.psd", "sub/keep.txt", ".#lock", "notes.txt~"] {
        assert!(!published(gone), "{gone}");
    }
    for kept in ["sub/other.txt", ".nojekyll", ".well-known/security.txt"] {
        assert!(published(kept), "{kept}");
    }
}

/// A Zola site built unchanged gets Zola's files and no others: fanzine's archive, stylesheet and icon only when
/// its built-in theme stands in for the site's templates; tag pages only when `tags` is declared; a section's feed
/// only when the section asks with `generate_feeds = true`, whatever the config's `generate_feeds` says.
#[test]
fn a_zola_site_gets_zolas_files_and_no_others() {
    let site = site_with("config.toml", "base_url = \"https://z.example\"\ngenerate_feeds = true\n");
    site.write("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .write("content/blog/a.md", POST)
        .write("content/notes/_index.md", "+++\ntitle = \"Notes\"\ngenerate_feeds = true\n+++\n")
        .write("content/notes/n.md", "+++\ntitle = \"N\"\n+++\nA note.\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made = |path: &str| site.path(&format!("public/{path}")).exists();
    for theirs in ["style.css", "favicon.svg", "archive/index.html"] {
        assert!(made(theirs), "the built-in theme stands in for the missing templates and needs {theirs}");
    }
    assert!(made("atom.xml") && made("notes/atom.xml"));
    assert!(!made("blog/atom.xml"), "the section did not ask for a feed");
    assert!(!made("tags/index.html"), "no tags taxonomy is declared");

    site.write("templates/index.html", "home").write("templates/section.html", "s").write("templates/page.html", "p");
    site.build(&[]);
    for gone in ["style.css", "favicon.svg", "archive/index.html", "tags/index.html"] {
        assert!(!made(gone), "{gone}: the site's own templates never link it");
    }
    assert!(!site.read("public/sitemap.xml").contains("/archive/"));

    site.write("config.toml", "base_url = \"https://z.example\"\ntaxonomies = [{ name = \"tags\", feed = true }]\n");
    site.write("content/blog/t.md", "+++\ntitle = \"T\"\ndate = 2021-01-01\n[taxonomies]\ntags = [\"Rust\"]\n+++\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(made("tags/index.html") && made("tags/rust/index.html") && made("tags/rust/atom.xml"));
    assert!(made("notes/atom.xml"), "a section's feed does not need the site's");
    assert!(!made("atom.xml"));
}

/// A Zola site's relative links are written after the page's permalink, as Zola 0.21 writes them; a fanzine
/// site's stay as written. Saved twice so that the second build's reused rendering is checked too.
#[test]
fn a_zola_sites_relative_links_follow_the_permalink() {
    let page = "+++\ntitle = \"B\"\n+++\n[notes](./notes.txt) [up](../) ![map](map.png)\n";
    for (file, config, href) in [
        ("config.toml", "base_url = \"https://z.example\"\n", "https://z.example/b/./notes.txt"),
        ("fanzine.toml", "base_url = \"https://z.example\"\n", "./notes.txt"),
    ] {
        let site = site_with(file, config);
        site.write("content/b/index.md", page).write("content/b/notes.txt", "n").write("content/b/map.png", "p");
        for _ in 0..2 {
            let run = site.build(&[]);
            assert_eq!(run.code, 0, "{file}: {}", run.stderr);
            let html = site.read("public/b/index.html");
            assert!(html.contains(&format!("href=\"{href}\"")), "{file}: {html}");
            assert!(html.contains("href=\"../\""), "{file}: {html}");
        }
    }
}
