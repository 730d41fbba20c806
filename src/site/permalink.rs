//! URLs: every post gets one from the permalink pattern, and two posts may never share one.
use super::{Page, TagRef};
use crate::config::Config;
use crate::content::SourcePage;
use crate::error::{Diagnostic, Location, Report};
use crate::markdown::slugify;
use std::collections::BTreeMap;

/// URL paths the site itself generates; a post there would be silently overwritten.
const RESERVED: &[&str] = &["/tags/", "/archive/", "/page/"];

pub fn assign(config: &Config, sources: Vec<SourcePage>, report: &mut Report) -> Vec<Page> {
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let mut pages = Vec::with_capacity(sources.len());
    for source in sources {
        let slug = slugify(source.front.slug.as_deref().unwrap_or(&source.file_slug));
        let date = source.date.expect("loader guarantees a date");
        let path = expand(&config.permalink, &source, &slug, date.at.date());
        let file = Location::file(&source.path);
        let mut ok = claim(&mut claimed, &path, source.front.slug_at.as_ref().unwrap_or(&file), report, None);
        for alias in &source.front.aliases {
            let alias_path = normalise(alias);
            let at = source.front.aliases_at.as_ref().unwrap_or(&file);
            ok &= claim(&mut claimed, &alias_path, at, report, Some(alias));
        }
        if !ok {
            continue;
        }
        let tags = source.front.tags.iter().map(|t| TagRef { name: t.clone(), slug: slugify(t) }).collect();
        pages.push(Page {
            permalink: format!("{}{}", config.base(), path),
            slug,
            path,
            date,
            tags,
            content: Default::default(),
            source,
            revision: super::Revision::new(),
        });
    }
    pages
}

/// Takes `path` for the post whose front matter is at `at` (the `slug` or `aliases` line when the URL comes from
/// one, else just the file: the URL then comes from the file's name).
fn claim(
    claimed: &mut BTreeMap<String, String>,
    path: &str,
    at: &Location,
    report: &mut Report,
    alias: Option<&str>,
) -> bool {
    let source = at.file.as_str();
    let what = alias.map_or(String::new(), |a| format!("alias {a:?}: "));
    if path == "/" || RESERVED.iter().any(|r| path.starts_with(r)) {
        report.push(
            Diagnostic::error(Some(at.clone()), format!("{what}the URL {path} is reserved for fanzine's own pages"))
                .with_hint("set a different `slug` or permalink pattern"),
        );
        return false;
    }
    if let Some(first) = claimed.get(path) {
        report.push(
            Diagnostic::error(Some(at.clone()), format!("{what}the URL {path} is already used by {first}"))
                .with_hint(format!("give one of the two posts a different `slug`, or remove the alias; both {first} and {source} claim it")),
        );
        return false;
    }
    claimed.insert(path.to_string(), source.to_string());
    true
}

/// Fills in the pattern; empty segments (a post at the top of `content/` has no section) collapse.
fn expand(pattern: &str, source: &SourcePage, slug: &str, date: time::Date) -> String {
    let filled = pattern
        .replace("{year}", &format!("{:04}", date.year()))
        .replace("{month}", &format!("{:02}", u8::from(date.month())))
        .replace("{day}", &format!("{:02}", date.day()))
        .replace("{slug}", slug)
        .replace("{section}", &source.section);
    normalise(&filled)
}

/// `/a//b` and `a/b` both become `/a/b/`: one spelling per URL, so collisions are found.
pub fn normalise(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() { "/".to_string() } else { format!("/{}/", segments.join("/")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, section: &str, slug: &str) -> SourcePage {
        let text = "+++\ntitle = \"t\"\ndate = 2017-05-16\n+++\n";
        let split = crate::content::front_matter::split(path, text).unwrap();
        let (front, _) = crate::content::front_matter::parse(path, &split).unwrap();
        SourcePage {
            path: path.into(),
            section: section.into(),
            file_slug: slug.into(),
            date: front.date,
            front,
            body: String::new(),
            body_line: 5,
            assets: Vec::new(),
        }
    }

    #[test]
    fn patterns_expand_and_collapse() {
        let config = Config { permalink: "/{year}/{month}/{slug}/".into(), ..Config::default() };
        let mut report = Report::default();
        let pages = assign(&config, vec![source("content/a.md", "", "Hello World")], &mut report);
        assert_eq!(pages[0].path, "/2017/05/hello-world/");
        let pages = assign(&Config::default(), vec![source("content/a.md", "", "a")], &mut report);
        assert_eq!(pages[0].path, "/a/");
        assert_eq!(pages[0].permalink, "http://localhost/a/");
    }

    #[test]
    fn duplicate_urls_name_both_files() {
        let mut report = Report::default();
        let pages = assign(
            &Config::default(),
            vec![source("content/a.md", "", "same"), source("content/b.md", "", "same")],
            &mut report,
        );
        assert_eq!(pages.len(), 1);
        let text = report.diagnostics[0].to_string();
        assert!(text.contains("content/a.md") && text.contains("content/b.md"), "{text}");
    }

    #[test]
    fn a_clash_made_by_an_alias_points_at_its_line() {
        let text = "+++\ntitle = \"t\"\ndate = 2017-05-16\naliases = [\"/a/\"]\n+++\n";
        let split = crate::content::front_matter::split("content/b.md", text).unwrap();
        let (front, _) = crate::content::front_matter::parse("content/b.md", &split).unwrap();
        let b = SourcePage { front, ..source("content/b.md", "", "b") };
        let mut report = Report::default();
        assign(&Config::default(), vec![source("content/a.md", "", "a"), b], &mut report);
        let text = report.diagnostics[0].to_string();
        assert!(text.starts_with("content/b.md:4:1: error: alias \"/a/\": the URL /a/ is already used"), "{text}");
    }
}
