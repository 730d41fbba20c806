//! Templates edited into loops while the preview runs (issue 18): an include loop or a macro that calls itself
//! forever used to overflow the stack and abort `fanzine serve`, taking the last good build with it. Now each is an
//! error beside the last good pages, and the next good save recovers.
use crate::support::{SiteDir, version};

const POST: &str = "{% extends \"base.html\" %}\n{% import \"macros.html\" as macros %}\n{% block content %}\n\
    <article><h1>{{ page.title }}</h1>\n{{ page.content | safe }}</article>\n\
    {% include \"partials/nav.html\" %}{{ macros::crumbs(n=3) }}\n{% endblock content %}\n";

/// `crumbs(n)` counts down to 0; `forever` is the same macro without its stop.
const BOUNDED: &str =
    "{% macro crumbs(n) %}<i>{{ n }}</i>{% if n > 0 %}{{ self::crumbs(n=n - 1) }}{% endif %}{% endmacro %}\n";
const FOREVER: &str = "{% macro crumbs(n) %}<i>{{ n }}</i>{{ self::crumbs(n=n - 1) }}{% endmacro %}\n";

#[test]
fn template_loops_saved_during_serve_keep_the_last_good_build_and_recover() {
    let site = SiteDir::new();
    site.write("templates/post.html", POST);
    site.write("templates/macros.html", BOUNDED);
    site.write("templates/partials/nav.html", "<nav>good nav</nav>\n");
    site.write("templates/partials/menu.html", "<ul>{% include \"partials/nav.html\" %}</ul>\n");
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    assert_eq!(first["errors"].as_array().unwrap().len(), 0, "{first}");
    let good = running.get("/posts/alpha/").body;
    assert!(good.contains("<nav>good nav</nav>") && good.contains("<i>3</i><i>2</i><i>1</i><i>0</i>"), "{good}");

    // nav.html now includes menu.html, which includes nav.html.
    site.write("templates/partials/nav.html", "<nav>\n{% include \"partials/menu.html\" %}\n</nav>\n");
    let broken = events.until("an error", |e| !e["errors"].as_array().unwrap().is_empty());
    assert_eq!(version(&broken), version(&first), "a failed build publishes no new pages");
    let error = &broken["errors"][0];
    assert_eq!(error["location"]["file"], "templates/partials/menu.html", "{error}");
    assert_eq!(error["location"]["line"], 1, "{error}");
    let message = error["message"].as_str().unwrap();
    assert_eq!(message, "template include loop: partials/menu.html → partials/nav.html → partials/menu.html");
    let page = running.get("/posts/alpha/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<nav>good nav</nav>"), "the last good page is still served");
    assert!(page.body.contains(">templates/partials/menu.html:1:"), "{}", page.body);
    assert!(page.body.contains("template include loop"), "{}", page.body);

    site.write("templates/partials/nav.html", "<nav>fixed nav</nav>\n");
    let fixed = events.until("no errors", |e| e["errors"].as_array().unwrap().is_empty());
    assert!(version(&fixed) > version(&first));
    assert!(running.get("/posts/alpha/").body.contains("<nav>fixed nav</nav>"));

    // A macro that never stops fails the render (not the load) on the rebuild's own threads.
    site.write("templates/macros.html", FOREVER);
    let runaway = events.until("an error", |e| !e["errors"].as_array().unwrap().is_empty());
    assert_eq!(version(&runaway), version(&fixed));
    // (Links to the pages that failed are reported as broken too, so look for the macro's own error.)
    let errors = runaway["errors"].as_array().unwrap();
    let error = errors.iter().find(|e| e["location"]["file"] == "templates/macros.html").expect("the macro's error");
    assert_eq!(error["location"]["line"], 1, "{error}");
    assert!(error["message"].as_str().unwrap().starts_with("macro recursion deeper than 128 calls: crumbs → crumbs"));
    assert!(running.get("/posts/alpha/").body.contains("<nav>fixed nav</nav>"));

    site.write("templates/macros.html", BOUNDED);
    let recovered = events.until("no errors", |e| e["errors"].as_array().unwrap().is_empty());
    assert!(version(&recovered) > version(&fixed));
    let page = running.get("/posts/alpha/").body;
    assert!(page.contains("<i>0</i>") && !page.contains("__fanzine-overlay\" role"), "{page}");
}
