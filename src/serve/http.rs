//! The HTTP side of the preview: pages from the current [`Preview`], and the live-reload event stream.
//!
//! Every response comes out of the in-memory output map. The only bytes read from disk are `Entry::Copy` files
//! (static files, bundle assets), and those only after checking that the real path, symlinks resolved, is still
//! inside the site's folder (or that the site opts in to links out of it, as the build does).
use super::editor::Editor;
use super::host::AllowedHosts;
use super::inject::{self, EVENTS_PATH};
use super::preview::Preview;
use super::resolve::{Mounted, Resolved, content_type, resolve, unmount};
use crate::render::Entry;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

/// What every handler needs: the current preview and the site's real folder.
#[derive(Clone)]
pub struct App {
    pub preview: watch::Receiver<Arc<Preview>>,
    /// Canonical path of the site root: files copied into the output must resolve inside it.
    pub root: Arc<PathBuf>,
    /// The `Host` values answered; others get 403 before any route runs, the event stream included.
    pub hosts: AllowedHosts,
    /// `--editor-url`: makes each error's location in the overlay a link into the author's editor.
    pub editor: Option<Arc<Editor>>,
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(&format!("/{EVENTS_PATH}"), get(events))
        .fallback(page)
        .layer(axum::middleware::from_fn_with_state(app.clone(), check_host))
        .with_state(app)
}

/// Refuses a request whose `Host` could come from DNS rebinding ([`super::host`]).
async fn check_host(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    if app.hosts.allows(host.as_deref()) {
        return next.run(request).await;
    }
    let mut response = (StatusCode::FORBIDDEN, app.hosts.refusal(host.as_deref())).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    preview_headers(response.headers_mut());
    response
}

async fn page(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let preview = app.preview.borrow().clone();
    let request_path = uri.path();
    let path = match unmount(request_path, &preview.mount) {
        Mounted::Inside(path) => path,
        Mounted::Redirect(location) => return redirect(&location, uri.query()),
        Mounted::Outside => return outside(&app, &preview, request_path),
    };
    match resolve(path, &preview.output) {
        // The page's own URL, not its path in the site: the live-reload script is addressed relative to it.
        Resolved::File(key) => match file(&app, &preview, &key, request_path).await {
            Some(response) => response,
            None => not_found(&app, &preview, request_path).await,
        },
        Resolved::Redirect(location) => redirect(&location, uri.query()),
        Resolved::NotFound => not_found(&app, &preview, request_path).await,
        Resolved::Refused => plain(StatusCode::BAD_REQUEST, "this path is not part of the site\n"),
    }
}

fn redirect(location: &str, query: Option<&str>) -> Response {
    let location = match query {
        Some(q) => format!("{location}?{q}"),
        None => location.to_string(),
    };
    let mut response = plain(StatusCode::FOUND, "");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A path outside the folder a site deployed under a path is served from: not found, as in production, with a
/// link to where the site is.
fn outside(app: &App, preview: &Preview, request_path: &str) -> Response {
    let at = html_escape(&format!("{}/", preview.mount));
    let body = format!(
        "<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1>\
<p>This site lives under <a href=\"{at}\">{at}</a>, the path of its <code>base_url</code>: the preview serves it \
there, as production does, so nothing outside it is part of the site.</p></body></html>"
    );
    respond(app, StatusCode::NOT_FOUND, "404.html", body.into_bytes(), preview, request_path)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The file at `key`, or `None` if it cannot be served (a copied file gone missing or leading out of the site).
async fn file(app: &App, preview: &Preview, key: &str, request_path: &str) -> Option<Response> {
    let bytes = match preview.output.files.get(key)? {
        Entry::Bytes(bytes) => bytes.to_vec(),
        Entry::Copy(source) => read_inside(&app.root, source).await?,
    };
    Some(respond(app, StatusCode::OK, key, bytes, preview, request_path))
}

/// Reads a copied file only if its real path (after symlinks) is inside the site, or the site opts in to links
/// out of it: the build's rule ([`crate::symlinks`]), checked again in case a link changed since the build.
async fn read_inside(root: &std::path::Path, source: &std::path::Path) -> Option<Vec<u8>> {
    let real = tokio::fs::canonicalize(source).await.ok()?;
    let allowed = real.starts_with(root) || (source.starts_with(root) && crate::symlinks::opted_in(root));
    if !allowed {
        return None;
    }
    tokio::fs::read(real).await.ok()
}

/// The site's own `404.html` with status 404, or a bare page if the site has none (or has not built yet).
async fn not_found(app: &App, preview: &Preview, request_path: &str) -> Response {
    if let Some(response) = file(app, preview, "404.html", request_path).await {
        let mut response = response;
        *response.status_mut() = StatusCode::NOT_FOUND;
        return response;
    }
    // Before any build has succeeded every path lands here; the page says why rather than "not found".
    let body: &[u8] = if preview.built {
        b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
    } else {
        b"<!doctype html><html><head><title>Nothing built yet</title></head><body><h1>Nothing built yet</h1>\
<p>The site's first build failed; fix the errors and save.</p></body></html>"
    };
    respond(app, StatusCode::NOT_FOUND, "404.html", body.to_vec(), preview, request_path)
}

fn respond(app: &App, status: StatusCode, key: &str, bytes: Vec<u8>, preview: &Preview, path: &str) -> Response {
    let kind = content_type(key);
    let editor = app.editor.as_deref();
    let body = if kind.starts_with("text/html") { inject::inject(&bytes, preview, path, editor) } else { bytes };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    preview_headers(headers);
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    preview_headers(response.headers_mut());
    response
}

/// A preview is never cached: the next save must show, and stale copies must not outlive the server.
fn preview_headers(headers: &mut axum::http::HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

/// One `state` event now, then one per new preview. Ends when the server stops publishing (shutdown).
async fn events(State(app): State<App>) -> Response {
    let editor = app.editor.clone();
    let stream = WatchStream::new(app.preview.clone()).map(move |preview| {
        Ok::<_, Infallible>(Event::default().event("state").data(preview.event_json(editor.as_deref())))
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    preview_headers(response.headers_mut());
    response
}
