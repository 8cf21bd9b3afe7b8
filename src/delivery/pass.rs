//! One delivery pass: find who is due, build each digest once, deliver to every chat
//! concurrently under the shared rate limits.
//!
//! The scheduler runs a pass every tick; `paperboy send` runs one and exits. A pass is safe
//! to repeat at any moment: the ledger makes every message go out once.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::task::JoinSet;

use crate::archive::{self, Archive};
use crate::domain::{ChatRef, Language, Paper, Platform, Subscription};
use crate::pipeline;
use crate::render;
use crate::scheduler;
use crate::store::{self, LedgerItem};
use crate::summarize::Backend;

use super::engine::{Engine, Outcome};
use super::{Courier, Outbound};

/// What a pass does.
#[derive(Debug, Clone)]
pub struct Options {
    pub now: DateTime<Utc>,
    /// How many days back to look for a day with papers.
    pub lookback_days: u32,
    /// Deliver now, whatever each chat's time of day (`paperboy send`).
    pub ignore_schedule: bool,
    /// Deliver this day instead of the newest one.
    pub date: Option<NaiveDate>,
    /// Only this chat.
    pub only: Option<ChatRef>,
    /// The platforms a courier is configured for; other chats wait.
    pub platforms: Vec<Platform>,
    /// Most jobs in flight at once.
    pub concurrency: usize,
}

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub due: usize,
    pub delivered: usize,
    pub messages_sent: usize,
    pub retry: usize,
    pub failed: usize,
}

/// A pass could not start or went wrong as a whole.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the subscriptions")]
    Store(#[from] store::Error),
    #[error(transparent)]
    Archive(#[from] archive::Error),
}

/// The digest a chat receives is decided by these: rendered once per key, reused by all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct DigestKey {
    date: NaiveDate,
    language: Language,
    top_n: u8,
    platform: Platform,
}

/// Runs one pass. Per-chat failures are in the report, not errors.
pub async fn run_once<C: Courier + 'static>(
    engine: Arc<Engine<C>>,
    archive: &Archive,
    backend: &Backend,
    options: &Options,
) -> Result<Report, Error> {
    // Read lazily and keep only the chats that could be due: a large, idle store is never
    // held in memory.
    let mut subscriptions: Vec<Subscription> = Vec::new();
    for sub in engine.store.subscriptions_iter() {
        let sub = sub?;
        let wanted = sub.is_active
            && options.platforms.contains(&sub.chat.platform())
            && options.only.as_ref().is_none_or(|c| *c == sub.chat)
            && (options.ignore_schedule || scheduler::due_slot(options.now, &sub).is_some());
        if wanted {
            subscriptions.push(sub);
        }
    }

    let mut days: HashMap<NaiveDate, Arc<Vec<Paper>>> = HashMap::new();
    let mut jobs: BTreeMap<DigestKey, Vec<ChatRef>> = BTreeMap::new();
    for sub in &subscriptions {
        let slot = if options.ignore_schedule {
            options.now
        } else {
            match scheduler::due_slot(options.now, sub) {
                Some(slot) => slot,
                None => continue,
            }
        };
        let date = match options.date {
            Some(date) => Some(date),
            None => {
                let candidates = scheduler::candidate_days(slot, options.lookback_days);
                let mut with_papers = Vec::new();
                for day in candidates {
                    // Candidates are newest first; the first with papers is the one.
                    if sub.last_delivered.is_some_and(|last| last >= day) {
                        break;
                    }
                    let papers = match days.get(&day) {
                        Some(p) => p.clone(),
                        None => {
                            let p = Arc::new(archive.day(day, options.now).await?);
                            days.insert(day, p.clone());
                            p
                        }
                    };
                    if !papers.is_empty() {
                        with_papers.push(day);
                        break;
                    }
                }
                scheduler::day_to_deliver(with_papers, sub.last_delivered)
            }
        };
        let Some(date) = date else { continue };
        if engine
            .store
            .is_recorded(&sub.chat, &LedgerItem::DigestDone { date })?
        {
            continue;
        }
        let key = DigestKey {
            date,
            language: sub.language,
            top_n: sub.top_n,
            platform: sub.chat.platform(),
        };
        jobs.entry(key).or_default().push(sub.chat.clone());
    }

    let mut report = Report {
        due: jobs.values().map(Vec::len).sum(),
        ..Report::default()
    };
    let limit = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
    let mut running = JoinSet::new();
    for (key, chats) in jobs {
        let papers = match days.get(&key.date) {
            Some(p) => p.clone(),
            None => {
                let p = Arc::new(archive.day(key.date, options.now).await?);
                days.insert(key.date, p.clone());
                p
            }
        };
        if papers.is_empty() {
            tracing::info!(date = %key.date, "no papers on that day; nothing to send");
            continue;
        }
        let digest = pipeline::build_digest(
            key.date,
            &papers,
            usize::from(key.top_n),
            key.language,
            backend,
        )
        .await;
        let messages: Arc<Vec<Outbound>> = Arc::new(match key.platform {
            Platform::Telegram => render::telegram::messages(&digest)
                .into_iter()
                .map(Outbound::Telegram)
                .collect(),
            Platform::Discord | Platform::DiscordWebhook => render::discord::messages(&digest)
                .into_iter()
                .map(Outbound::Discord)
                .collect(),
        });
        for chat in chats {
            // The semaphore is never closed, so acquiring only waits.
            let Ok(permit) = limit.clone().acquire_owned().await else {
                break;
            };
            let engine = engine.clone();
            let messages = messages.clone();
            let date = key.date;
            running.spawn(async move {
                let outcome = engine.deliver(&chat, date, &messages).await;
                drop(permit);
                (chat, outcome)
            });
        }
    }
    while let Some(joined) = running.join_next().await {
        let (chat, outcome) = match joined {
            Ok(done) => done,
            Err(err) => {
                tracing::error!(error = %err, "a delivery task panicked");
                report.retry += 1;
                continue;
            }
        };
        match outcome {
            Ok(Outcome::Delivered { chat, sent, .. }) => {
                tracing::info!(chat = %chat.redacted(), sent, "digest delivered");
                report.delivered += 1;
                report.messages_sent += sent;
            }
            Ok(Outcome::Retry { reason }) => {
                tracing::warn!(chat = %chat.redacted(), %reason, "delivery unfinished; next pass resumes it");
                report.retry += 1;
            }
            Ok(Outcome::Failed { reason, inactive }) => {
                tracing::warn!(chat = %chat.redacted(), %reason, inactive, "delivery failed");
                report.failed += 1;
            }
            Err(err) => {
                tracing::error!(chat = %chat.redacted(), error = %err, "delivery stopped");
                report.retry += 1;
            }
        }
    }
    Ok(report)
}
