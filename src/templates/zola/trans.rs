//! `trans(key=…, lang=…)`: a text from the config's translations, as Zola keeps them: `[translations]` for the
//! default language, `[languages.xx.translations]` for the others.
//!
//! fanzine's `Config` does not keep them (it builds one language), so they are read from the Zola config file when
//! the site is bound; a config edit makes a new build, which binds again.
use super::{State, fail, string_arg};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use tera::{Tera, Value};

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let state = state.clone();
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let Some(key) = string_arg(args, "trans", "key")? else {
            return Err(fail(
                "trans() needs a `key` argument",
                "trans(key=\"title\"), or trans(key=\"title\", lang=\"fr\")",
            ));
        };
        let bound = state.bound();
        let lang = string_arg(args, "trans", "lang")?.unwrap_or(&bound.config.language);
        let Some(texts) = bound.translations.get(lang) else {
            return Err(fail(
                format!("trans() received lang=\"{lang}\", which has no translations in the config"),
                format!("add [languages.{lang}.translations] to the config, or use one of its languages"),
            ));
        };
        match texts.get(key) {
            Some(text) => Ok(Value::String(text.clone())),
            None => {
                let table = if lang == bound.config.language {
                    "[translations]".to_string()
                } else {
                    format!("[languages.{lang}.translations]")
                };
                Err(fail(
                    format!("trans() found no key \"{key}\" for the language \"{lang}\""),
                    format!("add {key} = \"…\" under {table} in the config"),
                ))
            }
        }
    });
}

/// Language → key → text, from the site's Zola config (`config.toml`, else `zola.toml`) unless `fanzine.toml` is
/// there. The default language always has an entry, so `trans` tells a missing key from a missing language.
pub fn read(root: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if root.join(crate::config::CONFIG_FILE).exists() {
        return out;
    }
    let Some(table) = crate::config::zola::FILES
        .iter()
        .find_map(|f| std::fs::read_to_string(root.join(f)).ok())
        .and_then(|text| text.parse::<toml::Table>().ok())
    else {
        return out;
    };
    let default = table.get("default_language").and_then(|v| v.as_str()).unwrap_or("en").to_string();
    let texts = |value: Option<&toml::Value>| -> BTreeMap<String, String> {
        let table = value.and_then(|v| v.as_table());
        table.into_iter().flatten().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()
    };
    out.insert(default.clone(), texts(table.get("translations")));
    if let Some(languages) = table.get("languages").and_then(|v| v.as_table()) {
        for (lang, settings) in languages {
            let more = texts(settings.get("translations"));
            out.entry(lang.clone()).or_default().extend(more);
        }
    }
    out
}
