//! Machine-read outputs: feeds in Atom, RSS 2.0 or JSON Feed (the site's, one per tag and one per term of a taxonomy with `feed`), the sitemap and robots.txt.
//!
//! As in `lists`, each file is rendered from one struct of template variables, which is also its key.
use super::cx::{Cx, Files};
use super::memo::Made;
use super::views::Full;
use crate::config::FeedFormat;
use crate::error::Diagnostic;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Hash, Serialize)]
struct FeedVars<'a> {
    /// `lang`, and `config` with its title and description, in a feed of another language.
    #[serde(flatten)]
    language: super::language::Localized<'a>,
    feed: FeedView<'a>,
}

#[derive(Hash, Serialize)]
struct FeedView<'a> {
    title: String,
    url: String,
    home_url: String,
    /// The newest date of its entries: using the clock would make builds differ.
    updated: String,
    full_content: bool,
    pages: Vec<Full<'a>>,
}

#[derive(Hash, Serialize)]
struct SitemapVars<'a, 'b> {
    entries: &'b [SitemapEntry<'a>],
}

#[derive(Hash, Serialize)]
pub struct SitemapEntry<'a> {
    url: std::borrow::Cow<'a, str>,
    lastmod: Option<String>,
}

/// What `split_sitemap_index.xml` receives: the URL of each part, in order.
#[derive(Hash, Serialize)]
struct SitemapIndexVars {
    sitemaps: Vec<String>,
}

/// Zola 0.21 writes one `sitemap.xml` while the site has fewer entries than this, else `sitemap.xml` as an index of
/// `sitemap1.xml`, `sitemap2.xml`, … of this many entries each. The sitemap protocol allows 50,000 URLs a file;
/// fanzine keeps Zola's number for every site, so that one rule and one test cover both.
pub const SITEMAP_LIMIT: usize = 30_000;
const _: () = assert!(SITEMAP_LIMIT <= 50_000, "the sitemap protocol's most URLs a file");

/// The parts a sitemap of `entries` entries is split into, `limit` a part (see [`SITEMAP_LIMIT`]): their file
/// names, none when `sitemap.xml` holds every entry.
pub fn sitemap_parts(entries: usize, limit: usize) -> Vec<String> {
    if entries < limit {
        return Vec::new();
    }
    (1..=entries.div_ceil(limit)).map(|n| format!("sitemap{n}.xml")).collect()
}

#[derive(Hash, Serialize)]
struct RobotsVars {
    sitemap_url: String,
}

/// One feed to render, under each of its language's feed file names.
struct Planned<'a> {
    /// The folder the feeds go in (`""`, `fr/`, `tags/rust/`).
    folder: String,
    title: String,
    pages: std::borrow::Cow<'a, [usize]>,
    /// Its language, when it is not the site's.
    lang: Option<&'a str>,
}

fn planned<'a>(
    folder: String,
    title: String,
    pages: std::borrow::Cow<'a, [usize]>,
    lang: Option<&'a str>,
) -> Planned<'a> {
    Planned { folder, title, pages, lang }
}

/// The site's feeds, one per tag, per section with feeds and per term of a taxonomy with `feed`: each of the newest
/// `feed.limit` posts, under each of the config's feed file names (whose names pick their formats); another
/// language's feeds under each of its own `feed_filenames`, in that language, as Zola makes them.
pub fn feeds(cx: &Cx) -> Files {
    let site = cx.site;
    let feed = &site.config.feed;
    // The site's feed is its own language's; another language's pages are not in it, as in Zola.
    let all: Vec<usize> = (0..site.dated).filter(|&i| site.pages[i].source.lang.is_none()).collect();
    let site_feed = planned(String::new(), site.config.title.clone(), all.into(), None);
    // Each other language with `generate_feeds` has its own, of its pages, under its code (`fr/atom.xml`).
    let languages = (site.config.languages.iter()).filter(|(_, l)| l.generate_feeds).map(|(code, l)| {
        let pages: Vec<usize> = (0..site.dated).filter(|&i| site.pages[i].source.lang.as_ref() == Some(code)).collect();
        planned(format!("{code}/"), l.title.clone().unwrap_or_default(), pages.into(), Some(code.as_str()))
    });
    // Zola titles a term's feed "{title} - {term}"; fanzine's own sites keep "{title}: {tag}".
    let separator = if site.config.is_zola() { " - " } else { ": " };
    let tags_fed = cx.builtins.tags && site.tag_feeds();
    let tag_feeds = site.tags.iter().filter(|_| tags_fed).map(|tag| {
        let folder = format!("tags/{}/", tag.slug);
        planned(folder, format!("{}{separator}{}", site.config.title, tag.name), tag.dated().into(), None)
    });
    let sections = site.section_feeds().map(|s| {
        let section = &site.sections[s];
        let folder = section.index.path.trim_start_matches('/').to_string();
        let name = match section.index.source.front.title.as_str() {
            "" => section.folder(),
            title => title,
        };
        // Newest first, whatever order the section lists them in.
        let mut dated: Vec<usize> = section.pages.iter().copied().filter(|&i| i < site.dated).collect();
        dated.sort_unstable();
        planned(folder, format!("{}: {name}", site.config.title), dated.into(), section.lang())
    });
    // A taxonomy's feeds follow its own `feed`, whatever `[feed] enabled` says, as in Zola.
    let term_feeds = (site.taxonomies.iter().filter(|t| t.render && t.feed)).flat_map(|taxonomy| {
        taxonomy.terms.iter().map(move |term| {
            let folder = taxonomy.term_path(term).trim_start_matches('/').to_string();
            // Another language's term is titled with that language's title, when it has one.
            let language = taxonomy.lang.as_ref().and_then(|code| site.config.languages.get(code));
            let title = language.and_then(|l| l.title.as_deref()).unwrap_or(&site.config.title);
            planned(folder, format!("{title}{separator}{}", term.name), term.dated().into(), taxonomy.lang.as_deref())
        })
    });
    let feeds: Vec<_> = std::iter::once(site_feed)
        .filter(|_| feed.enabled)
        .chain(languages)
        .chain(tag_feeds)
        .chain(sections)
        .chain(term_feeds)
        .flat_map(|planned| {
            site.config.feed_names(planned.lang).into_iter().map(move |name| {
                (format!("{}{name}", planned.folder), planned.title.clone(), planned.pages.clone(), planned.lang)
            })
        })
        .collect();
    // Each feed carries whole posts, so they are worth rendering in parallel; the first failure in feed order is
    // the one reported, whatever the threads did.
    let rendered: Vec<_> =
        feeds.into_par_iter().map(|(path, title, pages, lang)| render_feed(cx, path, title, &pages, lang)).collect();
    rendered.into_iter().collect()
}

fn render_feed(
    cx: &Cx,
    path: String,
    title: String,
    pages: &[usize],
    lang: Option<&str>,
) -> Result<(String, Made), Diagnostic> {
    let site = cx.site;
    let chosen: Vec<usize> = pages.iter().copied().take(site.config.feed.limit).collect();
    let updated = chosen
        .iter()
        .filter_map(|&i| {
            let page = &site.pages[i];
            page.date.map(|date| page.source.front.updated.unwrap_or(date).max(date))
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let vars = FeedVars {
        language: super::language::Localized { config: &site.config, lang },
        feed: FeedView {
            title,
            url: site.url(&format!("/{path}")),
            home_url: site.url("/"),
            updated,
            full_content: site.config.feed.full_content,
            pages: chosen.iter().map(|&i| cx.views.full_view(site, i)).collect(),
        },
    };
    // The config admits only names with a format.
    match FeedFormat::of(&path).unwrap_or(FeedFormat::Atom) {
        FeedFormat::Json => cx.file(path, FeedFormat::Json.template(), &vars),
        format => cx.xml_file(path, format.template(), &vars),
    }
}

pub fn sitemap_and_robots(cx: &Cx) -> Files {
    let site = cx.site;
    let entries = sitemap_entries(site, cx.builtins);
    let mut files = sitemap_files(cx, &entries, SITEMAP_LIMIT)?;
    files.push(cx.file("robots.txt".into(), "robots.txt", &RobotsVars { sitemap_url: site.url("/sitemap.xml") })?);
    Ok(files)
}

/// `sitemap.xml` with every entry, or as the index of its parts of `limit` entries each ([`sitemap_parts`]).
fn sitemap_files(cx: &Cx, entries: &[SitemapEntry], limit: usize) -> Files {
    let parts = sitemap_parts(entries.len(), limit);
    if parts.is_empty() {
        return Ok(vec![cx.xml_file("sitemap.xml".into(), "sitemap.xml", &SitemapVars { entries })?]);
    }
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (name, entries) in parts.iter().zip(entries.chunks(limit)) {
        files.push(cx.xml_file(name.clone(), "sitemap.xml", &SitemapVars { entries })?);
    }
    let sitemaps = parts.iter().map(|name| cx.site.url(&format!("/{name}"))).collect();
    files.push(cx.xml_file("sitemap.xml".into(), "split_sitemap_index.xml", &SitemapIndexVars { sitemaps })?);
    Ok(files)
}

/// Every URL the sitemap lists, in its order: the home page, the posts, the sections, the lists, the tags and the
/// taxonomies' pages.
pub fn sitemap_entries<'a>(site: &'a crate::site::Site, builtins: super::builtins::Builtins) -> Vec<SitemapEntry<'a>> {
    // The newest post's date, in the site's language; Zola 0.21 gives its home page (a section) no `lastmod`.
    let newest = site.pages.iter().find(|p| p.source.lang.is_none()).and_then(|p| p.date);
    let home =
        SitemapEntry { url: site.url("/").into(), lastmod: newest.filter(|_| !site.config.is_zola()).map(|d| d.ymd()) };
    let posts = site.pages.iter().map(|p| SitemapEntry {
        url: p.permalink.as_str().into(),
        lastmod: p.source.front.updated.or(p.date).map(|d| d.ymd()),
    });
    let sections = (site.sections.iter().skip(1))
        .filter(|s| s.renders() && s.front().redirect_to.is_none())
        .map(|s| SitemapEntry { url: s.index.permalink.as_str().into(), lastmod: None });
    let lists = [("/archive/", builtins.theme), ("/tags/", builtins.tags)]
        .into_iter()
        .filter(|&(_, made)| made)
        .map(|(path, _)| SitemapEntry { url: site.url(path).into(), lastmod: None });
    let tags = (site.tags.iter().filter(|_| builtins.tags))
        .map(|t| SitemapEntry { url: site.url(&format!("/tags/{}/", t.slug)).into(), lastmod: None });
    let taxonomies = site.taxonomies.iter().filter(|t| t.render).flat_map(|taxonomy| {
        let terms = taxonomy.terms.iter().map(|term| taxonomy.term_path(term));
        std::iter::once(taxonomy.path())
            .chain(terms)
            .map(|path| SitemapEntry { url: site.url(&path).into(), lastmod: None })
    });
    std::iter::once(home).chain(posts).chain(sections).chain(lists).chain(tags).chain(taxonomies).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::memo::Memo;
    use crate::templates::Templates;

    /// Zola 0.21, recorded with `zola build` on sites of 29,999, 30,000 and 30,005 entries: one sitemap below the
    /// limit; from the limit on, an index and parts of 30,000 (so 30,000 entries make an index of one part).
    #[test]
    fn a_sitemap_is_split_from_zolas_limit_on() {
        assert_eq!(sitemap_parts(29_999, SITEMAP_LIMIT), Vec::<String>::new());
        assert_eq!(sitemap_parts(30_000, SITEMAP_LIMIT), ["sitemap1.xml"]);
        assert_eq!(sitemap_parts(30_005, SITEMAP_LIMIT), ["sitemap1.xml", "sitemap2.xml"]);
        assert_eq!(sitemap_parts(90_001, SITEMAP_LIMIT).len(), 4);
    }

    /// A site of five posts, its sitemap split two entries a part: every entry in one part, in order, and the index
    /// names the parts.
    #[test]
    fn the_parts_hold_every_entry_once_and_the_index_names_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fanzine.toml"), "title = \"t\"\nbase_url = \"https://example.com\"\n").unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        for n in 0..5 {
            let post = format!("+++\ntitle = \"P{n}\"\ndate = 2020-01-0{}\n+++\nText.\n", n + 1);
            std::fs::write(dir.path().join(format!("content/p{n}.md")), post).unwrap();
        }
        let options = crate::site::BuildOptions::new(dir.path(), time::macros::date!(2026 - 01 - 01));
        let site = crate::site::load(&options, None).unwrap();
        let templates = Templates::load(dir.path(), None).unwrap();
        let builtins = crate::render::builtins::Builtins::of(&site, &templates);
        let entries = sitemap_entries(&site, builtins);
        let ((files, small), _) = super::super::cx::with_cx(&site, &templates, &mut Memo::default(), |cx| {
            (sitemap_files(cx, &entries, 2).unwrap(), sitemap_files(cx, &entries, 100).unwrap().len())
        });
        assert!(entries.len() >= 6, "the home page and five posts, at least");
        let text = |path: &str| {
            let (_, made) = files.iter().find(|(p, _)| p == path).unwrap();
            let crate::render::Entry::Bytes(bytes) = &made.entry else { panic!("{path} was rendered") };
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        let parts = entries.len().div_ceil(2);
        assert_eq!(files.len(), parts + 1);
        let index = text("sitemap.xml");
        assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{index}");
        let mut listed = Vec::new();
        for n in 1..=parts {
            assert!(index.contains(&format!("<loc>https://example.com/sitemap{n}.xml</loc>")), "{index}");
            let part = text(&format!("sitemap{n}.xml"));
            assert!(part.contains("<urlset"), "{part}");
            listed.extend(part.split("<loc>").skip(1).map(|l| l.split("</loc>").next().unwrap().to_string()));
        }
        let all: Vec<String> = entries.iter().map(|e| e.url.to_string()).collect();
        assert_eq!(listed, all, "every entry once, in order");
        assert_eq!(small, 1, "below the limit, one sitemap.xml");
    }
}
