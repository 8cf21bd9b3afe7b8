use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config/paperboy.toml");

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A config file in a temporary directory; the directory lives as long as the value.
struct TempConfig {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write_config(text: &str) -> TempConfig {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paperboy.toml");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    TempConfig { _dir: dir, path }
}

fn load_toml(text: &str) -> Result<Config, ConfigError> {
    let file = write_config(text);
    Config::load(Some(&file.path), &BTreeMap::new())
}

fn load_env(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let file = write_config("");
    Config::load(Some(&file.path), &env(pairs))
}

fn message(result: Result<Config, ConfigError>) -> String {
    result.expect_err("expected a config error").to_string()
}

#[test]
fn defaults_are_valid() {
    let config = Config::default();
    assert_eq!(
        config.source.hf_base_url.as_str(),
        "https://huggingface.co/"
    );
    assert_eq!(config.source.timeout, Duration::from_secs(30));
    assert_eq!(config.source.max_attempts, 4);
    assert_eq!(config.source.lookback_days, 7);
    assert_eq!(config.digest.top_n, 5);
    assert_eq!(config.digest.language, Language::ENGLISH);
    assert_eq!(config.store.path, PathBuf::from("data/paperboy.sled"));
    assert_eq!(config.store.cache_bytes(), 4 * 1024 * 1024);
    assert_eq!(
        config.telegram.api_url.as_str(),
        "https://api.telegram.org/"
    );
    assert!(config.telegram.owner_ids.is_empty());
    assert_eq!(config.telegram.global_per_sec, 30);
    assert_eq!(
        config.telegram.per_chat_interval,
        Duration::from_millis(1000)
    );
    assert_eq!(config.telegram.group_per_minute, 20);
    assert_eq!(config.telegram.today_cooldown, Duration::from_secs(60));
    assert_eq!(config.discord.api_url, None);
    assert_eq!(config.discord.dev_guild_id, None);
    assert_eq!(config.discord.global_per_sec, 50);
    assert_eq!(config.schedule.default_time.to_string(), "09:00");
    assert_eq!(config.schedule.default_timezone, chrono_tz::UTC);
    assert_eq!(config.schedule.tick, Duration::from_secs(30));
    assert_eq!(config.delivery.max_attempts, 5);
    assert_eq!(config.delivery.backoff_base, Duration::from_secs(1));
    assert_eq!(config.delivery.backoff_max, Duration::from_secs(300));
    assert_eq!(config.delivery.failures_before_inactive, 3);
    assert_eq!(config.alerts.poll_cron.source(), "0 */30 * * * *");
    assert_eq!(config.alerts.max_rules_per_person, 50);
    assert_eq!(config.alerts.max_rule_chars, 300);
    assert!(!config.llm.is_enabled());
    assert_eq!(config.llm.model, "gpt-4o-mini");
    assert_eq!(config.llm.timeout, Duration::from_secs(60));
    assert_eq!(config.llm.max_concurrency, 4);
    assert_eq!(config.llm.daily_token_budget, Some(2_000_000));
    assert_eq!(config.llm.temperature, 0.2);
    assert_eq!(config.llm.prepare_before, Duration::from_secs(3600));
    assert_eq!(config.log.level, "info");
    assert_eq!(config.secrets, Secrets::default());
}

#[test]
fn shipped_file_equals_defaults() {
    let loaded = Config::load(Some(Path::new(SHIPPED)), &BTreeMap::new()).unwrap();
    assert_eq!(loaded, Config::default());
}

#[test]
fn shipped_file_sets_every_key_after_a_comment() {
    let text = std::fs::read_to_string(SHIPPED).unwrap();
    let mut section = String::new();
    let mut seen = Vec::new();
    let mut previous = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.to_string();
        } else if let Some((key, _)) = trimmed.split_once('=') {
            if !trimmed.starts_with('#') {
                let key = key.trim().to_string();
                assert!(
                    previous.trim_start().starts_with('#'),
                    "{section}.{key} has no comment above it"
                );
                seen.push((section.clone(), key));
            }
        }
        previous = line;
    }
    let expected: Vec<(String, String)> = KEYS
        .iter()
        .map(|(s, k)| (s.to_string(), k.to_string()))
        .collect();
    assert_eq!(seen, expected, "the file lists every key, in KEYS order");
}

#[test]
fn default_path_is_read_when_present() {
    // Tests run in the crate's root, where config/paperboy.toml exists.
    assert!(Path::new(DEFAULT_PATH).is_file());
    assert_eq!(
        Config::load(None, &BTreeMap::new()).unwrap(),
        Config::default()
    );
}

#[test]
fn file_overrides_default_and_env_overrides_file() {
    let file = write_config("[digest]\ntop_n = 7\nlanguage = \"ko\"\n");
    let from_file = Config::load(Some(&file.path), &BTreeMap::new()).unwrap();
    assert_eq!(from_file.digest.top_n, 7);
    assert_eq!(from_file.digest.language, Language::KOREAN);
    // Keys the file does not name keep their defaults.
    assert_eq!(from_file.store, Config::default().store);

    let from_env =
        Config::load(Some(&file.path), &env(&[("PAPERBOY_DIGEST__TOP_N", "3")])).unwrap();
    assert_eq!(from_env.digest.top_n, 3);
    assert_eq!(from_env.digest.language, Language::KOREAN);
}

#[test]
fn env_forms() {
    let config = load_env(&[
        ("PAPERBOY_SOURCE__HF_BASE_URL", "http://127.0.0.1:8080/hf"),
        ("PAPERBOY_DIGEST__TOP_N", "7"),
        ("PAPERBOY_DIGEST__LANGUAGE", "ko"),
        ("PAPERBOY_TELEGRAM__OWNER_IDS", "[1, 2]"),
        ("PAPERBOY_DISCORD__DEV_GUILD_ID", "42"),
        ("PAPERBOY_LLM__TEMPERATURE", "0.7"),
        ("PAPERBOY_LLM__MODEL", "\"qwen2.5:7b\""),
        ("PAPERBOY_STORE__PATH", "/var/lib/paperboy"),
        ("PAPERBOY_LLM__DAILY_TOKEN_BUDGET", "0"),
        ("PAPERBOY_ALERTS__POLL_CRON", "0 0 * * * Mon-Fri"),
    ])
    .unwrap();
    assert_eq!(
        config.source.hf_base_url.as_str(),
        "http://127.0.0.1:8080/hf/",
        "a path prefix survives join()"
    );
    assert_eq!(
        config
            .source
            .hf_base_url
            .join("api/daily_papers")
            .unwrap()
            .as_str(),
        "http://127.0.0.1:8080/hf/api/daily_papers"
    );
    assert_eq!(config.digest.top_n, 7);
    assert_eq!(config.digest.language, Language::KOREAN);
    assert_eq!(config.telegram.owner_ids, vec![1, 2]);
    assert_eq!(config.discord.dev_guild_id, Some(42));
    assert_eq!(config.llm.temperature, 0.7);
    assert_eq!(config.llm.model, "qwen2.5:7b");
    assert_eq!(config.store.path, PathBuf::from("/var/lib/paperboy"));
    assert_eq!(config.llm.daily_token_budget, None);
    assert_eq!(config.alerts.poll_cron.source(), "0 0 * * * Mon-Fri");

    let lists = load_env(&[("PAPERBOY_TELEGRAM__OWNER_IDS", "1,2,3")]).unwrap();
    assert_eq!(lists.telegram.owner_ids, vec![1, 2, 3]);
    let single = load_env(&[("PAPERBOY_TELEGRAM__OWNER_IDS", "5")]).unwrap();
    assert_eq!(single.telegram.owner_ids, vec![5]);
    let empty = load_env(&[("PAPERBOY_TELEGRAM__OWNER_IDS", "")]).unwrap();
    assert!(empty.telegram.owner_ids.is_empty());
    // A number-looking value is still a string for a string key.
    let numeric_model = load_env(&[("PAPERBOY_LLM__MODEL", "1.5")]).unwrap();
    assert_eq!(numeric_model.llm.model, "1.5");
    // Section and key are case-insensitive after the prefix.
    let lower = load_env(&[("PAPERBOY_digest__top_n", "2")]).unwrap();
    assert_eq!(lower.digest.top_n, 2);
    // An empty URL turns the LLM off again.
    let off = load_env(&[("PAPERBOY_LLM__BASE_URL", "")]).unwrap();
    assert!(!off.llm.is_enabled());
    let on = load_env(&[("PAPERBOY_LLM__BASE_URL", "http://localhost:11434/v1")]).unwrap();
    assert_eq!(
        on.llm
            .base_url
            .unwrap()
            .join("chat/completions")
            .unwrap()
            .as_str(),
        "http://localhost:11434/v1/chat/completions"
    );
}

#[test]
fn env_type_errors_name_key_and_variable() {
    let err = message(load_env(&[("PAPERBOY_DIGEST__TOP_N", "five")]));
    assert!(
        err.starts_with("digest.top_n: expected an integer"),
        "{err}"
    );
    assert!(err.contains("PAPERBOY_DIGEST__TOP_N"), "{err}");
    let err = message(load_env(&[("PAPERBOY_TELEGRAM__OWNER_IDS", "1,x")]));
    assert!(
        err.starts_with("telegram.owner_ids: expected a list"),
        "{err}"
    );
}

#[test]
fn other_variables_are_ignored() {
    let config = load_env(&[
        ("HOME", "/root"),
        ("PATH", "/usr/bin"),
        ("PAPERBOYS", "x"),
        ("PAPERBOY_CONFIG", ""),
    ])
    .unwrap();
    assert_eq!(config, Config::default());
}

#[test]
fn unknown_file_key_is_named() {
    let file = write_config("[store]\npth = \"x\"\n");
    let err = Config::load(Some(&file.path), &BTreeMap::new())
        .unwrap_err()
        .to_string();
    let expected = format!("unknown key store.pth in {}", file.path.display());
    assert!(err.starts_with(&expected), "{err}");
    assert!(err.contains("path"), "lists the known keys: {err}");

    let err = message(load_toml("[stor]\npath = \"x\"\n"));
    assert!(err.starts_with("unknown key stor.path in"), "{err}");
    let err = message(load_toml("top_n = 5\n"));
    assert!(err.starts_with("unknown key top_n in"), "{err}");
    let err = message(load_toml("[digest.extra]\nx = 1\n"));
    assert!(err.starts_with("unknown key digest.extra in"), "{err}");
}

#[test]
fn unknown_env_variable_is_named() {
    for var in [
        "PAPERBOY_DIGEST__TOPN",
        "PAPERBOY_DIGST__TOP_N",
        "PAPERBOY_TOP_N",
        "PAPERBOY_DIGEST_TOP_N",
    ] {
        let err = load_env(&[(var, "5")]).unwrap_err();
        assert!(
            matches!(&err, ConfigError::UnknownEnv { var: v, .. } if v == var),
            "{err}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("unknown environment variable {var}:")),
            "{text}"
        );
    }
    let err = message(load_env(&[("PAPERBOY_DIGEST_TOP_N", "5")]));
    assert!(
        err.contains("did you mean PAPERBOY_DIGEST__TOP_N?"),
        "{err}"
    );
    let err = message(load_env(&[("PAPERBOY_TELEGRAM__TOKEN", "123:abc")]));
    assert!(err.contains("PAPERBOY_TELEGRAM_TOKEN"), "{err}");
    assert!(!err.contains("123:abc"), "{err}");
}

fn assert_invalid(result: Result<Config, ConfigError>, key: &str, reason: &str) {
    let err = result.expect_err("expected a config error");
    let text = err.to_string();
    match &err {
        ConfigError::Invalid { key: k, .. } => assert_eq!(k, key, "{text}"),
        other => panic!("expected Invalid for {key}, got {other:?}"),
    }
    assert!(text.starts_with(&format!("{key}: ")), "{text}");
    assert!(text.contains(reason), "{text} should contain {reason:?}");
}

#[test]
fn bad_values_are_named() {
    assert_invalid(
        load_toml("[digest]\ntop_n = 0"),
        "digest.top_n",
        "must be 1-10, got 0",
    );
    assert_invalid(
        load_toml("[digest]\ntop_n = 11"),
        "digest.top_n",
        "must be 1-10, got 11",
    );
    assert_invalid(
        load_toml("[digest]\nlanguage = \"xx\""),
        "digest.language",
        "\"xx\"",
    );
    assert_invalid(
        load_toml("[schedule]\ndefault_time = \"25:00\""),
        "schedule.default_time",
        "\"25:00\"",
    );
    assert_invalid(
        load_toml("[schedule]\ndefault_timezone = \"Mars/Olympus\""),
        "schedule.default_timezone",
        "Mars/Olympus",
    );
    assert_invalid(
        load_toml("[alerts]\npoll_cron = \"every half hour\""),
        "alerts.poll_cron",
        "not a cron expression",
    );
    let err = message(load_toml("[alerts]\npoll_cron = \"*/5 * * * *\""));
    assert!(!err.contains('\n'), "one line: {err}");
    assert_invalid(
        load_toml("[alerts]\npoll_cron = \"0 0 0 30 Feb *\""),
        "alerts.poll_cron",
        "never fires",
    );
    assert_invalid(
        load_toml("[source]\nhf_base_url = \"not a url\""),
        "source.hf_base_url",
        "not a URL",
    );
    assert_invalid(
        load_toml("[telegram]\napi_url = \"ftp://example.com\""),
        "telegram.api_url",
        "http",
    );
    assert_invalid(
        load_toml("[discord]\napi_url = \"http://x/api?a=b\""),
        "discord.api_url",
        "query",
    );
    assert_invalid(
        load_toml("[telegram]\nglobal_per_sec = 0"),
        "telegram.global_per_sec",
        "got 0",
    );
    assert_invalid(
        load_toml("[telegram]\ngroup_per_minute = -5"),
        "telegram.group_per_minute",
        "got -5",
    );
    assert_invalid(
        load_toml("[discord]\nglobal_per_sec = -1"),
        "discord.global_per_sec",
        "got -1",
    );
    assert_invalid(
        load_toml("[telegram]\nper_chat_interval_ms = -1"),
        "telegram.per_chat_interval_ms",
        "got -1",
    );
    assert_invalid(
        load_toml("[source]\ntimeout_secs = 0"),
        "source.timeout_secs",
        "got 0",
    );
    assert_invalid(
        load_toml("[telegram]\nowner_ids = [0]"),
        "telegram.owner_ids",
        "got 0",
    );
    assert_invalid(
        load_toml("[discord]\ndev_guild_id = -3"),
        "discord.dev_guild_id",
        "got -3",
    );
    assert_invalid(load_toml("[store]\npath = \"\""), "store.path", "empty");
    assert_invalid(
        load_toml("[store]\ncache_mb = 0"),
        "store.cache_mb",
        "got 0",
    );
    assert_invalid(
        load_toml("[delivery]\nbackoff_base_ms = 10000\nbackoff_max_secs = 5"),
        "delivery.backoff_max_secs",
        "at least",
    );
    assert_invalid(
        load_toml("[llm]\ntemperature = 3.5"),
        "llm.temperature",
        "got 3.5",
    );
    assert_invalid(
        load_toml("[llm]\nbase_url = \"http://localhost/v1\"\nmodel = \"\""),
        "llm.model",
        "empty",
    );
    assert_invalid(
        load_toml("[llm]\nmax_concurrency = 0"),
        "llm.max_concurrency",
        "got 0",
    );
    assert_invalid(
        load_toml("[log]\nlevel = \"paperboy=loud\""),
        "log.level",
        "filter",
    );
    assert_invalid(
        load_toml("[digest]\ntop_n = \"5\""),
        "digest.top_n",
        "expected an integer",
    );
    assert_invalid(load_toml("digest = 5"), "digest", "expected a table");
}

#[test]
fn errors_say_where_the_value_came_from() {
    let file = write_config("[digest]\ntop_n = 0\n");
    let err = Config::load(Some(&file.path), &BTreeMap::new()).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { origin: Origin::File(p), .. } if *p == file.path),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "digest.top_n: must be 1-10, got 0 (set in {})",
            file.path.display()
        )
    );
    let err = message(load_env(&[("PAPERBOY_DIGEST__TOP_N", "11")]));
    assert_eq!(
        err,
        "digest.top_n: must be 1-10, got 11 (set by PAPERBOY_DIGEST__TOP_N)"
    );
}

#[test]
fn secrets_in_the_file_are_refused() {
    for (text, key, var) in [
        (
            "[telegram]\ntoken = \"123:abc\"",
            "telegram.token",
            ENV_TELEGRAM_TOKEN,
        ),
        (
            "[discord]\nbot_token = \"x\"",
            "discord.bot_token",
            ENV_DISCORD_TOKEN,
        ),
        ("[llm]\napi_key = \"sk-x\"", "llm.api_key", ENV_LLM_API_KEY),
        (
            "[source]\nhf_token = \"hf_x\"",
            "source.hf_token",
            ENV_HF_TOKEN,
        ),
        (
            "telegram_token = \"123:abc\"",
            "telegram_token",
            ENV_TELEGRAM_TOKEN,
        ),
    ] {
        let err = load_toml(text).unwrap_err();
        match &err {
            ConfigError::SecretInFile {
                key: k, env_var, ..
            } => {
                assert_eq!(k, key);
                assert_eq!(*env_var, var);
            }
            other => panic!("expected SecretInFile for {text:?}, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains(var), "{message}");
        assert!(
            !message.contains("abc") && !message.contains("sk-x"),
            "{message}"
        );
    }
}

#[test]
fn secrets_come_from_env_and_never_print() {
    let config = load_env(&[
        (ENV_TELEGRAM_TOKEN, "123456:telegram-secret"),
        (ENV_DISCORD_TOKEN, "discord-secret"),
        (ENV_LLM_API_KEY, "sk-llm-secret"),
        (ENV_HF_TOKEN, "hf_secret"),
    ])
    .unwrap();
    assert_eq!(
        config.secrets.telegram_token.as_ref().map(|s| s.expose()),
        Some("123456:telegram-secret")
    );
    assert_eq!(
        config.secrets.hf_token.as_ref().map(|s| s.expose()),
        Some("hf_secret")
    );
    for debug in [format!("{config:?}"), format!("{config:#?}")] {
        for secret in [
            "telegram-secret",
            "discord-secret",
            "sk-llm-secret",
            "hf_secret",
        ] {
            assert!(!debug.contains(secret), "{secret} leaked");
        }
        assert!(debug.contains("***"));
    }
    // An empty variable is no secret at all.
    let empty = load_env(&[(ENV_TELEGRAM_TOKEN, "  ")]).unwrap();
    assert_eq!(empty.secrets.telegram_token, None);
}

#[test]
fn explicit_missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = Config::load(Some(&missing), &BTreeMap::new()).unwrap_err();
    assert!(
        matches!(&err, ConfigError::NotFound { path, given_by } if *path == missing && given_by == "--config"),
        "{err:?}"
    );
    let missing_text = missing.to_string_lossy().to_string();
    let err = Config::load(None, &env(&[(ENV_CONFIG, &missing_text)])).unwrap_err();
    assert!(
        matches!(&err, ConfigError::NotFound { given_by, .. } if given_by == ENV_CONFIG),
        "{err:?}"
    );
}

#[test]
fn paperboy_config_is_honoured() {
    let file = write_config("[digest]\ntop_n = 9\n");
    let path = file.path.to_string_lossy().to_string();
    let config = Config::load(None, &env(&[(ENV_CONFIG, &path)])).unwrap();
    assert_eq!(config.digest.top_n, 9);
    // --config wins over PAPERBOY_CONFIG.
    let other = write_config("[digest]\ntop_n = 2\n");
    let config = Config::load(Some(&other.path), &env(&[(ENV_CONFIG, &path)])).unwrap();
    assert_eq!(config.digest.top_n, 2);
}

#[test]
fn invalid_toml_names_the_file() {
    let file = write_config("[digest\ntop_n = 5");
    let err = Config::load(Some(&file.path), &BTreeMap::new()).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Syntax { path, .. } if *path == file.path),
        "{err:?}"
    );
}

#[test]
fn rust_log_wins_over_the_file() {
    let file = write_config("[log]\nlevel = \"warn\"\n");
    let config = Config::load(Some(&file.path), &BTreeMap::new()).unwrap();
    assert_eq!(config.log.level, "warn");
    let config = Config::load(Some(&file.path), &env(&[("RUST_LOG", "debug,hyper=info")])).unwrap();
    assert_eq!(config.log.level, "debug,hyper=info");
    let config = Config::load(Some(&file.path), &env(&[("RUST_LOG", "")])).unwrap();
    assert_eq!(config.log.level, "warn");
}

#[test]
fn process_environment_loads() {
    // The test runner's environment holds no paperboy overrides; secrets or RUST_LOG, if a
    // developer has them set, do not touch the digest section.
    let config = Config::from_process_env(Some(Path::new(SHIPPED))).unwrap();
    assert_eq!(config.digest, Config::default().digest);
    let err = Config::from_process_env(Some(Path::new("/nonexistent/paperboy.toml")));
    assert!(matches!(err, Err(ConfigError::NotFound { .. })));
}
