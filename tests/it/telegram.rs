//! Integration tests: telegram.
//!
//! The Telegram sender (teloxide without Throttle) against the loopback fake Bot API: every
//! rendered call delivered with the right fields, every Bot API error mapped to the delivery
//! engine's `SendError`, the photo upload fallback; and the fake itself: method names, body
//! encodings, long polling, flood limits, and objects that teloxide deserializes.

use std::sync::Arc;
use std::time::Duration;

use paperboy::adapters::telegram::Sender;
use paperboy::delivery::engine::{Engine, Retry};
use paperboy::delivery::pace::{Limits, Pace};
use paperboy::delivery::{Courier, Outbound, SendError};
use paperboy::domain::ChatRef;
use paperboy::render::telegram::{Call, InputMediaPhoto, LinkPreviewOptions, ParseMode};
use paperboy::secret::Secret;
use paperboy::store::Store;
use serde_json::{json, Value};

use crate::support::telegram_fake::{
    BodyKind, Failure, FakeTelegram, Limit, MemberStatus, Options, PhotoSource, TgChat, TgUser,
};

/// A tiny "PNG": the signature is all the fake (like Telegram) looks at first.
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2, 3,
];

fn sender(fake: &FakeTelegram, timeout: Duration) -> Sender {
    Sender::new(&Secret::new(fake.token()), &fake.url(), timeout).unwrap()
}

fn chat(id: i64) -> ChatRef {
    ChatRef::telegram(id)
}

fn topic(id: i64, thread: i32) -> ChatRef {
    ChatRef::Telegram {
        chat_id: id,
        thread_id: Some(thread),
    }
}

fn text(t: &str) -> Outbound {
    Outbound::Telegram(Call::SendMessage {
        text: t.to_string(),
        parse_mode: ParseMode::Html,
        link_preview_options: LinkPreviewOptions { is_disabled: true },
    })
}

fn photo(url: &str, caption: &str) -> Outbound {
    Outbound::Telegram(Call::SendPhoto {
        photo: url.to_string(),
        caption: caption.to_string(),
        parse_mode: ParseMode::Html,
    })
}

fn group(urls: &[&str]) -> Outbound {
    Outbound::Telegram(Call::SendMediaGroup {
        media: urls
            .iter()
            .enumerate()
            .map(|(i, u)| InputMediaPhoto {
                kind: "photo".to_string(),
                media: u.to_string(),
                caption: format!("<b>paper {}</b>", i + 1),
                parse_mode: Some(ParseMode::Html),
            })
            .collect(),
    })
}

/// A raw POST to the fake, for what teloxide never sends (forms, odd method spellings).
async fn raw_post(fake: &FakeTelegram, method: &str, body: RawBody) -> (u16, Value) {
    let url = format!("{}bot{}/{method}", fake.api_url(), fake.token());
    let client = reqwest::Client::new();
    let req = match body {
        RawBody::Json(v) => client.post(url).json(&v),
        RawBody::Form(pairs) => client.post(url).form(&pairs),
        RawBody::Multipart(form) => client.post(url).multipart(form),
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

enum RawBody {
    Json(Value),
    Form(Vec<(&'static str, String)>),
    Multipart(reqwest::multipart::Form),
}

// ---- the fake: routing and bodies -----------------------------------------------------------

#[tokio::test]
async fn method_names_match_in_any_case() {
    let fake = FakeTelegram::start().await;
    for name in ["sendMessage", "SendMessage", "SENDMESSAGE", "sendmessage"] {
        let (status, body) = raw_post(
            &fake,
            name,
            RawBody::Json(json!({"chat_id": 5, "text": name})),
        )
        .await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(body["ok"], json!(true));
        assert_eq!(body["result"]["text"], json!(name));
    }
    let sent = fake.sent_to(5);
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().all(|s| s.method == "sendMessage"));
    assert_eq!(sent[2].method_as_sent, "SENDMESSAGE");

    // teloxide itself spells methods in PascalCase.
    let s = sender(&fake, Duration::from_secs(5));
    s.send(&chat(6), &text("hi")).await.unwrap();
    assert_eq!(fake.sent_to(6)[0].method_as_sent, "SendMessage");
}

#[tokio::test]
async fn unknown_methods_and_wrong_tokens_are_refused_like_telegram() {
    let fake = FakeTelegram::start().await;
    let (status, body) = raw_post(&fake, "sendTelepathy", RawBody::Json(json!({}))).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("Not Found"))
    );
    assert_eq!(body["ok"], json!(false));
    assert_eq!(body["error_code"], json!(404));

    let url = format!("{}bot123:wrong/getMe", fake.api_url());
    let resp = reqwest::Client::new().post(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["description"], json!("Unauthorized"));

    // The sender treats a refused token as transient: it is no chat's fault.
    let bad = Sender::new(
        &Secret::new("123:wrong"),
        &fake.url(),
        Duration::from_secs(5),
    )
    .unwrap();
    let err = bad.send(&chat(5), &text("x")).await.unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err:?}");
    assert!(fake.sent().is_empty());
}

#[tokio::test]
async fn json_form_and_multipart_bodies_are_all_read() {
    let fake = FakeTelegram::start().await;
    let (s1, _) = raw_post(
        &fake,
        "sendMessage",
        RawBody::Json(json!({"chat_id": 1, "text": "<b>json</b>", "parse_mode": "HTML"})),
    )
    .await;
    let (s2, _) = raw_post(
        &fake,
        "sendMessage",
        RawBody::Form(vec![
            ("chat_id", "1".to_string()),
            ("text", "form & more".to_string()),
            ("message_thread_id", "9".to_string()),
        ]),
    )
    .await;
    let form = reqwest::multipart::Form::new()
        .text("chat_id", "1")
        .text("caption", "uploaded")
        .part(
            "photo",
            reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("a.png"),
        );
    let (s3, body3) = raw_post(&fake, "sendPhoto", RawBody::Multipart(form)).await;
    assert_eq!((s1, s2, s3), (200, 200, 200), "{body3}");

    let sent = fake.sent_to(1);
    assert_eq!(sent[0].body, BodyKind::Json);
    assert_eq!(sent[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(sent[1].body, BodyKind::Form);
    assert_eq!(sent[1].text.as_deref(), Some("form & more"));
    assert_eq!(sent[1].message_thread_id, Some(9));
    assert_eq!(sent[2].body, BodyKind::Multipart);
    assert_eq!(
        sent[2].media[0].source,
        PhotoSource::Upload {
            file_name: Some("a.png".to_string()),
            bytes: PNG.to_vec()
        }
    );
    // The answer is a photo message whose largest size carries the recorded file id.
    let sizes = body3["result"]["photo"].as_array().unwrap();
    assert_eq!(
        sizes.last().unwrap()["file_id"].as_str(),
        Some(sent[2].media[0].file_id.as_str())
    );
}

#[tokio::test]
async fn html_is_checked_as_telegram_parses_it() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    for bad in ["<b>open", "<p>para</p>", "<b><i>x</b></i>", "a < b"] {
        let err = s.send(&chat(1), &text(bad)).await.unwrap_err();
        match err {
            SendError::Permanent(d) => assert!(d.contains("can't parse entities"), "{bad}: {d}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    let long = format!("<b>{}</b>", "é".repeat(4097));
    let err = s.send(&chat(1), &text(&long)).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Permanent("Bad Request: message is too long".into())
    );
    // Exactly 4096 visible characters, entities decoding to one each, is fine.
    let ok = format!("<i>{}</i>&amp;{}", "x".repeat(4000), "y".repeat(95));
    s.send(&chat(1), &text(&ok)).await.unwrap();
    assert_eq!(fake.sent_to(1).len(), 1);
}

// ---- the sender: each call with the right fields ---------------------------------------------

#[tokio::test]
async fn send_message_carries_text_html_topic_and_preview_options() {
    let fake = FakeTelegram::start().await;
    fake.add_chat(&TgChat::forum(-1001234, "Papers"));
    let s = sender(&fake, Duration::from_secs(5));

    let receipt = s
        .send(&topic(-1001234, 42), &text("<b>Top papers</b> &amp; more"))
        .await
        .unwrap();
    let sent = fake.wait_sent_to(-1001234, 1).await;
    assert_eq!(sent.len(), 1);
    let m = &sent[0];
    assert_eq!(m.method, "sendMessage");
    assert_eq!(m.body, BodyKind::Json);
    assert_eq!(m.text.as_deref(), Some("<b>Top papers</b> &amp; more"));
    assert_eq!(m.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(m.message_thread_id, Some(42));
    assert!(m.link_preview_disabled);
    assert_eq!(receipt.message_id, Some(m.message_ids[0].to_string()));
    assert_eq!(receipt.photo_file_id, None);

    // Without a topic and with previews on, neither field is sent.
    let plain = Outbound::Telegram(Call::SendMessage {
        text: "plain".into(),
        parse_mode: ParseMode::Html,
        link_preview_options: LinkPreviewOptions { is_disabled: false },
    });
    s.send(&chat(77), &plain).await.unwrap();
    let m = &fake.sent_to(77)[0];
    assert_eq!(m.message_thread_id, None);
    assert!(!m.link_preview_disabled);
    assert!(m.param("message_thread_id").is_none());
}

#[tokio::test]
async fn send_photo_goes_by_url_and_returns_a_reusable_file_id() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    let url = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2601.11077.png";

    let receipt = s
        .send(&topic(-1005, 3), &photo(url, "<b>1.</b> A paper"))
        .await
        .unwrap();
    let m = &fake.sent_to(-1005)[0];
    assert_eq!(m.method, "sendPhoto");
    assert_eq!(m.body, BodyKind::Multipart);
    assert_eq!(m.message_thread_id, Some(3));
    assert_eq!(m.text.as_deref(), Some("<b>1.</b> A paper"));
    assert_eq!(m.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(m.media[0].source, PhotoSource::Url(url.to_string()));
    let (got_url, file_id) = receipt.photo_file_id.clone().unwrap();
    assert_eq!(got_url, url);
    assert_eq!(file_id, m.media[0].file_id);

    // The caller reuses the file id in place of the URL for the next chat.
    let receipt2 = s
        .send(&chat(8), &photo(&file_id, "<b>1.</b> A paper"))
        .await
        .unwrap();
    let m2 = &fake.sent_to(8)[0];
    assert_eq!(m2.media[0].source, PhotoSource::FileId(file_id.clone()));
    assert!(receipt2.message_id.is_some());
    assert_eq!(receipt2.photo_file_id, None);
}

#[tokio::test]
async fn send_media_group_delivers_every_photo_with_its_caption() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    let urls = ["https://img.example/1.png", "https://img.example/2.png"];

    let receipt = s.send(&topic(-1009, 11), &group(&urls)).await.unwrap();
    let m = &fake.sent_to(-1009)[0];
    assert_eq!(m.method, "sendMediaGroup");
    assert_eq!(m.message_thread_id, Some(11));
    assert_eq!(m.media.len(), 2);
    for (i, item) in m.media.iter().enumerate() {
        assert_eq!(item.source, PhotoSource::Url(urls[i].to_string()));
        assert_eq!(
            item.caption.as_deref(),
            Some(format!("<b>paper {}</b>", i + 1).as_str())
        );
        assert_eq!(item.parse_mode.as_deref(), Some("HTML"));
    }
    assert_eq!(receipt.message_id, Some(m.message_ids[0].to_string()));
    assert_eq!(
        receipt.photo_file_id,
        Some((urls[0].to_string(), m.media[0].file_id.clone()))
    );
}

// ---- the photo upload fallback ---------------------------------------------------------------

#[tokio::test]
async fn unfetchable_photo_is_downloaded_and_uploaded() {
    let fake = FakeTelegram::start().await;
    let url = fake.serve_image("2601.11077.png", "image/png", PNG.to_vec());
    fake.refuse_photo_url(&url);
    let s = sender(&fake, Duration::from_secs(5));

    let receipt = s.send(&chat(21), &photo(&url, "caption")).await.unwrap();
    let sent = fake.sent_to(21);
    assert_eq!(sent.len(), 1, "only the upload was accepted");
    assert_eq!(
        sent[0].media[0].source,
        PhotoSource::Upload {
            file_name: Some("2601.11077.png".to_string()),
            bytes: PNG.to_vec()
        }
    );
    assert_eq!(sent[0].text.as_deref(), Some("caption"));
    // Telegram refused the URL first.
    let photo_requests = fake.requests_for("sendPhoto");
    assert_eq!(
        photo_requests.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![400, 200]
    );
    let (got_url, file_id) = receipt.photo_file_id.unwrap();
    assert_eq!(got_url, url);
    assert_eq!(file_id, sent[0].media[0].file_id);

    // The returned file id works for the next chat without any fetch.
    s.send(&chat(22), &photo(&file_id, "caption"))
        .await
        .unwrap();
    assert_eq!(
        fake.sent_to(22)[0].media[0].source,
        PhotoSource::FileId(file_id)
    );
}

#[tokio::test]
async fn other_fetch_errors_also_trigger_the_upload() {
    let fake = FakeTelegram::start().await;
    let url = fake.serve_image("t.png", "image/png", PNG.to_vec());
    fake.refuse_photo_url_with(&url, "Bad Request: failed to get HTTP URL content");
    let s = sender(&fake, Duration::from_secs(5));
    s.send(&chat(23), &photo(&url, "c")).await.unwrap();
    assert!(matches!(
        fake.sent_to(23)[0].media[0].source,
        PhotoSource::Upload { .. }
    ));
}

#[tokio::test]
async fn media_group_with_an_unfetchable_photo_is_uploaded() {
    let fake = FakeTelegram::start().await;
    let a = fake.serve_image("a.png", "image/png", PNG.to_vec());
    let b = fake.serve_image("b.png", "image/png", PNG.to_vec());
    fake.refuse_photo_url(&b);
    let s = sender(&fake, Duration::from_secs(5));

    let receipt = s.send(&chat(24), &group(&[&a, &b])).await.unwrap();
    let m = &fake.sent_to(24)[0];
    assert!(m
        .media
        .iter()
        .all(|x| matches!(x.source, PhotoSource::Upload { .. })));
    assert_eq!(receipt.photo_file_id, Some((a, m.media[0].file_id.clone())));
}

#[tokio::test]
async fn a_photo_nobody_can_fetch_leaves_its_caption_as_text() {
    let fake = FakeTelegram::start().await;
    let missing = format!("{}files/gone.png", fake.api_url());
    fake.refuse_photo_url(&missing);
    let s = sender(&fake, Duration::from_secs(5));

    let receipt = s
        .send(&chat(25), &photo(&missing, "<b>1.</b> Still here"))
        .await
        .unwrap();
    let sent = fake.sent_to(25);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "sendMessage");
    assert_eq!(sent[0].text.as_deref(), Some("<b>1.</b> Still here"));
    assert_eq!(receipt.photo_file_id, None);
}

#[tokio::test]
async fn a_refused_file_id_goes_back_to_its_url() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    let url = "https://img.example/p.png";
    s.remember_photo(url, "AgACstale");

    let receipt = s.send(&chat(26), &photo("AgACstale", "c")).await.unwrap();
    let sent = fake.sent_to(26);
    assert_eq!(sent[0].media[0].source, PhotoSource::Url(url.to_string()));
    assert_eq!(receipt.photo_file_id.unwrap().0, url);

    // An unknown file id with no known URL is the chat-independent 400 it is.
    let err = s
        .send(&chat(26), &photo("AgACnobody", "c"))
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Permanent(ref d) if d.contains("wrong file identifier")));
}

// ---- error mapping ---------------------------------------------------------------------------

#[tokio::test]
async fn each_scripted_error_maps_to_its_send_error() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    let cases: Vec<(i64, Failure, SendError)> = vec![
        (
            101,
            Failure::Blocked,
            SendError::Permanent("Forbidden: bot was blocked by the user".into()),
        ),
        (
            -102,
            Failure::Kicked,
            SendError::Permanent("Forbidden: bot was kicked from the supergroup chat".into()),
        ),
        (
            103,
            Failure::Deactivated,
            SendError::Permanent("Forbidden: user is deactivated".into()),
        ),
        (
            -104,
            Failure::ChatNotFound,
            SendError::Permanent("Bad Request: chat not found".into()),
        ),
        (
            -105,
            Failure::NotEnoughRights,
            SendError::Permanent(
                "Bad Request: not enough rights to send text messages to the chat".into(),
            ),
        ),
        (
            -106,
            Failure::TooManyRequests { retry_after: 7 },
            SendError::RetryAfter(Duration::from_secs(7)),
        ),
    ];
    for (id, failure, expected) in cases {
        fake.fail_chat(id, failure.clone());
        for call in [text("hi"), photo("https://img.example/x.png", "c")] {
            let err = s.send(&chat(id), &call).await.unwrap_err();
            assert_eq!(err, expected, "{failure:?}");
        }
    }
    assert!(fake.sent().is_empty());
    assert_eq!(fake.count_429(), 2);
}

#[tokio::test]
async fn migration_points_to_the_new_chat_and_keeps_the_topic() {
    let fake = FakeTelegram::start().await;
    fake.fail_chat(-300, Failure::Migrated { to: -1000000000300 });
    let s = sender(&fake, Duration::from_secs(5));
    let err = s.send(&topic(-300, 5), &text("hi")).await.unwrap_err();
    let SendError::Migrated(to) = err else {
        panic!("{err:?}")
    };
    assert_eq!(to, topic(-1000000000300, 5));
    // And the new chat takes the message.
    s.send(&to, &text("hi")).await.unwrap();
    assert_eq!(fake.sent_to(-1000000000300).len(), 1);
}

#[tokio::test]
async fn server_errors_and_slow_answers_are_transient() {
    let fake = FakeTelegram::start().await;
    // Short: teloxide pauses 10 s after any 5xx before reading it; the timeout cuts that.
    let s = sender(&fake, Duration::from_millis(300));
    fake.fail_chat(201, Failure::BadGateway);
    fake.fail_chat(202, Failure::InternalError);
    fake.fail_chat(203, Failure::Slow(Duration::from_secs(3)));
    for id in [201, 202, 203] {
        let err = s.send(&chat(id), &text("hi")).await.unwrap_err();
        assert!(matches!(err, SendError::Transient(_)), "{id}: {err:?}");
    }
    assert_eq!(fake.status_count(502), 1);
    assert_eq!(fake.status_count(500), 1);
    // The slow one was delivered even though its answer never came in time.
    assert_eq!(fake.sent_to(203).len(), 1);
}

#[tokio::test]
async fn scripted_failures_can_be_limited_to_a_count() {
    let fake = FakeTelegram::start().await;
    let s = sender(&fake, Duration::from_secs(5));
    fake.fail_chat_times(9, Failure::TooManyRequests { retry_after: 0 }, 2);
    assert_eq!(
        s.send(&chat(9), &text("a")).await.unwrap_err(),
        SendError::RetryAfter(Duration::ZERO)
    );
    assert!(s.send(&chat(9), &text("a")).await.is_err());
    s.send(&chat(9), &text("a")).await.unwrap();
    // A failure for any chat hits the next send wherever it goes.
    fake.fail_any_times(Failure::Blocked, 1);
    assert!(matches!(
        s.send(&chat(10), &text("b")).await,
        Err(SendError::Permanent(_))
    ));
    s.send(&chat(10), &text("b")).await.unwrap();
}

#[tokio::test]
async fn flood_limits_answer_429_with_retry_after() {
    let fake = FakeTelegram::with_options(Options {
        per_chat_limit: Some(Limit {
            max: 1,
            window: Duration::from_secs(100),
        }),
        ..Options::default()
    })
    .await;
    let s = sender(&fake, Duration::from_secs(5));
    s.send(&chat(1), &text("first")).await.unwrap();
    let err = s.send(&chat(1), &text("second")).await.unwrap_err();
    // Whole seconds until the window frees a slot: just under 100, rounded up.
    let SendError::RetryAfter(wait) = err else {
        panic!("{err:?}")
    };
    assert!(
        wait > Duration::from_secs(90) && wait <= Duration::from_secs(100),
        "{wait:?}"
    );
    // Another chat is not affected by this chat's window.
    s.send(&chat(2), &text("other")).await.unwrap();

    // The bot-wide limit: 3 in the window, whatever the chat.
    fake.set_per_chat_limit(None);
    fake.set_global_limit(Some(Limit {
        max: 3,
        window: Duration::from_secs(100),
    }));
    fake.set_retry_after(Some(4));
    s.send(&chat(3), &text("x")).await.unwrap();
    s.send(&chat(4), &text("x")).await.unwrap();
    s.send(&chat(5), &text("x")).await.unwrap();
    assert_eq!(
        s.send(&chat(6), &text("x")).await.unwrap_err(),
        SendError::RetryAfter(Duration::from_secs(4))
    );
    assert_eq!(fake.count_429(), 2);
    assert_eq!(fake.sent().len(), 5);
}

#[tokio::test]
async fn the_group_limit_applies_to_groups_only() {
    let fake = FakeTelegram::with_options(Options {
        group_limit: Some(Limit::per_minute(2)),
        retry_after: Some(0),
        ..Options::default()
    })
    .await;
    let s = sender(&fake, Duration::from_secs(5));
    for _ in 0..3 {
        s.send(&chat(50), &text("private")).await.unwrap();
    }
    s.send(&chat(-50), &text("g")).await.unwrap();
    s.send(&chat(-50), &text("g")).await.unwrap();
    assert_eq!(
        s.send(&chat(-50), &text("g")).await.unwrap_err(),
        SendError::RetryAfter(Duration::ZERO)
    );
}

/// paperboy paced at exactly the platform's limit, over a network whose latency varies:
/// each message reaches the fake 0-100 ms after it left, so arrivals bunch up. The platform
/// counts arrivals, and still no second of them holds one message too many. (A pacer that
/// counted its own sends instead of holding each message until its answer got 429s here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pacing_at_the_limit_holds_when_arrivals_come_late() {
    const RATE: u32 = 40;
    const MESSAGES: i64 = 120;
    let fake = FakeTelegram::with_options(Options {
        global_limit: Some(Limit::per_second(RATE as usize)),
        arrival_delay: Some(Duration::from_millis(100)),
        ..Options::default()
    })
    .await;
    let engine = Arc::new(Engine::new(
        Store::temporary().unwrap(),
        sender(&fake, Duration::from_secs(5)),
        Pace::new(Limits {
            global_per_sec: RATE,
            per_chat_interval: Duration::ZERO,
            group_per_minute: 20,
        }),
        Retry::default(),
    ));
    let sends: Vec<_> = (0..MESSAGES)
        .map(|i| {
            let engine = engine.clone();
            tokio::spawn(async move { engine.send_now(&chat(1000 + i), &text("x")).await })
        })
        .collect();
    for send in sends {
        send.await.unwrap().unwrap().unwrap();
    }
    assert_eq!(fake.sent_count(), MESSAGES as usize);
    assert_eq!(fake.count_429(), 0, "the fake had to refuse some");
}

// ---- the fake: updates and long polling -------------------------------------------------------

async fn get_updates(fake: &FakeTelegram, params: Value) -> (u16, Value) {
    raw_post(fake, "getUpdates", RawBody::Json(params)).await
}

#[tokio::test]
async fn acknowledged_updates_are_not_delivered_again() {
    let fake = FakeTelegram::start().await;
    let alice = TgUser::new(11, "Alice");
    fake.push_text(&TgChat::private(&alice), &alice, "/start");
    fake.push_text(&TgChat::private(&alice), &alice, "/today");
    assert_eq!(fake.pending_updates(), 2);

    let (_, first) = get_updates(&fake, json!({"offset": 0, "timeout": 0})).await;
    let updates = first["result"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["message"]["text"], json!("/start"));
    let last = updates[1]["update_id"].as_i64().unwrap();

    // Without acknowledging, the same updates come again.
    let (_, again) = get_updates(&fake, json!({"timeout": 0})).await;
    assert_eq!(again["result"].as_array().unwrap().len(), 2);

    let (_, after) = get_updates(&fake, json!({"offset": last + 1, "timeout": 0})).await;
    assert_eq!(after["result"], json!([]));
    assert_eq!(fake.pending_updates(), 0);
    fake.wait_updates_acknowledged().await;
}

#[tokio::test]
async fn a_long_poll_is_held_until_an_update_arrives() {
    let fake = std::sync::Arc::new(FakeTelegram::start().await);
    let poller = {
        let fake = fake.clone();
        tokio::spawn(async move { get_updates(&fake, json!({"offset": 0, "timeout": 30})).await })
    };
    // The poll found nothing queued; a fake that did not hold it would have answered [].
    fake.wait_until("the poll to start", |f| f.polls_started() == 1)
        .await;
    let bob = TgUser::new(12, "Bob");
    fake.push_text(&TgChat::private(&bob), &bob, "/help");
    let (status, body) = poller.await.unwrap();
    assert_eq!(status, 200);
    let updates = body["result"].as_array().unwrap();
    assert_eq!(updates.len(), 1, "{body}");
    assert_eq!(updates[0]["message"]["text"], json!("/help"));
}

#[tokio::test]
async fn an_empty_long_poll_ends_with_its_timeout() {
    let fake = FakeTelegram::with_options(Options {
        max_poll_wait: Some(Duration::from_millis(100)),
        ..Options::default()
    })
    .await;
    let (status, body) = get_updates(&fake, json!({"timeout": 50})).await;
    assert_eq!((status, body["result"].clone()), (200, json!([])));
}

#[tokio::test]
async fn a_second_poller_ends_the_first_with_a_conflict() {
    let fake = std::sync::Arc::new(FakeTelegram::start().await);
    let first = {
        let fake = fake.clone();
        tokio::spawn(async move { get_updates(&fake, json!({"timeout": 30})).await })
    };
    fake.wait_until("the first poll", |f| f.polls_started() == 1)
        .await;
    let second = {
        let fake = fake.clone();
        tokio::spawn(async move { get_updates(&fake, json!({"timeout": 30})).await })
    };
    let (status, body) = first.await.unwrap();
    assert_eq!(status, 409);
    assert!(body["description"]
        .as_str()
        .unwrap()
        .starts_with("Conflict: terminated by other getUpdates request"));
    let carol = TgUser::new(13, "Carol");
    fake.push_text(&TgChat::private(&carol), &carol, "hi");
    assert_eq!(
        second.await.unwrap().1["result"].as_array().unwrap().len(),
        1
    );
}

/// The fake's objects must be what teloxide-core 0.13 deserializes, or the command side of
/// the adapter would see `UpdateKind::Error` and parse failures that the real API never
/// causes. This test speaks teloxide directly for that reason only.
#[tokio::test]
async fn teloxide_reads_every_object_the_fake_writes() {
    use teloxide::payloads::setters::*;
    use teloxide::requests::Requester;
    use teloxide::types::{BotCommand, ChatId, UpdateKind, UserId};

    let fake = FakeTelegram::start().await;
    let bot = teloxide::Bot::new(fake.token()).set_api_url(fake.url());

    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), "paperboy_test_bot");
    assert!(bot.get_webhook_info().await.unwrap().url.is_none());
    bot.delete_webhook().await.unwrap();
    bot.set_my_commands([
        BotCommand::new("today", "Today's digest"),
        BotCommand::new("subscribe", "Daily delivery"),
    ])
    .await
    .unwrap();
    assert_eq!(fake.commands()[1].0, "subscribe");
    assert_eq!(bot.get_my_commands().await.unwrap().len(), 2);

    let admin = TgUser::new(21, "Ann").with_username("ann");
    let member = TgUser::new(22, "Max");
    let forum = TgChat::forum(-1001000000021, "ML papers");
    let channel = TgChat::channel(-1001000000022, "Paper feed");
    let basic = TgChat::group(-4021, "Lab");
    fake.set_admins(forum.id(), std::slice::from_ref(&admin));
    fake.push_text(
        &TgChat::private(&admin),
        &admin,
        "/subscribe 08:30 Europe/Berlin",
    );
    fake.push_topic_text(&forum, 42, &member, "/today@paperboy_test_bot");
    fake.push_channel_post(&channel, "/subscribe");
    fake.push_my_chat_member(&basic, &admin, MemberStatus::Left, MemberStatus::Member);
    fake.push_my_chat_member(&basic, &admin, MemberStatus::Member, MemberStatus::Kicked);
    let callback = fake.push_callback_query(&TgChat::private(&admin), &admin, 1, "lang:ko");

    let updates = bot.get_updates().offset(0).timeout(0).await.unwrap();
    assert_eq!(updates.len(), 6);
    for u in &updates {
        assert!(!matches!(u.kind, UpdateKind::Error(_)), "{u:?}");
    }
    let UpdateKind::Message(m) = &updates[0].kind else {
        panic!("{:?}", updates[0])
    };
    assert_eq!(m.text(), Some("/subscribe 08:30 Europe/Berlin"));
    assert!(m.chat.is_private());
    assert_eq!(m.from.as_ref().unwrap().id, UserId(21));
    let UpdateKind::Message(m) = &updates[1].kind else {
        panic!("{:?}", updates[1])
    };
    assert_eq!(m.thread_id.map(|t| t.0 .0), Some(42));
    assert!(m.is_topic_message);
    assert!(m.chat.is_supergroup());
    let UpdateKind::ChannelPost(p) = &updates[2].kind else {
        panic!("{:?}", updates[2])
    };
    assert!(p.chat.is_channel() && p.from.is_none());
    let UpdateKind::MyChatMember(c) = &updates[4].kind else {
        panic!("{:?}", updates[4])
    };
    assert!(c.new_chat_member.kind.is_banned());
    assert!(matches!(updates[5].kind, UpdateKind::CallbackQuery(_)));
    bot.answer_callback_query(callback.into()).await.unwrap();

    let next = updates.last().unwrap().id.as_offset();
    assert!(bot
        .get_updates()
        .offset(next)
        .timeout(0)
        .await
        .unwrap()
        .is_empty());

    let ann = bot
        .get_chat_member(ChatId(forum.id()), UserId(21))
        .await
        .unwrap();
    assert!(ann.kind.is_privileged());
    let max = bot
        .get_chat_member(ChatId(forum.id()), UserId(22))
        .await
        .unwrap();
    assert!(!max.kind.is_privileged());
    let admins = bot
        .get_chat_administrators(ChatId(forum.id()))
        .await
        .unwrap();
    assert!(admins.iter().any(|a| a.user.id == UserId(21)));
    assert!(admins.iter().all(|a| a.user.id != UserId(22)));
    let info = bot.get_chat(ChatId(forum.id())).await.unwrap();
    assert!(info.is_supergroup());
    assert_eq!(info.title(), Some("ML papers"));
    let bot_in_channel = bot
        .get_chat_member(ChatId(channel.id()), UserId(me.id.0))
        .await
        .unwrap();
    assert!(bot_in_channel.kind.is_administrator());
    assert!(bot.get_chat_administrators(ChatId(21)).await.is_err());
}
