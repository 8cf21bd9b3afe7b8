//! The delivery ledger: what each chat has been sent, so a restart resumes where it stopped
//! and nothing is sent twice.
//!
//! The delivery engine sends first and records after, flushed: a crash between the two
//! repeats one message, a crash after loses nothing. Alerts use [`Store::record_once`] to
//! claim a (person, paper) pair atomically.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::key;
use super::record::{self, Record};
use super::tree::Tree;
use super::{Error, Store};
use crate::domain::ChatRef;

/// Something delivered to a chat.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LedgerItem {
    /// One message (0-based) of a day's digest.
    DigestPart { date: NaiveDate, part: u16 },
    /// Every message of a day's digest.
    DigestDone { date: NaiveDate },
    /// An alert about one paper.
    Alert { paper_id: String },
}

/// A ledger entry's value: when it was recorded, for `db export` readers and pruning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub at: DateTime<Utc>,
}

impl Record for Entry {
    const KIND: &'static str = "ledger entry";
    const VERSION: u32 = 1;
}

impl Store {
    pub fn is_recorded(&self, chat: &ChatRef, item: &LedgerItem) -> Result<bool, Error> {
        // Presence is the fact; the value only says when, so a damaged value still counts.
        self.tree(Tree::Ledger)
            .contains_key(key::ledger(chat, item))
            .map_err(Error::db("read ledger"))
    }

    /// Records a delivery and waits until it is on disk, so a recorded send survives a
    /// crash.
    pub async fn record(&self, chat: &ChatRef, item: &LedgerItem) -> Result<(), Error> {
        self.put(
            Tree::Ledger,
            &key::ledger(chat, item),
            &Entry { at: Utc::now() },
        )?;
        self.flush().await
    }

    /// Records `item` unless it already is, atomically: true when this call recorded it.
    /// Not flushed; call [`Store::flush`] when the claim must survive a crash.
    pub fn record_once(&self, chat: &ChatRef, item: &LedgerItem) -> Result<bool, Error> {
        let bytes = record::encode(&Entry { at: Utc::now() }).map_err(Error::encode::<Entry>)?;
        let swapped = self
            .tree(Tree::Ledger)
            .compare_and_swap(key::ledger(chat, item), None::<&[u8]>, Some(bytes))
            .map_err(Error::db("record once"))?;
        Ok(swapped.is_ok())
    }

    /// The digest parts of `date` recorded for `chat`, in order.
    pub fn recorded_parts(&self, chat: &ChatRef, date: NaiveDate) -> Result<Vec<u16>, Error> {
        let mut parts = Vec::new();
        for item in self
            .tree(Tree::Ledger)
            .scan_prefix(key::ledger_parts_prefix(chat, date))
            .keys()
        {
            let k = item.map_err(Error::db("scan ledger"))?;
            let decoded = key::decode(&k).ok();
            match decoded.as_deref().and_then(key::parse_ledger) {
                Some((_, LedgerItem::DigestPart { part, .. })) => parts.push(part),
                _ => tracing::warn!(key = %key::Display(&k), "skipping an undecodable ledger key"),
            }
        }
        Ok(parts)
    }

    /// Everything recorded for `chat`, in key order.
    pub fn ledger(&self, chat: &ChatRef) -> Result<Vec<LedgerItem>, Error> {
        let mut items = Vec::new();
        for item in self
            .tree(Tree::Ledger)
            .scan_prefix(key::ledger_chat_prefix(chat))
            .keys()
        {
            let k = item.map_err(Error::db("scan ledger"))?;
            let decoded = key::decode(&k).ok();
            match decoded.as_deref().and_then(key::parse_ledger) {
                Some((_, item)) => items.push(item),
                None => {
                    tracing::warn!(key = %key::Display(&k), "skipping an undecodable ledger key")
                }
            }
        }
        Ok(items)
    }

    /// Deletes digest entries of days before `before` (alert entries stay: a paper can
    /// reappear in a later list and must not alert twice). Returns how many went.
    pub fn prune_ledger(&self, before: NaiveDate) -> Result<usize, Error> {
        let tree = self.tree(Tree::Ledger);
        let mut removed = 0;
        for item in tree.iter().keys() {
            let k = item.map_err(Error::db("scan ledger"))?;
            let decoded = key::decode(&k).ok();
            let old = match decoded.as_deref().and_then(key::parse_ledger) {
                Some((_, LedgerItem::DigestPart { date, .. }))
                | Some((_, LedgerItem::DigestDone { date })) => date < before,
                _ => false,
            };
            if old {
                tree.remove(&k).map_err(Error::db("prune ledger"))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[tokio::test]
    async fn record_then_is_recorded() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(5);
        let item = LedgerItem::DigestDone { date: day(24) };
        assert!(!store.is_recorded(&chat, &item).unwrap());
        store.record(&chat, &item).await.unwrap();
        assert!(store.is_recorded(&chat, &item).unwrap());
        assert!(!store.is_recorded(&ChatRef::telegram(55), &item).unwrap());
        assert!(!store
            .is_recorded(&chat, &LedgerItem::DigestDone { date: day(23) })
            .unwrap());
    }

    #[test]
    fn record_once_is_true_once() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(5);
        let item = LedgerItem::Alert {
            paper_id: "2601.11077".into(),
        };
        assert!(store.record_once(&chat, &item).unwrap());
        assert!(!store.record_once(&chat, &item).unwrap());
        assert!(store.record_once(&ChatRef::telegram(6), &item).unwrap());
    }

    #[test]
    fn parts_of_one_day_only_in_order() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(5);
        for part in [2, 0, 11, 1] {
            store
                .record_once(
                    &chat,
                    &LedgerItem::DigestPart {
                        date: day(24),
                        part,
                    },
                )
                .unwrap();
        }
        store
            .record_once(
                &chat,
                &LedgerItem::DigestPart {
                    date: day(23),
                    part: 7,
                },
            )
            .unwrap();
        store
            .record_once(
                &ChatRef::telegram(55),
                &LedgerItem::DigestPart {
                    date: day(24),
                    part: 9,
                },
            )
            .unwrap();
        assert_eq!(store.recorded_parts(&chat, day(24)).unwrap(), [0, 1, 2, 11]);
        assert!(store.recorded_parts(&chat, day(25)).unwrap().is_empty());
    }

    #[test]
    fn prune_keeps_alerts_and_recent_days() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(5);
        let alert = LedgerItem::Alert {
            paper_id: "x".into(),
        };
        for item in [
            LedgerItem::DigestPart {
                date: day(1),
                part: 0,
            },
            LedgerItem::DigestDone { date: day(1) },
            LedgerItem::DigestDone { date: day(20) },
            alert.clone(),
        ] {
            store.record_once(&chat, &item).unwrap();
        }
        assert_eq!(store.prune_ledger(day(10)).unwrap(), 2);
        assert_eq!(
            store.ledger(&chat).unwrap(),
            [alert, LedgerItem::DigestDone { date: day(20) }]
        );
    }

    // The engine awaits these inside spawned tasks; this fails to compile if they stop
    // being `Send`.
    const _: fn(&Store, &ChatRef, &LedgerItem) = |store, chat, item| {
        fn assert_send<T: Send>(_: T) {}
        assert_send(store.record(chat, item));
        assert_send(store.flush());
    };
}
