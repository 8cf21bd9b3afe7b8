//! The only modules that know a messaging platform. **Only `adapters::telegram` imports
//! teloxide and only `adapters::discord` imports serenity.** They turn platform input into
//! core commands and core messages into API calls.

mod couriers;
pub mod discord;
pub mod telegram;

pub use couriers::Couriers;
