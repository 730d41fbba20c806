//! `fanzine init [DIR]`: a new site, ready to build: `fanzine.toml` and a first post. No templates are written,
//! since the theme is built in; `fanzine new` adds the next posts, in the same form as the first.
use super::Outcome;
use clap::Args;
use std::path::{Path, PathBuf};

/// The first post's title; its file is named from it as `fanzine new` would name it.
const FIRST_POST: &str = "Hello, world";

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to make the site in; made if missing, refused if it holds anything.
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(args: &InitArgs) -> Outcome {
    let dir = &args.dir;
    if let Err((why, hint)) = check_empty(dir) {
        return super::usage(&format!("cannot start a site in {}: {why}", dir.display()), &hint);
    }
    let slug = fanzine::slugify::path(FIRST_POST, fanzine::slugify::Strategy::On);
    let post = dir.join("content").join(format!("{slug}.md"));
    let config = dir.join(fanzine::config::CONFIG_FILE);
    let post_text = fanzine::content::front_matter::new_post(FIRST_POST, super::today(), false);
    let written = std::fs::create_dir_all(dir.join("content"))
        .and_then(|_| create_new(&config, CONFIG))
        .and_then(|_| create_new(&post, &post_text));
    if let Err(e) = written {
        eprintln!("error: cannot write the new site in {}: {e}", dir.display());
        return Outcome::WriteFailed;
    }
    println!("{}\n{}", config.display(), post.display());
    let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
    eprintln!("started a site in {}; next: {cd}fanzine serve (preview) or fanzine build", dir.display());
    Outcome::Success
}

/// `Err` with why and how to fix it, if `dir` is not a folder that may become a site: a file, or a folder that
/// holds anything (even a hidden file), so that nothing of the author's is ever overwritten or mixed in.
fn check_empty(dir: &Path) -> Result<(), (String, String)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(("it is a file, not a folder".into(), "give a new folder's name: fanzine init my-blog".into()));
        }
        Err(e) => return Err((e.to_string(), "give a folder you may write in".into())),
    };
    let mut names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let more = if names.len() > 3 { format!(" and {} more", names.len() - 3) } else { String::new() };
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("{n:?}")).collect();
    Err((
        format!("the folder is not empty (it holds {}{more})", shown.join(", ")),
        "give a new or empty folder, such as `fanzine init my-blog`; to add a post to this site, use `fanzine new \"Title\"`"
            .into(),
    ))
}

fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(text.as_bytes())
}

/// The new site's config: the keys an author changes first, the rest left to their defaults (README lists them).
const CONFIG: &str = r#"# fanzine's settings; every key is optional (see "Configuration" in fanzine's README).
title = "My blog"
description = ""
# The address the site is published at; `fanzine serve` previews it at its own.
base_url = "https://example.org"
language = "en"
posts_per_page = 10

[markdown]
smart_punctuation = true
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn the_new_config_reads_without_problems() {
        let config = fanzine::config::Config::parse(super::CONFIG).unwrap();
        assert_eq!(config.base_url, "https://example.org");
    }
}
