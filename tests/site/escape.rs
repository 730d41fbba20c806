//! Hostile paths: whatever an author puts in a slug, an alias, a tag, a section folder, the permalink pattern or
//! the feed's file name, a build writes nothing outside its output folder and either succeeds or fails with every
//! error located. Builds run in process here (hundreds of them), through the same builder and writer the CLI uses.
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Strings made of the pieces that break paths: `..`, slashes, dots, `?`, `#`, control characters, names of files
/// the site generates, and runs long enough to pass the file system's 255-byte limit.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("..".to_string()),
        Just("/".to_string()),
        Just(".".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("\u{1}".to_string()),
        Just("index.html".to_string()),
        Just("atom.xml".to_string()),
        Just("tags".to_string()),
        Just("page".to_string()),
        Just("x".repeat(250)),
        "[a-zA-Z+!é ]{1,4}",
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

/// A TOML basic string holding `text`: JSON's escapes are TOML's too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Inputs {
    slug: String,
    alias: String,
    tag: String,
    section: String,
    permalink: String,
    feed: String,
}

fn inputs() -> impl Strategy<Value = Inputs> {
    let pattern = (hostile(), hostile()).prop_map(|(a, b)| format!("{a}{{slug}}{b}"));
    (hostile(), hostile(), hostile(), "[a-z.]{0,3}|\\.\\.|[a-z?# ]{1,6}", pattern, hostile())
        .prop_map(|(slug, alias, tag, section, permalink, feed)| Inputs { slug, alias, tag, section, permalink, feed })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn nothing_is_written_outside_the_output_folder(inputs in inputs()) {
        let sandbox = tempfile::tempdir().unwrap();
        let root = sandbox.path().join("a/b/site");
        let section_dir = root.join("content").join(&inputs.section);
        prop_assume!(std::fs::create_dir_all(&section_dir).is_ok() && section_dir.starts_with(root.join("content")));
        std::fs::write(
            section_dir.join("post.md"),
            format!(
                "+++\ntitle = \"Post\"\ndate = 2020-01-01\nslug = {}\naliases = [{}]\ntags = [{}]\n+++\n\nText.\n",
                quoted(&inputs.slug),
                quoted(&inputs.alias),
                quoted(&inputs.tag)
            ),
        )
        .unwrap();
        std::fs::write(
            root.join("fanzine.toml"),
            format!("permalink = {}\n\n[feed]\nfilename = {}\n", quoted(&inputs.permalink), quoted(&inputs.feed)),
        )
        .unwrap();
        let sources = tree(&root);

        let options = fanzine::site::BuildOptions::new(&root, time::macros::date!(2026 - 01 - 01));
        let writer = fanzine::write::Writer::begin(&root.join("public")).unwrap();
        match fanzine::build::Builder::once(options).build(None, &writer) {
            Ok(_) => {
                writer.finish().unwrap();
                prop_assert!(root.join("public/index.html").is_file());
            }
            Err(failed) => {
                drop(writer);
                for error in failed.errors() {
                    prop_assert!(error.location.is_some(), "an error without a location: {error}");
                }
            }
        }

        let outside: Vec<String> = tree(sandbox.path()).into_keys().filter(|f| !f.starts_with("a/b/site/")).collect();
        prop_assert!(outside.is_empty(), "written outside the site: {outside:?}");
        let beside: Vec<String> = tree(&root)
            .into_keys()
            .filter(|f| !sources.contains_key(f))
            .filter(|f| {
                !(f.starts_with("public/") || f.starts_with(".public.spare/") || f == ".public.lock" || f == ".public.record")
            })
            .collect();
        prop_assert!(beside.is_empty(), "written outside the output folder: {beside:?}");
        let after = tree(&root);
        for (file, bytes) in &sources {
            prop_assert_eq!(after.get(file), Some(bytes), "a source changed: {}", file);
        }
    }
}
