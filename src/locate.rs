//! Turning byte offsets and key names into the line and column an author sees in the editor.

/// The line and column (both 1-based, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The line and column where `key` is set in a TOML (`key =`) or YAML (`key:`) document, inside `[section]` if
/// given. Parsers that build plain maps forget key positions, and a line number is what the author needs.
pub fn find_key(src: &str, section: Option<&str>, key: &str) -> Option<(usize, usize)> {
    let mut in_section = section.is_none();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.split(']').next().unwrap_or("").trim();
            in_section = section == Some(name);
        } else if in_section {
            let bare = trimmed.trim_start_matches(['"', '\'']);
            if let Some(after) = bare.strip_prefix(key) {
                let after = after.trim_start_matches(['"', '\'']).trim_start();
                if after.starts_with('=') || after.starts_with(':') {
                    return Some(line_col(src, offset + line.len() - trimmed.len()));
                }
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\n“é” x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 5));
    }

    #[test]
    fn finds_keys_in_toml_yaml_and_sections() {
        let toml = "title = 1\n[feed]\n  limit = 2\n";
        assert_eq!(find_key(toml, None, "title"), Some((1, 1)));
        assert_eq!(find_key(toml, Some("feed"), "limit"), Some((3, 3)));
        assert_eq!(find_key(toml, None, "limit"), None);
        assert_eq!(find_key("tags:\n  - a\n", None, "tags"), Some((1, 1)));
    }
}

/// Line starts of a text, for turning many offsets into lines without rescanning the text each time.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// 1-based line and column (in bytes, which equals characters for the ASCII syntax that links and fences use).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        (line, offset - self.starts[line - 1] + 1)
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn agrees_with_line_col_on_ascii() {
        let text = "ab\n\ncde\nf";
        let index = LineIndex::new(text);
        for offset in 0..text.len() {
            assert_eq!(index.line_col(offset), line_col(text, offset), "offset {offset}");
        }
    }
}
