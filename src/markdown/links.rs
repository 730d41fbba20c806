//! Links: `@/post.md` becomes the post's URL, and every link is recorded with its line for the checker.
//!
//! An `@/` link that names no post is left as written and recorded all the same: the checker reports it, at the
//! level `[link_checker] internal_level` gives links to pages that do not exist. E-mail autolinks
//! (`<someone@example.org>`, which pulldown-cmark gives without their `mailto:`) are not recorded: they are no page.
use super::{Events, Locator, Options, Rendered};
use crate::highlight::escape;
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
                if options.settings.tweaks_external_links() && is_external(&url) {
                    return (Event::InlineHtml(external_link(options.settings, &url, &title).into()), range);
                }
                (Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id }), range)
            }
            other => (other, range),
        })
        .collect()
}

/// A link that leaves the site, as Zola counts them.
fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// The opening tag of an external link with the attributes `[markdown]` asks for, in Zola's order; the parser's
/// `</a>` closes it.
fn external_link(settings: &crate::config::Markdown, url: &str, title: &str) -> String {
    let mut tag = String::from("<a ");
    if let Some(class) = &settings.external_links_class {
        tag.push_str(&format!("class=\"{}\" ", escape(class)));
    }
    let rel: Vec<&str> = [
        (settings.external_links_target_blank, "noopener"),
        (settings.external_links_no_follow, "nofollow"),
        (settings.external_links_no_referrer, "noreferrer"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    if !rel.is_empty() {
        tag.push_str(&format!("rel=\"{}\" ", rel.join(" ")));
    }
    if settings.external_links_target_blank {
        tag.push_str("target=\"_blank\" ");
    }
    if !title.is_empty() {
        tag.push_str(&format!("title=\"{}\" ", escape(title)));
    }
    let mut href = String::new();
    pulldown_cmark_escape::escape_href(&mut href, url).expect("writing to a String cannot fail");
    tag.push_str(&format!("href=\"{href}\">"));
    tag
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
    use super::super::{Options, render, render_with};
    use crate::config::Markdown;

    #[test]
    fn external_links_get_the_attributes_asked_for() {
        let md = "[x](<https://example.com/a b> \"T&\") [y](/local) <https://auto.org> [z](http://e.org/?a=1&b=2)\n";
        assert!(!render_with(md, &Markdown::FANZINE).html.contains("rel="), "off by default");
        let all = Markdown {
            external_links_target_blank: true,
            external_links_no_follow: true,
            external_links_no_referrer: true,
            external_links_class: Some("ext".into()),
            ..Markdown::FANZINE
        };
        let html = render_with(md, &all).html;
        let tag = "<a class=\"ext\" rel=\"noopener nofollow noreferrer\" target=\"_blank\" title=\"T&amp;\"";
        assert!(html.contains(&format!("{tag} href=\"https://example.com/a%20b\">x</a>")), "{html}");
        assert!(html.contains("<a href=\"/local\">y</a>"), "{html}");
        assert!(html.contains("target=\"_blank\" href=\"https://auto.org\">https://auto.org</a>"), "{html}");
        assert!(html.contains("href=\"http://e.org/?a=1&amp;b=2\""), "{html}");
        let one = Markdown { external_links_no_follow: true, ..Markdown::FANZINE };
        assert!(render_with(md, &one).html.contains("<a rel=\"nofollow\" href=\"https://auto.org\">"));
    }

    #[test]
    fn internal_links_resolve_and_are_located() {
        let resolve = |p: &str| (p == "a.md").then(|| "/a/".to_string());
        let options = Options {
            first_line: 5,
            highlight: false,
            ..Options::new("content/x.md", &crate::config::Markdown::FANZINE, &resolve)
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
