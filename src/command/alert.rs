//! `/alert ...`: a person's keyword alerts, kept with the person rather than the chat.
//!
//! Alerts are personal: whoever types `/alert add` in a group gets the alerts privately, so
//! the adapter works out the person (their private chat is the owner) and calls
//! [`handle`] here. Everything but `/alert test` is answered from the store alone;
//! `/alert test` needs the day lists, so it comes back as [`AlertAnswer::Test`] for the
//! adapter to run with [`crate::alerts::test_rule`].

use chrono::{DateTime, Utc};

use super::alert_texts::alert_texts;
use super::replies::fill;
use crate::domain::alert::AlertRule;
use crate::domain::{ChatRef, Language};
use crate::store::{self, Store, StoredRule};

/// What follows `/alert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertCommand {
    /// `/alert` alone: how alerts work.
    Help,
    /// The rule as typed; parsed by [`handle`] with the configured length limit.
    Add(String),
    List,
    /// 1-based, as `/alert list` numbers the rules.
    Remove(usize),
    Test(String),
    Pause,
    Resume,
}

/// How much one person may keep (`alerts.max_rules_per_person`, `alerts.max_rule_chars`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertLimits {
    pub max_rules: usize,
    pub max_chars: usize,
}

impl Default for AlertLimits {
    /// The configuration's defaults.
    fn default() -> Self {
        AlertLimits {
            max_rules: 50,
            max_chars: crate::domain::alert::DEFAULT_MAX_CHARS,
        }
    }
}

/// What the adapter should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertAnswer {
    Text(String),
    /// Show which papers of the last days this rule would have matched.
    Test(AlertRule),
}

/// The usage line of `/alert`, shown in help and usage errors.
pub const USAGE: &str = "add RULE | list | remove N | test RULE | pause | resume";

/// Reads the text after `/alert` (already trimmed).
pub fn parse(args: &str) -> Result<AlertCommand, String> {
    let (verb, rest) = match args.split_once(char::is_whitespace) {
        Some((v, r)) => (v, r.trim()),
        None => (args, ""),
    };
    let none_after = |command: AlertCommand| {
        if rest.is_empty() {
            Ok(command)
        } else {
            Err(format!("too many arguments: {rest}"))
        }
    };
    match verb.to_lowercase().as_str() {
        "" | "help" => none_after(AlertCommand::Help),
        "add" | "test" if rest.is_empty() => Err(format!(
            "which rule? e.g. /alert {} \"diffusion model\" video -survey",
            verb.to_lowercase()
        )),
        "add" => Ok(AlertCommand::Add(rest.to_string())),
        "test" => Ok(AlertCommand::Test(rest.to_string())),
        "list" => none_after(AlertCommand::List),
        "pause" => none_after(AlertCommand::Pause),
        "resume" => none_after(AlertCommand::Resume),
        "remove" | "rm" | "delete" => match rest.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(AlertCommand::Remove(n)),
            _ => Err("which rule? the number /alert list shows, e.g. /alert remove 2".to_string()),
        },
        other => Err(format!("unknown alert command {other:?}")),
    }
}

/// Applies `command` to the alerts of `owner` (the person's private chat), answering in
/// `language` (see [`alert_language`]).
pub fn handle(
    store: &Store,
    limits: &AlertLimits,
    owner: &ChatRef,
    language: Language,
    command: &AlertCommand,
    now: DateTime<Utc>,
) -> Result<AlertAnswer, store::Error> {
    let t = alert_texts(language);
    let text = |s: String| Ok(AlertAnswer::Text(s));
    let cannot_read = |e: &dyn std::fmt::Display| fill(t.cannot_read, &[("error", &e.to_string())]);
    match command {
        AlertCommand::Help => text(fill(
            t.help,
            &[
                ("max_rules", &limits.max_rules.to_string()),
                ("max_chars", &limits.max_chars.to_string()),
            ],
        )),
        AlertCommand::Add(typed) => {
            let rule = match AlertRule::parse_with_max(typed, limits.max_chars) {
                Ok(rule) => rule,
                Err(e) => return text(cannot_read(&e)),
            };
            let mut rules = store.alert_rules(owner)?;
            let canonical = rule.to_string();
            if let Some(n) = rules.iter().position(|r| r.text == canonical) {
                let n = (n + 1).to_string();
                return text(fill(t.duplicate, &[("n", &n), ("rule", &canonical)]));
            }
            if rules.len() >= limits.max_rules {
                let count = rules.len().to_string();
                return text(fill(t.too_many, &[("count", &count)]));
            }
            rules.push(StoredRule {
                text: canonical.clone(),
                created_at: now,
            });
            store.put_alert_rules(owner, &rules)?;
            store.set_alerts_language(owner, language)?;
            let n = rules.len().to_string();
            let mut s = fill(t.added, &[("n", &n), ("rule", &canonical)]);
            if rule.has_upvotes() {
                s.push_str(t.added_upvotes);
            }
            if store.alerts_paused(owner)? {
                s.push_str(t.added_paused);
            }
            text(s)
        }
        AlertCommand::List => {
            let rules = store.alert_rules(owner)?;
            if rules.is_empty() {
                return text(t.list_empty.to_string());
            }
            let (count, max) = (rules.len().to_string(), limits.max_rules.to_string());
            let mut s = fill(t.list_title, &[("count", &count), ("max", &max)]);
            s.push('\n');
            for (i, rule) in rules.iter().enumerate() {
                s.push_str(&format!("{}. {}\n", i + 1, rule.text));
            }
            s.push('\n');
            s.push_str(if store.alerts_paused(owner)? {
                t.list_paused
            } else {
                t.list_footer
            });
            text(s)
        }
        AlertCommand::Remove(n) => {
            let mut rules = store.alert_rules(owner)?;
            if *n == 0 || *n > rules.len() {
                return text(match rules.len() {
                    0 => t.remove_none.to_string(),
                    len => fill(
                        t.remove_missing,
                        &[("n", &n.to_string()), ("count", &len.to_string())],
                    ),
                });
            }
            let removed = rules.remove(n - 1);
            store.put_alert_rules(owner, &rules)?;
            text(fill(
                t.removed,
                &[
                    ("n", &n.to_string()),
                    ("rule", &removed.text),
                    ("count", &rules.len().to_string()),
                ],
            ))
        }
        AlertCommand::Test(typed) => match AlertRule::parse_with_max(typed, limits.max_chars) {
            Ok(rule) => Ok(AlertAnswer::Test(rule)),
            Err(e) => text(cannot_read(&e)),
        },
        AlertCommand::Pause => {
            store.set_alerts_paused(owner, true)?;
            text(t.paused.to_string())
        }
        AlertCommand::Resume => {
            store.set_alerts_paused(owner, false)?;
            store.set_alerts_language(owner, language)?;
            let n = store.alert_rules(owner)?.len();
            text(if n == 0 {
                t.resumed_empty.to_string()
            } else {
                fill(t.resumed, &[("count", &n.to_string())])
            })
        }
    }
}

/// The language a person's alerts speak: their private subscription's when they have one
/// (their own choice), else what their app says (`app`), else what they were last answered
/// in, else `fallback` (`digest.language`).
pub fn alert_language(
    store: &Store,
    owner: &ChatRef,
    app: Option<Language>,
    fallback: Language,
) -> Result<Language, store::Error> {
    if let Some(sub) = store.subscription(owner)? {
        return Ok(sub.language);
    }
    Ok(app.or(store.alerts_language(owner)?).unwrap_or(fallback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        assert_eq!(parse(""), Ok(AlertCommand::Help));
        assert_eq!(parse("LIST"), Ok(AlertCommand::List));
        assert_eq!(
            parse("add \"diffusion model\"  video"),
            Ok(AlertCommand::Add("\"diffusion model\"  video".into()))
        );
        assert_eq!(parse("test rlhf"), Ok(AlertCommand::Test("rlhf".into())));
        assert_eq!(parse("remove 3"), Ok(AlertCommand::Remove(3)));
        assert_eq!(parse("pause"), Ok(AlertCommand::Pause));
        assert_eq!(parse("resume"), Ok(AlertCommand::Resume));
        for bad in [
            "remove",
            "remove 0",
            "remove x",
            "add",
            "test",
            "pause now",
            "frob",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_alert_language_is_the_persons_choice_then_their_app_then_the_last_used() {
        let store = Store::temporary().unwrap();
        let me = ChatRef::telegram(7);
        let ja = Language::parse("ja").unwrap();
        let en = Language::ENGLISH;
        assert_eq!(alert_language(&store, &me, None, en).unwrap(), en);
        assert_eq!(alert_language(&store, &me, Some(ja), en).unwrap(), ja);
        // Adding a rule remembers the language it was answered in, for the alert cards.
        let now = Utc::now();
        handle(
            &store,
            &AlertLimits::default(),
            &me,
            ja,
            &AlertCommand::Add("gan".into()),
            now,
        )
        .unwrap();
        assert_eq!(store.alerts_language(&me).unwrap(), Some(ja));
        assert_eq!(alert_language(&store, &me, None, en).unwrap(), ja);
        // A private subscription's language is the person's own choice, and wins.
        let sub = crate::domain::Subscription {
            chat: me.clone(),
            time: crate::domain::DeliveryTime::default(),
            timezone: chrono_tz::UTC,
            top_n: 5,
            language: Language::KOREAN,
            is_active: true,
            consecutive_failures: 0,
            inactive_reason: None,
            created_at: now,
            last_delivered: None,
        };
        store.put_subscription(&sub).unwrap();
        assert_eq!(
            alert_language(&store, &me, Some(ja), en).unwrap(),
            Language::KOREAN
        );
    }

    #[test]
    fn add_list_remove_and_limits() {
        let store = Store::temporary().unwrap();
        let me = ChatRef::telegram(7);
        let limits = AlertLimits {
            max_rules: 2,
            max_chars: 20,
        };
        let now = Utc::now();
        let ask = |c: AlertCommand| match handle(&store, &limits, &me, Language::ENGLISH, &c, now)
            .unwrap()
        {
            AlertAnswer::Text(t) => t,
            other => panic!("{other:?}"),
        };
        assert!(ask(AlertCommand::Add("Diffusion  models".into())).starts_with("Alert #1 added"));
        assert!(ask(AlertCommand::Add("(a".into())).contains("unclosed"));
        assert!(ask(AlertCommand::Add("x".repeat(21))).contains("too long"));
        assert!(ask(AlertCommand::Add("rlhf".into())).starts_with("Alert #2"));
        assert!(ask(AlertCommand::Add("video".into())).contains("the most"));
        let list = ask(AlertCommand::List);
        assert!(list.contains("1. ") && list.contains("2. rlhf"), "{list}");
        assert!(ask(AlertCommand::Remove(3)).contains("no rule #3"));
        assert!(ask(AlertCommand::Remove(1)).starts_with("Removed #1"));
        assert_eq!(store.alert_rules(&me).unwrap().len(), 1);
        assert!(matches!(
            handle(
                &store,
                &limits,
                &me,
                Language::ENGLISH,
                &AlertCommand::Test("gan".into()),
                now
            )
            .unwrap(),
            AlertAnswer::Test(_)
        ));
    }
}
