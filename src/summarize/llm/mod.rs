//! Summaries and translations by a language model behind any OpenAI-compatible endpoint.
//!
//! A model is slow, costs money and sometimes answers badly, so [`Llm`] wraps every call:
//! it looks in the cache first (each paper is summarized once per language and prompt
//! version, however many chats read it), lets only one call per paper and language be in
//! flight, stops at the daily token budget, validates the answer (retrying once), and falls
//! back to the extractive summary, marked as a fallback, when nothing good came back.

pub mod client;
pub mod prompt;
pub mod validate;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Utc};
use tokio::sync::OnceCell;
use tracing::{debug, warn};

pub use client::{Client, Completion, Error, RetryPolicy, Usage};
pub use prompt::PROMPT_VERSION;

use crate::domain::{Language, Paper, Summary, SummaryOrigin};
use crate::store::{Store, SummaryKey};
use crate::summarize::extractive;

/// The temperature used unless set otherwise: low, since a summary should be faithful.
pub const DEFAULT_TEMPERATURE: f32 = 0.2;

/// How many times a paper is sent to the model when its answers keep failing validation.
const TRIES: usize = 2;

/// A summarizer backed by a model. Cloning is cheap; clones share the in-flight calls, the
/// token count and the client's concurrency limit.
#[derive(Clone)]
pub struct Llm {
    client: Client,
    model: Arc<str>,
    temperature: f32,
    /// Tokens a UTC day may spend; 0 is no limit.
    daily_token_budget: u64,
    /// The cache and the token count that survive restarts; without it both live in memory.
    store: Option<Store>,
    shared: Arc<Shared>,
}

/// One paper in one language; the model and prompt version are fixed per [`Llm`].
type FlightKey = (String, Language);

#[derive(Default)]
struct Shared {
    /// The call in flight (or, without a store, done) for each paper and language. Holding
    /// a std mutex is fine: it is never held across an await.
    flights: Mutex<HashMap<FlightKey, Arc<OnceCell<Summary>>>>,
    /// Tokens spent per day when there is no store to count them.
    spent: Mutex<HashMap<NaiveDate, u64>>,
    /// The last day the budget warning was logged, so it is logged once a day, not per paper.
    budget_warned: Mutex<Option<NaiveDate>>,
}

impl std::fmt::Debug for Llm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Llm")
            .field("client", &self.client)
            .field("model", &self.model)
            .field("temperature", &self.temperature)
            .field("daily_token_budget", &self.daily_token_budget)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Llm {
    /// A summarizer calling `model` through `client`, with no budget and no store: results are
    /// then kept in memory for the life of this value (and its clones).
    pub fn new(client: Client, model: impl Into<String>) -> Llm {
        Llm {
            client,
            model: Arc::from(model.into()),
            temperature: DEFAULT_TEMPERATURE,
            daily_token_budget: 0,
            store: None,
            shared: Arc::default(),
        }
    }

    /// Keeps summaries and the daily token count in `store`, so they survive restarts and
    /// are shared with every other user of the store.
    pub fn with_store(mut self, store: Store) -> Llm {
        self.store = Some(store);
        self
    }

    /// Caps the tokens spent per UTC day; 0 removes the cap. Calls in flight when the budget
    /// runs out still finish, so a day may end slightly above it.
    pub fn with_daily_token_budget(mut self, tokens: u64) -> Llm {
        self.daily_token_budget = tokens;
        self
    }

    pub fn with_temperature(mut self, temperature: f32) -> Llm {
        self.temperature = temperature;
        self
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A summary of `paper` for readers of `language`: cached, else by the model, else the
    /// extractive one marked as a fallback. Concurrent calls for the same paper and language
    /// share one model call and its result.
    pub async fn summarize(&self, paper: &Paper, language: Language) -> Summary {
        if let Some(summary) = self.cached(paper, language) {
            return summary;
        }
        let key: FlightKey = (paper.id.clone(), language);
        let flight = {
            let mut flights = lock(&self.shared.flights);
            flights.entry(key.clone()).or_default().clone()
        };
        let summary = flight
            .get_or_init(|| self.produce(paper, language))
            .await
            .clone();
        // A fallback is not kept, so a later call tries the model again; a good summary is
        // kept in the store, or in the flight map when there is none.
        if summary.origin.is_fallback() || self.has_store() {
            let mut flights = lock(&self.shared.flights);
            if flights.get(&key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
                flights.remove(&key);
            }
        }
        summary
    }

    /// Runs once per flight: the model call, its validation and retry, the fallback.
    async fn produce(&self, paper: &Paper, language: Language) -> Summary {
        // Another flight may have finished and stored this summary between our first look
        // and the start of this one.
        if let Some(summary) = self.cached(paper, language) {
            return summary;
        }
        let mut reason = String::new();
        let mut retry_reason: Option<String> = None;
        for attempt in 1..=TRIES {
            let today = Utc::now().date_naive();
            if self.is_over_budget(today) {
                return fallback(paper, "the daily token budget is spent".to_string());
            }
            let messages = prompt::messages(paper, language, retry_reason.as_deref());
            let completion = self
                .client
                .complete(&self.model, self.temperature, &messages)
                .await;
            let completion = match completion {
                Ok(c) => c,
                Err(err) => {
                    warn!(paper = %paper.id, language = %language, attempt, error = %err, "llm call failed");
                    reason = format!("the model did not answer: {err}");
                    if err.is_transient() {
                        // The client has already retried it as often as it should.
                        break;
                    }
                    continue;
                }
            };
            let tokens = completion
                .usage
                .map(|u| u.total())
                .filter(|&n| n > 0)
                .unwrap_or_else(|| estimate_tokens(&messages, &completion.content));
            self.spend(today, tokens);
            let checked = validate::parse(&completion.content)
                .and_then(|answer| validate::validate(answer, paper, language, &self.model));
            match checked {
                Ok(summary) => {
                    debug!(paper = %paper.id, language = %language, tokens, "llm summary");
                    self.store(paper, language, &summary);
                    return summary;
                }
                Err(rejection) => {
                    warn!(paper = %paper.id, language = %language, attempt, reason = %rejection, "llm answer rejected");
                    reason = format!("the model's answer was rejected: {rejection}");
                    retry_reason = Some(rejection.to_string());
                }
            }
        }
        fallback(paper, reason)
    }

    fn has_store(&self) -> bool {
        self.store.is_some()
    }

    fn key(&self, paper: &Paper, language: Language) -> SummaryKey {
        SummaryKey {
            paper_id: paper.id.clone(),
            language,
            model: self.model.to_string(),
            prompt_version: PROMPT_VERSION,
        }
    }

    /// The stored summary, if any. A store that cannot be read costs a model call, not the
    /// digest.
    fn cached(&self, paper: &Paper, language: Language) -> Option<Summary> {
        let store = self.store.as_ref()?;
        match store.summary(&self.key(paper, language)) {
            // Only model summaries are stored; anything else is not worth serving from cache.
            Ok(found) => found.filter(|s| matches!(s.origin, SummaryOrigin::Llm { .. })),
            Err(err) => {
                warn!(paper = %paper.id, language = %language, error = %err, "cannot read the summary cache");
                None
            }
        }
    }

    fn store(&self, paper: &Paper, language: Language, summary: &Summary) {
        let Some(store) = &self.store else {
            return;
        };
        if let Err(err) = store.put_summary(&self.key(paper, language), summary) {
            warn!(paper = %paper.id, language = %language, error = %err, "cannot cache the summary");
        }
    }

    /// Tokens spent on `day` so far.
    fn spent(&self, day: NaiveDate) -> u64 {
        match &self.store {
            Some(store) => store.tokens_used(day).unwrap_or_else(|err| {
                // Summaries keep flowing; the budget is a guard, not a gate to close on errors.
                warn!(day = %day, error = %err, "cannot read the token count");
                0
            }),
            None => lock(&self.shared.spent).get(&day).copied().unwrap_or(0),
        }
    }

    fn spend(&self, day: NaiveDate, tokens: u64) {
        match &self.store {
            Some(store) => {
                if let Err(err) = store.add_tokens(day, tokens) {
                    warn!(day = %day, tokens, error = %err, "cannot count the tokens spent");
                }
            }
            None => *lock(&self.shared.spent).entry(day).or_default() += tokens,
        }
    }

    fn is_over_budget(&self, day: NaiveDate) -> bool {
        if self.daily_token_budget == 0 {
            return false;
        }
        let spent = self.spent(day);
        if spent < self.daily_token_budget {
            return false;
        }
        let mut warned = lock(&self.shared.budget_warned);
        if *warned != Some(day) {
            *warned = Some(day);
            warn!(day = %day, spent, budget = self.daily_token_budget, "daily llm token budget spent; extractive summaries until midnight UTC");
        }
        true
    }
}

/// The extractive summary, marked as standing in for the model's.
fn fallback(paper: &Paper, reason: String) -> Summary {
    Summary {
        origin: SummaryOrigin::Fallback { reason },
        ..extractive::summarize(paper)
    }
}

/// A rough token count for servers that send no `usage`: four characters a token for ASCII,
/// one a token for other scripts, as common tokenizers do for English and Korean.
pub fn estimate_tokens(messages: &[serde_json::Value], answer: &str) -> u64 {
    let count = |text: &str| {
        let ascii = text.bytes().filter(u8::is_ascii).count() as u64;
        let other = text.chars().filter(|c| !c.is_ascii()).count() as u64;
        ascii.div_ceil(4) + other
    };
    let prompt: u64 = messages
        .iter()
        .filter_map(|m| m["content"].as_str())
        .map(count)
        .sum();
    prompt + count(answer)
}

/// Locks a mutex whose data stays consistent even if a holder panicked (every critical section
/// here is a single map operation), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn estimates_ascii_and_other_scripts_differently() {
        let messages = [json!({"role": "user", "content": "abcdefgh"})];
        assert_eq!(estimate_tokens(&messages, ""), 2);
        assert_eq!(estimate_tokens(&messages, "한국어"), 5);
    }
}
