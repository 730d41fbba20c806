//! Footnotes numbered in order of first reference, gathered at the end, each with a link back to where it was cited.
use super::Events;
use crate::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// The ids [`extract`] will give the notes and the references to them, known before headings take theirs so that
/// a heading called `fn-1` steps aside. Mirrors `extract`: references inside a definition get no id of ours.
pub fn ids<'a>(events: &Events<'a>) -> Vec<String> {
    let mut refs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = Vec::new();
    let mut in_definition = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_definition = true,
            Event::End(TagEnd::FootnoteDefinition) => in_definition = false,
            Event::FootnoteReference(name) if !in_definition => {
                let count = refs.entry(name).or_insert(0);
                *count += 1;
                ids.push(if *count > 1 { format!("fnref-{name}-{count}") } else { format!("fnref-{name}") });
            }
            _ => {}
        }
    }
    ids.extend(refs.keys().map(|name| format!("fn-{name}")));
    ids
}

/// Removes footnote definitions from the flow; returns the events and the HTML of the notes section.
pub fn extract<'a>(events: Events<'a>, ids: &mut Vec<String>) -> (Events<'a>, String) {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut refs: BTreeMap<String, usize> = BTreeMap::new();
    let mut definitions: BTreeMap<String, Vec<Event<'a>>> = BTreeMap::new();
    let mut body = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Event<'a>>)> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => current = Some((name.to_string(), Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, inner)) = current.take() {
                    definitions.entry(name).or_insert(inner);
                }
            }
            e if current.is_some() => current.as_mut().expect("in a definition").1.push(e),
            Event::FootnoteReference(name) => {
                let next = numbers.len() + 1;
                let n = *numbers.entry(name.to_string()).or_insert(next);
                let count = refs.entry(name.to_string()).or_insert(0);
                *count += 1;
                let slug = escape(&name);
                let suffix = if *count > 1 { format!("-{count}") } else { String::new() };
                let html = format!(
                    "<sup class=\"footnote-ref\" id=\"fnref-{slug}{suffix}\"><a href=\"#fn-{slug}\">{n}</a></sup>"
                );
                ids.push(format!("fnref-{name}{suffix}"));
                body.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            other => body.push((other, range)),
        }
    }
    (body, notes_html(&numbers, &refs, definitions, ids))
}

fn notes_html(
    numbers: &BTreeMap<String, usize>,
    refs: &BTreeMap<String, usize>,
    mut definitions: BTreeMap<String, Vec<Event>>,
    ids: &mut Vec<String>,
) -> String {
    if numbers.is_empty() {
        return String::new();
    }
    let mut ordered: Vec<(&String, &usize)> = numbers.iter().collect();
    ordered.sort_by_key(|(_, n)| **n);
    let mut html = String::from("<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n");
    for (name, _) in ordered {
        let slug = escape(name);
        ids.push(format!("fn-{name}"));
        html.push_str(&format!("<li id=\"fn-{slug}\">\n"));
        let inner = definitions.remove(name).unwrap_or_default();
        pulldown_cmark::html::push_html(&mut html, inner.into_iter());
        for k in 1..=refs[name] {
            let suffix = if k > 1 { format!("-{k}") } else { String::new() };
            html.push_str(&format!(
                " <a href=\"#fnref-{slug}{suffix}\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩</a>"
            ));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</section>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;

    #[test]
    fn footnotes_are_numbered_and_link_back() {
        let r = render_plain("A[^b] and B[^a] and again[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n");
        assert!(r.html.contains("<a href=\"#fn-b\">1</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#fn-a\">2</a>"));
        let notes = &r.html[r.html.find("<section").unwrap()..];
        assert!(notes.find("fn-b").unwrap() < notes.find("fn-a").unwrap());
        assert!(notes.contains("href=\"#fnref-b-2\""));
        assert!(r.ids.contains(&"fn-a".to_string()));
    }

    #[test]
    fn ids_known_ahead_are_those_the_notes_get() {
        let md = "A[^b] and B[^a] and again[^b].\n\n[^a]: Note a[^b].\n[^b]: Note b.\n\n## Head\n";
        let events = pulldown_cmark::Parser::new_ext(md, super::super::cmark_options()).into_offset_iter().collect();
        let mut ahead = super::ids(&events);
        let mut made = render_plain(md).ids;
        made.retain(|id| id != "head");
        ahead.sort();
        made.sort();
        assert_eq!(ahead, made);
    }
}
