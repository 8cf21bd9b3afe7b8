//! `/alert ...`: a person's keyword alerts, kept with the person rather than the chat.
//!
//! Alerts are personal: whoever types `/alert add` in a group gets the alerts privately, so
//! the adapter works out the person (their private chat is the owner) and calls
//! [`handle`] here. Everything but `/alert test` is answered from the store alone;
//! `/alert test` needs the day lists, so it comes back as [`AlertAnswer::Test`] for the
//! adapter to run with [`crate::alerts::test_rule`].

use chrono::{DateTime, Utc};

use crate::domain::alert::AlertRule;
use crate::domain::ChatRef;
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

/// Applies `command` to the alerts of `owner` (the person's private chat).
pub fn handle(
    store: &Store,
    limits: &AlertLimits,
    owner: &ChatRef,
    command: &AlertCommand,
    now: DateTime<Utc>,
) -> Result<AlertAnswer, store::Error> {
    let text = |s: String| Ok(AlertAnswer::Text(s));
    match command {
        AlertCommand::Help => text(help_text(limits)),
        AlertCommand::Add(typed) => {
            let rule = match AlertRule::parse_with_max(typed, limits.max_chars) {
                Ok(rule) => rule,
                Err(e) => {
                    return text(format!(
                        "Cannot read that rule: {e}. /alert shows the syntax."
                    ))
                }
            };
            let mut rules = store.alert_rules(owner)?;
            let canonical = rule.to_string();
            if let Some(n) = rules.iter().position(|r| r.text == canonical) {
                return text(format!(
                    "You already have this rule: #{} {canonical}",
                    n + 1
                ));
            }
            if rules.len() >= limits.max_rules {
                return text(format!(
                    "You have {} rules, the most one person may keep. /alert remove N makes room.",
                    rules.len()
                ));
            }
            rules.push(StoredRule {
                text: canonical.clone(),
                created_at: now,
            });
            store.put_alert_rules(owner, &rules)?;
            let mut s = format!(
                "Alert #{} added: {canonical}\nYou will get a private message when a new paper matches.",
                rules.len()
            );
            if rule.has_upvotes() {
                s.push_str(" An upvotes>= rule fires once the paper reaches that count.");
            }
            if store.alerts_paused(owner)? {
                s.push_str(" Your alerts are paused: /alert resume turns them back on.");
            }
            text(s)
        }
        AlertCommand::List => {
            let rules = store.alert_rules(owner)?;
            if rules.is_empty() {
                return text(
                    "You have no alert rules. /alert add RULE adds one; /alert shows how."
                        .to_string(),
                );
            }
            let mut s = format!(
                "Your alert rules ({} of {}):\n",
                rules.len(),
                limits.max_rules
            );
            for (i, rule) in rules.iter().enumerate() {
                s.push_str(&format!("{}. {}\n", i + 1, rule.text));
            }
            if store.alerts_paused(owner)? {
                s.push_str("\nPaused: /alert resume turns them back on.");
            } else {
                s.push_str("\n/alert remove N removes one.");
            }
            text(s)
        }
        AlertCommand::Remove(n) => {
            let mut rules = store.alert_rules(owner)?;
            if *n == 0 || *n > rules.len() {
                return text(match rules.len() {
                    0 => "You have no alert rules.".to_string(),
                    len => {
                        format!("There is no rule #{n}: you have {len}. /alert list shows them.")
                    }
                });
            }
            let removed = rules.remove(n - 1);
            store.put_alert_rules(owner, &rules)?;
            text(format!(
                "Removed #{n}: {}. {} left.",
                removed.text,
                rules.len()
            ))
        }
        AlertCommand::Test(typed) => match AlertRule::parse_with_max(typed, limits.max_chars) {
            Ok(rule) => Ok(AlertAnswer::Test(rule)),
            Err(e) => text(format!(
                "Cannot read that rule: {e}. /alert shows the syntax."
            )),
        },
        AlertCommand::Pause => {
            store.set_alerts_paused(owner, true)?;
            text(
                "Alerts paused: your rules are kept. /alert resume turns them back on.".to_string(),
            )
        }
        AlertCommand::Resume => {
            store.set_alerts_paused(owner, false)?;
            let n = store.alert_rules(owner)?.len();
            text(if n == 0 {
                "Alerts are on, but you have no rules yet: /alert add RULE.".to_string()
            } else {
                format!("Alerts resumed: {n} rule(s) active.")
            })
        }
    }
}

fn help_text(limits: &AlertLimits) -> String {
    format!(
        "Alerts: a private message when a new Daily Paper matches one of your rules.\n\n\
         /alert add RULE: add a rule\n\
         /alert list: your rules, numbered\n\
         /alert remove N: remove rule N\n\
         /alert test RULE: what it would have matched in the last 7 days\n\
         /alert pause, /alert resume\n\n\
         Rules: words must all match (title, abstract, keywords, authors, organisation); \
         \"exact phrase\"; a OR b; -word excludes; author:\"Name\"; org:name; upvotes>=N.\n\
         Example: /alert add \"diffusion model\" video -survey\n\
         Up to {} rules of {} characters each.",
        limits.max_rules, limits.max_chars
    )
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
    fn add_list_remove_and_limits() {
        let store = Store::temporary().unwrap();
        let me = ChatRef::telegram(7);
        let limits = AlertLimits {
            max_rules: 2,
            max_chars: 20,
        };
        let now = Utc::now();
        let ask = |c: AlertCommand| match handle(&store, &limits, &me, &c, now).unwrap() {
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
            handle(&store, &limits, &me, &AlertCommand::Test("gan".into()), now).unwrap(),
            AlertAnswer::Test(_)
        ));
    }
}
