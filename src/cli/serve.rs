//! `fanzine serve`: build in memory, serve on localhost, rebuild on every save and reload the browser.
use super::Outcome;
use clap::Args;
use fanzine::serve::editor::EditorUrl;
use fanzine::serve::{Log, ServeOptions, Server};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The site's folder: the one holding content/ (and optionally fanzine.toml, templates/, static/). By default,
    /// the nearest folder from the current one upwards that holds fanzine.toml (or config.toml, zola.toml) or content/.
    #[arg(long, short = 'r', value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Port to listen on; 0 picks any free port.
    #[arg(long, short = 'p', default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but loopback shares the preview (drafts included) with the network.
    #[arg(long, short = 'i', default_value = "127.0.0.1", value_name = "ADDR")]
    pub interface: IpAddr,
    /// Include posts marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated after today.
    #[arg(long)]
    pub future: bool,
    /// Open the preview in the default browser once it is up.
    #[arg(long)]
    pub open: bool,
    /// Scan for changes instead of relying on file system notifications (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Make each error's location in the preview's overlay a link that opens your editor there: `{path}` (the
    /// file's absolute path), `{line}` and `{column}` are filled in, e.g. `vscode://file{path}:{line}:{column}`.
    #[arg(long, value_name = "TEMPLATE")]
    pub editor_url: Option<String>,
    /// Print no warnings (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: &ServeArgs) -> Outcome {
    // Checked before the site is looked for: a typo in the command line is reported as such.
    let editor_url = match args.editor_url.as_deref().map(EditorUrl::parse).transpose() {
        Ok(url) => url,
        Err(why) => {
            let message =
                format!("--editor-url {:?} is not a link template: {why}", args.editor_url.as_deref().unwrap_or(""));
            return super::usage(
                &message,
                "give a URL with {path} and optionally {line} and {column}, such as \
                 --editor-url 'vscode://file{path}:{line}:{column}'",
            );
        }
    };
    let root = match super::site_root(args.root.as_deref()) {
        Ok(root) => root,
        Err(outcome) => return outcome,
    };
    let mut build = fanzine::site::BuildOptions::new(&root, super::today());
    build.drafts = args.drafts;
    build.future = args.future;
    // The preview keeps posts in memory, not in the Markdown pack; the folder serves for the site's linked syntaxes,
    // read at start rather than linked again.
    build.cache_dir = Some(root.join(fanzine::site_root::CACHE_FOLDER));
    let options = ServeOptions {
        build,
        interface: args.interface,
        port: args.port,
        poll: args.poll,
        // An editor's save is a burst of events well under a millisecond apart (write, rename, chmod); 10 ms of
        // quiet is ample and is a fifth of the preview's 50 ms budget from save to reload. A save slower than that
        // costs one extra rebuild, which ends in the same pages.
        debounce: Duration::from_millis(10),
        editor_url,
        quiet: args.quiet,
    };
    let log: Log = Arc::new(|line: &str| eprintln!("{line}"));
    let server = match Server::start(options, log) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("  = help: {hint}");
            }
            return Outcome::ServeFailed;
        }
    };
    eprintln!("serving {} at {}/ (Ctrl-C to stop)", root.display(), server.url());
    if args.open {
        open_browser(&format!("{}/", server.url()));
    }
    server.run_until_interrupted();
    eprintln!("stopped");
    Outcome::Success
}

/// Best effort: the preview works without it, so a failure is only mentioned.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
