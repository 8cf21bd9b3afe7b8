//! Sending digests and alerts: the job queue, rate limits, retries and the send-then-record
//! ledger.
//!
//! The engine knows no platform. It hands each [`Outbound`] message to a [`Courier`] (the
//! adapters implement it) and acts on the platform-neutral [`SendError`] it gets back.

pub mod engine;
pub mod pace;
pub mod pass;

use std::future::Future;
use std::time::Duration;

use crate::domain::ChatRef;
use crate::render;

/// A message ready to send, in the form of its platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    Telegram(render::telegram::Call),
    Discord(render::discord::Message),
}

/// What a successful send gives back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    /// The platform's id of the sent message, when it gives one.
    pub message_id: Option<String>,
    /// `(photo URL, platform file id)` when a photo was uploaded and can be reused by id.
    pub photo_file_id: Option<(String, String)>,
}

/// Why a send failed, in the terms the engine acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Flood control: wait, then send the same message again.
    #[error("rate limited, retry after {0:?}")]
    RetryAfter(Duration),
    /// 5xx, timeouts, connection errors: back off and retry later.
    #[error("transient failure: {0}")]
    Transient(String),
    /// Blocked, kicked, chat not found, no rights, unknown channel: this chat cannot be
    /// reached now; count it, and make the chat inactive after a few in a row.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// The destination no longer exists (a deleted Discord channel or webhook): the chat is
    /// made inactive at once, with its settings kept, and not asked again.
    #[error("gone: {0}")]
    Gone(String),
    /// The chat moved (a Telegram group became a supergroup): deliver there instead.
    #[error("chat moved to {0}")]
    Migrated(ChatRef),
}

/// Something that can deliver an [`Outbound`] message to a chat: one per platform.
///
/// Implemented by the adapters; the engine is generic over it (no `dyn`), and tests use a
/// real adapter against a loopback fake of the platform's API.
pub trait Courier: Send + Sync {
    fn send(
        &self,
        chat: &ChatRef,
        message: &Outbound,
    ) -> impl Future<Output = Result<Receipt, SendError>> + Send;
}
