//! Chats' subscriptions, the `/today` cooldown, and moving a chat that changed its id.
//!
//! A subscription is keyed by its chat's text form, so `paperboy subscriptions list` reads in
//! a stable order and an export is readable. Inactive subscriptions stay, with their
//! settings, so a chat that comes back gets them back.

use std::convert::Infallible;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};
use tracing::{info, warn};

use super::key::{self, Part};
use super::record::{self, Record};
use super::tree::Tree;
use super::{DbError, Error, Store};
use crate::domain::{ChatRef, Subscription};

impl Record for Subscription {
    const KIND: &'static str = "subscription";
    const VERSION: u32 = 1;
}

/// When a chat last ran `/today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cooldown {
    pub last_today: DateTime<Utc>,
}

impl Record for Cooldown {
    const KIND: &'static str = "cooldown";
    const VERSION: u32 = 1;
}

impl Store {
    pub fn subscription(&self, chat: &ChatRef) -> Result<Option<Subscription>, Error> {
        self.get(Tree::Subscriptions, &key::chat(chat))
    }

    /// Inserts or replaces the subscription of `subscription.chat`. Not flushed: a crash
    /// within sled's flush interval loses it; call [`Store::flush`] where that matters.
    pub fn put_subscription(&self, subscription: &Subscription) -> Result<(), Error> {
        self.put(
            Tree::Subscriptions,
            &key::chat(&subscription.chat),
            subscription,
        )
    }

    /// Deletes a subscription outright. Usually a subscription is made inactive instead, to
    /// keep its settings. True when there was one.
    pub fn remove_subscription(&self, chat: &ChatRef) -> Result<bool, Error> {
        self.remove(Tree::Subscriptions, &key::chat(chat))
    }

    /// Every readable subscription, in chat order.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>, Error> {
        self.subscriptions_iter().collect()
    }

    /// Every readable subscription, read lazily so a large store is not held in memory.
    /// The iterator owns its handle and may outlive `self`.
    pub fn subscriptions_iter(
        &self,
    ) -> impl Iterator<Item = Result<Subscription, Error>> + Send + 'static {
        self.scan::<Subscription>(Tree::Subscriptions, &[])
            .map(|item| item.map(|(_, subscription)| subscription))
    }

    /// The number of stored subscriptions, readable or not.
    pub fn count_subscriptions(&self) -> usize {
        self.tree(Tree::Subscriptions).len()
    }

    /// Changes a subscription atomically with respect to other writers; `f` may run more
    /// than once when writers race, so it should only set fields. The chat cannot be
    /// changed this way (see [`Store::move_chat`]). `None` when there is no readable
    /// subscription (nothing is created).
    pub fn update_subscription(
        &self,
        chat: &ChatRef,
        mut f: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>, Error> {
        self.update::<Subscription>(Tree::Subscriptions, &key::chat(chat), |current| {
            let mut subscription = current?;
            f(&mut subscription);
            subscription.chat = chat.clone();
            Some(subscription)
        })
    }

    /// When `chat` last ran `/today`.
    pub fn last_today(&self, chat: &ChatRef) -> Result<Option<DateTime<Utc>>, Error> {
        Ok(self
            .get::<Cooldown>(Tree::Cooldowns, &key::chat(chat))?
            .map(|c| c.last_today))
    }

    pub fn set_last_today(&self, chat: &ChatRef, at: DateTime<Utc>) -> Result<(), Error> {
        self.put(
            Tree::Cooldowns,
            &key::chat(chat),
            &Cooldown { last_today: at },
        )
    }

    /// Moves everything kept about a chat to a new id: its subscription, its ledger (so the
    /// new id is not sent what the old one already got), its alert rules and its cooldown.
    /// One transaction: a crash leaves either the old chat or the new one, never half.
    ///
    /// For Telegram's `migrate_to_chat_id`, when a group becomes a supergroup. Records that
    /// already exist under `to` are replaced by those of `from`; when `from` has nothing,
    /// nothing changes. Not flushed: the next [`Store::record`] or [`Store::flush`] makes
    /// it durable.
    pub fn move_chat(&self, from: &ChatRef, to: &ChatRef) -> Result<(), Error> {
        if from == to {
            return Ok(());
        }
        // Transactions cannot scan, so the ledger keys are listed first; an entry recorded
        // for `from` between this scan and the commit stays under `from`, which at worst
        // repeats one message at the new id.
        let mut ledger_moves = Vec::new();
        for item in self
            .tree(Tree::Ledger)
            .scan_prefix(key::ledger_chat_prefix(from))
        {
            let (old_key, value) = item.map_err(Error::db("scan ledger"))?;
            let Some(mut parts) = key::decode(&old_key).ok() else {
                warn!(key = %key::Display(&old_key), "not moving a ledger entry with an undecodable key");
                continue;
            };
            if let Some(first) = parts.first_mut() {
                *first = Part::Str(to.to_string());
            }
            ledger_moves.push((old_key.to_vec(), key::encode(&parts), value));
        }
        let moved_subscription = match self.tree(Tree::Subscriptions).get(key::chat(from)) {
            Ok(Some(bytes)) => Some(match record::decode::<Subscription>(&bytes) {
                Ok(mut subscription) => {
                    subscription.chat = to.clone();
                    record::encode(&subscription).map_err(Error::encode::<Subscription>)?
                }
                Err(error) => {
                    warn!(chat = %from, %error, "moving an undecodable subscription as it is");
                    bytes.to_vec()
                }
            }),
            Ok(None) => None,
            Err(e) => return Err(Error::db("read subscription")(e)),
        };
        let (from_key, to_key) = (key::chat(from), key::chat(to));
        let trees = (
            self.tree(Tree::Subscriptions),
            self.tree(Tree::Ledger),
            self.tree(Tree::Alerts),
            self.tree(Tree::Cooldowns),
        );
        trees
            .transaction(|(subscriptions, ledger, alerts, cooldowns)| {
                if let Some(bytes) = &moved_subscription {
                    subscriptions.insert(to_key.as_slice(), bytes.as_slice())?;
                    subscriptions.remove(from_key.as_slice())?;
                }
                for (old_key, new_key, value) in &ledger_moves {
                    ledger.insert(new_key.as_slice(), value.clone())?;
                    ledger.remove(old_key.as_slice())?;
                }
                for tree in [alerts, cooldowns] {
                    if let Some(value) = tree.remove(from_key.as_slice())? {
                        tree.insert(to_key.as_slice(), value)?;
                    }
                }
                Ok::<_, ConflictableTransactionError<Infallible>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(source) => Error::Db {
                    op: "move chat",
                    source: DbError(source),
                },
                TransactionError::Abort(never) => match never {},
            })?;
        info!(from = %from, to = %to, ledger_entries = ledger_moves.len(), "moved a chat");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sample::subscription;
    use crate::store::LedgerItem;
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn put_get_remove() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(-100);
        assert_eq!(store.subscription(&chat).unwrap(), None);
        store.put_subscription(&subscription(chat.clone())).unwrap();
        assert_eq!(
            store.subscription(&chat).unwrap(),
            Some(subscription(chat.clone()))
        );
        assert_eq!(store.count_subscriptions(), 1);
        assert!(store.remove_subscription(&chat).unwrap());
        assert!(!store.remove_subscription(&chat).unwrap());
        assert!(store.subscriptions().unwrap().is_empty());
    }

    #[test]
    fn lists_in_chat_order_and_skips_garbage() {
        let store = Store::temporary().unwrap();
        for id in [3, 1, 2] {
            store
                .put_subscription(&subscription(ChatRef::telegram(id)))
                .unwrap();
        }
        store
            .tree(Tree::Subscriptions)
            .insert(key::chat(&ChatRef::telegram(4)), &b"{not json"[..])
            .unwrap();
        let chats: Vec<_> = store
            .subscriptions()
            .unwrap()
            .into_iter()
            .map(|s| s.chat.to_string())
            .collect();
        assert_eq!(chats, ["telegram:1", "telegram:2", "telegram:3"]);
        assert_eq!(store.count_subscriptions(), 4);
        assert_eq!(store.subscription(&ChatRef::telegram(4)).unwrap(), None);
    }

    #[test]
    fn update_changes_fields_but_not_the_chat() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(7);
        assert_eq!(
            store.update_subscription(&chat, |s| s.top_n = 3).unwrap(),
            None
        );
        assert_eq!(
            store.subscription(&chat).unwrap(),
            None,
            "update creates nothing"
        );
        store.put_subscription(&subscription(chat.clone())).unwrap();
        let updated = store
            .update_subscription(&chat, |s| {
                s.top_n = 3;
                s.chat = ChatRef::telegram(8);
            })
            .unwrap()
            .unwrap();
        assert_eq!(updated.top_n, 3);
        assert_eq!(updated.chat, chat);
        assert_eq!(store.subscription(&chat).unwrap(), Some(updated));
        assert_eq!(store.subscription(&ChatRef::telegram(8)).unwrap(), None);
    }

    #[test]
    fn concurrent_updates_are_not_lost() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(9);
        store.put_subscription(&subscription(chat.clone())).unwrap();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        store
                            .update_subscription(&chat, |s| s.consecutive_failures += 1)
                            .unwrap();
                    }
                });
            }
        });
        assert_eq!(
            store
                .subscription(&chat)
                .unwrap()
                .unwrap()
                .consecutive_failures,
            200
        );
    }

    #[test]
    fn cooldown_round_trips() {
        let store = Store::temporary().unwrap();
        let chat = ChatRef::telegram(1);
        assert_eq!(store.last_today(&chat).unwrap(), None);
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        store.set_last_today(&chat, at).unwrap();
        assert_eq!(store.last_today(&chat).unwrap(), Some(at));
    }

    #[test]
    fn move_chat_moves_everything_and_nothing_else() {
        let store = Store::temporary().unwrap();
        let (from, to, other) = (
            ChatRef::telegram(-1),
            ChatRef::telegram(-1001),
            ChatRef::telegram(-12),
        );
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        store.put_subscription(&subscription(from.clone())).unwrap();
        store
            .put_subscription(&subscription(other.clone()))
            .unwrap();
        for chat in [&from, &other] {
            store
                .record_once(chat, &LedgerItem::DigestDone { date })
                .unwrap();
        }
        store
            .record_once(&from, &LedgerItem::DigestPart { date, part: 1 })
            .unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        store.set_last_today(&from, at).unwrap();

        store.move_chat(&from, &to).unwrap();

        assert_eq!(store.subscription(&from).unwrap(), None);
        assert_eq!(store.subscription(&to).unwrap().unwrap().chat, to);
        assert!(store.ledger(&from).unwrap().is_empty());
        assert_eq!(store.ledger(&to).unwrap().len(), 2);
        assert_eq!(store.recorded_parts(&to, date).unwrap(), [1]);
        assert_eq!(store.last_today(&to).unwrap(), Some(at));
        assert_eq!(store.last_today(&from).unwrap(), None);
        assert!(store.subscription(&other).unwrap().is_some());
        assert_eq!(store.ledger(&other).unwrap().len(), 1);

        // Moving a chat with nothing is a no-op, and so is moving onto itself.
        store.move_chat(&from, &other).unwrap();
        store.move_chat(&to, &to).unwrap();
        assert!(store.subscription(&other).unwrap().is_some());
        assert!(store.subscription(&to).unwrap().is_some());
    }
}
