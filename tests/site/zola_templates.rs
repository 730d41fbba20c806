//! A Zola site's own templates: the variables and site functions Zola gives them, checked against what Zola 0.21
//! rendered from the same templates (`tests/fixtures/zola-templates/expected/`, recorded with `zola build`).
use crate::fixture::Site;

#[test]
fn zola_templates_render_what_zola_0_21_rendered() {
    // The home page (get_page, get_section, get_taxonomy…, get_url), two posts, about, the blog's two list pages,
    // two taxonomies' lists and three terms.
    assert_eq!(Site::build_as_zola_did("zola-templates"), 11);
}

#[test]
fn a_sites_page_html_is_its_page_template_unless_it_has_a_post_html() {
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nBody.\n")
        .write("templates/page.html", "zola page {{ page.title }}");
    site.build(&[]);
    assert_eq!(site.read("public/a/index.html"), "zola page A");
    site.write("templates/post.html", "fanzine post {{ page.title }}");
    site.build(&[]);
    assert_eq!(site.read("public/a/index.html"), "fanzine post A");
}

#[test]
fn a_zola_themes_templates_and_static_files_lie_under_the_sites_own() {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.com\"\ntheme = \"plain\"\n")
        .write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .write("content/a.md", "+++\ntitle = \"A\"\n+++\n")
        .write("themes/plain/templates/index.html", "<main>{% block content %}theme{% endblock %}</main>")
        .write("themes/plain/templates/page.html", "theme page {{ page.title }}")
        .write(
            "templates/index.html",
            "{% extends \"plain/templates/index.html\" %}{% block content %}site {{ section.title }}{% endblock %}",
        );
    site.write("themes/plain/static/theme.js", "theme's").write("themes/plain/static/both.js", "theme's");
    site.write("static/both.js", "site's");
    site.build(&[]);
    assert_eq!(site.read("public/index.html"), "<main>site Home</main>");
    assert_eq!(site.read("public/a/index.html"), "theme page A");
    assert_eq!(site.read("public/theme.js"), "theme's");
    assert_eq!(site.read("public/both.js"), "site's", "the site's static file replaces the theme's");
}

#[test]
fn a_fanzine_sites_own_template_may_call_site_functions() {
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nBody.\n")
        .write("content/b.md", "+++\ntitle = \"B\"\ndate = 2020-01-02\n+++\nBody.\n")
        .write(
            "templates/post.html",
            "{% set b = get_page(path=\"b.md\") %}{{ page.title }} links {{ get_url(path=\"@/a.md\") }} and sees {{ b.title }}",
        );
    site.build(&[]);
    assert_eq!(site.read("public/a/index.html"), "A links http://localhost/a/ and sees B");
}
