//! What `resize_image` decides while a template renders, and the encoding it defers: the call reads the image's
//! header and bytes, works out the output size and file name, and returns; the pixels are decoded and encoded
//! later ([`super::store`]), once per distinct output, in parallel, and only when no earlier build made that file.
//!
//! Sizes are Zola 0.21's, measured on its output (tests/fixtures/images/zola-0.21.json): aspect-preserving sizes
//! are rounded down; `fit` never enlarges, the other operations do; `fill` scales to cover the box, then crops
//! the middle. The file name is `<stem>.<hash>.<ext>`, as Zola's, but the hash is fanzine's own: of the source's
//! bytes and the operation (not of the path), so the same image under two paths is encoded once.
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
    /// Always lossless: the `image` crate encodes WebP only so (see the README).
    WebP,
}

pub const FORMATS: &[&str] = &["auto", "jpg", "jpeg", "png", "webp"];

impl Format {
    /// `format=` as Zola takes it; `auto` keeps PNG as PNG and makes JPEG of the rest, as Zola 0.21 does (a WebP
    /// source too). `None` for a name fanzine does not encode.
    pub fn parse(name: &str, source: image::ImageFormat, quality: u8) -> Option<Format> {
        match name {
            "auto" if source == image::ImageFormat::Png => Some(Format::Png),
            "auto" | "jpg" | "jpeg" => Some(Format::Jpeg { quality }),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Jpeg { .. } => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
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
    /// `processed_images/<stem>.<hash>.<ext>`: the output path, and the cache's name for the file.
    pub output: String,
}

impl Job {
    /// The job for `op` on a source of these bytes and size: its output name is a hash of both.
    pub fn new(source: PathBuf, shown: String, bytes: &[u8], size: (u32, u32), op: Op, format: Format) -> Job {
        let (width, height) = op.output_size(size.0, size.1);
        let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let stem: String =
            stem.chars().map(|c| if c.is_ascii_alphanumeric() || "-_".contains(c) { c } else { '_' }).collect();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes());
        hasher.update(format!("{op:?} {format:?} {width}x{height}").as_bytes());
        let output = format!("processed_images/{stem}.{:016x}.{}", hasher.digest(), format.extension());
        Job { source, shown, op, format, width, height, output }
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
            Format::WebP => {
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

    #[test]
    fn each_operation_names_what_it_needs() {
        assert_eq!(Op::parse("fit_width", Some(3), None), Ok(Op::FitWidth(3)));
        assert_eq!(Op::parse("fill", Some(3), None), Err(OpError::Needs("fill".into(), "a `width` and a `height`")));
        assert_eq!(Op::parse("fit_height", Some(3), None), Err(OpError::Needs("fit_height".into(), "a `height`")));
        assert_eq!(Op::parse("crop", Some(3), Some(3)), Err(OpError::Unknown("crop".into())));
    }
}
