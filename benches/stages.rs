//! Criterion benches of each build stage on a generated 300-post site, so a regression shows where it is.
//! Whole-build comparisons against Hugo live in `benches/peers.sh`.
use criterion::{Criterion, criterion_group, criterion_main};
use fanzine::site::{self, BuildOptions};
use std::hint::black_box;
use std::path::Path;

const POSTS: usize = 300;

/// A deterministic site: prose, headings, a list, a footnote and two code blocks per post, tags from a pool.
fn make_site(dir: &Path) {
    let tags = ["rust", "python", "web", "databases", "testing", "linux", "performance", "career"];
    std::fs::create_dir_all(dir.join("content/posts")).unwrap();
    for i in 0..POSTS {
        let tag_a = tags[i % tags.len()];
        let tag_b = tags[(i * 7 + 3) % tags.len()];
        let body = format!(
            "The first paragraph of post {i} talks about *caching* and `unwrap()`.[^n]\n\n## Background\n\n{}\n\n\
             ```rust\nfn post_{i}(x: u32) -> u32 {{\n    let y = x.wrapping_mul({i});\n    y + 1\n}}\n```\n\n\
             - one\n- two\n- three\n\n## Results\n\n```python\ndef f(x):\n    return {{'post': {i}, 'x': x}}\n```\n\n\
             [^n]: A footnote for post {i}.\n",
            "Words that fill a paragraph about build times and template engines. ".repeat(12)
        );
        let text = format!(
            "+++\ntitle = \"Post number {i}\"\ndate = 2015-{:02}-{:02}\ntags = [\"{tag_a}\", \"{tag_b}\"]\n+++\n\n{body}",
            i % 12 + 1,
            i % 28 + 1
        );
        std::fs::write(dir.join(format!("content/posts/post-{i:04}.md")), text).unwrap();
    }
}

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    make_site(dir.path());
    let options = BuildOptions::new(dir.path(), time::macros::date!(2026 - 01 - 01));
    let templates = fanzine::templates::Templates::load(dir.path(), None).unwrap();
    let site = site::load(&options, None).unwrap();
    let (output, _) = fanzine::render::render(&site, &templates).unwrap();
    let sample = std::fs::read_to_string(dir.path().join("content/posts/post-0001.md")).unwrap();

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("load_and_markdown_300", |b| b.iter(|| site::load(black_box(&options), None).unwrap()));
    group.bench_function("render_300", |b| b.iter(|| fanzine::render::render(black_box(&site), &templates).unwrap()));
    group.bench_function("write_300", |b| {
        let target = dir.path().join("public");
        b.iter(|| fanzine::write::write(black_box(&output), &target).unwrap())
    });
    group.bench_function("templates_load", |b| {
        b.iter(|| fanzine::templates::Templates::load(dir.path(), None).unwrap())
    });
    group.finish();

    let resolve = |_: &str| None;
    let md = fanzine::markdown::Options::new("post.md", &fanzine::config::Markdown::FANZINE, &resolve);
    c.bench_function("markdown_one_post", |b| b.iter(|| fanzine::markdown::render(black_box(&sample), &md)));
    let code = "fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * 2).collect();\n    println!(\"{v:?}\");\n}\n"
        .repeat(20);
    c.bench_function("highlight_80_lines_rust", |b| {
        b.iter(|| {
            fanzine::highlight::highlight(
                fanzine::highlight::Syntaxes::bundled(),
                fanzine::highlight::Colours::Classes,
                black_box(&code),
                Some("rust"),
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
