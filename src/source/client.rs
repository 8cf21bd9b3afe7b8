//! The HTTP side of the Daily Papers source: paging, retries, rate limits and timeouts.
//!
//! Hugging Face is reached by every front end (the CLI, the bots, the alert poller), and a
//! flaky minute on its side must not lose a day's digest, so every request here is retried
//! with backoff on the failures that pass (429, 5xx, timeouts, dropped connections) and fails
//! fast, with the URL, status and body in the error, on the ones that do not.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use rand::Rng;
use reqwest::header::{HeaderMap, ACCEPT, RETRY_AFTER};
use reqwest::{Response, StatusCode};
use tracing::{debug, info, warn};
use url::Url;

use super::wire::{self, ParseError};
use crate::domain::Paper;
use crate::secret::Secret;

/// The API's largest page: ask for it, and a full one means there may be more.
const PAGE_SIZE: usize = 100;

/// A server that ignores `p` would hand us the same full page forever; no real day comes
/// near 2,000 papers.
const MAX_PAGES: u32 = 20;

/// A page of 100 papers is about 600 KB; anything far bigger is not a Daily Papers page.
const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// How much of an error response is kept for the error message.
const ERROR_BODY_BYTES: usize = 4096;

/// A failed request to Hugging Face (or to a thumbnail host).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("invalid url {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot build the http client: {reason}")]
    Build { reason: String },
    #[error("hugging face rejected date {date} (http 400; is it malformed or in the future?): {excerpt:?}")]
    BadDate {
        date: NaiveDate,
        url: String,
        excerpt: String,
    },
    #[error("{url} answered http {status} after {attempts} attempt(s): {excerpt:?}")]
    Status {
        url: String,
        status: u16,
        excerpt: String,
        attempts: u32,
    },
    #[error("{url} did not answer within {timeout:?} after {attempts} attempt(s)")]
    Timeout {
        url: String,
        timeout: Duration,
        attempts: u32,
    },
    #[error("cannot reach {url} after {attempts} attempt(s): {reason}")]
    Transport {
        url: String,
        reason: String,
        attempts: u32,
    },
    #[error("{url} sent more than {max_bytes} bytes")]
    TooLarge { url: String, max_bytes: usize },
    #[error("unusable answer from {url}: {error}")]
    Parse { url: String, error: ParseError },
}

impl Error {
    /// The HTTP status the server answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            Error::BadDate { .. } => Some(400),
            _ => None,
        }
    }

    /// True when trying again later may succeed: the retries ran out on a failure that
    /// passes. Callers that retry on their own schedule (the scheduler) use this.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Status { status, .. } => is_transient_status(*status),
            Error::Timeout { .. } | Error::Transport { .. } => true,
            _ => false,
        }
    }
}

/// How often and how patiently a request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (0 counts as 1).
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub base_delay: Duration,
    /// No wait is longer, not even one the server asks for.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts over about 7 s, or up to a minute a wait when HF rate-limits us: its
    /// anonymous window is 5 minutes, and a digest a minute late beats none.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before the attempt after failed attempt number `failed` (1-based): the
    /// server's own hint when it gave one, else exponential backoff with jitter so that
    /// many clients do not retry in lockstep. Never more than `max_delay`.
    fn wait(&self, failed: u32, hint: Option<Duration>) -> Duration {
        if let Some(hint) = hint {
            return hint.min(self.max_delay);
        }
        let factor = 2u32.saturating_pow(failed.saturating_sub(1));
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        full.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }
}

/// The Daily Papers client. Cloning it is a reference-count bump: the connection pool and
/// settings are shared, so every task can hold its own.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    settings: Arc<Settings>,
}

#[derive(Debug)]
struct Settings {
    /// Always ends with `/`, so that joining `api/daily_papers` keeps any path prefix.
    base: Url,
    timeout: Duration,
    token: Option<Secret>,
    retry: RetryPolicy,
}

impl Client {
    /// A client for the API at `base_url` (`https://huggingface.co`, or a fake in tests).
    ///
    /// `timeout` bounds each attempt, body included. An empty token counts as none.
    pub fn new(base_url: &str, timeout: Duration, token: Option<Secret>) -> Result<Client, Error> {
        let invalid = |reason: &str| Error::InvalidUrl {
            url: base_url.to_string(),
            reason: reason.to_string(),
        };
        let mut base = Url::parse(base_url.trim()).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid("the scheme is not http or https"));
        }
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(invalid("it has no host"));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        base.set_query(None);
        base.set_fragment(None);
        let http = reqwest::Client::builder()
            .user_agent(crate::USER_AGENT)
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| Error::Build {
                reason: describe(&e),
            })?;
        Ok(Client {
            http,
            settings: Arc::new(Settings {
                base,
                timeout,
                token: token.filter(|t| !t.expose().trim().is_empty()),
                retry: RetryPolicy::default(),
            }),
        })
    }

    /// The same client with another retry policy (tests use millisecond delays).
    pub fn with_retry(self, retry: RetryPolicy) -> Client {
        Client {
            http: self.http,
            settings: Arc::new(Settings {
                base: self.settings.base.clone(),
                timeout: self.settings.timeout,
                token: self.settings.token.clone(),
                retry,
            }),
        }
    }

    /// Every paper of the UTC day `date`, in API order, across all pages.
    ///
    /// An empty list is a day without papers (weekends usually are). A 400 means HF does not
    /// accept the date (malformed, or in the future) and comes back as [`Error::BadDate`].
    pub async fn day(&self, date: NaiveDate) -> Result<Vec<Paper>, Error> {
        let mut papers = Vec::new();
        let mut previous: Option<Vec<String>> = None;
        for page in 0..MAX_PAGES {
            let url = self.day_url(date, page);
            let body = match self.get(&url, MAX_PAGE_BYTES, true, true).await {
                Err(Error::Status {
                    status: 400,
                    url,
                    excerpt,
                    ..
                }) => return Err(Error::BadDate { date, url, excerpt }),
                other => other?,
            };
            let parsed = wire::parse_page(&body).map_err(|error| Error::Parse {
                url: url.to_string(),
                error,
            })?;
            debug!(%date, page, items = parsed.items, papers = parsed.papers.len(), "daily papers page");
            let ids: Vec<String> = parsed.papers.iter().map(|p| p.id.clone()).collect();
            if !ids.is_empty() && previous.as_ref() == Some(&ids) {
                warn!(%date, page, "the api sent the same page twice; it seems to ignore `p`, stopping here");
                return Ok(papers);
            }
            let is_full = parsed.items >= PAGE_SIZE;
            papers.extend(parsed.papers);
            if !is_full {
                return Ok(papers);
            }
            previous = Some(ids);
        }
        warn!(%date, pages = MAX_PAGES, papers = papers.len(), "stopped paging at the page cap");
        Ok(papers)
    }

    /// The newest day with papers, from `today` back to `max_days_back` days before it.
    ///
    /// A 400 for `today` itself is taken as "not open yet" (HF's day can lag the UTC clock
    /// around midnight) and the walk goes on; any other error ends it.
    pub async fn latest(
        &self,
        today: NaiveDate,
        max_days_back: u32,
    ) -> Result<Option<(NaiveDate, Vec<Paper>)>, Error> {
        for back in 0..=max_days_back {
            let Some(date) = today.checked_sub_days(chrono::Days::new(back.into())) else {
                break;
            };
            match self.day(date).await {
                Ok(papers) if papers.is_empty() => {
                    debug!(%date, "no papers on this day");
                }
                Ok(papers) => {
                    info!(%date, papers = papers.len(), "latest day with papers");
                    return Ok(Some((date, papers)));
                }
                Err(Error::BadDate { .. }) if back == 0 => {
                    warn!(%date, "hugging face does not accept today yet, trying earlier days");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// The bytes at `url` (a thumbnail), at most `max_bytes` of them.
    ///
    /// A relative URL is taken against the base URL. The token is sent only to the base
    /// URL's own origin, never to a third-party host a thumbnail field might name.
    pub async fn fetch_bytes(&self, url: &str, max_bytes: usize) -> Result<Vec<u8>, Error> {
        let target = self
            .settings
            .base
            .join(url.trim())
            .map_err(|e| Error::InvalidUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        if !matches!(target.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl {
                url: url.to_string(),
                reason: "the scheme is not http or https".to_string(),
            });
        }
        let same_origin = target.origin() == self.settings.base.origin();
        self.get(&target, max_bytes, same_origin, false).await
    }

    fn day_url(&self, date: NaiveDate, page: u32) -> Url {
        let mut url = self.settings.base.clone();
        // `base` ends with '/', so this appends to its path.
        url.set_path(&format!("{}api/daily_papers", self.settings.base.path()));
        url.query_pairs_mut()
            .append_pair("date", &date.format("%Y-%m-%d").to_string())
            .append_pair("limit", &PAGE_SIZE.to_string())
            .append_pair("p", &page.to_string());
        url
    }

    /// GET with retries; the body of the first successful answer.
    async fn get(
        &self,
        url: &Url,
        max_bytes: usize,
        with_token: bool,
        wants_json: bool,
    ) -> Result<Vec<u8>, Error> {
        let retry = &self.settings.retry;
        let max_attempts = retry.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let failure = match self.attempt(url, max_bytes, with_token, wants_json).await {
                Ok(body) => return Ok(body),
                Err(failure) => failure,
            };
            if !failure.is_transient() || attempt >= max_attempts {
                return Err(failure.into_error(url, attempt, self.settings.timeout));
            }
            let wait = retry.wait(attempt, failure.hint());
            warn!(
                url = %url,
                attempt,
                max_attempts,
                wait_ms = wait.as_millis() as u64,
                reason = %failure,
                "request failed, retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        url: &Url,
        max_bytes: usize,
        with_token: bool,
        wants_json: bool,
    ) -> Result<Vec<u8>, Failure> {
        let mut request = self.http.get(url.clone());
        if wants_json {
            request = request.header(ACCEPT, "application/json");
        }
        if let (true, Some(token)) = (with_token, &self.settings.token) {
            request = request.bearer_auth(token.expose().trim());
        }
        let response = request.send().await.map_err(Failure::from_reqwest)?;
        let status = response.status();
        if status.is_success() {
            return read_limited(response, max_bytes).await;
        }
        let hint = server_wait(response.headers(), Utc::now());
        let excerpt = wire::excerpt(&read_error_body(response).await);
        Err(Failure::Status {
            status,
            excerpt,
            hint,
        })
    }
}

/// Why one attempt failed, before we know whether it was the last.
enum Failure {
    Status {
        status: StatusCode,
        excerpt: String,
        hint: Option<Duration>,
    },
    Timeout,
    Transport {
        reason: String,
    },
    TooLarge {
        max_bytes: usize,
    },
    /// Not worth a retry: a bad URL, a redirect loop, a body that is not what it says.
    Fatal {
        reason: String,
    },
}

impl Failure {
    fn from_reqwest(e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            Failure::Timeout
        } else if e.is_connect() || e.is_request() || e.is_body() {
            Failure::Transport {
                reason: describe(&e),
            }
        } else {
            Failure::Fatal {
                reason: describe(&e),
            }
        }
    }

    fn is_transient(&self) -> bool {
        match self {
            Failure::Status { status, .. } => is_transient_status(status.as_u16()),
            Failure::Timeout | Failure::Transport { .. } => true,
            Failure::TooLarge { .. } | Failure::Fatal { .. } => false,
        }
    }

    fn hint(&self) -> Option<Duration> {
        match self {
            Failure::Status { hint, .. } => *hint,
            _ => None,
        }
    }

    fn into_error(self, url: &Url, attempts: u32, timeout: Duration) -> Error {
        let url = url.to_string();
        match self {
            Failure::Status {
                status, excerpt, ..
            } => Error::Status {
                url,
                status: status.as_u16(),
                excerpt,
                attempts,
            },
            Failure::Timeout => Error::Timeout {
                url,
                timeout,
                attempts,
            },
            Failure::Transport { reason } | Failure::Fatal { reason } => Error::Transport {
                url,
                reason,
                attempts,
            },
            Failure::TooLarge { max_bytes } => Error::TooLarge { url, max_bytes },
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status { status, .. } => write!(f, "http {}", status.as_u16()),
            Failure::Timeout => f.write_str("timed out"),
            Failure::Transport { reason } | Failure::Fatal { reason } => f.write_str(reason),
            Failure::TooLarge { max_bytes } => write!(f, "more than {max_bytes} bytes"),
        }
    }
}

/// 408, 429 and every 5xx pass with time; other 4xx will not.
fn is_transient_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// How long the server asked us to wait: `Retry-After` (seconds or an HTTP date) or HF's
/// `RateLimit: "api";r=0;t=SECONDS`, the longer of the two when both are present.
pub(crate) fn server_wait(headers: &HeaderMap, now: chrono::DateTime<Utc>) -> Option<Duration> {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now));
    let rate_limit = headers
        .get_all("ratelimit")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(parse_rate_limit_reset)
        .max();
    retry_after.into_iter().chain(rate_limit).max()
}

fn parse_retry_after(value: &str, now: chrono::DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// The `t` parameter (seconds until the window resets) of a `RateLimit` header such as
/// `"api";r=0;t=55`.
fn parse_rate_limit_reset(value: &str) -> Option<Duration> {
    value
        .split([';', ','])
        .filter_map(|part| part.trim().strip_prefix("t="))
        .find_map(|t| t.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

async fn read_limited(mut response: Response, max_bytes: usize) -> Result<Vec<u8>, Failure> {
    let too_large = Failure::TooLarge { max_bytes };
    if response
        .content_length()
        .is_some_and(|len| len > max_bytes as u64)
    {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Failure::from_reqwest)? {
        if body.len() + chunk.len() > max_bytes {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The start of an error response, for the message; a failure to read it is not worth
/// reporting over the status itself.
async fn read_error_body(mut response: Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body
}

/// A reqwest error with its causes on one line ("...: tcp connect error: connection
/// refused"); reqwest's own message hides the cause that matters.
fn describe(e: &reqwest::Error) -> String {
    let mut causes: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        // Some causes repeat their own source in their message; keep each text once.
        if !causes.last().is_some_and(|last| last.ends_with(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    if causes.is_empty() {
        e.to_string()
    } else {
        causes.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            server_wait(&headers(&[("retry-after", " 7 ")]), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            server_wait(
                &headers(&[("retry-after", "Wed, 25 Nov 2026 10:00:30 GMT")]),
                now
            ),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            server_wait(
                &headers(&[("retry-after", "Wed, 25 Nov 2026 09:00:00 GMT")]),
                now
            ),
            Some(Duration::ZERO)
        );
        assert_eq!(server_wait(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(server_wait(&HeaderMap::new(), now), None);
    }

    #[test]
    fn hf_rate_limit_header() {
        let now = Utc::now();
        assert_eq!(
            server_wait(&headers(&[("ratelimit", "\"api\";r=0;t=55")]), now),
            Some(Duration::from_secs(55))
        );
        assert_eq!(
            server_wait(&headers(&[("RateLimit", "\"api\"; r=0; t=3")]), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            server_wait(
                &headers(&[("ratelimit", "\"api\";r=0;t=9"), ("retry-after", "2")]),
                now
            ),
            Some(Duration::from_secs(9))
        );
        assert_eq!(
            server_wait(&headers(&[("ratelimit", "\"api\";r=0")]), now),
            None
        );
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        for _ in 0..50 {
            let first = policy.wait(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.wait(3, None);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(policy.wait(30, None) <= Duration::from_millis(1000));
            assert!(policy.wait(u32::MAX, None) <= Duration::from_millis(1000));
        }
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(3600))),
            Duration::from_millis(1000)
        );
        assert_eq!(policy.wait(1, Some(Duration::ZERO)), Duration::ZERO);
    }

    #[test]
    fn base_url_must_be_http() {
        let t = Duration::from_secs(1);
        assert!(Client::new("ftp://example.org", t, None).is_err());
        assert!(Client::new("not a url", t, None).is_err());
        assert!(Client::new("mailto:a@b.c", t, None).is_err());
        let c = Client::new("http://127.0.0.1:9/prefix", t, None).unwrap();
        let url = c.day_url(NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(), 2);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/prefix/api/daily_papers?date=2026-01-20&limit=100&p=2"
        );
    }

    #[test]
    fn errors_are_one_lowercase_line() {
        let e = Error::Status {
            url: "http://x/api".into(),
            status: 500,
            excerpt: "oops".into(),
            attempts: 4,
        };
        assert_eq!(
            e.to_string(),
            "http://x/api answered http 500 after 4 attempt(s): \"oops\""
        );
        assert!(e.is_transient());
        let bad = Error::BadDate {
            date: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            url: "u".into(),
            excerpt: String::new(),
        };
        assert!(bad.to_string().contains("2030-01-01"));
        assert!(!bad.is_transient());
        assert_eq!(bad.status(), Some(400));
    }
}
