//! Zeinet: the ENPF personal cabinet as a Telegram bot.
//!
//! The crate is a library (everything testable) plus a thin binary (`src/main.rs`).
//! See `docs/architecture.md` for the map of modules.

pub mod app;
pub mod booking;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod demo;
pub mod dialogue;
pub mod documents;
pub mod domain;
pub mod ephemeral;
pub mod gateways;
pub mod i18n;
pub mod loadtest;
pub mod logging;
pub mod metrics;
pub mod outbox;
pub mod reference;
pub mod serve;
pub mod services;
pub mod signing;
pub mod store;
pub mod web;
