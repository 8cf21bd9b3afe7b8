//! Crash safety of `paperboy send` (issue 3, acceptance 2): a child process delivering a
//! digest to 200 chats through the fake Bot API is killed with SIGKILL at 5 random moments
//! and restarted until it finishes. Every chat must then hold the complete digest, in order,
//! and the only repeats allowed are messages that were in flight at a kill: at most one per
//! chat per kill (a message is recorded only after Telegram accepted it, so the one being
//! sent when the process died is sent again; nothing is ever lost).

use std::collections::HashMap;
use std::time::Duration;

use chrono::{Days, Utc};
use rand::{Rng, SeedableRng};

use paperboy::domain::{ChatRef, DeliveryTime, Language, Subscription};
use paperboy::render::telegram::Call;
use paperboy::store::Store;
use paperboy::summarize::Backend;
use paperboy::{pipeline, render, source};

use crate::support::cli::{paperboy, stderr};
use crate::support::hf;
use crate::support::telegram_fake::{FakeTelegram, Limit, Options};

const CHATS: i64 = 200;
const KILLS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_survives_sigkill_without_losing_or_repeating_messages() {
    let telegram = FakeTelegram::with_options(Options {
        // Telegram's global limit, scaled to the configured 1000/s so the run takes seconds.
        global_limit: Some(Limit::per_second(1000)),
        ..Options::default()
    })
    .await;
    let hf_server = hf::start().await;
    let yesterday = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .unwrap();
    let items = hf::items(12);
    hf::serve_day(&hf_server, yesterday, &items).await;

    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("paperboy.sled");
    {
        let store = Store::open(&store_path, 16).unwrap();
        for i in 0..CHATS {
            store
                .put_subscription(&Subscription {
                    chat: ChatRef::telegram(1000 + i),
                    time: DeliveryTime::default(),
                    timezone: chrono_tz::UTC,
                    top_n: 5,
                    language: Language::ENGLISH,
                    is_active: true,
                    consecutive_failures: 0,
                    inactive_reason: None,
                    created_at: Utc::now(),
                    last_delivered: None,
                })
                .unwrap();
        }
        store.flush().await.unwrap();
    }

    // What every chat must end up with, computed here from the same day.
    let papers = source::parse_day(&serde_json::to_vec(&items).unwrap()).unwrap();
    let digest = pipeline::build_digest(
        yesterday,
        &papers,
        5,
        Language::ENGLISH,
        &Backend::Extractive,
    )
    .await;
    let expected: Vec<String> = render::telegram::messages(&digest)
        .into_iter()
        .map(|call| match call {
            Call::SendMessage { text, .. } => text,
            Call::SendPhoto { caption, .. } => caption,
            Call::SendMediaGroup { media } => media[0].caption.clone(),
        })
        .collect();
    assert_eq!(expected.len(), 11);

    let command = || {
        let mut cmd = paperboy(dir.path());
        cmd.arg("send")
            .env("PAPERBOY_TELEGRAM_TOKEN", telegram.token())
            .env("PAPERBOY_TELEGRAM__API_URL", telegram.api_url())
            .env("PAPERBOY_TELEGRAM__GLOBAL_PER_SEC", "1000")
            .env("PAPERBOY_TELEGRAM__PER_CHAT_INTERVAL_MS", "0")
            .env("PAPERBOY_TELEGRAM__GROUP_PER_MINUTE", "1000")
            .env("PAPERBOY_SOURCE__HF_BASE_URL", hf_server.uri())
            .env("PAPERBOY_STORE__PATH", &store_path)
            .env("PAPERBOY_DELIVERY__BACKOFF_BASE_MS", "10")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        cmd
    };

    let mut rng = rand::rngs::StdRng::seed_from_u64(20260120);
    let mut kills = 0;
    while kills < KILLS {
        let sent_before = telegram.sent_count();
        let mut child = command().spawn().expect("paperboy starts");
        // Kill once it is sending: after a random number of further messages.
        let after = rng.gen_range(20..300);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if child.try_wait().unwrap().is_some() || tokio::time::Instant::now() > deadline {
                break;
            }
            if telegram.sent_count() >= sent_before + after {
                child.kill().unwrap(); // SIGKILL on unix
                kills += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let status = child.wait().unwrap();
        if status.success() {
            break; // finished before the kill: nothing left to interrupt
        }
    }
    assert!(kills >= 3, "only {kills} kills landed while sending");

    // Run to completion.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let out = tokio::task::spawn_blocking({
            let mut cmd = command();
            move || cmd.output().unwrap()
        })
        .await
        .unwrap();
        if out.status.success() {
            break;
        }
        assert!(attempts < 5, "send keeps failing: {}", stderr(&out));
    }

    let mut duplicates_per_chat: HashMap<i64, usize> = HashMap::new();
    for i in 0..CHATS {
        let chat = 1000 + i;
        let got: Vec<String> = telegram
            .sent_to(chat)
            .into_iter()
            .map(|s| s.text.unwrap_or_default())
            .collect();
        // Drop immediate repeats (a message re-sent after a kill); what is left is the digest.
        let mut deduped = got.clone();
        deduped.dedup();
        assert_eq!(
            deduped, expected,
            "chat {chat} did not get the digest in order"
        );
        let duplicates = got.len() - deduped.len();
        assert!(
            duplicates <= kills,
            "chat {chat}: {duplicates} repeats after {kills} kills"
        );
        duplicates_per_chat.insert(chat, duplicates);
    }
    let total: usize = duplicates_per_chat.values().sum();
    eprintln!("crash test: {kills} kills, {total} repeated messages over {CHATS} chats");

    // A further run sends nothing: every chat has the day.
    let before = telegram.sent_count();
    let out = tokio::task::spawn_blocking({
        let mut cmd = command();
        move || cmd.output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        telegram.sent_count(),
        before,
        "a finished day was sent again"
    );
}
