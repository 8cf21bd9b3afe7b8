//! paperboy delivers the day's top Hugging Face Daily Papers to Telegram and Discord.
//!
//! The crate is a library with a thin binary (`main.rs`). The modules, from the inside out:
//!
//! - [`domain`]: plain types (`Paper`, `Digest`, `ChatRef`, `Subscription`, alert rules) and
//!   pure logic (selection, alert matching). No IO.
//! - [`source`]: the Hugging Face Daily Papers client; its JSON types stay private.
//! - [`summarize`]: the extractive summarizer (offline, the default) and the LLM one.
//! - [`render`]: a digest as Markdown, Telegram calls, Discord messages or JSON. Pure; every
//!   platform limit is enforced here.
//! - [`store`]: everything on disk, over sled. No sled type leaves it.
//! - [`delivery`] and [`scheduler`]: who is due, rate limits, retries, the ledger.
//! - [`adapters`]: the only modules that know Telegram and Discord.
//! - [`alerts`]: the poller that sends each person the new papers their alert rules match.
//! - [`archive`]: day lists fetched once, kept in the store, shared by every chat.
//! - [`command`]: what people ask the bot, parsed and applied, whatever the platform.
//! - [`pipeline`]: fetch, select, summarize: the steps every front end shares.
//! - [`config`]: defaults, the TOML file and environment overrides, resolved and validated.
//! - [`cli`]: the command line.

pub mod adapters;
pub mod alerts;
pub mod archive;
pub mod cli;
pub mod command;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod pipeline;
pub mod render;
pub mod scheduler;
pub mod secret;
pub mod source;
pub mod store;
pub mod summarize;

/// `paperboy/VERSION (+repository)`: sent as the User-Agent to every service.
pub const USER_AGENT: &str = concat!(
    "paperboy/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);
