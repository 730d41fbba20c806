use super::*;

fn doc<'a>(title: &'a str, html: &'a str) -> Document<'a> {
    Document { url: "https://e.org/a/", title, description: None, date: None, path: "/a/", html: html.into() }
}

#[test]
fn fields_follow_zolas_order_and_search_options() {
    let mut search = Search::default();
    assert_eq!(fields(&search), ["title", "body"]);
    search.include_description = true;
    search.include_path = true;
    search.include_date = true;
    assert_eq!(fields(&search), ["title", "description", "date", "path", "body"]);
    search.include_title = false;
    search.include_content = false;
    assert_eq!(fields(&search), ["description", "date", "path"]);
}

#[test]
fn the_path_is_split_at_slashes_and_hyphens() {
    assert_eq!(path_tokens("/blog/Watching-Kestrels/"), ["blog", "watching", "kestrels"]);
}

#[test]
fn tokens_are_stemmed_and_stop_words_left_out() {
    let search = Search::default();
    let index = elasticlunr("en", &search, &[doc("Watching Kestrels", "<p>The kestrels were hunting</p>")]).unwrap();
    let json: serde_json::Value = serde_json::from_str(&index.to_json()).unwrap();
    let body = &json["index"]["body"]["root"];
    // "hunting" is stored as "hunt", "kestrels" as "kestrel"; "the" and "were" are stop words.
    assert_eq!(body["h"]["u"]["n"]["t"]["docs"]["https://e.org/a/"]["tf"], 1.0);
    assert_eq!(body["k"]["e"]["s"]["t"]["r"]["e"]["l"]["df"], 1);
    assert!(body["t"]["h"]["e"]["docs"].as_object().is_none_or(|d| d.is_empty()));
    assert_eq!(json["documentStore"]["docInfo"]["https://e.org/a/"]["body"], 2);
    assert_eq!(json["documentStore"]["docs"]["https://e.org/a/"]["body"], "The kestrels were hunting");
}

#[test]
fn a_language_the_index_does_not_know_is_none() {
    assert!(elasticlunr("xx", &Search::default(), &[]).is_none());
    assert!(elasticlunr("fr", &Search::default(), &[]).is_some());
}

#[test]
fn a_page_without_a_date_shifts_its_later_values_as_in_zola() {
    let search = Search { include_date: true, include_path: true, ..Search::default() };
    let undated = doc("T", "<p>x</p>");
    assert_eq!(values(&search, &undated), ["T", "/a/", "x"]);
    let dated = Document { date: Some("2024-01-02T00:00:00Z".into()), ..doc("T", "<p>x</p>") };
    assert_eq!(values(&search, &dated), ["T", "2024-01-02T00:00:00Z", "/a/", "x"]);
}

#[test]
fn fuse_items_carry_only_the_included_fields() {
    let search = Search { include_path: true, include_title: false, ..Search::default() };
    let json = fuse(&search, &[doc("T", "<p>a &amp; b</p>\n")]);
    assert_eq!(json, r#"[{"url":"https://e.org/a/","body":"a &amp; b\n","path":"/a/"}]"#);
}

#[test]
fn paths_name_the_index_by_language_and_format() {
    let mut config = Config { build_search_index: true, language: "fr".into(), ..Config::default() };
    assert_eq!(paths(&config), ["search_index.fr.js", "elasticlunr.min.js", "search.js", "search.css"]);
    config.search.index_format = IndexFormat::FuseJson;
    assert_eq!(paths(&config), ["search_index.fr.json", "search.js", "search.css"]);
    config.file = "config.toml";
    config.search.index_format = IndexFormat::ElasticlunrJson;
    assert_eq!(paths(&config), ["search_index.fr.json", "elasticlunr.min.js"]);
    config.build_search_index = false;
    assert!(paths(&config).is_empty());
}

/// As Zola 0.21: each other language with `build_search_index` has its index, in the site's format, after the
/// site's; none at all when the site builds none.
#[test]
fn another_languages_index_follows_the_sites() {
    let mut config = Config { build_search_index: true, file: "config.toml", ..Config::default() };
    let fr = crate::config::languages::Language { build_search_index: true, ..Default::default() };
    config.languages.insert("fr".into(), fr);
    config.languages.insert("de".into(), Default::default());
    config.search.index_format = IndexFormat::ElasticlunrJson;
    assert_eq!(paths(&config), ["search_index.en.json", "search_index.fr.json", "elasticlunr.min.js"]);
    config.build_search_index = false;
    assert!(paths(&config).is_empty());
}
