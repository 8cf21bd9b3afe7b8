//! A loopback fake of the Telegram Bot API.
