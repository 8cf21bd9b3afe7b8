//! A loopback stand-in for the Hugging Face API.
//!
//! A wiremock server on `127.0.0.1:0` that answers `GET /api/daily_papers` the way HF does:
//! pages of at most 100 items selected by `date`, `limit` and `p`, `[]` past the end. The
//! HF client tests, the CLI tests and the bot tests all build their days with these helpers,
//! so a change in how the API is faked happens in one place.

use std::time::Duration;

use chrono::NaiveDate;
use paperboy::secret::Secret;
use paperboy::source::{Client, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

use super::fixtures;

/// The list endpoint's path.
pub const DAY_PATH: &str = "/api/daily_papers";

/// The API's page size, which the client always asks for.
pub const PAGE_SIZE: usize = 100;

/// A fresh fake on a random loopback port; nothing is mounted yet (unmatched requests get 404).
pub async fn start() -> MockServer {
    MockServer::start().await
}

/// Millisecond delays, so retry tests take no noticeable time.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
    }
}

/// A client for `server` with a generous timeout, no token and [`fast_retry`].
pub fn client(server: &MockServer) -> Client {
    client_with(server, Duration::from_secs(10), None)
}

/// A client for `server` with the given timeout and token, and [`fast_retry`].
pub fn client_with(server: &MockServer, timeout: Duration, token: Option<&str>) -> Client {
    Client::new(&server.uri(), timeout, token.map(Secret::new))
        .expect("a wiremock uri is a valid base url")
        .with_retry(fast_retry())
}

/// `YYYY-MM-DD`, for building dates in tests.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
}

/// The id of synthetic item `index`: `2601.00000`, `2601.00001`, ...
pub fn synthetic_id(index: usize) -> String {
    format!("2601.{index:05}")
}

/// One item in the API's shape with every always-present field and nothing optional.
pub fn item(id: &str, title: &str, upvotes: u32) -> Value {
    let abstract_text = format!(
        "We study the problem behind {title}. Our method improves on prior work by 3.5 points. \
         Experiments on four benchmarks confirm the gains. Code and data are released."
    );
    let submitter = json!({
        "_id": "62f5c24eea5bd6b1abc8e151",
        "avatarUrl": "/avatars/0123456789abcdef.svg",
        "isPro": false,
        "fullname": "Test Submitter",
        "user": "submitter",
        "type": "user",
        "name": "submitter"
    });
    json!({
        "paper": {
            "id": id,
            "authors": [
                {"_id": "6a00000000000000000000a1", "name": "Ada Lovelace", "hidden": false},
                {"_id": "6a00000000000000000000a2", "name": "Alan Turing", "hidden": false}
            ],
            "publishedAt": "2026-01-16T00:00:00.000Z",
            "submittedOnDailyAt": "2026-01-20T00:00:00.000Z",
            "title": title,
            "submittedOnDailyBy": submitter,
            "summary": abstract_text,
            "upvotes": upvotes,
            "discussionId": "6a00000000000000000000d1"
        },
        "publishedAt": "2026-01-15T20:00:00.000Z",
        "title": title,
        "summary": abstract_text,
        "thumbnail": format!("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png"),
        "numComments": 1,
        "submittedBy": submitter,
        "isAuthorParticipating": false
    })
}

/// `n` distinct items, ids from [`synthetic_id`], upvotes varied (with ties) but
/// deterministic, titles `Synthetic paper I`.
pub fn items(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let upvotes = ((i * 37) % 101) as u32;
            item(&synthetic_id(i), &format!("Synthetic paper {i}"), upvotes)
        })
        .collect()
}

/// The items of a recorded response in `../shared/fixtures/hf/`.
pub fn recorded_items(name: &str) -> Vec<Value> {
    serde_json::from_slice(&recorded(name)).expect("recorded fixtures are json arrays")
}

/// The bytes of a recorded response in `../shared/fixtures/hf/`.
pub fn recorded(name: &str) -> Vec<u8> {
    fixtures::read(fixtures::shared_hf(name))
}

/// The bytes of one of the project's own fixtures in `tests/data/hf/`.
pub fn own(name: &str) -> Vec<u8> {
    fixtures::read(fixtures::data(&format!("hf/{name}")))
}

/// A request for page `page` of `date`, with `limit=100`: attach any response to it.
pub fn day_page(date: NaiveDate, page: u32) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(DAY_PATH))
        .and(query_param("date", date.format("%Y-%m-%d").to_string()))
        .and(query_param("limit", PAGE_SIZE.to_string()))
        .and(query_param("p", page.to_string()))
}

/// Any request for `date`, whatever its page.
pub fn any_page(date: NaiveDate) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(DAY_PATH))
        .and(query_param("date", date.format("%Y-%m-%d").to_string()))
}

/// Serves `items` as the day `date`, in pages of 100, and `[]` for the page after the last
/// one (so a day of exactly 100 or 200 items ends the way the real API ends it).
pub async fn serve_day(server: &MockServer, date: NaiveDate, items: &[Value]) {
    let pages = items.len() / PAGE_SIZE + 1;
    for page in 0..pages {
        let start = (page * PAGE_SIZE).min(items.len());
        let end = ((page + 1) * PAGE_SIZE).min(items.len());
        day_page(date, page as u32)
            .respond_with(ResponseTemplate::new(200).set_body_json(&items[start..end]))
            .mount(server)
            .await;
    }
}

/// Serves `body` verbatim as page 0 of `date` (a recorded response, or a broken one).
pub async fn serve_day_body(server: &MockServer, date: NaiveDate, body: impl Into<Vec<u8>>) {
    day_page(date, 0)
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.into(), "application/json"))
        .mount(server)
        .await;
}

/// Serves every date in `dates` as a day without papers.
pub async fn serve_empty_days(server: &MockServer, dates: &[NaiveDate]) {
    for &date in dates {
        serve_day(server, date, &[]).await;
    }
}

/// Serves `bytes` as an image at `path` (e.g. `/thumbs/2601.00001.png`).
pub async fn serve_thumbnail(server: &MockServer, at: &str, bytes: Vec<u8>) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes, "image/png"))
        .mount(server)
        .await;
}

/// Every request the fake received for the list endpoint, as `(date, limit, p)`, in order.
pub async fn day_requests(server: &MockServer) -> Vec<(String, String, String)> {
    let requests = server
        .received_requests()
        .await
        .expect("request recording is on by default");
    requests
        .iter()
        .filter(|r| r.url.path() == DAY_PATH)
        .map(|r| {
            let param = |name: &str| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            (param("date"), param("limit"), param("p"))
        })
        .collect()
}

/// The ids of items, in order.
pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["paper"]["id"].as_str().unwrap_or_default().to_string())
        .collect()
}
