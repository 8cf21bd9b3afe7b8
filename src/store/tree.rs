//! The one table of sled trees: their names on disk, and for each the record type its values
//! hold and the shape its keys have.
//!
//! Export, import and `db stats` walk this table, so a tree added here is exported, imported
//! and counted without further code; a tree opened anywhere else would be silently left out.

use serde_json::Value;

use super::key::{self, Part};
use super::record::{self, DecodeError};
use super::{alerts, ledger, meta, papers, photos, subscriptions, summaries};

/// A tree of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Tree {
    /// The schema version.
    Meta,
    /// One [`crate::domain::Subscription`] per chat.
    Subscriptions,
    /// What was delivered to whom: digest parts, finished digests, alerts.
    Ledger,
    /// The fetched paper list of each day.
    Days,
    /// Summaries by paper, language, model and prompt version.
    Summaries,
    /// LLM tokens spent per day.
    Tokens,
    /// Telegram file ids of uploaded photos, by URL.
    Photos,
    /// Each person's alert rules and pause flag.
    Alerts,
    /// When each chat last ran `/today`.
    Cooldowns,
}

impl Tree {
    /// Every tree, in the order exports and stats list them.
    pub(crate) const ALL: [Tree; 9] = [
        Tree::Meta,
        Tree::Subscriptions,
        Tree::Ledger,
        Tree::Days,
        Tree::Summaries,
        Tree::Tokens,
        Tree::Photos,
        Tree::Alerts,
        Tree::Cooldowns,
    ];

    /// The name on disk and in exports. Never rename one: old databases use it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::Subscriptions => "subscriptions",
            Tree::Ledger => "ledger",
            Tree::Days => "days",
            Tree::Summaries => "summaries",
            Tree::Tokens => "tokens",
            Tree::Photos => "photos",
            Tree::Alerts => "alerts",
            Tree::Cooldowns => "cooldowns",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Tree> {
        Tree::ALL.into_iter().find(|t| t.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Checks that a value decodes as this tree's record.
    pub(crate) fn check_value(self, bytes: &[u8]) -> Result<(), DecodeError> {
        match self {
            Tree::Meta => record::check::<meta::Schema>(bytes),
            Tree::Subscriptions => record::check::<crate::domain::Subscription>(bytes),
            Tree::Ledger => record::check::<ledger::Entry>(bytes),
            Tree::Days => record::check::<papers::StoredDay>(bytes),
            Tree::Summaries => record::check::<summaries::Cached>(bytes),
            Tree::Tokens => record::check::<summaries::Tokens>(bytes),
            Tree::Photos => record::check::<photos::FileId>(bytes),
            Tree::Alerts => record::check::<alerts::Rules>(bytes),
            Tree::Cooldowns => record::check::<subscriptions::Cooldown>(bytes),
        }
    }

    /// The bytes a put would write for a record given as JSON (by an import).
    pub(crate) fn canonical(self, value: Value) -> Result<Vec<u8>, DecodeError> {
        match self {
            Tree::Meta => record::canonical::<meta::Schema>(value),
            Tree::Subscriptions => record::canonical::<crate::domain::Subscription>(value),
            Tree::Ledger => record::canonical::<ledger::Entry>(value),
            Tree::Days => record::canonical::<papers::StoredDay>(value),
            Tree::Summaries => record::canonical::<summaries::Cached>(value),
            Tree::Tokens => record::canonical::<summaries::Tokens>(value),
            Tree::Photos => record::canonical::<photos::FileId>(value),
            Tree::Alerts => record::canonical::<alerts::Rules>(value),
            Tree::Cooldowns => record::canonical::<subscriptions::Cooldown>(value),
        }
    }

    /// Checks that a key has this tree's shape.
    pub(crate) fn check_key(self, parts: &[Part]) -> Result<(), &'static str> {
        match self {
            Tree::Meta | Tree::Photos => match parts {
                [Part::Str(_)] => Ok(()),
                _ => Err("expected one string"),
            },
            Tree::Subscriptions | Tree::Alerts | Tree::Cooldowns => match parts {
                [Part::Str(chat)] => key::check_chat(chat),
                _ => Err("expected a chat"),
            },
            Tree::Days | Tree::Tokens => match parts {
                [Part::Str(date)] => key::check_date(date),
                _ => Err("expected a date"),
            },
            Tree::Ledger => key::check_ledger(parts),
            Tree::Summaries => key::check_summary(parts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_indexes_dense() {
        for (i, tree) in Tree::ALL.into_iter().enumerate() {
            assert_eq!(tree.index(), i);
            assert_eq!(Tree::from_name(tree.name()), Some(tree));
        }
        assert_eq!(Tree::from_name("nope"), None);
    }

    #[test]
    fn every_tree_refuses_garbage() {
        for tree in Tree::ALL {
            assert!(tree.check_value(b"\x00garbage").is_err(), "{tree:?}");
            assert!(tree.canonical(Value::Null).is_err(), "{tree:?}");
            assert!(tree.check_key(&[Part::Int(1)]).is_err(), "{tree:?}");
        }
    }
}
