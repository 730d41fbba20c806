//! An incremental rebuild must equal a full build of the same sources, whatever the edit.
//!
//! A seeded random walk over edits an author makes (add, edit, rename, delete posts; change tags, a template, a
//! static file, the config; break a post and fix it). After every step the [`Rebuilder`] is told what changed and
//! its output (or its errors) must equal a fresh `pipeline::build`. A failure prints the seed and the steps so far;
//! `FANZINE_SEED=n` replays one seed.
use crate::support::{post, post_template, today};
use fanzine::pipeline;
use fanzine::serve::rebuild::Rebuilder;
use fanzine::serve::watch::Changes;
use fanzine::site::BuildOptions;
use std::path::{Path, PathBuf};

/// xorshift64*: tiny, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TAGS: &[&str] = &["rust", "web", "cycling", "music", "Rust"];
const WORDS: &[&str] = &["lorem", "ipsum", "claims", "nova", "scheduler", "ride", "hill", "punk", "tollway"];

struct Walk {
    root: PathBuf,
    rng: Rng,
    next_id: usize,
    steps: Vec<String>,
}

impl Walk {
    fn posts(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("content/posts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn random_post(&mut self, title: &str) -> String {
        let date = format!("2020-{:02}-{:02}", 1 + self.rng.below(12), 1 + self.rng.below(28));
        let tags: Vec<&str> = (0..self.rng.below(3)).map(|_| *self.rng.pick(TAGS)).collect();
        let mut body: Vec<String> = (0..5 + self.rng.below(20)).map(|_| self.rng.pick(WORDS).to_string()).collect();
        let posts = self.posts();
        if !posts.is_empty() && self.rng.below(3) == 0 {
            let target = self.rng.pick(&posts).clone();
            body.push(format!("[link](@/posts/{target})"));
        }
        if self.rng.below(4) == 0 {
            body.push("\n\n## A heading\n\n```rust\nfn main() {}\n```\n".into());
        }
        post(title, &date, &tags, &body.join(" "))
    }

    fn write(&self, relative: &str, text: &str) -> Vec<PathBuf> {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        vec![path]
    }

    /// One random edit; returns the paths it touched, as the watcher would report them.
    fn step(&mut self) -> Vec<PathBuf> {
        let posts = self.posts();
        let choice = if posts.is_empty() { 0 } else { self.rng.below(10) };
        let (what, touched) = match choice {
            0 | 1 => {
                self.next_id += 1;
                let name = format!("post-{}.md", self.next_id);
                let text = self.random_post(&format!("Post {}", self.next_id));
                (format!("add {name}"), self.write(&format!("content/posts/{name}"), &text))
            }
            2 | 3 => {
                let name = self.rng.pick(&posts).clone();
                let text = self.random_post(&format!("Edited {name}"));
                (format!("edit {name}"), self.write(&format!("content/posts/{name}"), &text))
            }
            4 => {
                let name = self.rng.pick(&posts).clone();
                self.next_id += 1;
                let to = format!("renamed-{}.md", self.next_id);
                let (from, dest) =
                    (self.root.join("content/posts").join(&name), self.root.join("content/posts").join(&to));
                std::fs::rename(&from, &dest).unwrap();
                (format!("rename {name} -> {to}"), vec![from, dest])
            }
            5 => {
                let name = self.rng.pick(&posts).clone();
                let path = self.root.join("content/posts").join(&name);
                std::fs::remove_file(&path).unwrap();
                (format!("delete {name}"), vec![path])
            }
            6 => {
                let marker = format!("v{}", self.rng.below(1000));
                (format!("template {marker}"), self.write("templates/post.html", &post_template(&marker)))
            }
            7 if self.rng.below(3) == 0 => {
                let n = self.rng.below(3);
                let path = self.root.join(format!("static/s{n}.css"));
                let _ = std::fs::remove_file(&path);
                (format!("delete static s{n}.css"), vec![path])
            }
            7 => {
                let n = self.rng.below(3);
                let colour = self.rng.pick(WORDS);
                (format!("static s{n}.css"), self.write(&format!("static/s{n}.css"), &format!("a {{ x: {colour} }}")))
            }
            8 => {
                let per_page = 1 + self.rng.below(4);
                (format!("config posts_per_page={per_page}"), self.write("fanzine.toml", &config(per_page)))
            }
            _ => {
                let name = self.rng.pick(&posts).clone();
                let text = "+++\ntitle = \"Broken\"\ndate = \"2020-02-30\"\n+++\nbody\n";
                (format!("break {name}"), self.write(&format!("content/posts/{name}"), text))
            }
        };
        self.steps.push(what);
        touched
    }
}

fn config(per_page: usize) -> String {
    format!("title = \"Random\"\nposts_per_page = {per_page}\n")
}

fn options(root: &Path) -> BuildOptions {
    let mut options = BuildOptions::new(root, today());
    options.base_url = Some("http://127.0.0.1:1111".into());
    options
}

fn walk(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut walk = Walk { root: root.clone(), rng: Rng(seed.max(1)), next_id: 0, steps: Vec::new() };
    std::fs::create_dir_all(root.join("content/posts")).unwrap();
    walk.write("fanzine.toml", &config(2));
    walk.write("templates/post.html", &post_template("v0"));
    for _ in 0..6 {
        walk.next_id += 1;
        let text = walk.random_post(&format!("Post {}", walk.next_id));
        walk.write(&format!("content/posts/post-{}.md", walk.next_id), &text);
    }
    let mut rebuilder = Rebuilder::new(options(&root));
    let _ = rebuilder.full();
    for _ in 0..steps {
        let touched = walk.step();
        let changes = Changes::from_paths(&root, touched);
        let incremental = rebuilder.rebuild(&changes);
        let full = pipeline::build(&options(&root));
        let context = || format!("seed {seed}, steps:\n  {}", walk.steps.join("\n  "));
        match (incremental, full) {
            (Ok(inc), Ok(full)) => {
                if *inc.output != full.output {
                    let diff = fanzine::serve::preview::changed_files(&inc.output, &full.output);
                    panic!("outputs differ in {diff:?}\n{}", context());
                }
                assert_eq!(inc.warnings, full.warnings, "{}", context());
            }
            (Err(inc), Err(full)) => assert_eq!(inc.diagnostics, full.diagnostics, "{}", context()),
            (inc, full) => panic!(
                "incremental {} but full {}\n{}",
                if inc.is_ok() { "succeeded" } else { "failed" },
                if full.is_ok() { "succeeded" } else { "failed" },
                context()
            ),
        }
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let seeds: Vec<u64> = match std::env::var("FANZINE_SEED") {
        Ok(s) => vec![s.parse().expect("FANZINE_SEED is a number")],
        Err(_) => vec![1, 2, 3, 4],
    };
    for seed in seeds {
        walk(seed, 40);
    }
}
