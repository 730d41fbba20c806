//! What a shared link shows: OpenGraph and Twitter card meta, and the JSON-LD `BlogPosting`, parsed and checked.
use crate::fixture::Site;
use serde_json::Value;

/// The `content` of `<meta property|name="key" content="…">` tags in `html`, in order.
fn meta(html: &str, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["property", "name"] {
        let opening = format!("<meta {attribute}=\"{key}\" content=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&opening) {
            rest = &rest[at + opening.len()..];
            found.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    found
}

fn json_ld(html: &str) -> Value {
    let opening = "<script type=\"application/ld+json\">";
    let start = html.find(opening).expect("a JSON-LD script") + opening.len();
    let text = &html[start..start + html[start..].find("</script>").unwrap()];
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{text}"))
}

fn site() -> Site {
    let site = Site::empty();
    site.write(
        "fanzine.toml",
        "title = \"Notes\"\nauthor = \"Ada </script><b>\"\nbase_url = \"https://example.org\"\n",
    );
    site.write(
        "content/hostile.md",
        "+++\ntitle = \"A </script><script>alert(1)</script> & more\"\ndate = 2021-02-03\nupdated = 2021-03-04\n\
         tags = [\"rust\", \"web\"]\n[extra]\nimage = \"cover.png\"\n+++\nThe *first* words of the body.\n",
    );
    site.write(
        "content/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2021-01-01\ndescription = \"By bike\"\n+++\nDay one.\n",
    );
    site.write("content/trip/b-map.png", "png");
    site.write("content/trip/a-notes.txt", "text");
    site.write("content/trip/c-photo.jpg", "jpg");
    site
}

#[test]
fn a_post_describes_itself_to_social_sites_and_search_engines() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/hostile/index.html");
    assert_eq!(meta(&html, "og:type"), ["article"]);
    assert_eq!(meta(&html, "og:title"), ["A &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"]);
    assert_eq!(meta(&html, "og:description"), ["The first words of the body."], "the summary's text, no description");
    assert_eq!(meta(&html, "og:image"), ["https://example.org/hostile/cover.png"], "extra.image, relative to the post");
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "article:tag"), ["rust", "web"]);
    assert_eq!(html.matches("</script>").count(), html.matches("<script").count(), "nothing closes a script early");
    let data = json_ld(&html);
    assert_eq!(data["@type"], "BlogPosting");
    assert_eq!(data["headline"], "A </script><script>alert(1)</script> & more");
    assert_eq!(data["author"]["name"], "Ada </script><b>");
    assert_eq!(data["datePublished"], "2021-02-03T00:00:00Z");
    assert_eq!(data["dateModified"], "2021-03-04T00:00:00Z");
    assert_eq!(data["url"], "https://example.org/hostile/");
    assert_eq!(data["image"], "https://example.org/hostile/cover.png");
    assert_eq!(data["keywords"], serde_json::json!(["rust", "web"]));
}

#[test]
fn a_bundle_shows_its_first_image_and_pages_that_are_no_posts_the_site() {
    let site = site();
    site.build(&[]);
    let trip = site.read("public/trip/index.html");
    assert_eq!(meta(&trip, "og:image"), ["https://example.org/trip/b-map.png"], "the first image by name");
    assert_eq!(meta(&trip, "og:description"), ["By bike"]);
    assert_eq!(json_ld(&trip)["dateModified"], "2021-01-01T00:00:00Z", "no update: the publication date");
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nWho writes here.\n");
    site.build(&[]);
    let about = site.read("public/about/index.html");
    assert_eq!(meta(&about, "og:type"), ["website"], "an undated page is no article");
    assert!(meta(&about, "article:published_time").is_empty() && !about.contains("ld+json"));
    let home = site.read("public/index.html");
    assert_eq!(meta(&home, "og:type"), ["website"]);
    assert_eq!(meta(&home, "og:title"), ["Notes"]);
    assert_eq!(meta(&home, "twitter:card"), ["summary"]);
    assert!(!home.contains("ld+json"));
}
