//! Telegram, through teloxide: delivering calls and receiving commands.
//!
//! **This is the only module that imports teloxide.** Everything it hands out is paperboy's
//! own types ([`Sender`] implements the delivery engine's [`crate::delivery::Courier`];
//! [`Bot`] serves commands over long polling), so the rest of the crate never sees a Bot API
//! type.

pub mod bot;
pub mod error;
pub mod send;
mod updates;

pub use bot::{Bot, Clock, Parts, DEFAULT_POLL_TIMEOUT};
pub use error::{DownloadError, Error};
pub use send::{Sender, MAX_PHOTO_BYTES};
