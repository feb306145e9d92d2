//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pg;
pub mod smtp_server;
pub mod transcript;
