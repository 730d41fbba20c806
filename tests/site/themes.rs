//! Zola themes: `theme = "name"` lays `themes/name/templates/` and `themes/name/static/` under the site's own.
use crate::fixture::Site;

fn themed() -> Site {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://t.example\"\ntheme = \"plain\"\n[extra]\nowner = \"site\"\n")
        .write("content/a.md", "+++\ntitle = \"A\"\n+++\nText.\n")
        .write("themes/plain/theme.toml", "name = \"plain\"\n[extra]\nowner = \"theme\"\nmotto = \"Hi\"\n")
        .write("themes/plain/templates/404.html", "theme 404 {{ config.extra.motto }} {{ config.extra.owner }}")
        .write("themes/plain/templates/robots.txt", "theme robots")
        .write("themes/plain/static/theme.js", "theme js")
        .write("themes/plain/static/both.css", "theme css")
        .write("static/both.css", "site css")
        .write("templates/robots.txt", "{% extends \"plain/templates/robots.txt\" %}");
    site
}

#[test]
fn a_themes_templates_and_static_files_lie_under_the_sites() {
    let site = themed();
    site.build(&[]);
    assert_eq!(site.read("public/404.html"), "theme 404 Hi site", "theme.toml's extra under the site's");
    assert_eq!(site.read("public/robots.txt"), "theme robots", "a site template extends the theme's by its long name");
    assert_eq!(site.read("public/theme.js"), "theme js");
    assert_eq!(site.read("public/both.css"), "site css", "the site's static file wins");
}

#[test]
fn without_a_theme_in_the_config_its_folder_is_ignored() {
    let site = themed();
    site.write("config.toml", "base_url = \"https://t.example\"\n");
    std::fs::remove_file(site.path("templates/robots.txt")).unwrap();
    site.build(&[]);
    assert!(!site.path("public/theme.js").exists());
    assert!(!site.read("public/404.html").contains("theme 404"));
}
