//! What people ask the bot, whatever the platform: commands parsed from text into a typed
//! [`Command`], then applied to the store by [`handle`].
//!
//! The adapters turn a Telegram message or a Discord interaction into a `Command` and a
//! [`Caller`], and turn the [`Answer`] back into platform calls, so both bots behave the
//! same and this logic is tested once, without a platform.

pub mod alert;
mod alert_texts;
mod handle;
mod parse;
mod replies;

pub use alert::{AlertAnswer, AlertCommand, AlertLimits};
pub use alert_texts::{alert_texts, AlertTexts};
pub use handle::{handle, Answer, Caller, ChatKind, Defaults};
pub use parse::{parse, Command, UsageError, COMMANDS};
pub use replies::fill;
