//! A digest as text for each output. Pure functions; every platform limit is enforced here.

pub mod discord;
pub mod telegram;
