//! The fake's request handling: routing `/bot<token>/<method>`, the methods themselves, flood
//! limits and scripted failures. See the parent module for the behaviour it promises.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, Request, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::html;
use super::objects::{self, chat_member, Content, MemberStatus};
use super::wire::{BodyKind, Params, Upload};
use super::{Failure, Limit, PhotoSource, RequestRecord, Sent, SentMedia, Shared, State, TgChat};

/// Every method the fake knows, in the Bot API's spelling.
const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "getWebhookInfo",
    "deleteWebhook",
    "sendMessage",
    "sendPhoto",
    "sendMediaGroup",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "getChatMember",
    "getChatAdministrators",
    "getChat",
    "answerCallbackQuery",
    "sendChatAction",
    "deleteMessage",
    "leaveChat",
    "setMyDescription",
    "setMyShortDescription",
    "close",
    "logOut",
];

/// The nginx page Telegram's front end serves when its backend is down.
const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n\
</body>\r\n</html>\r\n";

pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An answer, before it becomes HTTP.
enum Reply {
    Ok(Value),
    Error {
        code: u16,
        description: String,
        parameters: Option<Value>,
    },
    BadGateway,
}

impl Reply {
    fn error(code: u16, description: impl Into<String>) -> Reply {
        Reply::Error {
            code,
            description: description.into(),
            parameters: None,
        }
    }

    fn bad_request(description: impl Into<String>) -> Reply {
        Reply::error(400, description)
    }

    fn status(&self) -> u16 {
        match self {
            Reply::Ok(_) => 200,
            Reply::Error { code, .. } => *code,
            Reply::BadGateway => 502,
        }
    }

    fn into_response(self) -> Response {
        match self {
            Reply::Ok(result) => axum::Json(json!({"ok": true, "result": result})).into_response(),
            Reply::Error {
                code,
                description,
                parameters,
            } => {
                let mut body = json!({"ok": false, "error_code": code, "description": description});
                let mut retry_after = None;
                if let Some(p) = parameters {
                    retry_after = p.get("retry_after").and_then(Value::as_u64);
                    body["parameters"] = p;
                }
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut resp = (status, axum::Json(body)).into_response();
                if let Some(secs) = retry_after {
                    resp.headers_mut()
                        .insert(header::RETRY_AFTER, secs.to_string().parse().unwrap());
                }
                resp
            }
            Reply::BadGateway => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                BAD_GATEWAY_HTML,
            )
                .into_response(),
        }
    }
}

/// `GET /files/<name>`: bytes registered with `serve_image`.
pub(super) async fn serve_image(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(name): Path<String>,
) -> Response {
    let found = shared.lock().images.get(&name).cloned();
    match found {
        Some((content_type, bytes)) => {
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Every other path: `/bot<token>/<method>`.
pub(super) async fn handle(AxumState(shared): AxumState<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let (token, method_as_sent) = loop {
        match segments.next() {
            Some(s) if s.starts_with("bot") => {
                break (
                    s[3..].to_string(),
                    segments.next().unwrap_or("").to_string(),
                )
            }
            Some(_) => continue,
            None => break (String::new(), String::new()),
        }
    };
    let token = percent_decode(&token);
    let method = METHODS
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(&method_as_sent));

    let expected_token = shared.lock().opts.token.clone();
    let (reply, delay, body, chat_id) = if token != expected_token {
        (
            Reply::error(401, "Unauthorized"),
            None,
            BodyKind::Empty,
            None,
        )
    } else if let Some(method) = method {
        let arrival_delay = shared.lock().opts.arrival_delay;
        if let Some(max) = arrival_delay {
            let nanos = rand::random::<u64>() % (max.as_nanos() as u64).max(1);
            tokio::time::sleep(Duration::from_nanos(nanos)).await;
        }
        match Params::read(req).await {
            Ok(params) => {
                let chat_id = params.i64("chat_id");
                let kind = params.kind;
                let (reply, delay) = dispatch(&shared, method, &method_as_sent, params).await;
                (reply, delay, kind, chat_id)
            }
            Err(description) => (Reply::bad_request(description), None, BodyKind::Empty, None),
        }
    } else {
        (Reply::error(404, "Not Found"), None, BodyKind::Empty, None)
    };

    {
        let mut st = shared.lock();
        *st.statuses.entry(reply.status()).or_insert(0) += 1;
        st.requests.push(RequestRecord {
            method_as_sent,
            method,
            body,
            status: reply.status(),
            chat_id,
        });
    }
    shared.bump();
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    reply.into_response()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("t={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn dispatch(
    shared: &Arc<Shared>,
    method: &'static str,
    method_as_sent: &str,
    params: Params,
) -> (Reply, Option<Duration>) {
    match method {
        "getUpdates" => (get_updates(shared, &params).await, None),
        "sendMessage" | "sendPhoto" | "sendMediaGroup" => {
            let mut st = shared.lock();
            send(&mut st, method, method_as_sent, params)
        }
        _ => {
            let mut st = shared.lock();
            (other(&mut st, method, &params), None)
        }
    }
}

/// The methods that neither send nor poll.
fn other(st: &mut State, method: &str, params: &Params) -> Reply {
    match method {
        "getMe" => {
            let mut me = st.opts.bot.json();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(false);
            me["can_connect_to_business"] = json!(false);
            me["has_main_web_app"] = json!(false);
            Reply::Ok(me)
        }
        "getWebhookInfo" => Reply::Ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": st.updates.len(),
        })),
        "deleteWebhook" => {
            if params.bool("drop_pending_updates") {
                st.updates.clear();
            }
            Reply::Ok(json!(true))
        }
        "setMyCommands" => {
            let Some(commands) = params.json("commands").and_then(|v| v.as_array().cloned()) else {
                return Reply::bad_request("Bad Request: parameter \"commands\" is required");
            };
            for c in &commands {
                let name = c["command"].as_str().unwrap_or("");
                let valid = !name.is_empty()
                    && name.len() <= 32
                    && name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
                if !valid {
                    return Reply::bad_request("Bad Request: BOT_COMMAND_INVALID");
                }
                let description = c["description"].as_str().unwrap_or("");
                if description.is_empty() || description.chars().count() > 256 {
                    return Reply::bad_request("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
                }
            }
            st.command_calls.push(params.fields.clone());
            Reply::Ok(json!(true))
        }
        "getMyCommands" => {
            let commands = st
                .command_calls
                .last()
                .and_then(|p| match p.get("commands") {
                    Some(Value::String(s)) => serde_json::from_str(s).ok(),
                    other => other.cloned(),
                })
                .unwrap_or_else(|| json!([]));
            Reply::Ok(commands)
        }
        "deleteMyCommands" => {
            st.command_calls.push(serde_json::Map::from_iter([(
                "commands".to_string(),
                json!([]),
            )]));
            Reply::Ok(json!(true))
        }
        "getChat" => match resolve_chat(st, params) {
            Ok(id) => Reply::Ok(st.chat(id).full_json()),
            Err(reply) => reply,
        },
        "getChatMember" => {
            let chat_id = match resolve_chat(st, params) {
                Ok(id) => id,
                Err(reply) => return reply,
            };
            let Some(user_id) = params.i64("user_id") else {
                return Reply::bad_request("Bad Request: invalid user_id specified");
            };
            let status = st.member_status(chat_id, user_id);
            Reply::Ok(chat_member(&st.user(user_id), status))
        }
        "getChatAdministrators" => {
            let chat_id = match resolve_chat(st, params) {
                Ok(id) => id,
                Err(reply) => return reply,
            };
            if chat_id > 0 {
                return Reply::bad_request(
                    "Bad Request: there are no administrators in the private chat",
                );
            }
            let mut ids: Vec<i64> = st
                .members
                .keys()
                .filter(|(c, _)| *c == chat_id)
                .map(|(_, u)| *u)
                .collect();
            if !ids.contains(&st.opts.bot.id) {
                ids.push(st.opts.bot.id);
            }
            ids.sort_unstable();
            let admins: Vec<Value> = ids
                .into_iter()
                .filter_map(|u| {
                    let status = st.member_status(chat_id, u);
                    matches!(status, MemberStatus::Creator | MemberStatus::Administrator)
                        .then(|| chat_member(&st.user(u), status))
                })
                .collect();
            Reply::Ok(Value::Array(admins))
        }
        "answerCallbackQuery" => {
            if params.str("callback_query_id").is_none() {
                return Reply::bad_request("Bad Request: query is too old and response timeout expired or query id is invalid");
            }
            Reply::Ok(json!(true))
        }
        // sendChatAction, deleteMessage, leaveChat, setMyDescription, close, logOut...
        _ => Reply::Ok(json!(true)),
    }
}

/// `chat_id` as an id, or `@username` of a known chat.
fn resolve_chat(st: &State, params: &Params) -> Result<i64, Reply> {
    if let Some(id) = params.i64("chat_id") {
        return Ok(id);
    }
    let name = params.str("chat_id").unwrap_or_default();
    let name = name.trim_start_matches('@');
    st.chats
        .values()
        .find(|c| !name.is_empty() && c.username() == Some(name))
        .map(TgChat::id)
        .ok_or_else(|| Reply::bad_request("Bad Request: chat not found"))
}

/// `getUpdates`: answers at once when updates are waiting, else holds the request until one
/// is queued, `timeout` passes, or another poll takes over (409, as Telegram answers).
async fn get_updates(shared: &Arc<Shared>, params: &Params) -> Reply {
    let offset = params.i64("offset").unwrap_or(0);
    let limit = params.i64("limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(params.i64("timeout").unwrap_or(0).max(0) as u64);
    let allowed = params.json("allowed_updates").and_then(|v| {
        v.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
    });

    let mut rx = shared.updates_changed.subscribe();
    let (generation, hold) = {
        let mut st = shared.lock();
        st.poll_generation += 1;
        if let Some(a) = allowed {
            st.allowed_updates = (!a.is_empty()).then_some(a);
        }
        let hold = match st.opts.max_poll_wait {
            Some(cap) => timeout.min(cap),
            None => timeout,
        };
        (st.poll_generation, hold)
    };
    // Wake any poll already held, so that it notices it was superseded.
    shared.updates_changed.send_modify(|v| *v += 1);
    shared.bump();
    let deadline = tokio::time::Instant::now() + hold;
    loop {
        rx.borrow_and_update();
        {
            let mut st = shared.lock();
            if st.poll_generation != generation {
                return Reply::error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only \
                     one bot instance is running",
                );
            }
            let ready = take_updates(&mut st, offset, limit);
            if !ready.is_empty() || tokio::time::Instant::now() >= deadline {
                return Reply::Ok(Value::Array(ready));
            }
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            let mut st = shared.lock();
            return Reply::Ok(Value::Array(take_updates(&mut st, offset, limit)));
        }
    }
}

/// Applies `offset` (forgetting acknowledged updates) and returns up to `limit` updates.
fn take_updates(st: &mut State, offset: i64, limit: usize) -> Vec<Value> {
    if offset < 0 {
        let keep = offset.unsigned_abs() as usize;
        while st.updates.len() > keep {
            st.updates.pop_front();
        }
        if let Some((first, _)) = st.updates.front() {
            st.acknowledged = *first;
        }
    } else if offset > 0 {
        st.acknowledged = st.acknowledged.max(offset);
        while st.updates.front().is_some_and(|(id, _)| *id < offset) {
            st.updates.pop_front();
        }
    }
    let allowed = st.allowed_updates.clone();
    let is_allowed = |u: &Value| -> bool {
        let kind = u
            .as_object()
            .and_then(|m| m.keys().find(|k| *k != "update_id").cloned())
            .unwrap_or_default();
        match &allowed {
            Some(list) => list.contains(&kind),
            // Telegram's default leaves these out unless asked for.
            None => !matches!(
                kind.as_str(),
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        }
    };
    st.updates.retain(|(_, u)| is_allowed(u));
    st.updates
        .iter()
        .take(limit)
        .map(|(_, u)| u.clone())
        .collect()
}

/// The next scripted failure for a send to `chat_id`, consuming one use of it.
fn scripted(st: &mut State, chat_id: i64) -> Option<Failure> {
    let pos = st
        .scripts
        .iter()
        .position(|s| s.chat == Some(chat_id))
        .or_else(|| st.scripts.iter().position(|s| s.chat.is_none()))?;
    let script = &mut st.scripts[pos];
    let failure = script.failure.clone();
    if let Some(n) = &mut script.remaining {
        *n = n.saturating_sub(1);
        if *n == 0 {
            st.scripts.remove(pos);
        }
    }
    Some(failure)
}

fn failure_reply(failure: Failure) -> Reply {
    match failure {
        Failure::Blocked => Reply::error(403, "Forbidden: bot was blocked by the user"),
        Failure::Kicked => Reply::error(403, "Forbidden: bot was kicked from the supergroup chat"),
        Failure::Deactivated => Reply::error(403, "Forbidden: user is deactivated"),
        Failure::ChatNotFound => Reply::bad_request("Bad Request: chat not found"),
        Failure::NotEnoughRights => {
            Reply::bad_request("Bad Request: not enough rights to send text messages to the chat")
        }
        Failure::Migrated { to } => Reply::Error {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
            parameters: Some(json!({"migrate_to_chat_id": to})),
        },
        Failure::TooManyRequests { retry_after } => too_many(retry_after),
        Failure::BadGateway => Reply::BadGateway,
        Failure::InternalError => Reply::error(500, "Internal Server Error"),
        Failure::Api {
            code,
            description,
            parameters,
        } => Reply::Error {
            code,
            description,
            parameters,
        },
        // Handled by the caller: it delays a normal answer.
        Failure::Slow(_) => Reply::error(500, "Internal Server Error"),
    }
}

fn too_many(retry_after: u32) -> Reply {
    Reply::Error {
        code: 429,
        description: format!("Too Many Requests: retry after {retry_after}"),
        parameters: Some(json!({"retry_after": retry_after})),
    }
}

/// Drops instants older than the window; when the window is full, the whole seconds until
/// its oldest entry leaves it (at least 1).
fn window_wait(window: &mut VecDeque<Instant>, limit: Limit, now: Instant) -> Option<u32> {
    while window
        .front()
        .is_some_and(|t| now.duration_since(*t) >= limit.window)
    {
        window.pop_front();
    }
    if window.len() < limit.max {
        return None;
    }
    let oldest = *window.front()?;
    let wait = (oldest + limit.window).saturating_duration_since(now);
    Some((wait.as_secs_f64().ceil() as u32).max(1))
}

/// A photo as given: `attach://name`, an URL, or a file id.
fn photo_source(
    value: &str,
    files: &std::collections::HashMap<String, Upload>,
) -> Option<PhotoSource> {
    if let Some(name) = value.strip_prefix("attach://") {
        let up = files.get(name)?;
        return Some(PhotoSource::Upload {
            file_name: up.file_name.clone(),
            bytes: up.bytes.clone(),
        });
    }
    if value.starts_with("http://") || value.starts_with("https://") {
        return Some(PhotoSource::Url(value.to_string()));
    }
    Some(PhotoSource::FileId(value.to_string()))
}

fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
        || (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// Checks a photo against what Telegram would accept; returns the file id to answer with,
/// or the error description.
fn accept_photo(st: &mut State, source: &PhotoSource) -> Result<String, String> {
    match source {
        PhotoSource::Url(url) => {
            if let Some(d) = st.refused_urls.get(url).or(st.refuse_all_urls.as_ref()) {
                return Err(d.clone());
            }
            if let Some(id) = st.url_file_ids.get(url) {
                return Ok(id.clone());
            }
            let id = st.new_file_id();
            st.url_file_ids.insert(url.clone(), id.clone());
            Ok(id)
        }
        PhotoSource::FileId(id) => {
            if st.known_file_ids.contains(id) {
                Ok(id.clone())
            } else {
                Err("Bad Request: wrong file identifier/HTTP URL specified".into())
            }
        }
        PhotoSource::Upload { bytes, .. } => {
            if bytes.is_empty() {
                Err("Bad Request: file must be non-empty".into())
            } else if !is_image(bytes) {
                Err("Bad Request: IMAGE_PROCESS_FAILED".into())
            } else {
                Ok(st.new_file_id())
            }
        }
    }
}

/// Parses an HTML-mode text and checks its length; returns the visible text.
fn check_text(
    st: &State,
    text: &str,
    parse_mode: Option<&str>,
    limit: usize,
    too_long: &str,
) -> Result<String, Reply> {
    let visible =
        if st.opts.check_html && parse_mode.is_some_and(|m| m.eq_ignore_ascii_case("html")) {
            html::parse(text).map_err(Reply::bad_request)?
        } else {
            text.to_string()
        };
    if html::utf16_len(&visible) > limit {
        return Err(Reply::bad_request(too_long));
    }
    Ok(visible)
}

/// `sendMessage`, `sendPhoto`, `sendMediaGroup`: scripted failures, flood limits, validation,
/// then the record and the answer. Runs under the state lock, so limits are exact.
fn send(
    st: &mut State,
    method: &'static str,
    method_as_sent: &str,
    params: Params,
) -> (Reply, Option<Duration>) {
    let chat_id = match resolve_chat(st, &params) {
        Ok(id) => id,
        Err(reply) => return (reply, None),
    };
    let mut delay = None;
    match scripted(st, chat_id) {
        Some(Failure::Slow(d)) => delay = Some(d),
        Some(f) => return (failure_reply(f), None),
        None => {}
    }

    let now_i = Instant::now();
    let mut waits = Vec::new();
    if let Some(limit) = st.opts.per_chat_limit {
        let w = st.chat_windows.entry(chat_id).or_default();
        waits.extend(window_wait(w, limit, now_i).map(|s| ("chat", s)));
    }
    if let (Some(limit), true) = (st.opts.group_limit, chat_id < 0) {
        let w = st.group_windows.entry(chat_id).or_default();
        waits.extend(window_wait(w, limit, now_i).map(|s| ("group", s)));
    }
    if let Some(limit) = st.opts.global_limit {
        waits.extend(window_wait(&mut st.global_window, limit, now_i).map(|s| ("global", s)));
    }
    for (limit, _) in &waits {
        *st.floods.entry(limit).or_insert(0) += 1;
    }
    if let Some(wait) = waits.into_iter().map(|(_, s)| s).max() {
        return (too_many(st.opts.retry_after.unwrap_or(wait)), None);
    }

    let thread_id = params.i64("message_thread_id").map(|t| t as i32);
    let parse_mode = params.str("parse_mode");
    let link_preview_disabled = params
        .json("link_preview_options")
        .and_then(|v| v.get("is_disabled").and_then(Value::as_bool))
        .unwrap_or(false)
        || params.bool("disable_web_page_preview");

    // What the message holds: its text or caption, and its photos.
    let mut text = None;
    let mut media: Vec<SentMedia> = Vec::new();
    let mut contents: Vec<(Option<String>, Option<Value>)> = Vec::new(); // (visible text, sizes)
    match method {
        "sendMessage" => {
            let raw = params.str("text").unwrap_or_default();
            let visible = match check_text(
                st,
                &raw,
                parse_mode.as_deref(),
                4096,
                "Bad Request: message is too long",
            ) {
                Ok(v) => v,
                Err(r) => return (r, None),
            };
            if visible.trim().is_empty() {
                return (
                    Reply::bad_request("Bad Request: message text is empty"),
                    None,
                );
            }
            contents.push((Some(visible), None));
            text = Some(raw);
        }
        "sendPhoto" => {
            let source = match params.str("photo") {
                Some(p) => photo_source(&p, &params.files),
                None => params.files.get("photo").map(|up| PhotoSource::Upload {
                    file_name: up.file_name.clone(),
                    bytes: up.bytes.clone(),
                }),
            };
            let Some(source) = source else {
                return (
                    Reply::bad_request("Bad Request: there is no photo in the request"),
                    None,
                );
            };
            let caption = params.str("caption");
            let visible = match caption.as_deref().map(|c| {
                check_text(
                    st,
                    c,
                    parse_mode.as_deref(),
                    1024,
                    "Bad Request: message caption is too long",
                )
            }) {
                Some(Err(r)) => return (r, None),
                Some(Ok(v)) => Some(v),
                None => None,
            };
            let file_id = match accept_photo(st, &source) {
                Ok(id) => id,
                Err(d) => return (Reply::bad_request(d), None),
            };
            let size = upload_len(&source);
            contents.push((visible, Some(objects::photo_sizes(&file_id, size))));
            media.push(SentMedia {
                source,
                caption: caption.clone(),
                parse_mode: parse_mode.clone(),
                file_id,
            });
            text = caption;
        }
        _ => {
            let items = params
                .json("media")
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_default();
            if items.is_empty() {
                return (
                    Reply::bad_request("Bad Request: parameter \"media\" is required"),
                    None,
                );
            }
            if items.len() > 10 {
                return (
                    Reply::bad_request("Bad Request: Too much messages to send as an album"),
                    None,
                );
            }
            if items.len() < 2 {
                return (
                    Reply::bad_request("Bad Request: there must be at least 2 media in an album"),
                    None,
                );
            }
            for (n, item) in items.iter().enumerate() {
                if item["type"].as_str() != Some("photo") {
                    return (
                        Reply::bad_request("Bad Request: can't parse InputMedia: unsupported type"),
                        None,
                    );
                }
                let value = item["media"].as_str().unwrap_or_default();
                let Some(source) = photo_source(value, &params.files) else {
                    return (
                        Reply::bad_request(format!(
                            "Bad Request: failed to send message #{} with the error message \
                             \"wrong file identifier/http url specified\"",
                            n + 1
                        )),
                        None,
                    );
                };
                let caption = item["caption"].as_str().map(str::to_string);
                let item_mode = item["parse_mode"].as_str().map(str::to_string);
                let visible = match caption.as_deref().map(|c| {
                    check_text(
                        st,
                        c,
                        item_mode.as_deref(),
                        1024,
                        "Bad Request: message caption is too long",
                    )
                }) {
                    Some(Err(r)) => return (r, None),
                    Some(Ok(v)) => Some(v),
                    None => None,
                };
                let file_id = match accept_photo(st, &source) {
                    Ok(id) => id,
                    Err(d) => {
                        let inner = d.trim_start_matches("Bad Request: ").to_lowercase();
                        return (
                            Reply::bad_request(format!(
                                "Bad Request: failed to send message #{} with the error \
                                 message \"{inner}\"",
                                n + 1
                            )),
                            None,
                        );
                    }
                };
                let size = upload_len(&source);
                contents.push((visible, Some(objects::photo_sizes(&file_id, size))));
                if text.is_none() {
                    text = caption.clone();
                }
                media.push(SentMedia {
                    source,
                    caption,
                    parse_mode: item_mode,
                    file_id,
                });
            }
        }
    }

    // Accepted: count it in the windows, record it, answer with the messages.
    if st.opts.per_chat_limit.is_some() {
        st.chat_windows.entry(chat_id).or_default().push_back(now_i);
    }
    if st.opts.group_limit.is_some() && chat_id < 0 {
        st.group_windows
            .entry(chat_id)
            .or_default()
            .push_back(now_i);
    }
    if st.opts.global_limit.is_some() {
        st.global_window.push_back(now_i);
    }
    let chat = st.chat(chat_id);
    let bot = st.opts.bot.clone();
    let date = now();
    let mut messages = Vec::new();
    let mut message_ids = Vec::new();
    for (visible, sizes) in contents {
        let id = st.next_message_id(chat_id);
        message_ids.push(id);
        let content = match &sizes {
            Some(s) => Content::Photo(s.clone(), visible.as_deref()),
            None => Content::Text(visible.as_deref().unwrap_or_default()),
        };
        let from = (!chat.is_channel()).then_some(&bot);
        let mut msg = objects::message(id, &chat, from, date, thread_id, content);
        if method == "sendMediaGroup" {
            msg["media_group_id"] = json!(format!("mg{chat_id}{}", message_ids[0]));
        }
        messages.push(msg);
    }
    let seq = st.sent.len();
    st.sent.push(Sent {
        seq,
        method,
        method_as_sent: method_as_sent.to_string(),
        body: params.kind,
        chat_id,
        message_thread_id: thread_id,
        text,
        parse_mode,
        link_preview_disabled,
        media,
        message_ids,
        params: params.fields,
    });
    let result = if method == "sendMediaGroup" {
        Value::Array(messages)
    } else {
        messages.pop().unwrap_or(Value::Null)
    };
    (Reply::Ok(result), delay)
}

fn upload_len(source: &PhotoSource) -> usize {
    match source {
        PhotoSource::Upload { bytes, .. } => bytes.len(),
        _ => 250_000,
    }
}
