//! Each feature of `fanzine build` against the `features` fixture: every assertion here fails without it.
use crate::fixture::Site;

#[test]
fn pretty_urls_follow_the_permalink_pattern() {
    let site = Site::fixture("features");
    site.build(&[]);
    for page in ["2020/dated-by-name", "2020/yaml-post", "2021/trip"] {
        assert!(site.path(&format!("public/{page}/index.html")).is_file(), "{page}");
    }
}

#[test]
fn drafts_and_future_posts_need_flags() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert!(!site.path("public/2020/draft").exists());
    assert!(!site.path("public/2999/future").exists());
    site.build(&["--drafts", "--future"]);
    assert!(site.path("public/2020/draft/index.html").is_file());
    assert!(site.path("public/2999/future/index.html").is_file());
}

#[test]
fn bundles_copy_their_assets_beside_the_page() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert_eq!(std::fs::read(site.path("public/2021/trip/map.png")).unwrap(), b"\x89PNG fake image bytes\n");
    assert!(site.read("public/2021/trip/index.html").contains("src=\"map.png\""));
}

#[test]
fn static_files_are_copied_and_css_generated() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert_eq!(site.read("public/img/extra.css"), "body { color: red; }\n");
    assert!(site.read("public/highlight.css").contains("prefers-color-scheme: dark"));
    assert!(site.read("public/style.css").contains("--measure"));
}

#[test]
fn the_theme_has_an_icon_that_a_site_may_replace() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert!(site.read("public/favicon.svg").starts_with("<svg"));
    let home = site.read("public/index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"https://example.org/blog/favicon.svg\" type=\"image/svg+xml\">"),
        "{home}"
    );
    site.write("static/favicon.svg", "<svg id=\"own\"/>\n");
    site.build(&[]); // a site's own icon replaces the theme's without a clash
    assert_eq!(site.read("public/favicon.svg"), "<svg id=\"own\"/>\n");
}

#[test]
fn markdown_features_render() {
    let site = Site::fixture("features");
    site.build(&[]);
    let html = site.read("public/2020/yaml-post/index.html");
    assert!(html.contains("<table>"), "tables");
    assert!(html.contains("<del>struck</del>"), "strikethrough");
    assert!(html.contains("type=\"checkbox\""), "task lists");
    assert!(html.contains("“smart” quotes – dashes"), "smart punctuation");
    assert!(html.contains("class=\"footnote-backref\""), "footnote back links");
    let trip = site.read("public/2021/trip/index.html");
    assert!(trip.contains("<h2 id=\"day-one\">Day one<a class=\"anchor\" href=\"#day-one\""), "heading anchors");
    assert!(trip.contains("<span class=\"hl-"), "highlighting");
    assert!(trip.contains("class=\"toc\""), "table of contents");
}

#[test]
fn front_matter_is_escaped_and_extra_reaches_templates() {
    let site = Site::fixture("features");
    site.build(&[]);
    let html = site.read("public/2020/yaml-post/index.html");
    assert!(html.contains("<h1>A &lt;YAML&gt; post</h1>"));
    assert!(html.contains("content=\"Front matter in YAML &amp; friends\""));
    assert!(site.read("public/404.html").contains("&lt;b&gt;escaped&lt;/b&gt;"), "config.extra, escaped");
}

#[test]
fn site_templates_override_the_built_in_ones() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert!(site.read("public/404.html").contains("Lost in Fixture &amp; Friends"));
}

#[test]
fn home_page_is_paginated_with_summaries() {
    let site = Site::fixture("features");
    site.build(&[]);
    let first = site.read("public/index.html");
    assert!(first.contains("Trip notes") && first.contains("A &lt;YAML&gt; post"));
    assert!(first.contains("href=\"https://example.org/blog/page/2/\""));
    let second = site.read("public/page/2/index.html");
    assert!(second.contains("Dated by name"));
    assert!(second.contains("The date comes from the file name."), "summary before <!-- more -->");
    assert!(!second.contains("After the fold."), "summary stops at <!-- more -->");
}

#[test]
fn posts_link_to_their_neighbours() {
    let site = Site::fixture("features");
    site.build(&[]);
    let middle = site.read("public/2020/yaml-post/index.html");
    assert!(middle.contains("rel=\"prev\" href=\"https://example.org/blog/2020/dated-by-name/\""));
    assert!(middle.contains("rel=\"next\" href=\"https://example.org/blog/2021/trip/\""));
}

#[test]
fn tags_archive_and_aliases() {
    let site = Site::fixture("features");
    site.build(&[]);
    let rust = site.read("public/tags/rust/index.html");
    assert!(rust.contains("Dated by name") && rust.contains("A &lt;YAML&gt; post"), "Rust and rust are one tag");
    assert!(site.read("public/tags/index.html").contains("href=\"https://example.org/blog/tags/travel/\""));
    let archive = site.read("public/archive/index.html");
    assert!(archive.find("2021").unwrap() < archive.find("2020").unwrap(), "newest year first");
    let alias = site.read("public/old/dated/index.html");
    assert!(alias.contains("url=https://example.org/blog/2020/dated-by-name/"));
}

#[test]
fn internal_links_resolve() {
    let site = Site::fixture("features");
    site.build(&[]);
    let html = site.read("public/2020/dated-by-name/index.html");
    assert!(html.contains("href=\"https://example.org/blog/2021/trip/#day-one\""));
}

#[test]
fn base_url_can_be_overridden() {
    let site = Site::fixture("features");
    site.build(&["--base-url", "http://127.0.0.1:9000"]);
    assert!(site.read("public/index.html").contains("href=\"http://127.0.0.1:9000/2021/trip/\""));
}

#[test]
fn output_dir_can_be_chosen() {
    let site = Site::fixture("features");
    site.build(&["--output-dir", "dist"]);
    assert!(site.path("dist/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn a_folder_with_only_content_builds() {
    let site = Site::empty();
    site.write("content/hello.md", "+++\ntitle = \"Hello\"\ndate = 2024-01-01\n+++\n\nHi.\n");
    site.build(&[]);
    assert!(site.read("public/hello/index.html").contains("<h1>Hello</h1>"));
    assert!(site.path("public/atom.xml").is_file());
}

#[test]
fn builds_are_byte_identical() {
    let site = Site::fixture("features");
    site.build(&[]);
    let first = site.tree("public");
    site.build(&[]);
    assert_eq!(first, site.tree("public"));
}

#[test]
fn the_cache_changes_nothing_but_the_time() {
    let site = Site::fixture("features");
    let reused = |stderr: &str| -> usize {
        let after = stderr.split("Markdown of ").nth(1).unwrap_or_else(|| panic!("no cache figure in {stderr}"));
        after.split(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(reused(&site.build(&[]).stderr), 0);
    let uncached = site.tree("public");
    let second = site.build(&[]);
    let posts = reused(&second.stderr);
    assert!(posts >= 3, "{}", second.stderr);
    assert!(second.stderr.contains("(0 changed)"), "nothing to write into a spare linked from public/");
    assert_eq!(uncached, site.tree("public"));
    // An edit that also moves the post (a new date, so a new URL) renders it again, and the post whose `@/` link
    // now points elsewhere; the output is exactly what a build without the cache makes.
    site.write("content/yaml-post.md", "---\ntitle: YAML, edited\ndate: 2019-03-04\n---\n\n# Fresh\n\nNew words.\n");
    assert_eq!(reused(&site.build(&[]).stderr), posts - 2);
    let cached = site.tree("public");
    site.build(&["--no-cache"]);
    assert_eq!(cached, site.tree("public"));
    assert!(String::from_utf8_lossy(&cached["archive/index.html"]).contains("YAML, edited"));
}

/// How many files a build rendered through their templates, from its summary line.
fn rendered(stderr: &str) -> usize {
    let before = stderr.split(" files rendered").next().unwrap_or_else(|| panic!("no rendered figure in {stderr}"));
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn published_files_are_reused_only_while_their_inputs_and_bytes_stand() {
    let site = Site::fixture("features");
    let all = rendered(&site.build(&[]).stderr);
    assert!(all > 5);
    let first = site.tree("public");
    assert_eq!(rendered(&site.build(&[]).stderr), 0, "nothing changed: every file is the published one");
    assert_eq!(first, site.tree("public"));
    let manifest = || std::fs::metadata(site.path(".fanzine-cache/published")).unwrap().modified().unwrap();
    let recorded = manifest();
    assert_eq!(rendered(&site.build(&[]).stderr), 0);
    assert_eq!(manifest(), recorded, "every record still holds: nothing is recorded again");

    // Without the cache: the same site, rendered whole, into another folder.
    let uncached = || {
        site.build(&["--no-cache", "--output-dir", "uncached"]);
        site.tree("uncached")
    };
    // A retitled post: itself and the lists that show it, no more, and exactly the site a full render makes.
    site.write("content/yaml-post.md", "---\ntitle: YAML, retitled\ndate: 2019-03-03\n---\n\nWords.\n");
    let some = rendered(&site.build(&[]).stderr);
    assert!(some > 0 && some < all, "{some} of {all}");
    assert_eq!(site.tree("public"), uncached());

    // A published page somebody changed is rendered again, not trusted.
    let page = site.path("public/archive/index.html");
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&page, "changed by hand").unwrap();
    assert_eq!(rendered(&site.build(&[]).stderr), 1);
    assert_eq!(site.tree("public"), uncached());

    // Any template changes every file: a template may include or extend any other.
    let base = site.read("templates/404.html");
    site.write("templates/404.html", &format!("{base}\n"));
    assert_eq!(rendered(&site.build(&[]).stderr), all);
    assert_eq!(site.tree("public"), uncached());
    // And so does the config.
    let config = site.read("fanzine.toml");
    site.write("fanzine.toml", &config.replacen("title = ", "title = \"Renamed\"\n# was: ", 1));
    assert_eq!(rendered(&site.build(&[]).stderr), all);
    assert_eq!(site.tree("public"), uncached());
}

#[test]
fn deleted_posts_disappear_from_the_output() {
    let site = Site::fixture("features");
    site.build(&[]);
    std::fs::remove_file(site.path("content/yaml-post.md")).unwrap();
    site.write("content/2020-01-02-dated-by-name.md", "+++\ntitle = \"Dated\"\n+++\n\nNo links now.\n");
    site.build(&[]);
    assert!(!site.path("public/2020/yaml-post").exists());
}

#[test]
fn new_creates_a_post_that_builds() {
    let site = Site::empty();
    let run = site.run(&["new", "Hello, “World”!"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run.stdout.trim();
    assert!(path.ends_with("content/hello-world.md"), "{path}");
    site.build(&["--future"]);
    assert!(site.read("public/hello-world/index.html").contains("Hello, “World”!"));
    assert_eq!(site.run(&["new", "Hello, “World”!"]).code, 1, "refuses to overwrite");
}

#[test]
fn rendered_post_snapshot() {
    let site = Site::fixture("features");
    site.build(&[]);
    let html = site.read("public/2021/trip/index.html");
    let article = &html[html.find("<article").unwrap()..html.find("</main>").unwrap()];
    insta::assert_snapshot!(article);
}

#[test]
fn claims_blocks_become_tables_with_their_scenario_beside_them() {
    let site = Site::empty();
    let scenario = "title = \"Tiny\"\nstrategies = [\"pike\", \"proposal\"]\nseed = 7\nseeds = 2\n\n[cloud]\nhosts = 8\n\n[workload]\nrequests = 6\n";
    site.write(
        "content/sim.md",
        &format!("+++\ntitle = \"Sim\"\ndate = 2020-01-01\n+++\n\nIntro.\n\n```claims\n{scenario}```\n"),
    );
    site.build(&[]);
    let html = site.read("public/sim/index.html");
    let table = scraper::Html::parse_fragment(&html);
    let rows = scraper::Selector::parse("table.claims-table tbody tr").unwrap();
    let strategies: Vec<String> =
        table.select(&rows).map(|r| r.text().next().unwrap_or_default().to_string()).collect();
    assert_eq!(strategies, ["pike", "proposal"]);
    let link = scraper::Selector::parse("figure.experiment figcaption a").unwrap();
    let file = table.select(&link).next().unwrap().value().attr("href").unwrap().to_string();
    assert_eq!(site.read(&format!("public/sim/{file}")), scenario, "the scenario is published as written");
    assert!(html.contains(&format!("fanzine claims {file} --seed 7 --seeds 2")));
    assert!(site.path(".fanzine-cache/claims").is_dir());
    site.build(&[]);
    assert_eq!(html, site.read("public/sim/index.html"), "the cached result renders identically");
    // Without the cache the engine runs again, and nothing is read from or written to the cache folder.
    std::fs::remove_dir_all(site.path(".fanzine-cache")).unwrap();
    site.build(&["--no-cache"]);
    assert_eq!(html, site.read("public/sim/index.html"), "the engine's own run renders identically");
    assert!(!site.path(".fanzine-cache").exists(), "a build without its cache writes none");
}

#[test]
fn raw_html_passes_through() {
    let site = Site::fixture("features");
    site.build(&[]);
    assert!(
        site.read("public/2020/yaml-post/index.html")
            .contains("<div class=\"raw-note\">Raw <em>HTML</em> passes through.</div>")
    );
}

#[test]
fn a_post_may_choose_its_template_and_read_its_extra_keys() {
    let site = Site::fixture("features");
    site.build(&[]);
    let html = site.read("public/2020/yaml-post/index.html");
    assert!(html.contains("<meta name=\"mood\" content=\"calm\">"), "special.html with page.extra");
    assert!(html.contains("<table>"), "still the post's body");
    assert!(!site.read("public/2021/trip/index.html").contains("name=\"mood\""));
}
