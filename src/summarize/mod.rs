//! Summaries of papers: extractive (offline, deterministic, the default) or by an LLM.
//!
//! The backends form a closed enum chosen at start-up from the configuration, so callers
//! hold one `Backend` and never branch on which one it is.

pub mod extractive;
pub mod script;

use crate::domain::{Language, Paper, Summary};

/// The summarizer in use.
#[derive(Debug, Clone, Default)]
pub enum Backend {
    /// Offline and deterministic; the abstract stays in its original language.
    #[default]
    Extractive,
}

impl Backend {
    /// A summary of `paper` for readers of `language`. Never fails: a backend that cannot
    /// answer falls back to the extractive summary, marked as such.
    pub async fn summarize(&self, paper: &Paper, _language: Language) -> Summary {
        match self {
            Backend::Extractive => extractive::summarize(paper),
        }
    }
}
