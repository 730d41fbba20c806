//! The render stage: the site model in, every output file as bytes out. No I/O happens here (static files are
//! named, not read), so the preview server, `check` and the tests all reuse it.
mod feeds;
mod links;
mod lists;
mod memo;
mod views;

use crate::error::{BuildFailed, Diagnostic, Location, Report};
use crate::site::Site;
use crate::templates::Templates;
pub use memo::Memo;
use memo::{Kept, Key, Made};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use tera::Context;

/// One file of the built site.
#[derive(Debug, Clone, Eq)]
pub enum Entry {
    /// Shared, so that a file reused from the last render (and every request serving it) costs no copy.
    Bytes(Arc<[u8]>),
    /// Copied from this source file when written (static files, bundle assets).
    Copy(PathBuf),
}

/// Bytes shared with the last render are equal without being compared: the preview server compares every file of
/// two outputs on each save, and most of them are the same allocation.
impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        match (self, other) {
            (Entry::Bytes(a), Entry::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Entry::Copy(a), Entry::Copy(b)) => a == b,
            _ => false,
        }
    }
}

/// The whole built site: output path (relative, `/`-separated) → content. Sorted, so writing is deterministic.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Entry>,
}

impl Output {
    /// The bytes of a generated file, if it is one.
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            Entry::Bytes(b) => Some(b),
            Entry::Copy(_) => None,
        }
    }
}

/// Renders the whole site, then checks its internal links. Returns the output and the warnings.
pub fn render(site: &Site, templates: &Templates) -> Result<(Output, Vec<Diagnostic>), BuildFailed> {
    render_reusing(site, templates, &mut Memo::disposable())
}

/// [`render`], reusing the files of the memo's last render whose inputs did not change: the same output, byte for
/// byte, for less work. The memo is then left holding this render's files.
pub fn render_reusing(
    site: &Site,
    templates: &Templates,
    memo: &mut Memo,
) -> Result<(Output, Vec<Diagnostic>), BuildFailed> {
    let mut report = Report::default();
    report.extend(site.diagnostics.iter().cloned());
    memo.start(site, templates);
    let views = views::Views::new(site, memo);
    let base = views.base_context(site);
    let kept = memo.take_files();
    let mut files: BTreeMap<String, Entry> = BTreeMap::new();
    let mut made_now: HashMap<String, (u64, Arc<[u8]>)> = HashMap::with_capacity(site.pages.len() * 11 / 10);
    let mut rendered = 0;
    let mut add = |files: &mut BTreeMap<String, Entry>, path: String, made: Made| {
        rendered += usize::from(made.fresh);
        made_now.insert(path.clone(), (made.key, made.bytes.clone()));
        files.insert(path, Entry::Bytes(made.bytes));
    };

    let posts: Vec<_> =
        (0..site.pages.len()).into_par_iter().map(|i| render_page(site, templates, &views, &base, &kept, i)).collect();
    for (i, result) in posts.into_iter().enumerate() {
        match result {
            Ok(made) => add(&mut files, index_file(&site.pages[i].path), made),
            Err(d) => report.push(d),
        }
    }
    type Producer<'a> = Box<dyn Fn() -> Result<Vec<(String, Made)>, Diagnostic> + Send + Sync + 'a>;
    let (views, base, kept) = (&views, &base, &kept);
    // Side by side: after one save the archive and a few long tag pages are often all there is to render.
    let producers: [Producer; 7] = [
        Box::new(|| lists::home(site, templates, views, base, kept)),
        Box::new(|| lists::tags(site, templates, views, base, kept)),
        Box::new(|| lists::archive(site, templates, views, base, kept)),
        Box::new(|| lists::aliases(site, templates, base, kept)),
        Box::new(|| feeds::feeds(site, templates, views, base, kept)),
        Box::new(|| feeds::sitemap_and_robots(site, templates, base, kept)),
        Box::new(|| single(templates, "404.html", "404.html", base, kept)),
    ];
    let generated: Vec<_> = producers.par_iter().map(|produce| produce()).collect();
    for result in generated {
        match result {
            Ok(list) => list.into_iter().for_each(|(path, made)| add(&mut files, path, made)),
            Err(d) => report.push(d),
        }
    }
    memo.keep(made_now, rendered);
    add_assets(site, &mut files, &mut report);
    let output = Output { files };
    // Checked even when pages failed, so that one run lists every problem; a link to a page that failed to
    // render is then reported too, which points at the same fix.
    report.extend(links::check(site, &output));
    let warnings = report.finish()?;
    Ok((output, warnings))
}

fn render_page(
    site: &Site,
    templates: &Templates,
    views: &views::Views,
    base: &Context,
    kept: &Kept,
    i: usize,
) -> Result<Made, Diagnostic> {
    let page = &site.pages[i];
    let template = page.source.front.template.as_deref().unwrap_or("post.html");
    if !templates.has(template) {
        let at = page.source.front.template_at.clone().unwrap_or_else(|| Location::file(&page.source.path));
        return Err(templates.missing(template, at));
    }
    // Older and newer posts: pages are sorted newest first.
    let (older, newer) = (i + 1, i.checked_sub(1));
    let key = Key::of("post")
        .with(template)
        .with(views.page_stamp(i))
        .with(views.summary_stamp(older))
        .with(newer.and_then(|j| views.summary_stamp(j)));
    kept.get_or_render(&index_file(&page.path), key, || {
        let mut context = base.clone();
        context.insert("page", &views.full(site, i));
        context.insert("previous", views.summary(older).unwrap_or(&Value::Null));
        context.insert("next", newer.and_then(|j| views.summary(j)).unwrap_or(&Value::Null));
        context.insert("current_url", &page.permalink);
        context.insert("current_path", &page.path);
        templates.render(template, &context).map_err(|d| in_page(d, &page.source.path))
    })
}

/// A template error met while rendering a post also names the post, since the same template works for others.
fn in_page(mut d: Diagnostic, source: &str) -> Diagnostic {
    d.message = format!("{} (while rendering {source})", d.message);
    d
}

/// A file rendered from the base context alone, which only the config and the templates change.
fn single(
    templates: &Templates,
    name: &str,
    output: &str,
    base: &Context,
    kept: &Kept,
) -> Result<Vec<(String, Made)>, Diagnostic> {
    let made = kept.get_or_render(output, Key::of("single").with(name), || templates.render(name, base))?;
    Ok(vec![(output.to_string(), made)])
}

/// `/a/b/` → `a/b/index.html`: pretty URLs on any static host.
pub fn index_file(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "index.html".to_string() } else { format!("{trimmed}/index.html") }
}

fn add_assets(site: &Site, files: &mut BTreeMap<String, Entry>, report: &mut Report) {
    let css = crate::highlight::stylesheet(&site.config.highlight.light_theme, &site.config.highlight.dark_theme);
    match css {
        Ok(css) => {
            files.insert("highlight.css".into(), Entry::Bytes(css.into_bytes().into()));
        }
        Err(e) => report.push(Diagnostic::error(Some(Location::file(crate::config::CONFIG_FILE)), e)),
    }
    files.insert("style.css".into(), Entry::Bytes(DEFAULT_STYLE.as_bytes().into()));
    for page in &site.pages {
        let dir = page.path.trim_matches('/');
        let bundle = page.source.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        for (name, text) in &page.content.attachments {
            files.insert(format!("{dir}/{name}"), Entry::Bytes(text.as_bytes().into()));
        }
        for asset in &page.source.assets {
            let rel = asset.strip_prefix(site.root.join(&bundle)).unwrap_or(asset);
            files.insert(format!("{dir}/{}", crate::content::slashed(rel)), Entry::Copy(asset.clone()));
        }
    }
    for file in &site.static_files {
        if let Some(Entry::Bytes(_)) = files.get(&file.output)
            && !matches!(file.output.as_str(), "style.css" | "robots.txt")
        {
            report.push(
                Diagnostic::warning(
                    Some(Location::file(format!("static/{}", file.output))),
                    "this static file replaces a generated page",
                )
                .with_hint("rename it if that is not what you want"),
            );
        }
        files.insert(file.output.clone(), Entry::Copy(file.source.clone()));
    }
}

/// The built-in theme's stylesheet; a `static/style.css` of the site's own replaces it.
pub const DEFAULT_STYLE: &str = include_str!("../../static/style.css");
