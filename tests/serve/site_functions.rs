//! Files whose templates call a site function (`get_section()`, …) depend on more than their own variables: the
//! preview renders them again on each save rather than reusing the copy its memo kept.
use crate::support::{SiteDir, post, version};

#[test]
fn a_page_listing_get_section_pages_shows_another_pages_new_title() {
    let site = SiteDir::new();
    site.write("content/list.md", "+++\ntitle = \"List\"\ntemplate = \"list.html\"\n+++\n");
    site.write(
        "templates/list.html",
        "{% set home = get_section(path=\"_index.md\") %}<ul>{% for p in home.pages %}<li>{{ p.title }}</li>{% endfor %}</ul>",
    );
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    assert_eq!(first["errors"].as_array().unwrap().len(), 0, "{first}");
    assert_eq!(running.get("/list/").body.matches("<li>Alpha</li>").count(), 1);

    site.write("content/posts/alpha.md", &post("Alpha renamed", "2020-01-01", &["rust"], "The first post."));
    events.newer_than(version(&first));
    let list = running.get("/list/").body;
    assert!(list.contains("<li>Alpha renamed</li>") && !list.contains("<li>Alpha</li>"), "{list}");
}
