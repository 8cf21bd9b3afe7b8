//! The bot's receiving side: long polling `getUpdates` and handing each update to
//! [`super::updates`], until told to stop.
//!
//! paperboy polls with its own loop rather than teloxide's `Dispatcher`: the loop is a few
//! lines, stops within moments of the stop signal (the held poll is simply dropped), and
//! keeps going whatever happens. A failed poll (network, 5xx, a second instance's 409) backs
//! off and polls again; an update teloxide cannot read is skipped; a handler that fails or
//! panics ends only its own task. Updates of one chat run one after another, in order, so
//! `/subscribe` then `/time` apply in that order; different chats run concurrently, so a
//! `/today` digest in one chat never holds up a reply in another.
//!
//! Replies and `/today` digests go through the delivery engine ([`Engine::send_now`]), so
//! they obey the same rate limits as scheduled deliveries and follow a chat that migrated.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use chrono::{DateTime, Utc};
use teloxide::payloads::setters::*;
use teloxide::requests::{Output, Request, Requester};
use teloxide::types::{AllowedUpdate, BotCommand, Update, UpdateKind};
use teloxide::{ApiError, RequestError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

use super::error::Error;
use super::send::Sender;
use super::updates::Handler;
use crate::archive::Archive;
use crate::command::{self, AlertLimits, Defaults};
use crate::delivery::engine::Engine;
use crate::delivery::Courier;
use crate::secret::Secret;
use crate::summarize::Backend;

/// How long one `getUpdates` is held by Telegram when nothing happens. Telegram allows up to
/// 50 s; a shorter hold changes nothing but the number of idle requests.
pub const DEFAULT_POLL_TIMEOUT: Duration = Duration::from_secs(25);

/// What the bot's handlers share with the rest of paperboy. The store is the engine's.
pub struct Parts<C> {
    pub archive: Archive,
    pub backend: Backend,
    /// Settings for chats that chose none, and the `/today` cooldown.
    pub defaults: Defaults,
    /// Sends replies and `/today` digests, paced with scheduled deliveries.
    pub engine: Arc<Engine<C>>,
    /// How many days before today `/today` looks back for a day with papers.
    pub lookback_days: u32,
    /// Telegram users who may change any chat's subscription, as administrators can.
    pub owner_ids: Vec<i64>,
}

/// Where "now" comes from; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The longest hold Telegram grants a `getUpdates`.
const MAX_POLL_TIMEOUT: Duration = Duration::from_secs(50);

/// The Telegram bot: commands in, replies and digests out. Build it with [`Bot::new`], run it
/// with [`Bot::serve`].
pub struct Bot<C = Sender> {
    api: teloxide::Bot,
    parts: Parts<C>,
    clock: Clock,
    /// For one Bot API call other than the long poll.
    timeout: Duration,
    poll_timeout: Duration,
    backoff_base: Duration,
    backoff_max: Duration,
    /// How long handlers in flight may finish after the stop signal.
    shutdown_grace: Duration,
    alert_limits: AlertLimits,
}

impl<C> std::fmt::Debug for Bot<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("api_url", &self.api.api_url().as_str())
            .field("timeout", &self.timeout)
            .field("poll_timeout", &self.poll_timeout)
            .finish_non_exhaustive()
    }
}

impl<C: Courier + 'static> Bot<C> {
    /// A bot with this token, talking to the Bot API at `api_url`
    /// (`https://api.telegram.org/` in production, a fake in tests), giving up on a call after
    /// `timeout` (the long poll gets its hold time on top).
    pub fn new(
        token: &Secret,
        api_url: &Url,
        timeout: Duration,
        parts: Parts<C>,
    ) -> Result<Bot<C>, Error> {
        // The client's own timeout must outlast the longest long poll; every other call is
        // bounded by `timeout` where it is made.
        let client = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(MAX_POLL_TIMEOUT + timeout)
            .tcp_nodelay(true)
            .user_agent(crate::USER_AGENT)
            .build()
            .map_err(|source| Error::Client { source })?;
        let api = teloxide::Bot::with_client(token.expose(), client).set_api_url(api_url.clone());
        Ok(Bot {
            api,
            parts,
            clock: Arc::new(Utc::now),
            timeout,
            poll_timeout: DEFAULT_POLL_TIMEOUT,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(2),
            alert_limits: AlertLimits::default(),
        })
    }

    /// How long one `getUpdates` may be held: whole seconds, 1 to 50.
    pub fn with_poll_timeout(mut self, poll_timeout: Duration) -> Bot<C> {
        self.poll_timeout = poll_timeout.clamp(Duration::from_secs(1), MAX_POLL_TIMEOUT);
        self
    }

    /// The first and the longest pause after a failed poll (doubling in between).
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Bot<C> {
        self.backoff_base = base;
        self.backoff_max = max.max(base);
        self
    }

    /// How many alert rules a person may keep, and how long one may be (the configuration's
    /// `alerts` section; the defaults otherwise).
    pub fn with_alert_limits(mut self, limits: AlertLimits) -> Bot<C> {
        self.alert_limits = limits;
        self
    }

    /// Reads "now" from `clock` instead of the system clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Bot<C> {
        self.clock = clock;
        self
    }

    /// Serves commands until `stop` becomes true (or its sender is dropped), then returns
    /// within a few seconds. Errors only when the bot cannot start: the token is refused.
    pub async fn serve(self, mut stop: watch::Receiver<bool>) -> anyhow::Result<()> {
        let Some(me) = self
            .call_until_ok("getMe", || self.api.get_me(), &mut stop)
            .await?
        else {
            return Ok(());
        };
        let username = me.user.username.clone().unwrap_or_default();
        tracing::info!(username = %username, id = me.user.id.0, "telegram bot connected");
        // A webhook, if one was ever set, makes every getUpdates fail with 409.
        if self
            .call_until_ok(
                "deleteWebhook",
                || self.api.delete_webhook().drop_pending_updates(false),
                &mut stop,
            )
            .await?
            .is_none()
        {
            return Ok(());
        }
        self.set_commands().await;

        let handler = Arc::new(Handler {
            api: self.api.clone(),
            timeout: self.timeout,
            store: self.parts.engine.store.clone(),
            archive: self.parts.archive.clone(),
            backend: self.parts.backend.clone(),
            defaults: self.parts.defaults.clone(),
            engine: self.parts.engine.clone(),
            lookback_days: self.parts.lookback_days,
            owner_ids: self.parts.owner_ids.clone(),
            clock: self.clock.clone(),
            alert_limits: self.alert_limits,
        });
        let username: Arc<str> = Arc::from(username);
        let mut inflight = Inflight::default();
        let mut offset: Option<i32> = None;
        let mut failures: u32 = 0;
        let poll_secs = u32::try_from(self.poll_timeout.as_secs())
            .unwrap_or(u32::MAX)
            .max(1);
        loop {
            let mut request = self.api.get_updates().timeout(poll_secs).allowed_updates([
                AllowedUpdate::Message,
                AllowedUpdate::ChannelPost,
                AllowedUpdate::MyChatMember,
            ]);
            if let Some(o) = offset {
                request = request.offset(o);
            }
            let polled = tokio::select! {
                biased;
                () = stopped(&mut stop) => break,
                r = tokio::time::timeout(self.poll_timeout + self.timeout, request.send()) => r,
            };
            let error = match polled {
                Ok(Ok(updates)) => {
                    failures = 0;
                    for update in updates {
                        let next = update.id.as_offset();
                        offset = Some(offset.map_or(next, |o| o.max(next)));
                        dispatch(&handler, update, &username, &mut inflight);
                    }
                    inflight.prune();
                    continue;
                }
                Ok(Err(e)) => e.to_string(),
                Err(_) => format!("no answer within {:?}", self.poll_timeout + self.timeout),
            };
            failures = failures.saturating_add(1);
            let wait = self.backoff(failures);
            tracing::warn!(error = %error, failures, wait_ms = wait.as_millis() as u64, "getUpdates failed; polling again after a pause");
            tokio::select! {
                biased;
                () = stopped(&mut stop) => break,
                () = tokio::time::sleep(wait) => {}
            }
        }

        tracing::info!("stopping the telegram bot");
        inflight.finish(self.shutdown_grace).await;
        // Acknowledge what was handled, so a restart does not run those commands again.
        if let Some(o) = offset {
            let ack = self.api.get_updates().offset(o).timeout(0).limit(1);
            if let Ok(Err(e)) =
                tokio::time::timeout(self.timeout.min(Duration::from_secs(1)), ack.send()).await
            {
                tracing::debug!(error = %e, "could not acknowledge the last updates");
            }
        }
        Ok(())
    }

    /// Registers the command menu. Cosmetic: a failure is logged and the bot runs on.
    async fn set_commands(&self) {
        let commands: Vec<BotCommand> = command::COMMANDS
            .iter()
            .map(|(name, args, what)| {
                let description = if args.is_empty() {
                    what.to_string()
                } else {
                    format!("{args}: {what}")
                };
                BotCommand::new(*name, description)
            })
            .collect();
        match tokio::time::timeout(self.timeout, self.api.set_my_commands(commands).send()).await {
            Ok(Ok(_)) => tracing::debug!("command menu registered"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not register the command menu"),
            Err(_) => tracing::warn!("could not register the command menu: no answer"),
        }
    }

    /// Repeats a start-up call until it succeeds. `None` when stopped first; an error when
    /// Telegram refuses the token, since no retry can fix that.
    async fn call_until_ok<R, F>(
        &self,
        what: &str,
        make: F,
        stop: &mut watch::Receiver<bool>,
    ) -> anyhow::Result<Option<Output<R>>>
    where
        R: Request<Err = RequestError>,
        F: Fn() -> R,
    {
        let mut failures = 0u32;
        loop {
            let result = tokio::select! {
                biased;
                () = stopped(stop) => return Ok(None),
                r = tokio::time::timeout(self.timeout, make().send()) => r,
            };
            let error = match result {
                Ok(Ok(out)) => return Ok(Some(out)),
                Ok(Err(RequestError::Api(ApiError::InvalidToken))) => {
                    bail!("the Telegram Bot API refused the bot token ({what} answered Unauthorized): check {}", crate::config::ENV_TELEGRAM_TOKEN)
                }
                Ok(Err(e)) => e.to_string(),
                Err(_) => format!("no answer within {:?}", self.timeout),
            };
            failures = failures.saturating_add(1);
            let wait = self.backoff(failures);
            tracing::warn!(call = what, error = %error, wait_ms = wait.as_millis() as u64, "telegram start-up call failed; trying again");
            tokio::select! {
                biased;
                () = stopped(stop) => return Ok(None),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn backoff(&self, failures: u32) -> Duration {
        self.backoff_base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.backoff_max)
    }
}

/// Runs an update in its own task, after the updates of the same chat before it.
fn dispatch<C: Courier + 'static>(
    handler: &Arc<Handler<C>>,
    update: Update,
    username: &Arc<str>,
    inflight: &mut Inflight,
) {
    let chat_id = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::ChannelPost(m) => m.chat.id.0,
        UpdateKind::MyChatMember(m) => m.chat.id.0,
        UpdateKind::Error(raw) => {
            tracing::warn!(update_id = update.id.0, raw = %preview(raw), "skipping an update paperboy cannot read");
            return;
        }
        _ => {
            tracing::debug!(
                update_id = update.id.0,
                "ignoring an update of another kind"
            );
            return;
        }
    };
    let handler = handler.clone();
    let username = username.clone();
    inflight.spawn(chat_id, async move {
        handler.handle(update, &username).await;
    });
}

/// Completes once `stop` says so, or once nobody can say so any more.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // `Err` means the sender is gone: nothing can ask the bot to stop later, so stop now
    // rather than run unstoppable.
    let _ = stop.wait_for(|s| *s).await;
}

/// The start of an unreadable update, for the log.
fn preview(raw: &serde_json::Value) -> String {
    let text = raw.to_string();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// The handler tasks in flight: the last one of each chat, which runs after the one before
/// it (so a chat's updates apply in order).
#[derive(Default)]
struct Inflight {
    by_chat: HashMap<i64, JoinHandle<()>>,
}

impl Inflight {
    fn spawn(&mut self, chat_id: i64, work: impl Future<Output = ()> + Send + 'static) {
        let before = self.by_chat.remove(&chat_id).map(AbortOnDrop);
        let handle = tokio::spawn(async move {
            if let Some(mut before) = before {
                // A panic in the task before is its own; this update still runs.
                let _ = (&mut before.0).await;
            }
            work.await;
        });
        self.by_chat.insert(chat_id, handle);
    }

    /// Forgets finished tasks, so the map holds only chats with work in flight.
    fn prune(&mut self) {
        self.by_chat.retain(|_, h| !h.is_finished());
    }

    /// Lets the tasks in flight finish for at most `grace`, then stops the rest.
    async fn finish(self, grace: Duration) {
        let mut handles: Vec<JoinHandle<()>> = self.by_chat.into_values().collect();
        let all = futures::future::join_all(handles.iter_mut());
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("stopping command handlers still at work");
            for h in &handles {
                h.abort();
            }
        }
    }
}

/// A task that is stopped when its handle is dropped: aborting a chat's last task also
/// stops the ones queued before it.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
