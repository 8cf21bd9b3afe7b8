//! Discord objects as the real API writes them: snowflakes as strings, every field serenity
//! requires present (nullable ones as `null`), so serenity deserializes what the fake sends.

use serde_json::{json, Value};

/// The application's id, which is also the bot user's id (as for every bot Discord makes).
pub const APP_ID: u64 = 900_000_000_000_000_001;
/// The bot token the fake accepts.
pub const BOT_TOKEN: &str = "fake-bot-token";
/// A timestamp in Discord's format, fixed so nothing depends on the clock.
pub const TIMESTAMP: &str = "2026-11-25T09:00:00.000000+00:00";

/// Permission bits used by tests.
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_CHANNELS: u64 = 1 << 4;
/// What an ordinary member has in a channel.
pub const MEMBER: u64 = VIEW_CHANNEL | SEND_MESSAGES | (1 << 6) | (1 << 16);
/// A member with Manage Channels.
pub const MANAGER: u64 = MEMBER | MANAGE_CHANNELS;

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(name) },
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

pub fn bot_user() -> Value {
    user(APP_ID, "paperboy", true)
}

/// A created message, echoing what was sent the way Discord does (embeds get `type` and
/// image sizes).
pub fn message(
    id: u64,
    channel_id: u64,
    sent: &Value,
    author: Value,
    webhook_id: Option<u64>,
) -> Value {
    let embeds: Vec<Value> = sent["embeds"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut embed| {
            embed["type"] = json!("rich");
            if let Some(url) = embed["image"]["url"].as_str().map(str::to_string) {
                embed["image"] = json!({
                    "url": url,
                    "proxy_url": format!("https://images-ext-1.discordapp.net/external/x/{url}"),
                    "width": 1200,
                    "height": 630,
                    "flags": 0,
                });
            }
            embed
        })
        .collect();
    let mut message = json!({
        "id": id.to_string(),
        "type": 0,
        "content": sent["content"].as_str().unwrap_or(""),
        "channel_id": channel_id.to_string(),
        "author": author,
        "attachments": [],
        "embeds": embeds,
        "mentions": [],
        "mention_roles": [],
        "pinned": false,
        "mention_everyone": false,
        "tts": false,
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "flags": sent["flags"].as_u64().unwrap_or(0),
        "components": [],
    });
    if let Some(webhook) = webhook_id {
        message["webhook_id"] = json!(webhook.to_string());
        message["application_id"] = json!(APP_ID.to_string());
    }
    message
}

/// A DM channel with `user_id`.
pub fn dm_channel(id: u64, user_id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [user(user_id, "reader", false)],
    })
}

/// A text channel (type 0) or a public thread (type 11) of a server.
pub fn guild_channel(id: u64, guild_id: u64, name: &str, thread_parent: Option<u64>) -> Value {
    let mut channel = json!({
        "id": id.to_string(),
        "type": if thread_parent.is_some() { 11 } else { 0 },
        "guild_id": guild_id.to_string(),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "parent_id": thread_parent.map(|p| p.to_string()),
        "nsfw": false,
        "topic": null,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    });
    if thread_parent.is_some() {
        channel["owner_id"] = json!("42");
        channel["thread_metadata"] = json!({
            "archived": false,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": false,
        });
    }
    channel
}

/// `GUILD_CREATE`'s payload: a server with these channels and threads.
pub fn guild(id: u64, channels: &[u64], threads: &[(u64, u64)]) -> Value {
    json!({
        "id": id.to_string(),
        "name": "Reading Group",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "42",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [{
            "id": id.to_string(),
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": 0,
            "permissions": MEMBER.to_string(),
            "managed": false,
            "mentionable": false,
            "flags": 0,
        }],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "joined_at": TIMESTAMP,
        "large": false,
        "unavailable": false,
        "member_count": 3,
        "voice_states": [],
        "members": [],
        "channels": channels
            .iter()
            .map(|c| guild_channel(*c, id, "papers", None))
            .collect::<Vec<_>>(),
        "threads": threads
            .iter()
            .map(|(t, parent)| guild_channel(*t, id, "discussion", Some(*parent)))
            .collect::<Vec<_>>(),
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    })
}

/// Where a slash command was used, and by whom.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub channel_id: u64,
    /// `None`: a DM with the bot.
    pub guild_id: Option<u64>,
    pub user_id: u64,
    /// The member's permissions in the channel (ignored in DMs).
    pub permissions: u64,
}

/// An `INTERACTION_CREATE` payload: a slash command (type 2) or an autocomplete (type 4).
pub fn interaction(id: u64, kind: u8, name: &str, options: Value, place: Place) -> Value {
    let mut interaction = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": {
            "id": "1300000000000000001",
            "name": name,
            "type": 1,
            "options": options,
        },
        "channel_id": place.channel_id.to_string(),
        "token": interaction_token(id),
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10485760,
    });
    match place.guild_id {
        Some(guild) => {
            interaction["guild_id"] = json!(guild.to_string());
            interaction["guild_locale"] = json!("en-US");
            interaction["context"] = json!(0);
            interaction["authorizing_integration_owners"] = json!({"0": guild.to_string()});
            interaction["channel"] = json!({
                "id": place.channel_id.to_string(),
                "type": 0,
                "name": "papers",
                "guild_id": guild.to_string(),
                "permissions": place.permissions.to_string(),
                "flags": 0,
            });
            interaction["member"] = json!({
                "user": user(place.user_id, "reader", false),
                "roles": [],
                "joined_at": TIMESTAMP,
                "premium_since": null,
                "deaf": false,
                "mute": false,
                "flags": 0,
                "pending": false,
                "nick": null,
                "avatar": null,
                "communication_disabled_until": null,
                "permissions": place.permissions.to_string(),
            });
        }
        None => {
            interaction["context"] = json!(1);
            interaction["authorizing_integration_owners"] = json!({"0": "0"});
            interaction["channel"] = json!({
                "id": place.channel_id.to_string(),
                "type": 1,
                "flags": 0,
            });
            interaction["user"] = user(place.user_id, "reader", false);
        }
    }
    interaction
}

/// The token Discord gives an interaction; the fake derives it from the id.
pub fn interaction_token(id: u64) -> String {
    format!("interaction-token-{id}")
}

/// An option of a slash command: a string (type 3) or an integer (type 4).
pub fn option(name: &str, value: Value) -> Value {
    let kind = if value.is_i64() || value.is_u64() {
        4
    } else {
        3
    };
    json!({ "name": name, "type": kind, "value": value })
}

/// The option being typed in an autocomplete.
pub fn focused(name: &str, typed: &str) -> Value {
    json!({ "name": name, "type": 3, "value": typed, "focused": true })
}
