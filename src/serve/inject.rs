//! What the preview adds to each HTML page it serves: the live-reload script and, while the latest build is
//! failing, the error overlay. Only the server calls this; built sites never contain it.
//!
//! The overlay is also rendered here, server-side and escaped, so that a page loaded while the build is broken
//! shows the error at once (and without JavaScript); the script replaces it as new events arrive.
use super::preview::Preview;
use crate::highlight::escape;

/// The event stream's path from the site root; pages refer to it relatively (see [`events_url`]).
pub const EVENTS_PATH: &str = "__fanzine/events";

const SCRIPT: &str = include_str!("reload.js");

const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;overflow:auto;\
margin:0;padding:1em 1.5em;background:#2b0b0b;color:#fde8e8;font:14px/1.5 ui-monospace,monospace;\
border-bottom:3px solid #e5484d;white-space:pre-wrap";

/// The page with the script (and the overlay, if the build is failing) inserted before its last `</body>`.
pub fn inject(html: &[u8], preview: &Preview, request_path: &str) -> Vec<u8> {
    let snippet = snippet(preview, request_path);
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

fn snippet(preview: &Preview, request_path: &str) -> String {
    let mut out = overlay(preview);
    out.push_str(&format!(
        "<script data-version=\"{}\" data-events=\"{}\" data-style=\"{}\">\n{SCRIPT}</script>\n",
        preview.version,
        escape(&events_url(request_path)),
        escape(OVERLAY_STYLE)
    ));
    out
}

/// The failing build's errors, every piece of text escaped: messages quote the author's sources.
pub fn overlay(preview: &Preview) -> String {
    let errors = preview.errors();
    if errors.is_empty() {
        return String::new();
    }
    // After a failed first build there is no good build to show behind the errors.
    let title = if preview.output.files.is_empty() {
        "Build failed: nothing built yet"
    } else {
        "Build failed: showing the last good build"
    };
    let mut out = format!(
        "<div id=\"__fanzine-overlay\" role=\"alert\" style=\"{}\"><strong>{title}</strong><ul>",
        escape(OVERLAY_STYLE)
    );
    for d in errors {
        let at = d.location.as_ref().map(|l| l.to_string()).unwrap_or_default();
        out.push_str(&format!("<li><code>{}</code> {}", escape(&at), escape(&d.message)));
        if let Some(hint) = &d.hint {
            out.push_str(&format!("<div>help: {}</div>", escape(hint)));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></div>\n");
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

    #[test]
    fn script_goes_before_the_body_close() {
        let preview = Preview::first(Ok(std::sync::Arc::new(Output::default())));
        let page = inject(b"<html><body><p>hi</p></BODY></html>", &preview, "/posts/a/");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.starts_with("<html><body><p>hi</p><script data-version=\"1\" data-events=\"../../__fanzine/events\"")
        );
        assert!(page.ends_with("</script>\n</BODY></html>"), "{page}");
        assert!(!page.contains("__fanzine-overlay\" role"));
    }

    #[test]
    fn events_url_is_relative_to_the_page() {
        assert_eq!(events_url("/"), "__fanzine/events");
        assert_eq!(events_url("/index.html"), "__fanzine/events");
        assert_eq!(events_url("/posts/a/"), "../../__fanzine/events");
        assert_eq!(events_url("/posts/a/index.html"), "../../__fanzine/events");
    }

    #[test]
    fn overlay_escapes_what_it_quotes() {
        let failed = BuildFailed::new(vec![
            Diagnostic::error(Some(Location::at("content/<x>.md", 3, 7)), "bad <script>alert(1)</script> & \"q\"")
                .with_hint("try <b>this</b>"),
        ]);
        let preview = Preview::first(Err(failed));
        let html = overlay(&preview);
        assert!(
            html.contains(
                "<code>content/&lt;x&gt;.md:3:7</code> bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"
            ),
            "{html}"
        );
        assert!(html.contains("help: try &lt;b&gt;this&lt;/b&gt;"));
        assert!(!html.contains("<script>"));
    }
}
