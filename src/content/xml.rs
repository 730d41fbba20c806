//! Characters that XML 1.0 forbids (C0 controls other than tab, line feed and carriage return; U+FFFE; U+FFFF).
//!
//! One in a title made `atom.xml` malformed, which feed readers reject whole, while the build said nothing. They
//! are removed where they enter: from each post's text as it is read (so every output, HTML included, is clean,
//! and the warning can give the exact line), from front matter values that escapes produced (`"\u0001"`), and
//! from Markdown text that character references produced (`&#1;`). Feeds and the sitemap strip them once more as
//! a last guard, for what reaches them from elsewhere (the config, a template).
use std::borrow::Cow;

pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` without forbidden characters; borrowed (no copy) when it has none, the usual case.
pub fn strip(text: &str) -> Cow<'_, str> {
    // Bytes first: every forbidden character starts with a byte below 0x20 other than tab, line feed and carriage
    // return, or with 0xEF; so clean text is one pass over its bytes (counting the line feeds in, which every text
    // has, sent every post through the slower pass over its characters).
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xef;
    if !text.bytes().any(suspect) || !text.chars().any(is_forbidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_forbidden(c)).collect())
}

/// [`strip`] for an owned string, without a copy when nothing is removed; `true` if something was.
pub fn strip_owned(text: String) -> (String, bool) {
    let clean = match strip(&text) {
        Cow::Owned(clean) => Some(clean),
        Cow::Borrowed(_) => None,
    };
    match clean {
        Some(clean) => (clean, true),
        None => (text, false),
    }
}

/// A removed character and where it was, 1-based, the column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub ch: char,
    pub line: usize,
    pub column: usize,
}

/// Like [`strip`], also saying where each removed character was (lines counted from 1 at the start of `text`).
pub fn strip_located(text: &str) -> (Cow<'_, str>, Vec<Removed>) {
    let stripped = strip(text);
    if let Cow::Borrowed(_) = stripped {
        return (stripped, Vec::new());
    }
    let mut removed = Vec::new();
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        if is_forbidden(c) {
            removed.push(Removed { ch: c, line, column });
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    (stripped, removed)
}

/// `U+0001 (line 3), U+FFFE (line 9) and 2 more`: what a warning shows of the removed characters.
pub fn describe(removed: &[Removed]) -> String {
    const SHOWN: usize = 3;
    let mut parts: Vec<String> =
        removed.iter().take(SHOWN).map(|r| format!("U+{:04X} (line {})", u32::from(r.ch), r.line)).collect();
    if removed.len() > SHOWN {
        parts.push(format!("{} more", removed.len() - SHOWN));
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

/// The hint of a warning about raw characters in a file.
pub const HINT: &str = "feeds and the sitemap must be well-formed XML, which cannot hold control characters; \
     delete them from the file (most editors do not show them)";

/// The hint of a warning about characters that escapes or references wrote.
pub const HINT_ESCAPED: &str = "feeds and the sitemap must be well-formed XML, which cannot hold control \
     characters; remove the escape (such as `\\u0001` or `&#1;`) that wrote them";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_xml_forbids_is_removed() {
        let text = "a\u{1}b\tc\nd\re\u{0}\u{b}\u{c}\u{1f}\u{7f}\u{85}é\u{fffe}\u{ffff}\u{fffd}";
        assert_eq!(strip(text), "ab\tc\nd\re\u{7f}\u{85}é\u{fffd}");
        assert!(matches!(strip("plain «text» ✓"), Cow::Borrowed(_)));
        assert!(matches!(strip("lines\n\twith tabs\r\n"), Cow::Borrowed(_)));
        // Each alone among the characters the quick look passes over is still found.
        for lone in ['\u{0}', '\u{1f}', '\u{b}', '\u{fffe}', '\u{ffff}'] {
            assert_eq!(strip(&format!("a\n\tb\r\n{lone}")), "a\n\tb\r\n", "{lone:?}");
        }
    }

    #[test]
    fn removed_characters_are_located() {
        let (text, removed) = strip_located("ab\nc\u{1}d\u{ffff}\n\u{b}");
        assert_eq!(text, "ab\ncd\n");
        let at: Vec<_> = removed.iter().map(|r| (r.line, r.column)).collect();
        assert_eq!(at, [(2, 2), (2, 4), (3, 1)]);
        assert_eq!(describe(&removed), "U+0001 (line 2), U+FFFF (line 2) and U+000B (line 3)");
        let many = vec![removed[0]; 5];
        assert_eq!(describe(&many), "U+0001 (line 2), U+0001 (line 2), U+0001 (line 2) and 2 more");
    }
}
