//! A loopback fake of the Telegram Bot API, faithful enough that paperboy's real adapter
//! (teloxide-core 0.13 without its Throttle adaptor) runs against it unchanged.
//!
//! An axum server on `127.0.0.1:0` serving `/bot<token>/<method>`, method names matched
//! case-insensitively (teloxide sends `/bot<token>/SendPhoto`), parameters read from the query
//! string and from JSON, form and multipart bodies. Answers are `{"ok":true,"result":...}`
//! with complete objects (Message, User, ChatMember, ChatFullInfo) or
//! `{"ok":false,"error_code":N,"description":"...","parameters":{...}}`, as the real server
//! writes them. A wrong token gets 401 "Unauthorized", an unknown method 404 "Not Found".
//!
//! # Methods
//!
//! `getMe`, `getUpdates` (long polling: held until an update is queued or `timeout` seconds
//! pass; `offset` acknowledges, a negative offset keeps the last N; `allowed_updates` filters
//! and persists; a second concurrent poll ends the first with 409 Conflict), `getWebhookInfo`,
//! `deleteWebhook` (`drop_pending_updates` honoured), `sendMessage`, `sendPhoto`,
//! `sendMediaGroup`, `setMyCommands` / `getMyCommands` / `deleteMyCommands`,
//! `getChatMember`, `getChatAdministrators`, `getChat`, `answerCallbackQuery`, and a few
//! that simply answer `true` (`sendChatAction`, `deleteMessage`, `leaveChat`, ...).
//!
//! # Sends
//!
//! Every accepted `sendMessage` / `sendPhoto` / `sendMediaGroup` is recorded as a [`Sent`]
//! (chat, topic, text or caption, parse mode, photo source: URL, file id or uploaded bytes).
//! Await them with [`FakeTelegram::wait_sent`], [`FakeTelegram::wait_sent_to`] or the general
//! [`FakeTelegram::wait_until`]. Sends go to any chat id (unknown ids are inferred: positive
//! private, `-100...` supergroup, other negative a basic group) unless a failure is scripted.
//! With [`Options::check_html`] (the default) HTML-mode texts are parsed as Telegram does:
//! unknown or misnested tags give 400 "can't parse entities", more than 4096 (1024 for a
//! caption) UTF-16 units after parsing give "message is too long" / "message caption is too
//! long". Photos by URL are accepted without fetching anything and get a stable file id per
//! URL; file ids must be ones the fake issued (or [`FakeTelegram::add_file_id`]); uploads must
//! be non-empty image bytes (PNG, JPEG, GIF or WebP magic) or give "IMAGE_PROCESS_FAILED".
//!
//! # Misbehaviour
//!
//! - Flood limits, each a sliding window over accepted sends, off unless set in [`Options`]
//!   or later with the setters: per chat ([`Options::per_chat_limit`], Telegram's is about
//!   one a second), per group (negative ids; about 20 a minute) and for the whole bot
//!   ([`Options::global_limit`], about 30 a second). Beyond them: 429
//!   `"Too Many Requests: retry after N"` with `parameters.retry_after` = whole seconds until
//!   the window frees a slot (at least 1), or [`Options::retry_after`] when set. Counted by
//!   [`FakeTelegram::count_429`].
//! - Scripted failures per chat or for any chat, always or the next N times: see [`Failure`].
//! - Photo URLs Telegram "cannot fetch": [`FakeTelegram::refuse_photo_url`]. The fake also
//!   serves bytes itself ([`FakeTelegram::serve_image`]), so the upload fallback needs no
//!   network.
//!
//! # Updates
//!
//! [`FakeTelegram::push_text`], [`FakeTelegram::push_topic_text`],
//! [`FakeTelegram::push_channel_post`], [`FakeTelegram::push_my_chat_member`],
//! [`FakeTelegram::push_callback_query`] and the raw [`FakeTelegram::push_update`] queue
//! updates for `getUpdates`; chats and users they mention become known to `getChat` and
//! `getChatMember`. Administrators per chat: [`FakeTelegram::set_admins`].
//!
//! Do not combine with `tokio::time::pause`: the fake's timers and the client's are real.
//! The module uses nothing from the rest of the test suite, so a bench can include it with
//! `#[path = "../tests/it/support/telegram_fake/mod.rs"] mod telegram_fake;`.

mod api;
mod html;
mod objects;
mod wire;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use tokio::sync::watch;

pub use objects::{MemberStatus, TgChat, TgUser};
pub use wire::BodyKind;

/// The bot's id; the token starts with it, as real tokens do.
pub const BOT_ID: i64 = 7_000_000_001;
/// The default token the fake accepts.
pub const TOKEN: &str = "7000000001:AAFakeTokenForPaperboyTests";

/// At most `max` accepted sends in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub window: Duration,
}

impl Limit {
    pub fn per_second(max: usize) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(1),
        }
    }

    pub fn per_minute(max: usize) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(60),
        }
    }
}

/// How the fake is set up; `Options::default()` is a permissive server (no flood limits),
/// [`Options::realistic`] has Telegram's published-ish limits.
#[derive(Debug, Clone)]
pub struct Options {
    /// The token the fake accepts in `/bot<token>/...`; others get 401.
    pub token: String,
    /// The bot's own profile, as `getMe` returns it.
    pub bot: TgUser,
    /// Accepted sends to one chat per window.
    pub per_chat_limit: Option<Limit>,
    /// Accepted sends to one group, supergroup or channel (negative ids) per window.
    pub group_limit: Option<Limit>,
    /// Accepted sends for the whole bot per window.
    pub global_limit: Option<Limit>,
    /// `retry_after` in every 429 instead of the computed one (0 lets a test retry at once).
    pub retry_after: Option<u32>,
    /// Holds each request a random time up to this before the fake looks at it, like a
    /// network whose latency varies: a message then arrives, and is counted by the flood
    /// limits, some time after the client sent it.
    pub arrival_delay: Option<Duration>,
    /// Caps how long `getUpdates` holds a request, whatever `timeout` it asked for.
    pub max_poll_wait: Option<Duration>,
    /// Parse HTML-mode texts and captions as Telegram does and refuse bad ones.
    pub check_html: bool,
    /// How long the `wait_*` helpers wait before failing the test with what they saw.
    pub wait_limit: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: TOKEN.to_string(),
            bot: TgUser {
                id: BOT_ID,
                first_name: "Paperboy".to_string(),
                username: Some("paperboy_test_bot".to_string()),
                language_code: None,
                is_bot: true,
            },
            per_chat_limit: None,
            group_limit: None,
            global_limit: None,
            retry_after: None,
            arrival_delay: None,
            max_poll_wait: None,
            check_html: true,
            wait_limit: Duration::from_secs(30),
        }
    }
}

impl Options {
    /// About Telegram's limits: 1 message a second per chat, 20 a minute per group, 30 a
    /// second for the bot.
    pub fn realistic() -> Options {
        Options {
            per_chat_limit: Some(Limit::per_second(1)),
            group_limit: Some(Limit::per_minute(20)),
            global_limit: Some(Limit::per_second(30)),
            ..Options::default()
        }
    }
}

/// A scripted answer to sends (`sendMessage`, `sendPhoto`, `sendMediaGroup`) to a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 403 "Forbidden: bot was blocked by the user".
    Blocked,
    /// 403 "Forbidden: bot was kicked from the supergroup chat".
    Kicked,
    /// 403 "Forbidden: user is deactivated".
    Deactivated,
    /// 400 "Bad Request: chat not found".
    ChatNotFound,
    /// 400 "Bad Request: not enough rights to send text messages to the chat".
    NotEnoughRights,
    /// 400 "Bad Request: group chat was upgraded to a supergroup chat" with
    /// `parameters.migrate_to_chat_id`.
    Migrated { to: i64 },
    /// 429 with this `retry_after`, whatever the flood limits say.
    TooManyRequests { retry_after: u32 },
    /// 502 with nginx's HTML page, as Telegram's front end answers when the backend is down.
    BadGateway,
    /// 500 `{"ok":false,"error_code":500,"description":"Internal Server Error"}`.
    InternalError,
    /// The message is delivered (recorded) at once, but the answer comes only after this
    /// delay: past a client's timeout this is the "sent but not acknowledged" case.
    Slow(Duration),
    /// Any other error answer.
    Api {
        code: u16,
        description: String,
        parameters: Option<Value>,
    },
}

/// Where a sent photo came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// An HTTP(S) URL for Telegram to fetch.
    Url(String),
    /// A file id of a photo Telegram already has.
    FileId(String),
    /// Bytes uploaded in the multipart body.
    Upload {
        file_name: Option<String>,
        bytes: Vec<u8>,
    },
}

/// One photo of an accepted send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMedia {
    pub source: PhotoSource,
    pub caption: Option<String>,
    pub parse_mode: Option<String>,
    /// The file id the fake answered with (the largest size's).
    pub file_id: String,
}

/// One accepted send, as the fake received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// Position among all accepted sends, from 0.
    pub seq: usize,
    /// `sendMessage`, `sendPhoto` or `sendMediaGroup`, whatever case the client used.
    pub method: &'static str,
    /// The method name as it appeared in the path.
    pub method_as_sent: String,
    pub body: BodyKind,
    pub chat_id: i64,
    pub message_thread_id: Option<i32>,
    /// The text of a `sendMessage`, the caption of a `sendPhoto`, the first caption of a
    /// `sendMediaGroup`, exactly as sent (HTML unparsed).
    pub text: Option<String>,
    pub parse_mode: Option<String>,
    /// `link_preview_options.is_disabled` (or the old `disable_web_page_preview`).
    pub link_preview_disabled: bool,
    /// The photos of a `sendPhoto` (one) or `sendMediaGroup`.
    pub media: Vec<SentMedia>,
    /// The message ids the fake answered with.
    pub message_ids: Vec<i32>,
    /// Every parameter, for anything not broken out above (form fields are strings).
    pub params: Map<String, Value>,
}

impl Sent {
    /// A parameter as text.
    pub fn param(&self, key: &str) -> Option<String> {
        match self.params.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

/// One request, whatever its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method_as_sent: String,
    /// The canonical name when the method is known.
    pub method: Option<&'static str>,
    pub body: BodyKind,
    pub status: u16,
    pub chat_id: Option<i64>,
}

struct Script {
    chat: Option<i64>,
    failure: Failure,
    remaining: Option<u32>,
}

/// Everything the fake remembers; one lock, held briefly and never across an await.
struct State {
    opts: Options,
    sent: Vec<Sent>,
    requests: Vec<RequestRecord>,
    statuses: HashMap<u16, u64>,
    /// Flood refusals by the limit that was full: "chat", "group" or "global".
    floods: HashMap<&'static str, u64>,
    chat_windows: HashMap<i64, VecDeque<Instant>>,
    group_windows: HashMap<i64, VecDeque<Instant>>,
    global_window: VecDeque<Instant>,
    scripts: Vec<Script>,
    refused_urls: HashMap<String, String>,
    refuse_all_urls: Option<String>,
    url_file_ids: HashMap<String, String>,
    known_file_ids: HashSet<String>,
    next_file: u64,
    chats: HashMap<i64, TgChat>,
    users: HashMap<i64, TgUser>,
    members: HashMap<(i64, i64), MemberStatus>,
    last_message_id: HashMap<i64, i32>,
    updates: VecDeque<(i64, Value)>,
    next_update_id: i64,
    acknowledged: i64,
    allowed_updates: Option<Vec<String>>,
    poll_generation: u64,
    command_calls: Vec<Map<String, Value>>,
    images: HashMap<String, (String, Vec<u8>)>,
    next_callback: u64,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    /// Bumped after every request and state change, for the `wait_*` helpers.
    changed: watch::Sender<u64>,
    /// Bumped when an update is queued or a new poll starts, for held `getUpdates`.
    updates_changed: watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread may poison the lock; the data is still consistent enough
        // for the other tests' assertions, so carry on.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v += 1);
    }
}

/// The running fake; dropping it stops the server.
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeTelegram {
    /// Starts a permissive fake (no flood limits) with the default token.
    pub async fn start() -> FakeTelegram {
        FakeTelegram::with_options(Options::default()).await
    }

    pub async fn with_options(opts: Options) -> FakeTelegram {
        let mut users = HashMap::new();
        users.insert(opts.bot.id, opts.bot.clone());
        let state = State {
            opts,
            sent: Vec::new(),
            requests: Vec::new(),
            statuses: HashMap::new(),
            floods: HashMap::new(),
            chat_windows: HashMap::new(),
            group_windows: HashMap::new(),
            global_window: VecDeque::new(),
            scripts: Vec::new(),
            refused_urls: HashMap::new(),
            refuse_all_urls: None,
            url_file_ids: HashMap::new(),
            known_file_ids: HashSet::new(),
            next_file: 0,
            chats: HashMap::new(),
            users,
            members: HashMap::new(),
            last_message_id: HashMap::new(),
            updates: VecDeque::new(),
            next_update_id: 100_000,
            acknowledged: 0,
            allowed_updates: None,
            poll_generation: 0,
            command_calls: Vec::new(),
            images: HashMap::new(),
            next_callback: 0,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            changed: watch::Sender::new(0),
            updates_changed: watch::Sender::new(0),
        });
        let app = Router::new()
            .route("/files/{name}", get(api::serve_image))
            .fallback(api::handle)
            .layer(DefaultBodyLimit::max(64 << 20))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Telegram server on loopback");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeTelegram {
            shared,
            addr,
            server,
        }
    }

    /// The API base URL to give the client (`telegram.api_url`), ending in `/`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn url(&self) -> url::Url {
        url::Url::parse(&self.api_url()).expect("the fake's own URL parses")
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn token(&self) -> String {
        self.shared.lock().opts.token.clone()
    }

    /// The bot's own user (its id is [`BOT_ID`] by default).
    pub fn bot(&self) -> TgUser {
        self.shared.lock().opts.bot.clone()
    }

    // ---- flood limits --------------------------------------------------------------------

    pub fn set_per_chat_limit(&self, limit: Option<Limit>) {
        self.shared.lock().opts.per_chat_limit = limit;
    }

    pub fn set_group_limit(&self, limit: Option<Limit>) {
        self.shared.lock().opts.group_limit = limit;
    }

    pub fn set_global_limit(&self, limit: Option<Limit>) {
        self.shared.lock().opts.global_limit = limit;
    }

    pub fn set_retry_after(&self, seconds: Option<u32>) {
        self.shared.lock().opts.retry_after = seconds;
    }

    /// How many 429 answers the fake gave, scripted or from the flood limits.
    pub fn count_429(&self) -> u64 {
        self.status_count(429)
    }

    /// How many sends the flood limits refused because `limit` ("chat", "group" or
    /// "global") was full; a send refused by several counts for each.
    pub fn flood_count(&self, limit: &str) -> u64 {
        self.shared.lock().floods.get(limit).copied().unwrap_or(0)
    }

    /// How many answers had this HTTP status.
    pub fn status_count(&self, status: u16) -> u64 {
        self.shared
            .lock()
            .statuses
            .get(&status)
            .copied()
            .unwrap_or(0)
    }

    // ---- scripted failures ---------------------------------------------------------------

    /// Every send to `chat_id` fails this way until [`FakeTelegram::clear_failures`].
    pub fn fail_chat(&self, chat_id: i64, failure: Failure) {
        self.script(Some(chat_id), failure, None);
    }

    /// The next `times` sends to `chat_id` fail this way; later ones succeed.
    pub fn fail_chat_times(&self, chat_id: i64, failure: Failure, times: u32) {
        self.script(Some(chat_id), failure, Some(times));
    }

    /// The next `times` sends to any chat fail this way (chat-specific scripts go first).
    pub fn fail_any_times(&self, failure: Failure, times: u32) {
        self.script(None, failure, Some(times));
    }

    pub fn clear_failures(&self) {
        self.shared.lock().scripts.clear();
    }

    fn script(&self, chat: Option<i64>, failure: Failure, remaining: Option<u32>) {
        self.shared.lock().scripts.push(Script {
            chat,
            failure,
            remaining,
        });
    }

    // ---- photos --------------------------------------------------------------------------

    /// Serves `bytes` at `GET /files/<name>` and returns that URL.
    pub fn serve_image(&self, name: &str, content_type: &str, bytes: Vec<u8>) -> String {
        self.shared
            .lock()
            .images
            .insert(name.to_string(), (content_type.to_string(), bytes));
        format!("http://{}/files/{name}", self.addr)
    }

    /// Sends of this photo URL fail with 400 "Bad Request: wrong file identifier/HTTP URL
    /// specified", as when Telegram's servers cannot fetch it.
    pub fn refuse_photo_url(&self, url: &str) {
        self.refuse_photo_url_with(url, "Bad Request: wrong file identifier/HTTP URL specified");
    }

    /// Like [`FakeTelegram::refuse_photo_url`] with another description (e.g. "Bad Request:
    /// failed to get HTTP URL content").
    pub fn refuse_photo_url_with(&self, url: &str, description: &str) {
        self.shared
            .lock()
            .refused_urls
            .insert(url.to_string(), description.to_string());
    }

    /// Every photo URL fails as in [`FakeTelegram::refuse_photo_url`].
    pub fn refuse_all_photo_urls(&self) {
        self.shared.lock().refuse_all_urls =
            Some("Bad Request: wrong file identifier/HTTP URL specified".to_string());
    }

    /// Makes a file id valid, as if the bot had sent that photo before.
    pub fn add_file_id(&self, file_id: &str) {
        self.shared
            .lock()
            .known_file_ids
            .insert(file_id.to_string());
    }

    // ---- chats and members ---------------------------------------------------------------

    /// Makes a chat known (its type and title then show in messages and `getChat`).
    pub fn add_chat(&self, chat: &TgChat) {
        let mut st = self.shared.lock();
        st.remember_chat(chat);
    }

    /// Sets a user's status in a chat for `getChatMember` / `getChatAdministrators`.
    pub fn set_member(&self, chat_id: i64, user: &TgUser, status: MemberStatus) {
        let mut st = self.shared.lock();
        st.users.insert(user.id, user.clone());
        st.members.insert((chat_id, user.id), status);
    }

    /// Makes these users administrators of the chat (others stay plain members).
    pub fn set_admins(&self, chat_id: i64, admins: &[TgUser]) {
        for a in admins {
            self.set_member(chat_id, a, MemberStatus::Administrator);
        }
    }

    /// The bot's own status in a chat (default: administrator in channels, member elsewhere).
    pub fn set_bot_status(&self, chat_id: i64, status: MemberStatus) {
        let bot = self.bot();
        self.set_member(chat_id, &bot, status);
    }

    // ---- updates -------------------------------------------------------------------------

    /// Queues a raw update (an object such as `{"message": {...}}`); the fake adds
    /// `update_id`, which it returns.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut st = self.shared.lock();
            let id = st.next_update_id;
            st.next_update_id += 1;
            if let Value::Object(map) = &mut update {
                map.insert("update_id".into(), json!(id));
            }
            st.updates.push_back((id, update));
            id
        };
        self.shared.updates_changed.send_modify(|v| *v += 1);
        self.shared.bump();
        id
    }

    /// Queues a text message from `from` in `chat` (a channel gets a `channel_post` with no
    /// sender); returns its message id. A leading `/command` carries a `bot_command` entity.
    pub fn push_text(&self, chat: &TgChat, from: &TgUser, text: &str) -> i32 {
        if chat.is_channel() {
            return self.push_channel_post(chat, text);
        }
        self.push_message(chat, Some(from), None, text)
    }

    /// Queues a text message in a forum topic.
    pub fn push_topic_text(&self, chat: &TgChat, thread_id: i32, from: &TgUser, text: &str) -> i32 {
        self.push_message(chat, Some(from), Some(thread_id), text)
    }

    /// Queues a `channel_post` (no `from`; `sender_chat` is the channel).
    pub fn push_channel_post(&self, chat: &TgChat, text: &str) -> i32 {
        self.push_message(chat, None, None, text)
    }

    fn push_message(
        &self,
        chat: &TgChat,
        from: Option<&TgUser>,
        thread_id: Option<i32>,
        text: &str,
    ) -> i32 {
        let (message_id, msg) = {
            let mut st = self.shared.lock();
            st.remember_chat(chat);
            if let Some(u) = from {
                st.users.insert(u.id, u.clone());
            }
            let id = st.next_message_id(chat.id());
            let msg = objects::message(
                id,
                chat,
                from,
                api::now(),
                thread_id,
                objects::Content::Text(text),
            );
            (id, msg)
        };
        let key = if from.is_none() {
            "channel_post"
        } else {
            "message"
        };
        self.push_update(json!({ key: msg }));
        message_id
    }

    /// Queues a `my_chat_member` update: the bot's status in `chat` changed from `old` to
    /// `new` by `from` (added to a group: Left -> Member; removed: Member -> Left or Kicked;
    /// made channel admin: Left -> Administrator). The bot's status is updated too.
    pub fn push_my_chat_member(
        &self,
        chat: &TgChat,
        from: &TgUser,
        old: MemberStatus,
        new: MemberStatus,
    ) -> i64 {
        let bot = self.bot();
        let update = {
            let mut st = self.shared.lock();
            st.remember_chat(chat);
            st.users.insert(from.id, from.clone());
            st.members.insert((chat.id(), bot.id), new);
            json!({"my_chat_member": {
                "chat": chat.json(),
                "from": from.json(),
                "date": api::now(),
                "old_chat_member": objects::chat_member(&bot, old),
                "new_chat_member": objects::chat_member(&bot, new),
            }})
        };
        self.push_update(update)
    }

    /// Queues a `callback_query` on the bot's message `message_id` in `chat`; returns its id.
    pub fn push_callback_query(
        &self,
        chat: &TgChat,
        from: &TgUser,
        message_id: i32,
        data: &str,
    ) -> String {
        let bot = self.bot();
        let (id, update) = {
            let mut st = self.shared.lock();
            st.remember_chat(chat);
            st.users.insert(from.id, from.clone());
            st.next_callback += 1;
            let id = format!("cb{}", st.next_callback);
            let msg = objects::message(
                message_id,
                chat,
                Some(&bot),
                api::now(),
                None,
                objects::Content::Text("..."),
            );
            let update = json!({"callback_query": {
                "id": id,
                "from": from.json(),
                "message": msg,
                "chat_instance": format!("ci{}", chat.id()),
                "data": data,
            }});
            (id, update)
        };
        self.push_update(update);
        id
    }

    /// Updates queued and not yet acknowledged by a later `offset`.
    pub fn pending_updates(&self) -> usize {
        let st = self.shared.lock();
        st.updates
            .iter()
            .filter(|(id, _)| *id >= st.acknowledged)
            .count()
    }

    /// How many `getUpdates` requests have started (held ones included).
    pub fn polls_started(&self) -> u64 {
        self.shared.lock().poll_generation
    }

    // ---- inspection ----------------------------------------------------------------------

    /// Every accepted send, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.shared.lock().sent.clone()
    }

    /// The accepted sends to one chat, in order.
    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.shared
            .lock()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .cloned()
            .collect()
    }

    pub fn sent_count(&self) -> usize {
        self.shared.lock().sent.len()
    }

    /// How many sends to `chat_id` were accepted (without copying them).
    pub fn sent_count_to(&self, chat_id: i64) -> usize {
        self.shared
            .lock()
            .sent
            .iter()
            .filter(|s| s.chat_id == chat_id)
            .count()
    }

    /// Every request, in the order they finished.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().requests.clone()
    }

    /// The requests for one method (canonical name, e.g. `setMyCommands`).
    pub fn requests_for(&self, method: &str) -> Vec<RequestRecord> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.method == Some(method) || r.method_as_sent == method)
            .cloned()
            .collect()
    }

    /// The `commands` of the last `setMyCommands` call, as `(command, description)`.
    pub fn commands(&self) -> Vec<(String, String)> {
        let st = self.shared.lock();
        st.command_calls
            .last()
            .and_then(|params| match params.get("commands") {
                Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
                Some(v) => Some(v.clone()),
                None => None,
            })
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|c| {
                (
                    c["command"].as_str().unwrap_or_default().to_string(),
                    c["description"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// Every `setMyCommands` call's parameters (with `scope`, `language_code`, if given).
    pub fn command_calls(&self) -> Vec<Map<String, Value>> {
        self.shared.lock().command_calls.clone()
    }

    /// Waits until `cond` holds, re-checking after every request and state change; fails the
    /// test after [`Options::wait_limit`], naming `what` and listing the sends so far.
    pub async fn wait_until(&self, what: &str, cond: impl Fn(&FakeTelegram) -> bool) {
        let mut rx = self.shared.changed.subscribe();
        let limit = self.shared.lock().opts.wait_limit;
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            rx.borrow_and_update();
            if cond(self) {
                return;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                let sent: Vec<String> = self
                    .sent()
                    .iter()
                    .map(|s| format!("{} {} {:?}", s.method, s.chat_id, s.text))
                    .collect();
                panic!(
                    "fake Telegram: gave up after {limit:?} waiting for {what}; sends so far: \
                     {sent:#?}; requests: {:#?}",
                    self.requests()
                );
            }
        }
    }

    /// Waits until at least `n` sends were accepted in total; returns them all.
    pub async fn wait_sent(&self, n: usize) -> Vec<Sent> {
        self.wait_until(&format!("{n} sends"), |f| f.sent_count() >= n)
            .await;
        self.sent()
    }

    /// Waits until at least `n` sends to `chat_id` were accepted; returns that chat's sends.
    pub async fn wait_sent_to(&self, chat_id: i64, n: usize) -> Vec<Sent> {
        self.wait_until(&format!("{n} sends to chat {chat_id}"), |f| {
            f.sent_count_to(chat_id) >= n
        })
        .await;
        self.sent_to(chat_id)
    }

    /// Waits until every queued update has been acknowledged by a later `getUpdates` offset.
    pub async fn wait_updates_acknowledged(&self) {
        self.wait_until("every update acknowledged", |f| f.pending_updates() == 0)
            .await;
    }
}

impl State {
    fn remember_chat(&mut self, chat: &TgChat) {
        if let TgChat::Private(u) = chat {
            self.users.insert(u.id, u.clone());
        }
        self.chats.insert(chat.id(), chat.clone());
    }

    fn chat(&self, id: i64) -> TgChat {
        self.chats
            .get(&id)
            .cloned()
            .unwrap_or_else(|| TgChat::inferred(id))
    }

    fn user(&self, id: i64) -> TgUser {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| TgUser::new(id, &format!("User {id}")))
    }

    fn next_message_id(&mut self, chat_id: i64) -> i32 {
        let id = self.last_message_id.entry(chat_id).or_insert(0);
        *id += 1;
        *id
    }

    /// A user's status in a chat, with the defaults described on the setters.
    fn member_status(&self, chat_id: i64, user_id: i64) -> MemberStatus {
        if let Some(s) = self.members.get(&(chat_id, user_id)) {
            return *s;
        }
        if user_id == self.opts.bot.id && self.chat(chat_id).is_channel() {
            return MemberStatus::Administrator;
        }
        MemberStatus::Member
    }

    fn new_file_id(&mut self) -> String {
        self.next_file += 1;
        let id = format!("AgACAgFakePhoto{:06}", self.next_file);
        for suffix in ["", "-s", "-m"] {
            self.known_file_ids.insert(format!("{id}{suffix}"));
        }
        id
    }
}
