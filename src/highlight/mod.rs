//! Syntax highlighting with syntect, as CSS classes so one stylesheet serves a light and a dark theme.
//!
//! Loading syntect's syntax set costs tens of milliseconds, so it happens once per process and is shared by every
//! rendering thread.
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

mod extras;
mod linked;
pub use extras::Extras;
pub use linked::Linked;

/// Prefix of every highlighting class, so the theme CSS cannot clash with the site's own.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown unhighlighted: syntect is linear but slow, and one pasted log must not stall
/// the build.
pub const MAX_HIGHLIGHT_BYTES: usize = 512 * 1024;
/// A single line this long can make syntect's regexes crawl; such blocks are shown unhighlighted too.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

pub fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    // syntect's own set lacks TOML, TypeScript, Dockerfile and more that technical posts use every day; two-face
    // carries the set curated by the `bat` project, compiled for the same regex engine.
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn theme_set() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// The names of the bundled themes, for config checks and suggestions.
pub fn theme_names() -> Vec<&'static str> {
    theme_set().themes.keys().map(String::as_str).collect()
}

/// Why a block was not highlighted; the caller turns this into a warning with the block's location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plain {
    /// The info string named no language.
    NoLanguage,
    UnknownLanguage(String),
    TooLarge {
        bytes: usize,
    },
}

/// How highlighted code is coloured.
#[derive(Clone, Copy)]
pub enum Colours<'a> {
    /// Classes (`hl-keyword`) that `highlight.css` colours, light and dark: fanzine's way.
    Classes,
    /// Each span's colour written into it from one theme, as Zola writes a `highlight_theme`.
    Inline(&'a syntect::highlighting::Theme),
}

/// The style of a `<pre>` of inline-coloured code, as Zola writes it: the theme's background and text colours.
pub fn pre_style(theme: &syntect::highlighting::Theme) -> String {
    let hex = |c: syntect::highlighting::Color| format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
    let mut style = String::new();
    if let Some(background) = theme.settings.background {
        style.push_str(&format!("background-color:{};", hex(background)));
    }
    if let Some(foreground) = theme.settings.foreground {
        style.push_str(&format!("color:{};", hex(foreground)));
    }
    style
}

/// Where a block's language is looked up, as Zola 0.21 does: the site's own syntaxes first (a set of their own, see
/// [`Extras`]), then the bundled ones. A syntax is highlighted with the set it was found in.
#[derive(Clone, Copy)]
pub struct Syntaxes<'a> {
    own: Option<&'a SyntaxSet>,
}

impl<'a> Syntaxes<'a> {
    /// The bundled syntaxes alone.
    pub fn bundled() -> Syntaxes<'static> {
        Syntaxes { own: None }
    }

    /// The syntax for `lang` and the set it belongs to.
    fn find(&self, lang: &str) -> Option<(&'a SyntaxReference, &'a SyntaxSet)> {
        let own = self.own.and_then(|set| find_syntax(set, lang).map(|syntax| (syntax, set)));
        own.or_else(|| find_syntax(syntax_set(), lang).map(|syntax| (syntax, syntax_set())))
    }
}

/// Highlights `code` as `lang`, returning the inner HTML of a `<code>` element.
pub fn highlight(
    syntaxes: Syntaxes,
    colours: Colours,
    code: &str,
    lang: Option<&str>,
) -> Result<String, (String, Plain)> {
    let plain = || escape(code);
    let Some(lang) = lang.filter(|l| !l.is_empty()) else {
        return Err((plain(), Plain::NoLanguage));
    };
    if matches!(lang, "text" | "plain" | "txt" | "plaintext") {
        return Ok(plain());
    }
    let Some((syntax, syntaxes)) = syntaxes.find(lang) else {
        return Err((plain(), Plain::UnknownLanguage(lang.to_string())));
    };
    if code.len() > MAX_HIGHLIGHT_BYTES || code.lines().any(|l| l.len() > MAX_LINE_BYTES) {
        return Err((plain(), Plain::TooLarge { bytes: code.len() }));
    }
    if let Colours::Inline(theme) = colours {
        return inline(syntaxes, syntax, theme, code)
            .ok_or_else(|| (plain(), Plain::UnknownLanguage(lang.to_string())));
    }
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            return Err((plain(), Plain::UnknownLanguage(lang.to_string())));
        }
    }
    Ok(generator.finalize())
}

/// `code` with each span's colour from `theme` written into it; `None` if the syntax fails on it.
fn inline(
    syntaxes: &SyntaxSet,
    syntax: &SyntaxReference,
    theme: &syntect::highlighting::Theme,
    code: &str,
) -> Option<String> {
    use syntect::html::{IncludeBackground, styled_line_to_highlighted_html};
    let mut lines = syntect::easy::HighlightLines::new(syntax, theme);
    let mut html = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let regions = lines.highlight_line(line, syntaxes).ok()?;
        html.push_str(&styled_line_to_highlighted_html(&regions, IncludeBackground::No).ok()?);
    }
    Some(html)
}

fn find_syntax<'s>(set: &'s SyntaxSet, lang: &str) -> Option<&'s SyntaxReference> {
    set.find_syntax_by_token(lang).or_else(|| set.find_syntax_by_token(&lang.to_ascii_lowercase()))
}

/// One stylesheet: the light theme by default, the dark one under `prefers-color-scheme: dark`.
pub fn stylesheet(extras: &Extras, light: &str, dark: &str) -> Result<String, String> {
    let theme = |name: &str| extras.theme(name).ok_or_else(|| format!("unknown highlighting theme {name:?}"));
    let light_css = css_for_theme_with_class_style(theme(light)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    let dark_css = css_for_theme_with_class_style(theme(dark)?, CLASS_STYLE).map_err(|e| e.to_string())?;
    let indented: String = dark_css.lines().map(|l| format!("  {l}\n")).collect();
    Ok(format!(
        "/* generated by fanzine from the themes {light:?} and {dark:?} */\n{light_css}\n@media (prefers-color-scheme: dark) {{\n{indented}}}\n"
    ))
}

/// Minimal HTML escaping for text content and attribute values.
///
/// Every page and feed passes through this (it is also the templates' escaper), so it copies the runs between
/// special characters whole instead of pushing one character at a time: several times faster on long bodies.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut run = 0;
    for (i, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is always a char boundary.
        out.push_str(&text[run..i]);
        out.push_str(replacement);
        run = i + 1;
    }
    out.push_str(&text[run..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans Zola 0.21 wrote for the same line with `highlight_theme = "base16-ocean-dark"` (a site built with
    /// it in /tmp), and its `<pre>` style.
    #[test]
    fn inline_colours_are_zolas() {
        let theme = theme_set().themes.get("base16-ocean.dark").unwrap();
        let html = highlight(Syntaxes::bundled(), Colours::Inline(theme), "fn main() {\n", Some("rust")).unwrap();
        assert!(
            html.starts_with("<span style=\"color:#b48ead;\">fn </span><span style=\"color:#8fa1b3;\">main</span>"),
            "{html}"
        );
        assert_eq!(pre_style(theme), "background-color:#2b303b;color:#c0c5ce;");
    }

    #[test]
    fn known_language_gets_classes() {
        let html = highlight(Syntaxes::bundled(), Colours::Classes, "fn main() {}\n", Some("rust")).unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn languages_of_technical_posts_are_known() {
        for lang in ["toml", "typescript", "dockerfile", "yaml", "json", "bash", "go", "c"] {
            assert!(highlight(Syntaxes::bundled(), Colours::Classes, "x = 1\n", Some(lang)).is_ok(), "{lang}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        let (html, why) = highlight(Syntaxes::bundled(), Colours::Classes, "<b>&</b>\n", Some("klingon")).unwrap_err();
        assert_eq!(html, "&lt;b&gt;&amp;&lt;/b&gt;\n");
        assert_eq!(why, Plain::UnknownLanguage("klingon".into()));
    }

    #[test]
    fn huge_blocks_are_not_highlighted() {
        let code = "let x = 1;\n".repeat(100_000);
        let (_, why) = highlight(Syntaxes::bundled(), Colours::Classes, &code, Some("rust")).unwrap_err();
        assert!(matches!(why, Plain::TooLarge { .. }));
    }

    #[test]
    fn escape_replaces_exactly_the_special_characters() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain é text"), "plain é text");
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("ü<ü>ü"), "ü&lt;ü&gt;ü");
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet(&Extras::default(), "InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
        assert!(stylesheet(&Extras::default(), "nope", "base16-ocean.dark").is_err());
    }
}
