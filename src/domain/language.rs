//! The languages a digest can be written in.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A supported language, by its ISO 639-1 code.
///
/// The set is closed on purpose: each language needs labels and a check that a model's
/// answer really is in it, so an unknown code is refused with the list of known ones rather
/// than producing a digest in the wrong language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(&'static str);

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Language::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Code, English name, native name.
const KNOWN: &[(&str, &str, &str)] = &[
    ("en", "English", "English"),
    ("ko", "Korean", "한국어"),
    ("ja", "Japanese", "日本語"),
    ("zh", "Chinese", "中文"),
    ("es", "Spanish", "Español"),
    ("fr", "French", "Français"),
    ("de", "German", "Deutsch"),
    ("pt", "Portuguese", "Português"),
    ("ru", "Russian", "Русский"),
    ("it", "Italian", "Italiano"),
    ("vi", "Vietnamese", "Tiếng Việt"),
    ("ar", "Arabic", "العربية"),
    ("hi", "Hindi", "हिन्दी"),
];

/// An unknown language code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {code:?}: expected one of {}", Language::codes().join(", "))]
pub struct UnknownLanguage {
    pub code: String,
}

impl Language {
    pub const ENGLISH: Language = Language("en");
    pub const KOREAN: Language = Language("ko");

    /// Parses a code such as `ko`, `KO` or `pt-BR` (the region is ignored).
    pub fn parse(code: &str) -> Result<Language, UnknownLanguage> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        KNOWN
            .iter()
            .find(|(c, _, _)| *c == primary)
            .map(|(c, _, _)| Language(c))
            .ok_or_else(|| UnknownLanguage {
                code: code.to_string(),
            })
    }

    /// Every supported code, in a stable order.
    pub fn codes() -> Vec<&'static str> {
        KNOWN.iter().map(|(c, _, _)| *c).collect()
    }

    /// Every supported language.
    pub fn all() -> impl Iterator<Item = Language> {
        KNOWN.iter().map(|(c, _, _)| Language(c))
    }

    pub fn code(&self) -> &'static str {
        self.0
    }

    /// The language's name in English, for prompts and logs.
    pub fn english_name(&self) -> &'static str {
        self.entry().1
    }

    /// The language's name in itself, for menus.
    pub fn native_name(&self) -> &'static str {
        self.entry().2
    }

    fn entry(&self) -> &'static (&'static str, &'static str, &'static str) {
        // A `Language` is only built from `KNOWN`, so its code is always found.
        KNOWN
            .iter()
            .find(|(c, _, _)| *c == self.0)
            .expect("Language is only constructed from KNOWN")
    }
}

impl Default for Language {
    fn default() -> Self {
        Language::ENGLISH
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl TryFrom<String> for Language {
    type Error = UnknownLanguage;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Language::parse(&value)
    }
}

impl From<Language> for String {
    fn from(value: Language) -> Self {
        value.0.to_string()
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_case_and_region_insensitively() {
        assert_eq!(Language::parse("KO").unwrap(), Language::KOREAN);
        assert_eq!(Language::parse("pt-BR").unwrap().code(), "pt");
        assert_eq!(Language::parse(" en ").unwrap(), Language::ENGLISH);
    }

    #[test]
    fn unknown_code_lists_known_ones() {
        let err = Language::parse("xx").unwrap_err().to_string();
        assert!(err.contains("\"xx\""), "{err}");
        assert!(err.contains("ko"), "{err}");
        assert!(Language::parse("").is_err());
    }

    #[test]
    fn serde_round_trip() {
        let json = serde_json::to_string(&Language::KOREAN).unwrap();
        assert_eq!(json, "\"ko\"");
        let back: Language = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Language::KOREAN);
        assert!(serde_json::from_str::<Language>("\"zz\"").is_err());
    }
}
