//! The command line: parsing what the user typed, then running it.
//!
//! This is an edge of the program, so it uses `anyhow` with context; the library modules
//! below it return typed errors.

mod bots;
mod db;
mod run;
mod send;
mod subscriptions;
mod summarize;
pub mod today;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::adapters::{discord, telegram, Couriers};
use crate::config::Config;
use crate::delivery::engine::{Engine, Retry};
use crate::delivery::pace::{Limits, Pace};
use crate::source;
use crate::store::Store;
use crate::summarize::{llm, Backend};

/// paperboy: the day's top Hugging Face Daily Papers, summarized, on Telegram and Discord.
#[derive(Debug, Parser)]
#[command(name = "paperboy", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: $PAPERBOY_CONFIG, else config/paperboy.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the digest of a day (no token needed).
    Today(today::Args),
    /// Run the bots and the scheduler until SIGINT or SIGTERM.
    Run,
    /// Run one delivery pass now (every subscribed chat that has not got the day), then exit.
    Send(send::Args),
    /// List, add or remove subscriptions.
    #[command(subcommand)]
    Subscriptions(subscriptions::Args),
    /// Summarize a day's top papers ahead of time with the configured LLM.
    Summarize(summarize::Args),
    /// Inspect, export or import the database.
    #[command(subcommand)]
    Db(db::Args),
}

/// Most delivery jobs in flight in one pass: enough for the global rate to be the limit.
pub const PASS_CONCURRENCY: usize = 4096;

/// Runs a parsed command line. Errors are returned to `main`, which prints them on one line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::from_process_env(cli.config.as_deref())?;
    init_logging(&config);
    match cli.command {
        Command::Today(args) => today::run(&config, args).await,
        Command::Run => run::run(&config).await,
        Command::Send(args) => send::run(&config, args).await,
        Command::Subscriptions(args) => subscriptions::run(&config, args).await,
        Command::Summarize(args) => summarize::run(&config, args).await,
        Command::Db(args) => db::run(&config, args).await,
    }
}

/// Logs go to stderr, so stdout carries only a command's output (a digest, JSON Lines).
/// `log.level` is already `RUST_LOG` when that is set.
fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    // A second initialisation (tests calling `run` twice) is harmless; ignore it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Opens the store at `store.path`; says so when another paperboy holds it.
pub fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.store.path, config.store.cache_mb)
        .with_context(|| format!("cannot open the store at {}", config.store.path.display()))
}

/// The couriers this configuration allows, or `None` (after saying which variables to
/// set) when nothing can be delivered: no platform token and no Discord webhook subscribed.
pub fn couriers(config: &Config, store: &Store) -> anyhow::Result<Option<Couriers>> {
    let mut couriers = Couriers::default();
    if let Some(token) = &config.secrets.telegram_token {
        couriers.telegram = Some(
            telegram::Sender::new(token, &config.telegram.api_url, config.telegram.timeout)
                .context("cannot set up Telegram")?,
        );
    }
    // Webhooks need no token, so the Discord sender always exists.
    couriers.discord = Some(discord::Sender::from_config(config).context("cannot set up Discord")?);
    let has_token =
        config.secrets.telegram_token.is_some() || config.secrets.discord_token.is_some();
    // Only without a token does it matter whether webhooks are subscribed; the scan reads
    // every subscription, so a bot with a token skips it at start-up.
    let has_webhooks = || {
        store
            .subscriptions_iter()
            .filter_map(Result::ok)
            .any(|s| s.is_active && s.chat.platform() == crate::domain::Platform::DiscordWebhook)
    };
    Ok((has_token || has_webhooks()).then_some(couriers))
}

/// Exit status 2 and the variables to set, for commands that need a platform.
pub fn no_platform() -> ExitCode {
    eprintln!(
        "paperboy: no platform configured: set PAPERBOY_TELEGRAM_TOKEN (Telegram) or PAPERBOY_DISCORD_TOKEN (Discord)"
    );
    ExitCode::from(2)
}

/// The delivery engine as configured.
pub fn engine(config: &Config, store: Store, couriers: Couriers) -> Engine<Couriers> {
    let telegram = Limits {
        global_per_sec: config.telegram.global_per_sec,
        per_chat_interval: config.telegram.per_chat_interval,
        group_per_minute: config.telegram.group_per_minute,
    };
    let discord = Limits {
        global_per_sec: config.discord.global_per_sec,
        ..Limits::DISCORD
    };
    let retry = Retry {
        max_attempts: config.delivery.max_attempts,
        backoff_base: config.delivery.backoff_base,
        backoff_max: config.delivery.backoff_max,
        failures_before_inactive: config.delivery.failures_before_inactive,
        ..Retry::default()
    };
    Engine::new(
        store,
        couriers,
        Pace::per_platform(telegram, discord),
        retry,
    )
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM; only Ctrl-C stops paperboy");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The HF client as configured.
pub fn hf_client(config: &Config) -> anyhow::Result<source::Client> {
    let client = source::Client::new(
        config.source.hf_base_url.as_str(),
        config.source.timeout,
        config.secrets.hf_token.clone(),
    )
    .context("cannot build the Hugging Face client")?;
    Ok(client.with_retry(source::RetryPolicy {
        max_attempts: config.source.max_attempts,
        base_delay: config.source.backoff_base,
        ..source::RetryPolicy::default()
    }))
}

/// The summarizer as configured: an LLM when `llm.base_url` is set, else extractive.
/// `store` caches LLM summaries and counts the token budget across restarts.
pub fn summarizer(config: &Config, store: Option<Store>) -> anyhow::Result<Backend> {
    let Some(base_url) = &config.llm.base_url else {
        return Ok(Backend::Extractive);
    };
    let client = llm::Client::new(
        base_url.as_str(),
        config.secrets.llm_api_key.clone(),
        config.llm.timeout,
        config.llm.max_concurrency,
    )
    .context("cannot build the LLM client")?
    .with_retry(llm::RetryPolicy {
        attempts: usize::try_from(config.llm.max_attempts).unwrap_or(1),
        backoff: config.llm.backoff_base,
        ..llm::RetryPolicy::default()
    });
    let mut model = llm::Llm::new(client, config.llm.model.clone())
        .with_daily_token_budget(config.llm.daily_token_budget.unwrap_or(0))
        .with_temperature(config.llm.temperature as f32);
    if let Some(store) = store {
        model = model.with_store(store);
    }
    Ok(Backend::Llm(model))
}
