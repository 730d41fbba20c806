//! Filters for templates. Tera's built-in set is switched off (it drags in time-zone tables and a RNG), so the few
//! a blog needs are written here.
use std::collections::HashMap;
use tera::{Result, Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("urlencode", urlencode);
    tera.register_filter("script_json", script_json);
}

/// `{{ value | script_json | safe }}`: the value as JSON that can sit inside a `<script>` element (JSON-LD): `<`,
/// `>` and `&` are written as `\u003c`, `\u003e` and `\u0026`, so no text of the author's can close the element.
fn script_json(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let json = serde_json::to_string(value).map_err(|e| tera::Error::msg(e.to_string()))?;
    Ok(Value::String(json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")))
}

/// `{{ page.date | date(format="%B %-d, %Y") }}` on a `YYYY-MM-DD…` string: %Y %m %d %-d %e %B %b, and for RSS
/// dates (`%a, %d %b %Y %H:%M:%S %z`, as Zola's rss.xml writes them) %a %H %M %S %z.
fn date(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().ok_or("the date filter needs a date string such as page.date")?;
    let format = args.get("format").and_then(Value::as_str).unwrap_or("%Y-%m-%d");
    let d = crate::content::front_matter::PostDate::parse(text).map_err(tera::Error::msg)?.at;
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&d.year().to_string()),
            Some('m') => out.push_str(&format!("{:02}", u8::from(d.month()))),
            Some('d') => out.push_str(&format!("{:02}", d.day())),
            Some('e') => out.push_str(&format!("{:>2}", d.day())),
            Some('B') => out.push_str(&d.month().to_string()),
            Some('b') => out.push_str(&d.month().to_string()[..3]),
            Some('-') if chars.clone().next() == Some('d') => {
                chars.next();
                out.push_str(&d.day().to_string());
            }
            Some('a') => out.push_str(&d.weekday().to_string()[..3]),
            Some('H') => out.push_str(&format!("{:02}", d.hour())),
            Some('M') => out.push_str(&format!("{:02}", d.minute())),
            Some('S') => out.push_str(&format!("{:02}", d.second())),
            Some('z') => {
                let minutes = d.offset().whole_minutes();
                let sign = if minutes < 0 { '-' } else { '+' };
                out.push_str(&format!("{sign}{:02}{:02}", minutes.abs() / 60, minutes.abs() % 60));
            }
            Some('%') => out.push('%'),
            other => return Err(format!("unsupported date format %{}", other.unwrap_or(' ')).into()),
        }
    }
    Ok(Value::String(out))
}

/// Percent-encodes everything but unreserved characters, for query strings and share links.
fn urlencode(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().ok_or("urlencode needs a string")?;
    Ok(Value::String(percent_encode(text)))
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
    fn date_formats() {
        let mut args = HashMap::new();
        args.insert("format".to_string(), Value::from("%B %-d, %Y (%b %d)"));
        let v = date(&Value::from("2017-05-06"), &args).unwrap();
        assert_eq!(v, Value::from("May 6, 2017 (May 06)"));
        args.insert("format".to_string(), Value::from("%a, %d %b %Y %H:%M:%S %z"));
        let v = date(&Value::from("2017-05-06T09:05:03+02:30"), &args).unwrap();
        assert_eq!(v, Value::from("Sat, 06 May 2017 09:05:03 +0230"));
    }

    #[test]
    fn urlencode_escapes() {
        assert_eq!(urlencode(&Value::from("a b&c"), &HashMap::new()).unwrap(), Value::from("a%20b%26c"));
    }
}
