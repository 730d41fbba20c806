//! What fanzine makes besides the site's own pages: the built-in theme's stylesheet, icon and archive, the
//! highlighting stylesheet, and tag pages. A fanzine site gets them all. A Zola site gets what Zola makes, so that
//! built unchanged it has Zola's files and no others: tag pages only when its config declares a `tags` taxonomy,
//! and the theme's files only when the built-in theme stands in for its templates (neither it nor its theme has an
//! `index.html`), and `highlight.css` only when code is coloured by classes (Zola writes a theme's colours in).
use crate::site::Site;
use crate::templates::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtins {
    /// `style.css`, `favicon.svg` and `/archive/`.
    pub theme: bool,
    /// `highlight.css`: with the theme, or for a site that highlights code by classes (its colours are in it).
    pub highlighting: bool,
    /// `/tags/`, a page per tag and the tags' feeds.
    pub tags: bool,
}

impl Builtins {
    pub fn of(site: &Site, templates: &Templates) -> Builtins {
        let by_classes = !site.config.highlight.inline;
        if !site.config.is_zola() {
            return Builtins { theme: true, highlighting: by_classes, tags: true };
        }
        let theme = !templates.is_own("index.html");
        Builtins {
            theme,
            highlighting: by_classes && (theme || site.config.highlight.enabled),
            tags: site.config.taxonomies.iter().any(|t| t.name == "tags"),
        }
    }
}
