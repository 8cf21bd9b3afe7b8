//! Integration tests: personal alerts, from `/alert` commands to private alert messages.
//!
//! The real Telegram bot, delivery engine and sender run against the loopback fake Bot API,
//! the real archive against the HF fake, on a store opened from a temporary directory (so a
//! test can close it and open it again, as a restart would). Polls are called with a `now`
//! the test chooses: today (UTC) is the day whose list grows, and a list of an unfinished day
//! is fetched again only after the archive's 15 minutes, so polls step at least that far.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use paperboy::adapters::telegram::{Bot, Parts, Sender};
use paperboy::alerts::{self, Poller, Report};
use paperboy::archive::Archive;
use paperboy::command::{alert_texts, Defaults};
use paperboy::delivery::engine::{Engine, Retry};
use paperboy::delivery::pace::{Limits, Pace};
use paperboy::domain::{ChatRef, DeliveryTime, Language};
use paperboy::render::labels::labels;
use paperboy::secret::Secret;
use paperboy::store::{LedgerItem, Store, StoredRule};
use paperboy::summarize::Backend;
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::hf;
use crate::support::telegram_fake::{Failure, FakeTelegram, Sent, TgChat, TgUser};

/// 10:00 UTC on the day whose list the tests grow.
const START: &str = "2026-01-21T10:00:00Z";
const TODAY: &str = "2026-01-21";
const YESTERDAY: &str = "2026-01-20";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test instants are RFC 3339")
        .with_timezone(&Utc)
}

/// `START` plus `minutes`.
fn later(minutes: i64) -> DateTime<Utc> {
    at(START) + chrono::Duration::minutes(minutes)
}

fn day(s: &str) -> NaiveDate {
    hf::date(s)
}

/// A sent text or caption as a reader sees it: HTML entities decoded.
fn text(sent: &Sent) -> String {
    unescape(sent.text.as_deref().unwrap_or_default())
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What runs on the store: closed and opened again by [`Harness::restart`].
struct Live {
    store: Store,
    engine: Arc<Engine<Sender>>,
    archive: Archive,
    poller: Poller,
    stop: watch::Sender<bool>,
    serving: JoinHandle<anyhow::Result<()>>,
}

struct Harness {
    tg: FakeTelegram,
    hf: MockServer,
    /// The day lists served; every other day is served empty.
    days: Mutex<BTreeMap<NaiveDate, Vec<Value>>>,
    dir: tempfile::TempDir,
    clock: Arc<Mutex<DateTime<Utc>>>,
    live: Option<Live>,
}

impl Harness {
    async fn start() -> Harness {
        let mut h = Harness {
            tg: FakeTelegram::start().await,
            hf: hf::start().await,
            days: Mutex::new(BTreeMap::new()),
            dir: tempfile::tempdir().unwrap(),
            clock: Arc::new(Mutex::new(at(START))),
            live: None,
        };
        h.remount().await;
        h.open();
        h
    }

    /// Opens the store and starts the bot on it.
    fn open(&mut self) {
        let store = Store::open(&self.dir.path().join("paperboy.db"), 16).unwrap();
        let token = Secret::new(self.tg.token());
        let sender = Sender::new(&token, &self.tg.url(), Duration::from_secs(5)).unwrap();
        let engine = Arc::new(Engine::new(
            store.clone(),
            sender,
            Pace::new(Limits {
                global_per_sec: 1000,
                per_chat_interval: Duration::ZERO,
                group_per_minute: 10_000,
            }),
            Retry {
                max_attempts: 2,
                backoff_base: Duration::from_millis(1),
                backoff_max: Duration::from_millis(5),
                failures_before_inactive: 3,
                max_rate_limited: 3,
            },
        ));
        let archive = Archive::new(store.clone(), hf::client(&self.hf));
        let read_clock = self.clock.clone();
        let bot = Bot::new(
            &token,
            &self.tg.url(),
            Duration::from_secs(5),
            Parts {
                archive: archive.clone(),
                backend: Backend::Extractive,
                defaults: Defaults {
                    time: DeliveryTime::parse("09:00").unwrap(),
                    timezone: chrono_tz::UTC,
                    top_n: 3,
                    language: Language::ENGLISH,
                    has_llm: false,
                    today_cooldown: chrono::Duration::minutes(1),
                },
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
        self.live = Some(Live {
            store,
            engine,
            archive,
            poller: Poller::new(Language::ENGLISH),
            stop,
            serving,
        });
    }

    fn live(&mut self) -> &mut Live {
        self.live.as_mut().expect("the harness is open")
    }

    fn store(&self) -> &Store {
        &self.live.as_ref().expect("the harness is open").store
    }

    /// Stops the bot and closes the store (every handle to it), as a process exit would.
    async fn close(&mut self) {
        let live = self.live.take().expect("the harness is open");
        live.stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), live.serving)
            .await
            .expect("serve ends after the stop signal")
            .expect("serve does not panic")
            .expect("serve ends without an error");
        live.store.flush().await.unwrap();
    }

    async fn restart(&mut self) {
        self.close().await;
        self.open();
    }

    /// Serves `items` as the list of `date` from now on.
    async fn serve(&self, date: &str, items: Vec<Value>) {
        self.days.lock().unwrap().insert(day(date), items);
        self.remount().await;
    }

    async fn remount(&self) {
        self.hf.reset().await;
        let days = self.days.lock().unwrap().clone();
        for (date, items) in &days {
            hf::serve_day(&self.hf, *date, items).await;
        }
        Mock::given(method("GET"))
            .and(path(hf::DAY_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .with_priority(10)
            .mount(&self.hf)
            .await;
    }

    async fn poll(&mut self, now: DateTime<Utc>) -> Report {
        *self.clock.lock().unwrap() = now;
        let live = self.live();
        alerts::poll_once(
            now,
            &live.engine,
            &live.archive,
            &Backend::Extractive,
            &mut live.poller,
        )
        .await
        .unwrap()
    }

    /// Sends `text` as `from` in `chat` and waits for the chat's next message; returns it.
    async fn ask(&self, chat: &TgChat, from: &TgUser, command: &str) -> String {
        let before = self.tg.sent_count_to(chat.id());
        self.tg.push_text(chat, from, command);
        let sent = self.tg.wait_sent_to(chat.id(), before + 1).await;
        text(&sent[before])
    }
}

/// Ada, Bob and Cy, each with a private chat.
fn people() -> [(TgUser, TgChat); 3] {
    [(1001, "Ada"), (1002, "Bob"), (1003, "Cy")].map(|(id, name)| {
        let user = TgUser::new(id, name);
        let chat = TgChat::private(&user);
        (user, chat)
    })
}

/// The alert cards sent to `chat_id`: the sends whose text starts with the bell line.
fn alert_cards(tg: &FakeTelegram, chat_id: i64) -> Vec<Sent> {
    tg.sent_to(chat_id)
        .into_iter()
        .filter(|s| text(s).contains('🔔'))
        .collect()
}

// ---- commands -------------------------------------------------------------------------------

#[tokio::test]
async fn add_list_test_pause_resume_and_remove_through_the_bot() {
    let mut h = Harness::start().await;
    h.serve(
        YESTERDAY,
        vec![
            hf::item("2601.10001", "Diffusion Transformers at Scale", 12),
            hf::item("2601.10002", "A Survey of Reward Models", 40),
        ],
    )
    .await;
    let [(ada, chat), ..] = people();
    let me = ChatRef::telegram(ada.id);

    let help = h.ask(&chat, &ada, "/alert").await;
    assert!(
        help.contains("/alert add RULE") && help.contains("upvotes>=N"),
        "{help}"
    );

    let added = h
        .ask(&chat, &ada, "/alert add \"Diffusion  Models\"   video")
        .await;
    assert!(
        added.starts_with("Alert #1 added: \"Diffusion Models\" video"),
        "{added}"
    );
    let added = h.ask(&chat, &ada, "/alert add reward OR rlhf").await;
    assert!(
        added.starts_with("Alert #2 added: reward OR rlhf"),
        "{added}"
    );
    let stored: Vec<String> = h
        .store()
        .alert_rules(&me)
        .unwrap()
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert_eq!(stored, ["\"Diffusion Models\" video", "reward OR rlhf"]);

    // A parse error says what and where, as the parser does; nothing is stored.
    let refused = h.ask(&chat, &ada, "/alert add diffusion )").await;
    assert!(refused.contains("unexpected \")\" at 10"), "{refused}");
    assert_eq!(h.store().alert_rules(&me).unwrap().len(), 2);

    let list = h.ask(&chat, &ada, "/alert list").await;
    assert!(
        list.contains("1. \"Diffusion Models\" video\n2. reward OR rlhf"),
        "{list}"
    );

    // The last 7 days, with why; nothing saved.
    let tested = h.ask(&chat, &ada, "/alert test diffusion").await;
    assert!(
        tested.starts_with("Papers of the last 7 days that diffusion matches: 1\n"),
        "{tested}"
    );
    assert!(tested.ends_with("Nothing was saved: /alert add RULE keeps it."));
    assert!(
        tested.contains("2026-01-20 Diffusion Transformers at Scale (title: diffusion)"),
        "{tested}"
    );
    assert!(!tested.contains("Reward"), "{tested}");
    assert_eq!(h.store().alert_rules(&me).unwrap().len(), 2);
    let none = h
        .ask(&chat, &ada, "/alert test quantum chromodynamics")
        .await;
    assert!(none.contains("matches no paper"), "{none}");

    let paused = h.ask(&chat, &ada, "/alert pause").await;
    assert!(paused.starts_with("Alerts paused"), "{paused}");
    assert!(h.store().alerts_paused(&me).unwrap());
    assert!(h.store().active_alert_rules().unwrap().is_empty());
    let resumed = h.ask(&chat, &ada, "/alert resume").await;
    assert!(resumed.starts_with("Alerts resumed: 2"), "{resumed}");
    assert!(!h.store().alerts_paused(&me).unwrap());

    let removed = h.ask(&chat, &ada, "/alert remove 1").await;
    assert!(removed.starts_with("Removed #1"), "{removed}");
    let missing = h.ask(&chat, &ada, "/alert remove 5").await;
    assert!(missing.contains("no rule #5"), "{missing}");
    let stored: Vec<String> = h
        .store()
        .alert_rules(&me)
        .unwrap()
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert_eq!(stored, ["reward OR rlhf"]);

    let usage = h.ask(&chat, &ada, "/alert remove").await;
    assert!(usage.contains("usage: /alert"), "{usage}");
    h.close().await;
}

#[tokio::test]
async fn fifty_rules_and_three_hundred_characters_at_most() {
    let mut h = Harness::start().await;
    let [(ada, chat), ..] = people();
    let me = ChatRef::telegram(ada.id);
    let rules: Vec<StoredRule> = (0..49)
        .map(|i| StoredRule {
            text: format!("topic{i}"),
            created_at: at(START),
        })
        .collect();
    h.store().put_alert_rules(&me, &rules).unwrap();

    let fiftieth = h.ask(&chat, &ada, "/alert add topic49").await;
    assert!(fiftieth.starts_with("Alert #50 added"), "{fiftieth}");
    let refused = h.ask(&chat, &ada, "/alert add topic50").await;
    assert!(refused.contains("You have 50 rules, the most"), "{refused}");
    assert_eq!(h.store().alert_rules(&me).unwrap().len(), 50);

    h.ask(&chat, &ada, "/alert remove 50").await;
    let long = format!("/alert add {}", "a".repeat(301));
    let refused = h.ask(&chat, &ada, &long).await;
    assert!(
        refused.contains("rule is too long: 301 characters, at most 300"),
        "{refused}"
    );
    let fits = format!("/alert add {}", "a".repeat(300));
    let added = h.ask(&chat, &ada, &fits).await;
    assert!(added.starts_with("Alert #50 added"), "{added}");
    h.close().await;
}

#[tokio::test]
async fn a_group_member_who_never_started_the_bot_is_told_how() {
    let mut h = Harness::start().await;
    let group = TgChat::supergroup(-100_500, "Reading group");
    let [(bob, bob_chat), ..] = people();
    let bob_ref = ChatRef::telegram(bob.id);
    let link = "https://t.me/paperboy_test_bot?start=alerts";

    let reply = h.ask(&group, &bob, "/alert add diffusion").await;
    assert!(reply.starts_with("Alert #1 added: diffusion"), "{reply}");
    assert!(reply.contains(link), "{reply}");
    // The rule is the person's, not the group's.
    assert_eq!(h.store().alert_rules(&bob_ref).unwrap().len(), 1);
    assert!(h
        .store()
        .alert_rules(&ChatRef::telegram(group.id()))
        .unwrap()
        .is_empty());
    assert!(h.tg.sent_to(bob.id).is_empty(), "nothing private yet");

    // A matching paper waits: writing first would be refused (and pause Bob for good).
    h.serve(
        TODAY,
        vec![hf::item("2601.50000", "Diffusion Everywhere", 3)],
    )
    .await;
    let waiting = h.poll(later(0)).await;
    assert_eq!(
        (waiting.sent, waiting.waiting, waiting.paused),
        (0, 1, 0),
        "{waiting:?}"
    );
    assert!(h.tg.sent_to(bob.id).is_empty());
    assert!(!h.store().alerts_paused(&bob_ref).unwrap());

    // The deep link's /start alerts is a plain start; after it the group reply has no link.
    let started = h.ask(&bob_chat, &bob, "/start alerts").await;
    assert!(started.contains("alerts will reach you here"), "{started}");
    let reply = h.ask(&group, &bob, "/alert list").await;
    assert!(reply.contains("1. diffusion"), "{reply}");
    assert!(!reply.contains(link), "{reply}");

    let sent = h.poll(later(20)).await;
    assert_eq!((sent.sent, sent.waiting), (1, 0), "{sent:?}");
    assert_eq!(alert_cards(&h.tg, bob.id).len(), 1);
    h.close().await;
}

// ---- the poller -----------------------------------------------------------------------------

#[tokio::test]
async fn a_new_paper_alerts_each_matching_person_once_even_after_a_restart() {
    let mut h = Harness::start().await;
    let [(ada, ada_chat), (bob, bob_chat), (cy, cy_chat)] = people();
    h.serve(TODAY, hf::items(3)).await;
    h.serve(YESTERDAY, hf::items(2)).await;
    for (user, chat, rule) in [
        (&ada, &ada_chat, "diffusion"),
        (&ada, &ada_chat, "video"),
        (&bob, &bob_chat, "\"video generation\""),
        (&cy, &cy_chat, "quantum"),
    ] {
        let added = h.ask(chat, user, &format!("/alert add {rule}")).await;
        assert!(added.contains("added"), "{added}");
    }

    let first = h.poll(later(0)).await;
    assert_eq!((first.people, first.sent), (3, 0), "{first:?}");
    assert_eq!(
        first.papers, 3,
        "today's and yesterday's lists, each paper once"
    );

    let mut today = hf::items(3);
    today.push(hf::item(
        "2601.20000",
        "Diffusion Models for Video Generation",
        7,
    ));
    h.serve(TODAY, today).await;
    let before: Vec<usize> = [ada.id, bob.id, cy.id]
        .iter()
        .map(|id| h.tg.sent_count_to(*id))
        .collect();
    let second = h.poll(later(20)).await;
    assert_eq!(
        (second.sent, second.failed, second.paused),
        (2, 0, 0),
        "{second:?}"
    );

    // Ada: one card (photo and details) naming both rules.
    let ada_new = &h.tg.sent_to(ada.id)[before[0]..];
    assert_eq!(ada_new.len(), 2, "{ada_new:#?}");
    assert_eq!(ada_new[0].method, "sendPhoto");
    let caption = text(&ada_new[0]);
    assert!(
        caption.contains("🔔 diffusion: title: diffusion · video: title: video"),
        "{caption}"
    );
    assert!(
        caption.contains("Diffusion Models for Video Generation"),
        "{caption}"
    );
    assert_eq!(alert_cards(&h.tg, ada.id).len(), 1);
    // Bob: one card for his one rule; Cy: nothing.
    let bob_cards = alert_cards(&h.tg, bob.id);
    assert_eq!(bob_cards.len(), 1);
    assert!(
        text(&bob_cards[0]).contains("🔔 \"video generation\": title: video generation"),
        "{}",
        text(&bob_cards[0])
    );
    assert_eq!(h.tg.sent_count_to(bob.id), before[1] + 2);
    assert_eq!(h.tg.sent_count_to(cy.id), before[2]);
    let item = LedgerItem::Alert {
        paper_id: "2601.20000".into(),
    };
    assert!(h
        .store()
        .is_recorded(&ChatRef::telegram(ada.id), &item)
        .unwrap());

    // The next poll: nothing new, and the index was not rebuilt.
    let third = h.poll(later(40)).await;
    assert_eq!(third.sent, 0, "{third:?}");
    assert_eq!(h.live().poller.index_builds(), 1);

    // After a restart: still nothing (the ledger is on disk), though the index is new.
    let total = h.tg.sent_count();
    h.restart().await;
    let fourth = h.poll(later(60)).await;
    assert_eq!((fourth.people, fourth.sent), (3, 0), "{fourth:?}");
    assert_eq!(h.tg.sent_count(), total);

    // A rule added later fires for a paper already in the list, for a new person only.
    let added = h.ask(&cy_chat, &cy, "/alert add generation").await;
    assert!(added.contains("added"), "{added}");
    let fifth = h.poll(later(80)).await;
    assert_eq!(fifth.sent, 1, "{fifth:?}");
    assert_eq!(
        h.live().poller.index_builds(),
        2,
        "rebuilt for the new rule"
    );
    assert_eq!(alert_cards(&h.tg, cy.id).len(), 1);
    assert_eq!(alert_cards(&h.tg, ada.id).len(), 1);
    h.close().await;
}

#[tokio::test]
async fn alerts_speak_the_persons_language_without_a_subscription() {
    let mut h = Harness::start().await;
    let mut min = TgUser::new(1101, "민수");
    min.language_code = Some("ko".into());
    let chat = TgChat::private(&min);
    let ko = alert_texts(Language::KOREAN);
    assert_ne!(
        ko.added,
        alert_texts(Language::ENGLISH).added,
        "a Korean table"
    );

    let added = h.ask(&chat, &min, "/alert add diffusion").await;
    let prefix = ko.added.split('{').next().unwrap();
    assert!(added.starts_with(prefix), "{added}");
    let help = h.ask(&chat, &min, "/alert").await;
    assert!(
        help.starts_with(ko.help.split('\n').next().unwrap()),
        "{help}"
    );
    let tested = h.ask(&chat, &min, "/alert test diffusion").await;
    assert!(tested.ends_with(ko.test_not_saved), "{tested}");

    // The card comes in Korean too, though Min never subscribed (nor chose a language).
    // (Polled 20 minutes on: `/alert test` fetched today's list, then still empty.)
    h.serve(
        TODAY,
        vec![hf::item("2601.30000", "Diffusion for Everyone", 3)],
    )
    .await;
    let report = h.poll(later(20)).await;
    assert_eq!(report.sent, 1, "{report:?}");
    let sent = h.tg.sent_to(min.id);
    let card = sent.last().unwrap();
    let key_points = labels(Language::KOREAN).key_points;
    assert!(text(card).contains(key_points), "{}", text(card));

    // A later private choice wins: the person's /lang is their alerts' language too.
    h.ask(&chat, &min, "/lang en").await;
    let list = h.ask(&chat, &min, "/alert list").await;
    assert!(list.starts_with("Your alert rules"), "{list}");
    h.close().await;
}

#[tokio::test]
async fn an_upvotes_rule_fires_once_the_count_crosses() {
    let mut h = Harness::start().await;
    let [(ada, chat), ..] = people();
    let added = h.ask(&chat, &ada, "/alert add diffusion upvotes>=50").await;
    assert!(added.contains("added"), "{added}");
    let paper = |upvotes| {
        vec![hf::item(
            "2601.30000",
            "Latent Diffusion Revisited",
            upvotes,
        )]
    };

    h.serve(TODAY, paper(12)).await;
    assert_eq!(h.poll(later(0)).await.sent, 0);
    h.serve(TODAY, paper(49)).await;
    assert_eq!(h.poll(later(20)).await.sent, 0, "49 is not 50");
    assert!(alert_cards(&h.tg, ada.id).is_empty());

    h.serve(TODAY, paper(50)).await;
    let crossed = h.poll(later(40)).await;
    assert_eq!(crossed.sent, 1, "{crossed:?}");
    let cards = alert_cards(&h.tg, ada.id);
    assert_eq!(cards.len(), 1);
    assert!(
        text(&cards[0]).contains("title: diffusion; upvotes: 50"),
        "{}",
        text(&cards[0])
    );

    h.serve(TODAY, paper(90)).await;
    assert_eq!(h.poll(later(60)).await.sent, 0, "once per person and paper");
    assert_eq!(alert_cards(&h.tg, ada.id).len(), 1);
    h.close().await;
}

#[tokio::test]
async fn a_person_who_blocked_the_bot_is_paused_not_deleted() {
    let mut h = Harness::start().await;
    let [(ada, ada_chat), (bob, bob_chat), _] = people();
    for (user, chat) in [(&ada, &ada_chat), (&bob, &bob_chat)] {
        let added = h.ask(chat, user, "/alert add diffusion").await;
        assert!(added.contains("added"), "{added}");
    }
    h.serve(
        TODAY,
        vec![hf::item("2601.40000", "Diffusion for Everyone", 3)],
    )
    .await;
    h.tg.fail_chat(ada.id, Failure::Blocked);

    let report = h.poll(later(0)).await;
    assert_eq!((report.sent, report.paused), (1, 1), "{report:?}");
    let me = ChatRef::telegram(ada.id);
    assert!(h.store().alerts_paused(&me).unwrap());
    assert_eq!(h.store().alert_rules(&me).unwrap().len(), 1, "rules kept");
    let item = LedgerItem::Alert {
        paper_id: "2601.40000".into(),
    };
    assert!(!h.store().is_recorded(&me, &item).unwrap());
    assert_eq!(alert_cards(&h.tg, bob.id).len(), 1, "others still hear");

    // Paused: not asked again.
    let again = h.poll(later(20)).await;
    assert_eq!(
        (again.people, again.sent, again.paused),
        (1, 0, 0),
        "{again:?}"
    );

    // Unblocked and resumed: the alert comes after all.
    h.tg.clear_failures();
    let resumed = h.ask(&ada_chat, &ada, "/alert resume").await;
    assert!(resumed.starts_with("Alerts resumed"), "{resumed}");
    let back = h.poll(later(40)).await;
    assert_eq!(back.sent, 1, "{back:?}");
    assert_eq!(alert_cards(&h.tg, ada.id).len(), 1);
    h.close().await;
}

#[tokio::test]
async fn the_poll_loop_stops_on_the_stop_signal() {
    let mut h = Harness::start().await;
    let live = h.live();
    let (stop, stop_rx) = watch::channel(false);
    let schedule: cron::Schedule = "0 */30 * * * *".parse().unwrap();
    let running = tokio::spawn(alerts::run(
        live.engine.clone(),
        live.archive.clone(),
        Backend::Extractive,
        schedule,
        Language::ENGLISH,
        stop_rx,
    ));
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("run ends after the stop signal")
        .expect("run does not panic")
        .expect("run ends without an error");
    h.close().await;
}

#[tokio::test]
async fn a_discord_user_gets_the_card_as_an_embed_with_the_reason() {
    use crate::support::discord_fake::{FakeDiscord, BOT_TOKEN};
    use paperboy::adapters::discord;

    let fake = FakeDiscord::start().await;
    let hf_server = hf::start().await;
    hf::serve_day(
        &hf_server,
        day(TODAY),
        &[hf::item("2601.60000", "Diffusion at the Edge", 5)],
    )
    .await;
    hf::serve_empty_days(&hf_server, &[day(YESTERDAY)]).await;
    let store = Store::temporary().unwrap();
    let sender = discord::Sender::new(
        Some(&Secret::new(BOT_TOKEN)),
        Some(&fake.api_url()),
        Duration::from_secs(10),
    )
    .unwrap();
    let engine = Engine::new(
        store.clone(),
        sender,
        Pace::new(Limits {
            global_per_sec: 1000,
            per_chat_interval: Duration::ZERO,
            group_per_minute: 10_000,
        }),
        Retry::default(),
    );
    let archive = Archive::new(store.clone(), hf::client(&hf_server));
    let owner = ChatRef::DiscordUser { user_id: 9001 };
    store
        .put_alert_rules(
            &owner,
            &[StoredRule {
                text: "diffusion".into(),
                created_at: at(START),
            }],
        )
        .unwrap();

    let mut poller = Poller::new(Language::ENGLISH);
    let report = alerts::poll_once(
        later(0),
        &engine,
        &archive,
        &Backend::Extractive,
        &mut poller,
    )
    .await
    .unwrap();
    assert_eq!((report.sent, report.waiting), (1, 0), "{report:?}");
    let payloads = fake.message_payloads();
    assert_eq!(payloads.len(), 1, "{payloads:#?}");
    let message: paperboy::render::discord::Message =
        serde_json::from_value(payloads[0].clone()).unwrap();
    paperboy::render::discord::check(&message).unwrap();
    assert_eq!(
        message.content.as_deref(),
        Some("🔔 diffusion: title: diffusion")
    );
    assert_eq!(message.embeds.len(), 1);
    assert!(
        message.embeds[0]
            .title
            .as_deref()
            .is_some_and(|t| t.contains("Diffusion at the Edge")),
        "{:?}",
        message.embeds[0].title
    );

    let again = alerts::poll_once(
        later(20),
        &engine,
        &archive,
        &Backend::Extractive,
        &mut poller,
    )
    .await
    .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(fake.message_payloads().len(), 1);
}
