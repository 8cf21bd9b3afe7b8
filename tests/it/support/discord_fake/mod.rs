//! A loopback fake of the Discord REST API and gateway.
//!
//! It answers the routes paperboy uses the way Discord does: channel messages and follow-ups
//! come back as full Message objects (serenity deserializes them), webhook execution with
//! `wait=false` is a bare 204, interaction callbacks are 204 once and 400 "already
//! acknowledged" after, bot routes need `Authorization: Bot TOKEN`. Payloads are checked
//! against Discord's limits independently of paperboy (400 Invalid Form Body, 50035), so a
//! renderer bug shows up as Discord would show it.
//!
//! Channels exist until [`FakeDiscord::delete_channel`] (then 404 Unknown Channel, 10003) or
//! [`FakeDiscord::forbid_channel`] (403 Missing Access, 50001); webhooks exist once
//! [`FakeDiscord::create_webhook`] made them. One-off answers (429 with `retry_after`, 403,
//! 404, 500, a slow answer) are queued per channel or webhook with [`FakeDiscord::script`].
//! Every request is recorded.

pub mod gateway;
pub mod objects;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{self, Request};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use url::Url;

pub use gateway::FakeGateway;
pub use objects::{APP_ID, BOT_TOKEN};

/// What a channel or webhook is: the key of scripts and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Channel(u64),
    Webhook(u64),
}

/// A one-off answer, instead of the normal one.
#[derive(Debug, Clone, PartialEq)]
pub enum Scripted {
    /// 429 with `retry_after` in the body and the headers.
    RateLimited { retry_after: f64, global: bool },
    /// 403 Missing Access (50001).
    MissingAccess,
    /// 403 Missing Permissions (50013).
    MissingPermissions,
    /// 404 Unknown Channel (10003).
    UnknownChannel,
    /// 404 Unknown Webhook (10015).
    UnknownWebhook,
    /// 500 with Discord's generic body.
    ServerError,
    /// 502 from the edge, HTML, as Cloudflare sends it.
    BadGateway,
    /// The normal answer, after this long.
    Slow(Duration),
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Without `/api` and the version: `channels/1/messages`, `webhooks/5/tok`.
    pub route: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub body: Value,
    pub status: u16,
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    scripts: HashMap<Target, VecDeque<Scripted>>,
    deleted_channels: HashSet<u64>,
    forbidden_channels: HashSet<u64>,
    /// `webhook id -> (token, channel id)`.
    webhooks: HashMap<u64, (String, u64)>,
    deleted_webhooks: HashSet<u64>,
    /// Interaction tokens that got their callback.
    acknowledged: HashSet<String>,
    /// `user id -> DM channel id`.
    dm_channels: HashMap<u64, u64>,
    token_revoked: bool,
    next_id: u64,
}

type Shared = Arc<Mutex<State>>;

/// The fake, serving until dropped.
pub struct FakeDiscord {
    base: Url,
    state: Shared,
    pub gateway: FakeGateway,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let gateway = FakeGateway::start().await;
        let state: Shared = Arc::new(Mutex::new(State {
            next_id: 1_200_000_000_000_000_000,
            ..State::default()
        }));
        let app = Router::new()
            .fallback(handle)
            .with_state((state.clone(), gateway.url.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the fake serves");
        });
        FakeDiscord {
            base: Url::parse(&format!("http://{addr}/")).expect("a socket address makes a URL"),
            state,
            gateway,
            server,
        }
    }

    /// What `discord.api_url` is set to.
    pub fn api_url(&self) -> Url {
        self.base.clone()
    }

    /// Creates a webhook in `channel_id` and gives its execute URL.
    pub fn create_webhook(&self, webhook_id: u64, channel_id: u64) -> String {
        let token = format!("whtoken-{webhook_id}_ABC-def");
        self.lock()
            .webhooks
            .insert(webhook_id, (token.clone(), channel_id));
        format!("{}api/webhooks/{webhook_id}/{token}", self.base)
    }

    pub fn delete_webhook(&self, webhook_id: u64) {
        self.lock().deleted_webhooks.insert(webhook_id);
    }

    pub fn delete_channel(&self, channel_id: u64) {
        self.lock().deleted_channels.insert(channel_id);
    }

    /// The bot loses View Channel there: every send answers 403 Missing Access.
    pub fn forbid_channel(&self, channel_id: u64) {
        self.lock().forbidden_channels.insert(channel_id);
    }

    /// Discord stops accepting the bot token (reset in the Developer Portal).
    pub fn revoke_token(&self) {
        self.lock().token_revoked = true;
    }

    /// Queues one-off answers for the next requests to `target`.
    pub fn script(&self, target: Target, answers: impl IntoIterator<Item = Scripted>) {
        self.lock()
            .scripts
            .entry(target)
            .or_default()
            .extend(answers);
    }

    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Requests whose route starts with `prefix`.
    pub fn received_at(&self, prefix: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.route.starts_with(prefix))
            .collect()
    }

    /// The payloads a channel accepted, in order.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        self.accepted(&format!("channels/{channel_id}/messages"))
    }

    /// The payloads a webhook accepted, in order.
    pub fn webhook_messages(&self, webhook_id: u64) -> Vec<Value> {
        self.accepted(&format!("webhooks/{webhook_id}/"))
    }

    fn accepted(&self, prefix: &str) -> Vec<Value> {
        self.received_at(prefix)
            .into_iter()
            .filter(|r| r.method == "POST" && (200..300).contains(&r.status))
            .map(|r| r.body)
            .collect()
    }

    /// Every create-message payload Discord accepted or refused: channel messages, webhook
    /// executions, interaction replies and follow-ups.
    pub fn message_payloads(&self) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter_map(|r| {
                let is_message = r.route.contains("/messages")
                    || (r.route.starts_with("webhooks/") && r.method == "POST");
                if is_message {
                    Some(r.body)
                } else if r.route.starts_with("interactions/") && !r.body["data"].is_null() {
                    Some(r.body["data"].clone())
                } else {
                    None
                }
            })
            .filter(|b| b.get("choices").is_none())
            .collect()
    }

    /// The callback sent for interaction `id`, if any.
    pub fn callback(&self, id: u64) -> Option<Value> {
        self.received_at(&format!("interactions/{id}/"))
            .into_iter()
            .next()
            .map(|r| r.body)
    }

    /// Waits until `done` holds for what was received; panics with everything received
    /// after `within` (a deadline for the event, not a speed requirement).
    pub async fn wait_for(&self, what: &str, mut done: impl FnMut(&[Received]) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if done(&self.received()) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; received: {:#?}",
                    self.received()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Routes a request by hand: Discord's paths are few and the fake wants them all in one
/// place, recorded the same way.
async fn handle(
    extract::State((state, gateway_url)): extract::State<(Shared, String)>,
    request: Request,
) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = axum::body::to_bytes(request.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let body: Value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    let path = uri.path().trim_start_matches('/');
    let path = path.strip_prefix("api/").unwrap_or(path);
    let route = match path.split_once('/') {
        Some((version, rest))
            if version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => path,
    }
    .to_string();
    let query = uri.query().map(str::to_string);

    let (answer, delay) = answer(
        &state,
        &gateway_url,
        &method,
        &route,
        query.as_deref(),
        authorization.as_deref(),
        &body,
    );
    let status = answer.status;
    {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.received.push(Received {
            method: method.to_string(),
            route,
            query,
            authorization,
            body,
            status: status.as_u16(),
        });
    }
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    answer.into_response()
}

/// A response being built.
struct Answer {
    status: StatusCode,
    body: Option<Value>,
    html: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
}

impl Answer {
    fn json(status: u16, body: Value) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("valid status"),
            body: Some(body),
            html: None,
            headers: Vec::new(),
        }
    }

    fn empty(status: u16) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("valid status"),
            body: None,
            html: None,
            headers: Vec::new(),
        }
    }

    fn error(status: u16, message: &str, code: u32) -> Answer {
        Answer::json(status, json!({ "message": message, "code": code }))
    }

    fn into_response(self) -> Response {
        let mut response = match (self.body, self.html) {
            (Some(body), _) => (self.status, axum::Json(body)).into_response(),
            (None, Some(html)) => (
                self.status,
                [("content-type", "text/html")],
                Body::from(html),
            )
                .into_response(),
            (None, None) => self.status.into_response(),
        };
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}

fn scripted(answer: &Scripted) -> Answer {
    match answer {
        Scripted::RateLimited { retry_after, global } => {
            let mut a = Answer::json(
                429,
                json!({
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": global,
                }),
            );
            a.headers = vec![
                ("retry-after", format!("{}", retry_after.ceil() as u64)),
                ("x-ratelimit-limit", "5".to_string()),
                ("x-ratelimit-remaining", "0".to_string()),
                ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
                ("x-ratelimit-bucket", "f0d2fa5bcde84b7e".to_string()),
                ("x-ratelimit-scope", if *global { "global" } else { "user" }.to_string()),
            ];
            if *global {
                a.headers.push(("x-ratelimit-global", "true".to_string()));
            }
            a
        }
        Scripted::MissingAccess => Answer::error(403, "Missing Access", 50001),
        Scripted::MissingPermissions => Answer::error(403, "Missing Permissions", 50013),
        Scripted::UnknownChannel => Answer::error(404, "Unknown Channel", 10003),
        Scripted::UnknownWebhook => Answer::error(404, "Unknown Webhook", 10015),
        Scripted::ServerError => Answer::json(500, json!({ "message": "500: Internal Server Error", "code": 0 })),
        Scripted::BadGateway => Answer {
            status: StatusCode::BAD_GATEWAY,
            body: None,
            html: Some("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"),
            headers: Vec::new(),
        },
        Scripted::Slow(_) => Answer::empty(200),
    }
}

fn ok_headers(mut answer: Answer) -> Answer {
    answer.headers.extend([
        ("x-ratelimit-limit", "5".to_string()),
        ("x-ratelimit-remaining", "4".to_string()),
        ("x-ratelimit-reset-after", "5.000".to_string()),
        ("x-ratelimit-bucket", "f0d2fa5bcde84b7e".to_string()),
    ]);
    answer
}

#[allow(clippy::too_many_arguments)]
fn answer(
    state: &Shared,
    gateway_url: &str,
    method: &Method,
    route: &str,
    query: Option<&str>,
    authorization: Option<&str>,
    body: &Value,
) -> (Answer, Option<Duration>) {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    let parts: Vec<&str> = route.split('/').collect();
    let bot_route = !matches!(parts.first(), Some(&"webhooks") | Some(&"interactions"));
    if bot_route {
        let expected = format!("Bot {BOT_TOKEN}");
        if authorization != Some(expected.as_str()) || s.token_revoked {
            return (Answer::error(401, "401: Unauthorized", 0), None);
        }
    }
    let target = match parts.as_slice() {
        ["channels", id, "messages"] => id.parse().ok().map(Target::Channel),
        ["webhooks", id, _] => id.parse().ok().map(Target::Webhook),
        _ => None,
    };
    let mut delay = None;
    if let Some(target) = target {
        let next = s.scripts.get_mut(&target).and_then(VecDeque::pop_front);
        match next {
            Some(Scripted::Slow(d)) => delay = Some(d),
            Some(other) => return (scripted(&other), None),
            None => {}
        }
    }
    let answer = match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => Answer::json(200, json!({ "url": gateway_url })),
        ("GET", ["gateway", "bot"]) => Answer::json(
            200,
            json!({
                "url": gateway_url,
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }),
        ),
        ("POST", ["channels", id, "messages"]) => {
            let Ok(channel_id) = id.parse::<u64>() else {
                return (Answer::error(404, "404: Not Found", 0), None);
            };
            if s.deleted_channels.contains(&channel_id) {
                Answer::error(404, "Unknown Channel", 10003)
            } else if s.forbidden_channels.contains(&channel_id) {
                Answer::error(403, "Missing Access", 50001)
            } else if let Some(problem) = invalid(body) {
                problem
            } else {
                s.next_id += 1;
                ok_headers(Answer::json(
                    200,
                    objects::message(s.next_id, channel_id, body, objects::bot_user(), None),
                ))
            }
        }
        ("POST", ["users", "@me", "channels"]) => {
            let user = body["recipient_id"]
                .as_str()
                .and_then(|u| u.parse::<u64>().ok())
                .or_else(|| body["recipient_id"].as_u64());
            match user {
                Some(user) => {
                    let next = s.next_id + 1;
                    let channel = *s.dm_channels.entry(user).or_insert(next);
                    s.next_id = s.next_id.max(channel);
                    Answer::json(200, objects::dm_channel(channel, user))
                }
                None => Answer::json(
                    400,
                    json!({"message": "Invalid Form Body", "code": 50035, "errors": {"recipient_id": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}}}),
                ),
            }
        }
        ("POST", ["webhooks", id, token]) => {
            let token = token.to_string();
            if s.acknowledged.contains(&token) {
                // A follow-up to an interaction.
                match invalid(body) {
                    Some(problem) => problem,
                    None => {
                        s.next_id += 1;
                        Answer::json(
                            200,
                            objects::message(s.next_id, 1, body, objects::bot_user(), Some(APP_ID)),
                        )
                    }
                }
            } else {
                let id: u64 = id.parse().unwrap_or(0);
                match s.webhooks.get(&id).cloned() {
                    None => Answer::error(404, "Unknown Webhook", 10015),
                    Some(_) if s.deleted_webhooks.contains(&id) => {
                        Answer::error(404, "Unknown Webhook", 10015)
                    }
                    Some((expected, _)) if expected != token => {
                        Answer::error(401, "Invalid Webhook Token", 50027)
                    }
                    Some((_, channel)) => match invalid(body) {
                        Some(problem) => problem,
                        // `wait` defaults to false: no message back.
                        None if !query.is_some_and(|q| q.split('&').any(|p| p == "wait=true")) => {
                            Answer::empty(204)
                        }
                        None => {
                            s.next_id += 1;
                            let author = objects::user(id, "Daily Papers", true);
                            Answer::json(
                                200,
                                objects::message(s.next_id, channel, body, author, Some(id)),
                            )
                        }
                    },
                }
            }
        }
        ("PATCH", ["webhooks", _, token, "messages", "@original"]) => {
            if !s.acknowledged.contains(*token) {
                Answer::error(404, "Unknown Message", 10008)
            } else {
                match invalid(body) {
                    Some(problem) => problem,
                    None => {
                        s.next_id += 1;
                        Answer::json(
                            200,
                            objects::message(s.next_id, 1, body, objects::bot_user(), Some(APP_ID)),
                        )
                    }
                }
            }
        }
        ("POST", ["interactions", _, token, "callback"]) => {
            if !s.acknowledged.insert(token.to_string()) {
                Answer::error(400, "Interaction has already been acknowledged.", 40060)
            } else {
                // A deferred answer (type 5) carries at most its flags (64: only the
                // caller will see the reply); a message answer must be a valid message.
                let is_deferred = body["type"] == json!(5);
                match body["data"].as_object() {
                    Some(_) if is_deferred => Answer::empty(204),
                    Some(_) if body["data"].get("choices").is_none() => {
                        match invalid(&body["data"]) {
                            Some(problem) => problem,
                            None => Answer::empty(204),
                        }
                    }
                    _ => Answer::empty(204),
                }
            }
        }
        ("PUT", ["applications", app, "commands"])
        | ("PUT", ["applications", app, "guilds", _, "commands"]) => {
            let guild = parts.get(3).copied();
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!((1_300_000_000_000_000_000u64 + i as u64).to_string());
                    c["application_id"] = json!(app.to_string());
                    c["version"] = json!("1300000000000000100");
                    if c.get("type").is_none() {
                        c["type"] = json!(1);
                    }
                    if let Some(g) = guild {
                        c["guild_id"] = json!(g);
                    }
                    c
                })
                .collect();
            Answer::json(200, Value::Array(commands))
        }
        _ => Answer::error(404, "404: Not Found", 0),
    };
    (answer, delay)
}

/// Discord's create-message checks, written from its documentation and independent of
/// paperboy's renderer: 400 Invalid Form Body (50035) or Cannot send an empty message (50006).
fn invalid(body: &Value) -> Option<Answer> {
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let too_long = |what: &str| {
        Some(Answer::json(
            400,
            json!({
                "message": "Invalid Form Body",
                "code": 50035,
                "errors": { what: { "_errors": [{ "code": "BASE_TYPE_MAX_LENGTH", "message": format!("{what} is too long") }] } },
            }),
        ))
    };
    let content = len(&body["content"]);
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    if content == 0 && embeds.is_empty() {
        return Some(Answer::error(400, "Cannot send an empty message", 50006));
    }
    if content > 2000 {
        return too_long("content");
    }
    if embeds.len() > 10 {
        return too_long("embeds");
    }
    let mut total = 0;
    for embed in &embeds {
        let title = len(&embed["title"]);
        let description = len(&embed["description"]);
        let footer = len(&embed["footer"]["text"]);
        if title > 256 || description > 4096 || footer > 2048 {
            return too_long("embeds.title/description/footer");
        }
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            return too_long("embeds.fields");
        }
        total += title + description + footer;
        for field in fields {
            let (name, value) = (len(&field["name"]), len(&field["value"]));
            if name == 0 || value == 0 || name > 256 || value > 1024 {
                return too_long("embeds.fields.name/value");
            }
            total += name + value;
        }
    }
    if total > 6000 {
        return too_long("embeds");
    }
    None
}
