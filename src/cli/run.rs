//! `paperboy run`: the bots and the scheduler, until SIGINT or SIGTERM.
//!
//! One process serves every configured platform from one store. On a signal every task is
//! told to stop; deliveries finish the message in flight, the store is flushed, and the
//! process exits within about five seconds.

use std::collections::{BTreeSet, HashMap};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::adapters::Couriers;
use crate::archive::Archive;
use crate::config::Config;
use crate::delivery::engine::Engine;
use crate::delivery::pass;
use crate::domain::{selection, Language, Subscription};
use crate::scheduler;
use crate::summarize::Backend;

/// How long a shutdown may take before paperboy exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(4);
/// Least time between two preparations of one (day, language): failures are not retried
/// on every tick, which would spend tokens in a loop.
const PREPARE_AGAIN_AFTER: chrono::Duration = chrono::Duration::hours(1);

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config)?;
    let Some(couriers) = super::couriers(config, &store)? else {
        return Ok(super::no_platform());
    };
    let archive = Archive::new(store.clone(), super::hf_client(config)?);
    let backend = super::summarizer(config, Some(store.clone()))?;
    let platforms = couriers.platforms();
    let engine = Arc::new(super::engine(config, store.clone(), couriers));
    let (stop_tx, stop_rx) = watch::channel(false);

    let mut tasks: JoinSet<anyhow::Result<()>> = JoinSet::new();
    tasks.spawn(schedule(
        engine.clone(),
        archive.clone(),
        backend.clone(),
        Loop {
            tick: config.schedule.tick,
            lookback_days: config.source.lookback_days,
            platforms: platforms.clone(),
            prepare_before: config.llm.prepare_before,
        },
        stop_rx.clone(),
    ));
    tasks.spawn(crate::alerts::run(
        engine.clone(),
        archive.clone(),
        backend.clone(),
        config.alerts.poll_cron.clone(),
        config.digest.language,
        stop_rx.clone(),
    ));
    super::bots::spawn(
        config,
        &mut tasks,
        &engine,
        &archive,
        &backend,
        stop_rx.clone(),
    )?;

    tracing::info!(
        platforms = ?platforms,
        subscriptions = store.count_subscriptions(),
        summarizer = if backend.is_llm() { "llm" } else { "extractive" },
        "paperboy is running"
    );

    let mut failed = false;
    tokio::select! {
        () = super::shutdown_signal() => tracing::info!("stopping"),
        Some(ended) = tasks.join_next() => {
            // A task only ends early on a fatal error (e.g. a token the platform refuses).
            match ended {
                Ok(Ok(())) => tracing::warn!("a task ended; stopping"),
                Ok(Err(err)) => {
                    tracing::error!(error = format!("{err:#}"), "stopping after a fatal error");
                    failed = true;
                }
                Err(err) => {
                    tracing::error!(error = %err, "a task panicked; stopping");
                    failed = true;
                }
            }
        }
    }
    // Receivers may all be gone already; then there is nobody to tell.
    let _ = stop_tx.send(true);
    engine.stop();
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!("tasks still busy at shutdown; exiting anyway (the ledger resumes them)");
        tasks.abort_all();
    }
    store.flush().await.context("cannot flush the store")?;
    tracing::info!("stopped");
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The scheduler's settings.
struct Loop {
    tick: Duration,
    lookback_days: u32,
    platforms: Vec<crate::domain::Platform>,
    prepare_before: Duration,
}

/// Every tick: prepare LLM summaries that will soon be needed, then run a delivery pass.
async fn schedule(
    engine: Arc<Engine<Couriers>>,
    archive: Archive,
    backend: Backend,
    settings: Loop,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(settings.tick.max(Duration::from_secs(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut prepared: HashMap<(NaiveDate, Language), DateTime<Utc>> = HashMap::new();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return Ok(());
        }
        let now = Utc::now();
        if backend.is_llm() {
            prepare(&engine, &archive, &backend, &settings, now, &mut prepared).await;
        }
        let options = pass::Options {
            now,
            lookback_days: settings.lookback_days,
            ignore_schedule: false,
            date: None,
            only: None,
            platforms: settings.platforms.clone(),
            concurrency: super::PASS_CONCURRENCY,
        };
        match pass::run_once(engine.clone(), &archive, &backend, &options).await {
            Ok(report) if report.due > 0 => tracing::info!(
                due = report.due,
                delivered = report.delivered,
                messages = report.messages_sent,
                retry = report.retry,
                failed = report.failed,
                "delivery pass"
            ),
            Ok(_) => {}
            Err(err) => tracing::warn!(
                error = format!("{:#}", anyhow::Error::from(err)),
                "delivery pass failed; next tick tries again"
            ),
        }
    }
}

/// Summarizes the papers chats will receive soon, in their languages, so that no digest
/// waits on the model when it is due.
async fn prepare(
    engine: &Engine<Couriers>,
    archive: &Archive,
    backend: &Backend,
    settings: &Loop,
    now: DateTime<Utc>,
    prepared: &mut HashMap<(NaiveDate, Language), DateTime<Utc>>,
) {
    let horizon = now + chrono::Duration::from_std(settings.prepare_before).unwrap_or_default();
    let mut languages = BTreeSet::new();
    let mut top_n = 1;
    for sub in engine.store.subscriptions_iter().filter_map(Result::ok) {
        if is_due_before(&sub, horizon) {
            languages.insert(sub.language);
            top_n = top_n.max(usize::from(sub.top_n));
        }
    }
    if languages.is_empty() {
        return;
    }
    let days = scheduler::candidate_days(horizon, settings.lookback_days);
    let (date, papers) = match archive.newest_with_papers(&days, now).await {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(err) => {
            tracing::warn!(error = %err, "cannot prepare summaries");
            return;
        }
    };
    let languages: Vec<Language> = languages
        .into_iter()
        .filter(|l| {
            prepared
                .get(&(date, *l))
                .is_none_or(|at| now - *at > PREPARE_AGAIN_AFTER)
        })
        .collect();
    if languages.is_empty() {
        return;
    }
    let top = selection::top(&papers, top_n);
    // Owned tasks: the LLM client's own semaphore bounds how many run at once.
    let mut jobs = JoinSet::new();
    for paper in &top {
        for language in &languages {
            let (backend, paper, language) = (backend.clone(), paper.clone(), *language);
            jobs.spawn(async move {
                backend
                    .summarize(&paper, language)
                    .await
                    .origin
                    .is_fallback()
            });
        }
    }
    let mut fallbacks = 0;
    while let Some(done) = jobs.join_next().await {
        fallbacks += usize::from(done.unwrap_or(true));
    }
    tracing::info!(%date, languages = ?languages, papers = top.len(), fallbacks, "summaries prepared");
    for language in languages {
        prepared.insert((date, language), now);
    }
}

/// Whether a chat's next slot comes before `horizon`.
fn is_due_before(sub: &Subscription, horizon: DateTime<Utc>) -> bool {
    sub.is_active
        && scheduler::next_slot(horizon - chrono::Duration::days(1), sub.time, sub.timezone)
            <= horizon
}
