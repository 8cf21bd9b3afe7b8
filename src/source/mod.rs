//! The Hugging Face Daily Papers client.
//!
//! Everything paperboy knows about the outside world's papers comes through here: the
//! [`Client`] fetches a UTC day's list (all pages, with retries and rate-limit handling) and
//! [`parse_day`] turns a saved or fetched body into [`Paper`](crate::domain::Paper)s. The
//! API's JSON types stay private to this module, so a change on HF's side touches only
//! `wire.rs`.

mod client;
mod wire;

use chrono::{DateTime, NaiveDate, Utc};

pub use client::{Client, Error, RetryPolicy};
pub use wire::{parse_day, ParseError};

/// The Daily Papers day `now` falls on: HF dates its lists in UTC, whatever the local zone.
pub fn today_utc(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_utc_day() {
        let late_in_seoul = DateTime::parse_from_rfc3339("2026-01-20T23:30:00-05:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            today_utc(late_in_seoul),
            NaiveDate::from_ymd_opt(2026, 1, 21).unwrap()
        );
    }
}
