//! Command text (`/time 08:30 Asia/Seoul`) into a [`Command`], or a usage message.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::subscription::parse_time_zone;
use crate::domain::{DeliveryTime, Language, Subscription};

use super::alert::{self, AlertCommand};

/// A command with validated arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Today {
        date: Option<NaiveDate>,
    },
    Subscribe {
        time: Option<DeliveryTime>,
        timezone: Option<Tz>,
    },
    Unsubscribe,
    Settings,
    Time {
        time: DeliveryTime,
        timezone: Option<Tz>,
    },
    Top {
        n: u8,
    },
    Lang {
        language: Language,
    },
    /// `/alert ...`: the caller's personal alerts (see [`super::alert`]).
    Alert(AlertCommand),
}

/// Name, arguments, description: the help text and the platforms' command menus.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("start", "", "what paperboy does and how to start"),
    ("help", "", "the commands"),
    (
        "today",
        "[YYYY-MM-DD]",
        "the digest of the latest day with papers, or of a date",
    ),
    (
        "subscribe",
        "[HH:MM] [Area/City]",
        "a digest here every day at that local time",
    ),
    (
        "unsubscribe",
        "",
        "stop the daily digest (settings are kept)",
    ),
    (
        "settings",
        "",
        "this chat's time, time zone, size and language",
    ),
    (
        "time",
        "HH:MM [Area/City]",
        "change the delivery time and time zone",
    ),
    ("top", "N", "how many papers a digest has (1-10)"),
    (
        "lang",
        "CODE",
        "the digest's language (en, ko, ja, zh, es, fr, de, pt, ru, ...)",
    ),
    (
        "alert",
        alert::USAGE,
        "a private message when a new paper matches your rule",
    ),
];

/// A command with arguments that do not fit; the message says how to use it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}\nusage: /{command} {usage}")]
pub struct UsageError {
    pub command: &'static str,
    pub usage: &'static str,
    pub problem: String,
}

/// Parses `text` when it is a command for this bot.
///
/// `None` when the text is not a command, is an unknown command, or is addressed to another
/// bot (`/today@otherbot` in a group with several bots). Names are case-insensitive.
pub fn parse(text: &str, bot_username: Option<&str>) -> Option<Result<Command, UsageError>> {
    let text = text.trim();
    let rest = text.strip_prefix('/')?;
    let (head, args) = match rest.split_once(char::is_whitespace) {
        Some((h, a)) => (h, a.trim()),
        None => (rest, ""),
    };
    let (name, addressee) = match head.split_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (head, None),
    };
    if let (Some(to), Some(me)) = (addressee, bot_username) {
        if !to.eq_ignore_ascii_case(me) {
            return None;
        }
    }
    let name = name.to_ascii_lowercase();
    let (command, usage, _) = *COMMANDS.iter().find(|(n, _, _)| *n == name)?;
    let raw_args = args;
    let args: Vec<&str> = args.split_whitespace().collect();
    let usage_error = |problem: String| UsageError {
        command,
        usage,
        problem,
    };
    let too_many = |max: usize| {
        (args.len() > max)
            .then(|| usage_error(format!("too many arguments: {}", args[max..].join(" "))))
    };
    let parsed = match command {
        "start" => Ok(Command::Start),
        "help" => Ok(Command::Help),
        "unsubscribe" => Ok(Command::Unsubscribe),
        "settings" => Ok(Command::Settings),
        "today" => {
            if let Some(e) = too_many(1) {
                return Some(Err(e));
            }
            args.first()
                .map(|d| {
                    d.parse::<NaiveDate>()
                        .map_err(|_| usage_error(format!("{d:?} is not a date like 2026-01-20")))
                })
                .transpose()
                .map(|date| Command::Today { date })
        }
        "subscribe" | "time" => {
            if let Some(e) = too_many(2) {
                return Some(Err(e));
            }
            let mut time = None;
            let mut timezone = None;
            for arg in &args {
                if arg.contains(':')
                    && time.is_none()
                    && arg.chars().next().is_some_and(|c| c.is_ascii_digit())
                {
                    match DeliveryTime::parse(arg) {
                        Ok(t) => time = Some(t),
                        Err(e) => return Some(Err(usage_error(e.to_string()))),
                    }
                } else {
                    match parse_time_zone(arg) {
                        Ok(tz) => timezone = Some(tz),
                        Err(e) => return Some(Err(usage_error(e.to_string()))),
                    }
                }
            }
            if command == "subscribe" {
                Ok(Command::Subscribe { time, timezone })
            } else {
                match time {
                    Some(time) => Ok(Command::Time { time, timezone }),
                    None => Err(usage_error(
                        "a time is needed, e.g. /time 08:30 Europe/Berlin".into(),
                    )),
                }
            }
        }
        "top" => {
            if let Some(e) = too_many(1) {
                return Some(Err(e));
            }
            match args.first().map(|a| a.parse::<u8>()) {
                Some(Ok(n)) if (1..=Subscription::MAX_TOP_N).contains(&n) => Ok(Command::Top { n }),
                Some(_) => Err(usage_error(format!(
                    "N must be a whole number from 1 to {}",
                    Subscription::MAX_TOP_N
                ))),
                None => Err(usage_error("how many papers? e.g. /top 5".into())),
            }
        }
        "lang" => {
            if let Some(e) = too_many(1) {
                return Some(Err(e));
            }
            match args.first() {
                Some(code) => Language::parse(code)
                    .map(|language| Command::Lang { language })
                    .map_err(|e| usage_error(e.to_string())),
                None => Err(usage_error(format!(
                    "which language? one of {}",
                    Language::codes().join(", ")
                ))),
            }
        }
        "alert" => alert::parse(raw_args)
            .map(Command::Alert)
            .map_err(usage_error),
        // Every name in COMMANDS is matched above.
        _ => return None,
    };
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Command {
        parse(text, Some("paperboy_bot")).unwrap().unwrap()
    }
    fn err(text: &str) -> String {
        parse(text, Some("paperboy_bot"))
            .unwrap()
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn plain_commands() {
        assert_eq!(ok("/start"), Command::Start);
        assert_eq!(ok("/HELP"), Command::Help);
        assert_eq!(ok("/settings@paperboy_bot"), Command::Settings);
        assert_eq!(ok("/today"), Command::Today { date: None });
        assert_eq!(
            ok("/today 2026-01-20"),
            Command::Today {
                date: Some("2026-01-20".parse().unwrap())
            }
        );
    }

    #[test]
    fn not_for_us() {
        assert!(parse("hello", None).is_none());
        assert!(parse("/today@otherbot", Some("paperboy_bot")).is_none());
        assert!(parse("/frobnicate", None).is_none());
        assert!(parse("", None).is_none());
        assert!(parse("/", None).is_none());
    }

    #[test]
    fn subscribe_and_time_arguments_in_any_order() {
        let seoul = chrono_tz::Asia::Seoul;
        assert_eq!(
            ok("/subscribe Asia/Seoul 8:30"),
            Command::Subscribe {
                time: Some(DeliveryTime::parse("08:30").unwrap()),
                timezone: Some(seoul)
            }
        );
        assert_eq!(
            ok("/subscribe"),
            Command::Subscribe {
                time: None,
                timezone: None
            }
        );
        assert_eq!(
            ok("/time 18:00"),
            Command::Time {
                time: DeliveryTime::parse("18:00").unwrap(),
                timezone: None
            }
        );
    }

    #[test]
    fn bad_arguments_answer_with_usage() {
        for (text, needle) in [
            ("/today yesterday", "usage: /today"),
            ("/today 2026-01-20 extra", "too many"),
            ("/time", "a time is needed"),
            ("/time 25:00", "invalid time"),
            ("/subscribe 09:00 Mars/Base", "unknown time zone"),
            ("/top 0", "1 to 10"),
            ("/top 11", "1 to 10"),
            ("/top many", "1 to 10"),
            ("/top", "how many"),
            ("/lang xx", "unknown language"),
            ("/lang", "which language"),
        ] {
            let e = err(text);
            assert!(e.contains(needle), "{text}: {e}");
            assert!(e.contains("usage: /"), "{text}: {e}");
        }
    }
}
