//! Summaries of papers: extractive (offline, deterministic, the default) or by an LLM.
//!
//! The backends form a closed enum chosen at start-up from the configuration, so callers
//! hold one `Backend` and never branch on which one it is.

pub mod extractive;
pub mod llm;
pub mod script;

use std::time::Duration;

use futures::StreamExt;

use crate::domain::{Language, Paper, Summary};
use crate::secret::Secret;
use crate::store::Store;

pub use llm::Llm;

/// The summarizer in use.
#[derive(Debug, Clone, Default)]
pub enum Backend {
    /// Offline and deterministic; the abstract stays in its original language.
    #[default]
    Extractive,
    /// A language model writes the summary, translates the abstract and lists key points in
    /// the reader's language, English included.
    Llm(Llm),
}

/// What [`Backend::prepare`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prepared {
    /// Papers times languages.
    pub total: usize,
    /// How many of those ended as extractive fallbacks (not cached; retried next time).
    pub fallbacks: usize,
}

impl Backend {
    /// The backend the `[llm]` settings ask for: extractive when `base_url` is empty, else a
    /// model at `base_url` (`https://api.openai.com/v1`, `http://localhost:11434/v1`, ...)
    /// called with `api_key` when there is one. `timeout` bounds each HTTP attempt,
    /// `max_concurrency` the calls in flight, `daily_token_budget` (0 = none) the tokens per
    /// UTC day; with a `store`, summaries and the token count persist across restarts.
    pub fn from_config(
        base_url: &str,
        model: &str,
        api_key: Option<Secret>,
        timeout: Duration,
        max_concurrency: usize,
        daily_token_budget: u64,
        store: Option<Store>,
    ) -> Result<Backend, llm::Error> {
        if base_url.trim().is_empty() {
            return Ok(Backend::Extractive);
        }
        let client = llm::Client::new(base_url, api_key, timeout, max_concurrency)?;
        let mut llm = Llm::new(client, model).with_daily_token_budget(daily_token_budget);
        if let Some(store) = store {
            llm = llm.with_store(store);
        }
        Ok(Backend::Llm(llm))
    }

    /// A summary of `paper` for readers of `language`. Never fails: a backend that cannot
    /// answer falls back to the extractive summary, marked as such.
    pub async fn summarize(&self, paper: &Paper, language: Language) -> Summary {
        match self {
            Backend::Extractive => extractive::summarize(paper),
            Backend::Llm(llm) => llm.summarize(paper, language).await,
        }
    }

    /// True when summaries come from a model (and `/lang` changes the content, not only the
    /// labels).
    pub fn is_llm(&self) -> bool {
        matches!(self, Backend::Llm(_))
    }

    /// Summarizes every paper in every language ahead of delivery, so that a digest due later
    /// finds them cached and never waits on the model. `progress(done, total, paper)` is
    /// called after each one, in completion order.
    pub async fn prepare(
        &self,
        papers: &[Paper],
        languages: &[Language],
        mut progress: impl FnMut(usize, usize, &Paper),
    ) -> Prepared {
        let jobs: Vec<(&Paper, Language)> = papers
            .iter()
            .flat_map(|p| languages.iter().map(move |l| (p, *l)))
            .collect();
        let total = jobs.len();
        let parallel = match self {
            Backend::Extractive => 1,
            // Twice the client's limit keeps it busy; the client's semaphore does the bounding.
            Backend::Llm(llm) => llm.client().max_concurrency() * 2,
        };
        let mut done = futures::stream::iter(jobs)
            .map(|(paper, language)| async move { (paper, self.summarize(paper, language).await) })
            .buffer_unordered(parallel);
        let mut prepared = Prepared {
            total,
            fallbacks: 0,
        };
        let mut count = 0;
        while let Some((paper, summary)) = done.next().await {
            count += 1;
            if summary.origin.is_fallback() {
                prepared.fallbacks += 1;
            }
            progress(count, total, paper);
        }
        prepared
    }
}
