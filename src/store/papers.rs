//! The fetched paper list of each day, so a day is fetched once and shared by every chat,
//! and `/today` or a restart does not hit the Hugging Face API again.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::key::{self, Part};
use super::record::Record;
use super::tree::Tree;
use super::{Error, Store};
use crate::domain::Paper;

/// A day's list as fetched, and when: the list keeps growing for days, so callers decide
/// by `fetched_at` whether to fetch again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDay {
    pub papers: Vec<Paper>,
    pub fetched_at: DateTime<Utc>,
}

impl Record for StoredDay {
    const KIND: &'static str = "day";
    const VERSION: u32 = 1;
}

impl Store {
    /// Stores (replacing) the list of `date`.
    pub fn put_day(
        &self,
        date: NaiveDate,
        papers: &[Paper],
        fetched_at: DateTime<Utc>,
    ) -> Result<(), Error> {
        let day = StoredDay {
            papers: papers.to_vec(),
            fetched_at,
        };
        self.put(Tree::Days, &key::date(date), &day)
    }

    pub fn day(&self, date: NaiveDate) -> Result<Option<StoredDay>, Error> {
        self.get(Tree::Days, &key::date(date))
    }

    /// The days with a readable stored list, oldest first.
    pub fn days(&self) -> Result<Vec<NaiveDate>, Error> {
        let mut days = Vec::new();
        for item in self.scan::<StoredDay>(Tree::Days, &[]) {
            let (parts, _) = item?;
            if let [Part::Str(text)] = parts.as_slice() {
                days.extend(key::parse_date(text));
            }
        }
        days.sort_unstable();
        Ok(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paper::sample::paper;
    use chrono::TimeZone;

    #[test]
    fn days_round_trip_in_order() {
        let store = Store::temporary().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
        let dates = [(2026, 11, 24), (2025, 12, 31), (2026, 1, 2)]
            .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        for (i, date) in dates.iter().enumerate() {
            store
                .put_day(*date, &[paper(&format!("p{i}"), i as u32)], at)
                .unwrap();
        }
        let mut sorted = dates.to_vec();
        sorted.sort();
        assert_eq!(store.days().unwrap(), sorted);
        let day = store.day(dates[0]).unwrap().unwrap();
        assert_eq!(day.papers, [paper("p0", 0)]);
        assert_eq!(day.fetched_at, at);
        assert_eq!(
            store
                .day(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
                .unwrap(),
            None
        );
    }

    #[test]
    fn an_empty_day_is_stored_as_empty() {
        let store = Store::temporary().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        store.put_day(date, &[], Utc::now()).unwrap();
        assert!(store.day(date).unwrap().unwrap().papers.is_empty());
    }
}
