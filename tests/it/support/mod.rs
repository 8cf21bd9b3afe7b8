//! Shared helpers: fake servers, temporary stores, fixture loaders.
#![allow(dead_code)]

pub mod cli;
pub mod discord_fake;
pub mod fixtures;
pub mod hf;
pub mod openai;
pub mod telegram_fake;
