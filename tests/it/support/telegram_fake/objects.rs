//! The Bot API's objects (User, Chat, Message, ChatMember, ...) as JSON, shaped like the real
//! server's answers so that teloxide-core 0.13 deserializes them: its `Message`, `ChatFullInfo`
//! and `ChatMember` types have required fields that a hand-written `{"message_id": 1}` lacks.

use serde_json::{json, Map, Value};

/// A Telegram user, as the fake knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub is_bot: bool,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str) -> TgUser {
        TgUser {
            id,
            first_name: first_name.to_string(),
            username: None,
            language_code: Some("en".to_string()),
            is_bot: false,
        }
    }

    pub fn with_username(mut self, username: &str) -> TgUser {
        self.username = Some(username.to_string());
        self
    }

    pub fn with_language(mut self, code: &str) -> TgUser {
        self.language_code = Some(code.to_string());
        self
    }

    pub fn json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        });
        if let Some(u) = &self.username {
            v["username"] = json!(u);
        }
        if let Some(l) = &self.language_code {
            v["language_code"] = json!(l);
        }
        v
    }
}

/// A chat, as the fake knows it. Telegram gives private chats the user's (positive) id, basic
/// groups small negative ids and supergroups and channels `-100...` ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TgChat {
    Private(TgUser),
    Group {
        id: i64,
        title: String,
    },
    Supergroup {
        id: i64,
        title: String,
        username: Option<String>,
        /// A forum: messages may carry a `message_thread_id` (a topic).
        is_forum: bool,
    },
    Channel {
        id: i64,
        title: String,
        username: Option<String>,
    },
}

impl TgChat {
    pub fn private(user: &TgUser) -> TgChat {
        TgChat::Private(user.clone())
    }

    pub fn group(id: i64, title: &str) -> TgChat {
        TgChat::Group {
            id,
            title: title.to_string(),
        }
    }

    pub fn supergroup(id: i64, title: &str) -> TgChat {
        TgChat::Supergroup {
            id,
            title: title.to_string(),
            username: None,
            is_forum: false,
        }
    }

    pub fn forum(id: i64, title: &str) -> TgChat {
        TgChat::Supergroup {
            id,
            title: title.to_string(),
            username: None,
            is_forum: true,
        }
    }

    pub fn channel(id: i64, title: &str) -> TgChat {
        TgChat::Channel {
            id,
            title: title.to_string(),
            username: None,
        }
    }

    /// The chat a bare id stands for when nobody registered it: positive ids are private
    /// chats, `-100...` ids supergroups, other negative ids basic groups.
    pub fn inferred(id: i64) -> TgChat {
        if id > 0 {
            TgChat::Private(TgUser::new(id, &format!("User {id}")))
        } else if id <= -1_000_000_000_000 {
            TgChat::supergroup(id, &format!("Supergroup {id}"))
        } else {
            TgChat::group(id, &format!("Group {id}"))
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            TgChat::Private(u) => u.id,
            TgChat::Group { id, .. }
            | TgChat::Supergroup { id, .. }
            | TgChat::Channel { id, .. } => *id,
        }
    }

    pub fn username(&self) -> Option<&str> {
        match self {
            TgChat::Private(u) => u.username.as_deref(),
            TgChat::Group { .. } => None,
            TgChat::Supergroup { username, .. } | TgChat::Channel { username, .. } => {
                username.as_deref()
            }
        }
    }

    pub fn is_channel(&self) -> bool {
        matches!(self, TgChat::Channel { .. })
    }

    /// The `type` field.
    pub fn kind(&self) -> &'static str {
        match self {
            TgChat::Private(_) => "private",
            TgChat::Group { .. } => "group",
            TgChat::Supergroup { .. } => "supergroup",
            TgChat::Channel { .. } => "channel",
        }
    }

    /// The `Chat` object embedded in messages.
    pub fn json(&self) -> Value {
        let mut v = json!({"id": self.id(), "type": self.kind()});
        match self {
            TgChat::Private(u) => {
                v["first_name"] = json!(u.first_name);
                if let Some(name) = &u.username {
                    v["username"] = json!(name);
                }
            }
            TgChat::Group { title, .. } => v["title"] = json!(title),
            TgChat::Supergroup {
                title,
                username,
                is_forum,
                ..
            } => {
                v["title"] = json!(title);
                if let Some(name) = username {
                    v["username"] = json!(name);
                }
                if *is_forum {
                    v["is_forum"] = json!(true);
                }
            }
            TgChat::Channel {
                title, username, ..
            } => {
                v["title"] = json!(title);
                if let Some(name) = username {
                    v["username"] = json!(name);
                }
            }
        }
        v
    }

    /// The `ChatFullInfo` object `getChat` answers with (it requires `accepted_gift_types` and
    /// `max_reaction_count`).
    pub fn full_json(&self) -> Value {
        let mut v = self.json();
        v["accent_color_id"] = json!(0);
        v["max_reaction_count"] = json!(11);
        v["accepted_gift_types"] = json!({
            "unlimited_gifts": false,
            "limited_gifts": false,
            "unique_gifts": false,
            "premium_subscription": false,
        });
        v
    }
}

/// A member's status in a chat, for `getChatMember`, `getChatAdministrators` and
/// `my_chat_member` updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStatus {
    Creator,
    Administrator,
    Member,
    Restricted,
    Left,
    Kicked,
}

/// A `ChatMember` object with every field teloxide requires for its status.
pub fn chat_member(user: &TgUser, status: MemberStatus) -> Value {
    let mut v = json!({"user": user.json()});
    match status {
        MemberStatus::Creator => {
            v["status"] = json!("creator");
            v["is_anonymous"] = json!(false);
        }
        MemberStatus::Administrator => {
            let fields = [
                ("status", json!("administrator")),
                ("is_anonymous", json!(false)),
                ("can_be_edited", json!(false)),
                ("can_manage_chat", json!(true)),
                ("can_change_info", json!(true)),
                ("can_post_messages", json!(true)),
                ("can_edit_messages", json!(true)),
                ("can_delete_messages", json!(true)),
                ("can_manage_video_chats", json!(true)),
                ("can_invite_users", json!(true)),
                ("can_restrict_members", json!(true)),
                ("can_pin_messages", json!(true)),
                ("can_manage_topics", json!(true)),
                ("can_promote_members", json!(false)),
                ("can_post_stories", json!(false)),
                ("can_edit_stories", json!(false)),
                ("can_delete_stories", json!(false)),
            ];
            for (k, value) in fields {
                v[k] = value;
            }
        }
        MemberStatus::Member => v["status"] = json!("member"),
        MemberStatus::Restricted => {
            v["status"] = json!("restricted");
            v["until_date"] = json!(0);
            v["is_member"] = json!(true);
            for k in [
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
                "can_send_polls",
            ] {
                v[k] = json!(false);
            }
        }
        MemberStatus::Left => v["status"] = json!("left"),
        MemberStatus::Kicked => {
            v["status"] = json!("kicked");
            v["until_date"] = json!(0);
        }
    }
    v
}

/// What a message holds besides its envelope.
pub enum Content<'a> {
    Text(&'a str),
    /// Photo sizes (smallest first, as Telegram orders them) and an optional caption.
    Photo(Value, Option<&'a str>),
}

/// A `Message` object. `from` is `None` for channel posts, which carry `sender_chat` instead.
pub fn message(
    message_id: i32,
    chat: &TgChat,
    from: Option<&TgUser>,
    date: i64,
    thread_id: Option<i32>,
    content: Content<'_>,
) -> Value {
    let mut v = Map::new();
    v.insert("message_id".into(), json!(message_id));
    match from {
        Some(user) => {
            v.insert("from".into(), user.json());
        }
        None => {
            v.insert("sender_chat".into(), chat.json());
        }
    }
    v.insert("chat".into(), chat.json());
    v.insert("date".into(), json!(date));
    if let Some(t) = thread_id {
        v.insert("message_thread_id".into(), json!(t));
        v.insert("is_topic_message".into(), json!(true));
    }
    match content {
        Content::Text(text) => {
            v.insert("text".into(), json!(text));
            if let Some(len) = command_len(text) {
                v.insert(
                    "entities".into(),
                    json!([{"type": "bot_command", "offset": 0, "length": len}]),
                );
            }
        }
        Content::Photo(sizes, caption) => {
            v.insert("photo".into(), sizes);
            if let Some(c) = caption {
                v.insert("caption".into(), json!(c));
            }
        }
    }
    Value::Object(v)
}

/// Photo sizes for one stored photo: Telegram answers with several, smallest first; the
/// largest carries `file_id` itself and the smaller ones derived ids.
pub fn photo_sizes(file_id: &str, bytes: usize) -> Value {
    let sizes = [(90, 47, "s"), (320, 168, "m"), (1200, 630, "")];
    Value::Array(
        sizes
            .iter()
            .map(|(w, h, suffix)| {
                let id = if suffix.is_empty() {
                    file_id.to_string()
                } else {
                    format!("{file_id}-{suffix}")
                };
                json!({
                    "file_id": id,
                    "file_unique_id": format!("u{}", id.len() + (*w as usize)),
                    "file_size": bytes.max(1) * (*w as usize) / 1200,
                    "width": w,
                    "height": h,
                })
            })
            .collect(),
    )
}

/// The length in UTF-16 units of a leading `/command` (with any `@botname`), as Telegram
/// reports it in a `bot_command` entity.
fn command_len(text: &str) -> Option<usize> {
    if !text.starts_with('/') {
        return None;
    }
    let word = text.split_whitespace().next().unwrap_or("");
    (word.len() > 1).then(|| word.encode_utf16().count())
}
