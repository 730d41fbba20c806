//! Property-based fuzzing of the parsers that read what authors type: front matter, Markdown (with block hooks) and
//! claim scenarios. None may panic or hang on any input. `PROPTEST_CASES=100000 cargo test --release --test fuzz`
//! runs them long; inputs that once failed live in `regressions/` and run every time.
use fanzine::content::front_matter;
use fanzine::markdown::{self, Block};
use proptest::prelude::*;

/// Fragments that the parsers treat specially, so random inputs reach deep paths rather than plain text.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\n",
        "\n\n",
        "# ",
        "## ",
        "{#id}",
        "*",
        "**",
        "_",
        "`",
        "```",
        "```rust\n",
        "```claims\n",
        "~~~",
        "> ",
        "- ",
        "1. ",
        "- [ ] ",
        "[x]",
        "[",
        "]",
        "(",
        ")",
        "(@/a.md)",
        "(#a)",
        "[^1]",
        "[^1]: ",
        "|",
        "|---|",
        "<!-- more -->",
        "<div>",
        "</div>",
        "&amp;",
        "\"",
        "'",
        "--",
        "...",
        "é",
        "“",
        "\u{feff}",
        "\r\n",
        "\t",
        "    ",
        "\\",
        "word ",
        "+++\n",
        "---\n",
        "title = \"x\"\n",
        "date = 2020-01-01\n",
        "title: x\n",
        "[extra]\n",
        "tags = [1]\n",
        "{{ f(a=1) }}",
        "{{ m(s=\"x\") }}",
        "{{ ",
        " }}",
        "{% f(b=[1, 'x']) %}\n",
        "{% m() %}",
        "{% end %}",
        "{{/* f() */}}",
        "{%/* f() */%}",
        "{%/* end */%}",
        "nope(",
        "=",
        "\"",
    ]);
    prop::collection::vec(prop_oneof![pieces.prop_map(str::to_string), "\\PC{0,8}"], 0..60).prop_map(|v| v.concat())
}

fn render(body: &str) -> markdown::Rendered {
    let resolve = |p: &str| (p == "a.md").then(|| "/a/".to_string());
    let hook = |lang: &str, code: &str| {
        (lang == "claims").then(|| Ok(Block { html: code.len().to_string(), attachments: vec![] }))
    };
    let options = markdown::Options {
        first_line: 3,
        block_hook: Some(&hook),
        shortcodes: Some(&Shortcodes),
        ..markdown::Options::new("content/fuzz.md", &fanzine::config::Markdown::FANZINE, &resolve)
    };
    markdown::render(body, &options)
}

/// `f` is HTML (its arguments and body in a tag), `m` Markdown, `bad` always fails.
struct Shortcodes;

impl markdown::shortcodes::Shortcodes for Shortcodes {
    fn kind(&self, name: &str) -> Option<markdown::shortcodes::Kind> {
        use markdown::shortcodes::Kind;
        match name {
            "f" | "bad" => Some(Kind::Html),
            "m" => Some(Kind::Markdown),
            _ => None,
        }
    }

    fn names(&self) -> Vec<String> {
        vec!["f".into(), "m".into(), "bad".into()]
    }

    fn render(
        &self,
        call: &markdown::shortcodes::Call,
        nth: usize,
        body: Option<&str>,
    ) -> Result<String, markdown::shortcodes::Failure> {
        match call.name.as_str() {
            "bad" => Err(markdown::shortcodes::Failure { message: "failed".into(), hint: None }),
            "m" => Ok(format!("*{nth}* {}\n\n", body.unwrap_or(""))),
            _ => Ok(format!("<div>{:?} {nth} {:?}</div>\n", call.args, body)),
        }
    }
}

proptest! {
    #[test]
    fn front_matter_never_panics(text in markdownish()) {
        if let Ok(split) = front_matter::split("content/fuzz.md", &text) {
            let _ = front_matter::parse("content/fuzz.md", &split);
        }
    }

    #[test]
    fn front_matter_errors_point_inside_the_file(text in markdownish()) {
        let lines = text.lines().count().max(1) + 1;
        let result = front_matter::split("content/fuzz.md", &text)
            .map_err(|d| vec![d])
            .and_then(|s| front_matter::parse("content/fuzz.md", &s));
        if let Err(problems) = result {
            for p in problems {
                let line = p.location.and_then(|l| l.line).unwrap_or(1);
                prop_assert!(line >= 1 && line <= lines, "line {} of {}", line, lines);
            }
        }
    }

    #[test]
    fn markdown_never_panics_and_ids_are_unique(text in markdownish()) {
        let r = render(&text);
        let headings: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        let mut sorted = headings.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), headings.len());
    }

    /// Shortcodes change the text before it is parsed; every problem must still be placed in the file as written.
    #[test]
    fn markdown_problems_point_inside_the_body(text in markdownish()) {
        let lines = text.split('\n').count();
        for d in render(&text).diagnostics {
            let line = d.location.and_then(|l| l.line).unwrap_or(3);
            prop_assert!((3..3 + lines).contains(&line), "line {} of {}: {}", line, lines, d.message);
        }
    }

    #[test]
    fn scenario_parser_never_panics(text in markdownish()) {
        let _ = fanzine::claims::Scenario::expand(&text);
    }

    #[test]
    fn scenario_parser_never_panics_on_near_valid_toml(
        hosts in 0u32..5000, cells in 0u32..20, fill in -1.0f64..2.0, workers in 0u32..100,
        requests in 0u32..10_000, extra in "[a-z_]{0,12}"
    ) {
        let text = format!(
            "strategies = [\"pike\"]\n[cloud]\nhosts = {hosts}\ncells = {cells}\nfill = {fill}\n{extra} = 1\n\
             [workload]\nrequests = {requests}\n[scheduler]\nworkers = {workers}\n"
        );
        let _ = fanzine::claims::Scenario::expand(&text);
    }
}

/// Inputs the coverage-guided fuzzers in `fuzz/` found, kept so they run on every `cargo test`.
mod found_by_cargo_fuzz {
    use fanzine::content::front_matter;

    /// YAML breaks lines at a lone `\r`; its error said line 20 of this 8-line file.
    #[test]
    fn yaml_error_line_with_lone_carriage_returns() {
        let text = "---\nti+?+: Ba\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\rd\ntags\"\"\"\".-0te: 2021\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"021\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"?\"\"\"\"\"\"\"\"\"-01-01\n--\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"*\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"-01-01\n---\n\nBody.\n";
        let split = front_matter::split("content/fuzz.md", text).unwrap();
        let errors = front_matter::parse("content/fuzz.md", &split).expect_err("invalid YAML");
        let lines = text.lines().count();
        for e in errors {
            let line = e.location.and_then(|l| l.line).unwrap();
            assert!(line <= lines, "line {line} of a {lines}-line file: {}", e.message);
        }
    }
}
