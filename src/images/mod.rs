//! Zola's image functions for templates, starting with `get_image_metadata(path)`: the width, height, format and
//! MIME type of an image of the site, read from its header (the pixels are not decoded), so that a Zola theme that
//! sizes its `<img>` tags builds unchanged; and what `resize_image` needs: the sizes and names of its outputs
//! ([`resize`]), the jobs renders record ([`jobs`]) and the store that encodes and keeps them ([`store`]).
//!
//! An image is looked for as Zola looks for it: `@/x.png` under `content/`, else the path under `static/`, then
//! under `content/`, then from the site's root; a leading `/` is ignored. A path with `..` is refused: templates
//! read only the site's own files.
pub mod jobs;
pub mod resize;
pub mod store;

use std::path::{Component, Path, PathBuf};

/// What `get_image_metadata` returns, with Zola's field names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Metadata {
    pub width: u32,
    pub height: u32,
    /// `png`, `jpg`, `webp`, … as Zola names them.
    pub format: &'static str,
    pub mime: &'static str,
}

/// The file `path` names, if there is one (see the module doc for where it is looked for).
pub fn find(root: &Path, path: &str) -> Result<Option<PathBuf>, String> {
    let (dirs, relative): (&[&str], &str) = match path.strip_prefix("@/") {
        Some(rest) => (&["content"], rest),
        None => (&["static", "content", ""], path.trim_start_matches('/')),
    };
    let relative = Path::new(relative);
    if relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(format!("the image path {path:?} leaves the site; give a path inside it"));
    }
    Ok(dirs.iter().map(|dir| root.join(dir).join(relative)).find(|candidate| candidate.is_file()))
}

/// The metadata of the image at `path`; `Ok(None)` if there is no such file.
pub fn metadata(root: &Path, path: &str) -> Result<Option<Metadata>, String> {
    let Some(file) = find(root, path)? else { return Ok(None) };
    let unreadable = |e: &dyn std::fmt::Display| format!("cannot read the image {path:?}: {e}");
    let reader = image::ImageReader::open(&file).map_err(|e| unreadable(&e))?;
    let reader = reader.with_guessed_format().map_err(|e| unreadable(&e))?;
    let Some(format) = reader.format() else {
        return Err(format!("{path:?} is not an image fanzine reads (PNG, JPEG or WebP)"));
    };
    let (format, mime) = match format {
        image::ImageFormat::Png => ("png", "image/png"),
        image::ImageFormat::Jpeg => ("jpg", "image/jpeg"),
        image::ImageFormat::WebP => ("webp", "image/webp"),
        _ => return Err(format!("{path:?} is not an image fanzine reads (PNG, JPEG or WebP)")),
    };
    let (width, height) = reader.into_dimensions().map_err(|e| unreadable(&e))?;
    Ok(Some(Metadata { width, height, format, mime }))
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A tiny PNG of `width` × `height` red pixels, made here rather than committed.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([255, 0, 0]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([0, 0, 255]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn images_are_found_where_zola_looks_and_measured_from_their_header() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, bytes) in [
            ("static/img/a.png", png(30, 20)),
            ("content/blog/b.jpg", jpeg(8, 6)),
            ("c.png", png(5, 5)),
            ("static/not-an-image.png", b"hello".to_vec()),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), bytes).unwrap();
        }
        let a = Metadata { width: 30, height: 20, format: "png", mime: "image/png" };
        for path in ["img/a.png", "/img/a.png", "static/img/a.png"] {
            assert_eq!(metadata(root, path), Ok(Some(a.clone())), "{path}");
        }
        let b = Metadata { width: 8, height: 6, format: "jpg", mime: "image/jpeg" };
        assert_eq!(metadata(root, "blog/b.jpg"), Ok(Some(b.clone())));
        assert_eq!(metadata(root, "@/blog/b.jpg"), Ok(Some(b)));
        assert_eq!(metadata(root, "c.png").unwrap().unwrap().width, 5);
        assert_eq!(metadata(root, "nope.png"), Ok(None));
        assert!(metadata(root, "../etc/passwd").unwrap_err().contains("leaves the site"));
        assert!(metadata(root, "not-an-image.png").unwrap_err().contains("cannot read the image \"not-an-image.png\""));
    }
}
