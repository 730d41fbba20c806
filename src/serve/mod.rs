//! `fanzine serve`: a live preview that keeps up with the author.
//!
//! Three threads of work and one value between them. The watcher turns saves into [`crate::build::Changes`]; the
//! rebuild loop turns those into a new [`preview::Preview`] (the last good output, plus the current error if the
//! latest build failed) and publishes it on a `tokio::sync::watch` channel; the HTTP server reads the latest
//! preview for each request and streams each new one to the browser as a Server-Sent Event. Nothing is global: a
//! [`Server`] owns all of it, and dropping it stops everything. Nothing is written to disk.
pub mod connections;
pub mod editor;
pub mod host;
pub mod http;
pub mod inject;
pub mod preview;
pub mod rebuild;
pub mod resolve;
pub mod watch;

use crate::claims::Cancel;
use crate::error::{BuildFailed, Diagnostic};
use crate::site::BuildOptions;
use preview::Preview;
use rebuild::{Rebuilder, Rebuilt};
use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch as channel};

/// Where terminal output goes: the CLI prints it, tests collect or drop it.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build; `base_url` is replaced by the server's own address.
    pub build: BuildOptions,
    pub interface: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    /// Scan for changes instead of relying on the OS's notifications.
    pub poll: bool,
    /// How long the watcher waits for a burst of file events to settle.
    pub debounce: Duration,
    /// `--editor-url`: the overlay links each error's location into the author's editor.
    pub editor_url: Option<editor::EditorUrl>,
    /// `--quiet`: print no warnings (errors still are).
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {interface} is already in use")]
    PortInUse { interface: IpAddr, port: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot open the site folder {}: {source}", path.display())]
    Root { path: PathBuf, source: std::io::Error },
    #[error("cannot watch {} for changes: {source}", path.display())]
    Watch { path: PathBuf, source: notify::Error },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

impl ServeError {
    /// What the author can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ServeError::PortInUse { port, .. } => Some(format!(
                "another program (perhaps another `fanzine serve`) is using it; pick another port with --port {}, or --port 0 for any free one",
                port.wrapping_add(1).max(1024)
            )),
            ServeError::Watch { .. } => Some("try --poll, which scans for changes instead".into()),
            ServeError::Bind { .. } => Some("check --interface: it must be an address of this machine".into()),
            _ => None,
        }
    }
}

/// A running preview server. Dropping it (or [`Server::stop`]) shuts it down and waits for its threads.
pub struct Server {
    addr: SocketAddr,
    base_url: String,
    runtime: tokio::runtime::Handle,
    shutdown: Option<oneshot::Sender<()>>,
    http: Option<JoinHandle<()>>,
    /// Shared with the rebuild loop, which adds source folders created later; emptied to stop watching.
    watch: Arc<Mutex<Option<watch::Watch>>>,
    rebuilds: Option<JoinHandle<()>>,
    /// Set on shutdown, so that a rebuild running the claim engine ends within an event instead of a minute.
    cancel: Cancel,
}

/// How long [`Server::run_until_interrupted`] waits for a clean shutdown before returning anyway: a rebuild still
/// busy after that (rendering a huge site, say) is abandoned with the process.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(800);

impl Server {
    /// Binds, builds the site once, starts watching and serving, and returns as soon as requests are answered.
    pub fn start(options: ServeOptions, log: Log) -> Result<Server, ServeError> {
        let root = std::fs::canonicalize(&options.build.root)
            .map_err(|source| ServeError::Root { path: options.build.root.clone(), source })?;
        let listener = bind(options.interface, options.port)?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        if !addr.ip().is_loopback() {
            log(&format!(
                "warning: listening on {}, so anyone who can reach this machine can read the preview, drafts included",
                addr.ip()
            ));
        }
        let base_url = local_url(addr);
        let mut build = options.build.clone();
        build.root = root.clone();
        build.base_url = Some(base_url.clone());
        build.keep_base_path = true;

        // The runtime and the watch come before the first build: a save made while it runs is not lost, and a
        // failure to set them up leaves no thread behind.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fanzine-http")
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?
        };
        let (watch, changes) =
            watch::watch(&root, options.poll).map_err(|source| ServeError::Watch { path: root.clone(), source })?;
        let watch = Arc::new(Mutex::new(Some(watch)));

        let cancel = Cancel::default();
        let mut rebuilder = Rebuilder::new(build).with_cancel(cancel.clone());
        let started = Instant::now();
        let first = rebuilder.full();
        let mut terminal = Terminal { quiet: options.quiet, printed: crate::warnings::Printed::default() };
        report_first(&log, &mut terminal, &first, started.elapsed());
        let mount = first.as_ref().map(|r| r.mount.clone()).unwrap_or_default();
        let (publish, preview) =
            channel::channel(Arc::new(Preview::first(first.map(|r| r.output)).mounted(mount.clone())));

        let rebuilds = {
            let (root, log, quiet, watch) = (root.clone(), log.clone(), options.debounce, watch.clone());
            std::thread::Builder::new()
                .name("fanzine-rebuild".into())
                .spawn(move || rebuild_loop(&root, rebuilder, changes, quiet, &watch, publish, (log, terminal)))
                .map_err(ServeError::Runtime)?
        };
        let handle = runtime.handle().clone();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let editor = options.editor_url.clone().map(|url| Arc::new(editor::Editor { url, root: root.clone() }));
        let app = http::App { preview, root: Arc::new(root), hosts: host::AllowedHosts::new(addr), editor };
        let http = std::thread::Builder::new()
            .name("fanzine-serve".into())
            .spawn(move || {
                runtime.block_on(connections::serve(listener, http::router(app), async move {
                    let _ = stopped.await;
                }));
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server {
            addr,
            base_url: format!("{base_url}{mount}"),
            runtime: handle,
            shutdown: Some(shutdown),
            http: Some(http),
            watch,
            rebuilds: Some(rebuilds),
            cancel,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:1111`, or `http://127.0.0.1:1111/blog` for a site deployed under `/blog`: the `base_url`
    /// the preview was first built with.
    pub fn url(&self) -> &str {
        &self.base_url
    }

    /// Blocks until Ctrl-C (or SIGTERM), then shuts down, waiting at most [`SHUTDOWN_GRACE`] for that: the caller
    /// is about to exit, which ends whatever is still running.
    pub fn run_until_interrupted(self) {
        self.runtime.block_on(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
                    }
                    Err(_) => {
                        let _ = ctrl_c.await;
                    }
                }
            }
            #[cfg(not(unix))]
            let _ = ctrl_c.await;
        });
        self.cancel.cancel();
        let (done, stopped) = mpsc::channel();
        let stopping = std::thread::Builder::new().name("fanzine-stop".into()).spawn(move || {
            self.stop();
            let _ = done.send(());
        });
        if stopping.is_ok() {
            let _ = stopped.recv_timeout(SHUTDOWN_GRACE);
        }
    }

    /// Stops watching, lets the event streams end, and waits for in-flight requests.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.cancel.cancel();
        // Dropping the watch closes the change channel; the rebuild loop then ends and drops the publisher, which
        // ends every open event stream, so the graceful shutdown below does not wait on them forever.
        self.watch.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = self.rebuilds.take() {
            let _ = t.join();
        }
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.http.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let addr = SocketAddr::new(interface, port);
    let listener = TcpListener::bind(addr).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse { interface, port },
        _ => ServeError::Bind { addr, source },
    })?;
    listener.set_nonblocking(true).map_err(ServeError::Runtime)?;
    Ok(listener)
}

/// The URL pages link to. A wildcard interface is reached at the loopback address of the same family.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// What the terminal is shown of a build's warnings: each kind folded into one line, a warning printed again only
/// when its file changed since the last build (see [`crate::warnings`]), none with `--quiet`.
struct Terminal {
    quiet: bool,
    printed: crate::warnings::Printed,
}

impl Terminal {
    /// The warnings to print, with `changed` the source files (`content/a.md`) saved since the last build.
    fn warnings(&mut self, warnings: &[Diagnostic], changed: &BTreeSet<String>) -> Vec<Diagnostic> {
        let shown = self.printed.select(warnings, changed);
        if self.quiet { Vec::new() } else { shown.into_iter().cloned().collect() }
    }

    fn success(&mut self, warnings: &[Diagnostic], changed: &BTreeSet<String>) -> Vec<String> {
        crate::warnings::folded(&self.warnings(warnings, changed))
    }

    /// A failed build's report: its errors, and those of its warnings [`Terminal::warnings`] lets through.
    fn failure(&mut self, failed: &BuildFailed, changed: &BTreeSet<String>) -> String {
        let warnings: Vec<Diagnostic> = failed.diagnostics.iter().filter(|d| !d.is_error()).cloned().collect();
        let mut shown: Vec<Diagnostic> = failed.errors().cloned().collect();
        shown.extend(self.warnings(&warnings, changed));
        BuildFailed::new(shown).to_string()
    }
}

fn report_first(log: &Log, terminal: &mut Terminal, result: &Result<Rebuilt, BuildFailed>, took: Duration) {
    let nothing = BTreeSet::new();
    match result {
        Ok(r) => {
            for line in terminal.success(&r.warnings, &nothing) {
                log(&line);
            }
            log(&format!(
                "built {} posts, {} files in memory in {} ms",
                r.pages,
                r.output.files.len(),
                took.as_millis()
            ));
        }
        Err(e) => {
            let text = terminal.failure(e, &nothing);
            log(&format!("{text}\nthe preview shows these errors until the next good save"))
        }
    }
}

/// Waits for changes, rebuilds, publishes. Ends when the watcher is dropped, or when the server is stopping (a rebuild
/// cut short by that is dropped unreported: its "cancelled" errors are not the author's).
fn rebuild_loop(
    root: &Path,
    mut rebuilder: Rebuilder,
    changes: mpsc::Receiver<watch::Event>,
    quiet: Duration,
    watcher: &Mutex<Option<watch::Watch>>,
    publish: channel::Sender<Arc<Preview>>,
    (log, mut terminal): (Log, Terminal),
) {
    // Saves that arrive while a build runs queue up and are taken together by the next `collect`.
    while let Some(paths) = watch::collect(&changes, quiet, &*log) {
        let changed = crate::build::Changes::from_paths(root, paths);
        if changed.is_empty() {
            continue;
        }
        if let Some(w) = watcher.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
            && let Err(e) = w.catch_up(root)
        {
            log(&format!("warning: cannot watch a new source folder: {e}"));
        }
        let started = Instant::now();
        let result = rebuilder.rebuild(&changed);
        if rebuilder.stopping() {
            return;
        }
        let took = started.elapsed();
        let saved: BTreeSet<String> =
            changed.content.iter().chain(&changed.templates).chain(&changed.sass).cloned().collect();
        let current = publish.borrow().clone();
        let (next, summary) = match result {
            Ok(rebuilt) => {
                let rebuilt_redone = rebuilt.redone.clone();
                for line in terminal.success(&rebuilt.warnings, &saved) {
                    log(&line);
                }
                let touched = copied_from(&rebuilt.output, &changed);
                // Candidates from the last good build only: after a failed one the preview shows an older output.
                let known = rebuilt.changed.as_deref().filter(|_| current.error.is_none());
                let next = current.next_known(Ok(rebuilt.output), &touched, known).mounted(rebuilt.mount);
                let files: Vec<&str> = next.change.files.iter().map(String::as_str).collect();
                let what = if files.is_empty() {
                    "nothing to update".to_string()
                } else {
                    format!("{} file{} updated: {}", files.len(), plural(files.len()), crate::build::shorten(&files, 3))
                };
                (next, format!("rebuilt {rebuilt_redone} ({} ms in all), {what}", took.as_millis()))
            }
            Err(failed) => {
                let errors = failed.errors().count();
                let text = format!(
                    "{}\nbuild failed in {} ms with {errors} error{}; still serving the last good build",
                    terminal.failure(&failed, &saved),
                    took.as_millis(),
                    plural(errors)
                );
                (current.next(Err(failed), &[]), text)
            }
        };
        log(&format!("{} changed: {summary}", changed.describe()));
        publish.send_replace(Arc::new(next));
        rebuilder.free_replaced();
    }
}

/// Output files whose bytes are copied from a changed source file: their map entry did not change, their content did.
fn copied_from(output: &crate::render::Output, changes: &crate::build::Changes) -> Vec<String> {
    output
        .files
        .iter()
        .filter(|(_, e)| matches!(e, crate::render::Entry::Copy(p) if changes.absolute.contains(p)))
        .map(|(k, _)| k.clone())
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::local_url;

    #[test]
    fn pages_link_to_an_address_a_browser_can_open() {
        assert_eq!(local_url("127.0.0.1:1111".parse().unwrap()), "http://127.0.0.1:1111");
        assert_eq!(local_url("0.0.0.0:1111".parse().unwrap()), "http://127.0.0.1:1111");
        assert_eq!(local_url("[::]:1111".parse().unwrap()), "http://[::1]:1111");
        assert_eq!(local_url("[::1]:80".parse().unwrap()), "http://[::1]:80");
    }
}
