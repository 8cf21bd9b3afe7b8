//! Integration tests: the Discord adapter.
//!
//! Deliveries go through the real delivery engine and the Discord sender (serenity's HTTP
//! client through its proxy setting, ratelimiter off) to a loopback fake of Discord's REST
//! API; commands go through serenity's real gateway client, pointed at a loopback fake
//! gateway (HELLO, READY, then dispatched events), so the path from an INTERACTION_CREATE
//! event to the REST reply is the one production takes. Every payload the fake receives is
//! checked against `render::discord::check` (acceptance item 3), and the fake also refuses
//! over-limit payloads itself, as Discord would.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use paperboy::adapters::discord::{self, parse_webhook, Sender};
use paperboy::archive::Archive;
use paperboy::config::Config;
use paperboy::delivery::engine::{Engine, Outcome, Retry};
use paperboy::delivery::pace::{Limits, Pace};
use paperboy::delivery::{Courier, Outbound, SendError};
use paperboy::domain::subscription::InactiveReason;
use paperboy::domain::{ChatRef, DeliveryTime, Language, Paper, Subscription};
use paperboy::render::discord::{self as render, Message};
use paperboy::secret::Secret;
use paperboy::store::{LedgerItem, Store};
use paperboy::summarize::Backend;
use serde_json::{json, Value};

use crate::support::discord_fake::objects::{self, Place, MANAGER, MANAGE_CHANNELS, MEMBER};
use crate::support::discord_fake::{FakeDiscord, Scripted, Target, APP_ID, BOT_TOKEN};
use crate::support::{eventually, fixtures, hf};

fn day() -> NaiveDate {
    hf::date("2026-06-12")
}

fn papers() -> Vec<Paper> {
    let body = fixtures::read(fixtures::shared_hf("daily_papers_2026-06-12.json"));
    paperboy::source::parse_day(&body).expect("the recorded day parses")
}

async fn rendered(top_n: usize, language: Language) -> Vec<Message> {
    let digest =
        paperboy::pipeline::build_digest(day(), &papers(), top_n, language, &Backend::Extractive)
            .await;
    render::messages(&digest)
}

fn outbound(messages: &[Message]) -> Vec<Outbound> {
    messages.iter().cloned().map(Outbound::Discord).collect()
}

fn sender(fake: &FakeDiscord) -> Sender {
    Sender::new(
        Some(&Secret::new(BOT_TOKEN)),
        Some(&fake.api_url()),
        Duration::from_secs(10),
    )
    .unwrap()
}

/// Limits that never hold a test back, and retries in milliseconds.
fn engine(store: &Store, sender: Sender) -> Engine<Sender> {
    Engine::new(
        store.clone(),
        sender,
        Pace::new(Limits {
            global_per_sec: 10_000,
            per_chat_interval: Duration::ZERO,
            group_per_minute: 100_000,
        }),
        Retry {
            max_attempts: 3,
            backoff_base: Duration::from_millis(1),
            backoff_max: Duration::from_millis(5),
            failures_before_inactive: 3,
            max_rate_limited: 3,
        },
    )
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A subscription with settings that differ from every default, so "settings kept" means
/// something.
fn subscribe(store: &Store, chat: &ChatRef) -> Subscription {
    let sub = Subscription {
        chat: chat.clone(),
        time: DeliveryTime::parse("07:30").unwrap(),
        timezone: chrono_tz::Asia::Seoul,
        top_n: 3,
        language: Language::KOREAN,
        is_active: true,
        consecutive_failures: 0,
        inactive_reason: None,
        created_at: at("2026-06-01T00:00:00Z"),
        last_delivered: None,
    };
    store.put_subscription(&sub).unwrap();
    sub
}

fn settings_of(sub: &Subscription) -> (DeliveryTime, &'static str, u8, Language) {
    (sub.time, sub.timezone.name(), sub.top_n, sub.language)
}

fn as_json(messages: &[Message]) -> Vec<Value> {
    messages
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect()
}

/// Acceptance item 3: everything the fake received as a message passes the renderer's
/// limits check.
fn assert_every_payload_passes_the_check(fake: &FakeDiscord) {
    let payloads = fake.message_payloads();
    assert!(!payloads.is_empty());
    for payload in payloads {
        let message: Message = serde_json::from_value(payload.clone())
            .unwrap_or_else(|e| panic!("not a create-message payload ({e}): {payload}"));
        assert_eq!(render::check(&message), Ok(()), "{payload}");
        assert_eq!(
            payload["allowed_mentions"],
            json!({ "parse": [] }),
            "{payload}"
        );
    }
    let refused: Vec<_> = fake
        .received()
        .into_iter()
        .filter(|r| r.status == 400)
        .collect();
    assert!(refused.is_empty(), "discord would refuse: {refused:#?}");
}

#[tokio::test]
async fn a_digest_reaches_a_channel_through_the_engine() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let chat = ChatRef::Discord {
        channel_id: 111_000_000_000_000_001,
    };
    subscribe(&store, &chat);
    let messages = rendered(10, Language::ENGLISH).await;
    assert!(messages.len() >= 2, "ten papers need more than one message");

    let engine = engine(&store, sender(&fake));
    let outcome = engine
        .deliver(&chat, day(), &outbound(&messages))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Delivered {
            chat: chat.clone(),
            sent: messages.len(),
            resumed: 0
        }
    );

    assert_eq!(
        fake.channel_messages(111_000_000_000_000_001),
        as_json(&messages)
    );
    for request in fake.received() {
        assert_eq!(request.authorization.as_deref(), Some("Bot fake-bot-token"));
    }
    assert!(store
        .is_recorded(&chat, &LedgerItem::DigestDone { date: day() })
        .unwrap());
    let sub = store.subscription(&chat).unwrap().unwrap();
    assert_eq!(sub.last_delivered, Some(day()));

    // Delivered is delivered: a second pass sends nothing.
    let again = engine
        .deliver(&chat, day(), &outbound(&messages))
        .await
        .unwrap();
    assert!(matches!(again, Outcome::Delivered { sent: 0, .. }));
    assert_eq!(
        fake.channel_messages(111_000_000_000_000_001).len(),
        messages.len()
    );
    assert_every_payload_passes_the_check(&fake);
}

#[tokio::test]
async fn a_digest_reaches_a_webhook_through_the_engine() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let url = fake.create_webhook(5001, 222);
    let chat = parse_webhook(&url, Some(&fake.api_url())).expect("the fake's webhook is accepted");
    subscribe(&store, &chat);
    let messages = rendered(5, Language::ENGLISH).await;

    let outcome = engine(&store, sender(&fake))
        .deliver(&chat, day(), &outbound(&messages))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Delivered { sent, .. } if sent == messages.len()));

    let requests = fake.received_at("webhooks/5001/");
    assert_eq!(requests.len(), messages.len());
    for request in &requests {
        assert_eq!(request.status, 204, "wait=false gives no message back");
        assert_eq!(request.query.as_deref(), Some("wait=false"));
    }
    assert_eq!(fake.webhook_messages(5001), as_json(&messages));
    assert_every_payload_passes_the_check(&fake);
}

#[tokio::test]
async fn a_webhook_sender_needs_no_bot_token() {
    let fake = FakeDiscord::start().await;
    let url = fake.create_webhook(5002, 222);
    let chat = parse_webhook(&url, Some(&fake.api_url())).unwrap();
    let sender = Sender::new(None, Some(&fake.api_url()), Duration::from_secs(10)).unwrap();
    assert!(!sender.has_token());
    let message = rendered(1, Language::ENGLISH).await.remove(0);
    sender
        .send(&chat, &Outbound::Discord(message.clone()))
        .await
        .unwrap();
    // A channel needs the bot: refused without a request.
    let err = sender
        .send(
            &ChatRef::Discord { channel_id: 9 },
            &Outbound::Discord(message),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Permanent(ref r) if r.contains("PAPERBOY_DISCORD_TOKEN")),
        "{err}"
    );
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn every_payload_of_every_language_passes_the_limits_check() {
    let fake = FakeDiscord::start().await;
    let sender = sender(&fake);
    for (i, language) in Language::all().enumerate() {
        let chat = ChatRef::Discord {
            channel_id: 300 + i as u64,
        };
        for message in rendered(10, language).await {
            sender
                .send(&chat, &Outbound::Discord(message))
                .await
                .unwrap();
        }
    }
    assert_every_payload_passes_the_check(&fake);
}

#[tokio::test]
async fn a_payload_over_the_limits_is_never_sent() {
    let fake = FakeDiscord::start().await;
    let mut message = rendered(10, Language::ENGLISH).await.remove(0);
    let embed = message.embeds[0].clone();
    message.embeds = vec![embed; 11];
    let err = sender(&fake)
        .send(
            &ChatRef::Discord { channel_id: 1 },
            &Outbound::Discord(message),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Permanent(ref r) if r.contains("11 items")),
        "{err}"
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_the_same_message_sent_again() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let chat = ChatRef::Discord { channel_id: 400 };
    subscribe(&store, &chat);
    fake.script(
        Target::Channel(400),
        [Scripted::RateLimited {
            retry_after: 0.25,
            global: false,
        }],
    );
    let message = rendered(1, Language::ENGLISH).await.remove(0);

    // The mapping itself: the body's float seconds, not the header's rounded ones.
    let err = sender(&fake)
        .send(&chat, &Outbound::Discord(message.clone()))
        .await
        .unwrap_err();
    assert_eq!(err, SendError::RetryAfter(Duration::from_millis(250)));

    fake.script(
        Target::Channel(400),
        [Scripted::RateLimited {
            retry_after: 0.25,
            global: false,
        }],
    );
    let messages = rendered(5, Language::ENGLISH).await;
    let outcome = engine(&store, sender(&fake))
        .deliver(&chat, day(), &outbound(&messages))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Delivered { sent, .. } if sent == messages.len()));
    let requests = fake.received_at("channels/400/messages");
    // The first request of the test, then: 429, the same message again, the rest.
    assert_eq!(requests.len(), 1 + 1 + messages.len());
    assert_eq!(requests[1].status, 429);
    assert_eq!(requests[1].body, requests[2].body);
    assert_eq!(requests[2].status, 200);
    assert_eq!(fake.channel_messages(400), as_json(&messages));
    assert!(store.subscription(&chat).unwrap().unwrap().is_active);
}

#[tokio::test]
async fn missing_access_three_times_makes_the_channel_inactive_with_settings_kept() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let chat = ChatRef::Discord { channel_id: 500 };
    let before = subscribe(&store, &chat);
    fake.forbid_channel(500);
    let messages = outbound(&rendered(5, Language::ENGLISH).await);
    let engine = engine(&store, sender(&fake));

    let mut inactive = Vec::new();
    for _ in 0..3 {
        match engine.deliver(&chat, day(), &messages).await.unwrap() {
            Outcome::Failed {
                reason,
                inactive: i,
            } => {
                assert_eq!(reason, "403 Missing Access (code 50001)");
                inactive.push(i);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(inactive, [false, false, true]);
    // One request per attempt: the engine stops a digest at its first refusal.
    assert_eq!(fake.received_at("channels/500/").len(), 3);

    let after = store.subscription(&chat).unwrap().unwrap();
    assert!(!after.is_active);
    assert_eq!(
        after.inactive_reason,
        Some(InactiveReason::Failing(
            "403 Missing Access (code 50001)".to_string()
        ))
    );
    assert_eq!(settings_of(&after), settings_of(&before));
}

#[tokio::test]
async fn missing_permissions_is_permanent_too() {
    let fake = FakeDiscord::start().await;
    fake.script(Target::Channel(501), [Scripted::MissingPermissions]);
    let message = rendered(1, Language::ENGLISH).await.remove(0);
    let err = sender(&fake)
        .send(
            &ChatRef::Discord { channel_id: 501 },
            &Outbound::Discord(message),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        SendError::Permanent("403 Missing Permissions (code 50013)".to_string())
    );
}

#[tokio::test]
async fn a_deleted_channel_is_asked_once_and_becomes_inactive() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let chat = ChatRef::Discord { channel_id: 600 };
    let before = subscribe(&store, &chat);
    fake.delete_channel(600);
    let messages = outbound(&rendered(3, Language::ENGLISH).await);
    let engine = engine(&store, sender(&fake));
    let mut reasons = Vec::new();
    for _ in 0..3 {
        match engine.deliver(&chat, day(), &messages).await.unwrap() {
            Outcome::Failed { reason, .. } => reasons.push(reason),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(reasons[0], "404 Unknown Channel (code 10003)");
    assert!(
        reasons[1].contains("10003") && reasons[1].contains("not asked again"),
        "{}",
        reasons[1]
    );
    // Discord heard about it once: the sender remembers a deleted channel.
    assert_eq!(fake.received_at("channels/600/").len(), 1);
    let after = store.subscription(&chat).unwrap().unwrap();
    assert!(!after.is_active);
    assert_eq!(settings_of(&after), settings_of(&before));
}

#[tokio::test]
async fn a_deleted_webhook_becomes_inactive_and_is_not_retried() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let url = fake.create_webhook(5003, 222);
    let chat = parse_webhook(&url, Some(&fake.api_url())).unwrap();
    subscribe(&store, &chat);
    fake.delete_webhook(5003);
    let messages = outbound(&rendered(3, Language::ENGLISH).await);
    let engine = engine(&store, sender(&fake));
    // Issue 4: a webhook answering 404 is made inactive at once and never called again.
    let first = engine.deliver(&chat, day(), &messages).await.unwrap();
    assert!(
        matches!(first, Outcome::Failed { inactive: true, .. }),
        "{first:?}"
    );
    let again = engine.deliver(&chat, day(), &messages).await.unwrap();
    assert!(matches!(again, Outcome::Failed { .. }), "{again:?}");
    let requests = fake.received_at("webhooks/5003/");
    assert_eq!(requests.len(), 1, "the deleted webhook was asked once");
    assert_eq!(requests[0].status, 404);
    let sub = store.subscription(&chat).unwrap().unwrap();
    assert!(!sub.is_active);
    assert_eq!(sub.inactive_reason, Some(InactiveReason::Removed));
    // Settings are kept.
    assert_eq!(sub.top_n, 3);
}

#[tokio::test]
async fn server_errors_are_retried_and_then_given_back() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let chat = ChatRef::Discord { channel_id: 700 };
    subscribe(&store, &chat);
    let messages = outbound(&rendered(1, Language::ENGLISH).await);
    let engine = engine(&store, sender(&fake));

    fake.script(
        Target::Channel(700),
        [Scripted::ServerError, Scripted::BadGateway],
    );
    let outcome = engine.deliver(&chat, day(), &messages).await.unwrap();
    assert!(
        matches!(outcome, Outcome::Delivered { sent: 1, .. }),
        "{outcome:?}"
    );
    let statuses: Vec<u16> = fake
        .received_at("channels/700/")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 502, 200]);

    // Always failing: the job goes back to the queue, the chat is not counted as failing.
    let other = ChatRef::Discord { channel_id: 701 };
    subscribe(&store, &other);
    fake.script(Target::Channel(701), vec![Scripted::ServerError; 3]);
    let outcome = engine.deliver(&other, day(), &messages).await.unwrap();
    assert!(
        matches!(outcome, Outcome::Retry { ref reason } if reason.contains("500")),
        "{outcome:?}"
    );
    let sub = store.subscription(&other).unwrap().unwrap();
    assert!(sub.is_active);
    assert_eq!(sub.consecutive_failures, 0);
}

#[tokio::test]
async fn slow_answers_and_unreachable_servers_are_transient() {
    let fake = FakeDiscord::start().await;
    let message = Outbound::Discord(rendered(1, Language::ENGLISH).await.remove(0));
    fake.script(
        Target::Channel(800),
        [Scripted::Slow(Duration::from_secs(5))],
    );
    let impatient = Sender::new(
        Some(&Secret::new(BOT_TOKEN)),
        Some(&fake.api_url()),
        Duration::from_millis(200),
    )
    .unwrap();
    let err = impatient
        .send(&ChatRef::Discord { channel_id: 800 }, &message)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SendError::Transient(ref r) if r.contains("timed out")),
        "{err}"
    );

    // Nothing listens on a port that was just released.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nowhere = url::Url::parse(&format!("http://127.0.0.1:{closed}/")).unwrap();
    let lost = Sender::new(
        Some(&Secret::new(BOT_TOKEN)),
        Some(&nowhere),
        Duration::from_secs(5),
    )
    .unwrap();
    let err = lost
        .send(&ChatRef::Discord { channel_id: 800 }, &message)
        .await
        .unwrap_err();
    assert!(matches!(err, SendError::Transient(_)), "{err}");
}

#[tokio::test]
async fn a_revoked_token_stops_every_bot_send_but_not_webhooks() {
    let fake = FakeDiscord::start().await;
    let sender = sender(&fake);
    let message = Outbound::Discord(rendered(1, Language::ENGLISH).await.remove(0));
    fake.revoke_token();
    for channel_id in [900, 901, 902] {
        let err = sender
            .send(&ChatRef::Discord { channel_id }, &message)
            .await
            .unwrap_err();
        assert!(
            matches!(err, SendError::Permanent(ref r) if r.contains("401")),
            "{err}"
        );
    }
    assert_eq!(
        fake.received().len(),
        1,
        "one invalid request, not one per channel"
    );
    let url = fake.create_webhook(5004, 222);
    let webhook = parse_webhook(&url, Some(&fake.api_url())).unwrap();
    sender.send(&webhook, &message).await.unwrap();
}

#[tokio::test]
async fn direct_messages_open_the_dm_channel_once() {
    let fake = FakeDiscord::start().await;
    let sender = sender(&fake);
    let user = ChatRef::DiscordUser { user_id: 4242 };
    let messages = rendered(3, Language::ENGLISH).await;
    for message in &messages {
        let receipt = sender
            .send(&user, &Outbound::Discord(message.clone()))
            .await
            .unwrap();
        assert!(receipt.message_id.is_some());
    }
    let opened = fake.received_at("users/@me/channels");
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].body, json!({ "recipient_id": "4242" }));
    let dm_channel = fake
        .received()
        .into_iter()
        .find_map(|r| {
            r.route
                .strip_prefix("channels/")
                .and_then(|rest| rest.strip_suffix("/messages"))
                .map(str::to_string)
        })
        .unwrap();
    assert_eq!(
        fake.channel_messages(dm_channel.parse().unwrap()),
        as_json(&messages)
    );
}

#[tokio::test]
async fn webhooks_outside_discord_are_refused_before_any_request() {
    let fake = FakeDiscord::start().await;
    let other = FakeDiscord::start().await;
    let url = other.create_webhook(1, 2);
    // Not under the configured api_url, not on Discord: refused at subscription time...
    assert!(parse_webhook(&url, Some(&fake.api_url())).is_err());
    // ...and at send time, should one reach the store another way.
    let chat = ChatRef::DiscordWebhook { url };
    let message = Outbound::Discord(rendered(1, Language::ENGLISH).await.remove(0));
    let err = sender(&fake).send(&chat, &message).await.unwrap_err();
    assert!(
        matches!(err, SendError::Permanent(ref r) if r.contains("refusing")),
        "{err}"
    );
    assert!(other.received().is_empty());
    assert!(fake.received().is_empty());
}

// ---------------------------------------------------------------------------------------
// The gateway: serenity's client against the fake gateway and REST API.
// ---------------------------------------------------------------------------------------

const GUILD: u64 = 700_000_000_000_000_001;
const CHANNEL: u64 = 710_000_000_000_000_001;

/// paperboy's Discord bot, running against the fake until `stop` is sent.
struct Running {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _hf: wiremock::MockServer,
}

impl Running {
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = (&mut self.task).await.expect("the bot task does not panic");
        assert!(result.is_ok(), "{result:?}");
    }
}

async fn start_bot(fake: &FakeDiscord, store: &Store, dev_guild: Option<u64>) -> Running {
    let mut config = Config::default();
    config.discord.api_url = Some(fake.api_url());
    config.discord.dev_guild_id = dev_guild;
    config.secrets.discord_token = Some(Secret::new(BOT_TOKEN));
    config.digest.top_n = 10;
    // The recorded day, stored as final, so /today needs no Hugging Face; the HF fake
    // answers nothing, so a fetch would show as an error reply.
    store
        .put_day(day(), &papers(), at("2026-06-14T00:00:00Z"))
        .unwrap();
    let hf = hf::start().await;
    let archive = Archive::new(store.clone(), hf::client(&hf));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let store = store.clone();
    let task = tokio::spawn(async move {
        discord::run(&config, store, archive, Backend::Extractive, async move {
            let _ = stopped.await;
        })
        .await
    });
    fake.wait_for("the slash commands to be registered", |r| {
        r.iter()
            .any(|x| x.method == "PUT" && x.route.ends_with("commands"))
    })
    .await;
    Running {
        stop: Some(stop),
        task,
        _hf: hf,
    }
}

fn in_guild(permissions: u64) -> Place {
    Place {
        channel_id: CHANNEL,
        guild_id: Some(GUILD),
        user_id: 4242,
        permissions,
    }
}

/// Sends a slash command over the gateway and waits for paperboy's callback.
async fn slash(fake: &FakeDiscord, id: u64, name: &str, options: Value, place: Place) -> Value {
    fake.gateway.dispatch(
        "INTERACTION_CREATE",
        objects::interaction(id, 2, name, options, place),
    );
    fake.wait_for(&format!("the answer to /{name}"), |r| {
        r.iter()
            .any(|x| x.route.starts_with(&format!("interactions/{id}/")))
    })
    .await;
    fake.callback(id).unwrap()
}

fn is_ephemeral(callback: &Value) -> bool {
    callback["data"]["flags"]
        .as_u64()
        .is_some_and(|f| f & 64 != 0)
}

fn content(callback: &Value) -> &str {
    callback["data"]["content"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_bot_identifies_with_guilds_only_and_registers_its_commands() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let bot = start_bot(&fake, &store, Some(GUILD)).await;

    let identify = fake.gateway.identify();
    assert_eq!(identify.len(), 1);
    assert_eq!(
        identify[0]["intents"],
        json!(1),
        "GUILDS only: no message content"
    );
    assert!(identify[0]["token"].as_str().unwrap().ends_with(BOT_TOKEN));

    let put = fake
        .received()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(
        put.route,
        format!("applications/{APP_ID}/guilds/{GUILD}/commands"),
        "dev_guild_id registers in that server only"
    );
    let commands = put.body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "today",
            "subscribe",
            "unsubscribe",
            "settings",
            "time",
            "top",
            "lang",
            "alert"
        ]
    );
    for command in commands {
        let name = command["name"].as_str().unwrap();
        let manage =
            command["default_member_permissions"].as_str() == Some(&MANAGE_CHANNELS.to_string());
        assert_eq!(
            manage,
            !matches!(name, "today" | "settings" | "alert"),
            "{name}"
        );
        for option in command["options"].as_array().into_iter().flatten() {
            let autocomplete = option["autocomplete"].as_bool().unwrap_or(false);
            let expected = matches!(option["name"].as_str(), Some("timezone" | "language"));
            assert_eq!(autocomplete, expected, "{name}: {option}");
        }
    }
    let top = commands.iter().find(|c| c["name"] == "top").unwrap();
    assert_eq!(top["options"][0]["min_value"], json!(1));
    assert_eq!(top["options"][0]["max_value"], json!(10));
    bot.stop().await;

    // Without a dev server, the commands are global.
    let fake = FakeDiscord::start().await;
    let bot = start_bot(&fake, &store, None).await;
    let put = fake
        .received()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.route, format!("applications/{APP_ID}/commands"));
    bot.stop().await;
}

#[tokio::test]
async fn slash_commands_work_end_to_end_through_the_gateway() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let bot = start_bot(&fake, &store, Some(GUILD)).await;
    let chat = ChatRef::Discord {
        channel_id: CHANNEL,
    };

    // A member with Manage Channels subscribes the channel; the channel sees the answer.
    let answer = slash(
        &fake,
        1,
        "subscribe",
        json!([
            objects::option("time", json!("08:30")),
            objects::option("timezone", json!("Europe/Berlin"))
        ]),
        in_guild(MANAGER),
    )
    .await;
    assert_eq!(answer["type"], json!(4));
    assert!(!is_ephemeral(&answer), "{answer}");
    assert!(content(&answer).starts_with("Subscribed."), "{answer}");
    assert!(content(&answer).contains("08:30 Europe/Berlin"), "{answer}");
    assert_eq!(answer["data"]["allowed_mentions"], json!({ "parse": [] }));
    let sub = store.subscription(&chat).unwrap().unwrap();
    assert!(sub.is_active);
    assert_eq!(sub.time.to_string(), "08:30");
    assert_eq!(sub.timezone, chrono_tz::Europe::Berlin);

    // A member without it is refused, privately, and nothing changes.
    let answer = slash(
        &fake,
        2,
        "top",
        json!([objects::option("n", json!(3))]),
        in_guild(MEMBER),
    )
    .await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(content(&answer).contains("only administrators"), "{answer}");
    assert_eq!(store.subscription(&chat).unwrap().unwrap().top_n, 10);

    // Anyone may read the settings; only they see the answer.
    let answer = slash(&fake, 3, "settings", json!([]), in_guild(MEMBER)).await;
    assert!(is_ephemeral(&answer));
    assert!(
        content(&answer).contains("Top 10 papers at 08:30 Europe/Berlin"),
        "{answer}"
    );

    // Bad options get the usage, privately.
    let answer = slash(
        &fake,
        4,
        "time",
        json!([objects::option("time", json!("25:00"))]),
        in_guild(MANAGER),
    )
    .await;
    assert!(is_ephemeral(&answer));
    assert!(content(&answer).contains("usage: /time"), "{answer}");

    let answer = slash(
        &fake,
        5,
        "top",
        json!([objects::option("n", json!(3))]),
        in_guild(MANAGER),
    )
    .await;
    assert!(!is_ephemeral(&answer));
    let answer = slash(
        &fake,
        6,
        "lang",
        json!([objects::option("language", json!("ko"))]),
        in_guild(MANAGER),
    )
    .await;
    // The reply speaks the chat's new language, and says only headings change without an LLM.
    assert!(content(&answer).contains("한국어 (ko)"), "{answer}");
    assert!(content(&answer).contains("제목만"), "{answer}");
    let answer = slash(
        &fake,
        7,
        "time",
        json!([
            objects::option("time", json!("7:05")),
            objects::option("timezone", json!("asia/seoul"))
        ]),
        in_guild(MANAGER),
    )
    .await;
    assert!(content(&answer).contains("07:05 (Asia/Seoul)"), "{answer}");
    let sub = store.subscription(&chat).unwrap().unwrap();
    assert_eq!(
        (
            sub.top_n,
            sub.language,
            sub.time.to_string(),
            sub.timezone.name()
        ),
        (3, Language::KOREAN, "07:05".to_string(), "Asia/Seoul")
    );

    let answer = slash(&fake, 8, "unsubscribe", json!([]), in_guild(MANAGER)).await;
    assert!(
        content(&answer).starts_with("구독을 해지했습니다"),
        "{answer}"
    );
    let sub = store.subscription(&chat).unwrap().unwrap();
    assert!(!sub.is_active);
    assert_eq!(sub.inactive_reason, Some(InactiveReason::Unsubscribed));
    assert_eq!(sub.top_n, 3, "settings kept");

    // In a DM with the bot, the reader manages their own subscription.
    let dm = Place {
        channel_id: 720,
        guild_id: None,
        user_id: 4242,
        permissions: 0,
    };
    let answer = slash(&fake, 9, "subscribe", json!([]), dm).await;
    assert!(content(&answer).starts_with("Subscribed."), "{answer}");
    assert!(
        store
            .subscription(&ChatRef::Discord { channel_id: 720 })
            .unwrap()
            .unwrap()
            .is_active
    );

    // Autocomplete: time zones by prefix, languages by code or name.
    fake.gateway.dispatch(
        "INTERACTION_CREATE",
        objects::interaction(
            10,
            4,
            "subscribe",
            json!([objects::focused("timezone", "europe/ber")]),
            in_guild(MANAGER),
        ),
    );
    fake.gateway.dispatch(
        "INTERACTION_CREATE",
        objects::interaction(
            11,
            4,
            "lang",
            json!([objects::focused("language", "deu")]),
            in_guild(MANAGER),
        ),
    );
    fake.wait_for("both autocompletes", |r| {
        ["interactions/10/", "interactions/11/"]
            .iter()
            .all(|p| r.iter().any(|x| x.route.starts_with(p)))
    })
    .await;
    assert_eq!(
        fake.callback(10).unwrap(),
        json!({ "type": 8, "data": { "choices": [{ "name": "Europe/Berlin", "value": "Europe/Berlin" }] } })
    );
    let languages = fake.callback(11).unwrap();
    assert_eq!(languages["data"]["choices"][0]["value"], json!("de"));

    assert_every_payload_passes_the_check(&fake);
    bot.stop().await;
}

#[tokio::test]
async fn today_is_deferred_then_delivered_as_the_reply_and_follow_ups() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let bot = start_bot(&fake, &store, Some(GUILD)).await;
    let expected = rendered(10, Language::ENGLISH).await;
    assert!(expected.len() >= 2);

    let answer = slash(
        &fake,
        20,
        "today",
        json!([objects::option("date", json!("2026-06-12"))]),
        in_guild(MEMBER),
    )
    .await;
    assert_eq!(
        answer,
        json!({ "type": 5 }),
        "deferred, visible to the channel"
    );
    let token = objects::interaction_token(20);
    let followups = format!("webhooks/{APP_ID}/{token}");
    fake.wait_for("the whole digest", |r| {
        r.iter().filter(|x| x.route.starts_with(&followups)).count() == expected.len()
    })
    .await;
    let sent: Vec<Value> = fake
        .received_at(&followups)
        .into_iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{r:?}");
            r.body
        })
        .collect();
    let first = fake.received_at(&format!("{followups}/messages/@original"));
    assert_eq!(
        first.len(),
        1,
        "the first message replaces the 'thinking' reply"
    );
    assert_eq!(first[0].method, "PATCH");
    assert_eq!(sent, as_json(&expected));

    // Once a minute per channel: the second one is told so, privately.
    let answer = slash(&fake, 21, "today", json!([]), in_guild(MEMBER)).await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(content(&answer).contains("once a minute"), "{answer}");

    // A date in the future is explained, not fetched.
    let other = Place {
        channel_id: 730,
        ..in_guild(MEMBER)
    };
    slash(
        &fake,
        22,
        "today",
        json!([objects::option("date", json!("2999-01-01"))]),
        other,
    )
    .await;
    let token = objects::interaction_token(22);
    fake.wait_for("the future-date answer", |r| {
        r.iter()
            .any(|x| x.route.contains(&token) && x.method == "PATCH")
    })
    .await;
    let reply = fake.received_at(&format!("webhooks/{APP_ID}/{token}"));
    assert!(
        reply[0].body["content"]
            .as_str()
            .unwrap()
            .contains("in the future"),
        "{reply:?}"
    );

    assert_every_payload_passes_the_check(&fake);
    bot.stop().await;
}

/// Waits until the subscription of `channel_id` is in the state `is`.
async fn wait_for_subscription(
    store: &Store,
    channel_id: u64,
    what: &str,
    is: impl Fn(&Subscription) -> bool,
) {
    let chat = ChatRef::Discord { channel_id };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let sub = store.subscription(&chat).unwrap().unwrap();
        if is(&sub) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {chat} {what}: {sub:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn leaving_a_server_or_losing_a_channel_deactivates_its_subscriptions() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let (c1, c2, c3, thread) = (801, 802, 803, 804);
    let kept = subscribe(&store, &ChatRef::Discord { channel_id: c1 });
    subscribe(&store, &ChatRef::Discord { channel_id: thread });
    // Removed earlier, when paperboy was kicked from the server.
    let mut removed = subscribe(&store, &ChatRef::Discord { channel_id: c3 });
    removed.is_active = false;
    removed.inactive_reason = Some(InactiveReason::Removed);
    store.put_subscription(&removed).unwrap();
    // Not in any server paperboy is told about.
    subscribe(&store, &ChatRef::Discord { channel_id: 999 });

    fake.gateway.set_guilds(&[GUILD]);
    let bot = start_bot(&fake, &store, Some(GUILD)).await;
    let guild = objects::guild(GUILD, &[c1, c2, c3], &[(thread, c1)]);

    // Being in the server again brings back what its removal stopped.
    fake.gateway.dispatch("GUILD_CREATE", guild.clone());
    wait_for_subscription(&store, c3, "active again", |s| {
        s.is_active && s.inactive_reason.is_none()
    })
    .await;

    // An outage is not a removal.
    fake.gateway.dispatch(
        "GUILD_DELETE",
        json!({ "id": GUILD.to_string(), "unavailable": true }),
    );
    slash(
        &fake,
        30,
        "settings",
        json!([]),
        Place {
            channel_id: c1,
            ..in_guild(MEMBER)
        },
    )
    .await;
    assert!(
        store
            .subscription(&ChatRef::Discord { channel_id: c1 })
            .unwrap()
            .unwrap()
            .is_active
    );

    // Removed from the server: every subscription in it stops, settings kept.
    fake.gateway
        .dispatch("GUILD_DELETE", json!({ "id": GUILD.to_string() }));
    for channel in [c1, c3, thread] {
        wait_for_subscription(&store, channel, "removed", |s| {
            !s.is_active && s.inactive_reason == Some(InactiveReason::Removed)
        })
        .await;
    }
    let after = store
        .subscription(&ChatRef::Discord { channel_id: c1 })
        .unwrap()
        .unwrap();
    assert_eq!(settings_of(&after), settings_of(&kept));
    assert!(
        store
            .subscription(&ChatRef::Discord { channel_id: 999 })
            .unwrap()
            .unwrap()
            .is_active
    );
    assert!(store
        .subscription(&ChatRef::Discord { channel_id: c2 })
        .unwrap()
        .is_none());

    // Invited back: active again.
    fake.gateway.dispatch("GUILD_CREATE", guild);
    for channel in [c1, c3, thread] {
        wait_for_subscription(&store, channel, "active again", |s| s.is_active).await;
    }

    // A deleted channel or thread stops its subscription.
    fake.gateway.dispatch(
        "CHANNEL_DELETE",
        objects::guild_channel(c1, GUILD, "papers", None),
    );
    fake.gateway.dispatch(
        "THREAD_DELETE",
        json!({ "id": thread.to_string(), "guild_id": GUILD.to_string(), "parent_id": c1.to_string(), "type": 11 }),
    );
    for channel in [c1, thread] {
        wait_for_subscription(&store, channel, "removed", |s| {
            !s.is_active && s.inactive_reason == Some(InactiveReason::Removed)
        })
        .await;
    }
    assert!(
        store
            .subscription(&ChatRef::Discord { channel_id: c3 })
            .unwrap()
            .unwrap()
            .is_active
    );
    bot.stop().await;
}

/// A subcommand of `/alert`, as Discord nests it.
fn alert_sub(name: &str, options: Value) -> Value {
    json!([{ "name": name, "type": 1, "options": options }])
}

#[tokio::test]
async fn alert_commands_keep_the_persons_rules_and_answer_only_them() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let bot = start_bot(&fake, &store, Some(GUILD)).await;
    let person = ChatRef::DiscordUser { user_id: 4242 };

    // A member without any permission may keep alerts: they are theirs, not the channel's.
    let answer = slash(
        &fake,
        40,
        "alert",
        alert_sub(
            "add",
            json!([objects::option("rule", json!("agent OR agents"))]),
        ),
        in_guild(MEMBER),
    )
    .await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(content(&answer).starts_with("Alert #1 added"), "{answer}");
    let rules = store.alert_rules(&person).unwrap();
    assert_eq!(rules.len(), 1);
    assert!(rules[0].text.contains("agent"), "{rules:?}");
    assert!(
        store
            .alert_rules(&ChatRef::Discord {
                channel_id: CHANNEL
            })
            .unwrap()
            .is_empty(),
        "not the channel's"
    );

    // The same person in a DM with the bot sees the same rules.
    let dm = Place {
        channel_id: 720,
        guild_id: None,
        user_id: 4242,
        permissions: 0,
    };
    let answer = slash(&fake, 41, "alert", alert_sub("list", json!([])), dm).await;
    assert!(content(&answer).contains("agent"), "{answer}");

    // A rule that cannot be read, and a number that is not in the list, are explained.
    let answer = slash(
        &fake,
        42,
        "alert",
        alert_sub("add", json!([objects::option("rule", json!("\"unclosed"))])),
        in_guild(MEMBER),
    )
    .await;
    assert!(
        content(&answer).contains("Cannot read that rule"),
        "{answer}"
    );
    let answer = slash(
        &fake,
        43,
        "alert",
        alert_sub("remove", json!([objects::option("n", json!(5))])),
        in_guild(MEMBER),
    )
    .await;
    assert!(content(&answer).contains("no rule #5"), "{answer}");
    assert_eq!(store.alert_rules(&person).unwrap().len(), 1);

    // `/alert test` is deferred privately, then answered with the papers it matched.
    // Today has the recorded papers, the six days before none (all stored, so nothing is
    // fetched).
    let now = Utc::now();
    store.put_day(now.date_naive(), &papers(), now).unwrap();
    for back in 1..7 {
        let date = now.date_naive() - chrono::Days::new(back);
        store.put_day(date, &[], now).unwrap();
    }
    let answer = slash(
        &fake,
        44,
        "alert",
        alert_sub(
            "test",
            json!([objects::option("rule", json!("\"web agent\""))]),
        ),
        in_guild(MEMBER),
    )
    .await;
    assert_eq!(answer, json!({ "type": 5, "data": { "flags": 64 } }));
    let token = objects::interaction_token(44);
    let original = format!("webhooks/{APP_ID}/{token}/messages/@original");
    fake.wait_for("the /alert test answer", |r| {
        r.iter().any(|x| x.route == original && x.method == "PATCH")
    })
    .await;
    let edit = &fake.received_at(&original)[0];
    let text = edit.body["content"].as_str().unwrap();
    assert!(text.contains("WebChallenger"), "{text}");
    assert!(text.chars().count() <= 2000, "{}", text.len());

    // Removing and pausing act on the person's record.
    let answer = slash(
        &fake,
        45,
        "alert",
        alert_sub("remove", json!([objects::option("n", json!(1))])),
        in_guild(MEMBER),
    )
    .await;
    assert!(content(&answer).starts_with("Removed #1"), "{answer}");
    assert!(store.alert_rules(&person).unwrap().is_empty());
    let answer = slash(
        &fake,
        46,
        "alert",
        alert_sub("help", json!([])),
        in_guild(MEMBER),
    )
    .await;
    assert!(content(&answer).contains("author:"), "{answer}");

    bot.stop().await;
}

#[tokio::test]
async fn today_in_a_subscribed_channel_counts_a_finished_day_as_delivered() {
    let fake = FakeDiscord::start().await;
    let store = Store::temporary().unwrap();
    let bot = start_bot(&fake, &store, Some(GUILD)).await;
    let channel = ChatRef::Discord {
        channel_id: CHANNEL,
    };

    slash(&fake, 50, "subscribe", json!([]), in_guild(MANAGER)).await;
    slash(
        &fake,
        51,
        "today",
        json!([objects::option("date", json!("2026-06-12"))]),
        in_guild(MANAGER),
    )
    .await;
    eventually("the day counted as delivered", || {
        store
            .subscription(&channel)
            .unwrap()
            .is_some_and(|s| s.last_delivered == Some(day()))
    })
    .await;
    assert!(store
        .ledger(&channel)
        .unwrap()
        .contains(&LedgerItem::DigestDone { date: day() }));

    // Another channel, not subscribed: the digest is shown, nothing is recorded.
    let other = Place {
        channel_id: 731,
        ..in_guild(MEMBER)
    };
    slash(
        &fake,
        52,
        "today",
        json!([objects::option("date", json!("2026-06-12"))]),
        other,
    )
    .await;
    let token = objects::interaction_token(52);
    fake.wait_for("the digest in the other channel", |r| {
        r.iter()
            .any(|x| x.route.contains(&token) && x.method == "PATCH")
    })
    .await;
    let other = ChatRef::Discord { channel_id: 731 };
    assert!(store.ledger(&other).unwrap().is_empty());
    bot.stop().await;
}
