//! Applying a [`Command`] to the store, and what to answer.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::domain::subscription::InactiveReason;
use crate::domain::{ChatRef, DeliveryTime, Language, Subscription};
use crate::scheduler;
use crate::store::{self, Store};

use super::parse::{Command, COMMANDS};
use super::replies::{fill, replies, Replies};

/// What kind of chat a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    Channel,
}

/// Who asked, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub chat: ChatRef,
    pub kind: ChatKind,
    /// May change this chat's subscription: always in a private chat; administrators (or
    /// Manage Channels on Discord) elsewhere. The adapter decides, since only it can ask.
    pub may_manage: bool,
    /// The language the platform says this chat speaks, when paperboy has it: the person's
    /// app language in a private chat, a Discord server's language in its channels. A chat
    /// that has not chosen one with `/lang` is answered, and starts its subscription, in it
    /// (else in `digest.language`), so nobody has to find `/lang` in a language they do not
    /// read.
    pub language: Option<Language>,
}

/// Settings for chats that have not chosen their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    pub time: DeliveryTime,
    pub timezone: Tz,
    pub top_n: u8,
    pub language: Language,
    /// An LLM is configured, so `/lang` changes the content too, not only the labels.
    pub has_llm: bool,
    /// Least time between two `/today` in one chat.
    pub today_cooldown: Duration,
}

impl Defaults {
    /// The defaults a configuration gives; `has_llm` when summaries come from a model.
    pub fn from_config(config: &crate::config::Config, has_llm: bool) -> Defaults {
        Defaults {
            time: config.schedule.default_time,
            timezone: config.schedule.default_timezone,
            top_n: config.digest.top_n,
            language: config.digest.language,
            has_llm,
            today_cooldown: Duration::from_std(config.telegram.today_cooldown)
                .unwrap_or(Duration::minutes(1)),
        }
    }
}

/// What the adapter should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Reply with this plain text.
    Text(String),
    /// Send a digest: of `date`, or of the latest day with papers.
    Digest {
        date: Option<chrono::NaiveDate>,
        language: Language,
        top_n: u8,
    },
}

/// Applies `command` for `caller` at `now`.
pub fn handle(
    store: &Store,
    defaults: &Defaults,
    caller: &Caller,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<Answer, store::Error> {
    let current = store.subscription(&caller.chat)?;
    let chat_default = caller.language.unwrap_or(defaults.language);
    // Replies speak the chat's language; `/lang` answers in the new one.
    let language = match command {
        Command::Lang { language } => *language,
        _ => current.as_ref().map_or(chat_default, |s| s.language),
    };
    let new_subscription = || new_subscription(&caller.chat, defaults, chat_default, now);
    let r = replies(language);
    let text = |s: String| Ok(Answer::Text(s));
    let changes_settings = matches!(
        command,
        Command::Subscribe { .. }
            | Command::Unsubscribe
            | Command::Time { .. }
            | Command::Top { .. }
            | Command::Lang { .. }
    );
    if changes_settings && !caller.may_manage {
        return text(r.refused.to_string());
    }
    match command {
        Command::Start => text(start_text(r, caller, current.as_ref(), defaults, now)),
        Command::Help => text(help_text(r)),
        Command::Settings => text(match &current {
            Some(sub) => settings_text(r, sub, now, defaults),
            None => r.not_subscribed.to_string(),
        }),
        Command::Today { date } => {
            if let Some(last) = store.last_today(&caller.chat)? {
                let wait = last + defaults.today_cooldown - now;
                if wait > Duration::zero() {
                    let seconds = wait.num_seconds().max(1).to_string();
                    return text(fill(r.cooldown, &[("seconds", &seconds)]));
                }
            }
            store.set_last_today(&caller.chat, now)?;
            let (language, top_n) = current
                .as_ref()
                .map_or((chat_default, defaults.top_n), |s| (s.language, s.top_n));
            Ok(Answer::Digest {
                date: *date,
                language,
                top_n,
            })
        }
        Command::Subscribe { time, timezone } => {
            let mut sub = current.unwrap_or_else(new_subscription);
            let was_active = sub.is_active;
            if let Some(t) = time {
                sub.time = *t;
            }
            if let Some(tz) = timezone {
                sub.timezone = *tz;
            }
            activate(&mut sub, now);
            store.put_subscription(&sub)?;
            let head = if was_active { r.updated } else { r.subscribed };
            text(format!("{head} {}", settings_text(r, &sub, now, defaults)))
        }
        Command::Unsubscribe => match current {
            Some(mut sub) if sub.is_active => {
                sub.is_active = false;
                sub.inactive_reason = Some(InactiveReason::Unsubscribed);
                store.put_subscription(&sub)?;
                text(r.unsubscribed.to_string())
            }
            _ => text(r.not_subscribed_short.to_string()),
        },
        Command::Time { time, timezone } => {
            let mut sub = current.unwrap_or_else(new_subscription);
            sub.time = *time;
            if let Some(tz) = timezone {
                sub.timezone = *tz;
            }
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            text(format!(
                "{} {}",
                r.time_set,
                settings_text(r, &sub, now, defaults)
            ))
        }
        Command::Top { n } => {
            let mut sub = current.unwrap_or_else(new_subscription);
            sub.top_n = *n;
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            let head = fill(r.top_set, &[("n", &n.to_string())]);
            text(format!("{head} {}", settings_text(r, &sub, now, defaults)))
        }
        // Adapters that know the person call `alert::handle` with them; this is the fallback,
        // right in a private chat, where the chat is the person's.
        Command::Alert(alert_command) => Ok(
            match super::alert::handle(
                store,
                &super::alert::AlertLimits::default(),
                &caller.chat,
                language,
                alert_command,
                now,
            )? {
                super::alert::AlertAnswer::Text(t) => Answer::Text(t),
                super::alert::AlertAnswer::Test(rule) => Answer::Text(format!(
                    "/alert test {rule} works in the Telegram and Discord bots."
                )),
            },
        ),
        Command::Lang { language } => {
            let mut sub = current.unwrap_or_else(new_subscription);
            sub.language = *language;
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            let template = if defaults.has_llm || *language == Language::ENGLISH {
                r.lang_content
            } else {
                r.lang_labels_only
            };
            let name = format!("{} ({})", language.native_name(), language.code());
            let head = fill(template, &[("language", &name)]);
            text(format!("{head} {}", settings_text(r, &sub, now, defaults)))
        }
    }
}

/// A subscription record with the defaults, not yet active (settings commands may create
/// one before `/subscribe`).
fn new_subscription(
    chat: &ChatRef,
    defaults: &Defaults,
    language: Language,
    now: DateTime<Utc>,
) -> Subscription {
    Subscription {
        chat: chat.clone(),
        time: defaults.time,
        timezone: defaults.timezone,
        top_n: defaults.top_n,
        language,
        is_active: false,
        consecutive_failures: 0,
        inactive_reason: Some(InactiveReason::Unsubscribed),
        created_at: now,
        last_delivered: None,
    }
}

fn activate(sub: &mut Subscription, now: DateTime<Utc>) {
    if !sub.is_active {
        sub.is_active = true;
        sub.inactive_reason = None;
        sub.consecutive_failures = 0;
        // Start with the next slot, not a backlog.
        sub.created_at = now;
    }
}

/// A chat made inactive by failures or removal comes back with any settings command; one
/// that chose to unsubscribe stays unsubscribed until `/subscribe`.
fn reactivate_unless_unsubscribed(sub: &mut Subscription, now: DateTime<Utc>) {
    if !sub.is_active && sub.inactive_reason != Some(InactiveReason::Unsubscribed) {
        activate(sub, now);
    }
}

fn settings_text(
    r: &Replies,
    sub: &Subscription,
    now: DateTime<Utc>,
    defaults: &Defaults,
) -> String {
    let language = format!("{} ({})", sub.language.native_name(), sub.language.code());
    let note = if defaults.has_llm || sub.language == Language::ENGLISH {
        ""
    } else {
        r.headings_only
    };
    let mut s = fill(
        r.settings,
        &[
            ("n", &sub.top_n.to_string()),
            ("time", &sub.time.to_string()),
            ("zone", sub.timezone.name()),
            ("language", &language),
            ("note", note),
        ],
    );
    if sub.is_active {
        let next = scheduler::next_slot(now, sub.time, sub.timezone).with_timezone(&sub.timezone);
        let when = next.format("%a %Y-%m-%d %H:%M").to_string();
        s.push_str(&fill(
            r.next_digest,
            &[("when", &when), ("zone", sub.timezone.name())],
        ));
    } else {
        s.push_str(r.inactive);
    }
    s
}

fn start_text(
    r: &Replies,
    caller: &Caller,
    current: Option<&Subscription>,
    defaults: &Defaults,
    now: DateTime<Utc>,
) -> String {
    let mut s = format!("{}\n\n", r.intro);
    match current {
        Some(sub) if sub.is_active => s.push_str(&settings_text(r, sub, now, defaults)),
        _ if caller.may_manage => s.push_str(&fill(
            r.start_manager,
            &[
                ("time", &defaults.time.to_string()),
                ("zone", defaults.timezone.name()),
            ],
        )),
        _ => s.push_str(r.start_member),
    }
    s
}

fn help_text(r: &Replies) -> String {
    let mut s = format!("{}\n", r.help_title);
    for (name, args, what) in COMMANDS {
        let args = if args.is_empty() {
            String::new()
        } else {
            format!(" {args}")
        };
        s.push_str(&format!("/{name}{args}: {what}\n"));
    }
    s.push('\n');
    s.push_str(r.help_footer);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            time: DeliveryTime::default(),
            timezone: chrono_tz::UTC,
            top_n: 5,
            language: Language::ENGLISH,
            has_llm: false,
            today_cooldown: Duration::minutes(1),
        }
    }

    fn say(store: &Store, command: Command) -> String {
        say_as(store, None, command)
    }

    /// `command` from a private chat whose platform says it speaks `language`.
    fn say_as(store: &Store, language: Option<Language>, command: Command) -> String {
        let caller = Caller {
            chat: ChatRef::telegram(7),
            kind: ChatKind::Private,
            may_manage: true,
            language,
        };
        let now = "2026-01-20T10:00:00Z".parse().unwrap();
        match handle(store, &defaults(), &caller, &command, now).unwrap() {
            Answer::Text(text) => text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_chat_without_a_choice_speaks_the_language_its_platform_names() {
        let store = Store::temporary().unwrap();
        let ja = Language::parse("ja").unwrap();
        let start = say_as(&store, Some(ja), Command::Start);
        assert!(start.starts_with(replies(ja).intro), "{start}");
        assert_ne!(start, say_as(&store, None, Command::Start));
        let subscribed = say_as(
            &store,
            Some(ja),
            Command::Subscribe {
                time: None,
                timezone: None,
            },
        );
        assert!(
            subscribed.starts_with(replies(ja).subscribed),
            "{subscribed}"
        );
        let sub = store.subscription(&ChatRef::telegram(7)).unwrap().unwrap();
        assert_eq!(sub.language, ja, "the subscription starts in it");

        // Once the chat has a language, the platform's hint no longer matters.
        say_as(
            &store,
            Some(ja),
            Command::Lang {
                language: Language::ENGLISH,
            },
        );
        let settings = say_as(&store, Some(ja), Command::Settings);
        assert!(settings.starts_with("Top 5 papers"), "{settings}");
    }

    #[test]
    fn replies_follow_the_chat_language() {
        let store = Store::temporary().unwrap();
        let english = say(
            &store,
            Command::Subscribe {
                time: None,
                timezone: None,
            },
        );
        assert!(english.starts_with("Subscribed."), "{english}");
        let korean = say(
            &store,
            Command::Lang {
                language: Language::KOREAN,
            },
        );
        assert!(
            korean.contains("제목만"),
            "/lang answers in the new language: {korean}"
        );
        let settings = say(&store, Command::Settings);
        assert!(settings.contains("다음 다이제스트"), "{settings}");
        assert!(settings.contains("상위 5개"), "{settings}");
        let back = say(
            &store,
            Command::Lang {
                language: Language::ENGLISH,
            },
        );
        assert!(back.contains("Next digest"), "{back}");
    }
}
