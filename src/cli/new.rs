//! `fanzine new "Title"`: a post file with its front matter filled in, so writing starts at once.
use super::Outcome;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The post's title; the file name is made from it.
    pub title: String,
    /// The site's folder.
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Folder under content/ to put the post in.
    #[arg(long, value_name = "DIR")]
    pub section: Option<PathBuf>,
    /// Mark the post as a draft (left out of builds unless --drafts).
    #[arg(long)]
    pub draft: bool,
}

pub fn run(args: &NewArgs) -> Outcome {
    let slug = fanzine::markdown::slugify(&args.title);
    if slug.is_empty() {
        eprintln!(
            "error: the title {:?} gives an empty file name\n  = help: use a title with letters or digits",
            args.title
        );
        return Outcome::SiteErrors;
    }
    let dir = args.root.join("content").join(args.section.clone().unwrap_or_default());
    let path = dir.join(format!("{slug}.md"));
    let date = super::today();
    let text = fanzine::content::front_matter::new_post(&args.title, date, args.draft);
    let created = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path).and_then(|mut f| {
            use std::io::Write;
            f.write_all(text.as_bytes())
        })
    });
    match created {
        Ok(()) => {
            println!("{}", path.display());
            Outcome::Success
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists\n  = help: choose another title, or edit that post", path.display());
            Outcome::SiteErrors
        }
        Err(e) => {
            eprintln!("error: cannot create {}: {e}", path.display());
            Outcome::WriteFailed
        }
    }
}
