//! Applying a [`Command`] to the store, and what to answer.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::domain::subscription::InactiveReason;
use crate::domain::{ChatRef, DeliveryTime, Language, Subscription};
use crate::scheduler;
use crate::store::{self, Store};

use super::parse::{Command, COMMANDS};

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
        return text(
            "Sorry, only administrators can change this chat's digest. Anyone can use /today and /settings."
                .to_string(),
        );
    }
    match command {
        Command::Start => text(start_text(caller, current.as_ref(), defaults, now)),
        Command::Help => text(help_text()),
        Command::Settings => text(match &current {
            Some(sub) => settings_text(sub, now, defaults),
            None => "This chat is not subscribed. Send /subscribe to get the top papers here every day, or /today for the latest now.".to_string(),
        }),
        Command::Today { date } => {
            if let Some(last) = store.last_today(&caller.chat)? {
                let wait = last + defaults.today_cooldown - now;
                if wait > Duration::zero() {
                    return text(format!(
                        "/today works once a minute per chat; try again in {} s.",
                        wait.num_seconds().max(1)
                    ));
                }
            }
            store.set_last_today(&caller.chat, now)?;
            let (language, top_n) = current
                .as_ref()
                .map_or((defaults.language, defaults.top_n), |s| (s.language, s.top_n));
            Ok(Answer::Digest {
                date: *date,
                language,
                top_n,
            })
        }
        Command::Subscribe { time, timezone } => {
            let mut sub = current.unwrap_or_else(|| new_subscription(&caller.chat, defaults, now));
            let was_active = sub.is_active;
            if let Some(t) = time {
                sub.time = *t;
            }
            if let Some(tz) = timezone {
                sub.timezone = *tz;
            }
            activate(&mut sub, now);
            store.put_subscription(&sub)?;
            let head = if was_active { "Updated." } else { "Subscribed." };
            text(format!("{head} {}", settings_text(&sub, now, defaults)))
        }
        Command::Unsubscribe => match current {
            Some(mut sub) if sub.is_active => {
                sub.is_active = false;
                sub.inactive_reason = Some(InactiveReason::Unsubscribed);
                store.put_subscription(&sub)?;
                text("Unsubscribed: no more daily digests here. Your settings are kept; /subscribe brings them back.".to_string())
            }
            _ => text("This chat is not subscribed.".to_string()),
        },
        Command::Time { time, timezone } => {
            let mut sub = current.unwrap_or_else(|| new_subscription(&caller.chat, defaults, now));
            sub.time = *time;
            if let Some(tz) = timezone {
                sub.timezone = *tz;
            }
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            text(format!("Delivery time set. {}", settings_text(&sub, now, defaults)))
        }
        Command::Top { n } => {
            let mut sub = current.unwrap_or_else(|| new_subscription(&caller.chat, defaults, now));
            sub.top_n = *n;
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            text(format!("Digests here now have the top {n} papers. {}", settings_text(&sub, now, defaults)))
        }
        // Adapters that know the person call `alert::handle` with them; this is the fallback,
        // right in a private chat, where the chat is the person's.
        Command::Alert(alert_command) => Ok(
            match super::alert::handle(store, &super::alert::AlertLimits::default(), &caller.chat, alert_command, now)? {
                super::alert::AlertAnswer::Text(t) => Answer::Text(t),
                super::alert::AlertAnswer::Test(rule) => Answer::Text(format!("/alert test {rule} works in the Telegram bot.")),
            },
        ),
        Command::Lang { language } => {
            let mut sub = current.unwrap_or_else(|| new_subscription(&caller.chat, defaults, now));
            sub.language = *language;
            reactivate_unless_unsubscribed(&mut sub, now);
            store.put_subscription(&sub)?;
            let scope = if defaults.has_llm || *language == Language::ENGLISH {
                "Summaries, abstracts and key points will be in"
            } else {
                "No language model is configured, so only the headings will be in"
            };
            text(format!(
                "{scope} {} ({}). {}",
                language.english_name(),
                language.native_name(),
                settings_text(&sub, now, defaults)
            ))
        }
    }
}

/// A subscription record with the defaults, not yet active (settings commands may create
/// one before `/subscribe`).
fn new_subscription(chat: &ChatRef, defaults: &Defaults, now: DateTime<Utc>) -> Subscription {
    Subscription {
        chat: chat.clone(),
        time: defaults.time,
        timezone: defaults.timezone,
        top_n: defaults.top_n,
        language: defaults.language,
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

fn settings_text(sub: &Subscription, now: DateTime<Utc>, defaults: &Defaults) -> String {
    let language = format!("{} ({})", sub.language.english_name(), sub.language.code());
    let lang_note = if defaults.has_llm || sub.language == Language::ENGLISH {
        ""
    } else {
        ", headings only"
    };
    let mut s = format!(
        "Top {} papers at {} {}, in {language}{lang_note}.",
        sub.top_n,
        sub.time,
        sub.timezone.name()
    );
    if sub.is_active {
        let next = scheduler::next_slot(now, sub.time, sub.timezone).with_timezone(&sub.timezone);
        s.push_str(&format!(
            " Next digest: {} {}. Days without papers (weekends, mostly) send nothing.",
            next.format("%a %Y-%m-%d %H:%M"),
            sub.timezone.name()
        ));
    } else {
        s.push_str(" Not subscribed: /subscribe to get it daily.");
    }
    s
}

fn start_text(
    caller: &Caller,
    current: Option<&Subscription>,
    defaults: &Defaults,
    now: DateTime<Utc>,
) -> String {
    let mut s = String::from(
        "paperboy brings the day's top Hugging Face Daily Papers: each with its thumbnail, a short summary, the abstract and key points.\n\n",
    );
    match current {
        Some(sub) if sub.is_active => s.push_str(&settings_text(sub, now, defaults)),
        _ if caller.may_manage => s.push_str(&format!(
            "/subscribe for a digest every day (default {} {}), /today for the latest now, /help for everything.",
            defaults.time,
            defaults.timezone.name()
        )),
        _ => s.push_str("/today for the latest papers now; an administrator can /subscribe this chat."),
    }
    s
}

fn help_text() -> String {
    let mut s = String::from("Commands:\n");
    for (name, args, what) in COMMANDS {
        let args = if args.is_empty() {
            String::new()
        } else {
            format!(" {args}")
        };
        s.push_str(&format!("/{name}{args}: {what}\n"));
    }
    s.push_str("\nTimes are local to the time zone you give (an IANA name such as Europe/Berlin or Asia/Seoul).");
    s
}
