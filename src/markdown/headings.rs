//! Headings: a unique id each, a visible anchor link, and the table of contents.
use super::text::slugify;
use super::{Events, Rendered};
use crate::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeSet;

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A heading being read: its start event is rewritten once its text, and so its id, is known.
struct OpenHeading {
    level: u32,
    custom_id: Option<String>,
    classes: Vec<String>,
    title: String,
    start: usize,
}

pub fn anchor<'a>(events: Events<'a>, out: &mut Rendered) -> Events<'a> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut flat = Vec::new();
    let mut result = Vec::with_capacity(events.len());
    let mut open: Option<OpenHeading> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                let classes = classes.iter().map(|c| c.to_string()).collect();
                open = Some(OpenHeading {
                    level: level as u32,
                    custom_id: id.map(|i| i.to_string()),
                    classes,
                    title: String::new(),
                    start: result.len(),
                });
                result.push((Event::Html(CowStr::Borrowed("")), range));
            }
            Event::End(TagEnd::Heading(_)) if open.is_some() => {
                let OpenHeading { level, custom_id: custom, classes, title, start } =
                    open.take().expect("open heading");
                let id = unique(custom.unwrap_or_else(|| slugify(&title)), &mut taken);
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                result[start].0 = Event::Html(format!("<h{level} id=\"{}\"{class}>", escape(&id)).into());
                let close = format!(
                    "<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
                    escape(&id)
                );
                result.push((Event::Html(close.into()), range));
                out.ids.push(id.clone());
                flat.push(TocEntry { level, id, title: title.trim().to_string(), children: Vec::new() });
            }
            Event::Text(ref t) | Event::Code(ref t) if open.is_some() => {
                open.as_mut().expect("open heading").title.push_str(t);
                result.push((event, range));
            }
            other => result.push((other, range)),
        }
    }
    out.toc = nest(flat);
    result
}

/// `intro`, `intro-1`, `intro-2`: ids stay unique within a page whatever the headings say.
fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    let base = if base.is_empty() { "section".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// Turns the flat heading list into a tree: each heading owns the deeper ones that follow it.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;

    #[test]
    fn ids_are_unique_and_anchored() {
        let r = render_plain("## Intro\n\n## Intro\n\n### Deep `code`\n\n## Custom {#mine}\n");
        assert_eq!(r.ids, ["intro", "intro-1", "deep-code", "mine"]);
        assert!(r.html.contains("<h2 id=\"intro-1\">Intro<a class=\"anchor\" href=\"#intro-1\""), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[1].children[0].title, "Deep code");
    }
}
