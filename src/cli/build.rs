//! `fanzine build`: render the site and publish it atomically into the output folder.
use super::{Outcome, SiteArgs, report};
use clap::Args;
use fanzine::write::published;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site, relative to the site's folder. Replaced as a whole, only once the build has fully
    /// succeeded; so it may not be the site's folder or any of its sources. A link is followed: the site is
    /// published at the folder it points to.
    #[arg(long, short = 'o', default_value = "public", value_name = "DIR")]
    pub output_dir: PathBuf,
    /// Render every post and run every experiment afresh, neither reading nor writing .fanzine-cache/.
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: &BuildArgs) -> Outcome {
    let started = Instant::now();
    let root = match super::site_root(args.site.root.as_deref()) {
        Ok(root) => root,
        Err(outcome) => return outcome,
    };
    let mut options = args.site.options(&root);
    if !args.no_cache {
        options.cache_dir = Some(root.join(fanzine::site_root::CACHE_FOLDER));
    }
    let target = if args.output_dir.is_absolute() { args.output_dir.clone() } else { root.join(&args.output_dir) };
    // Checked before the lock is taken: the lock and the spare live beside the output folder.
    if let Err(e) = fanzine::site_root::check_output(&root, &target) {
        let message = format!("--output-dir {} {e}", args.output_dir.display());
        return super::usage(&message, &e.hint());
    }
    // Taken before the build, so that a second build of the same site is refused at once, not after rendering.
    let writer = match fanzine::write::Writer::begin(&target) {
        Ok(w) => w,
        Err(e) => return write_failed(&e),
    };
    let cache_dir = options.cache_dir.clone();
    let mut builder = fanzine::build::Builder::once(options);
    if let Some(dir) = &cache_dir {
        builder = builder.reusing_published(published::load(dir, writer.published_folder()));
    }
    let built = builder.build(None, &writer);
    if writer.failed() {
        // Pages that were not written look like broken links to the render; the write error is the one to fix.
        return writer.finish().err().map_or(Outcome::WriteFailed, |e| write_failed(&e));
    }
    let built = match built {
        Ok(b) => b,
        Err(failed) => {
            report::failure(&failed, args.site.quiet);
            eprintln!("{} was left unchanged", target.display());
            return Outcome::SiteErrors;
        }
    };
    report::warnings(&built.warnings, args.site.quiet);
    let publishing = Instant::now();
    let record = |folder: &std::path::Path, _: &fanzine::write::Written| {
        if let (Some(dir), Some((site_wide, keys))) = (&cache_dir, builder.published_keys())
            && published::record(dir, folder, site_wide, keys).is_err()
        {
            // Without a manifest the next build renders everything, which is slower but never wrong.
            published::forget(dir);
        }
    };
    match writer.finish_and(record) {
        Ok(written) => {
            let posts = built.pages;
            let noun = if posts == 1 { "post" } else { "posts" };
            // Pages are written as they are rendered, so those two share one figure.
            let stages: Vec<String> = (built.timings.iter().copied())
                .map(|(stage, took)| (if stage == "render" { "render and write" } else { stage }, took))
                .chain([("publish", publishing.elapsed())])
                .map(|(stage, took)| format!("{stage} {} ms", took.as_millis()))
                .collect();
            // With the cache, the files rendered through their templates: the others were the published ones.
            let reused = built
                .reused
                .map(|n| format!("; Markdown of {n} reused from .fanzine-cache, {} files rendered", built.rendered))
                .unwrap_or_default();
            eprintln!(
                "built {posts} {noun}, {} files ({} changed) into {} in {} ms ({}{reused})",
                written.files,
                written.changed,
                target.display(),
                started.elapsed().as_millis(),
                stages.join(", ")
            );
            Outcome::Success
        }
        Err(e) => write_failed(&e),
    }
}

fn write_failed(e: &fanzine::write::WriteError) -> Outcome {
    eprintln!("error: cannot write the site: {e}\n  = help: {}", e.hint());
    Outcome::WriteFailed
}
