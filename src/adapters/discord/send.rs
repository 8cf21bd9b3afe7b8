//! Delivering rendered Discord messages ([`render::discord::Message`]) to channels, threads,
//! webhooks and users' DMs: the Discord [`Courier`] of the delivery engine.
//!
//! Bot-token routes go through serenity's [`Http`]: with its ratelimiter (per-route buckets,
//! the global limit, 429 waits) against Discord itself, or, when `discord.api_url` is set,
//! through its proxy setting with the ratelimiter off, which is how tests reach a loopback
//! fake. Either way the raw response is kept and read here, not by serenity's typed calls,
//! because serenity's error type drops what the engine needs: a 429 body without a `code`
//! field (Discord's usual one) decodes to code -1 and loses `retry_after`.
//!
//! Webhooks are plain HTTPS POSTs to a URL checked by [`parse_webhook`] before every send.
//!
//! The engine owns pacing and retries; this sender makes one attempt per message and says
//! how it went as a [`SendError`]. It also keeps paperboy far from Discord's ban on clients
//! that make 10,000 invalid requests (401, 403, 429) in ten minutes:
//!
//! - a channel or webhook that answered 404 (deleted) is remembered and never asked again by
//!   this process; the engine makes it inactive after its failure limit;
//! - a 401 (the bot token was revoked) stops every bot-token send at once, without requests;
//! - a global 429 holds every bot-token send until it is over;
//! - a payload that fails [`render::discord::check`] is never sent: it is a bug, reported as
//!   permanent.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serenity::http::{Http, HttpBuilder, LightMethod, Request, Route};
use serenity::model::id::ChannelId;
use tokio::time::Instant;
use url::Url;

use super::webhook::{parse_webhook, redacted};
use crate::config::Config;
use crate::delivery::{Courier, Outbound, Receipt, SendError};
use crate::domain::ChatRef;
use crate::render::discord::{self as render, Message};
use crate::secret::Secret;

/// How long one request may take, connection to last byte, when nothing else is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest 429 wait paperboy believes; anything longer is read as this, so one odd
/// answer cannot park a chat for days.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// The wait when a 429 gives none.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// How much of an error body is read: Discord's are a few hundred bytes.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Why a sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot build the HTTP client for Discord")]
    Client {
        #[source]
        source: reqwest::Error,
    },
}

/// Sends messages to Discord. Cloning is cheap: clones share the connection pool, serenity's
/// rate-limit buckets and what the sender has learnt (deleted channels, DM channels, holds).
#[derive(Clone)]
pub struct Sender {
    /// `None` without a bot token: only webhooks can be served.
    http: Option<Arc<Http>>,
    client: reqwest::Client,
    api_url: Option<Url>,
    /// Set by a 401: the token was revoked, so nothing more is sent with it.
    unauthorized: Arc<AtomicBool>,
    /// A std mutex each: held for a map access, never across an await.
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// Channels and webhooks that answered 404, with that answer: deleted, and ids are never
    /// reused.
    gone: HashMap<ChatRef, String>,
    /// `user id -> DM channel id`, so a DM costs one request after the first.
    dm_channels: HashMap<u64, u64>,
    /// A global 429 holds every bot-token request until then.
    global_hold: Option<Instant>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("has_token", &self.http.is_some())
            .field("api_url", &self.api_url.as_ref().map(Url::as_str))
            .finish_non_exhaustive()
    }
}

impl Sender {
    /// A sender for the bot with `token` (`None`: webhooks only), talking to Discord itself
    /// or, with `api_url`, to a server there (a fake, in tests), giving up on any request
    /// after `timeout`.
    pub fn new(
        token: Option<&Secret>,
        api_url: Option<&Url>,
        timeout: Duration,
    ) -> Result<Sender, Error> {
        let client = client(timeout)?;
        let http = token.map(|token| Arc::new(http(token, api_url, client.clone())));
        Ok(Sender {
            http,
            client,
            api_url: api_url.cloned(),
            unauthorized: Arc::new(AtomicBool::new(false)),
            state: Arc::new(Mutex::new(State::default())),
        })
    }

    /// The sender `paperboy run` and `paperboy send` use: the token from
    /// `PAPERBOY_DISCORD_TOKEN` (webhooks only without it) and `discord.api_url`.
    pub fn from_config(config: &Config) -> Result<Sender, Error> {
        Sender::new(
            config.secrets.discord_token.as_ref(),
            config.discord.api_url.as_ref(),
            DEFAULT_TIMEOUT,
        )
    }

    /// True when a bot token is configured (channels and DMs can be served).
    pub fn has_token(&self) -> bool {
        self.http.is_some()
    }

    /// Sends one create-message payload to a channel or thread, a webhook or a user's DMs.
    pub async fn send_message(
        &self,
        chat: &ChatRef,
        message: &Message,
    ) -> Result<Receipt, SendError> {
        if let Err(problem) = render::check(message) {
            return Err(SendError::Permanent(format!(
                "refusing to send a payload Discord would reject (a paperboy bug): {problem}"
            )));
        }
        if let Some(reason) = self.lock().gone.get(chat) {
            return Err(SendError::Gone(format!(
                "{reason}, answered earlier; not asked again"
            )));
        }
        let body = serde_json::to_vec(message)
            .map_err(|e| SendError::Permanent(format!("cannot encode the message: {e}")))?;
        let result = match chat {
            ChatRef::Discord { channel_id } => self.post_to_channel(*channel_id, body).await,
            ChatRef::DiscordUser { user_id } => self.post_to_user(*user_id, body).await,
            ChatRef::DiscordWebhook { url } => self.post_to_webhook(url, body).await,
            ChatRef::Telegram { .. } => {
                return Err(SendError::Permanent(format!(
                    "{chat} is not a Discord chat"
                )))
            }
        };
        match result {
            Ok(body) => Ok(Receipt {
                message_id: message_id(&body),
                photo_file_id: None,
            }),
            Err(Failure { error, gone, .. }) => {
                if let (true, SendError::Permanent(reason)) = (gone, &error) {
                    tracing::warn!(chat = %describe(chat), %reason, "discord says the chat no longer exists; not asking again");
                    self.lock().gone.insert(chat.clone(), reason.clone());
                    return Err(SendError::Gone(reason.clone()));
                }
                Err(error)
            }
        }
    }

    async fn post_to_channel(&self, channel_id: u64, body: Vec<u8>) -> Result<Vec<u8>, Failure> {
        let channel_id = nonzero_channel(channel_id)?;
        let request =
            Request::new(Route::ChannelMessages { channel_id }, LightMethod::Post).body(Some(body));
        self.bot_request(request, Target::Channel).await
    }

    /// A DM: the DM channel is opened once (Discord returns the same one every time), then
    /// the message goes there like to any channel.
    async fn post_to_user(&self, user_id: u64, body: Vec<u8>) -> Result<Vec<u8>, Failure> {
        let known = self.lock().dm_channels.get(&user_id).copied();
        let channel_id = match known {
            Some(id) => id,
            None => {
                let open = serde_json::json!({ "recipient_id": user_id.to_string() });
                let request = Request::new(Route::UserMeDmChannels, LightMethod::Post)
                    .body(Some(open.to_string().into_bytes()));
                let answer = self.bot_request(request, Target::User).await?;
                let id = message_id(&answer)
                    .and_then(|id| id.parse::<u64>().ok())
                    .ok_or_else(|| {
                        Failure::transient("discord opened a DM channel without an id".to_string())
                    })?;
                self.lock().dm_channels.insert(user_id, id);
                id
            }
        };
        self.post_to_channel(channel_id, body).await
    }

    async fn post_to_webhook(&self, url: &str, body: Vec<u8>) -> Result<Vec<u8>, Failure> {
        let checked = match parse_webhook(url, self.api_url.as_ref()) {
            Ok(ChatRef::DiscordWebhook { url }) => url,
            Ok(other) => {
                return Err(Failure::permanent(format!("{other} is not a webhook")));
            }
            Err(e) => {
                return Err(Failure::permanent(format!(
                    "refusing to post to this webhook: {e}"
                )))
            }
        };
        let mut target = Url::parse(&checked)
            .map_err(|e| Failure::permanent(format!("the webhook URL does not parse: {e}")))?;
        // No message back: paperboy needs none, and Discord answers faster.
        target.query_pairs_mut().append_pair("wait", "false");
        let sent = self
            .client
            .post(target)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) => read(response, Target::Webhook).await,
            Err(e) => Err(Failure::transient(format!(
                "cannot reach the webhook: {}",
                without_url(&e)
            ))),
        }
    }

    /// One bot-token request, through serenity's ratelimiter or straight to the proxy.
    async fn bot_request(&self, request: Request<'_>, target: Target) -> Result<Vec<u8>, Failure> {
        let Some(http) = &self.http else {
            return Err(Failure::permanent(
                "no Discord bot token is configured (set PAPERBOY_DISCORD_TOKEN)".to_string(),
            ));
        };
        if self.unauthorized.load(Ordering::Relaxed) {
            return Err(Failure::permanent(
                "discord refused the bot token earlier (401); nothing is sent with it until paperboy restarts with a valid one"
                    .to_string(),
            ));
        }
        let hold = self.lock().global_hold;
        if let Some(until) = hold {
            tokio::time::sleep_until(until).await;
        }
        let unreachable = |e: String| Failure::transient(format!("cannot reach discord: {e}"));
        let response = match &http.ratelimiter {
            Some(ratelimiter) => ratelimiter
                .perform(request)
                .await
                .map_err(|e| unreachable(e.to_string()))?,
            None => {
                let built = request
                    .build(&self.client, http.token(), http.proxy.as_deref())
                    .map_err(|e| unreachable(e.to_string()))?
                    .build()
                    .map_err(|e| unreachable(without_url(&e)))?;
                self.client
                    .execute(built)
                    .await
                    .map_err(|e| unreachable(without_url(&e)))?
            }
        };
        let result = read(response, target).await;
        if let Err(failure) = &result {
            match &failure.error {
                SendError::Permanent(reason) if failure.unauthorized => {
                    tracing::error!(%reason, "discord refused the bot token; stopping all bot sends");
                    self.unauthorized.store(true, Ordering::Relaxed);
                }
                SendError::RetryAfter(wait) if failure.global => {
                    tracing::warn!(
                        wait_ms = wait.as_millis() as u64,
                        "global rate limit; holding every send"
                    );
                    let until = Instant::now() + *wait;
                    let mut state = self.lock();
                    state.global_hold = Some(state.global_hold.map_or(until, |h| h.max(until)));
                }
                _ => {}
            }
        }
        result
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Poisoned only if a panic happened while the lock was held; the maps stay valid.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Courier for Sender {
    async fn send(&self, chat: &ChatRef, message: &Outbound) -> Result<Receipt, SendError> {
        match message {
            Outbound::Discord(message) => self.send_message(chat, message).await,
            Outbound::Telegram(_) => Err(SendError::Permanent(format!(
                "a Telegram message cannot go to {}",
                describe(chat)
            ))),
        }
    }
}

/// A serenity client for the bot: the proxy with the ratelimiter off when `api_url` is set
/// (serenity ignores the proxy with the ratelimiter on), Discord with the ratelimiter
/// otherwise.
pub(crate) fn http(token: &Secret, api_url: Option<&Url>, client: reqwest::Client) -> Http {
    let builder = HttpBuilder::new(token.expose()).client(client);
    match api_url {
        Some(url) => builder
            .proxy(url.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// The HTTP client every Discord request uses: rustls, a timeout, paperboy's User-Agent
/// (serenity sets its own on bot routes, as Discord requires).
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .user_agent(crate::USER_AGENT)
        .build()
        .map_err(|source| Error::Client { source })
}

/// What was asked, for reading an error: Discord's codes mean the same everywhere, but a
/// 404 means "deleted" only for the thing addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Channel,
    User,
    Webhook,
}

/// A failed send and what the sender learns from it.
#[derive(Debug)]
struct Failure {
    error: SendError,
    /// The channel or webhook was deleted.
    gone: bool,
    /// The bot token was refused.
    unauthorized: bool,
    /// A 429 for every route.
    global: bool,
}

impl Failure {
    fn permanent(reason: String) -> Failure {
        Failure::of(SendError::Permanent(reason))
    }

    fn transient(reason: String) -> Failure {
        Failure::of(SendError::Transient(reason))
    }

    fn of(error: SendError) -> Failure {
        Failure {
            error,
            gone: false,
            unauthorized: false,
            global: false,
        }
    }
}

/// Discord's error body: `{"message": .., "code": ..}`, and for 429 `retry_after` (float
/// seconds) and `global`.
#[derive(Debug, Default, serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    retry_after: Option<f64>,
    #[serde(default)]
    global: Option<bool>,
}

/// The body of a successful answer, or what its failure means.
async fn read(response: reqwest::Response, target: Target) -> Result<Vec<u8>, Failure> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = match body(response).await {
        Ok(body) => body,
        Err(e) => {
            return Err(Failure::transient(format!(
                "discord answered {status} but the body could not be read: {}",
                without_url(&e)
            )))
        }
    };
    if status.is_success() {
        return Ok(body);
    }
    let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
    Err(classify(status.as_u16(), &headers, &parsed, target))
}

/// Reads at most [`MAX_ERROR_BODY`] bytes of an error, and all of a success.
async fn body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let limit = if response.status().is_success() {
        usize::MAX
    } else {
        MAX_ERROR_BODY
    };
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() >= limit {
            body.truncate(limit);
            break;
        }
    }
    Ok(body)
}

/// Discord's answer in the engine's terms.
fn classify(
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &ErrorBody,
    target: Target,
) -> Failure {
    let message = body.message.as_deref().unwrap_or("no message");
    let described = match body.code {
        Some(code) => format!("{status} {message} (code {code})"),
        None => format!("{status} {message}"),
    };
    match status {
        429 => {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<f64>().ok())
            };
            let seconds = body
                .retry_after
                .or_else(|| header("retry-after"))
                .or_else(|| header("x-ratelimit-reset-after"));
            let wait = seconds
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map_or(DEFAULT_RETRY_AFTER, |s| {
                    Duration::from_secs_f64(s.min(MAX_RETRY_AFTER.as_secs_f64()))
                });
            let global = body.global.unwrap_or(false)
                || headers
                    .get("x-ratelimit-global")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
            Failure {
                global: global && target != Target::Webhook,
                ..Failure::of(SendError::RetryAfter(wait))
            }
        }
        401 => Failure {
            // A webhook's 401 is its own token (deleted and recreated), not the bot's.
            unauthorized: target != Target::Webhook,
            gone: target == Target::Webhook,
            ..Failure::permanent(described)
        },
        403 => Failure::permanent(described),
        404 => Failure {
            gone: matches!(target, Target::Channel | Target::Webhook),
            ..Failure::permanent(described)
        },
        500..=599 => Failure::transient(described),
        // 400 and the rest: Discord refused this payload, and would refuse it every time.
        _ => Failure::permanent(described),
    }
}

/// The `id` of a JSON object (a sent message, an opened DM channel).
fn message_id(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        id: serde_json::Value,
    }
    let with_id: WithId = serde_json::from_slice(body).ok()?;
    match with_id.id {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn nonzero_channel(channel_id: u64) -> Result<ChannelId, Failure> {
    if channel_id == 0 {
        return Err(Failure::permanent(
            "channel id 0 does not exist".to_string(),
        ));
    }
    Ok(ChannelId::new(channel_id))
}

/// A chat for logs and reasons: webhooks without their token.
pub(crate) fn describe(chat: &ChatRef) -> String {
    match chat {
        ChatRef::DiscordWebhook { url } => match Url::parse(url) {
            Ok(u) => format!(
                "discord-webhook:{}://{}{}{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.port().map(|p| format!(":{p}")).unwrap_or_default(),
                redacted(u.path())
            ),
            Err(_) => "discord-webhook:(unparsable)".to_string(),
        },
        other => other.to_string(),
    }
}

/// A reqwest error without its URL, which for a webhook holds the token.
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the body broke off"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn body(json: &str) -> ErrorBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rate_limits_wait_what_discord_says() {
        let f = classify(
            429,
            &HeaderMap::new(),
            &body(r#"{"message":"You are being rate limited.","retry_after":0.25,"global":false}"#),
            Target::Channel,
        );
        assert_eq!(f.error, SendError::RetryAfter(Duration::from_millis(250)));
        assert!(!f.global);

        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
        let f = classify(429, &headers, &ErrorBody::default(), Target::Channel);
        assert_eq!(f.error, SendError::RetryAfter(Duration::from_secs(2)));
        assert!(f.global);

        let f = classify(
            429,
            &HeaderMap::new(),
            &body(r#"{"retry_after":-3}"#),
            Target::Webhook,
        );
        assert_eq!(f.error, SendError::RetryAfter(DEFAULT_RETRY_AFTER));
        let f = classify(
            429,
            &HeaderMap::new(),
            &body(r#"{"retry_after":1e12}"#),
            Target::Channel,
        );
        assert_eq!(f.error, SendError::RetryAfter(MAX_RETRY_AFTER));
    }

    #[test]
    fn refusals_are_permanent_and_name_the_code() {
        let f = classify(
            403,
            &HeaderMap::new(),
            &body(r#"{"message":"Missing Access","code":50001}"#),
            Target::Channel,
        );
        assert_eq!(
            f.error,
            SendError::Permanent("403 Missing Access (code 50001)".to_string())
        );
        assert!(!f.gone && !f.unauthorized);

        let f = classify(
            404,
            &HeaderMap::new(),
            &body(r#"{"message":"Unknown Channel","code":10003}"#),
            Target::Channel,
        );
        assert!(matches!(f.error, SendError::Permanent(ref r) if r.contains("10003")));
        assert!(f.gone);

        let f = classify(
            404,
            &HeaderMap::new(),
            &body(r#"{"message":"Unknown User","code":10013}"#),
            Target::User,
        );
        assert!(!f.gone, "a user is not a chat that was deleted");

        let f = classify(
            401,
            &HeaderMap::new(),
            &body(r#"{"message":"401: Unauthorized","code":0}"#),
            Target::Channel,
        );
        assert!(f.unauthorized && !f.gone);
        let f = classify(
            401,
            &HeaderMap::new(),
            &body(r#"{"message":"Invalid Webhook Token","code":50027}"#),
            Target::Webhook,
        );
        assert!(!f.unauthorized && f.gone);

        let f = classify(
            400,
            &HeaderMap::new(),
            &ErrorBody::default(),
            Target::Channel,
        );
        assert!(matches!(f.error, SendError::Permanent(_)));
    }

    #[test]
    fn server_errors_are_transient() {
        for status in [500, 502, 503, 504] {
            let f = classify(
                status,
                &HeaderMap::new(),
                &ErrorBody::default(),
                Target::Channel,
            );
            assert!(matches!(f.error, SendError::Transient(_)), "{status}");
        }
    }

    #[test]
    fn webhooks_are_described_without_their_token() {
        let chat = ChatRef::DiscordWebhook {
            url: "https://discord.com/api/webhooks/12/secret".to_string(),
        };
        assert_eq!(
            describe(&chat),
            "discord-webhook:https://discord.com/api/webhooks/12/***"
        );
    }

    #[test]
    fn ids_are_read_as_strings_or_numbers() {
        assert_eq!(message_id(br#"{"id":"42","x":1}"#), Some("42".to_string()));
        assert_eq!(message_id(br#"{"id":42}"#), Some("42".to_string()));
        assert_eq!(message_id(b"not json"), None);
    }
}
