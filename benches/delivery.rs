//! Delivery throughput (issue 3): a 5-paper digest (11 Bot API calls) to 2,000 chats through
//! a loopback fake Bot API that enforces Telegram-style limits at 1,000 messages/s overall
//! and 1 message/s per chat, answering 429 to anything beyond them. paperboy is configured
//! at exactly those limits: its pacer counts a message until a second after its answer, so
//! it needs no headroom to stay under them.
//!
//! Reports the sustained rate (criterion's throughput, messages/s) and, after the run, how
//! many 429s the fake had to send (the target is none: paperboy paces itself).
//!
//! Run: `cargo bench --bench delivery` (about 6 minutes with the build: 11 passes of 22,000
//! messages, the first a warm-up).

#[path = "../tests/it/support/telegram_fake/mod.rs"]
#[allow(dead_code)]
mod telegram_fake;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

use paperboy::adapters::{telegram, Couriers};
use paperboy::archive::Archive;
use paperboy::delivery::engine::{Engine, Retry};
use paperboy::delivery::pace::{Limits, Pace};
use paperboy::delivery::pass;
use paperboy::domain::{ChatRef, DeliveryTime, Language, Platform, Subscription};
use paperboy::secret::Secret;
use paperboy::source;
use paperboy::store::Store;
use paperboy::summarize::Backend;

use telegram_fake::{FakeTelegram, Limit, Options};

const CHATS: i64 = 2_000;
/// The fake's limit, as Telegram's would be.
const GLOBAL_PER_SEC: u32 = 1_000;
/// paperboy's configured rate: the limit itself.
const CONFIGURED_PER_SEC: u32 = GLOBAL_PER_SEC;

fn delivery(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts");
    let fake = runtime.block_on(FakeTelegram::with_options(Options {
        global_limit: Some(Limit::per_second(GLOBAL_PER_SEC as usize)),
        per_chat_limit: Some(Limit::per_second(1)),
        check_html: false,
        ..Options::default()
    }));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/hf/daily_papers_2026-06-12.json"
    );
    let papers = source::parse_day(&std::fs::read(path).expect("recorded day")).expect("valid day");
    let day = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .expect("a date");
    let sender = telegram::Sender::new(
        &Secret::new(fake.token()),
        &fake.url(),
        Duration::from_secs(10),
    )
    .expect("a sender");
    let limits = Limits {
        global_per_sec: CONFIGURED_PER_SEC,
        per_chat_interval: Duration::from_millis(1000),
        group_per_minute: 20,
    };

    let mut group = c.benchmark_group("delivery");
    // One pass per sample (a pass is ~22 s): criterion's default linear sampling would run
    // 1 + 2 + ... + 10 passes.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(200));
    group.throughput(Throughput::Elements(CHATS as u64 * 11));
    group.bench_function("5-paper digest to 2,000 chats at 1,000 msg/s", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // A fresh store each time: nobody has the day yet.
                let store = Store::temporary().expect("a store");
                store.put_day(day, &papers, Utc::now()).expect("day stored");
                for i in 0..CHATS {
                    store
                        .put_subscription(&Subscription {
                            chat: ChatRef::telegram(10_000 + i),
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
                        .expect("subscription stored");
                }
                let hf = source::Client::new("http://127.0.0.1:9", Duration::from_secs(1), None)
                    .expect("a client");
                let archive = Archive::new(store.clone(), hf);
                let couriers = Couriers {
                    telegram: Some(sender.clone()),
                    ..Couriers::default()
                };
                let engine = Arc::new(Engine::new(
                    store,
                    couriers,
                    Pace::new(limits),
                    Retry::default(),
                ));
                let options = pass::Options {
                    now: Utc::now(),
                    lookback_days: 7,
                    ignore_schedule: true,
                    date: Some(day),
                    only: None,
                    platforms: vec![Platform::Telegram],
                    concurrency: 4096,
                };
                // The passes reuse the chat ids, and the fake still counts the previous
                // pass's last second; a new pacer cannot know of it (nor could a restarted
                // paperboy). Let that second pass first, untimed.
                std::thread::sleep(Duration::from_millis(1100));
                let start = Instant::now();
                let report = runtime
                    .block_on(pass::run_once(
                        engine,
                        &archive,
                        &Backend::Extractive,
                        &options,
                    ))
                    .expect("the pass runs");
                total += start.elapsed();
                assert_eq!(report.delivered, CHATS as usize, "{report:?}");
            }
            total
        })
    });
    group.finish();
    let sent = fake.sent_count();
    let refused = fake.count_429();
    let (chat, global) = (fake.flood_count("chat"), fake.flood_count("global"));
    println!(
        "delivery: {sent} messages accepted, {refused} answered 429 \
         ({chat} over the per-chat limit, {global} over the global one)"
    );
}

criterion_group!(benches, delivery);
criterion_main!(benches);
