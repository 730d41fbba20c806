//! `resize_image(path, width, height, op="fill", format="auto", quality=75)`: Zola's object `{url, static_path,
//! width, height, orig_width, orig_height}` for a resized copy of an image of the site.
//!
//! The call only reads the image's header and bytes (for the size and the output's name) and records a job
//! ([`crate::images::jobs`]); the pixels are encoded after rendering ([`crate::images::store`]). It reads a file,
//! so the file that calls it is rendered again on each build rather than reused: the image may have changed.
use super::{State, fail, string_arg};
use crate::images::jobs::Publish;
use crate::images::resize::{self, Format, Job, Naming, Op, OpError};
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let state = state.clone();
    tera.register_function("resize_image", move |args: &HashMap<String, Value>| resize_image(&state, args));
}

fn resize_image(state: &State, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(path) = string_arg(args, "resize_image", "path")? else {
        return Err(fail(
            "resize_image() needs a `path` argument",
            "resize_image(path=\"img/photo.jpg\", width=300, height=200, op=\"fill\")",
        ));
    };
    let width = size_arg(args, "width")?;
    let height = size_arg(args, "height")?;
    let op_name = string_arg(args, "resize_image", "op")?.unwrap_or("fill");
    let op = Op::parse(op_name, width, height).map_err(|e| match e {
        OpError::Unknown(op) => fail(
            format!("resize_image() received op=\"{op}\", which is not an operation it knows"),
            format!("op is one of {}", quoted(resize::OPS)),
        ),
        OpError::Needs(op, needs) => fail(
            format!("resize_image(op=\"{op}\") needs {needs}"),
            "op=\"fit_width\" needs only width, op=\"fit_height\" only height; scale, fit and fill need both",
        ),
    })?;
    let format_name = string_arg(args, "resize_image", "format")?.unwrap_or("auto");
    // Zola takes 0 for WebP only.
    let lowest = if format_name == "webp" { 0 } else { 1 };
    let quality = match args.get("quality") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(q) if (lowest..=100).contains(&q) => Some(q as u8),
            _ => {
                return Err(fail(
                    format!("resize_image() received quality={v}, which is not a whole number from {lowest} to 100"),
                    "quality=75 is Zola's default for JPEG",
                ));
            }
        },
    };
    crate::templates::reads::note();
    state.read_files.store(true, std::sync::atomic::Ordering::Relaxed);
    let (found, shown) = find(state, path)?;
    let bytes = read(&found, &shown)?;
    let (source_format, size) = header(&bytes, &shown)?;
    let Some(format) = Format::parse(format_name, source_format, quality) else {
        return Err(fail(
            format!("resize_image() received format=\"{format_name}\", which is not a format it encodes"),
            format!("format is one of {} (fanzine does not encode AVIF)", quoted(resize::FORMATS)),
        ));
    };
    let publish = crate::images::jobs::publish().unwrap_or_else(|| Publish::of(&state.bound().config));
    let naming = if publish.zola { Naming::Zola { path } } else { Naming::Fanzine };
    let job = Job::new(found, shown, &bytes, size, op, format, naming);
    if job.width == 0 || job.height == 0 || !within_bounds(job.width, job.height) {
        return Err(fail(
            format!("resize_image() would make an image of {} × {} pixels", job.width, job.height),
            format!(
                "give a width and height from 1 to {} pixels, {} pixels at most",
                resize::MAX_SIDE,
                resize::MAX_PIXELS
            ),
        ));
    }
    let value = serde_json::json!({
        "url": format!("{}/{}", publish.base, job.output),
        "static_path": format!("static/{}", job.output),
        "width": job.width,
        "height": job.height,
        "orig_width": size.0,
        "orig_height": size.1,
    });
    crate::images::jobs::record(job);
    Ok(value)
}

/// `width=` or `height=`: a whole number of pixels, if given.
fn size_arg(args: &HashMap<String, Value>, key: &str) -> tera::Result<Option<u32>> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Ok(Some(n)),
            None => Err(fail(
                format!("resize_image() received {key}={v}, which is not a whole number of pixels"),
                format!("write {key}=300, without quotes"),
            )),
        },
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

fn within_bounds(width: u32, height: u32) -> bool {
    width <= resize::MAX_SIDE
        && height <= resize::MAX_SIDE
        && u64::from(width) * u64::from(height) <= resize::MAX_PIXELS
}

/// The image `path` names, as `get_image_metadata` finds it, and its path as the site names it.
fn find(state: &State, path: &str) -> tera::Result<(std::path::PathBuf, String)> {
    match crate::images::find(&state.root, path) {
        Ok(Some(found)) => {
            let shown = found.strip_prefix(&state.root).map_or_else(|_| path.to_string(), crate::content::slashed);
            Ok((found, shown))
        }
        Ok(None) => Err(fail(
            format!(
                "resize_image() found no image for path=\"{path}\" (looked in static/, content/ and the site's folder)"
            ),
            "paths are relative to static/, content/ or the site's folder; `@/` starts in content/",
        )),
        Err(refused) => Err(fail(refused, "name an image inside the site's folder, without `..`")),
    }
}

fn read(found: &std::path::Path, shown: &str) -> tera::Result<Vec<u8>> {
    let too_big = std::fs::metadata(found).is_ok_and(|m| m.len() > resize::MAX_SOURCE_BYTES);
    if too_big {
        return Err(fail(
            format!("resize_image() refuses {shown}, larger than {} MB", resize::MAX_SOURCE_BYTES >> 20),
            "export a smaller copy of the image and resize that",
        ));
    }
    std::fs::read(found)
        .map_err(|e| fail(format!("resize_image() cannot read {shown} ({e})"), "check the file's permissions"))
}

/// The format and size the image's header gives, bounded so that decoding it later is.
fn header(bytes: &[u8], shown: &str) -> tera::Result<(image::ImageFormat, (u32, u32))> {
    let unreadable = |e: &dyn std::fmt::Display| {
        fail(
            format!("resize_image() cannot read the image {shown} ({e})"),
            "the file may be damaged or not an image: open it in an image viewer, or save it again as PNG or JPEG",
        )
    };
    let reader =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| unreadable(&e))?;
    let format = match reader.format() {
        Some(f @ (image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP)) => f,
        _ => return Err(unreadable(&"not a PNG, JPEG or WebP image")),
    };
    let size = reader.into_dimensions().map_err(|e| unreadable(&e))?;
    if !within_bounds(size.0, size.1) {
        return Err(fail(
            format!("resize_image() refuses {shown}, an image of {} × {} pixels", size.0, size.1),
            format!(
                "fanzine reads images up to {} pixels a side and {} pixels in all",
                resize::MAX_SIDE,
                resize::MAX_PIXELS
            ),
        ));
    }
    Ok((format, size))
}
