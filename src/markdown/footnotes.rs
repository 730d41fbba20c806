//! Footnotes numbered in order of first reference, gathered at the end, each with a link back to where it was cited.
use super::Events;
use crate::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// The ids [`extract`] will give the references and the notes, known before headings take theirs so that a
/// heading called `fn-1` steps aside. References inside a definition are left to pulldown-cmark and get no id here.
pub struct Plan {
    /// One per reference, in the order of the text: `fnref-a`, `fnref-a-2` for the second reference to `a`, and a
    /// further suffix where that is taken already (`[^a-2]` is cited too).
    references: Vec<String>,
    /// `fn-a` for each note cited.
    notes: Vec<String>,
}

impl Plan {
    pub fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.references.iter().chain(&self.notes).cloned()
    }
}

pub fn plan(events: &Events) -> Plan {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut taken = super::headings::Ids::new(std::iter::empty());
    let mut references = Vec::new();
    let mut in_definition = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_definition = true,
            Event::End(TagEnd::FootnoteDefinition) => in_definition = false,
            Event::FootnoteReference(name) if !in_definition => {
                let count = counts.entry(name).or_insert(0);
                *count += 1;
                let wanted = if *count > 1 { format!("fnref-{name}-{count}") } else { format!("fnref-{name}") };
                references.push(taken.claim(wanted));
            }
            _ => {}
        }
    }
    let notes = counts.keys().map(|name| format!("fn-{name}")).collect();
    Plan { references, notes }
}

/// The ids of footnotes left where they are defined (`bottom_footnotes = false`), which pulldown-cmark renders
/// itself: each definition's own name, as Zola has them.
pub fn in_place_ids(events: &Events) -> Vec<String> {
    let names = events.iter().filter_map(|(event, _)| match event {
        Event::Start(Tag::FootnoteDefinition(name)) => Some(name.to_string()),
        _ => None,
    });
    names.collect()
}

/// Removes footnote definitions from the flow; returns the events and the HTML of the notes section. `plan` must
/// have been made from these events.
pub fn extract<'a>(events: Events<'a>, plan: Plan, ids: &mut Vec<String>) -> (Events<'a>, String) {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut planned = plan.references.into_iter();
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
                let id = planned.next().expect("the plan has every reference");
                let html = format!(
                    "<sup class=\"footnote-ref\" id=\"{}\"><a href=\"#fn-{}\">{n}</a></sup>",
                    escape(&id),
                    escape(&name)
                );
                ids.push(id.clone());
                refs.entry(name.to_string()).or_default().push(id);
                body.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            other => body.push((other, range)),
        }
    }
    (body, notes_html(&numbers, &refs, definitions, ids))
}

fn notes_html(
    numbers: &BTreeMap<String, usize>,
    refs: &BTreeMap<String, Vec<String>>,
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
        for id in &refs[name] {
            html.push_str(&format!(
                " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩</a>",
                escape(id)
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
    fn a_second_reference_never_takes_the_id_of_another_note() {
        // `fnref-a-2` is both the second citation of `a` and the first of `a-2`.
        let r = render_plain("X[^a] Y[^a] Z[^a-2].\n\n[^a]: A.\n[^a-2]: A2.\n");
        let refs: Vec<&String> = r.ids.iter().filter(|id| id.starts_with("fnref")).collect();
        assert_eq!(refs, ["fnref-a", "fnref-a-2", "fnref-a-2-1"]);
        assert!(r.html.contains("id=\"fnref-a-2-1\"><a href=\"#fn-a-2\">2</a>"), "{}", r.html);
        assert!(r.html.contains("href=\"#fnref-a-2-1\" class=\"footnote-backref\""), "{}", r.html);
    }

    #[test]
    fn footnotes_stay_in_place_without_bottom_footnotes() {
        let settings = crate::config::Markdown::ZOLA;
        let r = super::super::render_with("A[^n].\n\n[^n]: The note.\n\n## n\n", &settings);
        assert!(r.html.contains("<sup class=\"footnote-reference\"><a href=\"#n\">1</a></sup>"), "{}", r.html);
        assert!(r.html.contains("<div class=\"footnote-definition\" id=\"n\">"), "{}", r.html);
        assert!(!r.html.contains("<section class=\"footnotes\""), "{}", r.html);
        assert!(r.ids.contains(&"n".to_string()) && r.ids.contains(&"n-1".to_string()), "{:?}", r.ids);
    }

    #[test]
    fn ids_known_ahead_are_those_the_notes_get() {
        let md = "A[^b] and B[^a] and again[^b].\n\n[^a]: Note a[^b].\n[^b]: Note b.\n\n## Head\n";
        let events =
            pulldown_cmark::Parser::new_ext(md, super::super::cmark_options(&crate::config::Markdown::FANZINE))
                .into_offset_iter()
                .collect();
        let mut ahead: Vec<String> = super::plan(&events).ids().collect();
        let mut made = render_plain(md).ids;
        made.retain(|id| id != "head");
        ahead.sort();
        made.sort();
        assert_eq!(ahead, made);
    }
}
