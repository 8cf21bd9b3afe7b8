//! The bot's side of the gateway: slash commands, autocomplete, and noticing when paperboy
//! leaves a server or a subscribed channel is deleted.
//!
//! [`run`] connects with the `GUILDS` intent only (no message content, no members): slash
//! commands arrive as interactions whatever the intents, and `GUILDS` is what tells the bot
//! about servers and channels coming and going. Each event runs in its own task (serenity's
//! dispatch), so a slow `/today` never holds up another command.
//!
//! Commands go through the platform-neutral [`crate::command::handle`], so Discord and
//! Telegram answer alike. Replies only the caller needs (`/settings`, usage errors,
//! refusals, the `/today` cooldown) are ephemeral; changes to the channel's subscription are
//! shown to the channel. `/today` is deferred at once (Discord wants an answer within 3 s and
//! a digest can take longer), then the digest arrives as the deferred reply and follow-ups,
//! each payload checked against Discord's limits first.
//!
//! Subscriptions name channels, not servers, so the bot keeps a small map from each server
//! to its subscribed channels, filled from `GUILD_CREATE` (sent for every server at connect)
//! and from commands. When paperboy is removed from a server (`GUILD_DELETE` without
//! `unavailable`; with it, it is only an outage) or a channel or thread is deleted, the
//! subscriptions there become inactive with their settings kept; when paperboy comes back
//! to the server they become active again.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use serenity::all::{
    ChannelId, ClientBuilder, CommandInteraction, Context, EventHandler, GatewayIntents, Guild,
    GuildChannel, GuildId, Interaction, PartialGuildChannel, Ready, UnavailableGuild,
};
use serenity::http::Http;

use super::interaction::{self, command_from_interaction, suggest_languages, suggest_timezones};
use super::send::{self, DEFAULT_TIMEOUT};
use crate::alerts;
use crate::archive::Archive;
use crate::command::alert::{AlertAnswer, AlertCommand};
use crate::command::{self, AlertLimits, Answer, Caller, Command, Defaults};
use crate::config::Config;
use crate::delivery::engine;
use crate::domain::sentence::truncate;
use crate::domain::subscription::InactiveReason;
use crate::domain::{ChatRef, Language};
use crate::render::discord::{self as render, Message, CONTENT_LIMIT};
use crate::store::Store;
use crate::summarize::Backend;
use crate::{pipeline, scheduler, source};

/// Discord's flag for a reply only the caller sees.
const EPHEMERAL: u64 = 1 << 6;
/// Interaction callback types.
const CHANNEL_MESSAGE: u8 = 4;
const DEFERRED_CHANNEL_MESSAGE: u8 = 5;
const AUTOCOMPLETE_RESULT: u8 = 8;

/// What went wrong on paperboy's side, in words for the person who asked.
const SORRY: &str = "Sorry, something went wrong on paperboy's side; please try again in a minute.";

/// Connects to the gateway and serves slash commands until `stop` completes (or the
/// connection fails for good, e.g. a refused token).
///
/// Scheduled deliveries are not sent from here: they go through the delivery engine with a
/// [`super::Sender`], which needs no gateway.
pub async fn run(
    config: &Config,
    store: Store,
    archive: Archive,
    backend: Backend,
    stop: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let token = config.secrets.discord_token.as_ref().with_context(|| {
        format!(
            "{} is not set: the Discord bot needs its token",
            crate::config::ENV_DISCORD_TOKEN
        )
    })?;
    let client = send::client(DEFAULT_TIMEOUT)?;
    let http = send::http(token, config.discord.api_url.as_ref(), client);
    let bot = Bot {
        defaults: defaults(config, &backend),
        store,
        archive,
        backend,
        lookback_days: config.source.lookback_days,
        dev_guild_id: config.discord.dev_guild_id,
        alert_limits: AlertLimits {
            max_rules: config.alerts.max_rules_per_person,
            max_chars: config.alerts.max_rule_chars,
        },
        guilds: Mutex::new(HashMap::new()),
    };
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler(Arc::new(bot)))
        .await
        .context("cannot set up the Discord client")?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        result = client.start() => {
            result.context("the Discord gateway connection ended")?;
        }
        () = stop => {
            tracing::info!("stopping the Discord bot");
            shards.shutdown_all().await;
        }
    }
    Ok(())
}

/// The settings of chats that chose none, and the `/today` cooldown (shared with Telegram's
/// `telegram.today_cooldown_secs`, so both bots limit alike).
pub fn defaults(config: &Config, backend: &Backend) -> Defaults {
    Defaults::from_config(config, backend.is_llm())
}

/// Everything a command needs; shared by every event task.
struct Bot {
    store: Store,
    archive: Archive,
    backend: Backend,
    defaults: Defaults,
    lookback_days: u32,
    dev_guild_id: Option<u64>,
    alert_limits: AlertLimits,
    /// `server id -> subscribed channel and thread ids`. A std mutex: held for a map
    /// access, never across an await.
    guilds: Mutex<HashMap<u64, HashSet<u64>>>,
}

struct Handler(Arc<Bot>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        ctx.http.set_application_id(ready.application.id);
        tracing::info!(
            user = %ready.user.name,
            servers = ready.guilds.len(),
            invite = %interaction::invite_url(ready.application.id.get()),
            "connected to Discord"
        );
        self.0.register(&ctx.http).await;
    }

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let channels = guild
            .channels
            .keys()
            .copied()
            .chain(guild.threads.iter().map(|t| t.id));
        self.0
            .server_seen(guild.id.get(), channels.map(ChannelId::get));
    }

    async fn guild_delete(
        &self,
        _ctx: Context,
        incomplete: UnavailableGuild,
        _full: Option<Guild>,
    ) {
        if incomplete.unavailable {
            tracing::warn!(
                server = incomplete.id.get(),
                "discord server unavailable (an outage); subscriptions kept"
            );
            return;
        }
        self.0.server_left(incomplete.id.get());
    }

    async fn channel_delete(
        &self,
        _ctx: Context,
        channel: GuildChannel,
        _messages: Option<Vec<serenity::all::Message>>,
    ) {
        self.0
            .channel_gone(Some(channel.guild_id.get()), channel.id.get());
    }

    async fn thread_delete(
        &self,
        _ctx: Context,
        thread: PartialGuildChannel,
        _full: Option<GuildChannel>,
    ) {
        self.0
            .channel_gone(Some(thread.guild_id.get()), thread.id.get());
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.0.command(&ctx.http, &command).await,
            Interaction::Autocomplete(command) => self.0.autocomplete(&ctx.http, &command).await,
            _ => {}
        }
    }
}

/// How a text answer is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// Only the person who asked.
    Caller,
    /// Everyone in the channel.
    Channel,
}

impl Bot {
    /// Registers the slash commands: in the dev server only (instant) or globally (Discord
    /// may take a while to show changes). A bulk overwrite, so removed commands go too.
    async fn register(&self, http: &Http) {
        let commands = interaction::commands();
        let result = match self.dev_guild_id {
            Some(guild) => http
                .create_guild_commands(GuildId::new(guild), &commands)
                .await
                .map(|c| c.len()),
            None => http
                .create_global_commands(&commands)
                .await
                .map(|c| c.len()),
        };
        match result {
            Ok(n) => {
                tracing::info!(commands = n, server = ?self.dev_guild_id, "slash commands registered")
            }
            Err(e) => tracing::error!(error = %e, "cannot register the slash commands"),
        }
    }

    async fn command(&self, http: &Http, interaction: &CommandInteraction) {
        let invocation = interaction::invocation(interaction);
        let now = Utc::now();
        let (caller, command) = match command_from_interaction(&invocation) {
            Ok(parsed) => parsed,
            Err(e) => {
                return self
                    .reply(http, interaction, &e.to_string(), Audience::Caller)
                    .await
            }
        };
        tracing::info!(chat = %caller.chat, command = %invocation.name, may_manage = caller.may_manage, "slash command");
        if let Command::Alert(alert) = &command {
            let app = invocation.app_language();
            return self
                .alert(http, interaction, invocation.user_id, app, alert, now)
                .await;
        }
        let answer = command::handle(&self.store, &self.defaults, &caller, &command, now);
        if let Some(guild) = invocation.guild_id {
            if matches!(self.store.subscription(&caller.chat), Ok(Some(_))) {
                self.remember(guild, invocation.channel_id);
            }
        }
        match answer {
            Ok(Answer::Text(text)) => {
                let audience = audience(&command, &caller);
                self.reply(http, interaction, &text, audience).await;
            }
            Ok(Answer::Digest {
                date,
                language,
                top_n,
            }) => {
                self.today(http, interaction, &caller.chat, date, language, top_n, now)
                    .await
            }
            Err(e) => {
                tracing::error!(chat = %caller.chat, error = %e, "the store failed during a command");
                self.reply(http, interaction, SORRY, Audience::Caller).await;
            }
        }
    }

    /// `/alert ...`: the person's own alerts, wherever they typed it; alerts reach them by
    /// direct message. Answered only to them. `/alert test` reads the last days' lists,
    /// which may take longer than Discord waits for an answer, so it is deferred first.
    async fn alert(
        &self,
        http: &Http,
        interaction: &CommandInteraction,
        user_id: u64,
        app: Option<Language>,
        alert: &AlertCommand,
        now: DateTime<Utc>,
    ) {
        let owner = ChatRef::DiscordUser { user_id };
        let fallback = self.defaults.language;
        let language =
            command::alert::alert_language(&self.store, &owner, app, fallback).unwrap_or(fallback);
        let answer = command::alert::handle(
            &self.store,
            &self.alert_limits,
            &owner,
            language,
            alert,
            now,
        );
        let rule = match answer {
            Ok(AlertAnswer::Text(text)) => {
                return self.reply(http, interaction, &text, Audience::Caller).await
            }
            Ok(AlertAnswer::Test(rule)) => rule,
            Err(e) => {
                tracing::error!(user = user_id, error = %e, "an alert command failed in the store");
                return self.reply(http, interaction, SORRY, Audience::Caller).await;
            }
        };
        let deferred = json!({ "type": DEFERRED_CHANNEL_MESSAGE, "data": { "flags": EPHEMERAL } });
        if let Err(e) = http
            .create_interaction_response(interaction.id, &interaction.token, &deferred, Vec::new())
            .await
        {
            tracing::warn!(error = %e, "cannot defer /alert test");
            return;
        }
        let text = alerts::test_rule(&self.archive, &rule, language, now).await;
        let message = json!({
            "content": truncate(&text, CONTENT_LIMIT),
            "allowed_mentions": { "parse": [] },
        });
        if let Err(e) = http
            .edit_original_interaction_response(&interaction.token, &message, Vec::new())
            .await
        {
            tracing::warn!(error = %e, "cannot deliver /alert test");
        }
    }

    /// `/today`: deferred, then the digest as the deferred reply and follow-ups.
    #[allow(clippy::too_many_arguments)] // the command's parts, each used once
    async fn today(
        &self,
        http: &Http,
        interaction: &CommandInteraction,
        chat: &ChatRef,
        date: Option<NaiveDate>,
        language: Language,
        top_n: u8,
        now: DateTime<Utc>,
    ) {
        let deferred = json!({ "type": DEFERRED_CHANNEL_MESSAGE });
        if let Err(e) = http
            .create_interaction_response(interaction.id, &interaction.token, &deferred, Vec::new())
            .await
        {
            tracing::warn!(error = %e, "cannot defer /today");
            return;
        }
        let (day, messages) = match self.digest(date, language, top_n, now).await {
            Ok((day, messages)) => (Some(day), messages),
            Err(text) => (None, vec![text_message(&text)]),
        };
        for (index, message) in messages.iter().enumerate() {
            if let Err(problem) = render::check(message) {
                tracing::error!(%problem, "a /today payload breaks Discord's limits; not sent");
                continue;
            }
            let sent = if index == 0 {
                http.edit_original_interaction_response(&interaction.token, message, Vec::new())
                    .await
            } else {
                http.create_followup_message(&interaction.token, message, Vec::new())
                    .await
            };
            if let Err(e) = sent {
                tracing::warn!(error = %e, part = index, "cannot deliver /today");
                return;
            }
        }
        if let Some(day) = day {
            if let Err(e) = engine::record_on_request(&self.store, chat, day, now).await {
                tracing::warn!(chat = %chat, error = %e, "cannot record the /today digest as delivered");
            }
        }
    }

    /// The digest of `date`, or of the newest day with papers (today included, as
    /// `paperboy today` does), with that day, as Discord payloads; or what to say instead.
    async fn digest(
        &self,
        date: Option<NaiveDate>,
        language: Language,
        top_n: u8,
        now: DateTime<Utc>,
    ) -> Result<(NaiveDate, Vec<Message>), String> {
        let today = source::today_utc(now);
        let unreachable = |e: crate::archive::Error| {
            tracing::warn!(error = %e, "cannot get papers for /today");
            "Hugging Face cannot be reached right now; please try again in a few minutes."
                .to_string()
        };
        let (date, papers) = match date {
            Some(date) if date > today => {
                return Err(format!("{date} is in the future; today in UTC is {today}."))
            }
            Some(date) => (
                date,
                self.archive.day(date, now).await.map_err(unreachable)?,
            ),
            None => {
                let mut days = vec![today];
                days.extend(scheduler::candidate_days(now, self.lookback_days));
                match self
                    .archive
                    .newest_with_papers(&days, now)
                    .await
                    .map_err(unreachable)?
                {
                    Some(found) => found,
                    None => {
                        return Err(format!(
                            "No papers in the last {} days (weekends and holidays are quiet).",
                            self.lookback_days
                        ))
                    }
                }
            }
        };
        let digest =
            pipeline::build_digest(date, &papers, usize::from(top_n), language, &self.backend)
                .await;
        Ok((date, render::messages(&digest)))
    }

    async fn autocomplete(&self, http: &Http, interaction: &CommandInteraction) {
        let Some(focused) = interaction.data.autocomplete() else {
            return;
        };
        let choices: Vec<serde_json::Value> = match focused.name {
            "timezone" => suggest_timezones(focused.value)
                .into_iter()
                .map(|name| json!({ "name": name, "value": name }))
                .collect(),
            "language" => suggest_languages(focused.value)
                .into_iter()
                .map(|(label, code)| json!({ "name": label, "value": code }))
                .collect(),
            _ => Vec::new(),
        };
        let response = json!({ "type": AUTOCOMPLETE_RESULT, "data": { "choices": choices } });
        if let Err(e) = http
            .create_interaction_response(interaction.id, &interaction.token, &response, Vec::new())
            .await
        {
            tracing::debug!(error = %e, "cannot answer an autocomplete");
        }
    }

    async fn reply(
        &self,
        http: &Http,
        interaction: &CommandInteraction,
        text: &str,
        audience: Audience,
    ) {
        let mut data = json!({
            "content": truncate(text, CONTENT_LIMIT),
            "allowed_mentions": { "parse": [] },
        });
        if audience == Audience::Caller {
            data["flags"] = json!(EPHEMERAL);
        }
        let response = json!({ "type": CHANNEL_MESSAGE, "data": data });
        if let Err(e) = http
            .create_interaction_response(interaction.id, &interaction.token, &response, Vec::new())
            .await
        {
            tracing::warn!(error = %e, "cannot answer a slash command");
        }
    }

    fn remember(&self, guild: u64, channel: u64) {
        self.guilds().entry(guild).or_default().insert(channel);
    }

    /// A server the bot is in, with its channels: remember the subscribed ones, and bring
    /// back those that went inactive when the bot was removed from it.
    fn server_seen(&self, guild: u64, channels: impl Iterator<Item = u64>) {
        let mut subscribed = HashSet::new();
        for channel_id in channels {
            let chat = ChatRef::Discord { channel_id };
            match self.store.subscription(&chat) {
                Ok(Some(sub)) => {
                    subscribed.insert(channel_id);
                    if !sub.is_active && sub.inactive_reason == Some(InactiveReason::Removed) {
                        self.reactivate(&chat, guild);
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::error!(chat = %chat, error = %e, "cannot read a subscription"),
            }
        }
        if !subscribed.is_empty() {
            self.guilds().entry(guild).or_default().extend(subscribed);
        }
    }

    fn reactivate(&self, chat: &ChatRef, guild: u64) {
        let result = self.store.update_subscription(chat, |s| {
            if !s.is_active && s.inactive_reason == Some(InactiveReason::Removed) {
                s.is_active = true;
                s.inactive_reason = None;
                s.consecutive_failures = 0;
            }
        });
        match result {
            Ok(_) => {
                tracing::info!(chat = %chat, server = guild, "back in the server; subscription active again")
            }
            Err(e) => tracing::error!(chat = %chat, error = %e, "cannot reactivate a subscription"),
        }
    }

    /// The bot was removed from a server: its subscriptions stop, settings kept.
    fn server_left(&self, guild: u64) {
        let channels = self.guilds().remove(&guild).unwrap_or_default();
        tracing::info!(
            server = guild,
            subscriptions = channels.len(),
            "removed from a Discord server"
        );
        for channel_id in channels {
            self.deactivate(channel_id);
        }
    }

    fn channel_gone(&self, guild: Option<u64>, channel_id: u64) {
        if let Some(guild) = guild {
            if let Some(channels) = self.guilds().get_mut(&guild) {
                channels.remove(&channel_id);
            }
        }
        self.deactivate(channel_id);
    }

    fn deactivate(&self, channel_id: u64) {
        let chat = ChatRef::Discord { channel_id };
        let mut changed = false;
        let result = self.store.update_subscription(&chat, |s| {
            changed = s.is_active;
            if s.is_active {
                s.is_active = false;
                s.inactive_reason = Some(InactiveReason::Removed);
            }
        });
        match result {
            Ok(Some(_)) if changed => {
                tracing::info!(chat = %chat, "subscription inactive: the bot or the channel is gone; settings kept")
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(chat = %chat, error = %e, "cannot mark a subscription inactive")
            }
        }
    }

    fn guilds(&self) -> MutexGuard<'_, HashMap<u64, HashSet<u64>>> {
        // Poisoned only by a panic while held; the map is still usable.
        self.guilds.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Changes to the channel's subscription are for everyone there; everything else, and any
/// refusal, is for the caller only.
fn audience(command: &Command, caller: &Caller) -> Audience {
    let changes = matches!(
        command,
        Command::Subscribe { .. }
            | Command::Unsubscribe
            | Command::Time { .. }
            | Command::Top { .. }
            | Command::Lang { .. }
    );
    if changes && caller.may_manage {
        Audience::Channel
    } else {
        Audience::Caller
    }
}

fn text_message(text: &str) -> Message {
    Message {
        content: Some(truncate(text, CONTENT_LIMIT).into_owned()),
        embeds: Vec::new(),
        allowed_mentions: Default::default(),
    }
}
