//! The variables that differ on a page of another language than the site's (`[languages.fr]`): `lang`, and
//! `config` with that language's title, description and settings, as Zola gives each language's templates.
//!
//! Laid over the base context by the file's own variables; on the site's own language they add nothing.
use crate::config::Config;
use serde::ser::SerializeMap;
use std::hash::{Hash, Hasher};

/// Flattened into a file's variables (`#[serde(flatten)]`); hashed as the language alone, since the config is the
/// same for the whole render.
#[derive(Clone, Copy)]
pub(super) struct Localized<'a> {
    pub config: &'a Config,
    pub lang: Option<&'a str>,
}

impl Hash for Localized<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.lang.hash(state);
    }
}

impl serde::Serialize for Localized<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(code) = self.lang else { return serializer.serialize_map(Some(0))?.end() };
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("lang", code)?;
        map.serialize_entry("config", &config_in(self.config, code))?;
        map.end()
    }
}

/// `config` as the pages of the language `code` see it: its `[languages.code]` title and description in place of the site's.
pub fn config_in(config: &Config, code: &str) -> serde_json::Value {
    let mut view = super::views::config_view(config);
    let Some(language) = config.languages.get(code) else { return view };
    if let Some(map) = view.as_object_mut() {
        map.insert("title".into(), language.title.clone().into());
        map.insert("description".into(), language.description.clone().into());
    }
    view
}
