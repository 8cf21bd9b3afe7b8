//! Telegram, through teloxide: delivering calls and receiving commands.
