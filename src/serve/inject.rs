//! What the preview adds to each HTML page it serves: the live-reload script and, while the latest build is
//! failing, the error overlay. Only the server calls this; built sites never contain it.
//!
//! The overlay is also rendered here, server-side and escaped, so that a page loaded while the build is broken
//! shows the error at once (and without JavaScript); the script replaces it as new events arrive.
use super::editor::Editor;
use super::preview::Preview;
use crate::highlight::escape;

/// The event stream's path from the site root; pages refer to it relatively (see [`events_url`]).
pub const EVENTS_PATH: &str = "__fanzine/events";

const SCRIPT: &str = include_str!("reload.js");

/// Where the overlay sits: set on its outer element, which the site's CSS could otherwise move or hide.
const HOST: &str = "display:block;position:fixed;left:0;right:0;top:0;z-index:2147483647;margin:0;padding:0";

/// The overlay's own look, one rule per part, in the same colours whatever the site's theme or the reader's
/// light or dark mode. Contrast ratios (WCAG 2), each at least 4.5:1:
/// - text `#fde8e8` on the background `#2b0b0b`: 15.5:1; on the close button's `#5c1a1a`: 11.1:1;
/// - locations `#ffd59e` on `#2b0b0b`: 13.2:1;
/// - editor links `#a8d1ff` on `#2b0b0b`: 11.5:1;
/// - hints `#f0c4c4` on `#2b0b0b`: 11.6:1.
///
/// The script draws the overlay in a shadow root with these as a style sheet, out of reach of the page's CSS. The
/// copy rendered into the page (seen before the script runs, or without it) cannot have one, so each of its
/// elements carries the same rules inline after `all: initial`, all `!important`: an inline `!important`
/// declaration beats any the site's style sheets make, layers included. Only pseudo-elements the site adds
/// (`li::before`) can still show there; the script's copy replaces it at once.
const PARTS: [(&str, &str); 8] = [
    (
        "box",
        "display:block;box-sizing:border-box;max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;\
background:#2b0b0b;color:#fde8e8;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;\
border-bottom:3px solid #e5484d;white-space:pre-wrap;color-scheme:dark",
    ),
    ("title", "display:inline;font:inherit;font-weight:bold;color:#fde8e8"),
    (
        "close",
        "display:inline-block;float:right;margin:0 0 0 1em;padding:.2em .8em;font:inherit;color:#fde8e8;\
background:#5c1a1a;border:1px solid #fde8e8;border-radius:4px;cursor:pointer",
    ),
    ("list", "display:block;margin:.5em 0 0;padding:0;list-style:none;font:inherit;color:#fde8e8"),
    ("item", "display:block;margin:.4em 0;padding:0;font:inherit;color:#fde8e8;background:transparent"),
    ("at", "display:inline;font:inherit;font-weight:bold;color:#ffd59e;background:transparent;padding:0;border:0"),
    (
        "link",
        "display:inline;font:inherit;font-weight:bold;color:#a8d1ff;background:transparent;text-decoration:underline",
    ),
    ("hint", "display:block;margin:0 0 0 2ch;font:inherit;color:#f0c4c4"),
];

/// The rules for one part.
fn part(name: &str) -> &'static str {
    PARTS.iter().find(|(n, _)| *n == name).map(|(_, rules)| *rules).expect("a known part")
}

/// `style="..."` for the in-page copy: the page's CSS reset, then the part's rules, each `!important`.
fn inline(rules: &str) -> String {
    let mut out = String::from(" style=\"all:initial!important");
    for rule in rules.split(';') {
        out.push(';');
        out.push_str(rule);
        out.push_str("!important");
    }
    out.push('"');
    out
}

/// The shadow root's style sheet: a class per part, and a focus ring people can see on the dark background.
fn shadow_css() -> String {
    let mut out = String::from(":host{all:initial}");
    for (name, rules) in PARTS {
        out.push_str(&format!(".{name}{{{rules}}}"));
    }
    out.push_str(".close:focus-visible,.link:focus-visible{outline:2px solid #ffd59e;outline-offset:2px}");
    out
}

/// The script's `data-host` and `data-css`, escaped once: every page the preview serves carries them, and making
/// them per request cost a third of its pages per second under load.
static STYLE_ATTRIBUTES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        " data-host=\"{}\" data-css=\"{}\"",
        escape(&format!("all:initial!important;{}", important(HOST))),
        escape(&shadow_css())
    )
});

/// The page with the script (and the overlay, if the build is failing) inserted before its last `</body>`.
pub fn inject(html: &[u8], preview: &Preview, request_path: &str, editor: Option<&Editor>) -> Vec<u8> {
    let snippet = snippet(preview, request_path, editor);
    let at = find_last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The event stream's URL relative to the page, so it resolves under whatever path a proxy mounts the site at:
/// `/posts/a/` and `/posts/a/index.html` both give `../../__fanzine/events`.
pub fn events_url(request_path: &str) -> String {
    let depth = request_path.matches('/').count().saturating_sub(1);
    format!("{}{EVENTS_PATH}", "../".repeat(depth))
}

/// While the build fails, the script carries the state the page was served at (`data-state`, the event stream's
/// own JSON), so it can draw the isolated overlay before the stream connects. Only then: the state counts builds,
/// and a good page's bytes must depend on its version alone.
fn snippet(preview: &Preview, request_path: &str, editor: Option<&Editor>) -> String {
    let mut out = overlay(preview, editor);
    let state = if preview.errors().is_empty() {
        String::new()
    } else {
        format!(" data-state=\"{}\"", escape(&preview.event_json(editor)))
    };
    out.push_str(&format!(
        "<script data-version=\"{}\" data-events=\"{}\"{}{state}>\n{SCRIPT}</script>\n",
        preview.version,
        escape(&events_url(request_path)),
        &*STYLE_ATTRIBUTES,
    ));
    out
}

fn important(rules: &str) -> String {
    rules.split(';').map(|r| format!("{r}!important")).collect::<Vec<_>>().join(";")
}

/// The overlay's title: it promises the last good build only if there is one.
pub fn title(preview: &Preview) -> &'static str {
    if preview.built { "Build failed: showing the last good build" } else { "Build failed: nothing built yet" }
}

/// The failing build's errors, every piece of text escaped: messages quote the author's sources. With an
/// [`Editor`], each location is a link that opens the file there.
pub fn overlay(preview: &Preview, editor: Option<&Editor>) -> String {
    let errors = preview.errors();
    if errors.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div id=\"__fanzine-overlay\" role=\"alert\" style=\"{}\"><div{}><button type=\"button\" \
         aria-label=\"Close the error overlay\"{}>Close (Esc)</button><strong{}>{}</strong><ul{}>",
        escape(&format!("all:initial!important;{}", important(HOST))),
        inline(part("box")),
        inline(part("close")),
        inline(part("title")),
        title(preview),
        inline(part("list")),
    );
    for d in errors {
        out.push_str(&format!("<li{}>", inline(part("item"))));
        if let Some(location) = &d.location {
            let at = escape(&location.to_string());
            match editor {
                Some(editor) => out.push_str(&format!(
                    "<a href=\"{}\"{}>{at}</a> ",
                    escape(&editor.link(location)),
                    inline(part("link"))
                )),
                None => out.push_str(&format!("<code{}>{at}</code> ", inline(part("at")))),
            }
        }
        out.push_str(&escape(&d.message));
        if let Some(hint) = &d.hint {
            out.push_str(&format!("<div{}>help: {}</div>", inline(part("hint")), escape(hint)));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></div></div>\n");
    out
}

fn find_last_body_close(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body";
    (0..html.len().saturating_sub(TAG.len() - 1)).rev().find(|&i| html[i..i + TAG.len()].eq_ignore_ascii_case(TAG))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{BuildFailed, Diagnostic, Location};
    use crate::render::Output;
    use crate::serve::editor::EditorUrl;

    #[test]
    fn script_goes_before_the_body_close() {
        let preview = Preview::first(Ok(std::sync::Arc::new(Output::default())));
        let page = inject(b"<html><body><p>hi</p></BODY></html>", &preview, "/posts/a/", None);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.starts_with("<html><body><p>hi</p><script data-version=\"1\" data-events=\"../../__fanzine/events\"")
        );
        assert!(page.ends_with("</script>\n</BODY></html>"), "{page}");
        assert!(!page.contains("__fanzine-overlay\" role") && !page.contains("data-state"));
    }

    #[test]
    fn events_url_is_relative_to_the_page() {
        assert_eq!(events_url("/"), "__fanzine/events");
        assert_eq!(events_url("/index.html"), "__fanzine/events");
        assert_eq!(events_url("/posts/a/"), "../../__fanzine/events");
        assert_eq!(events_url("/posts/a/index.html"), "../../__fanzine/events");
    }

    fn failing(diagnostics: Vec<Diagnostic>) -> Preview {
        Preview::first(Err(BuildFailed::new(diagnostics)))
    }

    fn vscode() -> Editor {
        Editor { url: EditorUrl::parse("vscode://file{path}:{line}:{column}").unwrap(), root: "/site dir".into() }
    }

    #[test]
    fn overlay_escapes_what_it_quotes() {
        let preview = failing(vec![
            Diagnostic::error(Some(Location::at("content/<x>.md", 3, 7)), "bad <script>alert(1)</script> & \"q\"")
                .with_hint("try <b>this</b>"),
        ]);
        let html = overlay(&preview, None);
        assert!(
            html.contains(
                ">content/&lt;x&gt;.md:3:7</code> bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"
            ),
            "{html}"
        );
        assert!(html.contains(">help: try &lt;b&gt;this&lt;/b&gt;</div>"), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        // The script's copy of the state is an attribute: escaped too.
        let page = String::from_utf8(inject(b"<body></body>", &preview, "/", None)).unwrap();
        assert!(page.contains("data-state=\"{&quot;"), "{page}");
        assert_eq!(page.matches("<script").count(), 1, "{page}");
    }

    #[test]
    fn a_failed_first_build_says_nothing_was_built() {
        let first = failing(vec![Diagnostic::error(None, "boom")]);
        let html = overlay(&first, None);
        assert!(html.contains(">Build failed: nothing built yet</strong>"), "{html}");
        assert!(!html.contains("last good build"), "{html}");
        let good = Preview::first(Ok(std::sync::Arc::new(Output::default())));
        let broken = good.next(Err(BuildFailed::new(vec![Diagnostic::error(None, "boom")])), &[]);
        assert!(overlay(&broken, None).contains(">Build failed: showing the last good build</strong>"));
    }

    #[test]
    fn locations_link_to_the_editor_only_when_asked() {
        let preview = failing(vec![
            Diagnostic::error(Some(Location::at("content/a&b \"c\".md", 4, 2)), "bad"),
            Diagnostic::error(None, "no place"),
        ]);
        let plain = overlay(&preview, None);
        assert!(!plain.contains("<a "), "{plain}");
        assert!(plain.contains(">content/a&amp;b &quot;c&quot;.md:4:2</code> bad</li>"), "{plain}");
        let linked = overlay(&preview, Some(&vscode()));
        assert!(linked.contains("<a href=\"vscode://file/site%20dir/content/a%26b%20%22c%22.md:4:2\""), "{linked}");
        assert!(linked.contains(">content/a&amp;b &quot;c&quot;.md:4:2</a> bad</li>"), "{linked}");
        assert_eq!(linked.matches("<a ").count(), 1, "an error without a location gets no link: {linked}");
        assert!(!linked.contains("<code"), "{linked}");
    }

    #[test]
    fn every_element_of_the_in_page_copy_is_styled_inline() {
        let preview = failing(vec![Diagnostic::error(Some(Location::at("a.md", 1, 1)), "m").with_hint("h")]);
        for editor in [None, Some(vscode())] {
            let html = overlay(&preview, editor.as_ref());
            let tags = html.matches('<').count() - html.matches("</").count();
            assert_eq!(html.matches(" style=\"all:initial!important").count(), tags, "{html}");
            assert!(html.contains("role=\"alert\"") && html.contains("<button type=\"button\""), "{html}");
        }
    }
}
