//! Every XML file a build makes is well-formed, whatever characters the posts hold (issue 18: a U+0001 in a title
//! made `atom.xml` unreadable to every feed reader, and the build said nothing).
use crate::fixture::Site;
use quick_xml::events::Event;
use std::path::Path;

/// XML 1.0's `Char` production: what may appear in a document, raw or as a character reference.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Parses `xml` with quick-xml (end names, comments and attributes checked), then checks what quick-xml does not:
/// the characters, raw and as references.
fn assert_well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut depth = 0i64;
    let mut elements = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                depth += 1;
                elements += 1;
                for attribute in e.attributes() {
                    attribute.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                }
            }
            Ok(Event::Empty(e)) => {
                elements += 1;
                for attribute in e.attributes() {
                    attribute.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(err) => panic!("{name}: not well-formed at byte {}: {err}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
    assert!(elements > 0, "{name}: no elements");
    if let Some((at, c)) = xml.char_indices().find(|&(_, c)| !allowed(c)) {
        panic!("{name}: U+{:04X} at byte {at}, which XML forbids", u32::from(c));
    }
    for reference in xml.split("&#").skip(1) {
        let number = reference.split(';').next().unwrap_or("");
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => number.parse(),
        };
        let c = code.ok().and_then(char::from_u32);
        assert!(c.is_some_and(allowed), "{name}: the reference &#{number}; names a character XML forbids");
    }
}

/// Every `*.xml` under `dir`, as (path relative to it, text).
fn xml_files(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in walkdir_sorted(dir) {
        if entry.extension().is_some_and(|e| e == "xml") {
            let name = entry.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            found.push((name, std::fs::read_to_string(&entry).unwrap()));
        }
    }
    found
}

fn walkdir_sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walkdir_sorted(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn forbidden_characters_in_title_tags_description_and_body_leave_every_xml_file_well_formed() {
    let site = Site::fixture("errors/forbidden-xml-characters");
    let run = site.build(&[]);
    assert!(
        run.stderr.contains("content/post.md:2:17: warning: removed 7 characters that XML does not allow"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/post.md:4:1: warning: removed characters that XML does not allow from `description`")
    );
    let files = xml_files(&site.path("public"));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for expected in ["atom.xml", "sitemap.xml", "tags/tag/atom.xml", "tags/plain/atom.xml", "tags/ab/atom.xml"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    for (name, xml) in &files {
        assert_well_formed(name, xml);
    }
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<title>Control in the title</title>"), "{feed}");
    assert!(feed.contains("<category term=\"tag\"/>"), "{feed}");
    assert!(feed.contains("<summary>Escaped  and raw  in the description</summary>"), "{feed}");
    assert!(feed.contains("Body with NUL , VT , FF  and ."), "{feed}");
}

#[test]
fn every_xml_file_of_the_features_fixture_is_well_formed() {
    let site = Site::fixture("features");
    site.build(&[]);
    let files = xml_files(&site.path("public"));
    assert!(files.len() >= 3, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (name, xml) in &files {
        assert_well_formed(name, xml);
    }
}

#[test]
fn every_xml_file_of_the_bundled_blog_is_well_formed() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Site::empty();
    for file in walkdir_sorted(&repo.join("content")).into_iter().chain(walkdir_sorted(&repo.join("static"))) {
        let relative = file.strip_prefix(repo).unwrap().to_string_lossy().into_owned();
        std::fs::create_dir_all(site.path(&relative).parent().unwrap()).unwrap();
        std::fs::copy(&file, site.path(&relative)).unwrap();
    }
    std::fs::copy(repo.join("fanzine.toml"), site.path("fanzine.toml")).unwrap();
    site.build(&[]);
    let files = xml_files(&site.path("public"));
    assert!(files.iter().any(|(n, _)| n == "atom.xml") && files.iter().any(|(n, _)| n == "sitemap.xml"));
    for (name, xml) in &files {
        assert_well_formed(name, xml);
    }
}

#[test]
fn the_check_itself_catches_what_quick_xml_lets_through() {
    // quick-xml does not check characters: the test above would pass on a malformed feed without this.
    let bad = ["<a>\u{1}</a>", "<a>&#1;</a>", "<a b=\"&#xFFFE;\"/>", "<a><b></a>"];
    for xml in bad {
        assert!(std::panic::catch_unwind(|| assert_well_formed("x", xml)).is_err(), "{xml:?} passed");
    }
    assert_well_formed("x", "<a b=\"&#233;\">&#x1F600; ok</a>");
}
