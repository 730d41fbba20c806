//! `build_search_index`: the index a Zola theme's search box reads, compared with what Zola 0.21 wrote for the same
//! site (`tests/fixtures/search.zola-0.21/`, recorded with `zola build`), and fanzine's own theme's search files.
//! The fixture has a draft, a `render = false` page, an `in_search_index = false` page and such a section with a
//! page, none of which is in either index.
use crate::fixture::Site;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn recorded(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search.zola-0.21").join(name);
    json(&std::fs::read_to_string(path).unwrap())
}

/// The JSON of an index file, without the `window.searchIndex = ` of its script form.
fn json(text: &str) -> Value {
    let text = text.strip_prefix("window.searchIndex = ").unwrap_or(text);
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Each field's inverted index as token → document → how often the token is in the field (elasticlunr stores the
/// square root of that as `tf`).
type Counts = BTreeMap<String, BTreeMap<String, u64>>;

fn counts(node: &Value, prefix: &str, out: &mut Counts) {
    for (key, value) in node.as_object().unwrap() {
        match key.as_str() {
            "df" => {}
            "docs" => {
                for (doc, tf) in value.as_object().unwrap() {
                    let tf = tf["tf"].as_f64().unwrap();
                    out.entry(prefix.to_string()).or_default().insert(doc.clone(), (tf * tf).round() as u64);
                }
            }
            _ => counts(value, &format!("{prefix}{key}"), out),
        }
    }
}

/// Asserts that two elasticlunr indexes hold the same documents, fields and tokens, allowing for the one way Zola
/// 0.21's differs: its elasticlunr-rs (3.0) counted each field's tokens on top of the fields before it (a bug that
/// 3.1 fixed), so its `body` also lists the title's words. Zola's count of a token in field `i` is ours summed
/// over fields `0..=i` (for the documents that have field `i`).
fn assert_same_index(ours: &Value, zola: &Value) {
    for key in ["fields", "pipeline", "ref", "version", "lang", "documentStore"] {
        assert_eq!(ours[key], zola[key], "{key}");
    }
    let fields: Vec<&str> = ours["fields"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let mut so_far = Counts::new();
    for field in fields {
        let (mut mine, mut theirs) = (Counts::new(), Counts::new());
        counts(&ours["index"][field]["root"], "", &mut mine);
        counts(&zola["index"][field]["root"], "", &mut theirs);
        for (token, docs) in mine {
            for (doc, n) in docs {
                *so_far.entry(token.clone()).or_default().entry(doc).or_default() += n;
            }
        }
        // A document without a value for the field (an undated one's last) has no tokens in it.
        let info = &ours["documentStore"]["docInfo"];
        let mut expected = so_far.clone();
        for docs in expected.values_mut() {
            docs.retain(|doc, _| info[doc.as_str()].get(field).is_some());
        }
        expected.retain(|_, docs| !docs.is_empty());
        assert_eq!(expected, theirs, "the tokens of {field}");
    }
}

fn with_search(site: &Site, extra: &str) {
    let config = site.read("config.toml");
    site.write("config.toml", &format!("{config}{extra}"));
}

#[test]
fn the_index_is_the_one_zola_writes_token_for_token() {
    let site = Site::fixture("search");
    let run = site.build(&[]);
    assert!(!run.stderr.contains("search"), "{}", run.stderr);
    let ours = json(&site.read("public/search_index.en.js"));
    let zola = recorded("search_index.en.js");
    // Same documents (no draft, no `render = false`, nothing `in_search_index = false` or under such a section).
    let docs = |v: &Value| v["documentStore"]["docs"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        docs(&ours),
        [
            "https://example.com/",
            "https://example.com/about/",
            "https://example.com/blog/",
            "https://example.com/blog/code/",
            "https://example.com/blog/kestrel/",
            "https://example.com/blog/otter/"
        ]
    );
    // Same text, field lengths and tokens.
    assert_same_index(&ours, &zola);
    assert_ne!(ours["index"], zola["index"], "Zola's body lists the title's words too; ours does not");
    assert!(site.read("public/search_index.en.js").starts_with("window.searchIndex = {\"fields\":"));
    // The script a Zola theme loads is there; fanzine's own theme's are not, on a Zola site.
    assert!(site.read("public/elasticlunr.min.js").contains("elasticlunr"));
    assert!(!site.path("public/search.js").exists() && !site.path("public/search.css").exists());
}

#[test]
fn search_options_and_the_json_format_are_zolas() {
    let site = Site::fixture("search");
    with_search(
        &site,
        "[search]\ntruncate_content_length = 9\ninclude_description = true\ninclude_date = true\n\
         include_path = true\nindex_format = \"elasticlunr_json\"\n",
    );
    site.build(&[]);
    assert!(!site.path("public/search_index.en.js").exists());
    assert_same_index(&json(&site.read("public/search_index.en.json")), &recorded("options.search_index.en.json"));
}

#[test]
fn fuse_json_lists_the_same_documents_and_no_elasticlunr_script() {
    let site = Site::fixture("search");
    with_search(&site, "[search]\nindex_format = \"fuse_json\"\ninclude_path = true\n");
    site.build(&[]);
    // Zola lists them in its sections' order; fanzine in its own. Compared by URL.
    let sorted = |v: Value| {
        let mut items = v.as_array().unwrap().clone();
        items.sort_by_key(|item| item["url"].as_str().unwrap().to_string());
        items
    };
    assert_eq!(sorted(json(&site.read("public/search_index.en.json"))), sorted(recorded("fuse.search_index.en.json")));
    assert!(!site.path("public/elasticlunr.min.js").exists());
}

#[test]
fn fanzine_theme_gets_a_search_box_its_script_and_its_stylesheet() {
    let site = Site::empty();
    site.write("fanzine.toml", "title = \"T\"\nbase_url = \"https://example.org/blog\"\nbuild_search_index = true\n")
        .write("content/a.md", "+++\ntitle = \"Alpha\"\ndate = 2020-01-01\n+++\nKestrels hover.\n")
        .write("content/b.md", "+++\ntitle = \"Beta\"\ndate = 2020-01-02\nin_search_index = false\n+++\nOtters.\n");
    site.build(&[]);
    let index = json(&site.read("public/search_index.en.js"));
    let docs = index["documentStore"]["docs"].as_object().unwrap();
    assert!(docs.contains_key("https://example.org/blog/a/"), "{docs:?}");
    assert!(!docs.contains_key("https://example.org/blog/b/"), "in_search_index = false is left out");
    let home = site.read("public/index.html");
    for part in [
        "<form class=\"search\" role=\"search\" action=\"https://example.org/blog/archive/\"",
        "data-index=\"https://example.org/blog/search_index.en.js\"",
        "data-reader=\"https://example.org/blog/elasticlunr.min.js\"",
        "<label for=\"search-input\">Search posts</label>",
        "<script src=\"https://example.org/blog/search.js\" defer></script>",
        "<link rel=\"stylesheet\" href=\"https://example.org/blog/search.css\">",
    ] {
        assert!(home.contains(part), "{part} not in {home}");
    }
    assert!(site.read("public/search.js").contains("form.search"));
    assert!(site.read("public/search.css").contains(".search-results"));
}

#[test]
fn without_build_search_index_nothing_of_search_is_written() {
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"Alpha\"\ndate = 2020-01-01\n+++\nText.\n");
    site.build(&[]);
    let files: Vec<String> = site.tree("public").into_keys().filter(|p| p.contains("search")).collect();
    assert!(files.is_empty(), "{files:?}");
    assert!(!site.path("public/elasticlunr.min.js").exists());
    assert!(!site.read("public/index.html").contains("role=\"search\""));
}

#[test]
fn a_static_file_of_the_scripts_name_replaces_it_as_in_zola() {
    let site = Site::fixture("search");
    site.write("static/elasticlunr.min.js", "/* mine */\n");
    let run = site.build(&[]);
    assert!(!run.stderr.contains("elasticlunr"), "{}", run.stderr);
    assert_eq!(site.read("public/elasticlunr.min.js"), "/* mine */\n");
}
