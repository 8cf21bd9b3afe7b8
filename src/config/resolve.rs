//! From TOML values to typed settings, with every range and format checked.
//!
//! This is the one place that decides what a valid setting is, so a bad value stops
//! paperboy at start-up with the key's name, instead of surfacing hours later as a failed
//! delivery. Every error names the key and where its value came from.

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use url::Url;

use super::raw::{Origins, RawConfig};
use super::{
    AlertsConfig, Config, ConfigError, DeliveryConfig, DigestConfig, DiscordConfig, LlmConfig,
    LogConfig, Origin, ScheduleConfig, Secrets, SourceConfig, StoreConfig, TelegramConfig,
};
use crate::domain::subscription::parse_time_zone;
use crate::domain::{DeliveryTime, Language, Subscription};

/// Resolves and validates a raw configuration.
pub(crate) fn resolve(
    raw: &RawConfig,
    origins: &Origins,
    secrets: Secrets,
) -> Result<Config, ConfigError> {
    let c = Checker { origins };

    let s = &raw.source;
    let source = SourceConfig {
        hf_base_url: c.url("source.hf_base_url", &s.hf_base_url)?,
        timeout: c.secs("source.timeout_secs", s.timeout_secs, 1..=3600)?,
        max_attempts: c.int("source.max_attempts", s.max_attempts, 1..=20)?,
        backoff_base: c.millis("source.backoff_base_ms", s.backoff_base_ms, 0..=600_000)?,
        lookback_days: c.int("source.lookback_days", s.lookback_days, 1..=30)?,
    };

    let d = &raw.digest;
    let digest = DigestConfig {
        top_n: c.int(
            "digest.top_n",
            d.top_n,
            1..=i64::from(Subscription::MAX_TOP_N),
        )?,
        language: Language::parse(&d.language)
            .map_err(|e| c.invalid("digest.language", e.to_string()))?,
    };

    let st = &raw.store;
    if st.path.trim().is_empty() {
        return Err(c.invalid("store.path", "must not be empty"));
    }
    let store = StoreConfig {
        path: PathBuf::from(&st.path),
        cache_mb: c.int("store.cache_mb", st.cache_mb, 1..=65_536)?,
    };

    let t = &raw.telegram;
    if let Some(bad) = t.owner_ids.iter().find(|id| **id <= 0) {
        return Err(c.invalid(
            "telegram.owner_ids",
            format!("user ids are positive numbers, got {bad}"),
        ));
    }
    let telegram = TelegramConfig {
        api_url: c.url("telegram.api_url", &t.api_url)?,
        owner_ids: t.owner_ids.clone(),
        global_per_sec: c.int("telegram.global_per_sec", t.global_per_sec, 1..=100_000)?,
        per_chat_interval: c.millis(
            "telegram.per_chat_interval_ms",
            t.per_chat_interval_ms,
            0..=3_600_000,
        )?,
        group_per_minute: c.int("telegram.group_per_minute", t.group_per_minute, 1..=10_000)?,
        today_cooldown: c.secs(
            "telegram.today_cooldown_secs",
            t.today_cooldown_secs,
            0..=86_400,
        )?,
        timeout: c.secs("telegram.timeout_secs", t.timeout_secs, 1..=3600)?,
    };

    let dc = &raw.discord;
    let discord = DiscordConfig {
        api_url: c.optional_url("discord.api_url", &dc.api_url)?,
        dev_guild_id: match dc.dev_guild_id {
            0 => None,
            id => Some(c.int("discord.dev_guild_id", id, 1..=i64::MAX)?),
        },
        global_per_sec: c.int("discord.global_per_sec", dc.global_per_sec, 1..=100_000)?,
    };

    let sc = &raw.schedule;
    let schedule = ScheduleConfig {
        default_time: DeliveryTime::parse(&sc.default_time)
            .map_err(|e| c.invalid("schedule.default_time", e.to_string()))?,
        default_timezone: parse_time_zone(&sc.default_timezone)
            .map_err(|e| c.invalid("schedule.default_timezone", e.to_string()))?,
        tick: c.secs("schedule.tick_secs", sc.tick_secs, 1..=3600)?,
    };

    let dl = &raw.delivery;
    let delivery = DeliveryConfig {
        max_attempts: c.int("delivery.max_attempts", dl.max_attempts, 1..=100)?,
        backoff_base: c.millis(
            "delivery.backoff_base_ms",
            dl.backoff_base_ms,
            0..=3_600_000,
        )?,
        backoff_max: c.secs("delivery.backoff_max_secs", dl.backoff_max_secs, 0..=86_400)?,
        failures_before_inactive: c.int(
            "delivery.failures_before_inactive",
            dl.failures_before_inactive,
            1..=1000,
        )?,
    };
    if delivery.backoff_max < delivery.backoff_base {
        return Err(c.invalid(
            "delivery.backoff_max_secs",
            format!(
                "must be at least delivery.backoff_base_ms ({} ms), got {} s",
                dl.backoff_base_ms, dl.backoff_max_secs
            ),
        ));
    }

    let a = &raw.alerts;
    let alerts = AlertsConfig {
        poll_cron: c.cron("alerts.poll_cron", &a.poll_cron)?,
        max_rules_per_person: c.int(
            "alerts.max_rules_per_person",
            a.max_rules_per_person,
            1..=10_000,
        )?,
        max_rule_chars: c.int("alerts.max_rule_chars", a.max_rule_chars, 1..=10_000)?,
    };

    let l = &raw.llm;
    let base_url = c.optional_url("llm.base_url", &l.base_url)?;
    if base_url.is_some() && l.model.trim().is_empty() {
        return Err(c.invalid("llm.model", "must not be empty when llm.base_url is set"));
    }
    if !(0.0..=2.0).contains(&l.temperature) {
        return Err(c.invalid(
            "llm.temperature",
            format!("must be 0-2, got {}", l.temperature),
        ));
    }
    let llm = LlmConfig {
        base_url,
        model: l.model.trim().to_string(),
        timeout: c.secs("llm.timeout_secs", l.timeout_secs, 1..=3600)?,
        max_attempts: c.int("llm.max_attempts", l.max_attempts, 1..=20)?,
        backoff_base: c.millis("llm.backoff_base_ms", l.backoff_base_ms, 0..=600_000)?,
        max_concurrency: c.int("llm.max_concurrency", l.max_concurrency, 1..=256)?,
        daily_token_budget: match l.daily_token_budget {
            0 => None,
            n => Some(c.int("llm.daily_token_budget", n, 1..=i64::MAX)?),
        },
        temperature: l.temperature,
        prepare_before: Duration::from_secs(
            60 * c.int::<u64>(
                "llm.prepare_minutes_before",
                l.prepare_minutes_before,
                0..=1440,
            )?,
        ),
    };

    let level = raw.log.level.trim();
    if level.is_empty() {
        return Err(c.invalid(
            "log.level",
            "must not be empty; \"info\" is the usual value",
        ));
    }
    tracing_subscriber::EnvFilter::builder()
        .parse(level)
        .map_err(|e| c.invalid("log.level", format!("not a tracing filter directive: {e}")))?;
    let log = LogConfig {
        level: level.to_string(),
    };

    Ok(Config {
        source,
        digest,
        store,
        telegram,
        discord,
        schedule,
        delivery,
        alerts,
        llm,
        log,
        secrets,
    })
}

/// Turns raw values into typed ones, naming the key and its origin on failure.
struct Checker<'a> {
    origins: &'a Origins,
}

impl Checker<'_> {
    fn invalid(&self, key: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            key: key.to_string(),
            origin: self.origins.get(key).cloned().unwrap_or(Origin::Default),
            reason: reason.into(),
        }
    }

    fn int<T: TryFrom<i64>>(
        &self,
        key: &str,
        value: i64,
        range: RangeInclusive<i64>,
    ) -> Result<T, ConfigError> {
        let out_of_range = || {
            self.invalid(
                key,
                format!("must be {}-{}, got {value}", range.start(), range.end()),
            )
        };
        if !range.contains(&value) {
            return Err(out_of_range());
        }
        T::try_from(value).map_err(|_| out_of_range())
    }

    fn secs(
        &self,
        key: &str,
        value: i64,
        range: RangeInclusive<i64>,
    ) -> Result<Duration, ConfigError> {
        self.int(key, value, range).map(Duration::from_secs)
    }

    fn millis(
        &self,
        key: &str,
        value: i64,
        range: RangeInclusive<i64>,
    ) -> Result<Duration, ConfigError> {
        self.int(key, value, range).map(Duration::from_millis)
    }

    /// An `http` or `https` base URL. The path is made to end in `/` so that
    /// `url.join("api/...")` keeps a prefix such as `http://127.0.0.1:8080/hf/`.
    fn url(&self, key: &str, value: &str) -> Result<Url, ConfigError> {
        let mut url = Url::parse(value.trim())
            .map_err(|e| self.invalid(key, format!("not a URL ({e}): {value:?}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(self.invalid(
                key,
                format!("must be an http:// or https:// URL with a host, got {value:?}"),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(self.invalid(
                key,
                format!("must be a base URL without ?query or #fragment, got {value:?}"),
            ));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(url)
    }

    /// Like [`Checker::url`], with an empty value meaning "not set".
    fn optional_url(&self, key: &str, value: &str) -> Result<Option<Url>, ConfigError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        self.url(key, value).map(Some)
    }

    fn cron(&self, key: &str, value: &str) -> Result<cron::Schedule, ConfigError> {
        let schedule = cron::Schedule::from_str(value.trim()).map_err(|e| {
            // cron's message repeats the expression with a caret under it; its last line
            // is the reason.
            let text = e.to_string();
            let reason = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            self.invalid(
                key,
                format!(
                    "not a cron expression ({}): {value:?}; six fields, seconds first, \
                     e.g. \"0 */30 * * * *\"",
                    reason.trim()
                ),
            )
        })?;
        if schedule.upcoming(chrono::Utc).next().is_none() {
            return Err(self.invalid(key, format!("{value:?} never fires")));
        }
        Ok(schedule)
    }
}
