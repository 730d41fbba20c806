//! Plain-text facts about a post: word count, summary, and the slugs used for heading ids.
use super::Events;
use pulldown_cmark::{Event, Tag, TagEnd};

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

/// The HTML before a `<!-- more -->` marker, else the first paragraph.
pub fn summary_html(events: &Events) -> String {
    let is_more = |e: &Event| matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.contains("<!-- more -->"));
    let end = match events.iter().position(|(e, _)| is_more(e)) {
        Some(i) => i,
        None => match events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph))) {
            Some(i) => i + 1,
            None => events.len(),
        },
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events[..end].iter().map(|(e, _)| e.clone()));
    html
}

/// Lowercase letters and digits joined by single dashes; letters outside ASCII are kept, as browsers allow them.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else if !matches!(c, '\'' | '’') {
            dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Claims in the Scheduler!"), "claims-in-the-scheduler");
        assert_eq!(slugify("  Don’t panic — ever "), "dont-panic-ever");
        assert_eq!(slugify("Ünïcode ok"), "ünïcode-ok");
    }

    #[test]
    fn code_is_not_counted_as_words() {
        let r = render_plain("one two three\n\n```rust\nlet a = b;\n```\n\nfour `five`\n");
        assert_eq!(r.word_count, 5);
    }

    #[test]
    fn summary_is_first_paragraph_or_up_to_more() {
        assert_eq!(render_plain("First *para*.\n\nSecond.\n").summary, "<p>First <em>para</em>.</p>\n");
        let r = render_plain("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(r.summary, "<p>One.</p>\n<p>Two.</p>\n");
    }
}
