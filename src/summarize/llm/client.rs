//! The one HTTP call paperboy makes to a model: `POST {base_url}/chat/completions`, spoken
//! the way OpenAI, Ollama, vLLM and OpenRouter all understand it.
//!
//! Transient trouble (timeouts, refused connections, 429, 5xx) is retried here with
//! exponential backoff, honouring `Retry-After`; what a retry cannot fix (a 4xx, a body that
//! is not a chat completion) goes back to the caller at once. A server that refuses JSON
//! schemas is asked again without one, and remembered, so every later call skips the schema.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::header::{HeaderMap, AUTHORIZATION, RETRY_AFTER};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tracing::{info, warn};

use super::prompt;
use crate::secret::Secret;

/// The most of an error body kept in an [`Error::Status`], in characters.
const MAX_ERROR_BODY: usize = 300;

/// How hard to retry transient failures. The defaults suit a real API; tests use
/// milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: usize,
    /// The first backoff delay; each retry doubles it (with jitter).
    pub backoff: Duration,
    /// The longest backoff delay.
    pub max_backoff: Duration,
    /// The longest wait a `Retry-After` header can impose; a server asking for more gets this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// A failed chat completion.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid llm base url {url:?}")]
    BaseUrl {
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("cannot build the http client")]
    Build {
        #[source]
        source: reqwest::Error,
    },
    #[error("no answer from {endpoint} within {timeout:?}")]
    Timeout { endpoint: String, timeout: Duration },
    #[error("cannot reach {endpoint}")]
    Connect {
        endpoint: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{endpoint} answered http {status}: {body}")]
    Status {
        endpoint: String,
        status: u16,
        /// The start of the body, for the log.
        body: String,
        /// What the server's `Retry-After` asked for, uncapped.
        retry_after: Option<Duration>,
    },
    #[error("the response of {endpoint} is not a chat completion")]
    Body {
        endpoint: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("the response of {endpoint} has no choices{}", api_error.as_deref().map(|e| format!(" (error: {e})")).unwrap_or_default())]
    NoChoices {
        endpoint: String,
        /// The `error` member some gateways put in a 200 response instead.
        api_error: Option<String>,
    },
}

impl Error {
    /// True for failures that waiting may cure: timeouts, connection errors, 408, 429, 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::Connect { .. } => true,
            Error::Status { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            Error::BaseUrl { .. } | Error::Build { .. } | Error::Body { .. } => false,
            Error::NoChoices { .. } => false,
        }
    }
}

/// Token counts from a response's `usage` member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
    #[serde(default)]
    pub total_tokens: u64,
}

impl Usage {
    /// The total, from its parts when a server leaves `total_tokens` out.
    pub fn total(&self) -> u64 {
        if self.total_tokens > 0 {
            self.total_tokens
        } else {
            self.prompt_tokens + self.completion_tokens
        }
    }
}

/// The model's answer text and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub content: String,
    /// `None` when the server sent no `usage`.
    pub usage: Option<Usage>,
}

#[derive(Deserialize)]
struct ChatResponse {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
}

/// A chat completions client. Cloning is cheap and clones share the concurrency limit and
/// what was learnt about the server (whether it takes JSON schemas).
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    endpoint: String,
    api_key: Option<Secret>,
    timeout: Duration,
    /// Bounds the requests in flight across every clone; one permit per HTTP attempt, so a
    /// request waiting out a backoff does not hold a slot.
    permits: Semaphore,
    max_concurrency: usize,
    retry: RetryPolicy,
    /// Set once a server has refused `response_format`.
    is_schema_refused: AtomicBool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.shared.endpoint)
            .field("api_key", &self.shared.api_key)
            .field("timeout", &self.shared.timeout)
            .field("max_concurrency", &self.shared.max_concurrency)
            .field("retry", &self.shared.retry)
            .finish()
    }
}

impl Client {
    /// A client for the OpenAI-compatible API at `base_url` (e.g. `https://api.openai.com/v1`
    /// or `http://localhost:11434/v1`). `timeout` bounds each HTTP attempt;
    /// `max_concurrency` (at least 1) bounds the attempts in flight.
    pub fn new(
        base_url: &str,
        api_key: Option<Secret>,
        timeout: Duration,
        max_concurrency: usize,
    ) -> Result<Client, Error> {
        let trimmed = base_url.trim().trim_end_matches('/');
        let parsed = url::Url::parse(trimmed).map_err(|source| Error::BaseUrl {
            url: base_url.to_string(),
            source,
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::BaseUrl {
                url: base_url.to_string(),
                source: url::ParseError::RelativeUrlWithoutBase,
            });
        }
        let http = reqwest::Client::builder()
            .user_agent(crate::USER_AGENT)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|source| Error::Build { source })?;
        let max_concurrency = max_concurrency.max(1);
        Ok(Client {
            shared: Arc::new(Shared {
                http,
                endpoint: format!("{trimmed}/chat/completions"),
                api_key: api_key.filter(|k| !k.expose().trim().is_empty()),
                timeout,
                permits: Semaphore::new(max_concurrency),
                max_concurrency,
                retry: RetryPolicy::default(),
                is_schema_refused: AtomicBool::new(false),
            }),
        })
    }

    /// The same client with another retry policy. Call before cloning: clones made earlier
    /// keep the old one (and their own concurrency limit).
    pub fn with_retry(self, retry: RetryPolicy) -> Client {
        let s = &self.shared;
        Client {
            shared: Arc::new(Shared {
                http: s.http.clone(),
                endpoint: s.endpoint.clone(),
                api_key: s.api_key.clone(),
                timeout: s.timeout,
                permits: Semaphore::new(s.max_concurrency),
                max_concurrency: s.max_concurrency,
                retry,
                is_schema_refused: AtomicBool::new(s.is_schema_refused.load(Ordering::Relaxed)),
            }),
        }
    }

    /// `{base_url}/chat/completions`.
    pub fn endpoint(&self) -> &str {
        &self.shared.endpoint
    }

    /// The most requests this client (and its clones) has in flight at once.
    pub fn max_concurrency(&self) -> usize {
        self.shared.max_concurrency
    }

    /// Sends `messages` to `model` and returns the first choice's text, retrying transient
    /// failures as the [`RetryPolicy`] says.
    pub async fn complete(
        &self,
        model: &str,
        temperature: f32,
        messages: &[Value],
    ) -> Result<Completion, Error> {
        let retry = &self.shared.retry;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(retry.backoff)
            .with_max_delay(retry.max_backoff)
            .with_max_times(retry.attempts.saturating_sub(1))
            .with_jitter();
        let max_retry_after = retry.max_retry_after;
        (|| self.attempt(model, temperature, messages))
            .retry(backoff)
            .when(Error::is_transient)
            .adjust(move |err, delay| {
                // `delay` is None once the attempts are spent; a Retry-After does not revive them.
                let asked = match err {
                    Error::Status { retry_after, .. } => *retry_after,
                    _ => None,
                };
                delay.map(|d| asked.map_or(d, |a| a.min(max_retry_after)))
            })
            .notify(|err, wait| {
                warn!(error = %err, wait_ms = wait.as_millis() as u64, "llm request failed; retrying");
            })
            .await
    }

    /// One attempt, plus an immediate second one without the schema when the server refuses it.
    async fn attempt(
        &self,
        model: &str,
        temperature: f32,
        messages: &[Value],
    ) -> Result<Completion, Error> {
        let s = &self.shared;
        // The semaphore is never closed, so acquiring only fails if it were.
        let _permit = s
            .permits
            .acquire()
            .await
            .expect("the llm semaphore is never closed");
        if !s.is_schema_refused.load(Ordering::Relaxed) {
            match self.send(model, temperature, messages, true).await {
                Err(Error::Status {
                    status: 400, body, ..
                }) if is_schema_complaint(&body) => {
                    if !s.is_schema_refused.swap(true, Ordering::Relaxed) {
                        info!(endpoint = %s.endpoint, answer = %body, "the llm server refuses JSON schemas; asking without one from now on");
                    }
                }
                other => return other,
            }
        }
        self.send(model, temperature, messages, false).await
    }

    async fn send(
        &self,
        model: &str,
        temperature: f32,
        messages: &[Value],
        with_schema: bool,
    ) -> Result<Completion, Error> {
        let s = &self.shared;
        let mut body = json!({
            "model": model,
            "temperature": temperature,
            "messages": messages,
        });
        if with_schema {
            body["response_format"] = prompt::response_format();
        }
        let mut request = s.http.post(&s.endpoint).json(&body);
        if let Some(key) = &s.api_key {
            request = request.header(AUTHORIZATION, format!("Bearer {}", key.expose()));
        }
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let text = response.text().await.map_err(|e| self.transport(e))?;
        if !status.is_success() {
            return Err(Error::Status {
                endpoint: s.endpoint.clone(),
                status: status.as_u16(),
                body: text.chars().take(MAX_ERROR_BODY).collect(),
                retry_after: retry_after.filter(|_| {
                    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
                }),
            });
        }
        let parsed: ChatResponse = serde_json::from_str(&text).map_err(|source| Error::Body {
            endpoint: s.endpoint.clone(),
            source,
        })?;
        let content = parsed
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .filter(|c| !c.trim().is_empty());
        match content {
            Some(content) => Ok(Completion {
                content,
                usage: parsed.usage,
            }),
            None => Err(Error::NoChoices {
                endpoint: s.endpoint.clone(),
                api_error: parsed.error.map(|e| {
                    e.get("message")
                        .and_then(Value::as_str)
                        .map_or_else(|| e.to_string(), str::to_string)
                        .chars()
                        .take(MAX_ERROR_BODY)
                        .collect()
                }),
            }),
        }
    }

    fn transport(&self, err: reqwest::Error) -> Error {
        let endpoint = self.shared.endpoint.clone();
        if err.is_timeout() {
            Error::Timeout {
                endpoint,
                timeout: self.shared.timeout,
            }
        } else {
            Error::Connect {
                endpoint,
                source: err,
            }
        }
    }
}

/// A 400 about the request's `response_format`: the server does not do JSON schemas (older
/// vLLM and Ollama versions, some OpenRouter providers).
fn is_schema_complaint(body: &str) -> bool {
    let body = body.to_ascii_lowercase();
    body.contains("response_format") || body.contains("json_schema")
}

/// The wait a response asks for: `retry-after-ms` (OpenAI), else `Retry-After` in seconds or
/// as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return duration_from_secs(ms / 1000.0);
    }
    let value = header(RETRY_AFTER.as_str())?;
    if let Ok(secs) = value.parse::<f64>() {
        return duration_from_secs(secs);
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

fn duration_from_secs(secs: f64) -> Option<Duration> {
    // A negative, NaN, infinite or absurd value is no instruction at all.
    (0.0..1e9)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_in_seconds_milliseconds_or_date() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "1.5")])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7"), ("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        let past = retry_after(&headers(&[(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT",
        )]));
        assert_eq!(past, Some(Duration::ZERO));
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let wait = retry_after(&headers(&[("retry-after", &soon)])).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        for bad in ["", "soon", "-3", "NaN", "1e300"] {
            assert_eq!(
                retry_after(&headers(&[("retry-after", bad)])),
                None,
                "{bad}"
            );
        }
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn transient_errors() {
        let status = |status| Error::Status {
            endpoint: "e".into(),
            status,
            body: String::new(),
            retry_after: None,
        };
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(status(s).is_transient(), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!status(s).is_transient(), "{s}");
        }
        let no_choices = Error::NoChoices {
            endpoint: "e".into(),
            api_error: Some("upstream overloaded".into()),
        };
        assert!(!no_choices.is_transient());
        assert!(no_choices
            .to_string()
            .ends_with("(error: upstream overloaded)"));
    }

    #[test]
    fn schema_complaints() {
        assert!(is_schema_complaint(
            r#"{"error":{"message":"Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."}}"#
        ));
        assert!(!is_schema_complaint(
            r#"{"error":{"message":"model not found"}}"#
        ));
    }

    #[test]
    fn refuses_bad_base_urls() {
        let new = |u| Client::new(u, None, Duration::from_secs(1), 1);
        assert!(matches!(new("localhost:11434"), Err(Error::BaseUrl { .. })));
        assert!(matches!(new("not a url"), Err(Error::BaseUrl { .. })));
        let c = new("http://localhost:11434/v1/").unwrap();
        assert_eq!(c.endpoint(), "http://localhost:11434/v1/chat/completions");
        assert_eq!(c.max_concurrency(), 1);
        assert_eq!(
            Client::new("http://x", None, Duration::from_secs(1), 0)
                .unwrap()
                .max_concurrency(),
            1
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let c = Client::new(
            "https://api.openai.com/v1",
            Some(Secret::new("sk-secret")),
            Duration::from_secs(1),
            2,
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("sk-secret"));
    }
}
