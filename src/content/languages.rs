//! Which language a content file is in, from its name, as Zola tells it: with other languages in the config,
//! `first.fr.md` is the French version of `first.md` and `_index.fr.md` of the section's `_index.md`. The part after
//! the first dot of the name is the code; the default language's own code (`first.en.md`) changes nothing, and a
//! code the config does not list is an error at the file, since the page would otherwise be built in no language.
use super::SourceFile;
use crate::error::{Diagnostic, Location};

/// The site's language and the config's others; a file's name is read for a code only when there are others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codes {
    pub default: String,
    pub others: Vec<String>,
}

impl Codes {
    pub fn of(config: &crate::config::Config) -> Codes {
        Codes { default: config.language.clone(), others: config.languages.keys().cloned().collect() }
    }

    /// Takes a file's language from its name: sets its `lang` and drops the code from its stem, or refuses it.
    pub fn name(&self, file: &mut SourceFile) {
        if self.others.is_empty() {
            return;
        }
        let Some((stem, code)) = file.stem.split_once('.') else { return };
        if code == self.default {
            return;
        }
        if self.others.iter().any(|o| o == code) {
            (file.lang, file.stem) = (Some(code.to_string()), stem.to_string());
            return;
        }
        let known: Vec<&str> =
            std::iter::once(self.default.as_str()).chain(self.others.iter().map(String::as_str)).collect();
        let message = format!(
            "the file name gives the language {code:?}, which is not one of the config's languages ({})",
            known.join(", ")
        );
        let hint = format!(
            "add a [languages.{code}] table to the config, or name the file for one of its languages: {stem}.md ({}) or {stem}.{}.md",
            self.default, self.others[0]
        );
        file.refused = Some(Diagnostic::error(Some(Location::file(&file.display)), message).with_hint(hint));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(stem: &str) -> SourceFile {
        SourceFile {
            relative: format!("content/{stem}.md").into(),
            display: format!("content/{stem}.md"),
            section: String::new(),
            stem: stem.to_string(),
            assets: Vec::new(),
            refused: None,
            lang: None,
        }
    }

    #[test]
    fn a_code_of_the_config_names_the_language() {
        let codes = Codes { default: "en".into(), others: vec!["fr".into()] };
        let (mut fr, mut en, mut plain) = (file("a.fr"), file("a.en"), file("a"));
        codes.name(&mut fr);
        codes.name(&mut en);
        codes.name(&mut plain);
        assert_eq!((fr.stem.as_str(), fr.lang.as_deref()), ("a", Some("fr")));
        assert_eq!((en.stem.as_str(), en.lang.as_deref()), ("a.en", None), "the default's code changes nothing");
        assert_eq!((plain.stem.as_str(), plain.lang), ("a", None));
    }

    #[test]
    fn an_unknown_code_is_refused_only_on_a_multilingual_site() {
        let mut it = file("a.it");
        Codes { default: "en".into(), others: vec!["fr".into()] }.name(&mut it);
        let refused = it.refused.expect("refused").to_string();
        assert!(refused.starts_with("content/a.it.md: error: the file name gives the language \"it\""), "{refused}");
        let mut one = file("a.it");
        Codes { default: "en".into(), others: Vec::new() }.name(&mut one);
        assert!(one.refused.is_none() && one.lang.is_none());
    }
}
