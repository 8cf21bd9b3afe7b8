//! The steps every front end shares: pick a day's top papers and summarize them into a
//! [`Digest`].
//!
//! Fetching is left to the caller (the CLI may read a file, the scheduler reads the store),
//! so this stays a function of its inputs.

use chrono::NaiveDate;
use futures::future::join_all;

use crate::domain::{selection, Digest, Entry, Language, Paper};
use crate::summarize::Backend;

/// The digest of `date`: the `top_n` most upvoted of `papers`, each summarized for readers of
/// `language`.
///
/// Summaries run concurrently; an LLM backend bounds its own concurrency. This never fails:
/// a backend that cannot answer falls back to the extractive summary and says so.
pub async fn build_digest(
    date: NaiveDate,
    papers: &[Paper],
    top_n: usize,
    language: Language,
    backend: &Backend,
) -> Digest {
    let top = selection::top(papers, top_n);
    let summaries = join_all(top.iter().map(|p| backend.summarize(p, language))).await;
    let entries = top
        .into_iter()
        .zip(summaries)
        .enumerate()
        .map(|(i, (paper, summary))| Entry {
            rank: i + 1,
            paper,
            summary,
        })
        .collect();
    Digest {
        date,
        language,
        top_n,
        entries,
    }
}

/// The Daily Papers day a list belongs to, read from its papers: the most common
/// `submitted_on`. Used when a saved response is given without `--date`.
pub fn day_of(papers: &[Paper]) -> Option<NaiveDate> {
    let mut counts: Vec<(NaiveDate, usize)> = Vec::new();
    for day in papers.iter().filter_map(|p| p.submitted_on) {
        match counts.iter_mut().find(|(d, _)| *d == day) {
            Some((_, n)) => *n += 1,
            None => counts.push((day, 1)),
        }
    }
    // Most papers first; among equals the later day, since a list is fetched for its newest day.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(d, _)| d)
}
