//! Inputs far beyond a normal post still build, with a warning where fanzine chose to do less.
use crate::fixture::Site;

#[test]
fn a_ten_megabyte_post_builds() {
    let site = Site::empty();
    let paragraph = "A long post keeps going, with *emphasis*, `code` and a [link](https://example.org).\n\n";
    let body = paragraph.repeat(10 * 1024 * 1024 / paragraph.len());
    site.write("content/huge.md", &format!("+++\ntitle = \"Huge\"\ndate = 2020-01-01\n+++\n\n{body}"));
    let run = site.build(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.read("public/huge/index.html");
    assert!(html.len() > 10 * 1024 * 1024);
    assert!(html.contains("min read"));
}

#[test]
fn a_code_block_of_100000_lines_is_shown_plain_with_a_warning() {
    let site = Site::empty();
    let code = "let x = vec![1, 2, 3]; // a line of Rust\n".repeat(100_000);
    site.write(
        "content/log.md",
        &format!("+++\ntitle = \"Log\"\ndate = 2020-01-01\n+++\n\nIntro.\n\n```rust\n{code}```\n"),
    );
    let run = site.build(&[]);
    assert!(run.stderr.contains("content/log.md:8:1: warning: code block of"), "{}", run.stderr);
    assert!(site.read("public/log/index.html").contains("let x = vec![1, 2, 3]; // a line of Rust"));
}
