//! Delivering one job, a day's digest to one chat, message by message: send first, then
//! record the message in the ledger (flushed), so a crash resumes from the next message.
//!
//! A crash can repeat at most the message that was in flight (it was sent, not yet
//! recorded) and never loses one. The engine acts on the courier's platform-neutral
//! [`SendError`]s: 429 waits and sends the same message again, transient errors back off
//! and give the job back to the next pass, permanent ones count towards making the chat
//! inactive (its settings are kept), and a migrated chat is moved in the store and
//! delivered at its new id.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;

use crate::domain::subscription::InactiveReason;
use crate::domain::ChatRef;
use crate::render::telegram::Call;
use crate::store::{self, LedgerItem, Store};

use super::pace::Pace;
use super::{Courier, Outbound, SendError};

/// Records that `chat` has the whole digest of `date`: the scheduler never sends it that
/// day again, and the chat's failure count starts over.
async fn record_day(store: &Store, chat: &ChatRef, date: NaiveDate) -> Result<(), store::Error> {
    store.record(chat, &LedgerItem::DigestDone { date }).await?;
    store.update_subscription(chat, |s| {
        s.consecutive_failures = 0;
        if s.last_delivered.is_none_or(|d| d < date) {
            s.last_delivered = Some(date);
        }
    })?;
    Ok(())
}

/// Counts a digest sent on request (`/today`) as the chat's delivery of `date`, so the
/// schedule does not bring the same day again an hour later: a subscribed chat never gets
/// one day twice unless it asks twice. Returns whether it was counted.
///
/// Only for a chat with an active subscription (others have no schedule to spare), and only
/// for a finished UTC day: today's list is still growing on Hugging Face, and the scheduled
/// digest of it, tomorrow, is the one worth having.
pub async fn record_on_request(
    store: &Store,
    chat: &ChatRef,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, store::Error> {
    if date >= now.date_naive() {
        return Ok(false);
    }
    if !store.subscription(chat)?.is_some_and(|s| s.is_active) {
        return Ok(false);
    }
    record_day(store, chat, date).await?;
    Ok(true)
}

/// How hard to try before giving up on a job for this pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts of one message on transient errors before the job goes back to the queue.
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Consecutive permanent failures after which a chat becomes inactive.
    pub failures_before_inactive: u32,
    /// 429s for one message before the job goes back to the queue (each one is waited out).
    pub max_rate_limited: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 5,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(300),
            failures_before_inactive: 3,
            max_rate_limited: 10,
        }
    }
}

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every message is in the ledger. `chat` is where it went (the new id after a move).
    Delivered {
        chat: ChatRef,
        sent: usize,
        resumed: usize,
    },
    /// Not finished; the next pass tries again from the first unrecorded message.
    Retry { reason: String },
    /// The chat cannot be reached; `inactive` when this failure made it inactive.
    Failed { reason: String, inactive: bool },
}

/// Why [`Engine::send_now_detailed`] did not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSent {
    /// Rate limits or transient errors outlasted the retries: try again later.
    Later(String),
    /// A permanent failure (blocked, kicked, not found) or a destination that is gone.
    Unreachable(String),
}

/// The ledger could not be read or written: the job stops (sending without recording
/// would risk duplicates after a crash).
#[derive(Debug, thiserror::Error)]
#[error("delivery to {} stopped: the store failed", chat.redacted())]
pub struct StoreFailed {
    pub chat: ChatRef,
    #[source]
    pub source: store::Error,
}

/// The parts of the delivery engine every job shares. Cheap to clone.
#[derive(Debug)]
pub struct Engine<C> {
    pub store: Store,
    pub courier: C,
    pub pace: Pace,
    pub retry: Retry,
    /// Set on SIGINT/SIGTERM: jobs finish the message in flight and stop before the next.
    pub stopping: Arc<AtomicBool>,
}

impl<C: Courier> Engine<C> {
    pub fn new(store: Store, courier: C, pace: Pace, retry: Retry) -> Engine<C> {
        Engine {
            store,
            courier,
            pace,
            retry,
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Asks every job to stop after the message in flight.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    /// Delivers the digest of `date` (already rendered as `messages`) to `chat`, resuming
    /// after whatever the ledger says was sent. Marks the day delivered when done.
    pub async fn deliver(
        &self,
        chat: &ChatRef,
        date: NaiveDate,
        messages: &[Outbound],
    ) -> Result<Outcome, StoreFailed> {
        let mut chat = chat.clone();
        let fail = |chat: &ChatRef, source| StoreFailed {
            chat: chat.clone(),
            source,
        };
        if self
            .store
            .is_recorded(&chat, &LedgerItem::DigestDone { date })
            .map_err(|e| fail(&chat, e))?
        {
            return Ok(Outcome::Delivered {
                chat,
                sent: 0,
                resumed: messages.len(),
            });
        }
        let (mut sent, mut resumed) = (0, 0);
        for (index, message) in messages.iter().enumerate() {
            let part = LedgerItem::DigestPart {
                date,
                part: u16::try_from(index).unwrap_or(u16::MAX),
            };
            if self.stopping.load(Ordering::Relaxed) {
                return Ok(Outcome::Retry {
                    reason: "shutting down".to_string(),
                });
            }
            if self
                .store
                .is_recorded(&chat, &part)
                .map_err(|e| fail(&chat, e))?
            {
                resumed += 1;
                continue;
            }
            match self
                .send_one(&mut chat, message)
                .await
                .map_err(|e| fail(&chat, e))?
            {
                Step::Sent => {
                    self.store
                        .record(&chat, &part)
                        .await
                        .map_err(|e| fail(&chat, e))?;
                    sent += 1;
                }
                Step::GiveBack(reason) => return Ok(Outcome::Retry { reason }),
                Step::Unreachable(reason) => {
                    let inactive = self
                        .count_failure(&chat, &reason)
                        .map_err(|e| fail(&chat, e))?;
                    return Ok(Outcome::Failed { reason, inactive });
                }
                Step::Gone(reason) => {
                    self.make_inactive(&chat, InactiveReason::Removed)
                        .map_err(|e| fail(&chat, e))?;
                    return Ok(Outcome::Failed {
                        reason,
                        inactive: true,
                    });
                }
            }
        }
        record_day(&self.store, &chat, date)
            .await
            .map_err(|e| fail(&chat, e))?;
        Ok(Outcome::Delivered {
            chat,
            sent,
            resumed,
        })
    }

    /// Sends one message that is not tied to a digest (a command reply, an alert), paced
    /// and retried like digest messages. A move of the chat is followed.
    pub async fn send_now(
        &self,
        chat: &ChatRef,
        message: &Outbound,
    ) -> Result<Result<(), String>, store::Error> {
        Ok(self
            .send_now_detailed(chat, message)
            .await?
            .map_err(|not_sent| match not_sent {
                NotSent::Later(reason) | NotSent::Unreachable(reason) => reason,
            }))
    }

    /// [`Engine::send_now`], telling a failure worth retrying from a recipient who cannot
    /// be reached (blocked the bot, deleted their account): alerts pause such a person.
    pub async fn send_now_detailed(
        &self,
        chat: &ChatRef,
        message: &Outbound,
    ) -> Result<Result<(), NotSent>, store::Error> {
        let mut chat = chat.clone();
        Ok(match self.send_one(&mut chat, message).await? {
            Step::Sent => Ok(()),
            Step::GiveBack(reason) => Err(NotSent::Later(reason)),
            Step::Unreachable(reason) => Err(NotSent::Unreachable(reason)),
            Step::Gone(reason) => {
                self.make_inactive(&chat, InactiveReason::Removed)?;
                Err(NotSent::Unreachable(reason))
            }
        })
    }

    /// One message, with waits for 429s and backoff for transient errors.
    async fn send_one(&self, chat: &mut ChatRef, message: &Outbound) -> Result<Step, store::Error> {
        let mut attempts = 0;
        let mut rate_limited = 0;
        let mut moves = 0;
        // A stored photo file id can go stale (another bot token, a wiped cache on
        // Telegram's side); when one is refused, the URL is tried before blaming the chat.
        let mut use_cached_photo = true;
        loop {
            let (message, is_cached_photo) = if use_cached_photo {
                self.with_cached_photo(message)?
            } else {
                (message.clone(), false)
            };
            let ticket = self.pace.wait(chat).await;
            let outcome = self.courier.send(chat, &message).await;
            // Whatever the answer, the message may have been counted: it keeps its place in
            // the limits from now (see `pace`).
            ticket.answered();
            match outcome {
                Ok(receipt) => {
                    if let Some((url, file_id)) = receipt.photo_file_id {
                        self.store.put_photo_file_id(&url, &file_id)?;
                    }
                    return Ok(Step::Sent);
                }
                Err(SendError::RetryAfter(wait)) => {
                    rate_limited += 1;
                    tracing::warn!(chat = %chat.redacted(), wait_ms = wait.as_millis() as u64, "rate limited by the platform");
                    if rate_limited > self.retry.max_rate_limited {
                        return Ok(Step::GiveBack(format!("rate limited {rate_limited} times")));
                    }
                    self.pace.hold_chat(chat, wait);
                }
                Err(SendError::Transient(reason)) => {
                    attempts += 1;
                    tracing::warn!(chat = %chat.redacted(), attempt = attempts, %reason, "transient send failure");
                    if attempts >= self.retry.max_attempts {
                        return Ok(Step::GiveBack(reason));
                    }
                    tokio::time::sleep(self.backoff(attempts)).await;
                }
                Err(SendError::Permanent(reason)) if is_cached_photo => {
                    tracing::warn!(chat = %chat.redacted(), %reason, "stored photo file id refused; sending the URL");
                    use_cached_photo = false;
                }
                Err(SendError::Permanent(reason)) => {
                    tracing::warn!(chat = %chat.redacted(), %reason, "chat unreachable");
                    return Ok(Step::Unreachable(reason));
                }
                Err(SendError::Gone(reason)) => {
                    tracing::warn!(chat = %chat.redacted(), %reason, "chat gone; inactive, settings kept");
                    return Ok(Step::Gone(reason));
                }
                Err(SendError::Migrated(to)) => {
                    moves += 1;
                    if moves > 2 {
                        return Ok(Step::GiveBack(format!("chat moved {moves} times")));
                    }
                    tracing::info!(from = %chat.redacted(), to = %to.redacted(), "chat migrated; moving its records");
                    self.store.move_chat(chat, &to)?;
                    *chat = to;
                }
            }
        }
    }

    /// A photo already uploaded once goes by its file id: Telegram then skips fetching it.
    /// Returns the message to send and whether a stored file id was put in.
    fn with_cached_photo(&self, message: &Outbound) -> Result<(Outbound, bool), store::Error> {
        if let Outbound::Telegram(Call::SendPhoto {
            photo,
            caption,
            parse_mode,
        }) = message
        {
            if let Some(file_id) = self.store.photo_file_id(photo)? {
                let cached = Outbound::Telegram(Call::SendPhoto {
                    photo: file_id,
                    caption: caption.clone(),
                    parse_mode: *parse_mode,
                });
                return Ok((cached, true));
            }
        }
        Ok((message.clone(), false))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .retry
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.retry.backoff_max);
        // Up to 25% jitter so chats that failed together do not retry together.
        let jitter = rand::thread_rng().gen_range(0.0..0.25);
        exp.mul_f64(1.0 + jitter)
    }

    /// Makes a chat inactive at once, keeping its settings.
    fn make_inactive(&self, chat: &ChatRef, reason: InactiveReason) -> Result<(), store::Error> {
        self.store.update_subscription(chat, |s| {
            s.is_active = false;
            s.inactive_reason = Some(reason.clone());
        })?;
        Ok(())
    }

    /// Counts a permanent failure; returns true when it made the chat inactive.
    fn count_failure(&self, chat: &ChatRef, reason: &str) -> Result<bool, store::Error> {
        let limit = self.retry.failures_before_inactive.max(1);
        let mut became_inactive = false;
        self.store.update_subscription(chat, |s| {
            s.consecutive_failures = s.consecutive_failures.saturating_add(1);
            if s.is_active && s.consecutive_failures >= limit {
                s.is_active = false;
                s.inactive_reason = Some(InactiveReason::Failing(reason.to_string()));
                became_inactive = true;
            }
        })?;
        if became_inactive {
            tracing::warn!(chat = %chat.redacted(), %reason, "chat made inactive after repeated failures; settings kept");
        }
        Ok(became_inactive)
    }
}

enum Step {
    Sent,
    GiveBack(String),
    Unreachable(String),
    Gone(String),
}
