//! A day's digest: the selected papers, each with its summary, in one language.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Language, Paper};

/// What a reader sees of one paper besides its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// One or two sentences.
    pub summary: String,
    /// The abstract: the original, or a translation when an LLM wrote this summary.
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Three to four short points, in the abstract's order.
    pub key_points: Vec<String>,
    pub origin: SummaryOrigin,
}

/// Who wrote a [`Summary`], so a digest can say when the model was not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SummaryOrigin {
    /// The offline extractive summarizer, by choice.
    Extractive,
    /// A language model, in the language asked for.
    Llm { model: String },
    /// The extractive summarizer because the model failed or the budget ran out.
    Fallback { reason: String },
}

impl SummaryOrigin {
    /// True when the reader asked for a model summary but did not get one.
    pub fn is_fallback(&self) -> bool {
        matches!(self, SummaryOrigin::Fallback { .. })
    }
}

/// One paper in a digest, at its rank (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub rank: usize,
    pub paper: Paper,
    pub summary: Summary,
}

/// The top papers of one UTC day, summarized in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The Daily Papers day (UTC) the papers were listed on.
    pub date: NaiveDate,
    /// The language of the labels and, with an LLM, of the content.
    pub language: Language,
    /// The number of papers asked for; `entries` may hold fewer on a quiet day.
    pub top_n: usize,
    pub entries: Vec<Entry>,
}

impl Digest {
    /// True when the day had no papers (weekends, usually).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
