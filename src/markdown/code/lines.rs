//! A code block laid out line by line, as Zola lays out an annotated one: a `<table>` with a number cell and a code
//! cell per line for `linenos`, `<mark>` around highlighted lines, hidden lines left out.
//!
//! It works on the block's finished HTML (highlighted or plain) rather than inside the highlighter, so that the
//! common block, with no annotations, keeps its one pass through syntect and no work per line. syntect's classed
//! HTML keeps a span open across line ends; each line here re-opens the spans open at its start and closes what is
//! still open at its end, so every line is balanced HTML that a `<mark>` or `<td>` can wrap.
use super::fence::Fence;
use std::fmt::Write;

/// The inner HTML of the block's `<code>`.
pub fn lay_out(html: &str, fence: &Fence) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    if fence.linenos {
        out.push_str("<table><tbody>");
    }
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    let mut number = 1;
    while !rest.is_empty() {
        let end = line_end(rest);
        let (line, after) = rest.split_at(end);
        rest = after;
        if !fence.hidden(number) {
            let mark = fence.highlighted(number);
            if fence.linenos {
                out.push_str("<tr><td>");
                wrap(&mut out, mark, |out| {
                    let _ = write!(out, "{}", fence.linenostart + number - 1);
                });
                out.push_str("</td><td>");
            }
            wrap(&mut out, mark, |out| balanced(out, &open, line));
            if fence.linenos {
                out.push_str("</td></tr>");
            }
        }
        track(&mut open, line);
        number += 1;
    }
    if fence.linenos {
        out.push_str("</tbody></table>");
    }
    out
}

/// Where the first line of `html` ends: after its newline and the closing tags right after it (which belong to
/// this line's spans), or at the end.
fn line_end(html: &str) -> usize {
    let Some(newline) = html.find('\n') else { return html.len() };
    let mut end = newline + 1;
    while html[end..].starts_with("</span>") {
        end += "</span>".len();
    }
    end
}

fn wrap(out: &mut String, mark: bool, inner: impl FnOnce(&mut String)) {
    if mark {
        out.push_str("<mark>");
    }
    inner(out);
    if mark {
        out.push_str("</mark>");
    }
}

/// The line with the spans open before it re-opened, and those open after it closed.
fn balanced(out: &mut String, open: &[&str], line: &str) {
    for tag in open {
        out.push_str(tag);
    }
    out.push_str(line);
    let mut depth = open.len() as isize;
    for (i, _) in line.match_indices('<') {
        if line[i..].starts_with("</") {
            depth -= 1;
        } else {
            depth += 1;
        }
    }
    for _ in 0..depth.max(0) {
        out.push_str("</span>");
    }
}

/// Updates the stack of open tags with those the line opens and closes. The HTML is syntect's or escaped text, so
/// every `<` starts a `<span …>` or a `</span>`.
fn track<'a>(open: &mut Vec<&'a str>, line: &'a str) {
    for (i, _) in line.match_indices('<') {
        if line[i..].starts_with("</") {
            open.pop();
        } else if let Some(len) = line[i..].find('>') {
            open.push(&line[i..=i + len]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fence::parse;
    use super::*;

    #[test]
    fn spans_across_lines_are_balanced_on_each() {
        let (fence, _) = parse("x,hl_lines=2");
        let html = "<span class=\"a\">one\n<span class=\"b\">two\n</span></span>three\n";
        assert_eq!(
            lay_out(html, &fence),
            "<span class=\"a\">one\n</span><mark><span class=\"a\"><span class=\"b\">two\n</span></span></mark>three\n"
        );
    }

    #[test]
    fn numbers_count_hidden_lines_and_start_where_asked() {
        let (fence, _) = parse("x,linenos,linenostart=7,hide_lines=2");
        assert_eq!(
            lay_out("a\nb\nc", &fence),
            "<table><tbody><tr><td>7</td><td>a\n</td></tr><tr><td>9</td><td>c</td></tr></tbody></table>"
        );
    }
}
