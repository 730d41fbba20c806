//! A Zola site's anchor links on headings, as Zola 0.21 writes them: where the page's section says
//! (`insert_anchor_links` in its `_index.md`; not an ancestor's, as in Zola), else where `[markdown]
//! insert_anchor_links` says, else none; the link is the site's `templates/anchor-link.html` (given `id`, `level`
//! and `lang`), else Zola's own. A fanzine site keeps fanzine's `#` after every heading.
use super::Page;
use crate::error::Diagnostic;
use crate::markdown::{AnchorPlace, HeadingLinks};
use crate::templates::Templates;
use std::collections::HashMap;

/// The template a Zola site may give its anchor links.
const TEMPLATE: &str = "anchor-link.html";

pub(crate) struct ZolaAnchors<'a> {
    /// Each section's folder (`content/docs/`) and the place its front matter asks for, if any.
    sections: HashMap<String, Option<AnchorPlace>>,
    default: AnchorPlace,
    /// The templates, when the site has its own `anchor-link.html`.
    own: Option<&'a Templates>,
    lang: String,
    /// What the links depend on besides their place, for the key of a kept rendering.
    key: String,
}

impl<'a> ZolaAnchors<'a> {
    /// `None` for a fanzine site. `indexes`: the sections' pages.
    pub fn of<'p>(
        config: &crate::config::Config,
        indexes: impl IntoIterator<Item = &'p Page>,
        templates: Option<&'a Templates>,
    ) -> Option<ZolaAnchors<'a>> {
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
        let source = own.and_then(|t| t.source(TEMPLATE)).unwrap_or("");
        let lang = config.language.clone();
        let key = format!("anchors {lang} {source}");
        Some(ZolaAnchors { sections, default, own, lang, key })
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

    /// The links of the page at `path`, and what a kept rendering of it depends on for them.
    pub fn links(&'a self, path: &str) -> (HeadingLinks<'a>, String) {
        let place = self.place(path);
        (HeadingLinks::Zola(place, self), format!("{} {place:?}", self.key))
    }
}

impl crate::markdown::AnchorLink for ZolaAnchors<'_> {
    fn link(&self, id: &str, level: u32) -> Result<String, Diagnostic> {
        let Some(templates) = self.own else { return Ok(crate::markdown::zola_anchor_link(id)) };
        let mut context = tera::Context::new();
        context.insert("id", id);
        context.insert("level", &level);
        context.insert("lang", &self.lang);
        templates.render(TEMPLATE, &context)
    }
}
