//! Integration tests: hf_client.
//!
//! The HF client against a loopback fake answering with recorded and hand-made responses:
//! parsing, paging, retries, timeouts, broken bodies, `latest`, headers and thumbnails.

use std::time::Duration;

use paperboy::domain::Paper;
use paperboy::source::{Client, Error, ParseError, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::hf::{self, date};

fn by_id<'a>(papers: &'a [Paper], id: &str) -> &'a Paper {
    papers
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("paper {id} missing"))
}

/// `n` paper ids of a parsed day must match the recorded items one for one, in order.
fn assert_same_order(papers: &[Paper], items: &[Value]) {
    let got: Vec<_> = papers.iter().map(|p| p.id.clone()).collect();
    assert_eq!(got, hf::ids(items));
}

#[tokio::test]
async fn recorded_30_paper_day() {
    let server = hf::start().await;
    let day = date("2026-06-12");
    let name = "daily_papers_2026-06-12.json";
    hf::serve_day_body(&server, day, hf::recorded(name)).await;
    let papers = hf::client(&server).day(day).await.unwrap();

    let items = hf::recorded_items(name);
    assert_eq!(papers.len(), 30);
    assert_same_order(&papers, &items);
    for (paper, item) in papers.iter().zip(&items) {
        assert_eq!(
            u64::from(paper.upvotes),
            item["paper"]["upvotes"].as_u64().unwrap()
        );
        assert_eq!(paper.thumbnail, item["thumbnail"].as_str().unwrap());
        assert!(paper.ai_summary.is_some(), "{}", paper.id);
        assert!(!paper.ai_keywords.is_empty(), "{}", paper.id);
        assert_eq!(paper.submitted_on, Some(day));
        assert!(!paper.authors.is_empty());
        assert!(!paper.title.contains('\n'));
        assert!(!paper.abstract_text.is_empty());
    }
    let count = |f: fn(&Paper) -> bool| papers.iter().filter(|p| f(p)).count();
    assert_eq!(count(|p| p.organization.is_some()), 16);
    assert_eq!(count(|p| p.github_repo.is_some()), 16);
    assert_eq!(count(|p| p.project_page.is_some()), 13);
    assert!(papers
        .iter()
        .filter_map(|p| p.github_repo.as_deref())
        .all(|r| r.starts_with("https://github.com/")));

    let top = by_id(&papers, "2606.13681");
    assert_eq!(top.upvotes, 118);
    assert_eq!(
        top.organization.as_deref(),
        Some("Massachusetts Institute of Technology")
    );
    assert_eq!(
        top.github_repo.as_deref(),
        Some("https://github.com/Aiden0526/EvoArena")
    );
    assert_eq!(
        top.project_page.as_deref(),
        Some("https://aiden0526.github.io/EvoArena/")
    );
    assert_eq!(by_id(&papers, "2606.00467").authors[0], "Etienne Casanova");
    // An abstract with an indented second paragraph keeps the break, as a blank line.
    let two_paragraphs = &by_id(&papers, "2606.13120").abstract_text;
    assert_eq!(
        two_paragraphs.matches("\n\n").count(),
        1,
        "{two_paragraphs}"
    );
    assert!(two_paragraphs.contains("reasoning shortcuts.\n\nIn this paper"));
}

#[tokio::test]
async fn recorded_partial_day_without_ai_fields() {
    let server = hf::start().await;
    let day = date("2026-07-31");
    let name = "daily_papers_2026-07-31_partial.json";
    hf::serve_day_body(&server, day, hf::recorded(name)).await;
    let papers = hf::client(&server).day(day).await.unwrap();

    assert_eq!(papers.len(), 5);
    assert_same_order(&papers, &hf::recorded_items(name));
    assert!(papers.iter().all(|p| p.ai_summary.is_none()));
    assert!(papers.iter().all(|p| p.ai_keywords.is_empty()));
    let omni = by_id(&papers, "2607.23193");
    assert_eq!(omni.authors.len(), 6);
    // A claimed author (with `user{}` and a relative avatar) keeps the paper's name for them.
    assert_eq!(omni.authors[0], "Jinsen Su");
    assert_eq!(omni.upvotes, 3);
    assert_eq!(omni.github_stars, Some(3));
    assert_eq!(
        omni.github_repo.as_deref(),
        Some("https://github.com/MAC-AutoML/OmniScope")
    );
    assert_eq!(omni.organization, None);
    assert_eq!(
        by_id(&papers, "2607.27958").organization.as_deref(),
        Some("Nanyang Technological University")
    );
    assert_eq!(
        by_id(&papers, "2607.28582").project_page.as_deref(),
        Some("https://umd-huang-lab.github.io/beta-opsd/")
    );
}

#[tokio::test]
async fn recorded_latest_three() {
    let server = hf::start().await;
    let day = date("2026-08-03");
    let name = "daily_papers_latest_limit3.json";
    hf::serve_day_body(&server, day, hf::recorded(name)).await;
    let papers = hf::client(&server).day(day).await.unwrap();

    assert_eq!(papers.len(), 3);
    assert_same_order(&papers, &hf::recorded_items(name));
    let first = &papers[0];
    assert_eq!(first.id, "2607.26654");
    assert_eq!(first.submitted_on, Some(day));
    assert_eq!(first.organization.as_deref(), Some("University of Oxford"));
    assert_eq!(
        first.project_page.as_deref(),
        Some("https://www.lesswrong.com/posts/n5htoDGvKKJFAjji2")
    );
    assert_eq!(first.ai_summary, None);
}

#[tokio::test]
async fn own_small_day_with_nulls_and_unknown_fields() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::serve_day_body(&server, day, hf::own("day_small.json")).await;
    let papers = hf::client(&server).day(day).await.unwrap();

    let ids: Vec<_> = papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["2601.10001", "2601.10002", "2601.10003"]);
    let full = &papers[0];
    assert_eq!(full.title, "Sparse Attention at Scale: A Study");
    assert_eq!(
        full.abstract_text,
        "Long contexts are expensive, e.g. for retrieval. We propose a sparse scheme.\n\n\
         It runs 2.5x faster than dense attention (Fig. 3). Code is released."
    );
    assert_eq!(full.organization.as_deref(), Some("Example Lab"));
    assert_eq!(full.github_stars, Some(120));
    assert_eq!(full.ai_keywords, ["sparse attention", "long context"]);
    let nulls = &papers[1];
    assert_eq!(nulls.upvotes, 0);
    assert_eq!(
        (
            &nulls.ai_summary,
            &nulls.github_repo,
            &nulls.project_page,
            &nulls.organization
        ),
        (&None, &None, &None, &None)
    );
    assert_eq!(papers[2].organization.as_deref(), Some("shortname"));
}

#[tokio::test]
async fn pages_past_100_items_in_order() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    let items = hf::items(230);
    hf::serve_day(&server, day, &items).await;
    let papers = hf::client(&server).day(day).await.unwrap();

    assert_eq!(papers.len(), 230);
    assert_same_order(&papers, &items);
    let expected: Vec<_> = ["0", "1", "2"]
        .iter()
        .map(|p| ("2026-01-20".to_string(), "100".to_string(), p.to_string()))
        .collect();
    assert_eq!(hf::day_requests(&server).await, expected);
}

#[tokio::test]
async fn exactly_two_full_pages_end_with_an_empty_one() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::serve_day(&server, day, &hf::items(200)).await;
    let papers = hf::client(&server).day(day).await.unwrap();
    assert_eq!(papers.len(), 200);
    let pages: Vec<_> = hf::day_requests(&server)
        .await
        .into_iter()
        .map(|(_, _, p)| p)
        .collect();
    assert_eq!(pages, ["0", "1", "2"]);
}

#[tokio::test]
async fn a_skipped_item_does_not_end_paging_early() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    let mut items = hf::items(105);
    items[10]["paper"].as_object_mut().unwrap().remove("id");
    hf::serve_day(&server, day, &items).await;
    let papers = hf::client(&server).day(day).await.unwrap();
    assert_eq!(papers.len(), 104);
    assert!(papers.iter().all(|p| p.id != hf::synthetic_id(10)));
    assert_eq!(papers.last().unwrap().id, hf::synthetic_id(104));
}

#[tokio::test]
async fn a_server_ignoring_p_cannot_loop_us() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::any_page(day)
        .respond_with(ResponseTemplate::new(200).set_body_json(hf::items(100)))
        .mount(&server)
        .await;
    let papers = hf::client(&server).day(day).await.unwrap();
    assert_eq!(papers.len(), 100);
    assert_eq!(hf::day_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_day() {
    let server = hf::start().await;
    let day = date("2026-01-17");
    hf::serve_day(&server, day, &[]).await;
    let papers = hf::client(&server).day(day).await.unwrap();
    assert!(papers.is_empty());
    assert_eq!(hf::day_requests(&server).await.len(), 1);
}

/// Mounts `first` for the first `times` requests of page 0, then the real day.
async fn fail_then_serve(server: &MockServer, first: ResponseTemplate, times: u64) {
    let day = date("2026-01-20");
    hf::day_page(day, 0)
        .respond_with(first)
        .up_to_n_times(times)
        .mount(server)
        .await;
    hf::serve_day(server, day, &hf::items(3)).await;
}

#[tokio::test]
async fn retries_429_with_retry_after() {
    let server = hf::start().await;
    fail_then_serve(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let papers = hf::client(&server).day(date("2026-01-20")).await.unwrap();
    assert_eq!(papers.len(), 3);
    assert_eq!(hf::day_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_429_with_hf_rate_limit_header_capped_by_max_delay() {
    let server = hf::start().await;
    // An hour-long reset: only the policy's 20 ms cap keeps this test short.
    fail_then_serve(
        &server,
        ResponseTemplate::new(429)
            .insert_header("ratelimit", "\"api\";r=0;t=3600")
            .insert_header("ratelimit-policy", "\"fixed window\";\"api\";q=500;w=300"),
        2,
    )
    .await;
    let client = hf::client(&server);
    let papers = tokio::time::timeout(Duration::from_secs(30), client.day(date("2026-01-20")))
        .await
        .expect("the wait is capped at max_delay")
        .unwrap();
    assert_eq!(papers.len(), 3);
    assert_eq!(hf::day_requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retries_500_then_succeeds() {
    let server = hf::start().await;
    fail_then_serve(&server, ResponseTemplate::new(500), 1).await;
    let papers = hf::client(&server).day(date("2026-01-20")).await.unwrap();
    assert_eq!(papers.len(), 3);
    assert_eq!(hf::day_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn gives_up_on_500_forever_naming_status_and_attempts() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::any_page(day)
        .respond_with(ResponseTemplate::new(500).set_body_string("internal error"))
        .mount(&server)
        .await;
    let err = hf::client(&server).day(day).await.unwrap_err();
    match &err {
        Error::Status {
            status,
            attempts,
            excerpt,
            url,
        } => {
            assert_eq!((*status, *attempts), (500, 3));
            assert_eq!(excerpt, "internal error");
            assert!(url.contains("date=2026-01-20"), "{url}");
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("http 500") && text.contains("3 attempt"),
        "{text}"
    );
    assert!(err.is_transient());
    assert_eq!(hf::day_requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_503_html_page_is_quoted_in_the_error() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::any_page(day)
        .respond_with(
            ResponseTemplate::new(503).set_body_raw(hf::own("error_page.html"), "text/html"),
        )
        .mount(&server)
        .await;
    let err = hf::client(&server).day(day).await.unwrap_err();
    let text = err.to_string();
    assert_eq!(err.status(), Some(503));
    assert!(text.contains("503 Service Unavailable"), "{text}");
    assert!(!text.contains('\n'), "{text}");
}

#[tokio::test]
async fn other_4xx_are_not_retried() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::any_page(day)
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let err = hf::client(&server).day(day).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                status: 404,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(hf::day_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_400_says_the_date_was_rejected() {
    let server = hf::start().await;
    let day = date("2030-01-01");
    hf::any_page(day)
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "Invalid date"})))
        .mount(&server)
        .await;
    let err = hf::client(&server).day(day).await.unwrap_err();
    assert!(matches!(err, Error::BadDate { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("2030-01-01") && text.contains("400"),
        "{text}"
    );
    assert!(text.contains("Invalid date"), "{text}");
    assert_eq!(hf::day_requests(&server).await.len(), 1);
}

/// A client whose attempts give up after 300 ms; the slow responses below take 10 s.
fn impatient(server: &MockServer, max_attempts: u32) -> Client {
    hf::client_with(server, Duration::from_millis(300), None).with_retry(RetryPolicy {
        max_attempts,
        ..hf::fast_retry()
    })
}

#[tokio::test]
async fn a_timeout_then_success() {
    let server = hf::start().await;
    fail_then_serve(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(hf::items(1))
            .set_delay(Duration::from_secs(10)),
        1,
    )
    .await;
    let papers = impatient(&server, 3).day(date("2026-01-20")).await.unwrap();
    assert_eq!(papers.len(), 3);
    assert_eq!(hf::day_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn timeouts_forever_give_an_error() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::any_page(day)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(hf::items(1))
                .set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let err = impatient(&server, 2).day(day).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("2 attempt"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // Bind and drop a listener: nothing listens on that port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_secs(5),
        None,
    )
    .unwrap()
    .with_retry(hf::fast_retry());
    let err = client.day(date("2026-01-20")).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

async fn parse_error_for(body: Vec<u8>, content_type: &str) -> ParseError {
    let server = hf::start().await;
    let day = date("2026-01-20");
    hf::day_page(day, 0)
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    match hf::client(&server).day(day).await {
        Err(Error::Parse { error, url }) => {
            assert!(url.contains("/api/daily_papers"), "{url}");
            error
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_with_200() {
    let error = parse_error_for(hf::own("error_page.html"), "text/html").await;
    assert!(matches!(error, ParseError::NotJson { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("not json")
            && text.contains("html page: Hugging Face - 503 Service Unavailable"),
        "{text}"
    );
}

#[tokio::test]
async fn an_object_instead_of_an_array() {
    let error = parse_error_for(b"{}".to_vec(), "application/json").await;
    assert!(
        matches!(
            error,
            ParseError::NotArray {
                found: "an object",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_truncated_body() {
    let full = hf::recorded("daily_papers_2026-07-31_partial.json");
    let error = parse_error_for(full[..full.len() / 3].to_vec(), "application/json").await;
    assert!(matches!(error, ParseError::Truncated { .. }), "{error:?}");
    assert!(error.to_string().contains("truncated"), "{error}");
}

#[tokio::test]
async fn latest_skips_an_empty_weekend() {
    let server = hf::start().await;
    hf::serve_empty_days(&server, &[date("2026-01-18"), date("2026-01-17")]).await;
    hf::serve_day(&server, date("2026-01-16"), &hf::items(4)).await;
    let (day, papers) = hf::client(&server)
        .latest(date("2026-01-18"), 7)
        .await
        .unwrap()
        .expect("friday has papers");
    assert_eq!(day, date("2026-01-16"));
    assert_eq!(papers.len(), 4);
    let dates: Vec<_> = hf::day_requests(&server)
        .await
        .into_iter()
        .map(|(d, _, _)| d)
        .collect();
    assert_eq!(dates, ["2026-01-18", "2026-01-17", "2026-01-16"]);
}

#[tokio::test]
async fn latest_is_none_when_every_day_is_empty() {
    let server = hf::start().await;
    let days = [date("2026-01-20"), date("2026-01-19"), date("2026-01-18")];
    hf::serve_empty_days(&server, &days).await;
    let found = hf::client(&server)
        .latest(date("2026-01-20"), 2)
        .await
        .unwrap();
    assert_eq!(found, None);
    assert_eq!(hf::day_requests(&server).await.len(), 3);
}

#[tokio::test]
async fn latest_walks_past_a_today_that_is_not_open_yet() {
    let server = hf::start().await;
    hf::any_page(date("2026-01-21"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    hf::serve_day(&server, date("2026-01-20"), &hf::items(2)).await;
    let (day, _) = hf::client(&server)
        .latest(date("2026-01-21"), 7)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(day, date("2026-01-20"));
}

#[tokio::test]
async fn latest_stops_at_a_real_error() {
    let server = hf::start().await;
    hf::serve_empty_days(&server, &[date("2026-01-20")]).await;
    hf::any_page(date("2026-01-19"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = hf::client(&server)
        .latest(date("2026-01-20"), 7)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
}

#[tokio::test]
async fn sends_user_agent_and_bearer_token() {
    let server = hf::start().await;
    let day = date("2026-01-20");
    // Mounted only for requests with both headers: without them the fake answers 404.
    hf::day_page(day, 0)
        .and(header("user-agent", paperboy::USER_AGENT))
        .and(header("authorization", "Bearer hf_test_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(hf::items(1)))
        .mount(&server)
        .await;
    let client = hf::client_with(&server, Duration::from_secs(10), Some("hf_test_token"));
    assert_eq!(client.day(day).await.unwrap().len(), 1);
    assert!(paperboy::USER_AGENT.starts_with("paperboy/"));
}

#[tokio::test]
async fn no_authorization_header_without_a_token() {
    for token in [None, Some("")] {
        let server = hf::start().await;
        let day = date("2026-01-20");
        hf::serve_day(&server, day, &hf::items(1)).await;
        let client = hf::client_with(&server, Duration::from_secs(10), token);
        client.day(day).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1);
        assert!(requests[0].headers.get("authorization").is_none());
        assert_eq!(
            requests[0].headers.get("user-agent").unwrap(),
            paperboy::USER_AGENT
        );
    }
}

#[tokio::test]
async fn fetches_thumbnail_bytes_within_a_limit() {
    let server = hf::start().await;
    let png: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    hf::serve_thumbnail(&server, "/thumbs/2601.00001.png", png.clone()).await;
    let client = hf::client(&server);

    let url = format!("{}/thumbs/2601.00001.png", server.uri());
    assert_eq!(client.fetch_bytes(&url, 10_000).await.unwrap(), png);
    // Relative to the base URL, as a relative thumbnail field would be.
    assert_eq!(
        client
            .fetch_bytes("/thumbs/2601.00001.png", 10_000)
            .await
            .unwrap(),
        png
    );
    let err = client.fetch_bytes(&url, 9_999).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                max_bytes: 9_999,
                ..
            }
        ),
        "{err:?}"
    );
    let missing = client
        .fetch_bytes(&format!("{}/thumbs/none.png", server.uri()), 10_000)
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert!(client.fetch_bytes("file:///etc/passwd", 10).await.is_err());
}

#[tokio::test]
async fn the_token_goes_only_to_the_api_origin() {
    let api = hf::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/img.png"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![1, 2, 3]))
        .mount(&elsewhere)
        .await;
    let client = hf::client_with(&api, Duration::from_secs(10), Some("hf_secret"));
    let bytes = client
        .fetch_bytes(&format!("{}/img.png", elsewhere.uri()), 100)
        .await
        .unwrap();
    assert_eq!(bytes, [1, 2, 3]);
    let requests = elsewhere.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn debug_output_hides_the_token() {
    let server = hf::start().await;
    let client = hf::client_with(&server, Duration::from_secs(1), Some("hf_very_secret"));
    let debug = format!("{client:?}");
    assert!(!debug.contains("hf_very_secret"), "{debug}");
}
