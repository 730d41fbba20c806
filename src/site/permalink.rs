//! URLs: every post gets one from the permalink pattern, each passes the output-path gate, and two posts may never
//! share one.
use super::{Page, TagRef};
use crate::config::Config;
use crate::content::SourcePage;
use crate::error::{Diagnostic, Location, Report};
use crate::output_path::{self, PathProblem};
use std::collections::BTreeMap;

/// Output folders the site itself fills; a post or alias there could be silently overwritten by a later tag or
/// page of the list.
const RESERVED: &[&str] = &["tags/", "archive/", "page/"];

/// Output files taken so far, with the source that took each.
pub type Claimed = BTreeMap<String, String>;

/// Gives each section its URL, the folder's path as it is (as Zola does), which passes the gate and is claimed
/// before any page's; a section whose URL fails is left out, with its error.
pub fn assign_sections(
    config: &Config,
    sources: Vec<SourcePage>,
    claimed: &mut Claimed,
    report: &mut Report,
) -> Vec<Page> {
    let mut sections = Vec::with_capacity(sources.len());
    for source in sources {
        let at = Location::file(&source.path);
        let lang = source.lang.as_deref();
        let path = match output_path::url(&super::languages::localized(lang, format!("/{}/", source.section))) {
            Ok(path) => path,
            Err(problem) => {
                refuse(report, &at, &format!("the section folder {:?}", source.section), &problem);
                continue;
            }
        };
        if path != "/" && !claim(claimed, &output_path::index_file(&path), &path, &at, report) {
            continue;
        }
        check_aliases(&source, report);
        sections.push(Page {
            permalink: format!("{}{}", config.base(), path),
            slug: source.section.rsplit('/').next().unwrap_or_default().to_string(),
            path,
            date: None,
            tags: Vec::new(),
            content: Default::default(),
            relations: Default::default(),
            source,
        });
    }
    sections
}

fn check_aliases(source: &SourcePage, report: &mut Report) {
    let file = Location::file(&source.path);
    for alias in &source.front.aliases {
        if let Err(problem) = output_path::alias_file(alias) {
            let at = source.front.aliases_at.as_ref().unwrap_or(&file);
            refuse(report, at, &format!("alias {alias:?}"), &problem);
        }
    }
}

pub fn assign(config: &Config, claimed: &mut Claimed, sources: Vec<SourcePage>, report: &mut Report) -> Vec<Page> {
    let mut pages = Vec::with_capacity(sources.len());
    for source in sources {
        let file = Location::file(&source.path);
        let slug_at = source.front.slug_at.as_ref().unwrap_or(&file);
        let Some((slug, path)) = url_of(config, &source, slug_at, report) else { continue };
        if !claim(claimed, &output_path::index_file(&path), &path, slug_at, report) {
            continue;
        }
        // An alias's own clashes, with posts or anything else, are the render plan's to find; here it need only
        // stay inside the site (one that does not is left out, and the build fails).
        check_aliases(&source, report);
        let tags = tag_refs(config, &source, report);
        let date = source.date;
        pages.push(Page {
            permalink: format!("{}{}", config.base(), path),
            slug,
            path,
            date,
            tags,
            content: Default::default(),
            relations: Default::default(),
            source,
        });
    }
    pages
}

/// The post's slug and URL path, or `None` with the reason reported at `at` (its `slug` line, else its file, whose
/// name the slug then comes from).
fn url_of(config: &Config, source: &SourcePage, at: &Location, report: &mut Report) -> Option<(String, String)> {
    let raw = source.front.slug.as_deref().unwrap_or(&source.file_slug);
    let slug = crate::slugify::path(raw, config.slugify.paths);
    if slug.is_empty() {
        report.push(
            Diagnostic::error(
                Some(at.clone()),
                format!("the slug {raw:?} has no letters or digits, so the post has no URL"),
            )
            .with_hint("set a `slug` with letters or digits, or rename the file"),
        );
        return None;
    }
    if slug.len() > output_path::MAX_SEGMENT_BYTES {
        let start: String = slug.chars().take(24).collect();
        report.push(
            Diagnostic::error(
                Some(at.clone()),
                format!(
                    "the slug \"{start}…\" is {} bytes long; a file name takes at most {}",
                    slug.len(),
                    output_path::MAX_SEGMENT_BYTES
                ),
            )
            .with_hint("set a shorter `slug`, or rename the file"),
        );
        return None;
    }
    let lang = source.lang.as_deref();
    let pattern = match (&source.front.path, source.date) {
        (Some(path), _) => {
            return fixed_path(path, at, report).map(|path| (slug, super::languages::localized(lang, path)));
        }
        (None, Some(date)) => Some((config.permalink.as_str(), date.at.date())),
        // A standalone page has no date to fill the pattern with: it sits where Zola puts it.
        (None, None) => None,
    };
    let filled = match pattern {
        Some((pattern, date)) => crate::config::fill_permalink(pattern, &source.section, &slug, date),
        None => format!("/{}/{slug}/", source.section),
    };
    match output_path::url(&super::languages::localized(lang, filled.clone())) {
        Ok(path) => Some((slug, path)),
        Err(problem) => {
            refuse(report, at, &format!("the URL {filled:?} made from the permalink pattern"), &problem);
            None
        }
    }
}

/// The post's tags, each with its slug; a tag whose slug is empty or too long for a folder name is reported at the
/// `tags` line and left out.
fn tag_refs(config: &Config, source: &SourcePage, report: &mut Report) -> Vec<TagRef> {
    let at = || source.front.tags_at.clone().unwrap_or_else(|| Location::file(&source.path));
    let mut tags = Vec::with_capacity(source.front.tags.len());
    for name in &source.front.tags {
        let slug = crate::slugify::path(name, config.slugify.taxonomies);
        if slug.is_empty() {
            report.push(
                Diagnostic::error(Some(at()), format!("the tag {name:?} has no letters or digits, so it has no URL"))
                    .with_hint("spell the tag with at least one letter or digit, or remove it"),
            );
        } else if slug.len() > output_path::MAX_SEGMENT_BYTES {
            refuse(report, &at(), &format!("the tag {name:?}"), &PathProblem::TooLong(slug.len()));
        } else {
            tags.push(TagRef { name: name.clone(), slug });
        }
    }
    tags
}

fn refuse(report: &mut Report, at: &Location, what: &str, problem: &PathProblem) -> bool {
    report.push(Diagnostic::error(Some(at.clone()), format!("{what} {problem}")).with_hint(problem.hint()));
    false
}

/// Takes the output file `made` (the URL `url`) for the post whose front matter is at `at` (its `slug` line when
/// the URL comes from one, else just the file: the URL then comes from the file's name).
fn claim(claimed: &mut Claimed, made: &str, url: &str, at: &Location, report: &mut Report) -> bool {
    let source = at.file.as_str();
    if made == "index.html" || RESERVED.iter().any(|r| made.starts_with(r)) {
        report.push(
            Diagnostic::error(Some(at.clone()), format!("the URL {url} is reserved for fanzine's own pages"))
                .with_hint("set a different `slug` or permalink pattern"),
        );
        return false;
    }
    if let Some(first) = claimed.get(made) {
        report.push(
            Diagnostic::error(Some(at.clone()), format!("the URL {url} is already used by {first}")).with_hint(
                format!("give one of the two a different `slug` or `path`; both {first} and {source} claim it"),
            ),
        );
        return false;
    }
    claimed.insert(made.to_string(), source.to_string());
    true
}

/// The URL a page's `path` (or Hugo's `url`) gives, through the gate: as in Zola, with or without its leading and
/// trailing `/` (`a-fixed-url` is `/a-fixed-url/`).
fn fixed_path(path: &str, at: &Location, report: &mut Report) -> Option<String> {
    let path = path.trim();
    match output_path::url(path) {
        Ok(url) => Some(url),
        Err(problem) => refuse(report, at, &format!("the path {path:?}"), &problem).then_some(String::new()),
    }
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
            section_front: None,
            file_slug: slug.into(),
            date: front.date,
            front,
            body: String::new(),
            body_line: 5,
            assets: Vec::new(),
            lang: None,
        }
    }

    #[test]
    fn patterns_expand_and_collapse() {
        let config = Config { permalink: "/{year}/{month}/{slug}/".into(), ..Config::default() };
        let mut report = Report::default();
        let pages = assign(&config, &mut Claimed::new(), vec![source("content/a.md", "", "Hello World")], &mut report);
        assert_eq!(pages[0].path, "/2017/05/hello-world/");
        let pages = assign(&Config::default(), &mut Claimed::new(), vec![source("content/a.md", "", "a")], &mut report);
        assert_eq!(pages[0].path, "/a/");
        assert_eq!(pages[0].permalink, "http://localhost/a/");
    }

    #[test]
    fn duplicate_urls_name_both_files() {
        let mut report = Report::default();
        let pages = assign(
            &Config::default(),
            &mut Claimed::new(),
            vec![source("content/a.md", "", "same"), source("content/b.md", "", "same")],
            &mut report,
        );
        assert_eq!(pages.len(), 1);
        let text = report.diagnostics[0].to_string();
        assert!(text.contains("content/a.md") && text.contains("content/b.md"), "{text}");
    }

    #[test]
    fn an_alias_that_leaves_the_site_is_reported_at_its_line() {
        let text = "+++\ntitle = \"t\"\ndate = 2017-05-16\naliases = [\"/ok/\", \"/../x/\"]\n+++\n";
        let split = crate::content::front_matter::split("content/b.md", text).unwrap();
        let (front, _) = crate::content::front_matter::parse("content/b.md", &split).unwrap();
        let b = SourcePage { front, ..source("content/b.md", "", "b") };
        let mut report = Report::default();
        let pages = assign(&Config::default(), &mut Claimed::new(), vec![b], &mut report);
        let text = report.diagnostics[0].to_string();
        assert!(text.starts_with("content/b.md:4:1: error: alias \"/../x/\" leaves the site"), "{text}");
        assert_eq!(pages.len(), 1, "the post is kept, so that the rest of its problems are found in the same run");
    }

    #[test]
    fn slugs_that_cannot_name_a_folder_are_refused() {
        let mut report = Report::default();
        let long = "a".repeat(256);
        let pages = assign(
            &Config::default(),
            &mut Claimed::new(),
            vec![
                source("content/a.md", "", "!!!"),
                source("content/b.md", "", &long),
                source("content/c.md", "", &"a".repeat(255)),
            ],
            &mut report,
        );
        assert_eq!(pages.len(), 1);
        assert_eq!(report.diagnostics.len(), 2);
        assert!(report.diagnostics[0].message.contains("has no letters or digits"));
        assert!(report.diagnostics[1].message.contains("256 bytes long"));
    }
}
