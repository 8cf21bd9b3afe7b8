//! Shared helpers: fake servers, temporary stores, fixture loaders.
#![allow(dead_code)]

pub mod cli;
pub mod discord_fake;
pub mod fixtures;
pub mod hf;
pub mod openai;
pub mod telegram_fake;

/// Waits (polling) until `cond` holds, for effects that only show in the store; fails the
/// test after about 10 s.
pub async fn eventually(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..2000 {
        if cond() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("gave up waiting for {what}");
}
