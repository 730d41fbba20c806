//! Shortcodes and figures in whole builds. `tests/fixtures/shortcodes` is a Zola site; `zola-0.21-calls.html` is
//! what Zola 0.21 made of its post (`zola build`, the page template printing `page.content` alone), kept as the
//! reference the post's content must equal.
use crate::fixture::Site;

/// The post's content: the whole page where the site's own `page.html` prints `page.content` alone (the fixture's,
/// as Zola rendered it), else what the built-in theme puts in its content block.
fn content(html: &str) -> &str {
    let Some(start) = html.find("<div class=\"content\">\n") else { return html };
    let start = start + "<div class=\"content\">\n".len();
    let end = html[start..].find("  </div>\n</article>").expect("end of content");
    &html[start..start + end]
}

#[test]
fn shortcodes_render_as_zola_renders_them() {
    let site = Site::fixture("shortcodes");
    site.build(&[]);
    // Zola's escaper also writes `/` as `&#x2F;`; fanzine's leaves it (see templates/mod.rs), and nothing else differs.
    let zola = site.read("zola-0.21-calls.html").replace("&#x2F;", "/");
    assert_eq!(content(&site.read("public/posts/calls/index.html")), zola);
}

#[test]
fn calls_in_code_stay_as_written_and_escapes_are_read_everywhere() {
    let site = Site::fixture("shortcodes");
    site.write(
        "content/posts/code.md",
        "+++\ntitle = \"Code\"\ndate = 2024-01-02\n+++\n`{{ tag(t=\"span\") }}`\n\n```\n{{ tag(t=\"fenced\") }} {{/* tag(t=\"escaped\") */}}\n```\n\n    {% quote(author=\"indented\") %}\n",
    );
    site.build(&[]);
    let html = site.read("public/posts/code/index.html");
    let html = content(&html);
    assert!(html.contains("<code>{{ tag(t=\"span\") }}</code>"), "{html}");
    assert!(html.contains("{{ tag(t=&quot;fenced&quot;) }} {{ tag(t=&quot;escaped&quot;) }}"), "{html}");
    assert!(html.contains("{% quote(author=&quot;indented&quot;) %}"), "{html}");
    assert!(!html.contains("class=\"tag\""), "{html}");
}

#[test]
fn editing_a_shortcode_template_renders_the_pages_calling_it_again() {
    let site = Site::fixture("shortcodes");
    site.write("content/posts/plain.md", "+++\ntitle = \"Plain\"\ndate = 2024-01-03\n+++\nNo calls here.\n");
    let reused = |stderr: &str| -> usize {
        let after = stderr.split("Markdown of ").nth(1).unwrap_or_else(|| panic!("no cache figure in {stderr}"));
        after.split(' ').next().unwrap().parse().unwrap()
    };
    site.build(&[]);
    assert_eq!(reused(&site.build(&[]).stderr), 2, "nothing changed: both posts come from the cache");
    site.write("templates/shortcodes/tag.html", "<mark class=\"tag\">{{ t }}</mark>\n");
    let run = site.build(&[]);
    assert_eq!(reused(&run.stderr), 1, "only the post calling shortcodes is rendered again: {}", run.stderr);
    let cached = site.tree("public");
    assert!(String::from_utf8_lossy(&cached["posts/calls/index.html"]).contains("<mark class=\"tag\">word</mark>"));
    site.build(&["--no-cache"]);
    assert_eq!(cached, site.tree("public"), "the cache changes nothing but the time");
    // What a page shows its shortcodes of itself is part of the key too.
    let post = site.read("content/posts/calls.md").replace("title = \"Calls\"", "title = \"Renamed\"");
    site.write("content/posts/calls.md", &post);
    site.build(&[]);
    assert!(site.read("public/posts/calls/index.html").contains("<div>title=Renamed "));
}

#[test]
fn the_built_in_figure_and_titled_images_make_figures() {
    let site = Site::empty();
    site.write(
        "content/figures.md",
        "+++\ntitle = \"Figures\"\ndate = 2024-01-01\n+++\n{{ figure(src=\"map.png\", alt='A \"map\"', caption=\"The <old> town\", width=640, height=480) }}\n\n{{ figure(src=\"b.png\", alt=\"\") }}\n\n![Alt](x.png \"A title\")\n\nInline ![i](i.png \"t\") stays.\n",
    );
    site.build(&[]);
    let html = site.read("public/figures/index.html");
    let html = content(&html);
    let expected = "<figure><img src=\"map.png\" alt=\"A &quot;map&quot;\" width=\"640\" height=\"480\"><figcaption>The &lt;old&gt; town</figcaption></figure>\n\
         <figure><img src=\"b.png\" alt=\"\"></figure>\n\
         <figure><img src=\"x.png\" alt=\"Alt\" /><figcaption>A title</figcaption></figure>\n\
         <p>Inline <img src=\"i.png\" alt=\"i\" title=\"t\" /> stays.</p>\n\n";
    assert_eq!(html, expected);
    // The site's own figure replaces the theme's.
    site.write("templates/shortcodes/figure.md", "*{{ alt }}* at {{ src }}");
    site.build(&[]);
    let html = site.read("public/figures/index.html");
    assert!(content(&html).starts_with("<p><em>A “map”</em> at map.png</p>"), "{html}");
}
