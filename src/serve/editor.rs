//! `--editor-url`: turns an error's location into a link that opens the file at its line in the author's editor.
//!
//! Editors register URL schemes (`vscode://file{path}:{line}:{column}`, `idea://open?file={path}&line={line}`,
//! `subl://open?url=file://{path}&line={line}`), each with its own shape, so the author gives a template and the
//! preview fills in the file's absolute path, the line and the column, each percent-encoded: a path with spaces,
//! `#`, `?` or `&` in it stays one value of the URL. The link is built here, on the server, for both the overlay
//! rendered into the page and the one the script draws from the event stream, so the two cannot disagree.
use crate::error::Location;
use crate::templates::percent_encode;
use std::path::{Path, PathBuf};

/// The placeholders a template may use.
const PLACEHOLDERS: [&str; 3] = ["path", "line", "column"];

/// A checked `--editor-url` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorUrl {
    template: String,
}

impl EditorUrl {
    /// Accepts a template that names `{path}` and no placeholder other than `{path}`, `{line}`, `{column}`: a
    /// misspelt one would otherwise end up verbatim in every link.
    pub fn parse(template: &str) -> Result<EditorUrl, String> {
        let mut rest = template;
        let mut names_path = false;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err("it has a `{` without its `}`".into());
            };
            let name = &after[..close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!("`{{{name}}}` is not a placeholder (use {{path}}, {{line}} and {{column}})"));
            }
            names_path |= name == "path";
            rest = &after[close + 1..];
        }
        if !names_path {
            return Err("it does not say where the file's path goes: put `{path}` in it".into());
        }
        Ok(EditorUrl { template: template.to_string() })
    }

    /// The link for `location`, a path relative to the site's folder `root` (which should be absolute). A missing
    /// line or column is given as 1, the file's start, which every editor accepts.
    pub fn link(&self, root: &Path, location: &Location) -> String {
        let path: PathBuf = root.join(&location.file);
        let line = location.line.unwrap_or(1).to_string();
        let column = location.column.unwrap_or(1).to_string();
        self.template
            .replace("{path}", &percent_encode(&path.to_string_lossy()))
            .replace("{line}", &line)
            .replace("{column}", &column)
    }
}

/// The template and the site's real folder: all a link needs besides the location.
#[derive(Debug, Clone)]
pub struct Editor {
    pub url: EditorUrl,
    /// The canonical site folder, which locations are relative to.
    pub root: PathBuf,
}

impl Editor {
    pub fn link(&self, location: &Location) -> String {
        self.url.link(&self.root, location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_absolute_path_line_and_column_encoded() {
        let editor = EditorUrl::parse("vscode://file{path}:{line}:{column}").unwrap();
        let link = editor.link(Path::new("/home/a b/site"), &Location::at("content/x#1?&.md", 3, 7));
        assert_eq!(link, "vscode://file/home/a%20b/site/content/x%231%3F%26.md:3:7");
        let link = editor.link(Path::new("/s"), &Location::file("content/é.md"));
        assert_eq!(link, "vscode://file/s/content/%C3%A9.md:1:1");
    }

    #[test]
    fn templates_must_name_the_path_and_nothing_unknown() {
        assert!(EditorUrl::parse("idea://open?file={path}&line={line}").is_ok());
        assert_eq!(
            EditorUrl::parse("vscode://file/x:{line}"),
            Err("it does not say where the file's path goes: put `{path}` in it".into())
        );
        assert_eq!(
            EditorUrl::parse("vscode://file{path}:{lin}"),
            Err("`{lin}` is not a placeholder (use {path}, {line} and {column})".into())
        );
        assert_eq!(EditorUrl::parse("x{path"), Err("it has a `{` without its `}`".into()));
    }
}
