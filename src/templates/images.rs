//! Registers Zola's image functions ([`crate::images`]) with the site's root, for the templates to call.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tera::{Function, Result, Tera, Value};

pub fn register(tera: &mut Tera, root: &Path) {
    tera.register_function("get_image_metadata", ImageMetadata(root.to_path_buf()));
}

/// `get_image_metadata(path="img/a.png", allow_missing=false)`: `{width, height, format, mime}`, or `null` for a
/// missing image when `allow_missing` is true (else a missing image is an error, as in Zola).
struct ImageMetadata(PathBuf);

impl Function for ImageMetadata {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        // It reads an image file, so a file calling it is not reusable on its variables alone.
        crate::templates::reads::note();
        let Some(path) = args.get("path").and_then(Value::as_str) else {
            return Err("get_image_metadata() needs a `path` argument, a string".into());
        };
        let allow_missing = args.get("allow_missing").and_then(Value::as_bool).unwrap_or(false);
        match crate::images::metadata(&self.0, path)? {
            Some(found) => Ok(serde_json::to_value(found).map_err(|e| e.to_string())?),
            None if allow_missing => Ok(Value::Null),
            None => Err(format!(
                "get_image_metadata(): no image {path:?} in static/, content/ or the site's folder (allow_missing=true gives null)"
            )
            .into()),
        }
    }

    fn is_safe(&self) -> bool {
        false
    }
}
