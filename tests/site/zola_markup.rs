//! What a Zola site's sections and templates add to its Markdown, compared with what Zola 0.21 wrote for the same
//! site (recorded with `zola build`): anchor links on headings (each section's `insert_anchor_links`, Zola's
//! built-in `anchor-link.html` and a site's own), and the end of a summary cut inside an element
//! (`summary-cutoff.html`).
use crate::fixture::Site;

/// Sections `left`, `right`, `heading` and `none`, each with one page of two headings, and `docs/` (`left`) with
/// `docs/inner/` (unset: not inherited).
fn zola_site() -> Site {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.com\"\n")
        .write("content/_index.md", "+++\n+++\n")
        .write("templates/page.html", "{{ page.content | safe }}")
        .write("templates/section.html", "{{ section.content | safe }}")
        .write("templates/index.html", "{{ section.content | safe }}")
        .write("content/docs/_index.md", "+++\ninsert_anchor_links = \"left\"\n+++\n## Docs\n")
        .write("content/docs/inner/_index.md", "+++\n+++\n## Inner\n")
        .write("content/docs/inner/p.md", "+++\ntitle = \"P\"\n+++\n## In inner\n");
    for place in ["left", "right", "heading", "none"] {
        site.write(&format!("content/{place}/_index.md"), &format!("+++\ninsert_anchor_links = \"{place}\"\n+++\n"))
            .write(&format!("content/{place}/p.md"), "+++\ntitle = \"P\"\n+++\n## Hello *World*\n\n### Sub `code`\n");
    }
    site
}

fn headings(site: &Site, path: &str) -> Vec<String> {
    site.read(path).lines().filter(|l| l.starts_with("<h")).map(str::to_string).collect()
}

#[test]
fn each_sections_insert_anchor_links_places_zolas_link() {
    let site = zola_site();
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link =
        |id: &str| format!("<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"Anchor link for: {id}\">🔗</a>");
    let (h, s) = (link("hello-world"), link("sub-code"));
    assert_eq!(
        headings(&site, "public/left/p/index.html"),
        [
            format!("<h2 id=\"hello-world\">{h}Hello <em>World</em></h2>"),
            format!("<h3 id=\"sub-code\">{s}Sub <code>code</code></h3>")
        ]
    );
    assert_eq!(
        headings(&site, "public/right/p/index.html"),
        [
            format!("<h2 id=\"hello-world\">Hello <em>World</em>{h}</h2>"),
            format!("<h3 id=\"sub-code\">Sub <code>code</code>{s}</h3>")
        ]
    );
    assert_eq!(
        headings(&site, "public/heading/p/index.html"),
        [
            "<h2 id=\"hello-world\"><a class=\"zola-anchor\" href=\"#hello-world\" aria-label=\"Anchor link for: hello-world\">Hello <em>World</em></a></h2>",
            "<h3 id=\"sub-code\"><a class=\"zola-anchor\" href=\"#sub-code\" aria-label=\"Anchor link for: sub-code\">Sub <code>code</code></a></h3>",
        ]
    );
    assert_eq!(
        headings(&site, "public/none/p/index.html"),
        ["<h2 id=\"hello-world\">Hello <em>World</em></h2>", "<h3 id=\"sub-code\">Sub <code>code</code></h3>"]
    );
    assert_eq!(headings(&site, "public/docs/index.html"), [format!("<h2 id=\"docs\">{}Docs</h2>", link("docs"))]);
    assert_eq!(headings(&site, "public/docs/inner/p/index.html"), ["<h2 id=\"in-inner\">In inner</h2>"]);
    assert_eq!(headings(&site, "public/index.html"), Vec::<String>::new());
}

#[test]
fn a_sites_anchor_link_html_is_given_id_level_and_lang_and_heading_takes_only_its_a() {
    let site = zola_site();
    site.write("templates/anchor-link.html", "<a href=\"#{{ id }}\">L{{ level }} {{ lang }}</a>\n")
        .write("config.toml", "base_url = \"https://example.com\"\n[markdown]\ninsert_anchor_links = \"right\"\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Zola 0.21 keeps the template's newline, and `[markdown]` sets the place of a section that says nothing.
    assert_eq!(
        site.read("public/docs/inner/p/index.html"),
        "<h2 id=\"in-inner\">In inner<a href=\"#in-inner\">L2 en</a>\n</h2>\n"
    );
    assert_eq!(site.read("public/docs/index.html"), "<h2 id=\"docs\"><a href=\"#docs\">L2 en</a>\nDocs</h2>\n");
    assert_eq!(
        headings(&site, "public/heading/p/index.html")[0],
        "<h2 id=\"hello-world\"><a href=\"#hello-world\">Hello <em>World</em></a></h2>"
    );
    // A template with no `<a …>…</a>` gives `heading` no link at all.
    site.write("templates/anchor-link.html", "[{{ id }}]");
    site.build(&[]);
    assert_eq!(headings(&site, "public/heading/p/index.html")[0], "<h2 id=\"hello-world\">Hello <em>World</em></h2>");
    assert_eq!(
        headings(&site, "public/left/p/index.html")[0],
        "<h2 id=\"hello-world\">[hello-world]Hello <em>World</em></h2>"
    );
}

#[test]
fn a_sites_summary_cutoff_html_ends_a_summary_cut_inside_an_element() {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.com\"\n")
        .write("content/_index.md", "+++\n+++\n")
        .write("templates/index.html", "")
        .write("templates/page.html", "{{ page.summary | safe }}")
        .write("content/e.md", "+++\ntitle = \"E\"\n+++\nIntro *text <!-- more --> and* more.\n")
        .write("content/r.md", "+++\ntitle = \"R\"\n+++\nEnds with dot. <!-- more --> after\n")
        .write("content/b.md", "+++\ntitle = \"B\"\n+++\nOne.\n\n<!-- more -->\n\nTwo.\n");
    site.build(&[]);
    assert_eq!(site.read("public/e/index.html"), "<p>Intro <em>text&hellip;\n</em></p>\n", "Zola's own");
    site.write("templates/summary-cutoff.html", "[{{ lang }}|{{ summary | length }}|{{ summary }}]");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.read("public/e/index.html"), "<p>Intro <em>text[en|17|&lt;p&gt;Intro &lt;em&gt;text]</em></p>\n");
    assert_eq!(site.read("public/r/index.html"), "<p>Ends with dot.[en|17|&lt;p&gt;Ends with dot.]</p>\n");
    assert_eq!(site.read("public/b/index.html"), "<p>One.</p>\n", "a cut between elements takes no cutoff");
}
