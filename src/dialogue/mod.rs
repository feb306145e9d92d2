//! The conversation state machine, free of any transport.
//!
//! [`step`] takes the chat's [`State`], one [`Input`] and a [`StepContext`], and returns the
//! next state and the [`Reply`]s (text keys + arguments + buttons). The Telegram adapter and
//! the terminal chat only render replies; `crate::conversation` loads and saves sessions.
//! One file per flow: `start.rs` (language, menu, help), `signin.rs` (IIN + password),
//! `code.rs` (one-time codes: registration, recovery, sign-in by code), `cabinet.rs` (signed-in
//! menu, savings, sessions, logout), `booking.rs` (branches, hours and queue booking).

mod action;
mod applications;
mod booking;
mod cabinet;
mod code;
mod eds;
mod engine;
mod filing;
mod forecast;
mod input;
mod maintenance;
mod reply;
mod settings;
mod signin;
mod staff;
mod start;
mod state;
mod statement;
pub mod transfers;

pub use action::{Action, MenuItem};
pub use booking::{BookingAction, BookingState};
pub use engine::{
    LoginChange, StepContext, StepError, StepOutcome, StepResult, expired, home, prompt, reset,
    stale_button, step,
};
pub use filing::{FilingAction, FilingItem, FilingState};
pub use input::{Command, Input, MAX_TEXT_CHARS, UnsupportedKind};
pub use reply::{Attachment, Button, FieldKeyboard, LinkButton, Reply, Venue};
pub use staff::{Drafts, StaffAction, StaffState};
pub use state::{CodeFlow, ContactChannel, State};
