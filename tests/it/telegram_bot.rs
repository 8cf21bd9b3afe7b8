//! Integration tests: the Telegram bot (commands and scheduled delivery) against the fake Bot API.
