//! The offline summarizer: HF's own summary when present, else the abstract's most
//! representative sentence; key points are its most informative sentences.

use crate::domain::{sentence, Paper, Summary, SummaryOrigin};

/// A deterministic summary of `paper` from its abstract. (First cut; to be replaced.)
pub fn summarize(paper: &Paper) -> Summary {
    let sentences = sentence::split(&paper.abstract_text);
    Summary {
        summary: paper
            .ai_summary
            .clone()
            .or_else(|| sentences.first().map(|s| s.to_string()))
            .unwrap_or_default(),
        abstract_text: paper.abstract_text.clone(),
        key_points: sentences.iter().take(3).map(|s| s.to_string()).collect(),
        origin: SummaryOrigin::Extractive,
    }
}
