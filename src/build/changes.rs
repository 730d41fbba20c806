//! What changed between two builds, as the [`super::Builder`] needs to know it: which sources, grouped by what
//! they feed. The preview's watcher makes one from the paths it saw; a one-shot build has none (everything).
use crate::config::CONFIG_FILE;
use crate::content::is_ignored;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Source files that changed, grouped by what they feed, as paths relative to the root (`content/a.md`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub content: BTreeSet<String>,
    pub templates: BTreeSet<String>,
    pub statics: BTreeSet<String>,
    /// Files a template may read with `load_data` or `get_hash` and that feed nothing else: those under `data/`
    /// and those at the root (`authors.json`). A change re-renders the files whose templates read files.
    pub data: BTreeSet<String>,
    /// Stylesheets under `sass/`, partials included.
    pub sass: BTreeSet<String>,
    pub config: bool,
    /// Which config file changed: `fanzine.toml`, or Zola's `config.toml` or `zola.toml`.
    pub config_file: String,
    /// The same files as absolute paths, to find the output entries copied from them.
    pub absolute: BTreeSet<PathBuf>,
}

impl Changes {
    /// Sorts changed paths into groups; anything else (editor droppings, `public/`, hidden files) is dropped.
    pub fn from_paths(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else { continue };
            let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into()).collect();
            if parts.is_empty() || parts.iter().any(|p| is_ignored(p)) {
                continue;
            }
            let shown = parts.join("/");
            // A theme's folders feed what the site's do (`themes/name/templates/…`), and its theme.toml the config.
            let feeds = match parts.as_slice() {
                [themes, _, kind, ..] if themes == "themes" => match kind.as_str() {
                    "templates" | "static" | "theme.toml" | crate::sass::FOLDER => kind.as_str(),
                    _ => continue,
                },
                [top, ..] => top.as_str(),
                [] => continue,
            };
            let group = match feeds {
                "content" => &mut changes.content,
                "templates" => &mut changes.templates,
                "static" => &mut changes.statics,
                "theme.toml" => {
                    changes.config = true;
                    changes.config_file = shown;
                    changes.absolute.insert(path.clone());
                    continue;
                }
                "data" => &mut changes.data,
                crate::sass::FOLDER => &mut changes.sass,
                name if parts.len() == 1 && (name == CONFIG_FILE || crate::config::zola::FILES.contains(&name)) => {
                    changes.config = true;
                    changes.config_file = name.to_string();
                    changes.absolute.insert(path.clone());
                    continue;
                }
                name if parts.len() == 1 && name != "public" => &mut changes.data,
                _ => continue,
            };
            // A top folder itself appearing or going away (`static/` created after the server started) counts too;
            // deeper folders only say what the events for their files say.
            group.insert(shown);
            changes.absolute.insert(path.clone());
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        !self.config
            && self.content.is_empty()
            && self.templates.is_empty()
            && self.statics.is_empty()
            && self.data.is_empty()
            && self.sass.is_empty()
    }

    /// For the terminal: `content/a.md, templates/post.html (+3 more)`.
    pub fn describe(&self) -> String {
        let mut all: Vec<&str> = Vec::new();
        if self.config {
            all.push(&self.config_file);
        }
        let groups = [&self.content, &self.templates, &self.statics, &self.data, &self.sass];
        all.extend(groups.into_iter().flatten().map(String::as_str));
        shorten(&all, 3)
    }
}

/// The first `n` items joined, and how many more there were.
pub fn shorten(items: &[&str], n: usize) -> String {
    let mut text = items.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        text.push_str(&format!(" (+{} more)", items.len() - n));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_grouped_and_droppings_ignored() {
        let root = Path::new("/site");
        let paths = [
            "/site/content/a.md",
            "/site/content/.a.md.swp",
            "/site/content/b.md~",
            "/site/content/notes/trip/map.png",
            "/site/templates/post.html",
            "/site/static/style.css",
            "/site/sass/_colors.scss",
            "/site/fanzine.toml",
            "/site/public/index.html",
            "/site/.git/index",
            "/site/content/notes",
            "/site/themes/t/templates/page.html",
            "/site/themes/t/static/t.js",
            "/site/themes/t/sass/t.scss",
            "/site/themes/t/content/x.md",
            "/elsewhere/x.md",
        ];
        let changes = Changes::from_paths(root, paths.iter().map(PathBuf::from));
        assert!(changes.config);
        assert_eq!(
            changes.content.iter().collect::<Vec<_>>(),
            ["content/a.md", "content/notes", "content/notes/trip/map.png"]
        );
        assert_eq!(
            changes.templates.iter().collect::<Vec<_>>(),
            ["templates/post.html", "themes/t/templates/page.html"]
        );
        assert_eq!(changes.statics.iter().collect::<Vec<_>>(), ["static/style.css", "themes/t/static/t.js"]);
        assert_eq!(changes.describe(), "fanzine.toml, content/a.md, content/notes (+7 more)");
        assert_eq!(changes.sass.iter().collect::<Vec<_>>(), ["sass/_colors.scss", "themes/t/sass/t.scss"]);
        let manifest = Changes::from_paths(root, [PathBuf::from("/site/themes/t/theme.toml")]);
        assert!(manifest.config && manifest.describe() == "themes/t/theme.toml");
        let zola = Changes::from_paths(root, [PathBuf::from("/site/config.toml"), PathBuf::from("/site/x/zola.toml")]);
        assert!(zola.config && zola.describe() == "config.toml", "a Zola config, at the root only");
        let created = Changes::from_paths(root, [PathBuf::from("/site/static")]);
        assert_eq!(created.statics.iter().collect::<Vec<_>>(), ["static"]);
        assert!(Changes::from_paths(root, [PathBuf::from("/site/content/.x.swp")]).is_empty());
        assert!(changes.data.is_empty(), "public/ and hidden folders feed nothing");
        let data = Changes::from_paths(
            root,
            ["/site/data/people.json", "/site/authors.json", "/site/public", "/site/x/y.json"].map(PathBuf::from),
        );
        assert_eq!(data.data.iter().collect::<Vec<_>>(), ["authors.json", "data/people.json"]);
        assert!(!data.config && data.content.is_empty());
    }
}
