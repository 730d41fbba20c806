//! Tera set-up: the built-in theme embedded in the binary, overridden file by file by the site's `templates/`.
//!
//! Tera reports a missing variable without a line, so [`Templates::render`] finds the line itself from the
//! template's source: an author should never have to hunt for `{{ page.autor }}`.
//!
//! No template can crash the process: loops of includes, extends and imports are refused when the templates are
//! loaded ([`loops`]), so is nesting deep enough to exhaust the parser's stack ([`nesting`]), macro recursion stops
//! at [`depth::MAX_MACRO_DEPTH`] nested calls, `range()` is bounded ([`functions`]) and so are loop iterations
//! per rendered file ([`steps`]).
mod date;
mod depth;
mod filters;
mod functions;
mod images;
mod loops;
mod nesting;
pub mod reads;
mod shortcodes;
pub mod site;
mod steps;
mod tags;
mod zola;

pub use depth::MAX_MACRO_DEPTH;
pub use filters::percent_encode;
pub use steps::MAX_LOOP_STEPS;

use crate::error::{Diagnostic, Location, did_you_mean};
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};
use walkdir::WalkDir;

/// The built-in theme. The repository's own `templates/` folder is the source of these files.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("section_parts.html", include_str!("../../templates/section_parts.html")),
    ("post.html", include_str!("../../templates/post.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("taxonomy_list.html", include_str!("../../templates/taxonomy_list.html")),
    ("taxonomy_single.html", include_str!("../../templates/taxonomy_single.html")),
    ("series.html", include_str!("../../templates/series.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("feed.json", include_str!("../../templates/feed.json")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("split_sitemap_index.xml", include_str!("../../templates/split_sitemap_index.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("shortcodes/figure.html", include_str!("../../templates/shortcodes/figure.html")),
];

/// The parsed templates plus their sources, which error messages need for line numbers.
pub struct Templates {
    tera: Tera,
    /// Template name → (file shown in messages, source text).
    sources: BTreeMap<String, (String, String)>,
    /// Zola's functions and filters, bound to the site before each render.
    zola: zola::Zola,
    /// [`Templates::stable_fingerprint`], made once: every page calling a shortcode asks for it.
    stable: std::sync::OnceLock<String>,
    /// The site that `get_page()` and the other site functions see, set by each render.
    site: site::Current,
    /// Whether any template calls a site function: a render of a site whose templates do not spares making what
    /// they would return.
    uses_site: bool,
    /// The Zola theme its config names, whose `templates/` lie under the site's own.
    theme: Option<String>,
    /// Which [`Templates::bind`] bound them last: a number no other bind in the process has.
    binding: std::sync::atomic::AtomicU64,
}

/// The last number a [`Templates::bind`] took.
static BINDINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The site functions' names, as a template calls them.
const SITE_CALLS: &[&str] =
    &["get_page(", "get_section(", "get_taxonomy(", "get_taxonomy_term(", "get_taxonomy_url(", "get_url("];

impl Templates {
    /// Loads the built-in templates, then the theme's (see [`crate::theme`]), then every file of `root/templates`
    /// over them.
    pub fn load(root: &Path, theme: Option<&str>) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = DEFAULTS
            .iter()
            .map(|(name, src)| (name.to_string(), (format!("(built-in) {name}"), src.to_string())))
            .collect();
        let mut problems = Vec::new();
        if let Some(theme) = theme {
            // Each of the theme's templates under its own name and under its long one, which a site template
            // that overrides it can still extend.
            for (name, (shown, src)) in read_folder(root, &format!("themes/{theme}/templates"), &mut problems) {
                sources.insert(format!("{theme}/templates/{name}"), (shown.clone(), src.clone()));
                sources.insert(name, (shown, src));
            }
        }
        sources.extend(read_folder(root, "templates", &mut problems));
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        // Tera's own escaper also rewrites `/`, which makes every URL in the output unreadable; this one escapes
        // exactly what HTML and XML need.
        tera.set_escape_fn(crate::highlight::escape);
        filters::register(&mut tera);
        functions::register(&mut tera);
        let current = site::Current::default();
        site::register(&mut tera, &current);
        images::register(&mut tera, root);
        depth::register(&mut tera);
        let zola = zola::register(&mut tera, root);
        // Parse one by one so that every syntax error is reported, not just the first; a template nested too deeply
        // for the parser's stack is refused before it is parsed.
        let mut parsed = BTreeMap::new();
        for (name, (shown, src)) in &sources {
            if let Some(too_deep) = nesting::check(shown, src) {
                problems.push(too_deep);
                continue;
            }
            match tera::Template::new(name, None, src) {
                Ok(template) => {
                    parsed.insert(name.clone(), template);
                }
                Err(e) => problems.push(parse_error(shown, &e)),
            }
        }
        problems.extend(loops::find(&parsed, &sources));
        if !problems.is_empty() {
            return Err(problems);
        }
        // What `Tera::add_raw_templates` does, without parsing every template a second time.
        tera.templates.extend(parsed);
        tera.build_inheritance_chains()
            .and_then(|()| tera.check_macro_files())
            .map_err(|e| vec![Diagnostic::error(Some(Location::file("templates")), chain(&e))])?;
        depth::instrument(&mut tera);
        steps::instrument(&mut tera);
        let uses_site = sources.values().any(|(_, src)| SITE_CALLS.iter().any(|call| src.contains(call)));
        let theme = theme.map(str::to_string);
        let (stable, binding) = Default::default();
        Ok(Templates { tera, sources, zola, stable, site: current, uses_site, theme, binding })
    }

    /// Gives Zola's functions what they need of the site (its config, dates and pages) for the renders that follow.
    pub fn bind(&self, site: &crate::site::Site) {
        self.zola.bind(site);
        let number = BINDINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.binding.store(number, std::sync::atomic::Ordering::Relaxed);
    }

    /// Which bind bound these templates last (0: none): a render of a site equal in all a bind reads (every part
    /// but posts' bodies) to the one these were bound to by that bind may skip binding them again.
    pub fn binding(&self) -> u64 {
        self.binding.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether a template function read a file of the site (`load_data`, `get_hash`) since the last bind: a static
    /// file edited in place may then change a rendered file.
    pub fn read_files(&self) -> bool {
        self.zola.read_files()
    }

    /// Gives the site functions the site of the render about to start.
    pub fn set_site(&self, data: site::SiteData) {
        *self.site.write().unwrap_or_else(|p| p.into_inner()) = std::sync::Arc::new(data);
    }

    /// Whether any template calls `get_page()`, `get_section()`, `get_url()` or another site function.
    pub fn uses_site_functions(&self) -> bool {
        self.uses_site
    }

    /// The Zola theme whose templates were loaded, if any.
    pub fn theme(&self) -> Option<&str> {
        self.theme.as_deref()
    }

    /// Whether `name` is the site's own (from its `templates/` or its theme), not a built-in.
    pub fn is_own(&self, name: &str) -> bool {
        self.sources.get(name).is_some_and(|(shown, _)| !shown.starts_with("(built-in)"))
    }

    /// The text of template `name`, if there is one.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(_, text)| text.as_str())
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
        depth::begin();
        steps::begin();
        zola::begin(name, context);
        self.tera.render(name, context).map_err(|e| {
            if let Some(runaway) = depth::take_runaway() {
                self.runaway_error(&runaway)
            } else if let Some(exhausted) = steps::take_exhausted() {
                self.exhausted_error(&exhausted)
            } else {
                self.render_error(name, &e)
            }
        })
    }

    /// Located at the `{% for %}` of the loop that was running (the first one with its variable in its template).
    fn exhausted_error(&self, exhausted: &steps::Exhausted) -> Diagnostic {
        let (shown, src) =
            self.sources.get(&exhausted.template).map_or((exhausted.template.as_str(), ""), |(s, t)| (s, t));
        let at = tags::scan(src)
            .into_iter()
            .find(|t| t.keyword() == "for" && t.rest().split([' ', ',']).next() == Some(exhausted.variable.as_str()))
            .map(|t| crate::locate::line_col(src, t.offset));
        let location = at.map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
        Diagnostic::error(
            Some(location),
            format!("loops ran more than {MAX_LOOP_STEPS} times for one file (in `for {}`)", exhausted.variable),
        )
        .with_hint("a loop inside a loop multiplies: iterate over less, or move the inner loop out")
    }

    /// Located at the definition of the loop's first macro; the others are named with their file when it differs.
    fn runaway_error(&self, runaway: &depth::Runaway) -> Diagnostic {
        let first = &runaway.chain[0];
        let (shown, src) = self.sources.get(&first.template).map_or((first.template.as_str(), ""), |(s, t)| (s, t));
        let at = tags::scan(src)
            .into_iter()
            .find(|t| t.keyword() == "macro" && t.rest().split('(').next().map(str::trim) == Some(first.name.as_str()))
            .map(|t| crate::locate::line_col(src, t.offset));
        let location = at.map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
        let names: Vec<String> =
            runaway
                .chain
                .iter()
                .map(|f| {
                    if f.template == first.template {
                        f.name.clone()
                    } else {
                        format!("{} (in {})", f.name, f.template)
                    }
                })
                .collect();
        let message = if runaway.depth > MAX_MACRO_DEPTH {
            format!("macro recursion deeper than {MAX_MACRO_DEPTH} calls: {}", names.join(" → "))
        } else {
            format!("macro calls nested {} deep used up the stack: {}", runaway.depth, names.join(" → "))
        };
        Diagnostic::error(Some(location), message).with_hint(
            "a macro that calls itself needs a condition that stops it, such as {% if item.children %} around the call",
        )
    }

    fn render_error(&self, name: &str, error: &tera::Error) -> Diagnostic {
        let full = chain(error);
        // The innermost cause says what went wrong; the outer layers only repeat the template name.
        let message = full.rsplit(": ").next().unwrap_or(&full).to_string();
        // Tera names the template it was in last: 'while rendering 'base.html''.
        let failing = quoted_after(&message, "while rendering '").unwrap_or(name);
        let variable = between(&message, '`', '`');
        let (shown, src) = self.sources.get(failing).map(|(s, src)| (s.as_str(), src.as_str())).unwrap_or((name, ""));
        // A function that refused its arguments (`range(end=…)`): Tera names it in an outer layer.
        let hint = zola::take_hint();
        if let Some(function) = quoted_after(&full, "Function call '") {
            // The site functions quote what they could not find: the call that names it is the one that failed.
            let named = between(&message, '`', '`');
            let location = named
                .and_then(|n| find_call(src, function, Some(n)))
                .or_else(|| find_call(src, function, None))
                .map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
            return Diagnostic::error(Some(location), lowercase_first(&message)).with_hint(hint.unwrap_or_else(|| {
                match function {
                    "throw" => "the template stops the build here with throw(); its message says why".to_string(),
                    _ => format!("check the arguments of {function}()"),
                }
            }));
        }
        // A filter that refused its input (`regex_replace` with a bad pattern): located at its first use.
        if let Some(filter) = quoted_after(&full, "Filter call '") {
            let location =
                find_filter(src, filter).map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
            return Diagnostic::error(Some(location), lowercase_first(&message))
                .with_hint(hint.unwrap_or_else(|| format!("check what is given to the {filter} filter")));
        }
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

/// First call of the function `name` inside a tag (whose arguments hold `naming`, when given).
fn find_call(src: &str, name: &str, naming: Option<&str>) -> Option<(usize, usize)> {
    let call = format!("{name}(");
    tags::scan(src).into_iter().find_map(|tag| {
        let within = tag.body.find(&call)?;
        if let Some(naming) = naming
            && !tag.body[within..].contains(naming)
        {
            return None;
        }
        // The body is a slice of `src`, so its start gives the offset in the file.
        let at = tag.body.as_ptr() as usize - src.as_ptr() as usize + within;
        Some(crate::locate::line_col(src, at))
    })
}

/// Every template under `root/folder`: name (`/`-separated, relative to the folder) → (path shown, source).
fn read_folder(root: &Path, folder: &str, problems: &mut Vec<Diagnostic>) -> BTreeMap<String, (String, String)> {
    let dir = root.join(folder);
    let mut found = BTreeMap::new();
    if !dir.is_dir() {
        return found;
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::error(Some(Location::file(folder)), e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_file() || crate::content::is_ignored(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let name = crate::content::slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        let shown = format!("{folder}/{name}");
        match std::fs::read_to_string(entry.path()) {
            Ok(src) => {
                found.insert(name, (shown, src));
            }
            Err(e) => problems.push(
                Diagnostic::error(Some(Location::file(shown)), format!("cannot read template: {e}"))
                    .with_hint("templates must be readable UTF-8 text files"),
            ),
        }
    }
    found
}

/// First use of the filter `name` (`| name`) inside a tag.
fn find_filter(src: &str, name: &str) -> Option<(usize, usize)> {
    tags::scan(src).into_iter().find_map(|tag| {
        let body = tag.body;
        let within = body.match_indices(name).find_map(|(at, _)| {
            let before = body[..at].trim_end();
            let after = &body[at + name.len()..];
            let whole = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
            (before.ends_with('|') && whole).then_some(at)
        })?;
        let at = body.as_ptr() as usize - src.as_ptr() as usize + within;
        Some(crate::locate::line_col(src, at))
    })
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
        let t = Templates::load(dir.path(), None).unwrap();
        assert!(t.has("post.html"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let dir = site_with("post.html", "ok\n{{ page.title \n");
        let errors = Templates::load(dir.path(), None).err().unwrap();
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert!(text.starts_with("templates/post.html:3:1: error: template syntax error"), "{text}");
    }

    #[test]
    fn undefined_variables_are_located() {
        let dir = site_with("robots.txt", "User-agent: *\n\nSitemap: {{ config.nope }}\n");
        let t = Templates::load(dir.path(), None).unwrap();
        let d = t.render("robots.txt", &Context::new()).unwrap_err();
        let text = d.to_string();
        assert!(text.starts_with("templates/robots.txt:3:"), "{text}");
        assert!(text.contains("config.nope"), "{text}");
    }

    fn site_with_all(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, src) in files {
            let path = dir.path().join("templates").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, src).unwrap();
        }
        dir
    }

    const TOC_MACRO: &str = "{% macro toc(items) %}<ul>\n{%- for item in items %}\n  <li>{{ item.title }}\
        {% if item.children %}{{ self::toc(items=item.children) }}{% endif %}</li>\n{%- endfor %}</ul>{% endmacro toc %}\n";

    /// A table of contents ten levels deep, two entries per level.
    fn deep_toc() -> Context {
        let mut toc = serde_json::json!([]);
        for level in (1..=10).rev() {
            toc =
                serde_json::json!([{"title": format!("h{level}"), "children": toc}, {"title": "leaf", "children": []}]);
        }
        let mut context = Context::new();
        context.insert("toc", &toc);
        context
    }

    #[test]
    fn a_bounded_recursive_macro_renders_as_plain_tera_does() {
        let page = "{% import \"macros.html\" as m %}{{ m::toc(items=toc) }}";
        let dir = site_with_all(&[("macros.html", TOC_MACRO), ("page.html", page)]);
        let ours = Templates::load(dir.path(), None).unwrap().render("page.html", &deep_toc()).unwrap();
        let mut plain = Tera::default();
        plain.add_raw_templates([("macros.html", TOC_MACRO), ("page.html", page)]).unwrap();
        assert_eq!(ours, plain.render("page.html", &deep_toc()).unwrap());
        assert_eq!(ours.matches("<ul>").count(), 10);
    }

    #[test]
    fn runaway_recursion_is_an_error_naming_the_macro() {
        let macros = "\n{% macro forever(n) %}{{ self::forever(n=n + 1) }}{% endmacro forever %}\n";
        let dir = site_with_all(&[
            ("macros.html", macros),
            ("page.html", "{% import \"macros.html\" as m %}{{ m::forever(n=0) }}"),
        ]);
        let t = Templates::load(dir.path(), None).unwrap();
        let text = t.render("page.html", &Context::new()).unwrap_err().to_string();
        assert!(
            text.starts_with(
                "templates/macros.html:2:1: error: macro recursion deeper than 128 calls: forever → forever\n"
            ),
            "{text}"
        );
        // The stack of the failed render does not leak into the next one on this thread.
        assert!(t.render("macros.html", &Context::new()).is_ok());
    }

    #[test]
    fn a_small_stack_stops_recursion_before_the_depth_limit() {
        let macros = "{% macro forever(n) %}{% if true %}{% for i in [1] %}{{ self::forever(n=n + 1) }}{% endfor %}{% endif %}{% endmacro %}";
        let dir = site_with_all(&[
            ("macros.html", macros),
            ("page.html", "{% import \"macros.html\" as m %}{{ m::forever(n=0) }}"),
        ]);
        let t = Templates::load(dir.path(), None).unwrap();
        // Small enough that the stack check, not the depth limit, stops the recursion (without the check the thread
        // would only be safe by luck: a deeper body per level would overflow it).
        let small = std::thread::Builder::new().stack_size(640 * 1024);
        let text = std::thread::scope(|s| {
            small
                .spawn_scoped(s, || t.render("page.html", &Context::new()).unwrap_err().to_string())
                .unwrap()
                .join()
                .unwrap()
        });
        assert!(
            text.contains("error: macro calls nested ") && text.contains(" deep used up the stack: forever → forever"),
            "{text}"
        );
    }

    #[test]
    fn recursion_across_files_and_through_an_include_is_stopped_too() {
        let dir = site_with_all(&[
            ("a.html", "{% import \"b.html\" as b %}{% macro ping() %}{{ b::pong() }}{% endmacro %}"),
            ("b.html", "{% macro pong() %}{% include \"call.html\" %}{% endmacro %}"),
            ("call.html", "{% import \"a.html\" as a %}{{ a::ping() }}"),
        ]);
        let t = Templates::load(dir.path(), None).unwrap();
        let text = t.render("call.html", &Context::new()).unwrap_err().to_string();
        assert!(
            text.starts_with(
                "templates/a.html:1:27: error: macro recursion deeper than 128 calls: ping → pong (in b.html) → ping\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn loops_and_deep_nesting_are_refused_when_loading() {
        let dir = site_with_all(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "x\n{% include \"a.html\" %}"),
            ("deep.html", &"{% if x %}".repeat(10_000)),
        ]);
        let errors: Vec<String> =
            Templates::load(dir.path(), None).err().unwrap().iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("templates/a.html:1:1: error: template include loop: a.html → b.html → a.html"))
        );
        assert!(errors.iter().any(|e| e.starts_with("templates/deep.html:1:641: error: template nests too deeply")));
    }

    #[test]
    fn nested_loops_stop_at_the_step_budget() {
        let page = "{% for a in range(end=100000) %}\n  {% for b in range(end=100000) %}.{% endfor %}{% endfor %}";
        let dir = site_with_all(&[
            ("page.html", page),
            ("ok.html", "{% for a in range(end=1000) %}{% for b in range(end=999) %}{% endfor %}{% endfor %}"),
        ]);
        let t = Templates::load(dir.path(), None).unwrap();
        let text = t.render("page.html", &Context::new()).unwrap_err().to_string();
        assert!(
            text.starts_with(
                "templates/page.html:2:3: error: loops ran more than 1000000 times for one file (in `for b`)"
            ),
            "{text}"
        );
        // 1000 + 999,000 steps fit, and the count restarts for each file.
        assert!(t.render("ok.html", &Context::new()).is_ok());
        assert!(t.render("ok.html", &Context::new()).is_ok());
    }

    #[test]
    fn missing_template_suggests() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path(), None).unwrap();
        let d = t.missing("psot.html", Location::at("content/x.md", 4, 1));
        assert!(d.to_string().contains("did you mean `post.html`?"));
    }
}
