//! Stylesheets of `sass/` in the preview: a save under `sass/` compiles them again and swaps the new CSS in place,
//! a stylesheet that does not compile keeps the last good CSS served with the error beside it.
use crate::support::{SiteDir, version};

fn sass_site() -> SiteDir {
    let site = SiteDir::new();
    site.write("fanzine.toml", "title = \"Test site\"\nposts_per_page = 2\ncompile_sass = true\n");
    site.write("sass/_colors.scss", "$ink: #123456;\n");
    site.write("sass/css/site.scss", "@use \"colors\";\nbody { p { color: colors.$ink; } }\n");
    site
}

#[test]
fn a_saved_partial_recompiles_and_swaps_the_stylesheet() {
    let site = sass_site();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    let css = running.get("/css/site.css");
    assert_eq!((css.status, css.content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(css.body, "body p{color:#123456}");
    assert_eq!(running.get("/_colors.css").status, 404, "a partial is not published");

    site.write("sass/_colors.scss", "$ink: #654321;\n");
    let event = events.newer_than(version(&first));
    assert_eq!(event["css_only"], true, "{event}");
    assert_eq!(event["from"], first["version"]);
    assert_eq!(running.get("/css/site.css").body, "body p{color:#654321}");
    assert!(running.log().contains("sass/_colors.scss changed: rebuilt Sass in "), "{}", running.log());
}

#[test]
fn a_broken_stylesheet_keeps_the_last_good_css_until_fixed() {
    let site = sass_site();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();

    site.write("sass/css/site.scss", "body {\n  color: red\n");
    let broken = events.until("errors", |e| !e["errors"].as_array().unwrap().is_empty());
    assert_eq!(version(&broken), version(&first), "a failed build publishes nothing new");
    let error = &broken["errors"][0];
    assert_eq!(error["location"]["file"], "sass/css/site.scss");
    assert_eq!(error["location"]["line"], 2);
    assert!(error["message"].as_str().unwrap().starts_with("Sass: expected \"}\"."), "{error}");
    assert_eq!(running.get("/css/site.css").body, "body p{color:#123456}");
    assert!(running.get("/").body.contains(">sass/css/site.scss:2:"), "the overlay names the place");

    site.write("sass/css/site.scss", "body { color: teal; }\n");
    let fixed = events.until("no errors", |e| e["errors"].as_array().unwrap().is_empty());
    assert!(version(&fixed) > version(&first));
    assert_eq!(running.get("/css/site.css").body, "body{color:teal}");
}

#[test]
fn a_sass_folder_made_while_serving_is_watched() {
    let site = SiteDir::new();
    site.write("fanzine.toml", "title = \"Test site\"\nposts_per_page = 2\ncompile_sass = true\n");
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    std::fs::create_dir(site.path("sass")).unwrap();
    // An empty folder changes no file: the build publishes nothing new, but the folder is watched from now on.
    let builds = first["build"].as_u64().unwrap();
    events.until("the folder's build", |e| e["build"].as_u64().unwrap() > builds);
    site.write("sass/new.scss", "a { b: c }\n");
    events.newer_than(version(&first));
    assert_eq!(running.get("/new.css").body, "a{b:c}");
}
