//! Zola's template functions and filters that need no site model (`load_data`, `get_hash`, `trans`, `markdown`,
//! `num_format`, …), against the output Zola 0.21 gave for the same template, recorded in
//! `tests/fixtures/zola-functions.zola-0.21.html` (the fixture site `zola-functions`, built by Zola).
use crate::fixture::Site;

/// Zola's Tera escapes `/` as `&#x2F;` and `'` as `&#x27;`; fanzine's escaper leaves `/` alone (URLs stay
/// readable) and writes `&#39;`. The same text otherwise.
fn as_fanzine_escapes(zola: &str) -> String {
    zola.replace("&#x2F;", "/").replace("&#x27;", "&#39;")
}

#[test]
fn every_function_and_filter_gives_what_zola_gives() {
    let site = Site::fixture("zola-functions");
    let run = site.build(&[]);
    assert!(
        !run.stderr.contains("`translations` is not supported"),
        "translations are read, not ignored:\n{}",
        run.stderr
    );
    assert_home_page_is_zolas(&site, "zola-functions.zola-0.21.html");
}

/// The site's built home page is, line for line, the one Zola 0.21 wrote (recorded under `tests/fixtures/`).
fn assert_home_page_is_zolas(site: &Site, recorded: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(recorded);
    let expected = as_fanzine_escapes(&std::fs::read_to_string(path).unwrap());
    let ours = site.read("public/index.html");
    for (n, (a, b)) in expected.lines().zip(ours.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs", n + 1);
    }
    assert_eq!(ours, expected);
}

fn site_with_template(template: &str) -> Site {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.org\"\n")
        .write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .write("content/old.md", "+++\ntitle = \"Old\"\ndate = 2019-01-01\nupdated = 2022-06-30T10:00:00+02:00\n+++\n")
        .write("content/new.md", "+++\ntitle = \"New\"\ndate = 2021-03-04\n+++\n")
        .write("templates/page.html", "{{ page.title }}")
        .write("templates/index.html", template);
    site
}

#[test]
fn now_is_the_newest_content_date_or_source_date_epoch() {
    let site = site_with_template(
        "{{ now() }}|{{ now(utc=true) }}|{{ now(timestamp=true) }}|{{ now() | date(format=\"%Y\") }}",
    );
    site.build(&[]);
    assert_eq!(
        site.read("public/index.html"),
        "2022-06-30T08:00:00+00:00|2022-06-30T08:00:00+00:00|1656576000|2022",
        "the newest of every page's date and updated, in UTC"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fanzine"))
        .arg("build")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(site.path(""))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(site.read("public/index.html"), "2023-11-14T22:13:20+00:00|2023-11-14T22:13:20+00:00|1700000000|2023");
}

#[test]
fn get_random_is_the_same_on_every_build_and_get_env_reads_the_environment() {
    let draws = (0..20).map(|_| "{{ get_random(start=0, end=1000) }}").collect::<Vec<_>>().join(",");
    let site = site_with_template(&format!("{draws}|{{{{ get_env(name=\"FANZINE_TEST_ENV\", default=\"none\") }}}}"));
    site.build(&[]);
    let first = site.read("public/index.html");
    site.build(&[]);
    assert_eq!(site.read("public/index.html"), first, "the same numbers on every build");
    let (numbers, env) = first.split_once('|').unwrap();
    let numbers: Vec<u32> = numbers.split(',').map(|n| n.parse().unwrap()).collect();
    assert!(numbers.iter().all(|n| *n < 1000));
    assert!(numbers.iter().collect::<std::collections::BTreeSet<_>>().len() > 5, "{numbers:?}");
    assert_eq!(env, "none");
}

/// Zola's functions that look at the site (`get_page`, `get_section`, `get_taxonomy*`, `get_url`,
/// `get_image_metadata`) and their arguments (`lang`, `metadata_only`, `include_pages`, `required`,
/// `trailing_slash`, `cachebust`, `allow_missing`), on a two-language site, against what Zola 0.21 wrote for the
/// same template (`tests/fixtures/zola-site-functions.zola-0.21.html`).
#[test]
fn the_site_functions_and_their_arguments_give_what_zola_gives() {
    let site = Site::fixture("zola-site-functions");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_home_page_is_zolas(&site, "zola-site-functions.zola-0.21.html");
}
