//! Tera set-up: the built-in theme embedded in the binary, overridden file by file by the site's `templates/`.
//!
//! Tera reports a missing variable without a line, so [`Templates::render`] finds the line itself from the
//! template's source: an author should never have to hunt for `{{ page.autor }}`.
mod filters;

use crate::error::{Diagnostic, Location, did_you_mean};
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};
use walkdir::WalkDir;

/// The built-in theme. The repository's own `templates/` folder is the source of these files.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("post.html", include_str!("../../templates/post.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// The parsed templates plus their sources, which error messages need for line numbers.
pub struct Templates {
    tera: Tera,
    /// Template name → (file shown in messages, source text).
    sources: BTreeMap<String, (String, String)>,
}

impl Templates {
    /// Loads the built-in templates, then every file of `root/templates` over them.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = DEFAULTS
            .iter()
            .map(|(name, src)| (name.to_string(), (format!("(built-in) {name}"), src.to_string())))
            .collect();
        let mut problems = Vec::new();
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(Diagnostic::error(Some(Location::file("templates")), e.to_string()));
                        continue;
                    }
                };
                if !entry.file_type().is_file() || crate::content::is_ignored(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let name = crate::content::slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
                let shown = format!("templates/{name}");
                match std::fs::read_to_string(entry.path()) {
                    Ok(src) => {
                        sources.insert(name, (shown, src));
                    }
                    Err(e) => problems.push(
                        Diagnostic::error(Some(Location::file(shown)), format!("cannot read template: {e}"))
                            .with_hint("templates must be readable UTF-8 text files"),
                    ),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        // Tera's own escaper also rewrites `/`, which makes every URL in the output unreadable; this one escapes
        // exactly what HTML and XML need.
        tera.set_escape_fn(crate::highlight::escape);
        filters::register(&mut tera);
        // Parse one by one first so that every syntax error is reported, not just the first.
        for (name, (shown, src)) in &sources {
            if let Err(e) = tera::Template::new(name, None, src) {
                problems.push(parse_error(shown, &e));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let all: Vec<(&str, &str)> = sources.iter().map(|(n, (_, s))| (n.as_str(), s.as_str())).collect();
        tera.add_raw_templates(all)
            .map_err(|e| vec![Diagnostic::error(Some(Location::file("templates")), chain(&e))])?;
        Ok(Templates { tera, sources })
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// A diagnostic for a page asking for a template that does not exist, with the nearest existing name.
    pub fn missing(&self, name: &str, location: Location) -> Diagnostic {
        let d = Diagnostic::error(Some(location), format!("template `{name}` not found"));
        match did_you_mean(name, self.sources.keys().map(String::as_str)) {
            Some(s) => d.with_hint(format!("did you mean `{s}`? Templates live in templates/")),
            None => d.with_hint(format!("create templates/{name}, or use one of: {}", self.names().join(", "))),
        }
    }

    /// Changes whenever any template's text does: files rendered with other templates cannot be reused.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut hasher = DefaultHasher::new();
        self.sources.hash(&mut hasher);
        hasher.finish()
    }

    pub fn names(&self) -> Vec<&str> {
        self.sources.keys().map(String::as_str).collect()
    }

    /// Renders `name`; an error names the template file, the line and the variable when Tera gives one.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| self.render_error(name, &e))
    }

    fn render_error(&self, name: &str, error: &tera::Error) -> Diagnostic {
        let full = chain(error);
        // The innermost cause says what went wrong; the outer layers only repeat the template name.
        let message = full.rsplit(": ").next().unwrap_or(&full).to_string();
        // Tera names the template it was in last: 'while rendering 'base.html''.
        let failing = quoted_after(&message, "while rendering '").unwrap_or(name);
        let variable = between(&message, '`', '`');
        let (shown, src) = self.sources.get(failing).map(|(s, src)| (s.as_str(), src.as_str())).unwrap_or((name, ""));
        let location = variable
            .and_then(|v| find_variable(src, v))
            .map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
        let hint = match variable {
            Some(v) => format!(
                "`{v}` is not defined here; check its spelling against the variables listed in the README, or guard it with {{% if {v} %}}"
            ),
            None => "see the template variables in the README".to_string(),
        };
        Diagnostic::error(Some(location), lowercase_first(&message)).with_hint(hint)
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// The whole error chain on one line: Tera puts the useful part in the innermost source.
fn chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let start = text.rfind(marker)? + marker.len();
    text[start..].split('\'').next()
}

fn between(text: &str, open: char, close: char) -> Option<&str> {
    let start = text.find(open)? + open.len_utf8();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

/// First place `variable` is used inside a `{{ }}` or `{% %}` tag.
fn find_variable(src: &str, variable: &str) -> Option<(usize, usize)> {
    let mut search = 0;
    while let Some(pos) = src[search..].find(variable) {
        let at = search + pos;
        let before = &src[..at];
        let in_tag = before.rfind(['{']).is_some_and(|open| !before[open..].contains('}'));
        let boundary = !src[at + variable.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if in_tag && boundary {
            return Some(crate::locate::line_col(src, at));
        }
        search = at + variable.len();
    }
    None
}

fn parse_error(shown: &str, error: &tera::Error) -> Diagnostic {
    let message = chain(error);
    // Tera's parse errors carry a ` --> line:column` marker.
    let location = message
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let pos: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ':').collect();
            let (l, c) = pos.split_once(':')?;
            Some(Location::at(shown, l.parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or_else(|| Location::file(shown));
    let detail = message.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(&message).trim().to_string();
    Diagnostic::error(Some(location), format!("template syntax error: {detail}")).with_hint(
        "check that every {{ has its }}, every {% if %} its {% endif %} and every {% for %} its {% endfor %}",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(name: &str, src: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates").join(name), src).unwrap();
        dir
    }

    #[test]
    fn defaults_parse() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path()).unwrap();
        assert!(t.has("post.html"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let dir = site_with("post.html", "ok\n{{ page.title \n");
        let errors = Templates::load(dir.path()).err().unwrap();
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert!(text.starts_with("templates/post.html:3:1: error: template syntax error"), "{text}");
    }

    #[test]
    fn undefined_variables_are_located() {
        let dir = site_with("robots.txt", "User-agent: *\n\nSitemap: {{ config.nope }}\n");
        let t = Templates::load(dir.path()).unwrap();
        let d = t.render("robots.txt", &Context::new()).unwrap_err();
        let text = d.to_string();
        assert!(text.starts_with("templates/robots.txt:3:"), "{text}");
        assert!(text.contains("config.nope"), "{text}");
    }

    #[test]
    fn missing_template_suggests() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path()).unwrap();
        let d = t.missing("psot.html", Location::at("content/x.md", 4, 1));
        assert!(d.to_string().contains("did you mean `post.html`?"));
    }
}
