//! Code blocks: highlighted by class, or handed to a block hook (`claims`), or shown plain with a warning.
use super::{Events, Locator, Options};
use crate::error::Diagnostic;
use crate::highlight::{self, Plain, escape};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

pub fn render_blocks<'a>(
    events: Events<'a>,
    options: &Options,
    locator: &Locator,
    diagnostics: &mut Vec<Diagnostic>,
) -> Events<'a> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<(Option<String>, String, std::ops::Range<usize>)> = None;
    for (event, range) in events {
        match (event, &mut block) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().map(str::to_string),
                    CodeBlockKind::Indented => Some("text".to_string()),
                };
                block = Some((lang, String::new(), range));
            }
            (Event::Text(text), Some((_, code, _))) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (lang, code, range) = block.take().expect("inside a block");
                let html = render_block(lang.as_deref(), &code, options, locator.at(range.start), diagnostics);
                out.push((Event::Html(CowStr::from(html)), range));
            }
            (event, _) => out.push((event, range)),
        }
    }
    out
}

fn render_block(
    lang: Option<&str>,
    code: &str,
    options: &Options,
    location: crate::error::Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let lang = lang.filter(|l| !l.is_empty());
    if let (Some(hook), Some(lang)) = (options.block_hook, lang) {
        match hook(lang, code) {
            Some(Ok(html)) => return html,
            Some(Err(message)) => {
                diagnostics.push(Diagnostic::error(Some(location), message));
                return plain_block(lang, &escape(code));
            }
            None => {}
        }
    }
    if !options.highlight {
        return plain_block(lang.unwrap_or("text"), &escape(code));
    }
    match highlight::highlight(code, lang) {
        Ok(html) => plain_block(lang.unwrap_or("text"), &html),
        Err((html, why)) => {
            let d = match why {
                Plain::NoLanguage => {
                    Diagnostic::warning(Some(location), "code block without a language is shown unhighlighted")
                        .with_hint("name the language after the fence, e.g. ```rust, or ```text for plain text")
                }
                Plain::UnknownLanguage(l) => Diagnostic::warning(
                    Some(location),
                    format!("unknown language `{l}` in code block; shown unhighlighted"),
                )
                .with_hint("use a language name syntect knows (rust, python, bash, toml, yaml, json, …) or `text`"),
                Plain::TooLarge { bytes } => Diagnostic::warning(
                    Some(location),
                    format!(
                        "code block of {bytes} bytes (or with a very long line) is too large to highlight; shown plain"
                    ),
                )
                .with_hint("split the block, or mark it ```text"),
            };
            diagnostics.push(d);
            plain_block(lang.unwrap_or("text"), &html)
        }
    }
}

fn plain_block(lang: &str, inner: &str) -> String {
    let lang = escape(lang);
    format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{inner}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;

    #[test]
    fn fenced_blocks_are_highlighted() {
        let r = render_plain("```rust\nfn main() {}\n```\n");
        assert!(
            r.html.contains("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-"),
            "{}",
            r.html
        );
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn unknown_language_warns_with_the_line() {
        let r = render_plain("Intro.\n\n```klingon\n<tlhIngan>\n```\n");
        assert!(r.html.contains("&lt;tlhIngan&gt;"));
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].to_string().starts_with("content/x.md:3:1: warning: unknown language `klingon`"));
    }
}
