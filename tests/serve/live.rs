//! Saves on disk reach the browser: a post, a template, a static file; a broken save keeps the last good page
//! with the error beside it, and the next good save recovers.
use crate::support::{PATIENCE, SiteDir, post, post_template, version};

#[test]
fn pages_are_served_with_preview_headers() {
    let site = SiteDir::new();
    let running = site.start();
    let home = running.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert_eq!(home.cache_control, "no-store");
    // Links point at the server itself, and the reload script is injected before </body>.
    let base = format!("http://{}", running.addr());
    assert!(home.body.contains(&format!("href=\"{base}/style.css\"")), "{}", home.body);
    assert!(home.body.contains("data-events=\"__fanzine/events\""));
    assert!(home.body.trim_end().ends_with("</script>\n</body>\n</html>"));

    let post = running.get("/posts/alpha/");
    assert!(post.body.contains("The first post.") && post.body.contains("data-events=\"../../__fanzine/events\""));
    assert_eq!(running.get("/posts/alpha/index.html").body.len(), post.body.len());
    let redirect = running.get("/posts/alpha?x=1");
    assert_eq!((redirect.status, redirect.location.as_deref()), (302, Some("alpha/?x=1")));

    let css = running.get("/extra.css");
    assert_eq!((css.status, css.content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert!(!css.body.contains("__fanzine"));
    assert_eq!(running.get("/atom.xml").content_type, "application/xml; charset=utf-8");

    let missing = running.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1>Not found</h1>"), "the site's own 404 page: {}", missing.body);
    assert_eq!(missing.cache_control, "no-store");
}

#[test]
fn an_edited_post_reloads_with_its_new_content() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    assert_eq!(first["errors"].as_array().unwrap().len(), 0);
    assert!(running.get("/posts/alpha/").body.contains("The first post."));

    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "Rewritten from scratch."));
    let event = events.newer_than(version(&first));
    assert_eq!(event["css_only"], false);
    let page = running.get("/posts/alpha/");
    assert!(page.body.contains("Rewritten from scratch.") && !page.body.contains("The first post."));
    assert!(page.body.contains(&format!("data-version=\"{}\"", version(&event))));
    assert!(running.log().contains("content/posts/alpha.md changed: rebuilt site model ("), "{}", running.log());
}

#[test]
fn polling_sees_saves_too() {
    let site = SiteDir::new();
    let running = site.start_with(true);
    let mut events = running.events();
    let first = events.next();
    site.write("content/posts/gamma.md", &post("Gamma", "2020-03-01", &["web"], "Polled into view."));
    events.newer_than(version(&first));
    assert!(running.get("/posts/gamma/").body.contains("Polled into view."));
}

#[test]
fn a_template_change_rerenders_the_pages_using_it() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    assert!(running.get("/posts/beta/").body.contains("<p class=\"marker\">v1</p>"));
    site.write("templates/post.html", &post_template("v2"));
    events.newer_than(version(&first));
    for path in ["/posts/alpha/", "/posts/beta/", "/posts/gamma/"] {
        assert!(running.get(path).body.contains("<p class=\"marker\">v2</p>"), "{path}");
    }
    // The site model (and so every post's Markdown) was kept.
    assert!(running.log().contains("templates/post.html changed: rebuilt templates in "), "{}", running.log());
}

#[test]
fn a_stylesheet_change_is_swapped_without_a_reload() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    site.write("static/extra.css", "body { color: rebeccapurple; }\n");
    let event = events.newer_than(version(&first));
    assert_eq!(event["css_only"], true, "{event}");
    assert_eq!(event["from"], first["version"]);
    assert!(running.get("/extra.css").body.contains("rebeccapurple"));
    assert!(
        running.log().contains("static/extra.css changed: rebuilt nothing (static file replaced) ("),
        "{}",
        running.log()
    );

    // A new static file that is not CSS is a plain reload.
    site.write("static/notes.txt", "hello\n");
    let next = events.newer_than(version(&event));
    assert_eq!(next["css_only"], false);
    assert_eq!(running.get("/notes.txt").body, "hello\n");
}

#[test]
fn a_broken_save_keeps_the_last_good_page_and_a_fixed_one_recovers() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();

    site.write(
        "content/posts/alpha.md",
        "+++\ntitle = \"Alpha\"\ndate = \"2017-13-01\"\n+++\n\n<b>Broken</b> draft.\n",
    );
    let broken = events.until("errors", |e| !e["errors"].as_array().unwrap().is_empty());
    assert_eq!(version(&broken), version(&first), "a failed build publishes no new pages");
    let error = &broken["errors"][0];
    assert_eq!(error["location"]["file"], "content/posts/alpha.md");
    assert_eq!(error["location"]["line"], 3);
    assert!(error["message"].as_str().unwrap().contains("2017-13-01"), "{error}");

    // The old page is still served, with the overlay naming the file and line.
    let page = running.get("/posts/alpha/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first post."));
    assert!(page.body.contains("<div id=\"__fanzine-overlay\""));
    assert!(page.body.contains(">content/posts/alpha.md:3:"), "{}", page.body);
    assert!(page.body.contains("Build failed: showing the last good build"), "{}", page.body);
    assert!(running.log().contains("still serving the last good build"), "{}", running.log());

    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "Fixed and better."));
    let fixed = events.until("no errors", |e| e["errors"].as_array().unwrap().is_empty());
    assert!(version(&fixed) > version(&first));
    let page = running.get("/posts/alpha/");
    assert!(page.body.contains("Fixed and better.") && !page.body.contains("__fanzine-overlay\" role"));
}

#[test]
fn editor_droppings_do_not_rebuild() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    site.write("content/posts/.alpha.md.swp", "junk");
    site.write("content/posts/alpha.md~", "junk");
    // A real change afterwards is the next thing reported: the droppings caused no rebuild of their own.
    site.write("content/posts/beta.md", &post("Beta", "2020-02-01", &["rust", "web"], "Second, edited."));
    events.newer_than(version(&first));
    let log = running.log();
    assert!(!log.contains(".swp") && !log.contains("alpha.md~"), "{log}");
}

#[test]
fn stopping_ends_open_event_streams() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    events.next();
    let (done, stopped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        running.server.stop();
        let _ = done.send(());
    });
    stopped.recv_timeout(PATIENCE).expect("the server stops while a browser is listening");
    assert!(events.ends(), "the event stream is closed on shutdown");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = SiteDir::new();
    let first = site.start();
    let error = site.try_start(false, first.addr().port()).err().expect("the second server cannot bind");
    assert!(error.to_string().contains("is already in use"), "{error}");
    assert!(error.hint().unwrap().contains("--port"));
}

#[test]
fn a_source_folder_created_later_is_watched() {
    let site = SiteDir::new();
    std::fs::remove_dir_all(site.path("static")).unwrap();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    site.write("static/style.css", "body { color: teal; }\n");
    let created = events.newer_than(version(&first));
    assert!(running.get("/style.css").body.contains("teal"));
    // The new folder is now watched like the others: editing the file inside it is seen too.
    site.write("static/style.css", "body { color: olive; }\n");
    events.until("the edit inside the new folder", |e| version(e) > version(&created));
    assert!(running.get("/style.css").body.contains("olive"));
}

#[test]
fn a_warning_is_printed_again_only_when_its_file_changed() {
    let site = SiteDir::new();
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "```klingon\nx\n```"));
    site.write("content/posts/beta.md", &post("Beta", "2020-02-01", &["rust"], "```vulcan\nx\n```"));
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    let count = |what: &str| running.log().matches(what).count();
    let (alpha, beta) = ("unknown language `klingon`", "unknown language `vulcan`");
    assert_eq!((count(alpha), count(beta)), (1, 1), "{}", running.log());

    site.write("content/posts/beta.md", &post("Beta", "2020-02-01", &["rust"], "```vulcan\ny\n```"));
    let second = events.newer_than(version(&first));
    assert_eq!((count(alpha), count(beta)), (1, 2), "only the saved file's warning again: {}", running.log());

    site.write("content/posts/gamma.md", &post("Gamma", "2020-03-01", &["web"], "Plain."));
    events.newer_than(version(&second));
    assert_eq!((count(alpha), count(beta)), (1, 2), "{}", running.log());
}
