//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod fake_bot_api;
pub mod fake_ncanode;
pub mod pg;
pub mod pki;
pub mod service;
pub mod smtp_server;
pub mod transcript;
