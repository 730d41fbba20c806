//! Code blocks: highlighted by class, or handed to a block hook (`claims`), or shown plain with a warning.
use super::{Events, Locator, Options, Rendered};
use crate::error::Diagnostic;
use crate::highlight::{self, Plain, escape};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

pub fn render_blocks<'a>(events: Events<'a>, options: &Options, locator: &Locator, out: &mut Rendered) -> Events<'a> {
    let mut result = Vec::with_capacity(events.len());
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
                let html = render_block(lang.as_deref(), &code, options, locator.at(range.start), out);
                result.push((Event::Html(CowStr::from(html)), range));
            }
            (event, _) => result.push((event, range)),
        }
    }
    result
}

fn render_block(
    lang: Option<&str>,
    code: &str,
    options: &Options,
    location: crate::error::Location,
    out: &mut Rendered,
) -> String {
    let lang = lang.filter(|l| !l.is_empty());
    if let (Some(hook), Some(lang)) = (options.block_hook, lang) {
        match hook(lang, code) {
            Some(Ok(block)) => {
                out.attachments.extend(block.attachments);
                return block.html;
            }
            Some(Err(error)) => {
                let mut location = location;
                if let (Some(fence), Some(line)) = (location.line, error.line) {
                    location.line = Some(fence + line);
                    location.column = error.column;
                }
                let mut d = Diagnostic::error(Some(location), error.message);
                d.hint = error.hint;
                out.diagnostics.push(d);
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
                // Plain text by the author's choice, and common (a Zola blog had 411): no warning.
                Plain::NoLanguage => return plain_block("text", &html),
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
            out.diagnostics.push(d);
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
    use super::super::{Block, BlockError, Options, render, render_plain};

    #[test]
    fn block_hooks_own_their_blocks_and_attach_files() {
        let hook = |lang: &str, code: &str| {
            (lang == "demo").then(|| match code.trim() {
                "bad" => Err(BlockError { message: "demo says no".into(), line: Some(1), column: Some(2), hint: None }),
                other => {
                    Ok(Block { html: format!("<b>{other}</b>"), attachments: vec![("d.txt".into(), other.into())] })
                }
            })
        };
        let resolve = |_: &str| None;
        let options = Options {
            file: "content/x.md",
            first_line: 1,
            highlight: true,
            settings: &crate::config::Markdown::FANZINE,
            resolve: &resolve,
            block_hook: Some(&hook),
            shortcodes: None,
            anchors: Default::default(),
        };
        let r = render("```demo\nhi\n```\n\n```demo\nbad\n```\n\n```rust\nfn x() {}\n```\n", &options);
        assert!(r.html.contains("<b>hi</b>"));
        assert!(r.html.contains("<span class=\"hl-"), "other languages are still highlighted");
        assert_eq!(r.attachments, [("d.txt".to_string(), "hi".to_string())]);
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].to_string().starts_with("content/x.md:6:2: error: demo says no"));
    }

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
    fn a_block_without_a_language_is_plain_and_quiet() {
        let r = render_plain("```\n<plain>\n```\n\n    indented\n");
        assert!(r.html.contains("data-lang=\"text\"><code class=\"language-text\">&lt;plain&gt;"), "{}", r.html);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn unknown_language_warns_with_the_line() {
        let r = render_plain("Intro.\n\n```klingon\n<tlhIngan>\n```\n");
        assert!(r.html.contains("&lt;tlhIngan&gt;"));
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].to_string().starts_with("content/x.md:3:1: warning: unknown language `klingon`"));
    }
}
