//! The live reload in a real browser: headless Chromium driven over WebDriver (chromedriver), with a WebDriver
//! client of a few requests written over the same HTTP client as the other tests.
//!
//! scripts/test installs `chromium` and `chromium-driver` when they are missing; this test fails loudly rather than
//! skipping when they are not there.
use crate::support::{PATIENCE, SiteDir, post};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free port, killed when dropped, with one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let driver_path = which("chromedriver").expect("chromedriver is missing: run scripts/test, which installs it");
        assert!(std::path::Path::new(CHROMIUM).exists(), "{CHROMIUM} is missing: run scripts/test, which installs it");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent,
            _profile: profile,
        };
        browser.wait_until_ready();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            &format!("--user-data-dir={}", browser._profile.path().display()),
            "--window-size=1000,700",
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        }}});
        let answer = browser.call("POST", "/session", Some(caps));
        browser.session = answer["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {answer}")).to_string();
        browser
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Ok(mut r) = self.agent.get(format!("{}/status", self.base)).call()
                && let Ok(text) = r.body_mut().read_to_string()
                && let Ok(status) = serde_json::from_str::<Value>(&text)
                && status["value"]["ready"] == true
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not get ready within {PATIENCE:?}");
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut response = match (method, body) {
            ("POST", Some(body)) => {
                self.agent.post(&url).header("content-type", "application/json").send(body.to_string())
            }
            ("DELETE", _) => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let text = response.body_mut().read_to_string().unwrap();
        let answer: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"));
        answer["value"].clone()
    }

    fn session_call(&self, path: &str, body: Value) -> Value {
        self.call("POST", &format!("/session/{}{path}", self.session), Some(body))
    }

    fn open(&self, url: &str) {
        self.session_call("/url", json!({ "url": url }));
    }

    fn run(&self, script: &str) -> Value {
        self.session_call("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Evaluates `script` until it returns true, or fails after [`PATIENCE`].
    fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.run(script) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the page never showed {what}; page text: {}", self.run("return document.body.innerText"));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| std::path::Path::new(d).join(name)).find(|p| p.is_file())
}

fn long_body(words: &str) -> String {
    (0..80).map(|i| format!("Paragraph {i} of {words}.\n\n")).collect()
}

#[test]
fn the_browser_follows_saves_without_a_manual_reload() {
    let site = SiteDir::new();
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], &long_body("the first version")));
    let running = site.start();
    let browser = Browser::start();
    browser.open(&format!("http://{}/posts/alpha/", running.addr()));
    browser.wait_for("the first version", "return document.body.innerText.includes('of the first version')");
    // Wait until the event stream is connected, so the edit below is not raced by the page's own start-up.
    browser.wait_for(
        "a connected event stream",
        "return !!window.__fanzineEvents && window.__fanzineEvents.readyState === 1",
    );

    // A post edit: the page reloads by itself (a marker set on the old page is gone) and keeps its scroll position.
    browser.run("window.scrollTo(0, 600); window.__old_page = true; return true");
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], &long_body("the second version")));
    browser.wait_for("the second version", "return document.body.innerText.includes('of the second version')");
    assert_eq!(browser.run("return window.__old_page === undefined"), json!(true), "the page was reloaded");
    browser.wait_for("the kept scroll position", "return Math.abs(window.scrollY - 600) < 5");

    // A stylesheet edit: swapped in place, no reload.
    browser.run("window.__same_page = true; return true");
    site.write("static/style.css", "body { color: rgb(1, 2, 3); }\n");
    browser.wait_for("the new stylesheet", "return getComputedStyle(document.body).color === 'rgb(1, 2, 3)'");
    assert_eq!(browser.run("return window.__same_page === true"), json!(true), "a CSS change must not reload");

    // A broken save: the overlay names the file and line over the old page; a fixed save removes it.
    site.write("content/posts/alpha.md", "+++\ntitle = \"Alpha\"\ndate = \"2017-13-01\"\n+++\n\n<b>x</b>\n");
    browser.wait_for(
        "the error overlay",
        "const o = document.getElementById('__fanzine-overlay'); \
         return !!o && !!o.shadowRoot && o.shadowRoot.textContent.includes('content/posts/alpha.md:3') && document.body.innerText.includes('of the second version')",
    );
    // The site's CSS cannot recolour it: a rule for code, a, li and strong, !important and all, leaves the location
    // in the overlay's own amber on its own dark red.
    browser.run(
        "const s = document.createElement('style'); \
         s.textContent = 'code, a, li, strong, div { color: rgb(250, 250, 250) !important; background: white !important }'; \
         document.head.appendChild(s); return true",
    );
    assert_eq!(
        browser.run(
            "const at = document.getElementById('__fanzine-overlay').shadowRoot.querySelector('.at'); \
             return [getComputedStyle(at).color, getComputedStyle(at.closest('.box')).backgroundColor]"
        ),
        json!(["rgb(255, 213, 158)", "rgb(43, 11, 11)"]),
    );
    // Escape hides it until the next build, which shows it again.
    browser.run("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })); return true");
    assert_eq!(browser.run("return !document.getElementById('__fanzine-overlay')"), json!(true), "Escape hides it");
    site.write("content/posts/alpha.md", "+++\ntitle = \"Alpha\"\ndate = \"2017-13-02\"\n+++\n\n<b>x</b>\n");
    browser.wait_for("the overlay again after the next build", "return !!document.getElementById('__fanzine-overlay')");
    // It is an alert, first in the page, so Tab reaches its close button before the site's links; the button hides it.
    assert_eq!(
        browser.run(
            "const o = document.body.firstElementChild; const b = o.shadowRoot.querySelector('button.close'); \
             const first = [o.id, o.getAttribute('role'), b.tabIndex]; b.click(); \
             return first.concat([!document.getElementById('__fanzine-overlay')])"
        ),
        json!(["__fanzine-overlay", "alert", 0, true]),
    );
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], &long_body("the fixed version")));
    browser.wait_for(
        "the fixed page without overlay",
        "return !document.getElementById('__fanzine-overlay') && document.body.innerText.includes('of the fixed version')",
    );
}

#[test]
fn a_printed_post_is_the_post_alone_with_its_link_addresses() {
    let site = SiteDir::new();
    let body = "See [the docs](https://example.com/docs).[^1]\n\n[^1]: The note.\n";
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], body));
    std::fs::remove_file(site.root().join("templates/post.html")).unwrap(); // the theme's own post page
    let running = site.start();
    let browser = Browser::start();
    browser.open(&format!("http://{}/posts/alpha/", running.addr()));
    browser.wait_for("the post", "return document.body.innerText.includes('the docs')");
    let displays = "return ['.site-header nav', '.neighbours', '.site-footer', '.footnotes'] \
                    .map(s => getComputedStyle(document.querySelector(s)).display)";
    let link_after = "return getComputedStyle(document.querySelector('.content a[href^=\"http\"]'), '::after').content";
    assert_eq!(browser.run(displays), json!(["flex", "grid", "block", "block"]), "on screen");
    assert_eq!(browser.run(link_after), json!("none"));
    browser.session_call(
        "/goog/cdp/execute",
        json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": "print" } }),
    );
    assert_eq!(browser.run(displays), json!(["none", "none", "none", "block"]), "printed: the post and its notes");
    assert_eq!(browser.run(link_after), json!("\" (https://example.com/docs)\""));
}

/// Issue 15: on a wide window a note sits in the margin beside the line that cites it; on a phone it is at the bottom.
#[test]
fn sidenotes_sit_beside_their_reference_on_a_wide_window_and_at_the_bottom_on_a_phone() {
    let site = SiteDir::new();
    let filler = "A line of prose that fills the column so that the note has some text to sit beside. ".repeat(12);
    let body = format!("{filler}\n\n{filler} Cited here.[^n] {filler}\n\n[^n]: The note, in the margin.\n");
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], &body));
    std::fs::remove_file(site.root().join("templates/post.html")).unwrap(); // the theme's own post page
    let running = site.start();
    let browser = Browser::start();
    let placement = "const r = document.querySelector('.footnote-ref').getBoundingClientRect(); \
                     const s = document.querySelector('.sidenote'); const n = s.getBoundingClientRect(); \
                     const p = document.querySelector('.content p').getBoundingClientRect(); \
                     const line = parseFloat(getComputedStyle(document.querySelector('.content p')).lineHeight); \
                     const list = document.querySelector('.footnotes').getBoundingClientRect(); \
                     return [getComputedStyle(s).display, n.left >= p.right, Math.abs(n.top - r.top) <= 2 * line, \
                             list.width > 1, n.width > 100]";
    browser.session_call("/window/rect", json!({ "width": 1280, "height": 900 }));
    browser.open(&format!("http://{}/posts/alpha/", running.addr()));
    browser.wait_for("the post", "return document.body.innerText.includes('Cited here')");
    assert_eq!(browser.run("return window.innerWidth"), json!(1280));
    assert_eq!(browser.run(placement), json!(["block", true, true, false, true]), "1280 px: in the margin");
    browser.session_call("/window/rect", json!({ "width": 390, "height": 844 }));
    browser.open(&format!("http://{}/posts/alpha/", running.addr()));
    browser.wait_for("the narrow post", "return window.innerWidth <= 390 && document.body.innerText.includes('Cited')");
    let narrow = "const list = document.querySelector('.footnotes'); \
                  return [getComputedStyle(document.querySelector('.sidenote')).display, \
                          getComputedStyle(list).display, list.getBoundingClientRect().width > 200, \
                          list.innerText.includes('The note, in the margin.')]";
    assert_eq!(browser.run(narrow), json!(["none", "block", true, true]), "390 px: at the bottom");
}

/// Issue 13: the built-in theme's search box, in a real browser: its script and index load only once the box is
/// used, and typing a word lists the post that has it and not the others.
#[test]
fn typing_a_word_in_the_search_box_lists_the_post_that_has_it() {
    let site = SiteDir::new();
    site.write("fanzine.toml", "title = \"Test site\"\nbuild_search_index = true\n");
    site.write("content/posts/alpha.md", &post("Alpha", "2020-01-01", &["rust"], "Kestrels were hovering."));
    site.write("content/posts/beta.md", &post("Beta", "2020-02-01", &["web"], "Otters swim in rivers."));
    site.write("content/posts/gamma.md", &post("Gamma", "2020-03-01", &["web"], "Nothing about birds."));
    std::fs::remove_file(site.root().join("templates/post.html")).unwrap(); // the theme's own pages
    let running = site.start();
    let browser = Browser::start();
    browser.open(&format!("http://{}/", running.addr()));
    browser.wait_for("the home page", "return document.body.innerText.includes('Gamma')");
    let loaded = "return [!!window.elasticlunr, !!window.searchIndex, \
                  document.querySelector('label[for=search-input]').textContent]";
    assert_eq!(browser.run(loaded), json!([false, false, "Search posts"]), "nothing loaded before the box is used");
    let found = browser.session_call("/element", json!({ "using": "css selector", "value": "#search-input" }));
    let element = found.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string();
    // A stemmed word: "hover" finds "hovering".
    browser.session_call(&format!("/element/{element}/value"), json!({ "text": "hover" }));
    browser.wait_for(
        "the matching post in the results",
        "const r = document.querySelector('.search-results'); return !r.hidden && r.innerText.includes('Alpha')",
    );
    let shown = "const r = document.querySelector('.search-results'); \
                 return [r.innerText.includes('Beta'), r.innerText.includes('Gamma'), \
                         document.querySelector('.search-status').textContent, \
                         r.querySelector('a').getAttribute('href').endsWith('/posts/alpha/')]";
    assert_eq!(browser.run(shown), json!([false, false, "1 post found", true]));
    // The results float over the page: showing them moved nothing below the header.
    assert_eq!(browser.run("return getComputedStyle(document.querySelector('.search-results')).position"), "absolute");
    browser.run("const i = document.getElementById('search-input'); i.value = ''; return true");
    browser.session_call(&format!("/element/{element}/value"), json!({ "text": "otters" }));
    browser.wait_for(
        "the other post",
        "const r = document.querySelector('.search-results'); \
         return r.innerText.includes('Beta') && !r.innerText.includes('Alpha')",
    );
}
