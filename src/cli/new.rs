//! `fanzine new "Title"`: a post file with its front matter filled in, so writing starts at once.
use super::Outcome;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The post's title; the file name is made from it.
    pub title: String,
    /// The site's folder. By default, the nearest site from the current folder upwards; if there is none, the
    /// current folder (a new site starts with its first post).
    #[arg(long, short = 'r', value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Folder under content/ to put the post in, such as `notes` or `notes/2024`.
    #[arg(long, value_name = "DIR")]
    pub section: Option<String>,
    /// Mark the post as a draft (left out of builds unless --drafts).
    #[arg(long)]
    pub draft: bool,
}

pub fn run(args: &NewArgs) -> Outcome {
    let slug = fanzine::slugify::path(&args.title, fanzine::slugify::Strategy::On);
    if slug.is_empty() {
        eprintln!(
            "error: the title {:?} gives an empty file name\n  = help: use a title with letters or digits",
            args.title
        );
        return Outcome::SiteErrors;
    }
    let root = match fanzine::site_root::find(args.root.as_deref()) {
        Ok(root) => root,
        Err(fanzine::site_root::RootError::NotFound(_)) => PathBuf::from("."),
        Err(e) => return super::usage(&e.to_string(), e.hint()),
    };
    let section = match args.section.as_deref().map(section_folder).transpose() {
        Ok(section) => section.unwrap_or_default(),
        Err(why) => {
            let message =
                format!("--section {:?} is not a folder under content/: {why}", args.section.as_deref().unwrap_or(""));
            return super::usage(
                &message,
                "give a folder under content/, such as --section notes or --section notes/2024",
            );
        }
    };
    let dir = root.join("content").join(section);
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

/// The folder `section` names under `content/`, or why it would not stay there. One trailing `/` (as a shell's
/// completion leaves) is allowed.
fn section_folder(section: &str) -> Result<PathBuf, &'static str> {
    if section.chars().any(char::is_control) {
        return Err("it contains a control character");
    }
    if section.starts_with(['/', '\\']) || std::path::Path::new(section).is_absolute() {
        return Err("it is an absolute path");
    }
    let section = section.strip_suffix('/').unwrap_or(section);
    let mut folder = PathBuf::new();
    for segment in section.split('/') {
        match segment {
            "" => return Err("it has an empty segment"),
            ".." => return Err("`..` would climb out of content/"),
            "." => return Err("`.` is not a folder name"),
            _ => folder.push(segment),
        }
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::section_folder;
    use std::path::PathBuf;

    #[test]
    fn sections_stay_inside_content() {
        assert_eq!(section_folder("notes"), Ok(PathBuf::from("notes")));
        assert_eq!(section_folder("notes/2024/"), Ok(PathBuf::from("notes/2024")));
        assert_eq!(section_folder("../../X"), Err("`..` would climb out of content/"));
        assert_eq!(section_folder("notes/../.."), Err("`..` would climb out of content/"));
        assert_eq!(section_folder("/etc"), Err("it is an absolute path"));
        assert_eq!(section_folder("a//b"), Err("it has an empty segment"));
        assert_eq!(section_folder(""), Err("it has an empty segment"));
        assert_eq!(section_folder("./x"), Err("`.` is not a folder name"));
        assert_eq!(section_folder("a\nb"), Err("it contains a control character"));
    }
}
