//! Delivering rendered calls ([`render::telegram::Call`]) to Telegram chats: the Telegram
//! [`Courier`] of the delivery engine.
//!
//! The engine owns pacing and retries, so this sender makes exactly one attempt per call (no
//! teloxide `Throttle`, whose silent 429 retries would freeze the engine's view of time) and
//! reports the outcome as a [`SendError`] the engine acts on. Two things it does on its own:
//!
//! - **Photos Telegram cannot fetch.** A photo goes by URL first. When Telegram answers that
//!   it could not fetch or use it ("wrong file identifier/HTTP URL specified", "failed to get
//!   HTTP URL content", ...), the sender downloads the bytes itself (at most 10 MB) and uploads
//!   them. When that download definitively fails too (4xx, empty, too large), a lone photo is
//!   replaced by its caption as a text message, so the reader still gets the paper.
//! - **File ids.** Every photo sent by URL comes back in [`Receipt::photo_file_id`] as
//!   `(url, file_id)`. To reuse it for later chats, the caller puts the file id in place of the
//!   URL (`Call::SendPhoto { photo: file_id, .. }`, or a `media` of a media group): anything
//!   that is not an `http(s)://` URL is sent as a file id, and Telegram skips the fetch. Should
//!   Telegram refuse a file id this sender issued, it goes back to the URL it came from.
//!
//! Every call is bounded by the sender's timeout, including teloxide-core's own 10 s pause
//! after a 5xx answer: a 502 therefore reports as a timeout, which is equally transient.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::payloads::setters::*;
use teloxide::requests::{Output, Request, Requester};
use teloxide::types::{
    ChatId, FileId, InputFile, InputMedia, InputMediaPhoto, LinkPreviewOptions, Message, MessageId,
    ParseMode, Recipient, ThreadId,
};
use teloxide::{Bot, RequestError};
use url::Url;

use super::error::{self, CallError, DownloadError, Error};
use crate::delivery::{Courier, Outbound, Receipt, SendError};
use crate::domain::ChatRef;
use crate::render::telegram::{Call, InputMediaPhoto as RenderedPhoto, ParseMode as RenderedMode};
use crate::secret::Secret;

/// The largest photo the sender downloads to upload itself (Telegram's own limit for photos
/// is 10 MB).
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// Sends calls to Telegram. Cloning is cheap: clones share the HTTP connection pool and the
/// file-id memory.
#[derive(Clone)]
pub struct Sender {
    bot: Bot,
    /// Downloads photos Telegram could not fetch.
    http: reqwest::Client,
    timeout: Duration,
    /// `file_id -> URL` for every photo this sender sent by URL, so that a refused file id can
    /// be replaced by its URL. A std mutex: held for a map access, never across an await.
    origins: Arc<Mutex<HashMap<String, String>>>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("api_url", &self.bot.api_url().as_str())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Where a call goes.
#[derive(Debug, Clone, Copy)]
struct Target {
    chat_id: i64,
    thread_id: Option<i32>,
}

impl Sender {
    /// A sender for the bot with this token, talking to the Bot API at `api_url`
    /// (`https://api.telegram.org/` in production, a fake in tests), giving up on any call
    /// after `timeout`.
    pub fn new(token: &Secret, api_url: &Url, timeout: Duration) -> Result<Sender, Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .tcp_nodelay(true)
            .user_agent(crate::USER_AGENT)
            .build()
            .map_err(|source| Error::Client { source })?;
        let bot = Bot::with_client(token.expose(), client.clone()).set_api_url(api_url.clone());
        Ok(Sender {
            bot,
            http: client,
            timeout,
            origins: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// Tells the sender that `file_id` is the photo at `url` (e.g. from the store at start),
    /// so that if Telegram ever refuses the file id, the URL is used instead.
    pub fn remember_photo(&self, url: &str, file_id: &str) {
        self.origins_lock()
            .insert(file_id.to_string(), url.to_string());
    }

    /// Sends one call to a Telegram chat.
    pub async fn send_call(&self, chat: &ChatRef, call: &Call) -> Result<Receipt, SendError> {
        let ChatRef::Telegram { chat_id, thread_id } = chat else {
            return Err(SendError::Permanent(format!(
                "{chat} is not a Telegram chat"
            )));
        };
        let target = Target {
            chat_id: *chat_id,
            thread_id: *thread_id,
        };
        let result = match call {
            Call::SendMessage {
                text,
                parse_mode,
                link_preview_options,
            } => self
                .send_message(target, text, *parse_mode, link_preview_options.is_disabled)
                .await
                .map(|m| receipt(&m, None)),
            Call::SendPhoto {
                photo,
                caption,
                parse_mode,
            } => self.send_photo(target, photo, caption, *parse_mode).await,
            Call::SendMediaGroup { media } => self.send_media_group(target, media).await,
        };
        match &result {
            Ok(r) => {
                tracing::debug!(chat = %chat, message_id = ?r.message_id, "telegram call sent")
            }
            Err(e) => tracing::debug!(chat = %chat, error = %e, "telegram call failed"),
        }
        result
    }

    async fn send_message(
        &self,
        to: Target,
        text: &str,
        mode: RenderedMode,
        no_preview: bool,
    ) -> Result<Message, SendError> {
        let mut req = self
            .bot
            .send_message(recipient(to), text)
            .parse_mode(parse_mode(mode));
        if let Some(t) = to.thread_id {
            req = req.message_thread_id(ThreadId(MessageId(t)));
        }
        if no_preview {
            req = req.link_preview_options(LinkPreviewOptions {
                is_disabled: true,
                url: None,
                prefer_small_media: false,
                prefer_large_media: false,
                show_above_text: false,
            });
        }
        self.run(req, to)
            .await
            .map_err(|e| error::classify(&e, &to.chat()))
    }

    async fn send_photo(
        &self,
        to: Target,
        photo: &str,
        caption: &str,
        mode: RenderedMode,
    ) -> Result<Receipt, SendError> {
        let chat = to.chat();
        let url = as_url(photo);
        let first = match &url {
            Some(u) => InputFile::url(u.clone()),
            None => InputFile::file_id(FileId(photo.to_string())),
        };
        let err = match self.photo_request(to, first, caption, mode).await {
            Ok(msg) => return Ok(self.photo_receipt(&msg, url.as_ref().map(Url::as_str))),
            Err(e) if error::is_fetch_failure(&e) => e,
            Err(e) => return Err(error::classify(&e, &chat)),
        };

        // A file id Telegram no longer takes: go back to the URL it came from, if known.
        let url = match url {
            Some(u) => u,
            None => match self.origin_of(photo) {
                Some(u) => {
                    tracing::info!(chat = %chat, file_id = photo, url = %u, "file id refused; sending the photo by URL again");
                    match self
                        .photo_request(to, InputFile::url(u.clone()), caption, mode)
                        .await
                    {
                        Ok(msg) => return Ok(self.photo_receipt(&msg, Some(u.as_str()))),
                        Err(e) if error::is_fetch_failure(&e) => u,
                        Err(e) => return Err(error::classify(&e, &chat)),
                    }
                }
                None => return Err(error::classify(&err, &chat)),
            },
        };

        tracing::info!(chat = %chat, url = %url, "telegram could not fetch the photo; uploading it");
        match self.download(&url).await {
            Ok(bytes) => {
                let file = InputFile::memory(bytes).file_name(file_name(&url));
                let msg = self
                    .photo_request(to, file, caption, mode)
                    .await
                    .map_err(|e| error::classify(&e, &chat))?;
                Ok(self.photo_receipt(&msg, Some(url.as_str())))
            }
            Err(d) if d.is_definitive() && !caption.trim().is_empty() => {
                tracing::warn!(chat = %chat, error = %d, "photo unavailable; sending its caption as text");
                self.send_message(to, caption, mode, true)
                    .await
                    .map(|m| receipt(&m, None))
            }
            Err(d) => Err(SendError::Transient(format!(
                "telegram could not fetch the photo and neither could paperboy: {d}"
            ))),
        }
    }

    async fn photo_request(
        &self,
        to: Target,
        photo: InputFile,
        caption: &str,
        mode: RenderedMode,
    ) -> Result<Message, CallError> {
        let mut req = self.bot.send_photo(recipient(to), photo);
        if !caption.is_empty() {
            req = req.caption(caption).parse_mode(parse_mode(mode));
        }
        if let Some(t) = to.thread_id {
            req = req.message_thread_id(ThreadId(MessageId(t)));
        }
        self.run(req, to).await
    }

    async fn send_media_group(
        &self,
        to: Target,
        media: &[RenderedPhoto],
    ) -> Result<Receipt, SendError> {
        let chat = to.chat();
        let by_reference: Vec<InputFile> = media
            .iter()
            .map(|m| match as_url(&m.media) {
                Some(u) => InputFile::url(u),
                None => InputFile::file_id(FileId(m.media.clone())),
            })
            .collect();
        let err = match self.media_group_request(to, media, by_reference).await {
            Ok(msgs) => return Ok(self.group_receipt(media, &msgs)),
            Err(e) if error::is_fetch_failure(&e) => e,
            Err(e) => return Err(error::classify(&e, &chat)),
        };

        // One of the photos could not be fetched; upload every photo given by URL (or by a
        // file id whose URL is known), keep the other file ids as they are.
        tracing::info!(chat = %chat, error = %err, "telegram could not fetch a photo of the group; uploading them");
        let mut files = Vec::with_capacity(media.len());
        for m in media {
            let url = as_url(&m.media).or_else(|| self.origin_of(&m.media));
            match url {
                Some(u) => {
                    let bytes = self.download(&u).await.map_err(|d| {
                        SendError::Transient(format!(
                            "telegram could not fetch a photo and neither could paperboy: {d}"
                        ))
                    })?;
                    files.push(InputFile::memory(bytes).file_name(file_name(&u)));
                }
                None => files.push(InputFile::file_id(FileId(m.media.clone()))),
            }
        }
        let msgs = self
            .media_group_request(to, media, files)
            .await
            .map_err(|e| error::classify(&e, &chat))?;
        Ok(self.group_receipt(media, &msgs))
    }

    async fn media_group_request(
        &self,
        to: Target,
        media: &[RenderedPhoto],
        files: Vec<InputFile>,
    ) -> Result<Vec<Message>, CallError> {
        let items: Vec<InputMedia> = media
            .iter()
            .zip(files)
            .map(|(m, file)| {
                let mut photo = InputMediaPhoto::new(file);
                if !m.caption.is_empty() {
                    photo = photo.caption(m.caption.clone());
                }
                if let Some(mode) = m.parse_mode {
                    photo = photo.parse_mode(parse_mode(mode));
                }
                InputMedia::Photo(photo)
            })
            .collect();
        let mut req = self.bot.send_media_group(recipient(to), items);
        if let Some(t) = to.thread_id {
            req = req.message_thread_id(ThreadId(MessageId(t)));
        }
        self.run(req, to).await
    }

    /// Sends a request, bounded by the timeout.
    async fn run<R>(&self, req: R, to: Target) -> Result<Output<R>, CallError>
    where
        R: Request<Err = RequestError>,
    {
        match tokio::time::timeout(self.timeout, req.send()).await {
            Ok(result) => result.map_err(CallError::from),
            Err(_) => {
                tracing::debug!(chat = to.chat_id, timeout = ?self.timeout, "telegram call timed out");
                Err(CallError::TimedOut(self.timeout))
            }
        }
    }

    /// Downloads a photo, at most [`MAX_PHOTO_BYTES`].
    async fn download(&self, url: &Url) -> Result<Vec<u8>, DownloadError> {
        let request_err = |source| DownloadError::Request {
            url: url.to_string(),
            source,
        };
        let mut resp = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(request_err)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(DownloadError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let too_large = || DownloadError::TooLarge {
            url: url.to_string(),
            limit: MAX_PHOTO_BYTES,
        };
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_PHOTO_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(request_err)? {
            if bytes.len() + chunk.len() > MAX_PHOTO_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Err(DownloadError::Empty {
                url: url.to_string(),
            });
        }
        Ok(bytes)
    }

    fn origins_lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // The map holds plain strings; a panic elsewhere cannot leave it inconsistent.
        self.origins.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn origin_of(&self, file_id: &str) -> Option<Url> {
        self.origins_lock()
            .get(file_id)
            .and_then(|u| Url::parse(u).ok())
    }

    /// The receipt of a photo message; when it went by `url`, its file id is remembered and
    /// returned for reuse.
    fn photo_receipt(&self, msg: &Message, url: Option<&str>) -> Receipt {
        let file_id = url.and_then(|u| {
            let id = largest_photo(msg)?;
            self.remember_photo(u, &id);
            Some((u.to_string(), id))
        });
        receipt(msg, file_id)
    }

    /// The receipt of a media group: the first message's id, and the first photo that went
    /// by URL with its new file id (all of them are remembered).
    fn group_receipt(&self, media: &[RenderedPhoto], msgs: &[Message]) -> Receipt {
        let mut first = None;
        for (m, msg) in media.iter().zip(msgs) {
            let url = as_url(&m.media).or_else(|| self.origin_of(&m.media));
            if let (Some(u), Some(id)) = (url, largest_photo(msg)) {
                self.remember_photo(u.as_str(), &id);
                first.get_or_insert((u.to_string(), id));
            }
        }
        Receipt {
            message_id: msgs.first().map(|m| m.id.0.to_string()),
            photo_file_id: first,
        }
    }
}

impl Target {
    fn chat(&self) -> ChatRef {
        ChatRef::Telegram {
            chat_id: self.chat_id,
            thread_id: self.thread_id,
        }
    }
}

impl Courier for Sender {
    async fn send(&self, chat: &ChatRef, message: &Outbound) -> Result<Receipt, SendError> {
        match message {
            Outbound::Telegram(call) => self.send_call(chat, call).await,
            Outbound::Discord(_) => Err(SendError::Permanent(format!(
                "a Discord message cannot go to {chat} through Telegram"
            ))),
        }
    }
}

fn recipient(to: Target) -> Recipient {
    Recipient::Id(ChatId(to.chat_id))
}

fn parse_mode(mode: RenderedMode) -> ParseMode {
    match mode {
        RenderedMode::Html => ParseMode::Html,
    }
}

/// `Some` for an `http(s)://` URL; anything else is a file id.
fn as_url(photo: &str) -> Option<Url> {
    if !(photo.starts_with("https://") || photo.starts_with("http://")) {
        return None;
    }
    Url::parse(photo).ok()
}

fn receipt(msg: &Message, photo_file_id: Option<(String, String)>) -> Receipt {
    Receipt {
        message_id: Some(msg.id.0.to_string()),
        photo_file_id,
    }
}

/// The file id of the largest size of a photo message (Telegram sends several sizes).
fn largest_photo(msg: &Message) -> Option<String> {
    msg.photo()?
        .iter()
        .max_by_key(|p| u64::from(p.width) * u64::from(p.height))
        .map(|p| p.file.id.0.clone())
}

/// A file name for an upload: the URL's last path segment when it looks like one, since
/// Telegram guesses the type from it.
fn file_name(url: &Url) -> String {
    url.path_segments()
        .and_then(|mut s| s.next_back())
        .filter(|s| s.contains('.') && s.len() <= 64)
        .map(str::to_string)
        .unwrap_or_else(|| "photo.jpg".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_urls() {
        assert!(as_url("https://cdn.example/x.png").is_some());
        assert!(as_url("http://127.0.0.1:1/files/a.png").is_some());
        assert!(as_url("AgACAgIAAxkBAAIB").is_none());
        assert!(as_url("ftp://x/y").is_none());
    }

    #[test]
    fn upload_names_come_from_the_url() {
        let u = Url::parse("https://cdn.example/papers/2601.11077.png?x=1").unwrap();
        assert_eq!(file_name(&u), "2601.11077.png");
        let u = Url::parse("https://cdn.example/").unwrap();
        assert_eq!(file_name(&u), "photo.jpg");
    }

    #[test]
    fn definitive_download_failures() {
        let st = |status| DownloadError::Status {
            url: "u".into(),
            status,
        };
        assert!(st(404).is_definitive());
        assert!(!st(429).is_definitive());
        assert!(!st(503).is_definitive());
    }
}
