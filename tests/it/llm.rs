//! Integration tests: LLM summaries against a loopback OpenAI-compatible fake.
//!
//! Each misbehaviour a real server shows (prose around the JSON, no JSON, the wrong language,
//! timeouts, 429, 5xx, a spent budget) must still end in a usable summary, marked as a
//! fallback when the model's answer was not used.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use paperboy::domain::{Language, Paper, Summary, SummaryOrigin};
use paperboy::secret::Secret;
use paperboy::store::{Store, SummaryKey};
use paperboy::summarize::llm::{Client, Llm, RetryPolicy, PROMPT_VERSION};
use paperboy::summarize::{extractive, script, Backend};

use crate::support::fixtures;
use crate::support::openai::{FakeOpenAi, Reply};

const MODEL: &str = "gpt-test";

/// Millisecond delays: retries cost no noticeable time.
fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(50),
    }
}

fn client(fake: &FakeOpenAi, timeout: Duration, key: Option<&str>) -> Client {
    Client::new(&fake.base_url, key.map(Secret::new), timeout, 4)
        .expect("the fake's url is valid")
        .with_retry(fast_retry())
}

fn llm(fake: &FakeOpenAi) -> Llm {
    Llm::new(client(fake, Duration::from_secs(10), None), MODEL)
}

/// The recorded 30-paper day.
fn day() -> Vec<Paper> {
    let body = fixtures::read(fixtures::shared_hf("daily_papers_2026-06-12.json"));
    let papers = paperboy::source::parse_day(&body).expect("the recorded day parses");
    assert_eq!(papers.len(), 30);
    papers
}

fn paper() -> Paper {
    day().swap_remove(0)
}

fn is_llm(summary: &Summary) -> bool {
    summary.origin
        == SummaryOrigin::Llm {
            model: MODEL.to_string(),
        }
}

fn fallback_reason(summary: &Summary) -> &str {
    match &summary.origin {
        SummaryOrigin::Fallback { reason } => reason,
        other => panic!("expected a fallback, got {other:?}"),
    }
}

/// A fallback still carries the whole extractive summary, so the digest stays valid.
fn assert_extractive_fallback(summary: &Summary, paper: &Paper) {
    let extractive = extractive::summarize(paper);
    assert_eq!(summary.summary, extractive.summary);
    assert_eq!(summary.abstract_text, extractive.abstract_text);
    assert_eq!(summary.key_points, extractive.key_points);
    assert!(summary.origin.is_fallback());
}

#[tokio::test]
async fn good_structured_korean_answer() {
    let fake = FakeOpenAi::start().await;
    let llm = Llm::new(
        client(&fake, Duration::from_secs(10), Some("sk-test")),
        MODEL,
    );
    let paper = paper();
    let summary = Backend::Llm(llm).summarize(&paper, Language::KOREAN).await;

    assert!(is_llm(&summary), "{:?}", summary.origin);
    assert!(script::check(&summary.summary, Language::KOREAN).is_ok());
    assert!(script::check(&summary.abstract_text, Language::KOREAN).is_ok());
    assert_ne!(summary.abstract_text, paper.abstract_text);
    assert_eq!(summary.key_points.len(), 3);

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(r.header("user-agent"), Some(paperboy::USER_AGENT));
    assert_eq!(r.body["model"], MODEL);
    assert!(r.body["temperature"].is_number());
    let format = &r.body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "paper_summary");
    assert_eq!(format["json_schema"]["strict"], true);
    for role in ["system", "user"] {
        assert!(
            r.message(role).contains("Korean (한국어)"),
            "{role}: {}",
            r.message(role)
        );
    }
    assert!(r.message("user").contains(&paper.title));
    assert!(r.message("user").contains(&paper.ai_keywords[0]));
}

#[tokio::test]
async fn no_key_no_authorization_header() {
    let fake = FakeOpenAi::start().await;
    let summary = llm(&fake).summarize(&paper(), Language::ENGLISH).await;
    assert!(is_llm(&summary));
    assert_eq!(fake.requests()[0].header("authorization"), None);
}

#[tokio::test]
async fn english_still_uses_the_model() {
    let fake = FakeOpenAi::start().await;
    let summary = llm(&fake).summarize(&paper(), Language::ENGLISH).await;
    assert!(is_llm(&summary), "{:?}", summary.origin);
    assert_eq!(fake.calls(), 1);
    assert!(fake.requests()[0]
        .message("system")
        .contains("readers of English"));
}

#[tokio::test]
async fn answers_in_prose_or_code_fences_are_used() {
    let fake = FakeOpenAi::start().await;
    let llm = llm(&fake);
    let papers = day();
    fake.push([Reply::Prose, Reply::Fenced]);
    for paper in &papers[..2] {
        let summary = llm.summarize(paper, Language::KOREAN).await;
        assert!(is_llm(&summary), "{:?}", summary.origin);
        assert!(script::check(&summary.abstract_text, Language::KOREAN).is_ok());
    }
    assert_eq!(fake.calls(), 2, "no retry was needed");
}

#[tokio::test]
async fn a_server_refusing_schemas_is_asked_without_one() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::RefuseSchema);
    let llm = llm(&fake);
    let papers = day();
    for paper in &papers[..2] {
        assert!(is_llm(&llm.summarize(paper, Language::KOREAN).await));
    }
    let has_schema: Vec<bool> = fake
        .requests()
        .iter()
        .map(|r| r.body.get("response_format").is_some())
        .collect();
    // Refused once, asked again at once without it, and never sent again.
    assert_eq!(has_schema, [true, false, false]);
}

#[tokio::test]
async fn invalid_json_is_retried_once_then_falls_back() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::InvalidJson);
    let paper = paper();
    let summary = llm(&fake).summarize(&paper, Language::KOREAN).await;
    assert_extractive_fallback(&summary, &paper);
    assert!(
        fallback_reason(&summary).contains("no JSON object"),
        "{summary:?}"
    );
    assert_eq!(fake.calls(), 2);
    // The retry tells the model what was wrong.
    assert!(fake.requests()[1].message("user").contains("was rejected"));
}

#[tokio::test]
async fn invalid_json_then_a_good_answer() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::InvalidJson]);
    let summary = llm(&fake).summarize(&paper(), Language::KOREAN).await;
    assert!(is_llm(&summary), "{:?}", summary.origin);
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn english_when_korean_was_asked_retries_once_then_falls_back() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::Language("en"));
    let paper = paper();
    let summary = llm(&fake).summarize(&paper, Language::KOREAN).await;
    assert_extractive_fallback(&summary, &paper);
    let reason = fallback_reason(&summary);
    assert!(reason.contains("expected Korean text"), "{reason}");
    assert_eq!(fake.calls(), 2);
    let retry = fake.requests()[1].message("user");
    assert!(
        retry.contains("rejected") && retry.contains("Korean (한국어)"),
        "{retry}"
    );
}

#[tokio::test]
async fn japanese_answer_for_chinese_is_refused() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::Language("ja")]);
    let zh = Language::parse("zh").unwrap();
    let summary = llm(&fake).summarize(&paper(), zh).await;
    assert!(is_llm(&summary), "the retry answered in Chinese");
    assert!(script::check(&summary.summary, zh).is_ok());
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::Hang(Duration::from_secs(3))]);
    let llm = Llm::new(client(&fake, Duration::from_millis(500), None), MODEL);
    let summary = llm.summarize(&paper(), Language::KOREAN).await;
    assert!(is_llm(&summary), "{:?}", summary.origin);
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_falls_back() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::Hang(Duration::from_secs(3)));
    let client = Client::new(&fake.base_url, None, Duration::from_millis(200), 2)
        .unwrap()
        .with_retry(RetryPolicy {
            attempts: 2,
            ..fast_retry()
        });
    let paper = paper();
    let summary = Llm::new(client, MODEL)
        .summarize(&paper, Language::KOREAN)
        .await;
    assert_extractive_fallback(&summary, &paper);
    assert!(fallback_reason(&summary).contains("within"), "{summary:?}");
    // Transient failures are the client's to retry; the summarizer does not retry them again.
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn rate_limited_waits_for_retry_after_then_succeeds() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::RateLimited { retry_after: 1 }]);
    let summary = llm(&fake).summarize(&paper(), Language::KOREAN).await;
    assert!(is_llm(&summary), "{:?}", summary.origin);
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    // Retry-After: 1 capped at max_retry_after (50 ms): far above the 1-5 ms backoff, so the
    // gap shows the header was honoured.
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_millis(50), "{gap:?}");
}

#[tokio::test]
async fn server_error_then_success() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::Status(500), Reply::Status(503)]);
    let summary = llm(&fake).summarize(&paper(), Language::KOREAN).await;
    assert!(is_llm(&summary), "{:?}", summary.origin);
    assert_eq!(fake.calls(), 3);
}

#[tokio::test]
async fn server_error_forever_falls_back() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::Status(500));
    let paper = paper();
    let summary = llm(&fake).summarize(&paper, Language::KOREAN).await;
    assert_extractive_fallback(&summary, &paper);
    assert!(
        fallback_reason(&summary).contains("http 500"),
        "{summary:?}"
    );
    assert_eq!(fake.calls(), fast_retry().attempts);
}

#[tokio::test]
async fn a_client_error_is_not_retried_by_the_client() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::Status(401));
    let summary = llm(&fake).summarize(&paper(), Language::KOREAN).await;
    assert!(
        fallback_reason(&summary).contains("http 401"),
        "{summary:?}"
    );
    // One call per summarizer try, no client retries.
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn bad_bodies_and_missing_choices() {
    let fake = FakeOpenAi::start().await;
    fake.push([Reply::BadBody]);
    let papers = day();
    let llm = llm(&fake);
    assert!(is_llm(&llm.summarize(&papers[0], Language::KOREAN).await));
    assert_eq!(fake.calls(), 2);

    fake.set_default(Reply::NoChoices);
    let summary = llm.summarize(&papers[1], Language::KOREAN).await;
    assert_extractive_fallback(&summary, &papers[1]);
    assert!(
        fallback_reason(&summary).contains("no choices"),
        "{summary:?}"
    );
    assert_eq!(fake.calls(), 4);
}

/// Collects what tracing writes, to count log lines.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn budget_exhaustion_falls_back_and_logs_once() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // The test runs on one thread (current_thread runtime), so a thread-local default sees
    // every event.
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = FakeOpenAi::start().await;
    // One call spends far more than one token: the first paper gets through, then the
    // budget is spent.
    let llm = llm(&fake).with_daily_token_budget(1);
    let papers = day();
    let first = llm.summarize(&papers[0], Language::KOREAN).await;
    assert!(is_llm(&first));
    for paper in &papers[1..6] {
        let summary = llm.summarize(paper, Language::KOREAN).await;
        assert_extractive_fallback(&summary, paper);
        assert!(fallback_reason(&summary).contains("budget"), "{summary:?}");
    }
    assert_eq!(fake.calls(), 1);
    let text = logs.text();
    assert_eq!(
        text.matches("token budget spent").count(),
        1,
        "logged once, not per paper:\n{text}"
    );
    // Cached results are still served past the budget.
    assert!(is_llm(&llm.summarize(&papers[0], Language::KOREAN).await));
}

/// 50 chats reading in Korean and 50 in English, all at once, on a small day.
async fn hundred_chats(backend: &Backend, papers: &[Paper]) -> Vec<Summary> {
    let chats = (0..100).map(|chat| {
        let language = if chat % 2 == 0 {
            Language::KOREAN
        } else {
            Language::ENGLISH
        };
        let backend = backend.clone();
        let papers = papers.to_vec();
        tokio::spawn(async move {
            let mut out = Vec::new();
            for paper in &papers {
                out.push(backend.summarize(paper, language).await);
            }
            out
        })
    });
    futures::future::join_all(chats)
        .await
        .into_iter()
        .flat_map(|r| r.expect("a chat task does not panic"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_call_per_paper_per_language_however_many_chats_and_none_after_a_restart() {
    let fake = FakeOpenAi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paperboy.db");
    let papers: Vec<Paper> = day().into_iter().take(5).collect();
    let backend = |store: Store| {
        Backend::from_config(
            &fake.base_url,
            MODEL,
            None,
            Duration::from_secs(10),
            4,
            0,
            Some(store),
        )
        .expect("valid settings")
    };

    let first = {
        let store = Store::open(&path, 16).unwrap();
        let summaries = hundred_chats(&backend(store.clone()), &papers).await;
        assert_eq!(summaries.len(), 500);
        assert!(summaries.iter().all(is_llm));
        for paper in &papers {
            assert_eq!(fake.calls_for(&paper.title, "ko"), 1, "{}", paper.id);
            assert_eq!(fake.calls_for(&paper.title, "en"), 1, "{}", paper.id);
        }
        assert_eq!(fake.calls(), 10);
        let spent: u64 = fake
            .requests()
            .iter()
            .map(|r| r.usage.as_ref().unwrap()["total_tokens"].as_u64().unwrap())
            .sum();
        assert_eq!(store.tokens_used(Utc::now().date_naive()).unwrap(), spent);
        store.flush().await.unwrap();
        summaries
    };

    // A restart: a new process opens the same database.
    let store = Store::open(&path, 16).unwrap();
    let again = hundred_chats(&backend(store), &papers).await;
    assert_eq!(fake.calls(), 10, "everything came from the store");
    assert_eq!(again, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_a_store_results_are_kept_in_memory() {
    let fake = FakeOpenAi::start().await;
    let backend = Backend::Llm(llm(&fake));
    let papers: Vec<Paper> = day().into_iter().take(3).collect();
    assert!(hundred_chats(&backend, &papers).await.iter().all(is_llm));
    assert_eq!(fake.calls(), 6);
    hundred_chats(&backend, &papers).await;
    assert_eq!(fake.calls(), 6);
}

#[tokio::test]
async fn the_token_count_survives_a_restart() {
    let fake = FakeOpenAi::start().await;
    let store = Store::temporary().unwrap();
    let papers = day();
    let first = llm(&fake)
        .with_store(store.clone())
        .with_daily_token_budget(1);
    assert!(is_llm(&first.summarize(&papers[0], Language::KOREAN).await));
    drop(first);
    // A new summarizer over the same store knows the budget is spent.
    let second = llm(&fake).with_store(store).with_daily_token_budget(1);
    let summary = second.summarize(&papers[1], Language::KOREAN).await;
    assert!(fallback_reason(&summary).contains("budget"), "{summary:?}");
    // Cached summaries are served past the budget; fallbacks were never stored.
    assert!(is_llm(
        &second.summarize(&papers[0], Language::KOREAN).await
    ));
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn a_new_model_or_prompt_version_starts_a_fresh_cache() {
    let fake = FakeOpenAi::start().await;
    let store = Store::temporary().unwrap();
    let paper = paper();
    let summary = llm(&fake)
        .with_store(store.clone())
        .summarize(&paper, Language::KOREAN)
        .await;
    let key = |model: &str, prompt_version| SummaryKey {
        paper_id: paper.id.clone(),
        language: Language::KOREAN,
        model: model.to_string(),
        prompt_version,
    };
    assert_eq!(
        store.summary(&key(MODEL, PROMPT_VERSION)).unwrap(),
        Some(summary)
    );
    assert_eq!(
        store.summary(&key(MODEL, PROMPT_VERSION + 1)).unwrap(),
        None
    );
    let other =
        Llm::new(client(&fake, Duration::from_secs(10), None), "other-model").with_store(store);
    other.summarize(&paper, Language::KOREAN).await;
    assert_eq!(fake.calls(), 2);
}

#[test]
fn empty_base_url_means_extractive() {
    let backend =
        Backend::from_config(" ", MODEL, None, Duration::from_secs(1), 1, 0, None).unwrap();
    assert!(!backend.is_llm());
    let err = Backend::from_config(
        "localhost:11434",
        MODEL,
        None,
        Duration::from_secs(1),
        1,
        0,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("localhost:11434"), "{err}");
}

/// On one thread every reader is polled, and waits on the flight, before the fake's answer
/// can arrive, so the count below is exact.
#[tokio::test]
async fn concurrent_readers_share_a_failure_too() {
    let fake = FakeOpenAi::start().await;
    fake.set_default(Reply::Language("en"));
    let backend = Backend::Llm(llm(&fake));
    let papers: Vec<Paper> = day().into_iter().take(1).collect();
    let readers = (0..20).map(|_| {
        let backend = backend.clone();
        let paper = papers[0].clone();
        tokio::spawn(async move { backend.summarize(&paper, Language::KOREAN).await })
    });
    for summary in futures::future::join_all(readers).await {
        assert!(summary.unwrap().origin.is_fallback());
    }
    // One flight: two tries, and whoever waited on it got its fallback.
    assert_eq!(fake.calls(), 2);
}

#[tokio::test]
async fn prepare_fills_the_cache_with_progress() {
    let fake = FakeOpenAi::start().await;
    let backend = Backend::Llm(llm(&fake));
    let papers: Vec<Paper> = day().into_iter().take(4).collect();
    let languages = [Language::KOREAN, Language::ENGLISH];
    let mut seen = Vec::new();
    let prepared = backend
        .prepare(&papers, &languages, |done, total, paper| {
            seen.push((done, total, paper.id.clone()))
        })
        .await;
    assert_eq!(prepared.total, 8);
    assert_eq!(prepared.fallbacks, 0);
    let done: Vec<usize> = seen.iter().map(|s| s.0).collect();
    assert_eq!(done, (1..=8).collect::<Vec<_>>());
    assert!(seen.iter().all(|s| s.1 == 8));
    assert_eq!(fake.calls(), 8);
    for paper in &papers {
        for language in languages {
            assert!(is_llm(&backend.summarize(paper, language).await));
        }
    }
    assert_eq!(fake.calls(), 8, "delivery found everything prepared");
}

#[tokio::test]
async fn extractive_backend_prepares_nothing_but_reports_progress() {
    let papers: Vec<Paper> = day().into_iter().take(3).collect();
    let mut calls = 0;
    let prepared = Backend::Extractive
        .prepare(&papers, &[Language::KOREAN], |_, _, _| calls += 1)
        .await;
    assert_eq!(calls, 3);
    assert_eq!(prepared.fallbacks, 0);
    let summary = Backend::Extractive
        .summarize(&papers[0], Language::KOREAN)
        .await;
    assert_eq!(summary.origin, SummaryOrigin::Extractive);
}

/// The cost of one day: prompt and completion tokens per paper, from the fake's `usage`,
/// which it computes from the real prompt sizes. Run with `--nocapture` to read the numbers.
#[tokio::test]
async fn tokens_per_paper_on_the_recorded_day() {
    let fake = FakeOpenAi::start().await;
    let llm = llm(&fake);
    let papers = day();
    for language in [Language::KOREAN, Language::ENGLISH] {
        let before = fake.calls();
        for paper in &papers {
            let summary = llm.summarize(paper, language).await;
            assert!(
                is_llm(&summary),
                "{} {language}: {:?}",
                paper.id,
                summary.origin
            );
        }
        let usages: Vec<_> = fake.requests()[before..]
            .iter()
            .map(|r| r.usage.clone().expect("a completion has usage"))
            .collect();
        assert_eq!(usages.len(), 30);
        let sum = |field: &str| {
            usages
                .iter()
                .map(|u| u[field].as_u64().unwrap())
                .sum::<u64>()
        };
        let (prompt, completion) = (sum("prompt_tokens"), sum("completion_tokens"));
        assert!(prompt > 30 * 300, "a prompt holds a whole abstract");
        assert!(completion > 30 * 100);
        eprintln!(
            "{language}: 30 papers, {prompt} prompt + {completion} completion tokens; per paper {} + {} = {}",
            prompt / 30,
            completion / 30,
            (prompt + completion) / 30
        );
    }
}
