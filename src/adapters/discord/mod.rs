//! Discord, through serenity: delivering digests and receiving slash commands.
//!
//! **This is the only module that imports serenity.** Everything it hands out is paperboy's
//! own types: [`Sender`] implements the delivery engine's [`crate::delivery::Courier`] for
//! channels, threads, DMs and webhooks; [`parse_webhook`] decides which webhook URLs may be
//! subscribed; [`run`] connects to the gateway and serves the slash commands through the
//! platform-neutral [`crate::command`] layer; [`command_from_interaction`] is the translation
//! it uses, public so it is tested without a gateway.

mod gateway;
mod interaction;
mod send;
mod webhook;

pub use gateway::{defaults, run};
pub use interaction::{
    command_from_interaction, invite_url, may_manage, suggest_languages, suggest_timezones,
    Invocation, InvocationError, OptionValue, BOT_PERMISSIONS,
};
pub use send::{Error, Sender, DEFAULT_TIMEOUT};
pub use webhook::{parse_webhook, WebhookError};
