//! What the user wrote, before any meaning is given to it.
//!
//! Every key is declared once, in the `raw_config!` table below, with its TOML type and its
//! built-in default. From that one table come the raw section structs (serde,
//! `deny_unknown_fields`), the list of known keys that the file and environment checks use,
//! and the setter both of them go through, so a key cannot be known to one and not the other.
//! Values here are only well-typed TOML: ranges, URLs, time zones and the like are checked
//! when the raw config is resolved into [`super::Config`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{ConfigError, Origin};

/// Where each key that is not a built-in default got its value, by `section.key`.
pub(crate) type Origins = BTreeMap<String, Origin>;

/// The kind of TOML value a key takes, for "expected ..." messages.
pub(crate) trait Expected {
    const WHAT: &'static str;
}

impl Expected for i64 {
    const WHAT: &'static str = "an integer";
}

impl Expected for f64 {
    const WHAT: &'static str = "a number";
}

impl Expected for String {
    const WHAT: &'static str = "a string";
}

impl Expected for Vec<i64> {
    const WHAT: &'static str = "a list of integers, e.g. [123, 456]";
}

/// Why a value could not be stored in a [`RawConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetError {
    /// No such `section.key`.
    Unknown,
    /// The key exists but takes another kind of value.
    Type { expected: &'static str },
}

macro_rules! raw_config {
    ($(
        $section:ident: $ty:ident {
            $( $key:ident: $kty:ty = $default:expr, )*
        }
    )*) => {
        /// The whole configuration as TOML values, with the built-in defaults filled in.
        #[derive(Debug, Clone, PartialEq, Default, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct RawConfig {
            $( pub $section: $ty, )*
        }

        $(
            #[doc = concat!("The `[", stringify!($section), "]` section as written.")]
            #[derive(Debug, Clone, PartialEq, Deserialize)]
            #[serde(deny_unknown_fields, default)]
            pub struct $ty {
                $( pub $key: $kty, )*
            }

            impl Default for $ty {
                fn default() -> Self {
                    $ty { $( $key: <$kty>::from($default), )* }
                }
            }
        )*

        /// Every key as `(section, key)`, in the order of `config/paperboy.toml`.
        pub const KEYS: &[(&str, &str)] = &[
            $( $( (stringify!($section), stringify!($key)), )* )*
        ];

        impl RawConfig {
            /// Stores one value, checking only that it has the key's TOML type.
            pub(crate) fn set(
                &mut self,
                section: &str,
                key: &str,
                value: toml::Value,
            ) -> Result<(), SetError> {
                match (section, key) {
                    $( $(
                        (stringify!($section), stringify!($key)) => {
                            self.$section.$key = value.try_into().map_err(|_| SetError::Type {
                                expected: <$kty as Expected>::WHAT,
                            })?;
                            Ok(())
                        }
                    )* )*
                    _ => Err(SetError::Unknown),
                }
            }
        }
    };
}

// Integers are read as i64 whatever their final type, so that a negative or huge value gets
// the same "must be A-B, got N" message as any other out-of-range one.
raw_config! {
    source: RawSource {
        hf_base_url: String = "https://huggingface.co",
        timeout_secs: i64 = 30,
        max_attempts: i64 = 4,
        backoff_base_ms: i64 = 500,
        lookback_days: i64 = 7,
    }
    digest: RawDigest {
        top_n: i64 = 5,
        language: String = "en",
    }
    store: RawStore {
        path: String = "data/paperboy.sled",
        cache_mb: i64 = 4,
    }
    telegram: RawTelegram {
        api_url: String = "https://api.telegram.org",
        owner_ids: Vec<i64> = [],
        global_per_sec: i64 = 30,
        per_chat_interval_ms: i64 = 1000,
        group_per_minute: i64 = 20,
        today_cooldown_secs: i64 = 60,
        timeout_secs: i64 = 30,
    }
    discord: RawDiscord {
        api_url: String = "",
        dev_guild_id: i64 = 0,
        global_per_sec: i64 = 50,
    }
    schedule: RawSchedule {
        default_time: String = "09:00",
        default_timezone: String = "UTC",
        tick_secs: i64 = 30,
    }
    delivery: RawDelivery {
        max_attempts: i64 = 5,
        backoff_base_ms: i64 = 1000,
        backoff_max_secs: i64 = 300,
        failures_before_inactive: i64 = 3,
    }
    alerts: RawAlerts {
        poll_cron: String = "0 */30 * * * *",
        max_rules_per_person: i64 = 50,
        max_rule_chars: i64 = 300,
    }
    llm: RawLlm {
        base_url: String = "",
        model: String = "gpt-4o-mini",
        timeout_secs: i64 = 60,
        max_attempts: i64 = 3,
        backoff_base_ms: i64 = 1000,
        max_concurrency: i64 = 4,
        daily_token_budget: i64 = 2_000_000,
        temperature: f64 = 0.2,
        prepare_minutes_before: i64 = 60,
    }
    log: RawLog {
        level: String = "info",
    }
}

/// The keys of one section, for "expected one of" hints.
pub(crate) fn keys_of(section: &str) -> Vec<&'static str> {
    KEYS.iter()
        .filter(|(s, _)| *s == section)
        .map(|(_, k)| *k)
        .collect()
}

/// Every section name, in file order.
pub(crate) fn sections() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (s, _) in KEYS {
        if !out.contains(s) {
            out.push(s);
        }
    }
    out
}

pub(crate) fn is_known(section: &str, key: &str) -> bool {
    KEYS.iter().any(|(s, k)| *s == section && *k == key)
}

/// The environment variable a secret-looking key should have been, or `None` when the key
/// does not look like a secret.
///
/// Matching is by name because a secret pasted under a misspelt key is still a secret: it
/// must be refused as one, not merely as an unknown key.
pub(crate) fn secret_env_for(section: Option<&str>, key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase().replace('-', "_");
    let is_secret = key == "key"
        || key.ends_with("token")
        || [
            "api_key",
            "apikey",
            "secret",
            "password",
            "passwd",
            "credential",
        ]
        .iter()
        .any(|word| key.contains(word));
    if !is_secret {
        return None;
    }
    let hint = format!("{} {}", section.unwrap_or_default(), key).to_ascii_lowercase();
    Some(if hint.contains("telegram") {
        super::ENV_TELEGRAM_TOKEN
    } else if hint.contains("discord") {
        super::ENV_DISCORD_TOKEN
    } else if hint.contains("llm") || hint.contains("openai") {
        super::ENV_LLM_API_KEY
    } else if hint.contains("source") || hint.contains("hf") || hint.contains("hugging") {
        super::ENV_HF_TOKEN
    } else {
        "the matching one of PAPERBOY_TELEGRAM_TOKEN, PAPERBOY_DISCORD_TOKEN, \
         PAPERBOY_LLM_API_KEY or HF_TOKEN"
    })
}

/// A TOML value as an error message shows it: its kind and, for short ones, the value.
pub(crate) fn describe(value: &toml::Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        format!("{} {}", value.type_str(), text)
    } else {
        value.type_str().to_string()
    }
}

/// Applies a parsed config file over `raw`, recording each key's origin.
pub(crate) fn apply_file(
    raw: &mut RawConfig,
    table: toml::Table,
    path: &Path,
    origins: &mut Origins,
) -> Result<(), ConfigError> {
    for (section, value) in table {
        let toml::Value::Table(entries) = value else {
            if let Some(env_var) = secret_env_for(None, &section) {
                return Err(ConfigError::SecretInFile {
                    key: section,
                    path: path.to_path_buf(),
                    env_var,
                });
            }
            if sections().contains(&section.as_str()) {
                return Err(ConfigError::Invalid {
                    reason: format!("expected a table [{section}], got {}", describe(&value)),
                    key: section,
                    origin: Origin::File(path.to_path_buf()),
                });
            }
            return Err(ConfigError::UnknownKey {
                key: section,
                path: path.to_path_buf(),
                hint: format!("the sections are {}", sections().join(", ")),
            });
        };
        for (key, value) in entries {
            let full = format!("{section}.{key}");
            if let Some(env_var) = secret_env_for(Some(&section), &key) {
                return Err(ConfigError::SecretInFile {
                    key: full,
                    path: path.to_path_buf(),
                    env_var,
                });
            }
            let shown = describe(&value);
            match raw.set(&section, &key, value) {
                Ok(()) => {
                    origins.insert(full, Origin::File(path.to_path_buf()));
                }
                Err(SetError::Unknown) => {
                    let known = keys_of(&section);
                    return Err(ConfigError::UnknownKey {
                        key: full,
                        path: path.to_path_buf(),
                        hint: if known.is_empty() {
                            format!("the sections are {}", sections().join(", "))
                        } else {
                            format!("[{section}] has {}", known.join(", "))
                        },
                    });
                }
                Err(SetError::Type { expected }) => {
                    return Err(ConfigError::Invalid {
                        key: full,
                        origin: Origin::File(path.to_path_buf()),
                        reason: format!("expected {expected}, got {shown}"),
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_and_setter_agree_on_the_shipped_file() {
        let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/config/paperboy.toml"));
        let by_serde: RawConfig = toml::from_str(text).unwrap();
        let mut by_setter = RawConfig::default();
        let mut origins = Origins::new();
        apply_file(
            &mut by_setter,
            toml::from_str(text).unwrap(),
            Path::new("paperboy.toml"),
            &mut origins,
        )
        .unwrap();
        assert_eq!(by_serde, by_setter);
        assert_eq!(by_serde, RawConfig::default());
        assert_eq!(origins.len(), KEYS.len(), "the file sets every key");
    }

    #[test]
    fn serde_denies_unknown_fields_too() {
        assert!(toml::from_str::<RawConfig>("[store]\npth = \"x\"").is_err());
        assert!(toml::from_str::<RawConfig>("[nope]\nx = 1").is_err());
    }

    #[test]
    fn setter_checks_the_toml_type() {
        let mut raw = RawConfig::default();
        assert_eq!(
            raw.set("digest", "top_n", toml::Value::String("five".into())),
            Err(SetError::Type {
                expected: "an integer"
            })
        );
        assert_eq!(
            raw.set("digest", "topn", toml::Value::Integer(5)),
            Err(SetError::Unknown)
        );
        raw.set("llm", "temperature", toml::Value::Integer(1))
            .unwrap();
        assert_eq!(raw.llm.temperature, 1.0);
    }

    #[test]
    fn secret_looking_keys() {
        assert_eq!(
            secret_env_for(Some("telegram"), "token"),
            Some(super::super::ENV_TELEGRAM_TOKEN)
        );
        assert_eq!(
            secret_env_for(Some("llm"), "api_key"),
            Some(super::super::ENV_LLM_API_KEY)
        );
        assert_eq!(
            secret_env_for(None, "discord_token"),
            Some(super::super::ENV_DISCORD_TOKEN)
        );
        assert_eq!(
            secret_env_for(Some("source"), "hf_token"),
            Some(super::super::ENV_HF_TOKEN)
        );
        assert!(secret_env_for(Some("store"), "secret").is_some());
        for plain in KEYS {
            assert_eq!(secret_env_for(Some(plain.0), plain.1), None, "{plain:?}");
        }
    }
}
