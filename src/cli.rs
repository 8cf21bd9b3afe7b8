//! The command line: parsing what the user typed, then running it.
//!
//! This is an edge of the program, so it uses `anyhow` with context; the library modules
//! below it return typed errors.

pub mod today;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::config::Config;
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
}

/// Runs a parsed command line. Errors are returned to `main`, which prints them on one line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::from_process_env(cli.config.as_deref())?;
    init_logging(&config);
    match cli.command {
        Command::Today(args) => today::run(&config, args).await,
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
        .with_target(false)
        .try_init();
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
    .context("cannot build the LLM client")?;
    let model = llm::Llm::new(client, config.llm.model.clone())
        .with_daily_token_budget(config.llm.daily_token_budget.unwrap_or(0))
        .with_temperature(config.llm.temperature as f32);
    // The store-backed cache is wired in with the LLM cache work.
    drop(store);
    Ok(Backend::Llm(model))
}
