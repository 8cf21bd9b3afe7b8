//! Where a digest or an alert goes: a chat on some platform.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A messaging platform paperboy delivers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Telegram,
    Discord,
    /// A Discord incoming webhook: no bot in the server, no commands, only deliveries.
    DiscordWebhook,
}

impl Platform {
    pub fn as_str(&self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
            Platform::DiscordWebhook => "discord-webhook",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One destination: a Telegram chat (optionally a forum topic in it), a Discord channel or
/// thread, or a Discord webhook.
///
/// Its text form, `telegram:-1001234`, `telegram:-1001234/42` (topic 42),
/// `discord:123456789012345678`, `discord-user:42` or `discord-webhook:https://...`, is what users type on the
/// command line and what the store uses as a key, so `parse(display(x)) == x` always holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ChatRef {
    Telegram {
        chat_id: i64,
        thread_id: Option<i32>,
    },
    Discord {
        channel_id: u64,
    },
    DiscordWebhook {
        url: String,
    },
    /// A Discord user, reached by direct message (alerts only).
    DiscordUser {
        user_id: u64,
    },
}

/// A chat reference that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid chat {input:?}: {reason} (expected telegram:ID[/TOPIC], discord:ID, discord-user:ID or discord-webhook:URL)")]
pub struct InvalidChat {
    pub input: String,
    pub reason: &'static str,
}

impl ChatRef {
    pub fn telegram(chat_id: i64) -> ChatRef {
        ChatRef::Telegram {
            chat_id,
            thread_id: None,
        }
    }

    pub fn platform(&self) -> Platform {
        match self {
            ChatRef::Telegram { .. } => Platform::Telegram,
            ChatRef::Discord { .. } => Platform::Discord,
            ChatRef::DiscordWebhook { .. } => Platform::DiscordWebhook,
            ChatRef::DiscordUser { .. } => Platform::Discord,
        }
    }

    /// Parses the text form; see the type's docs.
    pub fn parse(input: &str) -> Result<ChatRef, InvalidChat> {
        let bad = |reason| InvalidChat {
            input: input.to_string(),
            reason,
        };
        let (platform, rest) = input.trim().split_once(':').ok_or(bad("no platform"))?;
        match platform.to_ascii_lowercase().as_str() {
            "telegram" | "tg" => {
                let (chat, thread) = match rest.split_once('/') {
                    Some((c, t)) => (c, Some(t)),
                    None => (rest, None),
                };
                let chat_id = chat
                    .parse()
                    .map_err(|_| bad("the chat id is not a number"))?;
                let thread_id = thread
                    .map(|t| t.parse().map_err(|_| bad("the topic id is not a number")))
                    .transpose()?;
                Ok(ChatRef::Telegram { chat_id, thread_id })
            }
            "discord" => Ok(ChatRef::Discord {
                channel_id: rest
                    .parse()
                    .map_err(|_| bad("the channel id is not a number"))?,
            }),
            "discord-user" => Ok(ChatRef::DiscordUser {
                user_id: rest
                    .parse()
                    .map_err(|_| bad("the user id is not a number"))?,
            }),
            "discord-webhook" => {
                if rest.starts_with("https://") || rest.starts_with("http://") {
                    Ok(ChatRef::DiscordWebhook {
                        url: rest.to_string(),
                    })
                } else {
                    Err(bad("the webhook is not an http(s) URL"))
                }
            }
            _ => Err(bad("unknown platform")),
        }
    }

    /// The text form for logs: a webhook's token (its last path segment) is replaced by
    /// `***`, since anyone holding the URL can post to the channel.
    pub fn redacted(&self) -> String {
        match self {
            ChatRef::DiscordWebhook { url } => {
                let path = url.split('?').next().unwrap_or(url);
                match path.rsplit_once('/') {
                    Some((head, _token)) => format!("discord-webhook:{head}/***"),
                    None => "discord-webhook:***".to_string(),
                }
            }
            other => other.to_string(),
        }
    }

    /// True for chats that are one person (alerts go only to those).
    ///
    /// Telegram gives private chats positive ids and groups and channels negative ones.
    pub fn is_private(&self) -> bool {
        match self {
            ChatRef::Telegram { chat_id, .. } => *chat_id > 0,
            ChatRef::DiscordUser { .. } => true,
            ChatRef::Discord { .. } | ChatRef::DiscordWebhook { .. } => false,
        }
    }
}

impl fmt::Display for ChatRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatRef::Telegram {
                chat_id,
                thread_id: None,
            } => write!(f, "telegram:{chat_id}"),
            ChatRef::Telegram {
                chat_id,
                thread_id: Some(t),
            } => write!(f, "telegram:{chat_id}/{t}"),
            ChatRef::Discord { channel_id } => write!(f, "discord:{channel_id}"),
            ChatRef::DiscordWebhook { url } => write!(f, "discord-webhook:{url}"),
            ChatRef::DiscordUser { user_id } => write!(f, "discord-user:{user_id}"),
        }
    }
}

impl FromStr for ChatRef {
    type Err = InvalidChat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChatRef::parse(s)
    }
}

impl TryFrom<String> for ChatRef {
    type Error = InvalidChat;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ChatRef::parse(&value)
    }
}

impl From<ChatRef> for String {
    fn from(value: ChatRef) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for s in [
            "telegram:12345",
            "telegram:-1001234567890",
            "telegram:-1001234567890/42",
            "discord:123456789012345678",
            "discord-user:42",
            "discord-webhook:https://discord.com/api/webhooks/1/abc",
        ] {
            let chat = ChatRef::parse(s).unwrap();
            assert_eq!(chat.to_string(), s);
        }
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        for s in [
            "",
            "12345",
            "telegram:abc",
            "telegram:1/x",
            "slack:1",
            "discord-webhook:ftp://x",
        ] {
            let err = ChatRef::parse(s).unwrap_err();
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn redacted_hides_webhook_tokens_only() {
        let hook =
            ChatRef::parse("discord-webhook:https://discord.com/api/webhooks/1/SECRET?thread_id=5")
                .unwrap();
        assert_eq!(
            hook.redacted(),
            "discord-webhook:https://discord.com/api/webhooks/1/***"
        );
        assert_eq!(ChatRef::telegram(-5).redacted(), "telegram:-5");
    }

    #[test]
    fn private_chats_are_positive_telegram_ids() {
        assert!(ChatRef::telegram(5).is_private());
        assert!(!ChatRef::telegram(-5).is_private());
        assert!(!ChatRef::Discord { channel_id: 5 }.is_private());
    }
}
