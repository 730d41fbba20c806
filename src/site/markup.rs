//! What a Zola site's templates and sections add to its Markdown, as Zola 0.21 adds it.
//!
//! Anchor links on headings: where the page's section says (`insert_anchor_links` in its `_index.md`; not an
//! ancestor's, as in Zola), else where `[markdown] insert_anchor_links` says, else none; the link is the site's
//! `templates/anchor-link.html` (given `id`, `level` and `lang`), else Zola's own. A fanzine site keeps fanzine's
//! `#` after every heading.
//!
//! The end of a summary cut inside an element: the site's `templates/summary-cutoff.html` (given `summary`, the
//! summary so far, and `lang`), else Zola's ellipsis.
use super::Page;
use crate::error::Diagnostic;
use crate::markdown::{AnchorPlace, HeadingLinks};
use crate::templates::Templates;
use std::collections::HashMap;

/// The template a Zola site may give its anchor links.
const TEMPLATE: &str = "anchor-link.html";
/// The template a Zola site may give the end of a summary cut inside an element.
const CUTOFF: &str = "summary-cutoff.html";

pub(crate) struct ZolaMarkup<'a> {
    /// Each section's folder (`content/docs/`) and the place its front matter asks for, if any.
    sections: HashMap<String, Option<AnchorPlace>>,
    default: AnchorPlace,
    /// The templates, when the site has its own `anchor-link.html`.
    own: Option<&'a Templates>,
    /// The templates, when the site has its own `summary-cutoff.html`.
    own_cutoff: Option<&'a Templates>,
    lang: String,
    /// What the links depend on besides their place, for the key of a kept rendering.
    key: String,
}

impl<'a> ZolaMarkup<'a> {
    /// `None` for a fanzine site. `indexes`: the sections' pages.
    pub fn of<'p>(
        config: &crate::config::Config,
        indexes: impl IntoIterator<Item = &'p Page>,
        templates: Option<&'a Templates>,
    ) -> Option<ZolaMarkup<'a>> {
        if !config.is_zola() {
            return None;
        }
        let place = |value: Option<&String>| value.and_then(|v| AnchorPlace::parse(v));
        let sections = (indexes.into_iter())
            .filter_map(|index| {
                let dir = index.source.path.strip_suffix("_index.md")?;
                Some((
                    dir.to_string(),
                    place(index.source.section_front.as_ref().and_then(|f| f.insert_anchor_links.as_ref())),
                ))
            })
            .collect();
        let default = place(config.markdown.insert_anchor_links.as_ref()).unwrap_or(AnchorPlace::None);
        let own = templates.filter(|t| t.is_own(TEMPLATE));
        let own_cutoff = templates.filter(|t| t.is_own(CUTOFF));
        let source = own.and_then(|t| t.source(TEMPLATE)).unwrap_or("");
        let cutoff = own_cutoff.and_then(|t| t.source(CUTOFF)).unwrap_or("");
        let lang = config.language.clone();
        let key = format!("zola markup {lang} {} {source} {} {cutoff}", source.len(), cutoff.len());
        Some(ZolaMarkup { sections, default, own, own_cutoff, lang, key })
    }

    /// Where the headings of the page at `path` (`content/docs/a.md`) get their link: its section's choice, the
    /// section's own for an `_index.md`.
    pub fn place(&self, path: &str) -> AnchorPlace {
        let mut dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        loop {
            if let Some(place) = self.sections.get(&format!("{dir}/")) {
                return place.unwrap_or(self.default);
            }
            match dir.rsplit_once('/') {
                Some((parent, _)) => dir = parent,
                None => return self.default,
            }
        }
    }

    /// The links of the page at `path`, and what a kept rendering of it depends on for them and for its summary.
    pub fn links(&'a self, path: &str) -> (HeadingLinks<'a>, String) {
        let place = self.place(path);
        (HeadingLinks::Zola(place, self), format!("{} {place:?}", self.key))
    }

    /// The end of a summary cut inside an element, when the site has its own.
    pub fn cutoff(&'a self) -> Option<&'a (dyn crate::markdown::SummaryCutoff + Sync)> {
        self.own_cutoff.map(|_| self as &(dyn crate::markdown::SummaryCutoff + Sync))
    }
}

impl crate::markdown::AnchorLink for ZolaMarkup<'_> {
    fn link(&self, id: &str, level: u32) -> Result<String, Diagnostic> {
        let Some(templates) = self.own else { return Ok(crate::markdown::zola_anchor_link(id)) };
        let mut context = tera::Context::new();
        context.insert("id", id);
        context.insert("level", &level);
        context.insert("lang", &self.lang);
        templates.render(TEMPLATE, &context)
    }
}

impl crate::markdown::SummaryCutoff for ZolaMarkup<'_> {
    fn cutoff(&self, summary: &str) -> Result<String, Diagnostic> {
        let Some(templates) = self.own_cutoff else { return Ok(crate::markdown::SUMMARY_CUTOFF.to_string()) };
        let mut context = tera::Context::new();
        context.insert("summary", summary);
        context.insert("lang", &self.lang);
        templates.render(CUTOFF, &context)
    }
}
