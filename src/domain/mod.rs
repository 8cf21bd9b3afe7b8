//! Plain types of the problem and the pure logic over them.
//!
//! **Nothing here does IO or imports a platform, HTTP or database crate.** Everything in
//! this module is data in, data out, so it is tested without a runtime and reused unchanged
//! by the CLI, the Telegram bot, the Discord bot and the alert poller.

pub mod alert;
pub mod chat;
pub mod digest;
pub mod language;
pub mod paper;
pub mod selection;
pub mod sentence;
pub mod subscription;

pub use chat::{ChatRef, Platform};
pub use digest::{Digest, Entry, Summary, SummaryOrigin};
pub use language::Language;
pub use paper::Paper;
pub use subscription::{DeliveryTime, Subscription};
