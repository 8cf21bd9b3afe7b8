//! Key encoding, in one place, so every tree's keys sort sensibly, scan by prefix safely and
//! can be written out as text for an export and read back.
//!
//! A key is a sequence of typed parts. Each part starts with a tag byte: a string is its
//! bytes with `0x00` escaped as `0x00 0xFF`, ended by `0x00`; an integer is eight big-endian
//! bytes. The terminator means the encoding of `["telegram:1"]` is never a prefix of the
//! encoding of `["telegram:12", ..]`, and the escape means no string can forge a part
//! boundary, whatever bytes a webhook URL or a model name holds. The encoding is
//! self-describing, so a key decodes without knowing its tree.

use std::fmt;

use chrono::NaiveDate;
use serde_json::Value;

use super::ledger::LedgerItem;
use super::summaries::SummaryKey;
use crate::domain::{ChatRef, Language};

const TAG_STR: u8 = 0x02;
const TAG_INT: u8 = 0x15;
const ESCAPE: u8 = 0xFF;

/// One part of a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Part {
    Str(String),
    Int(u64),
}

impl Part {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Part::Str(s) => Some(s),
            Part::Int(_) => None,
        }
    }
}

impl From<&str> for Part {
    fn from(value: &str) -> Self {
        Part::Str(value.to_string())
    }
}

impl From<String> for Part {
    fn from(value: String) -> Self {
        Part::Str(value)
    }
}

impl From<u64> for Part {
    fn from(value: u64) -> Self {
        Part::Int(value)
    }
}

/// Bytes that do not decode as a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed key at byte {at}: {reason}")]
pub(crate) struct BadKey {
    pub at: usize,
    pub reason: &'static str,
}

/// Encodes `parts`; the result of a prefix of `parts` is a byte prefix of the result.
pub(crate) fn encode(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(part_len_hint).sum());
    for part in parts {
        push(&mut out, part);
    }
    out
}

fn part_len_hint(part: &Part) -> usize {
    match part {
        Part::Str(s) => s.len() + 2,
        Part::Int(_) => 9,
    }
}

fn push(out: &mut Vec<u8>, part: &Part) {
    match part {
        Part::Str(s) => {
            out.push(TAG_STR);
            for &b in s.as_bytes() {
                out.push(b);
                if b == 0 {
                    out.push(ESCAPE);
                }
            }
            out.push(0);
        }
        Part::Int(n) => {
            out.push(TAG_INT);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

/// Decodes bytes written by [`encode`].
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Part>, BadKey> {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let tag = bytes[i];
        i += 1;
        match tag {
            TAG_STR => {
                let mut s = Vec::new();
                loop {
                    let Some(&b) = bytes.get(i) else {
                        return Err(BadKey {
                            at: i,
                            reason: "unterminated string",
                        });
                    };
                    i += 1;
                    if b != 0 {
                        s.push(b);
                    } else if bytes.get(i) == Some(&ESCAPE) {
                        s.push(0);
                        i += 1;
                    } else {
                        break;
                    }
                }
                let s = String::from_utf8(s).map_err(|_| BadKey {
                    at: i,
                    reason: "string is not UTF-8",
                })?;
                parts.push(Part::Str(s));
            }
            TAG_INT => {
                let Some(raw) = bytes.get(i..i + 8) else {
                    return Err(BadKey {
                        at: i,
                        reason: "truncated integer",
                    });
                };
                let mut be = [0u8; 8];
                be.copy_from_slice(raw);
                parts.push(Part::Int(u64::from_be_bytes(be)));
                i += 8;
            }
            _ => {
                return Err(BadKey {
                    at: i - 1,
                    reason: "unknown part tag",
                })
            }
        }
    }
    Ok(parts)
}

/// The text form of a key, as an export writes it: a key of one string part is that
/// string; any other key is an array of strings and numbers.
pub(crate) fn to_text(parts: &[Part]) -> Value {
    match parts {
        [Part::Str(s)] => Value::String(s.clone()),
        _ => Value::Array(
            parts
                .iter()
                .map(|p| match p {
                    Part::Str(s) => Value::String(s.clone()),
                    Part::Int(n) => Value::from(*n),
                })
                .collect(),
        ),
    }
}

/// Reads the text form written by [`to_text`].
pub(crate) fn from_text(value: &Value) -> Result<Vec<Part>, &'static str> {
    match value {
        Value::String(s) => Ok(vec![Part::Str(s.clone())]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(Part::Str(s.clone())),
                Value::Number(n) => n
                    .as_u64()
                    .map(Part::Int)
                    .ok_or("a key number must be a non-negative integer"),
                _ => Err("a key part must be a string or a number"),
            })
            .collect(),
        _ => Err("a key must be a string or an array"),
    }
}

/// A key for logs: its text form, or the raw bytes when it does not decode.
pub(crate) struct Display<'a>(pub &'a [u8]);

impl fmt::Display for Display<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match decode(self.0) {
            Ok(parts) => write!(f, "{}", to_text(&parts)),
            Err(_) => write!(f, "{:02x?}", self.0),
        }
    }
}

// The keys of each tree. Every key the store writes is built here.

/// Chats are keyed by their text form, which `ChatRef` guarantees round-trips.
pub(crate) fn chat(chat: &ChatRef) -> Vec<u8> {
    encode(&[Part::Str(chat.to_string())])
}

/// Days are keyed as `YYYY-MM-DD`, which sorts by date.
pub(crate) fn date(date: NaiveDate) -> Vec<u8> {
    encode(&[Part::Str(date_text(date))])
}

/// A key of one string: meta names, photo URLs.
pub(crate) fn single(text: &str) -> Vec<u8> {
    encode(&[Part::from(text)])
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

const DIGEST_PART: &str = "digest-part";
const DIGEST_DONE: &str = "digest-done";
const ALERT: &str = "alert";

/// `[chat, "digest-part", date, part]`, `[chat, "digest-done", date]` or
/// `[chat, "alert", paper id]`: a chat's entries share a prefix, so moving a chat is a
/// prefix scan, and a day's parts share a longer one.
pub(crate) fn ledger(chat: &ChatRef, item: &LedgerItem) -> Vec<u8> {
    let mut parts = vec![Part::Str(chat.to_string())];
    parts.extend(ledger_item_parts(item));
    encode(&parts)
}

fn ledger_item_parts(item: &LedgerItem) -> Vec<Part> {
    match item {
        LedgerItem::DigestPart { date, part } => vec![
            DIGEST_PART.into(),
            Part::Str(date_text(*date)),
            Part::Int(u64::from(*part)),
        ],
        LedgerItem::DigestDone { date } => vec![DIGEST_DONE.into(), Part::Str(date_text(*date))],
        LedgerItem::Alert { paper_id } => vec![ALERT.into(), Part::Str(paper_id.clone())],
    }
}

/// The prefix of every ledger entry of `chat`.
pub(crate) fn ledger_chat_prefix(chat: &ChatRef) -> Vec<u8> {
    encode(&[Part::Str(chat.to_string())])
}

/// The prefix of the digest parts of `chat` on `date`.
pub(crate) fn ledger_parts_prefix(chat: &ChatRef, date: NaiveDate) -> Vec<u8> {
    encode(&[
        Part::Str(chat.to_string()),
        DIGEST_PART.into(),
        Part::Str(date_text(date)),
    ])
}

/// Reads a ledger key back.
pub(crate) fn parse_ledger(parts: &[Part]) -> Option<(ChatRef, LedgerItem)> {
    let [Part::Str(chat), Part::Str(kind), rest @ ..] = parts else {
        return None;
    };
    let chat = ChatRef::parse(chat).ok()?;
    let item = match (kind.as_str(), rest) {
        (DIGEST_PART, [Part::Str(date), Part::Int(part)]) => LedgerItem::DigestPart {
            date: parse_date(date)?,
            part: u16::try_from(*part).ok()?,
        },
        (DIGEST_DONE, [Part::Str(date)]) => LedgerItem::DigestDone {
            date: parse_date(date)?,
        },
        (ALERT, [Part::Str(paper_id)]) => LedgerItem::Alert {
            paper_id: paper_id.clone(),
        },
        _ => return None,
    };
    Some((chat, item))
}

/// `[paper id, language, model, prompt version]`.
pub(crate) fn summary(key: &SummaryKey) -> Vec<u8> {
    encode(&[
        Part::Str(key.paper_id.clone()),
        Part::from(key.language.code()),
        Part::Str(key.model.clone()),
        Part::Int(u64::from(key.prompt_version)),
    ])
}

pub(crate) fn check_chat(text: &str) -> Result<(), &'static str> {
    ChatRef::parse(text)
        .map(|_| ())
        .map_err(|_| "not a chat (telegram:ID, discord:ID, ...)")
}

pub(crate) fn check_date(text: &str) -> Result<(), &'static str> {
    parse_date(text).map(|_| ()).ok_or("not a YYYY-MM-DD date")
}

pub(crate) fn check_ledger(parts: &[Part]) -> Result<(), &'static str> {
    parse_ledger(parts)
        .map(|_| ())
        .ok_or("expected [chat, \"digest-part\", date, part], [chat, \"digest-done\", date] or [chat, \"alert\", paper id]")
}

pub(crate) fn check_summary(parts: &[Part]) -> Result<(), &'static str> {
    match parts {
        [Part::Str(_), Part::Str(language), Part::Str(_), Part::Int(version)]
            if Language::parse(language).is_ok() && u32::try_from(*version).is_ok() =>
        {
            Ok(())
        }
        _ => Err("expected [paper id, language, model, prompt version]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part() -> impl Strategy<Value = Part> {
        prop_oneof![
            any::<String>().prop_map(Part::Str),
            "[\\x00\\x01\\xff a]{0,6}".prop_map(Part::Str),
            any::<u64>().prop_map(Part::Int),
        ]
    }

    /// Two keys whose parts have the same kinds position by position (lengths may differ).
    fn same_shape_pair() -> impl Strategy<Value = (Vec<Part>, Vec<Part>)> {
        proptest::collection::vec(any::<bool>(), 0..4).prop_flat_map(|shape| {
            let keys = |shape: Vec<bool>| {
                let len = shape.len();
                (0..=len).prop_flat_map(move |n| {
                    shape[..n]
                        .iter()
                        .map(|&is_str| {
                            if is_str {
                                "[\\x00\\x01\\xff ab]{0,3}".prop_map(Part::Str).boxed()
                            } else {
                                (0u64..4).prop_map(Part::Int).boxed()
                            }
                        })
                        .collect::<Vec<_>>()
                })
            };
            (keys(shape.clone()), keys(shape))
        })
    }

    proptest! {
        #[test]
        fn round_trips(parts in proptest::collection::vec(part(), 0..5)) {
            prop_assert_eq!(decode(&encode(&parts)).unwrap(), parts.clone());
            prop_assert_eq!(from_text(&to_text(&parts)).unwrap(), parts);
        }

        #[test]
        fn order_is_part_order((a, b) in same_shape_pair()) {
            // Same-kind parts sort as their values do, so dates as text and numbers as
            // integers scan in order.
            prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn ledger_keys_read_back() {
        let chat = ChatRef::telegram(-100);
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for item in [
            LedgerItem::DigestPart { date, part: 3 },
            LedgerItem::DigestDone { date },
            LedgerItem::Alert {
                paper_id: "2601.11077".into(),
            },
        ] {
            let parts = decode(&ledger(&chat, &item)).unwrap();
            assert_eq!(parse_ledger(&parts), Some((chat.clone(), item.clone())));
            assert!(ledger(&chat, &item).starts_with(&ledger_chat_prefix(&chat)));
        }
        assert!(ledger(&chat, &LedgerItem::DigestPart { date, part: 0 })
            .starts_with(&ledger_parts_prefix(&chat, date)));
        assert!(check_ledger(&["telegram:1".into(), "other".into()]).is_err());
        assert!(check_ledger(&[
            "telegram:1".into(),
            "digest-part".into(),
            "2026-11-24".into(),
            Part::Int(70_000)
        ])
        .is_err());
    }

    #[test]
    fn a_chat_is_not_a_prefix_of_a_longer_chat() {
        let short = encode(&["telegram:1".into()]);
        let long = encode(&["telegram:12".into(), "alert".into()]);
        assert!(!long.starts_with(&short));
        let same = encode(&["telegram:1".into(), "alert".into()]);
        assert!(same.starts_with(&short));
    }

    #[test]
    fn a_nul_in_a_string_cannot_forge_a_boundary() {
        let forged = encode(&["a\0\u{2}b".into()]);
        let real = encode(&["a".into(), "b".into()]);
        assert_ne!(forged, real);
        assert_eq!(decode(&forged).unwrap(), vec![Part::from("a\0\u{2}b")]);
    }

    #[test]
    fn rejects_malformed_keys() {
        for bad in [
            &[0x02, b'a'][..],
            &[0x15, 0, 0],
            &[0x99],
            &[0x02, 0xC3, 0x28, 0],
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_form_of_single_strings_is_plain() {
        assert_eq!(to_text(&["telegram:5".into()]), Value::from("telegram:5"));
        assert_eq!(
            to_text(&["x".into(), 3u64.into()]),
            serde_json::json!(["x", 3])
        );
        assert!(from_text(&serde_json::json!([-1])).is_err());
        assert!(from_text(&serde_json::json!({"a": 1})).is_err());
    }
}
