//! Plain-text facts about a post: word count, summary, and text XML forbids.
use super::{Events, Locator, Rendered};
use crate::content::xml;
use crate::error::Diagnostic;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Removes from text and code what XML forbids, which only character references (`&#1;`) can still put there:
/// the raw characters left the post's text when it was read. One warning, at the first.
pub fn drop_forbidden<'a>(events: Events<'a>, locator: &Locator, out: &mut Rendered) -> Events<'a> {
    let mut removed: Vec<(char, crate::error::Location)> = Vec::new();
    let events = events
        .into_iter()
        .map(|(event, range)| match event {
            Event::Text(t) if t.chars().any(xml::is_forbidden) => {
                let at = locator.at(range.start);
                removed.extend(t.chars().filter(|&c| xml::is_forbidden(c)).map(|c| (c, at.clone())));
                (Event::Text(xml::strip(&t).into_owned().into()), range)
            }
            Event::Code(t) if t.chars().any(xml::is_forbidden) => {
                let at = locator.at(range.start);
                removed.extend(t.chars().filter(|&c| xml::is_forbidden(c)).map(|c| (c, at.clone())));
                (Event::Code(xml::strip(&t).into_owned().into()), range)
            }
            other => (other, range),
        })
        .collect();
    if let Some((first, at)) = removed.first() {
        let more = if removed.len() > 1 { format!(" and {} more", removed.len() - 1) } else { String::new() };
        let message = format!(
            "removed characters that XML does not allow, written as character references: U+{:04X}{more}",
            u32::from(*first)
        );
        out.diagnostics.push(Diagnostic::warning(Some(at.clone()), message).with_hint(xml::HINT_ESCAPED));
    }
    events
}

/// `:smile:` to 😄, by GitHub's names, in prose only: code keeps its colons. Neighbouring text events are joined
/// first, since the parser may split a name at `_`.
pub fn emoji(events: Events) -> Events {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut in_code = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => {
                if let Some((Event::Text(before), before_range)) = out.last_mut() {
                    *before = format!("{before}{t}").into();
                    before_range.end = range.end;
                } else {
                    out.push((Event::Text(t), range));
                }
                continue;
            }
            _ => {}
        }
        out.push((event, range));
    }
    for (event, _) in &mut out {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => {
                if let Some(replaced) = replace_emoji(t) {
                    *t = replaced.into();
                }
            }
            _ => {}
        }
    }
    out
}

/// The text with each known `:name:` replaced, or `None` if there was none.
fn replace_emoji(text: &str) -> Option<String> {
    let is_name = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '+' | '-');
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(start) = rest.find(':') {
        let after = &rest[start + 1..];
        let len = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
        let emoji = (len > 0 && after[len..].starts_with(':')).then(|| gh_emoji::get(&after[..len])).flatten();
        match emoji {
            Some(emoji) => {
                out.push_str(&rest[..start]);
                out.push_str(emoji);
                rest = &after[len + 1..];
                changed = true;
            }
            None => {
                out.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Counts words in prose; text inside code blocks is not read, so it does not inflate reading time.
pub fn count_words(events: &Events) -> usize {
    let mut in_code = false;
    let mut words = 0;
    for (event, _) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => words += t.split_whitespace().count(),
            _ => {}
        }
    }
    words
}

/// Whether `event` is the `<!-- more -->` marker that ends a summary.
pub fn is_more(event: &Event) -> bool {
    matches!(event, Event::Html(h) | Event::InlineHtml(h) if h.contains("<!-- more -->"))
}

/// The id Zola gives the place of the `<!-- more -->` marker, so that a list's "read more" can link past the
/// summary.
pub const CONTINUE_READING: &str = "continue-reading";

/// The marker becomes `<span id="continue-reading"></span>`, as in Zola (a line of its own where the marker was a
/// block); the id joins the page's.
pub fn continue_reading<'a>(events: Events<'a>, ids: &mut Vec<String>) -> Events<'a> {
    let Some(at) = events.iter().position(|(e, _)| is_more(e)) else { return events };
    let mut events = events;
    let span = format!("<span id=\"{CONTINUE_READING}\"></span>");
    let (event, range) = &events[at];
    events[at] = match event {
        Event::Html(_) => (Event::Html(format!("{span}\n").into()), range.clone()),
        _ => (Event::InlineHtml(span.into()), range.clone()),
    };
    ids.push(CONTINUE_READING.to_string());
    events
}

/// What Zola 0.21's built-in `summary-cutoff.html` writes where a summary is cut inside a paragraph, a list item
/// or any other element: an ellipsis.
pub const SUMMARY_CUTOFF: &str = "&hellip;\n";

/// Makes what ends a summary cut inside an element, from the summary so far (a Zola site's own
/// `summary-cutoff.html`).
pub trait SummaryCutoff {
    fn cutoff(&self, summary: &str) -> Result<String, Diagnostic>;
}

/// The HTML before a `<!-- more -->` marker, else the first paragraph.
///
/// A marker in the middle of a line cuts inside elements: as Zola 0.21 does, the summary then loses its trailing
/// spaces, ends with `cutoff`'s text, else [`SUMMARY_CUTOFF`], and closes what is open, so no summary leaves a tag
/// open in a list page or a feed.
pub fn summary_html(events: &Events, cutoff: Option<&(dyn SummaryCutoff + Sync)>, out: &mut Rendered) -> String {
    let end = match events.iter().position(|(e, _)| is_more(e)) {
        Some(i) => i,
        None => match events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph))) {
            Some(i) => i + 1,
            None => events.len(),
        },
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events[..end].iter().map(|(e, _)| e.clone()));
    let mut open = Vec::new();
    for (event, _) in &events[..end] {
        match event {
            // A marker on a line of its own is an HTML block: that cuts between elements, not inside one.
            Event::Start(Tag::HtmlBlock) => {}
            Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    if !open.is_empty() {
        html.truncate(html.trim_end().len());
        let text = match cutoff.map(|c| c.cutoff(&html)) {
            None => SUMMARY_CUTOFF.to_string(),
            Some(Ok(text)) => text,
            Some(Err(d)) => {
                out.diagnostics.push(d);
                String::new()
            }
        };
        html.push_str(&text);
        pulldown_cmark::html::push_html(&mut html, open.into_iter().rev().map(Event::End));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;

    #[test]
    fn character_references_to_forbidden_characters_are_dropped() {
        let r = render_plain("# A&#1;B\n\nText &#xFFFF;here `c&#11;`.\n");
        assert!(r.html.contains("<h1 id=\"ab\">AB"), "{}", r.html);
        assert!(r.html.contains("Text here <code>c&amp;#11;</code>"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        let d = r.diagnostics[0].to_string();
        assert!(d.starts_with("content/x.md:1:4: warning: removed characters that XML does not allow"), "{d}");
        assert!(d.contains("U+0001 and 1 more"), "{d}");
    }

    #[test]
    fn emoji_names_become_emoji_outside_code() {
        let settings = crate::config::Markdown { render_emoji: true, ..crate::config::Markdown::FANZINE };
        let r = super::super::render_with(
            "Hi :smile: :no_such_emoji: 10:30 :+1:\n\n`:smile:`\n\n```\n:cat:\n```\n",
            &settings,
        );
        assert!(r.html.contains("<p>Hi 😄 :no_such_emoji: 10:30 👍</p>"), "{}", r.html);
        assert!(r.html.contains("<code>:smile:</code>") && r.html.contains(":cat:"), "{}", r.html);
        assert!(render_plain("Hi :smile:\n").html.contains(":smile:"), "off by default");
    }

    #[test]
    fn code_is_not_counted_as_words() {
        let r = render_plain("one two three\n\n```rust\nlet a = b;\n```\n\nfour `five`\n");
        assert_eq!(r.word_count, 5);
    }

    /// Summaries cut inside an element, as Zola 0.21 writes them with its built-in `summary-cutoff.html`
    /// (recorded with `zola build`).
    #[test]
    fn a_summary_cut_inside_an_element_ends_with_an_ellipsis_and_closes_it() {
        for (markdown, zola) in [
            ("Intro *text* <!-- more --> and more.\n\nNext.\n", "<p>Intro <em>text</em>&hellip;\n</p>\n"),
            ("- one\n- two<!-- more -->three\n\nNext.\n", "<ul>\n<li>one</li>\n<li>two&hellip;\n</li>\n</ul>\n"),
            ("Ends with dot. <!-- more --> after\n", "<p>Ends with dot.&hellip;\n</p>\n"),
            ("> quoted <!-- more --> rest\n", "<blockquote>\n<p>quoted&hellip;\n</p>\n</blockquote>\n"),
            ("Intro text.\n\n<!-- more -->\n\n## Hello\n", "<p>Intro text.</p>\n"),
        ] {
            assert_eq!(render_plain(markdown).summary, zola, "{markdown:?}");
        }
    }

    #[test]
    fn summary_is_first_paragraph_or_up_to_more() {
        assert_eq!(render_plain("First *para*.\n\nSecond.\n").summary, "<p>First <em>para</em>.</p>\n");
        let r = render_plain("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>\n");
        // Where Zola 0.21 puts its `continue-reading` anchor, recorded with `zola build`.
        assert!(r.html.contains("<p>Two.</p>\n<span id=\"continue-reading\"></span>\n<p>Three.</p>"), "{}", r.html);
        assert!(r.ids.iter().any(|id| id == "continue-reading"));
        let inline = render_plain("One <!-- more --> two.\n");
        assert!(inline.html.starts_with("<p>One <span id=\"continue-reading\"></span> two.</p>"), "{}", inline.html);
        assert_eq!(inline.summary, "<p>One&hellip;\n</p>\n", "closed, as Zola closes it");
        let heading = render_plain("# Continue reading\n\n<!-- more -->\n");
        assert!(heading.html.contains("id=\"continue-reading-1\""), "a heading does not take the anchor's id");
    }
}
