//! Filters for templates. Tera's built-in set is switched off (it drags in a RNG, and its `now`, `get_random` and
//! `slugify` would not be fanzine's), so the ones Zola's templates use are registered here: `date` (in
//! [`super::date`], with the crates Tera's uses), `urlencode`, `urlencode_strict` and `filesizeformat`.
use std::collections::HashMap;
use tera::{Result, Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("date", super::date::date);
    tera.register_filter("urlencode", urlencode);
    tera.register_filter("urlencode_strict", urlencode_strict);
    tera.register_filter("filesizeformat", filesizeformat);
    tera.register_filter("script_json", script_json);
}

/// `{{ value | script_json | safe }}`: the value as JSON that can sit inside a `<script>` element (JSON-LD): `<`,
/// `>` and `&` are written as `\u003c`, `\u003e` and `\u0026`, so no text of the author's can close the element.
fn script_json(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let json = serde_json::to_string(value).map_err(|e| tera::Error::msg(e.to_string()))?;
    Ok(Value::String(json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")))
}

/// Percent-encodes everything but unreserved characters, for query strings and share links.
fn urlencode(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().ok_or("urlencode needs a string")?;
    Ok(Value::String(percent_encode(text)))
}

/// Percent-encodes every byte but ASCII letters and digits, as Tera's `urlencode_strict`.
fn urlencode_strict(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().ok_or("urlencode_strict needs a string")?;
    Ok(Value::String(text.bytes().fold(String::with_capacity(text.len()), |mut out, b| {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        out
    })))
}

/// `{{ 1536 | filesizeformat }}` is `1.50 kB`: a byte count in steps of 1,024, named B, kB, MB, GB, TB, PB, with
/// two decimals unless the count is a whole number of its unit, as Tera's filter (Zola's) writes it.
fn filesizeformat(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let bytes =
        value.as_u64().ok_or_else(|| format!("filesizeformat needs a whole, positive number of bytes, not {value}"))?;
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    let shown =
        if size.fract() == 0.0 { format!("{size} {}", UNITS[unit]) } else { format!("{size:.2} {}", UNITS[unit]) };
    Ok(Value::String(shown))
}

/// Percent-encodes every byte but the URL-safe ASCII letters, digits, `-._~` and the path separator `/`: the
/// `urlencode` filter, and the preview's links that open a file in the author's editor.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencode_escapes() {
        assert_eq!(urlencode(&Value::from("a b&c"), &HashMap::new()).unwrap(), Value::from("a%20b%26c"));
        let strict = urlencode_strict(&Value::from("a-b_c/d"), &HashMap::new()).unwrap();
        assert_eq!(strict, Value::from("a%2Db%5Fc%2Fd"));
    }

    #[test]
    fn file_sizes_as_tera_writes_them() {
        let shown = |n: u64| filesizeformat(&Value::from(n), &HashMap::new()).unwrap();
        assert_eq!(shown(1023), Value::from("1023 B"));
        assert_eq!(shown(1024), Value::from("1 kB"));
        assert_eq!(shown(1536), Value::from("1.50 kB"));
        assert_eq!(shown(123_456_789_012), Value::from("114.98 GB"));
        assert!(filesizeformat(&Value::from(5.5), &HashMap::new()).is_err());
    }
}
