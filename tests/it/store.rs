//! Integration tests: store.
//!
//! The store on a real directory: reopening, the process lock, export and import, moving a
//! chat, damaged records and a database from a newer paperboy.

use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use paperboy::domain::{
    ChatRef, DeliveryTime, Language, Paper, Subscription, Summary, SummaryOrigin,
};
use paperboy::store::{Error, LedgerItem, Store, StoredRule, SummaryKey, SCHEMA_VERSION};
use serde_json::Value;

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a valid November day")
}

fn subscription(chat: ChatRef) -> Subscription {
    Subscription {
        chat,
        time: DeliveryTime::parse("08:30").unwrap(),
        timezone: chrono_tz::America::New_York,
        top_n: 5,
        language: Language::KOREAN,
        is_active: true,
        consecutive_failures: 1,
        inactive_reason: None,
        created_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
        last_delivered: Some(date(23)),
    }
}

fn paper(id: &str) -> Paper {
    Paper {
        id: id.to_string(),
        title: format!("Paper {id}"),
        abstract_text: "We study things. We find results.".to_string(),
        authors: vec!["Ada Lovelace".to_string(), "이순신".to_string()],
        upvotes: 42,
        thumbnail: Paper::default_thumbnail(id),
        published_at: Some(Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap()),
        submitted_on: Some(date(24)),
        ai_summary: Some("A summary.".to_string()),
        ai_keywords: vec!["diffusion".to_string()],
        github_repo: Some("https://github.com/a/b".to_string()),
        github_stars: Some(7),
        project_page: None,
        organization: Some("Org".to_string()),
        num_comments: 3,
    }
}

fn summary_key(paper_id: &str) -> SummaryKey {
    SummaryKey {
        paper_id: paper_id.to_string(),
        language: Language::KOREAN,
        model: "gpt-4o-mini".to_string(),
        prompt_version: 2,
    }
}

fn sample_summary() -> Summary {
    Summary {
        summary: "요약입니다.".to_string(),
        abstract_text: "초록".to_string(),
        key_points: vec!["하나".into(), "둘".into(), "셋".into()],
        origin: SummaryOrigin::Llm {
            model: "gpt-4o-mini".to_string(),
        },
    }
}

fn rule(text: &str) -> StoredRule {
    StoredRule {
        text: text.to_string(),
        created_at: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

/// Puts at least one record in every tree, through the public API only.
async fn fill(store: &Store) {
    let group = ChatRef::parse("telegram:-1001234/42").unwrap();
    let person = ChatRef::telegram(1234);
    let webhook = ChatRef::parse("discord-webhook:https://discord.com/api/webhooks/1/a b").unwrap();
    for chat in [&group, &person, &webhook] {
        store.put_subscription(&subscription(chat.clone())).unwrap();
    }
    store
        .update_subscription(&person, |s| s.is_active = false)
        .unwrap();
    for part in 0..3 {
        store
            .record(
                &group,
                &LedgerItem::DigestPart {
                    date: date(24),
                    part,
                },
            )
            .await
            .unwrap();
    }
    store
        .record(&group, &LedgerItem::DigestDone { date: date(24) })
        .await
        .unwrap();
    assert!(store
        .record_once(
            &person,
            &LedgerItem::Alert {
                paper_id: "2611.00001".into()
            }
        )
        .unwrap());
    let fetched = Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap();
    store
        .put_day(
            date(24),
            &[paper("2611.00001"), paper("2611.00002")],
            fetched,
        )
        .unwrap();
    store.put_day(date(22), &[], fetched).unwrap();
    store
        .put_summary(&summary_key("2611.00001"), &sample_summary())
        .unwrap();
    store.add_tokens(date(24), 1500).unwrap();
    store
        .put_photo_file_id(&Paper::default_thumbnail("2611.00001"), "AgADfile")
        .unwrap();
    store
        .put_alert_rules(&person, &[rule("diffusion model"), rule("author:\"Ada\"")])
        .unwrap();
    store.set_alerts_paused(&person, true).unwrap();
    store
        .set_last_today(&group, Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap())
        .unwrap();
    store.flush().await.unwrap();
}

fn export(store: &Store) -> Value {
    let mut out = Vec::new();
    let summary = store.export(&mut out).unwrap();
    assert_eq!(summary.skipped, 0, "{summary}");
    serde_json::from_slice(&out).unwrap()
}

#[tokio::test]
async fn fill_touches_every_tree() {
    let store = Store::temporary().unwrap();
    fill(&store).await;
    let mut out = Vec::new();
    let summary = store.export(&mut out).unwrap();
    for (tree, n) in &summary.per_tree {
        assert!(
            *n > 0,
            "tree {tree} is empty: the round-trip tests would miss it"
        );
    }
}

#[tokio::test]
async fn reopen_after_drop_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/paperboy.db");
    let before = {
        let store = Store::open(&path, 16).unwrap();
        fill(&store).await;
        export(&store)
    };
    let store = Store::open(&path, 16).unwrap();
    assert_eq!(export(&store)["records"], before["records"]);
    let group = ChatRef::parse("telegram:-1001234/42").unwrap();
    assert_eq!(store.recorded_parts(&group, date(24)).unwrap(), [0, 1, 2]);
    assert!(store.alerts_paused(&ChatRef::telegram(1234)).unwrap());
}

#[test]
fn a_second_open_in_the_same_process_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _first = Store::open(&path, 16).unwrap();
    let err = Store::open(&path, 16).expect_err("the second open must fail");
    assert!(
        matches!(&err, Error::Locked { path: p } if p == &path),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("another paperboy process"),
        "{err}"
    );
}

const LOCK_PROBE_ENV: &str = "PAPERBOY_TEST_STORE_LOCK_PROBE";

#[test]
fn a_second_process_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _held = Store::open(&path, 16).unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["store::lock_probe", "--exact", "--ignored", "--nocapture"])
        .env(LOCK_PROBE_ENV, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("lock probe: locked:"), "{stdout}");
    assert!(stdout.contains("another paperboy process"), "{stdout}");
}

/// Runs in the child process of `a_second_process_is_locked_out`.
#[test]
#[ignore = "a helper: a_second_process_is_locked_out runs it in a child process"]
fn lock_probe() {
    let path = std::env::var_os(LOCK_PROBE_ENV).expect("run by a_second_process_is_locked_out");
    match Store::open(Path::new(&path), 16) {
        Err(err @ Error::Locked { .. }) => println!("lock probe: locked: {err}"),
        Err(other) => panic!("expected Error::Locked, got {other:?}"),
        Ok(_) => panic!("opened a database another process holds"),
    }
}

#[tokio::test]
async fn export_then_import_round_trips_every_record() {
    let source = Store::temporary().unwrap();
    fill(&source).await;
    let mut file = Vec::new();
    source.export(&mut file).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let target = Store::open(&dir.path().join("copy"), 16).unwrap();
    let summary = target.import(file.as_slice()).unwrap();
    assert_eq!(summary.replaced, 0);
    // Every record but the schema version, which the target already has.
    assert_eq!(summary.unchanged, 1);
    let total: usize = export(&source)["records"]
        .as_object()
        .unwrap()
        .values()
        .map(|list| list.as_array().unwrap().len())
        .sum();
    assert_eq!(summary.inserted as usize, total - 1);

    assert_eq!(export(&target)["records"], export(&source)["records"]);
    assert_eq!(
        target.subscriptions().unwrap(),
        source.subscriptions().unwrap()
    );
    assert_eq!(
        target.summary(&summary_key("2611.00001")).unwrap(),
        Some(sample_summary())
    );
    assert_eq!(target.days().unwrap(), [date(22), date(24)]);
}

#[tokio::test]
async fn import_twice_changes_nothing_the_second_time() {
    let source = Store::temporary().unwrap();
    fill(&source).await;
    let mut file = Vec::new();
    source.export(&mut file).unwrap();

    let target = Store::temporary().unwrap();
    let first = target.import(file.as_slice()).unwrap();
    let after_first = export(&target);
    let second = target.import(file.as_slice()).unwrap();
    assert_eq!(second.inserted, 0);
    assert_eq!(second.replaced, 0);
    assert_eq!(second.unchanged, first.inserted + first.unchanged);
    assert_eq!(export(&target), after_first);
}

#[tokio::test]
async fn import_replaces_what_differs() {
    let source = Store::temporary().unwrap();
    fill(&source).await;
    let mut file = Vec::new();
    source.export(&mut file).unwrap();

    let target = Store::temporary().unwrap();
    let group = ChatRef::parse("telegram:-1001234/42").unwrap();
    let mut changed = subscription(group.clone());
    changed.top_n = 9;
    target.put_subscription(&changed).unwrap();
    let summary = target.import(file.as_slice()).unwrap();
    assert_eq!(summary.replaced, 1);
    assert_eq!(target.subscription(&group).unwrap().unwrap().top_n, 5);
}

#[tokio::test]
async fn move_chat_moves_everything() {
    let store = Store::temporary().unwrap();
    fill(&store).await;
    let old = ChatRef::telegram(-1234);
    let new = ChatRef::telegram(-1009999);
    store.put_subscription(&subscription(old.clone())).unwrap();
    store
        .record(
            &old,
            &LedgerItem::DigestPart {
                date: date(24),
                part: 0,
            },
        )
        .await
        .unwrap();
    store
        .record(&old, &LedgerItem::DigestDone { date: date(23) })
        .await
        .unwrap();
    store.put_alert_rules(&old, &[rule("rlhf")]).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
    store.set_last_today(&old, at).unwrap();
    let others_before = store.subscriptions().unwrap().len();

    store.move_chat(&old, &new).unwrap();
    store.flush().await.unwrap();

    assert_eq!(store.subscription(&old).unwrap(), None);
    let moved = store.subscription(&new).unwrap().unwrap();
    assert_eq!(moved.chat, new);
    assert_eq!(moved.top_n, 5);
    assert!(store.ledger(&old).unwrap().is_empty());
    assert!(store
        .is_recorded(&new, &LedgerItem::DigestDone { date: date(23) })
        .unwrap());
    assert_eq!(store.recorded_parts(&new, date(24)).unwrap(), [0]);
    assert!(store.alert_rules(&old).unwrap().is_empty());
    assert_eq!(store.alert_rules(&new).unwrap(), [rule("rlhf")]);
    assert_eq!(store.last_today(&new).unwrap(), Some(at));
    assert_eq!(store.last_today(&old).unwrap(), None);
    assert_eq!(store.subscriptions().unwrap().len(), others_before);
    // The other chats are untouched.
    let group = ChatRef::parse("telegram:-1001234/42").unwrap();
    assert_eq!(store.recorded_parts(&group, date(24)).unwrap(), [0, 1, 2]);
}

#[test]
fn record_once_is_true_once() {
    let store = Store::temporary().unwrap();
    let person = ChatRef::telegram(77);
    let item = LedgerItem::Alert {
        paper_id: "2611.00003".into(),
    };
    let claims: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| store.record_once(&person, &item).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(claims.iter().filter(|c| **c).count(), 1, "{claims:?}");
    assert!(!store.record_once(&person, &item).unwrap());
    assert!(store.is_recorded(&person, &item).unwrap());
}

#[tokio::test]
async fn a_corrupted_record_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 16).unwrap();
        fill(&store).await;
        store
            .put_raw_for_test("subscriptions", &"telegram:777".into(), b"\x00\xffnot json")
            .unwrap();
        store
            .put_raw_for_test("days", &"2026-11-23".into(), br#"{"v":1,"papers":"no"}"#)
            .unwrap();
        store.flush().await.unwrap();
    }
    let store = Store::open(&path, 16).unwrap();
    assert_eq!(store.subscriptions().unwrap().len(), 3);
    assert_eq!(store.subscriptions_iter().count(), 3);
    assert_eq!(store.subscription(&ChatRef::telegram(777)).unwrap(), None);
    assert_eq!(store.count_subscriptions(), 4);
    assert_eq!(store.days().unwrap(), [date(22), date(24)]);
    assert_eq!(store.day(date(23)).unwrap(), None);

    let stats = store.stats().unwrap();
    assert_eq!(stats.undecodable(), 2, "{stats}");
    assert_eq!(stats.tree("subscriptions").unwrap().undecodable, 1);
    assert_eq!(stats.tree("days").unwrap().undecodable, 1);
    assert_eq!(stats.active_subscriptions, 2);
    assert_eq!(stats.inactive_subscriptions, 1);
    assert!(stats.to_string().contains("undecodable"));

    let mut out = Vec::new();
    assert_eq!(store.export(&mut out).unwrap().skipped, 2);

    // A put repairs it.
    store
        .put_subscription(&subscription(ChatRef::telegram(777)))
        .unwrap();
    assert_eq!(store.stats().unwrap().undecodable(), 1);
}

#[test]
fn a_newer_schema_version_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 16).unwrap();
        store
            .put_subscription(&subscription(ChatRef::telegram(1)))
            .unwrap();
        store
            .set_schema_version_for_test(SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path, 16).expect_err("a newer schema must be refused");
    assert!(
        matches!(err, Error::SchemaTooNew { found, supported, .. }
            if found == u64::from(SCHEMA_VERSION) + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    assert!(err.to_string().contains("upgrade paperboy"), "{err}");
}

#[test]
fn a_hundred_thousand_subscriptions() {
    const N: i64 = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path, 16).unwrap();
        for id in 0..N {
            store
                .put_subscription(&subscription(ChatRef::telegram(-1_000_000_000_000 - id)))
                .unwrap();
        }
        assert_eq!(store.count_subscriptions(), N as usize);
    }
    let store = Store::open(&path, 16).unwrap();
    let mut seen = 0;
    let mut previous: Option<String> = None;
    for subscription in store.subscriptions_iter() {
        let key = subscription.unwrap().chat.to_string();
        assert!(previous.as_deref() < Some(key.as_str()), "in key order");
        previous = Some(key);
        seen += 1;
    }
    assert_eq!(seen, N);
    if let Some(rss) = resident_kib() {
        eprintln!(
            "resident after iterating {N} subscriptions: {} MiB",
            rss / 1024
        );
    }
}

/// This process's resident set, for the log of the large test (no assertion: the test
/// binary holds other tests' memory too).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Many deliveries record at once (one per chat in a busy pass). Each record waits for a
/// flush; without group commit, concurrent sled flushes took every IO thread and deadlocked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_concurrent_records_all_become_durable() {
    let store = paperboy::store::Store::temporary().unwrap();
    let date: chrono::NaiveDate = "2026-01-20".parse().unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..2000 {
        let store = store.clone();
        tasks.spawn(async move {
            // Like a digest: eleven messages, each recorded (and flushed) after its send.
            let chat = paperboy::domain::ChatRef::telegram(i);
            for part in 0..11 {
                let item = paperboy::store::LedgerItem::DigestPart { date, part };
                store.record(&chat, &item).await.unwrap();
                tokio::task::yield_now().await;
            }
        });
    }
    let all = async { while tasks.join_next().await.is_some() {} };
    tokio::time::timeout(std::time::Duration::from_secs(60), all)
        .await
        .expect("every record completes (no flush deadlock)");
    for i in [0, 999, 1999] {
        let chat = paperboy::domain::ChatRef::telegram(i);
        let item = paperboy::store::LedgerItem::DigestPart { date, part: 10 };
        assert!(store.is_recorded(&chat, &item).unwrap());
    }
}
