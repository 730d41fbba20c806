//! Code blocks: highlighted by class, or handed to a block hook (`claims`), or shown plain with a warning; laid out
//! line by line when the info string asks for it (see [`fence`]).
mod fence;
mod lines;

use super::{Events, Locator, Options, Rendered};
use crate::error::{Diagnostic, Location};
use crate::highlight::{self, Plain, escape};
use fence::Fence;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

pub fn render_blocks<'a>(events: Events<'a>, options: &Options, locator: &Locator, out: &mut Rendered) -> Events<'a> {
    let mut result = Vec::with_capacity(events.len());
    let mut block: Option<(Option<CowStr<'a>>, String, std::ops::Range<usize>)> = None;
    for (event, range) in events {
        match (event, &mut block) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info),
                    CodeBlockKind::Indented => None,
                };
                block = Some((info, String::new(), range));
            }
            (Event::Text(text), Some((_, code, _))) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (info, code, range) = block.take().expect("inside a block");
                let fence = match &info {
                    Some(info) => {
                        let (fence, problems) = fence::parse(info);
                        for problem in problems {
                            let at = info_location(locator, range.start, info, problem.at);
                            let d = match problem.error {
                                true => Diagnostic::error(Some(at), problem.message),
                                false => Diagnostic::warning(Some(at), problem.message),
                            };
                            out.diagnostics.push(d.with_hint(problem.hint));
                        }
                        fence
                    }
                    None => Fence { lang: Some("text"), ..fence::parse("").0 },
                };
                let html = render_block(&fence, &code, options, locator.at(range.start), out);
                result.push((Event::Html(CowStr::from(html)), range));
            }
            (event, _) => result.push((event, range)),
        }
    }
    result
}

/// Where byte `at` of a fence's info string is in the file: the info string follows the fence's backticks or
/// tildes on its first line. An info string with escapes is not found verbatim; then the fence itself is named.
fn info_location(locator: &Locator, fence_start: usize, info: &str, at: usize) -> Location {
    let line = locator.body[fence_start..].split('\n').next().unwrap_or_default();
    let after_marks = line.trim_start().trim_start_matches(['`', '~']);
    let info_start = fence_start + line.len() - after_marks.trim_start().len();
    match locator.body[info_start..].starts_with(info) {
        true => locator.at(info_start + at),
        false => locator.at(fence_start),
    }
}

fn render_block(fence: &Fence, code: &str, options: &Options, location: Location, out: &mut Rendered) -> String {
    let lang = fence.lang;
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
                return plain_block(fence, options, lang, &escape(code));
            }
            None => {}
        }
    }
    if !options.highlight {
        return plain_block(fence, options, lang.unwrap_or("text"), &escape(code));
    }
    match highlight::highlight(options.syntaxes, options.colours, code, lang) {
        Ok(html) => plain_block(fence, options, lang.unwrap_or("text"), &html),
        Err((html, why)) => {
            let d = match why {
                // Plain text by the author's choice, and common (a Zola blog had 411): no warning.
                Plain::NoLanguage => return plain_block(fence, options, "text", &html),
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
            plain_block(fence, options, lang.unwrap_or("text"), &html)
        }
    }
}

/// The block's `<pre>`: fanzine's own attributes, and Zola's `data-linenos`, `data-copy` and `data-name` when the
/// info string asks for them.
fn plain_block(fence: &Fence, options: &Options, lang: &str, inner: &str) -> String {
    let lang = escape(lang);
    // Inline colours bring the theme's background and text colours on the block, as Zola writes them.
    let style = match options.colours {
        highlight::Colours::Inline(theme) if options.highlight => format!(" style=\"{}\"", highlight::pre_style(theme)),
        _ => String::new(),
    };
    if !fence.by_line() && fence.name.is_none() && !fence.copy {
        return format!(
            "<pre class=\"code\" data-lang=\"{lang}\"{style}><code class=\"language-{lang}\">{inner}</code></pre>\n"
        );
    }
    let flags = match (fence.linenos, fence.copy) {
        (true, true) => " data-linenos data-copy",
        (true, false) => " data-linenos",
        (false, true) => " data-copy",
        (false, false) => "",
    };
    let name = fence.name.map(|n| format!(" data-name=\"{}\"", escape(n))).unwrap_or_default();
    let inner = if fence.by_line() { lines::lay_out(inner, fence).into() } else { std::borrow::Cow::Borrowed(inner) };
    format!(
        "<pre class=\"code\"{flags} data-lang=\"{lang}\"{name}{style}><code class=\"language-{lang}\"{name}>{inner}</code></pre>\n"
    )
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
            block_hook: Some(&hook),
            ..Options::new("content/x.md", &crate::config::Markdown::FANZINE, &resolve)
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

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zola-codeblocks/");

    /// Each block's `<code>` content, and the `data-` flags of its `<pre>` that Zola also writes.
    fn blocks(html: &str) -> Vec<(Vec<&str>, String)> {
        html.split("<pre")
            .skip(1)
            .map(|block| {
                let pre = &block[..block.find('>').unwrap()];
                let flags = ["data-linenos", "data-copy", "data-name=\"main.rs\"", "data-name=\"notes.txt\""];
                let flags = flags.into_iter().filter(|f| pre.contains(f)).collect();
                let code = &block[block.find("<code").unwrap()..];
                let inner = &code[code.find('>').unwrap() + 1..code.find("</code>").unwrap()];
                // Zola also escapes `/`; the text is the same.
                (flags, inner.replace("&#x2F;", "/"))
            })
            .collect()
    }

    fn without_spans(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find("<span").or_else(|| rest.find("</span>")) {
            let start = [rest.find("<span"), rest.find("</span>")].into_iter().flatten().min().unwrap_or(start);
            out.push_str(&rest[..start]);
            rest = &rest[start + rest[start..].find('>').unwrap() + 1..];
        }
        out + rest
    }

    #[test]
    fn annotated_blocks_are_laid_out_as_zola_lays_them_out() {
        let body = std::fs::read_to_string(format!("{FIXTURE}body.md")).unwrap();
        let zola_plain = std::fs::read_to_string(format!("{FIXTURE}zola-0.21-plain.html")).unwrap();
        let zola_classes = std::fs::read_to_string(format!("{FIXTURE}zola-0.21-classes.html")).unwrap();
        let resolve = |_: &str| None;
        for highlight in [false, true] {
            let options =
                Options { highlight, ..Options::new("content/x.md", &crate::config::Markdown::ZOLA, &resolve) };
            let r = render(&body, &options);
            assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
            let ours = blocks(&r.html);
            assert_eq!(ours.len(), 6);
            let zola = if highlight { &zola_classes } else { &zola_plain };
            let theirs = blocks(zola);
            for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
                assert_eq!(ours.0, theirs.0, "block {i}: flags");
                if highlight {
                    // Zola's classes are not syntect's spaced `hl-` ones; the lines, marks and table are the same.
                    assert!(i == 4 || ours.1.contains("<span class=\"hl-"), "block {i} is highlighted: {}", ours.1);
                    assert_eq!(without_spans(&ours.1), without_spans(&theirs.1), "block {i}");
                } else {
                    assert_eq!(ours.1, theirs.1, "block {i}");
                }
            }
        }
    }

    #[test]
    fn annotation_problems_are_located_in_the_info_string() {
        let r = render_plain("Intro.\n\n```rust,linenoss,hl_lines=5-2\nx\n```\n\n~~~ python , bogus=1\ny\n~~~\n");
        let messages: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].starts_with("content/x.md:3:9: warning: unknown code block annotation `linenoss`"));
        assert!(messages[0].contains("did you mean `linenos`?"), "{}", messages[0]);
        assert!(messages[1].starts_with("content/x.md:3:27: error: hl_lines: the range `5-2` runs backwards"));
        assert!(messages[1].contains("write the smaller line first: 2-5"), "{}", messages[1]);
        assert!(messages[2].starts_with("content/x.md:7:14: warning: unknown code block annotation `bogus`"));
        assert!(r.html.contains("data-lang=\"python\""), "{}", r.html);
    }

    #[test]
    fn a_block_with_no_annotations_is_unchanged() {
        let r = render_plain("```rust\nfn main() {}\n```\n");
        assert!(!r.html.contains("<mark") && !r.html.contains("<table"));
        let r = render_plain("```rust,name=a.rs\nfn main() {}\n```\n");
        assert!(r.html.starts_with("<pre class=\"code\" data-lang=\"rust\" data-name=\"a.rs\"><code class=\"language-rust\" data-name=\"a.rs\"><span"), "{}", r.html);
    }
}
