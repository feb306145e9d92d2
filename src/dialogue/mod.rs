//! The conversation state machine, free of any transport.
//!
//! [`step`] takes the chat's [`State`], one [`Input`] and a [`StepContext`], and returns the
//! next state and the [`Reply`]s (text keys + arguments + buttons). The Telegram adapter and
//! the terminal chat only render replies; `crate::conversation` loads and saves sessions.
//! One file per flow: `start.rs` (language, menu, help) for now.

mod action;
mod engine;
mod input;
mod reply;
mod start;
mod state;

pub use action::{Action, MenuItem};
pub use engine::{StepContext, StepOutcome, expired, prompt, reset, stale_button, step};
pub use input::{Command, Input, MAX_TEXT_CHARS, UnsupportedKind};
pub use reply::{Button, Reply};
pub use state::State;
