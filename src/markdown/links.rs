//! Links: `@/post.md` becomes the post's URL, and every link is recorded with its line for the checker.
use super::{Events, Locator, Options, Rendered};
use crate::error::Diagnostic;
use pulldown_cmark::{Event, Tag};

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
                    Some(target) => resolve(target, options, &location, &mut out.diagnostics)
                        .unwrap_or_else(|| dest_url.to_string()),
                    None => dest_url.to_string(),
                };
                out.links.push(Link { url: url.clone(), location });
                (Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id }), range)
            }
            other => (other, range),
        })
        .collect()
}

fn resolve(
    target: &str,
    options: &Options,
    location: &crate::error::Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    match (options.resolve)(path) {
        Some(url) => Some(match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url,
        }),
        None => {
            diagnostics.push(
                Diagnostic::error(
                    Some(location.clone()),
                    format!("link to @/{path}: there is no post at content/{path}"),
                )
                .with_hint("`@/` links name a Markdown file relative to content/, e.g. [text](@/2017-05-16-claims.md)"),
            );
            None
        }
    }
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
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].to_string().starts_with("content/x.md:7:25: error: link to @/b.md"));
    }
}
