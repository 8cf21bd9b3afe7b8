//! What each update means for paperboy: a command to apply and answer, or the bot joining or
//! leaving a chat.
//!
//! Commands go through the platform-neutral [`command::handle`]; this module only works out
//! where they came from ([`Caller`]: the chat, or the forum topic inside it, and whether the
//! sender may change its subscription) and turns the [`Answer`] into Telegram messages.
//! Every reply is plain text sent as HTML with `<`, `>` and `&` escaped, so nothing a user
//! types can break it.
//!
//! `/alert` is the exception: alerts belong to the person who typed it, wherever they did,
//! so it goes to [`command::alert::handle`] with the sender's private chat as the owner.
//!
//! Membership changes (`my_chat_member`) keep subscriptions in step with reality: removed,
//! kicked or blocked makes the chat's subscriptions inactive with their settings kept;
//! added back (or unblocked) makes them active again, unless someone had unsubscribed.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, Utc};
use teloxide::requests::{Request, Requester};
use teloxide::types::{ChatId, ChatMemberUpdated, Message, Update, UpdateKind, UserId};

use super::bot::Clock;
use crate::archive::Archive;
use crate::command::{
    self, alert_texts, fill, AlertAnswer, AlertCommand, AlertLimits, Answer, Caller, ChatKind,
    Command, Defaults,
};
use crate::delivery::engine::{self, Engine};
use crate::delivery::{Courier, Outbound};
use crate::domain::subscription::InactiveReason;
use crate::domain::{ChatRef, Language, Subscription};
use crate::render::telegram::{self as render, Call, LinkPreviewOptions, ParseMode, TEXT_LIMIT};
use crate::render::text;
use crate::store::{self, Store};
use crate::summarize::Backend;
use crate::{alerts, pipeline, source};

/// What went wrong on paperboy's side, in words for the person who asked.
const SORRY: &str = "Sorry, something went wrong on paperboy's side; please try again in a minute.";

/// The answer to anything in a private chat that is not a command paperboy knows.
const HINT: &str = "I only understand commands. /help lists them; /today sends the latest papers.";

/// Everything an update needs; shared by every handler task.
pub(super) struct Handler<C> {
    pub api: teloxide::Bot,
    /// For one Bot API call (`getChatMember`).
    pub timeout: Duration,
    pub store: Store,
    pub archive: Archive,
    pub backend: Backend,
    pub defaults: Defaults,
    pub engine: Arc<Engine<C>>,
    pub lookback_days: u32,
    pub owner_ids: Vec<i64>,
    pub clock: Clock,
    pub alert_limits: AlertLimits,
}

impl<C: Courier> Handler<C> {
    pub async fn handle(&self, update: Update, username: &str) {
        match &update.kind {
            UpdateKind::Message(m) | UpdateKind::ChannelPost(m) => {
                self.on_message(m, username).await
            }
            UpdateKind::MyChatMember(change) => self.on_membership(change).await,
            _ => {}
        }
    }

    async fn on_message(&self, msg: &Message, username: &str) {
        if let Some(to) = msg.migrate_to_chat_id() {
            self.on_migration(msg.chat.id.0, to.0);
            return;
        }
        // Other bots (and this one) are not listened to; anonymous administrators and
        // channels post through special bot accounts, but with `sender_chat` set.
        if msg.sender_chat.is_none() && msg.from.as_ref().is_some_and(|u| u.is_bot) {
            return;
        }
        if msg.chat.is_private() {
            // Telegram lets a bot message a person only after they wrote to it; alerts need to.
            if let Err(e) = self
                .store
                .set_alerts_started(&ChatRef::telegram(msg.chat.id.0))
            {
                tracing::warn!(chat = msg.chat.id.0, error = %e, "cannot remember that a person started the bot");
            }
        }
        let Some(text) = msg.text() else { return };
        let kind = if msg.chat.is_private() {
            ChatKind::Private
        } else if msg.chat.is_channel() {
            ChatKind::Channel
        } else {
            ChatKind::Group
        };
        let chat = chat_of(msg);
        let command = match command::parse(text, Some(username)) {
            Some(Ok(command)) => command,
            Some(Err(usage)) => {
                self.reply(&chat, &usage.to_string()).await;
                return;
            }
            // Groups and channels are full of talk that is not for paperboy.
            None if kind == ChatKind::Private => {
                self.reply(&chat, HINT).await;
                return;
            }
            None => return,
        };
        if command == Command::Start && kind == ChatKind::Private && is_alerts_start(text) {
            let person = ChatRef::telegram(msg.chat.id.0);
            let language = self.alert_language(&person, msg);
            return self.reply(&chat, alert_texts(language).started).await;
        }
        if let Command::Alert(alert) = &command {
            return self.on_alert(msg, &chat, alert, username).await;
        }
        let needs_rights = !matches!(
            command,
            Command::Help | Command::Settings | Command::Today { .. }
        );
        let may_manage = needs_rights && self.may_manage(msg, kind).await;
        // A person's app language says what they read; a group's members may differ.
        let language = app_language(msg).filter(|_| kind == ChatKind::Private);
        let caller = Caller {
            chat: chat.clone(),
            kind,
            may_manage,
            language,
        };
        let now = (self.clock)();
        tracing::info!(chat = %chat, command = ?command, may_manage, "telegram command");
        match command::handle(&self.store, &self.defaults, &caller, &command, now) {
            Ok(Answer::Text(answer)) => self.reply(&chat, &answer).await,
            Ok(Answer::Digest {
                date,
                language,
                top_n,
            }) => self.send_digest(&chat, date, language, top_n, now).await,
            Err(e) => {
                tracing::error!(chat = %chat, error = %e, "a command failed in the store");
                self.reply(&chat, SORRY).await;
            }
        }
    }

    /// The language of `person`'s alerts: see [`command::alert::alert_language`]; their
    /// app's language comes from the message they sent.
    fn alert_language(&self, person: &ChatRef, msg: &Message) -> Language {
        let app = app_language(msg);
        command::alert::alert_language(&self.store, person, app, self.defaults.language)
            .unwrap_or(self.defaults.language)
    }

    /// `/alert ...`: applied to the sender's own alerts, wherever it was typed; the answer
    /// goes where the command was. In a group, a sender the bot cannot message privately yet
    /// is told how to start it.
    async fn on_alert(&self, msg: &Message, chat: &ChatRef, alert: &AlertCommand, username: &str) {
        // Anonymous administrators and channels post as a chat, not as a person.
        let person = match (&msg.from, &msg.sender_chat) {
            (Some(user), None) => i64::try_from(user.id.0).ok(),
            _ => None,
        };
        let Some(person) = person else {
            let language = self
                .store
                .subscription(chat)
                .ok()
                .flatten()
                .map_or(self.defaults.language, |s| s.language);
            return self.reply(chat, alert_texts(language).no_person).await;
        };
        let owner = ChatRef::telegram(person);
        let language = self.alert_language(&owner, msg);
        let now = (self.clock)();
        tracing::info!(chat = %chat, command = ?alert, "telegram alert command");
        let answer = command::alert::handle(
            &self.store,
            &self.alert_limits,
            &owner,
            language,
            alert,
            now,
        );
        let mut text = match answer {
            Ok(AlertAnswer::Text(text)) => text,
            Ok(AlertAnswer::Test(rule)) => {
                alerts::test_rule(&self.archive, &rule, language, now).await
            }
            Err(e) => {
                tracing::error!(chat = %chat, error = %e, "an alert command failed in the store");
                return self.reply(chat, SORRY).await;
            }
        };
        let private = msg.chat.is_private();
        let wants_private = !matches!(alert, AlertCommand::Help | AlertCommand::Test(_));
        if !private && wants_private && !alerts::can_message(&self.store, &owner).unwrap_or(false) {
            let link = format!("https://t.me/{username}?start=alerts");
            text.push_str(&fill(
                alert_texts(language).start_needed,
                &[("link", &link)],
            ));
        }
        self.reply(chat, &text).await;
    }

    /// Private chats and channels (only administrators can post in one) always; in groups the
    /// creator and administrators, anonymous administrators (who post as the group itself),
    /// and paperboy's owners.
    async fn may_manage(&self, msg: &Message, kind: ChatKind) -> bool {
        if kind != ChatKind::Group {
            return true;
        }
        if let Some(sender) = &msg.sender_chat {
            // The group itself is an anonymous administrator; a channel posting into the
            // group (a linked channel, a user speaking as a channel) is not.
            return sender.id == msg.chat.id;
        }
        let Some(user) = &msg.from else { return false };
        if i64::try_from(user.id.0).is_ok_and(|id| self.owner_ids.contains(&id)) {
            return true;
        }
        self.is_administrator(msg.chat.id, user.id).await
    }

    async fn is_administrator(&self, chat: ChatId, user: UserId) -> bool {
        let request = self.api.get_chat_member(chat, user);
        match tokio::time::timeout(self.timeout, request.send()).await {
            Ok(Ok(member)) => member.kind.is_privileged(),
            Ok(Err(e)) => {
                tracing::warn!(chat = chat.0, user = user.0, error = %e, "cannot tell whether the sender is an administrator");
                false
            }
            Err(_) => {
                tracing::warn!(
                    chat = chat.0,
                    user = user.0,
                    "cannot tell whether the sender is an administrator: no answer"
                );
                false
            }
        }
    }

    /// Sends a digest for `/today`: of `date`, or of the newest day with papers from today
    /// (UTC) back over the lookback window.
    async fn send_digest(
        &self,
        chat: &ChatRef,
        date: Option<NaiveDate>,
        language: Language,
        top_n: u8,
        now: DateTime<Utc>,
    ) {
        let today = source::today_utc(now);
        let found = match date {
            Some(day) if day > today => {
                let answer = format!(
                    "{day} has not happened yet on Hugging Face (today is {today} UTC). /today without a date sends the latest papers."
                );
                return self.reply(chat, &answer).await;
            }
            Some(day) => self.archive.day(day, now).await.map(|papers| {
                if papers.is_empty() {
                    None
                } else {
                    Some((day, papers))
                }
            }),
            None => {
                let days = days_back(today, self.lookback_days);
                self.archive.newest_with_papers(&days, now).await
            }
        };
        let (day, papers) = match found {
            Ok(Some(found)) => found,
            Ok(None) => {
                let answer = match date {
                    Some(day) => format!(
                        "No papers on {day} (weekend?). /today without a date sends the latest day with papers."
                    ),
                    None => {
                        let oldest = days_back(today, self.lookback_days)
                            .last()
                            .copied()
                            .unwrap_or(today);
                        format!(
                            "No papers since {oldest} (weekend?). Try again later, or ask for a day with /today YYYY-MM-DD."
                        )
                    }
                };
                return self.reply(chat, &answer).await;
            }
            Err(e) => {
                tracing::warn!(chat = %chat, error = %e, "cannot fetch papers for /today");
                let answer = "Hugging Face cannot be reached right now; please try /today again in a few minutes.";
                return self.reply(chat, answer).await;
            }
        };
        let digest =
            pipeline::build_digest(day, &papers, usize::from(top_n), language, &self.backend).await;
        let mut calls = render::messages(&digest);
        if date.is_none() && day != today {
            let note = format!(
                "Nothing on Hugging Face for today ({today} UTC) yet: here is {day}, the latest day with papers."
            );
            with_note(&mut calls, &note);
        }
        let total = calls.len();
        for (index, call) in calls.into_iter().enumerate() {
            match self.engine.send_now(chat, &Outbound::Telegram(call)).await {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => {
                    tracing::warn!(chat = %chat, %reason, sent = index, total, "/today digest stopped");
                    return;
                }
                Err(e) => {
                    tracing::error!(chat = %chat, error = %e, sent = index, total, "/today digest stopped: the store failed");
                    return;
                }
            }
        }
        let counted = match engine::record_on_request(&self.store, chat, day, now).await {
            Ok(counted) => counted,
            Err(e) => {
                tracing::warn!(chat = %chat, error = %e, "cannot record the /today digest as delivered");
                false
            }
        };
        tracing::info!(chat = %chat, date = %day, messages = total, counted, "/today digest sent");
    }

    /// A plain-text reply in `chat` (and its topic).
    async fn reply(&self, chat: &ChatRef, answer: &str) {
        match self.engine.send_now(chat, &plain(answer)).await {
            Ok(Ok(())) => {}
            Ok(Err(reason)) => tracing::warn!(chat = %chat, %reason, "reply not sent"),
            Err(e) => tracing::error!(chat = %chat, error = %e, "reply not sent: the store failed"),
        }
    }

    /// The bot's own membership changed: added, removed, kicked, blocked or unblocked.
    async fn on_membership(&self, change: &ChatMemberUpdated) {
        let chat_id = change.chat.id.0;
        let was_in = change.old_chat_member.kind.is_present();
        let is_in = change.new_chat_member.kind.is_present();
        let now = (self.clock)();
        match (was_in, is_in) {
            (false, true) => {
                let back = match self.set_present(chat_id, true, now).await {
                    Ok(back) => back,
                    Err(e) => {
                        tracing::error!(chat = chat_id, error = %e, "cannot reactivate the chat's subscriptions");
                        Vec::new()
                    }
                };
                tracing::info!(
                    chat = chat_id,
                    reactivated = back.len(),
                    "paperboy added to a chat"
                );
                // Channels cannot answer a how-to, and a person who unblocks the bot knows it.
                if change.chat.is_group() || change.chat.is_supergroup() {
                    let greeting = greeting(&self.defaults, &back);
                    self.reply(&ChatRef::telegram(chat_id), &greeting).await;
                }
            }
            (true, false) => match self.set_present(chat_id, false, now).await {
                Ok(gone) => tracing::info!(
                    chat = chat_id,
                    deactivated = gone.len(),
                    "paperboy removed from a chat or blocked; settings kept"
                ),
                Err(e) => {
                    tracing::error!(chat = chat_id, error = %e, "cannot deactivate the chat's subscriptions")
                }
            },
            _ => {}
        }
    }

    /// Makes the chat's subscriptions (its topics' included) inactive because paperboy was
    /// removed, or active again because it is back; returns the ones changed.
    ///
    /// Removal does not touch a chat that had unsubscribed, so coming back cannot
    /// resubscribe it; a chat made inactive by failed sends comes back too, since those
    /// failures were most likely the removal.
    async fn set_present(
        &self,
        chat_id: i64,
        present: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<Subscription>, store::Error> {
        let mut changed = Vec::new();
        for sub in self.subscriptions_of(chat_id)? {
            let eligible = match &sub.inactive_reason {
                _ if present && sub.is_active => false,
                Some(InactiveReason::Unsubscribed) => false,
                Some(InactiveReason::Removed) | Some(InactiveReason::Failing(_)) => true,
                None => !present,
            };
            if !eligible {
                continue;
            }
            let updated = self.store.update_subscription(&sub.chat, |s| {
                if present {
                    s.is_active = true;
                    s.inactive_reason = None;
                    s.consecutive_failures = 0;
                    // The next slot, not a backlog.
                    s.created_at = now;
                } else {
                    s.is_active = false;
                    s.inactive_reason = Some(InactiveReason::Removed);
                }
            })?;
            changed.extend(updated);
        }
        if !changed.is_empty() {
            self.store.flush().await?;
        }
        Ok(changed)
    }

    /// Every subscription in the chat: the chat itself and each of its forum topics.
    fn subscriptions_of(&self, chat_id: i64) -> Result<Vec<Subscription>, store::Error> {
        if chat_id > 0 {
            // A person's chat has no topics.
            return Ok(self
                .store
                .subscription(&ChatRef::telegram(chat_id))?
                .into_iter()
                .collect());
        }
        // Membership changes are rare, so a scan is fine here.
        let mut found = Vec::new();
        for sub in self.store.subscriptions_iter() {
            let sub = sub?;
            if matches!(sub.chat, ChatRef::Telegram { chat_id: c, .. } if c == chat_id) {
                found.push(sub);
            }
        }
        Ok(found)
    }

    /// A group became a supergroup: its records move to the new id (the delivery engine does
    /// the same when a send is refused with `migrate_to_chat_id`).
    fn on_migration(&self, from: i64, to: i64) {
        let (old, new) = (ChatRef::telegram(from), ChatRef::telegram(to));
        let moved = match (self.store.subscription(&old), self.store.subscription(&new)) {
            (Ok(Some(_)), Ok(None)) => self.store.move_chat(&old, &new).map(|()| true),
            (Err(e), _) | (_, Err(e)) => Err(e),
            _ => Ok(false),
        };
        match moved {
            Ok(true) => {
                tracing::info!(from = %old, to = %new, "group migrated; subscription moved")
            }
            Ok(false) => {}
            Err(e) => {
                tracing::error!(from = %old, to = %new, error = %e, "cannot move a migrated group")
            }
        }
    }
}

/// Where a message came from: its chat, and its forum topic when it was posted in one.
fn chat_of(msg: &Message) -> ChatRef {
    // Replies in ordinary groups carry a thread id too; only forum topics are places.
    let thread_id = if msg.is_topic_message {
        msg.thread_id.map(|t| t.0 .0)
    } else {
        None
    };
    ChatRef::Telegram {
        chat_id: msg.chat.id.0,
        thread_id,
    }
}

/// The language of the sender's Telegram app, when paperboy has it.
fn app_language(msg: &Message) -> Option<Language> {
    let code = msg.from.as_ref()?.language_code.as_deref()?;
    Language::parse(code).ok()
}

/// `/start alerts` (the deep link's payload), maybe addressed `/start@bot alerts`.
fn is_alerts_start(text: &str) -> bool {
    text.split_whitespace()
        .nth(1)
        .is_some_and(|payload| payload.eq_ignore_ascii_case("alerts"))
}

/// `today` and the `lookback` days before it, newest first.
fn days_back(today: NaiveDate, lookback: u32) -> Vec<NaiveDate> {
    (0..=u64::from(lookback))
        .filter_map(|back| today.checked_sub_days(Days::new(back)))
        .collect()
}

/// What paperboy says when added to a group.
fn greeting(defaults: &Defaults, reactivated: &[Subscription]) -> String {
    if let Some(sub) = reactivated.first() {
        return format!(
            "Thanks for having paperboy back. The daily digest here is on again: top {} papers at {} {}. /settings shows it, /unsubscribe stops it.",
            sub.top_n,
            sub.time,
            sub.timezone.name()
        );
    }
    format!(
        "Hello! paperboy brings the day's top Hugging Face Daily Papers, each with its thumbnail, a short summary, the abstract and key points.\n\n\
         An administrator can /subscribe for a digest here every day (at {} {} unless you say otherwise, e.g. /subscribe 08:30 Europe/Berlin). Anyone can ask /today for the latest papers now. /help lists every command.",
        defaults.time,
        defaults.timezone.name()
    )
}

/// A plain-text message: Telegram's HTML mode with the three special characters escaped.
fn plain(text: &str) -> Outbound {
    Outbound::Telegram(plain_call(text))
}

fn plain_call(answer: &str) -> Call {
    let answer = text::shorten(answer, TEXT_LIMIT, text::utf16);
    Call::SendMessage {
        text: escape(&answer),
        parse_mode: ParseMode::Html,
        link_preview_options: LinkPreviewOptions { is_disabled: true },
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Puts `note` in italics above the digest's header, or before it as its own message when
/// the header has no room left.
fn with_note(calls: &mut Vec<Call>, note: &str) {
    if let Some(Call::SendMessage { text, .. }) = calls.first_mut() {
        let noted = format!("<i>{}</i>\n\n{text}", escape(note));
        if render::visible_len(&noted) <= TEXT_LIMIT {
            *text = noted;
            return;
        }
    }
    calls.insert(0, plain_call(note));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_escape_markup() {
        let Outbound::Telegram(Call::SendMessage { text, .. }) = plain("a <b> & c") else {
            panic!("a reply is a message");
        };
        assert_eq!(text, "a &lt;b&gt; &amp; c");
        assert_eq!(render::check(&text, TEXT_LIMIT), Ok(()));
    }

    #[test]
    fn long_replies_fit_a_message() {
        let Outbound::Telegram(Call::SendMessage { text, .. }) = plain(&"<".repeat(5000)) else {
            panic!("a reply is a message");
        };
        assert_eq!(render::check(&text, TEXT_LIMIT), Ok(()));
    }

    #[test]
    fn lookback_includes_today_newest_first() {
        let today: NaiveDate = "2026-01-21".parse().unwrap();
        let days = days_back(today, 2);
        let expected: Vec<NaiveDate> = ["2026-01-21", "2026-01-20", "2026-01-19"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        assert_eq!(days, expected);
        assert_eq!(days_back(today, 0), vec![today]);
    }

    #[test]
    fn the_note_goes_above_the_header_or_before_it() {
        let header = |text: String| Call::SendMessage {
            text,
            parse_mode: ParseMode::Html,
            link_preview_options: LinkPreviewOptions { is_disabled: true },
        };
        let mut calls = vec![header("<b>2026-01-20</b>".to_string())];
        with_note(&mut calls, "a & b");
        assert_eq!(calls.len(), 1);
        let Call::SendMessage { text, .. } = &calls[0] else {
            panic!("still a message")
        };
        assert_eq!(text, "<i>a &amp; b</i>\n\n<b>2026-01-20</b>");

        let mut full = vec![header("x".repeat(TEXT_LIMIT))];
        with_note(&mut full, "note");
        assert_eq!(full.len(), 2);
        for call in &full {
            let Call::SendMessage { text, .. } = call else {
                panic!("messages")
            };
            assert_eq!(render::check(text, TEXT_LIMIT), Ok(()));
        }
    }

    #[test]
    fn the_greeting_says_how_to_start_or_what_came_back() {
        let defaults = Defaults {
            time: crate::domain::DeliveryTime::parse("09:00").unwrap(),
            timezone: chrono_tz::UTC,
            top_n: 5,
            language: Language::ENGLISH,
            has_llm: false,
            today_cooldown: chrono::Duration::minutes(1),
        };
        let hello = greeting(&defaults, &[]);
        assert!(
            hello.contains("/subscribe") && hello.contains("09:00 UTC"),
            "{hello}"
        );
        let sub = Subscription {
            chat: ChatRef::telegram(-5),
            time: crate::domain::DeliveryTime::parse("07:30").unwrap(),
            timezone: chrono_tz::Asia::Seoul,
            top_n: 3,
            language: Language::ENGLISH,
            is_active: true,
            consecutive_failures: 0,
            inactive_reason: None,
            created_at: Utc::now(),
            last_delivered: None,
        };
        let back = greeting(&defaults, &[sub]);
        assert!(
            back.contains("on again") && back.contains("07:30 Asia/Seoul"),
            "{back}"
        );
    }
}
