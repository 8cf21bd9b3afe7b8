//! Slash commands: their definitions, and a Discord interaction turned into the core
//! [`Command`] and [`Caller`].
//!
//! The command logic lives in [`crate::command`] and is shared with Telegram; this module
//! only translates. Options are mapped one by one rather than glued back into text for
//! [`crate::command::parse`], so a value with a space in it stays one value and each error
//! names the option that was wrong; the checks themselves are the domain's parsers, so both
//! platforms accept exactly the same times, zones, dates and languages.
//!
//! Changing a channel's subscription needs Manage Channels. The command definitions say so
//! (`default_member_permissions`), which hides them from other members, but a server admin can
//! override that in the server's settings, so the permission is checked again here from the
//! permissions Discord computed for the member in this channel.

use chrono::NaiveDate;
use serenity::all::{
    CommandDataOptionValue, CommandInteraction, CommandOptionType, CreateCommand,
    CreateCommandOption, InstallationContext, InteractionContext, Permissions,
};

use crate::command::alert::AlertCommand;
use crate::command::{Caller, ChatKind, Command, UsageError, COMMANDS};
use crate::domain::subscription::parse_time_zone;
use crate::domain::{ChatRef, DeliveryTime, Language, Subscription};

/// What the bot needs in a channel: View Channel, Send Messages, Embed Links and Send
/// Messages in Threads. Nothing else (no Manage, no Mention Everyone, no message content).
pub const BOT_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 38);

/// The commands, in menu order; every name is also in [`COMMANDS`].
pub const NAMES: [&str; 8] = [
    "today",
    "subscribe",
    "unsubscribe",
    "settings",
    "time",
    "top",
    "lang",
    "alert",
];

/// The subcommands of `/alert`, with their descriptions.
const ALERT_SUBCOMMANDS: [(&str, &str); 7] = [
    (
        "add",
        "alert me privately when a new paper matches this rule",
    ),
    ("list", "my alert rules"),
    (
        "remove",
        "remove one of my rules, by its number in the list",
    ),
    (
        "test",
        "which papers of the last days a rule would have matched",
    ),
    ("pause", "pause my alerts (the rules are kept)"),
    ("resume", "turn my alerts back on"),
    ("help", "how alerts and their rules work"),
];

/// Most choices Discord shows for an autocomplete.
pub const MAX_CHOICES: usize = 25;

/// Zones offered before anything is typed.
const POPULAR_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
];

/// One option of a slash command as Discord sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    String(String),
    Integer(i64),
    /// A kind paperboy's commands never declare.
    Other,
}

/// A slash command in plain terms, with no serenity type, so the conversion is tested
/// without a gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub name: String,
    /// `/alert add ...` is `alert` with the subcommand `add`.
    pub subcommand: Option<String>,
    /// The options of the command, or of its subcommand.
    pub options: Vec<(String, OptionValue)>,
    /// Who used the command: alerts are theirs, wherever they typed it.
    pub user_id: u64,
    /// The channel or thread the command was used in.
    pub channel_id: u64,
    /// `None` in a DM with the bot.
    pub guild_id: Option<u64>,
    /// The member's permissions in this channel, overwrites included, as Discord computed
    /// them; `None` outside servers.
    pub member_permissions: Option<u64>,
    /// The language of the user's Discord app (`ko`, `pt-BR`, ...).
    pub locale: Option<String>,
    /// The server's language, as its settings say; `None` in a DM.
    pub guild_locale: Option<String>,
}

impl Invocation {
    /// The language of the user's Discord app, when paperboy has it.
    pub fn app_language(&self) -> Option<Language> {
        Language::parse(self.locale.as_deref()?).ok()
    }
}

/// A slash command that cannot become a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvocationError {
    /// Not one of paperboy's commands (a stale registration, another app's name).
    #[error("unknown command /{name}")]
    Unknown { name: String },
    #[error(transparent)]
    Usage(#[from] UsageError),
}

/// The core command and who asked, from a slash command.
///
/// The caller's chat is the channel or thread, a DM is a private chat, and `may_manage` is
/// [`may_manage`] of the member's permissions.
pub fn command_from_interaction(
    invocation: &Invocation,
) -> Result<(Caller, Command), InvocationError> {
    let name = invocation.name.to_ascii_lowercase();
    let unknown = || InvocationError::Unknown {
        name: invocation.name.clone(),
    };
    if !NAMES.contains(&name.as_str()) {
        return Err(unknown());
    }
    let (command_name, usage, _) = *COMMANDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(unknown)?;
    let usage_error = |problem: String| UsageError {
        command: command_name,
        usage,
        problem,
    };
    let text = |option: &str| -> Option<String> {
        invocation
            .options
            .iter()
            .find(|(n, _)| n == option)
            .and_then(|(_, v)| match v {
                OptionValue::String(s) => Some(s.trim().to_string()),
                OptionValue::Integer(i) => Some(i.to_string()),
                OptionValue::Other => None,
            })
            .filter(|s| !s.is_empty())
    };
    let time = |required: bool| -> Result<Option<DeliveryTime>, UsageError> {
        match text("time") {
            Some(t) => DeliveryTime::parse(&t)
                .map(Some)
                .map_err(|e| usage_error(e.to_string())),
            None if required => Err(usage_error(
                "a time is needed, e.g. /time time:08:30 timezone:Europe/Berlin".to_string(),
            )),
            None => Ok(None),
        }
    };
    let timezone = || {
        text("timezone")
            .map(|tz| parse_time_zone(&tz).map_err(|e| usage_error(e.to_string())))
            .transpose()
    };
    let command = match command_name {
        "today" => Command::Today {
            date: text("date")
                .map(|d| {
                    d.parse::<NaiveDate>()
                        .map_err(|_| usage_error(format!("{d:?} is not a date like 2026-01-20")))
                })
                .transpose()?,
        },
        "subscribe" => Command::Subscribe {
            time: time(false)?,
            timezone: timezone()?,
        },
        "time" => Command::Time {
            // `time(true)` never gives `None`.
            time: time(true)?.unwrap_or_default(),
            timezone: timezone()?,
        },
        "unsubscribe" => Command::Unsubscribe,
        "settings" => Command::Settings,
        "top" => {
            let range = || {
                usage_error(format!(
                    "N must be a whole number from 1 to {}",
                    Subscription::MAX_TOP_N
                ))
            };
            let n = text("n").ok_or_else(range)?;
            match n.parse::<u8>() {
                Ok(n) if (1..=Subscription::MAX_TOP_N).contains(&n) => Command::Top { n },
                _ => return Err(range().into()),
            }
        }
        "lang" => match text("language") {
            Some(code) => Command::Lang {
                language: Language::parse(&code).map_err(|e| usage_error(e.to_string()))?,
            },
            None => {
                return Err(usage_error(format!(
                    "which language? one of {}",
                    Language::codes().join(", ")
                ))
                .into())
            }
        },
        "alert" => Command::Alert(alert_command(invocation, &text, &usage_error)?),
        _ => return Err(unknown()),
    };
    let caller = Caller {
        chat: ChatRef::Discord {
            channel_id: invocation.channel_id,
        },
        kind: if invocation.guild_id.is_some() {
            ChatKind::Group
        } else {
            ChatKind::Private
        },
        may_manage: may_manage(invocation.guild_id, invocation.member_permissions),
        // A channel is the server's, so the server's language; a DM is the person's.
        language: match invocation.guild_id {
            Some(_) => invocation
                .guild_locale
                .as_deref()
                .and_then(|code| Language::parse(code).ok()),
            None => invocation.app_language(),
        },
    };
    Ok((caller, command))
}

/// `/alert` and its subcommand; no subcommand (a client that sent none) is the help.
fn alert_command(
    invocation: &Invocation,
    text: &dyn Fn(&str) -> Option<String>,
    usage_error: &dyn Fn(String) -> UsageError,
) -> Result<AlertCommand, UsageError> {
    let rule = || text("rule").ok_or_else(|| usage_error("which rule? e.g. diffusion".into()));
    Ok(
        match invocation
            .subcommand
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("help") => AlertCommand::Help,
            Some("add") => AlertCommand::Add(rule()?),
            Some("test") => AlertCommand::Test(rule()?),
            Some("list") => AlertCommand::List,
            Some("pause") => AlertCommand::Pause,
            Some("resume") => AlertCommand::Resume,
            Some("remove") => {
                let wrong = || usage_error("N is a rule's number in /alert list".into());
                let n = text("n").ok_or_else(wrong)?;
                match n.parse::<usize>() {
                    Ok(n) if n >= 1 => AlertCommand::Remove(n),
                    _ => return Err(wrong()),
                }
            }
            Some(other) => return Err(usage_error(format!("no subcommand {other:?}"))),
        },
    )
}

/// May change a channel's subscription: anyone in a DM with the bot; in a server, members
/// with Manage Channels (or Administrator) in that channel. A server member whose
/// permissions Discord did not send may not.
pub fn may_manage(guild_id: Option<u64>, member_permissions: Option<u64>) -> bool {
    match guild_id {
        None => true,
        Some(_) => member_permissions.is_some_and(|bits| {
            let permissions = Permissions::from_bits_truncate(bits);
            permissions.contains(Permissions::MANAGE_CHANNELS)
                || permissions.contains(Permissions::ADMINISTRATOR)
        }),
    }
}

/// The link that adds the bot to a server with [`BOT_PERMISSIONS`] and its slash commands.
pub fn invite_url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}&scope=bot+applications.commands&permissions={BOT_PERMISSIONS}"
    )
}

/// IANA zone names for what was typed so far: names starting with it first, then names
/// with a part starting with it (`berlin` finds `Europe/Berlin`); at most [`MAX_CHOICES`].
pub fn suggest_timezones(typed: &str) -> Vec<&'static str> {
    let typed = typed.trim().to_ascii_lowercase().replace(' ', "_");
    if typed.is_empty() {
        return POPULAR_ZONES.to_vec();
    }
    let names = || chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
    let mut out: Vec<&'static str> = names()
        .filter(|name| name.to_ascii_lowercase().starts_with(&typed))
        .take(MAX_CHOICES)
        .collect();
    for name in names() {
        if out.len() >= MAX_CHOICES {
            break;
        }
        let part_matches = name
            .split('/')
            .skip(1)
            .any(|part| part.to_ascii_lowercase().starts_with(&typed));
        if part_matches && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Languages for what was typed so far, matched against the code and both names: `(label,
/// code)` pairs; all of them (13) fit one list.
pub fn suggest_languages(typed: &str) -> Vec<(String, &'static str)> {
    let typed = typed.trim().to_lowercase();
    Language::all()
        .filter(|l| {
            typed.is_empty()
                || l.code().starts_with(&typed)
                || l.english_name().to_lowercase().starts_with(&typed)
                || l.native_name().to_lowercase().starts_with(&typed)
        })
        .take(MAX_CHOICES)
        .map(|l| {
            let label = if l.native_name() == l.english_name() {
                format!("{} ({})", l.english_name(), l.code())
            } else {
                format!("{} · {} ({})", l.native_name(), l.english_name(), l.code())
            };
            (label, l.code())
        })
        .collect()
}

/// The definitions registered with Discord.
pub(crate) fn commands() -> Vec<CreateCommand> {
    NAMES.iter().map(|name| command(name)).collect()
}

fn command(name: &str) -> CreateCommand {
    let description = COMMANDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or("", |(_, _, d)| *d);
    let option = |kind, name: &str, description: &str, required: bool| {
        CreateCommandOption::new(kind, name, description).required(required)
    };
    let time = |required| {
        option(
            CommandOptionType::String,
            "time",
            "local time, HH:MM, 24-hour (e.g. 08:30)",
            required,
        )
        .min_length(4)
        .max_length(5)
    };
    let timezone = || {
        option(
            CommandOptionType::String,
            "timezone",
            "an IANA time zone such as Europe/Berlin or Asia/Seoul",
            false,
        )
        .set_autocomplete(true)
        .max_length(64)
    };
    let base = CreateCommand::new(name)
        .description(description)
        .contexts(vec![InteractionContext::Guild, InteractionContext::BotDm])
        .integration_types(vec![InstallationContext::Guild]);
    let manage = |c: CreateCommand| c.default_member_permissions(Permissions::MANAGE_CHANNELS);
    match name {
        "today" => base.add_option(
            option(
                CommandOptionType::String,
                "date",
                "a day, YYYY-MM-DD (default: the latest day with papers)",
                false,
            )
            .min_length(10)
            .max_length(10),
        ),
        "subscribe" => manage(base.add_option(time(false)).add_option(timezone())),
        "time" => manage(base.add_option(time(true)).add_option(timezone())),
        "top" => manage(
            base.add_option(
                option(CommandOptionType::Integer, "n", "papers per digest", true)
                    .min_int_value(1)
                    .max_int_value(u64::from(Subscription::MAX_TOP_N)),
            ),
        ),
        "lang" => manage(
            base.add_option(
                option(
                    CommandOptionType::String,
                    "language",
                    "the digest's language",
                    true,
                )
                .set_autocomplete(true),
            ),
        ),
        "unsubscribe" => manage(base),
        "alert" => ALERT_SUBCOMMANDS
            .iter()
            .fold(base, |command, (name, description)| {
                let sub =
                    CreateCommandOption::new(CommandOptionType::SubCommand, *name, *description);
                let sub = match *name {
                    // No length limit here: `alerts.max_rule_chars` is checked, and
                    // explained, by the core.
                    "add" | "test" => sub.add_sub_option(option(
                        CommandOptionType::String,
                        "rule",
                        "words, \"a phrase\", a OR b, -word, author:\"Name\", org:name, upvotes>=N",
                        true,
                    )),
                    "remove" => sub.add_sub_option(
                        option(
                            CommandOptionType::Integer,
                            "n",
                            "the rule's number in /alert list",
                            true,
                        )
                        .min_int_value(1),
                    ),
                    _ => sub,
                };
                command.add_option(sub)
            }),
        _ => base,
    }
}

/// The serenity interaction in plain terms.
pub(crate) fn invocation(interaction: &CommandInteraction) -> Invocation {
    let mut subcommand = None;
    let mut options = &interaction.data.options;
    if let [only] = options.as_slice() {
        if let CommandDataOptionValue::SubCommand(inner) = &only.value {
            subcommand = Some(only.name.clone());
            options = inner;
        }
    }
    let options = options
        .iter()
        .map(|o| {
            let value = match &o.value {
                CommandDataOptionValue::String(s) => OptionValue::String(s.clone()),
                CommandDataOptionValue::Autocomplete { value, .. } => {
                    OptionValue::String(value.clone())
                }
                CommandDataOptionValue::Integer(i) => OptionValue::Integer(*i),
                _ => OptionValue::Other,
            };
            (o.name.clone(), value)
        })
        .collect();
    Invocation {
        name: interaction.data.name.clone(),
        subcommand,
        options,
        user_id: interaction.user.id.get(),
        channel_id: interaction.channel_id.get(),
        guild_id: interaction.guild_id.map(|g| g.get()),
        member_permissions: interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .map(|p| p.bits()),
        locale: Some(interaction.locale.clone()).filter(|l| !l.is_empty()),
        guild_locale: interaction.guild_locale.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANAGE: u64 = 1 << 4;
    const ADMIN: u64 = 1 << 3;
    const VIEW_AND_SEND: u64 = (1 << 10) | (1 << 11);

    fn invocation(name: &str, options: &[(&str, OptionValue)], perms: Option<u64>) -> Invocation {
        Invocation {
            name: name.to_string(),
            subcommand: None,
            options: options
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            user_id: 4242,
            locale: None,
            guild_locale: None,
            channel_id: 77,
            guild_id: Some(5),
            member_permissions: perms,
        }
    }

    fn s(v: &str) -> OptionValue {
        OptionValue::String(v.to_string())
    }

    #[test]
    fn bot_permissions_are_the_four_it_needs() {
        let expected = Permissions::VIEW_CHANNEL
            | Permissions::SEND_MESSAGES
            | Permissions::EMBED_LINKS
            | Permissions::SEND_MESSAGES_IN_THREADS;
        assert_eq!(BOT_PERMISSIONS, expected.bits());
        assert_eq!(BOT_PERMISSIONS, 274_877_926_400);
        assert_eq!(
            invite_url(123),
            "https://discord.com/oauth2/authorize?client_id=123&scope=bot+applications.commands&permissions=274877926400"
        );
    }

    #[test]
    fn every_command_converts_with_its_options() {
        let berlin = chrono_tz::Europe::Berlin;
        let cases = [
            (
                invocation("today", &[], None),
                Command::Today { date: None },
            ),
            (
                invocation("today", &[("date", s("2026-06-12"))], None),
                Command::Today {
                    date: Some("2026-06-12".parse().unwrap()),
                },
            ),
            (
                invocation("subscribe", &[], None),
                Command::Subscribe {
                    time: None,
                    timezone: None,
                },
            ),
            (
                invocation(
                    "subscribe",
                    &[("time", s("8:30")), ("timezone", s(" europe/berlin "))],
                    None,
                ),
                Command::Subscribe {
                    time: Some(DeliveryTime::parse("08:30").unwrap()),
                    timezone: Some(berlin),
                },
            ),
            (invocation("unsubscribe", &[], None), Command::Unsubscribe),
            (invocation("settings", &[], None), Command::Settings),
            (
                invocation("time", &[("time", s("18:00"))], None),
                Command::Time {
                    time: DeliveryTime::parse("18:00").unwrap(),
                    timezone: None,
                },
            ),
            (
                invocation("top", &[("n", OptionValue::Integer(3))], None),
                Command::Top { n: 3 },
            ),
            (
                invocation("lang", &[("language", s("ko"))], None),
                Command::Lang {
                    language: Language::KOREAN,
                },
            ),
        ];
        for (invocation, expected) in cases {
            let (caller, command) = command_from_interaction(&invocation).unwrap();
            assert_eq!(command, expected, "{invocation:?}");
            assert_eq!(caller.chat, ChatRef::Discord { channel_id: 77 });
            assert_eq!(caller.kind, ChatKind::Group);
        }
    }

    #[test]
    fn bad_options_answer_with_usage_naming_the_problem() {
        for (name, options, needle) in [
            ("today", vec![("date", s("yesterday"))], "not a date"),
            ("time", vec![], "a time is needed"),
            ("time", vec![("time", s("25:00"))], "invalid time"),
            (
                "subscribe",
                vec![("timezone", s("Mars/Base"))],
                "unknown time zone",
            ),
            ("top", vec![("n", OptionValue::Integer(0))], "1 to 10"),
            ("top", vec![("n", OptionValue::Integer(300))], "1 to 10"),
            ("top", vec![], "1 to 10"),
            ("lang", vec![("language", s("xx"))], "unknown language"),
            ("lang", vec![], "which language"),
        ] {
            let err = command_from_interaction(&invocation(name, &options, None))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{name}: {err}");
            assert!(err.contains(&format!("usage: /{name}")), "{name}: {err}");
        }
        assert_eq!(
            command_from_interaction(&invocation("frobnicate", &[], None)).unwrap_err(),
            InvocationError::Unknown {
                name: "frobnicate".to_string()
            }
        );
        // Telegram-only commands are not Discord commands.
        assert!(command_from_interaction(&invocation("start", &[], None)).is_err());
    }

    #[test]
    fn manage_channels_decides_in_servers_and_dms_are_free() {
        assert!(may_manage(Some(1), Some(MANAGE | VIEW_AND_SEND)));
        assert!(may_manage(Some(1), Some(ADMIN)));
        assert!(!may_manage(Some(1), Some(VIEW_AND_SEND)));
        assert!(!may_manage(Some(1), None));
        assert!(may_manage(None, None));

        let member = invocation("settings", &[], Some(VIEW_AND_SEND));
        assert!(!command_from_interaction(&member).unwrap().0.may_manage);
        let mut dm = member.clone();
        dm.guild_id = None;
        let (caller, _) = command_from_interaction(&dm).unwrap();
        assert!(caller.may_manage);
        assert_eq!(caller.kind, ChatKind::Private);
    }

    #[test]
    fn timezone_suggestions_match_prefixes_and_parts() {
        assert_eq!(suggest_timezones("europe/ber"), vec!["Europe/Berlin"]);
        assert!(suggest_timezones("berlin").contains(&"Europe/Berlin"));
        assert!(suggest_timezones("new york").contains(&"America/New_York"));
        let many = suggest_timezones("a");
        assert_eq!(many.len(), MAX_CHOICES);
        assert!(many.iter().all(|n| n.to_ascii_lowercase().starts_with('a')));
        assert!(suggest_timezones("").contains(&"UTC"));
        assert!(suggest_timezones("zzz").is_empty());
        for name in suggest_timezones("") {
            assert!(parse_time_zone(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn language_suggestions_match_codes_and_names() {
        assert_eq!(suggest_languages("").len(), Language::all().count());
        let ko = suggest_languages("ko");
        assert_eq!(ko.len(), 1);
        assert_eq!(ko[0].1, "ko");
        assert!(ko[0].0.contains("Korean"));
        assert_eq!(suggest_languages("deu")[0].1, "de");
        assert_eq!(suggest_languages("한")[0].1, "ko");
        assert!(suggest_languages("qq").is_empty());
    }

    fn alert(
        subcommand: Option<&str>,
        options: &[(&str, OptionValue)],
    ) -> Result<Command, InvocationError> {
        let mut inv = invocation("alert", options, Some(VIEW_AND_SEND));
        inv.subcommand = subcommand.map(str::to_string);
        command_from_interaction(&inv).map(|(_, command)| command)
    }

    #[test]
    fn the_caller_speaks_the_servers_language_in_a_channel_and_their_own_in_a_dm() {
        let mut inv = invocation("settings", &[], Some(VIEW_AND_SEND));
        inv.locale = Some("pt-BR".into());
        inv.guild_locale = Some("ko".into());
        let (caller, _) = command_from_interaction(&inv).unwrap();
        assert_eq!(caller.language, Some(Language::KOREAN));
        inv.guild_id = None;
        let (caller, _) = command_from_interaction(&inv).unwrap();
        assert_eq!(caller.language, Some(Language::parse("pt").unwrap()));
        // A language paperboy does not have leaves the configured default.
        inv.locale = Some("el".into());
        let (caller, _) = command_from_interaction(&inv).unwrap();
        assert_eq!(caller.language, None);
    }

    #[test]
    fn alert_subcommands_become_the_core_alert_commands() {
        let rule = [("rule", s("  diffusion OR \"flow matching\" "))];
        assert_eq!(
            alert(Some("add"), &rule).unwrap(),
            Command::Alert(AlertCommand::Add("diffusion OR \"flow matching\"".into()))
        );
        assert_eq!(
            alert(Some("test"), &rule).unwrap(),
            Command::Alert(AlertCommand::Test("diffusion OR \"flow matching\"".into()))
        );
        let n = |v| [("n", OptionValue::Integer(v))];
        assert_eq!(
            alert(Some("remove"), &n(2)).unwrap(),
            Command::Alert(AlertCommand::Remove(2))
        );
        for (sub, expected) in [
            (Some("list"), AlertCommand::List),
            (Some("pause"), AlertCommand::Pause),
            (Some("resume"), AlertCommand::Resume),
            (Some("help"), AlertCommand::Help),
            (None, AlertCommand::Help),
        ] {
            assert_eq!(
                alert(sub, &[]).unwrap(),
                Command::Alert(expected),
                "{sub:?}"
            );
        }
        // Bad values answer with the usage, naming the problem.
        for (sub, options) in [
            (Some("remove"), n(0).to_vec()),
            (Some("remove"), n(-3).to_vec()),
            (Some("remove"), Vec::new()),
            (Some("add"), vec![("rule", s("   "))]),
            (Some("test"), Vec::new()),
            (Some("subscribe"), Vec::new()),
        ] {
            let err = alert(sub, &options).unwrap_err().to_string();
            assert!(err.contains("/alert"), "{sub:?}: {err}");
        }
    }

    #[test]
    fn the_alert_definition_has_its_subcommands_and_their_options() {
        let json = serde_json::to_value(commands()).unwrap();
        let alert = json
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "alert")
            .unwrap()
            .clone();
        let subs = alert["options"].as_array().unwrap();
        let names: Vec<&str> = subs.iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["add", "list", "remove", "test", "pause", "resume", "help"]
        );
        for sub in subs {
            assert_eq!(sub["type"], 1, "a subcommand: {sub}");
            let inner = sub["options"].as_array().cloned().unwrap_or_default();
            match sub["name"].as_str().unwrap() {
                "add" | "test" => {
                    assert_eq!(inner.len(), 1);
                    assert_eq!(inner[0]["name"], "rule");
                    assert_eq!(inner[0]["type"], 3);
                    assert_eq!(inner[0]["required"], true);
                }
                "remove" => {
                    assert_eq!(inner[0]["name"], "n");
                    assert_eq!(inner[0]["type"], 4);
                    assert_eq!(inner[0]["min_value"], 1);
                }
                _ => assert!(inner.is_empty(), "{sub}"),
            }
        }
    }

    #[test]
    fn definitions_cover_every_name_and_guard_the_setting_ones() {
        let json = serde_json::to_value(commands()).unwrap();
        let defs = json.as_array().unwrap();
        assert_eq!(defs.len(), NAMES.len());
        for def in defs {
            let name = def["name"].as_str().unwrap();
            let description = def["description"].as_str().unwrap();
            assert!(
                !description.is_empty() && description.chars().count() <= 100,
                "{name}"
            );
            // Alerts are each person's own: anyone may set theirs.
            let guarded = !matches!(name, "today" | "settings" | "alert");
            assert_eq!(
                def["default_member_permissions"].as_str() == Some("16"),
                guarded,
                "{name}: {def}"
            );
        }
    }
}
