//! Discord, through serenity: delivering digests and receiving slash commands.
