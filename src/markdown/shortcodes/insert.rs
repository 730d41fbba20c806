//! Puts `.html` shortcode outputs where [`super::expand`] left their placeholders, as Zola 0.21 places them: a
//! paragraph holding one placeholder and nothing else becomes the output alone (so a `<div>` is not wrapped in
//! `<p>`); a placeholder among text becomes inline HTML; one inside raw HTML is replaced in place.
use super::super::Events;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

pub fn insert<'a>(events: Events<'a>, html: &[String]) -> Events<'a> {
    if html.is_empty() {
        return events;
    }
    let mut out: Events = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        if let (Event::Start(Tag::Paragraph), Some((Event::Text(t), _)), Some((Event::End(TagEnd::Paragraph), _))) =
            (event, events.get(i + 1), events.get(i + 2))
            && let Some(n) = whole_placeholder(t)
            && let Some(output) = html.get(n)
        {
            out.push((Event::Html(CowStr::from(output.clone())), range.clone()));
            i += 3;
            continue;
        }
        match event {
            Event::Text(t) if t.contains('\u{E000}') => split_text(t, range, html, &mut out),
            Event::Html(h) if h.contains('\u{E000}') => {
                out.push((Event::Html(replace_all(h, html).into()), range.clone()));
            }
            Event::InlineHtml(h) if h.contains('\u{E000}') => {
                out.push((Event::InlineHtml(replace_all(h, html).into()), range.clone()));
            }
            _ => out.push(events[i].clone()),
        }
        i += 1;
    }
    out
}

/// The number of the placeholder that is the whole of `text`.
fn whole_placeholder(text: &str) -> Option<usize> {
    text.strip_prefix('\u{E000}')?.strip_suffix('\u{E001}')?.parse().ok()
}

/// Text around placeholders, each placeholder as inline HTML.
fn split_text<'a>(text: &str, range: &std::ops::Range<usize>, html: &[String], out: &mut Events<'a>) {
    let mut rest = text;
    while let Some((before, n, after)) = next_placeholder(rest) {
        if !before.is_empty() {
            out.push((Event::Text(before.to_string().into()), range.clone()));
        }
        match html.get(n) {
            Some(output) => out.push((Event::InlineHtml(output.clone().into()), range.clone())),
            None => {
                out.push((Event::Text(rest[before.len()..rest.len() - after.len()].to_string().into()), range.clone()))
            }
        }
        rest = after;
    }
    if !rest.is_empty() {
        out.push((Event::Text(rest.to_string().into()), range.clone()));
    }
}

fn replace_all(text: &str, html: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, n, after)) = next_placeholder(rest) {
        out.push_str(before);
        match html.get(n) {
            Some(output) => out.push_str(output),
            None => out.push_str(&rest[before.len()..rest.len() - after.len()]),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// (text before, number, text after) of the first placeholder.
fn next_placeholder(text: &str) -> Option<(&str, usize, &str)> {
    let start = text.find('\u{E000}')?;
    let len = text[start..].find('\u{E001}')?;
    let n = text[start + '\u{E000}'.len_utf8()..start + len].parse().ok()?;
    Some((&text[..start], n, &text[start + len + '\u{E001}'.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::super::placeholder;

    fn render(text: &str, html: &[&str]) -> String {
        let html: Vec<String> = html.iter().map(|s| s.to_string()).collect();
        let events: super::Events = pulldown_cmark::Parser::new(text).into_offset_iter().collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, super::insert(events, &html).into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn a_placeholder_alone_is_not_a_paragraph() {
        let text = format!("{}\n\n- item {}\n", placeholder(0), placeholder(1));
        let html = render(&text, &["<div>\n\n    <p>kept as is</p>\n</div>\n", "<span>s</span>"]);
        assert_eq!(html, "<div>\n\n    <p>kept as is</p>\n</div>\n<ul>\n<li>item <span>s</span></li>\n</ul>\n");
    }

    #[test]
    fn placeholders_among_text_and_in_raw_html_are_replaced() {
        let text = format!("a {} b {}\n\n<div>{}</div>\n", placeholder(0), placeholder(1), placeholder(0));
        let html = render(&text, &["<i>x</i>", "<b>y</b>"]);
        assert_eq!(html, "<p>a <i>x</i> b <b>y</b></p>\n<div><i>x</i></div>\n");
    }
}
