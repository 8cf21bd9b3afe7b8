//! Configuration: built-in defaults, then the TOML file, then `PAPERBOY_*` environment
//! overrides, resolved into a validated [`Config`] before any work starts.
//!
//! Loading happens in two steps, as in ripgrep: [`raw`] holds what the user wrote (TOML
//! values over the built-in defaults, unknown keys refused), and `resolve` turns that into
//! typed settings (`Duration`, `Url`, `Language`, `Tz`, a parsed cron schedule), refusing any
//! bad value with the key's name and where it came from. The rest of paperboy only ever sees
//! a [`Config`], so it never re-checks a setting and never meets a half-valid one.
//!
//! Secrets are read from the environment only and are held as [`Secret`], so neither the
//! file nor a `Debug` print of the config can leak them.

mod env;
pub mod raw;
mod resolve;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use url::Url;

use crate::domain::{DeliveryTime, Language};
use crate::secret::Secret;

pub use raw::{RawConfig, KEYS};

/// The file read when neither `--config` nor `PAPERBOY_CONFIG` names one, relative to the
/// current directory, and only when it exists.
pub const DEFAULT_PATH: &str = "config/paperboy.toml";
/// Names the config file, like `--config`.
pub const ENV_CONFIG: &str = "PAPERBOY_CONFIG";
/// The Telegram bot token from BotFather; Telegram runs only when it is set.
pub const ENV_TELEGRAM_TOKEN: &str = "PAPERBOY_TELEGRAM_TOKEN";
/// The Discord bot token; Discord runs only when it is set.
pub const ENV_DISCORD_TOKEN: &str = "PAPERBOY_DISCORD_TOKEN";
/// The key for `llm.base_url`, sent as `Authorization: Bearer`.
pub const ENV_LLM_API_KEY: &str = "PAPERBOY_LLM_API_KEY";
/// An optional Hugging Face token, which raises the API's rate limit.
pub const ENV_HF_TOKEN: &str = "HF_TOKEN";

/// Everything paperboy can be told, validated.
///
/// `Debug` is safe to log: the secrets print as `***`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub source: SourceConfig,
    pub digest: DigestConfig,
    pub store: StoreConfig,
    pub telegram: TelegramConfig,
    pub discord: DiscordConfig,
    pub schedule: ScheduleConfig,
    pub delivery: DeliveryConfig,
    pub alerts: AlertsConfig,
    pub llm: LlmConfig,
    pub log: LogConfig,
    pub secrets: Secrets,
}

/// The Hugging Face Daily Papers API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// Always ends in `/`, so `join("api/daily_papers")` keeps any path prefix.
    pub hf_base_url: Url,
    /// For one HTTP request, connection to last byte.
    pub timeout: Duration,
    /// Tries per request, the first included, on 429, 5xx and timeouts.
    pub max_attempts: u32,
    /// The first retry's delay when the server gives none; doubles each time.
    pub backoff_base: Duration,
    /// How many days `today` walks back looking for a day with papers.
    pub lookback_days: u32,
}

/// What a digest holds when nothing else says otherwise (the CLI and new chats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestConfig {
    /// 1 to [`crate::domain::Subscription::MAX_TOP_N`].
    pub top_n: u8,
    pub language: Language,
}

/// The sled database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// Relative paths are relative to the current directory.
    pub path: PathBuf,
    /// sled's page cache, in MiB: small, so an idle bot stays small.
    pub cache_mb: u64,
}

impl StoreConfig {
    /// The page cache in bytes, as sled's `cache_capacity` wants it.
    pub fn cache_bytes(&self) -> u64 {
        self.cache_mb.saturating_mul(1024 * 1024)
    }
}

/// The Telegram Bot API and its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramConfig {
    /// Always ends in `/`; tests point it at a fake server.
    pub api_url: Url,
    /// Users who may run owner-only commands; empty means nobody.
    pub owner_ids: Vec<i64>,
    /// Messages a second over all chats.
    pub global_per_sec: u32,
    /// Least time between two messages to one chat (zero: no spacing).
    pub per_chat_interval: Duration,
    /// Messages a minute to one group or channel.
    pub group_per_minute: u32,
    /// Least time between two `/today` in one chat (zero: no limit).
    pub today_cooldown: Duration,
    /// For one Bot API call.
    pub timeout: Duration,
}

/// The Discord API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscordConfig {
    /// `None` is Discord itself; tests point it at a fake. Ends in `/` when set.
    pub api_url: Option<Url>,
    /// Register slash commands in this guild only (instant), instead of globally.
    pub dev_guild_id: Option<u64>,
    /// Requests a second over all routes.
    pub global_per_sec: u32,
}

/// Delivery times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleConfig {
    /// For a new subscription that names no time.
    pub default_time: DeliveryTime,
    /// For a new subscription that names no time zone.
    pub default_timezone: Tz,
    /// How often the scheduler looks for chats that are due.
    pub tick: Duration,
}

/// The delivery engine's retry and give-up rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// Tries per message on transient errors before the job waits for the next tick.
    pub max_attempts: u32,
    /// The first retry's delay; doubles each time, up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Consecutive permanent failures after which a chat is marked inactive.
    pub failures_before_inactive: u32,
}

/// Keyword alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertsConfig {
    /// When the poller runs, in UTC; `poll_cron.source()` gives the expression.
    pub poll_cron: cron::Schedule,
    pub max_rules_per_person: usize,
    /// In characters (Unicode scalar values).
    pub max_rule_chars: usize,
}

/// The OpenAI-compatible model, when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmConfig {
    /// `None`: no model; digests use the extractive summarizer. Ends in `/` when set, so
    /// `join("chat/completions")` gives `{base_url}/chat/completions`.
    pub base_url: Option<Url>,
    pub model: String,
    /// For one completion.
    pub timeout: Duration,
    /// Tries per completion, the first included, on 429, 5xx and timeouts.
    pub max_attempts: u32,
    /// The first retry's delay when the server gives none; doubles each time.
    pub backoff_base: Duration,
    /// Completions in flight at once.
    pub max_concurrency: usize,
    /// Tokens a UTC day (from the `usage` field); `None` is unlimited.
    pub daily_token_budget: Option<u64>,
    pub temperature: f64,
    /// How long before a delivery time its summaries are prepared.
    pub prepare_before: Duration,
}

impl LlmConfig {
    pub fn is_enabled(&self) -> bool {
        self.base_url.is_some()
    }
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// A `tracing_subscriber::EnvFilter` directive, already checked to parse; `RUST_LOG`,
    /// when set, has replaced the configured value.
    pub level: String,
}

/// The secrets, from the environment only. `Debug` prints `***` for each one that is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    pub telegram_token: Option<Secret>,
    pub discord_token: Option<Secret>,
    pub llm_api_key: Option<Secret>,
    pub hf_token: Option<Secret>,
}

/// Where a setting's value came from, so an error can say where to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default.
    Default,
    /// A config file.
    File(PathBuf),
    /// An environment variable.
    Env(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("the built-in default"),
            Origin::File(path) => write!(f, "set in {}", path.display()),
            Origin::Env(var) => write!(f, "set by {var}"),
        }
    }
}

/// Why the configuration cannot be used. Each variant names the key, file or variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {} (given by {given_by}) does not exist", path.display())]
    NotFound { path: PathBuf, given_by: String },

    #[error("cannot read config file {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is not valid TOML", path.display())]
    Syntax {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },

    #[error("unknown key {key} in {}; {hint}", path.display())]
    UnknownKey {
        key: String,
        path: PathBuf,
        /// The known keys of the section, or the known sections.
        hint: String,
    },

    #[error(
        "{key} in {} looks like a secret: secrets are read only from the environment, \
         set {env_var} instead and remove the key from the file",
        path.display()
    )]
    SecretInFile {
        key: String,
        path: PathBuf,
        env_var: &'static str,
    },

    #[error("unknown environment variable {var}: {hint}")]
    UnknownEnv { var: String, hint: String },

    #[error("environment variable {var} is not valid UTF-8")]
    NotUnicode { var: String },

    #[error("{key}: {reason} ({origin})")]
    Invalid {
        key: String,
        origin: Origin,
        reason: String,
    },
}

impl Config {
    /// Loads the configuration: built-in defaults, then the file, then `env`.
    ///
    /// `file` is `--config`; without it, `PAPERBOY_CONFIG` from `env`, else
    /// [`DEFAULT_PATH`] when it exists. A file named by either must exist. `env` is the
    /// whole environment (a map, so tests need not touch the process's own).
    pub fn load(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let mut raw = RawConfig::default();
        let mut origins = raw::Origins::new();
        if let Some(path) = config_path(file, env)? {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            let table: toml::Table =
                toml::from_str(&text).map_err(|source| ConfigError::Syntax {
                    path: path.clone(),
                    source,
                })?;
            raw::apply_file(&mut raw, table, &path, &mut origins)?;
        }
        let secrets = env::apply(&mut raw, env, &mut origins)?;
        resolve::resolve(&raw, &origins, secrets)
    }

    /// [`Config::load`] with the process's environment.
    pub fn from_process_env(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut env = BTreeMap::new();
        for (name, value) in std::env::vars_os() {
            // A name that is not UTF-8 cannot be one of paperboy's variables.
            let Some(name) = name.to_str() else { continue };
            match value.into_string() {
                Ok(value) => {
                    env.insert(name.to_string(), value);
                }
                Err(_)
                    if name.starts_with("PAPERBOY_")
                        || name == ENV_HF_TOKEN
                        || name == "RUST_LOG" =>
                {
                    return Err(ConfigError::NotUnicode {
                        var: name.to_string(),
                    });
                }
                Err(_) => {}
            }
        }
        Config::load(file, &env)
    }
}

impl Default for Config {
    /// The built-in defaults, without secrets: what an empty file and environment give.
    fn default() -> Config {
        // The defaults are constants checked by the `defaults_are_valid` test.
        resolve::resolve(
            &RawConfig::default(),
            &raw::Origins::new(),
            Secrets::default(),
        )
        .expect("built-in defaults are valid")
    }
}

/// The config file to read, if any.
fn config_path(
    file: Option<&Path>,
    env: &BTreeMap<String, String>,
) -> Result<Option<PathBuf>, ConfigError> {
    let given = match (file, env.get(ENV_CONFIG).filter(|p| !p.trim().is_empty())) {
        (Some(path), _) => Some((path.to_path_buf(), "--config")),
        (None, Some(path)) => Some((PathBuf::from(path), ENV_CONFIG)),
        (None, None) => None,
    };
    match given {
        Some((path, given_by)) if !path.is_file() => Err(ConfigError::NotFound {
            path,
            given_by: given_by.to_string(),
        }),
        Some((path, _)) => Ok(Some(path)),
        None => {
            let default = PathBuf::from(DEFAULT_PATH);
            Ok(default.is_file().then_some(default))
        }
    }
}

#[cfg(test)]
mod tests;
