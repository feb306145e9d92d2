//! Transports: the terminal chat and Telegram. They turn what arrives into
//! [`crate::conversation::Incoming`] and render [`crate::conversation::Outgoing`].

pub mod console;
pub mod telegram;
