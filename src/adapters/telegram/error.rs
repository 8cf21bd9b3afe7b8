//! What can go wrong talking to Telegram, and how a failed Bot API call becomes the delivery
//! engine's platform-neutral [`SendError`].
//!
//! teloxide-core turns the Bot API's answer into a [`RequestError`], but drops `error_code`:
//! only the description is left to tell a 4xx from a 5xx. Telegram writes every description
//! as the HTTP reason phrase first ("Bad Request: chat not found", "Forbidden: bot was blocked
//! by the user"), so the classification below reads that prefix.

use std::time::Duration;

use teloxide::{ApiError, RequestError};

use crate::delivery::SendError;
use crate::domain::ChatRef;

/// Setting up the Telegram client failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot build the HTTP client for the Telegram Bot API")]
    Client {
        #[source]
        source: reqwest::Error,
    },
}

/// Downloading a photo ourselves, after Telegram could not fetch it.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("downloading the photo {url} failed")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the photo {url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("the photo {url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("the photo {url} is empty")]
    Empty { url: String },
}

impl DownloadError {
    /// True when trying again later will not help: the server said the photo is not there,
    /// or it is unusable as it is.
    pub fn is_definitive(&self) -> bool {
        match self {
            DownloadError::Status { status, .. } => (400..500).contains(status) && *status != 429,
            DownloadError::TooLarge { .. } | DownloadError::Empty { .. } => true,
            DownloadError::Request { .. } => false,
        }
    }
}

/// A failed Bot API call: what teloxide reported, or no answer within the sender's timeout.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error("no answer from the Bot API within {0:?}")]
    TimedOut(Duration),
}

/// The Bot API's description of an error, as Telegram wrote it.
pub(crate) fn description(err: &ApiError) -> String {
    match err {
        ApiError::Unknown(text) => text.clone(),
        // Known variants display exactly the description they were parsed from.
        known => known.to_string(),
    }
}

/// Maps a failed call for `chat` to what the delivery engine should do about it.
pub(crate) fn classify(err: &CallError, chat: &ChatRef) -> SendError {
    let err = match err {
        CallError::TimedOut(_) => return SendError::Transient(err.to_string()),
        CallError::Request(e) => e,
    };
    match err {
        RequestError::RetryAfter(wait) => SendError::RetryAfter(wait.duration()),
        RequestError::MigrateToChatId(to) => SendError::Migrated(ChatRef::Telegram {
            chat_id: to.0,
            thread_id: match chat {
                ChatRef::Telegram { thread_id, .. } => *thread_id,
                _ => None,
            },
        }),
        RequestError::Network(e) => SendError::Transient(format!("network error: {e}")),
        RequestError::InvalidJson { raw, .. } => SendError::Transient(format!(
            "the Bot API answered something other than its JSON: {}",
            preview(raw)
        )),
        RequestError::Io(e) => SendError::Transient(format!("i/o error: {e}")),
        // A refused token fails every chat alike: that is not the chat's fault, so it must not
        // count towards making chats inactive.
        RequestError::Api(ApiError::InvalidToken) => {
            SendError::Transient("the Bot API refused the bot token".to_string())
        }
        RequestError::Api(api) => classify_description(&description(api)),
    }
}

/// Sorts a Bot API error description by its HTTP reason phrase.
pub(crate) fn classify_description(description: &str) -> SendError {
    let lower = description.to_ascii_lowercase();
    if lower.starts_with("too many requests") {
        // A 429 always carries `retry_after`; if it ever does not, the text usually says it.
        let secs = lower
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(1);
        return SendError::RetryAfter(Duration::from_secs(secs));
    }
    let permanent = ["bad request", "forbidden", "unauthorized:", "not found"];
    if permanent.iter().any(|p| lower.starts_with(p)) {
        SendError::Permanent(description.to_string())
    } else {
        SendError::Transient(description.to_string())
    }
}

/// True when the error says Telegram could not fetch (or use) a photo given by URL, so that
/// uploading the bytes ourselves may work.
pub(crate) fn is_fetch_failure(err: &CallError) -> bool {
    let CallError::Request(RequestError::Api(api)) = err else {
        return false;
    };
    if matches!(
        api,
        ApiError::WrongFileIdOrUrl | ApiError::FailedToGetUrlContent | ApiError::WrongHttpUrl
    ) {
        return true;
    }
    let lower = description(api).to_ascii_lowercase();
    [
        "wrong file identifier/http url specified",
        "failed to get http url content",
        "wrong type of the web page content",
        "webpage_curl_failed",
        "webpage_media_empty",
        "image_process_failed",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// The start of an unexpected body, for a log line or an error message.
fn preview(raw: &str) -> String {
    let flat: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(120) {
        Some((cut, _)) => format!("{}...", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(description: &str) -> CallError {
        let json = format!("{{\"data\": {}}}", serde_json::json!(description));
        #[derive(serde::Deserialize)]
        struct Wrap {
            data: ApiError,
        }
        CallError::Request(RequestError::Api(
            serde_json::from_str::<Wrap>(&json).unwrap().data,
        ))
    }

    #[test]
    fn chat_level_refusals_are_permanent() {
        let chat = ChatRef::telegram(5);
        for d in [
            "Forbidden: bot was blocked by the user",
            "Forbidden: bot was kicked from the supergroup chat",
            "Forbidden: user is deactivated",
            "Unauthorized: bot was kicked from a chat",
            "Bad Request: chat not found",
            "Bad Request: not enough rights to send text messages to the chat",
            "Bad Request: need administrator rights in the channel chat",
            "Bad Request: message thread not found",
        ] {
            assert_eq!(
                classify(&api(d), &chat),
                SendError::Permanent(d.to_string()),
                "{d}"
            );
        }
    }

    #[test]
    fn server_trouble_and_a_bad_token_are_transient() {
        let chat = ChatRef::telegram(5);
        for d in [
            "Internal Server Error",
            "Bad Gateway",
            "Unauthorized",
            "Conflict: terminated",
        ] {
            assert!(
                matches!(classify(&api(d), &chat), SendError::Transient(_)),
                "{d}"
            );
        }
    }

    #[test]
    fn rate_limits_and_migrations_keep_their_data() {
        let chat = ChatRef::Telegram {
            chat_id: -5,
            thread_id: Some(7),
        };
        let retry = CallError::from(RequestError::RetryAfter(
            teloxide::types::Seconds::from_seconds(12),
        ));
        assert_eq!(
            classify(&retry, &chat),
            SendError::RetryAfter(Duration::from_secs(12))
        );
        let moved = CallError::from(RequestError::MigrateToChatId(teloxide::types::ChatId(
            -1009,
        )));
        assert_eq!(
            classify(&moved, &chat),
            SendError::Migrated(ChatRef::Telegram {
                chat_id: -1009,
                thread_id: Some(7)
            })
        );
        assert_eq!(
            classify_description("Too Many Requests: retry after 3"),
            SendError::RetryAfter(Duration::from_secs(3))
        );
        let late = CallError::TimedOut(Duration::from_secs(2));
        assert!(matches!(classify(&late, &chat), SendError::Transient(_)));
    }

    #[test]
    fn fetch_failures_are_recognised() {
        for d in [
            "Bad Request: wrong file identifier/HTTP URL specified",
            "Bad Request: failed to get HTTP URL content",
            "Bad Request: wrong type of the web page content",
            "Bad Request: failed to send message #2 with the error message \"WEBPAGE_CURL_FAILED\"",
        ] {
            assert!(is_fetch_failure(&api(d)), "{d}");
        }
        assert!(!is_fetch_failure(&api("Bad Request: chat not found")));
    }

    #[test]
    fn previews_are_short_and_flat() {
        let long = "<html>\n".repeat(100);
        let p = preview(&long);
        assert!(p.len() < 130 && !p.contains('\n'), "{p}");
    }
}
