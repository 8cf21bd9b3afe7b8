//! Cached summaries and the daily LLM token count.
//!
//! A summary is keyed by everything that changes its text (paper, language, model, prompt
//! version), so each paper is summarized once per language however many chats read it, and
//! a new model or prompt starts a fresh cache instead of serving stale text.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::key;
use super::record::Record;
use super::tree::Tree;
use super::{Error, Store};
use crate::domain::{Language, Summary};

/// What identifies a cached summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SummaryKey {
    pub paper_id: String,
    pub language: Language,
    pub model: String,
    pub prompt_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cached {
    pub summary: Summary,
    pub created_at: DateTime<Utc>,
}

impl Record for Cached {
    const KIND: &'static str = "summary";
    const VERSION: u32 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tokens {
    pub tokens: u64,
}

impl Record for Tokens {
    const KIND: &'static str = "token count";
    const VERSION: u32 = 1;
}

impl Store {
    pub fn summary(&self, key: &SummaryKey) -> Result<Option<Summary>, Error> {
        Ok(self
            .get::<Cached>(Tree::Summaries, &key::summary(key))?
            .map(|c| c.summary))
    }

    pub fn put_summary(&self, key: &SummaryKey, summary: &Summary) -> Result<(), Error> {
        self.put(
            Tree::Summaries,
            &key::summary(key),
            &Cached {
                summary: summary.clone(),
                created_at: Utc::now(),
            },
        )
    }

    /// LLM tokens spent on the UTC day `day`.
    pub fn tokens_used(&self, day: NaiveDate) -> Result<u64, Error> {
        Ok(self
            .get::<Tokens>(Tree::Tokens, &key::date(day))?
            .map_or(0, |t| t.tokens))
    }

    /// Adds `n` tokens to `day`'s count atomically and returns the new total. A damaged
    /// count restarts from zero rather than blocking every later call.
    pub fn add_tokens(&self, day: NaiveDate, n: u64) -> Result<u64, Error> {
        let updated = self.update::<Tokens>(Tree::Tokens, &key::date(day), |current| {
            let tokens = current.map_or(0, |t| t.tokens).saturating_add(n);
            Some(Tokens { tokens })
        })?;
        Ok(updated.map_or(n, |t| t.tokens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SummaryOrigin;

    fn key(language: Language, model: &str, prompt_version: u32) -> SummaryKey {
        SummaryKey {
            paper_id: "2601.11077".into(),
            language,
            model: model.into(),
            prompt_version,
        }
    }

    fn summary(text: &str) -> Summary {
        Summary {
            summary: text.into(),
            abstract_text: "초록".into(),
            key_points: vec!["a".into(), "b".into(), "c".into()],
            origin: SummaryOrigin::Llm {
                model: "gpt-4o-mini".into(),
            },
        }
    }

    #[test]
    fn every_key_field_matters() {
        let store = Store::temporary().unwrap();
        let base = key(Language::KOREAN, "gpt-4o-mini", 1);
        store.put_summary(&base, &summary("요약")).unwrap();
        assert_eq!(store.summary(&base).unwrap(), Some(summary("요약")));
        for other in [
            key(Language::ENGLISH, "gpt-4o-mini", 1),
            key(Language::KOREAN, "llama3", 1),
            key(Language::KOREAN, "gpt-4o-mini", 2),
            SummaryKey {
                paper_id: "2601.11078".into(),
                ..base.clone()
            },
        ] {
            assert_eq!(store.summary(&other).unwrap(), None, "{other:?}");
        }
    }

    #[test]
    fn tokens_add_up_per_day() {
        let store = Store::temporary().unwrap();
        let d1 = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(store.tokens_used(d1).unwrap(), 0);
        assert_eq!(store.add_tokens(d1, 100).unwrap(), 100);
        assert_eq!(store.add_tokens(d1, 50).unwrap(), 150);
        assert_eq!(store.add_tokens(d2, 7).unwrap(), 7);
        assert_eq!(store.tokens_used(d1).unwrap(), 150);
        assert_eq!(store.add_tokens(d1, u64::MAX).unwrap(), u64::MAX);
    }

    #[test]
    fn concurrent_token_adds_are_not_lost() {
        let store = Store::temporary().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..100 {
                        store.add_tokens(day, 3).unwrap();
                    }
                });
            }
        });
        assert_eq!(store.tokens_used(day).unwrap(), 1200);
    }
}
