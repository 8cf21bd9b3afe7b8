//! Environment overrides and secrets.
//!
//! Deployments (systemd units, containers, CI) configure paperboy through the environment,
//! so every file key has a `PAPERBOY_<SECTION>__<KEY>` twin, and the four secrets live there
//! only. Any other `PAPERBOY_` variable is refused: a misspelt override that was silently
//! ignored would leave the operator believing a setting is in force when it is not.

use std::collections::BTreeMap;

use super::raw::{self, Origins, RawConfig, SetError};
use super::{ConfigError, Origin, Secrets};

const PREFIX: &str = "PAPERBOY_";

/// Applies `PAPERBOY_<SECTION>__<KEY>` overrides and `RUST_LOG` to `raw`, and collects the
/// secrets.
pub(crate) fn apply(
    raw: &mut RawConfig,
    env: &BTreeMap<String, String>,
    origins: &mut Origins,
) -> Result<Secrets, ConfigError> {
    let mut secrets = Secrets::default();
    for (name, value) in env {
        let slot = match name.as_str() {
            super::ENV_TELEGRAM_TOKEN => Some(&mut secrets.telegram_token),
            super::ENV_DISCORD_TOKEN => Some(&mut secrets.discord_token),
            super::ENV_LLM_API_KEY => Some(&mut secrets.llm_api_key),
            super::ENV_HF_TOKEN => Some(&mut secrets.hf_token),
            _ => None,
        };
        if let Some(slot) = slot {
            // An empty variable (`PAPERBOY_TELEGRAM_TOKEN=` in a unit file) means "not set";
            // whitespace around a pasted token is never part of it.
            let value = value.trim();
            *slot = (!value.is_empty()).then(|| crate::secret::Secret::new(value));
            continue;
        }
        if name == "RUST_LOG" {
            if !value.trim().is_empty() {
                raw.log.level = value.clone();
                origins.insert("log.level".to_string(), Origin::Env(name.clone()));
            }
            continue;
        }
        if name == super::ENV_CONFIG || !name.starts_with(PREFIX) {
            continue;
        }
        apply_override(raw, name, value, origins)?;
    }
    Ok(secrets)
}

fn apply_override(
    raw: &mut RawConfig,
    name: &str,
    value: &str,
    origins: &mut Origins,
) -> Result<(), ConfigError> {
    let unknown = |hint: String| ConfigError::UnknownEnv {
        var: name.to_string(),
        hint,
    };
    let rest = &name[PREFIX.len()..];
    let Some((section, key)) = rest.split_once("__") else {
        return Err(unknown(match raw::secret_env_for(None, rest) {
            Some(var) => format!("secrets are read from {var}"),
            None => match near_miss(rest) {
                Some(meant) => format!("did you mean {meant}?"),
                None => format!(
                    "overrides are named PAPERBOY_<SECTION>__<KEY> (two underscores), \
                 e.g. PAPERBOY_DIGEST__TOP_N; the secrets are {}, {}, {} and {}",
                    super::ENV_TELEGRAM_TOKEN,
                    super::ENV_DISCORD_TOKEN,
                    super::ENV_LLM_API_KEY,
                    super::ENV_HF_TOKEN
                ),
            },
        }));
    };
    let section = section.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    if !raw::is_known(&section, &key) {
        if let Some(var) = raw::secret_env_for(Some(&section), &key) {
            return Err(unknown(format!("secrets are read from {var}")));
        }
        let known = raw::keys_of(&section);
        return Err(unknown(if known.is_empty() {
            format!(
                "no section [{section}]; sections are {}",
                raw::sections().join(", ")
            )
        } else {
            format!(
                "no key {section}.{key}; [{section}] has {}",
                known.join(", ")
            )
        }));
    }
    let full = format!("{section}.{key}");
    let mut last = None;
    for candidate in candidates(value) {
        let shown = raw::describe(&candidate);
        match raw.set(&section, &key, candidate) {
            Ok(()) => {
                origins.insert(full, Origin::Env(name.to_string()));
                return Ok(());
            }
            Err(SetError::Type { expected }) => last = Some((expected, shown)),
            // `is_known` was checked above, so the setter knows the key.
            Err(SetError::Unknown) => last = Some(("a known key", shown)),
        }
    }
    let (expected, shown) = last.unwrap_or(("a value", String::from("nothing")));
    Err(ConfigError::Invalid {
        key: full,
        origin: Origin::Env(name.to_string()),
        reason: format!("expected {expected}, got {shown}"),
    })
}

/// The override a name with one underscore too few was meant to be: `DIGEST_TOP_N` ->
/// `PAPERBOY_DIGEST__TOP_N`.
fn near_miss(rest: &str) -> Option<String> {
    let lower = rest.to_ascii_lowercase();
    lower
        .match_indices('_')
        .map(|(i, _)| (&lower[..i], &lower[i + 1..]))
        .find(|(section, key)| raw::is_known(section, key))
        .map(|(section, key)| {
            format!(
                "{PREFIX}{}__{}",
                section.to_ascii_uppercase(),
                key.to_ascii_uppercase()
            )
        })
}

/// The readings of an environment value, most specific first: a TOML literal (`7`, `true`,
/// `[1, 2]`, `"quoted"`), a bare comma list as an array (`1,2,3`; also a single `5` as `[5]`
/// and an empty value as `[]`), then the text itself as a string. The key's type picks the
/// first reading that fits, so `PAPERBOY_LLM__MODEL=1.5` is still the string "1.5".
fn candidates(value: &str) -> Vec<toml::Value> {
    let mut out = Vec::new();
    if let Some(literal) = literal(value) {
        out.push(literal);
    }
    let trimmed = value.trim();
    if !trimmed.starts_with('[') {
        if let Some(list) = literal(&format!("[{trimmed}]")) {
            out.push(list);
        }
    }
    out.push(toml::Value::String(value.to_string()));
    out
}

/// `value` as a single TOML value, or `None` when it is not one.
fn literal(value: &str) -> Option<toml::Value> {
    // A newline would let the value define further keys; such a value is never a literal.
    if value.contains(['\n', '\r']) {
        return None;
    }
    let mut table: toml::Table = toml::from_str(&format!("v = {value}")).ok()?;
    if table.len() != 1 {
        return None;
    }
    table.remove("v")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_of_a_value() {
        assert_eq!(candidates("7")[0], toml::Value::Integer(7));
        assert_eq!(candidates("true")[0], toml::Value::Boolean(true));
        assert_eq!(
            candidates("1,2,3")[0],
            toml::Value::Array(vec![1.into(), 2.into(), 3.into()])
        );
        assert_eq!(candidates("\"x\"")[0], toml::Value::String("x".into()));
        assert_eq!(
            candidates("gpt-4o").last(),
            Some(&toml::Value::String("gpt-4o".into()))
        );
        assert_eq!(candidates("")[0], toml::Value::Array(vec![]));
    }

    #[test]
    fn a_value_cannot_smuggle_keys() {
        assert_eq!(literal("1\nx = 2"), None);
        assert_eq!(literal("1 # comment"), Some(toml::Value::Integer(1)));
    }
}
