//! A page's rendered HTML as the text its search document holds, cleaned as Zola 0.21 cleans it: tags dropped (and
//! the content of `script`, `style` and `pre`, so code is not searched), text left HTML-escaped (`&`, `<`, `>` and
//! the no-break space as entities; quotes as they are), lines and spaces as they were.
//!
//! Zola cleans with an HTML sanitiser; fanzine's HTML comes from its own Markdown renderer, whose output is regular
//! enough for a scanner this small, so no parser is pulled in for it.

/// Elements left out with everything inside them.
const DROPPED: &[&str] = &["script", "style", "pre"];

/// The text of `html`, cut to `limit` characters when given.
pub fn clean(html: &str, limit: Option<usize>) -> String {
    let mut clean = strip(html);
    if let Some(limit) = limit {
        let end = clean.char_indices().nth(limit).map_or(clean.len(), |(i, _)| i);
        clean.truncate(end);
    }
    clean
}

/// The text between tags, entities decoded and escaped again the one way.
fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&escape(&decode(&rest[..lt])));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A `<` that opens no tag is text.
            out.push_str("&lt;");
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String =
            tag.chars().take_while(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
        // fanzine's built-in anchor link after each heading (`#`), which Zola adds only when asked to (and then
        // from the site's anchor-link.html, whose text Zola indexes, so that one is kept).
        let anchor = name == "a" && tag.contains("class=\"anchor\"") && rest.starts_with("#</a>");
        if DROPPED.contains(&name.as_str()) || anchor {
            let close = format!("</{name}");
            rest = match find_ignoring_case(rest, &close) {
                Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                None => "",
            };
        }
    }
    out.push_str(&escape(&decode(rest)));
    out
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// Text with its character references replaced by the characters they name (the ones an HTML renderer writes).
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let named = rest.find(';').filter(|&end| end <= 10).and_then(|end| Some((reference(&rest[1..end])?, end)));
        match named {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn tags_go_and_text_stays_escaped_as_zola_leaves_it() {
        let html = "<p>A kestrel <b>hovers</b> &amp; &quot;hunts&quot;&#39;s</p>\n<h2 id=\"a\">A heading<a class=\"anchor\" \
                    href=\"#a\" aria-label=\"Link\">#</a></h2>\n";
        assert_eq!(clean(html, None), "A kestrel hovers &amp; \"hunts\"'s\nA heading\n");
        let theirs = "<h2 id=\"a\"><a class=\"anchor\" href=\"#a\">🔗</a>Title</h2>";
        assert_eq!(clean(theirs, None), "🔗Title", "a site's own anchor-link.html is text, as Zola indexes it");
    }

    #[test]
    fn code_scripts_styles_and_comments_are_not_searched() {
        let html = "<p>before</p>\n<pre><code>let secret = 1;\n</code></pre>\n<script>x<y</script><style>p{}</style>\
                    <!-- note -->\n<p>after &lt;b&gt;</p>\n";
        assert_eq!(clean(html, None), "before\n\n\nafter &lt;b&gt;\n");
    }

    #[test]
    fn whitespace_stays_as_zola_0_21_leaves_it_and_length_is_cut_by_characters() {
        assert_eq!(clean("<p>word1     word2</p>\n\n", None), "word1     word2\n\n");
        assert_eq!(clean("héllo world", Some(2)), "hé");
        assert_eq!(clean("a&nbsp;b", None), "a&nbsp;b");
        assert_eq!(clean("1 < 2", None), "1 &lt; 2");
    }
}
