//! The day lists, fetched once and kept in the store, shared by every chat and command.
//!
//! A day's list keeps growing during the day and for a while after (the site shows the
//! previous day until about 02:00 UTC), so a stored list counts as final once it was fetched
//! after that; until then it is reused for a short while, then fetched again. When HF cannot
//! be reached, a stored list is better than nothing and is used.

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};

use crate::domain::Paper;
use crate::source::{self, Client};
use crate::store::{self, Store};

/// How long a list of an unfinished day is reused before it is fetched again.
const REFRESH_AFTER: Duration = Duration::minutes(15);

/// A day list could not be had.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot fetch the papers of {date}")]
    Fetch {
        date: NaiveDate,
        #[source]
        source: source::Error,
    },
    #[error("cannot use the stored papers of {date}")]
    Store {
        date: NaiveDate,
        #[source]
        source: store::Error,
    },
}

/// The HF client in front of the store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Archive {
    store: Store,
    client: Client,
}

impl Archive {
    pub fn new(store: Store, client: Client) -> Archive {
        Archive { store, client }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The papers of `date` (possibly none), from the store when fresh enough.
    pub async fn day(&self, date: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Paper>, Error> {
        let stored = self
            .store
            .day(date)
            .map_err(|source| Error::Store { date, source })?;
        if let Some(stored) = &stored {
            if is_final(date, stored.fetched_at) || now - stored.fetched_at < REFRESH_AFTER {
                return Ok(stored.papers.clone());
            }
        }
        match self.client.day(date).await {
            Ok(papers) => {
                self.store
                    .put_day(date, &papers, now)
                    .map_err(|source| Error::Store { date, source })?;
                Ok(papers)
            }
            Err(source) => match stored {
                Some(stored) => {
                    tracing::warn!(%date, error = %source, "HF unreachable; using the stored list");
                    Ok(stored.papers)
                }
                None => Err(Error::Fetch { date, source }),
            },
        }
    }

    /// The newest of `days` that has papers, with them.
    pub async fn newest_with_papers(
        &self,
        days: &[NaiveDate],
        now: DateTime<Utc>,
    ) -> Result<Option<(NaiveDate, Vec<Paper>)>, Error> {
        let mut days = days.to_vec();
        days.sort_unstable_by(|a, b| b.cmp(a));
        for date in days {
            let papers = self.day(date, now).await?;
            if !papers.is_empty() {
                return Ok(Some((date, papers)));
            }
        }
        Ok(None)
    }
}

/// Fetched after 02:00 UTC of the next day: the list will barely change any more.
fn is_final(date: NaiveDate, fetched_at: DateTime<Utc>) -> bool {
    let settle = date.checked_add_days(Days::new(1)).map(|next| {
        next.and_time(NaiveTime::from_hms_opt(2, 0, 0).unwrap_or_default())
            .and_utc()
    });
    settle.is_some_and(|settle| fetched_at >= settle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_final_after_two_the_next_morning() {
        let d: NaiveDate = "2026-01-20".parse().unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(!is_final(d, at("2026-01-20T23:00:00Z")));
        assert!(!is_final(d, at("2026-01-21T01:59:00Z")));
        assert!(is_final(d, at("2026-01-21T02:00:00Z")));
    }
}
