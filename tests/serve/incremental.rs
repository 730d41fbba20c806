//! An incremental rebuild must equal a full build of the same sources, whatever the edit.
//!
//! A seeded random walk over edits an author makes (add, edit, rename, delete posts and page bundles; add, change
//! or delete a bundle's files; change a post's title, date, tags, aliases or the end of its body alone, which moves
//! it between home pages, tag pages, feeds and neighbours or changes only its own page; change or remove any
//! template of the theme, so every kind of output file is made from an edited template; change a static file, a
//! Sass partial, the config; break a post or the stylesheet). After every step the [`Rebuilder`] is told what changed and its output (or its errors)
//! must equal a fresh one-shot build, byte for byte. A step that broke the build is followed by a repair, so that
//! most steps compare files and not only errors (the walk asserts it). A failure prints the seed and the steps so
//! far; `FANZINE_SEED=n` replays one seed.
use crate::support::{post_template, today};
use fanzine::build::{Builder, Changes};
use fanzine::render::Collect;
use fanzine::serve::rebuild::Rebuilder;
use fanzine::site::BuildOptions;
use std::collections::BTreeMap;
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
    /// The front matter and body last written for each post, so that one field can be changed alone.
    specs: BTreeMap<String, Spec>,
    /// Posts overwritten with a broken date, until saved again.
    broken: std::collections::BTreeSet<String>,
}

#[derive(Clone)]
struct Spec {
    title: String,
    date: String,
    tags: Vec<String>,
    aliases: Vec<String>,
    body: String,
    /// Blank lines at the top of the front matter: they move the body's lines without changing its HTML.
    padding: usize,
    /// The posts its body links to, and whether the link asks for their heading's anchor.
    links: Vec<(String, bool)>,
    /// Whether the body has the heading other posts' anchors point to.
    heading: bool,
}

impl Spec {
    fn text(&self) -> String {
        let quoted = |items: &[String]| items.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", ");
        format!(
            "+++\n{}title = {:?}\ndate = {}\ntags = [{}]\naliases = [{}]\n+++\n\n{}\n",
            "\n".repeat(self.padding),
            self.title,
            self.date,
            quoted(&self.tags),
            quoted(&self.aliases),
            self.body
        )
    }
}

impl Walk {
    /// Posts by their path under `content/posts/`: `post-3.md`, or `bundle-4/index.md` for a page bundle.
    fn posts(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("content/posts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "_index.md")
            .filter_map(|name| match self.root.join("content/posts").join(&name) {
                folder if folder.is_dir() => folder.join("index.md").is_file().then(|| format!("{name}/index.md")),
                _ => Some(name),
            })
            .collect();
        names.sort();
        names
    }

    /// Page bundles, with or without their `index.md`.
    fn bundles(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("content/posts"))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn random_date(&mut self) -> String {
        format!("2020-{:02}-{:02}", 1 + self.rng.below(12), 1 + self.rng.below(28))
    }

    fn random_tags(&mut self) -> Vec<String> {
        (0..self.rng.below(3)).map(|_| self.rng.pick(TAGS).to_string()).collect()
    }

    fn random_post(&mut self, title: &str) -> Spec {
        let date = self.random_date();
        let tags = self.random_tags();
        let mut body: Vec<String> = (0..5 + self.rng.below(20)).map(|_| self.rng.pick(WORDS).to_string()).collect();
        let posts = self.posts();
        let mut links = Vec::new();
        if !posts.is_empty() && self.rng.below(3) == 0 {
            let target = self.rng.pick(&posts).clone();
            body.push(format!("[link](@/posts/{target})"));
            links.push((target, false));
        }
        if !posts.is_empty() && self.rng.below(6) == 0 {
            // A plain link with an anchor: broken whenever that post is gone or has no such heading, and then
            // reported at its line, which padding the front matter moves. Rare enough, with headings common
            // enough, that most steps build and their files are compared, not only their errors.
            let target = self.rng.pick(&posts).clone();
            let url = target.trim_end_matches(".md").trim_end_matches("/index");
            body.push(format!("\n\nSee [there](/posts/{url}/#a-heading)."));
            links.push((target, true));
        }
        if self.rng.below(3) == 0 {
            // A shortcode, whose template the walk edits (and which shows the post's title).
            let word = self.rng.pick(WORDS);
            body.push(format!("{{{{ mark(t=\"{word}\") }}}}"));
        }
        let heading = self.rng.below(8) != 0;
        if heading {
            body.push("\n\n## A heading\n\n```rust\nfn main() {}\n```\n".into());
        }
        let body = body.join(" ");
        Spec { title: title.to_string(), date, tags, aliases: Vec::new(), body, padding: 0, links, heading }
    }

    /// Writes a post and remembers what it holds.
    fn save(&mut self, name: &str, spec: Spec) -> Vec<PathBuf> {
        let touched = self.write(&format!("content/posts/{name}"), &spec.text());
        self.specs.insert(name.to_string(), spec);
        self.broken.remove(name);
        touched
    }

    /// Rewrites one post with `change` applied to what it held.
    fn change(
        &mut self,
        posts: &[String],
        what: &str,
        change: impl FnOnce(&mut Self, &mut Spec),
    ) -> (String, Vec<PathBuf>) {
        let name = self.rng.pick(posts).clone();
        let mut spec = self.specs[&name].clone();
        change(self, &mut spec);
        (format!("{what} of {name}"), self.save(&name, spec))
    }

    /// Writes a section's `_index.md` with random settings, or deletes it: the posts move between lists, pages,
    /// feeds and neighbours.
    fn section(&mut self, relative: &str) -> (String, Vec<PathBuf>) {
        let path = self.root.join(relative);
        if path.exists() && self.rng.below(3) == 0 {
            std::fs::remove_file(&path).unwrap();
            return (format!("delete {relative}"), vec![path]);
        }
        let sort_by = self.rng.pick(&["date", "title", "slug", "none", "update_date"]).to_string();
        let paginate_by = self.rng.below(3);
        let transparent = self.rng.below(2) == 0;
        let heading = self.rng.pick(WORDS).to_string();
        let text = format!(
            "+++\ntitle = \"Section {heading}\"\nsort_by = \"{sort_by}\"\npaginate_by = {paginate_by}\n\
             transparent = {transparent}\n+++\n\n## About {heading}\n"
        );
        let what = format!("{relative}: sort_by {sort_by}, paginate_by {paginate_by}, transparent {transparent}");
        (what, self.write(relative, &text))
    }

    fn write(&self, relative: &str, text: &str) -> Vec<PathBuf> {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        vec![path]
    }

    /// Saves anew every post that is broken or links to a post or heading that is gone, and removes a dangling
    /// static link: broken links and posts otherwise pile up until no step builds.
    fn repair(&mut self, posts: &[String]) -> Vec<PathBuf> {
        let live = |name: &String, anchored: bool| self.specs.get(name).is_some_and(|t| !anchored || t.heading);
        let bad: Vec<String> = (posts.iter())
            .filter(|p| {
                self.broken.contains(*p) || self.specs[*p].links.iter().any(|(t, a)| !posts.contains(t) || !live(t, *a))
            })
            .cloned()
            .collect();
        let mut touched = Vec::new();
        for name in bad {
            let spec = self.random_post(&format!("Repaired {name}"));
            touched.extend(self.save(&name, spec));
        }
        touched.extend(self.write("sass/main.scss", MAIN_SCSS));
        let dangling = self.root.join("static/dangling.css");
        if std::fs::symlink_metadata(&dangling).is_ok() {
            std::fs::remove_file(&dangling).unwrap();
            touched.push(dangling);
        }
        touched
    }

    /// One random edit; returns the paths it touched, as the watcher would report them. After a step that broke
    /// the build, the edit is a [`Walk::repair`].
    fn step(&mut self, failed: bool) -> Vec<PathBuf> {
        let posts = self.posts();
        if failed {
            self.steps.push("repair".to_string());
            return self.repair(&posts);
        }
        let choice = if posts.is_empty() { 0 } else { self.rng.below(23) };
        let (what, touched) = match choice {
            0 | 1 => {
                self.next_id += 1;
                let name = format!("post-{}.md", self.next_id);
                let spec = self.random_post(&format!("Post {}", self.next_id));
                (format!("add {name}"), self.save(&name, spec))
            }
            2 | 3 => {
                let name = self.rng.pick(&posts).clone();
                let spec = self.random_post(&format!("Edited {name}"));
                (format!("edit {name}"), self.save(&name, spec))
            }
            22 => {
                let marker = format!("v{}", self.rng.below(1000));
                (format!("shortcode {marker}"), self.write("templates/shortcodes/mark.html", &mark_template(&marker)))
            }
            20 => self.section("content/posts/_index.md"),
            21 => self.section("content/_index.md"),
            10 => self.change(&posts, "title", |w, s| s.title = format!("Title {}", w.rng.below(1000))),
            11 => self.change(&posts, "date", |w, s| s.date = w.random_date()),
            12 => self.change(&posts, "tags", |w, s| s.tags = w.random_tags()),
            13 => self.change(&posts, "aliases", |w, s| {
                s.aliases = if s.aliases.is_empty() { vec![format!("/old/{}/", w.rng.below(1000))] } else { Vec::new() }
            }),
            // Only past the summary: the post's own page changes, and its word count in every list showing it.
            14 => self.change(&posts, "end of body", |w, s| {
                let word = w.rng.pick(WORDS);
                s.body.push_str(&format!("\n\nAnd {word}."));
            }),
            16 => self.change(&posts, "front matter padding", |w, s| s.padding = (s.padding + 1 + w.rng.below(2)) % 3),
            15 => {
                let marker = format!("v{}", self.rng.below(1000));
                let path = self.root.join("templates/post.html");
                if self.rng.below(2) == 0 && path.exists() {
                    std::fs::remove_file(&path).unwrap();
                    ("remove the post template".to_string(), vec![path])
                } else {
                    (
                        format!("neighbour template {marker}"),
                        self.write("templates/post.html", &neighbours_template(&marker)),
                    )
                }
            }
            17 => {
                // Every other template of the theme: a list page, the archive, the feed, the sitemap, the 404.
                let name = *self.rng.pick(&[
                    "index.html",
                    "tag.html",
                    "tags.html",
                    "archive.html",
                    "404.html",
                    "atom.xml",
                    "sitemap.xml",
                    "alias.html",
                ]);
                let path = self.root.join("templates").join(name);
                if self.rng.below(3) == 0 && path.exists() {
                    std::fs::remove_file(&path).unwrap();
                    (format!("remove templates/{name}"), vec![path])
                } else {
                    let marker = format!("<!-- v{} -->", self.rng.below(1000));
                    let theme =
                        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates").join(name))
                            .unwrap();
                    (
                        format!("templates/{name} {marker}"),
                        self.write(&format!("templates/{name}"), &format!("{theme}{marker}\n")),
                    )
                }
            }
            18 => {
                self.next_id += 1;
                let name = format!("bundle-{}/index.md", self.next_id);
                let spec = self.random_post(&format!("Bundle {}", self.next_id));
                let mut touched = self.save(&name, spec);
                touched.extend(self.write(&format!("content/posts/bundle-{}/map.png", self.next_id), "png 0"));
                (format!("add {name} with map.png"), touched)
            }
            19 => {
                let bundles = self.bundles();
                if bundles.is_empty() {
                    return self.step(false);
                }
                let bundle = self.rng.pick(&bundles).clone();
                let n = self.rng.below(3);
                let path = self.root.join(format!("content/posts/{bundle}/a{n}.png"));
                if self.rng.below(3) == 0 {
                    let _ = std::fs::remove_file(&path);
                    (format!("delete {bundle}/a{n}.png"), vec![path])
                } else {
                    let bytes = format!("png {}", self.rng.below(1000));
                    (
                        format!("asset {bundle}/a{n}.png"),
                        self.write(&format!("content/posts/{bundle}/a{n}.png"), &bytes),
                    )
                }
            }
            4 => {
                let name = self.rng.pick(&posts).clone();
                self.next_id += 1;
                let to = format!("renamed-{}.md", self.next_id);
                let (from, dest) =
                    (self.root.join("content/posts").join(&name), self.root.join("content/posts").join(&to));
                std::fs::rename(&from, &dest).unwrap();
                let spec = self.specs.remove(&name).expect("every post was saved");
                self.specs.insert(to.clone(), spec);
                (format!("rename {name} -> {to}"), vec![from, dest])
            }
            5 => {
                let name = self.rng.pick(&posts).clone();
                let path = self.root.join("content/posts").join(&name);
                std::fs::remove_file(&path).unwrap();
                self.specs.remove(&name);
                (format!("delete {name}"), vec![path])
            }
            6 => {
                let marker = format!("v{}", self.rng.below(1000));
                (format!("template {marker}"), self.write("templates/post.html", &post_template(&marker)))
            }
            7 if self.rng.below(4) == 0 => {
                // A dangling link in static/ is an error of the site load; removing it must clear the error.
                let path = self.root.join("static/dangling.css");
                if std::fs::symlink_metadata(&path).is_ok() {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    std::fs::create_dir_all(self.root.join("static")).unwrap();
                    std::os::unix::fs::symlink("/nonexistent/fanzine/x.css", &path).unwrap();
                }
                ("toggle a dangling static link".to_string(), vec![path])
            }
            7 if self.rng.below(3) == 0 => {
                // A partial feeds main.css only through `@use`; a broken stylesheet fails the build until repaired.
                match self.rng.below(4) {
                    0 => ("break sass/main.scss".to_string(), self.write("sass/main.scss", "a {\n")),
                    _ => {
                        let colour = self.rng.pick(WORDS);
                        (format!("sass partial {colour}"), self.write("sass/_p.scss", &format!("$c: {colour};\n")))
                    }
                }
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
                let (per_page, feed_limit) = (1 + self.rng.below(4), 1 + self.rng.below(4));
                (
                    format!("config posts_per_page={per_page} feed limit={feed_limit}"),
                    self.write("fanzine.toml", &config(per_page, feed_limit)),
                )
            }
            _ => {
                let name = self.rng.pick(&posts).clone();
                let text = "+++\ntitle = \"Broken\"\ndate = \"2020-02-30\"\n+++\nbody\n";
                self.broken.insert(name.clone());
                (format!("break {name}"), self.write(&format!("content/posts/{name}"), text))
            }
        };
        self.steps.push(what);
        touched
    }
}

fn config(per_page: usize, feed_limit: usize) -> String {
    format!("title = \"Random\"\nposts_per_page = {per_page}\ncompile_sass = true\n[feed]\nlimit = {feed_limit}\n")
}

const MAIN_SCSS: &str = "@use \"p\";\nbody { a { color: p.$c; } }\n";

/// A post template that shows the neighbours' summaries, so that a post's page depends on them.
fn neighbours_template(marker: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}\n{{% block content %}}<h1>{{{{ page.title }}}}</h1>{{{{ page.content | safe }}}}\n\
         {{% if previous %}}<a href=\"{{{{ previous.permalink }}}}\">{{{{ previous.title }}}} ({{{{ previous.word_count }}}})</a>{{% endif %}}\n\
         {{% if next %}}<a href=\"{{{{ next.permalink }}}}\">{{{{ next.title }}}} {{{{ next.date }}}}</a>{{% endif %}}\n\
         <p>{marker}</p>{{% endblock content %}}\n"
    )
}

/// A shortcode showing its argument, its count and the calling post's title.
fn mark_template(marker: &str) -> String {
    format!("<mark title=\"{{{{ page.title }}}}\">{{{{ t }}}} {{{{ nth }}}} {marker}</mark>\n")
}

fn options(root: &Path) -> BuildOptions {
    let mut options = BuildOptions::new(root, today());
    options.base_url = Some("http://127.0.0.1:1111".into());
    options
}

/// Returns how many steps rendered only the files they reached (body-only saves).
fn walk(seed: u64, steps: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut walk = Walk {
        root: root.clone(),
        rng: Rng(seed.max(1)),
        next_id: 0,
        steps: Vec::new(),
        specs: BTreeMap::new(),
        broken: Default::default(),
    };
    std::fs::create_dir_all(root.join("content/posts")).unwrap();
    walk.write("fanzine.toml", &config(2, 3));
    walk.write("templates/post.html", &neighbours_template("v0"));
    walk.write("templates/shortcodes/mark.html", &mark_template("v0"));
    walk.write("sass/_p.scss", "$c: red;\n");
    walk.write("sass/main.scss", MAIN_SCSS);
    for _ in 0..6 {
        walk.next_id += 1;
        let spec = walk.random_post(&format!("Post {}", walk.next_id));
        walk.save(&format!("post-{}.md", walk.next_id), spec);
    }
    let mut rebuilder = Rebuilder::new(options(&root));
    let _ = rebuilder.full();
    let (mut good, mut failed, mut partial) = (0, false, 0);
    for _ in 0..steps {
        let touched = walk.step(failed);
        let changes = Changes::from_paths(&root, touched);
        let incremental = rebuilder.rebuild(&changes);
        let collect = Collect::default();
        let full = Builder::once(options(&root)).build(None, &collect).map(|built| (built, collect.into_output()));
        let context = || format!("seed {seed}, steps:\n  {}", walk.steps.join("\n  "));
        match (incremental, full) {
            (Ok(inc), Ok((full, output))) => {
                if *inc.output != output {
                    let diff = fanzine::serve::preview::changed_files(&inc.output, &output);
                    panic!("outputs differ in {diff:?}\n{}", context());
                }
                assert_eq!(inc.warnings, full.warnings, "{}", context());
                // Visited some files and put only those: a body-only save's render of what it reached.
                partial += usize::from(inc.changed.is_some() && inc.visited > 0);
                good += 1;
                failed = false;
            }
            (Err(inc), Err(full)) => {
                assert_eq!(inc.diagnostics, full.diagnostics, "{}", context());
                failed = true;
            }
            (inc, full) => panic!(
                "incremental {} but full {}\n{}",
                if inc.is_ok() { "succeeded" } else { "failed" },
                if full.is_ok() { "succeeded" } else { "failed" },
                context()
            ),
        }
    }
    // Failed builds compare only their errors: a walk that mostly fails would test little of the render.
    assert!(good * 2 >= steps, "seed {seed}: only {good} of {steps} steps built");
    // The walk's body-only edits took the short path, so the comparisons above cover it.
    partial
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let seeds: Vec<u64> = match std::env::var("FANZINE_SEED") {
        Ok(s) => vec![s.parse().expect("FANZINE_SEED is a number")],
        Err(_) => vec![1, 2, 3, 4, 5, 6],
    };
    let partial: usize = seeds.iter().map(|&seed| walk(seed, 60)).sum();
    // The walk's body-only edits took the short path, so the comparisons above cover it.
    assert!(partial > 0, "no step rendered only the files it reached");
}

/// The titles of the related posts on the built-in theme's post page in `file` of `output`.
fn related_titles(output: &fanzine::render::Output, file: &str) -> Vec<String> {
    let html = String::from_utf8(output.bytes(file).unwrap_or_else(|| panic!("no {file}")).to_vec()).unwrap();
    let page = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse(".related a").unwrap();
    page.select(&selector).map(|a| a.text().collect()).collect()
}

/// A post's related list depends on other posts' tags: a tag added to post B must reach post A's page on the next
/// save, although A itself did not change, and the preview's output must still equal a full build.
#[test]
fn a_tag_change_on_one_post_updates_the_related_posts_of_another() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let post = |name: &str, title: &str, date: &str, tags: &str| {
        let text = format!("+++\ntitle = \"{title}\"\ndate = {date}\ntags = [{tags}]\n+++\nWords of {title}.\n");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content").join(name), text).unwrap();
    };
    post("a.md", "A", "2020-01-01", "\"x\"");
    post("b.md", "B", "2020-03-01", "\"y\"");
    post("c.md", "C", "2020-02-01", "\"x\"");
    let mut rebuilder = Rebuilder::new(options(&root));
    let first = rebuilder.full().unwrap();
    assert_eq!(related_titles(&first.output, "a/index.html"), ["C"]);
    post("b.md", "B", "2020-03-01", "\"y\", \"x\"");
    let changes = Changes::from_paths(&root, [root.join("content/b.md")]);
    let second = rebuilder.rebuild(&changes).unwrap();
    assert_eq!(related_titles(&second.output, "a/index.html"), ["B", "C"], "B is newer than C, both share one tag");
    let collect = Collect::default();
    Builder::once(options(&root)).build(None, &collect).unwrap();
    assert!(*second.output == collect.into_output(), "the rebuild equals a full build");
    // Retitling B alone (its tags as they are) changes how A's page shows it.
    post("b.md", "B2", "2020-03-01", "\"y\", \"x\"");
    let third = rebuilder.rebuild(&Changes::from_paths(&root, [root.join("content/b.md")])).unwrap();
    assert_eq!(related_titles(&third.output, "a/index.html"), ["B2", "C"]);
}

/// A part's title is shown on every other part's page: retitling one re-renders the others.
#[test]
fn a_retitled_part_of_a_series_reaches_the_other_parts() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let post = |name: &str, title: &str, date: &str| {
        let text = format!("+++\ntitle = \"{title}\"\ndate = {date}\nseries = \"Saga\"\n+++\nWords.\n");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content").join(name), text).unwrap();
    };
    post("one.md", "One", "2020-01-01");
    post("two.md", "Two", "2020-02-01");
    let mut rebuilder = Rebuilder::new(options(&root));
    rebuilder.full().unwrap();
    post("two.md", "Second", "2020-02-01");
    let rebuilt = rebuilder.rebuild(&Changes::from_paths(&root, [root.join("content/two.md")])).unwrap();
    let html = String::from_utf8(rebuilt.output.bytes("one/index.html").unwrap().to_vec()).unwrap();
    assert!(html.contains("<span>Part 2</span>Second</a>"), "{html}");
    let collect = Collect::default();
    Builder::once(options(&root)).build(None, &collect).unwrap();
    assert!(*rebuilt.output == collect.into_output(), "the rebuild equals a full build");
}

/// A site of 200 posts on the built-in theme, two tags among them, ten posts a home page; post `n` is dated
/// `n` days after the first, so post 100 sits mid-list, far from the feeds' newest.
fn many_posts(root: &Path, posts: usize) {
    std::fs::create_dir_all(root.join("content/posts")).unwrap();
    std::fs::write(root.join("fanzine.toml"), "title = \"Many\"\nposts_per_page = 10\n").unwrap();
    for n in 0..posts {
        write_numbered(root, n, &format!("Post {n}"), n, "The end, in two words.");
    }
}

fn write_numbered(root: &Path, n: usize, title: &str, day: usize, last: &str) {
    let date = time::macros::date!(2020 - 01 - 01) + time::Duration::days(day as i64);
    let tag = if n.is_multiple_of(2) { "even" } else { "odd" };
    let text = format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"{tag}\", \"all\"]\n+++\n\nThe summary of post {n}.\n\n{last}\n"
    );
    std::fs::write(root.join(format!("content/posts/post-{n:03}.md")), text).unwrap();
}

/// Saves post 100 as `title`, `day` and `last` say, rebuilds, and checks the output against a full build.
/// Returns how many files the rebuild visited and which files changed.
fn save_100(rebuilder: &mut Rebuilder, root: &Path, title: &str, day: usize, last: &str) -> (usize, Vec<String>) {
    save(rebuilder, root, (100, title, day), last)
}

fn save(
    rebuilder: &mut Rebuilder,
    root: &Path,
    (n, title, day): (usize, &str, usize),
    last: &str,
) -> (usize, Vec<String>) {
    write_numbered(root, n, title, day, last);
    let changes = Changes::from_paths(root, vec![root.join(format!("content/posts/post-{n:03}.md"))]);
    let before = rebuilder.output().unwrap();
    let rebuilt = rebuilder.rebuild(&changes).unwrap();
    let collect = Collect::default();
    Builder::once(options(root)).build(None, &collect).unwrap();
    assert!(*rebuilt.output == collect.into_output(), "an incremental build equals a full one");
    let changed = fanzine::serve::preview::changed_files(&before, &rebuilt.output);
    (rebuilt.visited, changed)
}

#[test]
fn a_body_edit_visits_only_the_files_that_show_the_post() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    many_posts(&root, 200);
    let mut rebuilder = Rebuilder::new(options(&root));
    let first = rebuilder.full().unwrap();
    let all = first.visited;
    assert!(all > 200 + 20, "the first build visits every post and list page: {all}");
    let page = "posts/post-100/index.html".to_string();

    // The end of the body: the summary and the word count stay, so only the post's own page shows the change.
    let (visited, changed) = save_100(&mut rebuilder, &root, "Post 100", 100, "The end, in other words.");
    assert_eq!((visited, changed), (1, vec![page.clone()]));

    // One word more: the summary view (its word count) changes, so the lists showing it and its neighbours'
    // pages (whose `previous` and `next` are summary views) are visited too; nothing else. The built-in theme
    // shows no word count in them, so they come out the same and only the post's page changes.
    let (visited, changed) = save_100(&mut rebuilder, &root, "Post 100", 100, "The end, in three more words.");
    assert_eq!(changed, std::slice::from_ref(&page));
    // Its page, its two neighbours', the tenth home page, its two tags' pages and the archive.
    assert_eq!(visited, 7, "the files that show the post's summary, and no other");

    // A body edit of the newest post (its summary unchanged) reaches the feeds that carry it whole too.
    let (visited, changed) = save(&mut rebuilder, &root, (199, "Post 199", 199), "The end, in few words.");
    assert_eq!(changed, ["atom.xml", "posts/post-199/index.html", "tags/all/atom.xml", "tags/odd/atom.xml"]);
    assert_eq!(visited, 4);

    // A new title, a new date (a new place in every list) and new tags reload the site model: every file is
    // visited again (and the memo re-renders only those whose variables changed).
    for (title, day) in [("Post one hundred", 100), ("Post one hundred", 150)] {
        assert_eq!(save_100(&mut rebuilder, &root, title, day, "The end.").0, all);
    }
    std::fs::write(
        root.join("content/posts/post-100.md"),
        "+++\ntitle = \"Post one hundred\"\ndate = 2020-05-30\ntags = [\"odd\"]\n+++\n\nThe summary.\n",
    )
    .unwrap();
    let changes = Changes::from_paths(&root, vec![root.join("content/posts/post-100.md")]);
    assert_eq!(rebuilder.rebuild(&changes).unwrap().visited, all, "new tags");
    assert_eq!(save_100(&mut rebuilder, &root, "Post one hundred", 150, "The end.").0, all, "the tags back");

    // A template edit renders everything again, and the next body edit is back to its own files.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/post.html"), post_template("v1")).unwrap();
    let changes = Changes::from_paths(&root, vec![root.join("templates/post.html")]);
    let rebuilt = rebuilder.rebuild(&changes).unwrap();
    assert_eq!((rebuilt.visited, rebuilt.rendered), (all, all), "other templates: nothing is reused");
    let (visited, changed) = save_100(&mut rebuilder, &root, "Post one hundred", 150, "The fin.");
    assert_eq!((visited, changed), (1, vec![page]));
}
