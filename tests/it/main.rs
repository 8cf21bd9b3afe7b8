//! Integration tests: one binary, one module per area, shared fakes in `support/`.
//!
//! Every fake server binds `127.0.0.1:0`; nothing here reaches the network.

// The fakes build large JSON objects with `serde_json::json!`, which recurses deeply.
#![recursion_limit = "256"]

mod support;

mod alerts;
mod boundaries;
mod cli;
mod crash;
mod discord;
mod hf_client;
mod llm;
mod platforms;
mod render_props;
mod render_snapshots;
mod store;
mod telegram;
mod telegram_bot;
