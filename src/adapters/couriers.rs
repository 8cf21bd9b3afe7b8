//! One courier for every configured platform, so one engine (one ledger, one pass) serves
//! Telegram and Discord chats alike.

use crate::delivery::{Courier, Outbound, Receipt, SendError};
use crate::domain::{ChatRef, Platform};

use super::{discord, telegram};

/// The platforms paperboy can reach in this process. A chat whose platform is not
/// configured gets a transient error (its job waits; nothing is marked failed), but the
/// delivery pass does not schedule such chats in the first place.
#[derive(Debug, Clone, Default)]
pub struct Couriers {
    pub telegram: Option<telegram::Sender>,
    /// Webhooks need no bot token, so this exists even without one; bot channels and DMs
    /// need the token ([`discord::Sender::has_token`]).
    pub discord: Option<discord::Sender>,
}

impl Couriers {
    /// The platforms with a courier.
    pub fn platforms(&self) -> Vec<Platform> {
        let mut platforms = Vec::new();
        if self.telegram.is_some() {
            platforms.push(Platform::Telegram);
        }
        if let Some(discord) = &self.discord {
            if discord.has_token() {
                platforms.push(Platform::Discord);
            }
            platforms.push(Platform::DiscordWebhook);
        }
        platforms
    }
}

impl Courier for Couriers {
    async fn send(&self, chat: &ChatRef, message: &Outbound) -> Result<Receipt, SendError> {
        let not_configured = |platform: Platform| {
            Err(SendError::Transient(format!(
                "{platform} is not configured in this process"
            )))
        };
        match chat.platform() {
            Platform::Telegram => match &self.telegram {
                Some(sender) => sender.send(chat, message).await,
                None => not_configured(Platform::Telegram),
            },
            platform @ (Platform::Discord | Platform::DiscordWebhook) => match &self.discord {
                Some(sender) => sender.send(chat, message).await,
                None => not_configured(platform),
            },
        }
    }
}
