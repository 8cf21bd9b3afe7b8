//! `paperboy subscriptions list | add CHAT | remove CHAT`: managing chats without a bot
//! command (channels you own, Discord webhooks, scripted set-ups).

use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::Utc;
use chrono_tz::Tz;

use crate::adapters::discord;
use crate::config::Config;
use crate::domain::subscription::parse_time_zone;
use crate::domain::{ChatRef, DeliveryTime, Language, Subscription};

#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Every subscription with its settings.
    List,
    /// Subscribe a chat: telegram:ID[/TOPIC], discord:CHANNEL_ID or discord-webhook:URL.
    Add {
        chat: String,
        /// Local delivery time, HH:MM. Default: schedule.default_time.
        #[arg(long, value_name = "HH:MM")]
        time: Option<DeliveryTime>,
        /// IANA time zone, e.g. Europe/Berlin. Default: schedule.default_timezone.
        #[arg(long, value_name = "AREA/CITY", value_parser = parse_tz)]
        tz: Option<Tz>,
        /// Papers per digest (1-10). Default: digest.top_n.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
        top: Option<u8>,
        /// Digest language. Default: digest.language.
        #[arg(long, value_name = "CODE")]
        lang: Option<Language>,
    },
    /// Delete a chat's subscription and settings.
    Remove { chat: String },
}

fn parse_tz(s: &str) -> Result<Tz, String> {
    parse_time_zone(s).map_err(|e| e.to_string())
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config)?;
    match args {
        Args::List => {
            let subs = store.subscriptions().context("cannot read subscriptions")?;
            if subs.is_empty() {
                eprintln!("paperboy: no subscriptions yet");
            }
            for s in subs {
                let state = if s.is_active {
                    "active".to_string()
                } else {
                    match &s.inactive_reason {
                        Some(reason) => format!("inactive ({reason:?})"),
                        None => "inactive".to_string(),
                    }
                };
                let last = s.last_delivered.map_or("-".to_string(), |d| d.to_string());
                println!(
                    "{}\t{} {}\ttop {}\t{}\t{state}\tlast {last}\tfailures {}",
                    s.chat,
                    s.time,
                    s.timezone.name(),
                    s.top_n,
                    s.language,
                    s.consecutive_failures
                );
            }
        }
        Args::Add {
            chat,
            time,
            tz,
            top,
            lang,
        } => {
            let mut chat = ChatRef::parse(&chat)?;
            if let ChatRef::DiscordWebhook { url } = &chat {
                // Only Discord's own webhook hosts (or the configured fake in tests): paperboy
                // never posts to an arbitrary URL someone typed.
                chat = discord::parse_webhook(url, config.discord.api_url.as_ref())?;
            }
            if matches!(chat, ChatRef::DiscordUser { .. }) {
                bail!("discord-user chats receive alerts only; subscribe a channel or a webhook");
            }
            let now = Utc::now();
            let mut sub = store
                .subscription(&chat)
                .context("cannot read the subscription")?
                .unwrap_or(Subscription {
                    chat: chat.clone(),
                    time: config.schedule.default_time,
                    timezone: config.schedule.default_timezone,
                    top_n: config.digest.top_n,
                    language: config.digest.language,
                    is_active: false,
                    consecutive_failures: 0,
                    inactive_reason: None,
                    created_at: now,
                    last_delivered: None,
                });
            sub.time = time.unwrap_or(sub.time);
            sub.timezone = tz.unwrap_or(sub.timezone);
            sub.top_n = top.unwrap_or(sub.top_n);
            sub.language = lang.unwrap_or(sub.language);
            if !sub.is_active {
                sub.is_active = true;
                sub.inactive_reason = None;
                sub.consecutive_failures = 0;
                sub.created_at = now;
            }
            store
                .put_subscription(&sub)
                .context("cannot save the subscription")?;
            store.flush().await.context("cannot flush the store")?;
            let next = crate::scheduler::next_slot(now, sub.time, sub.timezone)
                .with_timezone(&sub.timezone);
            eprintln!(
                "paperboy: {} subscribed: top {} at {} {}, next digest {}",
                sub.chat,
                sub.top_n,
                sub.time,
                sub.timezone.name(),
                next.format("%Y-%m-%d %H:%M %Z")
            );
        }
        Args::Remove { chat } => {
            let chat = ChatRef::parse(&chat)?;
            let removed = store
                .remove_subscription(&chat)
                .context("cannot remove the subscription")?;
            store.flush().await.context("cannot flush the store")?;
            if !removed {
                bail!("{chat} has no subscription");
            }
            eprintln!("paperboy: {chat} removed");
        }
    }
    Ok(ExitCode::SUCCESS)
}
