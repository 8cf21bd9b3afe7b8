//! Integration tests: the Telegram bot (commands and scheduled delivery) against the fake Bot API.
//!
//! Each test runs the real bot (`adapters::telegram::Bot::serve`, long polling) and the real
//! delivery engine with the real Telegram sender against the loopback fake Bot API, with the
//! HF fake serving the day lists and a temporary store. The bot's clock and each delivery
//! pass's `now` are set by hand, so "09:00 in Seoul" or "the morning after a DST change" are
//! moments a test chooses, not waits.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use paperboy::adapters::telegram::{Bot, Parts, Sender};
use paperboy::archive::Archive;
use paperboy::command::{Defaults, COMMANDS};
use paperboy::delivery::engine::{Engine, Retry};
use paperboy::delivery::pace::{Limits, Pace};
use paperboy::delivery::pass::{self, Report};
use paperboy::domain::subscription::InactiveReason;
use paperboy::domain::{ChatRef, DeliveryTime, Language, Platform, Subscription};
use paperboy::secret::Secret;
use paperboy::store::{LedgerItem, Store};
use paperboy::summarize::Backend;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::telegram_fake::{
    Failure, FakeTelegram, Limit, MemberStatus, Options, Sent, TgChat, TgUser,
};
use crate::support::{eventually, hf};

/// Papers in a digest unless a chat chose otherwise: a digest is then 1 + 2·3 messages.
const TOP_N: u8 = 3;
const DIGEST_LEN: usize = 1 + 2 * TOP_N as usize;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test instants are RFC 3339")
        .with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    hf::date(s)
}

/// How a test's world is set up.
struct Setup {
    telegram: Options,
    /// The sender's limit on one Bot API call.
    sender_timeout: Duration,
    retry: Retry,
    limits: Limits,
    /// Days served with papers (5 each); every other day is served empty.
    days_with_papers: Vec<NaiveDate>,
    /// The bot's clock at start.
    now: DateTime<Utc>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            telegram: Options::default(),
            sender_timeout: Duration::from_secs(5),
            retry: Retry {
                max_attempts: 3,
                backoff_base: Duration::from_millis(1),
                backoff_max: Duration::from_millis(10),
                failures_before_inactive: 3,
                max_rate_limited: 10,
            },
            limits: Limits {
                global_per_sec: 1000,
                per_chat_interval: Duration::ZERO,
                group_per_minute: 10_000,
            },
            days_with_papers: vec![day("2026-01-20")],
            now: at("2026-01-21T10:00:00Z"),
        }
    }
}

/// The bot serving against the fakes, and what the tests look at.
struct Harness {
    tg: FakeTelegram,
    _hf: MockServer,
    store: Store,
    engine: Arc<Engine<Sender>>,
    archive: Archive,
    clock: Arc<Mutex<DateTime<Utc>>>,
    stop: watch::Sender<bool>,
    serving: JoinHandle<anyhow::Result<()>>,
}

fn defaults() -> Defaults {
    Defaults {
        time: DeliveryTime::parse("09:00").unwrap(),
        timezone: chrono_tz::UTC,
        top_n: TOP_N,
        language: Language::ENGLISH,
        has_llm: false,
        today_cooldown: chrono::Duration::minutes(1),
    }
}

impl Harness {
    async fn start(setup: Setup) -> Harness {
        let tg = FakeTelegram::with_options(setup.telegram).await;
        let hf_server = hf::start().await;
        for d in &setup.days_with_papers {
            hf::serve_day(&hf_server, *d, &hf::items(5)).await;
        }
        // Every other day has no papers (the mocks above take precedence).
        Mock::given(method("GET"))
            .and(path(hf::DAY_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .with_priority(10)
            .mount(&hf_server)
            .await;

        let store = Store::temporary().unwrap();
        let token = Secret::new(tg.token());
        let sender = Sender::new(&token, &tg.url(), setup.sender_timeout).unwrap();
        let engine = Arc::new(Engine::new(
            store.clone(),
            sender,
            Pace::new(setup.limits),
            setup.retry,
        ));
        let archive = Archive::new(store.clone(), hf::client(&hf_server));
        let clock = Arc::new(Mutex::new(setup.now));
        let read_clock = clock.clone();
        let bot = Bot::new(
            &token,
            &tg.url(),
            Duration::from_secs(5),
            Parts {
                archive: archive.clone(),
                backend: Backend::Extractive,
                defaults: defaults(),
                engine: engine.clone(),
                lookback_days: 7,
                owner_ids: Vec::new(),
            },
        )
        .unwrap()
        .with_poll_timeout(Duration::from_secs(5))
        .with_backoff(Duration::from_millis(10), Duration::from_millis(100))
        .with_clock(Arc::new(move || *read_clock.lock().unwrap()));
        let (stop, stop_rx) = watch::channel(false);
        let serving = tokio::spawn(bot.serve(stop_rx));
        Harness {
            tg,
            _hf: hf_server,
            store,
            engine,
            archive,
            clock,
            stop,
            serving,
        }
    }

    fn set_now(&self, now: DateTime<Utc>) {
        *self.clock.lock().unwrap() = now;
    }

    /// One scheduled delivery pass at `now`.
    async fn pass(&self, now: &str) -> Report {
        let options = pass::Options {
            now: at(now),
            lookback_days: 7,
            ignore_schedule: false,
            date: None,
            only: None,
            platforms: vec![Platform::Telegram],
            concurrency: 8,
        };
        pass::run_once(
            self.engine.clone(),
            &self.archive,
            &Backend::Extractive,
            &options,
        )
        .await
        .unwrap()
    }

    fn sub(&self, chat: &ChatRef) -> Option<Subscription> {
        self.store.subscription(chat).unwrap()
    }

    /// Sends `text` as `from` in `chat` and waits for the chat's next message; returns it.
    async fn ask(&self, chat: &TgChat, from: &TgUser, text: &str) -> Sent {
        let before = self.tg.sent_count_to(chat.id());
        self.tg.push_text(chat, from, text);
        self.next_to(chat.id(), before).await
    }

    /// Waits for the message after the first `before` ones in chat `id`.
    async fn next_to(&self, id: i64, before: usize) -> Sent {
        let sent = self.tg.wait_sent_to(id, before + 1).await;
        sent[before].clone()
    }

    /// Stops the bot and checks that it ended cleanly; the fake stays for a last look.
    async fn finish(self) -> FakeTelegram {
        self.stop.send(true).unwrap();
        let result = tokio::time::timeout(Duration::from_secs(10), self.serving)
            .await
            .expect("serve ends after the stop signal")
            .expect("serve does not panic");
        result.expect("serve ends without an error");
        self.tg
    }
}

fn text(sent: &Sent) -> &str {
    sent.text.as_deref().unwrap_or_default()
}

fn user(id: i64, name: &str) -> TgUser {
    TgUser::new(id, name)
}

fn chat_ref(chat: &TgChat) -> ChatRef {
    ChatRef::telegram(chat.id())
}

/// The sends that make up one digest: a header message, then a photo and a message per paper.
fn assert_digest(sends: &[Sent], date: &str) {
    assert_eq!(sends.len(), DIGEST_LEN, "{sends:#?}");
    assert_eq!(sends[0].method, "sendMessage");
    assert!(
        text(&sends[0]).contains(&format!("{date} Daily Papers")),
        "{}",
        text(&sends[0])
    );
    for pair in sends[1..].chunks(2) {
        assert_eq!(pair[0].method, "sendPhoto", "{pair:#?}");
        assert_eq!(pair[1].method, "sendMessage", "{pair:#?}");
    }
}

// ---- commands -------------------------------------------------------------------------------

#[tokio::test]
async fn subscribes_from_a_private_chat_and_registers_the_menu() {
    let h = Harness::start(Setup::default()).await;
    let ada = user(1001, "Ada");
    let chat = TgChat::private(&ada);

    let reply = h.ask(&chat, &ada, "/subscribe 07:15 Europe/Berlin").await;
    // Clock: Wed 2026-01-21 10:00 UTC, 11:00 in Berlin: the next 07:15 there is Thursday.
    assert!(text(&reply).starts_with("Subscribed."), "{}", text(&reply));
    assert!(
        text(&reply).contains("Next digest: Thu 2026-01-22 07:15 Europe/Berlin"),
        "{}",
        text(&reply)
    );
    assert_eq!(reply.message_thread_id, None);
    let sub = h.sub(&chat_ref(&chat)).expect("subscribed");
    assert!(sub.is_active);
    assert_eq!(sub.time.to_string(), "07:15");
    assert_eq!(sub.timezone, chrono_tz::Europe::Berlin);
    assert_eq!(sub.top_n, TOP_N);

    // Started properly: webhook removed, every command in the menu.
    assert!(!h.tg.requests_for("deleteWebhook").is_empty());
    let menu: Vec<String> = h.tg.commands().into_iter().map(|(c, _)| c).collect();
    let expected: Vec<String> = COMMANDS.iter().map(|(c, _, _)| c.to_string()).collect();
    assert_eq!(menu, expected);
    h.finish().await;
}

#[tokio::test]
async fn a_person_is_answered_in_their_apps_language_until_they_choose_one() {
    let h = Harness::start(Setup::default()).await;
    let mut min = user(1501, "민수");
    min.language_code = Some("ko".into());
    let chat = TgChat::private(&min);

    let start = h.ask(&chat, &min, "/start").await;
    assert!(text(&start).contains("썸네일"), "{}", text(&start));
    let subscribed = h.ask(&chat, &min, "/subscribe 08:00 Asia/Seoul").await;
    assert!(
        text(&subscribed).starts_with("구독했습니다."),
        "{}",
        text(&subscribed)
    );
    let sub = h.sub(&chat_ref(&chat)).unwrap();
    assert_eq!(
        sub.language,
        Language::KOREAN,
        "the digest starts in Korean"
    );

    // Their choice wins over the app's language from then on.
    h.ask(&chat, &min, "/lang en").await;
    let settings = h.ask(&chat, &min, "/settings").await;
    assert!(
        text(&settings).starts_with("Top 3 papers"),
        "{}",
        text(&settings)
    );

    // In a group, one member's app language says nothing about the others.
    let group = TgChat::supergroup(-100_150, "Lab");
    h.tg.set_admins(group.id(), std::slice::from_ref(&min));
    let answer = h.ask(&group, &min, "/subscribe").await;
    assert!(
        text(&answer).starts_with("Subscribed."),
        "{}",
        text(&answer)
    );
    h.finish().await;
}

#[tokio::test]
async fn a_group_admin_subscribes_and_a_member_is_refused() {
    let h = Harness::start(Setup::default()).await;
    let group = TgChat::supergroup(-100_200, "Reading group");
    let admin = user(2001, "Admin");
    let member = user(2002, "Member");
    h.tg.set_admins(group.id(), std::slice::from_ref(&admin));

    let refused = h.ask(&group, &member, "/subscribe").await;
    assert!(
        text(&refused).contains("only administrators"),
        "{}",
        text(&refused)
    );
    assert_eq!(h.sub(&chat_ref(&group)), None, "nothing was stored");

    let ok = h.ask(&group, &admin, "/subscribe 10:00").await;
    assert!(text(&ok).starts_with("Subscribed."), "{}", text(&ok));
    let sub = h.sub(&chat_ref(&group)).expect("subscribed");
    assert!(sub.is_active);
    assert_eq!(sub.time.to_string(), "10:00");

    // Anyone may read the settings; only administrators change them.
    let settings = h.ask(&group, &member, "/settings").await;
    assert!(
        text(&settings).contains("Top 3 papers at 10:00 UTC"),
        "{}",
        text(&settings)
    );
    let refused = h.ask(&group, &member, "/top 5").await;
    assert!(text(&refused).contains("only administrators"));
    assert_eq!(h.sub(&chat_ref(&group)).unwrap().top_n, TOP_N);
    h.finish().await;
}

#[tokio::test]
async fn anonymous_admins_may_manage_but_channels_posting_into_a_group_may_not() {
    let h = Harness::start(Setup::default()).await;
    let group = TgChat::supergroup(-100_300, "Lab");
    let linked = TgChat::channel(-100_301, "Lab news");
    let push_as = |sender: &TgChat, id: i32, text: &str| {
        let anonymous = json!({"id": 1_087_968_824i64, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
        h.tg.push_update(json!({"message": {
            "message_id": id,
            "from": anonymous,
            "sender_chat": sender.json(),
            "chat": group.json(),
            "date": 1_768_989_600,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": text.split(' ').next().unwrap().len()}],
        }}));
    };

    push_as(&group, 1, "/subscribe 06:00");
    let reply = h.next_to(group.id(), 0).await;
    assert!(text(&reply).starts_with("Subscribed."), "{}", text(&reply));

    push_as(&linked, 2, "/top 4");
    let reply = h.next_to(group.id(), 1).await;
    assert!(
        text(&reply).contains("only administrators"),
        "{}",
        text(&reply)
    );
    let sub = h.sub(&chat_ref(&group)).unwrap();
    assert_eq!(
        (sub.time.to_string(), sub.top_n),
        ("06:00".to_string(), TOP_N)
    );
    h.finish().await;
}

#[tokio::test]
async fn a_channel_post_subscribes_the_channel() {
    let h = Harness::start(Setup::default()).await;
    let channel = TgChat::channel(-100_400, "Papers daily");
    h.tg.push_channel_post(&channel, "/subscribe 08:00 Asia/Seoul");
    let reply = h.next_to(channel.id(), 0).await;
    assert!(text(&reply).starts_with("Subscribed."), "{}", text(&reply));
    let sub = h.sub(&chat_ref(&channel)).expect("subscribed");
    assert!(sub.is_active);
    assert_eq!(sub.timezone, chrono_tz::Asia::Seoul);
    h.finish().await;
}

#[tokio::test]
async fn time_with_a_zone_names_the_next_digest_in_that_zone() {
    let h = Harness::start(Setup::default()).await;
    let kim = user(1101, "Kim");
    let chat = TgChat::private(&kim);
    h.ask(&chat, &kim, "/subscribe").await;

    let reply = h.ask(&chat, &kim, "/time 08:30 Asia/Seoul").await;
    // 10:00 UTC is 19:00 in Seoul: the next 08:30 there is the next morning.
    assert!(
        text(&reply).starts_with("Delivery time set."),
        "{}",
        text(&reply)
    );
    assert!(
        text(&reply).contains("Next digest: Thu 2026-01-22 08:30 Asia/Seoul"),
        "{}",
        text(&reply)
    );
    let sub = h.sub(&chat_ref(&chat)).unwrap();
    assert_eq!(sub.time.to_string(), "08:30");
    assert_eq!(sub.timezone, chrono_tz::Asia::Seoul);
    assert!(sub.is_active);
    h.finish().await;
}

#[tokio::test]
async fn bad_arguments_answer_with_usage_and_unknown_commands_only_in_private() {
    let h = Harness::start(Setup::default()).await;
    let ada = user(1201, "Ada");
    let chat = TgChat::private(&ada);
    for (command, needle) in [
        ("/time 25:00", "usage: /time HH:MM [Area/City]"),
        ("/top 11", "usage: /top N"),
        ("/lang xx", "unknown language"),
        ("/subscribe 09:00 Mars/Base", "unknown time zone"),
        ("/today yesterday", "usage: /today [YYYY-MM-DD]"),
    ] {
        let reply = h.ask(&chat, &ada, command).await;
        assert!(text(&reply).contains(needle), "{command}: {}", text(&reply));
    }
    for chatter in ["/frobnicate", "hello there"] {
        let reply = h.ask(&chat, &ada, chatter).await;
        assert!(
            text(&reply).contains("/help"),
            "{chatter}: {}",
            text(&reply)
        );
    }

    // In a group, talk and other bots' commands get no answer: the first reply there is the
    // one to /settings, which was sent after them.
    let group = TgChat::supergroup(-100_500, "Busy group");
    let member = user(1202, "Member");
    for chatter in ["/frobnicate", "hello", "/settings@some_other_bot"] {
        h.tg.push_text(&group, &member, chatter);
    }
    let reply = h.ask(&group, &member, "/settings").await;
    assert!(
        text(&reply).starts_with("This chat is not subscribed"),
        "{}",
        text(&reply)
    );
    assert_eq!(h.tg.sent_count_to(group.id()), 1);
    // A usage error is an answer to paperboy's own command, so it is answered in groups too.
    let reply = h.ask(&group, &member, "/top lots").await;
    assert!(text(&reply).contains("usage: /top N"), "{}", text(&reply));
    h.finish().await;
}

#[tokio::test]
async fn today_sends_the_latest_digest_once_a_minute() {
    let h = Harness::start(Setup::default()).await;
    let ada = user(1301, "Ada");
    let chat = TgChat::private(&ada);

    // Wednesday 10:00 UTC: today's list is still empty, yesterday's has papers.
    h.tg.push_text(&chat, &ada, "/today");
    let digest = h.tg.wait_sent_to(chat.id(), DIGEST_LEN).await;
    assert_digest(&digest, "2026-01-20");
    assert!(
        text(&digest[0]).contains("today (2026-01-21 UTC) yet: here is 2026-01-20"),
        "{}",
        text(&digest[0])
    );
    assert!(digest.iter().all(|s| s.message_thread_id.is_none()));

    let refused = h.ask(&chat, &ada, "/today").await;
    assert!(
        text(&refused).contains("once a minute"),
        "{}",
        text(&refused)
    );
    assert_eq!(h.tg.sent_count_to(chat.id()), DIGEST_LEN + 1);

    // A minute later it works again, here for a chosen day (no note: the day was asked for).
    h.set_now(at("2026-01-21T10:01:01Z"));
    h.tg.push_text(&chat, &ada, "/today 2026-01-20");
    let sent = h.tg.wait_sent_to(chat.id(), 2 * DIGEST_LEN + 1).await;
    assert_digest(&sent[DIGEST_LEN + 1..], "2026-01-20");
    assert!(!text(&sent[DIGEST_LEN + 1]).contains("yet: here is"));
    h.finish().await;
}

#[tokio::test]
async fn a_finished_day_asked_with_today_is_not_scheduled_again_but_a_growing_one_is() {
    let h = Harness::start(Setup {
        days_with_papers: vec![day("2026-01-20"), day("2026-01-21")],
        now: at("2026-01-21T08:00:00Z"),
        ..Setup::default()
    })
    .await;
    let ada = user(1401, "Ada");
    let chat = TgChat::private(&ada);
    let ada_ref = chat_ref(&chat);
    h.ask(&chat, &ada, "/subscribe 09:00 UTC").await;
    let before = h.tg.sent_count_to(chat.id());

    // 08:00: `/today 2026-01-20`, a finished day, an hour before the scheduled digest.
    h.tg.push_text(&chat, &ada, "/today 2026-01-20");
    let sent = h.tg.wait_sent_to(chat.id(), before + DIGEST_LEN).await;
    assert_digest(&sent[before..], "2026-01-20");
    eventually("the day counted as delivered", || {
        h.sub(&ada_ref).unwrap().last_delivered == Some(day("2026-01-20"))
    })
    .await;
    // 09:00: that day is what the schedule would bring; it does not come twice.
    let report = h.pass("2026-01-21T09:00:00Z").await;
    assert_eq!(report.due, 0, "{report:?}");
    assert_eq!(h.tg.sent_count_to(chat.id()), before + DIGEST_LEN);

    // Today's own list (still growing) asked for by date is not counted: tomorrow's digest
    // of it comes as scheduled.
    h.set_now(at("2026-01-21T12:00:00Z"));
    h.tg.push_text(&chat, &ada, "/today 2026-01-21");
    h.tg.wait_sent_to(chat.id(), before + 2 * DIGEST_LEN).await;
    let report = h.pass("2026-01-22T09:00:00Z").await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let sent = h.tg.sent_to(chat.id());
    assert_digest(&sent[before + 2 * DIGEST_LEN..], "2026-01-21");

    // A chat with no subscription records nothing.
    let bob = user(1402, "Bob");
    let bob_chat = TgChat::private(&bob);
    h.tg.push_text(&bob_chat, &bob, "/today 2026-01-20");
    h.tg.wait_sent_to(bob_chat.id(), DIGEST_LEN).await;
    assert_eq!(h.sub(&chat_ref(&bob_chat)), None);
    assert!(h.store.ledger(&chat_ref(&bob_chat)).unwrap().is_empty());
    h.finish().await;
}

#[tokio::test]
async fn today_without_papers_says_which_days_it_tried() {
    let h = Harness::start(Setup {
        days_with_papers: Vec::new(),
        ..Setup::default()
    })
    .await;
    let ada = user(1401, "Ada");
    let chat = TgChat::private(&ada);
    let reply = h.ask(&chat, &ada, "/today").await;
    assert!(
        text(&reply).contains("No papers since 2026-01-14 (weekend?)"),
        "{}",
        text(&reply)
    );

    let bob = user(1402, "Bob");
    let chat = TgChat::private(&bob);
    let reply = h.ask(&chat, &bob, "/today 2026-01-18").await;
    assert!(
        text(&reply).contains("No papers on 2026-01-18 (weekend?)"),
        "{}",
        text(&reply)
    );

    let cy = user(1403, "Cy");
    let chat = TgChat::private(&cy);
    let reply = h.ask(&chat, &cy, "/today 2026-02-01").await;
    assert!(
        text(&reply).contains("has not happened yet"),
        "{}",
        text(&reply)
    );
    h.finish().await;
}

#[tokio::test]
async fn a_subscription_in_a_forum_topic_delivers_into_the_topic() {
    let h = Harness::start(Setup::default()).await;
    let forum = TgChat::forum(-100_600, "ML forum");
    let admin = user(1501, "Admin");
    h.tg.set_admins(forum.id(), std::slice::from_ref(&admin));

    h.tg.push_topic_text(&forum, 42, &admin, "/subscribe 09:00 UTC");
    let reply = h.next_to(forum.id(), 0).await;
    assert!(text(&reply).starts_with("Subscribed."), "{}", text(&reply));
    assert_eq!(reply.message_thread_id, Some(42));
    let topic = ChatRef::Telegram {
        chat_id: forum.id(),
        thread_id: Some(42),
    };
    assert!(h.sub(&topic).expect("the topic is subscribed").is_active);
    assert_eq!(h.sub(&chat_ref(&forum)), None, "not the whole forum");

    let report = h.pass("2026-01-22T09:00:00Z").await;
    assert_eq!((report.due, report.delivered), (1, 1), "{report:?}");
    let sent = h.tg.sent_to(forum.id());
    assert_digest(&sent[1..], "2026-01-20");
    assert!(
        sent.iter().all(|s| s.message_thread_id == Some(42)),
        "{sent:#?}"
    );
    h.finish().await;
}

// ---- scheduled delivery -------------------------------------------------------------------

#[tokio::test]
async fn delivers_at_local_time_in_three_time_zones() {
    let h = Harness::start(Setup {
        now: at("2026-01-20T23:00:00Z"),
        ..Setup::default()
    })
    .await;
    let zones = [
        (1601, "Asia/Seoul"),
        (1602, "Europe/Berlin"),
        (1603, "America/New_York"),
    ];
    for (id, zone) in zones {
        let u = user(id, zone);
        h.ask(
            &TgChat::private(&u),
            &u,
            &format!("/subscribe 09:00 {zone}"),
        )
        .await;
    }
    let count = |id: i64| h.tg.sent_count_to(id);

    // 09:00 is 00:00Z in Seoul, 08:00Z in Berlin, 14:00Z in New York (winter).
    let steps = [
        ("2026-01-20T23:59:00Z", None),
        ("2026-01-21T00:00:00Z", Some(1601)),
        ("2026-01-21T00:00:00Z", None),
        ("2026-01-21T07:59:00Z", None),
        ("2026-01-21T08:00:00Z", Some(1602)),
        ("2026-01-21T13:59:59Z", None),
        ("2026-01-21T14:00:00Z", Some(1603)),
        ("2026-01-21T20:00:00Z", None),
    ];
    for (now, who) in steps {
        let before: Vec<usize> = zones.iter().map(|(id, _)| count(*id)).collect();
        let report = h.pass(now).await;
        let after: Vec<usize> = zones.iter().map(|(id, _)| count(*id)).collect();
        for (i, (id, _)) in zones.iter().enumerate() {
            let expected = if who == Some(*id) { DIGEST_LEN } else { 0 };
            assert_eq!(
                after[i] - before[i],
                expected,
                "chat {id} at {now}: {report:?}"
            );
        }
        assert_eq!(
            report.delivered,
            usize::from(who.is_some()),
            "{now}: {report:?}"
        );
    }
    for (id, _) in zones {
        assert_digest(&h.tg.sent_to(id)[1..], "2026-01-20");
        let sub = h.sub(&ChatRef::telegram(id)).unwrap();
        assert_eq!(sub.last_delivered, Some(day("2026-01-20")));
    }
    h.finish().await;
}

#[tokio::test]
async fn delivers_at_the_right_instant_across_dst_changes() {
    let h = Harness::start(Setup {
        now: at("2026-03-27T12:00:00Z"),
        days_with_papers: vec![
            day("2026-03-27"),
            day("2026-03-28"),
            day("2026-10-30"),
            day("2026-10-31"),
        ],
        ..Setup::default()
    })
    .await;
    let berlin = user(1701, "Berlin");
    h.ask(
        &TgChat::private(&berlin),
        &berlin,
        "/subscribe 09:00 Europe/Berlin",
    )
    .await;
    let mut delivered_to_berlin = Vec::new();
    // Berlin springs forward on Sunday 2026-03-29: 09:00 is 08:00Z on Saturday, 07:00Z on
    // Sunday. A day without papers (Sunday's list) sends nothing on Monday.
    for (now, expected) in [
        ("2026-03-28T07:59:00Z", 0),
        ("2026-03-28T08:00:00Z", 1),
        ("2026-03-28T08:00:00Z", 0),
        ("2026-03-29T06:59:00Z", 0),
        ("2026-03-29T07:00:00Z", 1),
        ("2026-03-29T08:00:00Z", 0),
        ("2026-03-30T07:00:00Z", 0),
    ] {
        let report = h.pass(now).await;
        assert_eq!(report.delivered, expected, "{now}: {report:?}");
        if expected == 1 {
            delivered_to_berlin.push(now);
        }
    }
    let sent = h.tg.sent_to(berlin.id);
    assert_eq!(sent.len(), 1 + 2 * DIGEST_LEN, "{sent:#?}");
    assert_digest(&sent[1..1 + DIGEST_LEN], "2026-03-27");
    assert_digest(&sent[1 + DIGEST_LEN..], "2026-03-28");

    // New York falls back on Sunday 2026-11-01: 01:30 happens twice (05:30Z, then 06:30Z);
    // the digest goes at the first and not again at the second.
    // (Berlin unsubscribes first, so the passes below concern New York alone.)
    h.ask(&TgChat::private(&berlin), &berlin, "/unsubscribe")
        .await;
    h.set_now(at("2026-10-30T12:00:00Z"));
    let ny = user(1702, "New York");
    h.ask(
        &TgChat::private(&ny),
        &ny,
        "/subscribe 01:30 America/New_York",
    )
    .await;
    for (now, expected) in [
        ("2026-10-31T05:29:00Z", 0),
        ("2026-10-31T05:30:00Z", 1),
        ("2026-11-01T05:29:00Z", 0),
        ("2026-11-01T05:30:00Z", 1),
        ("2026-11-01T06:30:00Z", 0),
        ("2026-11-01T06:31:00Z", 0),
    ] {
        let report = h.pass(now).await;
        assert_eq!(report.delivered, expected, "{now}: {report:?}");
    }
    assert_eq!(
        h.tg.sent_count_to(berlin.id),
        2 + 2 * DIGEST_LEN,
        "unsubscribed"
    );
    let sent = h.tg.sent_to(ny.id);
    assert_eq!(sent.len(), 1 + 2 * DIGEST_LEN, "{sent:#?}");
    assert_digest(&sent[1..1 + DIGEST_LEN], "2026-10-30");
    assert_digest(&sent[1 + DIGEST_LEN..], "2026-10-31");
    h.finish().await;
}

// ---- failures -----------------------------------------------------------------------------

#[tokio::test]
async fn a_blocked_chat_becomes_inactive_after_three_failed_passes_and_a_command_revives_it() {
    let h = Harness::start(Setup {
        now: at("2026-01-20T12:00:00Z"),
        ..Setup::default()
    })
    .await;
    let ada = user(1801, "Ada");
    let chat = TgChat::private(&ada);
    h.ask(&chat, &ada, "/subscribe 09:00 Europe/Berlin").await;
    h.tg.fail_chat(ada.id, Failure::Blocked);

    for failures in 1..=3u32 {
        let report = h.pass("2026-01-21T08:00:00Z").await;
        assert_eq!(report.failed, 1, "{report:?}");
        let sub = h.sub(&chat_ref(&chat)).unwrap();
        assert_eq!(sub.consecutive_failures, failures);
        assert_eq!(sub.is_active, failures < 3, "after {failures} failures");
    }
    let sub = h.sub(&chat_ref(&chat)).unwrap();
    assert!(
        matches!(&sub.inactive_reason, Some(InactiveReason::Failing(r)) if r.contains("blocked")),
        "{sub:?}"
    );
    assert_eq!(
        (sub.time.to_string(), sub.timezone),
        ("09:00".to_string(), chrono_tz::Europe::Berlin),
        "settings kept"
    );
    assert_eq!(h.pass("2026-01-21T08:00:00Z").await.due, 0, "inactive");
    assert_eq!(h.tg.sent_count_to(ada.id), 1, "only the subscribe reply");

    // Unblocked, the person changes a setting: the chat is back, with its settings.
    h.tg.clear_failures();
    h.set_now(at("2026-01-21T09:00:00Z"));
    let reply = h.ask(&chat, &ada, "/top 4").await;
    assert!(text(&reply).contains("top 4 papers"), "{}", text(&reply));
    let sub = h.sub(&chat_ref(&chat)).unwrap();
    assert!(sub.is_active && sub.inactive_reason.is_none());
    assert_eq!((sub.top_n, sub.consecutive_failures), (4, 0));
    assert_eq!(sub.timezone, chrono_tz::Europe::Berlin);
    let report = h.pass("2026-01-22T08:00:00Z").await;
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(h.tg.sent_count_to(ada.id), 2 + 1 + 2 * 4);
    h.finish().await;
}

#[tokio::test]
async fn a_migrated_group_receives_its_digest_at_the_new_id() {
    let h = Harness::start(Setup {
        now: at("2026-01-20T12:00:00Z"),
        ..Setup::default()
    })
    .await;
    let group = TgChat::group(-5001, "Small group");
    let admin = user(1901, "Admin");
    h.tg.set_admins(group.id(), std::slice::from_ref(&admin));
    h.ask(&group, &admin, "/subscribe 09:00 UTC").await;
    h.ask(&group, &admin, "/top 2").await;
    let new_id = -100_5001;
    h.tg.fail_chat(group.id(), Failure::Migrated { to: new_id });

    let report = h.pass("2026-01-21T09:00:00Z").await;
    assert_eq!(report.delivered, 1, "{report:?}");
    let sent = h.tg.sent_to(new_id);
    assert_eq!(sent.len(), 1 + 2 * 2, "{sent:#?}");
    assert!(text(&sent[0]).contains("2026-01-20 Daily Papers"));
    assert_eq!(h.tg.sent_count_to(group.id()), 2, "only the two replies");
    assert_eq!(h.sub(&chat_ref(&group)), None, "moved away");
    let moved = h.sub(&ChatRef::telegram(new_id)).expect("moved here");
    assert!(moved.is_active);
    assert_eq!(
        (moved.top_n, moved.time.to_string()),
        (2, "09:00".to_string())
    );
    assert_eq!(moved.last_delivered, Some(day("2026-01-20")));
    assert_eq!(h.pass("2026-01-21T09:00:00Z").await.due, 0);

    // The service message of a migration moves a subscription before any send fails.
    let other = TgChat::group(-5002, "Other group");
    h.tg.set_admins(other.id(), std::slice::from_ref(&admin));
    h.ask(&other, &admin, "/subscribe").await;
    h.tg.push_update(json!({"message": {
        "message_id": 99,
        "from": admin.json(),
        "chat": other.json(),
        "date": 1_768_989_600,
        "migrate_to_chat_id": -100_5002i64,
    }}));
    eventually("the migrated group's subscription moved", || {
        h.sub(&ChatRef::telegram(-100_5002)).is_some()
    })
    .await;
    assert_eq!(h.sub(&chat_ref(&other)), None);
    h.finish().await;
}

#[tokio::test]
async fn a_429_from_the_per_chat_limit_is_waited_out_and_nothing_is_lost() {
    let h = Harness::start(Setup {
        telegram: Options {
            // One message per 50 ms to a chat; `retry_after: 0` lets the engine try again at
            // its own pace (20 ms) instead of waiting whole seconds.
            per_chat_limit: Some(Limit {
                max: 1,
                window: Duration::from_millis(50),
            }),
            retry_after: Some(0),
            ..Options::default()
        },
        limits: Limits {
            global_per_sec: 1000,
            per_chat_interval: Duration::from_millis(20),
            group_per_minute: 10_000,
        },
        now: at("2026-01-20T12:00:00Z"),
        ..Setup::default()
    })
    .await;
    let ada = user(2001, "Ada");
    let chat = TgChat::private(&ada);
    h.ask(&chat, &ada, "/subscribe 09:00 UTC").await;

    let report = h.pass("2026-01-21T09:00:00Z").await;
    assert_eq!(report.delivered, 1, "{report:?}");
    assert!(h.tg.count_429() > 0, "the limit was hit");
    let sent = h.tg.sent_to(ada.id);
    assert_digest(&sent[1..], "2026-01-20");
    let mut texts: Vec<&str> = sent.iter().map(text).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), sent.len(), "no message twice");
    h.finish().await;
}

#[tokio::test]
async fn a_502_and_a_slow_answer_are_retried_on_the_next_pass_and_completed_once() {
    let h = Harness::start(Setup {
        sender_timeout: Duration::from_millis(300),
        retry: Retry {
            max_attempts: 1,
            ..Setup::default().retry
        },
        now: at("2026-01-20T12:00:00Z"),
        ..Setup::default()
    })
    .await;
    let ada = user(2101, "Ada");
    let bob = user(2102, "Bob");
    for u in [&ada, &bob] {
        h.ask(&TgChat::private(u), u, "/subscribe 09:00 UTC").await;
    }
    h.tg.fail_chat_times(ada.id, Failure::BadGateway, 1);
    // Delivered, but the answer comes after the sender gave up: sent, not acknowledged.
    h.tg.fail_chat_times(bob.id, Failure::Slow(Duration::from_secs(1)), 1);

    let first = h.pass("2026-01-21T09:00:00Z").await;
    assert_eq!(
        (first.due, first.retry, first.delivered),
        (2, 2, 0),
        "{first:?}"
    );
    assert_eq!(h.tg.sent_count_to(ada.id), 1, "the 502 delivered nothing");
    assert_eq!(h.tg.sent_count_to(bob.id), 2, "the slow header arrived");

    let second = h.pass("2026-01-21T09:05:00Z").await;
    assert_eq!(second.delivered, 2, "{second:?}");
    assert_digest(&h.tg.sent_to(ada.id)[1..], "2026-01-20");
    // Bob got the unacknowledged header twice (once per pass), everything else once.
    let bob_sent = h.tg.sent_to(bob.id);
    assert_eq!(bob_sent.len(), 2 + DIGEST_LEN, "{bob_sent:#?}");
    assert_eq!(text(&bob_sent[1]), text(&bob_sent[2]));
    assert_digest(&bob_sent[2..], "2026-01-20");

    let third = h.pass("2026-01-21T09:10:00Z").await;
    assert_eq!(third.due, 0, "{third:?}");
    for u in [&ada, &bob] {
        assert!(h
            .store
            .is_recorded(
                &ChatRef::telegram(u.id),
                &LedgerItem::DigestDone {
                    date: day("2026-01-20")
                }
            )
            .unwrap());
    }
    h.finish().await;
}

// ---- membership ---------------------------------------------------------------------------

#[tokio::test]
async fn removal_marks_inactive_and_adding_back_restores_with_a_greeting() {
    let h = Harness::start(Setup::default()).await;
    let forum = TgChat::forum(-100_700, "Forum");
    let admin = user(2201, "Admin");
    h.tg.set_admins(forum.id(), std::slice::from_ref(&admin));
    h.ask(&forum, &admin, "/subscribe 07:00 Asia/Seoul").await;
    h.tg.push_topic_text(&forum, 9, &admin, "/subscribe 18:00");
    h.tg.wait_sent_to(forum.id(), 2).await;
    let whole = chat_ref(&forum);
    let topic = ChatRef::Telegram {
        chat_id: forum.id(),
        thread_id: Some(9),
    };

    h.tg.push_my_chat_member(&forum, &admin, MemberStatus::Member, MemberStatus::Left);
    eventually("both subscriptions inactive", || {
        [&whole, &topic].iter().all(|c| {
            h.sub(c)
                .is_some_and(|s| !s.is_active && s.inactive_reason == Some(InactiveReason::Removed))
        })
    })
    .await;
    let kept = h.sub(&whole).unwrap();
    assert_eq!(
        (kept.time.to_string(), kept.timezone),
        ("07:00".to_string(), chrono_tz::Asia::Seoul)
    );
    assert_eq!(h.pass("2026-01-22T09:00:00Z").await.due, 0);

    h.tg.push_my_chat_member(&forum, &admin, MemberStatus::Left, MemberStatus::Member);
    let greeting = h.next_to(forum.id(), 2).await;
    assert!(text(&greeting).contains("on again"), "{}", text(&greeting));
    assert_eq!(greeting.message_thread_id, None);
    for c in [&whole, &topic] {
        let s = h.sub(c).unwrap();
        assert!(s.is_active && s.inactive_reason.is_none(), "{s:?}");
    }
    assert_eq!(h.sub(&whole).unwrap().time.to_string(), "07:00");

    // A group that never subscribed gets the how-to.
    let fresh = TgChat::supergroup(-100_701, "Fresh");
    h.tg.push_my_chat_member(&fresh, &admin, MemberStatus::Left, MemberStatus::Member);
    let hello = h.next_to(fresh.id(), 0).await;
    assert!(
        text(&hello).contains("/subscribe") && text(&hello).contains("/today"),
        "{}",
        text(&hello)
    );
    h.finish().await;
}

#[tokio::test]
async fn blocking_and_channel_removal_mark_inactive_and_unsubscribed_chats_stay_so() {
    let h = Harness::start(Setup::default()).await;
    let ada = user(2301, "Ada");
    let private = TgChat::private(&ada);
    h.ask(&private, &ada, "/subscribe").await;
    h.tg.push_my_chat_member(&private, &ada, MemberStatus::Member, MemberStatus::Kicked);
    eventually("blocked chat inactive", || {
        h.sub(&chat_ref(&private))
            .is_some_and(|s| s.inactive_reason == Some(InactiveReason::Removed))
    })
    .await;
    h.tg.push_my_chat_member(&private, &ada, MemberStatus::Kicked, MemberStatus::Member);
    // Unblocking says nothing; the next message is the answer to the next command.
    let settings = h.ask(&private, &ada, "/settings").await;
    assert!(
        text(&settings).contains("Next digest"),
        "{}",
        text(&settings)
    );
    assert_eq!(h.tg.sent_count_to(ada.id), 2);

    let channel = TgChat::channel(-100_800, "Channel");
    h.tg.push_channel_post(&channel, "/subscribe");
    h.next_to(channel.id(), 0).await;
    let owner = user(2302, "Owner");
    h.tg.push_my_chat_member(
        &channel,
        &owner,
        MemberStatus::Administrator,
        MemberStatus::Left,
    );
    eventually("channel inactive", || {
        h.sub(&chat_ref(&channel)).is_some_and(|s| !s.is_active)
    })
    .await;
    h.tg.push_my_chat_member(
        &channel,
        &owner,
        MemberStatus::Left,
        MemberStatus::Administrator,
    );
    eventually("channel active again", || {
        h.sub(&chat_ref(&channel)).is_some_and(|s| s.is_active)
    })
    .await;
    assert_eq!(
        h.tg.sent_count_to(channel.id()),
        1,
        "no greeting in channels"
    );

    let bob = user(2303, "Bob");
    let bobs = TgChat::private(&bob);
    h.ask(&bobs, &bob, "/subscribe").await;
    h.ask(&bobs, &bob, "/unsubscribe").await;
    h.tg.push_my_chat_member(&bobs, &bob, MemberStatus::Member, MemberStatus::Kicked);
    h.tg.push_my_chat_member(&bobs, &bob, MemberStatus::Kicked, MemberStatus::Member);
    let settings = h.ask(&bobs, &bob, "/settings").await;
    assert!(
        text(&settings).contains("Not subscribed"),
        "{}",
        text(&settings)
    );
    let sub = h.sub(&chat_ref(&bobs)).unwrap();
    assert_eq!(sub.inactive_reason, Some(InactiveReason::Unsubscribed));
    h.finish().await;
}

// ---- the polling loop ---------------------------------------------------------------------

#[tokio::test]
async fn unreadable_updates_and_poll_conflicts_do_not_stop_the_bot() {
    let h = Harness::start(Setup::default()).await;
    let ada = user(2401, "Ada");
    let chat = TgChat::private(&ada);

    h.tg.push_update(json!({"message": {"this is": "not a message"}}));
    h.tg.push_update(json!({"no_such_update_kind": {"x": 1}}));
    let reply = h.ask(&chat, &ada, "/help").await;
    assert!(text(&reply).starts_with("Commands:"), "{}", text(&reply));

    // Another poller (a second instance) ends the bot's held poll with 409 Conflict.
    let url = format!("{}bot{}/getUpdates", h.tg.api_url(), h.tg.token());
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if h.tg.status_count(409) > 0 {
            break;
        }
        client
            .post(&url)
            .json(&json!({"timeout": 0}))
            .send()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(h.tg.status_count(409) > 0, "the bot's poll was ended");
    let reply = h.ask(&chat, &ada, "/start").await;
    assert!(text(&reply).contains("paperboy"), "{}", text(&reply));

    // Every update was acknowledged (by the offset of the next poll, or at stop), so a
    // restart would not run any of them again.
    let tg = h.finish().await;
    assert_eq!(tg.pending_updates(), 0);
}

#[tokio::test]
async fn a_refused_token_ends_serve_with_an_error() {
    let tg = FakeTelegram::start().await;
    let hf_server = hf::start().await;
    let store = Store::temporary().unwrap();
    let sender = Sender::new(&Secret::new("1:wrong"), &tg.url(), Duration::from_secs(5)).unwrap();
    let engine = Arc::new(Engine::new(
        store.clone(),
        sender,
        Pace::new(Setup::default().limits),
        Setup::default().retry,
    ));
    let bot = Bot::new(
        &Secret::new("1:wrong"),
        &tg.url(),
        Duration::from_secs(5),
        Parts {
            archive: Archive::new(store, hf::client(&hf_server)),
            backend: Backend::Extractive,
            defaults: defaults(),
            engine,
            lookback_days: 7,
            owner_ids: Vec::new(),
        },
    )
    .unwrap();
    let (_stop, rx) = watch::channel(false);
    let err = bot.serve(rx).await.unwrap_err().to_string();
    assert!(err.contains("refused the bot token"), "{err}");
    assert!(err.contains("PAPERBOY_TELEGRAM_TOKEN"), "{err}");
}
