//! Footnotes numbered in order of first reference, gathered at the end, each with a link back to where it was cited.
//!
//! Sidenotes (`[markdown] sidenotes`): beside each reference goes a copy of its note, `<span class="sidenote"
//! aria-hidden="true" hidden>`, which the theme's CSS shows and floats into the margin on a wide screen while the
//! list at the bottom is then hidden from view. The list stays the real one: it keeps the ids, the back links and
//! what screen readers and print read, so the copy is `aria-hidden` (read once, not twice), carries no id (ids stay
//! unique), and its links take `tabindex="-1"` (a keyboard reaches them in the list, which shows itself when focus or
//! the target is inside it). `hidden` keeps the copy out of feed readers and pages without the theme's CSS.
//!
//! A copy sits inside a line of text, so it must be phrasing content: a note made of paragraphs of text becomes one
//! span per paragraph; a note with a list, code block, table, quote or raw HTML block gets no copy and stays in the
//! list at every width (flattening those would lose their shape), and the list then stays in view for it.
use super::Events;
use crate::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

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

/// What [`extract`] makes of a post's footnotes.
pub struct Extracted<'a> {
    /// The flow without the definitions, each reference a numbered link.
    pub body: Events<'a>,
    /// The notes section, empty when nothing is cited.
    pub notes: String,
    /// For [`with_sidenotes`]: which event of `body` (a reference) gets which note's copy after it.
    pub sidenotes: Vec<(usize, String)>,
}

/// Removes footnote definitions from the flow and gathers them in a notes section; with `sidenotes`, also makes the
/// copies to put beside the references. `plan` must have been made from these events.
pub fn extract<'a>(events: Events<'a>, plan: Plan, ids: &mut Vec<String>, sidenotes: bool) -> Extracted<'a> {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut planned = plan.references.into_iter();
    let mut definitions: BTreeMap<String, Vec<Event<'a>>> = BTreeMap::new();
    let mut body = Vec::with_capacity(events.len());
    let mut current: Option<(String, Vec<Event<'a>>)> = None;
    let mut cited: Vec<(usize, String, usize)> = Vec::new();
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
                cited.push((body.len(), name.to_string(), n));
                body.push((Event::InlineHtml(CowStr::from(html)), range));
            }
            other => body.push((other, range)),
        }
    }
    let mut copies = Vec::new();
    let mut copied = BTreeSet::new();
    if sidenotes {
        for (index, name, n) in cited {
            if let Some(html) = definitions.get(&name).and_then(|inner| sidenote_html(inner, n)) {
                copies.push((index, html));
                copied.insert(name);
            }
        }
    }
    let all_beside = !copies.is_empty() && copied.len() == numbers.len();
    let notes = notes_html(&numbers, &refs, definitions, ids, all_beside);
    Extracted { body, notes, sidenotes: copies }
}

/// Puts each note's copy after its reference; done after the summary is taken so that lists of posts and feeds'
/// summaries carry no copies.
pub fn with_sidenotes<'a>(mut body: Events<'a>, sidenotes: Vec<(usize, String)>) -> Events<'a> {
    for (index, copy) in sidenotes {
        if let Event::InlineHtml(reference) = &body[index].0 {
            body[index].0 = Event::InlineHtml(CowStr::from(format!("{reference}{copy}")));
        }
    }
    body
}

/// The copy of a note to put beside reference number `n`, or `None` when the note holds more than paragraphs of
/// text (see the module's comment).
fn sidenote_html(inner: &[Event], n: usize) -> Option<String> {
    let mut html =
        format!("<span class=\"sidenote\" aria-hidden=\"true\" hidden><span class=\"sidenote-number\">{n}</span> ");
    let mut phrasing = Vec::new();
    for event in inner {
        match event {
            Event::Start(Tag::Paragraph) => html.push_str("<span class=\"sidenote-p\">"),
            Event::End(TagEnd::Paragraph) => {
                pulldown_cmark::html::push_html(&mut html, phrasing.drain(..));
                html.push_str("</span>");
            }
            Event::InlineHtml(raw) if raw.to_ascii_lowercase().contains("id=") => return None,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image)
            | Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_) => phrasing.push(event.clone()),
            _ => return None,
        }
    }
    if !phrasing.is_empty() {
        return None;
    }
    // Out of the tab order: the copy is hidden from assistive technology, and the list holds the same links.
    html = html.replace("<a ", "<a tabindex=\"-1\" ");
    html.push_str("</span>");
    Some(html)
}

fn notes_html(
    numbers: &BTreeMap<String, usize>,
    refs: &BTreeMap<String, Vec<String>>,
    mut definitions: BTreeMap<String, Vec<Event>>,
    ids: &mut Vec<String>,
    all_beside: bool,
) -> String {
    if numbers.is_empty() {
        return String::new();
    }
    let mut ordered: Vec<(&String, &usize)> = numbers.iter().collect();
    ordered.sort_by_key(|(_, n)| **n);
    let class = if all_beside { "footnotes all-beside" } else { "footnotes" };
    let mut html = format!("<section class=\"{class}\" role=\"doc-endnotes\">\n<ol>\n");
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

    /// Every `id="…"` in a piece of HTML.
    fn ids_in(html: &str) -> Vec<&str> {
        html.split(" id=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect()
    }

    fn copies(html: &str) -> Vec<&str> {
        let starts = html.match_indices("<span class=\"sidenote\"").map(|(i, _)| i);
        starts.map(|i| &html[i..i + html[i..].find("</span></span>").unwrap()]).collect()
    }

    #[test]
    fn sidenotes_copy_each_note_beside_each_reference_without_ids() {
        let md = "A[^b] and B[^a] and again[^b].\n\n[^a]: Note *a* with [a link](/x).\n[^b]: Note b.\n\n    More b.\n";
        let r = render_plain(md);
        let copies = copies(&r.html);
        assert_eq!(copies.len(), 3, "{}", r.html);
        assert!(copies[0].starts_with("<span class=\"sidenote\" aria-hidden=\"true\" hidden>"), "{}", copies[0]);
        assert!(
            copies[0].contains("<span class=\"sidenote-number\">1</span> <span class=\"sidenote-p\">Note b.</span>")
        );
        assert!(copies[0].contains("<span class=\"sidenote-p\">More b."), "{}", copies[0]);
        assert!(copies[1].contains("Note <em>a</em> with <a tabindex=\"-1\" href=\"/x\">a link</a>"), "{}", copies[1]);
        assert!(copies.iter().all(|c| ids_in(c).is_empty() && !c.contains("<p>")), "{copies:?}");
        // Ids are unique and are those the list and the references had before.
        let mut all = ids_in(&r.html);
        assert_eq!(all.len(), 5, "{all:?}");
        all.sort();
        all.dedup();
        assert_eq!(all, ["fn-a", "fn-b", "fnref-a", "fnref-b", "fnref-b-2"]);
        let notes = &r.html[r.html.find("<section").unwrap()..];
        assert!(notes.starts_with("<section class=\"footnotes all-beside\" role=\"doc-endnotes\">"), "{notes}");
        assert!(
            notes.contains("<a href=\"#fnref-b\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩</a>")
        );
        assert!(notes.contains("href=\"#fnref-b-2\" class=\"footnote-backref\""));
        assert!(!notes.contains("sidenote"), "{notes}");
        assert!(!r.summary.contains("sidenote"), "the summary goes into lists and feeds: {}", r.summary);
    }

    #[test]
    fn a_note_with_blocks_stays_at_the_bottom_only() {
        let md = "A[^list] and B[^code] and C[^p].\n\n[^list]: - one\n    - two\n\n[^code]: See:\n\n    ```\n    x\n    ```\n\n[^p]: Plain.\n";
        let r = render_plain(md);
        assert_eq!(copies(&r.html).len(), 1, "{}", r.html);
        assert!(r.html.contains("<span class=\"sidenote-number\">3</span> <span class=\"sidenote-p\">Plain.</span>"));
        assert!(r.html.contains("<section class=\"footnotes\" role"), "the list stays in view: {}", r.html);
        assert!(r.html.contains("<li>one</li>"), "{}", r.html);
    }

    #[test]
    fn sidenotes_off_leave_the_footnotes_as_they_were() {
        let md = "A[^a].\n\n[^a]: Note a.\n";
        let off = crate::config::Markdown { sidenotes: false, ..crate::config::Markdown::FANZINE };
        let plain = super::super::render_with(md, &off).html;
        assert!(!plain.contains("sidenote") && plain.contains("<section class=\"footnotes\" role"), "{plain}");
        let on = render_plain(md).html;
        let copy = copies(&on)[0];
        assert_eq!(on.replace(&format!("{copy}</span></span>"), "").replace(" all-beside", ""), &*plain);
    }
}
