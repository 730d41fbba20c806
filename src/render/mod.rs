//! The render stage: the site model in, every output file as bytes out. No I/O happens here (static files are
//! named, not read), so the preview server, `check` and the tests all reuse it.
mod feeds;
mod links;
mod lists;
mod views;

use crate::error::{BuildFailed, Diagnostic, Location, Report};
use crate::site::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tera::Context;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Bytes(Vec<u8>),
    /// Copied from this source file when written (static files, bundle assets).
    Copy(PathBuf),
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
    let mut report = Report::default();
    report.extend(site.diagnostics.iter().cloned());
    let views = views::Views::new(site);
    let base = views.base_context(site);
    let mut files: BTreeMap<String, Entry> = BTreeMap::new();

    let rendered: Vec<_> =
        (0..site.pages.len()).into_par_iter().map(|i| render_page(site, templates, &views, &base, i)).collect();
    for (i, result) in rendered.into_iter().enumerate() {
        match result {
            Ok(html) => {
                files.insert(index_file(&site.pages[i].path), Entry::Bytes(html.into_bytes()));
            }
            Err(d) => report.push(d),
        }
    }
    // The lists are independent of each other; a feed carrying whole posts costs as much as many pages.
    type Generator<'a> = &'a (dyn Fn() -> Result<Vec<(String, String)>, Diagnostic> + Sync);
    let generators: [Generator; 7] = [
        &|| lists::home(site, templates, &views, &base),
        &|| lists::tags(site, templates, &views, &base),
        &|| lists::archive(site, templates, &views, &base),
        &|| lists::aliases(site, templates, &base),
        &|| feeds::feeds(site, templates, &views, &base),
        &|| feeds::sitemap_and_robots(site, templates, &base),
        &|| single(templates, "404.html", "404.html", &base),
    ];
    let generated: Vec<_> = generators.par_iter().map(|generate| generate()).collect();
    for result in generated {
        match result {
            Ok(list) => files.extend(list.into_iter().map(|(path, body)| (path, Entry::Bytes(body.into_bytes())))),
            Err(d) => report.push(d),
        }
    }
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
    i: usize,
) -> Result<String, Diagnostic> {
    let page = &site.pages[i];
    let template = page.source.front.template.as_deref().unwrap_or("post.html");
    if !templates.has(template) {
        let at = page.source.front.template_at.clone().unwrap_or_else(|| Location::file(&page.source.path));
        return Err(templates.missing(template, at));
    }
    let mut context = base.clone();
    context.insert("page", &views.full(site, i));
    // Older and newer posts: pages are sorted newest first.
    context.insert("previous", views.summary(i + 1).unwrap_or(&Value::Null));
    context.insert("next", i.checked_sub(1).and_then(|j| views.summary(j)).unwrap_or(&Value::Null));
    context.insert("current_url", &page.permalink);
    context.insert("current_path", &page.path);
    templates.render(template, &context).map_err(|d| in_page(d, &page.source.path))
}

/// A template error met while rendering a post also names the post, since the same template works for others.
fn in_page(mut d: Diagnostic, source: &str) -> Diagnostic {
    d.message = format!("{} (while rendering {source})", d.message);
    d
}

pub(crate) fn single(
    templates: &Templates,
    name: &str,
    output: &str,
    base: &Context,
) -> Result<Vec<(String, String)>, Diagnostic> {
    Ok(vec![(output.to_string(), templates.render(name, base)?)])
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
            files.insert("highlight.css".into(), Entry::Bytes(css.into_bytes()));
        }
        Err(e) => report.push(Diagnostic::error(Some(Location::file(crate::config::CONFIG_FILE)), e)),
    }
    files.insert("style.css".into(), Entry::Bytes(DEFAULT_STYLE.as_bytes().to_vec()));
    for page in &site.pages {
        let dir = page.path.trim_matches('/');
        let bundle = page.source.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        for (name, text) in &page.content.attachments {
            files.insert(format!("{dir}/{name}"), Entry::Bytes(text.clone().into_bytes()));
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
