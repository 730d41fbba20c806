//! Links: `@/post.md` becomes the post's URL, and every link is recorded with its line for the checker.
//!
//! In a Zola site's pages a relative link or image (`./LICENSE`, `x.png`, `?q=1`) is written after the page's
//! permalink, as Zola 0.21 writes it (`https://e.org/b/p/./LICENSE`, seen by building a small site with it), so
//! that it means the same in a feed; `../`, `/`, `#`, a scheme (`mailto:`) and e-mail autolinks stay as written.
//! The checker is handed the link as written, and resolves it from the page's URL as before.
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
    /// For an `@/` link, its target as written (`blog/a.md#part`), which Zola's backlinks are made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal: Option<String>,
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
                    let internal = dest_url.strip_prefix("@/").map(str::to_string);
                    out.links.push(Link { url: url.clone(), location, internal });
                }
                let url = match link_type {
                    LinkType::Email => url,
                    _ => after_permalink(url, options.relative_base),
                };
                if options.settings.tweaks_external_links() && is_external(&url) {
                    return (Event::InlineHtml(external_link(options.settings, &url, &title).into()), range);
                }
                (Event::Start(Tag::Link { link_type, dest_url: url.into(), title, id }), range)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) if !options.relative_base.is_empty() => {
                let url = after_permalink(dest_url.to_string(), options.relative_base);
                (Event::Start(Tag::Image { link_type, dest_url: url.into(), title, id }), range)
            }
            other => (other, range),
        })
        .collect()
}

/// `url` after `base` when `base` is set and `url` is relative as Zola tells: no scheme, and not starting with
/// `/`, `#` or `..`.
fn after_permalink(url: String, base: &str) -> String {
    let scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let relative = !url.is_empty() && !url.starts_with(['/', '#']) && !url.starts_with("..") && !scheme;
    match base.is_empty() || !relative {
        true => url,
        false => format!("{base}{url}"),
    }
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

    /// Each case is what Zola 0.21 wrote for the same Markdown in a page at `https://e.org/b/p/` (a site built
    /// with it in /tmp).
    #[test]
    fn a_zola_sites_relative_links_are_written_after_the_permalink() {
        let md = "[a](./X.md) [b](X.md) [c](../y/) ![i](./p.png) [1](sub/x) [3](?q=1) [4](mailto:a@b.c) \
                  [5](//h.com/x) [6](/abs) [7](x.html#a) [8](.hidden) [9](..x) [f](#top) <me@e.org>\n";
        let settings = crate::config::Markdown::FANZINE;
        let resolve = |_: &str| None;
        let options = Options { relative_base: "https://e.org/b/p/", ..Options::new("p.md", &settings, &resolve) };
        let r = render(md, &options);
        for href in [
            "https://e.org/b/p/./X.md",
            "https://e.org/b/p/X.md",
            "../y/",
            "https://e.org/b/p/sub/x",
            "https://e.org/b/p/?q=1",
            "mailto:a@b.c",
            "//h.com/x",
            "/abs",
            "https://e.org/b/p/x.html#a",
            "https://e.org/b/p/.hidden",
            "..x",
            "#top",
            "mailto:me@e.org",
        ] {
            assert!(r.html.contains(&format!("href=\"{href}\"")), "{href}: {}", r.html);
        }
        assert!(r.html.contains("src=\"https://e.org/b/p/./p.png\""), "{}", r.html);
        assert!(r.links.iter().any(|l| l.url == "./X.md"), "the checker gets the link as written: {:?}", r.links);
        let plain = render(md, &Options::new("p.md", &settings, &resolve));
        assert!(plain.html.contains("href=\"./X.md\"") && plain.html.contains("src=\"./p.png\""), "{}", plain.html);
    }
}
