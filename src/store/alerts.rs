//! Each person's alert rules, as the text they typed, and whether their alerts are paused.
//!
//! Rules are stored as text and parsed by `domain::alert` when loaded, so an improved parser
//! applies to old rules and the store never depends on the rule type's shape. A person is
//! the private chat alerts go to (`telegram:USER` or `discord-user:USER`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::key::{self, Part};
use super::record::Record;
use super::tree::Tree;
use super::{Error, Store};
use crate::domain::{ChatRef, Language};

/// One alert rule as the person wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRule {
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// A person's alert record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Rules {
    #[serde(default)]
    pub rules: Vec<StoredRule>,
    /// Set by `/alert pause`, or when the person blocked the bot.
    #[serde(default)]
    pub paused: bool,
    /// The person has written to the bot in a private chat, so the bot may message them
    /// (Telegram refuses messages to people who never did). Added without a version bump:
    /// older records read as "not started".
    #[serde(default)]
    pub started: bool,
    /// The language the person's alert commands were last answered in, for their alert
    /// cards when they have no private subscription of their own. Added without a version
    /// bump: older records have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

impl Record for Rules {
    const KIND: &'static str = "alert rules";
    const VERSION: u32 = 1;
}

impl Store {
    /// The rules of `owner`, in the order they were added.
    pub fn alert_rules(&self, owner: &ChatRef) -> Result<Vec<StoredRule>, Error> {
        Ok(self.rules(owner)?.rules)
    }

    /// Replaces the rules of `owner`, keeping the pause flag.
    pub fn put_alert_rules(&self, owner: &ChatRef, rules: &[StoredRule]) -> Result<(), Error> {
        self.update::<Rules>(Tree::Alerts, &key::chat(owner), |current| {
            let current = current.unwrap_or_default();
            Some(Rules {
                rules: rules.to_vec(),
                ..current
            })
        })?;
        Ok(())
    }

    /// Every person with at least one rule, paused or not, in chat order.
    pub fn all_alert_rules(&self) -> Result<Vec<(ChatRef, Vec<StoredRule>)>, Error> {
        self.alert_records(|_| true)
    }

    /// Every person with at least one rule whose alerts are not paused: what the poller
    /// matches against.
    pub fn active_alert_rules(&self) -> Result<Vec<(ChatRef, Vec<StoredRule>)>, Error> {
        self.alert_records(|r| !r.paused)
    }

    pub fn alerts_paused(&self, owner: &ChatRef) -> Result<bool, Error> {
        Ok(self.rules(owner)?.paused)
    }

    pub fn set_alerts_paused(&self, owner: &ChatRef, paused: bool) -> Result<(), Error> {
        self.update::<Rules>(Tree::Alerts, &key::chat(owner), |current| {
            Some(Rules {
                paused,
                ..current.unwrap_or_default()
            })
        })?;
        Ok(())
    }

    /// Whether `owner` has opened a private chat with the bot (see [`Store::set_alerts_started`]).
    pub fn alerts_started(&self, owner: &ChatRef) -> Result<bool, Error> {
        Ok(self.rules(owner)?.started)
    }

    /// Remembers that `owner` wrote to the bot privately; writes only when that is news.
    pub fn set_alerts_started(&self, owner: &ChatRef) -> Result<(), Error> {
        if self.rules(owner)?.started {
            return Ok(());
        }
        self.update::<Rules>(Tree::Alerts, &key::chat(owner), |current| {
            Some(Rules {
                started: true,
                ..current.unwrap_or_default()
            })
        })?;
        Ok(())
    }

    /// The language `owner`'s alert commands were last answered in, if recorded.
    pub fn alerts_language(&self, owner: &ChatRef) -> Result<Option<Language>, Error> {
        Ok(self.rules(owner)?.language)
    }

    /// Remembers the language `owner` reads their alerts in; writes only when that is news.
    pub fn set_alerts_language(&self, owner: &ChatRef, language: Language) -> Result<(), Error> {
        if self.rules(owner)?.language == Some(language) {
            return Ok(());
        }
        self.update::<Rules>(Tree::Alerts, &key::chat(owner), |current| {
            Some(Rules {
                language: Some(language),
                ..current.unwrap_or_default()
            })
        })?;
        Ok(())
    }

    fn rules(&self, owner: &ChatRef) -> Result<Rules, Error> {
        Ok(self
            .get::<Rules>(Tree::Alerts, &key::chat(owner))?
            .unwrap_or_default())
    }

    fn alert_records(
        &self,
        keep: impl Fn(&Rules) -> bool,
    ) -> Result<Vec<(ChatRef, Vec<StoredRule>)>, Error> {
        let mut out = Vec::new();
        for item in self.scan::<Rules>(Tree::Alerts, &[]) {
            let (parts, record) = item?;
            if record.rules.is_empty() || !keep(&record) {
                continue;
            }
            let owner = match parts.as_slice() {
                [Part::Str(text)] => ChatRef::parse(text).ok(),
                _ => None,
            };
            match owner {
                Some(owner) => out.push((owner, record.rules)),
                None => {
                    tracing::warn!(key = ?parts, "skipping alert rules under a key that is not a chat")
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rule(text: &str) -> StoredRule {
        StoredRule {
            text: text.into(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
        }
    }

    #[test]
    fn rules_round_trip_and_keep_the_pause_flag() {
        let store = Store::temporary().unwrap();
        let me = ChatRef::telegram(42);
        assert!(store.alert_rules(&me).unwrap().is_empty());
        assert!(!store.alerts_paused(&me).unwrap());

        store
            .put_alert_rules(&me, &[rule("diffusion"), rule("author:\"Ada\"")])
            .unwrap();
        store.set_alerts_paused(&me, true).unwrap();
        store
            .put_alert_rules(&me, &[rule("diffusion"), rule("rlhf -survey")])
            .unwrap();
        assert!(store.alerts_paused(&me).unwrap());
        assert_eq!(
            store.alert_rules(&me).unwrap(),
            [rule("diffusion"), rule("rlhf -survey")]
        );
        store.set_alerts_paused(&me, false).unwrap();
        assert!(!store.alerts_paused(&me).unwrap());
        assert_eq!(store.alert_rules(&me).unwrap().len(), 2);

        assert!(!store.alerts_started(&me).unwrap());
        store.set_alerts_started(&me).unwrap();
        store.put_alert_rules(&me, &[rule("x")]).unwrap();
        store.set_alerts_paused(&me, true).unwrap();
        assert!(
            store.alerts_started(&me).unwrap(),
            "kept by the other writes"
        );
    }

    #[test]
    fn listing_skips_empty_and_paused_as_asked() {
        let store = Store::temporary().unwrap();
        let (a, b, c) = (
            ChatRef::telegram(1),
            ChatRef::DiscordUser { user_id: 2 },
            ChatRef::telegram(3),
        );
        store.put_alert_rules(&a, &[rule("x")]).unwrap();
        store.put_alert_rules(&b, &[rule("y")]).unwrap();
        store.set_alerts_paused(&b, true).unwrap();
        store.set_alerts_paused(&c, true).unwrap();
        let all: Vec<_> = store
            .all_alert_rules()
            .unwrap()
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        assert_eq!(all, [b.clone(), a.clone()]);
        let active: Vec<_> = store
            .active_alert_rules()
            .unwrap()
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        assert_eq!(active, [a]);
    }
}
