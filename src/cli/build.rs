//! `fanzine build`: render the site and publish it atomically into the output folder.
use super::{Outcome, SiteArgs, report};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site. Replaced as a whole, only once the build has fully succeeded.
    #[arg(long, short = 'o', default_value = "public", value_name = "DIR")]
    pub output_dir: PathBuf,
}

pub fn run(args: &BuildArgs) -> Outcome {
    let started = Instant::now();
    let built = match fanzine::pipeline::build(&args.site.options()) {
        Ok(b) => b,
        Err(failed) => {
            report::failure(&failed);
            eprintln!("{} was left unchanged", shown(&args.output_dir, &args.site.root));
            return Outcome::SiteErrors;
        }
    };
    report::warnings(&built.warnings);
    let target =
        if args.output_dir.is_absolute() { args.output_dir.clone() } else { args.site.root.join(&args.output_dir) };
    match fanzine::write::write(&built.output, &target) {
        Ok(files) => {
            let ms = started.elapsed().as_millis();
            let posts = built.site.pages.len();
            let noun = if posts == 1 { "post" } else { "posts" };
            eprintln!("built {posts} {noun}, {files} files into {} in {ms} ms", target.display());
            Outcome::Success
        }
        Err(e) => {
            eprintln!("error: cannot write the site: {e}\n  = help: {}", e.hint());
            Outcome::WriteFailed
        }
    }
}

fn shown(output: &std::path::Path, root: &std::path::Path) -> String {
    if output.is_absolute() { output.display().to_string() } else { root.join(output).display().to_string() }
}
