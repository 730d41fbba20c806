//! Links: `@/post.md` becomes the post's URL, and every link is recorded with its line for the checker.
//!
//! An `@/` link that names no post is left as written and recorded all the same: the checker reports it, at the
//! level `[link_checker] internal_level` gives links to pages that do not exist. E-mail autolinks
//! (`<someone@example.org>`, which pulldown-cmark gives without their `mailto:`) are not recorded: they are no page.
use super::{Events, Locator, Options, Rendered};
use pulldown_cmark::{Event, LinkType, Tag};

/// A link written in a post, as the checker needs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub url: String,
    pub location: crate::error::Location,
}

pub fn rewrite<'a>(events: Events<'a>, options: &Options, locator: &Locator, out: &mut Rendered) -> Events<'a> {
    events
        .into_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let location = locator.at(range.start);
                let url = match dest_url.strip_prefix("@/") {
                    Some(target) => resolve(target, options).unwrap_or_else(|| dest_url.to_string()),
                    None => dest_url.to_string(),
                };
                if link_type != LinkType::Email {
                    out.links.push(Link { url: url.clone(), location });
                }
                (Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id }), range)
            }
            other => (other, range),
        })
        .collect()
}

fn resolve(target: &str, options: &Options) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let url = (options.resolve)(path)?;
    Some(match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Options, render};

    #[test]
    fn internal_links_resolve_and_are_located() {
        let resolve = |p: &str| (p == "a.md").then(|| "/a/".to_string());
        let options = Options {
            file: "content/x.md",
            first_line: 5,
            highlight: false,
            resolve: &resolve,
            block_hook: None,
            anchors: Default::default(),
        };
        let r = render("Hi.\n\nSee [a](@/a.md#top) and [b](@/b.md).\n", &options);
        assert!(r.html.contains("href=\"/a/#top\""), "{}", r.html);
        assert_eq!(r.links[0].url, "/a/#top");
        assert_eq!(r.links[0].location.to_string(), "content/x.md:7:5");
        // Left as written for the checker, which reports it at the configured level.
        assert_eq!(r.links[1].url, "@/b.md");
        assert_eq!(r.links[1].location.to_string(), "content/x.md:7:25");
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn email_autolinks_are_not_links_to_check() {
        let r = super::super::render_plain("Write to <security@rust-lang.org> or [call](tel:+123).\n");
        assert!(r.html.contains("href=\"mailto:security@rust-lang.org\""), "{}", r.html);
        assert_eq!(r.links.len(), 1, "{:?}", r.links);
        assert_eq!(r.links[0].url, "tel:+123");
    }
}
