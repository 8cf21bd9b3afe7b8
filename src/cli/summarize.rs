//! `paperboy summarize --date D --lang CODE`: fills the summary cache for a day ahead of
//! time, so that digests due later never wait on the model.
//!
//! On a terminal it draws a progress bar; otherwise (cron, systemd) it writes one plain line
//! per paper, which reads well in a log.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::domain::{selection, Language};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Daily Papers day (UTC), YYYY-MM-DD. Default: the latest day with papers.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Languages to prepare (repeat or comma-separate). Default: digest.language.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub lang: Vec<Language>,
    /// How many of the day's top papers (default: 10, the most a chat can ask for).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    if !config.llm.is_enabled() {
        bail!("no language model is configured: set llm.base_url (or PAPERBOY_LLM__BASE_URL); the extractive summarizer needs no preparation");
    }
    let store = super::open_store(config)?;
    let archive = crate::archive::Archive::new(store.clone(), super::hf_client(config)?);
    let backend = super::summarizer(config, Some(store.clone()))?;
    let now = Utc::now();
    let (date, papers) = match args.date {
        Some(date) => (date, archive.day(date, now).await?),
        None => {
            let today = now.date_naive();
            let days: Vec<NaiveDate> = (0..=config.source.lookback_days)
                .filter_map(|back| today.checked_sub_days(chrono::Days::new(back.into())))
                .collect();
            match archive.newest_with_papers(&days, now).await? {
                Some(found) => found,
                None => {
                    eprintln!(
                        "paperboy: no papers in the last {} days",
                        config.source.lookback_days
                    );
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
    };
    if papers.is_empty() {
        eprintln!("paperboy: no papers on {date} (weekend?)");
        return Ok(ExitCode::SUCCESS);
    }
    let languages = if args.lang.is_empty() {
        vec![config.digest.language]
    } else {
        args.lang
    };
    let top = selection::top(&papers, args.top.max(1));
    let total = top.len() * languages.len();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let prepared = backend
        .prepare(&top, &languages, |done, total, paper| match &bar {
            Some(bar) => {
                bar.set_position(done as u64);
                bar.set_message(paper.id.clone());
            }
            None => eprintln!(
                "paperboy: summarized {done}/{total}: {} {}",
                paper.id, paper.title
            ),
        })
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    store.flush().await.context("cannot flush the store")?;
    let langs: Vec<&str> = languages.iter().map(Language::code).collect();
    eprintln!(
        "paperboy: {date}: {} summaries in {} ready, {} fell back to extractive (retried next time)",
        prepared.total - prepared.fallbacks,
        langs.join(", "),
        prepared.fallbacks
    );
    Ok(ExitCode::SUCCESS)
}
