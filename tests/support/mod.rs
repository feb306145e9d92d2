//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod fake_bot_api;
pub mod fake_ncalayer;
pub mod fake_ncanode;
pub mod log_capture;
pub mod pg;
pub mod pki;
pub mod service;
pub mod sign_stand;
pub mod smtp_server;
pub mod transcript;
pub mod webdriver;
