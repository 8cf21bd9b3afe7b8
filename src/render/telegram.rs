//! A digest as the Telegram Bot API calls that deliver it (HTML parse mode).

use serde::{Deserialize, Serialize};

/// Telegram's parse mode; paperboy only ever sends HTML (MarkdownV2 escaping is the most
/// common cause of dropped messages in peer bots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ParseMode {
    #[default]
    #[serde(rename = "HTML")]
    Html,
}

/// `link_preview_options` of `sendMessage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LinkPreviewOptions {
    pub is_disabled: bool,
}

/// One photo of a `sendMediaGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputMediaPhoto {
    /// Always `"photo"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// An URL (or, once known, a Telegram `file_id`).
    pub media: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_mode: Option<ParseMode>,
}

/// One Bot API call, serialized exactly as the Bot API takes it (minus `chat_id`, which the
/// delivery engine adds per chat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method")]
pub enum Call {
    #[serde(rename = "sendMessage")]
    SendMessage {
        /// Valid Telegram HTML, at most 4096 characters after entity parsing.
        text: String,
        parse_mode: ParseMode,
        #[serde(default)]
        link_preview_options: LinkPreviewOptions,
    },
    #[serde(rename = "sendPhoto")]
    SendPhoto {
        /// The photo's URL (or a Telegram `file_id`).
        photo: String,
        /// Valid Telegram HTML, at most 1024 characters after entity parsing.
        caption: String,
        parse_mode: ParseMode,
    },
    #[serde(rename = "sendMediaGroup")]
    SendMediaGroup { media: Vec<InputMediaPhoto> },
}
