//! `load_data(path=… | literal=…, format=…, required=…)`: a local data file (JSON, TOML, YAML, CSV or plain text)
//! as a template value.
//!
//! `url=` is refused: a fanzine build never reaches the network, so the same sources always give the same site,
//! offline too, and the preview never waits on a server. Zola's `bibtex` and `xml` formats are refused with a hint
//! (no small, well-kept crate reads BibTeX; XML has no one mapping onto template values). Parsed files are kept by
//! their bytes' hash, so a data file read by ten thousand pages is parsed once, and an edit is never missed.
use super::{State, bool_arg, fail, files, string_arg};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tera::{Tera, Value};

/// Zola's names for the formats, as `format=` takes them.
const FORMATS: &[&str] = &["toml", "json", "csv", "bibtex", "yaml", "xml", "plain"];

/// Parsed data by (format, hash of the bytes). Cleared when it grows past [`Cache::MAX`] entries.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<(&'static str, u64), Value>>);

impl Cache {
    const MAX: usize = 256;
}

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let state = state.clone();
    tera.register_function("load_data", move |args: &HashMap<String, Value>| load_data(&state, args));
}

fn load_data(state: &State, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let format = string_arg(args, "load_data", "format")?;
    if let Some(url) = string_arg(args, "load_data", "url")? {
        return Err(fail(
            format!(
                "load_data(url=\"{url}\") is not supported, since fanzine never reaches the network while it builds"
            ),
            "download the file into the site (data/, say) and load it with load_data(path=…): the build then gives the same site every time, offline too",
        ));
    }
    let required = bool_arg(args, "load_data", "required", true)?;
    if let Some(literal) = string_arg(args, "load_data", "literal")? {
        return parse(literal, checked(format)?.unwrap_or("plain"), "the literal");
    }
    let Some(path) = string_arg(args, "load_data", "path")? else {
        return Err(fail("load_data() needs a `path` (or `literal`) argument", "load_data(path=\"data/file.json\")"));
    };
    let format = checked(format)?.unwrap_or_else(|| by_extension(path));
    crate::templates::reads::note();
    state.read_files.store(true, std::sync::atomic::Ordering::Relaxed);
    let follow = state.bound().config.follow_external_links;
    let (found, bytes) = match files::read(&state.root, path, follow, "load_data") {
        Ok(read) => read,
        Err(files::Problem::Missing(_)) if !required => return Ok(Value::Null),
        Err(problem) => return Err(problem.into_error()),
    };
    let shown = crate::content::slashed(&found);
    let key = (format, xxhash_rust::xxh3::xxh3_64(&bytes));
    let mut cache = state.cache.0.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(value) = cache.get(&key) {
        return Ok(value.clone());
    }
    drop(cache);
    let text = String::from_utf8(bytes).map_err(|_| {
        fail(format!("load_data() cannot read {shown}, which is not UTF-8 text"), "save the file as UTF-8")
    })?;
    let value = parse(&text, format, &shown)?;
    cache = state.cache.0.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= Cache::MAX {
        cache.clear();
    }
    cache.insert(key, value.clone());
    Ok(value)
}

/// The format asked for, if any, as one of [`FORMATS`].
fn checked(format: Option<&str>) -> tera::Result<Option<&'static str>> {
    let Some(format) = format else { return Ok(None) };
    match FORMATS.iter().find(|f| f.eq_ignore_ascii_case(format)) {
        Some(f) => Ok(Some(f)),
        None => Err(fail(
            format!("load_data() received format=\"{format}\", which is not a format it knows"),
            format!("use one of {}", FORMATS.join(", ")),
        )),
    }
}

/// Zola's choice by extension: anything it does not know is plain text (so is `.bib`).
fn by_extension(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "toml" => "toml",
        "json" => "json",
        "csv" => "csv",
        "bibtex" => "bibtex",
        "yaml" | "yml" => "yaml",
        "xml" => "xml",
        _ => "plain",
    }
}

fn parse(text: &str, format: &str, shown: &str) -> tera::Result<Value> {
    let invalid = |why: String| {
        fail(
            format!("load_data() cannot read {shown} as {format} ({})", why.trim().replace('\n', " ")),
            "fix the data, or pass format=\"plain\" to load it as text",
        )
    };
    match format {
        "json" => serde_json::from_str(text).map_err(|e| invalid(e.to_string())),
        // Dates and times as their text, as Zola gives them.
        "toml" => text
            .parse::<toml::Table>()
            .map(|t| crate::content::front_matter::toml_to_json(toml::Value::Table(t)))
            .map_err(|e| invalid(e.message().to_string())),
        "yaml" => serde_yaml_ng::from_str(text).map_err(|e| invalid(e.to_string())),
        "csv" => csv(text).map_err(|e| invalid(e.to_string())),
        "plain" => Ok(Value::String(text.to_string())),
        other => Err(fail(
            format!("load_data() cannot read {shown}, since fanzine does not read the {other} format"),
            "convert the data to JSON, TOML or YAML, or pass format=\"plain\" to load it as text",
        )),
    }
}

/// `{"headers": [...], "records": [[...], ...]}`, every cell a string, as Zola makes it.
fn csv(text: &str) -> Result<Value, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let row = |r: &csv::StringRecord| Value::Array(r.iter().map(|c| Value::String(c.to_string())).collect());
    let headers = row(reader.headers()?);
    let records = reader.records().map(|r| r.map(|r| row(&r))).collect::<Result<Vec<_>, _>>()?;
    Ok(serde_json::json!({ "headers": headers, "records": records }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension_as_in_zola() {
        assert_eq!(by_extension("data/a.JSON"), "json");
        assert_eq!(by_extension("a.yml"), "yaml");
        assert_eq!(by_extension("refs.bib"), "plain");
        assert_eq!(by_extension("notes"), "plain");
    }

    #[test]
    fn toml_dates_are_text_and_csv_cells_are_strings() {
        let t = parse("when = 1979-05-27\nn = 3\n", "toml", "x").unwrap();
        assert_eq!(t, serde_json::json!({"when": "1979-05-27", "n": 3}));
        let c = parse("a, b\n1,\"x, y\"\n", "csv", "x").unwrap();
        assert_eq!(c, serde_json::json!({"headers": ["a", " b"], "records": [["1", "x, y"]]}));
        assert!(parse("a,b\n1,2,3\n", "csv", "x").is_err(), "a row longer than the headers is an error");
        assert!(parse("@misc{k, title={t}}", "bibtex", "x").is_err());
    }
}
