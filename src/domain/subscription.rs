//! A chat's standing order for the daily digest.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{ChatRef, Language};

/// A local time of day, to the minute, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeliveryTime(NaiveTime);

/// A delivery time that is not `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {input:?}: expected HH:MM, 24-hour, e.g. 09:00 or 18:30")]
pub struct InvalidTime {
    pub input: String,
}

impl DeliveryTime {
    /// Parses `HH:MM` (also `H:MM`).
    pub fn parse(input: &str) -> Result<DeliveryTime, InvalidTime> {
        let bad = || InvalidTime {
            input: input.to_string(),
        };
        let (h, m) = input.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        NaiveTime::from_hms_opt(h, m, 0)
            .map(DeliveryTime)
            .ok_or_else(bad)
    }

    pub fn time(&self) -> NaiveTime {
        self.0
    }
}

impl Default for DeliveryTime {
    fn default() -> Self {
        // 09:00 is a valid time of day.
        DeliveryTime(NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 is valid"))
    }
}

impl fmt::Display for DeliveryTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl FromStr for DeliveryTime {
    type Err = InvalidTime;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeliveryTime::parse(s)
    }
}

impl TryFrom<String> for DeliveryTime {
    type Error = InvalidTime;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DeliveryTime::parse(&value)
    }
}

impl From<DeliveryTime> for String {
    fn from(value: DeliveryTime) -> Self {
        value.to_string()
    }
}

/// An IANA time zone name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {input:?}: use an IANA name such as Europe/Berlin, Asia/Seoul or UTC")]
pub struct InvalidTimeZone {
    pub input: String,
}

/// Parses an IANA time zone name (`Asia/Seoul`, `UTC`), case-insensitively.
pub fn parse_time_zone(input: &str) -> Result<Tz, InvalidTimeZone> {
    let trimmed = input.trim();
    trimmed
        .parse::<Tz>()
        .ok()
        .or_else(|| Tz::from_str_insensitive(trimmed).ok())
        .ok_or_else(|| InvalidTimeZone {
            input: input.to_string(),
        })
}

/// Why a chat no longer receives digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InactiveReason {
    /// Someone ran `/unsubscribe`.
    Unsubscribed,
    /// The bot was removed from the chat or blocked.
    Removed,
    /// Sends kept failing with a permanent error (the text is the last one).
    Failing(String),
}

/// A chat's subscription and its settings.
///
/// Settings are kept when a chat becomes inactive, so re-adding the bot or any later command
/// brings back the same time, zone, size and language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub chat: ChatRef,
    pub time: DeliveryTime,
    // Short stored names (the long ones still read): see the note on the fields below.
    #[serde(with = "tz_name", rename = "tz", alias = "timezone")]
    pub timezone: Tz,
    #[serde(rename = "n", alias = "top_n")]
    pub top_n: u8,
    #[serde(rename = "lang", alias = "language")]
    pub language: Language,
    #[serde(rename = "on", alias = "is_active")]
    pub is_active: bool,
    // Fields at their usual value are left out of the stored record: a store holds one
    // record per chat, and at 100,000 chats every byte is ~100 KB of memory while scanning.
    #[serde(
        default,
        skip_serializing_if = "is_zero",
        rename = "fails",
        alias = "consecutive_failures"
    )]
    pub consecutive_failures: u32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "off",
        alias = "inactive_reason"
    )]
    pub inactive_reason: Option<InactiveReason>,
    /// Stored to the second; reads accept any RFC 3339 precision.
    #[serde(
        serialize_with = "to_the_second",
        rename = "since",
        alias = "created_at"
    )]
    pub created_at: DateTime<Utc>,
    /// The most recent Daily Papers day this chat received in full. New subscribers start
    /// with their next slot, so they are not flooded with a backlog.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "last",
        alias = "last_delivered"
    )]
    pub last_delivered: Option<NaiveDate>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn to_the_second<S: serde::Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

impl Subscription {
    /// Most digests a chat can ask for; Telegram's media groups and a phone screen agree.
    pub const MAX_TOP_N: u8 = 10;
}

mod tz_name {
    //! Time zones are stored by IANA name.
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        super::parse_time_zone(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_time_parses_and_prints() {
        assert_eq!(DeliveryTime::parse("9:05").unwrap().to_string(), "09:05");
        assert_eq!(DeliveryTime::parse("23:59").unwrap().to_string(), "23:59");
        for bad in [
            "24:00", "9", "09:5", "aa:bb", "", "12:60", "-1:00", "123:00",
        ] {
            assert!(DeliveryTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_form_is_compact_and_reads_back() {
        let sub = Subscription {
            chat: ChatRef::telegram(42),
            time: DeliveryTime::default(),
            timezone: chrono_tz::Asia::Seoul,
            top_n: 5,
            language: Language::KOREAN,
            is_active: true,
            consecutive_failures: 0,
            inactive_reason: None,
            created_at: "2026-01-20T10:00:00.123456789Z".parse().unwrap(),
            last_delivered: None,
        };
        let json = serde_json::to_string(&sub).unwrap();
        assert!(!json.contains("fails") && !json.contains("last"), "{json}");
        assert!(json.contains("\"2026-01-20T10:00:00Z\""), "{json}");
        let back: Subscription = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.created_at,
            "2026-01-20T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(back.chat, sub.chat);
        // Records written before, with every field and nanoseconds, still read.
        let old = r#"{"chat":"telegram:42","time":"09:00","timezone":"Asia/Seoul","top_n":5,"language":"ko","is_active":true,"consecutive_failures":2,"inactive_reason":null,"created_at":"2026-01-20T10:00:00.123456789Z","last_delivered":"2026-01-19"}"#;
        let old: Subscription = serde_json::from_str(old).unwrap();
        assert_eq!(old.consecutive_failures, 2);
        assert_eq!(old.last_delivered, Some("2026-01-19".parse().unwrap()));
    }

    #[test]
    fn time_zones_by_iana_name() {
        assert_eq!(
            parse_time_zone("Asia/Seoul").unwrap(),
            chrono_tz::Asia::Seoul
        );
        assert_eq!(
            parse_time_zone("asia/seoul").unwrap(),
            chrono_tz::Asia::Seoul
        );
        assert_eq!(parse_time_zone("UTC").unwrap(), chrono_tz::UTC);
        assert!(parse_time_zone("Mars/Olympus").is_err());
    }
}
