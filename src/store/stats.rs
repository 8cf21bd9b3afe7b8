//! `paperboy db stats`: what is in the store, and how much of it cannot be read.
//!
//! Reads skip damaged records quietly (a warning each); this is where they are counted, so
//! an operator learns about damage without reading logs.

use std::fmt;
use std::path::PathBuf;

use super::key;
use super::meta;
use super::record;
use super::tree::Tree;
use super::{Error, Store};
use crate::domain::Subscription;

/// Counts for one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeStats {
    pub name: &'static str,
    pub records: u64,
    /// Records whose key or value does not decode.
    pub undecodable: u64,
}

/// A summary of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub path: PathBuf,
    pub schema_version: Option<u64>,
    pub size_on_disk: u64,
    pub trees: Vec<TreeStats>,
    pub active_subscriptions: u64,
    pub inactive_subscriptions: u64,
}

impl Stats {
    /// Undecodable records over all trees.
    pub fn undecodable(&self) -> u64 {
        self.trees.iter().map(|t| t.undecodable).sum()
    }

    /// Records over all trees.
    pub fn records(&self) -> u64 {
        self.trees.iter().map(|t| t.records).sum()
    }

    /// The counts of the tree named `name`.
    pub fn tree(&self, name: &str) -> Option<&TreeStats> {
        self.trees.iter().find(|t| t.name == name)
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "database       {}", self.path.display())?;
        match self.schema_version {
            Some(v) => writeln!(f, "schema version {v}")?,
            None => writeln!(f, "schema version (missing)")?,
        }
        writeln!(f, "size on disk   {}", human_bytes(self.size_on_disk))?;
        writeln!(
            f,
            "subscriptions  {} active, {} inactive",
            self.active_subscriptions, self.inactive_subscriptions
        )?;
        writeln!(f)?;
        writeln!(f, "{:<14} {:>10} {:>12}", "tree", "records", "undecodable")?;
        for tree in &self.trees {
            writeln!(
                f,
                "{:<14} {:>10} {:>12}",
                tree.name, tree.records, tree.undecodable
            )?;
        }
        write!(
            f,
            "{:<14} {:>10} {:>12}",
            "total",
            self.records(),
            self.undecodable()
        )
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

impl Store {
    /// Reads every record once: slow on a large store, meant for the `db stats` command.
    pub fn stats(&self) -> Result<Stats, Error> {
        let mut trees = Vec::new();
        let (mut active, mut inactive) = (0, 0);
        for tree in Tree::ALL {
            let mut counts = TreeStats {
                name: tree.name(),
                records: 0,
                undecodable: 0,
            };
            for item in self.tree(tree).iter() {
                let (k, v) = item.map_err(Error::db("scan"))?;
                counts.records += 1;
                let key_ok = key::decode(&k)
                    .ok()
                    .is_some_and(|parts| tree.check_key(&parts).is_ok());
                if tree == Tree::Subscriptions {
                    match record::decode::<Subscription>(&v) {
                        Ok(s) if key_ok && s.is_active => active += 1,
                        Ok(_) if key_ok => inactive += 1,
                        _ => counts.undecodable += 1,
                    }
                } else if !key_ok || tree.check_value(&v).is_err() {
                    counts.undecodable += 1;
                }
            }
            trees.push(counts);
        }
        Ok(Stats {
            path: self.path(),
            schema_version: meta::version(self)?,
            size_on_disk: self.inner.db.size_on_disk().map_err(Error::db("size"))?,
            trees,
            active_subscriptions: active,
            inactive_subscriptions: inactive,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatRef;
    use crate::store::LedgerItem;
    use chrono::NaiveDate;

    #[test]
    fn counts_records_and_damage() {
        let store = Store::temporary().unwrap();
        let mut sub = crate::store::sample::subscription(ChatRef::telegram(1));
        store.put_subscription(&sub).unwrap();
        sub.chat = ChatRef::telegram(2);
        sub.is_active = false;
        store.put_subscription(&sub).unwrap();
        store
            .record_once(
                &ChatRef::telegram(1),
                &LedgerItem::DigestDone {
                    date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                },
            )
            .unwrap();
        store
            .put_raw_for_test("subscriptions", &"telegram:3".into(), b"\xde\xad")
            .unwrap();
        store
            .put_raw_for_test("photos", &"https://x".into(), b"{\"v\":1}")
            .unwrap();
        store
            .tree(Tree::Ledger)
            .insert(&b"\x99not a key"[..], &b"{}"[..])
            .unwrap();

        let stats = store.stats().unwrap();
        assert_eq!(stats.active_subscriptions, 1);
        assert_eq!(stats.inactive_subscriptions, 1);
        assert_eq!(stats.tree("subscriptions").unwrap().records, 3);
        assert_eq!(stats.tree("subscriptions").unwrap().undecodable, 1);
        assert_eq!(stats.tree("photos").unwrap().undecodable, 1);
        assert_eq!(stats.tree("ledger").unwrap().records, 2);
        assert_eq!(stats.tree("ledger").unwrap().undecodable, 1);
        assert_eq!(stats.undecodable(), 3);
        assert_eq!(
            stats.schema_version,
            Some(u64::from(crate::store::SCHEMA_VERSION))
        );

        let text = stats.to_string();
        assert!(text.contains("1 active, 1 inactive"), "{text}");
        assert!(text.contains("subscriptions"), "{text}");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}
