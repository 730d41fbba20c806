//! From a request path to a file of the built site, or a refusal.
//!
//! The preview serves only keys of the in-memory [`Output`] map, so there is no file system path to escape from;
//! still, a request that *tries* (`..`, `%2e%2e`, an encoded slash or backslash, a NUL, an empty segment as in
//! `//etc/passwd`) is refused outright rather than looked up, so no later change to the lookup can turn it into a
//! hole. Pure functions, unit-tested here; the HTTP layer only maps the answer to a response.
use crate::render::Output;

/// What a request path points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A key of [`Output::files`].
    File(String),
    /// The path names a folder but lacks its trailing slash: send the browser to this relative location.
    Redirect(String),
    NotFound,
    /// The path is malformed or tries to leave the site.
    Refused,
}

/// Resolves the raw (still percent-encoded) path of a request against the output.
pub fn resolve(raw_path: &str, output: &Output) -> Resolved {
    let Some(segments) = segments(raw_path) else { return Resolved::Refused };
    let folder = raw_path.ends_with('/');
    let joined = segments.join("/");
    if folder || joined.is_empty() {
        let key = if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") };
        return if output.files.contains_key(&key) { Resolved::File(key) } else { Resolved::NotFound };
    }
    if output.files.contains_key(&joined) {
        return Resolved::File(joined);
    }
    if output.files.contains_key(&format!("{joined}/index.html")) {
        // Relative, so that it also works behind a proxy that mounts the preview under a path.
        let last = raw_path.rsplit('/').next().unwrap_or_default();
        return Resolved::Redirect(format!("{last}/"));
    }
    Resolved::NotFound
}

/// Where a request lands on a site served under `mount` (its `base_url`'s path, `/blog`; empty at the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mounted<'a> {
    /// The path from the site's root, to [`resolve`].
    Inside(&'a str),
    /// `/` or the mount without its slash: send the browser to this relative location, the site's root.
    Redirect(String),
    /// Anything else is outside the site, as it is in production.
    Outside,
}

pub fn unmount<'a>(raw_path: &'a str, mount: &str) -> Mounted<'a> {
    if mount.is_empty() {
        return Mounted::Inside(raw_path);
    }
    if raw_path == "/" {
        return Mounted::Redirect(format!("{}/", mount.trim_start_matches('/')));
    }
    if raw_path == mount {
        return Mounted::Redirect(format!("{}/", mount.rsplit('/').next().unwrap_or_default()));
    }
    match raw_path.strip_prefix(mount) {
        Some(rest) if rest.starts_with('/') => Mounted::Inside(rest),
        _ => Mounted::Outside,
    }
}

/// The decoded segments of a path, or `None` if any of them is suspicious.
fn segments(raw_path: &str) -> Option<Vec<String>> {
    let rest = raw_path.strip_prefix('/')?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    rest.split('/').map(segment).collect()
}

fn segment(raw: &str) -> Option<String> {
    let decoded = crate::output_path::percent_decode(raw)?;
    let bad = decoded.is_empty()
        || decoded == "."
        || decoded == ".."
        || decoded.contains(['/', '\\', '\0'])
        || decoded.contains(':');
    if bad { None } else { Some(decoded) }
}

/// The `Content-Type` of an output file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Entry;

    fn output() -> Output {
        let mut output = Output::default();
        for key in ["index.html", "posts/a/index.html", "style.css", "posts/a/map.png", "a b.txt"] {
            output.files.insert(key.to_string(), Entry::Bytes(Default::default()));
        }
        output
    }

    #[test]
    fn folders_files_and_redirects() {
        let out = output();
        assert_eq!(resolve("/", &out), Resolved::File("index.html".into()));
        assert_eq!(resolve("/posts/a/", &out), Resolved::File("posts/a/index.html".into()));
        assert_eq!(resolve("/posts/a", &out), Resolved::Redirect("a/".into()));
        assert_eq!(resolve("/posts/a/index.html", &out), Resolved::File("posts/a/index.html".into()));
        assert_eq!(resolve("/style.css", &out), Resolved::File("style.css".into()));
        assert_eq!(resolve("/a%20b.txt", &out), Resolved::File("a b.txt".into()));
        assert_eq!(resolve("/posts/", &out), Resolved::NotFound);
        assert_eq!(resolve("/nope", &out), Resolved::NotFound);
    }

    #[test]
    fn a_site_under_a_path_is_served_there_only() {
        assert_eq!(unmount("/a/b", ""), Mounted::Inside("/a/b"));
        assert_eq!(unmount("/blog/", "/blog"), Mounted::Inside("/"));
        assert_eq!(unmount("/blog/post/x.png", "/blog"), Mounted::Inside("/post/x.png"));
        assert_eq!(unmount("/", "/blog"), Mounted::Redirect("blog/".into()));
        assert_eq!(unmount("/blog", "/blog"), Mounted::Redirect("blog/".into()));
        assert_eq!(unmount("/", "/a/b"), Mounted::Redirect("a/b/".into()));
        assert_eq!(unmount("/a/b", "/a/b"), Mounted::Redirect("b/".into()));
        for outside in ["/blogger/", "/post/", "/style.css", "/a/"] {
            assert_eq!(unmount(outside, "/blog"), Mounted::Outside, "{outside}");
        }
    }

    #[test]
    fn escapes_are_refused() {
        let out = output();
        for path in [
            "/../etc/passwd",
            "/posts/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/posts%2f..%2f..%2fetc%2fpasswd",
            "/posts%2Fa%2Findex.html",
            "/..%5c..%5cetc%5cpasswd",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/posts/./a/",
            "/C:/Windows/win.ini",
            "/style.css%00.html",
            "/%zz",
            "/%ff",
            "etc/passwd",
        ] {
            assert_eq!(resolve(path, &out), Resolved::Refused, "{path}");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x/MAP.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
