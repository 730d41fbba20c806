//! What `resize_image` decides while a template renders, and the encoding it defers: the call reads the image's
//! header and bytes, works out the output size and file name, and returns; the pixels are decoded and encoded
//! later ([`super::store`]), once per distinct output, in parallel, and only when no earlier build made that file.
//!
//! Sizes are Zola 0.21's, measured on its output (tests/fixtures/images/zola-0.21.json): aspect-preserving sizes
//! are rounded down; `fit` never enlarges, the other operations do; `fill` scales to cover the box, then crops
//! the middle.
//!
//! Each job has two names. Its [`Job::key`] is fanzine's: a hash of the source's bytes and the operation, so a
//! file kept under that name is the right one whatever build made it, and the same image under two paths is
//! encoded once. Its [`Job::output`], the name the site publishes, is the key for a fanzine site (a changed image
//! gets a new URL, so no browser or CDN can serve the old one under a long cache lifetime), and Zola's name for a
//! Zola site ([`zola_name`]), so that a Zola site's pages and files are the ones Zola 0.21 writes.
use std::hash::Hasher;
use std::path::PathBuf;

/// The widest or tallest image fanzine reads or makes: a larger one is a mistake, not a photograph.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels an image read or made may have (about a 10,000 × 6,500 photograph).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The largest source file read: decoding it is bounded by [`MAX_PIXELS`] anyway.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// Zola's JPEG quality when none is given.
pub const DEFAULT_QUALITY: u8 = 75;

/// Zola's resize operations, with the sizes they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

pub const OPS: &[&str] = &["scale", "fit_width", "fit_height", "fit", "fill"];

impl Op {
    /// The operation `name` with the sizes it needs; `Err` says which argument is missing.
    pub fn parse(name: &str, width: Option<u32>, height: Option<u32>) -> Result<Op, OpError> {
        let both = |op: fn(u32, u32) -> Op| match (width, height) {
            (Some(w), Some(h)) => Ok(op(w, h)),
            _ => Err(OpError::Needs(name.to_string(), "a `width` and a `height`")),
        };
        match name {
            "scale" => both(Op::Scale),
            "fit" => both(Op::Fit),
            "fill" => both(Op::Fill),
            "fit_width" => width.map(Op::FitWidth).ok_or(OpError::Needs(name.into(), "a `width`")),
            "fit_height" => height.map(Op::FitHeight).ok_or(OpError::Needs(name.into(), "a `height`")),
            _ => Err(OpError::Unknown(name.to_string())),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Op::Scale(..) => "scale",
            Op::FitWidth(_) => "fit_width",
            Op::FitHeight(_) => "fit_height",
            Op::Fit(..) => "fit",
            Op::Fill(..) => "fill",
        }
    }

    /// The size of the output for a source of `width` × `height`, as Zola computes it.
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        // Rounded down, as Zola does; never below one pixel.
        let scaled =
            |a: u32, num: u32, den: u32| ((u64::from(a) * u64::from(num) / u64::from(den.max(1))) as u32).max(1);
        match *self {
            Op::Scale(w, h) | Op::Fill(w, h) => (w, h),
            Op::FitWidth(w) => (w, scaled(height, w, width)),
            Op::FitHeight(h) => (scaled(width, h, height), h),
            Op::Fit(w, h) if width <= w && height <= h => (width, height),
            // Wider than the box in proportion: the width decides.
            Op::Fit(w, h) if u64::from(width) * u64::from(h) > u64::from(height) * u64::from(w) => {
                (w, scaled(height, w, width))
            }
            Op::Fit(_, h) => (scaled(width, h, height), h),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum OpError {
    Unknown(String),
    /// The operation and what it needs.
    Needs(String, &'static str),
}

/// What the output is encoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg {
        quality: u8,
    },
    Png,
    /// Always encoded lossless: the `image` crate encodes WebP only so (see the README). The quality asked for is
    /// kept for Zola's file name, which depends on it.
    WebP {
        quality: Option<u8>,
    },
}

pub const FORMATS: &[&str] = &["auto", "jpg", "jpeg", "png", "webp"];

impl Format {
    /// `format=` as Zola takes it; `auto` keeps PNG as PNG and makes JPEG of the rest, as Zola 0.21 does (a WebP
    /// source too). JPEG's quality is [`DEFAULT_QUALITY`] unless given. `None` for a name fanzine does not encode.
    pub fn parse(name: &str, source: image::ImageFormat, quality: Option<u8>) -> Option<Format> {
        let jpeg = Format::Jpeg { quality: quality.unwrap_or(DEFAULT_QUALITY) };
        match name {
            "auto" if source == image::ImageFormat::Png => Some(Format::Png),
            "auto" | "jpg" | "jpeg" => Some(jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP { quality }),
            _ => None,
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Jpeg { .. } => "jpg",
            Format::Png => "png",
            Format::WebP { .. } => "webp",
        }
    }
}

/// How a site names its processed images: see the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming<'a> {
    /// fanzine's name: the job's key.
    Fanzine,
    /// Zola 0.21's name, from the `path` argument as the template gave it.
    Zola { path: &'a str },
}

/// The file name Zola 0.21 gives the output of `op` and `format` on the image a template called `path`, whose
/// file name has the stem `stem`: `<stem>.<hash>.<ext>`.
///
/// Zola hashes the path as it resolves it (`@/` becomes `content/`, leading slashes are dropped), not the image's
/// bytes, so the name stays when the image changes. The hash is Rust's `DefaultHasher` over what Zola's derived and
/// hand-written `Hash` impls feed it: the path's bytes; the operation's variant index as 8 little-endian bytes, then
/// its sizes as 4 bytes each; the extension's bytes, then the quality and the AVIF speed as 2 bytes each, `0xffff`
/// when there is none (PNG has neither, JPEG always has a quality, WebP one only when asked for). Those bytes were
/// read from Zola 0.21's process and are fed here one by one, by our own code.
///
/// We rely on std's `DefaultHasher` because Zola does: it is SipHash-1-3 with the keys 0, 0, the same in every Rust
/// release since 1.13 (2016), though std does not promise it. Should a release change it, Zola's names change with the
/// compiler that builds it, and ours would leave Zola 0.21's: the names recorded from Zola 0.21
/// (tests/fixtures/images/zola-0.21.json) are checked by the tests, which would then fail.
pub fn zola_name(path: &str, stem: &str, op: Op, format: Format) -> String {
    let unified = match path.strip_prefix("@/") {
        Some(rest) => format!("content/{rest}"),
        None => path.trim_start_matches('/').to_string(),
    };
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(unified.as_bytes());
    let (index, sizes): (u64, &[u32]) = match &op {
        Op::Scale(w, h) => (0, &[*w, *h]),
        Op::FitWidth(w) => (1, std::slice::from_ref(w)),
        Op::FitHeight(h) => (2, std::slice::from_ref(h)),
        Op::Fit(w, h) => (3, &[*w, *h]),
        Op::Fill(w, h) => (4, &[*w, *h]),
    };
    hasher.write(&index.to_le_bytes());
    for size in sizes {
        hasher.write(&size.to_le_bytes());
    }
    let quality = match format {
        Format::Jpeg { quality } => u16::from(quality),
        Format::WebP { quality: Some(quality) } => u16::from(quality),
        Format::Png | Format::WebP { quality: None } => u16::MAX,
    };
    hasher.write(format.extension().as_bytes());
    hasher.write(&quality.to_le_bytes());
    hasher.write(&u16::MAX.to_le_bytes());
    format!("{stem}.{:016x}.{}", hasher.finish(), format.extension())
}

/// One image to make: recorded by `resize_image` while rendering, encoded after.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Job {
    /// The source file, found as `get_image_metadata` finds it.
    pub source: PathBuf,
    /// The source as the site names it (`static/img/a.png`), for errors.
    pub shown: String,
    pub op: Op,
    pub format: Format,
    /// The size the output will have.
    pub width: u32,
    pub height: u32,
    /// `processed_images/<stem>.<hash>.<ext>`: the output path, named as [`Naming`] says.
    pub output: String,
    /// The store's name for the file: a hash of the source's bytes and the operation (see the module doc).
    pub key: String,
}

impl Job {
    /// The job for `op` on a source of these bytes and size, its output named as `naming` says.
    pub fn new(
        source: PathBuf,
        shown: String,
        bytes: &[u8],
        size: (u32, u32),
        op: Op,
        format: Format,
        naming: Naming,
    ) -> Job {
        let (width, height) = op.output_size(size.0, size.1);
        let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let safe_stem: String =
            stem.chars().map(|c| if c.is_ascii_alphanumeric() || "-_".contains(c) { c } else { '_' }).collect();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes());
        hasher.update(format!("{op:?} {format:?} {width}x{height}").as_bytes());
        let key = format!("{safe_stem}.{:016x}.{}", hasher.digest(), format.extension());
        let output = match naming {
            Naming::Fanzine => format!("processed_images/{key}"),
            // Zola says `unknown` for a file name without a stem; `find` never gives one.
            Naming::Zola { path } => {
                let stem = if stem.is_empty() { "unknown" } else { &stem };
                format!("processed_images/{}", zola_name(path, stem, op, format))
            }
        };
        Job { source, shown, op, format, width, height, output, key }
    }

    /// Decodes the source and encodes the output. Errors are sentences about the source.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        let unreadable = |e: &dyn std::fmt::Display| format!("cannot decode the image {}: {e}", self.shown);
        let mut reader = image::ImageReader::open(&self.source).map_err(|e| unreadable(&e))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(MAX_PIXELS * 8);
        reader.limits(limits);
        let reader = reader.with_guessed_format().map_err(|e| unreadable(&e))?;
        let source = reader.decode().map_err(|e| unreadable(&e))?;
        let filter = image::imageops::FilterType::Lanczos3;
        let resized = match self.op {
            Op::Fill(..) => source.resize_to_fill(self.width, self.height, filter),
            _ if (source.width(), source.height()) == (self.width, self.height) => source,
            _ => source.resize_exact(self.width, self.height, filter),
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        let written = match self.format {
            Format::Jpeg { quality } => {
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
                image::DynamicImage::ImageRgb8(resized.to_rgb8()).write_with_encoder(encoder)
            }
            Format::Png => resized.write_to(&mut bytes, image::ImageFormat::Png),
            Format::WebP { .. } => {
                let encoder = image::codecs::webp::WebPEncoder::new_lossless(&mut bytes);
                image::DynamicImage::ImageRgba8(resized.to_rgba8()).write_with_encoder(encoder)
            }
        };
        written.map_err(|e| format!("cannot encode {} as {}: {e}", self.output, self.format.extension()))?;
        Ok(bytes.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_down_and_only_fit_refuses_to_enlarge() {
        let (w, h) = (252, 320);
        assert_eq!(Op::FitWidth(100).output_size(w, h), (100, 126));
        assert_eq!(Op::FitHeight(150).output_size(w, h), (118, 150));
        assert_eq!(Op::Fit(150, 150).output_size(w, h), (118, 150));
        assert_eq!(Op::Fit(5000, 5000).output_size(w, h), (252, 320));
        assert_eq!(Op::Fit(101, 77).output_size(w, h), (60, 77));
        assert_eq!(Op::Fit(100, 1000).output_size(w, h), (100, 126));
        assert_eq!(Op::FitWidth(500).output_size(w, h), (500, 634));
        assert_eq!(Op::Fill(1000, 50).output_size(w, h), (1000, 50));
        assert_eq!(Op::FitWidth(1).output_size(10_000, 1), (1, 1), "never zero pixels");
    }

    /// Every name Zola 0.21 gave in tests/fixtures/images/zola-0.21.json: they depend on the call only, so no image
    /// is needed here (only its format, told by the extension, for `auto`).
    #[test]
    fn zola_names_are_zola_0_21s() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images/zola-0.21.json"));
        let recorded: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
        let cases = recorded["cases"].as_array().unwrap();
        assert!(cases.len() > 40);
        for case in cases {
            let path = case["path"].as_str().unwrap();
            let size = |key: &str| case[key].as_u64().map(|n| n as u32);
            let op = Op::parse(case["op"].as_str().unwrap_or("fill"), size("width"), size("height")).unwrap();
            let source = match path.rsplit('.').next().unwrap() {
                "png" => image::ImageFormat::Png,
                "jpg" => image::ImageFormat::Jpeg,
                _ => image::ImageFormat::WebP,
            };
            let quality = case["quality"].as_u64().map(|q| q as u8);
            let format = Format::parse(case["format"].as_str().unwrap_or("auto"), source, quality).unwrap();
            let stem = std::path::Path::new(path).file_stem().unwrap().to_str().unwrap();
            let url = case["zola"]["url"].as_str().unwrap();
            assert_eq!(zola_name(path, stem, op, format), url.rsplit('/').next().unwrap(), "{case}");
        }
    }

    #[test]
    fn a_zola_sites_name_follows_the_path_and_the_key_follows_the_bytes() {
        let job = |bytes: &[u8], naming| {
            Job::new("static/img/a.png".into(), "a".into(), bytes, (10, 10), Op::Fit(5, 5), Format::Png, naming)
        };
        let zola = |path| Naming::Zola { path };
        assert_eq!(job(b"1", zola("img/a.png")).output, job(b"2", zola("img/a.png")).output);
        assert_ne!(job(b"1", zola("img/a.png")).key, job(b"2", zola("img/a.png")).key);
        assert_ne!(job(b"1", zola("img/a.png")).output, job(b"1", zola("static/img/a.png")).output);
        assert_eq!(job(b"1", zola("img/a.png")).key, job(b"1", zola("static/img/a.png")).key, "encoded once");
        let fanzine = job(b"1", Naming::Fanzine);
        assert_eq!(fanzine.output, format!("processed_images/{}", fanzine.key));
        assert_ne!(fanzine.output, job(b"2", Naming::Fanzine).output, "a changed image gets a new URL");
    }

    #[test]
    fn each_operation_names_what_it_needs() {
        assert_eq!(Op::parse("fit_width", Some(3), None), Ok(Op::FitWidth(3)));
        assert_eq!(Op::parse("fill", Some(3), None), Err(OpError::Needs("fill".into(), "a `width` and a `height`")));
        assert_eq!(Op::parse("fit_height", Some(3), None), Err(OpError::Needs("fit_height".into(), "a `height`")));
        assert_eq!(Op::parse("crop", Some(3), Some(3)), Err(OpError::Unknown("crop".into())));
    }
}
