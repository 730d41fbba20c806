//! The `{% %}` and `{{ }}` tags of a template's source with their byte offsets, comments and `{% raw %}` skipped.
//!
//! Tera's AST has no positions, so the checks that report a tag (an include loop, too deep a nesting) find it again
//! in the text. This scan knows only where tags start and end, not Tera's grammar.

/// Which delimiters a tag has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{% … %}`
    Statement,
    /// `{{ … }}`
    Expression,
}

/// One tag: where its `{` is and its inside, without the delimiters, the `-` trim markers and spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    pub offset: usize,
    pub kind: Kind,
    pub body: &'a str,
}

impl<'a> Tag<'a> {
    /// The keyword of a statement (`include`, `endif`, …).
    pub fn keyword(&self) -> &'a str {
        self.body.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")
    }

    /// What follows the keyword.
    pub fn rest(&self) -> &'a str {
        self.body[self.keyword().len()..].trim_start()
    }
}

/// Every tag of `src` in order. An unclosed tag ends the scan: the parser reports it.
pub fn scan(src: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut at = 0;
    let mut in_raw = false;
    while let Some(found) = src[at..].find('{') {
        let open = at + found;
        let (kind, close) = match src[open + 1..].chars().next() {
            Some('%') => (Kind::Statement, "%}"),
            Some('{') => (Kind::Expression, "}}"),
            Some('#') => (Kind::Statement, "#}"),
            _ => {
                at = open + 1;
                continue;
            }
        };
        let Some(length) = src[open + 2..].find(close) else { break };
        let end = open + 2 + length;
        at = end + 2;
        if close == "#}" {
            continue;
        }
        let body = src[open + 2..end].trim_matches('-').trim();
        let tag = Tag { offset: open, kind, body };
        if kind == Kind::Statement && tag.keyword() == "endraw" {
            in_raw = false;
        } else if in_raw {
            continue;
        } else if kind == Kind::Statement && tag.keyword() == "raw" {
            in_raw = true;
        }
        tags.push(tag);
    }
    tags
}

/// Whether the text of a tag names the template `name` as a string literal.
pub fn quotes(body: &str, name: &str) -> bool {
    ['"', '\'', '`'].iter().any(|q| body.contains(&format!("{q}{name}{q}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_and_skips_comments_and_raw() {
        let src = "a {% include \"x.html\" %}\n{# {% include \"y.html\" %} #}{% raw %}{% include \"z\" %}{% endraw %}\
                   {{- page.title -}}";
        let tags = scan(src);
        let keywords: Vec<_> = tags.iter().map(|t| (t.kind, t.keyword())).collect();
        assert_eq!(
            keywords,
            [
                (Kind::Statement, "include"),
                (Kind::Statement, "raw"),
                (Kind::Statement, "endraw"),
                (Kind::Expression, "page")
            ]
        );
        assert_eq!(tags[0].offset, 2);
        assert_eq!(tags[0].rest(), "\"x.html\"");
        assert!(quotes(tags[0].body, "x.html") && !quotes(tags[0].body, "x"));
    }
}
