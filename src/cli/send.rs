//! `paperboy send`: one delivery pass now, then exit.
//!
//! Every active subscription (or the one `--chat`) that has not received the day yet gets
//! it, whatever its time of day. Safe to interrupt and run again: the ledger makes every
//! message go out once. Exit status 0 when everything due was delivered, 75 (EX_TEMPFAIL)
//! when some deliveries must be retried, so a script can loop until done.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{NaiveDate, Utc};

use crate::config::Config;
use crate::delivery::pass;
use crate::domain::ChatRef;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Daily Papers day to deliver. Default: the newest day before today with papers.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Only this chat (telegram:ID, discord:ID, discord-webhook:URL).
    #[arg(long, value_name = "CHAT")]
    pub chat: Option<ChatRef>,
}

/// Exit status when some deliveries are left for the next run.
const EX_TEMPFAIL: u8 = 75;

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config)?;
    let Some(couriers) = super::couriers(config, &store)? else {
        return Ok(super::no_platform());
    };
    let archive = crate::archive::Archive::new(store.clone(), super::hf_client(config)?);
    let backend = super::summarizer(config, Some(store.clone()))?;
    let platforms = couriers.platforms();
    let engine = Arc::new(super::engine(config, store.clone(), couriers));
    let options = pass::Options {
        now: Utc::now(),
        lookback_days: config.source.lookback_days,
        ignore_schedule: true,
        date: args.date,
        only: args.chat,
        platforms,
        concurrency: super::PASS_CONCURRENCY,
    };
    let pass = pass::run_once(engine.clone(), &archive, &backend, &options);
    tokio::pin!(pass);
    let report = tokio::select! {
        report = &mut pass => report,
        () = super::shutdown_signal() => {
            tracing::info!("stopping: finishing the messages in flight");
            engine.stop();
            match tokio::time::timeout(Duration::from_secs(4), &mut pass).await {
                Ok(report) => report,
                Err(_) => {
                    store.flush().await.context("cannot flush the store")?;
                    anyhow::bail!("stopped before the pass finished; run again to resume");
                }
            }
        }
    }
    .context("the delivery pass failed")?;
    store.flush().await.context("cannot flush the store")?;
    eprintln!(
        "paperboy: {} due, {} delivered ({} messages), {} to retry, {} failed",
        report.due, report.delivered, report.messages_sent, report.retry, report.failed
    );
    Ok(if report.retry > 0 {
        ExitCode::from(EX_TEMPFAIL)
    } else {
        ExitCode::SUCCESS
    })
}
