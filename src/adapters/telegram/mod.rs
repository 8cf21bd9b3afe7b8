//! Telegram, through teloxide: delivering calls and receiving commands.
//!
//! **This is the only module that imports teloxide.** Everything it hands out is paperboy's
//! own types ([`Sender`] implements the delivery engine's [`crate::delivery::Courier`]), so
//! the rest of the crate never sees a Bot API type.

pub mod error;
pub mod send;

pub use error::{DownloadError, Error};
pub use send::{Sender, MAX_PHOTO_BYTES};
