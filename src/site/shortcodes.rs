//! What a shortcode sees, as in Zola 0.21: its arguments, `nth`, `lang`, `config`, `body` for a call with a body,
//! and `page` (or `section` in an `_index.md`) as known before the Markdown is rendered: its URL, dates and front
//! matter, with `content`, `summary` and `toc` still empty. `page`, `section` and `config` win over arguments of
//! the same name.
//!
//! A page's rendering depends on that context and on every template (a shortcode may include any), so both go into
//! the key of its kept Markdown ([`key`]); a page without a call depends on neither.
use super::Page;
use crate::config::Config;
use crate::markdown::shortcodes::{Call, Failure, Kind, Shortcodes};
use crate::templates::Templates;
use serde_json::{Value, json};
use tera::Context;

/// The shortcodes one page may call, rendered with that page's context.
pub(super) struct PageShortcodes<'a> {
    templates: &'a Templates,
    context: Context,
    /// The config's base URL and naming, for the images `resize_image` makes: the functions are bound to the
    /// config only when the site renders, after its Markdown.
    publish: crate::images::jobs::Publish,
}

impl<'a> PageShortcodes<'a> {
    pub fn new(templates: &'a Templates, page: &Page, config: &Config) -> Self {
        let mut context = Context::new();
        let view = view(page, config);
        context.insert(if page.source.section_front.is_some() { "section" } else { "page" }, &view);
        context.insert("config", &crate::render::config_view(config));
        context.insert("lang", &config.language);
        PageShortcodes { templates, context, publish: crate::images::jobs::Publish::of(config) }
    }

    /// The key part of a page's kept Markdown that stands for its shortcodes: every template's text and what the
    /// page shows of itself to them.
    pub fn key(&self) -> String {
        let context = serde_json::to_vec(&self.context.clone().into_json()).unwrap_or_default();
        crate::fingerprint::of(&[self.templates.stable_fingerprint().as_bytes(), &context])
    }
}

impl Shortcodes for PageShortcodes<'_> {
    fn kind(&self, name: &str) -> Option<Kind> {
        self.templates.shortcode(name).map(|(_, kind)| kind)
    }

    fn names(&self) -> Vec<String> {
        self.templates.shortcode_names()
    }

    fn render(&self, call: &Call, nth: usize, body: Option<&str>) -> Result<String, Failure> {
        let (template, _) = self
            .templates
            .shortcode(&call.name)
            .ok_or_else(|| Failure { message: format!("unknown shortcode `{}`", call.name), hint: None })?;
        if let Some(missing) = self.templates.missing_argument(&template, call) {
            return Err(missing);
        }
        let mut context = Context::new();
        for (name, value) in &call.args {
            context.insert(name.as_str(), value);
        }
        context.insert("nth", &nth);
        if let Some(body) = body {
            context.insert("body", body);
        }
        context.extend(self.context.clone());
        let (rendered, _) =
            crate::images::jobs::collect(Some(self.publish.clone()), || self.templates.render(&template, &context));
        rendered.map_err(|d| failure(call, d))
    }
}

/// A template error, said at the call: where in the template, and for a missing variable, what the call passed.
fn failure(call: &Call, d: crate::error::Diagnostic) -> Failure {
    let at = d.location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
    let message = d.message.split(" while rendering '").next().unwrap_or(&d.message);
    let missing = message.strip_prefix("variable `").and_then(|m| m.split_once("` not found")).map(|(v, _)| v);
    let hint = match missing {
        Some(variable) => {
            let passed: Vec<&str> = call.args.iter().map(|(name, _)| name.as_str()).collect();
            let passed = if passed.is_empty() { "nothing".to_string() } else { passed.join(", ") };
            Some(format!(
                "the call passes {passed}; pass {variable}=… or make it optional in the template with {{% if {variable} %}}"
            ))
        }
        None => d.hint,
    };
    Failure { message: format!("shortcode `{}` failed: {at}{message}", call.name), hint }
}

/// `page` (or `section`) before its Markdown is rendered, with Zola's field names.
fn view(page: &Page, config: &Config) -> Value {
    let front = &page.source.front;
    let date = page.date;
    // Relative to `content/`, as Zola gives them.
    let folder = page.source.path.rsplit_once('/').map_or("", |(f, _)| f);
    let folder = folder.strip_prefix("content").unwrap_or(folder).trim_start_matches('/');
    let assets: Vec<String> = (page.source.assets.iter())
        .filter_map(|a| a.file_name())
        .map(|name| format!("{folder}/{}", name.to_string_lossy()).trim_start_matches('/').to_string())
        .collect();
    let components: Vec<&str> = page.path.split('/').filter(|c| !c.is_empty()).collect();
    json!({
        "title": front.title,
        "description": front.description,
        "date": date.map(|d| d.ymd()),
        "updated": front.updated.map(|d| d.ymd()),
        "year": date.map(|d| d.at.year()),
        "month": date.map(|d| u8::from(d.at.month())),
        "day": date.map(|d| d.at.day()),
        "slug": page.slug,
        "path": page.path,
        "permalink": page.permalink,
        "components": components,
        "draft": front.draft,
        "authors": front.authors,
        "taxonomies": front.taxonomies,
        "tags": front.tags,
        "extra": front.extra,
        "weight": front.weight,
        "lang": config.language,
        "assets": assets,
        "content": "",
        "summary": Value::Null,
        "toc": [],
        "word_count": 0,
        "reading_time": 0,
    })
}
