//! Pages that list posts: the paginated home page, the tag index and tag pages, the archive, alias redirects.
//!
//! Each file is rendered from one struct of template variables ([`Cx::file`]), which is also its key in the memo.
//! Structs of borrowed summaries rather than `json!` values, so that a list of thousands of posts is copied once
//! (into the Tera context), not twice; their fields serialise to the same JSON objects.
use super::cx::{Cx, Files};
use super::index_file;
use super::views::Shown;
use crate::markdown::{Html, Lost};
use crate::output_path;
use crate::site::{Paging, Site, Tag};
use serde::Serialize;

/// A section's list page (the home page is the root section's), with Zola's names for what it shows.
#[derive(Hash, Serialize)]
struct SectionVars<'a> {
    #[serde(flatten)]
    language: super::language::Localized<'a>,
    section: SectionView<'a>,
    paginator: Paginator<'a>,
    current_url: String,
    current_path: String,
}

#[derive(Hash, Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    /// The `_index.md`'s body, rendered.
    content: &'a Html,
    permalink: &'a str,
    path: &'a str,
    /// Every page it lists, when it is not paginated (the paginator has them then): a home page of ten thousand
    /// posts would otherwise carry them all on each of its thousand pages.
    #[serde(serialize_with = "super::views::built_together")]
    pages: Vec<Shown<'a>>,
    subsections: &'a [SubsectionView<'a>],
    feed_url: Option<&'a str>,
    /// `[extra]` and the rest of the front matter that templates may want: hashed as its JSON text, and shown as
    /// fields of the section itself (`section.extra`).
    #[serde(flatten)]
    more: Json<'a>,
}

#[derive(Hash, Serialize)]
struct SubsectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    permalink: &'a str,
    path: &'a str,
    /// How many pages it lists.
    count: usize,
    /// Its `_index.md` under `content/`, which Zola's templates pass to `get_section(path=…)`; `get_section` also
    /// takes the whole entry.
    relative_path: &'a str,
}

/// A JSON map in a memo key, hashed as its text (written once per section, not once per list page); serialised
/// flat into the struct that holds it.
struct Json<'a> {
    map: &'a serde_json::Map<String, serde_json::Value>,
    text: &'a str,
}

impl std::hash::Hash for Json<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.map.len()))?;
        for (k, v) in self.map {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Hash, Serialize)]
struct Paginator<'a> {
    #[serde(serialize_with = "super::views::built_together")]
    pages: Vec<Shown<'a>>,
    current_page: usize,
    number_of_pages: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    /// Zola's names for the same.
    current_index: usize,
    number_pagers: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
    paginate_by: usize,
    total_pages: usize,
    /// Where the later pages are: `{path}{paginate_path}/`, as Zola gives it.
    base_url: String,
}

impl<'a> Paginator<'a> {
    /// Page `n` of a list split as `paging` says, showing `pages`.
    fn of(cx: &Cx, paging: &Paging, n: usize, pages: Vec<Shown<'a>>) -> Paginator<'a> {
        let count = paging.count();
        let url = |n: usize| cx.site.url(&paging.path_of(n));
        let (previous, next) = ((n > 1).then(|| url(n - 1)), (n < count).then(|| url(n + 1)));
        Paginator {
            pages,
            current_page: n,
            number_of_pages: count,
            previous_url: previous.clone(),
            next_url: next.clone(),
            current_index: n,
            number_pagers: count,
            previous,
            next,
            first: url(1),
            last: url(count),
            paginate_by: paging.per_page(),
            total_pages: paging.total,
            base_url: cx.site.url(&format!("{}{}/", paging.path, paging.paginate_path.trim_matches('/'))),
        }
    }
}

#[derive(Hash, Serialize)]
struct TagsVars<'a> {
    tags: Vec<TagEntry<'a>>,
    current_url: String,
    current_path: &'static str,
}

#[derive(Hash, Serialize)]
struct TagEntry<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Hash, Serialize)]
struct TagVars<'a> {
    tag: &'a TagView<'a>,
    /// Only when the config's `tags` entry has `paginate_by`, as a term's.
    #[serde(skip_serializing_if = "Option::is_none")]
    paginator: Option<Paginator<'a>>,
    current_url: String,
    current_path: String,
}

#[derive(Hash, Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    #[serde(serialize_with = "super::views::built_together")]
    pages: Vec<Shown<'a>>,
    feed_url: Option<String>,
}

/// A taxonomy's list of terms, with Zola's names (`taxonomy`, `terms`).
#[derive(Hash, Serialize)]
struct TaxonomyListVars<'a> {
    #[serde(flatten)]
    language: super::language::Localized<'a>,
    taxonomy: &'a TaxonomyView<'a>,
    terms: &'a [TermView<'a>],
    current_url: String,
    current_path: String,
}

/// A term's page, with Zola's names (`taxonomy`, `term`).
#[derive(Hash, Serialize)]
struct TermVars<'a> {
    #[serde(flatten)]
    language: super::language::Localized<'a>,
    taxonomy: &'a TaxonomyView<'a>,
    term: &'a TermView<'a>,
    /// Only for a taxonomy with `paginate_by`, as in Zola: templates test `{% if paginator %}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    paginator: Option<Paginator<'a>>,
    current_url: String,
    current_path: String,
}

#[derive(Hash, Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    slug: &'a str,
    feed: bool,
    permalink: String,
    path: String,
    /// The rest of Zola's taxonomy (its config entry).
    paginate_by: Option<usize>,
    paginate_path: Option<&'a str>,
    render: bool,
}

#[derive(Hash, Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: String,
    path: String,
    page_count: usize,
    #[serde(serialize_with = "super::views::built_together")]
    pages: Vec<Shown<'a>>,
    feed_url: Option<String>,
}

#[derive(Hash, Serialize)]
struct ArchiveVars<'a> {
    years: Vec<Year<'a>>,
    current_url: String,
    current_path: &'static str,
}

#[derive(Hash, Serialize)]
struct Year<'a> {
    year: i32,
    #[serde(serialize_with = "super::views::built_together")]
    pages: Vec<Shown<'a>>,
}

#[derive(Hash, Serialize)]
struct AliasVars<'a> {
    target: &'a str,
}

/// Each section's list pages (`/`, `/page/2/`, …, and `/blog/`, `/blog/page/2/`, … likewise), its redirect from
/// `page/1/` when it is paginated, and its aliases; a section with `redirect_to` is a redirect instead.
pub fn sections(cx: &Cx) -> Files {
    let mut files = Vec::new();
    for (s, section) in cx.site.sections.iter().enumerate() {
        let target = &section.index.permalink;
        for path in section.index.source.front.aliases.iter().filter_map(|alias| output_path::alias_file(alias).ok()) {
            files.push(cx.file(path, "alias.html", &AliasVars { target })?);
        }
        if !section.renders() {
            continue;
        }
        if let Some(to) = &section.front().redirect_to {
            let target = redirect_target(cx, to);
            files.push(cx.file(index_file(&section.index.path), "alias.html", &AliasVars { target: &target })?);
            continue;
        }
        if section.front().paginate_by.is_some() {
            files.extend(first_page_redirect(cx, &section.paging(), target)?);
        }
        files.extend(section_pages(cx, s)?);
    }
    Ok(files)
}

/// Where `redirect_to` sends readers: a full URL as it is, a path from the site's root.
fn redirect_target(cx: &Cx, to: &str) -> String {
    if to.starts_with("http://") || to.starts_with("https://") {
        to.to_string()
    } else {
        cx.site.url(&format!("/{}", to.trim_start_matches('/')))
    }
}

/// A paginated list's `{paginate_path}/1/`, which sends readers to the list's own URL, as Zola does.
fn first_page_redirect(cx: &Cx, paging: &Paging, target: &str) -> Files {
    // A `paginate_path` that fails the gate was reported when the render was planned.
    let Ok(url) = output_path::url(&paging.first_page_path()) else { return Ok(Vec::new()) };
    Ok(vec![cx.file(index_file(&url), "alias.html", &AliasVars { target })?])
}

fn section_pages(cx: &Cx, s: usize) -> Files {
    let site = cx.site;
    let section = &site.sections[s];
    let paging = section.paging();
    let count = paging.count();
    let source = &section.index.source;
    let more = section_more(site, s);
    let more_text = serde_json::to_string(&more).unwrap_or_default();
    let subsections = subsection_views(site, s);
    let feed_url = section_feed_url(site, s);
    // A missing template was reported when the templates were chosen.
    let Some(template) = cx.chosen.sections[s].as_deref() else { return Ok(Vec::new()) };
    let mut files = Vec::with_capacity(count);
    for n in 1..=count {
        let shown: Vec<Shown> =
            section.pages[paging.range(n)].iter().filter_map(|&i| cx.views.shown(cx.site, i)).collect();
        let path = paging.path_of(n);
        let vars = SectionVars {
            language: super::language::Localized { config: &site.config, lang: section.lang() },
            section: SectionView {
                title: &source.front.title,
                description: source.front.description.as_deref(),
                content: &section.index.content.html,
                permalink: &section.index.permalink,
                path: &section.index.path,
                pages: if section.paginate_by.is_some() { Vec::new() } else { shown.clone() },
                subsections: &subsections,
                feed_url: feed_url.as_deref(),
                more: Json { map: &more, text: &more_text },
            },
            paginator: Paginator::of(cx, &paging, n, shown),
            current_url: site.url(&path),
            current_path: path.clone(),
        };
        files.push(cx.file(index_file(&path), template, &vars).map_err(|d| in_section(d, source))?);
    }
    Ok(files)
}

/// `[extra]` and what else a section's template sees of its front matter, with Zola's fields.
fn section_more(site: &Site, s: usize) -> serde_json::Map<String, serde_json::Value> {
    let section = &site.sections[s];
    let source = &section.index.source;
    let mut more = serde_json::Map::new();
    more.insert("extra".into(), serde_json::Value::Object(source.front.extra.clone()));
    more.insert("weight".into(), source.front.weight.into());
    more.insert("sort_by".into(), format!("{:?}", section.sort_by).to_lowercase().into());
    zola_section_fields(site, s, &mut more);
    more
}

fn subsection_views(site: &Site, s: usize) -> Vec<SubsectionView<'_>> {
    site.sections[s]
        .subsections
        .iter()
        .map(|&c| &site.sections[c])
        .filter(|c| c.renders())
        .map(|c| SubsectionView {
            title: &c.index.source.front.title,
            description: c.index.source.front.description.as_deref(),
            permalink: &c.index.permalink,
            path: &c.index.path,
            count: c.pages.len(),
            relative_path: super::views::relative_path(&c.index.source.path),
        })
        .collect()
}

fn section_feed_url(site: &Site, s: usize) -> Option<String> {
    let feed = &site.config.feed;
    match s {
        0 => feed.enabled.then(|| site.url(&format!("/{}", feed.filename))),
        _ => site
            .section_feeds()
            .any(|f| f == s)
            .then(|| site.url(&format!("{}{}", site.sections[s].index.path, feed.filename))),
    }
}

/// Section `s` as `get_section()` returns it: the fields its own template sees as `section`, with `pages` as
/// given (whole pages, as Zola's), or without pages and subsections when `metadata_only`.
pub(super) fn section_value(
    site: &Site,
    s: usize,
    pages: Vec<serde_json::Value>,
    metadata_only: bool,
) -> Result<serde_json::Value, Lost> {
    let section = &site.sections[s];
    let source = &section.index.source;
    let more = section_more(site, s);
    let subsections = if metadata_only { Vec::new() } else { subsection_views(site, s) };
    let feed_url = section_feed_url(site, s);
    let view = SectionView {
        title: &source.front.title,
        description: source.front.description.as_deref(),
        content: &section.index.content.html,
        permalink: &section.index.permalink,
        path: &section.index.path,
        pages: Vec::new(),
        subsections: &subsections,
        feed_url: feed_url.as_deref(),
        more: Json { map: &more, text: "" },
    };
    let lost = |e: serde_json::Error| Lost::new(&source.path, e.into());
    let mut value = serde_json::to_value(&view).map_err(lost)?;
    value["pages"] = serde_json::Value::Array(pages);
    Ok(value)
}

/// What Zola's `section` has besides fanzine's fields, all made from the section alone (so hashed with `more`).
fn zola_section_fields(site: &Site, s: usize, more: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let section = &site.sections[s];
    let (index, front) = (&section.index, section.front());
    let implied = super::views::index_path("", section.lang());
    let relative = if section.explicit { super::views::relative_path(&index.source.path) } else { &implied };
    let fields = [
        ("relative_path", json!(relative)),
        ("colocated_path", json!(null)),
        ("draft", json!(index.source.front.draft)),
        ("ancestors", json!(super::views::ancestors(site, section.lang(), section.folder(), Some(section.folder())))),
        ("components", json!(super::views::components(&index.path))),
        (
            "toc",
            json!(index.content.toc.iter().map(|e| super::views::toc_entry(&index.permalink, e)).collect::<Vec<_>>()),
        ),
        ("word_count", json!(index.content.word_count)),
        ("reading_time", json!(crate::markdown::reading_time(index.content.word_count))),
        ("lang", json!(section.lang().unwrap_or(&site.config.language))),
        ("assets", json!([])),
        ("translations", json!(index.relations.translations)),
        ("backlinks", json!(index.relations.backlinks)),
        ("generate_feeds", json!(front.generate_feeds.unwrap_or(false))),
        ("transparent", json!(front.transparent)),
        ("paginate_by", json!(section.paginate_by)),
        ("paginate_reversed", json!(front.paginate_reversed)),
    ];
    for (key, value) in fields {
        more.insert(key.into(), value);
    }
}

fn in_section(mut d: crate::error::Diagnostic, source: &crate::content::SourcePage) -> crate::error::Diagnostic {
    if !source.path.is_empty() {
        d.message = format!("{} (while rendering {})", d.message, source.path);
    }
    d
}

/// `/tags/` and a page for each tag.
pub fn tags(cx: &Cx) -> Files {
    let site = cx.site;
    if !cx.builtins.tags {
        return Ok(Vec::new());
    }
    if tags_by_zola_templates(cx) {
        return taxonomy_files(cx, "tags", "tags", site.tag_feeds(), &site.tags, site.tags_split(), None);
    }
    let mut files = Vec::with_capacity(site.tags.len() + 1);
    let tags = site
        .tags
        .iter()
        .map(|t| TagEntry { name: &t.name, slug: &t.slug, url: tag_url(cx, t), count: t.pages.len() })
        .collect();
    let vars = TagsVars { tags, current_url: site.url("/tags/"), current_path: "/tags/" };
    files.push(cx.file("tags/index.html".into(), "tags.html", &vars)?);
    let feed = &site.config.feed;
    for tag in site.tags.iter() {
        let path = format!("/tags/{}/", tag.slug);
        let paging = site.tag_paging(tag, &path);
        let view = TagView {
            name: &tag.name,
            slug: &tag.slug,
            url: tag_url(cx, tag),
            count: tag.pages.len(),
            pages: tag.pages.iter().filter_map(|&i| cx.views.shown(cx.site, i)).collect(),
            feed_url: site.tag_feeds().then(|| site.url(&format!("/tags/{}/{}", tag.slug, feed.filename))),
        };
        files.extend(paged_files(cx, &paging, &tag.pages, &view.url, "tag.html", |paginator, current_path| TagVars {
            tag: &view,
            paginator,
            current_url: site.url(&current_path),
            current_path,
        })?);
    }
    Ok(files)
}

fn tag_url(cx: &Cx, tag: &Tag) -> String {
    cx.site.url(&format!("/tags/{}/", tag.slug))
}

/// For each declared taxonomy that renders: the list of its terms at `/{taxonomy}/` and a page per term at
/// `/{taxonomy}/{term}/`, from the site's `{name}/list.html` and `{name}/single.html` as in Zola, else the built-in
/// `taxonomy_list.html` and `taxonomy_single.html`.
pub fn taxonomies(cx: &Cx) -> Files {
    let mut files = Vec::new();
    for t in cx.site.taxonomies.iter().filter(|t| t.render) {
        let split = (t.paginate_by.filter(|&n| n > 0), t.paginate_path.as_str());
        files.extend(taxonomy_files(cx, &t.name, &t.slug, t.feed, &t.terms, split, t.lang.as_deref())?);
    }
    Ok(files)
}

/// Whether a Zola site's `tags` are rendered as a taxonomy, by its own `tags/list.html` or `taxonomy_list.html`
/// (with Zola's variables), rather than by fanzine's `tags.html` and `tag.html`.
fn tags_by_zola_templates(cx: &Cx) -> bool {
    let own = |name| cx.templates.is_own(name);
    cx.site.config.is_zola() && (own("tags/list.html") || own("taxonomy_list.html")) && !own("tags.html")
}

/// A taxonomy's list of terms and a page per term, each split as `split` says: (terms per page, `None` for one
/// page; the folder of the later pages).
fn taxonomy_files<'a>(
    cx: &Cx<'a>,
    name: &str,
    slug: &str,
    feed: bool,
    terms_in: &'a [Tag],
    split: (Option<usize>, &str),
    lang: Option<&'a str>,
) -> Files {
    let site = cx.site;
    let mut files = Vec::new();
    let own = |kind: &str, default: &'static str| {
        let own = format!("{name}/{kind}.html");
        // A series' page lists its parts in order, unless the site has its own page for every term.
        let series = name == crate::site::series::TAXONOMY && kind == "single";
        let default = if series && !cx.templates.is_own(default) { "series.html" } else { default };
        if cx.templates.has(&own) { own } else { default.to_string() }
    };
    let declarations = match lang.and_then(|code| site.config.languages.get(code)) {
        Some(language) => &language.taxonomies,
        None => &site.config.taxonomies,
    };
    let declared = declarations.iter().find(|d| d.name == name);
    let language = super::language::Localized { config: &site.config, lang };
    let path = crate::site::languages::localized(lang, format!("/{slug}/"));
    let view = TaxonomyView {
        name,
        slug,
        feed,
        permalink: site.url(&path),
        path: path.clone(),
        paginate_by: declared.and_then(|d| d.paginate_by),
        paginate_path: declared.and_then(|d| d.paginate_path.as_deref()),
        render: declared.is_none_or(|d| d.render),
    };
    let term_view = |term: &'a Tag| {
        let path = crate::site::languages::localized(lang, format!("/{slug}/{}/", term.slug));
        let feed = feed.then(|| site.url(&format!("{path}{}", site.config.feed.filename)));
        TermView {
            name: &term.name,
            slug: &term.slug,
            permalink: site.url(&path),
            path,
            page_count: term.pages.len(),
            pages: super::reading::term_pages(cx, name, term)
                .iter()
                .filter_map(|&i| cx.views.shown(cx.site, i))
                .collect(),
            feed_url: feed,
        }
    };
    // Made once: the list shows every term with its pages, and each term's page shows the same view.
    let terms: Vec<TermView> = terms_in.iter().map(term_view).collect();
    let current_url = site.url(&path);
    let vars = TaxonomyListVars { language, taxonomy: &view, terms: &terms, current_url, current_path: path };
    files.push(cx.file(index_file(&vars.current_path), &own("list", "taxonomy_list.html"), &vars)?);
    let single = own("single", "taxonomy_single.html");
    for (term, shown_term) in terms_in.iter().zip(&terms) {
        let paging = Paging { path: &shown_term.path, paginate_path: split.1, per: split.0, total: term.pages.len() };
        files.extend(paged_files(
            cx,
            &paging,
            super::reading::term_pages(cx, name, term),
            &shown_term.permalink,
            &single,
            |paginator, current_path| {
                let current_url = site.url(&current_path);
                TermVars { language, taxonomy: &view, term: shown_term, paginator, current_url, current_path }
            },
        )?);
    }
    Ok(files)
}

/// The files of a tag's or a term's list of `pages`, split as `paging` says: when split, the redirect from the
/// first page's own folder to `permalink`, then a file per page, each with a paginator showing its share;
/// unsplit, one file and no paginator (Zola's templates test `{% if paginator %}`). `vars` makes a file's
/// variables from its paginator and its path.
fn paged_files<'a, V: std::hash::Hash + Serialize>(
    cx: &Cx<'a>,
    paging: &Paging,
    pages: &[usize],
    permalink: &str,
    template: &str,
    vars: impl Fn(Option<Paginator<'a>>, String) -> V,
) -> Files {
    let mut files = Vec::with_capacity(paging.count() + 1);
    if paging.per.is_some() {
        files.extend(first_page_redirect(cx, paging, permalink)?);
    }
    for n in 1..=paging.count() {
        let paginator = paging.per.map(|_| {
            let shown = pages[paging.range(n)].iter().filter_map(|&i| cx.views.shown(cx.site, i)).collect();
            Paginator::of(cx, paging, n, shown)
        });
        let current_path = paging.path_of(n);
        let file = index_file(&current_path);
        files.push(cx.file(file, template, &vars(paginator, current_path))?);
    }
    Ok(files)
}

/// All posts grouped by year, newest year first.
pub fn archive(cx: &Cx) -> Files {
    if !cx.builtins.theme {
        return Ok(Vec::new());
    }
    let mut years: Vec<Year> = Vec::new();
    for (i, page) in cx.site.pages[..cx.site.dated].iter().enumerate() {
        let year = page.date.map_or(0, |d| d.at.year());
        let shown = cx.views.shown(cx.site, i);
        match years.last_mut() {
            Some(y) if y.year == year => y.pages.extend(shown),
            _ => years.push(Year { year, pages: shown.into_iter().collect() }),
        }
    }
    let vars = ArchiveVars { years, current_url: cx.site.url("/archive/"), current_path: "/archive/" };
    Ok(vec![cx.file("archive/index.html".into(), "archive.html", &vars)?])
}

/// A small page at each old URL that sends readers (and search engines) to the post's current one.
pub fn aliases(cx: &Cx) -> Files {
    let mut files = Vec::new();
    for page in &cx.site.pages {
        // Every alias passed the output-path gate when the site was loaded (a page with a bad one is left out).
        for path in page.source.front.aliases.iter().filter_map(|alias| output_path::alias_file(alias).ok()) {
            files.push(cx.file(path, "alias.html", &AliasVars { target: &page.permalink })?);
        }
    }
    Ok(files)
}
