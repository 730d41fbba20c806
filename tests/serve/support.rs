//! A small site in a temporary folder, a server on it, and the two clients the tests need: pages over HTTP and
//! the event stream read line by line.
use fanzine::serve::{Log, ServeOptions, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails: generous, since CI machines are slow.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn today() -> time::Date {
    time::macros::date!(2026 - 01 - 01)
}

/// A site with three posts, two tags, a post template of its own and a stylesheet.
pub struct SiteDir {
    pub dir: tempfile::TempDir,
}

impl SiteDir {
    pub fn new() -> SiteDir {
        let site = SiteDir { dir: tempfile::tempdir().unwrap() };
        site.write("fanzine.toml", "title = \"Test site\"\nposts_per_page = 2\n");
        site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "The first post."));
        site.write("content/posts/beta.md", &post("Beta", "2020-02-01", &["rust", "web"], "The second post."));
        site.write("content/posts/gamma.md", &post("Gamma", "2020-03-01", &["web"], "See [alpha](@/posts/alpha.md)."));
        site.write("templates/post.html", &post_template("v1"));
        site.write("static/extra.css", "body { color: black; }\n");
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Saves the way many editors do: a hidden temporary file renamed over the target, so the watcher never sees
    /// a half-written file (which, on a loaded machine, could otherwise be built between the truncate and the write).
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        let dir = path.parent().unwrap();
        std::fs::create_dir_all(dir).unwrap();
        let temporary = dir.join(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(temporary, path).unwrap();
    }

    pub fn start(&self) -> Running {
        self.start_with(false)
    }

    /// `poll`: scan for changes (`--poll`) instead of OS notifications.
    pub fn start_with(&self, poll: bool) -> Running {
        self.try_start(poll, 0).expect("server starts")
    }

    pub fn try_start(&self, poll: bool, port: u16) -> Result<Running, fanzine::serve::ServeError> {
        self.launch(poll, port, None)
    }

    /// With `--editor-url template`.
    pub fn start_with_editor(&self, template: &str) -> Running {
        let url = fanzine::serve::editor::EditorUrl::parse(template).expect("a valid template");
        self.launch(false, 0, Some(url)).expect("server starts")
    }

    fn launch(
        &self,
        poll: bool,
        port: u16,
        editor_url: Option<fanzine::serve::editor::EditorUrl>,
    ) -> Result<Running, fanzine::serve::ServeError> {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let log: Log = Arc::new(move |line: &str| sink.lock().unwrap().push(line.to_string()));
        let mut build = fanzine::site::BuildOptions::new(self.root(), today());
        build.drafts = false;
        let options = ServeOptions {
            build,
            interface: "127.0.0.1".parse().unwrap(),
            port,
            poll,
            debounce: Duration::from_millis(30),
            editor_url,
            quiet: false,
        };
        let server = Server::start(options, log)?;
        Ok(Running { server, lines })
    }
}

pub fn post(title: &str, date: &str, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
    format!("+++\ntitle = {title:?}\ndate = {date}\ntags = [{}]\n+++\n\n{body}\n", tags.join(", "))
}

pub fn post_template(marker: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}\n{{% block content %}}\n<article><h1>{{{{ page.title }}}}</h1>\n\
         {{{{ page.content | safe }}}}</article>\n<p class=\"marker\">{marker}</p>\n{{% endblock content %}}\n"
    )
}

pub struct Running {
    pub server: Server,
    pub lines: Arc<Mutex<Vec<String>>>,
}

pub struct Page {
    pub status: u16,
    pub content_type: String,
    pub cache_control: String,
    pub location: Option<String>,
    pub body: String,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    pub fn get(&self, path: &str) -> Page {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        let mut response = agent.get(format!("http://{}{path}", self.addr())).call().unwrap();
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
        let content_type = header("content-type").unwrap_or_default();
        let cache_control = header("cache-control").unwrap_or_default();
        let location = header("location");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap();
        Page { status, content_type, cache_control, location, body }
    }

    /// A file's status, content type and bytes (for files that are not text).
    pub fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(PATIENCE)).build().into();
        let mut response = agent.get(format!("http://{}{path}", self.addr())).call().unwrap();
        let content_type =
            response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let status = response.status().as_u16();
        (status, content_type, response.body_mut().read_to_vec().unwrap())
    }

    pub fn events(&self) -> Events {
        Events::connect(self.addr(), "/__fanzine/events")
    }

    pub fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

/// The live-reload stream, read over a plain socket so each event is seen as soon as it is sent.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn connect(addr: SocketAddr, path: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        Events { reader: BufReader::new(stream) }
    }

    /// The next `state` event's data, waiting at most [`PATIENCE`].
    pub fn next(&mut self) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        let mut line = String::new();
        loop {
            assert!(Instant::now() < deadline, "no event within {PATIENCE:?}");
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        return serde_json::from_str(data).unwrap();
                    }
                }
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("reading events: {e}"),
            }
        }
    }

    /// Whether the server ends the stream (reads to the end of the connection) within [`PATIENCE`].
    pub fn ends(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(_) => return true,
            }
        }
        false
    }

    /// Skips events until one satisfies `wanted`.
    pub fn until(&mut self, what: &str, wanted: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(Instant::now() < deadline, "no event with {what} within {PATIENCE:?}");
            let event = self.next();
            if wanted(&event) {
                return event;
            }
        }
    }

    /// Waits for the preview to move past `version`; returns the new state.
    pub fn newer_than(&mut self, version: u64) -> serde_json::Value {
        self.until(&format!("a version after {version}"), |e| e["version"].as_u64().unwrap() > version)
    }
}

/// One request sent exactly as written (no client normalises the path), the answer as (status, body).
pub fn raw_request(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

pub fn version(event: &serde_json::Value) -> u64 {
    event["version"].as_u64().unwrap()
}
