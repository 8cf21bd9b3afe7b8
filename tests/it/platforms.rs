//! One process, one store, both platforms (issue 4, acceptance 4): `paperboy send` with a
//! Telegram chat, a Discord channel and a Discord webhook subscribed delivers the day once to
//! each, through each platform's fake, and a second run sends nothing.

use chrono::{Days, Utc};

use crate::support::cli::{output, paperboy, stderr};
use crate::support::discord_fake::{FakeDiscord, BOT_TOKEN};
use crate::support::hf;
use crate::support::telegram_fake::FakeTelegram;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_store_serves_telegram_and_discord_once_each() {
    let telegram = FakeTelegram::start().await;
    let discord = FakeDiscord::start().await;
    let hf_server = hf::start().await;
    let yesterday = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .unwrap();
    hf::serve_day(&hf_server, yesterday, &hf::items(8)).await;
    let webhook = discord.create_webhook(77, 555);

    let dir = tempfile::tempdir().unwrap();
    let env = |cmd: &mut std::process::Command| {
        cmd.env("PAPERBOY_TELEGRAM_TOKEN", telegram.token())
            .env("PAPERBOY_TELEGRAM__API_URL", telegram.api_url())
            .env("PAPERBOY_TELEGRAM__PER_CHAT_INTERVAL_MS", "0")
            .env("PAPERBOY_DISCORD_TOKEN", BOT_TOKEN)
            .env("PAPERBOY_DISCORD__API_URL", discord.api_url().as_str())
            .env("PAPERBOY_SOURCE__HF_BASE_URL", hf_server.uri())
            .env("PAPERBOY_STORE__PATH", dir.path().join("db"));
    };
    for chat in [
        "telegram:4242",
        "discord:555",
        &format!("discord-webhook:{webhook}"),
    ] {
        let mut cmd = paperboy(dir.path());
        cmd.args(["subscriptions", "add", chat, "--top", "3"]);
        env(&mut cmd);
        let out = output(cmd).await;
        assert!(out.status.success(), "{chat}: {}", stderr(&out));
    }

    for run in 0..2 {
        let mut cmd = paperboy(dir.path());
        cmd.arg("send");
        env(&mut cmd);
        let out = output(cmd).await;
        assert!(out.status.success(), "run {run}: {}", stderr(&out));
    }

    // Telegram: a header and a photo + message per paper, once.
    assert_eq!(telegram.sent_to(4242).len(), 2 * 3 + 1);
    // Discord: the embeds of 3 papers, once in the channel and once through the webhook.
    let embeds = |messages: Vec<serde_json::Value>| -> usize {
        messages
            .iter()
            .map(|m| m["embeds"].as_array().map_or(0, Vec::len))
            .sum()
    };
    assert_eq!(embeds(discord.channel_messages(555)), 3, "channel");
    assert_eq!(embeds(discord.webhook_messages(77)), 3, "webhook");
    // The webhook needs no bot token, and the channel message went out as the bot.
    for payload in discord.message_payloads() {
        let message: paperboy::render::discord::Message = serde_json::from_value(payload).unwrap();
        paperboy::render::discord::check(&message).unwrap();
    }
}
