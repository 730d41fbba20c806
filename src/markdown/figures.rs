//! `![alt](src "Title")` alone in its paragraph becomes a figure with the title as its caption:
//! `<figure><img src alt></figure>` with `<figcaption>Title</figcaption>`. A title is the one place Markdown gives
//! an image words of its own, and an image alone in a paragraph is a block; `<figure>` is that block in HTML, and
//! the caption is then shown to every reader rather than hidden in a tooltip. The `title` attribute is dropped,
//! since the caption says it. An image among text, or without a title, stays an inline `<img>`.
use super::Events;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

pub fn captions(events: Events) -> Events {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some(len) = lone_titled_image(&events[i..]) {
            let Event::Start(Tag::Image { link_type, dest_url, title, id }) = events[i + 1].0.clone() else {
                unreachable!("checked by lone_titled_image")
            };
            let caption = format!("<figcaption>{}</figcaption></figure>\n", crate::highlight::escape(&title));
            out.push((Event::Html(CowStr::Borrowed("<figure>")), events[i].1.clone()));
            let image = Tag::Image { link_type, dest_url, title: CowStr::Borrowed(""), id };
            out.push((Event::Start(image), events[i + 1].1.clone()));
            out.extend(events[i + 2..i + len - 1].iter().cloned());
            out.push((Event::Html(caption.into()), events[i + len - 1].1.clone()));
            i += len;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// How many events a paragraph holding nothing but one image with a title takes, starting at `events[0]`.
fn lone_titled_image(events: &[(Event, std::ops::Range<usize>)]) -> Option<usize> {
    let [(Event::Start(Tag::Paragraph), _), (Event::Start(Tag::Image { title, .. }), _), ..] = events else {
        return None;
    };
    if title.trim().is_empty() {
        return None;
    }
    let end = events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Image)))?;
    matches!(events.get(end + 1), Some((Event::End(TagEnd::Paragraph), _))).then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::super::render_plain;

    #[test]
    fn a_titled_image_alone_is_a_figure() {
        let r = render_plain("![A map](map.png \"The <old> town\")\n");
        assert_eq!(
            &*r.html,
            "<figure><img src=\"map.png\" alt=\"A map\" /><figcaption>The &lt;old&gt; town</figcaption></figure>\n"
        );
    }

    #[test]
    fn other_images_stay_inline() {
        let r = render_plain("![A](a.png)\n\nSee ![B](b.png \"T\") here.\n");
        assert_eq!(
            &*r.html,
            "<p><img src=\"a.png\" alt=\"A\" /></p>\n<p>See <img src=\"b.png\" alt=\"B\" title=\"T\" /> here.</p>\n"
        );
    }
}
